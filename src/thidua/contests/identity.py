"""An optional one-time code that confirms a contestant's phone number or e-mail address before
the first attempt (Contest.verify_contact).

The code (six digits) is kept only as a keyed hash in the shared cache for ten minutes, with a
count of wrong tries (five, then a new code is needed); sending is limited to one a minute and
five an hour per phone number or e-mail address. E-mail goes through Django's mail backend; SMS through an adapter
named by THIDUA_SMS_BACKEND, whose default writes the message to the log (console) for the demo
and tests: a real SMS gateway is a class with the same `send(to, text)` method.
"""

import hmac
import logging
import secrets
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

from thidua.contests.models import ContactField, Contest, Contestant
from thidua.core.clock import now as clock_now
from thidua.core.services import action_log_record
from thidua.core.text import normalise_phone

SALT = "thidua.contests.identity"
CODE_AGE = timedelta(minutes=10)
MAX_TRIES = 5
SEND_GAP = timedelta(minutes=1)
SENDS_PER_HOUR = 5
sms_log = logging.getLogger("thidua.sms")


class SmsSender(Protocol):
    """A gateway that delivers a text to a Vietnamese mobile number."""

    is_console: bool

    def send(self, to: str, text: str) -> None: ...


class ConsoleSmsSender:
    """No gateway: the message goes to the log (demo, tests, a server without SMS)."""

    is_console = True
    sent: list[tuple[str, str]] = []  # the last messages, for tests and the demo

    def send(self, to: str, text: str) -> None:
        sms_log.warning("SMS (không gửi thật) tới %s: %s", to, text)
        type(self).sent = [*type(self).sent[-49:], (to, text)]


def sms_sender() -> SmsSender:
    path = getattr(settings, "THIDUA_SMS_BACKEND", "") or f"{__name__}.ConsoleSmsSender"
    sender: SmsSender = import_string(path)()
    return sender


def needs_verification(contestant: Contestant) -> bool:
    contest = contestant.contest
    return (
        contest.verify_contact
        and contest.contact_field != ContactField.NONE
        and contestant.contact_verified_at is None
    )


def check_contest_setting(contest: Contest) -> None:
    """Switching the code on needs a contact field to send it to, and a real SMS gateway in
    production when that field is the phone."""
    if not contest.verify_contact:
        return
    if contest.contact_field == ContactField.NONE:
        raise ValidationError(
            "Muốn xác minh bằng mã, hãy chọn hỏi số điện thoại hoặc thư điện tử của người dự thi."
        )
    if (
        contest.contact_field == ContactField.PHONE
        and getattr(settings, "PRODUCTION", False)
        and getattr(sms_sender(), "is_console", False)
    ):
        raise ValidationError(
            "Máy chủ chưa được cấu hình dịch vụ gửi tin nhắn SMS (THIDUA_SMS_BACKEND): hãy xác "
            "minh qua thư điện tử hoặc liên hệ quản trị hệ thống."
        )


def destination(contestant: Contestant) -> str:
    """Where the code goes, masked for the page: "09•••••678", "a•••@example.vn"."""
    if contestant.contest.contact_field == ContactField.EMAIL:
        name, _, domain = contestant.email.partition("@")
        return f"{name[:1]}•••@{domain}"
    digits = "".join(c for c in contestant.phone if c.isdigit())
    return f"{digits[:2]}{'•' * max(0, len(digits) - 5)}{digits[-3:]}"


def _key(contestant: Contestant) -> str:
    return f"contest-otp:{contestant.pk}"


def _digest(contestant: Contestant, code: str) -> str:
    return salted_hmac(SALT, f"{contestant.pk}:{code}").hexdigest()


def _sent_key(contestant: Contestant) -> str:
    """Sends are counted per phone number or mailbox, not per registration: registering again
    and again with someone else's number must not flood that phone (or mailbox) with codes.
    Keyed by a hash: no contact data in the cache's keys."""
    if contestant.contest.contact_field == ContactField.EMAIL:
        to = contestant.email.strip().lower()
    else:
        to = normalise_phone(contestant.phone)
    return f"contest-otp-sent:{salted_hmac(SALT, to).hexdigest()[:32]}"


def code_send(*, contestant: Contestant, now: datetime | None = None) -> str:
    """Make and send a new code (the previous one stops working). Returns the masked
    destination. Refused when the contact is already confirmed, or when asked too often."""
    now = now or clock_now()
    if not needs_verification(contestant):
        raise ValidationError("Thông tin liên hệ của bạn đã được xác minh.")
    sent: list[float] = [
        t for t in cache.get(_sent_key(contestant), []) if t > now.timestamp() - 3600
    ]
    if sent and now.timestamp() - sent[-1] < SEND_GAP.total_seconds():
        raise ValidationError("Mã vừa được gửi. Hãy chờ một phút rồi yêu cầu gửi lại.")
    if len(sent) >= SENDS_PER_HOUR:
        raise ValidationError("Bạn đã yêu cầu gửi mã quá nhiều lần. Hãy thử lại sau một giờ.")
    code = f"{secrets.randbelow(1_000_000):06d}"
    text = (
        f"Mã xác minh dự thi “{contestant.contest.title}” của bạn là {code}. Mã có hiệu lực "
        f"{int(CODE_AGE.total_seconds() // 60)} phút. Không đưa mã này cho người khác."
    )
    try:
        if contestant.contest.contact_field == ContactField.EMAIL:
            send_mail("Mã xác minh người dự thi", text, None, [contestant.email])
        else:
            sms_sender().send(contestant.phone, text)
    except Exception as exc:
        logging.getLogger(__name__).exception("contest code not sent")
        raise ValidationError("Chưa gửi được mã xác minh. Hãy thử lại sau ít phút.") from exc
    age = int(CODE_AGE.total_seconds())
    cache.set(_key(contestant), {"digest": _digest(contestant, code), "tries": 0,
                                 "until": (now + CODE_AGE).timestamp()}, age)  # fmt: skip
    cache.set(_sent_key(contestant), [*sent, now.timestamp()], 3600)
    with transaction.atomic():
        action_log_record(
            actor=None,
            action="contests.contestant.code_sent",
            target=contestant,
            data={"channel": contestant.contest.contact_field},
        )
    return destination(contestant)


def code_confirm(*, contestant: Contestant, code: str, now: datetime | None = None) -> Contestant:
    """Check the code typed in; the contact is confirmed once, for every later attempt."""
    now = now or clock_now()
    if not needs_verification(contestant):
        return contestant
    stored = cache.get(_key(contestant))
    if stored is None or stored["until"] < now.timestamp():
        raise ValidationError("Mã đã hết hạn hoặc chưa được gửi. Hãy bấm “Gửi mã”.")
    if stored["tries"] >= MAX_TRIES:
        raise ValidationError("Bạn đã nhập sai quá nhiều lần. Hãy bấm “Gửi lại mã” để nhận mã mới.")
    typed = "".join(c for c in code if c.isdigit())
    if not hmac.compare_digest(stored["digest"], _digest(contestant, typed)):
        stored["tries"] += 1
        cache.set(_key(contestant), stored, max(1, int(stored["until"] - now.timestamp())))
        left = MAX_TRIES - stored["tries"]
        raise ValidationError(
            f"Mã chưa đúng. Bạn còn {left} lần nhập." if left else "Mã chưa đúng. Hãy gửi lại mã."
        )
    with transaction.atomic():
        c = Contestant.objects.select_for_update().get(pk=contestant.pk)
        if c.contact_verified_at is None:
            c.contact_verified_at = now
            c.save(update_fields=["contact_verified_at"])
            action_log_record(
                actor=None,
                action="contests.contestant.contact_verified",
                target=c,
                data={"channel": contestant.contest.contact_field},
            )
    cache.delete(_key(contestant))
    contestant.contact_verified_at = c.contact_verified_at
    return contestant
