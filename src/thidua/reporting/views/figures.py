"""Indicator figures in and out of Excel, and the campaign's dashboard."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from thidua.accounts.requests import request_user
from thidua.core.bodylimit import accepts_uploads
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import export_response, require
from thidua.core.import_flow import import_steps
from thidua.reporting import rules, selectors, services
from thidua.reporting.views.common import _campaign, _visible_request


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
            "open_count": d["open_difficulties"],  # the tabs' badge: counted once
            "chart_links": [s["links"] for s in d["series"]],
        },
    )


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
        title=f"Nhập số liệu chỉ tiêu từ Excel – {report_request.title}",
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
