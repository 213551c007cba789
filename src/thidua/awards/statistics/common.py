"""Shared by the forms: the reporting period, the issuer and the table layout (cells, lines,
header grid)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from thidua.accounts.models import Role
from thidua.awards.models import (
    Subject,
)
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.names import authority_place
from thidua.organizations.rules import AnyUser, roles_of

CIRCULAR = "Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ"
RECEIVED_ON = "Ngày 15 tháng 12 năm báo cáo"
ISSUER_KINDS = (UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE)

# Whom an award goes to: the household rows count `Subject.HOUSEHOLD` (hộ gia đình).
HOUSEHOLD = Subject.HOUSEHOLD
COLLECTIVE = Subject.COLLECTIVE
INDIVIDUAL = Subject.INDIVIDUAL


# --------------------------------------------------------------------------- period, issuer


@dataclass(frozen=True)
class Period:
    """The reporting period. Emulation and awards run from 1 December of the year before to
    30 November of the reporting year (Thông tư 02/2023/TT-BNV, Điều 4); `calendar` takes
    1 January – 31 December instead, for the office's own use."""

    year: int
    start: date
    end: date
    calendar: bool = False

    @property
    def label(self) -> str:
        return f"Năm {self.year} (từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y})"

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}__gte": self.start, f"{prefix}__lte": self.end})


def report_period(year: int, *, calendar: bool = False) -> Period:
    if calendar:
        return Period(year, date(year, 1, 1), date(year, 12, 31), calendar=True)
    return Period(year, date(year - 1, 12, 1), date(year, 11, 30))


def issuer_choices() -> QuerySet[Unit]:
    """Reporting units: the administrative units (tỉnh, thành phố/huyện, phường/xã), past ones
    too, since a year's statistics belong to the units of that year."""
    return Unit.objects.filter(kind__in=ISSUER_KINDS).order_by("depth", "name_sort", "pk")


def default_issuer(actor: AnyUser) -> Unit | None:
    """The administrative unit at or above the unit where the actor's city role is granted."""
    roles = roles_of(actor)
    granted = roles.units_with(Role.EMULATION_OFFICE) or roles.units_with(
        Role.SYSTEM_ADMIN, Role.SIGNER, Role.COUNCIL_MEMBER
    )
    for unit in Unit.objects.filter(pk__in=granted).order_by("depth", "pk"):
        upwards = unit.lineage[::-1]  # the unit, then its parent, up to the root
        candidates = {u.pk: u for u in Unit.objects.filter(pk__in=upwards)}
        for pk in upwards:
            if pk in candidates and candidates[pk].kind in ISSUER_KINDS:
                return candidates[pk]
    return issuer_choices().first()


def locality(unit: Unit) -> str:
    """ "thành phố Bắc Ninh" from "Ủy ban nhân dân thành phố Bắc Ninh" (however "Ủy ban nhân
    dân" is spelt: "Uỷ ban", capitals, "UBND")."""
    place = authority_place(unit.name)
    return unit.name if place is None else place


def receiving_unit(issuer: Unit) -> str:
    """Where the forms go: a province to Bộ Nội vụ, a district to the province's Sở Nội vụ, a
    ward or commune to the district's Phòng Nội vụ."""
    if issuer.kind == UnitKind.PROVINCE:
        return "Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương)"
    parent = issuer.parent
    while parent is not None and parent.kind not in ISSUER_KINDS:
        parent = parent.parent
    if parent is None:
        return "Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương)"
    if parent.kind == UnitKind.PROVINCE:
        return f"Sở Nội vụ {locality(parent)} (Ban Thi đua – Khen thưởng)"
    return f"Phòng Nội vụ {locality(parent)}"


def subtree(issuer: Unit) -> QuerySet[Unit]:
    """The issuer and every unit below it (one indexed prefix on the materialised path)."""
    return Unit.objects.filter(Q(pk=issuer.pk) | Q(path__startswith=f"{issuer.path}{issuer.pk}/"))


# ---------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Line:
    """A line of the table: a label (column A), its code (B), the unit of count (C, where the
    form has that column) and one value per data column; None leaves the cell empty (a group
    heading, or a cell the form does not fill)."""

    label: str
    code: str = ""
    values: tuple[int | None, ...] = ()
    unit: str = ""
    style: str = "item"  # total | group | item | sub | note


@dataclass(frozen=True)
class StatForm:
    key: str  # "0601" … "0605", "tham-khao"
    number: str  # printed as "Biểu số: …"
    title: str
    header: tuple[tuple[Cell, ...], ...]
    codes: tuple[Cell, ...]
    lines: tuple[Line, ...]
    unit_of_count: str = ""  # one unit for the whole form ("Phong trào"), else column C
    official: bool = True
    entered: bool = False  # 0604/0605: figures typed in by Nội vụ
    notes: tuple[str, ...] = ()  # shown on the page only

    @property
    def width(self) -> int:
        return sum(c.colspan for c in self.codes)

    @property
    def label_columns(self) -> int:
        """A, B and, where the form has it, C."""
        return 3 if any(c.text == "C" for c in self.codes) else 2

    def line(self, code: str) -> Line:
        return next(line for line in self.lines if line.code == code)


def grid(rows: Sequence[Sequence[Cell]]) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of a header written as HTML rows with rowspan and colspan."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed
