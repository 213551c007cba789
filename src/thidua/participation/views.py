from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.campaigns.models import Campaign
from thidua.campaigns.views import issued_campaign_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.excel import error_report, write_workbook
from thidua.core.forms import SpreadsheetForm
from thidua.core.http import (
    export_response,
    parse_id,
    private_file_response,
    run_action,
    run_form,
    xlsx_response,
)
from thidua.core.import_flow import import_steps
from thidua.core.pagination import paginate, querystring_without_page
from thidua.organizations.models import EmulationBlock, Person, Unit
from thidua.participation import rules, selectors, services
from thidua.participation.forms import (
    ActivityEntryForm,
    AdoptForm,
    AnswerForm,
    CommitmentFormSet,
    DifficultyForm,
    GoodModelForm,
    PledgeForm,
    RegistrationForm,
    ReturnForm,
    ReviewForm,
)
from thidua.participation.models import (
    Activity,
    Difficulty,
    Evidence,
    GoodModel,
    Pledge,
    Registration,
)

_campaign = issued_campaign_for


def _acting_unit(request: HttpRequest, user: User, campaign: Campaign) -> Unit:
    units = selectors.acting_units(user, campaign)
    wanted = request.GET.get("don-vi") or request.POST.get("don-vi")
    unit = next((u for u in units if str(u.pk) == wanted), units[0] if units else None)
    if unit is None:
        raise PermissionDenied
    return unit


def _visible(user: User, unit_id: int) -> None:
    ids = selectors.visible_unit_ids(user)
    if ids is not None and unit_id not in ids:
        raise PermissionDenied


# --- Registration ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def registration_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    if request.method == "POST":
        run_action(
            request,
            lambda: services.registration_remind_missing(actor=user, campaign=campaign),
            "Đã gửi nhắc tới các đơn vị chưa đăng ký.",
        )
        return redirect("participation:registration-list", pk=pk)
    rows = selectors.registration_overview(actor=user, campaign=campaign)
    pledges = (
        Pledge.objects.filter(campaign=campaign).select_related("block").prefetch_related("members")
    )
    return render(
        request,
        "participation/registration_list.html",
        {
            "campaign": campaign,
            "rows": rows,
            "pledges": pledges,
            "can_review": rules.can_review(user),
            "acting_units": selectors.acting_units(user, campaign),
            "title": "Đăng ký thi đua",
            "registered": sum(
                1
                for r in rows
                if r.registration and r.registration.status == Registration.Status.SUBMITTED
            ),
        },
    )


def _registration_target(request: HttpRequest, pk: int, unit_pk: int) -> tuple[Campaign, Unit]:
    user, campaign = _campaign(request, pk)
    _visible(user, unit_pk)
    return campaign, get_object_or_404(Unit, pk=unit_pk)


def _commitment_rows(reg: Registration | None, campaign: Campaign) -> list[dict[str, Any]]:
    """The formset's rows: the registration's commitments, or the plan's criteria to start."""
    if reg is not None:
        return [
            {
                "criterion": c.criterion_id,
                "text": c.text,
                "target_kind": c.target_kind,
                "target_value": c.target_value,
                "target_unit": c.target_unit,
                "target_text": c.target_text,
            }
            for c in reg.commitments.all()
        ]
    return [
        {
            "criterion": c.pk,
            "text": c.text[:500],
            "target_kind": "number",
            "target_unit": c.target_unit,
            "target_value": c.target_value,
        }
        for c in campaign.criteria.all()
    ]


def _registration_page(
    request: HttpRequest,
    campaign: Campaign,
    unit: Unit,
    *,
    form: RegistrationForm | None = None,
    formset: Any = None,
) -> HttpResponse:
    user = request_user(request)
    reg = Registration.objects.filter(campaign=campaign, unit=unit).first()
    can_edit = rules.can_act_for(user, unit.pk) and (reg is None or not reg.is_submitted)
    can_approve = rules.can_approve_for(user, unit.pk) and reg is not None
    return render(
        request,
        "participation/registration.html",
        {
            "campaign": campaign,
            "unit": unit,
            "registration": reg,
            "form": form
            or RegistrationForm(
                initial={
                    "note": reg.note if reg else "",
                    "version": services.registration_version(reg),
                }
            ),
            "formset": formset
            or CommitmentFormSet(
                initial=_commitment_rows(reg, campaign),
                prefix="cam-ket",
                form_kwargs={"campaign": campaign},
            ),
            "can_edit": can_edit,
            "can_send": can_edit and reg is not None and reg.can_be_sent_for_approval,
            "can_approve": can_approve and reg is not None and not reg.is_submitted,
            "can_return": can_approve and reg is not None and reg.awaits_approval,
            "return_form": ReturnForm(),
            "commitments": selectors.commitments_with_progress()
            .filter(registration=reg)
            .order_by("position")
            if reg
            else [],
            "title": f"Đăng ký thi đua – {unit.name}",
        },
    )


@login_required
@require_GET
def registration(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    campaign, unit = _registration_target(request, pk, unit_pk)
    return _registration_page(request, campaign, unit)


def _back_to_registration(campaign: Campaign, unit: Unit) -> HttpResponse:
    return redirect("participation:registration", pk=campaign.pk, unit_pk=unit.pk)


@login_required
@require_POST
def registration_save(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Save the unit's commitments; a refusal shows the page again with what was typed."""
    campaign, unit = _registration_target(request, pk, unit_pk)
    form = RegistrationForm(request.POST)
    formset = CommitmentFormSet(request.POST, prefix="cam-ket", form_kwargs={"campaign": campaign})
    if not (form.is_valid() and formset.is_valid()):
        messages.error(request, "Bản đăng ký chưa hợp lệ: xem các ô được đánh dấu đỏ.")
        return _registration_page(request, campaign, unit, form=form, formset=formset)
    rows = [
        {
            **f.cleaned_data,
            "criterion_id": f.cleaned_data["criterion"].pk
            if f.cleaned_data.get("criterion")
            else None,
        }
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    if run_action(
        request,
        lambda: services.registration_save(
            actor=request_user(request),
            campaign=campaign,
            unit=unit,
            note=form.cleaned_data["note"],
            commitments=rows,
            version=form.cleaned_data["version"],
        ),
        "Đã lưu bản đăng ký.",
    ):
        return _back_to_registration(campaign, unit)
    return _registration_page(request, campaign, unit, form=form, formset=formset)


def _unit_registration(request: HttpRequest, pk: int, unit_pk: int) -> Registration:
    campaign, unit = _registration_target(request, pk, unit_pk)
    return get_object_or_404(
        selectors.registration_list_for(actor=request_user(request), campaign=campaign),
        unit=unit,
    )


@login_required
@require_POST
def registration_send(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    reg = _unit_registration(request, pk, unit_pk)
    run_action(
        request,
        lambda: services.registration_send_for_approval(
            actor=request_user(request), registration=reg
        ),
        "Đã gửi thủ trưởng đơn vị duyệt.",
    )
    return redirect("participation:registration", pk=pk, unit_pk=unit_pk)


@login_required
@require_POST
def registration_approve(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    reg = _unit_registration(request, pk, unit_pk)
    run_action(
        request,
        lambda: services.registration_approve(actor=request_user(request), registration=reg),
        "Đã duyệt và gửi đăng ký tới Phòng Nội vụ.",
    )
    return redirect("participation:registration", pk=pk, unit_pk=unit_pk)


@login_required
@require_POST
def registration_return(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    reg = _unit_registration(request, pk, unit_pk)
    form = ReturnForm(request.POST)
    run_form(
        request,
        form,
        lambda: services.registration_return(
            actor=request_user(request), registration=reg, note=form.cleaned_data["note"]
        ),
        "Đã trả lại bản đăng ký.",
    )
    return redirect("participation:registration", pk=pk, unit_pk=unit_pk)


@login_required
@require_http_methods(["GET", "POST"])
def pledge_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    year = campaign.period_start.year if campaign.period_start else today_local().year
    blocks = EmulationBlock.objects.filter(year=year)
    if not rules.can_review(user):
        blocks = blocks.filter(
            head_unit_id__in=[u.pk for u in selectors.acting_units(user, campaign)]
        )
    if not blocks.exists():
        raise PermissionDenied
    form = PledgeForm(
        request.POST or None,
        blocks=blocks.order_by("name_sort"),
        initial={"signed_on": today_local()},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            request,
            lambda: services.pledge_sign(actor=user, campaign=campaign, **form.cleaned_data),
            "Đã ghi nhận giao ước thi đua.",
        )
    ):
        return redirect("participation:registration-list", pk=pk)
    return render(
        request,
        "participation/form.html",
        {"form": form, "campaign": campaign, "title": "Ký giao ước thi đua"},
    )


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
            form.add_error("attachments" if "Tệp" in " ".join(exc.messages) else None, exc)
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
            "can_edit": rules.can_act_for(user, activity.unit_id),
        },
    )


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
            "title": "Sửa hoạt động",
        },
    )


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    evidence = get_object_or_404(Evidence.objects.select_related("activity", "good_model"), pk=pk)
    owner = evidence.activity
    services.evidence_delete(actor=user, evidence=evidence)
    messages.success(request, "Đã xóa minh chứng.")
    if owner is not None:
        return redirect("participation:activity-detail", pk=owner.pk)
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


# --- Good models ----------------------------------------------------------------------------


@login_required
def good_model_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    status = request.GET.get("trang-thai", "")
    page = paginate(
        request, selectors.good_model_list_for(actor=user, campaign=campaign, status=status)
    )
    return render(
        request,
        "participation/good_model_list.html",
        {
            "campaign": campaign,
            "page": page,
            "models": page.object_list,
            "status": status,
            "statuses": GoodModel.Status.choices,
            "qs": querystring_without_page(request),
            "acting_units": selectors.acting_units(user, campaign),
            "title": "Mô hình hay, điển hình tiên tiến",
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def good_model_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    unit = _acting_unit(request, user, campaign)
    form = GoodModelForm(
        request.POST or None,
        request.FILES or None,
        people=Person.objects.filter(unit=unit).order_by("name_sort"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments")
        try:
            gm = services.good_model_propose(
                actor=user, campaign=campaign, unit=unit, files=files, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã gửi đề xuất tới Phòng Nội vụ.")
            return redirect("participation:good-model-detail", pk=gm.pk)
    return render(
        request,
        "participation/form.html",
        {
            "form": form,
            "campaign": campaign,
            "multipart": True,
            "title": f"Đề xuất mô hình hay – {unit.name}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def good_model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    gm = get_object_or_404(
        GoodModel.objects.select_related("campaign", "unit", "person", "reviewed_by"), pk=pk
    )
    if gm.status != GoodModel.Status.ACCEPTED:
        _visible(user, gm.unit_id)
    action = request.POST.get("action") if request.method == "POST" else None
    review_form = ReviewForm(request.POST if action == "review" else None)
    adopt_form = AdoptForm(request.POST if action == "adopt" else None)
    if action == "review" and review_form.is_valid():
        run_action(
            request,
            lambda: services.good_model_review(
                actor=user, good_model=gm, **review_form.cleaned_data
            ),
            "Đã ghi kết luận.",
        )
        return redirect(request.path)
    if action == "adopt" and adopt_form.is_valid():
        unit = _acting_unit(request, user, gm.campaign)
        run_action(
            request,
            lambda: services.good_model_adopt(
                actor=user, good_model=gm, unit=unit, note=adopt_form.cleaned_data["note"]
            ),
            "Đã ghi nhận đơn vị nhân rộng mô hình.",
        )
        return redirect(request.path)
    if action == "resubmit":
        run_action(
            request,
            lambda: services.good_model_resubmit(
                actor=user,
                good_model=gm,
                description=request.POST.get("description", gm.description),
                results=request.POST.get("results", gm.results),
            ),
            "Đã gửi lại đề xuất.",
        )
        return redirect(request.path)
    acting = [u for u in selectors.acting_units(user, gm.campaign) if u.pk != gm.unit_id]
    return render(
        request,
        "participation/good_model_detail.html",
        {
            "gm": gm,
            "campaign": gm.campaign,
            "title": gm.title,
            "evidence": gm.evidence.order_by("pk"),
            "adoptions": gm.adoptions.select_related("unit").order_by("adopted_on"),
            "can_review": rules.can_review(user) and gm.status in {"proposed", "needs_info"},
            "can_adopt": bool(acting) and gm.status == GoodModel.Status.ACCEPTED,
            "can_resubmit": rules.can_act_for(user, gm.unit_id)
            and gm.status == GoodModel.Status.NEEDS_INFO,
            "review_form": review_form,
            "adopt_form": adopt_form,
        },
    )


# --- Difficulties ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def difficulty_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    acting = selectors.acting_units(user, campaign)
    form = DifficultyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = _acting_unit(request, user, campaign)
        if run_action(
            request,
            lambda: services.difficulty_raise(
                actor=user, campaign=campaign, unit=unit, **form.cleaned_data
            ),
            "Đã gửi khó khăn, vướng mắc tới Phòng Nội vụ.",
        ):
            return redirect(request.path)
    page = paginate(request, selectors.difficulty_list_for(actor=user, campaign=campaign))
    return render(
        request,
        "participation/difficulty_list.html",
        {
            "campaign": campaign,
            "page": page,
            "difficulties": page.object_list,
            "qs": "",
            "form": form,
            "acting_units": acting,
            "title": "Khó khăn, vướng mắc",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def difficulty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    d = get_object_or_404(
        Difficulty.objects.select_related("campaign", "unit", "answered_by"), pk=pk
    )
    _visible(user, d.unit_id)
    form = AnswerForm(request.POST if request.POST.get("action") == "answer" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer" and form.is_valid():
            run_action(
                request,
                lambda: services.difficulty_answer(actor=user, difficulty=d, **form.cleaned_data),
                "Đã trả lời đơn vị.",
            )
        elif action == "forward":
            run_action(
                request,
                lambda: services.difficulty_forward(actor=user, difficulty=d),
                "Đã trình lãnh đạo.",
            )
        elif action == "close":
            run_action(
                request, lambda: services.difficulty_close(actor=user, difficulty=d), "Đã đóng."
            )
        return redirect(request.path)
    return render(
        request,
        "participation/difficulty_detail.html",
        {
            "d": d,
            "campaign": d.campaign,
            "form": form,
            "can_review": rules.can_review(user),
            "title": d.title,
        },
    )
