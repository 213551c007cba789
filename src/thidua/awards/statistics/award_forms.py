"""Forms 0602 and 0603 (awards at state, and at ministry/province level) and the reference
table of district and commune awards, from the registry (sổ vàng)."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from thidua.awards.models import (
    AwardRecord,
    AwardType,
    StatisticsKind,
)
from thidua.awards.statistics.campaign_form import (
    _counting_lines,
)
from thidua.awards.statistics.common import (
    HOUSEHOLD,
    INDIVIDUAL,
    Cell,
    Line,
    Period,
    StatForm,
    subtree,
)
from thidua.campaigns.models import EmulationMethod
from thidua.core.text import fold
from thidua.organizations.models import Unit, UnitKind

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
