"""Trigram (pg_trgm) GIN indexes on the folded search text of people and units, PostgreSQL only:
the staff lists' accent-insensitive search is `search_text LIKE '%…%'`, which a trigram index
serves instead of reading every row. SQLite is unchanged (no such index type)."""

from django.db import migrations

INDEXES = [
    ("organizations_person_search_trgm", "organizations_person"),
    ("organizations_unit_search_trgm", "organizations_unit"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted since PG 13
    for name, table in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_constraint_messages")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
