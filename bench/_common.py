"""Set-up shared by the benchmarks: a private database (SQLite file, or a temporary database on
the running PostgreSQL server) and progress on stderr."""

from __future__ import annotations

import argparse
import os
import random
import secrets
import socket
import sys
from pathlib import Path

# The running server's maintenance database, where temporary databases are created and dropped.
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_PREFIX = os.environ.get("BENCH_DB_PREFIX", "bench_")
_temporary: list[str] = []


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    """A loopback port for a server we start, below the kernel's ephemeral range: a random port
    inside it can be the local end of one of the load's own connections when the server binds
    (EADDRINUSE: the server never comes up), as can a port the kernel hands out for port 0."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    while True:
        port = random.randint(10000, low - 1)
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def add_database_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="sqlite: a file in a temporary folder; postgres: a temporary database on the "
        f"running server (BENCH_PG_SERVER, default {PG_SERVER}), dropped at the end",
    )


def _server_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def setup_django(var_dir: str, database: str = "sqlite") -> None:
    """Point the settings at a private database before Django reads them, and migrate."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    os.environ["THIDUA_TOTP_REQUIRED"] = "0"
    os.environ["THIDUA_VAR_DIR"] = var_dir
    # Measure what production runs: no per-query debug logging, no template debug info.
    os.environ["DEBUG"] = "0"
    # Never reach a real database or cache that happens to be configured in the shell.
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "THIDUA_ENV"):
        os.environ.pop(name, None)
    if database == "postgres":
        name = f"{PG_PREFIX}{os.getpid()}_{secrets.token_hex(3)}"
        _server_execute(f'CREATE DATABASE "{name}"')
        _temporary.append(name)
        os.environ["DATABASE_URL"] = f"{PG_SERVER.rsplit('/', 1)[0]}/{name}"
        log(f"temporary PostgreSQL database {name}")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    db_name = str(settings.DATABASES["default"]["NAME"])
    if database == "sqlite" and not db_name.startswith(var_dir):
        raise SystemExit(f"refusing to run: database {db_name} is outside {var_dir}")
    if database == "postgres" and db_name not in _temporary:
        raise SystemExit(f"refusing to run: database {db_name} is not the temporary one")
    call_command("migrate", verbosity=0, interactive=False)


def teardown_database() -> None:
    """Close Django's connections and drop the temporary PostgreSQL database, if any."""
    from django.db import connections

    connections.close_all()
    while _temporary:
        name = _temporary.pop()
        _server_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped {name}")


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def settle() -> None:
    """After a bulk build on PostgreSQL: what autovacuum does to a table that just took
    thousands of inserts (statistics, and the visibility map that lets a count or an id walk
    read the index alone). Measuring before it has run measures a state no live server
    stays in."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
