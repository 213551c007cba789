"""Who may do what with a campaign (domain guide §3)."""

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.organizations.models import Unit
from thidua.organizations.rules import AnyUser, acts_at_or_above, roles_of


def can_draft_campaigns(user: AnyUser) -> bool:
    """The role: Nội vụ drafts plans, each for its own body (`can_run_for`)."""
    return roles_of(user).has(Role.EMULATION_OFFICE)


def can_run_for(user: AnyUser, owner_unit: Unit, *roles: str) -> bool:
    """A plan owned by `owner_unit` is drafted and run by Nội vụ of the body issuing it (the
    owner's issuer: an officer of Phòng Nội vụ works for the city) or of a body above it (the
    city's for a ward's plan), never by a ward's own officer for the city's or another ward's
    (docs/security.md R19). `roles`: Nội vụ unless given."""
    return acts_at_or_above(user, owner_unit, *(roles or (Role.EMULATION_OFFICE,)))


def runs_campaign(user: AnyUser, campaign: Campaign) -> bool:
    """Nội vụ of the body running the campaign: its reports, reviews and phases."""
    return can_draft_campaigns(user) and can_run_for(user, campaign.owner_unit)


def can_edit_campaign(user: AnyUser, campaign: Campaign) -> bool:
    return campaign.status == CampaignStatus.DRAFT and runs_campaign(user, campaign)


def can_issue_campaign(user: AnyUser, campaign: Campaign) -> bool:
    """Nội vụ prepares, the clerk numbers: in this product Nội vụ (or a leader) of the issuing
    body records the signed issue."""
    roles = (Role.EMULATION_OFFICE, Role.SIGNER)
    return (
        campaign.status == CampaignStatus.DRAFT
        and roles_of(user).has(*roles)
        and can_run_for(user, campaign.owner_unit, *roles)
    )


def can_copy_campaign(user: AnyUser, campaign: Campaign) -> bool:
    """A copy keeps the owner: only that body's Nội vụ makes one."""
    return runs_campaign(user, campaign)


def can_add_activity_form(user: AnyUser, campaign: Campaign) -> bool:
    """Nội vụ may add an activity type the plan did not list, until the campaign closes."""
    return campaign.status != CampaignStatus.CLOSED and runs_campaign(user, campaign)


def can_advance_campaign(user: AnyUser, campaign: Campaign) -> bool:
    return campaign.status != CampaignStatus.DRAFT and runs_campaign(user, campaign)


def can_acknowledge_for(user: AnyUser, unit_id: int) -> bool:
    return unit_id in roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_see_all_campaigns(user: AnyUser) -> bool:
    return roles_of(user).city_wide
