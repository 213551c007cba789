"""Backups: manifest, checksums, and the restore drill (demo data → backup → empty database)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from thidua.core import backup
from thidua.organizations.models import Unit

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def media_file(settings):
    path = Path(settings.MEDIA_ROOT) / "evidence" / "2026" / "anh-hoat-dong.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xff\xd8\xff\xe0 not really a photo " * 100)
    return path


@pytest.mark.django_db(transaction=True)
def test_backup_writes_counts_and_checksums(city, media_file, tmp_path):
    folder = backup.backup_create(tmp_path / "backups")
    manifest = backup.read_manifest(folder)
    assert folder.name.startswith("thidua-")
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"][Unit._meta.db_table] == Unit.objects.count() == 6
    assert manifest["tables"]["django_migrations"] > 0
    entry = manifest["media"]["evidence/2026/anh-hoat-dong.jpg"]
    assert entry["sha256"] == backup.sha256_of(media_file)
    assert (
        folder / "media/evidence/2026/anh-hoat-dong.jpg"
    ).read_bytes() == media_file.read_bytes()
    assert backup.backup_verify_files(folder, manifest).ok
    assert not list((tmp_path / "backups").glob(".*partial"))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_detected(city, media_file, tmp_path):
    folder = backup.backup_create(tmp_path)
    (folder / "media/evidence/2026/anh-hoat-dong.jpg").write_bytes(b"changed")
    result = backup.backup_verify_files(folder, backup.read_manifest(folder))
    assert result.problems == ["media/evidence/2026/anh-hoat-dong.jpg: checksum differs"]
    with pytest.raises(CommandError, match="1 differences"):
        call_command("restore", str(folder), "--check")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(city, tmp_path):
    folder = backup.backup_create(tmp_path)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(folder))
    assert Unit.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_prune_keeps_the_newest(tmp_path):
    from datetime import UTC, datetime

    for day in (1, 2, 3):
        backup.backup_create(tmp_path, now=datetime(2026, 11, day, tzinfo=UTC))
    removed = backup.backup_prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["thidua-20261101T000000Z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "thidua-20261102T000000Z",
        "thidua-20261103T000000Z",
    ]


def _scratch_database_url(tmp_path: Path) -> tuple[str, object]:
    """An empty database of the same engine: the wiped server the backup is restored to."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
    import psycopg

    name = f"{db['NAME']}_restore"
    admin = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"

    def drop() -> None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_restore_drill_demo_data_backup_wipe_restore_compare(tmp_path, settings):
    """CI drill: demo data and files → backup → restore into an empty database → compare."""
    settings.THIDUA_TOTP_REQUIRED = False
    call_command("demo_load", stdout=io.StringIO())
    folder = backup.backup_create(tmp_path / "backups")
    manifest = backup.read_manifest(folder)
    assert manifest["rows"] > 1000
    assert len(manifest["media"]) > 10  # the demo's evidence files and dossiers

    url, drop = _scratch_database_url(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}},
        "DATABASE_URL": url,
        "THIDUA_VAR_DIR": str(tmp_path / "wiped-server"),
    }
    try:
        restored = subprocess.run(  # noqa: S603
            [sys.executable, "src/manage.py", "restore", str(folder)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert restored.returncode == 0, restored.stderr
        assert f"{len(manifest['tables'])} tables, {manifest['rows']} rows" in restored.stdout
        # Independently of the command's own comparison: every file is back, byte for byte.
        media_root = tmp_path / "wiped-server" / "media"
        for relative, entry in manifest["media"].items():
            assert backup.sha256_of(media_root / relative) == entry["sha256"]
        counted = subprocess.run(
            [
                sys.executable,
                "src/manage.py",
                "shell",
                "-c",
                "import json; from django.db import connection; from thidua.core.backup import "
                "table_counts, _existing_tables; print(json.dumps(table_counts("
                "connection.cursor(), _existing_tables())))",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(counted.stdout.strip().splitlines()[-1]) == manifest["tables"]
    finally:
        if drop is not None:
            drop()


@pytest.mark.django_db(transaction=True)
def test_backups_are_readable_by_their_owner_only(city, media_file, tmp_path):
    """Issue 18, L7: a backup holds every personal record. Uploads copied with their own
    (world-readable) modes and pg_dump's file are locked down too: 0600 files, 0700 folders."""
    media_file.chmod(0o644)
    dest = tmp_path / "backups"
    dest.mkdir(mode=0o755)
    dest.chmod(0o755)
    folder = backup.backup_create(dest)
    assert oct(dest.stat().st_mode & 0o777) == "0o700"
    paths = [folder, *folder.rglob("*")]
    assert len(paths) >= 6  # folder, database file, manifest, media/evidence/2026/<file>
    modes = {p.relative_to(tmp_path).as_posix(): oct(p.stat().st_mode & 0o777) for p in paths}
    expected = {
        p.relative_to(tmp_path).as_posix(): "0o700" if p.is_dir() else "0o600" for p in paths
    }
    assert modes == expected


def test_every_systemd_unit_runs_with_a_private_umask():
    """UMask=0077 in each service unit: nothing a service writes is readable by others."""
    units = sorted((REPO / "deploy" / "systemd").glob("*.service"))
    assert len(units) == 4
    for unit in units:
        assert "\nUMask=0077\n" in unit.read_text(), unit.name
