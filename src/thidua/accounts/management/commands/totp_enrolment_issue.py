from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.accounts.models import User
from thidua.accounts.services import totp_enrolment_create
from thidua.core.clock import datetime_text


class Command(BaseCommand):
    help = (
        "Issue a one-time two-factor enrolment code for an account (prints it once): the first "
        "system administrator's, or anyone's when no administrator can sign in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("Không có tài khoản đang hoạt động với tên đăng nhập này.")
        enrolment, code = totp_enrolment_create(actor=None, user=user)
        expires = datetime_text(enrolment.expires_at)
        self.stdout.write(code)
        self.stderr.write(f"Mã kích hoạt cho {user.username}, dùng một lần, hết hạn {expires}.")
