"""The question bank and the expected participants from the organiser's own files, through the
import steps: foreign headers, and a repeated file questioned."""

from django.urls import reverse

from tests.conftest import verified_client
from tests.contests.test_bank import foreign_bank
from tests.factories.imports import imports_then_asks_before_repeating
from tests.factories.sheets import csv_bytes, xlsx_bytes
from thidua.contests.models import UnitTarget


def test_question_bank_with_foreign_headers_repeated_is_questioned(organiser, contest):
    imports_then_asks_before_repeating(
        verified_client(organiser),
        reverse("contests:contest-detail", args=[contest.pk]),
        csv_bytes(foreign_bank(), encoding="cp1258", sep=";"),
        contest.questions.count,
        name="ngan-hang.csv",
    )
    assert contest.questions.count() == 40


def test_expected_participants_repeated_is_questioned(organiser, contest, city):
    rows = [["Mã đơn vị", "Đơn vị", "Số người"], ["P-SUOIHOA", "Suối Hoa", "1.200"]]
    imports_then_asks_before_repeating(
        verified_client(organiser),
        reverse("contests:collective-import", args=[contest.pk]),
        xlsx_bytes(rows),
        lambda: list(UnitTarget.objects.values_list("unit__code", "expected")),
    )
    assert UnitTarget.objects.get().expected == 1200
