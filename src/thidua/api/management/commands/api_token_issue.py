from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.api.models import TokenAccess
from thidua.api.services import token_issue
from thidua.organizations.models import Unit


class Command(BaseCommand):
    help = "Issue an API token for an integration, scoped to units (prints the secret once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("unit_codes", nargs="+")
        parser.add_argument("--write", action="store_true", help="read and write")
        parser.add_argument("--role", default="unit_officer")
        parser.add_argument("--rate", type=int, default=120)

    def handle(self, *args: Any, **options: Any) -> None:
        units = list(Unit.objects.filter(code__in=options["unit_codes"]))
        if len(units) != len(set(options["unit_codes"])):
            raise CommandError("Không tìm thấy một số mã đơn vị.")
        _token, secret = token_issue(
            actor=None,
            name=options["name"],
            units=units,
            role=options["role"],
            access=TokenAccess.WRITE if options["write"] else TokenAccess.READ,
            rate_per_minute=options["rate"],
        )
        self.stdout.write(secret)
