"""A unit's users act for their own unit; Nội vụ reviews; city roles see everything."""

from datetime import date

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus, Delivery, RecipientRole
from thidua.campaigns.rules import runs_campaign
from thidua.core.text import vn_thousands
from thidua.organizations.rules import AnyUser, roles_of
from thidua.participation.models import Registration

ACTIVE = {
    CampaignStatus.ISSUED,
    CampaignStatus.RUNNING,
    CampaignStatus.INTERIM_REVIEW,
    CampaignStatus.FINAL_REVIEW,
}


# People at one activity: a city-wide rally gathers tens of thousands; a figure beyond this is a
# typing slip that would swell every total (and overflow PostgreSQL's integer column).
MAX_PARTICIPANTS = 1_000_000
PARTICIPANTS_RANGE = f"Số người tham gia từ 0 đến {vn_thousands(MAX_PARTICIPANTS)}."


def campaign_accepts_records(campaign: Campaign) -> bool:
    return campaign.status in ACTIVE


def _period_text(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    return f"từ {start:%d/%m/%Y}" if start else f"đến {end:%d/%m/%Y}" if end else ""


def activity_date_errors(
    campaign: Campaign, held_on: date | None, ends_on: date | None, *, today: date
) -> dict[str, str]:
    """Why an activity's dates cannot be recorded, by field (empty when they can): it has not
    happened yet (held after today, in Asia/Ho_Chi_Minh), or a day lies outside the campaign's
    period when the plan has one. An end after today is an activity still going on: allowed."""
    errors: dict[str, str] = {}
    if held_on and held_on > today:
        errors["held_on"] = (
            f"Hoạt động chưa diễn ra: ngày tổ chức {held_on:%d/%m/%Y} là sau hôm nay "
            f"({today:%d/%m/%Y})."
        )
    start, end = campaign.period_start, campaign.period_end
    for field, day, label in (
        ("held_on", held_on, "Ngày tổ chức"),
        ("ends_on", ends_on, "Ngày kết thúc"),
    ):
        if day and field not in errors and ((start and day < start) or (end and day > end)):
            errors[field] = (
                f"{label} {day:%d/%m/%Y} nằm ngoài thời gian của phong trào "
                f"({_period_text(start, end)})."
            )
    return errors


def can_act_for(user: AnyUser, unit_id: int) -> bool:
    return unit_id in roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_change_records(user: AnyUser, campaign: Campaign, unit_id: int) -> bool:
    """What services.common._require_unit lets through, asked by a page before it offers an
    edit or a delete: the unit's officer or head, the plan sent to the unit to carry out, the
    campaign still taking records."""
    return (
        can_act_for(user, unit_id)
        and campaign_accepts_records(campaign)
        and Delivery.objects.filter(
            campaign=campaign, unit_id=unit_id, role=RecipientRole.IMPLEMENT
        ).exists()
    )


def can_approve_for(user: AnyUser, unit_id: int) -> bool:
    return unit_id in roles_of(user).units_with(Role.UNIT_HEAD)


def can_review(user: AnyUser, campaign: Campaign) -> bool:
    """Good models, difficulties, reminders and block pledges of a campaign: Nội vụ of the body
    running it, never a ward's officer for the city's (docs/security.md R19)."""
    return runs_campaign(user, campaign)


def can_see_everything(user: AnyUser) -> bool:
    return roles_of(user).city_wide


def registration_actions(
    user: AnyUser, unit_id: int, registration: Registration | None
) -> dict[str, bool]:
    """What the user may do with a unit's registration (None before there is one) now, for the
    page's buttons: the role and the registration's state (Registration.TRANSITIONS)."""
    reg = registration
    edit = can_act_for(user, unit_id) and (reg is None or not reg.is_submitted)
    approve = can_approve_for(user, unit_id) and reg is not None
    return {
        "can_edit": edit,
        "can_send": edit and reg is not None and reg.can_be_sent_for_approval,
        "can_approve": approve and reg is not None and not reg.is_submitted,
        "can_return": approve and reg is not None and reg.awaits_approval,
    }
