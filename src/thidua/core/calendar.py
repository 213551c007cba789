"""Working days: Vietnamese public holidays (the `holidays` package) plus the admin table."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from thidua.core.models import CalendarDay


@lru_cache(maxsize=32)
def _statutory(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


class WorkingCalendar:
    """Working-day arithmetic over a window, with the admin table read once."""

    def __init__(self, start: date, end: date) -> None:
        rows = CalendarDay.objects.filter(day__range=(start, end)).values_list("day", "kind")
        self.overrides: dict[date, str] = dict(rows)

    def is_working_day(self, day: date) -> bool:
        kind = self.overrides.get(day)
        if kind is not None:
            return kind == CalendarDay.Kind.WORKING
        return day.weekday() < 5 and day not in _statutory(day.year)  # noqa: PLR2004 - Sat/Sun

    def shift(self, start: date, days: int) -> date:
        """`days` working days after (or before, if negative) `start`; start is not counted."""
        step = timedelta(days=1 if days >= 0 else -1)
        current, left = start, abs(days)
        while left:
            current += step
            if self.is_working_day(current):
                left -= 1
        return current


def _window(start: date, days: int) -> WorkingCalendar:
    span = timedelta(days=abs(days) * 3 + 30)  # Tết can add ten days off to a fortnight
    return WorkingCalendar(start - span, start + span)


def is_working_day(day: date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    return _window(start, days).shift(start, days)


def subtract_working_days(start: date, days: int) -> date:
    """The date `days` working days before `start`."""
    if days < 0:
        raise ValueError("days must be >= 0")
    return _window(start, days).shift(start, -days)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    calendar = WorkingCalendar(start, end)
    return sum(
        calendar.is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1)
    )
