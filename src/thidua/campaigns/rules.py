"""Who may do what with a campaign (domain guide §3)."""

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.organizations.rules import AnyUser, roles_of


def can_draft_campaigns(user: AnyUser) -> bool:
    return roles_of(user).has(Role.EMULATION_OFFICE)


def can_edit_campaign(user: AnyUser, campaign: Campaign) -> bool:
    return campaign.status == CampaignStatus.DRAFT and can_draft_campaigns(user)


def can_issue_campaign(user: AnyUser, campaign: Campaign) -> bool:
    """Nội vụ prepares, the clerk numbers: in this product Nội vụ records the signed issue."""
    return campaign.status == CampaignStatus.DRAFT and roles_of(user).has(
        Role.EMULATION_OFFICE, Role.SIGNER
    )


def can_add_activity_form(user: AnyUser, campaign: Campaign) -> bool:
    """Nội vụ may add an activity type the plan did not list, until the campaign closes."""
    return campaign.status != CampaignStatus.CLOSED and can_draft_campaigns(user)


def can_advance_campaign(user: AnyUser, campaign: Campaign) -> bool:
    return campaign.status != CampaignStatus.DRAFT and roles_of(user).has(Role.EMULATION_OFFICE)


def can_acknowledge_for(user: AnyUser, unit_id: int) -> bool:
    return unit_id in roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_see_all_campaigns(user: AnyUser) -> bool:
    return roles_of(user).city_wide
