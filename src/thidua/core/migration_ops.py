"""Operations that several apps' migrations share."""

from typing import Any

from django.db import migrations


def search_trigram_indexes(*tables: str) -> migrations.RunPython:
    """A trigram (pg_trgm) GIN index on each table's folded `search_text`, named
    `<table>_search_trgm`, on PostgreSQL only: the lists' accent-insensitive search is
    `search_text LIKE '%…%'` (a word anywhere), which reads every row without one. SQLite has
    no such index type and is left as it is."""

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted since PG 13
        for table in tables:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_trgm"
                f" ON {table} USING gin (search_text gin_trgm_ops)"
            )

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")

    return migrations.RunPython(create, drop, elidable=False)
