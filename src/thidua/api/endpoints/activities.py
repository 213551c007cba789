"""Registrations (read) and activities (read, record, change)."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Status
from pydantic import Field

from thidua.api import schemas as s
from thidua.api.auth import ApiError
from thidua.api.endpoints.common import (
    PageQuery,
    UnitFilter,
    actor_of,
    campaign_of,
    check_unit_filter,
    page,
    require_write,
    responds,
    router,
    writing_for_unit,
)
from thidua.campaigns.models import ActivityForm
from thidua.campaigns.selectors import campaign_list_for
from thidua.participation import services as participation
from thidua.participation.models import Activity
from thidua.participation.selectors import (
    activity_list_for,
    registration_list_for,
    visible_unit_ids,
)


@router.get(
    "/campaigns/{campaign_id}/registrations",
    response=responds(s.RegistrationPage),
    tags=["Đăng ký và hoạt động"],
    url_name="registrations",
)
def registrations(request: HttpRequest, campaign_id: s.Id, filters: Query[UnitFilter]) -> Any:
    """Đăng ký thi đua của các đơn vị, kèm cam kết và tiến độ thực hiện."""
    actor = actor_of(request)
    campaign = campaign_of(request, campaign_id)
    check_unit_filter(actor, filters.unit_id)
    qs = registration_list_for(actor=actor, campaign=campaign)
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    count, items = page(qs.order_by("unit__name_sort", "pk"), filters)
    return {"count": count, "items": items}


class ActivityQuery(PageQuery):
    q: s.Search = ""
    unit_id: s.Id | None = None
    form_code: s.Search = ""
    held_from: s.Day | None = Field(None, description="Tổ chức từ ngày (YYYY-MM-DD).")
    held_to: s.Day | None = Field(None, description="Tổ chức đến ngày (YYYY-MM-DD).")


def _activities(request: HttpRequest) -> QuerySet[Activity]:
    """Activities the token sees across its campaigns (same scope as the web lists)."""
    actor = actor_of(request)
    ids = list(campaign_list_for(actor=actor).values_list("pk", flat=True))
    qs = Activity.objects.filter(campaign_id__in=ids)
    unit_ids = visible_unit_ids(actor)
    return qs if unit_ids is None else qs.filter(unit_id__in=unit_ids)


@router.get(
    "/campaigns/{campaign_id}/activities",
    response=responds(s.ActivityPage),
    tags=["Đăng ký và hoạt động"],
    url_name="activities",
)
def activities(request: HttpRequest, campaign_id: s.Id, filters: Query[ActivityQuery]) -> Any:
    """Hoạt động đã ghi nhận, mới nhất trước."""
    actor = actor_of(request)
    campaign = campaign_of(request, campaign_id)
    check_unit_filter(actor, filters.unit_id)
    qs = activity_list_for(
        actor=actor,
        campaign=campaign,
        query=filters.q,
        unit_id=filters.unit_id,
        form_code=filters.form_code,
    )
    if filters.held_from:
        qs = qs.filter(held_on__gte=filters.held_from)
    if filters.held_to:
        qs = qs.filter(held_on__lte=filters.held_to)
    count, items = page(qs, filters)
    return {"count": count, "items": items}


@router.post(
    "/campaigns/{campaign_id}/activities",
    response=responds(s.ActivityOut, 201),
    tags=["Đăng ký và hoạt động"],
    url_name="activity-create",
)
def activity_create(request: HttpRequest, campaign_id: s.Id, payload: s.ActivityIn) -> Any:
    """Ghi nhận một hoạt động cho đơn vị (khóa có quyền ghi, đơn vị trong phạm vi)."""
    actor, campaign, unit = writing_for_unit(request, campaign_id, payload.unit_id)
    form = get_object_or_404(ActivityForm, pk=payload.form_id, campaign=campaign)
    activity = participation.activity_record(
        actor=actor,
        campaign=campaign,
        unit=unit,
        form=form,
        title=payload.title,
        held_on=payload.held_on,
        ends_on=payload.ends_on,
        place=payload.place,
        description=payload.description,
        participants=payload.participants,
        links=payload.links,
    )
    return Status(201, activity)


@router.get(
    "/activities/{activity_id}",
    response=responds(s.ActivityOut),
    tags=["Đăng ký và hoạt động"],
    url_name="activity-detail",
)
def activity_detail(request: HttpRequest, activity_id: s.Id) -> Any:
    return get_object_or_404(_activities(request), pk=activity_id)


REQUIRED_ON_PATCH = ("title", "held_on")
EMPTY_ON_PATCH: dict[str, Any] = {"place": "", "description": "", "links": "", "participants": 0}


@router.patch(
    "/activities/{activity_id}",
    response=responds(s.ActivityOut),
    tags=["Đăng ký và hoạt động"],
    url_name="activity-change",
)
def activity_change(request: HttpRequest, activity_id: s.Id, payload: s.ActivityPatch) -> Any:
    """Sửa các trường gửi lên của một hoạt động (khóa có quyền ghi)."""
    require_write(request)
    activity = get_object_or_404(_activities(request), pk=activity_id)
    data = payload.dict(exclude_unset=True)  # only the fields sent
    if any(data.get(k, "") is None for k in REQUIRED_ON_PATCH):
        raise ApiError(422, "invalid", "Tên hoạt động và ngày tổ chức không được để trống.")
    data = {k: EMPTY_ON_PATCH.get(k, v) if v is None else v for k, v in data.items()}
    return participation.activity_update(actor=actor_of(request), activity=activity, **data)
