from thidua.accounts.models import Role
from thidua.organizations.rules import AnyUser, roles_of
from thidua.reporting.models import ReportAssignment


def can_manage_reports(user: AnyUser) -> bool:
    return roles_of(user).has(Role.EMULATION_OFFICE)


def drafting_units(user: AnyUser) -> set[int]:
    """The units whose reports the user drafts (their officers and heads)."""
    return roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_draft_report(user: AnyUser, assignment: ReportAssignment) -> bool:
    return assignment.unit_id in drafting_units(user)


def can_approve_report(user: AnyUser, assignment: ReportAssignment) -> bool:
    return assignment.unit_id in roles_of(user).units_with(Role.UNIT_HEAD)


def can_see_reports(user: AnyUser) -> bool:
    return roles_of(user).city_wide
