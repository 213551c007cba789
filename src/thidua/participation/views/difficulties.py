"""Difficulties units raise, answered or forwarded by Nội vụ."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.core.http import action_view, run_action
from thidua.core.pagination import paginate
from thidua.participation import rules, selectors, services
from thidua.participation.forms import (
    AnswerForm,
    DifficultyForm,
)
from thidua.participation.models import (
    Difficulty,
)
from thidua.participation.views.common import _acting_unit, _campaign, _visible

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


def _difficulty_for(request: HttpRequest, pk: int) -> Difficulty:
    d = get_object_or_404(
        Difficulty.objects.select_related("campaign", "unit", "answered_by"), pk=pk
    )
    _visible(request_user(request), d.unit_id)
    return d


def _difficulty_page(
    request: HttpRequest, d: Difficulty, form: AnswerForm | None = None
) -> HttpResponse:
    return render(
        request,
        "participation/difficulty_detail.html",
        {
            "d": d,
            "campaign": d.campaign,
            "form": form or AnswerForm(),
            "can_review": rules.can_review(request_user(request), d.campaign),
            "title": d.title,
        },
    )


@login_required
@require_GET
def difficulty_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _difficulty_page(request, _difficulty_for(request, pk))


@login_required
@require_POST
def difficulty_answer(request: HttpRequest, pk: int) -> HttpResponse:
    d = _difficulty_for(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _difficulty_page(request, d, form)
    run_action(
        request,
        lambda: services.difficulty_answer(
            actor=request_user(request), difficulty=d, **form.cleaned_data
        ),
        "Đã trả lời đơn vị.",
    )
    return redirect("participation:difficulty-detail", pk=d.pk)


def _back_to_difficulty(d: Difficulty) -> HttpResponse:
    return redirect("participation:difficulty-detail", pk=d.pk)


difficulty_forward = action_view(
    _difficulty_for,
    lambda user, d: services.difficulty_forward(actor=user, difficulty=d),
    "Đã trình lãnh đạo.",
    _back_to_difficulty,
)


difficulty_close = action_view(
    _difficulty_for,
    lambda user, d: services.difficulty_close(actor=user, difficulty=d),
    "Đã đóng.",
    _back_to_difficulty,
)
