from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an EMPTY database and media folder, then compare row "
        "counts and file checksums with its manifest. --check only verifies the backup's files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--check", action="store_true", help="verify checksums only")

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        try:
            manifest = backup.read_manifest(folder)
            if options["check"]:
                result = backup.backup_verify_files(folder, manifest)
            else:
                result = backup.backup_restore(folder)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for problem in result.problems:
            self.stderr.write(problem)
        if not result.ok:
            raise CommandError(f"{len(result.problems)} differences from the manifest")
        self.stdout.write(
            f"OK: {result.tables_checked} tables, {result.rows} rows, "
            f"{result.files_checked} files match the manifest"
        )
