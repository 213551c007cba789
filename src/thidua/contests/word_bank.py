"""A question bank typed in Word (.docx), read into the rows the spreadsheet import checks
(contests.bank): one row per question, on the line of its order in the document ("Câu 5" is
line 5), so every check and message is the spreadsheet's own.

What a printed quiz looks like: "Câu 1:", "Câu hỏi 1.", "1." before a question (its text may go
on over the next paragraphs); "A.", "a)", "B/" before an option, on its own paragraph or several
on one line ("A. 1910   B. 1912" with tabs or spaces between); the answer on a line "Đáp án: B"
("Đáp án đúng: B", "ĐA: B"), or the right option marked: bold, underlined, highlighted or
coloured while the others are not, or with a "*". A table whose header names the spreadsheet's
columns (Câu hỏi, A…D, Đáp án) is read through the spreadsheet's own column matching."""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

import docx
from django.core.exceptions import ValidationError
from docx.table import Table

from thidua.campaigns.parsing.docx_text import WordNumbering
from thidua.core.excel import Column, RowError, find_layout
from thidua.core.sheets import Sheet
from thidua.core.text import clean_text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old binary Office file
ANSWER_MISSING = "Không tìm thấy đáp án (ghi “Đáp án: …” hoặc tô đậm/gạch chân phương án đúng)."
# "Câu 1:", "Câu hỏi 2.", "3." (a bare number: at most 3 digits and a space after, so "1.500
# người" or "1945." going on a question is no new question)
_QUESTION = re.compile(
    r"^(?:câu(?:\s+hỏi)?\s*\d+\s*[:.)/\-\u2013]?|\d{1,3}\s*[:.)/](?=\s))\s*", re.IGNORECASE
)
# "Đáp án: B", "Đáp án đúng: B. 1912", "ĐA: B"; without a colon only a letter ("Đáp án B"): a
# question's own text may begin "Đáp án nào…"
_ANSWER = re.compile(
    r"^(?:(?:đáp\s*án(?:\s+đúng)?(?:\s+là)?|đa)\s*[:\-\u2013]\s*(?=\S)"
    r"|đáp\s*án(?:\s+đúng)?(?:\s+là)?\s+(?=[a-d]\W*$))",
    re.IGNORECASE,
)
_OPTION = re.compile(r"^\*?\s*([a-d])\s*[.)/]\s*", re.IGNORECASE)
# where the next option starts on a line holding several: a tab or 2+ spaces before "B." …
_NEXT_OPTION = re.compile(r"(?:\t|\s{2,})\s*(?=\*?\s*[a-dA-D]\s*[.)/]\s*\S)")
_GAPS = re.compile(r"[^\S\n]+")
_BLACK = {"000000", "auto"}


def is_docx(data: bytes) -> bool:
    """A Word document (an .xlsx is a ZIP too, without word/document.xml)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def is_legacy_word(data: bytes, filename: str) -> bool:
    """An old binary Word file (.doc): python-docx cannot read it."""
    return data.startswith(OLE_MAGIC) and filename.lower().endswith((".doc", ".dot"))


LEGACY_WORD = "Tệp Word cũ (.doc) chưa đọc được. Hãy lưu tệp dưới dạng .docx (Word: Tệp → Lưu thành → Tài liệu Word .docx) rồi tải lên lại."  # fmt: skip


@dataclass
class _Option:
    letter: str
    text: str
    marked: bool  # bold, underlined, highlighted or coloured all through
    starred: bool


@dataclass
class _Question:
    stem: list[str] = field(default_factory=list)
    options: list[_Option] = field(default_factory=list)
    answer: str = ""
    errors: list[str] = field(default_factory=list)


def _run_marked(run: Any) -> bool:
    font = run.font
    color = font.color.rgb if font.color is not None and font.color.type is not None else None
    return bool(
        run.bold
        or run.underline
        or font.highlight_color
        or (color is not None and str(color).lower() not in _BLACK)
    )


def _paragraph(paragraph: Any) -> tuple[str, list[bool]]:
    """The paragraph's text and, per character, whether it is marked (see _run_marked)."""
    text, marks = "", []
    for run in paragraph.runs:
        piece = unicodedata.normalize("NFC", run.text)  # "Câu" typed as C, a, combining ^
        text += piece
        marks += [_run_marked(run)] * len(piece)
    if not text:  # text python-docx reads outside runs (a hyperlink's)
        text = unicodedata.normalize("NFC", paragraph.text)
        marks = [False] * len(text)
    return text, marks


def _clean(text: str) -> str:
    return _GAPS.sub(" ", clean_text(text)).strip()


def _options(text: str, marks: list[bool]) -> list[_Option]:
    """The options on one paragraph ("A. 1910  B. 1912"), each with its marking."""
    starts = [0] + [m.end() for m in _NEXT_OPTION.finditer(text)]
    found = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        piece = text[start:end]
        head = _OPTION.match(piece)
        if head is None:
            continue
        body = piece[head.end() :]
        starred = (
            piece.lstrip().startswith("*")
            or body.strip().startswith("*")
            or (body.rstrip().endswith("*"))
        )
        body_marks = [
            m for ch, m in zip(body, marks[start + head.end() : end], strict=False) if ch.strip()
        ]
        found.append(
            _Option(
                head[1].upper(),
                _clean(body.strip().strip("*")),
                bool(body_marks) and all(body_marks),
                starred,
            )
        )
    return found


def _answer(q: _Question) -> str:
    """The answer as the spreadsheet's column holds it: the letter or text written after
    "Đáp án", else the one option starred, else the one option marked."""
    if q.answer:
        return q.answer
    for flag in ("starred", "marked"):
        chosen = [o.letter for o in q.options if getattr(o, flag)]
        if len(chosen) == 1 and len(q.options) > 1:
            return chosen[0]
    return ""


def _row(q: _Question) -> dict[str, str]:
    values = {"stem": _clean(" ".join(q.stem)), "correct": _answer(q)}
    for option in q.options:
        values[f"option_{option.letter.lower()}"] = option.text
    return values


def _table_rows(table: Any, columns: tuple[Column, ...]) -> list[dict[str, str]] | None:
    """A table's questions through the spreadsheet's column matching; None when its header
    does not name the required columns (a signature block, a score table)."""
    rows = []
    for line, row in enumerate(table.rows, start=1):
        cells: list[Any] = []
        previous = None
        for cell in row.cells:
            # a cell merged across columns comes back once per column: read it once
            cells.append(None if cell._tc is previous else (_clean(cell.text) or None))
            previous = cell._tc
        if any(c is not None for c in cells):
            rows.append((line, cells))
    sheet = Sheet("Bảng", rows)
    layout = find_layout(sheet, columns)
    if layout.missing(columns):
        return None
    return [
        {
            c.key: str(cells[pos])
            for c in columns
            if (pos := layout.mapping.get(c.key)) is not None
            and pos < len(cells)
            and cells[pos] is not None
        }
        for _, cells in sheet.rows[layout.first_data_row :]
    ]


def _questions(document: Any, columns: tuple[Column, ...]) -> list[_Question | dict[str, str]]:
    """The document's questions in order: read from paragraphs, or a table's rows (values)."""
    questions: list[_Question | dict[str, str]] = []
    current: _Question | None = None
    numbering = WordNumbering(document)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            found = _table_rows(block, columns)
            if found is not None:
                questions.extend(found)
                current = None
            continue
        text, marks = _paragraph(block)
        if label := numbering.label(block._p):  # "Câu 1:", "A." drawn by Word, not typed
            text, marks = f"{label} {text}", [False] * (len(label) + 1) + marks
        lead = len(text) - len(text.lstrip())
        text, marks = text[lead:], marks[lead:]
        if not text:
            continue
        if (start := _QUESTION.match(text)) is not None:
            current = _Question(stem=[text[start.end() :]])
            questions.append(current)
        elif current is not None:
            _add_line(current, text, marks)
        # else: the title, instructions above the first question
    return questions


def _add_line(q: _Question, text: str, marks: list[bool]) -> None:
    """A paragraph after a question's first: its answer, options, or more of its text."""
    if (answer := _ANSWER.match(text)) is not None:
        q.answer = _clean(text[answer.end() :])
    elif _OPTION.match(text) and (options := _options(text, marks)):
        q.options.extend(options)
    elif q.options:  # an option's text going on over the next line
        q.options[-1].text = _clean(f"{q.options[-1].text} {text}")
    else:
        q.stem.append(text)


def question_sheet(data: bytes, columns: tuple[Column, ...]) -> tuple[Sheet, list[RowError]]:
    """The questions of a .docx as a sheet (a header of the columns' own names, then one line
    per question in document order) and the errors only a document can have."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise ValidationError(
            "Không đọc được tệp Word. Hãy mở bằng Word và lưu lại dưới dạng .docx."
        ) from None
    questions = _questions(document, columns)
    if not questions:
        raise ValidationError(
            "Không tìm thấy câu hỏi nào trong tệp Word. Mỗi câu bắt đầu bằng “Câu 1:” (hoặc "
            "“1.”), các phương án bằng “A.”, “B.”…, đáp án ghi “Đáp án: B” hoặc tô đậm/gạch chân "
            "phương án đúng; hoặc dùng bảng có cột Câu hỏi, A, B, C, D, Đáp án."
        )
    rows: list[tuple[int, list[Any]]] = [(0, [c.header for c in columns])]
    errors: list[RowError] = []
    for number, q in enumerate(questions, start=1):
        if isinstance(q, _Question):
            errors += _order_errors(number, q)
            values = _row(q)
            if not values["correct"]:
                errors.append(RowError(number, "Đáp án", ANSWER_MISSING))
        else:
            values = q
        rows.append((number, [values.get(c.key) or None for c in columns]))
    return Sheet("Word", rows), errors


def _order_errors(number: int, q: _Question) -> list[RowError]:
    letters = [o.letter for o in q.options]
    expected = "ABCD"[: len(letters)]
    if "".join(letters) == expected:
        return []
    return [
        RowError(
            number,
            "Phương án",
            f"Các phương án ghi theo thứ tự {', '.join(letters)}: phải là "
            f"{', '.join(expected)} (mỗi chữ cái một lần, theo thứ tự).",
        )
    ]
