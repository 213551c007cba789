from base64 import b32encode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.models import User
from thidua.core.services import action_log_record


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device, created on first visit so the QR code stays stable."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Ứng dụng xác thực"}
    )
    return device


def totp_secret_b32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_verify(*, request: HttpRequest, user: User, token: str) -> TOTPDevice:
    """Check a six-digit code; on first success confirm the device. Marks the session verified."""
    token = token.strip().replace(" ", "")
    with transaction.atomic():
        devices = list(TOTPDevice.objects.filter(user=user).order_by("-confirmed"))
        device = next((d for d in devices if d.verify_token(token)), None)
        if device is None:
            raise ValidationError("Mã xác thực không đúng hoặc đã hết hạn. Vui lòng thử lại.")
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            action_log_record(actor=user, action="accounts.totp.confirmed", target=device)
    otp_login(request, device)
    return device
