"""Trigram (pg_trgm) GIN indexes on the folded search text of people and units, PostgreSQL only:
the staff lists' accent-insensitive search is `search_text LIKE '%…%'`, which a trigram index
serves instead of reading every row. SQLite is unchanged (no such index type)."""

from django.db import migrations

from thidua.core.migration_ops import search_trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_constraint_messages")]

    operations = [search_trigram_indexes("organizations_person", "organizations_unit")]
