from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Sum
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.campaigns.selectors import non_reporting_unit_ids
from thidua.core.calendar import add_working_days, working_days_between
from thidua.core.clock import now, today_local
from thidua.core.concurrency import merge_edit
from thidua.core.excel import Column, RowError, SheetFile, read_rows
from thidua.core.exports import Export
from thidua.core.jobs import Progress, job_start
from thidua.core.models import Job
from thidua.core.services import action_log_record, document_number_take
from thidua.core.submissions import submission_claim, submission_done
from thidua.core.text import fold
from thidua.core.uploads import UploadKind, check_upload, save_checked
from thidua.notifications.services import digest_add, notify
from thidua.organizations.models import Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.participation.models import Activity, GoodModel
from thidua.reporting import rules
from thidua.reporting.models import (
    DEFAULT_REMINDER_OFFSETS,
    AggregatedReport,
    Indicator,
    Reminder,
    ReportAssignment,
    ReportAttachment,
    ReportRequest,
    ReportStatus,
    ReportTemplate,
    ReportVersion,
    RequestKind,
    TemplateSection,
    UrgingLetter,
)
from thidua.reporting.schedule import at_reminder_time, next_reminder_time, reminder_days
from thidua.reporting.selectors import aggregate_figures, assignment_list_for, request_visible_to

UNIT_ROLES: set[str] = {Role.UNIT_OFFICER, Role.UNIT_HEAD}
OWED: list[str] = [ReportStatus.PENDING, ReportStatus.PENDING_APPROVAL, ReportStatus.RETURNED]


def _require_manager(actor: User) -> None:
    if not rules.can_manage_reports(actor):
        raise PermissionDenied


def template_create(
    *,
    actor: User,
    campaign: Campaign,
    name: str,
    sections: Sequence[dict[str, str]],
    indicators: Sequence[dict[str, Any]],
) -> ReportTemplate:
    _require_manager(actor)
    if not sections and not indicators:
        raise ValidationError("Mẫu báo cáo cần ít nhất một phần hoặc một chỉ tiêu.")
    with transaction.atomic():
        template = ReportTemplate.objects.create(campaign=campaign, name=name, created_by=actor)
        TemplateSection.objects.bulk_create(
            TemplateSection(template=template, position=i, **s) for i, s in enumerate(sections)
        )
        Indicator.objects.bulk_create(
            Indicator(template=template, position=i, **x) for i, x in enumerate(indicators)
        )
        action_log_record(
            actor=actor,
            action="reporting.template.created",
            target=template,
            data={"sections": len(sections), "indicators": len(indicators)},
        )
    return template


def request_create(
    *,
    actor: User,
    campaign: Campaign,
    template: ReportTemplate,
    title: str,
    units: Iterable[Unit],
    kind: str = RequestKind.REGULAR,
    due_date: date | None = None,
    due_working_days: int | None = None,
    reminder_offsets: list[int] | None = None,
    repeat_every: int = 2,
    escalate_after: int = 3,
    advance_phase: bool = False,
    form_key: UUID | None = None,
) -> ReportRequest:
    """Send a template to units. An interim or final request moves the campaign to sơ kết /
    tổng kết only when asked (`advance_phase`): the form asks, never silently. A deadline
    before the plan was issued is refused. `form_key`: a repeat of the same form submission
    returns the request already sent (core.submissions, issue 18 L3): the units are not
    notified twice."""
    _require_manager(actor)
    if template.campaign_id != campaign.pk:
        raise ValidationError("Mẫu báo cáo không thuộc phong trào này.")
    due = _request_due(campaign, due_date, due_working_days)
    units = _reporting_units(campaign, units)
    offsets = DEFAULT_REMINDER_OFFSETS if reminder_offsets is None else reminder_offsets
    with transaction.atomic():
        claim = submission_claim(actor=actor, key=form_key, action="reporting.request")
        if claim.earlier is not None:
            return claim.earlier  # type: ignore[no-any-return]
        if advance_phase:
            _advance_phase(actor, campaign, kind)
        request = ReportRequest.objects.create(
            campaign=campaign,
            template=template,
            kind=kind,
            title=title,
            due_date=due,
            reminder_offsets=offsets,
            repeat_every=repeat_every,
            escalate_after=escalate_after,
            sent_at=now(),
            created_by=actor,
        )
        # The first scheduled reminder, even if already past: the next run sends one catch-up
        # reminder, then the schedule continues from the run's time (no flood of old reminders).
        days = reminder_days(due=due, offsets=offsets, repeat_every=repeat_every)
        first = at_reminder_time(days[0]) if days else None
        ReportAssignment.objects.bulk_create(
            ReportAssignment(request=request, unit=u, next_reminder_at=first) for u in units
        )
        notify(
            users=users_with_role_in(unit_ids={u.pk for u in units}, roles=UNIT_ROLES),
            title=f"Yêu cầu báo cáo: {title} (hạn {due:%d/%m/%Y})"[:255],
            body=f"Phong trào: {campaign.title}\nBáo cáo: {title}\n"
            f"Hạn nộp: hết ngày {due:%d/%m/%Y}.\n"
            "Mở mục “Báo cáo của đơn vị” để lập, duyệt và nộp theo đường dẫn dưới đây.",
            url=reverse("reporting:my-reports"),
            extra_emails=[u.email for u in units if u.email],
        )
        submission_done(claim, request)
        action_log_record(
            actor=actor,
            action="reporting.request.sent",
            target=request,
            data={"units": len(units), "due": due.isoformat(), "kind": kind},
        )
    return request


def _request_due(campaign: Campaign, due_date: date | None, due_working_days: int | None) -> date:
    """The deadline: a date, or working days from today; never before the plan was issued."""
    if (due_date is None) == (due_working_days is None):
        raise ValidationError("Nhập hạn nộp theo ngày cụ thể hoặc theo số ngày làm việc.")
    due = due_date or add_working_days(today_local(), due_working_days or 0)
    if campaign.issued_on and due < campaign.issued_on:
        raise ValidationError(
            f"Hạn nộp {due:%d/%m/%Y} trước ngày ban hành kế hoạch ({campaign.issued_on:%d/%m/%Y})."
        )
    return due


def _reporting_units(campaign: Campaign, units: Iterable[Unit]) -> list[Unit]:
    """The chosen units that must report, once each: recipients "(để b/c)", "(để biết)" and the
    office itself are left out."""
    chosen = list({u.pk: u for u in units}.values())
    if not chosen:
        raise ValidationError("Chưa chọn đơn vị nào.")
    passive = non_reporting_unit_ids(campaign=campaign)
    reporting = [u for u in chosen if u.pk not in passive]
    if not reporting:
        raise ValidationError(
            "Các đơn vị đã chọn chỉ nhận kế hoạch để báo cáo hoặc để biết, không phải nộp báo cáo."
        )
    return reporting


def _advance_phase(actor: User, campaign: Campaign, kind: str) -> None:
    """An interim request opens sơ kết, a final one tổng kết, when the form asked for it."""
    if kind == RequestKind.INTERIM and campaign.status == CampaignStatus.RUNNING:
        campaign_services.campaign_interim_begin(actor=actor, campaign=campaign)
    elif kind == RequestKind.FINAL and campaign.status in {
        CampaignStatus.RUNNING,
        CampaignStatus.INTERIM_REVIEW,
    }:
        campaign_services.campaign_final_begin(actor=actor, campaign=campaign)


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


def report_send_for_approval(*, actor: User, assignment: ReportAssignment) -> ReportAssignment:
    with transaction.atomic():
        a = (
            ReportAssignment.objects.select_for_update()
            .select_related("request")
            .get(pk=assignment.pk)
        )
        if not rules.can_draft_report(actor, a):
            raise PermissionDenied
        if a.status == ReportStatus.PENDING_APPROVAL:
            return a
        if a.status not in {ReportStatus.PENDING, ReportStatus.RETURNED}:
            raise ValidationError("Báo cáo đã nộp.")
        a.status = ReportStatus.PENDING_APPROVAL
        a.save(update_fields=["status"])
        action_log_record(actor=actor, action="reporting.report.sent_for_approval", target=a)
        notify(
            users=users_with_role_in(unit_ids={a.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Báo cáo chờ duyệt: {a.request.title}"[:255],
            url=reverse("reporting:report", args=[a.pk]),
        )
    return a


def report_submit(*, actor: User, assignment: ReportAssignment) -> ReportAssignment:
    """The unit head approves and submits: a new frozen version; late if after the due date."""
    with transaction.atomic():
        a = (
            ReportAssignment.objects.select_for_update()
            .select_related("request__campaign")
            .get(pk=assignment.pk)
        )
        if not rules.can_approve_report(actor, a):
            raise PermissionDenied
        if a.status in {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}:
            return a
        stamp = now()
        values = {**a.draft_values, **auto_values(a)}
        late = today_local() > a.request.due_date
        number = a.versions.count() + 1
        ReportVersion.objects.create(
            assignment=a,
            number=number,
            narratives=a.draft_narratives,
            values=values,
            submitted_by=actor,
            submitted_at=stamp,
            is_late=late,
        )
        a.status, a.submitted_at, a.is_late, a.draft_values = (
            ReportStatus.SUBMITTED,
            stamp,
            late,
            values,
        )
        a.save(update_fields=["status", "submitted_at", "is_late", "draft_values"])
        action_log_record(
            actor=actor,
            action="reporting.report.submitted",
            target=a,
            data={"version": number, "late": late},
        )
        office = users_with_role_in(
            unit_ids={a.request.campaign.owner_unit_id, a.request.campaign.standing_agency_id or 0},
            roles={Role.EMULATION_OFFICE},
        )
        notify(
            users=office,
            title=f"{a.unit.name} đã nộp báo cáo" + (" (muộn)" if late else ""),
            url=reverse("reporting:report", args=[a.pk]),
        )
    return a


def _review(actor: User, assignment: ReportAssignment, to: str, note: str) -> ReportAssignment:
    _require_manager(actor)
    with transaction.atomic():
        a = (
            ReportAssignment.objects.select_for_update()
            .select_related("request")
            .get(pk=assignment.pk)
        )
        if a.status == to:
            return a
        if a.status != ReportStatus.SUBMITTED:
            raise ValidationError("Chỉ xem xét được báo cáo đã nộp.")
        a.status, a.review_note = to, note
        fields = ["status", "review_note"]
        if to == ReportStatus.RETURNED:
            a.next_reminder_at = next_reminder_time(
                due=a.request.due_date,
                offsets=a.request.reminder_offsets,
                repeat_every=a.request.repeat_every,
                after=now(),
            )
            fields.append("next_reminder_at")
        a.save(update_fields=fields)
        action_log_record(
            actor=actor, action=f"reporting.report.{to}", target=a, data={"note": note}
        )
        wording = "bị trả lại" if to == ReportStatus.RETURNED else "đã được tiếp nhận"
        notify(
            users=users_with_role_in(unit_ids={a.unit_id}, roles=UNIT_ROLES),
            title=f"Báo cáo “{a.request.title}” {wording}"[:255],
            body=note,
            url=reverse("reporting:report", args=[a.pk]),
        )
    return a


def report_accept(*, actor: User, assignment: ReportAssignment, note: str = "") -> ReportAssignment:
    return _review(actor, assignment, ReportStatus.ACCEPTED, note)


def report_return(*, actor: User, assignment: ReportAssignment, note: str) -> ReportAssignment:
    if not note.strip():
        raise ValidationError("Cần ghi rõ nội dung cần sửa để đơn vị bổ sung.")
    return _review(actor, assignment, ReportStatus.RETURNED, note)


# --- Reminders ------------------------------------------------------------------------------


def reminder_body(a: ReportAssignment, *, day: date, overdue: bool) -> str:
    """What is due, by when and from whom; notify() adds the link (SITE_URL)."""
    due = a.request.due_date
    if overdue:
        late = working_days_between(due, day)
        when = f"Hạn nộp: {due:%d/%m/%Y} – đã quá hạn {late} ngày làm việc."
    else:
        left = working_days_between(day, due)
        when = f"Hạn nộp: hết ngày {due:%d/%m/%Y}" + (
            f" (còn {left} ngày làm việc)." if left > 0 else " (hôm nay)."
        )
    return (
        f"Kính gửi {a.unit.name},\n"
        f"Đơn vị chưa nộp “{a.request.title}” của phong trào "
        f"“{a.request.campaign.title}”.\n{when}\n"
        f"Trạng thái hiện tại: {a.get_status_display()}.\n"
        "Mở báo cáo để lập, duyệt và nộp theo đường dẫn dưới đây."
    )


def reminders_claim_due(*, at: datetime, limit: int = 500) -> list[tuple[int, datetime]]:
    """Claim due reminders by compare-and-set: a rival run updates 0 rows and skips them."""
    due = ReportAssignment.objects.filter(status__in=OWED, next_reminder_at__lte=at).select_related(
        "request"
    )
    claimed = []
    for a in due.order_by("next_reminder_at")[:limit]:
        seen = a.next_reminder_at
        assert seen is not None  # noqa: S101 - filtered above
        following = next_reminder_time(
            due=a.request.due_date,
            offsets=a.request.reminder_offsets,
            repeat_every=a.request.repeat_every,
            after=max(at, seen),
        )
        if ReportAssignment.objects.filter(pk=a.pk, next_reminder_at=seen).update(
            next_reminder_at=following
        ):
            claimed.append((a.pk, seen))
    return claimed


def reminders_send_due(at: datetime | None = None) -> int:
    """Periodic job: send every claimed reminder once, and escalate long-overdue reports."""
    at = at or now()
    sent = 0
    passive: dict[int, set[int]] = {}  # campaign → units that receive it without reporting
    for pk, step in reminders_claim_due(at=at):
        a = ReportAssignment.objects.select_related("request__campaign", "unit").get(pk=pk)
        campaign = a.request.campaign
        if campaign.pk not in passive:
            passive[campaign.pk] = non_reporting_unit_ids(campaign=campaign)
        if a.unit_id in passive[campaign.pk]:
            continue  # a request sent before roles existed: no reminder to a superior body
        due = a.request.due_date
        overdue = step.date() > due
        with transaction.atomic():
            _reminder, created = Reminder.objects.get_or_create(
                assignment=a,
                step=step,
                kind=Reminder.Kind.OVERDUE if overdue else Reminder.Kind.BEFORE,
            )
            if not created:
                continue
            ReportAssignment.objects.filter(pk=pk).update(reminders_sent=F("reminders_sent") + 1)
            title = (
                f"Quá hạn báo cáo: {a.request.title} (hạn {due:%d/%m/%Y})"
                if overdue
                else f"Nhắc hạn báo cáo: {a.request.title} – hạn {due:%d/%m/%Y}"
            )
            url = reverse("reporting:report", args=[a.pk])
            notify(
                users=users_with_role_in(unit_ids={a.unit_id}, roles=UNIT_ROLES),
                title=title[:255],
                body=reminder_body(a, day=step.date(), overdue=overdue),
                url=url,
                extra_emails=[a.unit.email] if a.unit.email else [],
            )
            sent += 1
            late_days = working_days_between(due, step.date())
            if (
                overdue
                and late_days >= a.request.escalate_after
                and ReportAssignment.objects.filter(pk=pk, escalated_at__isnull=True).update(
                    escalated_at=at
                )
            ):
                Reminder.objects.create(assignment=a, step=step, kind=Reminder.Kind.ESCALATION)
                # One digest per leader and day lists every late unit (not a notice each).
                digest_add(
                    users=users_with_role_in(
                        unit_ids={a.request.campaign.owner_unit_id}, roles={Role.SIGNER}
                    ),
                    section="Đơn vị chậm báo cáo",
                    text=f"{a.unit.name}: {a.request.title}, hạn {due:%d/%m/%Y}, "
                    f"chậm {late_days} ngày làm việc",
                    url=reverse("reporting:request-detail", args=[a.request_id]),
                    at=at,
                )
    return sent


# --- Official outputs -----------------------------------------------------------------------


def late_units(request: ReportRequest) -> list[Unit]:
    """Units still owing the report, among those that must report (never the superior body,
    a unit only informed, or the standing agency itself)."""
    owed = (
        request.assignments.filter(status__in=OWED)
        .exclude(unit_id__in=non_reporting_unit_ids(campaign=request.campaign))
        .select_related("unit")
        .order_by("unit__name_sort")
    )
    return [a.unit for a in owed]


def urging_letter_create(
    *,
    actor: User,
    request: ReportRequest,
    issued_on: date | None = None,
    form_key: UUID | None = None,
) -> UrgingLetter:
    """Công văn đôn đốc to the units still owing the report, numbered "Số: 12/UBND-NV".
    `form_key`: the page's submission key; a repeat of it returns the letter already made
    (core.submissions, issue 18 L3), never a second number."""
    _require_manager(actor)
    units = late_units(request)
    if not units:
        raise ValidationError("Mọi đơn vị đã nộp báo cáo; không cần đôn đốc.")
    campaign = request.campaign
    owner = campaign.owner_unit
    day = issued_on or today_local()
    with transaction.atomic():
        claim = submission_claim(actor=actor, key=form_key, action="reporting.urging_letter")
        if claim.earlier is not None:
            return claim.earlier  # type: ignore[no-any-return]
        entry = document_number_take(
            actor=actor,
            issuer_code=owner.code,
            doc_type="CV",
            symbol=f"{owner.symbol or 'UBND'}-NV",
            issued_on=day,
            summary=f"V/v đôn đốc báo cáo {request.title}"[:500],
            target=request,
        )
        body = (
            f"Thực hiện Kế hoạch số {campaign.reference} ngày "
            f"{campaign.issued_on:%d/%m/%Y} của {campaign.issuer_name} về {campaign.title}, "
            f"{owner.name} đã đề nghị các cơ quan, đơn vị gửi {request.title} trước ngày "
            f"{request.due_date:%d/%m/%Y}. Đến nay, còn {len(units)} cơ quan, đơn vị chưa gửi báo cáo.\n"
            f"Đề nghị các cơ quan, đơn vị sau khẩn trương hoàn thành và gửi báo cáo về "
            f"{campaign.standing_agency.name if campaign.standing_agency else owner.name}:"
        )
        letter = UrgingLetter.objects.create(
            request=request, issued_number=entry, body=body, created_by=actor
        )
        letter.units.set(units)
        submission_done(claim, letter)
        action_log_record(
            actor=actor,
            action="reporting.urging_letter.issued",
            target=letter,
            data={"reference": entry.reference, "units": len(units)},
        )
        notify(
            users=users_with_role_in(unit_ids={u.pk for u in units}, roles=UNIT_ROLES),
            title=f"Công văn số {entry.reference}: đôn đốc {request.title}"[:255],
            url=reverse("reporting:my-reports"),
        )
    return letter


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return f"{value:g}".replace(".", ",")


AGGREGATE_JOB = "reporting.aggregate"  # registered in ReportingConfig.ready
AGGREGATE_STEPS = 3  # figures, narrative, saved


def aggregate_build_start(*, actor: User, request: ReportRequest) -> Job:
    """Queue the build of the aggregated report; with thousands of units it takes seconds, so
    it runs on a worker and the page shows its progress."""
    _require_manager(actor)
    with transaction.atomic():
        job = job_start(
            actor=actor, kind=AGGREGATE_JOB, total=AGGREGATE_STEPS, params={"request": request.pk}
        )
        action_log_record(
            actor=actor,
            action="reporting.aggregate.build_started",
            target=request,
            data={"job": job.pk},
        )
    return job


def aggregate_build_job(job: Job, progress: Progress) -> dict[str, Any]:
    """The job's worker, acting as whoever started it (their rights are checked again); a rerun
    rebuilds the same report."""
    request = ReportRequest.objects.get(pk=job.params["request"])
    if job.created_by is None:
        raise PermissionDenied
    aggregate_build(actor=job.created_by, request=request, progress=progress)
    return {
        "url": reverse("reporting:aggregate", args=[request.pk]),
        "link_text": "Mở báo cáo tổng hợp",
    }


def aggregate_title(request_title: str) -> str:
    """The aggregated report's title (trích yếu) without "Báo cáo" twice: a request titled
    "Báo cáo kết quả thực hiện …" gives that title; "Thực hiện …" gives "Báo cáo kết quả thực
    hiện …"."""
    title = " ".join(request_title.split())
    if fold(title).startswith("bao cao"):
        return "Báo cáo" + title[len("Báo cáo") :]
    if not title:
        return "Báo cáo kết quả"
    first = title[:1].lower() if title[1:2].islower() else title[:1]  # keep "UBND"
    return f"Báo cáo kết quả {first}{title[1:]}"


def aggregate_build(
    *, actor: User, request: ReportRequest, progress: Progress | None = None
) -> AggregatedReport:
    """Build (or rebuild) the draft of the city's report from the submitted reports."""
    _require_manager(actor)
    step = progress or (lambda done: None)
    figures = aggregate_figures(request=request)
    step(1)
    late = f", trong đó {figures['late']} đơn vị nộp muộn" if figures["late"] else ""
    lines = [
        f"Đến ngày {today_local():%d/%m/%Y}, {figures['reported']}/{figures['total']} đơn vị "
        f"đã báo cáo{late}."
    ]
    for section in figures["sections"]:
        lines.append(section["title"].upper())
        lines.extend(f"- {entry['unit']}: {entry['text']}" for entry in section["entries"])
    lines.append("KẾT QUẢ CÁC CHỈ TIÊU")
    lines.extend(f"- {row['name']}: {row['display']}" for row in figures["indicators"])
    if figures["indicators"] and figures["per_unit"]:
        lines.append("SỐ LIỆU TỪNG ĐƠN VỊ")
        names = [row["name"] for row in figures["indicators"]]
        for entry in figures["per_unit"]:
            cells = "; ".join(
                f"{n}: {_cell(v)}" for n, v in zip(names, entry["values"], strict=True)
            )
            lines.append(f"- {entry['unit'].name}{' (nộp muộn)' if entry['late'] else ''}: {cells}")
    if figures["missing"]:
        lines.append("CÁC ĐƠN VỊ CHƯA BÁO CÁO")
        lines.append("- " + "; ".join(u.name for u in figures["missing"]) + ".")
    step(2)
    with transaction.atomic():
        report, created = AggregatedReport.objects.update_or_create(
            request=request,
            defaults={
                "title": aggregate_title(request.title)[:500],
                "body": "\n".join(lines),
                "built_at": now(),
                "updated_by": actor,
            },
        )
        action_log_record(
            actor=actor,
            action="reporting.aggregate." + ("built" if created else "rebuilt"),
            target=report,
            data={"reported": figures["reported"]},
        )
    return report


def aggregate_update(
    *, actor: User, report: AggregatedReport, title: str, body: str
) -> AggregatedReport:
    _require_manager(actor)
    with transaction.atomic():
        report.title, report.body, report.updated_by = title, body, actor
        report.save(update_fields=["title", "body", "updated_by"])
        action_log_record(actor=actor, action="reporting.aggregate.edited", target=report)
    return report


# --- Excel exchange of indicator figures per unit ------------------------------------------

YES_NO = ("Có", "Không")


def indicator_columns(request: ReportRequest) -> tuple[Column, ...]:
    """One row per unit, one column per indicator (yes/no indicators get a drop-down list)."""
    columns = [
        Column(
            "Mã đơn vị",
            "unit",
            required=True,
            width=14,
            synonyms=("ma_don_vi", "Mã ĐV", "Mã", "Unit code"),
        ),
        Column(
            "Tên đơn vị",
            "unit_name",
            width=40,
            synonyms=("ten_don_vi", "Đơn vị", "Tên", "Cơ quan, đơn vị"),
        ),
        Column("Trạng thái", "status", width=16, synonyms=("trang_thai", "Tình trạng")),
    ]
    for number, indicator in enumerate(request.template.indicators.all(), start=1):
        label = indicator.name + (
            f" ({indicator.unit_of_measure})" if indicator.unit_of_measure else ""
        )
        columns.append(
            Column(
                label[:250],
                str(indicator.pk),
                width=18,
                choices=YES_NO * indicator.is_yes_no,
                # the name without its unit, or the indicator's number on the form ("Chỉ tiêu 3")
                synonyms=(indicator.name, f"Chỉ tiêu {number}", f"CT{number}"),
            )
        )
    return tuple(columns)


def _figures(assignment: ReportAssignment) -> dict[str, Any]:
    """What the unit reported: the last submitted version, else the draft."""
    versions = sorted(assignment.versions.all(), key=lambda v: v.number)
    figures: dict[str, Any] = versions[-1].values if versions else assignment.draft_values
    return figures


def indicator_export_rows(
    request: ReportRequest, assignments: Iterable[ReportAssignment]
) -> Iterator[list[Any]]:
    """Rows in indicator_columns() order (prefetch `versions` on the assignments)."""
    indicators = list(request.template.indicators.all())
    statuses = dict(ReportStatus.choices)
    for a in assignments:
        figures = _figures(a)
        cells: list[Any] = [a.unit.code, a.unit.name, statuses[a.status]]
        for indicator in indicators:
            value = figures.get(str(indicator.pk))
            if indicator.is_yes_no and value is not None:
                value = "Có" if value else "Không"
            cells.append(value)
        yield cells


def indicators_import(
    *, actor: User, request: ReportRequest, upload: IO[bytes] | SheetFile
) -> tuple[int, list[RowError]]:
    """A unit's figures from the sheet into its draft report: every row checked first, all or
    nothing. Rows whose figures equal the draft are left alone, so an exported file imports back
    with no change. Only units the actor drafts for, and only reports still open."""
    columns = indicator_columns(request)
    rows, errors = read_rows(upload, columns)
    assignments = {
        a.unit.code: a for a in request.assignments.select_related("unit", "request__template")
    }
    keys = [c.key for c in columns[3:]]
    cleaned: list[tuple[ReportAssignment, dict[str, Any]]] = []
    for number, values in rows:
        a = assignments.get(values["unit"] or "")
        if a is None:
            errors.append(
                RowError(number, "Mã đơn vị", f"Đơn vị “{values['unit']}” không thuộc yêu cầu này.")
            )
            continue
        if not rules.can_draft_report(actor, a):
            errors.append(
                RowError(number, "Mã đơn vị", f"Bạn không lập báo cáo cho “{a.unit.name}”.")
            )
            continue
        if a.status not in {ReportStatus.PENDING, ReportStatus.RETURNED}:
            continue  # submitted or under approval: the sheet shows it, the import leaves it
        try:
            figures = _clean_values(a, {k: values[k] for k in keys})
        except ValidationError as exc:
            errors.extend(RowError(number, "", m) for m in exc.messages)
            continue
        others = {k: v for k, v in a.draft_values.items() if k not in keys}
        if {**others, **figures} != a.draft_values:  # an emptied cell clears the figure
            cleaned.append((a, {**others, **figures}))
    if errors:
        return 0, errors
    with transaction.atomic():
        for a, figures in cleaned:
            report_draft_save(
                actor=actor, assignment=a, narratives=a.draft_narratives, values=figures
            )
            action_log_record(
                actor=actor,
                action="reporting.report.figures_imported",
                target=a,
                data={"indicators": sorted(figures)},
            )
    return len(cleaned), []


def indicators_export(actor: User, params: dict[str, str]) -> Export:
    """Each unit's figures, one row per unit: the import format of indicators_import."""
    pk = params.get("request", "")
    request = request_visible_to(actor=actor, pk=int(pk)) if pk.isdigit() else None
    if request is None:
        raise PermissionDenied
    assignments = (
        assignment_list_for(actor=actor, request=request)
        .prefetch_related("versions")
        .order_by("unit__name_sort", "pk")
    )
    return Export(
        indicator_columns(request),
        indicator_export_rows(request, assignments.iterator(chunk_size=2000)),
        assignments.count(),
        f"chi-tieu-{request.pk}.xlsx",
        sheet_name="Chỉ tiêu",
    )


def indicators_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """indicators_import for a background job (core.imports)."""
    request = request_visible_to(actor=actor, pk=int(params["request"]))
    if request is None:
        raise PermissionDenied
    return indicators_import(actor=actor, request=request, upload=upload)
