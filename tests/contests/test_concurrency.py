"""Races on PostgreSQL: doubled submissions and simultaneous starts from two tabs."""

import contextlib
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.contests.conftest import open_round
from thidua.contests import hotpath, services
from thidua.contests.models import AttemptsPolicy, Submission

pytestmark = pytest.mark.django_db(transaction=True)


def _race(target, count):
    barrier = threading.Barrier(count)
    results: list[object] = []

    def run(i):
        try:
            barrier.wait()
            results.append(target(i))
        except ValidationError as exc:
            results.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture
def _postgres_only():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL in CI")


@pytest.mark.usefixtures("_postgres_only")
def test_eight_copies_of_one_submission_are_stored_once(round_, contestant):
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    key, answers = uuid.uuid4(), {str(attempt.questions[0][0]): "A"}
    results = _race(lambda i: hotpath.submit(str(attempt.token), key, answers, 4), 8)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 7 + [201]
    assert len({body["receipt"] for _, body in results}) == 1
    assert Submission.objects.filter(attempt=attempt).count() == 1


@pytest.mark.usefixtures("_postgres_only")
def test_different_keys_for_one_attempt_count_once(round_, contestant):
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    results = _race(lambda i: hotpath.submit(str(attempt.token), uuid.uuid4(), {}, i), 6)
    assert sorted(status for status, _ in results) == [201] + [409] * 5
    assert Submission.objects.filter(attempt=attempt).count() == 1


@pytest.mark.usefixtures("_postgres_only")
def test_simultaneous_starts_respect_the_limit(organiser, bank, contestant):
    round_ = open_round(organiser, bank, attempts_policy=AttemptsPolicy.LIMITED, max_attempts=2)

    def start_and_finish(i):
        attempt = services.attempt_start(contestant=contestant, round_=round_)
        hotpath.submit(str(attempt.token), uuid.uuid4(), {}, None)
        return attempt.number

    results = _race(start_and_finish, 6)
    numbers = sorted(round_.attempts.values_list("number", flat=True))
    # racers either resume the attempt a rival just opened or are refused: never a third
    assert numbers in ([1], [1, 2])
    assert all(r in {1, 2} or "hết số lần" in str(r) for r in results)
    for _ in range(3):  # then, one after another, the limit still holds
        with contextlib.suppress(ValidationError):
            start_and_finish(0)
    assert sorted(round_.attempts.values_list("number", flat=True)) == [1, 2]


@pytest.mark.usefixtures("_postgres_only")
def test_simultaneous_starts_with_one_phone_respect_the_limit(organiser, bank, city):
    """Six registrations of one number (six browsers) start at the same moment: one attempt."""
    contest = services.contest_update(actor=organiser, contest=bank, contact_field="phone")
    round_ = open_round(organiser, contest)
    people = [
        services.contestant_register(
            contest=contest,
            full_name="Nguyễn Thị Lan",
            birth_year=1990,
            unit=city.suoi_hoa,
            phone=["0912 345 678", "0912.345.678", "+84 912 345 678"][i % 3],
            consent=True,
        )
        for i in range(6)
    ]
    results = _race(lambda i: services.attempt_start(contestant=people[i], round_=round_), 6)
    assert round_.attempts.count() == 1
    refused = [r for r in results if isinstance(r, str)]
    assert len(refused) == 5
    assert set(refused) == {"Số điện thoại này đã dùng hết số lượt thi của vòng này."}


@pytest.mark.usefixtures("_postgres_only")
def test_a_double_click_on_start_resumes_the_attempt_just_opened(organiser, bank, city):
    """One registration starting twice at once (a double click, two tabs) waits on its phone's
    lock and then finds its own attempt open: both get it, neither hears the phone is used up."""
    contest = services.contest_update(actor=organiser, contest=bank, contact_field="phone")
    round_ = open_round(organiser, contest)
    me = services.contestant_register(
        contest=contest, full_name="Nguyễn Thị Lan", birth_year=1990, unit=city.suoi_hoa,
        phone="0912 345 678", consent=True,
    )  # fmt: skip
    results = _race(lambda i: services.attempt_start(contestant=me, round_=round_), 2)
    assert round_.attempts.count() == 1
    assert all(not isinstance(r, str) for r in results), results
    assert {r.pk for r in results} == {round_.attempts.get().pk}
