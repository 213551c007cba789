import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.contests.conftest import open_round
from thidua.contests import selectors, services
from thidua.contests.models import (
    Attempt,
    AttemptsPolicy,
    Contestant,
    PredictionKind,
    RankEntry,
    Submission,
)

pytestmark = pytest.mark.django_db

BASE = timezone.now().replace(microsecond=0)


@pytest.fixture
def closed_round(organiser, bank):
    return open_round(
        organiser,
        bank,
        opens_at=BASE - timedelta(days=7),
        closes_at=BASE - timedelta(days=1),
        attempts_policy=AttemptsPolicy.UNLIMITED,
        prizes=[
            {"tier": "first", "count": 1},
            {"tier": "second", "count": 2},
            {"tier": "third", "count": 1},
        ],
    )


def entry(round_, name, score, prediction, seconds, at_minute, person=None):
    person = person or Contestant.objects.create(
        contest=round_.contest, full_name=name, birth_year=1990, consent_at=BASE
    )
    number = Attempt.objects.filter(round=round_, contestant=person).count() + 1
    attempt = Attempt.objects.create(
        round=round_, contestant=person, number=number, started_at=BASE, deadline=BASE
    )
    Submission.objects.create(
        attempt=attempt, round=round_, contestant=person, idempotency_key=uuid.uuid4(),
        payload_hash="x", receipt=uuid.uuid4().hex[:10], score=score, prediction=prediction,
        duration_ms=seconds * 1000,
        submitted_at=round_.opens_at + timedelta(minutes=at_minute),
    )  # fmt: skip
    return person


def ranked(organiser, round_, actual=100):
    services.round_rank(actor=organiser, round_=round_, actual_value=actual)
    return [(e.contestant.full_name, e.rank, e.prize) for e in selectors.round_ranking(round_)]


def test_score_comes_first(organiser, closed_round):
    entry(closed_round, "Thấp", 8, 100, 10, 1)
    entry(closed_round, "Cao", 9, 5000, 900, 99)
    assert [n for n, _, _ in ranked(organiser, closed_round)] == ["Cao", "Thấp"]


def test_then_closeness_of_the_prediction(organiser, closed_round):
    entry(closed_round, "Xa", 9, 130, 10, 1)
    entry(closed_round, "Gần dưới", 9, 95, 500, 50)
    entry(closed_round, "Không đoán", 9, None, 5, 0)
    assert [n for n, _, _ in ranked(organiser, closed_round)] == ["Gần dưới", "Xa", "Không đoán"]


def test_then_shorter_time_then_earlier_submission(organiser, closed_round):
    entry(closed_round, "Chậm", 9, 100, 300, 1)
    entry(closed_round, "Nhanh muộn", 9, 100, 200, 30)
    entry(closed_round, "Nhanh sớm", 9, 100, 200, 20)
    assert [n for n, _, _ in ranked(organiser, closed_round)] == [
        "Nhanh sớm", "Nhanh muộn", "Chậm",
    ]  # fmt: skip


def test_best_attempt_counts_once_per_person(organiser, closed_round):
    lan = entry(closed_round, "Lan", 5, 100, 100, 1)
    entry(closed_round, "Lan", 9, 100, 100, 2, person=lan)
    entry(closed_round, "Bình", 7, 100, 100, 3)
    result = ranked(organiser, closed_round)
    assert [(n, r) for n, r, _ in result] == [("Lan", 1), ("Bình", 2)]
    assert RankEntry.objects.get(contestant=lan).score == 9


def test_prizes_by_structure_with_exact_ties(organiser, closed_round):
    # 1 first, 2 second, 1 third; two people tie on everything for second place
    entry(closed_round, "A", 10, 100, 100, 1)
    entry(closed_round, "B", 9, 100, 100, 2)
    entry(closed_round, "C", 9, 100, 100, 2)
    entry(closed_round, "D", 8, 100, 100, 3)
    entry(closed_round, "E", 7, 100, 100, 4)
    result = ranked(organiser, closed_round)
    assert [(r, p) for _, r, p in result] == [
        (1, "first"), (2, "second"), (2, "second"), (4, "third"), (5, ""),
    ]  # fmt: skip


def test_a_tie_for_first_shares_first_and_pushes_the_next_rank(organiser, closed_round):
    for name in ("A", "B"):
        entry(closed_round, name, 10, 100, 100, 1)
    entry(closed_round, "C", 9, 100, 100, 1)
    entry(closed_round, "D", 8, 100, 100, 1)
    entry(closed_round, "E", 7, 100, 100, 1)
    assert [(r, p) for _, r, p in ranked(organiser, closed_round)] == [
        (1, "first"), (1, "first"), (3, "second"), (4, "third"), (5, ""),
    ]  # fmt: skip
    assert [w.contestant.full_name for w in selectors.round_winners(closed_round)] == [
        "A", "B", "C", "D",
    ]  # fmt: skip


def test_actual_value_from_the_submissions(organiser, closed_round):
    entry(closed_round, "A", closed_round.question_count, 2, 100, 1)
    entry(closed_round, "B", closed_round.question_count, 9, 100, 1)
    entry(closed_round, "C", 3, 2, 100, 1)
    services.round_rank(actor=organiser, round_=closed_round)
    closed_round.refresh_from_db()
    assert closed_round.actual_value == 2  # two all-correct entries
    closed_round.prediction_kind = PredictionKind.PARTICIPANTS
    assert services.round_actual_value(closed_round) == 3


def test_ranking_only_after_closing_and_repeatable(organiser, round_):
    with pytest.raises(ValidationError, match="sau khi vòng thi kết thúc"):
        services.round_rank(actor=organiser, round_=round_)
    entry(round_, "A", 5, 1, 10, 1)
    with (
        time_machine.travel(round_.closes_at + timedelta(seconds=1)),
        pytest.raises(ValidationError, match="dành cho bài đang làm dở"),
    ):
        services.round_rank(actor=organiser, round_=round_)  # attempts may still come in
    with time_machine.travel(round_.closes_at + timedelta(seconds=round_.grace_seconds)):
        services.round_rank(actor=organiser, round_=round_, actual_value=1)
        services.round_rank(actor=organiser, round_=round_, actual_value=1)
    assert RankEntry.objects.filter(round=round_).count() == 1
