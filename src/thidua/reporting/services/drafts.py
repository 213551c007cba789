"""A unit's report: draft, merge of concurrent edits, attachments, approval, submission and review."""

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns.services import campaign_figures_changed
from thidua.core.clock import now, today_local
from thidua.core.concurrency import merge_edit
from thidua.core.services import action_log_record
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


def clean_draft_values(assignment: ReportAssignment, values: dict[str, Any]) -> dict[str, Any]:
    """Indicator figures as stored (numbers, yes/no); blanks dropped."""
    return _clean_values(assignment, values)


def _clean_values(assignment: ReportAssignment, values: dict[str, Any]) -> dict[str, Any]:
    indicators = {str(i.pk): i for i in assignment.request.template.indicators.all()}
    cleaned: dict[str, Any] = {}
    for key, raw in values.items():
        indicator = indicators.get(str(key))
        if indicator is None or raw in (None, ""):
            continue
        if indicator.is_yes_no:
            cleaned[str(key)] = raw in (True, "true", "1", "on", "co", "Có")
            continue
        try:
            number = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            raise ValidationError(f"“{indicator.name}”: “{raw}” không phải là số.") from None
        if number < 0:
            raise ValidationError(f"“{indicator.name}”: không được âm.")
        cleaned[str(key)] = float(number)
    return cleaned


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


def report_draft_save(
    *,
    actor: User,
    assignment: ReportAssignment,
    narratives: dict[str, str],
    values: dict[str, Any],
    log: bool = False,
    bases: Mapping[str, str] | None = None,
    kept: list[str] | None = None,
) -> ReportAssignment:
    """Autosave: called on every change, so nothing typed is lost. Not logged per keystroke;
    `log` records a deliberate save (an integration sending the whole draft through the API).

    With `bases` (the page's fingerprints of what it showed), two people editing one draft
    never erase each other's text: only the sections and figures this page changed are written,
    what others saved meanwhile stays, and a section both changed differently is refused
    (issue 18, M7). `kept`, if given, receives the names of what was kept from others."""
    with transaction.atomic():
        a = (
            ReportAssignment.objects.select_for_update()
            .select_related("request__template")
            .get(pk=assignment.pk)
        )
        if not rules.can_draft_report(actor, a):
            raise PermissionDenied
        if a.status not in {ReportStatus.PENDING, ReportStatus.RETURNED}:
            raise ValidationError("Báo cáo đang chờ duyệt hoặc đã nộp: không sửa được.")
        incoming_narratives = {str(k): v for k, v in narratives.items()}
        incoming_values = _clean_values(a, values)
        if bases is None:
            a.draft_narratives, a.draft_values = incoming_narratives, incoming_values
        else:
            a.draft_narratives, a.draft_values, others = _draft_merge(
                a, incoming_narratives, incoming_values, bases
            )
            if kept is not None:
                kept.extend(others)
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
    template = a.request.template
    labels = {f"section-{s.pk}": s.title for s in template.sections.all()}
    labels |= {f"indicator-{i.pk}": i.name for i in template.indicators.all()}
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


def _figures_changed(a: ReportAssignment) -> None:
    """The campaign's dashboard counts reports by status."""
    campaign_figures_changed(a.request.campaign_id)


def report_send_for_approval(*, actor: User, assignment: ReportAssignment) -> ReportAssignment:
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
        notify=lambda a: notify(
            users=users_with_role_in(unit_ids={a.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Báo cáo chờ duyệt: {a.request.title}"[:255],
            url=reverse("reporting:report", args=[a.pk]),
        ),
        touches=_figures_changed,
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


def report_submit(*, actor: User, assignment: ReportAssignment) -> ReportAssignment:
    """The unit head approves and submits: a new frozen version; late if after the due date."""

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
        update=freeze,
        data=freeze.logged,
        notify=tell_office,
        touches=_figures_changed,
    )


def _review(actor: User, assignment: ReportAssignment, to: str, note: str) -> ReportAssignment:
    _require_manager(actor)

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
        allowed_from=ReportAssignment.TRANSITIONS[to],
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
