from thidua.accounts.models import Role
from thidua.awards.models import Nomination
from thidua.organizations.rules import AnyUser, roles_of


def can_draft_nomination(user: AnyUser, unit_id: int) -> bool:
    return unit_id in roles_of(user).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_submit_nomination(user: AnyUser, nomination: Nomination) -> bool:
    return nomination.unit_id in roles_of(user).units_with(Role.UNIT_HEAD)


def can_appraise(user: AnyUser) -> bool:
    return roles_of(user).has(Role.EMULATION_OFFICE)


def can_edit_award_rules(user: AnyUser) -> bool:
    """Nội vụ keeps the award rules (quy định khen thưởng) current."""
    return roles_of(user).has(Role.EMULATION_OFFICE)


def can_see_award_rules(user: AnyUser) -> bool:
    return roles_of(user).city_wide


def can_sign(user: AnyUser) -> bool:
    return roles_of(user).has(Role.SIGNER)


def can_see_registry(user: AnyUser) -> bool:
    return roles_of(user).city_wide
