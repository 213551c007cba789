"""Issue 18, M7: two organisers with the same question or round open never erase each other's
saved change; the same setting changed by both is refused in Vietnamese, the input kept."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import verified_client
from tests.contests.conftest import open_round
from tests.core.test_concurrency import Tab
from thidua.accounts.models import Role
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db

REFUSED = "người khác đã lưu nội dung khác ở"


@pytest.fixture
def clients(organiser, make_user):
    return verified_client(organiser), verified_client(make_user(Role.CONTEST_ORGANISER))


def _refused(response, label: str, typed: str) -> None:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"{REFUSED} “{label}”" in page
    assert typed in page  # what was typed stays on screen


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_two_tabs_editing_one_question_both_keep_their_change(bank, clients):
    question = bank.questions.order_by("pk").first()
    url = reverse("contests:question-edit", args=[question.pk])
    mine, theirs = Tab(clients[0], url), Tab(clients[1], url)
    assert mine.save(stem="Tổng Bí thư Nguyễn Văn Cừ sinh ở đâu?").status_code == 302
    assert theirs.save(source="Lịch sử Đảng bộ tỉnh").status_code == 302
    question.refresh_from_db()
    assert question.stem == "Tổng Bí thư Nguyễn Văn Cừ sinh ở đâu?"
    assert question.source == "Lịch sử Đảng bộ tỉnh"
    _refused(theirs.save(stem="Một câu khác?"), "câu hỏi", "Một câu khác?")
    question.refresh_from_db()
    assert question.stem == "Tổng Bí thư Nguyễn Văn Cừ sinh ở đâu?"


def test_two_tabs_editing_a_round_before_it_opens_both_keep_their_change(organiser, bank, clients):
    now = timezone.now()
    round_ = open_round(
        organiser, bank, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=3)
    )
    url = reverse("contests:round-edit", args=[round_.pk])
    mine, theirs = Tab(clients[0], url), Tab(clients[1], url)
    assert mine.save(question_count="12").status_code == 302
    assert theirs.save(prediction_text="Bao nhiêu người đạt điểm tối đa?").status_code == 302
    round_.refresh_from_db()
    assert round_.question_count == 12
    assert round_.prediction_text == "Bao nhiêu người đạt điểm tối đa?"
    assert [p["count"] for p in round_.prizes] == [1, 2, 5, 8]  # untouched by either page
    _refused(theirs.save(question_count="15"), "số câu hỏi", 'value="15"')
    round_.refresh_from_db()
    assert round_.question_count == 12


def test_two_tabs_editing_an_open_round_both_keep_their_change(organiser, bank, clients):
    round_ = open_round(organiser, bank)
    url = reverse("contests:round-edit", args=[round_.pk])
    mine, theirs = Tab(clients[0], url), Tab(clients[1], url)
    later = round_.closes_at + timedelta(days=1)
    assert mine.save(title="Vòng 1: Thân thế").status_code == 302
    assert theirs.save(closes_at=_local(later)).status_code == 302
    round_.refresh_from_db()
    assert round_.title == "Vòng 1: Thân thế"
    assert _local(round_.closes_at) == _local(later)
    _refused(theirs.save(title="Vòng một"), "tên vòng", "Vòng một")
    round_.refresh_from_db()
    assert round_.title == "Vòng 1: Thân thế"
    assert ActionLog.objects.filter(action="contests.round.updated").count() == 2


def test_two_tabs_editing_the_contest_settings_both_keep_their_change(contest, clients):
    url = reverse("contests:contest-settings", args=[contest.pk])
    mine, theirs = Tab(clients[0], url), Tab(clients[1], url)
    for tab in (mine, theirs):  # a ticked box has no value attribute for Tab to read
        tab.data["show_score_before_close"] = "on"
    assert mine.save(title="Cuộc thi tìm hiểu 110 năm").status_code == 302
    assert theirs.save(collective_first="2", collective_second="3").status_code == 302
    contest.refresh_from_db()
    assert contest.title == "Cuộc thi tìm hiểu 110 năm"
    assert [p["count"] for p in contest.collective_prizes] == [2, 3]
    assert contest.show_score_before_close
    _refused(theirs.save(title="Cuộc thi khác"), "tên cuộc thi", "Cuộc thi khác")
    contest.refresh_from_db()
    assert contest.title == "Cuộc thi tìm hiểu 110 năm"
