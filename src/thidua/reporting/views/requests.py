"""Report requests and templates: the list, creating them, a request's page, urging the
units still owing (and the urging letter), starting the aggregated report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.campaigns.selectors import reporting_units_for
from thidua.core.http import job_from_query, require
from thidua.core.pagination import paginate, querystring_without_page
from thidua.core.submissions import form_key_of
from thidua.documents.http import document_response, pdf_response
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.organizations.models import EmulationBlock
from thidua.organizations.rules import roles_of
from thidua.reporting import rules, selectors, services
from thidua.reporting.documents import urging_document
from thidua.reporting.forms import PHASE_NAMES, RequestForm, TemplateForm
from thidua.reporting.models import ReportRequest, ReportStatus, ReportTemplate, UrgingLetter
from thidua.reporting.views.common import _campaign, _managed_request


@login_required
def request_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    status = request.GET.get("trang-thai", "")
    late = request.GET.get("qua-han") == "1"
    filtered = None
    if status in ReportStatus.values or late:
        filtered = paginate(
            request,
            selectors.assignments_filtered(actor=user, campaign=campaign, status=status, late=late),
            per_page=50,
        )
    return render(
        request,
        "reporting/request_list.html",
        {
            "campaign": campaign,
            "filtered": filtered,
            "status_label": dict(ReportStatus.choices).get(status, ""),
            "late": late,
            "qs": querystring_without_page(request),
            "requests": selectors.request_list_for(actor=user, campaign=campaign),
            "can_manage": rules.can_manage_reports_of(user, campaign),
            "title": "Báo cáo",
            "templates": ReportTemplate.objects.filter(campaign=campaign).order_by("-created_at"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_manage_reports_of(user, campaign))
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.template_create(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã tạo mẫu báo cáo.")
            return redirect("reporting:request-list", pk=pk)
    return render(
        request, "reporting/form.html", {"form": form, "campaign": campaign, "title": "Mẫu báo cáo"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_manage_reports_of(user, campaign))
    invited = reporting_units_for(campaign=campaign)  # units that must act, not "(để b/c)"
    form = RequestForm(
        request.POST or None,
        templates=ReportTemplate.objects.filter(campaign=campaign),
        units=invited,
        blocks=EmulationBlock.objects.order_by("-year", "name_sort"),
        campaign=campaign,
        initial={
            "title": f"Báo cáo kết quả thực hiện {campaign.title}"[:255],
            "template": ReportTemplate.objects.filter(campaign=campaign).order_by("-pk").first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        units = {
            "invited": list(invited),
            "block": list(data["block"].members.all()) if data["block"] else [],
            "pick": list(data["units"]),
        }[data["audience"]]
        try:
            report_request = services.request_create(
                actor=user,
                campaign=campaign,
                template=data["template"],
                title=data["title"],
                units=units,
                kind=data["kind"],
                due_date=data["due_date"],
                due_working_days=data["due_working_days"],
                reminder_offsets=data["reminder_offsets"],
                repeat_every=data["repeat_every"],
                escalate_after=data["escalate_after"],
                advance_phase=data["advance_phase"],
                form_key=form_key_of(request.POST),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            sent = report_request.assignments.count()
            messages.success(request, f"Đã gửi yêu cầu báo cáo tới {sent} đơn vị.")
            if data["advance_phase"]:
                messages.info(
                    request, f"Phong trào đã chuyển sang giai đoạn {PHASE_NAMES[data['kind']]}."
                )
            return redirect("reporting:request-detail", pk=report_request.pk)
    return render(
        request,
        "reporting/form.html",
        {"form": form, "campaign": campaign, "title": "Yêu cầu báo cáo"},
    )


@login_required
@require_POST
def request_urge(request: HttpRequest, pk: int) -> HttpResponse:
    """A numbered urging letter to the units still owing the report (once per form)."""
    user, report_request = _managed_request(request, pk)
    try:
        letter = services.urging_letter_create(
            actor=user, request=report_request, form_key=form_key_of(request.POST)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã lập công văn đôn đốc số {letter.issued_number.reference}.")
    return redirect("reporting:request-detail", pk=pk)


@login_required
@require_POST
def request_aggregate(request: HttpRequest, pk: int) -> HttpResponse:
    """Start building the aggregated report; the page follows the job."""
    user, report_request = _managed_request(request, pk)
    try:
        job = services.aggregate_build_start(actor=user, request=report_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:request-detail", pk=pk)
    return redirect(f"{reverse('reporting:request-detail', args=[pk])}?tac-vu={job.pk}")


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report_request = get_object_or_404(
        ReportRequest.objects.select_related("campaign", "template"), pk=pk
    )
    require(rules.can_see_reports(user))
    query, status = request.GET.get("q", "").strip(), request.GET.get("trang-thai", "")
    assignments = selectors.assignment_list_for(
        actor=user, request=report_request, unit_query=query, status=status
    )
    return render(
        request,
        "reporting/request_detail.html",
        {
            "report_request": report_request,
            "campaign": report_request.campaign,
            "assignments": assignments,
            "q": query,
            "status": status,
            "statuses": selectors.status_choices_with_counts(report_request),
            "filtered": bool(query or status in ReportStatus.values),
            "letters": report_request.urging_letters.select_related("issued_number").order_by(
                "-pk"
            ),
            "can_manage": rules.can_manage_reports_of(user, report_request.campaign),
            "title": report_request.title,
            "job": job_from_query(request),
        },
    )


@login_required
def urging_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = request_user(request)
    if kind not in {"pdf", "docx"}:
        raise Http404
    letter = get_object_or_404(
        UrgingLetter.objects.select_related("request__campaign__owner_unit", "issued_number"), pk=pk
    )
    mine = letter.units.filter(pk__in=[u for _, u in roles_of(user).grants]).exists()
    require(rules.can_see_reports(user) or mine)
    name = f"cong-van-{letter.issued_number.number}"
    signed = signed_pdf_for(letter, source=SignedPdf.Source.ISSUED) if kind == "pdf" else None
    if signed is not None:  # the digitally signed copy is the letter as issued
        return pdf_response(signed_pdf_bytes(signed), f"{name}-ky-so")
    return document_response(urging_document(letter), name, kind)
