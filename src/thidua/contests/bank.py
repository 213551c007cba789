"""A question bank read from the organiser's own spreadsheet: .xlsx or CSV, columns named as
they like ("cau_hoi", "Nội dung câu hỏi"; "a" or "Phương án A"; "dap_an", "Đáp án đúng"), the
answer as a letter, a number or the right option's text, difficulty as Dễ/Trung bình/Khó or the
school levels (nhận biết, thông hiểu, vận dụng); two to four options (A and B only for a
true/false question). One check for the import page, the background job and
`manage.py import_questions --dry-run`."""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError

from thidua.contests import word_bank
from thidua.contests.models import LETTERS, Difficulty, Question, refers_to_other_options
from thidua.core.excel import (
    Column,
    RowError,
    SheetFile,
    as_sheet_file,
    cell_text,
    header_key,
    read_rows,
)
from thidua.core.text import fold

DIFFICULTY_WORDS = {
    "de": Difficulty.EASY,
    "easy": Difficulty.EASY,
    "nhan biet": Difficulty.EASY,
    "biet": Difficulty.EASY,
    "muc 1": Difficulty.EASY,
    "cap do 1": Difficulty.EASY,
    "1": Difficulty.EASY,
    "trung binh": Difficulty.MEDIUM,
    "tb": Difficulty.MEDIUM,
    "vua": Difficulty.MEDIUM,
    "medium": Difficulty.MEDIUM,
    "thong hieu": Difficulty.MEDIUM,
    "hieu": Difficulty.MEDIUM,
    "muc 2": Difficulty.MEDIUM,
    "cap do 2": Difficulty.MEDIUM,
    "2": Difficulty.MEDIUM,
    "kho": Difficulty.HARD,
    "hard": Difficulty.HARD,
    "van dung": Difficulty.HARD,
    "van dung cao": Difficulty.HARD,
    "muc 3": Difficulty.HARD,
    "cap do 3": Difficulty.HARD,
    "3": Difficulty.HARD,
}
DEFAULT_TOPIC = "Chung"
_ANSWER_PREFIX = re.compile(r"^(?:dap an|phuong an|pa|cau|lua chon|option|answer)\s+")
# Numbers typed by hand, as on a printed quiz: "Câu 1:", "Câu 2." before the question; "A.",
# "b)", "C/" before an option (its own letter: the options are shown in another order).
_QUESTION_NUMBER = re.compile(r"^câu\s*\d+\s*[:.)/\-\u2013]\s*(?=\S)", re.IGNORECASE)
_OPTION_LETTER = re.compile(r"^([a-d])\s*[.)/:\-\u2013]\s*(?=\S)", re.IGNORECASE)


def parse_difficulty(value: Any) -> str:
    found = DIFFICULTY_WORDS.get(header_key(value))
    if found is None:
        raise ValidationError(
            f"Độ khó “{cell_text(value)}” phải là Dễ, Trung bình hoặc Khó "
            "(hoặc Nhận biết, Thông hiểu, Vận dụng)."
        )
    return str(found)


def answer_letter(value: Any) -> str | None:
    """ "B", "b", "B.", "(B)", "Đáp án B", "Phương án B" or 2 → "B"; None for anything else
    (it may be the right option's text, matched against the options by the check)."""
    key = _ANSWER_PREFIX.sub("", header_key(value))
    if len(key) == 1 and key.upper() in LETTERS:
        return key.upper()
    if key in {"1", "2", "3", "4"}:
        return LETTERS[int(key) - 1]
    return None


def _letter_or_text(value: Any) -> str:
    return answer_letter(value) or cell_text(value)


def _unnumbered(values: dict[str, Any]) -> None:
    """The question and its options without the numbers typed before them; an answer written
    as an option is ("D. 1939") is that option's letter."""
    if values.get("stem"):
        values["stem"] = _QUESTION_NUMBER.sub("", values["stem"])
    for letter, key in zip(LETTERS, _OPTIONS, strict=True):
        found = _OPTION_LETTER.match(values.get(key) or "")
        if found and found[1].upper() == letter:
            values[key] = values[key][found.end() :]
    answer = _OPTION_LETTER.match(values.get("correct") or "")
    if answer:
        letter = answer[1].upper()
        option = values.get(f"option_{letter.lower()}") or ""
        if fold(option) == fold(values["correct"][answer.end() :]):
            values["correct"] = letter


def _option(letter: str) -> Column:
    low = letter.lower()
    return Column(
        f"Phương án {letter}",
        f"option_{low}",
        required=letter in "AB",  # C and D stay empty in a true/false question
        width=30,
        max_length=Question._meta.get_field("option_a").max_length,  # the four alike
        synonyms=(
            low,
            f"{low})",
            f"Đáp án {letter}",
            f"Phương án trả lời {letter}",
            f"PA {letter}",
            f"Lựa chọn {letter}",
            f"Câu trả lời {letter}",
            f"Ý {letter}",
            f"Option {letter}",
            f"Answer {letter}",
            f"Choice {letter}",
        ),
    )


QUESTION_COLUMNS = (
    Column(
        "Chủ đề",
        "topic",
        width=24,
        max_length=Question._meta.get_field("topic").max_length,
        synonyms=(
            "chu_de",
            "Chủ đề câu hỏi",
            "Chuyên đề",
            "Lĩnh vực",
            "Nhóm câu hỏi",
            "Phần",
            "Nội dung chủ đề",
            "Topic",
            "Category",
        ),
    ),
    Column(
        "Độ khó",
        "difficulty",
        parse=parse_difficulty,
        width=12,
        synonyms=(
            "do_kho",
            "Mức độ",
            "Mức độ khó",
            "Cấp độ",
            "Mức",
            "Độ khó câu hỏi",
            "Mức độ nhận thức",
            "Level",
            "Difficulty",
        ),
    ),
    Column(
        "Câu hỏi",
        "stem",
        required=True,
        width=60,
        synonyms=(
            "cau_hoi",
            "Nội dung câu hỏi",
            "Nội dung",
            "Câu hỏi trắc nghiệm",
            "Đề bài",
            "Câu hỏi thi",
            "Tên câu hỏi",
            "Question",
            "noi_dung",
        ),
    ),
    *(_option(letter) for letter in LETTERS),
    Column(
        "Đáp án",
        "correct",
        required=True,
        parse=_letter_or_text,
        width=10,
        synonyms=(
            "dap_an",
            "Đáp án đúng",
            "Đáp án chính xác",
            "Phương án đúng",
            "Câu trả lời đúng",
            "Đáp án đúng là",
            "Đúng",
            "Kết quả",
            "dap_an_dung",
            "Correct",
            "Answer",
            "Correct answer",
            "Key",
        ),
    ),
    Column(
        "Nguồn",
        "source",
        width=30,
        max_length=Question._meta.get_field("source").max_length,
        synonyms=(
            "Nguồn tham khảo",
            "Tài liệu tham khảo",
            "Tài liệu",
            "Căn cứ",
            "Trích dẫn",
            "nguon",
            "Source",
            "Reference",
        ),
    ),
)
_OPTIONS = tuple(f"option_{x.lower()}" for x in LETTERS)
_HEADER = {c.key: c.header for c in QUESTION_COLUMNS}


def stem_key(stem: str) -> str:
    return fold(stem)[:500]


def _read(source: SheetFile) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """read_rows on the spreadsheet, or on the rows a Word file holds (with the errors only a
    document has: no answer found, options out of order)."""
    if word_bank.is_legacy_word(source.data, source.filename):
        return [], [RowError(0, "", word_bank.LEGACY_WORD)]
    found: list[RowError] = []
    if is_word(source):
        try:
            sheet, found = word_bank.question_sheet(source.data, QUESTION_COLUMNS)
        except ValidationError as exc:
            return [], [RowError(0, "", " ".join(exc.messages))]
        rows, errors = read_rows(sheet, QUESTION_COLUMNS)
    else:
        rows, errors = read_rows(source, QUESTION_COLUMNS)
    no_answer = {e.row for e in found if e.message == word_bank.ANSWER_MISSING}
    return rows, [
        RowError(e.row, e.column, "Thiếu đáp án.")
        if e.column == _HEADER["correct"] and e.message == "Không được để trống."
        else e
        for e in errors
        if not (e.row in no_answer and e.column == _HEADER["correct"])  # said better in found
    ] + found


def option_problems(
    options: Sequence[str | None], answer: str | None
) -> list[tuple[str, str, str]]:
    """What makes a question's two to four options unusable, for the import and the edit form
    alike: a D without a C, an answer naming an empty option. Each as (the field the message
    goes with, the option it is about, the message)."""
    problems: list[tuple[str, str, str]] = []
    if options[3] and not options[2]:
        problems.append(
            (
                "option_c",
                "option_c",
                "Phương án C để trống nhưng phương án D có nội dung: câu hỏi có 2 phương án thì "
                "dùng A và B, 3 phương án thì A, B và C.",
            )
        )
    if answer and answer in LETTERS and not options[LETTERS.index(answer)]:
        option = f"option_{answer.lower()}"
        problems.append(
            ("correct", option, f"Đáp án là {answer} nhưng phương án {answer} để trống.")
        )
    return problems


def question_rows_check(
    upload: IO[bytes] | SheetFile, *, existing: Iterable[str] = ()
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Every row read and checked, nothing written: (line, values) pairs and every error, in
    the file's order. `existing` holds the stem keys already in the bank. A Word file is read
    into the same rows (contests.word_bank), its questions' numbers in place of lines."""
    source = as_sheet_file(upload)
    rows, errors = _read(source)
    place = "câu" if is_word(source) else "dòng"
    known = set(existing)
    seen: dict[str, int] = {}
    refused = {(e.row, e.column) for e in errors}  # a cell refused reads as empty: no more on it
    for number, values in rows:
        _unnumbered(values)
        stem = values.get("stem")
        if stem:
            key = stem_key(stem)
            if key in known:
                errors.append(RowError(number, "Câu hỏi", "Câu hỏi đã có trong ngân hàng."))
            elif key in seen:
                errors.append(RowError(number, "Câu hỏi", f"Trùng câu hỏi ở {place} {seen[key]}."))
            else:
                seen[key] = number
            values["stem_key"] = key
        options = [values.get(k) for k in _OPTIONS]
        texts = [fold(o) for o in options if o]
        if len(set(texts)) < len(texts):
            errors.append(RowError(number, "Phương án", "Các phương án không được trùng nhau."))
        answer = values.get("correct")
        for field, option, message in option_problems(options, answer):
            if (number, _HEADER[option]) not in refused:  # a refused cell reads as empty here
                errors.append(RowError(number, _HEADER[field], message))
        if answer and answer not in LETTERS:
            matches = [
                x for x, o in zip(LETTERS, options, strict=True) if o and fold(o) == fold(answer)
            ]
            if len(matches) == 1:
                values["correct"] = matches[0]
            else:
                errors.append(
                    RowError(
                        number,
                        "Đáp án",
                        f"Đáp án “{answer}” không thuộc A, B, C, D và không trùng nội dung phương án nào.",
                    )
                )
    errors.sort(key=lambda e: (e.row, e.column))
    return rows, errors


def is_word(upload: SheetFile) -> bool:
    """A question bank typed in Word: its questions are numbered ("Câu 5"), not lines."""
    return word_bank.is_docx(upload.data)


def new_question(contest: Any, values: dict[str, Any]) -> Question:
    return Question(
        contest=contest,
        topic=str(values.get("topic") or DEFAULT_TOPIC)[:100],
        difficulty=values.get("difficulty") or Difficulty.MEDIUM,
        stem=str(values["stem"]),
        stem_key=values["stem_key"],
        option_a=str(values["option_a"])[:500],
        option_b=str(values["option_b"])[:500],
        option_c=str(values.get("option_c") or "")[:500],
        option_d=str(values.get("option_d") or "")[:500],
        correct=values["correct"],
        source=str(values.get("source") or "")[:255],
    )


def kept_order_lines(rows: Iterable[tuple[int, dict[str, Any]]]) -> list[int]:
    """The file lines of questions whose options stay in the file's order for every contestant
    (an option names others: "Cả A và B", "Tất cả các đáp án trên")."""
    return [
        n for n, v in rows if any(refers_to_other_options(str(v.get(k) or "")) for k in _OPTIONS)
    ]


def kept_order_notice(lines: list[int], place: str = "dòng") -> str:
    """The import's note on those questions, in the organiser's words ("" when none)."""
    if not lines:
        return ""
    shown = ", ".join(str(n) for n in lines[:20]) + (", …" if len(lines) > 20 else "")  # noqa: PLR2004
    return (
        f"{len(lines)} câu hỏi có phương án nhắc đến phương án khác (như “Cả A và B”, “Tất cả "
        f"các đáp án trên”) nên giữ nguyên thứ tự phương án như trong tệp, không đảo cho từng "
        f"người dự thi ({place} {shown})."
    )


def bank_summary(upload: IO[bytes] | SheetFile, *, existing: Iterable[str] = ()) -> dict[str, Any]:
    """What an import would do, for `import_questions --dry-run --json`: rows read, rows without
    an error, the errors with their file line, the questions per topic and difficulty, and the
    lines of questions whose options keep their order (`kept_order_lines`)."""
    rows, errors = question_rows_check(upload, existing=existing)
    bad = {e.row for e in errors}
    valid = [v for n, v in rows if n not in bad]
    labels = dict(Difficulty.choices)
    return {
        "rows": len(rows),
        "valid": len(valid),
        "errors": [
            {"line": e.row, "message": f"{e.column}: {e.message}" if e.column else e.message}
            for e in errors
        ],
        "topics": dict(Counter(str(v.get("topic") or DEFAULT_TOPIC) for v in valid)),
        "levels": dict(
            Counter(str(labels[v.get("difficulty") or Difficulty.MEDIUM]) for v in valid)
        ),
        "kept_order": kept_order_lines((n, v) for n, v in rows if n not in bad),
    }
