from typing import Any

from django.core.management.base import BaseCommand

from thidua.core import periodic


class Command(BaseCommand):
    help = "Run every registered periodic job once (for cron, or beat without Celery)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, result in periodic.run_all().items():
            self.stdout.write(f"{name}: {result}")
