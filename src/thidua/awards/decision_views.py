"""Decisions: draft from the recommended list, sign, correct, print certificates."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from thidua.accounts.requests import request_user
from thidua.awards import decisions, fund, printing, rules, selectors
from thidua.awards.documents import decision_document
from thidua.awards.models import AwardRecord, AwardType, Decision, PrinterProfile
from thidua.campaigns.views import issued_campaign_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.http import (
    parse_vn_date,
    private_file_response,
    require,
    run_action,
    stored_content_type,
)
from thidua.core.models import ActionLog, Job
from thidua.documents.http import document_response
from thidua.organizations.rules import roles_of


@login_required
@require_http_methods(["GET", "POST"])
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    require(roles_of(user).city_wide)
    can_draft = rules.can_appraise(user)
    if request.method == "POST":
        require(can_draft)
        award = get_object_or_404(AwardType, pk=request.POST.get("award_type") or 0)
        chosen = selectors.recommended_nominees(campaign=campaign, award_type=award).filter(
            pk__in=request.POST.getlist("nominees")
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
            "decisions": Decision.objects.filter(campaign=campaign)
            .select_related("award_type", "number", "corrects__number")
            .order_by("-created_at"),
            "groups": groups,
            "can_draft": can_draft,
        },
    )


def _decision_for(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "campaign", "award_type", "issuer", "number", "corrects__number", "rule__rule_set"
        ),
        pk=pk,
    )
    require(roles_of(request_user(request)).city_wide)
    return decision


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    d = _decision_for(request, pk)
    job: Job | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        post = request.POST
        records = AwardRecord.objects.filter(decision=d, pk__in=post.getlist("records"))
        steps: dict[str, tuple[Callable[[], Any], str]] = {
            "save": (
                lambda: decisions.decision_update(
                    actor=user,
                    decision=d,
                    summary=post.get("summary", ""),
                    drafted_on=parse_vn_date(post.get("drafted_on")),
                    legal_bases=_lines(post.get("legal_bases", "")),
                    articles=_lines(post.get("articles", "")),
                    recipients=_lines(post.get("recipients", "")),
                    signer_authority=post.get("signer_authority", "").strip(),
                    signer_title_line=post.get("signer_title_line", "").strip(),
                    signer_title=post.get("signer_title", "").strip() or "CHỦ TỊCH",
                    signer_name=post.get("signer_name", "").strip(),
                ),
                "Đã lưu dự thảo.",
            ),
            "refresh_bases": (
                lambda: decisions.decision_bases_refresh(actor=user, decision=d),
                "Đã lấy lại căn cứ pháp lý theo quy định áp dụng tại ngày dự thảo.",
            ),
            "remove_line": (
                lambda: decisions.decision_line_remove(
                    actor=user, line=get_object_or_404(d.lines, pk=post.get("line") or 0)
                ),
                "Đã bỏ khỏi danh sách.",
            ),
            "edit_line": (
                lambda: decisions.decision_line_edit(
                    actor=user,
                    line=get_object_or_404(d.lines, pk=post.get("line") or 0),
                    recipient_name=post.get("recipient_name", ""),
                    recipient_detail=post.get("recipient_detail", ""),
                    achievement=post.get("achievement", ""),
                ),
                "Đã sửa.",
            ),
            "send": (
                lambda: decisions.decision_send_for_signature(actor=user, decision=d),
                "Đã trình ký.",
            ),
            "return": (
                lambda: decisions.decision_return(
                    actor=user, decision=d, note=post.get("note", "")
                ),
                "Đã trả lại dự thảo.",
            ),
            "approve": (
                lambda: decisions.decision_approve(
                    actor=user, decision=d, shortfall_reason=post.get("shortfall_reason", "")
                ),
                "Đã ký duyệt: quyết định được ban hành.",
            ),
            "scan": (
                lambda: decisions.decision_record_signed_scan(
                    actor=user,
                    decision=d,
                    scan=_first_file(request),
                    signed_on=_date(post.get("signed_on")),
                    signer_name=post.get("signer_name", ""),
                ),
                "Đã cập nhật bản đã ký: quyết định được ban hành.",
            ),
        }
        if action in {"amend", "revoke"}:
            made: list[Decision] = []
            if run_action(
                request,
                lambda: made.append(
                    decisions.decision_correct(
                        actor=user,
                        decision=d,
                        kind=action,
                        records=list(records),
                        reason=post.get("reason", ""),
                    )
                ),
                "Đã lập dự thảo quyết định sửa đổi, thu hồi.",
            ):
                return redirect("awards:decision-detail", pk=made[0].pk)
        elif action == "print":
            printer = PrinterProfile.objects.filter(pk=post.get("printer") or 0).first()
            started: list[Job] = []
            run_action(
                request,
                lambda: started.append(
                    printing.decision_certificates_start(
                        actor=user,
                        decision=d,
                        printer=printer,
                        on_blank=post.get("on_blank") == "1",
                    )
                ),
                "Đang in giấy khen trong nền.",
            )
            job = started[0] if started else None
        elif action in steps:
            step, done = steps[action]
            if run_action(request, step, done):
                return redirect("awards:decision-detail", pk=d.pk)
        else:
            raise Http404
        d.refresh_from_db()
    return render(
        request,
        "awards/decision_detail.html",
        {
            "campaign": d.campaign,
            "title": str(d),
            "d": d,
            "lines": d.lines.all(),
            "records": d.records.select_related("award_type").order_by("number"),
            "corrections": d.corrections.select_related("number"),
            "can_edit": rules.can_appraise(user) and d.status == Decision.Status.DRAFT,
            "can_appraise": rules.can_appraise(user),
            "can_sign": rules.can_sign(user) and d.status == Decision.Status.AWAITING_SIGNATURE,
            "fund_check": fund.fund_check(d, today_local())
            if d.status == Decision.Status.AWAITING_SIGNATURE
            and (rules.can_sign(user) or rules.can_appraise(user))
            else None,
            "prize_payments": fund.payments_of_decision(d)
            if d.status == Decision.Status.FINAL
            else None,
            "printers": PrinterProfile.objects.order_by("name"),
            "job": job
            or Job.objects.filter(
                kind="awards.certificates", created_by=user, params__decision=d.pk
            ).last(),
            "today": today_local(),
            "bases_from": decisions.rule_label(d.rule) if d.rule_id else "",
            "history": _history(d),
        },
    )


def _history(d: Decision) -> Any:
    """The decision's log with the decisions it corrects and that correct it, newest first."""
    related = {d.pk, *d.corrections.values_list("pk", flat=True)}
    if d.corrects_id:
        related.add(d.corrects_id)
    return (
        ActionLog.objects.filter(
            target_type__app_label="awards",
            target_type__model="decision",
            target_id__in=[str(x) for x in related],
        )
        .select_related("actor")
        .order_by("-at")[:50]
    )


def _first_file(request: HttpRequest) -> Any:
    files = request.FILES.getlist("scan")
    if not files:
        raise ValidationError("Chọn tệp bản quyết định đã ký (PDF hoặc ảnh).")
    return files[0]


def _date(text: str | None) -> Any:
    day = parse_vn_date(text)
    if day is None:
        raise ValidationError("Ngày ký không hợp lệ (dd/mm/yyyy).")
    return day


@login_required
def decision_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    d = _decision_for(request, pk)
    name = f"quyet-dinh-{d.reference or 'du-thao'}".replace("/", "-")
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
