"""When reminders fall: working-day offsets around the due date, then every N working days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from thidua.core.calendar import WorkingCalendar

REMINDER_TIME = time(8, 0)  # reminders go out at the start of the working day
MAX_OVERDUE_REMINDERS = 30


def at_reminder_time(day: date) -> datetime:
    return datetime.combine(day, REMINDER_TIME, tzinfo=ZoneInfo(settings.TIME_ZONE))


def reminder_days(*, due: date, offsets: list[int], repeat_every: int) -> list[date]:
    """Every day a reminder is scheduled, in order (overdue repeats bounded); one calendar read."""
    before = min([0, *offsets])
    calendar = WorkingCalendar(
        due + timedelta(days=before * 3 - 30),
        due + timedelta(days=(repeat_every * MAX_OVERDUE_REMINDERS) * 3 + 30),
    )
    days = sorted({calendar.shift(due, o) for o in offsets})
    overdue = due
    for _ in range(MAX_OVERDUE_REMINDERS if repeat_every else 0):
        overdue = calendar.shift(overdue, repeat_every)
        days.append(overdue)
    return days


def next_reminder_time(
    *, due: date, offsets: list[int], repeat_every: int, after: datetime
) -> datetime | None:
    for day in reminder_days(due=due, offsets=offsets, repeat_every=repeat_every):
        moment = at_reminder_time(day)
        if moment > after:
            return moment
    return None
