"""A user's spreadsheet as rows of cells, whatever produced it: an .xlsx (any sheet, title rows
above the header, merged cells), or a .csv in the encoding the user's Excel chose (UTF-8 with or
without BOM, UTF-16 from "Unicode Text", Windows-1258 from a Vietnamese Windows) and with its
separator (comma, semicolon, tab). Text cells are cleaned as every input is (NFC, no control
characters). core.excel finds the header and the columns among these rows."""

import codecs
import csv
import functools
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from thidua.core.text import (
    clean_text,
    first_legacy_font,
    legacy_font_refusal,
    vn_thousands,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_COLUMNS = 200
MAX_SHEETS = 10
_MAX_UNPACKED = 40 * MAX_IMPORT_BYTES  # a ZIP bomb unpacks far beyond this
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_SEPARATORS = (",", ";", "\t", "|")
_SNIFF_CHARS = 64 * 1024
MAX_MERGES = 50_000  # ranges merged over several lines, per sheet
# <mergeCell ref="B3:B7"/>, with or without a namespace prefix; found by scanning the sheet's XML
_MERGE = re.compile(
    rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']"
    rb"\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})[\"']"
)
_XML_CHUNK = 64 * 1024
# a cell holding a formula and no value: <c r="C5"><f>SUM(C2:C4)</f></c>, <f .../>, or an
# empty <v></v> as openpyxl writes; not a formula whose value is empty text (t="str")
_UNCOMPUTED = re.compile(
    rb"<(?:[\w.-]+:)?c\b(?![^>]*\bt\s*=\s*[\"']str)[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3}\d{1,7})[\"']"
    rb"[^>]*>\s*<(?:[\w.-]+:)?f\b[^>]*(?:/>|>[^<]*</(?:[\w.-]+:)?f>)\s*"
    rb"(?:<(?:[\w.-]+:)?v\s*/>|<(?:[\w.-]+:)?v>\s*</(?:[\w.-]+:)?v>)?\s*</(?:[\w.-]+:)?c>"
)
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")  # any formula (most sheets have none)
# a row the user hid, by hand or with a filter (Excel marks both so): <row r="7" hidden="1">
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*>")
_HIDDEN = re.compile(rb"\bhidden\s*=\s*[\"'](?:1|true)[\"']")
_ROW_NUMBER = re.compile(rb"\br\s*=\s*[\"'](\d{1,7})[\"']")
_AUTOFILTER = re.compile(rb"<(?:[\w.-]+:)?autoFilter\b")
_XML_TAIL = 2048  # an element cut by a chunk's end is kept this far for the next chunk


class PercentFloat(float):
    """A number cell shown as a percentage (format "0%", "0.00%"): it holds 0.85 and shows 85 %.
    It is still the number it holds, so every import reads it as it always did; one whose figure
    is a percentage scales it (core.excel.percent_figure)."""

    __slots__ = ()


class PercentInt(int):
    """A whole number cell shown as a percentage: 1 shows 100 % (see PercentFloat)."""

    __slots__ = ()


def shown_as_percent(value: Any) -> bool:
    return isinstance(value, PercentFloat | PercentInt)


# The parts of a number format that are only text: quoted (0"%") or escaped (0\%); a
# % sign there is printed beside the number, which is not scaled.
_FORMAT_TEXT = re.compile(r'"[^"]*"|\\.')


@functools.lru_cache(maxsize=256)
def _percent_format(number_format: str) -> bool:
    return "%" in _FORMAT_TEXT.sub("", number_format)


def _number_format(cell: Any) -> str:
    """The cell's number format; "" when its style names a format the file does not define
    (openpyxl's read-only cells raise then): the number is read as it is, as before."""
    try:
        return str(cell.number_format)
    except (IndexError, KeyError, AttributeError):
        return ""


def _value(cell: Any) -> Any:
    """A cell's value; a number shown as a percentage keeps that mark (PercentFloat)."""
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and _percent_format(_number_format(cell))
    ):
        return PercentFloat(value) if isinstance(value, float) else PercentInt(value)
    return value


Row = tuple[int, list[Any]]  # (line in the file, cells)
Merge = tuple[int, int, int, int]  # first line, first column, last line, last column (from 0)


@dataclass
class Sheet:
    name: str
    rows: list[Row]  # non-blank rows only, in file order
    complete: bool = True  # False when only the first rows were read (a preview)
    # Ranges merged over several lines (a "Đơn vị" typed once beside its people): the file holds
    # the value in the top-left cell only. Read for previews too, so the mapping step shows what
    # the import reads (core.excel.fill_merged).
    merges: list[Merge] = field(default_factory=list)
    # Lines hidden in the sheet (a filter, or rows hidden by hand): imported like the others,
    # since a user may have hidden them only to read the rest; the import says which they are.
    hidden_lines: frozenset[int] = frozenset()
    filtered: bool = False  # the sheet has a filter (AutoFilter)


def _bad(message: str) -> ValidationError:
    return ValidationError(message, code="bad_file")


# Within a line of a cell: runs of spaces, tabs, no-break and other-width spaces (pasted from a
# web page or a PDF: "Nguyễn\u00a0Văn\u2003An"); joiners and direction marks, invisible.
_GAPS = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile("[\u200c-\u200f\u2060]")
# Full-width Latin letters, digits and signs (an East Asian keyboard, a document pasted from
# one): full-width "PA01" is the code PA01.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _cell(value: Any) -> Any:
    """A text cell as it reads: one plain space between words, none around its lines."""
    if isinstance(value, str):
        text = _GAPS.sub(" ", _INVISIBLE.sub("", clean_text(value).translate(_FULL_WIDTH)))
        return "\n".join(line.strip() for line in text.split("\n")).strip() or None
    return value


def _trimmed(cells: list[Any]) -> list[Any]:
    cells = [_cell(v) for v in cells[:MAX_COLUMNS]]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def read_sheets(data: bytes, *, limit: int | None = None) -> list[Sheet]:
    """Every visible sheet of an .xlsx (or the one table of a CSV). `limit` reads only the first
    rows of each (for finding the header and showing a preview). Raises a Vietnamese
    ValidationError for a file that is not a spreadsheet."""
    if not data.strip():
        raise _bad("Tệp rỗng: hãy chọn tệp Excel (.xlsx) có dữ liệu.")
    if len(data) > MAX_IMPORT_BYTES:
        raise _bad(f"Tệp quá lớn (tối đa {MAX_IMPORT_BYTES // (1024 * 1024)} MB).")
    if data.startswith(b"PK\x03\x04"):
        return _refuse_legacy_font(_xlsx_sheets(data, limit))
    if data.startswith(_OLE_MAGIC):
        raise _bad(
            "Tệp là bảng tính Excel cũ (.xls) hoặc có mật khẩu. Hãy mở bằng Excel, gỡ mật khẩu "
            "nếu có và lưu lại dưới dạng .xlsx."
        )
    text = decode_text(data)
    if text is None:
        raise _bad("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")
    return _refuse_legacy_font([_csv_sheet(text, limit)])


def _refuse_legacy_font(sheets: list[Sheet]) -> list[Sheet]:
    """The sheets, unless their text was typed in an old Vietnamese font (TCVN3 "B¾c Ninh", VNI
    "Haø Noäi"): read as it is, every name would be saved garbled."""
    cells = (
        ((sheet, line), cell)
        for sheet in sheets
        for line, cells in sheet.rows
        for cell in cells
        if isinstance(cell, str)
    )
    example = first_legacy_font(cells)
    if example is None:
        return sheets
    (sheet, line), text = example
    place = f"dòng {line}" + (f" trang “{sheet.name}”" if len(sheets) > 1 else "")
    raise _bad(legacy_font_refusal(text, place=place))


def _xlsx_sheets(data: bytes, limit: int | None) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:
        raise _bad(
            "Không đọc được tệp Excel. Hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
        ) from None
    with archive:
        return _workbook_sheets(archive, data, limit)


def _workbook_sheets(archive: zipfile.ZipFile, data: bytes, limit: int | None) -> list[Sheet]:
    try:
        if sum(info.file_size for info in archive.infolist()) > _MAX_UNPACKED:
            raise _bad("Tệp bảng tính bất thường (dung lượng giải nén quá lớn).")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception:
        raise _bad(
            "Không đọc được tệp Excel. Hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
        ) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets[:MAX_SHEETS]:
            if getattr(worksheet, "sheet_state", "visible") != "visible":
                continue  # lists behind validations, hidden working sheets
            sheet = Sheet(str(worksheet.title), *_worksheet_rows(worksheet, limit))
            # read-only mode gives no merged cells: they are read from the sheet's own XML
            path = getattr(worksheet, "_worksheet_path", None)
            if path:
                scan = _scan_sheet_xml(archive, path.lstrip("/"), sheet.name)
                sheet.merges, sheet.hidden_lines, sheet.filtered = scan
            sheets.append(sheet)
    except ValidationError:
        raise
    except Exception:
        raise _bad(
            "Không đọc được tệp Excel. Hãy mở bằng Excel và lưu lại dưới dạng .xlsx."
        ) from None
    finally:
        workbook.close()
    return sheets


def _worksheet_rows(worksheet: Any, limit: int | None) -> tuple[list[Row], bool]:
    """The sheet's non-blank rows, and whether all were read."""
    # Read-only mode stops at the size the file states, which other tools write wrong (or
    # never update): rows and columns beyond it would be silently left out.
    worksheet.reset_dimensions()
    rows: list[Row] = []
    # Cells, not values only: a number's format tells a percentage (0.85 shown as 85 %).
    for line, raw in enumerate(worksheet.iter_rows(), start=1):
        cells = _trimmed([_value(c) for c in raw[:MAX_COLUMNS]])
        if not cells:
            continue
        if limit is not None and len(rows) >= limit:
            return rows, False
        rows.append((line, cells))
        if len(rows) > MAX_IMPORT_ROWS + 50:
            break  # read_rows reports the file as too long
    return rows, True


def _column(letters: bytes) -> int:
    return column_index_from_string(letters.decode().upper()) - 1


def _hidden_rows(buffer: bytes, found: set[int]) -> None:
    """Adds the lines of the <row … hidden="1"> tags in `buffer` to `found`. Found from each
    "hidden" (few in a sheet), not by a pattern tried at every tag: a third of the time on a
    20,000-row sheet. A tag cut by the buffer's ends is left for the next chunk."""
    at = buffer.find(b"hidden")
    while at >= 0:
        start, end = buffer.rfind(b"<", 0, at), buffer.find(b">", at)
        if end < 0:
            return
        tag = buffer[start : end + 1] if start >= 0 else b""
        if _ROW_TAG.fullmatch(tag) and _HIDDEN.search(tag) and (line := _ROW_NUMBER.search(tag)):
            found.add(int(line[1]))
        at = buffer.find(b"hidden", end)


def _scan_sheet_xml(
    archive: zipfile.ZipFile, path: str, name: str
) -> tuple[list[Merge], frozenset[int], bool]:
    """What read-only mode does not give, from the sheet's XML: the ranges merged over several
    lines (from <mergeCells> after its data), the hidden lines and whether it has a filter. The
    XML is scanned in chunks, never held whole; ranges within one line are left out (a title or a
    section line spread across columns: Excel shows its value once, in its first column).
    A formula without the value it computes to is refused: the file was made by a program that
    does not calculate (Excel, WPS and LibreOffice keep the value), and the import would read
    the cell as empty."""
    merges: list[Merge] = []
    hidden: set[int] = set()  # a set: a row tag cut by a chunk's end is read again in the next
    filtered = False
    tail = b""
    with archive.open(path) as stream:
        while chunk := stream.read(_XML_CHUNK):
            buffer, end = tail + chunk, 0
            _hidden_rows(buffer, hidden)
            filtered = filtered or bool(b"autoFilter" in buffer and _AUTOFILTER.search(buffer))
            if b"mergeCell" in buffer:
                for match in _MERGE.finditer(buffer):
                    end = match.end()
                    first, last = sorted((int(match[2]), int(match[4])))
                    if first == last:
                        continue
                    left, right = sorted((_column(match[1]), _column(match[3])))
                    merges.append((first, left, last, right))
                    if len(merges) > MAX_MERGES:
                        limit = vn_thousands(MAX_MERGES)
                        raise _bad(
                            f"Trang tính “{name}” có quá nhiều ô gộp (trên {limit} vùng gộp qua "
                            "nhiều dòng). Hãy bỏ gộp ô (Unmerge Cells) rồi lưu lại."
                        )
            if _FORMULA.search(buffer) and (uncomputed := _UNCOMPUTED.search(buffer)):
                raise _bad(
                    f"Trang tính “{name}” có công thức chưa được tính (ô "
                    f"{uncomputed[1].decode()}): tệp do một phần mềm khác tạo ra, chưa có giá trị "
                    "của công thức nên ô sẽ bị đọc là trống. Hãy mở tệp bằng Excel (hoặc WPS, "
                    "LibreOffice), lưu lại rồi tải lên lại."
                )
            tail = buffer[max(end, len(buffer) - _XML_TAIL) :]
    return merges, frozenset(hidden), filtered


def decode_text(data: bytes) -> str | None:
    """The text of a CSV in the encoding it was saved in; None when it is not text at all."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _decoded(data, encoding)
    sample = data[:4096]
    if sample and b"\x00" in sample:  # UTF-16 without its mark: every other byte is zero
        half = len(sample) // 2 or 1
        if sample[1::2].count(0) > half * 0.6:
            return _decoded(data, "utf-16-le")
        if sample[0::2].count(0) > half * 0.6:
            return _decoded(data, "utf-16-be")
        return None
    for encoding in ("utf-8", "cp1258"):  # Windows-1258: Excel's "CSV" on Vietnamese Windows
        text = _decoded(data, encoding)
        if text is not None:
            return text
    return None


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    head = text[:4096]
    if sum(1 for ch in head if ch < " " and ch not in "\t\r\n") > len(head) // 100:
        return None  # binary, whatever the decoder made of it
    return clean_text(text)  # cp1258 writes tones as combining marks: NFC joins them


def _separator(text: str) -> str:
    """The separator giving the most rows of one consistent width (Excel uses ";" where the
    decimal mark is a comma, as in Vietnamese settings, and tabs for "Unicode Text")."""
    sample = text[:_SNIFF_CHARS]
    best, best_score = ",", (0, 0.0, 0)
    for sep in _SEPARATORS:
        widths = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=sep) if any(r)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (int(width > 1), count / len(widths), width)
        if score > best_score:
            best, best_score = sep, score
    return best


def _csv_sheet(text: str, limit: int | None) -> Sheet:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    rows: list[Row] = []
    complete = True
    line = 1
    try:
        for raw in reader:
            cells = _trimmed(raw)
            start, line = line, reader.line_num + 1
            if not cells:
                continue
            if limit is not None and len(rows) >= limit:
                complete = False
                break
            rows.append((start, cells))
            if len(rows) > MAX_IMPORT_ROWS + 50:
                break
    except csv.Error:
        raise _bad(f"Tệp CSV hỏng ở dòng {line} (dấu ngoặc kép không đóng).") from None
    return Sheet("CSV", rows, complete)
