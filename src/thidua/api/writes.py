"""Writes a unit's focal officer makes in the web UI, for a write token of that unit: the
registration (commitments), the draft of a report, nominations. Each goes through the same
service as the web form, so its permissions, validation and action log apply; sending to the
unit head for approval is the furthest a token goes (approval and submission stay with the head).
The head's return of a report to the officer is here too, behind the same service and so the
head's permission, which no token role (api.models.TOKEN_ROLES) holds today.

The routes join the read router: a path served by two routers would answer only one method."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Status

from thidua.api import schemas as s
from thidua.api.endpoints import (
    actor_of,
    check_unit_filter,
    require_write,
    responds,
    router,
    writing_for_unit,
)
from thidua.awards import services as awards
from thidua.awards.models import AwardType, Nomination, Nominee
from thidua.awards.selectors import nominations_visible_to
from thidua.campaigns.models import Campaign, Criterion
from thidua.campaigns.selectors import campaign_list_for
from thidua.organizations import services as organizations
from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import person_list_for
from thidua.participation import services as participation
from thidua.participation.models import Registration
from thidua.participation.selectors import registration_list_for
from thidua.reporting import services as reporting
from thidua.reporting.models import Indicator, ReportAssignment, ReportRequest
from thidua.reporting.selectors import assignment_list_for


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


# --- people ----------------------------------------------------------------------------------


@router.post(
    "/people",
    response=responds(s.PersonOut, 201),
    tags=["Đơn vị và cá nhân"],
    url_name="person-create",
)
def person_create(request: HttpRequest, payload: s.PersonIn) -> Any:
    """Thêm một cá nhân của đơn vị trong phạm vi (khóa có quyền ghi), như trên giao diện."""
    require_write(request)
    actor = actor_of(request)
    check_unit_filter(actor, payload.unit_id)
    data = payload.dict()
    data["unit"] = get_object_or_404(Unit, pk=data.pop("unit_id"), valid_to__isnull=True)
    return Status(201, organizations.person_create(actor=actor, **data))


@router.patch(
    "/people/{person_id}",
    response=responds(s.PersonOut),
    tags=["Đơn vị và cá nhân"],
    url_name="person-change",
)
def person_change(request: HttpRequest, person_id: s.Id, payload: s.PersonPatch) -> Any:
    """Sửa các trường gửi lên của một cá nhân (khóa có quyền ghi); chuyển đơn vị chỉ trong
    phạm vi của khóa."""
    require_write(request)
    actor = actor_of(request)
    person = get_object_or_404(person_list_for(actor=actor), pk=person_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "unit_id" in data:
        check_unit_filter(actor, data["unit_id"])
        data["unit"] = get_object_or_404(Unit, pk=data.pop("unit_id"), valid_to__isnull=True)
    return organizations.person_update(actor=actor, person=person, **data)


# --- registrations ---------------------------------------------------------------------------


def _registration(actor: Any, campaign: Campaign, unit_id: int) -> Registration:
    return get_object_or_404(registration_list_for(actor=actor, campaign=campaign), unit_id=unit_id)


@router.put(
    "/campaigns/{campaign_id}/registrations/{unit_id}",
    response=responds(s.RegistrationOut),
    tags=["Đăng ký và hoạt động"],
    url_name="registration-save",
)
def registration_save(
    request: HttpRequest, campaign_id: s.Id, unit_id: s.Id, payload: s.RegistrationIn
) -> Any:
    """Lưu bản đăng ký thi đua đang soạn của đơn vị (tạo mới hoặc thay toàn bộ cam kết)."""
    actor, campaign, unit = writing_for_unit(request, campaign_id, unit_id)
    criteria = set(Criterion.objects.filter(campaign=campaign).values_list("pk", flat=True))
    rows = []
    for i, c in enumerate(payload.commitments):
        if c.criterion_id is not None and c.criterion_id not in criteria:
            raise _invalid(f"commitments.{i}.criterion_id", "Tiêu chí không thuộc kế hoạch này.")
        if not c.text.strip() and c.criterion_id is None:
            raise _invalid(f"commitments.{i}.text", "Hãy nhập nội dung cam kết.")
        if c.target_kind == "number" and c.target_value is None:
            raise _invalid(f"commitments.{i}.target_value", "Nhập chỉ tiêu bằng số.")
        rows.append(c.dict())
    participation.registration_save(
        actor=actor, campaign=campaign, unit=unit, note=payload.note, commitments=rows
    )
    return _registration(actor, campaign, unit.pk)


@router.post(
    "/campaigns/{campaign_id}/registrations/{unit_id}/send-for-approval",
    response=responds(s.RegistrationOut),
    tags=["Đăng ký và hoạt động"],
    url_name="registration-send",
)
def registration_send(request: HttpRequest, campaign_id: s.Id, unit_id: s.Id) -> Any:
    """Gửi bản đăng ký đang soạn để thủ trưởng đơn vị duyệt và gửi Phòng Nội vụ."""
    actor, campaign, _ = writing_for_unit(request, campaign_id, unit_id)
    participation.registration_send_for_approval(
        actor=actor, registration=_registration(actor, campaign, unit_id)
    )
    return _registration(actor, campaign, unit_id)


# --- reports ---------------------------------------------------------------------------------


def _requests_seen(actor: Any) -> QuerySet[ReportRequest]:
    visible = assignment_list_for(actor=actor).values("request_id")
    return ReportRequest.objects.filter(pk__in=visible)


@router.get(
    "/report-requests/{request_id}",
    response=responds(s.ReportRequestDetailOut),
    tags=["Báo cáo"],
    url_name="report-request-detail",
)
def report_request_detail(request: HttpRequest, request_id: s.Id) -> Any:
    """Yêu cầu báo cáo với các phần nội dung và chỉ tiêu của mẫu (mã để ghi báo cáo)."""
    r = get_object_or_404(
        _requests_seen(actor_of(request)).prefetch_related(
            "template__sections", "template__indicators"
        ),
        pk=request_id,
    )
    return {
        "id": r.pk,
        "campaign_id": r.campaign_id,
        "title": r.title,
        "kind": r.kind,
        "due_date": r.due_date,
        "sent_at": r.sent_at,
        "sections": list(r.template.sections.all()),
        "indicators": list(r.template.indicators.all()),
    }


def _draft(a: ReportAssignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "request_id": a.request_id,
        "unit_id": a.unit_id,
        "status": a.status,
        "draft_saved_at": a.draft_saved_at,
        "narratives": a.draft_narratives,
        "values": a.draft_values,
        "review_note": a.review_note,
        "head_note": a.head_note,
    }


def _assignment(request: HttpRequest, report_id: int) -> ReportAssignment:
    qs = assignment_list_for(actor=actor_of(request)).select_related("request__template")
    return get_object_or_404(qs, pk=report_id)


@router.get(
    "/reports/{report_id}",
    response=responds(s.ReportDraftOut),
    tags=["Báo cáo"],
    url_name="report-draft",
)
def report_draft(request: HttpRequest, report_id: s.Id) -> Any:
    """Bản đang soạn của báo cáo đơn vị."""
    return _draft(_assignment(request, report_id))


@router.put(
    "/reports/{report_id}",
    response=responds(s.ReportDraftOut),
    tags=["Báo cáo"],
    url_name="report-draft-save",
)
def report_draft_save(request: HttpRequest, report_id: s.Id, payload: s.ReportDraftIn) -> Any:
    """Lưu bản đang soạn của báo cáo (thay toàn bộ nội dung và số liệu)."""
    require_write(request)
    a = _assignment(request, report_id)
    template = a.request.template
    sections = {str(pk) for pk in template.sections.values_list("pk", flat=True)}
    indicators = {str(i.pk): i for i in template.indicators.all()}
    for key in payload.narratives:
        if key not in sections:
            raise _invalid(f"narratives.{key}", "Mẫu báo cáo không có phần nội dung này.")
    for key, value in payload.values.items():
        indicator = indicators.get(key)
        if indicator is None:
            raise _invalid(f"values.{key}", "Mẫu báo cáo không có chỉ tiêu này.")
        if indicator.source != Indicator.Source.MANUAL:
            raise _invalid(
                f"values.{key}",
                f"“{indicator.name}” được tính tự động từ dữ liệu đã ghi nhận, không nhập.",
            )
        if indicator.is_yes_no != isinstance(value, bool):
            expected = "true hoặc false" if indicator.is_yes_no else "một số"
            raise _invalid(f"values.{key}", f"“{indicator.name}”: cần nhập {expected}.")
    saved = reporting.report_draft_save(
        actor=actor_of(request),
        assignment=a,
        narratives=payload.narratives,
        values=payload.values,
        log=True,
    )
    return _draft(saved)


@router.post(
    "/reports/{report_id}/send-for-approval",
    response=responds(s.ReportDraftOut),
    tags=["Báo cáo"],
    url_name="report-send",
)
def report_send(request: HttpRequest, report_id: s.Id) -> Any:
    """Gửi báo cáo đang soạn để thủ trưởng đơn vị duyệt và nộp."""
    require_write(request)
    a = reporting.report_send_for_approval(
        actor=actor_of(request), assignment=_assignment(request, report_id)
    )
    return _draft(a)


@router.post(
    "/reports/{report_id}/return-to-officer",
    response=responds(s.ReportDraftOut),
    tags=["Báo cáo"],
    url_name="report-return-to-officer",
)
def report_return_to_officer(
    request: HttpRequest, report_id: s.Id, payload: s.ReportReturnIn
) -> Any:
    """Thủ trưởng đơn vị trả lại báo cáo đang chờ duyệt cho cán bộ đầu mối, ghi rõ nội dung cần
    sửa (như nút “Trả lại cán bộ” trên giao diện): chỉ khóa có quyền thủ trưởng của đơn vị."""
    require_write(request)
    a = reporting.report_return_to_officer(
        actor=actor_of(request),
        assignment=_assignment(request, report_id),
        note=payload.note,
    )
    return _draft(a)


# --- nominations -----------------------------------------------------------------------------


def _nomination(request: HttpRequest, nomination_id: int) -> Nomination:
    """A nomination the token's user may read (awards.selectors.nominations_visible_to, the
    rule of the list, the pages and the exports), in a campaign it sees."""
    actor = actor_of(request)
    qs = (
        nominations_visible_to(actor=actor)
        .filter(campaign__in=campaign_list_for(actor=actor).values("pk"))
        .select_related("award_type", "campaign", "unit")
    )
    return get_object_or_404(qs, pk=nomination_id)


def _nomination_out(n: Nomination) -> dict[str, Any]:
    nominees = list(
        Nominee.objects.filter(nomination=n).order_by("position", "pk").select_related(None)
    )
    return {
        "id": n.pk,
        "campaign_id": n.campaign_id,
        "unit_id": n.unit_id,
        "award_type_code": n.award_type.code,
        "award_type_name": n.award_type.name,
        "route": n.route,
        "status": n.status,
        "submitted_at": n.submitted_at,
        "appraisal_due": n.appraisal_due,
        "nominees": len(nominees),
        "nominee_list": nominees,
    }


@router.post(
    "/campaigns/{campaign_id}/nominations",
    response=responds(s.NominationDetailOut, 201),
    tags=["Khen thưởng"],
    url_name="nomination-create",
)
def nomination_create(request: HttpRequest, campaign_id: s.Id, payload: s.NominationIn) -> Any:
    """Lập hồ sơ đề nghị khen thưởng của đơn vị (đang soạn)."""
    actor, campaign, unit = writing_for_unit(request, campaign_id, payload.unit_id)
    award = AwardType.objects.filter(code=payload.award_type_code).first()
    if award is None:
        raise _invalid("award_type_code", "Không có hình thức khen thưởng với mã này.")
    n = awards.nomination_create(
        actor=actor, campaign=campaign, unit=unit, award_type=award, route=payload.route
    )
    return Status(201, _nomination_out(_nomination(request, n.pk)))


@router.get(
    "/nominations/{nomination_id}",
    response=responds(s.NominationDetailOut),
    tags=["Khen thưởng"],
    url_name="nomination-detail",
)
def nomination_detail(request: HttpRequest, nomination_id: s.Id) -> Any:
    """Hồ sơ đề nghị khen thưởng và những người, tập thể được đề nghị."""
    return _nomination_out(_nomination(request, nomination_id))


@router.post(
    "/nominations/{nomination_id}/nominees",
    response=responds(s.NominationDetailOut, 201),
    tags=["Khen thưởng"],
    url_name="nominee-add",
)
def nominee_add(request: HttpRequest, nomination_id: s.Id, payload: s.NomineeIn) -> Any:
    """Thêm một cá nhân của đơn vị, hoặc chính đơn vị (tập thể), vào hồ sơ đang soạn."""
    require_write(request)
    n = _nomination(request, nomination_id)
    person = None
    if payload.person_id is not None:
        person = Person.objects.filter(pk=payload.person_id, unit_id=n.unit_id).first()
        if person is None:
            raise _invalid("person_id", "Người được đề nghị phải thuộc đơn vị lập hồ sơ.")
    awards.nominee_add(
        actor=actor_of(request),
        nomination=n,
        person=person,
        unit=None if person else n.unit,
        achievements=payload.achievements,
    )
    return Status(201, _nomination_out(n))


@router.post(
    "/nominations/{nomination_id}/send-for-approval",
    response=responds(s.NominationDetailOut),
    tags=["Khen thưởng"],
    url_name="nomination-send",
)
def nomination_send(request: HttpRequest, nomination_id: s.Id) -> Any:
    """Gửi hồ sơ để thủ trưởng đơn vị duyệt và gửi Phòng Nội vụ."""
    require_write(request)
    n = awards.nomination_send_for_approval(
        actor=actor_of(request), nomination=_nomination(request, nomination_id)
    )
    return _nomination_out(n)
