from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from thidua.accounts.requests import request_user
from thidua.awards import rules, selectors, services
from thidua.awards.documents import submission_document
from thidua.awards.minutes import minutes_document
from thidua.awards.models import (
    AwardType,
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
    if not (
        roles_of(user).city_wide
        or rules.can_draft_nomination(user, n.unit_id)
        or selectors.nomination_on_agenda_for(actor=user, nomination=n)  # council members
    ):
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
