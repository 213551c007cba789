from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the Bắc Ninh demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        from thidua import demo  # demo.py sits above every app (see the import-linter contract)

        demo.load()
        self.stdout.write("\n" + "\n".join(demo.login_lines()))
        self.stdout.write(f"Mở {settings.SITE_URL} để dùng thử.\n")
