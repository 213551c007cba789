"""The plan: list, detail, the one-form editor, assignments, issuing, phase moves and
downloads."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.campaigns import rules, selectors, services
from thidua.campaigns.documents import plan_document
from thidua.campaigns.forms import (
    ActivityFormAddForm,
    AssignmentForm,
    AwardItemFormSet,
    CampaignForm,
    CopyForm,
    CriterionItemFormSet,
    FormItemFormSet,
    IssueForm,
    ParentDocumentFormSet,
    PrizeItemFormSet,
    RecipientItemFormSet,
    SectionFormSet,
)
from thidua.campaigns.models import Assignment, Campaign, CampaignStatus
from thidua.campaigns.views.common import (
    visible_campaign_for,
)
from thidua.core import versions
from thidua.core.clock import today_local
from thidua.core.http import is_htmx, require
from thidua.core.pagination import paginate, querystring_without_page
from thidua.core.selectors import action_log_for
from thidua.documents.http import document_response, pdf_response
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.organizations.rules import roles_of
from thidua.organizations.selectors import UNITS_VERSION


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


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    campaign = get_object_or_404(selectors.campaign_list_for(actor=user), pk=pk)
    plan: Campaign | SimpleLazyObject
    if campaign.is_draft:  # being edited: drawn afresh every time, and checked for issuing
        plan, plan_key = selectors.with_plan_parts(campaign), ""
    else:  # issued: its text is fixed; only added activity types and short unit names change
        plan = SimpleLazyObject(lambda: selectors.with_plan_parts(campaign))
        plan_key = ":".join(
            (
                f"plan:{campaign.pk}:{campaign.status}",
                campaign.updated_at.isoformat(),
                versions.current(UNITS_VERSION),
            )
        )
    if not campaign.is_draft:
        services.delivery_open(actor=user, campaign=campaign)
    my_units = roles_of(user).units_with("unit_officer", "unit_head")
    history = action_log_for(campaign, limit=30)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "plan": plan,
            "plan_key": plan_key,
            "history": history,
            "title": campaign.title,
            "summary": selectors.delivery_summary(campaign=campaign),
            "my_deliveries": campaign.deliveries.filter(unit_id__in=my_units).select_related(
                "unit"
            ),
            "can_edit": rules.can_edit_campaign(user, campaign),
            "can_issue": rules.can_issue_campaign(user, campaign),
            "can_advance": rules.can_advance_campaign(user, campaign),
            "can_copy": rules.can_copy_campaign(user, campaign),
            "can_add_form": rules.can_add_activity_form(user, campaign),
            "activity_form_add": ActivityFormAddForm(),
            "issue_form": IssueForm(initial={"issued_on": today_local()}),
            "copy_year": _copy_year(campaign),
            "problems": services.issue_problems(campaign) if campaign.is_draft else [],
            "today": today_local(),
            "signed_pdf": None
            if campaign.is_draft
            else signed_pdf_for(campaign, source=SignedPdf.Source.ISSUED),
        },
    )


def _copy_year(campaign: Campaign) -> int | None:
    """The copy form's year: the one after the plan's, as plans are copied to run again."""
    reference = selectors.copy_reference_year(campaign)
    return reference + 1 if reference is not None else None


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
            {
                "name": a.name,
                "signer": a.signer,
                "target": a.target,
                "quota_collective": a.quota_collective,
                "quota_individual": a.quota_individual,
                "quota": a.quota,
            }
            for a in c.award_forms.all()
        ],
        "Hình thức khen thưởng",
    ),
    "prizes": (
        PrizeItemFormSet,
        lambda c: [
            {
                "tier": x.tier,
                "count": x.count,
                "scope": x.scope,
                "target": x.target,
                "amount": x.amount,
            }
            for x in c.prizes.all()
        ],
        "Cơ cấu giải thưởng",
    ),
    "parent_documents": (
        ParentDocumentFormSet,
        lambda c: [
            {**d, "date": d.get("date") and date.fromisoformat(d["date"])}
            for d in c.parent_documents
        ],
        "Văn bản cấp trên, căn cứ",
    ),
    "recipients": (
        RecipientItemFormSet,
        lambda c: [{"text": r.text, "note": r.note, "role": r.role} for r in c.recipients.all()],
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
    """The plan editor: one form, one Save for the general fields and every list; rows are
    added in the page (static/thidua/app.js); on an error everything typed comes back."""
    user, campaign = visible_campaign_for(request, pk)
    require(rules.can_edit_campaign(user, campaign))
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, instance=campaign)
    formsets = {
        name: cls(data, prefix=name, initial=initial(campaign))
        for name, (cls, initial, _) in FORMSETS.items()
    }
    if request.method == "POST":
        checks = [form.is_valid(), *(f.is_valid() for f in formsets.values())]  # every error
        if all(checks):
            main = dict(form.cleaned_data)
            version = main.pop("version")
            changed = {name: _ordered_rows(f) for name, f in formsets.items() if f.has_changed()}
            if (parents := changed.pop("parent_documents", None)) is not None:
                main["parent_documents"] = services.parent_documents_json(parents)
            try:
                services.campaign_plan_save(
                    actor=user,
                    campaign=campaign,
                    version=version,
                    main=main,
                    sections=changed.pop("sections", None),
                    items=changed,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Đã lưu toàn bộ kế hoạch.")
                return redirect(request.path)
        else:
            messages.error(request, "Chưa lưu: dữ liệu chưa hợp lệ, xem các ô được đánh dấu đỏ.")
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
    _user, campaign = visible_campaign_for(request, pk)
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
    user, campaign = visible_campaign_for(request, pk)
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
    form = AssignmentForm(request.POST or None, initial=initial, campaign=campaign)
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


@login_required
@require_http_methods(["GET", "POST"])
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a junk draft, after a confirmation page."""
    user, campaign = visible_campaign_for(request, pk)
    require(rules.can_edit_campaign(user, campaign))
    if request.method == "POST":
        try:
            services.campaign_delete_draft(actor=user, campaign=campaign)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("campaigns:campaign-detail", pk=campaign.pk)
        messages.success(request, f"Đã xóa dự thảo “{campaign.title}”.")
        return redirect("campaigns:campaign-list")
    return render(
        request,
        "campaigns/delete.html",
        {"campaign": campaign, "title": "Xóa dự thảo kế hoạch"},
    )


@login_required
@require_POST
def activity_form_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = visible_campaign_for(request, pk)
    require(rules.can_add_activity_form(user, campaign))
    form = ActivityFormAddForm(request.POST)
    if form.is_valid():
        try:
            added = services.activity_form_add(actor=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Đã thêm loại hoạt động “{added.label}”.")
    else:
        messages.error(request, "Nhập tên hoạt động.")
    return redirect("campaigns:campaign-detail", pk=campaign.pk)


def _post_action(
    request: HttpRequest, pk: int, action: Callable[[User, Campaign], Any], done: str
) -> HttpResponse:
    user, campaign = visible_campaign_for(request, pk)
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
    user, campaign = visible_campaign_for(request, pk)
    form = CopyForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("year", []):
            messages.error(request, f"Sao chép kế hoạch: {message}")
        return redirect("campaigns:campaign-detail", pk=campaign.pk)
    year = form.cleaned_data["year"]
    copy = services.campaign_copy(actor=user, source=campaign, year=year)
    messages.success(request, "Đã tạo dự thảo mới từ kế hoạch này.")
    reference = selectors.copy_reference_year(campaign)
    tasks = "; ".join(
        f"{a.clause or f'nhiệm vụ thứ {n}'}: {a.due_date:%d/%m/%Y}"
        for n, a in enumerate(selectors.fixed_deadline_tasks(campaign=copy), start=1)
    )
    if year is not None and reference is not None and year != reference:
        parts = [
            label
            for label, present in (
                ("thời gian thực hiện", copy.period_start or copy.period_end),
                ("hạn báo cáo", copy.report_deadline),
                ("ngày kỷ niệm", copy.occasion_date),
                (f"hạn của các nhiệm vụ ({tasks})", tasks),
            )
            if present
        ]
        if parts:
            after = f"{abs(year - reference)} năm {'sau' if year > reference else 'trước'}"
            messages.info(
                request,
                f"Các ngày cố định đã được dời sang năm {year} ({after}, giữ nguyên ngày và "
                f"tháng): {', '.join(parts)}. Hãy kiểm tra lại trước khi ban hành.",
            )
    elif tasks:
        messages.warning(
            request,
            "Hạn cố định của các nhiệm vụ được giữ nguyên như kế hoạch cũ"
            + (
                ""
                if year is None
                else " (kế hoạch gốc không ghi thời gian hay ngày ban hành để tính số năm)"
                if reference is None
                else f" (cùng năm {year})"
            )
            + f", cần xem lại: {tasks}.",
        )
    return redirect("campaigns:campaign-edit", pk=copy.pk)


@login_required
def campaign_deliveries(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = visible_campaign_for(request, pk)
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
    signed = signed_pdf_for(campaign, source=SignedPdf.Source.ISSUED) if kind == "pdf" else None
    if signed is not None:  # the digitally signed copy is the plan as issued
        return pdf_response(signed_pdf_bytes(signed), f"{name}-ky-so")
    return document_response(plan_document(campaign), name, kind)


@login_required
def campaign_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(visible_campaign_for(request, pk)[1], "pdf")


@login_required
def campaign_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(visible_campaign_for(request, pk)[1], "docx")
