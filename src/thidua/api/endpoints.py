"""The routes of API v1: thin shells over selectors (reads) and services (writes)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from thidua.api import schemas as s
from thidua.api.auth import ApiError, token_of
from thidua.awards.models import Decision
from thidua.awards.registry import RegistryFilter, registry_search
from thidua.awards.selectors import nomination_list_for
from thidua.campaigns.models import ActivityForm, Campaign
from thidua.campaigns.selectors import campaign_list_for, task_list_for
from thidua.organizations.models import Unit
from thidua.organizations.rules import roles_of
from thidua.organizations.selectors import person_list_for, unit_list_for, unit_scope_q
from thidua.organizations.services import person_record_viewed
from thidua.participation import services as participation
from thidua.participation.models import Activity
from thidua.participation.selectors import (
    activity_list_for,
    registration_list_for,
    visible_unit_ids,
)
from thidua.reporting.models import ReportAssignment, ReportRequest, ReportVersion
from thidua.reporting.selectors import assignment_list_for, request_list_for

router = Router()

ERRORS: dict[int, type[Schema]] = {
    400: s.Error,
    401: s.Error,
    403: s.Error,
    404: s.Error,
    422: s.Error,
    429: s.Error,
}


def responds(ok: type[Schema], status: int = 200) -> dict[int, type[Schema]]:
    return {status: ok, **ERRORS}


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500, description="Số dòng mỗi trang (tối đa 500).")
    offset: int = Field(0, ge=0, le=10_000_000, description="Bỏ qua bao nhiêu dòng đầu.")


def page(qs: QuerySet[Any], params: PageQuery) -> tuple[int, list[Any]]:
    return qs.count(), list(qs[params.offset : params.offset + params.limit])


def actor_of(request: HttpRequest) -> Any:
    return token_of(request).user


def check_unit_filter(actor: Any, unit_id: int | None) -> None:
    """Filtering on a unit outside the token's scope is refused, not silently emptied."""
    if unit_id and not Unit.objects.filter(unit_scope_q(actor), pk=unit_id).exists():
        raise PermissionDenied("Đơn vị này không thuộc phạm vi của khóa API.")


def require_write(request: HttpRequest) -> None:
    if not token_of(request).can_write:
        raise ApiError(403, "read_only_token", "Khóa API này chỉ có quyền đọc.")


def campaign_of(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_object_or_404(campaign_list_for(actor=actor_of(request)), pk=campaign_id)


def writing_for_unit(
    request: HttpRequest, campaign_id: int, unit_id: int
) -> tuple[Any, Campaign, Unit]:
    """A write for one unit: a write token, a campaign it sees, a unit in its scope."""
    require_write(request)
    actor = actor_of(request)
    campaign = campaign_of(request, campaign_id)
    check_unit_filter(actor, unit_id)
    return actor, campaign, get_object_or_404(Unit, pk=unit_id)


# --- units and people ------------------------------------------------------------------------


class UnitQuery(PageQuery):
    q: s.Search = Field("", description="Tìm theo tên, không phân biệt dấu.")
    kind: s.Search = Field("", description="Loại đơn vị, ví dụ ward.")
    include_past: bool = Field(False, description="Kể cả đơn vị đã hết hiệu lực.")


@router.get("/units", response=responds(s.UnitPage), tags=["Đơn vị và cá nhân"], url_name="units")
def units(request: HttpRequest, filters: Query[UnitQuery]) -> Any:
    """Đơn vị trong phạm vi của khóa, theo thứ tự tiếng Việt."""
    qs = unit_list_for(
        actor=actor_of(request),
        query=filters.q,
        kind=filters.kind,
        include_past=filters.include_past,
    )
    count, items = page(qs, filters)
    return {"count": count, "items": items}


@router.get(
    "/units/{unit_id}",
    response=responds(s.UnitOut),
    tags=["Đơn vị và cá nhân"],
    url_name="unit-detail",
)
def unit_detail(request: HttpRequest, unit_id: s.Id) -> Any:
    qs = unit_list_for(actor=actor_of(request), include_past=True)
    return get_object_or_404(qs, pk=unit_id)


class PersonQuery(PageQuery):
    q: s.Search = ""
    unit_id: s.Id | None = None


@router.get(
    "/people", response=responds(s.PersonPage), tags=["Đơn vị và cá nhân"], url_name="people"
)
def people(request: HttpRequest, filters: Query[PersonQuery]) -> Any:
    """Cá nhân (đối tượng khen thưởng) của các đơn vị trong phạm vi; không có dữ liệu nhạy cảm."""
    actor = actor_of(request)
    check_unit_filter(actor, filters.unit_id)
    qs = person_list_for(actor=actor, query=filters.q, unit_id=filters.unit_id)
    count, items = page(qs, filters)
    return {"count": count, "items": items}


@router.get(
    "/people/{person_id}",
    response=responds(s.PersonOut),
    tags=["Đơn vị và cá nhân"],
    url_name="person-detail",
)
def person_detail(request: HttpRequest, person_id: s.Id) -> Any:
    actor = actor_of(request)
    person = get_object_or_404(person_list_for(actor=actor), pk=person_id)
    person_record_viewed(actor=actor, person=person, via="api")  # reads are logged (L8)
    return person


# --- campaigns and their assignments ---------------------------------------------------------


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
    count, items = page(qs.order_by("due_date", "pk"), filters)
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


# --- registrations and activities ------------------------------------------------------------


class UnitFilter(PageQuery):
    unit_id: s.Id | None = None


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


# --- report requests and submitted reports ---------------------------------------------------


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
    }


# --- nominations -----------------------------------------------------------------------------


class NominationQuery(UnitFilter):
    status: s.Search = ""


@router.get(
    "/campaigns/{campaign_id}/nominations",
    response=responds(s.NominationPage),
    tags=["Khen thưởng"],
    url_name="nominations",
)
def nominations(request: HttpRequest, campaign_id: s.Id, filters: Query[NominationQuery]) -> Any:
    """Hồ sơ đề nghị khen thưởng và trạng thái của chúng."""
    actor = actor_of(request)
    check_unit_filter(actor, filters.unit_id)
    qs = nomination_list_for(actor=actor, campaign=campaign_of(request, campaign_id))
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count, items = page(qs, filters)
    return {
        "count": count,
        "items": [
            {
                "id": n.pk,
                "campaign_id": n.campaign_id,
                "unit_id": n.unit_id,
                "award_type_code": n.award_type.code,
                "award_type_name": n.award_type.name,
                "route": n.route,
                "status": n.status,
                "submitted_at": n.submitted_at,
                "appraisal_due": n.appraisal_due,
                "nominees": n.nominee_count,
            }
            for n in items
        ],
    }


# --- decisions and the award registry ------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/decisions",
    response=responds(s.DecisionPage),
    tags=["Khen thưởng"],
    url_name="decisions",
)
def decisions(request: HttpRequest, campaign_id: s.Id, filters: Query[PageQuery]) -> Any:
    """Quyết định khen thưởng của phong trào (cả quyết định sửa đổi, thu hồi)."""
    actor = actor_of(request)
    campaign = campaign_of(request, campaign_id)
    if not roles_of(actor).city_wide:
        raise PermissionDenied("Chỉ khóa API cấp thành phố đọc được quyết định khen thưởng.")
    qs = (
        Decision.objects.filter(campaign=campaign)
        .select_related("award_type", "number")
        .annotate(line_count=Count("lines"))
        .order_by("pk")
    )
    count, items = page(qs, filters)
    return {
        "count": count,
        "items": [
            {
                "id": d.pk,
                "campaign_id": d.campaign_id,
                "award_type_code": d.award_type.code,
                "kind": d.kind,
                "status": d.status,
                "reference": d.reference,
                "summary": d.summary,
                "signed_on": d.signed_on,
                "signer_name": d.signer_name,
                "corrects_id": d.corrects_id,
                "lines": d.line_count,
            }
            for d in items
        ],
    }


class RegistryQuery(PageQuery):
    q: s.Search = Field("", description="Tìm theo tên, không phân biệt dấu.")
    year: int | None = Field(None, ge=1900, le=2200)
    campaign_id: s.Id | None = None
    unit_id: s.Id | None = None
    status: s.Search = Field("", description="valid, revoked hoặc amended.")


@router.get(
    "/award-records",
    response=responds(s.AwardRecordPage),
    tags=["Khen thưởng"],
    url_name="award-records",
)
def award_records(request: HttpRequest, filters: Query[RegistryQuery]) -> Any:
    """Sổ vàng khen thưởng: mỗi khen thưởng đã quyết định, với số vào sổ theo năm."""
    actor = actor_of(request)
    check_unit_filter(actor, filters.unit_id)
    qs = registry_search(
        actor=actor,
        f=RegistryFilter(
            q=filters.q,
            year=filters.year,
            campaign=filters.campaign_id,
            unit=filters.unit_id,
            status=filters.status,
        ),
    ).order_by("year", "number", "pk")
    count, items = page(qs, filters)
    return {
        "count": count,
        "items": [
            {
                "id": r.pk,
                "registry_reference": r.registry_reference,
                "year": r.year,
                "number": r.number,
                "recipient_name": r.recipient_name,
                "recipient_detail": r.recipient_detail,
                "unit_id": r.unit_id,
                "unit_name": r.unit_name,
                "subject": r.subject,
                "award_type_code": r.award_type.code,
                "award_type_name": r.award_type.name,
                "decision_id": r.decision_id,
                "decision_reference": r.decision_reference,
                "signed_on": r.decision_signed_on,
                "campaign_id": r.campaign_id,
                "status": r.status,
            }
            for r in items
        ],
    }
