"""Reminders before and after the deadline, claimed once per run."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from thidua.accounts.models import Role
from thidua.campaigns.selectors import non_reporting_unit_ids
from thidua.campaigns.services import campaign_figures_changed
from thidua.core.calendar import working_days_between
from thidua.core.clock import now
from thidua.notifications.services import digest_add, notify
from thidua.organizations.selectors import users_with_role_in
from thidua.reporting.models import (
    OWED,
    Reminder,
    ReportAssignment,
)
from thidua.reporting.schedule import next_reminder_time
from thidua.reporting.services.requests import UNIT_ROLES

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
            campaign_figures_changed(campaign.pk)
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
