"""A unit's report: draft, merge of concurrent edits, attachments, approval, submission and review."""

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns.services import campaign_figures_changed
from thidua.core.clock import now, today_local
from thidua.core.concurrency import fingerprint, merge_edit
from thidua.core.services import action_log_record
from thidua.core.text import parse_vn_decimal
from thidua.core.transitions import require, transition
from thidua.core.uploads import UploadKind, check_upload, save_checked
from thidua.notifications.services import notify
from thidua.organizations.selectors import users_with_role_in
from thidua.participation.models import Activity, GoodModel
from thidua.reporting import rules
from thidua.reporting.models import (
    Indicator,
    ReportAssignment,
    ReportAttachment,
    ReportStatus,
    ReportVersion,
    TemplateSection,
)
from thidua.reporting.schedule import next_reminder_time
from thidua.reporting.services.requests import (
    UNIT_ROLES,
    _require_manager,
)


def auto_values(assignment: ReportAssignment) -> dict[str, Any]:
    """Indicators filled from what the unit recorded: activities, participants, good models."""
    indicators = list(
        assignment.request.template.indicators.exclude(source=Indicator.Source.MANUAL)
    )
    if not indicators:
        return {}
    campaign_id, unit_id = assignment.request.campaign_id, assignment.unit_id
    stats = Activity.objects.filter(campaign_id=campaign_id, unit_id=unit_id).aggregate(
        n=Count("pk"), people=Sum("participants")
    )
    models = GoodModel.objects.filter(
        campaign_id=campaign_id, unit_id=unit_id, status="accepted"
    ).count()
    by_source = {
        Indicator.Source.ACTIVITIES: stats["n"] or 0,
        Indicator.Source.PARTICIPANTS: stats["people"] or 0,
        Indicator.Source.GOOD_MODELS: models,
    }
    return {str(i.pk): by_source[Indicator.Source(i.source)] for i in indicators}


def clean_draft_values(
    assignment: ReportAssignment, values: dict[str, Any], errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """Indicator figures as stored (numbers, yes/no); blanks dropped. With `errors`, a figure
    that cannot be read is left out and its message put there under its form field's name
    (`indicator-<pk>`); without, it raises ValidationError naming the indicator."""
    return _clean_values(assignment, values, errors)


def _clean_values(
    assignment: ReportAssignment, values: dict[str, Any], errors: dict[str, str] | None = None
) -> dict[str, Any]:
    indicators = {str(i.pk): i for i in assignment.request.template.indicators.all()}
    cleaned: dict[str, Any] = {}
    for key, raw in values.items():
        indicator = indicators.get(str(key))
        if indicator is None or raw in (None, ""):
            continue
        if indicator.is_yes_no:
            cleaned[str(key)] = raw in (True, "true", "1", "on", "co", "Có")
            continue
        number, problem = _figure(raw)
        if problem is None:
            cleaned[str(key)] = number
        elif errors is not None:
            errors[f"indicator-{key}"] = problem
        else:
            raise ValidationError(f"“{indicator.name}”: {problem[:1].lower()}{problem[1:]}")
    return cleaned


def _figure(raw: Any) -> tuple[float, str | None]:
    """A typed figure as stored, or why it cannot be (a message for the field)."""
    try:
        # Typed text the Vietnamese way ("12.500" is 12 500); a number (the API, a spreadsheet
        # cell already read) as it is, so 1.234 stays 1.234.
        number = parse_vn_decimal(raw) if isinstance(raw, str) else Decimal(str(raw))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or not math.isfinite(float(number)):  # letters, NaN, 1e400
        return 0.0, f"“{raw}” không phải là số."
    if number < 0:
        return 0.0, "Không được là số âm."
    return float(number), None


def draft_fields(
    assignment: ReportAssignment, narratives: dict[str, str], values: dict[str, Any] | None
) -> dict[str, Any]:
    """The draft as the fields a page shows and merges (core.concurrency): every section's text
    and every manually entered indicator, by form field name. `values` None: as stored."""
    template = assignment.request.template
    stored = assignment.draft_values if values is None else values
    fields: dict[str, Any] = {
        f"section-{s.pk}": narratives.get(str(s.pk), "") for s in template.sections.all()
    }
    for indicator in template.indicators.all():
        if indicator.source == Indicator.Source.MANUAL:
            fields[f"indicator-{indicator.pk}"] = stored.get(str(indicator.pk))
    return fields


def _sent_fields(
    assignment: ReportAssignment, narratives: dict[str, str], values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """What a page sent, as the fields it shows (`draft_fields`), and the messages of the
    figures that could not be read, by form field name (those fields are left out)."""
    unreadable: dict[str, str] = {}
    cleaned = _clean_values(assignment, values, unreadable)
    return draft_fields(assignment, narratives, cleaned), unreadable


def draft_labels(assignment: ReportAssignment) -> dict[str, str]:
    """Each field of the draft's page (form field name) by the name its page shows."""
    template = assignment.request.template
    labels = {f"section-{s.pk}": s.title for s in template.sections.all()}
    labels |= {f"indicator-{i.pk}": i.name for i in template.indicators.all()}
    return labels


def draft_saved_bases(
    assignment: ReportAssignment,
    narratives: dict[str, str],
    values: dict[str, Any],
    sent: Mapping[str, str] | None,
) -> str:
    """The bases (core.concurrency) of a page after its autosave: what it sent, which it still
    shows; a figure that could not be read (and so was not saved) keeps the base it was sent
    with, so that correcting it later is merged as this page's edit."""
    shown, unreadable = _sent_fields(assignment, narratives, values)
    bases = {name: fingerprint(v) for name, v in shown.items() if name not in unreadable}
    bases |= {name: sent[name] for name in unreadable if sent and name in sent}
    return json.dumps(bases, sort_keys=True)


@dataclass(frozen=True)
class ShownDraft:
    """A report's draft as its page shows it, posted by the page's send or submit button: each
    section's text and each figure as typed (by section and indicator pk), and the page's bases
    (core.concurrency) when it has them."""

    narratives: dict[str, str]
    values: dict[str, Any]
    bases: Mapping[str, str] | None = None


def draft_page(
    assignment: ReportAssignment, draft: ShownDraft | None = None
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A report page's fields (by form field name) and its bases. Without `draft`, as stored.
    After a send or submit that was refused (`draft`: what the page posted), as typed where
    that is what is stored (saved, or unchanged), as stored where the page did not change a
    field someone else saved meanwhile, and as typed with the base the page had for it (a
    later save merges it as this page's edit) where the page changed it and it was not saved:
    a figure that cannot be read, a section refused in a conflict, anything on a report no
    longer being drafted. Returns (fields, the unsaved among them, bases as the page's hidden
    field holds them)."""
    stored = draft_fields(assignment, assignment.draft_narratives, None)
    bases = {name: fingerprint(v) for name, v in stored.items()}
    if draft is None:
        return stored, {}, json.dumps(bases, sort_keys=True)
    sent, unreadable = _sent_fields(assignment, draft.narratives, draft.values)
    shown, unsaved = dict(stored), {}
    for name, value in sent.items():
        kind, _, key = name.partition("-")
        raw = (draft.narratives if kind == "section" else draft.values).get(key, "")
        as_typed = value if isinstance(value, bool) else raw  # a yes/no as its choice
        base = (draft.bases or {}).get(name)
        if name not in unreadable and fingerprint(value) == bases[name]:
            shown[name] = as_typed
            continue
        if name not in unreadable and base is not None and fingerprint(value) == base:
            continue  # not changed on the page: someone else's newer value, shown
        shown[name] = unsaved[name] = as_typed
        if base is None:
            bases.pop(name)
        else:
            bases[name] = base
    return shown, unsaved, json.dumps(bases, sort_keys=True)


def report_draft_save(
    *,
    actor: User,
    assignment: ReportAssignment,
    narratives: dict[str, str],
    values: dict[str, Any],
    log: bool = False,
    bases: Mapping[str, str] | None = None,
    kept: list[str] | None = None,
    invalid: dict[str, str] | None = None,
) -> ReportAssignment:
    """Autosave: called on every change, so nothing typed is lost. Not logged per keystroke;
    `log` records a deliberate save (an integration sending the whole draft through the API).

    With `bases` (the page's fingerprints of what it showed), two people editing one draft
    never erase each other's text: only the sections and figures this page changed are written,
    what others saved meanwhile stays, and a section both changed differently is refused
    (issue 18, M7). `kept`, if given, receives the names of what was kept from others.

    A figure that cannot be read ("mười hai") refuses the whole save, unless `invalid` is
    given (a page's autosave): then the rest is saved, that figure keeps what was stored, and
    `invalid` receives its message under its form field's name."""
    with transaction.atomic():
        a = (
            ReportAssignment.objects.select_for_update(of=("self",))  # not the request row
            .select_related("request__template")
            .get(pk=assignment.pk)
        )
        if not rules.can_draft_report(actor, a):
            raise PermissionDenied
        if a.status not in {ReportStatus.PENDING, ReportStatus.RETURNED}:
            raise ValidationError("Báo cáo đang chờ duyệt hoặc đã nộp: không sửa được.")
        incoming_narratives = {str(k): v for k, v in narratives.items()}
        unreadable: dict[str, str] = {}
        incoming_values = _clean_values(a, values, None if invalid is None else unreadable)
        for name in unreadable:  # sent as stored: neither written nor cleared
            key = name.removeprefix("indicator-")
            if key in a.draft_values:
                incoming_values[key] = a.draft_values[key]
        if bases is None:
            a.draft_narratives, a.draft_values = incoming_narratives, incoming_values
        else:
            a.draft_narratives, a.draft_values, others = _draft_merge(
                a, incoming_narratives, incoming_values, bases
            )
            if kept is not None:
                kept.extend(others)
        if invalid is not None:
            invalid.update(unreadable)
        a.draft_saved_at = now()
        a.save(update_fields=["draft_narratives", "draft_values", "draft_saved_at"])
        if log:
            action_log_record(
                actor=actor,
                action="reporting.report.draft_saved",
                target=a,
                data={"sections": len(a.draft_narratives), "values": len(a.draft_values)},
            )
    return a


def _draft_merge(
    a: ReportAssignment,
    narratives: dict[str, str],
    values: dict[str, Any],
    bases: Mapping[str, str],
) -> tuple[dict[str, str], dict[str, Any], list[str]]:
    labels = draft_labels(a)
    incoming = draft_fields(a, narratives, values)
    write, kept = merge_edit(
        current=draft_fields(a, a.draft_narratives, None),
        incoming=incoming,
        bases=bases,
        labels=labels,
    )
    merged_narratives = dict(a.draft_narratives)
    merged_values = dict(a.draft_values)
    for name, value in write.items():
        kind, _, key = name.partition("-")
        if kind == "section":
            merged_narratives[key] = value
        elif value is None:
            merged_values.pop(key, None)
        else:
            merged_values[key] = value
    # Indicators filled automatically are not merged: written as sent.
    merged_values |= {k: v for k, v in values.items() if f"indicator-{k}" not in incoming}
    return merged_narratives, merged_values, [labels[name] for name in kept]


ATTACHMENT_KINDS = (UploadKind.PDF, UploadKind.DOCX, UploadKind.XLSX, UploadKind.IMAGE)


def report_attach(
    *, actor: User, assignment: ReportAssignment, files: Sequence[UploadedFile]
) -> int:
    """Attach checked files to a report still being drafted; one bad file refuses them all."""
    if not rules.can_draft_report(actor, assignment):
        raise PermissionDenied
    if assignment.status not in {ReportStatus.PENDING, ReportStatus.RETURNED}:
        raise ValidationError("Báo cáo đang chờ duyệt hoặc đã nộp: không đính kèm thêm được.")
    checked = [check_upload(f, allowed=ATTACHMENT_KINDS) for f in files]
    with transaction.atomic():
        for item in checked:
            name, _thumb = save_checked(item, "reports")
            ReportAttachment.objects.create(
                assignment=assignment,
                file=name,
                original_name=item.original_name,
                content_type=item.content_type,
                size=item.size,
                created_by=actor,
            )
        action_log_record(
            actor=actor,
            action="reporting.report.files_attached",
            target=assignment,
            data={"files": [c.original_name for c in checked]},
        )
    return len(checked)


def report_attachment_remove(*, actor: User, attachment: ReportAttachment) -> None:
    """Take a file off a report still with its unit's drafters (not yet sent, or returned for
    revision): its officers and head, as for attaching. Once sent to the head or submitted, the
    files are part of what was sent: refused; so is, in a returned report, a file submitted
    with an earlier version (Nội vụ received it, and a version keeps no copy of its files).
    The file leaves storage once the removal is committed (as evidence does); the log keeps
    its name. A repeat (double click) does nothing."""
    with transaction.atomic():
        a = ReportAssignment.objects.select_for_update(of=("self",)).get(
            pk=attachment.assignment_id
        )
        if not rules.can_draft_report(actor, a):
            raise PermissionDenied
        if not a.is_drafting:
            raise ValidationError(
                "Báo cáo đang chờ thủ trưởng duyệt hoặc đã nộp: không gỡ tệp đính kèm được."
            )
        f = ReportAttachment.objects.filter(pk=attachment.pk, assignment=a).first()
        if f is None:
            return
        if f.pk in files_submitted([f], a.versions.values_list("submitted_at", flat=True)):
            raise ValidationError(
                f"Tệp “{f.original_name}” đã nộp cùng báo cáo lần trước: không gỡ được. "
                "Đính kèm tệp thay thế và nêu rõ trong nội dung báo cáo."
            )
        action_log_record(
            actor=actor,
            action="reporting.report.file_removed",
            target=a,
            data={"file": f.original_name},
        )
        name = f.file.name
        f.delete()
        transaction.on_commit(lambda: default_storage.delete(name))


def files_submitted(
    attachments: Iterable[ReportAttachment], submitted: Iterable[datetime]
) -> set[int]:
    """The files (pks) that went to Nội vụ with a submitted version, given the versions'
    submission times: there when the last one was submitted. They stay on a returned report
    (`report_attachment_remove`; the report page marks them)."""
    last = max(submitted, default=None)
    return {f.pk for f in attachments if last is not None and f.created_at <= last}


def _figures_changed(a: ReportAssignment) -> None:
    """The campaign's dashboard counts reports by status."""
    campaign_figures_changed(a.request.campaign_id)


STALE_PAGE = (
    "Báo cáo đã được gửi thủ trưởng duyệt hoặc đã nộp, và khác với nội dung trên trang "
    "anh/chị đang xem: chưa thực hiện thao tác. Trang đã hiện nội dung hiện tại của báo cáo; "
    "phần anh/chị vừa gõ (nếu có) chưa được lưu."
)


def _saved_first(
    actor: User, assignment: ReportAssignment, draft: ShownDraft
) -> ValidationError | None:
    """Before a report leaves its drafters (sent to the head, or submitted by the head while
    drafting), the draft its page shows is saved as its autosave is, under the row lock that
    the move takes again in the same transaction, so the report that moves is what the page
    showed. What cannot be saved raises (nothing written, nothing moves): a section someone
    else changed differently, or a page that differs from a report no longer being drafted (a
    repeat of the click, showing what was sent, goes on: the move decides). What was saved
    but still differs from the page is returned as the refusal, to raise once the save is
    committed: a figure that cannot be read (by field; the rest saved), or another person's
    newer text kept in place of the page's old copy, which the sender has not seen."""
    a = (
        ReportAssignment.objects.select_for_update(of=("self",))  # not the request row
        .select_related("request__template")
        .get(pk=assignment.pk)
    )
    if not a.is_drafting:
        sent, unread = _sent_fields(a, draft.narratives, draft.values)
        stored = draft_fields(a, a.draft_narratives, None)
        if unread or any(fingerprint(v) != fingerprint(stored[n]) for n, v in sent.items()):
            raise ValidationError(STALE_PAGE, code="stale")
        return None
    kept: list[str] = []
    unreadable: dict[str, str] = {}
    report_draft_save(
        actor=actor,
        assignment=a,
        narratives=draft.narratives,
        values=draft.values,
        bases=draft.bases,
        kept=kept,
        invalid=unreadable,
    )
    if not unreadable and not kept:
        return None
    labels = draft_labels(a)
    reasons = []
    if unreadable:
        names = ", ".join(f"“{labels[name]}”" for name in unreadable)
        reasons.append(f"số liệu {names} chưa đúng (xem dưới ô), các nội dung khác đã được lưu")
    if kept:
        names = ", ".join(f"“{name}”" for name in kept)
        reasons.append(
            f"người khác vừa lưu {names}: nội dung của họ được giữ và đang hiện trên trang, "
            "anh/chị xem lại rồi bấm lần nữa"
        )
    errors: dict[str, list[str]] = {name: [message] for name, message in unreadable.items()}
    errors[NON_FIELD_ERRORS] = ["Báo cáo chưa được gửi đi: " + "; ".join(reasons) + "."]
    return ValidationError(errors)


def _moved_after_saving(
    actor: User,
    assignment: ReportAssignment,
    draft: ShownDraft | None,
    move: Callable[[ReportAssignment], ReportAssignment],
) -> ReportAssignment:
    """`move(assignment)`, the transition, once `draft` (if any) is saved (`_saved_first`).
    A move refused for the report itself (`ValidationError`: empty, no longer movable) keeps
    the save, as the page's autosave would have: the sender finds the report as typed on its
    own page, nothing having moved (the move is undone to its savepoint, still under the row
    lock, and logged nothing)."""
    if draft is None:
        return move(assignment)
    with transaction.atomic():
        refusal = _saved_first(actor, assignment, draft)
        if refusal is None:
            try:
                with transaction.atomic():
                    return move(assignment)
            except ValidationError as exc:
                refusal = exc
    raise refusal  # after the commit: what could be saved is kept


def content_missing(a: ReportAssignment) -> str | None:
    """Why the report cannot leave its drafters yet, or None when it can (`_require_content`,
    the rule): also shown on its page by the send and submit buttons, before they are pressed.

    A report leaves its drafters (sent to the head, or approved and submitted) only with
    something the unit itself provides: a section's text (spaces alone are none), a figure it
    types (a manual indicator: 0 and "Không" are answers) or an attached file. Figures the
    system computes (activities, participants, good models) are not the unit's: a template
    that asks the unit for text or figures is empty without them, whatever the system counts.

    A template that asks for nothing to type (automatic indicators only, no section) is never
    empty: its computed figures are the report, which the head's approval vouches for (a zero
    is an answer too); requiring a file nobody asked for would only make it impossible to send."""
    template = a.request.template_id
    sections = {
        str(pk)
        for pk in TemplateSection.objects.filter(template=template).values_list("pk", flat=True)
    }
    indicators = list(Indicator.objects.filter(template=template).values_list("pk", "source"))
    manual = {str(pk) for pk, source in indicators if source == Indicator.Source.MANUAL}
    if indicators and not sections and not manual:
        return None
    if any(str(a.draft_narratives.get(key) or "").strip() for key in sections):
        return None
    if any(a.draft_values.get(key) is not None for key in manual):
        return None
    if a.attachments.exists():
        return None
    wanted = []
    if sections:
        wanted.append("viết ít nhất một phần nội dung")
    if manual:
        wanted.append("nhập số liệu ít nhất một chỉ tiêu")
    wanted.append("đính kèm tệp báo cáo")
    message = "Báo cáo chưa có nội dung: cần " + ", ".join(wanted[:-1])
    message += (" hoặc " if len(wanted) > 1 else "") + wanted[-1] + "."
    if a.status == ReportStatus.PENDING_APPROVAL:  # the head cannot edit it: the officer can
        message += " Bấm “Trả lại cán bộ” để cán bộ đầu mối bổ sung."
    return message


def _require_content(a: ReportAssignment) -> None:
    """An empty report (`content_missing`) is refused. Checked in `transition(check=…)` of both
    moves, so the page, the API and any other caller are held to it; refused, nothing moves,
    is logged or notified."""
    message = content_missing(a)
    if message is not None:
        raise ValidationError(message, code="empty")


def report_send_for_approval(
    *, actor: User, assignment: ReportAssignment, draft: ShownDraft | None = None
) -> ReportAssignment:
    """The focal officer sends the report to the unit head. With `draft` (what the page shows,
    posted by its button), that is saved first and the report goes only if all of it was
    (`_saved_first`): a figure that cannot be read is never dropped for the last saved one."""
    return _moved_after_saving(actor, assignment, draft, lambda a: _send(actor, a))


def _send(actor: User, assignment: ReportAssignment) -> ReportAssignment:
    to = ReportStatus.PENDING_APPROVAL
    return transition(
        assignment,
        to=to,
        allowed_from=ReportAssignment.TRANSITIONS[to],
        action="reporting.report.sent_for_approval",
        actor=actor,
        refused="Báo cáo đã nộp.",
        related=("request",),
        permit=lambda a: require(rules.can_draft_report(actor, a)),
        check=_require_content,
        notify=lambda a: notify(
            users=users_with_role_in(unit_ids={a.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Báo cáo chờ duyệt: {a.request.title}"[:255],
            url=reverse("reporting:report", args=[a.pk]),
        ),
        touches=_figures_changed,
        head_note="",  # the head's reason was for this draft, now sent again
    )


def report_return_to_officer(
    *, actor: User, assignment: ReportAssignment, note: str
) -> ReportAssignment:
    """The unit head sends a report waiting for approval back to the focal officer, saying what
    to correct. It goes back to where it was drafted, with every section, figure and file as
    the officer left them: "Bị trả lại" if Nội vụ had returned it (it was submitted before), else
    "Chưa nộp". Either way it is still owed: reminders and the request's list count it."""
    note = note.strip()

    def require_reason(a: ReportAssignment) -> None:
        if not note:
            raise ValidationError("Cần ghi rõ nội dung cần sửa để cán bộ đầu mối biết.")

    return transition(
        assignment,
        to=lambda a: ReportStatus.RETURNED if a.submitted_at else ReportStatus.PENDING,
        allowed_from={ReportStatus.PENDING_APPROVAL},
        action="reporting.report.returned_to_officer",
        actor=actor,
        refused="Chỉ trả lại được báo cáo đang chờ thủ trưởng duyệt.",
        related=("request",),
        permit=lambda a: require(rules.can_approve_report(actor, a)),
        # A repeat of the same return (double click) changes nothing; any other is refused.
        done=lambda a: bool(note) and a.is_drafting and a.head_note == note,
        check=require_reason,
        data={"note": note},
        notify=lambda a: notify(
            users=users_with_role_in(unit_ids={a.unit_id}, roles={Role.UNIT_OFFICER}),
            title=f"Thủ trưởng trả lại báo cáo “{a.request.title}” để sửa"[:255],
            body=note,
            url=reverse("reporting:report", args=[a.pk]),
        ),
        touches=_figures_changed,
        head_note=note,
    )


class _VersionFreeze:
    """The submitted report's new frozen version (`update=`: the assignment's fields that go
    with it) and its number for the log (`data=`), counted once."""

    def __init__(self, actor: User) -> None:
        self.actor, self.number = actor, 0

    def __call__(self, a: ReportAssignment) -> dict[str, Any]:
        stamp = now()
        values = {**a.draft_values, **auto_values(a)}
        late = today_local() > a.request.due_date
        self.number = a.versions.count() + 1
        ReportVersion.objects.create(
            assignment=a,
            number=self.number,
            narratives=a.draft_narratives,
            values=values,
            submitted_by=self.actor,
            submitted_at=stamp,
            is_late=late,
        )
        return {"submitted_at": stamp, "is_late": late, "draft_values": values}

    def logged(self, a: ReportAssignment) -> dict[str, Any]:
        return {"version": self.number, "late": a.is_late}


def report_submit(
    *, actor: User, assignment: ReportAssignment, draft: ShownDraft | None = None
) -> ReportAssignment:
    """The unit head approves and submits: a new frozen version; late if after the due date.
    With `draft` (a head submitting a report still being drafted, from its page): saved first,
    as for report_send_for_approval."""
    return _moved_after_saving(actor, assignment, draft, lambda a: _submit(actor, a))


def _submit(actor: User, assignment: ReportAssignment) -> ReportAssignment:
    def tell_office(a: ReportAssignment) -> None:
        campaign = a.request.campaign
        notify(
            users=users_with_role_in(
                unit_ids={campaign.owner_unit_id, campaign.standing_agency_id or 0},
                roles={Role.EMULATION_OFFICE},
            ),
            title=f"{a.unit.name} đã nộp báo cáo" + (" (muộn)" if a.is_late else ""),
            url=reverse("reporting:report", args=[a.pk]),
        )

    to = ReportStatus.SUBMITTED
    freeze = _VersionFreeze(actor)
    return transition(
        assignment,
        to=to,
        allowed_from=ReportAssignment.TRANSITIONS[to],
        action="reporting.report.submitted",
        actor=actor,
        related=("request__campaign",),
        permit=lambda a: require(rules.can_approve_report(actor, a)),
        done=lambda a: a.is_in,  # a repeat, or accepted already
        check=_require_content,
        update=freeze,
        data=freeze.logged,
        notify=tell_office,
        touches=_figures_changed,
        head_note="",
    )


def _review(actor: User, assignment: ReportAssignment, to: str, note: str) -> ReportAssignment:
    _require_manager(actor, assignment.request.campaign)

    def reminder_again(a: ReportAssignment) -> Any:
        """A returned report is owed again: its reminders start over."""
        if to != ReportStatus.RETURNED:
            return a.next_reminder_at
        return next_reminder_time(
            due=a.request.due_date,
            offsets=a.request.reminder_offsets,
            repeat_every=a.request.repeat_every,
            after=now(),
        )

    wording = "bị trả lại" if to == ReportStatus.RETURNED else "đã được tiếp nhận"
    return transition(
        assignment,
        to=to,
        allowed_from={ReportStatus.SUBMITTED},  # never a report still with its unit
        action=f"reporting.report.{to}",
        actor=actor,
        refused="Chỉ xem xét được báo cáo đã nộp.",
        related=("request",),
        data={"note": note},
        notify=lambda a: notify(
            users=users_with_role_in(unit_ids={a.unit_id}, roles=UNIT_ROLES),
            title=f"Báo cáo “{a.request.title}” {wording}"[:255],
            body=note,
            url=reverse("reporting:report", args=[a.pk]),
        ),
        touches=_figures_changed,
        review_note=note,
        next_reminder_at=reminder_again,
    )


def report_accept(*, actor: User, assignment: ReportAssignment, note: str = "") -> ReportAssignment:
    return _review(actor, assignment, ReportStatus.ACCEPTED, note)


def report_return(*, actor: User, assignment: ReportAssignment, note: str) -> ReportAssignment:
    if not note.strip():
        raise ValidationError("Cần ghi rõ nội dung cần sửa để đơn vị bổ sung.")
    return _review(actor, assignment, ReportStatus.RETURNED, note)
