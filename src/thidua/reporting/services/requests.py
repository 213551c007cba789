"""Report templates and requests: who must report, by when, and the phase a request opens."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.campaigns.selectors import non_reporting_unit_ids
from thidua.core.calendar import add_working_days
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record
from thidua.core.submissions import submission_claim, submission_done
from thidua.notifications.services import notify
from thidua.organizations.models import Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.reporting import rules
from thidua.reporting.models import (
    DEFAULT_REMINDER_OFFSETS,
    Indicator,
    ReportAssignment,
    ReportRequest,
    ReportTemplate,
    RequestKind,
    TemplateSection,
)
from thidua.reporting.schedule import at_reminder_time, reminder_days

UNIT_ROLES: set[str] = {Role.UNIT_OFFICER, Role.UNIT_HEAD}


def _require_manager(actor: User, campaign: Campaign) -> None:
    """Changes to a campaign's reports: Nội vụ of the body running it (docs/security.md R19)."""
    if not rules.can_manage_reports_of(actor, campaign):
        raise PermissionDenied


def _require_reader(actor: User) -> None:
    """Nội vụ's reading side (aggregates, annexes): the role, as the pages (city-wide)."""
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
    _require_manager(actor, campaign)
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
    _require_manager(actor, campaign)
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
        campaign_services.campaign_figures_changed(campaign.pk)
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
