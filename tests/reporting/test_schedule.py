from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from thidua.core.calendar import add_working_days, subtract_working_days
from thidua.reporting.schedule import next_reminder_time, reminder_days

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_working_days_around_tet_2023():
    # Tết Quý Mão: 20/1–26/1/2023 off. Friday 19/1 + 1 working day is Friday 27/1.
    assert add_working_days(date(2023, 1, 19), 1) == date(2023, 1, 27)
    assert subtract_working_days(date(2023, 1, 27), 1) == date(2023, 1, 19)


def test_working_days_around_30_4_and_1_5_2023():
    # 29/4–3/5/2023 off (30/4 and 1/5 with the swapped days); Friday 28/4 + 1 is Thursday 4/5.
    assert add_working_days(date(2023, 4, 28), 1) == date(2023, 5, 4)


def test_seed_schedule_before_15_12_2022():
    days = reminder_days(due=date(2022, 12, 15), offsets=[-5, -2, -1, 0], repeat_every=2)
    assert days[:4] == [
        date(2022, 12, 8),
        date(2022, 12, 13),
        date(2022, 12, 14),
        date(2022, 12, 15),
    ]
    assert days[4:6] == [date(2022, 12, 19), date(2022, 12, 21)]  # every 2 working days after


def test_next_reminder_is_at_eight_on_the_next_scheduled_day():
    after = datetime(2022, 12, 13, 9, 0, tzinfo=HCM)
    assert next_reminder_time(
        due=date(2022, 12, 15), offsets=[-5, -2, -1, 0], repeat_every=2, after=after
    ) == (datetime(2022, 12, 14, 8, 0, tzinfo=HCM))
