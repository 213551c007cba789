from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign
from thidua.campaigns.rules import runs_campaign
from thidua.organizations.rules import AnyUser, roles_of
from thidua.reporting.models import ReportAssignment


def can_manage_reports(user: AnyUser) -> bool:
    """The role: Nội vụ reads the aggregates and the reports' pages city-wide."""
    return roles_of(user).has(Role.EMULATION_OFFICE)


def drafting_units(user: AnyUser) -> set[int]:
    """The units whose reports the user drafts (their officers and heads)."""
    return roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_manage_reports_of(user: AnyUser, campaign: Campaign) -> bool:
    """Templates, requests, acceptance, return, urging letters and the aggregated report of a
    campaign: Nội vụ of the body running it, never a ward's officer for the city's
    (docs/security.md R19)."""
    return runs_campaign(user, campaign)


def can_draft_report(user: AnyUser, assignment: ReportAssignment) -> bool:
    return assignment.unit_id in drafting_units(user)


def can_approve_report(user: AnyUser, assignment: ReportAssignment) -> bool:
    return assignment.unit_id in roles_of(user).units_with(Role.UNIT_HEAD)


def can_see_reports(user: AnyUser) -> bool:
    return roles_of(user).city_wide
