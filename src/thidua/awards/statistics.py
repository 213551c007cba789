"""The yearly statistics to Bộ Nội vụ on emulation and awards: forms 0601–0605 of Thông tư
02/2023/TT-BNV (chế độ báo cáo thống kê ngành Nội vụ), computed for an issuer and a year.

0601 counts the campaigns launched in the reporting period; 0602 and 0603 the awards of the
registry (sổ vàng) decided in it, at state and at ministry/province level; a reference table in
the same layout counts district and commune awards (not a form of the circular); 0604 and 0605
show what Nội vụ entered (EmulationStaffing). Which source each column follows, and what is
unsure: docs/statistics.md.

Every form is a `StatForm`: its header as table rows with spans, the row of column codes (A, B,
1, 2 …) and its lines. The page, the workbook and the PDF (statistics_export.py) draw that.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from thidua.accounts.models import Role, User
from thidua.awards.models import (
    AwardRecord,
    AwardType,
    EmulationStaffing,
    StatisticsKind,
    Subject,
)
from thidua.campaigns.models import Campaign, CampaignStatus, EmulationMethod
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.organizations.models import Unit, UnitKind
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
        ids = [int(p) for p in unit.path.strip("/").split("/") if p][::-1]
        candidates = {u.pk: u for u in Unit.objects.filter(pk__in=[unit.pk, *ids])}
        for pk in [unit.pk, *ids]:
            if pk in candidates and candidates[pk].kind in ISSUER_KINDS:
                return candidates[pk]
    return issuer_choices().first()


def locality(unit: Unit) -> str:
    """ "thành phố Bắc Ninh" from "Ủy ban nhân dân thành phố Bắc Ninh"."""
    name = unit.name
    for prefix in ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


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


# ------------------------------------------------------------------------------ 0601 campaigns

SCOPE_NATIONAL, SCOPE_LOCALITY, SCOPE_BLOCK, SCOPE_AGENCY = "02", "03", "04", "05"
DURATION_CODES = ("06", "07", "08", "09", "10")
METHOD_THEMATIC, METHOD_REGULAR = "11", "12"


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def duration_code(start: date | None, end: date | None, method: str) -> str:
    """Rows 06–10: under a year, one year (1/1–31/12), over one and under three, three to under
    five, five or more. Without dates a regular campaign is a year's and a thematic one under a
    year."""
    if start is None or end is None:
        return "07" if method == EmulationMethod.REGULAR else "06"
    after = end + timedelta(days=1)
    if after < _years_later(start, 1):
        return "06"
    if after == _years_later(start, 1):
        return "07"
    if after < _years_later(start, 3):
        return "08"
    if after < _years_later(start, 5):
        return "09"
    return "10"


def campaign_level_column(owner_kind: str) -> int:
    """Columns 2–4: who launched it. 2: Hội đồng TĐKT Trung ương (no such unit here); 3: a
    ministry or a province; 4: any other agency, organisation or unit (districts, wards …)."""
    return 1 if owner_kind == UnitKind.PROVINCE else 2


def campaign_scope(owner_kind: str, *, blocks_only: bool) -> str:
    """Rows 02–05. A campaign run within emulation blocks or clusters only is a block one (04);
    otherwise a province's is 03 and everyone else's 05 (02, nationwide, never arises here)."""
    if blocks_only:
        return SCOPE_BLOCK
    return SCOPE_LOCALITY if owner_kind == UnitKind.PROVINCE else SCOPE_AGENCY


def campaigns_in(issuer: Unit, period: Period) -> QuerySet[Campaign]:
    """Campaigns of the issuer and the units below it launched (issued) in the period."""
    return Campaign.objects.filter(period.q("issued_on"), owner_unit__in=subtree(issuer)).exclude(
        status=CampaignStatus.DRAFT
    )


def _campaign_rows(issuer: Unit, period: Period) -> Iterable[tuple[Any, ...]]:
    """(owner kind, method, start, end, invited blocks?, invited units?) per campaign."""
    blocks = Campaign.invited_blocks.through.objects.filter(campaign=OuterRef("pk"))
    units = Campaign.invited_units.through.objects.filter(campaign=OuterRef("pk"))
    return (
        campaigns_in(issuer, period)
        .annotate(has_blocks=Exists(blocks), has_units=Exists(units))
        .values_list(
            "owner_unit__kind", "method", "period_start", "period_end", "has_blocks", "has_units"
        )
    )


def _counting_lines(
    spec: Sequence[tuple[str, str, str, str]], counts: dict[str, Counter[int]], columns: int
) -> tuple[Line, ...]:
    """Lines from (style, code, label, unit) with one Counter per code over columns 1..n (0 is
    the total)."""
    lines = []
    for style, code, label, unit in spec:
        if not code:
            lines.append(Line(label, "", (None,) * (columns + 1), unit, style))
            continue
        counter = counts.get(code, Counter())
        values = tuple(counter[c] for c in range(1, columns + 1))
        lines.append(Line(label, code, (sum(values), *values), unit, style))
    return tuple(lines)


FORM_0601_LINES = (
    ("total", "01", "Tổng số", ""),
    ("group", "", "1. Chia theo phạm vi tổ chức thi đua", ""),
    ("item", "02", "- Toàn quốc", ""),
    ("item", "03", "- Bộ, ban, ngành, đoàn thể, địa phương", ""),
    ("item", "04", "- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức", ""),
    ("item", "05", "- Cơ quan, tổ chức, đơn vị", ""),
    ("group", "", "2. Chia theo thời hạn thi đua", ""),
    ("item", "06", "- Dưới 1 năm", ""),
    ("item", "07", "- 1 năm", ""),
    ("item", "08", "- Từ 1 năm đến dưới 3 năm", ""),
    ("item", "09", "- Từ 3 năm đến dưới 5 năm", ""),
    ("item", "10", "- Từ 5 năm trở lên", ""),
    ("group", "", "3. Chia theo phương thức tổ chức phong trào thi đua", ""),
    ("item", "11", "- Thi đua theo chuyên đề", ""),
    ("item", "12", "- Thi đua thường xuyên hàng năm", ""),
)


def form_0601(issuer: Unit, period: Period) -> StatForm:
    counts: dict[str, Counter[int]] = {}
    for kind, method, start, end, has_blocks, has_units in _campaign_rows(issuer, period):
        column = campaign_level_column(kind) + 1  # 1: Trung ương, 2: bộ/tỉnh, 3: cơ quan
        codes = (
            "01",
            campaign_scope(kind, blocks_only=has_blocks and not has_units),
            duration_code(start, end, method),
            METHOD_REGULAR if method == EmulationMethod.REGULAR else METHOD_THEMATIC,
        )
        for code in codes:
            counts.setdefault(code, Counter())[column] += 1
    return StatForm(
        key="0601",
        number="0601.N/BNV-TĐKT",
        title="SỐ PHONG TRÀO THI ĐUA",
        unit_of_count="Phong trào",
        header=(
            (
                Cell("", rowspan=2),
                Cell("Mã số", rowspan=2),
                Cell("Tổng số", rowspan=2),
                Cell("Số phong trào thi đua chia theo cấp chủ trì phát động thi đua", colspan=3),
            ),
            (
                Cell("Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)"),
                Cell(
                    "Cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương"
                ),
                Cell("Cơ quan, tổ chức, đơn vị"),
            ),
        ),
        codes=(Cell("A"), Cell("B"), Cell("1=(2+3+4)"), Cell("2"), Cell("3"), Cell("4")),
        lines=_counting_lines(FORM_0601_LINES, counts, 3),
    )


# --------------------------------------------------------------------------- award records


@dataclass(frozen=True)
class AwardRow:
    """What the forms need of one award in the registry."""

    subject: str
    unit_kind: str
    parent_kind: str
    position: str
    level: str
    kind: str
    method: str


_KIND_BY_NAME: tuple[tuple[str, str], ...] = (
    # longest, most specific first; names folded (no accents, lower case)
    ("giai thuong ho chi minh", StatisticsKind.HO_CHI_MINH_PRIZE),
    ("giai thuong nha nuoc", StatisticsKind.STATE_PRIZE),
    ("co thi dua cua chinh phu", StatisticsKind.GOVERNMENT_FLAG),
    ("bang khen cua thu tuong", StatisticsKind.PRIME_MINISTER_MERIT),
    ("chien si thi dua toan quoc", StatisticsKind.NATIONAL_EMULATION_FIGHTER),
    ("chien si thi dua co so", StatisticsKind.GRASSROOTS_EMULATION_FIGHTER),
    ("chien si thi dua", StatisticsKind.PROVINCIAL_EMULATION_FIGHTER),
    ("huan chuong", StatisticsKind.ORDER_MEDAL),
    ("huy chuong", StatisticsKind.ORDER_MEDAL),
    ("anh hung", StatisticsKind.STATE_HONOUR),
    ("ba me viet nam anh hung", StatisticsKind.STATE_HONOUR),
    ("nha giao nhan dan", StatisticsKind.STATE_HONOUR),
    ("nha giao uu tu", StatisticsKind.STATE_HONOUR),
    ("thay thuoc nhan dan", StatisticsKind.STATE_HONOUR),
    ("thay thuoc uu tu", StatisticsKind.STATE_HONOUR),
    ("nghe si nhan dan", StatisticsKind.STATE_HONOUR),
    ("nghe si uu tu", StatisticsKind.STATE_HONOUR),
    ("nghe nhan nhan dan", StatisticsKind.STATE_HONOUR),
    ("nghe nhan uu tu", StatisticsKind.STATE_HONOUR),
    ("co thi dua", StatisticsKind.EMULATION_FLAG),
    ("ky niem chuong", StatisticsKind.BADGE),
    ("huy hieu", StatisticsKind.BADGE),
    ("bang khen", StatisticsKind.MERIT),
    ("giay khen", StatisticsKind.COMMENDATION),
)


def statistics_kind(name: str, stored: str = "") -> str:
    """The award type's column: as set on the type, else read from its (statutory) name."""
    if stored:
        return stored
    folded = fold(name)
    return next((kind for words, kind in _KIND_BY_NAME if words in folded), StatisticsKind.OTHER)


def award_type_kind(award_type: AwardType) -> str:
    return statistics_kind(award_type.name, award_type.statistics_kind)


def awards_in(issuer: Unit, period: Period) -> QuerySet[AwardRecord]:
    """Awards in force decided in the period whose recipient is the issuer or a unit below it
    (or one of its people), or that the issuer or a unit below it granted."""
    units = subtree(issuer)
    decided = Q(decision__isnull=False, decision__signed_on__range=(period.start, period.end))
    imported = Q(decision__isnull=True, legacy_signed_on__range=(period.start, period.end))
    return AwardRecord.objects.filter(
        decided | imported,
        Q(unit__in=units) | Q(issuer_code__in=units.values("code")),
        status=AwardRecord.Status.VALID,
    )


def award_rows(issuer: Unit, period: Period) -> list[AwardRow]:
    fields = (
        "subject", "unit__kind", "unit__parent__kind", "person__position", "recipient_detail",
        "award_type__level", "award_type__statistics_kind", "award_type__name",
        "award_type__is_thematic", "campaign__method",
    )  # fmt: skip
    rows = []
    for (subject, unit_kind, parent_kind, position, detail, level, stored, name, thematic,
         method) in awards_in(issuer, period).values_list(*fields).iterator(chunk_size=2000):  # fmt: skip
        # imported from the old registry: no campaign, the award type says
        fallback = EmulationMethod.THEMATIC if thematic else EmulationMethod.REGULAR
        rows.append(
            AwardRow(
                subject=subject,
                unit_kind=unit_kind,
                parent_kind=parent_kind or "",
                # the person's position; an imported award has only "chức vụ, đơn vị"
                position=position if position is not None else detail.split(",")[0].strip(),
                level=level,
                kind=statistics_kind(name, stored),
                method=method or fallback,
            )
        )
    return rows


_LEADER_TITLES = (
    "chu tich", "pho chu tich", "bi thu", "pho bi thu", "tong giam doc", "pho tong giam doc",
    "giam doc", "pho giam doc", "truong ", "pho truong", "chanh ", "pho chanh", "hieu truong",
    "pho hieu truong", "thu truong", "vu truong", "pho vu truong", "cuc truong", "pho cuc truong",
    "chu nhiem", "pho chu nhiem", "uy vien thuong vu", "to truong", "pho to truong",
)  # fmt: skip
PROVINCIAL_LEADERS, DEPARTMENT_LEADERS, BUSINESS, OTHER_LEADERS, WORKERS = range(5)


def is_leader(position: str) -> bool:
    folded = fold(position) + " "
    return folded.startswith(_LEADER_TITLES)


def individual_group(row: AwardRow) -> int:
    """Rows "+ Lãnh đạo …" to "+ Người trực tiếp …" of an individual, from the position held
    and the kind of unit: leaders of a province; of a province's department or of a district
    (equivalent rank); leaders of an enterprise (doanh nhân); other leaders; everyone else."""
    if not is_leader(row.position):
        return WORKERS
    if row.unit_kind == UnitKind.PROVINCE:
        return PROVINCIAL_LEADERS
    if row.unit_kind == UnitKind.DISTRICT or (
        row.unit_kind == UnitKind.OFFICE and row.parent_kind == UnitKind.PROVINCE
    ):
        return DEPARTMENT_LEADERS
    if row.unit_kind == UnitKind.ENTERPRISE:
        return BUSINESS
    return OTHER_LEADERS


METHOD_ROWS = ("Thường xuyên", "Chuyên đề", "Đột xuất", "Đối ngoại", "Cống hiến", "Niên hạn",
               "Kháng chiến")  # fmt: skip


def _subject_lines(first: int, method_first: int) -> list[tuple[str, str, str, str]]:
    """The by-target and by-method lines shared by 0602, 0603 and the reference table."""
    c = [f"{n:02d}" for n in range(first, first + 9)]
    spec = [
        ("item", c[0], "- Tập thể", "Tập thể"),
        ("sub", c[1], "Trong đó: Doanh nghiệp", "Doanh nghiệp"),
        ("item", c[2], "- Hộ gia đình", "Hộ"),
        ("item", c[3], "- Cá nhân", "Người"),
        ("sub", c[4], "+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "Người"),
        ("sub", c[5], "+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "Người"),
        ("sub", c[6], "+ Doanh nhân", "Người"),
        ("sub", c[7], "+ Các cấp lãnh đạo khác từ phó phòng trở lên", "Người"),
        (
            "sub",
            c[8],
            "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu "
            "(công nhân, nông dân,...)",
            "Người",
        ),
    ]
    methods = [
        ("item", f"{method_first + i:02d}", f"- {label}", "") for i, label in enumerate(METHOD_ROWS)
    ]
    return [*spec, ("group", "", "{n}. Chia theo phương thức khen thưởng", ""), *methods]


def _row_codes(row: AwardRow, first: int, method_first: int) -> list[str]:
    """The codes of the lines an award counts in (besides 01)."""
    codes = []
    if row.subject == INDIVIDUAL:
        codes += [f"{first + 3:02d}", f"{first + 4 + individual_group(row):02d}"]
    elif row.subject == HOUSEHOLD:
        codes.append(f"{first + 2:02d}")
    else:
        codes.append(f"{first:02d}")
        if row.unit_kind == UnitKind.ENTERPRISE:
            codes.append(f"{first + 1:02d}")
    method = 0 if row.method == EmulationMethod.REGULAR else 1
    codes.append(f"{method_first + method:02d}")
    return codes


def _award_form_lines(
    rows: Iterable[AwardRow],
    *,
    column_of: Callable[[AwardRow], int | None],
    columns: int,
    head: list[tuple[str, str, str, str]],
    first: int,
    method_first: int,
    extra: Callable[[AwardRow], list[str]] = lambda row: [],
) -> tuple[tuple[Line, ...], int]:
    """(lines, awards left out because no column of the form takes them)."""
    counts: dict[str, Counter[int]] = {}
    left_out = 0
    for row in rows:
        column = column_of(row)
        if column is None:
            left_out += 1
            continue
        for code in ["01", *extra(row), *_row_codes(row, first, method_first)]:
            counts.setdefault(code, Counter())[column] += 1
    spec = head + _subject_lines(first, method_first)
    group = 0
    numbered = []
    for style, code, label, unit in spec:
        group += style == "group"
        numbered.append((style, code, label.replace("{n}", str(group)), unit))
    return _counting_lines(numbered, counts, columns), left_out


def _paired(row: AwardRow, first: int) -> int:
    """Of a Tập thể / Cá nhân pair of columns starting at `first`: households go with
    collectives (the form has no household column)."""
    return first if row.subject != INDIVIDUAL else first + 1


# 0602: 12 data columns after the total.
_STATE_COLUMNS: dict[str, Callable[[AwardRow], int]] = {
    StatisticsKind.ORDER_MEDAL: lambda r: _paired(r, 1),
    StatisticsKind.HO_CHI_MINH_PRIZE: lambda r: 3,
    StatisticsKind.STATE_PRIZE: lambda r: 4,
    StatisticsKind.STATE_HONOUR: lambda r: _paired(r, 5),
    StatisticsKind.GOVERNMENT_FLAG: lambda r: 7,
    StatisticsKind.PRIME_MINISTER_MERIT: lambda r: _paired(r, 8),
    StatisticsKind.NATIONAL_EMULATION_FIGHTER: lambda r: 10,
}


def _state_column(row: AwardRow) -> int | None:
    if row.level != AwardType.Level.STATE:
        return None
    pick = _STATE_COLUMNS.get(row.kind)
    return pick(row) if pick is not None else _paired(row, 11)


def form_0602(issuer: Unit, period: Period, rows: list[AwardRow] | None = None) -> StatForm:
    rows = award_rows(issuer, period) if rows is None else rows
    head = [
        ("total", "01", "Tổng số", ""),
        ("group", "", "{n}. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng", ""),
        ("item", "02", "- Bộ, ban, ngành, đoàn thể Trung ương", "Bộ, ngành"),
        ("item", "03", "- Tỉnh, thành phố trực thuộc Trung ương", "Tỉnh, thành phố"),
        ("group", "", "{n}. Chia theo đối tượng khen thưởng", ""),
    ]  # fmt: skip
    # The registry does not say who proposed a state award: a province's, and a district's
    # through its province, all come from the province (row 03).
    lines, _ = _award_form_lines(
        rows,
        column_of=_state_column,
        columns=12,
        head=head,
        first=6,
        method_first=15,
        extra=lambda r: ["03"],
    )
    pair = ("Tập thể", "Cá nhân")
    return StatForm(
        key="0602",
        number="0602.N/BNV-TĐKT",
        title="SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
        header=(
            (
                Cell("", rowspan=3),
                Cell("Mã số", rowspan=3),
                Cell("Đơn vị tính", rowspan=3),
                Cell("Tổng số", rowspan=3),
                Cell("Chia ra", colspan=12),
            ),
            (
                Cell("Các loại huân chương, huy chương", colspan=2),
                Cell("Giải thưởng Hồ Chí Minh"),
                Cell("Giải thưởng Nhà nước"),
                Cell("Danh hiệu vinh dự nhà nước", colspan=2),
                Cell("Cờ thi đua của Chính phủ"),
                Cell("Bằng khen của Thủ tướng Chính phủ", colspan=2),
                Cell("Chiến sĩ thi đua toàn quốc"),
                Cell("Các hình thức khen thưởng khác", colspan=2),
            ),
            tuple(
                Cell(text)
                for text in (*pair, "Cá nhân", "Cá nhân", *pair, "Tập thể", *pair, "Cá nhân", *pair)
            ),
        ),
        codes=(
            Cell("A"),
            Cell("B"),
            Cell("C"),
            Cell("1"),
            Cell("2", colspan=2),
            Cell("3"),
            Cell("4"),
            Cell("5", colspan=2),
            Cell("6"),
            Cell("7", colspan=2),
            Cell("8"),
            Cell("9", colspan=2),
        ),
        lines=lines,
    )


_PROVINCE_COLUMNS: dict[str, int] = {
    StatisticsKind.MERIT: 1,
    StatisticsKind.PROVINCIAL_EMULATION_FIGHTER: 2,
    StatisticsKind.EMULATION_FLAG: 3,
    StatisticsKind.BADGE: 4,
}


def _province_column(row: AwardRow) -> int | None:
    if row.level not in (AwardType.Level.PROVINCE, AwardType.Level.MINISTRY):
        return None
    return _PROVINCE_COLUMNS.get(row.kind)


def form_0603(issuer: Unit, period: Period, rows: list[AwardRow] | None = None) -> StatForm:
    rows = award_rows(issuer, period) if rows is None else rows
    head = [
        ("total", "01", "Tổng số", ""),
        ("group", "", "{n}. Chia theo đối tượng khen thưởng", ""),
    ]
    lines, _ = _award_form_lines(
        rows, column_of=_province_column, columns=4, head=head, first=2, method_first=11
    )
    left_out = sum(
        1
        for r in rows
        if r.level in (AwardType.Level.PROVINCE, AwardType.Level.MINISTRY)
        and r.kind not in _PROVINCE_COLUMNS
    )
    notes: tuple[str, ...] = ()
    if left_out:
        notes = (
            f"{left_out} khen thưởng cấp bộ, cấp tỉnh không thuộc cột nào của biểu (không phải "
            "bằng khen, chiến sĩ thi đua, cờ thi đua, huy hiệu, kỷ niệm chương) nên không được "
            "tính.",
        )
    return StatForm(
        key="0603",
        number="0603.N/BNV-TĐKT",
        title=(
            "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ "
            "TRỰC THUỘC TRUNG ƯƠNG"
        ),
        header=(
            (
                Cell("", rowspan=2),
                Cell("Mã số", rowspan=2),
                Cell("Đơn vị tính", rowspan=2),
                Cell("Tổng số", rowspan=2),
                Cell("Chia ra", colspan=4),
            ),
            (
                Cell("Bằng khen"),
                Cell("Chiến sĩ thi đua cấp bộ, cấp tỉnh"),
                Cell(
                    "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực "
                    "thuộc Trung ương"
                ),
                Cell(
                    "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, "
                    "thành phố trực thuộc Trung ương"
                ),
            ),
        ),
        codes=tuple(Cell(t) for t in ("A", "B", "C", "1", "2", "3", "4", "5")),
        lines=lines,
        notes=notes,
    )


_LOCAL_COLUMNS: dict[str, int] = {
    StatisticsKind.COMMENDATION: 1,
    StatisticsKind.GRASSROOTS_EMULATION_FIGHTER: 2,
}


def _local_column(row: AwardRow) -> int | None:
    if row.level not in (AwardType.Level.DISTRICT, AwardType.Level.COMMUNE):
        return None
    return _LOCAL_COLUMNS.get(row.kind, 3)


def form_local(issuer: Unit, period: Period, rows: list[AwardRow] | None = None) -> StatForm:
    """Not a form of the circular: district and commune awards (Giấy khen …) counted in the
    layout of 0603, for the office's own report and its report to the province."""
    rows = award_rows(issuer, period) if rows is None else rows
    head = [
        ("total", "01", "Tổng số", ""),
        ("group", "", "{n}. Chia theo đối tượng khen thưởng", ""),
    ]
    lines, _ = _award_form_lines(
        rows, column_of=_local_column, columns=3, head=head, first=2, method_first=11
    )
    return StatForm(
        key="tham-khao",
        number="Biểu tham khảo (không thuộc Thông tư số 02/2023/TT-BNV)",
        title="SỐ LƯỢNG KHEN THƯỞNG CẤP HUYỆN, CẤP XÃ",
        header=(
            (
                Cell("", rowspan=2),
                Cell("Mã số", rowspan=2),
                Cell("Đơn vị tính", rowspan=2),
                Cell("Tổng số", rowspan=2),
                Cell("Chia ra", colspan=3),
            ),
            (Cell("Giấy khen"), Cell("Chiến sĩ thi đua cơ sở"), Cell("Hình thức khác")),
        ),
        codes=tuple(Cell(t) for t in ("A", "B", "C", "1", "2", "3", "4")),
        lines=lines,
        official=False,
    )


# ------------------------------------------------------------------ 0604, 0605 (entered)

ORGANISATION_ROWS = (
    ("02", "- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương", "Vụ"),
    ("03", "- Cấp phòng, ban hoặc bộ phận thuộc Vụ", "Phòng"),
    ("04", "- Cấp ban thuộc Sở Nội vụ", "Ban"),
    ("05", "- Cấp phòng thuộc Sở Nội vụ", "Phòng"),
)
AGE_ROWS = (
    ("02", "- Từ 30 trở xuống"),
    ("03", "- Từ 31 đến 40"),
    ("04", "- Từ 41 đến 50"),
    ("05", "- Từ 51 đến 55"),
    ("06", "- Từ 56 đến 60"),
    ("07", "- Trên 60 tuổi"),
)
TRAINING_ROWS = (
    ("08", "- Sơ cấp"),
    ("09", "- Trung cấp"),
    ("10", "- Cao đẳng"),
    ("11", "- Đại học"),
    ("12", "- Trên đại học"),
)
SENIORITY_ROWS = (
    ("13", "- Dưới 5 năm"),
    ("14", "- Từ 5 đến dưới 10 năm"),
    ("15", "- Từ 10 năm trở lên"),
)
STAFF_GROUPS = (
    ("1. Chia theo độ tuổi", AGE_ROWS),
    ("2. Chia theo trình độ đào tạo", TRAINING_ROWS),
    ("3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng", SENIORITY_ROWS),
)


def staffing_for(issuer: Unit, year: int) -> EmulationStaffing | None:
    return EmulationStaffing.objects.filter(issuer=issuer, year=year).first()


def _entered_note(staffing: EmulationStaffing | None) -> tuple[str, ...]:
    if staffing is None:
        return ("Chưa nhập số liệu cho năm này: biểu để trống.",)
    return ()


def form_0604(issuer: Unit, year: int, staffing: EmulationStaffing | None) -> StatForm:
    figures: dict[str, Any] = staffing.organisations if staffing else {}
    items = [
        Line(label, code, (_int(figures.get(code)) if staffing else None,), unit)
        for code, label, unit in ORGANISATION_ROWS
    ]
    total = sum(line.values[0] or 0 for line in items) if staffing else None
    return StatForm(
        key="0604",
        number="0604.N/BNV-TĐKT",
        title=(
            "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ "
            "TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"
        ),
        header=((Cell(""), Cell("Mã số"), Cell("Đơn vị tính"), Cell("Số lượng")),),
        codes=(Cell("A"), Cell("B"), Cell("C"), Cell("1")),
        lines=(
            Line("Tổng số", "01", (total,), "Tổ chức", "total"),
            Line("Chia theo cơ cấu tổ chức bộ máy", "", (None,), "", "group"),
            *items,
        ),
        entered=True,
        notes=_entered_note(staffing),
    )


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def staff_pair(staff: dict[str, Any], code: str) -> tuple[int, int]:
    pair = staff.get(code) or [0, 0]
    return _int(pair[0]), _int(pair[1] if len(pair) > 1 else 0)


def staff_total(staff: dict[str, Any]) -> tuple[int, int]:
    """Row 01: the sum of the age rows (every person has an age)."""
    pairs = [staff_pair(staff, code) for code, _ in AGE_ROWS]
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def form_0605(issuer: Unit, year: int, staffing: EmulationStaffing | None) -> StatForm:
    staff: dict[str, Any] = staffing.staff if staffing else {}
    lines = [Line("Tổng số", "01", staff_total(staff) if staffing else (None, None), "", "total")]
    for heading, rows in STAFF_GROUPS:
        lines.append(Line(heading, "", (None, None), "", "group"))
        lines += [
            Line(label, code, staff_pair(staff, code) if staffing else (None, None))
            for code, label in rows
        ]
    return StatForm(
        key="0605",
        number="0605.N/BNV-TĐKT",
        title=(
            "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ "
            "TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"
        ),
        header=(
            (Cell("", rowspan=2), Cell("Mã số", rowspan=2), Cell("Số lượng (Người)", colspan=2)),
            (Cell("Tổng số"), Cell("Trong đó: Nữ")),
        ),
        codes=(Cell("A"), Cell("B"), Cell("1"), Cell("2")),
        lines=tuple(lines),
        unit_of_count="Người",
        entered=True,
        notes=_entered_note(staffing),
    )


# ------------------------------------------------------------------------------- all forms


@dataclass(frozen=True)
class Report:
    """The forms of one issuer and year, with what their header and signature block print."""

    issuer: Unit
    period: Period
    forms: tuple[StatForm, ...]
    receiving_unit: str
    place: str = ""  # empty: the issuer's (organizations.selectors.place_of)
    made_on: date | None = None
    preparer: str = ""
    head_title: str = "THỦ TRƯỞNG ĐƠN VỊ"
    head_name: str = ""
    staffing: EmulationStaffing | None = field(default=None, compare=False)

    def form(self, key: str) -> StatForm:
        return next(f for f in self.forms if f.key == key)


FORM_KEYS = ("0601", "0602", "0603", "0604", "0605", "tham-khao")


def yearly_report(*, issuer: Unit, year: int, calendar: bool = False, **header: Any) -> Report:
    """All forms for an issuer and a year: three queries (campaigns, awards, entered figures)
    however many campaigns and awards there are."""
    period = report_period(year, calendar=calendar)
    rows = award_rows(issuer, period)
    staffing = staffing_for(issuer, year)
    forms = (
        form_0601(issuer, period),
        form_0602(issuer, period, rows),
        form_0603(issuer, period, rows),
        form_0604(issuer, year, staffing),
        form_0605(issuer, year, staffing),
        form_local(issuer, period, rows),
    )
    header.setdefault("receiving_unit", receiving_unit(issuer))
    return Report(issuer=issuer, period=period, forms=forms, staffing=staffing, **header)


# ------------------------------------------------------------------- entering 0604, 0605


def can_see_statistics(actor: AnyUser) -> bool:
    return roles_of(actor).city_wide


def can_enter_staffing(actor: AnyUser) -> bool:
    return roles_of(actor).has(Role.EMULATION_OFFICE)


STAFF_CODES = tuple(code for _, rows in STAFF_GROUPS for code, _ in rows)
ORGANISATION_CODES = tuple(code for code, _, _ in ORGANISATION_ROWS)


def staffing_check(staff: dict[str, list[int]]) -> list[str]:
    """What does not add up, in Vietnamese: women within each total; the seniority rows count
    everyone the age rows count; the training rows no more (some have no training level)."""
    problems = []
    for code in STAFF_CODES:
        total, women = staff_pair(staff, code)
        if women > total:
            problems.append(f"Dòng {code}: số nữ ({women}) lớn hơn tổng số ({total}).")
    by_age = staff_total(staff)
    sums = {
        name: tuple(sum(staff_pair(staff, code)[i] for code, _ in rows) for i in (0, 1))
        for name, rows in (("training", TRAINING_ROWS), ("seniority", SENIORITY_ROWS))
    }
    if sums["seniority"] != by_age:
        problems.append(
            f"Tổng theo thâm niên ({sums['seniority'][0]} người, {sums['seniority'][1]} nữ) phải "
            f"bằng tổng theo độ tuổi ({by_age[0]} người, {by_age[1]} nữ)."
        )
    if sums["training"][0] > by_age[0] or sums["training"][1] > by_age[1]:
        problems.append(
            f"Tổng theo trình độ đào tạo ({sums['training'][0]} người, {sums['training'][1]} nữ) "
            f"không được lớn hơn tổng theo độ tuổi ({by_age[0]} người, {by_age[1]} nữ)."
        )
    return problems


def staffing_save(
    *,
    actor: User,
    issuer: Unit,
    year: int,
    organisations: dict[str, int],
    staff: dict[str, tuple[int, int]],
    version: int | None = None,
) -> EmulationStaffing:
    """Nội vụ's figures for forms 0604 and 0605 of a reporting unit and year. `version` is the
    one the form was read at: an edit made in between is refused, never overwritten."""
    if not can_enter_staffing(actor):
        raise PermissionDenied
    if issuer.kind not in ISSUER_KINDS:
        raise ValidationError("Chỉ nhập số liệu cho tỉnh, thành phố, huyện, phường, xã.")
    clean_orgs = {code: _int(organisations.get(code)) for code in ORGANISATION_CODES}
    clean_staff = {code: list(staff_pair({code: staff.get(code)}, code)) for code in STAFF_CODES}
    problems = staffing_check(clean_staff)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        row = EmulationStaffing.objects.select_for_update().filter(issuer=issuer, year=year).first()
        if row is None:
            row = EmulationStaffing.objects.create(
                issuer=issuer,
                year=year,
                organisations=clean_orgs,
                staff=clean_staff,
                updated_by=actor,
            )
            changed = {"organisations": clean_orgs, "staff": clean_staff}
        else:
            if version is not None and version != row.version:
                raise ValidationError(
                    "Số liệu vừa được người khác cập nhật. Hãy tải lại trang và nhập lại."
                )
            changed = {
                k: v
                for k, v in (("organisations", clean_orgs), ("staff", clean_staff))
                if getattr(row, k) != v
            }
            if not changed:
                return row
            for name, value in changed.items():
                setattr(row, name, value)
            row.version += 1
            row.updated_by = actor
            row.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
        action_log_record(
            actor=actor,
            action="awards.statistics.staffing_saved",
            target=row,
            data={"year": year, "issuer": issuer.code, **changed},
        )
    return row
