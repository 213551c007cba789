"""A trigram (pg_trgm) GIN index on good models' folded search text, PostgreSQL only: the
portal search is `search_text LIKE '%…%'` (a word anywhere), which read every good model; a
trigram index serves it, as for the portal's articles, books and photos (portal 0003).
SQLite is unchanged (no such index type)."""

from django.db import migrations

INDEXES = [
    ("participation_goodmodel_search_trgm", "participation_goodmodel"),
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
    dependencies = [("participation", "0004_activity_stat")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
