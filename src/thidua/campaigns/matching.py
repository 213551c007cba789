"""Which units a plan's agency names stand for, at the right level of the unit tree.

A plan names agencies as people write them: "Phòng Nội vụ", "Ủy ban MTTQ phường", "các
phường", "Sở Nội vụ tỉnh", "Công chức Văn hóa - Xã hội phường". The level word decides where
to look: none, or the issuer's own level ("phường" in a ward's plan), means the issuer's own
units, and only if none is found there, the level above (a city plan's "Sở Nội vụ"); a higher
level word ("thành phố", "tỉnh" in a ward's plan) means the units of that ancestor. So a
ward's "Ủy ban MTTQ phường" is never the city's Front. Names with no unit behind them stay
free text on the assignment.

Reads only (no writes); used by the review page, the import service and the plan editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from thidua.campaigns.parsing import split_agencies
from thidua.core.clock import today_local
from thidua.core.text import fold
from thidua.organizations.models import EmulationBlock, Unit, UnitKind
from thidua.organizations.names import expand_unit_abbreviations

# Rank of a level: 1 province, 2 district, 3 commune (ward, commune, town).
_LEVEL_WORDS: tuple[tuple[int, str], ...] = (
    (1, r"tinh"),
    (2, r"thanh\s+pho|tp|huyen|quan|thi\s+xa"),
    (3, r"phuong|xa|thi\s+tran"),
)
_LEVEL_RE = re.compile(
    r"\b(?P<word>" + "|".join(w for _, w in _LEVEL_WORDS) + r")\b(?!\s+(?:uy|doan)\b)"
)
_KIND_RANK = {
    UnitKind.PROVINCE: 1,
    UnitKind.DISTRICT: 2,
    UnitKind.WARD: 3,
    UnitKind.COMMUNE: 3,
}
# A group phrase and the units it stands for, among the issuer's own units.
_GROUPS: list[tuple[tuple[str, ...], Q]] = [
    (
        ("cac phuong", "ubnd cac phuong", "cac xa", "ubnd cac xa", "cac dia phuong"),
        Q(kind__in=[UnitKind.WARD, UnitKind.COMMUNE]),
    ),
    (
        ("cac phong, ban", "cac phong ban", "phong, ban, nganh", "cac so, ban, nganh"),
        Q(kind__in=[UnitKind.OFFICE, UnitKind.SERVICE_UNIT]),
    ),
    (("ban xay dung dang",), Q(kind=UnitKind.PARTY, name__istartswith="ban ")),
    (("cac doan the", "cac to chuc chinh tri - xa hoi"), Q(kind=UnitKind.MASS_ORG)),
    (
        ("co quan, don vi", "cac don vi"),
        Q(kind__in=[UnitKind.OFFICE, UnitKind.SERVICE_UNIT, UnitKind.SCHOOL]),
    ),
]
# Short names ("Phòng Y tế") only match whole; longer ones may sit inside a phrase and back.
MIN_NAME_INSIDE, MIN_PHRASE_INSIDE = 8, 12
_AUTHORITY_PREFIX_RE = re.compile(r"^(?:uy ban nhan dan|ubnd)\s+")
_AUTHORITY_RE = re.compile(r"(?:uy ban nhan dan|ubnd)\b")


@dataclass(frozen=True)
class Candidate:
    unit: Unit
    exact: bool  # the name itself, not a phrase containing it


def level_of_name(name: str) -> int | None:
    """The lowest level a name mentions ("Ủy ban MTTQ phường" → 3), or None."""
    ranks = [
        rank
        for match in _LEVEL_RE.finditer(fold(name))
        for rank, word in _LEVEL_WORDS
        if re.fullmatch(word, match.group("word"))
    ]
    return max(ranks) if ranks else None


def level_of_unit(unit: Unit) -> int | None:
    """An authority's own level; an office, a Party or Front body takes its parent's."""
    rank = _KIND_RANK.get(UnitKind(unit.kind))
    if rank is None and unit.parent_id:
        parent = unit.parent
        return _KIND_RANK.get(UnitKind(parent.kind)) if parent else None
    return rank


def _core(name: str) -> str:
    """Folded name without punctuation, authority prefix or level and place ("UBND phường
    Suối Hoa" and "Phường Suối Hoa" → "suoi hoa"; "Ủy ban MTTQ Việt Nam thành phố" → "mttq")."""
    folded = " ".join(re.sub(r"[-,.;:()\u2013\u2014]", " ", fold(name)).split())
    folded = expand_unit_abbreviations(folded)
    folded = _AUTHORITY_PREFIX_RE.sub("", folded)
    level = _LEVEL_RE.search(folded)
    if level and level.start() > 0:  # "phong noi vu thanh pho bac ninh" → "phong noi vu"
        folded = folded[: level.start()]
    elif level:  # "phuong suoi hoa" → "suoi hoa"
        folded = folded[level.end() :]
    return folded.strip()


def _valid(on: date) -> QuerySet[Unit]:
    return Unit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )


def _within(root: Unit, on: date) -> QuerySet[Unit]:
    """``root`` and every unit below it."""
    return _valid(on).filter(Q(pk=root.pk) | Q(path__startswith=f"{root.path}{root.pk}/"))


def _own(root: Unit, on: date) -> QuerySet[Unit]:
    """``root``'s own units: its offices, Party and Front bodies, and the authorities below it,
    but not those authorities' own units (the city's Front, not a ward's)."""
    units = _within(root, on)
    below = units.filter(kind__in=list(_KIND_RANK)).exclude(pk=root.pk)
    for authority in below.only("pk", "path"):
        units = units.exclude(path__startswith=f"{authority.path}{authority.pk}/")
    return units


def _authority(owner: Unit) -> Unit:
    """The owner if it is an authority, else the authority it belongs to (a Sở → the province)."""
    unit: Unit | None = owner
    while unit is not None and unit.kind not in _KIND_RANK:
        unit = unit.parent
    return unit or owner


def _ancestor_at(unit: Unit, rank: int) -> Unit | None:
    current: Unit | None = unit
    while current is not None:
        if _KIND_RANK.get(UnitKind(current.kind)) == rank:
            return current
        current = current.parent
    return None


def _named(scope: QuerySet[Unit], name: str, place: str) -> list[Candidate]:
    target = _core(name)
    if not target:
        return []
    out: list[Candidate] = []
    for unit in scope.only("pk", "name", "short_name", "kind", "path", "valid_from", "valid_to"):
        names = {_core(unit.name), _core(unit.short_name or unit.name)}
        if place:  # "Thành ủy Bắc Ninh" is "Thành ủy" in a Bắc Ninh plan
            names |= {n.removesuffix(f" {place}") for n in names}
        if target in names:
            out.append(Candidate(unit, exact=True))
        elif any(
            (len(n) > MIN_NAME_INSIDE and n in target)
            or (len(target) > MIN_PHRASE_INSIDE and target in n)
            for n in names
        ):
            out.append(Candidate(unit, exact=False))
    return out


def _groups(name: str, root: Unit, on: date) -> list[Candidate]:
    folded = fold(name)
    below = _within(root, on).exclude(pk=root.pk)
    found: list[Candidate] = []
    for phrases, q in _GROUPS:
        if any(p in folded for p in phrases):
            found.extend(Candidate(u, exact=True) for u in below.filter(q))
    if "khoi thi dua" in folded:
        blocks = EmulationBlock.objects.filter(year=on.year).prefetch_related("members")
        found.extend(
            Candidate(u, exact=True)
            for block in blocks
            for u in block.members.all()
            if u.is_valid_on(on)
        )
    return found


def unit_candidates(name: str, *, owner: Unit, on: date | None = None) -> list[Candidate]:
    """Units a phrase of the plan may stand for, best first, at the level the phrase names."""
    on = on or today_local()
    home = _authority(owner)
    own_rank = level_of_unit(home)
    rank = level_of_name(name)
    roots: list[Unit] = []
    if rank is not None and own_rank is not None and rank < own_rank:
        above = _ancestor_at(home, rank)
        roots = [above] if above else []
    elif rank is not None and rank == own_rank:
        roots = [home]  # "Ủy ban MTTQ phường" in a ward's plan: that ward's, or none
    else:
        roots = [home] + ([home.parent] if home.parent else [])
    if rank is not None and not _core(name) and _AUTHORITY_RE.match(fold(name)):
        itself = home if rank == own_rank else _ancestor_at(home, rank)  # "UBND tỉnh"
        return [Candidate(itself, exact=True)] if itself else []
    found: dict[int, Candidate] = {}
    for root in roots:
        place = fold(_place_of(root))
        for candidate in _groups(name, root, on) + _named(_own(root, on), name, place):
            previous = found.get(candidate.unit.pk)
            if previous is None or (candidate.exact and not previous.exact):
                found[candidate.unit.pk] = candidate
        if found:
            break  # the issuer's own units win over the level above
    return sorted(found.values(), key=lambda c: (not c.exact, c.unit.name_sort))


_PLACE_RE = re.compile(r"(?:tinh|thanh pho|huyen|quan|thi xa|phuong|xa|thi tran)\s+(?P<name>.+)$")


def _place_of(unit: Unit) -> str:
    """ "Ủy ban nhân dân thành phố Bắc Ninh" → "Bắc Ninh" (folded)."""
    match = _PLACE_RE.search(fold(unit.name))
    return match.group("name") if match else ""


_LINE_LEAD_RE = re.compile(r"^(?:tt|t\.t|thuong truc|ban thuong vu|btv)\s+")
_LINE_NOTE_RE = re.compile(r"\([^()]*\)\s*$")


def line_names(text: str) -> list[str]:
    """The bodies a "Nơi nhận" line names, each on its own: "TT Thành ủy, TT HĐND TP (để
    b/c)" → ["Thành ủy", "HĐND TP"]."""
    names: list[str] = []
    for name in split_agencies(_LINE_NOTE_RE.sub("", text)) or [text]:
        lead = _LINE_LEAD_RE.match(fold(name))
        names.append(name[lead.end() :] if lead else name)
    return names


def line_units(text: str, *, owner: Unit, on: date | None = None) -> list[Unit]:
    """The units to preselect for a "Nơi nhận" line."""
    found: dict[int, Unit] = {}
    for name in line_names(text):
        for unit in match_units(name, owner=owner, on=on):
            found.setdefault(unit.pk, unit)
    return list(found.values())


def match_units(text: str, *, owner: Unit, on: date | None = None) -> list[Unit]:
    """The units to preselect for a phrase: its exact matches, else a single near match."""
    candidates = unit_candidates(text, owner=owner, on=on)
    exact = [c.unit for c in candidates if c.exact]
    if exact:
        return exact
    return [candidates[0].unit] if len(candidates) == 1 else []
