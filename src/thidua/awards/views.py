from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.awards import rules, selectors, services
from thidua.awards.documents import submission_document
from thidua.awards.minutes import minutes_document
from thidua.awards.models import (
    AwardType,
    ContributionKind,
    Council,
    CouncilMember,
    CouncilSession,
    DocumentKind,
    DossierDocument,
    Household,
    Nomination,
    Nominee,
)
from thidua.campaigns.views import issued_campaign_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import today_local
from thidua.core.http import parse_id, private_file_response, run_action
from thidua.core.models import ActionLog
from thidua.documents.http import document_response, pdf_response
from thidua.documents.models import SignedPdf
from thidua.documents.preview import PreviewError, pdf_page_jpeg
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.organizations.models import Person, Unit


@login_required
@require_http_methods(["GET", "POST"])
def nomination_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    acting = [
        u
        for u in Unit.objects.filter(campaign_deliveries__campaign=campaign).order_by("name_sort")
        if rules.can_draft_nomination(user, u.pk)
    ]
    if request.method == "POST":
        unit = next((u for u in acting if str(u.pk) == request.POST.get("unit")), None)
        award = AwardType.objects.filter(pk=request.POST.get("award_type") or 0).first()
        if unit is None or award is None:
            raise PermissionDenied
        n = services.nomination_create(
            actor=user,
            campaign=campaign,
            unit=unit,
            award_type=award,
            route=request.POST.get("route") or Nomination.Route.FULL,
        )
        return redirect("awards:nomination-detail", pk=n.pk)
    return render(
        request,
        "awards/nomination_list.html",
        {
            "campaign": campaign,
            "nominations": selectors.nomination_list_for(actor=user, campaign=campaign),
            "acting_units": acting,
            "award_types": AwardType.objects.order_by("name"),
            "routes": Nomination.Route.choices,
            "sessions": selectors.session_list_for(actor=user, campaign=campaign),
            "can_appraise": rules.can_appraise(user),
            "title": "Khen thưởng",
            "today": today_local(),
            "councils": Council.objects.filter(owner_unit=campaign.owner_unit),
            "eligible": selectors.eligible_nominations(campaign=campaign)
            if rules.can_appraise(user)
            else [],
        },
    )


def _visible_nomination(request: HttpRequest, pk: int) -> Nomination:
    user = request_user(request)
    return get_object_or_404(
        selectors.nominations_visible_to(actor=user).select_related(
            "campaign", "unit", "award_type"
        ),
        pk=pk,
    )


def _nomination_steps(
    request: HttpRequest, n: Nomination
) -> dict[str, tuple[Callable[[], Any], str]]:
    """The page's buttons: each one service call and what to say when it is done."""
    user = request_user(request)
    post = request.POST
    note = post.get("note", "")

    def nominee() -> Nominee:
        return get_object_or_404(n.nominees, pk=parse_id(post.get("nominee")) or 0)

    def document() -> DossierDocument:
        return get_object_or_404(n.documents, pk=parse_id(post.get("document")) or 0)

    def upload() -> UploadedFile:
        files = request.FILES.getlist("file")
        if not files:
            raise ValidationError("Chưa chọn tệp.")
        return files[0]

    return {
        "add_person": (
            lambda: services.nominee_add(
                actor=user,
                nomination=n,
                person=get_object_or_404(Person, pk=parse_id(post.get("person")) or 0, unit=n.unit),
                achievements=post.get("achievements", ""),
            ),
            "Đã thêm cá nhân.",
        ),
        "add_unit": (
            lambda: services.nominee_add(
                actor=user, nomination=n, unit=n.unit, achievements=post.get("achievements", "")
            ),
            "Đã thêm tập thể.",
        ),
        "add_household": (
            lambda: services.household_nominee_add(
                actor=user,
                nomination=n,
                head_title=post.get("head_title", ""),
                head_name=post.get("head_name", ""),
                address=post.get("address", ""),
                contribution_kind=post.get("contribution_kind", ""),
                contribution=post.get("contribution", ""),
                contribution_value=_money(post.get("contribution_value", "")),
                achievements=post.get("achievements", ""),
            ),
            "Đã thêm hộ gia đình.",
        ),
        "remove_nominee": (
            lambda: services.nominee_remove(actor=user, nominee=nominee()),
            "Đã bỏ khỏi danh sách đề nghị.",
        ),
        "up": (
            lambda: services.nominee_move(actor=user, nominee=nominee(), offset=-1),
            "Đã chuyển lên.",
        ),
        "down": (
            lambda: services.nominee_move(actor=user, nominee=nominee(), offset=1),
            "Đã chuyển xuống.",
        ),
        "attach": (
            lambda: services.document_attach(
                actor=user,
                nomination=n,
                kind=post.get("kind", ""),
                upload=upload(),
                nominee=n.nominees.filter(pk=parse_id(post.get("nominee")) or 0).first(),
            ),
            "Đã đính kèm tài liệu.",
        ),
        "replace": (
            lambda: services.document_replace(actor=user, document=document(), upload=upload()),
            "Đã thay tài liệu; bản cũ được lưu trong lịch sử hồ sơ.",
        ),
        "remove_document": (
            lambda: services.document_remove(actor=user, document=document()),
            "Đã gỡ tài liệu khỏi hồ sơ; bản cũ được lưu trong lịch sử hồ sơ.",
        ),
        "send": (
            lambda: services.nomination_send_for_approval(actor=user, nomination=n),
            "Đã gửi thủ trưởng duyệt.",
        ),
        "head_return": (
            lambda: services.nomination_return_to_drafter(actor=user, nomination=n, note=note),
            "Đã trả lại hồ sơ cho cán bộ soạn.",
        ),
        "submit": (
            lambda: services.nomination_submit(actor=user, nomination=n),
            "Đã gửi hồ sơ tới Phòng Nội vụ.",
        ),
        "receive": (
            lambda: services.nomination_receive(actor=user, nomination=n),
            "Đã tiếp nhận hồ sơ.",
        ),
        "return": (
            lambda: services.nomination_return(actor=user, nomination=n, note=note),
            "Đã trả lại hồ sơ.",
        ),
        "eligible": (
            lambda: services.nomination_appraise(
                actor=user,
                nomination=n,
                eligible=True,
                note=note,
                checklist=dict.fromkeys(post.getlist("check"), True),
            ),
            "Đã kết luận đủ điều kiện.",
        ),
        "not_eligible": (
            lambda: services.nomination_appraise(
                actor=user, nomination=n, eligible=False, note=note
            ),
            "Đã kết luận không đủ điều kiện.",
        ),
    }


def _money(text: str) -> Decimal | None:
    """ "360.000.000", "360 000 000" or "360000000" đồng; empty for none."""
    digits = text.replace(".", "").replace(" ", "").replace(",", "").strip()
    if not digits:
        return None
    if not digits.isdigit() or len(digits) > 15:  # noqa: PLR2004 - the field's digits
        raise ValidationError(
            "Giá trị quy đổi phải là số tiền (đồng), ví dụ 360.000.000; để trống nếu không có."
        )
    return Decimal(digits)


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    n = _visible_nomination(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "delete":
            if run_action(
                request,
                lambda: services.nomination_delete(actor=user, nomination=n),
                "Đã xóa hồ sơ đề nghị.",
            ):
                return redirect("awards:nomination-list", pk=n.campaign_id)
        elif action in (steps := _nomination_steps(request, n)):
            step, done = steps[action]
            run_action(request, step, done)
        return redirect(request.path)
    return render(request, "awards/nomination_detail.html", _detail_context(user, n))


def _detail_context(user: User, n: Nomination) -> dict[str, Any]:
    editable = n.status in services.EDITABLE
    documents = list(
        n.documents.select_related("nominee", "created_by", "retired_by").order_by("pk")
    )
    can_draft = rules.can_draft_nomination(user, n.unit_id)
    can_appraise = rules.can_appraise(user)
    history = (
        ActionLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Nomination), target_id=str(n.pk)
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:50]
    )
    return {
        "n": n,
        "campaign": n.campaign,
        "title": f"{n.award_type.name} – {n.unit.name}",
        "nominees": list(n.nominees.select_related("person", "unit", "household__unit")),
        "documents": [d for d in documents if not d.retired],
        "old_documents": [d for d in documents if d.retired]
        if selectors.can_see_document_history(user, n)
        else [],
        "appraisals": n.appraisals.select_related("by"),
        "problems": services.eligibility_problems(n, today_local()) if editable else [],
        "warnings": services.duplicate_warnings(n) if can_draft or can_appraise else [],
        "can_draft": editable and can_draft,
        "can_delete": can_draft and n.status == Nomination.Status.DRAFT and n.submitted_at is None,
        "can_submit": editable or n.status == Nomination.Status.PENDING_UNIT_APPROVAL,
        "is_head": rules.can_submit_nomination(user, n),
        "can_appraise": can_appraise,
        "people": Person.objects.filter(unit=n.unit).order_by("name_sort")
        if editable and can_draft
        else [],
        "kinds": DocumentKind.choices,
        "contribution_kinds": ContributionKind.choices,
        "head_titles": Household.HeadTitle.choices,
        "history": history if can_draft or can_appraise else [],
    }


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A dossier file: its preview (image, or the PDF's pages drawn as images) and versions."""
    user = request_user(request)
    document = selectors.document_visible_to(actor=user, pk=pk)
    if document is None:
        raise Http404
    n = document.nomination
    versions: list[DossierDocument] = []
    if selectors.can_see_document_history(user, n):
        latest = document
        while (nxt := DossierDocument.objects.filter(previous=latest).first()) is not None:
            latest = nxt
        versions = [latest]
        while versions[-1].previous_id is not None:
            versions.append(
                DossierDocument.objects.select_related("created_by").get(
                    pk=versions[-1].previous_id
                )
            )
        if len(versions) == 1:
            versions = []  # a single version: nothing to list
    return render(
        request,
        "awards/document_detail.html",
        {
            "d": document,
            "n": n,
            "campaign": n.campaign,
            "title": "Tài liệu hồ sơ",
            "pages": range(1, min(document.pages or 0, PREVIEW_PAGES) + 1),
            "more_pages": max(0, (document.pages or 0) - PREVIEW_PAGES),
            "versions": versions,
        },
    )


PREVIEW_PAGES = 30


def _document_or_404(request: HttpRequest, pk: int) -> DossierDocument:
    document = selectors.document_visible_to(actor=request_user(request), pk=pk)
    if document is None:
        raise Http404
    return document


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The stored file, after the same check as its dossier. Images are shown in the page;
    everything else is downloaded (a PDF or Word file never runs in our origin)."""
    document = _document_or_404(request, pk)
    thumb = request.GET.get("anh") == "nho" and bool(document.thumbnail)
    inline = document.is_image and request.GET.get("tai-ve") != "1"
    response = private_file_response(
        document.thumbnail.name if thumb else document.file.name,
        content_type="image/jpeg" if thumb else document.content_type,
        filename=document.original_name,
        inline=inline,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def document_page(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """One page of a PDF in the dossier, drawn on the server as a JPEG."""
    document = _document_or_404(request, pk)
    if not document.is_pdf or not 1 <= page <= min(document.pages or 0, PREVIEW_PAGES):
        raise Http404
    with default_storage.open(document.file.name, "rb") as handle:
        data = handle.read()
    try:
        image = pdf_page_jpeg(data, page)
    except PreviewError as exc:
        raise Http404 from exc
    response = HttpResponse(image, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def submission_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The generated tờ trình with the nominee list, to sign and attach."""
    n = _visible_nomination(request, pk)
    if kind not in {"pdf", "docx"}:
        raise Http404
    year = (n.submitted_at or n.created_at).year
    return document_response(submission_document(n), f"to-trinh-{n.pk}-{year}", kind)


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session = get_object_or_404(
        CouncilSession.objects.select_related("council__owner_unit", "minutes_number"), pk=pk
    )
    if not (
        rules.can_appraise(user)
        or CouncilMember.objects.filter(council=session.council, user=user).exists()
    ):
        raise Http404
    if session.minutes_number is None:
        raise Http404
    kind = "docx" if request.GET.get("dang") == "docx" else "pdf"
    name = f"bien-ban-{session.minutes_number.number}"
    signed = signed_pdf_for(session, source=SignedPdf.Source.ISSUED) if kind == "pdf" else None
    if signed is not None:  # the secretary's digitally signed copy
        return pdf_response(signed_pdf_bytes(signed), f"{name}-ky-so")
    return document_response(minutes_document(session), name, kind)
