from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories.xlsx import xlsx_upload
from thidua.accounts.models import Role
from thidua.contests import hotpath, services
from thidua.contests.models import AttemptsPolicy

HEADERS = ["Chủ đề", "Độ khó", "Câu hỏi", "Phương án A", "Phương án B", "Phương án C",
           "Phương án D", "Đáp án", "Nguồn"]  # fmt: skip


def question_rows(n: int, prefix: str = "Câu hỏi số") -> list[list[object]]:
    topics = ["Tiểu sử", "Hoạt động cách mạng"]
    levels = ["Dễ", "Trung bình", "Khó"]
    rows = []
    for i in range(n):
        options = [f"A{i}", f"B{i}", f"C{i}", f"D{i}"]
        rows.append(
            [topics[i % 2], levels[i % 3], f"{prefix} {i + 1}?", *options, "ABCD"[i % 4], ""]
        )
    return rows


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # rate-limit counters and challenge nonces live in the cache
    hotpath._KEYS.clear()  # SQLite reuses a rolled-back round's id: never a stale answer key
    yield
    cache.clear()


@pytest.fixture
def organiser(make_user):
    return make_user(Role.CONTEST_ORGANISER)


@pytest.fixture
def contest(organiser, campaign, city):
    return services.contest_create(
        actor=organiser,
        campaign=campaign,
        organiser_unit=city.centre,
        title="Cuộc thi tìm hiểu về Tổng Bí thư Nguyễn Văn Cừ",
        show_score_before_close=True,
    )


@pytest.fixture
def bank(organiser, contest):
    created, errors = services.question_import(
        actor=organiser,
        contest=contest,
        upload=xlsx_upload([HEADERS, *question_rows(40)]),
        filename="cau-hoi.xlsx",
    )
    assert errors == []
    assert created == 40
    return contest


def open_round(organiser, contest, **extra):
    now = timezone.now()
    options = {
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=6),
        "question_count": 10,
        "time_limit_seconds": 900,
        "attempts_policy": AttemptsPolicy.ONE,
        "prizes": [
            {"tier": "first", "count": 1},
            {"tier": "second", "count": 2},
            {"tier": "third", "count": 5},
            {"tier": "consolation", "count": 8},
        ],
    }
    options.update(extra)
    return services.round_create(actor=organiser, contest=contest, **options)


@pytest.fixture
def round_(organiser, bank):
    return open_round(organiser, bank)


@pytest.fixture
def contestant(contest, city):
    return services.contestant_register(
        contest=contest,
        full_name="Nguyễn Thị Lan",
        birth_year=1990,
        unit=city.suoi_hoa,
        consent=True,
    )
