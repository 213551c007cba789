"""What every participation service checks: the campaign is open, the actor acts for the unit."""

from django.core.exceptions import PermissionDenied, ValidationError

from thidua.accounts.models import Role, User
from thidua.campaigns.models import Campaign, Delivery, RecipientRole
from thidua.core.uploads import MIB, UploadKind
from thidua.notifications.services import notify
from thidua.organizations.models import Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.participation import rules

EVIDENCE_KINDS = (UploadKind.IMAGE, UploadKind.PDF, UploadKind.DOCX, UploadKind.XLSX)
# A phone's photo runs to 12 MB and more: the same file the portal's exhibition takes
# (portal.images.MAX_BYTES) is taken as evidence; images are re-encoded smaller when stored.
EVIDENCE_MAX_BYTES = 15 * MIB
MAX_EVIDENCE_FILES = 30
UNIT_ROLES: set[str] = {Role.UNIT_OFFICER, Role.UNIT_HEAD}


def _require_open(campaign: Campaign) -> None:
    if not rules.campaign_accepts_records(campaign):
        raise ValidationError("Phong trào chưa ban hành hoặc đã kết thúc: không thể cập nhật.")


def _require_unit(actor: User, campaign: Campaign, unit: Unit) -> None:
    if not rules.can_act_for(actor, unit.pk):
        raise PermissionDenied
    role = Delivery.objects.filter(campaign=campaign, unit=unit).values_list("role", flat=True)
    if not role:
        raise ValidationError("Kế hoạch không gửi tới đơn vị này.")
    if role[0] != RecipientRole.IMPLEMENT:
        raise ValidationError(
            "Kế hoạch gửi tới đơn vị này để báo cáo hoặc để biết, không giao thực hiện."
        )
    _require_open(campaign)


def _notify_office(campaign: Campaign, title: str, url: str) -> None:
    office = users_with_role_in(
        unit_ids={campaign.standing_agency_id or campaign.owner_unit_id},
        roles={Role.EMULATION_OFFICE},
    )
    notify(users=office, title=title[:255], url=url)
