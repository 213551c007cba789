from datetime import date

import pytest

from thidua.core.calendar import add_working_days, is_working_day, working_days_between
from thidua.core.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_national_day_and_weekend_are_skipped():
    # Thursday 1/9/2022; 2/9 (Fri) is National Day, then the weekend.
    assert add_working_days(date(2022, 9, 1), 1) == date(2022, 9, 5)


def test_ten_working_days_for_the_interim_report():
    # Domain guide §13: interim review from Monday 11/7/2022, report due in 10 working days.
    assert add_working_days(date(2022, 7, 11), 10) == date(2022, 7, 25)


def test_admin_day_off_and_make_up_day():
    CalendarDay.objects.create(day=date(2022, 9, 5), kind=CalendarDay.Kind.DAY_OFF, note="Nghỉ bù")
    CalendarDay.objects.create(day=date(2022, 9, 10), kind=CalendarDay.Kind.WORKING, note="Làm bù")
    assert not is_working_day(date(2022, 9, 5))
    assert is_working_day(date(2022, 9, 10))
    assert add_working_days(date(2022, 9, 1), 1) == date(2022, 9, 6)
    assert working_days_between(date(2022, 9, 1), date(2022, 9, 10)) == 5


def test_tet_holiday():
    # Tết Nhâm Dần 2022: the statutory days around 1/2/2022 are not working days.
    assert not is_working_day(date(2022, 2, 1))
