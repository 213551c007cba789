"""Trigram (pg_trgm) GIN indexes on the folded search text of articles, books and photos,
PostgreSQL only: the portal search is `search_text LIKE '%…%'` (a word anywhere), which read
every row of the table; a trigram index serves it, as for people and units
(organizations 0004). SQLite is unchanged (no such index type)."""

from django.db import migrations

INDEXES = [
    ("portal_article_search_trgm", "portal_article"),
    ("portal_book_search_trgm", "portal_book"),
    ("portal_photo_search_trgm", "portal_photo"),
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
    dependencies = [("portal", "0002_photo_search_text")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
