"""Excel exchange of indicator figures per unit (export, import back)."""

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from thidua.accounts.models import User
from thidua.core.excel import (
    Column,
    RowError,
    SheetFile,
    cell_text,
    parse_yes_no,
    percent_figure,
    read_rows,
)
from thidua.core.exports import Export
from thidua.core.services import action_log_record
from thidua.reporting import rules
from thidua.reporting.models import (
    Indicator,
    ReportAssignment,
    ReportRequest,
    ReportStatus,
)
from thidua.reporting.selectors import assignment_list_for, request_visible_to
from thidua.reporting.services.drafts import (
    _clean_values,
    report_draft_save,
)

# --- Excel exchange of indicator figures per unit ------------------------------------------

YES_NO = ("Có", "Không")


def _as_typed(value: Any) -> Any:
    """A figure's cell: a number cell stays a number (1.234 is not 1 234, as the same text typed
    would be); any other cell is its text, read the Vietnamese way when the draft takes it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return cell_text(value)


def _as_percent(value: Any) -> Any:
    """A figure in %: 85 % however the cell holds it (0.85 shown as a percentage, "85 %")."""
    return _as_typed(percent_figure(value))


def _parser(indicator: Indicator) -> Callable[[Any], Any]:
    if indicator.is_yes_no:
        return parse_yes_no  # yes or no as people mark it ("x", "có", 1)
    return _as_percent if indicator.is_percent else _as_typed  # a figure as the cell holds it


def indicator_columns(request: ReportRequest) -> tuple[Column, ...]:
    """One row per unit, one column per indicator (yes/no indicators get a drop-down list)."""
    columns = [
        Column(
            "Mã đơn vị",
            "unit",
            required=True,
            width=14,
            synonyms=("ma_don_vi", "Mã ĐV", "Mã", "Unit code"),
        ),
        Column(
            "Tên đơn vị",
            "unit_name",
            width=40,
            synonyms=("ten_don_vi", "Đơn vị", "Tên", "Cơ quan, đơn vị"),
        ),
        Column("Trạng thái", "status", width=16, synonyms=("trang_thai", "Tình trạng")),
    ]
    for number, indicator in enumerate(request.template.indicators.all(), start=1):
        label = indicator.name + (
            f" ({indicator.unit_of_measure})" if indicator.unit_of_measure else ""
        )
        columns.append(
            Column(
                label[:250],
                str(indicator.pk),
                width=18,
                choices=YES_NO * indicator.is_yes_no,
                parse=_parser(indicator),
                # the name without its unit, or the indicator's number on the form ("Chỉ tiêu 3")
                synonyms=(indicator.name, f"Chỉ tiêu {number}", f"CT{number}"),
            )
        )
    return tuple(columns)


def _figures(assignment: ReportAssignment) -> dict[str, Any]:
    """What the unit reported: the last submitted version, else the draft."""
    versions = sorted(assignment.versions.all(), key=lambda v: v.number)
    figures: dict[str, Any] = versions[-1].values if versions else assignment.draft_values
    return figures


def indicator_export_rows(
    request: ReportRequest, assignments: Iterable[ReportAssignment]
) -> Iterator[list[Any]]:
    """Rows in indicator_columns() order (prefetch `versions` on the assignments)."""
    indicators = list(request.template.indicators.all())
    statuses = dict(ReportStatus.choices)
    for a in assignments:
        figures = _figures(a)
        cells: list[Any] = [a.unit.code, a.unit.name, statuses[a.status]]
        for indicator in indicators:
            value = figures.get(str(indicator.pk))
            if indicator.is_yes_no and value is not None:
                value = "Có" if value else "Không"
            cells.append(value)
        yield cells


def indicators_import(
    *, actor: User, request: ReportRequest, upload: IO[bytes] | SheetFile
) -> tuple[int, list[RowError]]:
    """A unit's figures from the sheet into its draft report: every row checked first, all or
    nothing. Rows whose figures equal the draft are left alone, so an exported file imports back
    with no change. Only units the actor drafts for, and only reports still open."""
    columns = indicator_columns(request)
    rows, errors = read_rows(upload, columns)
    assignments = {
        a.unit.code: a for a in request.assignments.select_related("unit", "request__template")
    }
    # a code in other capitals ("p-suoihoa", as a unit's own sheet may type it) is its code
    by_upper = {code.upper(): a for code, a in assignments.items()}
    keys = [c.key for c in columns[3:]]
    headers = {c.key: c.header for c in columns}
    cleaned: list[tuple[ReportAssignment, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        a = assignments.get(values["unit"] or "") or by_upper.get((values["unit"] or "").upper())
        if a is None:
            errors.append(
                RowError(number, "Mã đơn vị", f"Đơn vị “{values['unit']}” không thuộc yêu cầu này.")
            )
            continue
        if a.unit.code in seen:  # one row would silently replace the other's figures
            errors.append(
                RowError(number, "Mã đơn vị", f"Trùng đơn vị ở dòng {seen[a.unit.code]}.")
            )
            continue
        seen[a.unit.code] = number
        if not rules.can_draft_report(actor, a):
            errors.append(
                RowError(number, "Mã đơn vị", f"Bạn không lập báo cáo cho “{a.unit.name}”.")
            )
            continue
        if a.status not in {ReportStatus.PENDING, ReportStatus.RETURNED}:
            continue  # submitted or under approval: the sheet shows it, the import leaves it
        unreadable: dict[str, str] = {}  # by the draft page's field name, "indicator-<pk>"
        figures = _clean_values(a, {k: values[k] for k in keys}, unreadable)
        if unreadable:
            errors.extend(
                RowError(number, headers[field.removeprefix("indicator-")], message)
                for field, message in unreadable.items()
            )
            continue
        others = {k: v for k, v in a.draft_values.items() if k not in keys}
        if {**others, **figures} != a.draft_values:  # an emptied cell clears the figure
            cleaned.append((a, {**others, **figures}))
    if errors:
        return 0, errors
    with transaction.atomic():
        for a, figures in cleaned:
            report_draft_save(
                actor=actor, assignment=a, narratives=a.draft_narratives, values=figures
            )
            action_log_record(
                actor=actor,
                action="reporting.report.figures_imported",
                target=a,
                data={"indicators": sorted(figures)},
            )
    return len(cleaned), []


def indicators_export(actor: User, params: dict[str, str]) -> Export:
    """Each unit's figures, one row per unit: the import format of indicators_import."""
    pk = params.get("request", "")
    request = request_visible_to(actor=actor, pk=int(pk)) if pk.isdigit() else None
    if request is None:
        raise PermissionDenied
    assignments = (
        assignment_list_for(actor=actor, request=request)
        .prefetch_related("versions")
        .order_by("unit__name_sort", "pk")
    )
    return Export(
        indicator_columns(request),
        indicator_export_rows(request, assignments.iterator(chunk_size=2000)),
        assignments.count(),
        f"chi-tieu-{request.pk}.xlsx",
        sheet_name="Chỉ tiêu",
    )


def indicators_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """indicators_import for a background job (core.imports)."""
    request = request_visible_to(actor=actor, pk=int(params["request"]))
    if request is None:
        raise PermissionDenied
    return indicators_import(actor=actor, request=request, upload=upload)
