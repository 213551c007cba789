"""Options that name other options ("Cả A và B đều đúng", "Tất cả các đáp án trên") read
wrong once shuffled: their question keeps the bank's order on every attempt, and the page,
the hot path's score and the review agree on it; the import says which questions keep it."""

import json
import re
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_client
from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.factories.xlsx import xlsx_upload
from thidua.contests import hotpath, results, services
from thidua.contests.models import Question, Submission, refers_to_other_options

BOTH = ["Lịch sử", "Dễ", "Đồng chí sinh năm nào?", "1912", "1910", "Cả A và B đều sai", "1914",
        "C", ""]  # fmt: skip
ALL = ["Lịch sử", "Dễ", "Quê quán của đồng chí?", "Bắc Ninh", "Phù Khê", "Từ Sơn",
       "Tất cả các đáp án trên", "D", ""]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    ["Cả A và B đều đúng", "cả a và b", "A và C", "A, B và C đều đúng", "Cả hai đáp án trên",
     "Tất cả các đáp án trên", "TAT CA CAC DAP AN TREN", "Tất cả đều đúng",
     "Không có đáp án nào đúng", "Không phương án nào đúng", "Các ý trên đều đúng",
     "Đáp án A và B", "Cả 2 phương án trên", "All of the above"],
)  # fmt: skip
def test_options_naming_other_options_are_recognised(text):
    assert refers_to_other_options(text)


@pytest.mark.parametrize(
    "text",
    ["Châu Á và châu Âu", "Vitamin A và D", "Nhóm máu A và B", "Tất cả công dân từ đủ 18 tuổi",
     "Hội đồng nhân dân và Ủy ban nhân dân", "Cả nước", "1945", "A"],
)  # fmt: skip
def test_ordinary_options_are_not(text):
    assert not refers_to_other_options(text)


@pytest.fixture
def kept_bank(organiser, contest):
    notes: list[str] = []
    created, errors = services.question_import(
        actor=organiser,
        contest=contest,
        upload=xlsx_upload([HEADERS, *question_rows(8), BOTH, ALL]),
        filename="cau-hoi.xlsx",
        notes=notes,
    )
    assert (created, errors) == (10, [])
    assert notes == [
        "2 câu hỏi có phương án nhắc đến phương án khác (như “Cả A và B”, “Tất cả các đáp án "
        "trên”) nên giữ nguyên thứ tự phương án như trong tệp, không đảo cho từng người dự thi "
        "(dòng 10, 11)."
    ]
    return contest


def test_a_question_naming_other_options_keeps_its_order_everywhere(
    organiser, kept_bank, contest, city
):
    round_ = open_round(organiser, kept_bank, question_count=10)
    both = Question.objects.get(stem=BOTH[2])
    assert both.keeps_order
    assert not Question.objects.get(stem="Câu hỏi số 1?").keeps_order
    orders: dict[int, set[str]] = {}
    attempt = None
    for n in range(8):
        person = services.contestant_register(
            contest=contest, full_name=f"Người {n}", birth_year=1990, unit=city.suoi_hoa,
            consent=True,
        )  # fmt: skip
        attempt = services.attempt_start(contestant=person, round_=round_)
        for qid, order, _codes in attempt.questions:
            orders.setdefault(qid, set()).add(order)
    assert orders[both.pk] == {"ABCD"}
    assert orders[Question.objects.get(stem=ALL[2]).pk] == {"ABCD"}
    assert any(len(o) > 1 for o in orders.values())  # the others are still shuffled
    # the page shows "C. Cả A và B đều sai" and clicking it scores
    page = Client().get(reverse("contests:attempt", args=[attempt.token])).content.decode()
    shown = re.findall(
        rf'name="q-{both.pk}" value="([0-9a-f]+)"[^>]*> ([A-D])\. ([^<]*)</label>', page
    )
    assert [(label, text.strip()) for _, label, text in shown] == [
        ("A", "1912"), ("B", "1910"), ("C", "Cả A và B đều sai"), ("D", "1914")
    ]  # fmt: skip
    status, _ = hotpath.submit(str(attempt.token), uuid.uuid4(), {str(both.pk): shown[2][0]}, None)
    assert status == 201
    submission = Submission.objects.get(attempt=attempt)
    assert submission.score == 1
    reviewed = next(i for i in results.review_items(submission) if i.stem == both.stem)
    assert (reviewed.chosen, reviewed.correct, reviewed.right) == ("C", "C", True)
    assert [o.text for o in reviewed.options] == ["1912", "1910", "Cả A và B đều sai", "1914"]


def test_the_bank_page_and_the_dry_run_say_which_questions_keep_their_order(
    organiser, kept_bank, tmp_path
):
    client = verified_client(organiser)
    page = client.get(reverse("contests:contest-detail", args=[kept_bank.pk])).content.decode()
    assert page.count("Giữ thứ tự phương án") == 2
    path = tmp_path / "bank.xlsx"
    path.write_bytes(xlsx_upload([HEADERS, BOTH, *question_rows(2)]).read())
    out = StringIO()
    call_command("import_questions", str(path), "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["kept_order"] == [2]
