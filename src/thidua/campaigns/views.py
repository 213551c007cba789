from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.campaigns import rules, selectors, services
from thidua.campaigns.documents import plan_document
from thidua.campaigns.forms import (
    AssignmentForm,
    AwardItemFormSet,
    CampaignForm,
    CriterionItemFormSet,
    FormItemFormSet,
    ImportPlanForm,
    IssueForm,
    RecipientItemFormSet,
    SectionFormSet,
)
from thidua.campaigns.models import Assignment, AssignmentTarget, Campaign, CampaignStatus
from thidua.campaigns.parsing import text_from_docx
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.http import is_htmx, require
from thidua.core.models import ActionLog
from thidua.core.pagination import paginate, querystring_without_page
from thidua.documents.http import document_response
from thidua.organizations.rules import roles_of
from thidua.organizations.selectors import unit_list_for


def _campaign(request: HttpRequest, pk: int) -> tuple[User, Campaign]:
    user = request_user(request)
    return user, get_object_or_404(selectors.campaign_detail_for(actor=user), pk=pk)


def issued_campaign_for(request: HttpRequest, pk: int) -> tuple[User, Campaign]:
    """The signed-in user and an issued campaign they may see (404 otherwise); for the
    campaign's sections in higher apps (participation, reporting)."""
    user = request_user(request)
    return user, get_object_or_404(
        selectors.campaign_list_for(actor=user).exclude(status="draft"), pk=pk
    )


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(bool(roles_of(user).grants))
    query, status = request.GET.get("q", "").strip(), request.GET.get("trang-thai", "")
    page = paginate(request, selectors.campaign_list_for(actor=user, query=query, status=status))
    context = {
        "page": page,
        "campaigns": page.object_list,
        "q": query,
        "status": status,
        "statuses": CampaignStatus.choices,
        "qs": querystring_without_page(request),
        "can_draft": rules.can_draft_campaigns(user),
        "title": "Phong trào thi đua",
    }
    name = (
        "campaigns/_partials/campaign_rows.html"
        if is_htmx(request)
        else "campaigns/campaign_list.html"
    )
    return render(request, name, context)


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def campaign_import(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(rules.can_draft_campaigns(user))
    units = unit_list_for(actor=user).filter(kind__in=["district", "province", "ward", "commune"])
    form = ImportPlanForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"owner_unit": units.filter(kind="district").first()},
    )
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if form.cleaned_data["docx"]:
            try:
                text = text_from_docx(form.cleaned_data["docx"])
            except Exception:
                form.add_error(
                    "docx", "Không đọc được tệp Word này. Hãy lưu lại dạng .docx hoặc dán nội dung."
                )
        if not form.errors:
            try:
                campaign = services.campaign_import(
                    actor=user, text=text, owner_unit=form.cleaned_data["owner_unit"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    "Đã tạo dự thảo từ văn bản. Hãy đối chiếu các thông tin nhận dạng được.",
                )
                return redirect("campaigns:campaign-review", pk=campaign.pk)
    return render(
        request, "campaigns/import.html", {"form": form, "title": "Nhập kế hoạch từ văn bản"}
    )


@login_required
def campaign_review(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_draft_campaigns(user))
    data = campaign.parse_result or {}
    return render(
        request,
        "campaigns/review.html",
        {
            "campaign": campaign,
            "data": data,
            "source_lines": campaign.source_text.splitlines(),
            "warnings": data.get("warnings") or [],
            "unrecognised": data.get("unrecognised") or [],
            "title": "Đối chiếu kết quả nhận dạng",
        },
    )


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    if not campaign.is_draft:
        services.delivery_open(actor=user, campaign=campaign)
    my_units = roles_of(user).units_with("unit_officer", "unit_head")
    history = ActionLog.objects.filter(
        target_type__model="campaign", target_id=str(campaign.pk)
    ).select_related("actor")[:30]
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "history": history,
            "title": campaign.title,
            "summary": selectors.delivery_summary(campaign=campaign),
            "my_deliveries": campaign.deliveries.filter(unit_id__in=my_units).select_related(
                "unit"
            ),
            "can_edit": rules.can_edit_campaign(user, campaign),
            "can_issue": rules.can_issue_campaign(user, campaign),
            "can_advance": rules.can_advance_campaign(user, campaign),
            "can_copy": rules.can_draft_campaigns(user),
            "issue_form": IssueForm(initial={"issued_on": today_local()}),
            "problems": services._issue_problems(campaign) if campaign.is_draft else [],
            "today": today_local(),
        },
    )


FORMSETS: dict[
    str, tuple[type[BaseFormSet[Any]], Callable[[Campaign], list[dict[str, Any]]], str]
] = {
    "sections": (
        SectionFormSet,
        lambda c: [
            {"level": s.level, "label": s.label, "title": s.title, "body": s.body}
            for s in c.sections.all()
        ],
        "Nội dung kế hoạch",
    ),
    "forms": (
        FormItemFormSet,
        lambda c: [{"code": f.code, "label": f.label} for f in c.forms.all()],
        "Hình thức tổ chức",
    ),
    "criteria": (
        CriterionItemFormSet,
        lambda c: [
            {"text": x.text, "target_value": x.target_value, "target_unit": x.target_unit}
            for x in c.criteria.all()
        ],
        "Tiêu chí, chỉ tiêu",
    ),
    "award_forms": (
        AwardItemFormSet,
        lambda c: [
            {"name": a.name, "signer": a.signer, "target": a.target, "quota": a.quota}
            for a in c.award_forms.all()
        ],
        "Hình thức khen thưởng",
    ),
    "recipients": (
        RecipientItemFormSet,
        lambda c: [{"text": r.text, "note": r.note} for r in c.recipients.all()],
        "Nơi nhận",
    ),
}


def _ordered_rows(formset: BaseFormSet[Any]) -> list[dict[str, Any]]:
    rows = [
        f.cleaned_data
        for f in formset.ordered_forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    return [{k: v for k, v in row.items() if k not in {"ORDER", "DELETE"}} for row in rows]


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_edit_campaign(user, campaign))
    part = request.POST.get("part", "")
    form = CampaignForm(request.POST if part == "main" else None, instance=campaign)
    formsets = {
        name: cls(request.POST if part == name else None, prefix=name, initial=initial(campaign))
        for name, (cls, initial, _) in FORMSETS.items()
    }
    if request.method == "POST":
        try:
            if part == "main" and form.is_valid():
                data = dict(form.cleaned_data)
                services.campaign_update(
                    actor=user, campaign=campaign, version=data.pop("version"), **data
                )
            elif part == "sections" and formsets[part].is_valid():
                services.campaign_sections_replace(
                    actor=user, campaign=campaign, sections=_ordered_rows(formsets[part])
                )
            elif part in FORMSETS and part != "sections" and formsets[part].is_valid():
                services.campaign_items_replace(
                    actor=user, campaign=campaign, kind=part, items=_ordered_rows(formsets[part])
                )
            else:
                raise ValidationError("Dữ liệu chưa hợp lệ, xem các ô được đánh dấu.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Đã lưu.")
            return redirect(f"{request.path}#{part}")
    return render(
        request,
        "campaigns/edit.html",
        {
            "campaign": campaign,
            "form": form,
            "title": f"Soạn thảo: {campaign.title}",
            "formsets": [(name, formsets[name], label) for name, (_, _, label) in FORMSETS.items()],
            "assignment_form": AssignmentForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as it will print. A POST of the editor's fields previews them unsaved."""
    _user, campaign = _campaign(request, pk)
    if request.method == "POST":
        CampaignForm(
            request.POST, instance=campaign
        ).is_valid()  # fills the instance, saves nothing
    return render(
        request,
        "campaigns/_partials/preview.html",
        {"doc": plan_document(campaign), "campaign": campaign},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_edit(
    request: HttpRequest, pk: int, assignment_pk: int | None = None
) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_edit_campaign(user, campaign))
    assignment = (
        get_object_or_404(Assignment, pk=assignment_pk, campaign=campaign)
        if assignment_pk
        else None
    )
    initial = {}
    if assignment:
        initial = {
            "clause": assignment.clause,
            "text": assignment.text,
            "due_date": assignment.due_date,
            "due_working_days": assignment.due_working_days,
            "units": [t.unit_id for t in assignment.targets.all()],
        }
    form = AssignmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_save(
                actor=user, campaign=campaign, assignment=assignment, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu nhiệm vụ.")
            return redirect("campaigns:campaign-detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {"form": form, "campaign": campaign, "title": "Phân công nhiệm vụ"},
    )


def _post_action(
    request: HttpRequest, pk: int, action: Callable[[User, Campaign], Any], done: str
) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    try:
        action(user, campaign)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("campaigns:campaign-detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_issue(request: HttpRequest, pk: int) -> HttpResponse:
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày ban hành không hợp lệ (dd/mm/yyyy).")
        return redirect("campaigns:campaign-detail", pk=pk)
    issued_on = form.cleaned_data["issued_on"]
    return _post_action(
        request,
        pk,
        lambda u, c: services.campaign_issue(actor=u, campaign=c, issued_on=issued_on),
        "Đã ban hành kế hoạch và gửi tới các đơn vị.",
    )


TRANSITIONS: dict[str, tuple[Callable[..., Campaign], str]] = {
    "start": (services.campaign_start, "Phong trào đã chuyển sang triển khai."),
    "interim": (services.campaign_interim_begin, "Đã bắt đầu sơ kết."),
    "interim-end": (services.campaign_interim_end, "Đã kết thúc sơ kết, tiếp tục triển khai."),
    "final": (services.campaign_final_begin, "Đã bắt đầu tổng kết."),
    "close": (services.campaign_close, "Phong trào đã kết thúc."),
}


@login_required
@require_POST
def campaign_transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in TRANSITIONS:
        raise PermissionDenied
    service, done = TRANSITIONS[step]
    return _post_action(request, pk, lambda u, c: service(actor=u, campaign=c), done)


@login_required
@require_POST
def campaign_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda u, c: services.delivery_acknowledge(actor=u, campaign=c),
        "Đã xác nhận tiếp nhận kế hoạch.",
    )


@login_required
@require_POST
def campaign_copy(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    copy = services.campaign_copy(actor=user, source=campaign)
    messages.success(request, "Đã tạo dự thảo mới từ kế hoạch này.")
    return redirect("campaigns:campaign-edit", pk=copy.pk)


@login_required
def campaign_deliveries(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = _campaign(request, pk)
    require(rules.can_see_all_campaigns(user))
    page = paginate(request, selectors.delivery_list_for(campaign=campaign), per_page=100)
    return render(
        request,
        "campaigns/deliveries.html",
        {
            "campaign": campaign,
            "page": page,
            "deliveries": page.object_list,
            "qs": "",
            "summary": selectors.delivery_summary(campaign=campaign),
            "title": "Tình hình tiếp nhận",
        },
    )


def _download(campaign: Campaign, kind: str) -> HttpResponse:
    name = f"ke-hoach-{campaign.number or 'du-thao'}-{campaign.pk}"
    return document_response(plan_document(campaign), name, kind)


@login_required
def campaign_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(_campaign(request, pk)[1], "pdf")


@login_required
def campaign_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(_campaign(request, pk)[1], "docx")


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    require(bool(roles_of(user).grants))
    page = paginate(
        request, selectors.task_list_for(actor=user, include_done=request.GET.get("tat-ca") == "1")
    )
    today = today_local()
    return render(
        request,
        "campaigns/tasks.html",
        {
            "page": page,
            "targets": page.object_list,
            "today": today,
            "qs": querystring_without_page(request),
            "title": "Nhiệm vụ được giao",
            "my_units": roles_of(user).units_with("unit_officer", "unit_head"),
        },
    )


@login_required
@require_POST
def task_update(request: HttpRequest, target_pk: int) -> HttpResponse:
    user = request_user(request)
    target = get_object_or_404(selectors.task_list_for(actor=user, include_done=True), pk=target_pk)
    status = request.POST.get("status", "")
    if status not in AssignmentTarget.Status.values:
        raise PermissionDenied
    try:
        services.assignment_target_set_status(actor=user, target=target, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("campaigns:task-list")
