"""One order for a moment on every page: date then time ("27/12/2022 14:00"), from the locale's
DATETIME_FORMAT (thidua.formats.vi), in Asia/Ho_Chi_Minh."""

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

import thidua
from thidua.contests import hotpath
from thidua.core.clock import datetime_text

MOMENT = datetime(2022, 12, 27, 7, 0, 5, tzinfo=UTC)  # 14:00:05 in Hà Nội


def test_a_moment_is_written_date_first_in_local_time():
    assert datetime_text(MOMENT) == "27/12/2022 14:00"
    assert datetime_text(MOMENT, seconds=True) == "27/12/2022 14:00:05"


def test_a_contest_receipt_gives_the_date_before_the_time():
    body = hotpath._receipt_body("ABCDEFGH23", MOMENT, 8, False)
    assert body["submitted_at"] == "27/12/2022 14:00:05"


@pytest.mark.django_db
def test_a_council_session_is_shown_date_first_and_worded_in_full_for_documents():
    from thidua.awards.council import when_shown, when_text
    from thidua.awards.models import CouncilSession

    session = CouncilSession(held_on=date(2022, 12, 27), starts_at=time(14, 0))
    assert when_shown(session) == "27/12/2022 14:00"
    assert when_text(session) == "14 giờ 00, ngày 27/12/2022"  # minutes, invitations
    assert when_shown(CouncilSession(held_on=date(2022, 12, 27))) == "27/12/2022"


# A template writing its own date-time format instead of "DATETIME_FORMAT": any |date: or
# |time: whose format holds both an hour ("H") and a day ("d") or a year ("Y").
_AD_HOC = re.compile(r"\|(?:date|time):[\"']([^\"']*)[\"']")


def test_no_template_writes_its_own_date_and_time_format():
    root = Path(thidua.__file__).parent
    found = [
        f"{path.relative_to(root)}: {fmt}"
        for path in root.rglob("*.html")
        for fmt in _AD_HOC.findall(path.read_text(encoding="utf-8"))
        if "H" in fmt and ("d" in fmt or "Y" in fmt)
    ]
    assert found == []
