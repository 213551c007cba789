from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Aggregate,
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Func
from django.db.models.fields import CharField, FloatField, IntegerField, TextField
from django.db.models.fields.json import JSONField
from django.db.models.functions import Cast, Least
from django.db.models.query import prefetch_related_objects

from thidua.accounts.models import Role
from thidua.campaigns.models import ActivityForm, Campaign, RecipientRole
from thidua.campaigns.selectors import campaign_figure
from thidua.core.clock import today_local
from thidua.core.models import ActionLog
from thidua.core.text import fold, vn_decimal, vn_thousands
from thidua.organizations.models import Unit
from thidua.organizations.rules import AnyUser, roles_of, units_at_or_below_bodies_q
from thidua.participation.models import ActivityStat, Commitment, Difficulty, Registration
from thidua.reporting.models import (
    OWED,
    AggregatedReport,
    Indicator,
    Reminder,
    ReportAssignment,
    ReportRequest,
    ReportStatus,
    ReportVersion,
)
from thidua.reporting.rules import can_manage_reports, can_see_reports


def request_list_for(*, actor: AnyUser, campaign: Campaign) -> QuerySet[ReportRequest]:
    qs = ReportRequest.objects.filter(campaign=campaign).select_related("template")
    if not can_see_reports(actor):
        qs = qs.filter(assignments__unit_id__in=[u for _, u in roles_of(actor).grants]).distinct()
    return qs.annotate(
        total=Count("assignments", distinct=True),
        done=Count(
            "assignments",
            filter=Q(assignments__status__in=["submitted", "accepted"]),
            distinct=True,
        ),
    ).order_by("-due_date", "-pk")


def overdue_q() -> Q:
    """Late: still owed to Nội vụ (with the unit, or waiting for its head's approval) after the
    request's deadline. The one rule for the late filter, the request's page (`is_overdue` of
    assignment_list_for) and the campaigns' late counts."""
    return Q(status__in=OWED, request__due_date__lt=today_local())


def assignment_list_for(
    *,
    actor: AnyUser,
    request: ReportRequest | None = None,
    unit_query: str = "",
    status: str = "",
) -> QuerySet[ReportAssignment]:
    """The reports the actor may see, by deadline. `unit_query` matches the unit's name, short
    name or code with or without accents; a `status` shows that status only. Each row says
    whether it is late (`is_overdue`, overdue_q)."""
    qs = ReportAssignment.objects.select_related("unit", "request__campaign")
    if request is not None:
        qs = qs.filter(request=request)
    if not can_see_reports(actor):
        qs = qs.filter(unit_id__in=[u for _, u in roles_of(actor).grants])
    if unit_query:
        qs = qs.filter(unit__search_text__contains=fold(unit_query))
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(
        versions_count=Count("versions"),
        is_overdue=ExpressionWrapper(overdue_q(), output_field=BooleanField()),
    ).order_by("request__due_date", "unit__name_sort")


def status_choices_with_counts(request: ReportRequest) -> list[tuple[str, str]]:
    """The request's report statuses with how many units are in each ("Đã nộp (3)"): the
    filter of its page tells Phòng Nội vụ what waits for it before it picks."""
    rows = request.assignments.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return [(value, f"{label} ({counts.get(value, 0)})") for value, label in ReportStatus.choices]


NO_FIGURES = "chưa có số liệu"  # an indicator no unit that reported filled: not a zero
NO_FIGURES_CELL = "Chưa có số liệu"  # the same, as a spreadsheet cell


def _display(value: float | None, indicator: Indicator, units: tuple[int, int] = (0, 0)) -> str:
    """A total as printed; "chưa có số liệu" when no unit that reported filled the indicator (a
    blank is not a zero). A yes/no share is of the units that answered the question, and says
    so ("1/3 đơn vị trả lời (33%)"): units not reported, or that left it blank, did not say
    "Không". A count is of the units asked."""
    if value is None:
        return NO_FIGURES
    count, of = units
    if indicator.aggregation == Indicator.Aggregation.YES_SHARE:
        return f"{vn_thousands(count)}/{vn_thousands(of)} đơn vị trả lời ({value:.0f}%)"
    if indicator.aggregation == Indicator.Aggregation.COUNT:
        return f"{vn_thousands(count)}/{vn_thousands(of)} đơn vị"
    return f"{vn_decimal(value)} {indicator.unit_of_measure}".strip()


@dataclass(frozen=True, slots=True)
class _UnitRef:
    pk: int
    name: str


@dataclass(frozen=True, slots=True)
class _AssignmentRow:
    """The columns of a ReportAssignment that the aggregated report reads."""

    status: str
    is_late: bool
    draft_values: dict[str, Any]
    draft_narratives: dict[str, str]
    unit: _UnitRef


class _JsonItem(Func):
    """`column -> 'key'` (the value as JSON) or `->>` (as text) of a JSON object, on PostgreSQL
    and SQLite (3.38+). Django's key transforms read a key like "12" as an array index."""

    def __init__(self, column: str, key: str, *, text: bool) -> None:
        self.key, self.text = key, text
        super().__init__(F(column), output_field=TextField() if text else JSONField())

    def as_sql(
        self, compiler: Any, connection: Any, *args: Any, **kwargs: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        path = self.key if connection.vendor == "postgresql" else f'$."{self.key}"'
        return f"({column} {'->>' if self.text else '->'} %s)", [*params, path]


class _JsonFigure(Func):
    """An indicator's value in SQL, for the aggregates, read out of the JSON once per row: a
    number, or for a yes/no indicator 1 for "Có" and 0 for "Không" (as Python's sum() counted
    True and False); NULL when absent or null, so SUM, AVG and COUNT skip it as the Python
    computation did. Yes/no indicators hold JSON booleans and the others numbers (drafts'
    _clean_values and the API check it), which is what lets each be read with one cast."""

    def __init__(self, column: str, key: str, *, yes_no: bool) -> None:
        self.key, self.yes_no = key, yes_no
        super().__init__(F(column), output_field=IntegerField() if yes_no else FloatField())

    def as_sql(
        self, compiler: Any, connection: Any, *args: Any, **kwargs: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.source_expressions[0])
        pg = connection.vendor == "postgresql"
        path = [*params, self.key if pg else f'$."{self.key}"']
        if self.yes_no:  # SQLite's `->` gives the JSON text: true, false ("true" for a string)
            true, false = ("'true'::jsonb", "'false'::jsonb") if pg else ("'true'", "'false'")
            return f"CASE ({column} -> %s) WHEN {true} THEN 1 WHEN {false} THEN 0 END", path
        return (f"(({column} ->> %s)::numeric)" if pg else f"({column} ->> %s)"), path


# Up to this many units asked, the aggregated report's body has a line per unit (each unit's
# narrative per section, its figures, every unit not reported), as a short report reads best.
# Above it those go to the annex (Phụ lục, an Excel download): a body of thousands of lines is
# unusable, and building it made the report's time grow with the units (issue #22).
AGGREGATE_DETAIL_UNITS = 100
MISSING_NAMED = 5  # units not reported named in a body above the threshold; the rest counted
# The first names of many units not reported come from walking the units' name index, which
# stops after a few probes when many owe the report; when few do, the walk would read most of
# the city's units, and joining and sorting those few is cheaper.
MISSING_SORTED = 500
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def _draft_columns(indicators: Sequence[str], sections: Sequence[str]) -> list[_JsonItem]:
    """Each indicator's value and each section's text of a report, read out of its JSON in SQL."""
    return [
        *(_JsonItem("draft_values", key, text=False) for key in indicators),
        *(_JsonItem("draft_narratives", key, text=True) for key in sections),
    ]


def _assignment_rows(
    request: ReportRequest, indicators: Sequence[str], sections: Sequence[str]
) -> list[_AssignmentRow]:
    """Plain rows, no model instances: building 20,000 assignments and units as models was
    nine tenths of a 2.3 s build (issue #22). Each indicator's value and each section's text
    is read out of the JSON in SQL (`->` / `json_extract`), so the narratives, most of the
    bytes, are never decoded whole in Python."""
    columns = _draft_columns(indicators, sections)
    rows = request.assignments.order_by("unit__name_sort", "unit_id").values_list(
        "status", "is_late", "unit_id", "unit__name", *columns
    )
    split = 4 + len(indicators)
    result = []
    for row in rows:
        values = {k: v for k, v in zip(indicators, row[4:split], strict=True) if v is not None}
        texts = {k: v for k, v in zip(sections, row[split:], strict=True) if v is not None}
        result.append(_AssignmentRow(row[0], row[1], values, texts, _UnitRef(row[2], row[3])))
    return result


def _indicator_aggregate(ind: Indicator) -> Aggregate:
    """The SQL aggregate of one indicator over the reports received (the query's rows): a sum,
    an average, the units with a value, or the units that answered "Có"."""
    key, yes_no = str(ind.pk), ind.is_yes_no
    if ind.aggregation == Indicator.Aggregation.SUM:
        return Sum(_JsonFigure("draft_values", key, yes_no=yes_no))
    if ind.aggregation == Indicator.Aggregation.AVERAGE:
        return Avg(_JsonFigure("draft_values", key, yes_no=yes_no))
    if ind.aggregation == Indicator.Aggregation.COUNT:
        return _indicator_filled(ind)
    return Sum(_JsonFigure("draft_values", key, yes_no=True))  # a number is never "Có"


def _indicator_filled(ind: Indicator) -> Aggregate:
    """The reports received that hold a value for the indicator (for a yes/no, that answered
    it): none means no figures, which is not a total of zero."""
    return Count(_JsonItem("draft_values", str(ind.pk), text=True))


def _indicator_row(ind: Indicator, result: Any, filled: int, asked: int) -> dict[str, Any]:
    """One indicator's total, as computed (by `_indicator_aggregate`; `filled`: the reports
    received with a value, by `_indicator_filled`) and as printed. No value at all is no
    total (None, "chưa có số liệu"), never a 0 or a 0 %."""
    total: float | None
    count, of = 0, asked
    if not filled:
        total = None
    elif ind.aggregation == Indicator.Aggregation.SUM:
        total = float(result or 0)
    elif ind.aggregation == Indicator.Aggregation.AVERAGE:
        total = None if result is None else float(result)
    elif ind.aggregation == Indicator.Aggregation.COUNT:
        count = result
        total = float(count)
    else:  # share of the units that answered: a blank or a report not received is no "Không"
        count, of = result or 0, filled
        total = 100 * count / filled
    return {
        "indicator": ind,
        "name": ind.name,
        "total": total,
        "display": _display(total, ind, (count, of)),
    }


def assignments_filtered(
    *, actor: AnyUser, campaign: Campaign, status: str = "", late: bool = False
) -> QuerySet[ReportAssignment]:
    """The reports behind a figure of the dashboard: one status, or the late ones (still owed
    after the deadline), across the campaign's requests; only what the actor may see."""
    qs = assignment_list_for(actor=actor).filter(request__campaign=campaign)
    if status:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(overdue_q())
    return qs.select_related("request")


def aggregate_figures(
    *, request: ReportRequest, detail_units: int | None = AGGREGATE_DETAIL_UNITS
) -> dict[str, Any]:
    """Counts and each indicator's total: one aggregate query over the reports received, and a
    count of the units asked. Up to `detail_units` units asked (None: any number) also the
    per-unit rows, the narratives by section and every unit not reported; above it (`detailed`
    false) only the first MISSING_NAMED units not reported, by name: the rest is in the annex.
    Five queries."""
    template = request.template
    prefetch_related_objects([template], "indicators", "sections")
    indicators = list(template.indicators.all())
    sections = list(template.sections.all())
    # Only the reports received are read (no FILTER per aggregate, no JSON of drafts); the
    # units asked are an index-only count.
    counts = request.assignments.filter(status__in=REPORTED).aggregate(
        n_reported=Count("pk"),
        n_late=Count("pk", filter=Q(is_late=True)),
        **{f"i{n}": _indicator_aggregate(ind) for n, ind in enumerate(indicators)},
        **{f"f{n}": _indicator_filled(ind) for n, ind in enumerate(indicators)},
    )
    asked, reported_count = request.assignments.count(), counts["n_reported"]
    figures: dict[str, Any] = {
        "total": asked,
        "reported": reported_count,
        "late": counts["n_late"],
        "indicators": [
            _indicator_row(ind, counts[f"i{n}"], counts[f"f{n}"], asked)
            for n, ind in enumerate(indicators)
        ],
        "detailed": detail_units is None or asked <= detail_units,
        "missing_count": asked - reported_count,
    }
    if not figures["detailed"]:
        owing = request.assignments.exclude(status__in=REPORTED)
        missing: QuerySet[Any, tuple[int, str]]
        if figures["missing_count"] <= MISSING_SORTED:  # few: joined and sorted
            missing = owing.order_by("unit__name_sort", "unit_id").values_list(
                "unit_id", "unit__name"
            )[:MISSING_NAMED]
        else:  # many: the units' name index walked until the first few owing (unit_name_sort)
            missing = (
                Unit.objects.filter(Exists(owing.filter(unit=OuterRef("pk"))))
                .order_by("name_sort", "pk")
                .values_list("pk", "name")[:MISSING_NAMED]
            )
        figures["sections"] = [{"title": s.title, "entries": []} for s in sections]
        figures["per_unit"] = []
        figures["missing"] = [_UnitRef(pk, name) for pk, name in missing]
        figures["missing_more"] = figures["missing_count"] - len(figures["missing"])
        return figures
    assignments = _assignment_rows(
        request, [str(i.pk) for i in indicators], [str(s.pk) for s in sections]
    )
    reported = [a for a in assignments if a.status in REPORTED]
    figures["sections"] = [
        {
            "title": s.title,
            "entries": [
                {"unit": a.unit.name, "text": a.draft_narratives.get(str(s.pk), "")}
                for a in reported
                if a.draft_narratives.get(str(s.pk), "").strip()
            ],
        }
        for s in sections
    ]
    figures["per_unit"] = [
        {
            "unit": a.unit,
            "late": a.is_late,
            "values": [a.draft_values.get(str(i.pk)) for i in indicators],
        }
        for a in reported
    ]
    figures["missing"] = [a.unit for a in assignments if a.status not in REPORTED]
    figures["missing_more"] = 0
    return figures


def reports_since_build(report: AggregatedReport) -> int:
    """Reports submitted (or submitted again) or returned after the aggregated report was last
    built: its body counts them as they were, while an annex taken now would not."""
    submitted = ReportVersion.objects.filter(
        assignment__request_id=report.request_id, submitted_at__gt=report.built_at
    ).count()
    assignments = (
        ReportAssignment.objects.filter(request_id=report.request_id)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    returned = ActionLog.objects.filter(
        action=f"reporting.report.{ReportStatus.RETURNED}",
        target_type=ContentType.objects.get_for_model(ReportAssignment),
        target_id__in=assignments,
        at__gt=report.built_at,
    ).count()
    return submitted + returned


def aggregate_annex_rows(request: ReportRequest) -> Iterator[list[Any]]:
    """The annex (Phụ lục) of the aggregated report: one row per unit asked, by name: unit,
    status, "Có" when submitted late, each indicator's value, each section's text, the last
    two only for reports received (a draft is not reported). Read in chunks, values and texts
    extracted from the JSON in SQL."""
    template = request.template
    indicators = [str(i.pk) for i in template.indicators.all()]
    sections = [str(s.pk) for s in template.sections.all()]
    statuses = dict(ReportStatus.choices)
    rows = request.assignments.order_by("unit__name_sort", "unit_id").values_list(
        "unit__name",
        "status",
        "is_late",
        *_draft_columns(indicators, sections),
    )
    for name, status, is_late, *cells in rows.iterator(chunk_size=2000):
        yield [name, statuses[status], "Có" if is_late else "", *(cells * (status in REPORTED))]


def aggregate_totals_rows(
    request: ReportRequest, totals: Sequence[dict[str, Any]]
) -> Iterator[list[Any]]:
    """The totals workbook ("Excel" on the aggregated report page): each unit that reported,
    by name, with "Có" when late and each indicator's value; the totals (`totals`: the
    `indicators` of `aggregate_figures`; "Chưa có số liệu" for an indicator no unit that
    reported filled, not an empty cell that reads as zero); then each unit not reported. The
    rows that `aggregate_figures(detail_units=None)` gives, read in chunks with the values
    extracted from the JSON in SQL and no narrative read, so no unit is held in memory."""
    keys = [str(row["indicator"].pk) for row in totals]
    ordered = request.assignments.order_by("unit__name_sort", "unit_id")
    received = ordered.filter(status__in=REPORTED).values_list(
        "unit__name", "is_late", *_draft_columns(keys, ())
    )
    for name, is_late, *values in received.iterator(chunk_size=2000):
        yield [name, "Có" if is_late else "", *values]
    yield ["Tổng hợp", "", *(NO_FIGURES_CELL if r["total"] is None else r["total"] for r in totals)]
    missing = ordered.exclude(status__in=REPORTED).values_list("unit__name", flat=True)
    for name in missing.iterator(chunk_size=2000):
        yield [name, "Chưa báo cáo"]


def dashboard(*, campaign: Campaign) -> dict[str, Any]:
    """The figures below, counted again only after something they count changed
    (campaigns.services.campaign_figures_changed bumps their version)."""
    return campaign_figure(campaign.pk, "dashboard", lambda: dashboard_figures(campaign=campaign))


def dashboard_figures(*, campaign: Campaign) -> dict[str, Any]:
    """Activity figures come from the month × form counters; the rest are single aggregate
    queries. No Python loop over activities, reports or units."""
    stats = list(
        ActivityStat.objects.filter(campaign=campaign, activities__gt=0)
        .values("month", "form_code", "activities", "participants")
        .order_by("month", "form_code")
    )
    totals = {
        "n": sum(r["activities"] for r in stats),
        "people": sum(r["participants"] for r in stats),
    }
    labels = dict(ActivityForm.Code.choices)
    months: list[date] = sorted({r["month"] for r in stats})
    codes: list[str] = sorted({r["form_code"] for r in stats})
    counts: dict[tuple[date, str], int] = {
        (r["month"], r["form_code"]): r["activities"] for r in stats
    }
    series = [
        {"label": labels.get(c, c), "code": c, "data": [counts.get((m, c), 0) for m in months]}
        for c in codes
    ]
    registrations = Registration.objects.filter(campaign=campaign).aggregate(
        submitted=Count("pk", filter=Q(status="submitted")), total=Count("pk")
    )
    report_status = list(
        ReportAssignment.objects.filter(request__campaign=campaign)
        .values("status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
        .order_by("status")
    )
    status_labels = dict(ReportStatus.choices)
    for row in report_status:
        row["label"] = status_labels[row["status"]]
    hundred = Value(Decimal(100))
    progress = Commitment.objects.filter(
        registration__campaign=campaign, target_kind="number", target_value__gt=0
    ).aggregate(avg=Avg(Least(hundred, hundred * F("actual") / F("target_value"))))
    return {
        "commitment_progress": round(progress["avg"]) if progress["avg"] is not None else None,
        "activities": totals["n"],
        "participants": totals["people"],
        "registered": registrations["submitted"],
        "registrations": registrations["total"],
        # Only the units carrying the plan out register (as on the registration board).
        "invited": campaign.deliveries.filter(role=RecipientRole.IMPLEMENT).count(),
        "months": [m.strftime("%m/%Y") for m in months],
        "month_keys": [m.strftime("%Y-%m") for m in months],
        "series": series,
        "report_status": report_status,
        "reminders": Reminder.objects.filter(assignment__request__campaign=campaign).count(),
        "open_difficulties": Difficulty.objects.filter(
            campaign=campaign, status__in=["open", "forwarded"]
        ).count(),
    }


def request_visible_to(*, actor: AnyUser, pk: int) -> ReportRequest | None:
    """A request the user sees: city roles every one, units those sent to them."""
    visible = assignment_list_for(actor=actor).values("request_id")
    return (
        ReportRequest.objects.filter(pk__in=visible)
        .select_related("template", "campaign")
        .filter(pk=pk)
        .first()
    )


# --- Start page ("Việc cần làm") -------------------------------------------------------------

DRAFTING = [ReportStatus.PENDING, ReportStatus.RETURNED]


def reports_to_do_for(*, actor: AnyUser) -> QuerySet[ReportAssignment]:
    """Reports the actor's units still owe: to write or fix (focal officer and head), or to
    approve (head). Returned ones first (by Nội vụ, or by the unit head to its officer), then
    by deadline."""
    roles = roles_of(actor)
    drafting = roles.units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    approving = roles.units_with(Role.UNIT_HEAD)
    return (
        ReportAssignment.objects.filter(
            Q(unit_id__in=drafting, status__in=DRAFTING)
            | Q(unit_id__in=approving, status=ReportStatus.PENDING_APPROVAL)
        )
        .select_related("unit", "request__campaign")
        .order_by(
            Case(
                When(status=ReportStatus.RETURNED, then=0),
                When(~Q(head_note=""), then=0),
                default=1,
            ),
            "request__due_date",
            "pk",
        )
    )


def reports_to_review_for(*, actor: AnyUser) -> QuerySet[ReportAssignment]:
    """Submitted reports waiting for Nội vụ to accept or return."""
    if not can_manage_reports(actor):
        return ReportAssignment.objects.none()
    # Only campaigns run at or below the bodies the user is Nội vụ of (docs/security.md R19).
    runs = units_at_or_below_bodies_q(actor, "request__campaign__owner_unit", Role.EMULATION_OFFICE)
    return (
        ReportAssignment.objects.filter(runs, status=ReportStatus.SUBMITTED)
        .select_related("unit", "request__campaign")
        .order_by("submitted_at", "pk")
    )


def report_progress_by_campaign(*, campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per campaign, one query: reports asked for, received, and late units (still owing a
    report whose deadline has passed: overdue_q)."""
    received = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
    rows = (
        ReportAssignment.objects.filter(request__campaign_id__in=campaign_ids)
        .values("request__campaign_id")
        .annotate(
            total=Count("pk"),
            received=Count("pk", filter=Q(status__in=received)),
            late_units=Count(
                "unit_id",
                filter=overdue_q(),
                distinct=True,
            ),
        )
        .order_by()
    )
    return {
        row["request__campaign_id"]: {
            "total": row["total"],
            "received": row["received"],
            "late_units": row["late_units"],
        }
        for row in rows
    }


def figure_text(value: Any) -> str:
    """A reported figure as a Vietnamese reader writes it: 1.250,5; Có/Không; — when absent."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return vn_decimal(float(value))


def version_changes(*, old: ReportVersion, new: ReportVersion) -> list[dict[str, Any]]:
    """Indicator by indicator, the figure in each version and whether it changed (250 → 312)."""
    indicators = old.assignment.request.template.indicators.all()
    rows = []
    for indicator in indicators:
        key = str(indicator.pk)
        before, after = old.values.get(key), new.values.get(key)
        rows.append(
            {
                "name": indicator.name,
                "unit_of_measure": indicator.unit_of_measure,
                "before": figure_text(before),
                "after": figure_text(after),
                "changed": before != after,
            }
        )
    return rows
