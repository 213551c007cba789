import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.campaigns.forms import IssueForm
from thidua.campaigns.selectors import reporting_units_for
from thidua.campaigns.views import issued_campaign_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.concurrency import BASES_FIELD, bases_of, parse_bases
from thidua.core.excel import Column, write_workbook
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import (
    action_view,
    export_response,
    form_action_view,
    job_from_query,
    private_file_response,
    require,
    run_action,
    run_form,
    xlsx_response,
)
from thidua.core.import_flow import import_steps
from thidua.core.pagination import paginate, querystring_without_page
from thidua.core.submissions import form_key_of
from thidua.documents.http import document_response, pdf_response
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.organizations.models import EmulationBlock
from thidua.organizations.rules import roles_of
from thidua.reporting import rules, selectors, services
from thidua.reporting.documents import aggregate_document, urging_document
from thidua.reporting.forms import PHASE_NAMES, AggregateForm, RequestForm, ReviewForm, TemplateForm
from thidua.reporting.models import (
    AggregatedReport,
    ReportAssignment,
    ReportAttachment,
    ReportRequest,
    ReportStatus,
    ReportTemplate,
    UrgingLetter,
)

_campaign = issued_campaign_for


def _manager(request: HttpRequest) -> User:
    user = request_user(request)
    require(rules.can_manage_reports(user))
    return user


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
            "today": timezone.localdate(),
            "requests": selectors.request_list_for(actor=user, campaign=campaign),
            "can_manage": rules.can_manage_reports(user),
            "title": "Báo cáo",
            "templates": ReportTemplate.objects.filter(campaign=campaign).order_by("-created_at"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_manage_reports(user))
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
    require(rules.can_manage_reports(user))
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


def _managed_request(request: HttpRequest, pk: int) -> tuple[User, ReportRequest]:
    user = request_user(request)
    report_request = get_object_or_404(
        ReportRequest.objects.select_related("campaign", "template"), pk=pk
    )
    require(rules.can_manage_reports(user))
    return user, report_request


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
    assignments = selectors.assignment_list_for(actor=user, request=report_request)
    return render(
        request,
        "reporting/request_detail.html",
        {
            "report_request": report_request,
            "campaign": report_request.campaign,
            "assignments": assignments,
            "letters": report_request.urging_letters.select_related("issued_number").order_by(
                "-pk"
            ),
            "can_manage": rules.can_manage_reports(user),
            "title": report_request.title,
            "today": timezone.localdate(),
            "job": job_from_query(request),
        },
    )


def _assignment_of(request: HttpRequest, pk: int) -> ReportAssignment:
    return _assignment(request, pk)[1]


def _back_to_report(a: ReportAssignment) -> HttpResponse:
    return redirect("reporting:report", pk=a.pk)


def _assignment(request: HttpRequest, pk: int) -> tuple[User, ReportAssignment]:
    user = request_user(request)
    a = get_object_or_404(
        selectors.assignment_list_for(actor=user).select_related("request__template"), pk=pk
    )
    return user, a


@accepts_uploads
@login_required
@require_POST
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user, a = _assignment(request, pk)
    try:
        count = services.report_attach(
            actor=user, assignment=a, files=request.FILES.getlist("files")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã đính kèm {count} tệp.")
    return redirect("reporting:report", pk=pk)


report_send = action_view(
    _assignment_of,
    lambda user, a: services.report_send_for_approval(actor=user, assignment=a),
    "Đã gửi thủ trưởng duyệt.",
    _back_to_report,
)


report_submit = action_view(
    _assignment_of,
    lambda user, a: services.report_submit(actor=user, assignment=a),
    "Đã duyệt và nộp báo cáo.",
    _back_to_report,
)


report_accept = form_action_view(
    _assignment_of,
    ReviewForm,
    lambda user, a, data: services.report_accept(actor=user, assignment=a, note=data["note"]),
    "Đã tiếp nhận báo cáo.",
    _back_to_report,
)


report_return = form_action_view(
    _assignment_of,
    ReviewForm,
    lambda user, a, data: services.report_return(actor=user, assignment=a, note=data["note"]),
    "Đã trả lại báo cáo cho đơn vị.",
    _back_to_report,
)


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user, a = _assignment(request, pk)
    template = a.request.template
    auto = services.auto_values(a)
    sections = [(s, a.draft_narratives.get(str(s.pk), "")) for s in template.sections.all()]
    indicators = [
        (i, auto.get(str(i.pk), a.draft_values.get(str(i.pk), "")))
        for i in template.indicators.all()
    ]
    return render(
        request,
        "reporting/report.html",
        {
            "bases": bases_of(services.draft_fields(a, a.draft_narratives, None)),
            "a": a,
            "campaign": a.request.campaign,
            "sections": sections,
            "indicators": indicators,
            "versions": a.versions.select_related("submitted_by"),
            "attachments": a.attachments.order_by("pk"),
            "title": f"{a.request.title} – {a.unit.name}",
            "can_edit": rules.can_draft_report(user, a) and a.is_drafting,
            "can_send": rules.can_draft_report(user, a)
            and a.can_move(ReportStatus.PENDING_APPROVAL),
            "can_submit": rules.can_approve_report(user, a) and a.can_move(ReportStatus.SUBMITTED),
            "can_review": rules.can_manage_reports(user) and a.can_move(ReportStatus.ACCEPTED),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def report_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Called by htmx on every change: the draft is never lost to a timeout or a closed tab."""
    user, a = _assignment(request, pk)
    narratives = {
        k.removeprefix("section-"): request.POST.get(k, "")
        for k in request.POST
        if k.startswith("section-")
    }
    values = {
        k.removeprefix("indicator-"): v
        for k, v in request.POST.items()
        if k.startswith("indicator-")
    }
    kept: list[str] = []
    try:
        a = services.report_draft_save(
            actor=user,
            assignment=a,
            narratives=narratives,
            values=values,
            bases=parse_bases(request.POST.get(BASES_FIELD)),
            kept=kept,
        )
    except ValidationError as exc:
        return render(request, "reporting/_saved.html", {"error": " ".join(exc.messages)})
    # The page now shows what it sent: that is its base for the next save (swapped in by htmx).
    shown = services.draft_fields(a, narratives, services.clean_draft_values(a, values))
    return render(
        request,
        "reporting/_saved.html",
        {"saved_at": a.draft_saved_at, "kept": kept, "bases": bases_of(shown)},
    )


@login_required
def report_compare(request: HttpRequest, pk: int) -> HttpResponse:
    _user, a = _assignment(request, pk)
    versions = list(a.versions.all())
    if len(versions) < 2:  # noqa: PLR2004
        messages.info(request, "Cần ít nhất hai lần nộp để so sánh.")
        return redirect("reporting:report", pk=pk)
    old, new = versions[-2], versions[-1]
    old.assignment = new.assignment = a  # the template's indicators, without a query each
    diffs = []
    for section in a.request.template.sections.all():
        before = old.narratives.get(str(section.pk), "").splitlines()
        after = new.narratives.get(str(section.pk), "").splitlines()
        lines = [(line[0], line[2:]) for line in difflib.ndiff(before, after) if line[0] in " +-"]
        diffs.append((section.title, lines))
    return render(
        request,
        "reporting/compare.html",
        {
            "a": a,
            "campaign": a.request.campaign,
            "old": old,
            "new": new,
            "diffs": diffs,
            "figures": selectors.version_changes(old=old, new=new),
            "title": "So sánh phiên bản",
        },
    )


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """A unit's own dashboard: deadlines and what is still missing."""
    user = request_user(request)
    assignments = selectors.assignment_list_for(actor=user).exclude(status=ReportStatus.ACCEPTED)
    return render(
        request,
        "reporting/my_reports.html",
        {"assignments": assignments, "today": timezone.localdate(), "title": "Báo cáo của đơn vị"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def aggregate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _manager(request)
    report_obj = get_object_or_404(
        AggregatedReport.objects.select_related("request__campaign"), request_id=pk
    )
    form = AggregateForm(
        request.POST or None, initial={"title": report_obj.title, "body": report_obj.body}
    )
    saved = (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            request,
            lambda: services.aggregate_update(actor=user, report=report_obj, **form.cleaned_data),
            "Đã lưu báo cáo tổng hợp.",
        )
    )
    if saved:
        return redirect(request.path)
    return render(
        request,
        "reporting/aggregate.html",
        {
            "report": report_obj,
            "form": form,
            "campaign": report_obj.request.campaign,
            "title": report_obj.title,
            "figures": selectors.aggregate_figures(request=report_obj.request),
            "issue_form": IssueForm(initial={"issued_on": today_local()}),
            "signed_pdf": signed_pdf_for(report_obj, source=SignedPdf.Source.ISSUED),
        },
    )


@login_required
@require_POST
def aggregate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Nội vụ issues the finished aggregated report: numbered, signed when the body has a key."""
    user = _manager(request)
    report_obj = get_object_or_404(AggregatedReport, request_id=pk)
    form = IssueForm(request.POST)
    run_form(
        request,
        form,
        lambda: services.aggregate_issue(
            actor=user, report=report_obj, issued_on=form.cleaned_data["issued_on"]
        ),
        "Đã ban hành báo cáo tổng hợp.",
    )
    return redirect("reporting:aggregate", pk=pk)


@login_required
def aggregate_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _manager(request)
    if kind not in {"pdf", "docx", "xlsx"}:
        raise Http404
    report_obj = get_object_or_404(
        AggregatedReport.objects.select_related("request__campaign"), request_id=pk
    )
    if kind == "xlsx":
        figures = selectors.aggregate_figures(request=report_obj.request)
        columns = [Column("Đơn vị", "unit", width=45), Column("Nộp muộn", "late", width=10)] + [
            Column(
                f"{row['name']} ({row['indicator'].unit_of_measure})"
                if row["indicator"].unit_of_measure
                else row["name"],
                f"i{n}",
                width=18,
            )
            for n, row in enumerate(figures["indicators"])
        ]
        rows = [
            [r["unit"].name, "Có" if r["late"] else "", *r["values"]] for r in figures["per_unit"]
        ]
        rows.append(["Tổng hợp", "", *[row["total"] for row in figures["indicators"]]])
        rows += [[u.name, "Chưa báo cáo"] for u in figures["missing"]]
        return xlsx_response(
            write_workbook(columns, rows, sheet_name="Tổng hợp"), f"bao-cao-tong-hop-{pk}.xlsx"
        )
    signed = signed_pdf_for(report_obj, source=SignedPdf.Source.ISSUED) if kind == "pdf" else None
    if signed is not None:  # the digitally signed copy is the report as issued
        return pdf_response(signed_pdf_bytes(signed), f"bao-cao-tong-hop-{pk}-ky-so")
    return document_response(aggregate_document(report_obj), f"bao-cao-tong-hop-{pk}", kind)


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


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_see_reports(user))
    d = selectors.dashboard(campaign=campaign)
    # Drill-down: each bar and table cell opens the activities behind it.
    activities = reverse("participation:activity-list", args=[campaign.pk])
    for s in d["series"]:
        s["links"] = [f"{activities}?hinh-thuc={s['code']}&thang={key}" for key in d["month_keys"]]
        s["cells"] = list(zip(s["data"], s["links"], strict=True))
    return render(
        request,
        "reporting/dashboard.html",
        {
            "campaign": campaign,
            "title": "Theo dõi",
            "d": d,
            "chart_links": [s["links"] for s in d["series"]],
        },
    )


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Report files are private: the same visibility as the report itself."""
    user = request_user(request)
    attachment = get_object_or_404(ReportAttachment, pk=pk)
    get_object_or_404(selectors.assignment_list_for(actor=user), pk=attachment.assignment_id)
    return private_file_response(
        attachment.file.name,
        content_type=attachment.content_type,
        filename=attachment.original_name,
    )


def _visible_request(user: User, pk: int) -> ReportRequest:
    report_request = selectors.request_visible_to(actor=user, pk=pk)
    if report_request is None:
        raise Http404
    return report_request


@login_required
def indicator_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Each unit's figures, one row per unit: the import format of indicator_import."""
    _visible_request(request_user(request), pk)
    return export_response(request, "reporting.indicators", {"request": str(pk)})


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def indicator_import(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit enters its figures from the sheet into its draft report."""
    user = request_user(request)
    report_request = _visible_request(user, pk)
    require(any(rules.can_draft_report(user, a) for a in report_request.assignments.all()))
    errors: list[Any] = []
    step = import_steps(
        request,
        SpreadsheetForm(request.POST or None, request.FILES or None),
        source="reporting.indicators",
        columns=services.indicator_columns(report_request),
        params={"request": str(report_request.pk)},
        back=reverse("reporting:my-reports"),
        title="Nhập số liệu chỉ tiêu từ Excel",
    )
    if step.response is not None:
        return step.response
    if step.sheet is not None:
        count, errors = services.indicators_import(
            actor=user, request=report_request, upload=step.sheet
        )
        step.finish(count, errors)
        if not errors:
            messages.success(request, f"Đã cập nhật số liệu của {count} đơn vị vào bản nháp.")
            return redirect("reporting:my-reports")
    return render(
        request,
        "reporting/indicator_import.html",
        {
            "form": step.form,
            "report_request": report_request,
            "errors": errors,
            "title": "Nhập số liệu chỉ tiêu từ Excel",
        },
    )
