from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.models import User
from thidua.documents.demo_keys import demo_key_for
from thidua.organizations.models import Unit


class Command(BaseCommand):
    help = (
        "Give a user a DEMO signing key (PKCS#12 from the self-made demo CA, under "
        "THIDUA_SIGNING_KEY_DIR; passphrase from THIDUA_DEMO_SIGNING_PASSPHRASE). Never for "
        "production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("unit_code", help="the body named in the certificate")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        unit = Unit.objects.filter(code=options["unit_code"]).first()
        if user is None or unit is None:
            raise CommandError("Không tìm thấy người dùng hoặc đơn vị.")
        key = demo_key_for(user, unit)
        self.stdout.write(f"Đã cấp khóa ký số demo: {key.pkcs12_file}\n")
