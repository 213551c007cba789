"""PostgreSQL privileges of the application role (issue 18, M5; docs/security.md).

Production runs two roles: a migration role that owns the schema (runs `migrate`, `restore`
and this command) and an application role that the web servers and workers log in as. The
application role may read and write rows, never TRUNCATE, create, alter or drop anything; on
the action log it may only read and insert. An owner could disable the append-only triggers,
so the application must not be the owner.
"""

from django.db import connection

APPEND_ONLY_TABLES = ("core_actionlog",)


def app_role_grants(role: str) -> list[str]:
    """The statements, in order, that give `role` exactly the application's rights."""
    name = connection.ops.quote_name(role)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
        f"REVOKE CREATE ON SCHEMA public FROM {name}",
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
        # Tables and sequences that later migrations create (as the role running this) too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}",
    ]
    statements += [
        f"REVOKE UPDATE, DELETE ON {connection.ops.quote_name(table)} FROM {name}"
        for table in APPEND_ONLY_TABLES
    ]
    return statements
