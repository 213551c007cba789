"""A unit's users act for their own unit; Nội vụ reviews; city roles see everything."""

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.organizations.rules import AnyUser, roles_of
from thidua.participation.models import Registration

ACTIVE = {
    CampaignStatus.ISSUED,
    CampaignStatus.RUNNING,
    CampaignStatus.INTERIM_REVIEW,
    CampaignStatus.FINAL_REVIEW,
}


def campaign_accepts_records(campaign: Campaign) -> bool:
    return campaign.status in ACTIVE


def can_act_for(user: AnyUser, unit_id: int) -> bool:
    return unit_id in roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_approve_for(user: AnyUser, unit_id: int) -> bool:
    return unit_id in roles_of(user).units_with(Role.UNIT_HEAD)


def can_review(user: AnyUser) -> bool:
    return roles_of(user).has(Role.EMULATION_OFFICE)


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
