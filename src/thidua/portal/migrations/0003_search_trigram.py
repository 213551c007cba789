"""Trigram (pg_trgm) GIN indexes on the folded search text of articles, books and photos,
PostgreSQL only: the portal search is `search_text LIKE '%…%'` (a word anywhere), which read
every row of the table; a trigram index serves it, as for people and units
(organizations 0004). SQLite is unchanged (no such index type)."""

from django.db import migrations

from thidua.core.migration_ops import search_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_photo_search_text")]

    operations = [search_trigram_indexes("portal_article", "portal_book", "portal_photo")]
