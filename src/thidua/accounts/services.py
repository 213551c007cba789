"""Second factor: TOTP sign-in with throttling and lockout, and enrolment by one-time code.

A password alone never enrols an authenticator (issue 18, M1): the account first redeems a code
an administrator issued (`totp_enrolment_create`), which opens a short set-up window for one new
device in that browser session. Every wrong code is counted on the device and committed even
though the attempt fails; after `failure_limit()` wrong codes in a row the device refuses every
code, the right one included, for `lockout()` (issue 18, H1).
"""

import hashlib
import logging
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.models import TOTPEnrolment, User
from thidua.core.clientip import client_ip
from thidua.core.clock import now as clock_now
from thidua.core.services import action_log_record

security_log = logging.getLogger("thidua.security")

ENROL_SESSION_KEY = "thidua_totp_enrolment"
# Letters and digits that cannot be mistaken for one another when read aloud or typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 60 bits
SETUP_WINDOW = timedelta(hours=1)  # from redeeming the code to confirming the new device

WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Vui lòng thử lại."


def failure_limit() -> int:
    return int(getattr(settings, "THIDUA_TOTP_FAILURE_LIMIT", 5))


def lockout() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "THIDUA_TOTP_LOCKOUT_MINUTES", 15)))


def enrolment_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "THIDUA_TOTP_ENROLMENT_HOURS", 72)))


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M ngày %d/%m/%Y")


# --- Lockout state --------------------------------------------------------------------------


def totp_locked_until(device: TOTPDevice, now: datetime | None = None) -> datetime | None:
    """When the device's lockout ends, or None when it accepts codes."""
    if device.throttling_failure_count < failure_limit() or not device.throttling_failure_timestamp:
        return None
    until = device.throttling_failure_timestamp + lockout()
    return until if until > (now or clock_now()) else None


def totp_waiting_until(device: TOTPDevice) -> datetime | None:
    """django-otp's back-off after a wrong code (1, 2, 4, 8 … seconds), or None."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info:
        return None
    until = info.get("locked_until")
    return until if isinstance(until, datetime) else None


# --- Enrolment ------------------------------------------------------------------------------


def _code_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def totp_enrolment_create(
    *, actor: User | None, user: User, sent_to: str = ""
) -> tuple[TOTPEnrolment, str]:
    """A new one-time enrolment code for `user`; codes still open are revoked. Returns the row
    and the code, which is never stored. The caller checks the actor's right (organizations
    services for the staff page; None is the installer's command line)."""
    now = clock_now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time
        revoked = TOTPEnrolment.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=now
        ).exclude(device__confirmed=True)
        revoked.update(revoked_at=now)
        code = _new_code()
        enrolment = TOTPEnrolment.objects.create(
            user=user,
            code_hash=_code_hash(code),
            issued_by=actor,
            issued_at=now,
            expires_at=now + enrolment_lifetime(),
            sent_to=sent_to,
        )
        action_log_record(
            actor=actor,
            action="accounts.totp.enrolment_issued",
            target=user,
            data={"enrolment": enrolment.pk, "expires_at": enrolment.expires_at.isoformat(),
                  "by_mail": bool(sent_to)},
        )  # fmt: skip
    return enrolment, code


def totp_enrolment_redeem(*, request: HttpRequest, user: User, code: str) -> TOTPEnrolment:
    """Use a one-time code: it is spent at once, and this browser session may now set up one
    new authenticator during SETUP_WINDOW. A wrong code is logged."""
    now = clock_now()
    digest = _code_hash(code)
    with transaction.atomic():
        enrolment = TOTPEnrolment.objects.filter(user=user, code_hash=digest).first()
        claimed = (
            enrolment is not None
            and TOTPEnrolment.objects.filter(
                pk=enrolment.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
            ).update(used_at=now)
            == 1
        )
        if not claimed or enrolment is None:
            action_log_record(
                actor=user,
                action="accounts.totp.enrolment_failed",
                target=user,
                data={"ip": client_ip(request)},
            )
        else:
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()  # stale set-ups
            device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
            enrolment.device = device
            enrolment.used_at = now
            enrolment.save(update_fields=["device"])
            action_log_record(
                actor=user,
                action="accounts.totp.enrolment_redeemed",
                target=user,
                data={"enrolment": enrolment.pk, "ip": client_ip(request)},
            )
    if not claimed or enrolment is None:
        security_log.warning(
            "enrolment code refused", extra={"user_id": user.pk, "client_ip": client_ip(request)}
        )
        raise ValidationError(
            "Mã kích hoạt không đúng, đã dùng, đã bị thu hồi hoặc đã hết hạn. "
            "Hãy liên hệ quản trị hệ thống để được cấp mã mới."
        )
    request.session[ENROL_SESSION_KEY] = enrolment.pk
    return enrolment


def totp_enrolment_in_progress(*, request: HttpRequest, user: User) -> TOTPEnrolment | None:
    """The enrolment this session redeemed, while its set-up window is open."""
    pk = request.session.get(ENROL_SESSION_KEY)
    if not pk:
        return None
    enrolment = (
        TOTPEnrolment.objects.select_related("device")
        .filter(pk=pk, user=user, revoked_at__isnull=True, used_at__isnull=False)
        .first()
    )
    if (
        enrolment is None
        or enrolment.device is None
        or enrolment.device.confirmed
        or enrolment.used_at is None
        or enrolment.used_at + SETUP_WINDOW <= clock_now()
    ):
        request.session.pop(ENROL_SESSION_KEY, None)
        return None
    return enrolment


def totp_secret_b32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


# --- Verification ---------------------------------------------------------------------------


@dataclass
class _Outcome:
    device: TOTPDevice | None
    ok: bool = False
    message: str = WRONG_CODE


def totp_verify(*, request: HttpRequest, user: User, token: str) -> TOTPDevice:
    """Check a six-digit code on the account's confirmed device, or on the device this session
    is enrolling (confirmed by its first good code, replacing any older one). Marks the session
    verified. The failure counter, the lockout and the log commit even when the code is wrong."""
    token = token.strip().replace(" ", "")
    enrolment = totp_enrolment_in_progress(request=request, user=user)
    ip = client_ip(request)
    with transaction.atomic():
        outcome = _verify_locked(user=user, token=token, enrolment=enrolment, ip=ip)
    if not outcome.ok or outcome.device is None:
        security_log.warning("second factor refused", extra={"user_id": user.pk, "client_ip": ip})
        raise ValidationError(outcome.message)
    if enrolment is not None:
        request.session.pop(ENROL_SESSION_KEY, None)
    otp_login(request, outcome.device)
    return outcome.device


def _verify_locked(*, user: User, token: str, enrolment: TOTPEnrolment | None, ip: str) -> _Outcome:
    devices = TOTPDevice.objects.select_for_update().filter(user=user)
    if enrolment is not None:
        devices = devices.filter(pk=enrolment.device_id, confirmed=False)
    else:
        devices = devices.filter(confirmed=True)
    device = devices.order_by("pk").first()  # one row locked: parallel guesses queue here
    if device is None:
        return _Outcome(None, message="Tài khoản chưa có ứng dụng xác thực. Hãy nhập mã kích hoạt.")
    now = clock_now()
    locked = totp_locked_until(device, now)
    waiting = totp_waiting_until(device) if locked is None else None
    if locked is not None or waiting is not None:
        action_log_record(
            actor=user,
            action="accounts.totp.refused",
            target=user,
            data={"reason": "locked" if locked else "throttled", "ip": ip},
        )
        if locked is not None:
            return _Outcome(device, message=_locked_message(locked))
        seconds = max(1, int(((waiting or now) - now).total_seconds()) + 1)
        return _Outcome(
            device, message=f"Bạn vừa nhập sai mã. Vui lòng đợi {seconds} giây rồi thử lại."
        )
    if device.verify_token(token):  # resets the counter and saves on success
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            replaced, _ = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            action_log_record(
                actor=user,
                action="accounts.totp.confirmed",
                target=user,
                data={"enrolment": enrolment.pk if enrolment else None, "replaced": replaced},
            )
        return _Outcome(device, ok=True)
    # verify_token counted the failure on the row (throttle_increment saved it); it commits
    # with this transaction because nothing below raises.
    failures = device.throttling_failure_count
    action_log_record(
        actor=user,
        action="accounts.totp.failed",
        target=user,
        data={"failures": failures, "ip": ip},
    )
    if failures >= failure_limit():
        locked = device.throttling_failure_timestamp + lockout()
        if failures == failure_limit():
            action_log_record(
                actor=user,
                action="accounts.totp.locked",
                target=user,
                data={"failures": failures, "until": locked.isoformat(), "ip": ip},
            )
        return _Outcome(device, message=_locked_message(locked))
    left = failure_limit() - failures
    return _Outcome(device, message=f"{WRONG_CODE} Còn {left} lần thử trước khi bị tạm khóa.")


def _locked_message(until: datetime) -> str:
    return (
        f"Bạn đã nhập sai mã xác thực {failure_limit()} lần liên tiếp. Vì an toàn, xác thực hai "
        f"lớp của tài khoản này tạm khóa đến {_local(until)}; trong thời gian này mọi mã đều bị "
        "từ chối. Nếu không phải bạn đăng nhập, hãy báo ngay cho quản trị hệ thống."
    )


def totp_enrolment_mail(*, enrolment: TOTPEnrolment, code: str) -> None:
    """Send the code to the account's mailbox (after the issue committed). When the mail server
    refuses it, the code is revoked (logged, in the issuer's name) and the caller gets a
    Vietnamese error."""
    user = enrolment.user
    body = render_to_string(
        "accounts/totp_enrolment_email.txt",
        {
            "user": user,
            "code": code,
            "expires": _local(enrolment.expires_at),
            "url": f"{settings.SITE_URL}{reverse('accounts:totp-enrol')}",
        },
    )
    try:
        send_mail("Mã kích hoạt xác thực hai lớp – Thi đua", body, None, [enrolment.sent_to])
    except Exception as exc:
        security_log.exception("enrolment mail failed", extra={"user_id": user.pk})
        with transaction.atomic():
            revoked = TOTPEnrolment.objects.filter(
                pk=enrolment.pk, used_at__isnull=True, revoked_at__isnull=True
            ).update(revoked_at=clock_now())
            if revoked:
                action_log_record(
                    actor=enrolment.issued_by,
                    action="accounts.totp.enrolment_revoked",
                    target=user,
                    data={"enrolment": enrolment.pk, "reason": "mail_failed"},
                )
        raise ValidationError(
            f"Không gửi được thư tới {enrolment.sent_to}; mã vừa cấp đã bị thu hồi. Hãy thử lại "
            "sau, hoặc chọn “Cấp mã và hiển thị” để đưa mã trực tiếp."
        ) from exc
