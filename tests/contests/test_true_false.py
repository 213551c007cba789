"""Questions with two to four options: a true/false question ("Đúng"/"Sai", C and D empty) is
imported, drawn with its two options only, scored by the hot path and reviewed; an answer naming
an empty option, or a D without a C, is refused in Vietnamese."""

import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import verified_client
from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.factories.sheets import csv_bytes, upload
from tests.factories.xlsx import xlsx_upload
from thidua.contests import bank, hotpath, results, services
from thidua.contests.models import Question, Submission

TRUE_FALSE = ["Tiểu sử", "Dễ", "Đồng chí sinh ở Bắc Ninh.", "Đúng", "Sai", None, None, "Đúng", ""]
THREE = ["Tiểu sử", "Dễ", "Đồng chí sinh năm nào?", "1910", "1912", "1914", None, "B", ""]


def _import(organiser, contest, rows):
    data = xlsx_upload([HEADERS, *rows], "cau-hoi.xlsx")
    return services.question_import(
        actor=organiser, contest=contest, upload=data, filename="cau-hoi.xlsx"
    )


def test_true_false_and_three_option_questions_import(organiser, contest):
    created, errors = _import(organiser, contest, [TRUE_FALSE, THREE, *question_rows(2)])
    assert (created, errors) == (4, [])
    tf = Question.objects.get(stem=TRUE_FALSE[2])
    assert (tf.options, tf.correct, tf.letters) == ([("A", "Đúng"), ("B", "Sai")], "A", "AB")
    assert Question.objects.get(stem=THREE[2]).letters == "ABC"


def test_a_bank_without_columns_c_and_d_imports(organiser, contest):
    rows = [["Câu hỏi", "Phương án A", "Phương án B", "Đáp án"],
            ["Hà Nội là thủ đô.", "Đúng", "Sai", "A"], ["Huế là thủ đô.", "Đúng", "Sai", "Sai"]]  # fmt: skip
    data = upload(csv_bytes(rows), "dung-sai.csv")
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=data, filename="dung-sai.csv"
    )
    assert (created, errors) == (2, [])
    assert list(contest.questions.order_by("id").values_list("correct", flat=True)) == ["A", "B"]


def test_what_two_to_four_options_refuses(organiser, contest):
    rows = [
        ["x", "Dễ", "Đáp án trống?", "Đúng", "Sai", None, None, "C", ""],
        ["x", "Dễ", "Thiếu C?", "1", "2", None, "4", "A", ""],
        ["x", "Dễ", "Một phương án?", "Đúng", None, None, None, "A", ""],
        ["x", "Dễ", "Trùng?", "Đúng", "đúng", None, None, "A", ""],
    ]
    created, errors = _import(organiser, contest, rows)
    assert created == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "Đáp án", "Đáp án là C nhưng phương án C để trống."),
        (3, "Phương án C", "Phương án C để trống nhưng phương án D có nội dung: câu hỏi có 2 "
         "phương án thì dùng A và B, 3 phương án thì A, B và C."),
        (4, "Phương án B", "Không được để trống."),
        (5, "Phương án", "Các phương án không được trùng nhau."),
    ]  # fmt: skip


def test_a_true_false_question_is_drawn_shown_scored_and_reviewed_with_two_options(
    organiser, contest, contestant
):
    _import(organiser, contest, [TRUE_FALSE, THREE, *question_rows(8)])
    round_ = open_round(organiser, contest, question_count=10)
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    tf = Question.objects.get(stem=TRUE_FALSE[2])
    qid, order, codes = next(q for q in attempt.questions if q[0] == tf.pk)
    assert sorted(order) == ["A", "B"]
    assert len(codes) == 2
    assert sorted(next(q[1] for q in attempt.questions if q[1] and len(q[1]) == 3)) == list("ABC")
    page = verified_client(organiser).get(reverse("contests:attempt", args=[attempt.token]))
    shown = re.findall(
        rf'name="q-{qid}" value="([0-9a-f]+)"[^>]*> ([A-D])\. ([^<]*)</label>',
        page.content.decode(),
    )
    texts = dict(tf.options)
    assert [(label, text.strip()) for _, label, text in shown] == [
        ("AB"[i], texts[letter]) for i, letter in enumerate(order)
    ]
    right = codes[order.index("A")]  # "Đúng"
    status, _ = hotpath.submit(str(attempt.token), uuid.uuid4(), {str(qid): right}, None)
    assert status == 201
    submission = Submission.objects.get(attempt=attempt)
    assert submission.score == 1
    reviewed = next(i for i in results.review_items(submission) if i.stem == tf.stem)
    assert [o.text for o in reviewed.options] == [texts[x] for x in order]
    assert reviewed.right


def test_the_edit_page_takes_a_true_false_question_and_refuses_an_empty_answer(organiser, contest):
    _import(organiser, contest, question_rows(1))
    q = contest.questions.get()
    fields = {"topic": q.topic, "difficulty": q.difficulty, "stem": q.stem, "option_a": "Đúng",
              "option_b": "Sai", "option_c": "", "option_d": "", "correct": "B", "source": ""}  # fmt: skip
    services.question_update(actor=organiser, question=q, **fields)
    q.refresh_from_db()
    assert (q.letters, q.correct) == ("AB", "B")
    with pytest.raises(ValidationError, match="Đáp án là D nhưng phương án D để trống"):
        services.question_update(actor=organiser, question=q, **{**fields, "correct": "D"})
    with pytest.raises(ValidationError, match="Phương án C để trống nhưng phương án D"):
        services.question_update(actor=organiser, question=q, **{**fields, "option_d": "Chưa rõ"})
    q.refresh_from_db()
    assert (q.letters, q.correct) == ("AB", "B")


def test_the_template_and_an_export_with_a_true_false_question_import_again(
    organiser, contest, campaign, city
):
    client = verified_client(organiser)
    template = client.get(reverse("contests:question-template", args=[contest.pk])).content
    assert _import_bytes(organiser, contest, template) == (2, [])
    export = client.get(reverse("contests:question-export", args=[contest.pk])).content
    other = services.contest_create(
        actor=organiser, campaign=campaign, organiser_unit=city.centre, title="Cuộc thi khác"
    )
    assert _import_bytes(organiser, other, export) == (2, [])
    assert sorted(q.letters for q in other.questions.all()) == ["AB", "ABCD"]


def _import_bytes(organiser, contest, data: bytes):
    return services.question_import(
        actor=organiser,
        contest=contest,
        upload=SimpleUploadedFile("ngan-hang.xlsx", data),
        filename="ngan-hang.xlsx",
    )


def test_the_dry_run_counts_true_false_questions_as_valid():
    data = xlsx_upload([HEADERS, TRUE_FALSE])
    summary = bank.bank_summary(data)
    assert (summary["rows"], summary["valid"], summary["errors"]) == (1, 1, [])


def test_the_edit_page_says_why_an_empty_option_cannot_be_the_answer(organiser, contest):
    _import(organiser, contest, question_rows(1))
    q = contest.questions.get()
    data = {"topic": q.topic, "difficulty": q.difficulty, "stem": q.stem, "option_a": "Đúng",
            "option_b": "Sai", "option_c": "", "option_d": "", "correct": "C", "source": ""}  # fmt: skip
    client = verified_client(organiser)
    page = client.post(reverse("contests:question-edit", args=[q.pk]), data).content.decode()
    assert "Đáp án đúng phải là một phương án có nội dung." in page  # the model's check
    assert contest.questions.get().option_c == "C0"  # unchanged
    data["correct"] = "B"
    assert client.post(reverse("contests:question-edit", args=[q.pk]), data).status_code == 302
    assert contest.questions.get().letters == "AB"
