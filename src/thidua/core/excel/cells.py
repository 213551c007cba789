"""Declared columns, row errors, and cells as users type them: text, dates, whole numbers,
yes or no, headers compared without case, accents or punctuation."""

import calendar
import contextlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from thidua.core.sheets import shown_as_percent
from thidua.core.text import fold


@dataclass(frozen=True)
class Column:
    header: str  # Vietnamese header, as shown in the template
    key: str
    required: bool = False
    parse: Callable[[Any], Any] | None = None  # raises ValidationError with a Vietnamese message
    width: int = 20
    choices: Sequence[str] = ()  # a validation list in the template; read without case/accents
    synonyms: Sequence[str] = ()  # other headers meaning this column ("cau_hoi", "Nội dung")
    max_length: int | None = None  # a text column's limit (its model field's): longer is refused


@dataclass(frozen=True)
class RowError:
    row: int  # line in the file (the header's own line for a missing column; 0: the file)
    column: str
    message: str
    whole_file: bool = False  # about the file, though it names a line (a missing column)

    def as_dict(self) -> dict[str, Any]:
        shown = {"row": self.row, "column": self.column, "message": self.message}
        return {**shown, "whole_file": True} if self.whole_file else shown


def concerns_whole_file(error: RowError | Mapping[str, Any]) -> bool:
    """An error about the file as a whole (no data line, a missing column): shown on its own
    above the lines' errors. Takes an error or its as_dict (kept in the session, a job, a batch)."""
    if isinstance(error, RowError):
        return error.whole_file or not error.row
    return bool(error.get("whole_file")) or not error.get("row")


def in_file_order(errors: Iterable[RowError]) -> list[RowError]:
    """Errors as the user reads the file, line by line (the whole file's first): read_rows
    reports each line's cells, an importer's own checks come after; within a line, as found."""
    return sorted(errors, key=lambda e: e.row)


def refused_row(line: int, exc: ValidationError, columns: Sequence[Column]) -> list[RowError]:
    """A row a service refused while the import wrote it (a check only the write can make): one
    error per message, on the column of the field it names (a column's key is the service's
    field name); a refusal of the whole row, or of a field no column holds, names no column."""
    if not hasattr(exc, "error_dict"):
        return [RowError(line, "", m) for m in exc.messages]
    headers = {c.key: c.header for c in columns}
    return [
        RowError(line, headers.get(field, ""), m)
        for field, messages in exc.message_dict.items()
        for m in messages
    ]


# --- Cells ---------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(1, 2_958_466)  # 01/01/1900 .. 31/12/9999 as Excel day numbers
_WITH_TIME = re.compile(r"\S+ \d{1,2}:\d\d(:\d\d)?")  # "05/03/2026 08:30" from other software
# A date as documents write it, folded: "ngay 5 thang 3 nam 2026", "ngay 05/03/2026"
_IN_WORDS = re.compile(
    r"(?:ngay\s*)?(?:mong\s*)?(\d{1,2})\s*(?:thang\s*|[/.-])(\d{1,2})\s*(?:nam\s*|[/.-])(\d{4})\.?"
)
_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d/%m/%y",
    "%d-%m-%y",
    "%d.%m.%y",
    "%Y/%m/%d",
)


def cell_text(value: Any) -> str:
    """A cell as the user reads it: 1 not 1.0, dates as dd/mm/yyyy."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)


def parse_date_cell(value: Any) -> date:
    """A date cell, an Excel day number (a date column left as "General"), or text as
    dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, with a time after it, or in
    words: "ngày 5 tháng 3 năm 2026")."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).strip()
    # Five digits (from 18/05/1927): four are a year typed alone ("2022"), not 14/07/1905.
    if text.isdigit() and int(text) in _SERIALS and len(text) >= 5:  # noqa: PLR2004
        return _EXCEL_EPOCH + timedelta(days=int(text))
    with_time = re.match(r"^\d{4}-\d\d-\d\d[ T]", text) or _WITH_TIME.fullmatch(text)
    candidate = text.split(" ", 1)[0] if with_time else text
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate.split("T")[0], fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    words = _IN_WORDS.fullmatch(fold(text))
    if words:  # "ngày 5 tháng 3 năm 2026", "Ngày 05/03/2026", as documents write a date
        candidate = "/".join(words.groups())
        with contextlib.suppress(ValueError):
            return datetime.strptime(candidate, "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar date
    raise ValidationError(_date_problem(text, candidate))


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _date_problem(text: str, candidate: str) -> str:
    """Why a cell is no date: typed as dd/mm/yyyy but not on the calendar (31/02, or month
    and day swapped as in 12/25/2022), or not a date at all."""
    found = _DAY_MONTH_YEAR.fullmatch(candidate)
    if found:
        day, month, year = (int(part) for part in found.groups())
        if month > 12:  # noqa: PLR2004
            return (
                f"Ngày “{text}” không có trên lịch: không có tháng {month}. "
                "Hãy ghi ngày trước, tháng sau (dd/mm/yyyy)."
            )
        if month >= 1 and year >= 1:
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                return f"Ngày “{text}” không có trên lịch: tháng {month} năm {year} có {days} ngày."
    partial = _PARTIAL_DATE.fullmatch(candidate)
    if partial:  # an old record's "2021" or "3/2021": the day (and month) are what is missing
        kept = "tháng và năm" if partial[1] else "năm"
        return f"Ngày “{text}” chỉ có {kept}; hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy)."
    return f"Ngày “{text}” không đúng dạng dd/mm/yyyy."


# "2021", "3/2021", "03-2021", "12.2021": a year (1900-2099), after a month or not
_PARTIAL_DATE = re.compile(r"(?:(0?[1-9]|1[0-2])[/.-])?((?:19|20)\d\d)")

MAX_WHOLE_NUMBER = 2_147_483_647  # the largest an integer column holds (PostgreSQL)
# 1.200 / 1,200 / 1 200, the space also a no-break one (Excel, Numbers on a Mac)
_GROUPED = re.compile(r"^\d{1,3}(?:([., \u00a0\u202f\u2009])\d{3})(?:\1\d{3})*$")
_ZERO_DECIMALS = re.compile(r"^(\d+)[.,]0{1,2}$")  # 2022.0 from a tool that wrote floats
# 1.234,00 (Vietnamese: dots group, a comma before the decimals) or 1,234.00
_GROUPED_ZERO_DECIMALS = re.compile(
    r"^(\d{1,3}(?:\.\d{3})+),0{1,2}$|^(\d{1,3}(?:,\d{3})+)\.0{1,2}$"
)


def parse_int_cell(value: Any) -> int:
    """A whole number: a number cell, or text with thousands grouped ("1.200") or a zero
    decimal part ("2022.0")."""
    if isinstance(value, bool):
        raise ValidationError(f"“{cell_text(value)}” không phải là số nguyên.")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(f"“{cell_text(value)}” không phải là số nguyên.")
        number = int(value)
    else:
        text = cell_text(value).strip()
        if _GROUPED.match(text):
            text = re.sub(r"\D", "", text)
        elif zero := _ZERO_DECIMALS.match(text):
            text = zero.group(1)
        elif grouped := _GROUPED_ZERO_DECIMALS.match(text):
            text = re.sub(r"\D", "", grouped.group(1) or grouped.group(2))
        if not text.lstrip("-").isdigit():
            raise ValidationError(f"“{value}” không phải là số nguyên.")
        number = int(text)
    if number < 0:
        raise ValidationError("Số không được âm.")
    if number > MAX_WHOLE_NUMBER:
        raise ValidationError(f"Số “{cell_text(value)}” quá lớn.")
    return number


_YES = frozenset({"co", "x", "1", "v", "yes", "true", "dung", "dang vien", "la dang vien"})
_NO = frozenset({"khong", "0", "no", "false", "sai", "-"})


def parse_yes_no(value: Any) -> str:
    """ "Có" or "Không" from the ways people mark it ("x", "có", 1, TRUE)."""
    key = header_key(value)
    if key in _YES:
        return "Có"
    if key in _NO:
        return "Không"
    raise ValidationError(f"“{cell_text(value)}” phải là Có hoặc Không.")


_PERCENT_SIGN = re.compile(r"\s*%$")


def percent_figure(value: Any) -> Any:
    """A figure counted in percent as the cell means it: a number cell shown as a percentage
    holds its fraction (85 % is 0.85, read as 85); text may carry the sign ("85%", "85,5 %" read
    as "85", "85,5", for the import's own number reading). Any other cell is as it is: a plain 85
    is 85."""
    if shown_as_percent(value):
        return float(Decimal(str(value)) * 100)  # exact: 0.85 * 100 is 85.00000000000001
    if isinstance(value, str):
        return _PERCENT_SIGN.sub("", value)
    return value


# --- Headers -------------------------------------------------------------------------------


def header_key(value: Any) -> str:
    """A header as compared: no case, accents, punctuation or required mark.
    header_key("Đáp án đúng (*)") == header_key("dap_an_dung") == "dap an dung"."""
    if value is None:
        return ""
    return " ".join(re.findall(r"[a-z0-9]+", fold(cell_text(value))))
