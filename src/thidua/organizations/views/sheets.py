"""Units and people in and out of Excel: import, export, the import template, error reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thidua.core.bodylimit import accepts_uploads
from thidua.core.excel import RowError, error_report, write_workbook
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import export_response, require, xlsx_response
from thidua.core.import_flow import Frame, import_steps
from thidua.core.text import vn_thousands
from thidua.organizations import rules, services
from thidua.organizations.models import ImportBatch
from thidua.organizations.views.common import _user


def _import_view(request: HttpRequest, *, kind: str, title: str, back: str) -> HttpResponse:
    user = _user(request)
    batch = None
    step = import_steps(
        request,
        SpreadsheetForm(request.POST or None, request.FILES or None),
        source=f"organizations.{kind}",
        columns=services.UNIT_COLUMNS if kind == "units" else services.PERSON_IMPORT_COLUMNS,
        params={},
        back=reverse(back),
        title=title,
        frame=Frame(heading="h3"),
    )
    if step.response is not None:
        return step.response
    if step.sheet is not None:
        importer = services.units_import if kind == "units" else services.people_import
        batch = importer(actor=user, upload=step.sheet, filename=step.sheet.filename)
        step.finish(batch.rows, [RowError(**e) for e in batch.errors])
        if batch.status == ImportBatch.Status.IMPORTED:
            changes = f": {batch.changes}" if batch.changes else ""
            messages.success(request, f"Đã nhập {vn_thousands(batch.rows)} dòng{changes}.")
            return redirect(back)
    return render(
        request,
        "organizations/import.html",
        {
            "form": step.form,
            "batch": batch,
            "title": title,
            "kind": kind,
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    require(rules.can_manage_units(_user(request)))
    return _import_view(
        request, kind="units", title="Nhập đơn vị từ Excel", back="organizations:unit-list"
    )


@login_required
def unit_export(request: HttpRequest) -> HttpResponseBase:
    _user(request)
    return export_response(request, "organizations.units")


@login_required
def unit_template(request: HttpRequest) -> HttpResponse:
    _user(request)
    return xlsx_response(write_workbook(services.UNIT_COLUMNS, []), "mau-nhap-don-vi.xlsx")


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    require(rules.can_add_people(_user(request)))
    return _import_view(
        request, kind="people", title="Nhập cá nhân từ Excel", back="organizations:person-list"
    )


@login_required
def person_export(request: HttpRequest) -> HttpResponseBase:
    require(rules.can_add_people(_user(request)))
    return export_response(request, "organizations.people")


@login_required
def person_template(request: HttpRequest) -> HttpResponse:
    _user(request)
    return xlsx_response(write_workbook(services.PERSON_COLUMNS, []), "mau-nhap-ca-nhan.xlsx")


@login_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = get_object_or_404(ImportBatch, pk=pk, created_by=user)
    return xlsx_response(error_report(batch.errors), f"loi-nhap-{batch.pk}.xlsx")
