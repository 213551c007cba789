"""Who may keep and read a reward fund: Nội vụ officers of its issuer write, they and the
issuer's leaders (signers) read (docs/domain.md §8.8)."""

from django.db.models import (
    CharField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat

from thidua.accounts.models import Role
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.rules import AnyUser, roles_of

ISSUER_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE)


def issuers_acted_for(actor: AnyUser, *roles: str) -> frozenset[int]:
    """The administrative units (issuers) at or above each unit where the actor holds one of
    `roles`: Nội vụ granted at "Phòng Nội vụ" works for the city's UBND."""
    issuer_of = _issuer_of_granted_units(actor)
    units = roles_of(actor).units_with(*roles)
    return frozenset(issuer_of[u] for u in units if u in issuer_of)


def _issuer_of_granted_units(actor: AnyUser) -> dict[int, int]:
    """Granted unit → its issuer; one query, cached on the user for the request."""
    cached: dict[int, int] | None = actor.__dict__.get("_thidua_fund_issuers")
    if cached is not None:
        return cached
    chains = [
        [int(p) for p in prefix.strip("/").split("/") if p]
        for prefix in roles_of(actor).subtree_prefixes
    ]
    wanted = {pk for chain in chains for pk in chain}
    kinds = dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "kind")) if wanted else {}
    found: dict[int, int] = {}
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


def acts_for_issuer(actor: AnyUser, issuer_id: int | None, *roles: str) -> bool:
    """The actor holds one of `roles` at the issuer or at a unit whose issuer it is."""
    return issuer_id is not None and issuer_id in issuers_acted_for(actor, *roles)


def can_see_funds(actor: AnyUser) -> bool:
    return roles_of(actor).has(Role.EMULATION_OFFICE, Role.SIGNER)


def can_see_fund(actor: AnyUser, issuer_id: int) -> bool:
    """Nội vụ and the leaders (signers) of the issuer read its fund."""
    return issuer_id in issuers_acted_for(actor, Role.EMULATION_OFFICE, Role.SIGNER)


def can_keep_fund(actor: AnyUser, issuer_id: int) -> bool:
    """Nội vụ of the issuer records income, expenses and payments."""
    return issuer_id in issuers_acted_for(actor, Role.EMULATION_OFFICE)


def fund_issuers_for(*, actor: AnyUser) -> QuerySet[Unit]:
    ids = issuers_acted_for(actor, Role.EMULATION_OFFICE, Role.SIGNER)
    return Unit.objects.filter(pk__in=ids).order_by("depth", "name_sort", "pk")
