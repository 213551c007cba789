from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.reporting.services import reminders_send_due


class Command(BaseCommand):
    help = "Send due report reminders now, or as if it were --at dd/mm/yyyy (demo: move the clock)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="dd/mm/yyyy: send what is due up to 17:00 that day")

    def handle(self, *args: Any, **options: Any) -> None:
        at = None
        if options["at"]:
            try:
                day = datetime.strptime(options["at"], "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                raise CommandError("Ngày phải có dạng dd/mm/yyyy") from None
            at = datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
        sent = reminders_send_due(at)
        self.stdout.write(f"Đã gửi {sent} lời nhắc.")
