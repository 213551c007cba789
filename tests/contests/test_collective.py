"""Collective prizes for units: expected participants, standings, allocation with ties."""

import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import make_unit, verified_client
from tests.contests.conftest import open_round
from tests.factories.cards import phone_cards
from tests.factories.xlsx import xlsx_upload
from thidua.contests import services
from thidua.contests.models import (
    Attempt,
    AttemptsPolicy,
    CollectiveBasis,
    Contestant,
    Submission,
)
from thidua.core.models import ActionLog
from thidua.organizations.models import UnitKind

pytestmark = pytest.mark.django_db

BASE = timezone.now().replace(microsecond=0)
PRIZES = [{"tier": "first", "count": 1}, {"tier": "second", "count": 1},
          {"tier": "third", "count": 1}]  # fmt: skip


@pytest.fixture
def wards(city):
    def ward(code, name, headcount=None):
        return make_unit(code, f"Ủy ban nhân dân phường {name}", UnitKind.WARD, city.city,
                         short_name=f"Phường {name}", headcount=headcount)  # fmt: skip

    return {
        "a": ward("P-A", "Đại Phúc"),
        "b": ward("P-B", "Đáp Cầu"),
        "c": ward("P-C", "Hạp Lĩnh"),
        "d": ward("P-D", "Hòa Long", headcount=8),
        "e": ward("P-E", "Khắc Niệm"),
        "f": ward("P-F", "Kim Chân"),
    }


@pytest.fixture
def closed(organiser, bank):
    round_ = open_round(
        organiser, bank, opens_at=BASE - timedelta(days=7), closes_at=BASE - timedelta(days=1),
        attempts_policy=AttemptsPolicy.UNLIMITED,
    )  # fmt: skip
    services.contest_update(actor=organiser, contest=bank, collective_prizes=PRIZES)
    return round_


def entrants(round_, unit, n, attempts=1):
    for i in range(n):
        person = Contestant.objects.create(
            contest=round_.contest, full_name=f"Người {unit.code} {i}", birth_year=1990,
            unit=unit, consent_at=BASE,
        )  # fmt: skip
        for number in range(1, attempts + 1):
            attempt = Attempt.objects.create(
                round=round_, contestant=person, number=number, started_at=BASE, deadline=BASE
            )
            Submission.objects.create(
                attempt=attempt, round=round_, contestant=person, unit=unit,
                idempotency_key=uuid.uuid4(), payload_hash="x", receipt=uuid.uuid4().hex[:10],
                score=5, duration_ms=1000, submitted_at=round_.opens_at,
            )  # fmt: skip


def targets(organiser, contest, wards, **figures):
    for key, expected in figures.items():
        services.unit_target_set(
            actor=organiser, contest=contest, unit=wards[key], expected=expected
        )


def allocated(organiser, contest):
    results = services.collective_prizes_allocate(actor=organiser, contest=contest)
    return [(r.unit.short_name, r.rank, r.prize) for r in results]


def test_by_rate_with_the_stated_tie_rule(organiser, closed, wards):
    contest = closed.contest
    targets(organiser, contest, wards, a=10, b=5, c=20, f=10)
    entrants(closed, wards["a"], 4)  # 40 %, 4 people
    entrants(closed, wards["f"], 4, attempts=2)  # 40 %, 4 people (a person counts once)
    entrants(closed, wards["b"], 2)  # 40 %, 2 people: below on the second criterion
    entrants(closed, wards["c"], 4)  # 20 %
    entrants(closed, wards["d"], 4)  # 50 % of its headcount (no figure entered)
    entrants(closed, wards["e"], 9)  # no expected number: not ranked by rate
    assert allocated(organiser, contest) == [
        ("Phường Hòa Long", 1, "first"),
        ("Phường Đại Phúc", 2, "second"),
        ("Phường Kim Chân", 2, "second"),  # equal on both: same rank, same prize
        ("Phường Đáp Cầu", 4, ""),  # the tie pushed the next rank past the third prize
        ("Phường Hạp Lĩnh", 5, ""),
    ]
    contest.refresh_from_db()
    assert contest.collective_ranked_at is not None
    result = contest.collective_results.get(unit=wards["d"])
    assert (result.entrants, result.expected, str(result.rate)) == (4, 8, "50.00")
    assert ActionLog.objects.filter(action="contests.collective.allocated").count() == 1


def test_by_count_and_minimum_entrants(organiser, closed, wards):
    contest = closed.contest
    targets(organiser, contest, wards, a=10, b=4)
    entrants(closed, wards["a"], 5)  # 50 %
    entrants(closed, wards["b"], 2)  # 50 %, below the minimum
    entrants(closed, wards["e"], 9)  # no expected number: counts by count
    entrants(closed, wards["c"], 5)  # no figure: ties a on count, loses on rate
    services.contest_update(
        actor=organiser, contest=contest, collective_basis=CollectiveBasis.COUNT,
        collective_min_entrants=3,
    )  # fmt: skip
    assert allocated(organiser, contest) == [
        ("Phường Khắc Niệm", 1, "first"),
        ("Phường Đại Phúc", 2, "second"),
        ("Phường Hạp Lĩnh", 3, "third"),
    ]


def test_only_after_the_last_round_and_with_a_structure(organiser, closed, wards):
    contest = closed.contest
    later = open_round(organiser, contest)
    with pytest.raises(ValidationError, match="vòng thi cuối cùng kết thúc"):
        services.collective_prizes_allocate(actor=organiser, contest=contest)
    later.delete()
    services.contest_update(actor=organiser, contest=contest, collective_prizes=[])
    with pytest.raises(ValidationError, match="Chưa có cơ cấu giải tập thể"):
        services.collective_prizes_allocate(actor=organiser, contest=contest)


def test_practice_rounds_do_not_count(organiser, closed, wards):
    contest = closed.contest
    targets(organiser, contest, wards, a=10, b=10)
    practice = open_round(  # after the scored round: it may then use the same questions
        organiser, contest, opens_at=BASE - timedelta(hours=20), closes_at=BASE - timedelta(hours=2),
        is_practice=True,
    )  # fmt: skip
    entrants(practice, wards["b"], 9)
    entrants(closed, wards["a"], 1)
    assert allocated(organiser, contest) == [("Phường Đại Phúc", 1, "first")]


def test_changing_the_rules_discards_the_allocation(organiser, closed, wards):
    contest = closed.contest
    targets(organiser, contest, wards, a=10)
    entrants(closed, wards["a"], 1)
    allocated(organiser, contest)
    contest = services.contest_update(
        actor=organiser, contest=contest, collective_basis=CollectiveBasis.COUNT
    )
    assert contest.collective_ranked_at is None
    assert not contest.collective_results.exists()
    log = ActionLog.objects.filter(action="contests.contest.updated").order_by("pk").last()
    assert log.data["collective_basis"] == {"from": "rate", "to": "count"}


def test_targets_import_checks_every_row_first(organiser, contest, wards):
    header = ["Mã đơn vị", "Tên đơn vị", "Số người dự kiến"]
    bad = xlsx_upload([header, ["P-A", "", 120], ["P-X", "", 5], ["P-A", "", 7], ["P-B", "", "nhiều"],
                       ["P-C", "", 0]])  # fmt: skip
    count, errors = services.unit_targets_import(
        actor=organiser, contest=contest, upload=bad, filename="a.xlsx"
    )
    assert count == 0
    assert [(e.row, e.message) for e in errors] == [
        (3, "Không có đơn vị mã hoặc tên “P-X”."),
        (4, "Trùng đơn vị ở dòng 2."),
        (5, "“nhiều” không phải là số nguyên."),
        (6, "Số người dự kiến phải lớn hơn 0."),
    ]
    assert not contest.unit_targets.exists()
    services.unit_target_set(actor=organiser, contest=contest, unit=wards["b"], expected=3)
    good = xlsx_upload([header, ["P-A", "", 120], ["P-B", "", None]])
    count, errors = services.unit_targets_import(
        actor=organiser, contest=contest, upload=good, filename="a.xlsx"
    )
    assert (count, errors) == (2, [])
    assert dict(contest.unit_targets.values_list("unit__code", "expected")) == {"P-A": 120}


def test_targets_import_reads_a_unit_code_in_other_capitals(organiser, contest, wards):
    """An office's own list types codes in lower case ("p-a"): it was refused as no unit; the
    same unit twice in other capitals is still a repeat."""
    header = ["Mã đơn vị", "Tên đơn vị", "Số người dự kiến"]
    twice = xlsx_upload([header, ["p-a", "", 120], ["P-a", "", 7]])
    count, errors = services.unit_targets_import(
        actor=organiser, contest=contest, upload=twice, filename="a.xlsx"
    )
    assert (count, [(e.row, e.message) for e in errors]) == (0, [(3, "Trùng đơn vị ở dòng 2.")])
    good = xlsx_upload([header, ["p-a", "", 120], ["p-b ", "", 9]])
    count, errors = services.unit_targets_import(
        actor=organiser, contest=contest, upload=good, filename="a.xlsx"
    )
    assert (count, errors) == (2, [])
    assert dict(contest.unit_targets.values_list("unit__code", "expected")) == {
        "P-A": 120,
        "P-B": 9,
    }


def test_collective_pages_export_and_public_list(organiser, closed, wards):
    contest = closed.contest
    entrants(closed, wards["a"], 3)
    entrants(closed, wards["b"], 1)
    client = verified_client(organiser)
    url = reverse("contests:collective", args=[contest.pk])
    template = client.get(reverse("contests:target-template", args=[contest.pk]))
    sheet = load_workbook(BytesIO(template.content)).active
    assert "P-A" in [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    upload = xlsx_upload([["Mã đơn vị", "Tên đơn vị", "Số người dự kiến"], ["P-A", "", 6]])
    importing = reverse("contests:collective-import", args=[contest.pk])
    assert client.post(importing, {"file": upload}).status_code == 302
    target = reverse("contests:collective-target", args=[contest.pk])
    response = client.post(target, {"unit": wards["b"].pk, "expected": "4"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Chưa xét giải tập thể" in page
    assert "50" in page  # Đại Phúc: 3 of 6
    assert "1 giải Nhất, 1 giải Nhì, 1 giải Ba" in page  # the structure, in words
    allocate = reverse("contests:collective-allocate", args=[contest.pk])
    assert client.post(allocate).status_code == 302
    page = client.get(url).content.decode()
    assert 'id="collective-results"' in page
    assert "Giải Nhất" in page
    export = client.get(reverse("contests:collective-export", args=[contest.pk]))
    sheet = load_workbook(BytesIO(export.content)).active
    assert [sheet.cell(2, c).value for c in range(1, 8)] == [
        1, "Giải Nhất", "Phường Đại Phúc", "P-A", 3, 6, 50,
    ]  # fmt: skip
    assert sheet.cell(3, 2).value == "Giải Nhì"  # Đáp Cầu: 1 of 4, 25 %
    public = Client().get(reverse("contests:public-collective", args=[contest.pk]))
    text = public.content.decode()
    assert "Phường Đại Phúc" in text
    assert "Giải Nhất" in text
    assert "Người P-A" not in text  # no contestant names on the collective list
    assert phone_cards(text, "collective-winners")[0] == {
        "": "Phường Đại Phúc", "Giải": "Giải Nhất", "Người dự thi": "3", "Tỷ lệ": "50%",
    }  # fmt: skip
    assert f"<title>Giải tập thể – {contest.title}</title>" in text
    home = Client().get(reverse("contests:public-contest", args=[contest.pk])).content.decode()
    assert "Kết quả giải tập thể" in home


def test_target_form_refuses_a_bad_number(organiser, contest, wards):
    client = verified_client(organiser)
    url = reverse("contests:collective-target", args=[contest.pk])
    page = client.post(url, {"unit": wards["a"].pk, "expected": "0"})
    assert page.status_code == 200
    assert "Số người dự kiến phải lớn hơn 0." in page.content.decode()


def test_settings_page_saves_the_collective_structure(organiser, contest):
    client = verified_client(organiser)
    url = reverse("contests:contest-settings", args=[contest.pk])
    data = {
        "title": "Cuộc thi mới tên", "rules": "", "contact_field": "none",
        "collective_basis": "count", "collective_first": "1", "collective_second": "2",
        "collective_third": "3", "collective_consolation": "0", "collective_min_entrants": "5",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    contest.refresh_from_db()
    assert contest.title == "Cuộc thi mới tên"
    assert contest.collective_prizes == [
        {"tier": "first", "count": 1}, {"tier": "second", "count": 2},
        {"tier": "third", "count": 3},
    ]  # fmt: skip
    assert contest.show_score_before_close is False
    page = client.post(url, {**data, "title": " "})
    assert "Trường này là bắt buộc" in page.content.decode()


@pytest.mark.parametrize("units", [1, 6])
def test_collective_page_query_count_flat(
    units, organiser, closed, wards, django_assert_max_num_queries
):
    for key in list(wards)[:units]:
        entrants(closed, wards[key], 1)
    services.collective_prizes_allocate(actor=organiser, contest=closed.contest)
    client = verified_client(organiser)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("contests:collective", args=[closed.contest.pk]))
    assert len(page.context["standings"]) == units


def test_no_allocation_while_attempts_started_before_closing_may_still_come_in(organiser, bank):
    from thidua.contests.models import Round

    round_ = open_round(organiser, bank, attempts_policy=AttemptsPolicy.UNLIMITED)
    services.contest_update(actor=organiser, contest=bank, collective_prizes=PRIZES)
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(seconds=3))
    with pytest.raises(ValidationError, match="hết thời gian dành cho bài đang làm dở"):
        services.collective_prizes_allocate(actor=organiser, contest=bank)
