"""Good models (mô hình hay): proposed by units, reviewed by Nội vụ, adopted by others."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.core.bodylimit import accepts_uploads
from thidua.core.http import (
    run_action,
    run_form,
)
from thidua.core.pagination import paginate, querystring_without_page
from thidua.organizations.models import Person
from thidua.participation import rules, selectors, services
from thidua.participation.forms import (
    AdoptForm,
    GoodModelForm,
    ResubmitForm,
    ReviewForm,
)
from thidua.participation.models import (
    GoodModel,
)
from thidua.participation.views.common import _acting_unit, _campaign, _visible

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


def _good_model_for(request: HttpRequest, pk: int) -> GoodModel:
    """A good model the user may read: an accepted one anyone signed in, else its unit's."""
    gm = get_object_or_404(
        GoodModel.objects.select_related("campaign", "unit", "person", "reviewed_by"), pk=pk
    )
    if not gm.is_accepted:
        _visible(request_user(request), gm.unit_id)
    return gm


def _good_model_page(
    request: HttpRequest,
    gm: GoodModel,
    *,
    review_form: ReviewForm | None = None,
    adopt_form: AdoptForm | None = None,
) -> HttpResponse:
    user = request_user(request)
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
            "can_review": rules.can_review(user, gm.campaign) and gm.can_be_reviewed,
            "can_adopt": bool(acting) and gm.is_accepted,
            "can_resubmit": rules.can_act_for(user, gm.unit_id) and gm.can_be_resubmitted,
            "review_form": review_form or ReviewForm(),
            "adopt_form": adopt_form or AdoptForm(),
        },
    )


@login_required
@require_GET
def good_model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _good_model_page(request, _good_model_for(request, pk))


@login_required
@require_POST
def good_model_review(request: HttpRequest, pk: int) -> HttpResponse:
    gm = _good_model_for(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _good_model_page(request, gm, review_form=form)
    run_action(
        request,
        lambda: services.good_model_review(
            actor=request_user(request), good_model=gm, **form.cleaned_data
        ),
        "Đã ghi kết luận.",
    )
    return redirect("participation:good-model-detail", pk=gm.pk)


@login_required
@require_POST
def good_model_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    gm = _good_model_for(request, pk)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        return _good_model_page(request, gm, adopt_form=form)
    user = request_user(request)
    unit = _acting_unit(request, user, gm.campaign)
    run_action(
        request,
        lambda: services.good_model_adopt(
            actor=user, good_model=gm, unit=unit, note=form.cleaned_data["note"]
        ),
        "Đã ghi nhận đơn vị nhân rộng mô hình.",
    )
    return redirect("participation:good-model-detail", pk=gm.pk)


@login_required
@require_POST
def good_model_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    gm = _good_model_for(request, pk)
    form = ResubmitForm(request.POST)
    run_form(
        request,
        form,
        lambda: services.good_model_resubmit(
            actor=request_user(request),
            good_model=gm,
            description=form.cleaned_data["description"] or gm.description,
            results=form.cleaned_data["results"] or gm.results,
        ),
        "Đã gửi lại đề xuất.",
    )
    return redirect("participation:good-model-detail", pk=gm.pk)
