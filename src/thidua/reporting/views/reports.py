"""A unit's report: the page, autosave, one view per change (attach, send, the head's return
to the officer, submit, accept, return), comparing versions, its files and history; the unit's
own list of reports."""

import difflib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.core.bodylimit import accepts_uploads
from thidua.core.concurrency import BASES_FIELD, parse_bases
from thidua.core.http import form_action_view, private_file_response, run_action
from thidua.core.pagination import paginate, querystring_without_page
from thidua.core.selectors import action_log_for
from thidua.core.text import vn_thousands
from thidua.reporting import rules, selectors, services
from thidua.reporting.forms import ReviewForm
from thidua.reporting.models import ReportAssignment, ReportAttachment, ReportStatus
from thidua.reporting.views.common import _assignment, _assignment_of, _back_to_report


@accepts_uploads
@login_required
@require_POST
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    user, a = _assignment(request, pk)
    try:
        count = services.report_attach(
            actor=user, assignment=a, files=request.FILES.getlist("files")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã đính kèm {count} tệp.")
    return redirect("reporting:report", pk=pk)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """A file taken off a report being drafted (the service refuses one already sent)."""
    user = request_user(request)
    attachment = get_object_or_404(ReportAttachment, pk=pk)
    a = get_object_or_404(selectors.assignment_list_for(actor=user), pk=attachment.assignment_id)
    run_action(
        request,
        lambda: services.report_attachment_remove(actor=user, attachment=attachment),
        f"Đã gỡ tệp “{attachment.original_name}” khỏi báo cáo.",
    )
    return redirect("reporting:report", pk=a.pk)


def _posted_draft(request: HttpRequest) -> services.ShownDraft:
    """The draft as the page shows it: its sections' text, its figures as typed, its bases."""
    return services.ShownDraft(
        narratives={
            k.removeprefix("section-"): request.POST.get(k, "")
            for k in request.POST
            if k.startswith("section-")
        },
        values={
            k.removeprefix("indicator-"): v
            for k, v in request.POST.items()
            if k.startswith("indicator-")
        },
        bases=parse_bases(request.POST.get(BASES_FIELD)),
    )


def _move_on(
    request: HttpRequest, pk: int, move: Callable[..., ReportAssignment], done: str
) -> HttpResponse:
    """Send or submit. A page being drafted posts its own form with the button, so what is on
    screen is saved first and the report moves only if all of it was. Refused with all of it
    saved (an empty report: the service keeps the save), the report's own page is shown again
    by a redirect with the messages, so a reload does not post the button again. Refused with
    something typed that is not stored (a figure that cannot be read, a section someone else
    changed), the page comes back as typed with the messages by field: a reload posts it
    again, which the page's bases make harmless (a repeat saves nothing over newer text and
    moves the report only if all of it is then saved). A page that only reads the report posts
    the bare button (no draft)."""
    user, a = _assignment(request, pk)
    posted = _posted_draft(request)
    draft = posted if posted.narratives or posted.values else None
    try:
        move(actor=user, assignment=a, draft=draft)
    except ValidationError as exc:
        fields, notes = ({}, exc.messages)
        if hasattr(exc, "error_dict"):
            fields = exc.message_dict
            notes = fields.pop(NON_FIELD_ERRORS, [])
        for message in notes:
            messages.error(request, message)
        if draft is None:
            return redirect("reporting:report", pk=pk)
        a.refresh_from_db()
        if not fields and not services.draft_page(a, draft)[1]:  # all that was typed is stored
            return redirect("reporting:report", pk=pk)
        return _report_page(request, user, a, draft=draft, errors=fields)
    messages.success(request, done)
    return redirect("reporting:report", pk=pk)


@login_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_on(request, pk, services.report_send_for_approval, "Đã gửi thủ trưởng duyệt.")


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _move_on(request, pk, services.report_submit, "Đã duyệt và nộp báo cáo.")


report_accept = form_action_view(
    _assignment_of,
    ReviewForm,
    lambda user, a, data: services.report_accept(actor=user, assignment=a, note=data["note"]),
    "Đã tiếp nhận báo cáo.",
    _back_to_report,
)


report_return = form_action_view(
    _assignment_of,
    ReviewForm,
    lambda user, a, data: services.report_return(actor=user, assignment=a, note=data["note"]),
    "Đã trả lại báo cáo cho đơn vị.",
    _back_to_report,
)


report_return_to_officer = form_action_view(
    _assignment_of,
    ReviewForm,
    lambda user, a, data: services.report_return_to_officer(
        actor=user, assignment=a, note=data["note"]
    ),
    "Đã trả lại báo cáo cho cán bộ đầu mối để sửa.",
    _back_to_report,
)


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user, a = _assignment(request, pk)
    return _report_page(request, user, a)


def _figure_shown(value: Any) -> Any:
    """A stored figure in its field as a Vietnamese user types it (12.500, 12,5), which the
    save reads back the same; text typed and yes/no answers as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    whole, _, fraction = format(Decimal(str(value)).normalize(), "f").partition(".")
    return vn_thousands(int(whole)) + (f",{fraction}" if fraction else "")  # never rounded


def _report_page(
    request: HttpRequest,
    user: User,
    a: ReportAssignment,
    *,
    draft: services.ShownDraft | None = None,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """The report's page: as stored, or after a refused send or submit (`draft`: what the page
    posted) with what was not saved as typed, and `errors` by form field name. A page that
    can no longer be edited shows the report as stored and lists what was typed apart."""
    template = a.request.template
    can_edit = rules.can_draft_report(user, a) and a.is_drafting
    fields, unsaved, bases = services.draft_page(a, draft)
    if not can_edit:  # the report as it stands; what was typed is listed apart
        fields, _, bases = services.draft_page(a)
    errors = errors or {}
    # Submitted, the report shows the figures it was sent with (frozen with its version), not
    # a recount of what the unit has recorded or deleted since; with its unit, a live count.
    auto = a.draft_values if a.is_in else services.auto_values(a)
    sections = [
        (s, fields[f"section-{s.pk}"], errors.get(f"section-{s.pk}", []))
        for s in template.sections.all()
    ]
    indicators = [
        (
            i,
            _figure_shown(auto.get(str(i.pk), fields.get(f"indicator-{i.pk}"))),
            errors.get(f"indicator-{i.pk}", []),
        )
        for i in template.indicators.all()
    ]
    labels = services.draft_labels(a)
    versions = list(a.versions.select_related("submitted_by"))
    attachments = list(a.attachments.order_by("pk"))
    # submitted with a version: Nội vụ has them, they stay (services.report_attachment_remove)
    sent_files = services.files_submitted(attachments, (v.submitted_at for v in versions))
    can_send = rules.can_draft_report(user, a) and a.can_move(ReportStatus.PENDING_APPROVAL)
    can_submit = rules.can_approve_report(user, a) and a.can_move(ReportStatus.SUBMITTED)
    return render(
        request,
        "reporting/report.html",
        {
            "bases": bases,
            "a": a,
            "campaign": a.request.campaign,
            "sections": sections,
            "indicators": indicators,
            "unsaved": [] if can_edit else [(labels[n], v) for n, v in unsaved.items()],
            "versions": versions,
            "attachments": attachments,
            "sent_files": sent_files,
            "title": f"{a.request.title} – {a.unit.name}",
            "can_edit": can_edit,
            "can_send": can_send,
            "can_submit": can_submit,
            # Said by the buttons before they are pressed: the rule that refuses an empty report.
            "content_missing": services.content_missing(a) if can_send or can_submit else None,
            "can_return_to_officer": rules.can_approve_report(user, a)
            and a.status == ReportStatus.PENDING_APPROVAL,
            "can_review": rules.can_manage_reports_of(user, a.request.campaign)
            and a.can_move(ReportStatus.ACCEPTED),
            "review_form": ReviewForm(),
            "history": action_log_for(a),
        },
    )


@login_required
@require_POST
def report_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Called by htmx on every change: the draft is never lost to a timeout or a closed tab. A
    figure that cannot be read is not saved and its message shows under it; the rest is."""
    user, a = _assignment(request, pk)
    draft = _posted_draft(request)
    kept: list[str] = []
    invalid: dict[str, str] = {}
    try:
        a = services.report_draft_save(
            actor=user,
            assignment=a,
            narratives=draft.narratives,
            values=draft.values,
            bases=draft.bases,
            kept=kept,
            invalid=invalid,
        )
    except ValidationError as exc:
        return render(request, "reporting/_saved.html", {"error": " ".join(exc.messages)})
    # The page now shows what it sent: that is its base for the next save (swapped in by htmx).
    labels = services.draft_labels(a)
    figures = [n for n in services.draft_fields(a, {}, None) if n.startswith("indicator-")]
    return render(
        request,
        "reporting/_saved.html",
        {
            "saved_at": a.draft_saved_at,
            "kept": kept,
            "bases": services.draft_saved_bases(a, draft.narratives, draft.values, draft.bases),
            # Every figure's message under its field, blank where there is none any more.
            "figures": [(n, invalid.get(n, "")) for n in figures],
            "invalid": [labels[n] for n in invalid],
            "content_missing": services.content_missing(a),  # the hint by the buttons, redone
        },
    )


@login_required
def report_compare(request: HttpRequest, pk: int) -> HttpResponse:
    _user, a = _assignment(request, pk)
    versions = list(a.versions.all())
    if len(versions) < 2:  # noqa: PLR2004
        messages.info(request, "Cần ít nhất hai lần nộp để so sánh.")
        return redirect("reporting:report", pk=pk)
    old, new = versions[-2], versions[-1]
    old.assignment = new.assignment = a  # the template's indicators, without a query each
    diffs = []
    for section in a.request.template.sections.all():
        before = old.narratives.get(str(section.pk), "").splitlines()
        after = new.narratives.get(str(section.pk), "").splitlines()
        lines = [(line[0], line[2:]) for line in difflib.ndiff(before, after) if line[0] in " +-"]
        diffs.append((section.title, lines))
    return render(
        request,
        "reporting/compare.html",
        {
            "a": a,
            "campaign": a.request.campaign,
            "old": old,
            "new": new,
            "diffs": diffs,
            "figures": selectors.version_changes(old=old, new=new),
            "title": "So sánh phiên bản",
        },
    )


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """A unit's own dashboard: deadlines and what is still missing."""
    user = request_user(request)
    query, status = request.GET.get("q", "").strip(), request.GET.get("trang-thai", "")
    assignments = selectors.assignment_list_for(
        actor=user, unit_query=query, status=status
    ).exclude(status=ReportStatus.ACCEPTED)
    page = paginate(request, assignments)
    return render(
        request,
        "reporting/my_reports.html",
        {
            "page": page,
            "assignments": page.object_list,
            "q": query,
            "status": status,
            "statuses": [c for c in ReportStatus.choices if c[0] != ReportStatus.ACCEPTED],
            "filtered": bool(query or status in ReportStatus.values),
            "qs": querystring_without_page(request),
            "my_units": rules.drafting_units(user),
            "title": "Báo cáo của đơn vị",
        },
    )


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    """Report files are private: the same visibility as the report itself."""
    user = request_user(request)
    attachment = get_object_or_404(ReportAttachment, pk=pk)
    get_object_or_404(selectors.assignment_list_for(actor=user), pk=attachment.assignment_id)
    return private_file_response(
        attachment.file.name,
        content_type=attachment.content_type,
        filename=attachment.original_name,
    )
