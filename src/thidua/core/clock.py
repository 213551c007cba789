"""The one source of "now" so tests can travel in time and dates use Asia/Ho_Chi_Minh."""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today_local() -> date:
    return timezone.localdate(timezone.now())


def datetime_text(moment: datetime, *, seconds: bool = False) -> str:
    """A moment as every page shows it, in local time: the locale's DATETIME_FORMAT
    (thidua.formats.vi: "27/12/2022 14:00", date first); `seconds` adds ":05" to the time.
    Official documents keep their own wording ("14 giờ 00, ngày 27/12/2022")."""
    from django.utils.formats import date_format, get_format

    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    fmt = get_format("DATETIME_FORMAT")
    return date_format(local, fmt.replace("H:i", "H:i:s") if seconds else fmt)
