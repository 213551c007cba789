"""Activities with their evidence, imports and exports, and the campaign's roll-up."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.core.bodylimit import accepts_uploads
from thidua.core.excel import error_report, write_workbook
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import (
    export_response,
    parse_id,
    private_file_response,
    run_action,
    xlsx_response,
)
from thidua.core.import_flow import Frame, import_steps
from thidua.core.pagination import paginate, querystring_without_page
from thidua.organizations.models import Unit
from thidua.participation import rules, selectors, services
from thidua.participation.forms import (
    ActivityEntryForm,
)
from thidua.participation.models import (
    Activity,
    Evidence,
    GoodModel,
)
from thidua.participation.views.common import _acting_unit, _campaign, _visible

# --- Activities -----------------------------------------------------------------------------


def _month(text: str) -> date | None:
    """ "2022-07" (the dashboard's links) → 1/7/2022; anything else → no month filter."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


@login_required
def activity_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    query, form_code = request.GET.get("q", "").strip(), request.GET.get("hinh-thuc", "")
    unit_id = parse_id(request.GET.get("don-vi"))
    month = _month(request.GET.get("thang", ""))
    activities = selectors.activity_list_for(
        actor=user,
        campaign=campaign,
        query=query,
        form_code=form_code,
        unit_id=unit_id,
        month=month,
    )
    page = paginate(request, activities, per_page=30)
    return render(
        request,
        "participation/activity_list.html",
        {
            "campaign": campaign,
            "page": page,
            "activities": page.object_list,
            "q": query,
            "form_code": form_code,
            "month": month,
            "unit_filter": Unit.objects.filter(pk=unit_id).first() if unit_id else None,
            "forms": campaign.forms.all(),
            "qs": querystring_without_page(request),
            "acting_units": selectors.acting_units(user, campaign),
            "title": "Hoạt động",
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    unit = _acting_unit(request, user, campaign)
    commitments = selectors.commitments_with_progress().filter(
        registration__campaign=campaign, registration__unit=unit
    )
    form = ActivityEntryForm(
        request.POST or None, request.FILES or None, campaign=campaign, commitments=commitments
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("contribution_")}
        files = data.pop("attachments")
        try:
            activity = services.activity_record(
                actor=user,
                campaign=campaign,
                unit=unit,
                files=files,
                contributions=form.contributions(),
                **data,
            )
        except ValidationError as exc:
            # field errors (dates) go on their fields; a file's on the files, the rest on top
            on_files = not hasattr(exc, "error_dict") and "Tệp" in " ".join(exc.messages)
            form.add_error("attachments" if on_files else None, exc)
        else:
            messages.success(request, "Đã ghi nhận hoạt động.")
            return redirect("participation:activity-detail", pk=activity.pk)
    return render(
        request,
        "participation/activity_form.html",
        {
            "form": form,
            "campaign": campaign,
            "unit": unit,
            "title": "Ghi nhận hoạt động",
        },
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    activity = get_object_or_404(Activity.objects.select_related("campaign", "unit", "form"), pk=pk)
    _visible(user, activity.unit_id)
    changes = rules.can_change_records(user, activity.campaign, activity.unit_id)
    return render(
        request,
        "participation/activity_detail.html",
        {
            "activity": activity,
            "campaign": activity.campaign,
            "title": activity.title,
            "evidence": activity.evidence.order_by("pk"),
            "contributions": activity.contributions.select_related("commitment"),
            "links": activity.links.splitlines(),
            # offered only when the service would take it (not once the campaign is over)
            "can_edit": changes,
            "can_delete": changes,
        },
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmed on the activity's page (its "Xóa hoạt động" panel and the button's question);
    back to the campaign's list once done, to the page with the reason when refused."""
    user = request_user(request)
    activity = get_object_or_404(Activity.objects.select_related("campaign", "unit"), pk=pk)
    _visible(user, activity.unit_id)
    if run_action(
        request,
        lambda: services.activity_delete(actor=user, activity=activity),
        f"Đã xóa hoạt động “{activity.title}” ({activity.held_on:%d/%m/%Y}).",
    ):
        return redirect("participation:activity-list", pk=activity.campaign_id)
    return redirect("participation:activity-detail", pk=pk)


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    activity = get_object_or_404(Activity.objects.select_related("campaign", "unit", "form"), pk=pk)
    if not rules.can_act_for(user, activity.unit_id):
        raise PermissionDenied
    commitments = selectors.commitments_with_progress().filter(
        registration__campaign=activity.campaign, registration__unit=activity.unit
    )
    current = {c.commitment_id: c.amount for c in activity.contributions.all()}
    initial: dict[str, Any] = {
        "form": activity.form_id,
        "title": activity.title,
        "held_on": activity.held_on,
        "ends_on": activity.ends_on,
        "place": activity.place,
        "participants": activity.participants,
        "description": activity.description,
        "links": activity.links,
        **{f"contribution_{pk_}": amount for pk_, amount in current.items()},
    }
    form = ActivityEntryForm(
        request.POST or None,
        request.FILES or None,
        campaign=activity.campaign,
        commitments=commitments,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("contribution_")}
        files = data.pop("attachments")
        data.pop("form")  # the form of an activity is fixed once recorded
        try:
            services.activity_update(
                actor=user,
                activity=activity,
                files=files,
                contributions=form.contributions(),
                bases=form.bases,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("participation:activity-detail", pk=pk)
    return render(
        request,
        "participation/activity_form.html",
        {
            "form": form,
            "campaign": activity.campaign,
            "unit": activity.unit,
            "activity": activity,
            "evidence": activity.evidence.select_related("created_by").order_by("pk"),
            "title": "Sửa hoạt động",
        },
    )


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    evidence = get_object_or_404(
        Evidence.objects.select_related("activity__campaign", "activity__unit", "good_model"),
        pk=pk,
    )
    owner = evidence.activity
    run_action(
        request,
        lambda: services.evidence_delete(actor=user, evidence=evidence),
        "Đã xóa minh chứng.",
    )
    if owner is not None:
        # removed from the edit page ("ve=sua"): back there, to go on adding files
        back = "activity-edit" if request.POST.get("ve") == "sua" else "activity-detail"
        return redirect(f"participation:{back}", pk=owner.pk)
    return redirect("participation:good-model-detail", pk=evidence.good_model_id)


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    unit = _acting_unit(request, user, campaign)
    errors: list[Any] = []
    step = import_steps(
        request,
        SpreadsheetForm(request.POST or None, request.FILES or None),
        source="participation.activities",
        columns=services.activity_columns(campaign, listed=False),
        params={"campaign": str(campaign.pk), "unit": str(unit.pk)},
        back=reverse("participation:activity-list", args=[pk]),
        title=f"Nhập hoạt động từ Excel – {unit.name}",
        carry={"don-vi": unit.pk},
        frame=Frame(campaign=campaign, here="Nhập hoạt động từ Excel"),
    )
    if step.response is not None:
        return step.response
    if step.sheet is not None:
        count, errors = services.activities_import(
            actor=user, campaign=campaign, unit=unit, upload=step.sheet
        )
        step.finish(count, errors)
        if not errors:
            messages.success(request, f"Đã nhập {count} hoạt động.")
            return redirect("participation:activity-list", pk=pk)
        request.session["activity_import_errors"] = [e.as_dict() for e in errors]
    return render(
        request,
        "participation/activity_import.html",
        {
            "form": step.form,
            "campaign": campaign,
            "unit": unit,
            "errors": errors,
            "title": "Nhập hoạt động từ Excel",
        },
    )


@login_required
def activity_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    _, campaign = _campaign(request, pk)
    columns = services.activity_columns(campaign)
    return xlsx_response(write_workbook(columns, []), "mau-nhap-hoat-dong.xlsx")


@login_required
def activity_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The list's activities (same filters) as the import template: it imports back unchanged."""
    _campaign(request, pk)
    params = {**request.GET.dict(), "campaign": str(pk)}
    return export_response(request, "participation.activities", params)


@login_required
def activity_import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    _campaign(request, pk)
    return xlsx_response(
        error_report(request.session.get("activity_import_errors", [])), "loi-nhap-hoat-dong.xlsx"
    )


@login_required
def evidence_file(request: HttpRequest, pk: int, thumb: bool = False) -> FileResponse:
    """Evidence is private: served only after the same visibility check as its record."""
    user = request_user(request)
    evidence = get_object_or_404(Evidence.objects.select_related("activity", "good_model"), pk=pk)
    owner = evidence.activity or evidence.good_model
    if owner is None:
        raise PermissionDenied
    if not (isinstance(owner, GoodModel) and owner.status == GoodModel.Status.ACCEPTED):
        _visible(user, owner.unit_id)
    name = evidence.thumbnail.name if thumb and evidence.thumbnail else evidence.file.name
    content_type = "image/jpeg" if thumb and evidence.thumbnail else evidence.content_type
    return private_file_response(
        name, content_type=content_type, filename=evidence.original_name, inline=evidence.is_image
    )


# --- Roll-up --------------------------------------------------------------------------------


@login_required
def rollup(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    return render(
        request,
        "participation/rollup.html",
        {
            "campaign": campaign,
            "title": "Tổng hợp kết quả",
            **selectors.campaign_rollup(actor=user, campaign=campaign),
            "open_difficulties": selectors.open_difficulty_count(campaign=campaign),
        },
    )
