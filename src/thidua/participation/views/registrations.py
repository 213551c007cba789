"""Registration: a unit's commitments, sent to its head and to Nội vụ; block pledges."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.campaigns.models import Campaign
from thidua.core.clock import today_local
from thidua.core.http import action_view, run_action, run_form
from thidua.organizations.models import EmulationBlock, Unit
from thidua.participation import rules, selectors, services
from thidua.participation.forms import (
    CommitmentFormSet,
    PledgeForm,
    RegistrationForm,
    ReturnForm,
)
from thidua.participation.models import (
    Pledge,
    Registration,
)
from thidua.participation.views.common import _campaign, _visible

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
    query, status = request.GET.get("q", "").strip(), request.GET.get("trang-thai", "")
    shown = selectors.registration_rows_matching(rows, unit_query=query, status=status)
    pledges = (
        Pledge.objects.filter(campaign=campaign).select_related("block").prefetch_related("members")
    )
    return render(
        request,
        "participation/registration_list.html",
        {
            "campaign": campaign,
            "rows": rows,
            "shown": shown,
            "q": query,
            "status": status,
            "statuses": selectors.REGISTRATION_STATES,
            "filtered": len(shown) < len(rows),
            "pledges": pledges,
            "can_review": rules.can_review(user, campaign),
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
            **rules.registration_actions(user, unit.pk, reg),
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


def _back_to_its_page(reg: Registration) -> HttpResponse:
    return redirect("participation:registration", pk=reg.campaign_id, unit_pk=reg.unit_id)


registration_send = action_view(
    _unit_registration,
    lambda user, reg: services.registration_send_for_approval(actor=user, registration=reg),
    "Đã gửi thủ trưởng đơn vị duyệt.",
    _back_to_its_page,
)


registration_approve = action_view(
    _unit_registration,
    lambda user, reg: services.registration_approve(actor=user, registration=reg),
    "Đã duyệt và gửi đăng ký tới Phòng Nội vụ.",
    _back_to_its_page,
)


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
    if not rules.can_review(user, campaign):
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
