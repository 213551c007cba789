"""Campaigns and the tasks they assign to units (read)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query

from thidua.api import schemas as s
from thidua.api.endpoints.common import (
    PageQuery,
    actor_of,
    campaign_of,
    check_unit_filter,
    page,
    responds,
    router,
)
from thidua.campaigns.selectors import campaign_list_for, task_list_for


class CampaignQuery(PageQuery):
    q: s.Search = ""
    status: s.Search = ""


@router.get(
    "/campaigns", response=responds(s.CampaignPage), tags=["Phong trào"], url_name="campaigns"
)
def campaigns(request: HttpRequest, filters: Query[CampaignQuery]) -> Any:
    """Kế hoạch, phong trào mà khóa được xem: đơn vị thấy các kế hoạch đã gửi đến mình."""
    qs = campaign_list_for(actor=actor_of(request), query=filters.q, status=filters.status)
    count, items = page(qs.order_by("-issued_on", "-created_at", "-pk"), filters)
    return {"count": count, "items": items}


@router.get(
    "/campaigns/{campaign_id}",
    response=responds(s.CampaignOut),
    tags=["Phong trào"],
    url_name="campaign-detail",
)
def campaign_detail(request: HttpRequest, campaign_id: s.Id) -> Any:
    return campaign_of(request, campaign_id)


class TaskQuery(PageQuery):
    unit_id: s.Id | None = None
    include_done: bool = True


@router.get(
    "/campaigns/{campaign_id}/assignments",
    response=responds(s.TaskPage),
    tags=["Phong trào"],
    url_name="campaign-assignments",
)
def campaign_assignments(request: HttpRequest, campaign_id: s.Id, filters: Query[TaskQuery]) -> Any:
    """Nhiệm vụ của kế hoạch giao cho từng đơn vị, theo hạn hoàn thành."""
    actor = actor_of(request)
    campaign = campaign_of(request, campaign_id)
    check_unit_filter(actor, filters.unit_id)
    qs = task_list_for(actor=actor, include_done=filters.include_done).filter(
        assignment__campaign=campaign
    )
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    count, items = page(qs, filters)  # the selector's order: by deadline, none last
    return {
        "count": count,
        "items": [
            {
                "id": t.pk,
                "assignment_id": t.assignment_id,
                "clause": t.assignment.clause,
                "text": t.assignment.text,
                "unit_id": t.unit_id,
                "status": t.status,
                "due_date": t.due_date,
                "acknowledged_at": t.acknowledged_at,
                "done_at": t.done_at,
            }
            for t in items
        ],
    }
