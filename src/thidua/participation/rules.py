"""A unit's users act for their own unit; Nội vụ reviews; city roles see everything."""

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.organizations.rules import AnyUser, roles_of

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
