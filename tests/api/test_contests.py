"""Contest rounds and published results through the API: nothing before the ranking is
published, and contestants appear only as on the public results page."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.factories.xlsx import xlsx_upload
from thidua.accounts.models import Role
from thidua.campaigns.models import Delivery
from thidua.contests import services
from thidua.contests.models import Attempt, AttemptsPolicy, Contestant, Submission

pytestmark = pytest.mark.django_db

BASE = timezone.now().replace(microsecond=0)


@pytest.fixture
def organiser(make_user):
    return make_user(Role.CONTEST_ORGANISER)


@pytest.fixture
def rounds(organiser, campaign, city):
    contest = services.contest_create(
        actor=organiser, campaign=campaign, organiser_unit=city.centre, title="Tìm hiểu"
    )
    services.question_import(
        actor=organiser,
        contest=contest,
        upload=xlsx_upload([HEADERS, *question_rows(20)]),
        filename="cau-hoi.xlsx",
    )
    closed = open_round(
        organiser,
        contest,
        opens_at=BASE - timedelta(days=7),
        closes_at=BASE - timedelta(days=1),
        attempts_policy=AttemptsPolicy.UNLIMITED,
        prizes=[{"tier": "first", "count": 1}, {"tier": "second", "count": 1}],
    )
    running = open_round(organiser, contest)
    for name, score, unit in (("Nguyễn Thị Lan", 10, city.suoi_hoa), ("Trần Văn Bình", 9, None),
                              ("Lê Văn Cường", 7, city.vu_ninh)):  # fmt: skip
        person = Contestant.objects.create(
            contest=contest, full_name=name, birth_year=1987, unit=unit, unit_text="Tổ 5 Ninh Xá",
            phone="0912345678", email="lan@example.vn", consent_at=BASE,
        )  # fmt: skip
        attempt = Attempt.objects.create(
            round=closed, contestant=person, number=1, started_at=BASE, deadline=BASE
        )
        Submission.objects.create(
            attempt=attempt, round=closed, contestant=person, unit=unit,
            idempotency_key=uuid.uuid4(), payload_hash="x", receipt=uuid.uuid4().hex[:10],
            score=score, prediction=1, duration_ms=60_000, submitted_at=closed.opens_at,
        )  # fmt: skip
    return contest, closed, running


def test_contests_and_rounds_of_a_campaign(campaign, rounds, issue):
    _, closed, running = rounds
    _, api = issue()
    response = api.get(f"/api/v1/campaigns/{campaign.pk}/contests")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == "Tìm hiểu"
    assert [(r["id"], r["state"]) for r in item["rounds"]] == [
        (closed.pk, "closed"),
        (running.pk, "open"),
    ]
    assert item["rounds"][0]["prizes"] == [
        {"tier": "first", "count": 1},
        {"tier": "second", "count": 1},
    ]
    assert item["rounds"][0]["results_published_at"] is None


def test_results_only_after_the_round_is_closed_and_ranked(organiser, rounds, issue):
    _, closed, running = rounds
    _, api = issue()
    for r in (closed, running):
        response = api.get(f"/api/v1/contest-rounds/{r.pk}/results")
        assert response.status_code == 409
        assert response.json()["code"] == "results_not_published"
        assert response.json()["message"] == "Kết quả vòng thi này chưa được công bố."

    services.round_rank(actor=organiser, round_=closed, actual_value=1)
    response = api.get(f"/api/v1/contest-rounds/{closed.pk}/results")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["participants"], body["submissions"], body["all_correct"]) == (3, 3, 1)
    assert body["actual_value"] == 1
    assert body["count"] == 2
    assert body["items"] == [
        {"rank": 1, "prize": "first", "prize_name": "Giải Nhất", "full_name": "Nguyễn Thị Lan",
         "unit": "Phường Suối Hoa", "score": 10},
        {"rank": 2, "prize": "second", "prize_name": "Giải Nhì", "full_name": "Trần Văn Bình",
         "unit": "Tổ 5 Ninh Xá", "score": 9},
    ]  # fmt: skip
    text = response.content.decode()
    for private in ("0912345678", "lan@example.vn", "1987", "Lê Văn Cường"):
        assert private not in text
    contests = api.get(f"/api/v1/campaigns/{closed.contest.campaign_id}/contests").json()
    assert contests["items"][0]["rounds"][0]["state"] == "published"


def test_results_of_a_campaign_not_sent_to_the_unit_are_not_found(organiser, rounds, issue, city):
    _, closed, _ = rounds
    services.round_rank(actor=organiser, round_=closed, actual_value=1)
    Delivery.objects.filter(campaign=closed.contest.campaign, unit=city.vu_ninh).delete()
    _, api = issue(city.vu_ninh)
    assert api.get(f"/api/v1/contest-rounds/{closed.pk}/results").status_code == 404
    assert api.get(f"/api/v1/campaigns/{closed.contest.campaign_id}/contests").status_code == 404
    _, mine = issue(city.suoi_hoa)
    assert mine.get(f"/api/v1/contest-rounds/{closed.pk}/results").status_code == 200
