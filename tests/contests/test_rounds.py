"""Rounds editable after creation (everything before opening, safe fields while open) and
practice rounds (thi thử)."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import verified_client
from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.factories.xlsx import xlsx_upload
from thidua.contests import hotpath, services
from thidua.contests.models import AttemptsPolicy, PredictionKind, Round
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def future(organiser, bank):
    now = timezone.now()
    return open_round(
        organiser, bank, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=8)
    )


def test_before_opening_every_setting_changes_and_the_pool_is_taken_again(organiser, future):
    services.question_import(
        actor=organiser, contest=future.contest, filename="b.xlsx",
        upload=xlsx_upload([HEADERS, *question_rows(5, prefix="Câu bổ sung")]),
    )  # fmt: skip
    version = future.key_version
    r = services.round_update(
        actor=organiser, round_=future, time_limit_seconds=1200, question_count=20,
        attempts_policy=AttemptsPolicy.LIMITED, max_attempts=3,
        prediction_kind=PredictionKind.PARTICIPANTS, prediction_text="",
        prizes=[{"tier": "first", "count": 2}],
        mix=[{"topic": "Tiểu sử", "difficulty": "", "count": 5}],
    )  # fmt: skip
    r.refresh_from_db()
    assert (r.time_limit_seconds, r.question_count, r.attempt_limit) == (1200, 20, 3)
    assert r.prediction_text == "Dự đoán có bao nhiêu người tham gia vòng thi này?"
    assert r.prizes == [{"tier": "first", "count": 2}]
    assert r.pool.count() == 45  # the 5 questions added after creation are in the pool
    assert r.key_version == version + 1
    log = ActionLog.objects.get(action="contests.round.updated")
    assert log.data["time_limit_seconds"] == {"from": 900, "to": 1200}
    assert log.data["pool"] == 45


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closes_at_days": 0.5}, "Thời điểm đóng phải sau thời điểm mở."),
        ({"attempts_policy": AttemptsPolicy.LIMITED}, "Hãy nhập số lần dự thi tối đa."),
        ({"question_count": 41}, "Ngân hàng có 40 câu hỏi, không đủ để rút 41 câu."),
        ({"pool_topic": "Không có"}, "Ngân hàng không có câu hỏi nào thuộc chủ đề “Không có”."),
        ({"time_limit_seconds": 30}, "thời gian làm bài ít nhất 1 phút"),
    ],
)
def test_validation_in_vietnamese(organiser, future, change, message):
    if "closes_at_days" in change:
        change = {"closes_at": timezone.now() + timedelta(days=change.pop("closes_at_days"))}
    with pytest.raises(ValidationError, match=message):
        services.round_update(actor=organiser, round_=future, **change)
    assert not ActionLog.objects.filter(action="contests.round.updated").exists()


def test_an_open_round_takes_only_the_title_and_a_later_close(organiser, round_, contestant):
    with pytest.raises(ValidationError, match="không sửa được: thời gian làm bài, cơ cấu giải"):
        services.round_update(actor=organiser, round_=round_, time_limit_seconds=600, prizes=[])
    with pytest.raises(ValidationError, match="không được đóng sớm hơn"):
        services.round_update(
            actor=organiser, round_=round_, closes_at=round_.closes_at - timedelta(hours=1)
        )
    # an attempt started near the close is cut short by it, then follows the extension
    near_close = round_.closes_at - timedelta(minutes=5)
    with time_machine.travel(near_close, tick=False):
        attempt = services.attempt_start(contestant=contestant, round_=round_)
        assert attempt.deadline == round_.closes_at + timedelta(seconds=10)
        services.round_update(
            actor=organiser, round_=round_, title="Vòng 1 (gia hạn)",
            closes_at=round_.closes_at + timedelta(days=1),
        )  # fmt: skip
    attempt.refresh_from_db()
    assert attempt.deadline == near_close + timedelta(seconds=900 + 10)
    log = ActionLog.objects.get(action="contests.round.updated")
    assert log.data["attempts_extended"] == 1
    assert log.data["title"]["to"] == "Vòng 1 (gia hạn)"


def test_a_closed_round_cannot_change(organiser, round_):
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    round_.refresh_from_db()
    with pytest.raises(ValidationError, match="Vòng thi đã kết thúc"):
        services.round_update(actor=organiser, round_=round_, title="Khác")


def test_edit_page_before_opening(organiser, future):
    client = verified_client(organiser)
    url = reverse("contests:round-edit", args=[future.pk])
    page = client.get(url)
    form = page.context["form"]
    assert form.initial["time_limit_minutes"] == 15
    assert "prediction_kind" in form.fields
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"time_limit_minutes": "20", "first": "3"})
    data.pop("is_practice")  # an unticked box is not sent
    assert client.post(url, data).status_code == 302
    future.refresh_from_db()
    assert future.time_limit_seconds == 1200
    assert future.prizes[0] == {"tier": "first", "count": 3}
    detail = client.get(reverse("contests:round-detail", args=[future.pk])).content.decode()
    assert "Sửa vòng thi" in detail
    data["closes_at"] = "01/01/2000 08:00"
    page = client.post(url, data)
    assert "Thời điểm đóng phải sau thời điểm mở." in page.content.decode()


def test_edit_page_of_an_open_round_offers_the_safe_fields(organiser, round_):
    client = verified_client(organiser)
    url = reverse("contests:round-edit", args=[round_.pk])
    page = client.get(url)
    assert {f.name for f in page.context["form"].visible_fields()} == {"title", "closes_at"}
    assert "chỉ được sửa tên vòng và gia hạn thời điểm đóng" in page.content.decode()
    later = timezone.localtime(round_.closes_at + timedelta(days=2)).strftime("%d/%m/%Y %H:%M")
    assert client.post(url, {"title": "Vòng 1", "closes_at": later}).status_code == 302
    earlier = timezone.localtime(round_.closes_at - timedelta(days=4)).strftime("%d/%m/%Y %H:%M")
    page = client.post(url, {"title": "Vòng 1", "closes_at": earlier})
    assert "không được đóng sớm hơn" in page.content.decode()


def test_practice_round_is_unlimited_scored_at_once_and_never_ranked(organiser, bank, contestant):
    services.contest_update(actor=organiser, contest=bank, show_score_before_close=False)
    practice = open_round(
        organiser, bank, is_practice=True, attempts_policy=AttemptsPolicy.ONE, pool_topic="Tiểu sử"
    )
    assert practice.attempts_policy == AttemptsPolicy.UNLIMITED
    assert practice.prizes == []
    assert practice.title == "Vòng thi thử 1"
    assert {q.topic for q in practice.pool.all()} == {"Tiểu sử"}
    for _ in range(3):  # as often as the contestant likes
        attempt = services.attempt_start(contestant=contestant, round_=practice)
        status, body = hotpath.submit(str(attempt.token), uuid.uuid4(), {}, None)
        assert status == 201
        assert body["score"] == 0  # the score shows although the contest hides scores
    client = Client()
    receipt = client.get(reverse("contests:receipt", args=[attempt.token])).content.decode()
    assert "Biên nhận bài thi thử" in receipt
    assert 'id="score"' in receipt
    Round.objects.filter(pk=practice.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    practice.refresh_from_db()
    with pytest.raises(ValidationError, match="Vòng thi thử không xếp hạng"):
        services.round_rank(actor=organiser, round_=practice)


def test_practice_round_on_the_public_page(organiser, bank):
    open_round(organiser, bank, is_practice=True, title="Vòng thi thử (mở để dùng thử)")
    page = Client().get(reverse("contests:public-contest", args=[bank.pk])).content.decode()
    # The marker once, as a badge beside the name, never a suffix repeating a name that says it
    # already (review: "Vòng thi thử (mở để dùng thử) (thi thử)").
    assert '<h3>Vòng thi thử (mở để dùng thử) <span class="tag">Thi thử</span></h3>' in page
    assert "(thi thử)" not in page
    assert "không xếp hạng, không tính giải" in page


def test_a_practice_round_never_shares_questions_with_a_running_scored_round(organiser, bank):
    """Scores shown at once and unlimited attempts would reveal the answers one by one."""
    scored = open_round(organiser, bank, pool_topic="Hoạt động cách mạng")
    with pytest.raises(ValidationError, match="trùng với “Vòng 1”"):
        open_round(organiser, bank, is_practice=True)  # the whole bank
    practice = open_round(organiser, bank, is_practice=True, pool_topic="Tiểu sử")
    assert not set(practice.pool.all()) & set(scored.pool.all())
    upcoming = services.round_create(
        actor=organiser,
        contest=bank,
        opens_at=scored.closes_at,
        closes_at=scored.closes_at + timedelta(days=7),
        pool_topic="Hoạt động cách mạng",
    )
    with pytest.raises(ValidationError, match="Câu hỏi của vòng thi thử"):
        services.round_update(actor=organiser, round_=upcoming, pool_topic="")


def test_organiser_reads_time_in_minutes_and_the_real_attempt_limit(organiser, bank):
    """The round's page and the contest's list say "20 phút" and "Tối đa 3 lần", not "1200 giây"
    nor the choice's placeholder "Tối đa N lần"."""
    limited = open_round(
        organiser, bank, time_limit_seconds=1200,
        attempts_policy=AttemptsPolicy.LIMITED, max_attempts=3,
    )  # fmt: skip
    client = verified_client(organiser)
    for url in (
        reverse("contests:round-detail", args=[limited.pk]),
        reverse("contests:contest-detail", args=[bank.pk]),
    ):
        page = client.get(url).content.decode()
        assert "20 phút" in page
        assert "Tối đa 3 lần, lấy kết quả cao nhất" in page
        assert "1200 giây" not in page
        assert "Tối đa N lần" not in page
