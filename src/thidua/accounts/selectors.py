from dataclasses import dataclass
from datetime import datetime

from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.models import TOTPEnrolment, User
from thidua.accounts.services import totp_locked_until
from thidua.core.clock import now as clock_now


@dataclass
class TOTPStatus:
    device: TOTPDevice | None  # the confirmed authenticator
    locked_until: datetime | None  # wrong codes have locked it until then
    open_enrolment: TOTPEnrolment | None  # a code issued and not yet used, revoked or expired


def totp_status_for(user: User) -> TOTPStatus:
    """What the user page shows about an account's second factor (for its administrators)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    enrolment = (
        TOTPEnrolment.objects.filter(
            user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=clock_now()
        )
        .order_by("-issued_at")
        .first()
    )
    return TOTPStatus(
        device=device,
        locked_until=totp_locked_until(device) if device else None,
        open_enrolment=enrolment,
    )
