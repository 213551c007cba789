"""Decisions: draft from the recommended list, sign, correct, print certificates."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.awards import decisions, fund, printing, rules, selectors
from thidua.awards.documents import decision_document
from thidua.awards.forms import (
    ApproveForm,
    CorrectionForm,
    DecisionDraftForm,
    DecisionEditForm,
    DecisionLineForm,
    NoteForm,
    PrintForm,
    SignedScanForm,
)
from thidua.awards.models import AwardType, Decision, DecisionLine, PrinterProfile
from thidua.campaigns.views import issued_campaign_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.concurrency import bases_of
from thidua.core.http import (
    action_view,
    form_action_view,
    job_from_query,
    private_file_response,
    require,
    run_action,
    run_form,
    stored_content_type,
)
from thidua.core.models import ActionLog, Job
from thidua.documents.http import document_response, pdf_response
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.documents.services import has_signing_key
from thidua.organizations.rules import roles_of


@login_required
@require_http_methods(["GET", "POST"])
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    require(roles_of(user).city_wide)
    can_draft = rules.can_draft_decision(user, campaign)
    if request.method == "POST":
        require(can_draft)
        form = DecisionDraftForm(request.POST)
        form.is_valid()  # ids only; the nominees are taken from the recommended list
        award = get_object_or_404(AwardType, pk=form.cleaned_data.get("award_type") or 0)
        chosen = selectors.recommended_nominees(campaign=campaign, award_type=award).filter(
            pk__in=form.cleaned_data.get("nominees") or []
        )
        made: list[Decision] = []
        if run_action(
            request,
            lambda: made.append(
                decisions.decision_draft(
                    actor=user, campaign=campaign, award_type=award, nominees=list(chosen)
                )
            ),
            "Đã lập dự thảo quyết định.",
        ):
            return redirect("awards:decision-detail", pk=made[0].pk)
    recommended = list(selectors.recommended_nominees(campaign=campaign)) if can_draft else []
    groups: dict[AwardType, list[Any]] = {}
    for nominee in recommended:
        groups.setdefault(nominee.nomination.award_type, []).append(nominee)
    return render(
        request,
        "awards/decision_list.html",
        {
            "campaign": campaign,
            "title": "Quyết định khen thưởng",
            "decisions": selectors.decisions_visible_to(actor=user)
            .filter(campaign=campaign)
            .select_related("award_type", "number", "corrects__number")
            .order_by("-created_at"),
            "groups": groups,
            "can_draft": can_draft,
            "discarded": selectors.discarded_drafts_of(campaign)
            if can_draft or rules.signs_for_campaign(user, campaign)
            else (),
        },
    )


def _decision_for(request: HttpRequest, pk: int) -> Decision:
    user = request_user(request)
    require(roles_of(user).city_wide)
    return get_object_or_404(selectors.decisions_visible_to(actor=user), pk=pk)


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _decision_for(request, pk))


def _detail_page(
    request: HttpRequest, d: Decision, *, edit_form: DecisionEditForm | None = None
) -> HttpResponse:
    user = request_user(request)
    drafter = rules.can_draft_decision(user, d)
    signer = rules.can_sign_decision(user, d)
    can_edit = drafter and d.is_draft
    return render(
        request,
        "awards/decision_detail.html",
        {
            "campaign": d.campaign,
            "title": str(d),
            "d": d,
            "form": edit_form or DecisionEditForm(initial=DecisionEditForm.initial_for(d))
            if can_edit
            else None,
            "lines": _lines_with_bases(d),
            "records": d.records.select_related("award_type").order_by("number"),
            "corrections": d.corrections.select_related("number"),
            "can_edit": can_edit,
            "can_print": rules.can_print_certificates(user, d),
            "can_correct": drafter and d.is_final,
            "can_discard": drafter and d.can_be_discarded,
            "can_record_scan": drafter and d.awaits_signature,
            "can_sign": signer and d.awaits_signature,
            "fund_check": fund.fund_check(d, today_local())
            if d.awaits_signature and (signer or drafter)
            else None,
            "prize_payments": fund.payments_of_decision(d) if d.is_final else None,
            "printers": selectors.printers_to_print_with(actor=user),
            "job": job_from_query(request)
            or Job.objects.filter(
                kind="awards.certificates", created_by=user, params__decision=d.pk
            ).last(),
            "today": today_local(),
            "bases_from": decisions.rule_label(d.rule) if d.rule_id else "",
            "history": _history(d),
            "signed_pdf": signed_pdf_for(d, source=SignedPdf.Source.ISSUED),
            "received_pdf": signed_pdf_for(d, source=SignedPdf.Source.RECEIVED),
            "signs_digitally": d.status == Decision.Status.AWAITING_SIGNATURE
            and has_signing_key(actor=user),
        },
    )


def _lines_with_bases(d: Decision) -> list[DecisionLine]:
    """The annex, each line with the fingerprints its edit form carries (`_bases`)."""
    lines = list(d.lines.all())
    for line in lines:
        line.edit_bases = bases_of(  # type: ignore[attr-defined]
            {name: getattr(line, name) for name in DecisionLineForm.base_fields}
        )
    return lines


def _back(d: Decision) -> HttpResponse:
    return redirect("awards:decision-detail", pk=d.pk)


@login_required
@require_POST
def decision_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the draft's texts; a refusal shows the page again with what was typed."""
    d = _decision_for(request, pk)
    user = request_user(request)
    form = DecisionEditForm(request.POST)
    if run_form(
        request,
        form,
        lambda: decisions.decision_update(
            actor=user, decision=d, bases=form.bases, **form.cleaned_data
        ),
        "Đã lưu dự thảo.",
    ):
        return _back(d)
    d.refresh_from_db()
    return _detail_page(request, d, edit_form=form)


@login_required
@require_POST
def decision_bases_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    d = _decision_for(request, pk)
    run_action(
        request,
        lambda: decisions.decision_bases_refresh(actor=request_user(request), decision=d),
        "Đã lấy lại căn cứ pháp lý theo quy định áp dụng tại ngày dự thảo.",
    )
    return _back(d)


@login_required
@require_POST
def decision_line_edit(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    d = _decision_for(request, pk)
    line = get_object_or_404(d.lines, pk=line_pk)
    form = DecisionLineForm(request.POST)
    run_form(
        request,
        form,
        lambda: decisions.decision_line_edit(
            actor=request_user(request), line=line, bases=form.bases, **form.cleaned_data
        ),
        "Đã sửa.",
    )
    return _back(d)


@login_required
@require_POST
def decision_line_remove(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    d = _decision_for(request, pk)
    line = get_object_or_404(d.lines, pk=line_pk)
    run_action(
        request,
        lambda: decisions.decision_line_remove(actor=request_user(request), line=line),
        "Đã bỏ khỏi danh sách.",
    )
    return _back(d)


@login_required
@require_POST
def decision_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard an unsigned draft, with the reason; back to the decision it would have corrected,
    or to the campaign's decisions (its nominees are on the recommended list again)."""
    d = _decision_for(request, pk)
    form = NoteForm(request.POST)
    if run_form(
        request,
        form,
        lambda: decisions.decision_discard(
            actor=request_user(request), decision=d, reason=form.cleaned_data["note"]
        ),
        "Đã hủy dự thảo quyết định.",
    ):
        if d.corrects_id:
            return redirect("awards:decision-detail", pk=d.corrects_id)
        return redirect("awards:decision-list", pk=d.campaign_id)
    return _back(d)


decision_send = action_view(
    _decision_for,
    lambda user, d: decisions.decision_send_for_signature(actor=user, decision=d),
    "Đã trình ký.",
    _back,
)


decision_return = form_action_view(
    _decision_for,
    NoteForm,
    lambda user, d, data: decisions.decision_return(actor=user, decision=d, note=data["note"]),
    "Đã trả lại dự thảo.",
    _back,
)


@login_required
@require_POST
def decision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    d = _decision_for(request, pk)
    form = ApproveForm(request.POST)
    run_form(
        request,
        form,
        lambda: decisions.decision_approve(
            actor=request_user(request),
            decision=d,
            shortfall_reason=form.cleaned_data["shortfall_reason"],
        ),
        "Đã ký duyệt: quyết định được ban hành.",
    )
    return _back(d)


@accepts_uploads
@login_required
@require_POST
def decision_record_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """Nội vụ records a decision signed on paper."""
    d = _decision_for(request, pk)
    form = SignedScanForm(request.POST, request.FILES)
    run_form(
        request,
        form,
        lambda: decisions.decision_record_signed_scan(
            actor=request_user(request), decision=d, **form.cleaned_data
        ),
        "Đã cập nhật bản đã ký: quyết định được ban hành.",
    )
    return _back(d)


@login_required
@require_POST
def decision_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A new draft decision that amends or revokes some awards of this one."""
    d = _decision_for(request, pk)
    form = CorrectionForm(request.POST, decision=d)
    made: list[Decision] = []
    if run_form(
        request,
        form,
        lambda: made.append(
            decisions.decision_correct(
                actor=request_user(request),
                decision=d,
                kind=form.cleaned_data["kind"],
                records=list(d.records.filter(pk__in=form.cleaned_data["records"])),
                reason=form.cleaned_data["reason"],
            )
        ),
        "Đã lập dự thảo quyết định sửa đổi, thu hồi.",
    ):
        return _back(made[0])
    return _back(d)


@login_required
@require_POST
def decision_print(request: HttpRequest, pk: int) -> HttpResponse:
    """All the decision's certificates in one PDF, built in the background."""
    d = _decision_for(request, pk)
    form = PrintForm(request.POST)
    started: list[Job] = []
    run_form(
        request,
        form,
        lambda: started.append(
            printing.decision_certificates_start(
                actor=request_user(request),
                decision=d,
                printer=PrinterProfile.objects.filter(pk=form.cleaned_data["printer"] or 0).first(),
                on_blank=form.cleaned_data["on_blank"],
            )
        ),
        "Đang in giấy khen trong nền.",
    )
    url = reverse("awards:decision-detail", args=[d.pk])
    return redirect(f"{url}?tac-vu={started[0].pk}" if started else url)


def _history(d: Decision) -> Any:
    """The decision's log with the decisions it corrects and that correct it, newest first."""
    related = {d.pk, *d.corrections.values_list("pk", flat=True)}
    if d.corrects_id:
        related.add(d.corrects_id)
    return (
        ActionLog.objects.filter(
            Q(target_id__in=[str(x) for x in related])
            | Q(action="awards.decision.discarded", data__corrects=d.pk),  # its discarded drafts
            target_type__app_label="awards",
            target_type__model="decision",
        )
        .select_related("actor")
        .order_by("-at")[:50]
    )


@login_required
def decision_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    d = _decision_for(request, pk)
    name = f"quyet-dinh-{d.reference or 'du-thao'}".replace("/", "-")
    signed = signed_pdf_for(d, source=SignedPdf.Source.ISSUED) if kind == "pdf" else None
    if signed is not None:  # the digitally signed copy is the decision as issued
        return pdf_response(signed_pdf_bytes(signed), f"{name}-ky-so")
    return document_response(decision_document(d), name, kind)


@login_required
def decision_scan(request: HttpRequest, pk: int) -> FileResponse:
    d = _decision_for(request, pk)
    if not d.signed_scan or not default_storage.exists(d.signed_scan.name):
        raise Http404
    name = f"quyet-dinh-{d.reference or 'du-thao'}-ban-ky".replace("/", "-")
    return private_file_response(
        d.signed_scan.name, content_type=stored_content_type(d.signed_scan.name), filename=name
    )
