"""The one source of "now" so tests can travel in time and dates use Asia/Ho_Chi_Minh."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today_local() -> date:
    return timezone.localdate(timezone.now())
