"""Portal views by audience: public (anonymous visitors, cached), editorial (the hub, sections,
articles, submissions) and exhibits (albums, photos, books, events). urls.py names each view
by its module."""
