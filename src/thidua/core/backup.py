"""Consistent backups (database + uploaded files) and restore into an empty database.

A backup is a folder `thidua-<UTC time>/` holding the database (`database.dump`, pg_dump custom
format, or `database.sqlite3`), `media/` (a copy of MEDIA_ROOT) and `manifest.json`: engine,
time, applied migrations, the row count of every table and a SHA-256 for every file.

Consistency: on PostgreSQL the row counts and pg_dump read one exported snapshot (REPEATABLE
READ + `pg_dump --snapshot`), so counts match the dump exactly while the service keeps writing;
on SQLite the online backup API copies a consistent image and the counts are read from the copy.
Files are copied after the database snapshot, so every file a row refers to already exists.

Restore checks every checksum first, refuses a database that has tables or a media folder that
has files, loads the dump (pg_restore / SQLite backup API), copies the files, then compares row
counts and file checksums with the manifest. Restoring across engines is not supported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _file_entry(path: Path) -> dict[str, Any]:
    return {"sha256": sha256_of(path), "size": path.stat().st_size}


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Unsupported database engine: {vendor}")
    return vendor


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - introspected names
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["-d", str(db["NAME"])]
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def media_is_local() -> bool:
    return bool(
        settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    )


def _pg_tool(name: str) -> str:
    """pg_dump/pg_restore from PG_BIN (match the server's major version) or the PATH."""
    folder = os.environ.get("PG_BIN")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise BackupError(f"{name} not found; install postgresql-client or set PG_BIN.")
    return found


def _copy_media(source: Path, target: Path) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    if not source.exists():
        return files
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        files[relative] = _file_entry(destination)
    return files


@contextlib.contextmanager
def _private_umask() -> Iterator[None]:
    """Files created meanwhile (by us or pg_dump) are the owner's only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _lock_down(root: Path) -> None:
    """Folders 0700, files 0600 (shutil.copy2 carried the uploads' own modes over)."""
    root.chmod(PRIVATE_DIR)
    for path in root.rglob("*"):
        path.chmod(PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def backup_create(dest: Path, *, now: datetime | None = None) -> Path:
    """Write one consistent backup under `dest` and return its folder. Backups hold every
    personal record: `dest` and the backup are 0700, every file 0600 (issue 18, L7)."""
    with _private_umask():
        dest.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        dest.chmod(PRIVATE_DIR)
        return _backup_create(dest, now=now)


def _backup_create(dest: Path, *, now: datetime | None) -> Path:
    engine = _engine()
    stamp = (now or datetime.now(tz=UTC)).strftime("%Y%m%dT%H%M%SZ")
    folder = dest / f"thidua-{stamp}"
    if folder.exists():
        raise BackupError(f"{folder} already exists")
    partial = dest / f".thidua-{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True, mode=PRIVATE_DIR)
    if engine == "postgresql":
        db_name, counts = _backup_postgresql(partial)
    else:
        db_name, counts = _backup_sqlite(partial)
    # Object storage keeps its own versions (a versioned bucket); only a local folder is copied.
    media = _copy_media(Path(settings.MEDIA_ROOT), partial / "media") if media_is_local() else {}
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "database_file": {"name": db_name, **_file_entry(partial / db_name)},
        "tables": counts,
        "rows": sum(counts.values()),
        "media": media,
        "media_storage": "folder" if media_is_local() else "object storage (not copied)",
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    _lock_down(partial)
    partial.rename(folder)  # a folder without ".partial" is always complete
    return folder


def _backup_postgresql(folder: Path) -> tuple[str, dict[str, int]]:
    args, env = _pg_args()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    # One snapshot for the counts and the dump: exported by a REPEATABLE READ transaction that
    # stays open until pg_dump has started reading from it. Statements are sent by hand on an
    # autocommit connection, outside any Django atomic block.
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction.")
    target = folder / "database.dump"
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(cursor, tables)
            command = [_pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges"]
            proc = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [*command, f"--snapshot={snapshot}", "-f", str(target), *args],
                env=env,
                check=False,
                capture_output=True,
            )
        finally:
            cursor.execute("ROLLBACK")
    if proc.returncode:
        raise BackupError(f"pg_dump failed: {proc.stderr.decode(errors='replace')}")
    return "database.dump", counts


def _backup_sqlite(folder: Path) -> tuple[str, dict[str, int]]:
    connection.ensure_connection()
    target = folder / "database.sqlite3"
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = table_counts(copy.cursor(), tables)
    finally:
        copy.close()
    return "database.sqlite3", counts


@dataclass
class Verification:
    tables_checked: int = 0
    rows: int = 0
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"No {MANIFEST} in {folder}")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}")
    return manifest


def backup_verify_files(folder: Path, manifest: dict[str, Any]) -> Verification:
    """Checksums of the backup's own files: run before restoring anything."""
    result = Verification()
    db_file = manifest["database_file"]
    if sha256_of(folder / db_file["name"]) != db_file["sha256"]:
        result.problems.append(f"{db_file['name']}: checksum differs")
    for relative, entry in manifest["media"].items():
        path = folder / "media" / relative
        if not path.exists():
            result.problems.append(f"media/{relative}: missing")
        elif sha256_of(path) != entry["sha256"]:
            result.problems.append(f"media/{relative}: checksum differs")
        result.files_checked += 1
    return result


def _existing_tables() -> list[str]:
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def backup_restore(folder: Path) -> Verification:
    """Restore into an empty database and media folder, then compare with the manifest."""
    manifest = read_manifest(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"Backup is {manifest['engine']}, the database is {engine}.")
    checked = backup_verify_files(folder, manifest)
    if not checked.ok:
        raise BackupError("Backup is damaged: " + "; ".join(checked.problems))
    if tables := _existing_tables():
        raise BackupError(
            f"The database is not empty ({len(tables)} tables); restore needs an empty one."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not media_is_local() and manifest["media"]:
        raise BackupError("The backup has files but uploads go to object storage here.")
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"{media_root} has files; restore needs an empty media folder.")
    db_path = folder / manifest["database_file"]["name"]
    if engine == "postgresql":
        args, env = _pg_args()
        connection.close()
        proc = subprocess.run(  # noqa: S603
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(db_path),
            ],
            env=env,
            check=False,
            capture_output=True,
        )
        if proc.returncode:
            raise BackupError(f"pg_restore failed: {proc.stderr.decode(errors='replace')}")
    else:
        connection.ensure_connection()
        source = sqlite3.connect(db_path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    _copy_media(folder / "media", media_root)
    return backup_compare(manifest)


def backup_compare(manifest: dict[str, Any]) -> Verification:
    """Row counts of the live database and checksums of MEDIA_ROOT against a manifest."""
    result = Verification()
    connection.close()  # a fresh connection sees the restored schema
    with connection.cursor() as cursor:
        counts = table_counts(cursor, _existing_tables())
    for table, expected in manifest["tables"].items():
        actual = counts.get(table)
        if actual != expected:
            result.problems.append(f"{table}: {actual} rows, backup has {expected}")
        result.tables_checked += 1
        result.rows += actual or 0
    media_root = Path(settings.MEDIA_ROOT)
    for relative, entry in manifest["media"].items():
        path = media_root / relative
        if not path.exists() or sha256_of(path) != entry["sha256"]:
            result.problems.append(f"media/{relative}: missing or different")
        result.files_checked += 1
    return result


def backup_prune(dest: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete backups in `dest`."""
    folders = sorted(p for p in dest.glob("thidua-*") if (p / MANIFEST).exists())
    removed = folders[:-keep] if keep > 0 else []
    for folder in removed:
        shutil.rmtree(folder)
    return removed
