"""How the council's pages and minutes write percentages, thresholds, nominees and times."""

from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format, number_format, time_format

from thidua.awards.models import CouncilSession, Nominee


def percent_text(part: int, total: int) -> str:
    """ "81,8%": one decimal with the Vietnamese decimal comma; whole numbers without it."""
    if not total:
        return "0%"
    value = (Decimal(100) * part / total).quantize(Decimal("0.1"))
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{number_format(value, decimal_pos=1, use_l10n=True)}%"


def threshold_text(threshold: Decimal) -> str:
    """The rule's threshold as printed: "50%", "66,67%"."""
    value = Decimal(threshold).normalize()
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{number_format(value, use_l10n=True)}%"


def nominee_label(nominee: Nominee) -> str:
    """ "Bà Vũ Thị Hạnh, Chuyên viên, Phường Suối Hoa", "Hộ ông Nguyễn Văn Hùng, Tổ dân phố 3,
    phường Suối Hoa" or "Tập thể Đoàn Thanh niên …"."""
    if nominee.person_id and nominee.person is not None:
        p = nominee.person
        unit = p.unit.short_name or p.unit.name if p.unit_id else ""
        return ", ".join(x for x in (f"{p.salutation} {p.full_name}", p.position, unit) if x)
    if nominee.household_id and nominee.household is not None:
        return f"{nominee.household}, {nominee.household.full_address}"
    return f"Tập thể {nominee.unit}"


def session_url(session: CouncilSession) -> str:
    return reverse("awards:session", args=[session.pk])


def when_text(session: CouncilSession) -> str:
    """ "14 giờ 00, ngày 27/12/2022" (the hour only when it is set)."""
    day = f"ngày {session.held_on:%d/%m/%Y}"
    return f"{session.starts_at:%H} giờ {session.starts_at:%M}, {day}" if session.starts_at else day


def when_shown(session: CouncilSession) -> str:
    """ "27/12/2022 14:00": the session's day and hour as every page writes a moment (the
    locale's DATE_FORMAT and TIME_FORMAT); when_text words it for the minutes and invitations."""
    day = date_format(session.held_on, "DATE_FORMAT")
    return f"{day} {time_format(session.starts_at, 'TIME_FORMAT')}" if session.starts_at else day
