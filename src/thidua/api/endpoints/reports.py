"""Report requests and the units' submitted reports (read)."""

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query

from thidua.api import schemas as s
from thidua.api.endpoints.common import (
    PageQuery,
    UnitFilter,
    actor_of,
    campaign_of,
    check_unit_filter,
    page,
    responds,
    router,
)
from thidua.reporting.models import ReportAssignment, ReportRequest, ReportVersion
from thidua.reporting.selectors import assignment_list_for, request_list_for


@router.get(
    "/campaigns/{campaign_id}/report-requests",
    response=responds(s.ReportRequestPage),
    tags=["Báo cáo"],
    url_name="report-requests",
)
def report_requests(request: HttpRequest, campaign_id: s.Id, filters: Query[PageQuery]) -> Any:
    """Yêu cầu báo cáo của kế hoạch, hạn nộp và số đơn vị đã nộp."""
    qs = request_list_for(actor=actor_of(request), campaign=campaign_of(request, campaign_id))
    count, items = page(qs, filters)
    return {
        "count": count,
        "items": [
            {
                "id": r.pk,
                "campaign_id": r.campaign_id,
                "title": r.title,
                "kind": r.kind,
                "due_date": r.due_date,
                "sent_at": r.sent_at,
                "units_total": r.total,
                "units_done": r.done,
            }
            for r in items
        ],
    }


class ReportQuery(UnitFilter):
    status: s.Search = ""


@router.get(
    "/report-requests/{request_id}/reports",
    response=responds(s.ReportPage),
    tags=["Báo cáo"],
    url_name="reports",
)
def reports(request: HttpRequest, request_id: s.Id, filters: Query[ReportQuery]) -> Any:
    """Báo cáo của từng đơn vị: trạng thái và số liệu của lần nộp gần nhất."""
    actor = actor_of(request)
    check_unit_filter(actor, filters.unit_id)
    visible = assignment_list_for(actor=actor).values("request_id")
    report_request = get_object_or_404(ReportRequest.objects.filter(pk__in=visible), pk=request_id)
    qs = assignment_list_for(actor=actor, request=report_request).prefetch_related(
        Prefetch(
            "versions",
            queryset=ReportVersion.objects.order_by("-number"),
            to_attr="versions_newest_first",
        )
    )
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count, items = page(qs.order_by("unit__name_sort", "pk"), filters)
    return {"count": count, "items": [_report(a) for a in items]}


def _report(a: ReportAssignment) -> dict[str, Any]:
    latest = a.versions_newest_first[0] if a.versions_newest_first else None  # type: ignore[attr-defined]
    return {
        "id": a.pk,
        "request_id": a.request_id,
        "unit_id": a.unit_id,
        "status": a.status,
        "submitted_at": a.submitted_at,
        "is_late": a.is_late,
        "version": latest.number if latest else None,
        "values": latest.values if latest else {},
        "narratives": latest.narratives if latest else {},
        "review_note": a.review_note,
        "head_note": a.head_note,
    }
