"""Permission predicates. Roles load once per request (cached on the user object)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from thidua.accounts.models import CITY_ROLES, Role
from thidua.organizations.models import Person, Unit, UnitRole

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class RoleSet:
    grants: frozenset[tuple[str, int]]  # (role, unit_id)
    # The materialised path below each granted unit ("/1/5/" + "12/"): its descendants are the
    # units whose path starts with it, an indexable prefix (organizations.selectors).
    subtree_prefixes: frozenset[str] = frozenset()

    def has(self, *roles: str) -> bool:
        return any(role in roles for role, _ in self.grants)

    def units_with(self, *roles: str) -> set[int]:
        return {unit_id for role, unit_id in self.grants if role in roles}

    @property
    def city_wide(self) -> bool:
        return any(role in CITY_ROLES for role, _ in self.grants)


def roles_of(user: AnyUser) -> RoleSet:
    if not user.is_authenticated:
        return RoleSet(frozenset())
    cached: RoleSet | None = getattr(user, "_thidua_roles", None)
    if cached is None:
        rows = list(
            UnitRole.objects.filter(user_id=user.pk).values_list("role", "unit_id", "unit__path")
        )
        cached = RoleSet(
            frozenset((role, unit_id) for role, unit_id, _ in rows),
            frozenset(f"{path}{unit_id}/" for _, unit_id, path in rows),
        )
        user.__dict__["_thidua_roles"] = cached
    return cached


def _unit_in_scope(unit_ids: set[int], unit: Unit) -> bool:
    """A unit role covers the unit and everything below it in the tree."""
    return bool(unit_ids & set(unit.lineage))


def can_view_units(user: AnyUser) -> bool:
    return bool(roles_of(user).grants)


def can_manage_units(user: AnyUser) -> bool:
    # The installation's superuser bootstraps the tree before any role exists.
    return getattr(user, "is_superuser", False) or roles_of(user).has(
        Role.SYSTEM_ADMIN, Role.EMULATION_OFFICE
    )


def can_manage_people_of(user: AnyUser, unit: Unit) -> bool:
    roles = roles_of(user)
    if can_manage_units(user):
        return True
    return _unit_in_scope(roles.units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD), unit)


def can_manage_users(user: AnyUser) -> bool:
    return getattr(user, "is_superuser", False) or roles_of(user).has(Role.SYSTEM_ADMIN)


def can_add_people(user: AnyUser) -> bool:
    return can_manage_units(user) or roles_of(user).has(Role.UNIT_OFFICER, Role.UNIT_HEAD)


def can_manage_person(user: AnyUser, person: Person) -> bool:
    return can_manage_people_of(user, person.unit)


def can_see_sensitive_person_data(user: AnyUser, person: Person) -> bool:
    """Party membership and the like: Nội vụ, signers, and the person's own unit."""
    roles = roles_of(user)
    if roles.has(Role.EMULATION_OFFICE, Role.SIGNER, Role.SYSTEM_ADMIN):
        return True
    return _unit_in_scope(roles.units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD), person.unit)


def can_see_party_membership(user: AnyUser) -> bool:
    """Whether the user may see party membership of anyone at all (issue 18, L8): Nội vụ,
    signers, system administrators, and unit officers and heads (for their own units' people,
    per can_see_sensitive_person_data)."""
    return roles_of(user).has(
        Role.EMULATION_OFFICE, Role.SIGNER, Role.SYSTEM_ADMIN, Role.UNIT_OFFICER, Role.UNIT_HEAD
    )
