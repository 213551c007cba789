"""Who may do what on the portal (domain guide §3: media staff publish portal content)."""

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign
from thidua.campaigns.rules import runs_campaign
from thidua.organizations.rules import AnyUser, acts_at_or_above, roles_of
from thidua.participation import rules as participation_rules


def can_edit_portal(user: AnyUser) -> bool:
    """The role, checked first: media staff edit portal content, each only that of the campaigns
    `can_edit_campaign_portal` gives them."""
    return roles_of(user).has(Role.MEDIA_STAFF)


def can_edit_campaign_portal(user: AnyUser, campaign: Campaign) -> bool:
    """Write, preview and publish a campaign's articles, albums, photos, books and events, and
    review what its units sent: media staff working for the body that owns the campaign or for a
    body above it (the city's media centre for the city's and its wards' campaigns; a ward's
    media staff for that ward's only), never another body's (docs/security.md R25). Every portal
    item belongs to a campaign's site, so there is no content without a campaign to decide by."""
    return can_edit_portal(user) and acts_at_or_above(user, campaign.owner_unit, Role.MEDIA_STAFF)


def can_configure_site(user: AnyUser, campaign: Campaign) -> bool:
    """Make a campaign's pages public or internal: its media staff (`can_edit_campaign_portal`,
    R25), or Nội vụ of the body running it, never a ward's officer for the city's campaign
    (docs/security.md R19)."""
    return can_edit_campaign_portal(user, campaign) or runs_campaign(user, campaign)


def can_submit_for(user: AnyUser, unit_id: int) -> bool:
    """A unit's focal officer or head sends photos and articles for the portal."""
    return participation_rules.can_act_for(user, unit_id)
