"""Permission predicates. Roles load once per request (cached on the user object)."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import CharField, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat

from thidua.accounts.models import CITY_ROLES, Role
from thidua.organizations.models import Person, Unit, UnitKind, UnitRole, path_ids

AnyUser = AbstractBaseUser | AnonymousUser

ISSUER_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE)


@dataclass(frozen=True)
class RoleSet:
    grants: frozenset[tuple[str, int]]  # (role, unit_id)
    # The materialised path below each granted unit ("/1/5/" + "12/"): its descendants are the
    # units whose path starts with it, an indexable prefix (organizations.selectors).
    subtree_prefixes: frozenset[str] = frozenset()
    # (granted unit, its issuer) where the unit or its parent is an issuer, read with the roles
    # (a body, or an office of one: nearly every grant); the others' issuers need a query.
    near_issuers: frozenset[tuple[int, int]] = frozenset()

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
            UnitRole.objects.filter(user_id=user.pk).values_list(
                "role",
                "unit_id",
                "unit__path",
                "unit__kind",
                "unit__parent_id",
                "unit__parent__kind",
            )
        )
        near: set[tuple[int, int]] = set()
        for _, unit_id, _, kind, parent_id, parent_kind in rows:
            if kind in ISSUER_KINDS:
                near.add((unit_id, unit_id))
            elif parent_id is not None and parent_kind in ISSUER_KINDS:
                near.add((unit_id, parent_id))
        cached = RoleSet(
            frozenset((role, unit_id) for role, unit_id, *_ in rows),
            frozenset(f"{path}{unit_id}/" for _, unit_id, path, *_ in rows),
            frozenset(near),
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


def can_manage_unit(user: AnyUser, unit: Unit | None) -> bool:
    """Create under, edit, move into or merge `unit` (None: the top of the tree): a system
    administrator anywhere; Nội vụ at or below a body it works for (the city's for the city, a
    ward's for its ward), never another ward's or the city's units, which a ward's officer
    would move, with their people, into the ward's reach (docs/security.md R24)."""
    if getattr(user, "is_superuser", False) or roles_of(user).has(Role.SYSTEM_ADMIN):
        return True
    return (
        unit is not None
        and roles_of(user).has(Role.EMULATION_OFFICE)
        and acts_at_or_above(user, unit, Role.EMULATION_OFFICE)
    )


def can_manage_people_of(user: AnyUser, unit: Unit) -> bool:
    roles = roles_of(user)
    if can_manage_unit(user, unit):
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


# --- Bodies (issuers) ---------------------------------------------------------------------
# An officer acts for the administrative unit (issuer: province, district, ward, commune) at or
# above the unit where a role is granted: Nội vụ granted at "Phòng Nội vụ" works for the city.


def issuers_acted_for(actor: AnyUser, *roles: str) -> frozenset[int]:
    """The administrative units (issuers) at or above each unit where the actor holds one of
    `roles`: Nội vụ granted at "Phòng Nội vụ" works for the city's UBND."""
    issuer_of = _issuer_of_granted_units(actor)
    units = roles_of(actor).units_with(*roles)
    return frozenset(issuer_of[u] for u in units if u in issuer_of)


def issuer_prefixes_acted_for(actor: AnyUser, *roles: str) -> dict[int, str]:
    """`issuers_acted_for` with each issuer's subtree prefix ("/1/5/" + "12/"), read from the
    granted units' paths: what a scope by path needs, without a query for the issuers' paths."""
    bodies = issuers_acted_for(actor, *roles)
    return {
        pk: f"/{'/'.join(str(i) for i in chain[: chain.index(pk) + 1])}/"
        for chain in _granted_chains(actor)
        for pk in bodies
        if pk in chain
    }


def _granted_chains(actor: AnyUser) -> list[list[int]]:
    """Each granted unit's ancestors and itself, root first, from its subtree prefix."""
    return [path_ids(prefix) for prefix in roles_of(actor).subtree_prefixes]


def _issuer_of_granted_units(actor: AnyUser) -> dict[int, int]:
    """Granted unit → its issuer, cached on the user for the request: read with the roles for
    a body or an office of one, otherwise from the kinds of its ancestors (one query)."""
    cached: dict[int, int] | None = actor.__dict__.get("_thidua_fund_issuers")
    if cached is not None:
        return cached
    found = dict(roles_of(actor).near_issuers)
    chains = [chain for chain in _granted_chains(actor) if chain and chain[-1] not in found]
    wanted = {pk for chain in chains for pk in chain}
    kinds = dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "kind")) if wanted else {}
    for chain in chains:
        issuer = next((pk for pk in reversed(chain) if kinds.get(pk) in ISSUER_KINDS), None)
        if chain and issuer is not None:
            found[chain[-1]] = issuer
    actor.__dict__["_thidua_fund_issuers"] = found
    return found


def issuer_id_of(unit: Unit) -> int | None:
    """The administrative unit (issuer) at or above `unit`: Phòng Nội vụ → the city's UBND."""
    if unit.kind in ISSUER_KINDS:
        return unit.pk
    chain = unit.lineage[:-1]  # its ancestors (the unit itself is no issuer)
    kinds = dict(Unit.objects.filter(pk__in=chain).values_list("pk", "kind")) if chain else {}
    return next((pk for pk in reversed(chain) if kinds.get(pk) in ISSUER_KINDS), None)


def acts_at_or_above(actor: AnyUser, unit: Unit, *roles: str) -> bool:
    """The actor holds one of `roles` for the body (issuer) of `unit` or for a body above it:
    the city's Nội vụ for a ward's unit, never a ward's for the city's or another ward's."""
    return bool(issuers_acted_for(actor, *roles) & set(unit.lineage))


def units_at_or_below_bodies_q(actor: AnyUser, prefix: str, *roles: str) -> Q:
    """Q for rows whose unit (the lookup `prefix`, e.g. "campaign__owner_unit"; "" for units
    themselves) lies at or below a body the actor holds one of `roles` for: `acts_at_or_above`
    for a list (the bodies' prefixes come from the roles already read: no query of its own)."""
    bodies = issuer_prefixes_acted_for(actor, *roles)
    ids, below = (
        (f"{prefix}_id__in", f"{prefix}__path__startswith")
        if prefix
        else ("pk__in", "path__startswith")
    )
    scope = Q(**{ids: bodies})
    for subtree in sorted(bodies.values()):
        scope |= Q(**{below: subtree})
    return scope


def acts_for_issuer(actor: AnyUser, issuer_id: int | None, *roles: str) -> bool:
    """The actor holds one of `roles` at the issuer or at a unit whose issuer it is."""
    return issuer_id is not None and issuer_id in issuers_acted_for(actor, *roles)


def issuer_id_subquery(unit: str) -> Subquery:
    """`issuer_id_of` as SQL, for the unit at `unit` (a lookup from the outer query's model,
    e.g. "campaign__owner_unit"), so that a list filtered by issuer stays one query. The two
    forms must agree (tests/awards/test_fund.py compares them over a whole tree)."""
    # A unit's path lists its ancestors, not itself: an ancestor's own path followed by its id
    # starts the unit's path (its path alone would also match its siblings' children).
    issuers = (
        Unit.objects.filter(kind__in=ISSUER_KINDS)
        .alias(
            unit_path=ExpressionWrapper(OuterRef(f"{unit}__path"), CharField()),
            below=Concat("path", Cast("pk", CharField()), Value("/"), output_field=CharField()),
        )
        .filter(Q(pk=OuterRef(f"{unit}_id")) | Q(unit_path__startswith=F("below")))
        .order_by("-depth")
        .values("pk")[:1]
    )
    return Subquery(issuers)
