"""The aggregated report: editing, issuing and downloading it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from thidua.campaigns.forms import IssueForm
from thidua.core.clock import today_local
from thidua.core.http import (
    XLSX,
    export_response,
    private_file_response,
    run_action,
    run_form,
    xlsx_stream,
)
from thidua.documents.http import document_response, pdf_response
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.reporting import selectors, services
from thidua.reporting.documents import aggregate_document
from thidua.reporting.forms import AggregateForm
from thidua.reporting.models import AggregatedReport
from thidua.reporting.views.common import _manager


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
            "since_build": 0
            if report_obj.issued_number_id
            else selectors.reports_since_build(report_obj),
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
def aggregate_download(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    user = _manager(request)
    if kind not in {"pdf", "docx", "xlsx"}:
        raise Http404
    report_obj = get_object_or_404(
        AggregatedReport.objects.select_related("request__campaign"), request_id=pk
    )
    if kind == "xlsx":  # streamed row by row: any number of units in flat memory
        export = services.aggregate_totals_export(actor=user, request=report_obj.request)
        return xlsx_stream(export.columns, export.rows, export.filename, export.sheet_name)
    signed = signed_pdf_for(report_obj, source=SignedPdf.Source.ISSUED) if kind == "pdf" else None
    if signed is not None:  # the digitally signed copy is the report as issued
        return pdf_response(signed_pdf_bytes(signed), f"bao-cao-tong-hop-{pk}-ky-so")
    return document_response(aggregate_document(report_obj), f"bao-cao-tong-hop-{pk}", kind)


@login_required
def aggregate_annex(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Phụ lục: each unit's status, figures and narratives. Once the report is issued, the
    file stored at issue (the rows as they were then, as the issued body is); before, built
    live (core.exports: streamed, or by a job when large). Either read is logged."""
    user = _manager(request)
    report_obj = get_object_or_404(AggregatedReport, request_id=pk)
    issued = services.aggregate_annex_issued(actor=user, report=report_obj)
    if issued is not None:
        return private_file_response(
            issued, content_type=XLSX, filename=services.annex_filename(pk)
        )
    return export_response(request, services.ANNEX_SOURCE, {"request": str(pk)})
