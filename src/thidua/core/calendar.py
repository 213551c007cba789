"""Working days: Vietnamese public holidays (the `holidays` package) plus the admin table."""

from datetime import date, timedelta
from functools import lru_cache

import holidays

from thidua.core.models import CalendarDay


@lru_cache(maxsize=32)
def _statutory(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def _overrides(start: date, end: date) -> dict[date, str]:
    rows = CalendarDay.objects.filter(day__range=(start, end)).values_list("day", "kind")
    return dict(rows)


def is_working_day(day: date, overrides: dict[date, str] | None = None) -> bool:
    if overrides is None:
        overrides = _overrides(day, day)
    kind = overrides.get(day)
    if kind is not None:
        return kind == CalendarDay.Kind.WORKING
    return day.weekday() < 5 and day not in _statutory(day.year)  # noqa: PLR2004 - Sat/Sun


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    overrides = _overrides(start, start + timedelta(days=days * 3 + 30))
    current, left = start, days
    while left:
        current += timedelta(days=1)
        if is_working_day(current, overrides):
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    overrides = _overrides(start, end)
    return sum(
        is_working_day(start + timedelta(days=i), overrides)
        for i in range(1, (end - start).days + 1)
    )
