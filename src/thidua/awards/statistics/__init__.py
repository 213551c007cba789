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

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from thidua.awards.models import EmulationStaffing
from thidua.awards.statistics.award_forms import (
    BUSINESS,
    DEPARTMENT_LEADERS,
    METHOD_ROWS,
    OTHER_LEADERS,
    PROVINCIAL_LEADERS,
    WORKERS,
    AwardRow,
    award_rows,
    award_type_kind,
    awards_in,
    form_0602,
    form_0603,
    form_local,
    individual_group,
    is_leader,
    statistics_kind,
)
from thidua.awards.statistics.campaign_form import (
    DURATION_CODES,
    FORM_0601_LINES,
    campaign_level_column,
    campaign_scope,
    campaigns_in,
    duration_code,
    form_0601,
)
from thidua.awards.statistics.common import (
    CIRCULAR,
    COLLECTIVE,
    HOUSEHOLD,
    INDIVIDUAL,
    ISSUER_KINDS,
    RECEIVED_ON,
    Cell,
    Line,
    Period,
    StatForm,
    default_issuer,
    grid,
    issuer_choices,
    locality,
    receiving_unit,
    report_period,
    subtree,
)
from thidua.awards.statistics.staffing import (
    AGE_ROWS,
    ORGANISATION_CODES,
    ORGANISATION_ROWS,
    SENIORITY_ROWS,
    STAFF_CODES,
    STAFF_GROUPS,
    TRAINING_ROWS,
    can_enter_staffing,
    can_see_statistics,
    form_0604,
    form_0605,
    staff_pair,
    staff_total,
    staffing_check,
    staffing_for,
    staffing_save,
)
from thidua.organizations.models import Unit

__all__ = [
    "AGE_ROWS",
    "BUSINESS",
    "CIRCULAR",
    "COLLECTIVE",
    "DEPARTMENT_LEADERS",
    "DURATION_CODES",
    "FORM_0601_LINES",
    "FORM_KEYS",
    "HOUSEHOLD",
    "INDIVIDUAL",
    "ISSUER_KINDS",
    "METHOD_ROWS",
    "ORGANISATION_CODES",
    "ORGANISATION_ROWS",
    "OTHER_LEADERS",
    "PROVINCIAL_LEADERS",
    "RECEIVED_ON",
    "SENIORITY_ROWS",
    "STAFF_CODES",
    "STAFF_GROUPS",
    "TRAINING_ROWS",
    "WORKERS",
    "AwardRow",
    "Cell",
    "Line",
    "Period",
    "Report",
    "StatForm",
    "award_rows",
    "award_type_kind",
    "awards_in",
    "campaign_level_column",
    "campaign_scope",
    "campaigns_in",
    "can_enter_staffing",
    "can_see_statistics",
    "default_issuer",
    "duration_code",
    "form_0601",
    "form_0602",
    "form_0603",
    "form_0604",
    "form_0605",
    "form_local",
    "grid",
    "individual_group",
    "is_leader",
    "issuer_choices",
    "locality",
    "receiving_unit",
    "report_period",
    "staff_pair",
    "staff_total",
    "staffing_check",
    "staffing_for",
    "staffing_save",
    "statistics_kind",
    "subtree",
    "yearly_report",
]

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
