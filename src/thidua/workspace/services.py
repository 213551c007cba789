"""The summary mail of what waits for each user (daily or weekly, their choice)."""

from datetime import datetime, time

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from thidua.core.calendar import is_working_day
from thidua.core.clock import now
from thidua.notifications.models import MailPreference
from thidua.notifications.services import mail_queue, summary_claim
from thidua.workspace.selectors import Workspace, workspace_for

SUMMARY_TIME = time(7, 0)  # local time, before the working day
MONDAY = 0


def summary_text(ws: Workspace) -> str:
    lines = []
    for section in ws.busy:
        lines.append(f"{section.title}: {section.count}")
        for item in section.items:
            due = ""
            if item.due:
                due = f" ({'quá hạn' if item.overdue else item.due_label} {item.due:%d/%m/%Y})"
            lines.append(f"- {item.text[:140]}{due}: {settings.SITE_URL}{item.url}")
        lines.append("")
    if ws.overview:
        lines.append("Các phong trào đang triển khai:")
        lines.extend(
            f"- {row['campaign'].title[:120]}: {row['received']}/{row['total']} báo cáo, "
            f"{row['late_units']} đơn vị chậm, {row['in_pipeline']} hồ sơ khen thưởng đang xử lý"
            for row in ws.overview
        )
        lines.append("")
    lines.append(f"Xem đầy đủ: {settings.SITE_URL}{reverse('workspace:home')}")
    lines.append(
        f"Đổi tùy chọn nhận thư: {settings.SITE_URL}{reverse('notifications:preferences')}"
    )
    return "\n".join(lines)


def summaries_send_due(at: datetime | None = None) -> int:
    """Periodic job: on working days from SUMMARY_TIME, each user who asked gets one mail of
    what waits (weekly: Mondays). Each preference is claimed by compare-and-set on the day,
    so two schedulers never send twice; a daily mail with nothing waiting is skipped."""
    local = timezone.localtime(at or now())
    day = local.date()
    if local.time() < SUMMARY_TIME or not is_working_day(day):
        return 0
    kinds = [MailPreference.Summary.DAILY]
    if day.weekday() == MONDAY:
        kinds.append(MailPreference.Summary.WEEKLY)
    due = (
        MailPreference.objects.filter(summary__in=kinds, user__is_active=True)
        .exclude(last_summary_on=day)
        .select_related("user")
    )
    sent = 0
    for pref in due[:1000]:
        with transaction.atomic():
            if not summary_claim(pref=pref, day=day):
                continue
            ws = workspace_for(actor=pref.user)
            weekly = pref.summary == MailPreference.Summary.WEEKLY
            if not ws.total and not ws.overview and not weekly:
                continue
            period = "tuần" if weekly else "ngày"
            subject = f"Việc cần làm {period} {day:%d/%m/%Y}: {ws.total} việc đang chờ"
            sent += mail_queue(to=[pref.user.email], subject=subject, body=summary_text(ws))
    return sent
