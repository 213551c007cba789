"""A trigram (pg_trgm) GIN index on good models' folded search text, PostgreSQL only: the
portal search is `search_text LIKE '%…%'` (a word anywhere), which read every good model; a
trigram index serves it, as for the portal's articles, books and photos (portal 0003).
SQLite is unchanged (no such index type)."""

from django.db import migrations

from thidua.core.migration_ops import search_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("participation", "0004_activity_stat")]

    operations = [search_trigram_indexes("participation_goodmodel")]
