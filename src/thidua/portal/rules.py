"""Who may do what on the portal (domain guide §3: media staff publish portal content)."""

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign
from thidua.campaigns.rules import runs_campaign
from thidua.organizations.rules import AnyUser, roles_of
from thidua.participation import rules as participation_rules


def can_edit_portal(user: AnyUser) -> bool:
    """Write, preview and publish articles, albums, books and events; review submissions."""
    return roles_of(user).has(Role.MEDIA_STAFF)


def can_configure_site(user: AnyUser, campaign: Campaign) -> bool:
    """Make a campaign's pages public or internal: media staff, or Nội vụ of the body running
    it, never a ward's officer for the city's campaign (docs/security.md R19)."""
    return roles_of(user).has(Role.MEDIA_STAFF) or runs_campaign(user, campaign)


def can_submit_for(user: AnyUser, unit_id: int) -> bool:
    """A unit's focal officer or head sends photos and articles for the portal."""
    return participation_rules.can_act_for(user, unit_id)
