"""A question bank typed in Word (.docx), read into the rows the spreadsheet import checks
(contests.bank): one row per question, on the line of its order in the document ("Câu 5" is
line 5), so every check and message is the spreadsheet's own.

What a printed quiz looks like: "Câu 1:", "Câu hỏi 1.", "1." before a question (its text may go
on over the next paragraphs); "A.", "a)", "B/" before an option, on its own paragraph or several
on one line ("A. 1910   B. 1912" with tabs or spaces between); the answer on a line "Đáp án: B"
("Đáp án đúng: B", "ĐA: B"), or the right option marked: bold, underlined, highlighted or
coloured while the others are not, or with a "*". A table whose header names the spreadsheet's
columns (Câu hỏi, A…D, Đáp án) is read through the spreadsheet's own column matching. Lines
"Nguồn:", "Căn cứ:", "Giải thích:"… under a question fill its "Nguồn" column (their next
paragraphs going on with them); a paragraph without a label after the options (more of the last
option, or an explanation?) or after the answer line is never guessed: the question is refused
naming it, and the way to say which it is; a section's heading ("PHẦN II.") is skipped. In a document of
"Câu N" headings a bare "1." before the options is the question's text; errors name a question
by its typed number when every question has its own."""

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import docx
from django.core.exceptions import ValidationError
from docx.table import Table

from thidua.campaigns.parsing.docx_text import (
    WordNumbering,
    marked_blocks,
    names_old_font,
    paragraph_texts,
)
from thidua.core.excel import Column, RowError, find_layout
from thidua.core.sheets import Sheet
from thidua.core.text import (
    LEGACY_FONT_HITS,
    LEGACY_FONT_NAMED_HITS,
    clean_text,
    first_legacy_font,
    fold_chars,
    legacy_font_refusal,
)

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
# a fifth option and more: refused, not read into the fourth
_EXTRA_OPTION = re.compile(r"^\*?\s*([e-h])\s*[.)/]\s*\S", re.IGNORECASE)
# "Câu 12:" (its typed number)
_HEADING = re.compile(r"^câu(?:\s+hỏi)?\s*(\d+)", re.IGNORECASE)
# a note under a question, matched on the folded text ("Căn cứ:", "Nguồn:", "Ghi chú:")
_NOTE = re.compile(r"^(nguon|can cu|giai thich|huong dan|ghi chu)\s*:\s*")
# where the next option starts on a line holding several: a tab or 2+ spaces before "B." …
_NEXT_OPTION = re.compile(r"(?:\t|\s{2,})\s*(?=\*?\s*[a-dA-D]\s*[.)/]\s*\S)")
_GAPS = re.compile(r"[^\S\n]+")
# a section's heading between questions: "Phần II. …", "Chủ đề 2: …", "II. …" (a numeral after
# the word: "Phần lớn …", "Mục 2 Điều 5 …" are an explanation's words)
_SECTION = re.compile(
    r"^(?:(?:phần|chương|chủ đề|chuyên đề|mục)\s+(?:[IVXLC]+|\d+)\s*(?:[.:)\-\u2013]|$)"
    r"|[IVX]+\s*[.)/:]\s)",
    re.IGNORECASE,
)
_HEADING_LENGTH = 80


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
    options: list[_Option] = field(default_factory=list)  # read from lines (_settle)
    # the lines of options as typed, and (marks None) an option's text going on; each with
    # whether it begins its paragraph
    lines: list[tuple[str, list[bool] | None, bool]] = field(default_factory=list)
    answer: str = ""
    answered: bool = False  # the "Đáp án" line read after options: what follows is none of theirs
    number: int | None = None  # as typed: "Câu 12" is 12
    notes: list[str] = field(default_factory=list)  # "Nguồn:", "Căn cứ:" … lines
    noted: bool = False  # the last line read was a note: an unlabelled line goes on with it
    extra: str = ""  # a fifth option's letter ("E")
    # unlabelled paragraphs after the options: an explanation or more of the last option? Never
    # guessed (the question is refused, naming them); "Giải thích:" before one makes it a note
    loose: list[str] = field(default_factory=list)
    loose_after_answer: bool = False  # the first of them came after the "Đáp án" line
    # a section's heading came after the options: the lines up to the next question are that
    # section's ("Chọn phương án đúng nhất cho mỗi câu sau:"), none of this question's
    closed: bool = False


def _clean(text: str) -> str:
    return _GAPS.sub(" ", clean_text(text)).strip()


def _option_starts(text: str, loose: bool) -> list[int]:
    """Where each option on a line starts: after a tab or 2+ spaces ("A. 1910  B. 1912"), and
    when loose after one space before the next letter in order ("A. Đúng B. Sai": B after A,
    C after B, in the first option's case), so "A. Vitamin C. …" stays one option."""
    starts = [0] + [m.end() for m in _NEXT_OPTION.finditer(text)]
    found = []
    for i, first in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        at = first
        found.append(at)
        head = _OPTION.match(text[at:end]) if loose else None
        while head is not None and head[1] not in "dD":
            after = chr(ord(head[1]) + 1)
            step = re.search(rf" (?=\*?{after}[.)]\s*\S)", text[at + head.end() : end])
            if step is None:
                break
            at += head.end() + step.end()
            found.append(at)
            head = _OPTION.match(text[at:end])
    return found


def _options(text: str, marks: list[bool], loose: bool = True) -> list[_Option]:
    """The options on one paragraph ("A. 1910  B. 1912"), each with its marking."""
    starts = _option_starts(text, loose)
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


def _read_options(q: _Question, loose: bool) -> list[_Option]:
    options: list[_Option] = []
    for text, marks, _ in q.lines:
        if marks is not None:
            options.extend(_options(text, marks, loose))
        elif options:
            options[-1].text = _clean(f"{options[-1].text} {text}")
    return options


def _settle(q: _Question) -> None:
    """The question's options: one-space splits ("A. Đúng B. Sai") kept unless they put the
    letters out of order where the line read whole does not ("A. Vitamin B. Vitamin A và D"
    then "B. Vitamin C")."""
    _split_loose(q)
    q.options = _read_options(q, loose=True)
    if not _in_order(q.options):
        whole = _read_options(q, loose=False)
        if _in_order(whole):
            q.options = whole


def _split_loose(q: _Question) -> None:
    """A paragraph of its own after the last option's paragraph, before the question ends, may
    be that option going on or an explanation typed without its label: it goes to q.loose, not
    to the option (a line break inside the option's paragraph still goes on with it)."""
    last = max((i for i, (_, marks, _) in enumerate(q.lines) if marks is not None), default=-1)
    new = next((i for i in range(last + 1, len(q.lines)) if q.lines[i][2]), None)
    if new is not None:
        q.loose[:0] = [_clean(" ".join(t for t, _, _ in q.lines[new:]))]
        q.loose_after_answer = False
        del q.lines[new:]


def _in_order(options: list[_Option]) -> bool:
    return "".join(o.letter for o in options) == "ABCD"[: len(options)]


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


def _source(notes: list[str], limit: int | None) -> str:
    """The notes under a question as its "Nguồn" cell: "Nguồn: X" as X, the others with their
    own label ("Căn cứ: …"); a note that would not fit is left out."""
    source = ""
    for note in notes:
        label = _NOTE.match(fold_chars(note))
        text = note[label.end() :] if label is not None and label[1] == "nguon" else note
        joined = _clean(f"{source} {text}")
        if limit is None or len(joined) <= limit:
            source = joined
    return source


def _row(q: _Question, source_limit: int | None = None) -> dict[str, str]:
    values = {"stem": _clean(" ".join(q.stem)), "correct": _answer(q)}
    if source := _source(q.notes, source_limit):
        values["source"] = source
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
            text = "\n".join(t for _, t, _ in marked_blocks(cell._tc))  # links, insertions too
            cells.append(None if cell._tc is previous else (_clean(text) or None))
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


def _lines(document: Any, columns: tuple[Column, ...]) -> list[Any]:
    """The document in reading order: each line (a paragraph split at its line breaks) as
    (text, marks, whether it begins its paragraph), each question table's rows as a list of values."""
    found: list[Any] = []
    numbering = WordNumbering(document)
    for element, whole, all_marks in marked_blocks(document.element.body):
        if element.tag.endswith("}tbl"):
            rows = _table_rows(Table(element, document), columns)
            if rows is not None:
                found.append(rows)
            continue
        text, marks = whole, all_marks
        if label := numbering.label(element):  # "Câu 1:", "A." drawn by Word, not typed
            text, marks = f"{label} {text}", [False] * (len(label) + 1) + marks
        at = 0
        first = True  # the paragraph's first line (a line break: Shift+Enter inside one)
        for line in text.split("\n"):  # Shift+Enter: a question, its options on one paragraph
            line_marks = marks[at : at + len(line)]
            at += len(line) + 1
            lead = len(line) - len(line.lstrip())
            if line[lead:]:
                found.append((line[lead:], line_marks[lead:], first))
                first = False
    return found


def _questions(lines: list[Any]) -> list[_Question | dict[str, str]]:
    """The document's questions in order (its _lines): read from paragraphs, or a table's rows
    (values)."""
    headed = any(isinstance(line, tuple) and _HEADING.match(line[0]) for line in lines)
    questions: list[_Question | dict[str, str]] = []
    current: _Question | None = None
    for line in lines:
        if isinstance(line, list):
            questions.extend(line)
            current = None
            continue
        text, marks, new = line
        start = _QUESTION.match(text)
        heading = _HEADING.match(text)
        # in a document of "Câu N" headings a bare "1." before the options is the question's
        # own text ("Cho các nhận định sau:" 1. … 2. …), after them the next question
        if start is not None and (
            heading is not None or not headed or current is None or current.lines
        ):
            current = _Question(stem=[text[start.end() :]])
            current.number = int(heading[1]) if heading is not None else None
            questions.append(current)
        elif current is not None and not current.closed:  # closed: a section's instructions
            _add_line(current, text, marks, new)
        # else: the title, instructions above the first question
    return questions


def _add_line(q: _Question, text: str, marks: list[bool], new: bool = True) -> None:
    """A line after a question's first: its answer, options, notes, or more of its text."""
    noted, q.noted = q.noted, False
    if (answer := _ANSWER.match(text)) is not None:
        q.answer = _clean(text[answer.end() :])
        q.answered = bool(q.lines)  # an answer typed above the options ends nothing
    elif _NOTE.match(fold_chars(text)):
        q.notes.append(text)
        q.noted = True
    elif noted and not _OPTION.match(text) and not _is_numbered_heading(text):
        # "Giải thích: …" or "Căn cứ:" going on over the next line, in capitals too ("LUẬT
        # THI ĐUA, KHEN THƯỞNG NĂM 2022"); a part's numbered heading ("Chủ đề 2: …") ends it
        q.notes[-1] = f"{q.notes[-1]} {text}"
        q.noted = True
    elif q.lines and not (_OPTION.match(text) or _EXTRA_OPTION.match(text)) and _is_heading(text):
        # a section's heading after the options ("PHẦN II. LỊCH SỬ"), whether the answer was
        # a line or a mark on an option: it and its instructions are no text of this question
        q.closed = True
    elif q.answered:
        if new or not q.loose:
            q.loose_after_answer = q.loose_after_answer or not q.loose
            q.loose.append(text)
        else:
            q.loose[-1] = f"{q.loose[-1]} {text}"
    elif _OPTION.match(text) and _options(text, marks):
        q.lines.append((text, marks, new))
    elif q.lines and (extra := _EXTRA_OPTION.match(text)) and _last_letter(q) == "D":
        q.extra = q.extra or extra[1].upper()
    elif q.lines and q.extra:
        pass  # the fifth option's text going on
    elif q.lines:  # an option's text going on over the next line (or a loose paragraph)
        q.lines.append((text, None, new))
    else:
        q.stem.append(text)


def _is_heading(text: str) -> bool:
    """A short line in capitals ("PHẦN TRẮC NGHIỆM") or numbered as a part ("Phần II. …"); a
    long one is a paragraph, reported if unlabelled rather than skipped."""
    return (text.isupper() and len(text) <= _HEADING_LENGTH) or _is_numbered_heading(text)


def _is_numbered_heading(text: str) -> bool:
    return len(text) <= _HEADING_LENGTH and bool(_SECTION.match(text))


def _last_letter(q: _Question) -> str:
    text, marks = next((t, m) for t, m, _ in reversed(q.lines) if m is not None)
    return _options(text, marks)[-1].letter


def question_sheet(data: bytes, columns: tuple[Column, ...]) -> tuple[Sheet, list[RowError]]:
    """The questions of a .docx as a sheet (a header of the columns' own names, then one line
    per question in document order) and the errors only a document can have."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        raise ValidationError(
            "Không đọc được tệp Word. Hãy mở bằng Word và lưu lại dưới dạng .docx."
        ) from None
    questions = _questions(_lines(document, columns))
    numbers = _numbers(questions)
    _refuse_legacy_font(document, questions, numbers)
    if not questions:
        raise ValidationError(
            "Không tìm thấy câu hỏi nào trong tệp Word. Mỗi câu bắt đầu bằng “Câu 1:” (hoặc "
            "“1.”), các phương án bằng “A.”, “B.”…, đáp án ghi “Đáp án: B” hoặc tô đậm/gạch chân "
            "phương án đúng; hoặc dùng bảng có cột Câu hỏi, A, B, C, D, Đáp án."
        )
    rows: list[tuple[int, list[Any]]] = [(0, [c.header for c in columns])]
    errors: list[RowError] = []
    limit = next((c.max_length for c in columns if c.key == "source"), None)
    for number, q in zip(numbers, questions, strict=True):
        if isinstance(q, _Question):
            _settle(q)
            errors += _order_errors(number, q)
            if q.extra:
                errors.append(RowError(number, "Phương án", f"Có quá 4 phương án ({q.extra}.)."))
            if q.loose:
                errors.append(RowError(number, "Giải thích", _loose_message(q)))
            values = _row(q, limit)
            errors += _long_notes(number, q, limit)
            if not values["correct"]:
                errors.append(RowError(number, "Đáp án", ANSWER_MISSING))
        else:
            values = q
        rows.append((number, [values.get(c.key) or None for c in columns]))
    return Sheet("Word", rows), errors


def _texts(q: _Question | dict[str, str]) -> list[str]:
    """What a question would store: its text, options, answer and notes as typed."""
    if isinstance(q, dict):
        return list(q.values())
    return [*q.stem, *(text for text, _, _ in q.lines), q.answer, *q.notes, *q.loose]


def _refuse_legacy_font(
    document: Any, questions: list[_Question | dict[str, str]], numbers: list[int]
) -> None:
    """Refuses a bank typed in an old Vietnamese font (TCVN3 "Thñ ®«", VNI "Thuû ñoâ"), naming
    the first question holding such text: read as it is, every question would be saved
    garbled. Its "Câu 1:" typed so reads "C©u 1:" (VNI "Caâu 1:"), so no question may be found
    at all: then the whole document's text (tables too) is what says why."""
    hits = LEGACY_FONT_NAMED_HITS if names_old_font(document) else LEGACY_FONT_HITS
    texts = ((f"câu {n}", t) for n, q in zip(numbers, questions, strict=True) for t in _texts(q))
    example = first_legacy_font(texts, hits=hits)
    if example is None and not questions:
        paragraphs = paragraph_texts(document.element.body)  # in tables and text boxes too
        example = first_legacy_font((("", text) for text in paragraphs), hits=hits)
    if example is not None:
        raise ValidationError(legacy_font_refusal(example[1], place=example[0]), code="old_font")


def _numbers(questions: list[_Question | dict[str, str]]) -> list[int]:
    """Each question's number in messages: as typed ("Câu 12" is 12) when every question has
    its own, else its order in the document."""
    typed = [q.number if isinstance(q, _Question) else None for q in questions]
    if None not in typed and len(set(typed)) == len(typed):
        return [n for n in typed if n is not None]
    return list(range(1, len(questions) + 1))


def _long_notes(number: int, q: _Question, limit: int | None) -> list[RowError]:
    """A note the "Nguồn" column cannot hold (_source leaves it out): named, never lost."""
    kept = _source(q.notes, limit)
    return [
        RowError(
            number,
            "Giải thích",
            f"Đoạn {_quoted(_clean(note))} không lưu được: ghi chú, giải thích của một câu hỏi "
            f"(cột Nguồn) dài tối đa {limit} ký tự; hãy rút gọn.",
        )
        for note in q.notes
        if limit is not None and _clean(_source([note], None)) not in kept
    ]


_QUOTED_LENGTH = 60


def _quoted(text: str) -> str:
    """A paragraph named in a message: its first 60 characters, "…" when there is more."""
    if len(text) > _QUOTED_LENGTH:
        return f"“{text[:_QUOTED_LENGTH]}…”"
    return f"“{text}”"


def _loose_message(q: _Question) -> str:
    """Why a question with an unlabelled paragraph after its options is not imported, and the
    two ways to say what the paragraph is."""
    shown = _quoted(q.loose[0])
    if q.loose_after_answer:
        return (
            f"Đoạn {shown} sau dòng đáp án không ghi nhãn nên chưa nhập được. Nếu là lời giải "
            "thích của câu này, ghi “Giải thích:” ở đầu đoạn; nếu không cần, xóa đoạn đó."
        )
    last = q.options[-1].letter if q.options else "cuối"
    return (
        f"Đoạn {shown} sau phương án {last} không ghi nhãn nên không rõ là phần tiếp của phương "
        f"án {last} hay lời giải thích. Nếu là lời giải thích, ghi “Giải thích:” ở đầu đoạn; nếu "
        f"là phương án {last}, gõ liền vào đoạn của phương án {last} (xuống dòng bằng Shift+Enter)."
    )


def _order_errors(number: int, q: _Question) -> list[RowError]:
    if _in_order(q.options):
        return []
    letters = [o.letter for o in q.options]
    expected = "ABCD"[: len(letters)]
    return [
        RowError(
            number,
            "Phương án",
            f"Các phương án ghi theo thứ tự {', '.join(letters)}: phải là "
            f"{', '.join(expected)} (mỗi chữ cái một lần, theo thứ tự).",
        )
    ]
