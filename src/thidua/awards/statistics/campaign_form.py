"""Form 0601: the campaigns launched in the reporting period, by method, scope and
duration."""

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from thidua.awards.statistics.common import (
    Cell,
    Line,
    Period,
    StatForm,
    subtree,
)
from thidua.campaigns.models import Campaign, CampaignStatus, EmulationMethod
from thidua.organizations.models import Unit, UnitKind

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
