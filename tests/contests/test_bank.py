"""Question banks as organisers make them (issue 17): the 40-question bank with the columns
`stt, cau_hoi, a, b, c, d, dap_an, chu_de, do_kho` imports whole; answers given as letters,
numbers or the right option's text; difficulty as the school levels; and
`manage.py import_questions PATH --dry-run --json` reports the same checks without writing."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories.sheets import csv_bytes, upload, xlsx_bytes
from thidua.contests import bank, services
from thidua.contests.models import Question
from thidua.demo import CONTEST_QUESTIONS

FOREIGN = ["stt", "cau_hoi", "a", "b", "c", "d", "dap_an", "chu_de", "do_kho"]


def demo_bank() -> list[list[str]]:
    """The demo's 40 questions in the shipped import format."""
    with CONTEST_QUESTIONS.open(encoding="utf-8") as f:
        return list(csv.reader(f))[1:]


def foreign_bank(extra_title: bool = False) -> list[list[object]]:
    """The same 40 questions as another office keeps them: stt first, answer then topic."""
    rows: list[list[object]] = [["NGÂN HÀNG CÂU HỎI CUỘC THI"]] if extra_title else []
    rows.append(FOREIGN)
    for n, (topic, level, stem, a, b, c, d, answer, _source) in enumerate(demo_bank(), 1):
        rows.append([n, stem, a, b, c, d, answer.lower(), topic, level])
    return rows


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_40_question_bank_with_its_own_headers_imports_whole(organiser, contest, fmt):
    data = (
        xlsx_bytes(foreign_bank(extra_title=True))
        if fmt == "xlsx"
        else csv_bytes(foreign_bank(), bom=True)
    )
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=upload(data, f"bank.{fmt}"), filename="bank"
    )
    assert errors == []
    assert created == 40
    first = contest.questions.order_by("pk").first()
    expected = demo_bank()[0]
    assert (first.stem, first.option_a, first.correct, first.topic, first.get_difficulty_display()) == (
        expected[2], expected[3], expected[7], expected[0], expected[1]
    )  # fmt: skip


def test_answers_as_letters_numbers_or_the_options_text_and_school_levels(organiser, contest):
    header = ["Nội dung câu hỏi", "Phương án A", "Đáp án B", "PA C", "Lựa chọn D",
              "Đáp án đúng", "Mức độ", "Chủ đề"]  # fmt: skip
    rows = [
        header,
        ["Câu 1?", "1910", "1912", "1914", "1916", "Đáp án B", "Nhận biết", "Tiểu sử"],
        ["Câu 2?", "Hà Nội", "Bắc Ninh", "Huế", "Sài Gòn", "Bắc Ninh", "Thông hiểu", ""],
        ["Câu 3?", "x", "y", "z", "t", 4, "Vận dụng", "Tiểu sử"],
        ["Câu 4?", "x", "y", "z", "t", "c)", "3", "Tiểu sử"],
    ]
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=upload(xlsx_bytes(rows), "q.xlsx"), filename="q"
    )
    assert errors == []
    assert created == 4
    found = list(contest.questions.order_by("pk").values_list("correct", "difficulty", "topic"))
    assert found == [
        ("B", "easy", "Tiểu sử"),
        ("B", "medium", "Chung"),
        ("D", "hard", "Tiểu sử"),
        ("C", "hard", "Tiểu sử"),
    ]


def test_an_answer_matching_no_option_is_a_row_error_with_its_line(organiser, contest):
    rows = [["TIÊU ĐỀ"], FOREIGN, [1, "Câu 1?", "a1", "b1", "c1", "d1", "Không biết", "", ""]]
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=upload(xlsx_bytes(rows), "q.xlsx"), filename="q"
    )
    assert created == 0
    assert [(e.row, e.column) for e in errors] == [(3, "Đáp án")]
    assert not Question.objects.exists()


def _dry_run(path, *args) -> dict:
    out = StringIO()
    call_command("import_questions", str(path), "--dry-run", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_dry_run_reports_rows_topics_and_levels_without_writing(db, tmp_path):
    path = tmp_path / "ngan-hang.xlsx"
    path.write_bytes(xlsx_bytes(foreign_bank(extra_title=True)))
    summary = _dry_run(path)
    assert summary["rows"] == 40
    assert summary["valid"] == 40
    assert summary["errors"] == []
    assert sum(summary["topics"].values()) == 40
    assert summary["topics"]["Tiểu sử"] == 13
    assert summary["levels"] == {"Dễ": 11, "Trung bình": 20, "Khó": 9}
    assert not Question.objects.exists()


def test_dry_run_lists_errors_with_their_file_lines(db, tmp_path):
    rows = foreign_bank()
    rows[3][6] = ""  # no answer, file line 4
    rows[5][1] = rows[4][1]  # same question as line 5, at line 6
    path = tmp_path / "loi.csv"
    path.write_bytes(csv_bytes(rows, encoding="cp1258", sep=";"))
    summary = _dry_run(path)
    assert summary["rows"] == 40
    assert summary["valid"] == 38
    assert summary["errors"] == [
        {"line": 4, "message": "Đáp án: Thiếu đáp án."},
        {"line": 6, "message": "Câu hỏi: Trùng câu hỏi ở dòng 5."},
    ]


def test_dry_run_with_unknown_headers_names_the_columns_found_and_takes_a_mapping(db, tmp_path):
    rows = [["Hỏi", "P1", "P2", "P3", "P4", "Đ"], ["Câu 1?", "a", "b", "c", "d", "B"]]
    path = tmp_path / "la.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    summary = _dry_run(path)
    assert summary["rows"] == 0
    assert summary["errors"][0]["line"] == 1
    assert (
        "Các cột tìm thấy ở dòng 1: “Hỏi”, “P1”, “P2”, “P3”, “P4”, “Đ”"
        in (summary["errors"][0]["message"])
    )
    mapped = _dry_run(
        path,
        *("--column", "Hỏi=stem", "--column", "P1=option_a", "--column", "P2=option_b"),
        *("--column", "P3=option_c", "--column", "P4=option_d", "--column", "Đ=correct"),
    )
    assert (mapped["rows"], mapped["valid"], mapped["errors"]) == (1, 1, [])


def test_dry_run_is_required(db, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(xlsx_bytes(foreign_bank()))
    with pytest.raises(CommandError, match="--dry-run"):
        call_command("import_questions", str(path))


def test_the_bank_columns_match_the_known_synonyms():
    headers = {c.key: c for c in bank.QUESTION_COLUMNS}
    assert {"cau_hoi", "Nội dung câu hỏi", "Câu hỏi"} <= {headers["stem"].header,
                                                          *headers["stem"].synonyms}  # fmt: skip
    assert {"a", "Phương án A", "Đáp án A"} <= {headers["option_a"].header,
                                                *headers["option_a"].synonyms}  # fmt: skip
    assert {"dap_an", "Đáp án đúng"} <= set(headers["correct"].synonyms)
    assert "Mức độ" in headers["difficulty"].synonyms
    assert "chu_de" in headers["topic"].synonyms


def test_a_text_too_long_for_the_bank_is_a_row_error_not_cut(organiser, contest):
    long_option = "Phương án rất dài " * 30  # 540 characters: 500 are kept
    rows = [
        ["Câu hỏi", "a", "b", "c", "d", "Đáp án", "Chủ đề"],
        ["Câu 1?", "1910", "1912", "1914", "1916", "B", "Tiểu sử"],
        ["Câu 2?", long_option, "y", "z", "t", "A", "Tiểu sử"],
        ["Câu 3?", "x", "y", "z", "t", "A", "Chủ đề " * 20],
    ]
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=upload(xlsx_bytes(rows), "q.xlsx"), filename="q"
    )
    assert created == 0
    assert [(e.row, e.column) for e in errors] == [(3, "Phương án A"), (4, "Chủ đề")]
    assert "tối đa 500 ký tự" in errors[0].message
    assert not Question.objects.exists()
