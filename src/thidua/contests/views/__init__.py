"""Contest views by audience: organiser (screens), exports (organiser downloads), public
(contestant pages), results (after a round). urls.py names each view by its module."""
