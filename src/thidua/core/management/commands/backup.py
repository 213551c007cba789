from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.core import backup


class Command(BaseCommand):
    help = (
        "Consistent backup: database dump and uploaded files, with a manifest of row counts and "
        "SHA-256 checksums (PostgreSQL or SQLite)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dest", type=Path, required=True, help="folder for backups")
        parser.add_argument("--keep", type=int, default=0, help="keep only the newest N backups")

    def handle(self, *args: Any, **options: Any) -> None:
        dest: Path = options["dest"]
        dest.mkdir(parents=True, exist_ok=True)
        try:
            folder = backup.backup_create(dest)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.read_manifest(folder)
        self.stdout.write(
            f"{folder}: {len(manifest['tables'])} tables, {manifest['rows']} rows, "
            f"{len(manifest['media'])} files"
        )
        for removed in backup.backup_prune(dest, options["keep"]):
            self.stdout.write(f"removed {removed}")
