import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from thidua.accounts.models import User
from thidua.core.text import fold, spelling_key
from thidua.organizations.models import EmulationBlock, Person, Unit, UnitKind
from thidua.organizations.names import authority_place, unit_name_key, unit_name_readings
from thidua.organizations.rules import AnyUser, roles_of

# The core.versions name of the units' names and places: pages that cache a unit's name (a
# plan's assignments) key on it, and unit_update / unit_merge bump it.
UNITS_VERSION = "units"


def unit_scope_q(actor: AnyUser, prefix: str = "") -> Q:
    """Q limiting units (or rows with a unit FK under `prefix`, e.g. "unit__") to what the
    actor may see."""
    roles = roles_of(actor)
    if roles.city_wide:
        return Q()
    unit_ids = {unit_id for _, unit_id in roles.grants}
    if not unit_ids:
        return Q(pk__in=[])
    scope = Q(pk__in=unit_ids)
    # Descendants by path prefix (`LIKE '/1/5/12/%'`): served by the path index (its
    # pattern-ops twin on PostgreSQL), where `LIKE '%/12/%'` read every row.
    for subtree in sorted(roles.subtree_prefixes):
        scope |= Q(path__startswith=subtree)
    if prefix:
        # Rows under a unit: `unit_id IN (the scope's units)`, a semi-join that finds the few
        # units by index and then their rows by the foreign key; the same OR across a join
        # read all 50,000 people of the city for a ward's 500 (issue #22).
        return Q(**{f"{prefix}in": Unit.objects.filter(scope).values("pk")})
    return scope


def unit_list_for(
    *, actor: AnyUser, query: str = "", kind: str = "", include_past: bool = False
) -> QuerySet[Unit]:
    qs = Unit.objects.filter(unit_scope_q(actor)).select_related("parent")
    if query:
        qs = qs.filter(search_text__contains=fold(query))
    if kind:
        qs = qs.filter(kind=kind)
    if not include_past:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("name_sort", "pk")


def units_valid_on(*, actor: AnyUser, day: date) -> QuerySet[Unit]:
    """Units as they were on a day: a 2022 report lists Tiền An, not Tiền Ninh Vệ."""
    return (
        Unit.objects.filter(unit_scope_q(actor))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("name_sort", "pk")
    )


MAX_INDENT = 5
TREE_DEPTH = 2  # province → city → wards and offices; deeper levels open from the unit's page


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    depth: int
    kind_label: str
    hidden_children: int = 0  # sub-units not drawn below TREE_DEPTH; the unit page lists them

    @property
    def indent(self) -> int:
        return min(self.depth, MAX_INDENT)


def unit_tree_for(*, actor: AnyUser, day: date, max_depth: int = TREE_DEPTH) -> list[TreeRow]:
    """The unit tree as of `day`, depth first, from one query: rows a template renders in one
    loop. Levels below `max_depth` are counted, not drawn, so a province-wide tree stays light."""
    valid = units_valid_on(actor=actor, day=day)
    # City-wide users see one tree from the top: load only the drawn levels and count the level
    # below per parent in one query. Unit-scoped users see small subtrees: load them whole.
    whole_tree = roles_of(actor).city_wide
    top = valid.aggregate(top=Min("depth"))["top"] or 0
    drawn = valid.filter(depth__lte=top + max_depth) if whole_tree else valid
    # People per drawn unit by a correlated count (one walk of the person.unit_id index per
    # unit): a join and GROUP BY read all 50,000 people of the city for 600 units.
    people = Person.objects.filter(unit=OuterRef("pk")).order_by().values("unit")
    units: list[Unit] = list(
        drawn.annotate(
            people_count=Coalesce(Subquery(people.annotate(n=Count("*")).values("n")), 0)
        )
    )
    hidden: dict[int, int] = {}
    if whole_tree:
        hidden = dict(
            valid.filter(depth=top + max_depth + 1)
            .order_by()
            .values_list("parent_id")
            .annotate(n=Count("pk"))
            .values_list("parent_id", "n")
        )
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    kind_order = {k: i for i, k in enumerate(UnitKind.values)}
    for unit in sorted(units, key=lambda u: (kind_order.get(u.kind, 99), u.name_sort)):
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    labels = dict(UnitKind.choices)
    rows: list[TreeRow] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    while stack:
        node, depth = stack.pop()
        below = children.get(node.pk, [])
        if depth >= max_depth:
            rows.append(
                TreeRow(node, depth, labels[node.kind], hidden_children=hidden.get(node.pk, 0))
            )
            continue
        rows.append(TreeRow(node, depth, labels[node.kind]))
        stack.extend((c, depth + 1) for c in reversed(below))
    return rows


def unit_choices_for(*, actor: AnyUser) -> list[tuple[int, str]]:
    """(id, name) of the current units the actor sees, for filter drop-downs."""
    qs = Unit.objects.filter(unit_scope_q(actor), valid_to__isnull=True).order_by("name_sort", "pk")
    return list(qs.values_list("pk", "name"))


def person_list_for(
    *, actor: AnyUser, query: str = "", unit_id: int | None = None
) -> QuerySet[Person]:
    qs = Person.objects.filter(unit_scope_q(actor, prefix="unit__")).select_related("unit")
    if query:
        qs = qs.filter(search_text__contains=fold(query))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("name_sort", "pk")


def block_list_for(*, actor: AnyUser, year: int | None = None) -> QuerySet[EmulationBlock]:
    qs = EmulationBlock.objects.select_related("head_unit", "deputy_unit").prefetch_related(
        "members"
    )
    if not roles_of(actor).city_wide:
        qs = qs.filter(members__in=Unit.objects.filter(unit_scope_q(actor))).distinct()
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "name_sort")


def users_with_role_in(*, unit_ids: set[int], roles: set[str]) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, unit_roles__unit_id__in=unit_ids, unit_roles__role__in=roles
    ).distinct()


def user_list_for(*, actor: AnyUser, query: str = "") -> QuerySet[User]:
    if not (getattr(actor, "is_superuser", False) or roles_of(actor).has("system_admin")):
        return User.objects.none()
    qs = User.objects.prefetch_related("unit_roles__unit").order_by("username")
    if query:
        qs = qs.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    return qs


_PLACE_RE = re.compile(
    r"(?:tỉnh|thành phố|huyện|quận|thị xã|phường|xã|thị trấn)\s+(?P<name>.+)$", re.I
)


def place_of(unit: Unit | None, *, default: bool = True) -> str:
    """The place a unit's documents are dated at, from its name: "Ủy ban nhân dân thành phố
    Bắc Ninh" → "Bắc Ninh"; an office takes its parent's. Else the THIDUA_PLACE setting (or "",
    with default=False)."""
    while unit is not None:
        match = _PLACE_RE.search(unit.name)
        if match:
            return match.group("name")[:64]
        unit = unit.parent
    return str(settings.THIDUA_PLACE) if default else ""


def _as_written(name: str) -> str:
    """A name letter for letter, accents kept ("Tam Sơn" is not "Tâm Sơn"), tones placed
    either way, without an authority's leading words ("UBND", "Ủy ban nhân dân")."""
    return spelling_key(authority_place(name) or name)


def _as_written_first(text: str, units: Iterable[Unit]) -> list[Unit]:
    """Units found without accents, narrowed to the one spelt as `text` is when the accents
    tell them apart ("UBND xã Tam Sơn" beside "Ủy ban nhân dân xã Tâm Sơn")."""
    found = list(units)
    if len(found) > 1:
        written = _as_written(text)
        spelt = [u for u in found if written in {_as_written(u.name), _as_written(u.short_name)}]
        if len(spelt) == 1:
            return spelt
    return found


class UnitFinder:
    """Units as a user's own file names them: by code (in any capitals), or by name or short
    name (no case, accents or tone placement; abbreviations read by `organizations.names`:
    "UBND", "HĐND", "UBMTTQ"). Failing that, the readings that are less sure: the place of an
    authority ("Phường Suối Hoa" for "Ủy ban nhân dân phường Suối Hoa" and back) and a kind's
    initials ("P. Suối Hoa"). A name is only taken when it fits one unit.

    A unit no longer in force answers by its code only: its name may now be its successor's;
    unless `past_by_name` (the registry of past awards, which name the unit of their day, a
    name then shared with its successor read as ambiguous)."""

    def __init__(self, units: Iterable[Unit], *, past_by_name: bool = False) -> None:
        self._by_code: dict[str, Unit] = {}
        self._by_name: dict[str, list[Unit]] = {}
        self._by_place: dict[str, list[Unit]] = {}
        for unit in units:
            self._by_code[unit.code.casefold()] = unit
            if unit.valid_to is not None and not past_by_name:
                continue
            for key in {unit_name_key(unit.name), unit_name_key(unit.short_name or "")} - {""}:
                self._by_name.setdefault(key, []).append(unit)
            place = authority_place(unit.name)
            if place:
                self._by_place.setdefault(unit_name_key(place), []).append(unit)

    def matches(self, text: str) -> list[Unit]:
        """Every unit `text` may name, the surest reading first: one unit, several (the name
        is ambiguous) or none."""
        text = text.strip()
        if not text:
            return []
        if text.casefold() in self._by_code:
            return [self._by_code[text.casefold()]]
        key = unit_name_key(text)
        if key in self._by_name:
            return _as_written_first(text, self._by_name[key])
        place = authority_place(text)
        keys = {key, *unit_name_readings(text)}
        if place:
            keys |= {unit_name_key(place), *unit_name_readings(place)}
        found: dict[int, Unit] = {}
        for k in sorted(keys):
            for unit in (*self._by_name.get(k, ()), *self._by_place.get(k, ())):
                found.setdefault(unit.pk, unit)
        return _as_written_first(text, found.values())

    def __call__(self, text: str) -> Unit | None:
        """The one unit `text` names, or None (no unit, or more than one)."""
        found = self.matches(text)
        return found[0] if len(found) == 1 else None
