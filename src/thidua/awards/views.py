from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.awards import rules, selectors, services
from thidua.awards.documents import submission_document
from thidua.awards.forms import (
    AppraisalForm,
    DocumentAttachForm,
    DocumentFileForm,
    HouseholdNomineeForm,
    NominationCreateForm,
    NomineePersonForm,
    NomineeUnitForm,
    NoteForm,
)
from thidua.awards.minutes import minutes_document
from thidua.awards.models import (
    AwardType,
    ContributionKind,
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
from thidua.core.http import (
    action_view,
    form_action_view,
    private_file_response,
    run_action,
    run_form,
)
from thidua.core.selectors import action_log_for
from thidua.documents.http import document_response, pdf_response
from thidua.documents.models import SignedPdf
from thidua.documents.preview import PreviewError, pdf_page_jpeg
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.organizations.models import Person, Unit


@login_required
@require_http_methods(["GET", "POST"])
def nomination_list(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    drafting = rules.drafting_units(user)
    acting = (
        list(
            Unit.objects.filter(campaign_deliveries__campaign=campaign, pk__in=drafting).order_by(
                "name_sort"
            )
        )
        if drafting
        else []
    )
    if request.method == "POST":
        form = NominationCreateForm(request.POST, units=acting)
        if not form.is_valid():  # a unit the user does not draft for, or no award type
            raise PermissionDenied
        n = services.nomination_create(actor=user, campaign=campaign, **form.cleaned_data)
        return redirect("awards:nomination-detail", pk=n.pk)
    # The councils the user runs, read once: those that may be called on the campaign's
    # dossiers (rules.council_may_consider) and, with the seats, the sessions listed.
    run = selectors.council_bodies_run_by(actor=user)
    councils = selectors.council_ids_for_campaign(run=run, campaign=campaign)
    return render(
        request,
        "awards/nomination_list.html",
        {
            "campaign": campaign,
            "nominations": selectors.nomination_rows_for(actor=user, campaign=campaign),
            "acting_units": acting,
            "award_types": AwardType.objects.order_by("name"),
            "routes": Nomination.Route.choices,
            "sessions": selectors.session_list_for(actor=user, campaign=campaign, run=run),
            "can_appraise": rules.can_appraise(user),
            "title": "Khen thưởng",
            "today": today_local(),
            "councils": councils,
            "eligible": selectors.eligible_nominations(campaign=campaign).count()
            if councils
            else 0,
        },
    )


def _visible_nomination(request: HttpRequest, pk: int) -> Nomination:
    user = request_user(request)
    return get_object_or_404(
        selectors.nominations_visible_to(actor=user).select_related(
            "campaign__owner_unit", "unit", "award_type"
        ),
        pk=pk,
    )


def _back(n: Nomination) -> HttpResponse:
    return redirect("awards:nomination-detail", pk=n.pk)


@login_required
@require_GET
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    n = _visible_nomination(request, pk)
    return render(
        request, "awards/nomination_detail.html", _detail_context(request_user(request), n)
    )


# --- One view per change of a dossier (POST) -------------------------------------------------


@login_required
@require_POST
def nominee_person_add(request: HttpRequest, pk: int) -> HttpResponse:
    n = _visible_nomination(request, pk)
    form = NomineePersonForm(request.POST, nomination=n)
    if run_form(
        request,
        form,
        lambda: services.nominee_add(
            actor=request_user(request), nomination=n, **form.cleaned_data
        ),
        "Đã thêm cá nhân.",
    ):
        return _back(n)
    return _refused_add(request, n, "person")


@login_required
@require_POST
def nominee_unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    n = _visible_nomination(request, pk)
    form = NomineeUnitForm(request.POST)
    if run_form(
        request,
        form,
        lambda: services.nominee_add(
            actor=request_user(request), nomination=n, unit=n.unit, **form.cleaned_data
        ),
        "Đã thêm tập thể.",
    ):
        return _back(n)
    return _refused_add(request, n, "unit")


@login_required
@require_POST
def nominee_household_add(request: HttpRequest, pk: int) -> HttpResponse:
    n = _visible_nomination(request, pk)
    form = HouseholdNomineeForm(request.POST)
    if run_form(
        request,
        form,
        lambda: services.household_nominee_add(
            actor=request_user(request), nomination=n, **form.cleaned_data
        ),
        "Đã thêm hộ gia đình.",
    ):
        return _back(n)
    return _refused_add(request, n, "household")


def _refused_add(request: HttpRequest, n: Nomination, which: str) -> HttpResponse:
    return _shown_again(request, n, {which: request.POST})


def _shown_again(request: HttpRequest, n: Nomination, kept: dict[str, Any]) -> HttpResponse:
    """A refused form (an add, an appraisal) shows the dossier again with what was typed in it,
    under its name in `kept` (not lost to a redirect); the refusal itself is already a message."""
    context = _detail_context(request_user(request), n)
    context["kept"] = kept
    return render(request, "awards/nomination_detail.html", context)


def _nominee(request: HttpRequest, pk: int, nominee_pk: int) -> tuple[Nomination, Nominee]:
    n = _visible_nomination(request, pk)
    return n, get_object_or_404(n.nominees, pk=nominee_pk)


@login_required
@require_POST
def nominee_remove(request: HttpRequest, pk: int, nominee_pk: int) -> HttpResponse:
    n, nominee = _nominee(request, pk, nominee_pk)
    run_action(
        request,
        lambda: services.nominee_remove(actor=request_user(request), nominee=nominee),
        "Đã bỏ khỏi danh sách đề nghị.",
    )
    return _back(n)


@login_required
@require_POST
def nominee_move(request: HttpRequest, pk: int, nominee_pk: int, offset: int) -> HttpResponse:
    n, nominee = _nominee(request, pk, nominee_pk)
    run_action(
        request,
        lambda: services.nominee_move(actor=request_user(request), nominee=nominee, offset=offset),
        "Đã chuyển lên." if offset < 0 else "Đã chuyển xuống.",
    )
    return _back(n)


@accepts_uploads
@login_required
@require_POST
def document_attach(request: HttpRequest, pk: int) -> HttpResponse:
    n = _visible_nomination(request, pk)
    form = DocumentAttachForm(request.POST, request.FILES)
    run_form(
        request,
        form,
        lambda: services.document_attach(
            actor=request_user(request),
            nomination=n,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            nominee=n.nominees.filter(pk=form.cleaned_data["nominee"] or 0).first(),
        ),
        "Đã đính kèm tài liệu.",
    )
    return _back(n)


def _current_document(request: HttpRequest, pk: int) -> DossierDocument:
    document = _document_or_404(request, pk)
    _visible_nomination(request, document.nomination_id)
    return document


@accepts_uploads
@login_required
@require_POST
def document_replace(request: HttpRequest, pk: int) -> HttpResponse:
    document = _current_document(request, pk)
    form = DocumentFileForm(request.POST, request.FILES)
    run_form(
        request,
        form,
        lambda: services.document_replace(
            actor=request_user(request), document=document, upload=form.cleaned_data["file"]
        ),
        "Đã thay tài liệu; bản cũ được lưu trong lịch sử hồ sơ.",
    )
    return _back(document.nomination)


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = _current_document(request, pk)
    run_action(
        request,
        lambda: services.document_remove(actor=request_user(request), document=document),
        "Đã gỡ tài liệu khỏi hồ sơ; bản cũ được lưu trong lịch sử hồ sơ.",
    )
    return _back(document.nomination)


nomination_send = action_view(
    _visible_nomination,
    lambda user, n: services.nomination_send_for_approval(actor=user, nomination=n),
    "Đã gửi thủ trưởng duyệt.",
    _back,
)


nomination_head_return = form_action_view(
    _visible_nomination,
    NoteForm,
    lambda user, n, data: services.nomination_return_to_drafter(
        actor=user, nomination=n, note=data["note"]
    ),
    "Đã trả lại hồ sơ cho cán bộ soạn.",
    _back,
)


nomination_submit = action_view(
    _visible_nomination,
    lambda user, n: services.nomination_submit(actor=user, nomination=n),
    "Đã gửi hồ sơ tới Phòng Nội vụ.",
    _back,
)


nomination_receive = action_view(
    _visible_nomination,
    lambda user, n: services.nomination_receive(actor=user, nomination=n),
    "Đã tiếp nhận hồ sơ.",
    _back,
)


APPRAISAL_DONE = {
    "eligible": "Đã kết luận đủ điều kiện.",
    "return": "Đã trả lại hồ sơ.",
    "not_eligible": "Đã kết luận không đủ điều kiện.",
}


@login_required
@require_POST
def nomination_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    """Nội vụ's conclusion: eligible, returned for more, or not eligible."""
    n = _visible_nomination(request, pk)
    user = request_user(request)
    form = AppraisalForm(request.POST)

    def step() -> Nomination:
        outcome, note = form.cleaned_data["outcome"], form.cleaned_data["note"]
        checklist = dict.fromkeys(form.cleaned_data["check"], True)  # kept whatever the outcome
        if outcome == "return":
            return services.nomination_return(
                actor=user, nomination=n, note=note, checklist=checklist
            )
        eligible = outcome == "eligible"
        return services.nomination_appraise(
            actor=user, nomination=n, eligible=eligible, note=note, checklist=checklist
        )

    if run_form(request, form, step, APPRAISAL_DONE.get(str(form["outcome"].value()), "")):
        return _back(n)
    # Refused (a reason missing, a check left blank): the ticks and the note stay as typed.
    checks = {"check": request.POST.getlist("check"), "note": request.POST.get("note", "")}
    return _shown_again(request, n, {"appraisal": checks})


@login_required
@require_POST
def nomination_delete(request: HttpRequest, pk: int) -> HttpResponse:
    n = _visible_nomination(request, pk)
    if run_action(
        request,
        lambda: services.nomination_delete(actor=request_user(request), nomination=n),
        "Đã xóa hồ sơ đề nghị.",
    ):
        return redirect("awards:nomination-list", pk=n.campaign_id)
    return _back(n)


def _detail_context(user: User, n: Nomination) -> dict[str, Any]:
    """The page, and what this user may do with the dossier now (the template asks these)."""
    editable = n.is_editable
    documents = list(
        n.documents.select_related("nominee", "created_by", "retired_by").order_by("pk")
    )
    can_draft = rules.can_draft_nomination(user, n.unit_id)
    follows = rules.can_follow_appraisal(user, n)  # not another body's Nội vụ
    reads_appraisal = selectors.can_see_appraisal(user, n)
    return {
        "n": n,
        "campaign": n.campaign,
        "title": f"{n.award_type.name} – {n.unit.name}",
        "nominees": list(n.nominees.select_related("person", "unit", "household__unit")),
        "documents": [d for d in documents if not d.retired],
        "old_documents": [d for d in documents if d.retired] if follows else [],
        "appraisals": n.appraisals.select_related("by") if reads_appraisal else [],
        "appraisal_checks": AppraisalForm.CHECKS,
        "review_note": n.review_note if reads_appraisal else "",
        "council_results": selectors.council_results_of(n),
        # The head, who sends it to Nội vụ, reads what is still missing before approving.
        "problems": services.eligibility_problems(n, today_local())
        if (editable or n.awaits_head) and follows
        else [],
        "warnings": services.duplicate_warnings(n) if follows else [],
        **rules.nomination_actions(user, n),
        # Only people not yet in the dossier: the service refuses the others.
        "people": Person.objects.filter(unit=n.unit)
        .exclude(pk__in=n.nominees.filter(person__isnull=False).values("person"))
        .order_by("name_sort")
        if editable and can_draft
        else [],
        "kinds": DocumentKind.choices,
        "contribution_kinds": ContributionKind.choices,
        "head_titles": Household.HeadTitle.choices,
        "history": action_log_for(n) if follows else [],
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
        rules.can_run_council_session(user, session)
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
