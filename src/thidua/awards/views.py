from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.awards import council, rules, selectors, services
from thidua.awards.documents import submission_document
from thidua.awards.minutes import minutes_document
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    AwardType,
    Choice,
    Council,
    CouncilMember,
    CouncilSession,
    DocumentKind,
    Nomination,
)
from thidua.campaigns.views import issued_campaign_for
from thidua.core.clock import today_local
from thidua.core.http import run_action
from thidua.documents.http import document_response
from thidua.organizations.models import Person, Unit
from thidua.organizations.rules import roles_of


@login_required
@require_http_methods(["GET", "POST"])
def nomination_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    acting = [
        u
        for u in Unit.objects.filter(campaign_deliveries__campaign=campaign).order_by("name_sort")
        if rules.can_draft_nomination(user, u.pk)
    ]
    if request.method == "POST":
        unit = next((u for u in acting if str(u.pk) == request.POST.get("unit")), None)
        award = AwardType.objects.filter(pk=request.POST.get("award_type") or 0).first()
        if unit is None or award is None:
            raise PermissionDenied
        n = services.nomination_create(
            actor=user,
            campaign=campaign,
            unit=unit,
            award_type=award,
            route=request.POST.get("route") or Nomination.Route.FULL,
        )
        return redirect("awards:nomination-detail", pk=n.pk)
    return render(
        request,
        "awards/nomination_list.html",
        {
            "campaign": campaign,
            "nominations": selectors.nomination_list_for(actor=user, campaign=campaign),
            "acting_units": acting,
            "award_types": AwardType.objects.order_by("name"),
            "routes": Nomination.Route.choices,
            "sessions": selectors.session_list_for(actor=user, campaign=campaign),
            "can_appraise": rules.can_appraise(user),
            "title": "Khen thưởng",
            "today": today_local(),
            "councils": Council.objects.filter(owner_unit=campaign.owner_unit),
            "eligible": selectors.eligible_nominations(campaign=campaign)
            if rules.can_appraise(user)
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    n = get_object_or_404(
        Nomination.objects.select_related("campaign", "unit", "award_type"), pk=pk
    )
    if not (roles_of(user).city_wide or rules.can_draft_nomination(user, n.unit_id)):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")
        steps: dict[str, tuple[Callable[[], Any], str]] = {
            "add_person": (
                lambda: services.nominee_add(
                    actor=user,
                    nomination=n,
                    person=get_object_or_404(
                        Person, pk=request.POST.get("person") or 0, unit=n.unit
                    ),
                    achievements=request.POST.get("achievements", ""),
                ),
                "Đã thêm cá nhân.",
            ),
            "add_unit": (
                lambda: services.nominee_add(
                    actor=user,
                    nomination=n,
                    unit=n.unit,
                    achievements=request.POST.get("achievements", ""),
                ),
                "Đã thêm tập thể.",
            ),
            "attach": (
                lambda: services.document_attach(
                    actor=user,
                    nomination=n,
                    kind=request.POST.get("kind", ""),
                    upload=request.FILES.getlist("file")[0],
                    nominee=n.nominees.filter(pk=request.POST.get("nominee") or 0).first(),
                ),
                "Đã đính kèm tài liệu.",
            ),
            "send": (
                lambda: services.nomination_send_for_approval(actor=user, nomination=n),
                "Đã gửi thủ trưởng duyệt.",
            ),
            "submit": (
                lambda: services.nomination_submit(actor=user, nomination=n),
                "Đã gửi hồ sơ tới Phòng Nội vụ.",
            ),
            "receive": (
                lambda: services.nomination_receive(actor=user, nomination=n),
                "Đã tiếp nhận hồ sơ.",
            ),
            "return": (
                lambda: services.nomination_return(actor=user, nomination=n, note=note),
                "Đã trả lại hồ sơ.",
            ),
            "eligible": (
                lambda: services.nomination_appraise(
                    actor=user,
                    nomination=n,
                    eligible=True,
                    note=note,
                    checklist=dict.fromkeys(request.POST.getlist("check"), True),
                ),
                "Đã kết luận đủ điều kiện.",
            ),
            "not_eligible": (
                lambda: services.nomination_appraise(
                    actor=user, nomination=n, eligible=False, note=note
                ),
                "Đã kết luận không đủ điều kiện.",
            ),
        }
        if action == "attach" and "file" not in request.FILES:
            messages.error(request, "Chưa chọn tệp.")
        elif action in steps:
            step, done = steps[action]
            run_action(request, step, done)
        return redirect(request.path)
    editable = n.status in {Nomination.Status.DRAFT, Nomination.Status.RETURNED}
    return render(
        request,
        "awards/nomination_detail.html",
        {
            "n": n,
            "campaign": n.campaign,
            "title": f"{n.award_type.name} – {n.unit.name}",
            "nominees": n.nominees.select_related("person", "unit"),
            "documents": n.documents.select_related("nominee").order_by("pk"),
            "appraisals": n.appraisals.select_related("by"),
            "problems": services.eligibility_problems(n, today_local()) if editable else [],
            "can_draft": editable and rules.can_draft_nomination(user, n.unit_id),
            "can_submit": editable or n.status == Nomination.Status.PENDING_UNIT_APPROVAL,
            "is_head": rules.can_submit_nomination(user, n),
            "can_appraise": rules.can_appraise(user),
            "people": Person.objects.filter(unit=n.unit).order_by("name_sort"),
            "kinds": DocumentKind.choices,
        },
    )


@login_required
@require_POST
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    body = get_object_or_404(Council, pk=request.POST.get("council") or 0)
    chosen = selectors.eligible_nominations(campaign=campaign).filter(
        pk__in=request.POST.getlist("nominations")
    )
    try:
        session = council.session_create(
            actor=user,
            council=body,
            title=request.POST.get("title") or "Phiên họp xét khen thưởng",
            held_on=today_local(),
        )
        council.session_add_nominations(
            actor=user,
            session=session,
            nominations=list(chosen),
            secret=request.POST.get("secret") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("awards:nomination-list", pk=pk)
    return redirect("awards:session", pk=session.pk)


def _attendance_save(request: HttpRequest, session: CouncilSession) -> None:
    user = request_user(request)
    try:
        for a in session.attendance.select_related("member"):
            value = request.POST.get(f"presence-{a.member_id}")
            if value in Attendance.Presence.values:
                council.attendance_set(actor=user, session=session, member=a.member, presence=value)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đã lưu điểm danh.")


def _session_action(request: HttpRequest, session: CouncilSession) -> None:
    user = request_user(request)
    action = request.POST.get("action", "")
    item = session.items.filter(pk=request.POST.get("item") or 0).first()
    if action == "attendance":
        _attendance_save(request, session)
    elif action == "open":
        run_action(
            request,
            lambda: council.session_open(actor=user, session=session),
            "Đã bắt đầu phiên họp.",
        )
    elif action == "close_session":
        run_action(
            request,
            lambda: council.session_close(actor=user, session=session),
            "Đã kết thúc phiên họp.",
        )
    elif action == "minutes":
        run_action(
            request,
            lambda: council.minutes_number(actor=user, session=session),
            "Đã lập biên bản.",
        )
    elif item is not None and action == "open_item":
        run_action(
            request, lambda: council.item_vote_open(actor=user, item=item), "Đã mở bỏ phiếu."
        )
    elif item is not None and action == "close_item":
        run_action(request, lambda: council.item_close(actor=user, item=item), "Đã kiểm phiếu.")
    elif item is not None and action == "named":
        choices = {
            a.member_id: request.POST.get(f"named-{a.member_id}", "")
            for a in session.attendance.filter(presence=Attendance.Presence.PRESENT)
        }
        run_action(
            request,
            lambda: council.named_votes_record(actor=user, item=item, choices=choices),
            "Đã ghi kết quả biểu quyết.",
        )
    elif item is not None and action == "vote" and request.POST.get("choice") in Choice.values:
        run_action(
            request,
            lambda: council.ballot_cast(actor=user, item=item, choice=request.POST["choice"]),
            "Đã ghi nhận phiếu bầu của đồng chí.",
        )


@login_required
@require_http_methods(["GET", "POST"])
def session_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = get_object_or_404(CouncilSession.objects.select_related("council"), pk=pk)
    member = CouncilMember.objects.filter(council=session.council, user=user).first()
    if member is None and not rules.can_appraise(user):
        raise Http404
    if request.method == "POST":
        _session_action(request, session)
        return redirect(request.path)
    attendance = {a.member_id: a for a in session.attendance.select_related("member__user")}
    return render(
        request,
        "awards/session.html",
        {
            "session": session,
            "items": selectors.session_items_for(actor=user, session=session),
            "attendance": attendance.values(),
            "presences": Attendance.Presence.choices,
            "choices": Choice.choices,
            "member": member,
            "is_present": member is not None
            and attendance.get(member.pk) is not None
            and attendance[member.pk].presence == Attendance.Presence.PRESENT,
            "is_chair": member is not None and member.role == CouncilMember.CouncilRole.CHAIR,
            "can_manage": rules.can_appraise(user),
            "title": session.title,
            "statuses": AgendaItem.Status,
        },
    )


@login_required
def submission_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The generated tờ trình with the nominee list, to sign and attach."""
    user = request_user(request)
    n = get_object_or_404(
        Nomination.objects.select_related("campaign", "unit", "award_type"), pk=pk
    )
    allowed = roles_of(user).city_wide or rules.can_draft_nomination(user, n.unit_id)
    if not allowed or kind not in {"pdf", "docx"}:
        raise Http404
    return document_response(submission_document(n), f"to-trinh-{n.pk}", kind)


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = get_object_or_404(
        CouncilSession.objects.select_related("council__owner_unit", "minutes_number"), pk=pk
    )
    if not (
        rules.can_appraise(user)
        or CouncilMember.objects.filter(council=session.council, user=user).exists()
    ):
        raise Http404
    if session.minutes_number is None:
        raise Http404
    kind = "docx" if request.GET.get("dang") == "docx" else "pdf"
    return document_response(
        minutes_document(session), f"bien-ban-{session.minutes_number.number}", kind
    )
