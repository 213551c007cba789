"""One approach for every spreadsheet: declared columns (with the other names users give them),
the header found wherever it is and matched by meaning, every row checked before any write, an
error report users can download, and streaming exports that write user text as text.

Reading: `read_rows(upload, columns)` takes an upload (an .xlsx, or a CSV where the import takes
one: see core.sheets) or a `SheetFile`, which carries the layout a user confirmed on the mapping
step (core.imports); otherwise `find_layout` matches the columns by header, without case, accents
or punctuation, against each column's header and synonyms."""

import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

import xlsxwriter
from django.core.exceptions import ValidationError
from xlsxwriter.utility import xl_col_to_name

from thidua.core.sheets import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, Sheet, read_sheets
from thidua.core.text import fold

__all__ = ["MAX_IMPORT_BYTES", "MAX_IMPORT_ROWS"]

MAX_SHEET_ROW = 1_048_575  # Excel's last row (0-based): validation lists cover the whole column
LIST_LIMIT = 255  # Excel's limit on an inline validation list
HEADER_SCAN = 15  # the header is among a sheet's first rows (title rows may stand above it)
IGNORE = ""  # a mapping's target for a column the import does not use
# Columns every import may carry without meaning anything to it.
IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "thu tu", "no", "ghi chu"})


@dataclass(frozen=True)
class Column:
    header: str  # Vietnamese header, as shown in the template
    key: str
    required: bool = False
    parse: Callable[[Any], Any] | None = None  # raises ValidationError with a Vietnamese message
    width: int = 20
    choices: Sequence[str] = ()  # a validation list in the template; read without case/accents
    synonyms: Sequence[str] = ()  # other headers meaning this column ("cau_hoi", "Nội dung")


@dataclass(frozen=True)
class RowError:
    row: int  # line in the file (the header's own line for a missing column; 0: the file)
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


# --- Cells ---------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(1, 2_958_466)  # 01/01/1900 .. 31/12/9999 as Excel day numbers
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y", "%Y/%m/%d")


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
    dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).strip()
    if text.isdigit() and int(text) in _SERIALS and len(text) >= 4:  # noqa: PLR2004
        return _EXCEL_EPOCH + timedelta(days=int(text))
    candidate = text.split(" ", 1)[0] if re.match(r"^\d{4}-\d\d-\d\d[ T]", text) else text
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate.split("T")[0], fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValidationError(f"Ngày “{text}” không đúng dạng dd/mm/yyyy.")


_GROUPED = re.compile(r"^\d{1,3}(?:([.,  ])\d{3})(?:\1\d{3})*$")  # 1.200 / 1,200 / 1 200
_ZERO_DECIMALS = re.compile(r"^(\d+)[.,]0{1,2}$")  # 2022.0 from a tool that wrote floats


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
        if not text.lstrip("-").isdigit():
            raise ValidationError(f"“{value}” không phải là số nguyên.")
        number = int(text)
    if number < 0:
        raise ValidationError("Số không được âm.")
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


# --- Headers and layout ---------------------------------------------------------------------


def header_key(value: Any) -> str:
    """A header as compared: no case, accents, punctuation or required mark.
    header_key("Đáp án đúng (*)") == header_key("dap_an_dung") == "dap an dung"."""
    if value is None:
        return ""
    return " ".join(re.findall(r"[a-z0-9]+", fold(cell_text(value))))


@dataclass(frozen=True)
class SheetFile:
    """An uploaded spreadsheet with, once known, where its data is: the sheet, the header's line
    and which file column holds each field (as the user confirmed it on the mapping step)."""

    data: bytes
    filename: str = ""
    sheet: str = ""
    header_row: int | None = None
    mapping: Mapping[str, int] | None = None  # column key -> position (0-based) in the file

    def read(self, size: int = -1) -> bytes:  # reads like the upload it came from
        return self.data if size < 0 else self.data[:size]


@dataclass
class Layout:
    """Where a sheet's data is: its header line(s), each column's header, and the match."""

    sheet: str
    header_row: int  # line of the header (its last line when it spans two)
    headers: list[str]  # the file's header text per position
    mapping: dict[str, int]  # column key -> position
    unknown: list[int] = field(default_factory=list)  # positions whose header matched nothing
    first_data_row: int = 0  # index in Sheet.rows of the first line below the header
    sheets: int = 1  # visible sheets in the file (errors name the sheet when there are several)

    def missing(self, columns: Sequence[Column]) -> list[Column]:
        return [c for c in columns if c.required and c.key not in self.mapping]

    def found(self) -> str:
        named = [f"“{h}”" for h in self.headers if h]
        return ", ".join(named) if named else "không có"


def _lookup(columns: Sequence[Column], remembered: Mapping[str, str]) -> dict[str, str]:
    """Header key -> column key (IGNORE for columns to skip); later sources win: ignorable
    headers, synonyms, the columns' own headers, then what this user mapped before."""
    known = {c.key for c in columns}
    table = dict.fromkeys(IGNORED_HEADERS, IGNORE)
    for column in columns:
        for synonym in column.synonyms:
            table[header_key(synonym)] = column.key
    for column in columns:
        table[header_key(column.header)] = column.key
    for text, key in remembered.items():
        if key == IGNORE or key in known:
            table[header_key(text)] = key
    table.pop("", None)
    return table


def _match(
    candidates: list[list[str]], table: Mapping[str, str]
) -> tuple[dict[str, int], list[int]]:
    mapping: dict[str, int] = {}
    unknown: list[int] = []
    for position, texts in enumerate(candidates):
        placed = False
        for text in texts:
            key = table.get(header_key(text))
            if key == IGNORE:
                placed = True
                break
            if key is not None and key not in mapping:
                mapping[key] = position
                placed = True
                break
        if not placed and any(texts):
            unknown.append(position)
    return mapping, unknown


def _texts(cells: list[Any]) -> list[str]:
    return ["" if c is None else cell_text(c) for c in cells]


def _two_line(parent: list[Any], sub: list[Any]) -> list[list[str]]:
    """Candidates per position for a header over two lines ("Phương án" merged above "A", "B"):
    parent and sub joined, the sub alone, the parent alone (a merged parent spans to the right)."""
    top, below = _texts(parent), _texts(sub)
    width = max(len(top), len(below))
    top += [""] * (width - len(top))
    below += [""] * (width - len(below))
    out, spanning = [], ""
    for upper, lower in zip(top, below, strict=True):
        spanning = upper or (spanning if lower else "")
        out.append([t for t in (f"{spanning} {lower}".strip(), lower, upper) if t])
    return out


def _numbering(cells: list[Any]) -> bool:
    """A line of column numbers under a header, as official forms print: (1) (2) (3)…"""
    texts = [t for t in _texts(cells) if t]
    return len(texts) > 1 and all(re.fullmatch(r"\(?\d{1,2}\)?|[A-Z]", t) for t in texts)


def _merged_above(top: list[Any], below: list[Any]) -> bool:
    """A header over two lines has a merged cell on top ("Phương án" over A, B, C, D): a gap in
    the upper line above a filled cell of the lower one. A data line under a header has none."""
    return any(
        (top[i] if i < len(top) else None) is None and value is not None
        for i, value in enumerate(below)
    )


def _first_wide(rows: Sequence[tuple[int, list[Any]]]) -> int:
    """Index of the first line about as wide as the table: the header is there or above (title
    lines above are narrow); lines below are data, whatever their cells look like ("A", "B")."""
    counts = [sum(c is not None for c in cells) for _, cells in rows[:HEADER_SCAN]]
    if not counts:
        return 0
    wide = max(2, (max(counts) + 1) // 2)
    return next((i for i, n in enumerate(counts) if n >= wide), len(counts) - 1)


def find_layout(
    sheet: Sheet,
    columns: Sequence[Column],
    remembered: Mapping[str, str] | None = None,
    header_row: int | None = None,
) -> Layout:
    """The header among the sheet's first lines (or ending at `header_row`): the line, or pair
    of lines, that matches the most columns; with none matching, the first line as wide as any."""
    table = _lookup(columns, remembered or {})
    rows = sheet.rows[: HEADER_SCAN + 1] if header_row is None else sheet.rows
    # (last line, data index, single line?, candidates)
    options: list[tuple[int, int, bool, list[list[str]]]] = []
    scan = rows[: _first_wide(rows) + 1] if header_row is None else rows
    for i, (line, cells) in enumerate(scan):
        if header_row in (None, line):
            options.append((line, i + 1, True, [[t] if t else [] for t in _texts(cells)]))
        if i + 1 < len(rows) and header_row in (None, rows[i + 1][0]):
            below = rows[i + 1][1]
            if _merged_above(cells, below):
                options.append((rows[i + 1][0], i + 2, False, _two_line(cells, below)))
    # The most columns matched; on a tie one line over two (a title above is no header), then
    # the earliest.
    best: tuple[tuple[int, bool], Layout] | None = None
    for last, data_at, single, candidates in options:
        mapping, unknown = _match(candidates, table)
        if best is None or (len(mapping), single) > best[0]:
            headers = [c[0] if c else "" for c in candidates]
            layout = Layout(sheet.name, last, headers, mapping, unknown, data_at)
            best = ((len(mapping), single), layout)
    if best is None or best[0][0] == 0:
        return _widest(sheet, table, header_row)
    layout = best[1]
    if layout.first_data_row < len(sheet.rows) and _numbering(sheet.rows[layout.first_data_row][1]):
        layout.first_data_row += 1
    return layout


def _widest(sheet: Sheet, table: Mapping[str, str], header_row: int | None) -> Layout:
    scan = [
        (i, r) for i, r in enumerate(sheet.rows[: HEADER_SCAN + 5]) if header_row in (None, r[0])
    ]
    if not scan:
        return Layout(sheet.name, header_row or 1, [], {}, [], len(sheet.rows))
    width = max(len([c for c in cells if c is not None]) for _, (_, cells) in scan)
    i, (line, cells) = next(
        (i, r) for i, r in scan if len([c for c in r[1] if c is not None]) == width
    )
    candidates = [[t] if t else [] for t in _texts(cells)]
    mapping, unknown = _match(candidates, table)
    headers = [c[0] if c else "" for c in candidates]
    return Layout(sheet.name, line, headers, mapping, unknown, i + 1)


def choose_layout(
    sheets: Sequence[Sheet],
    columns: Sequence[Column],
    remembered: Mapping[str, str] | None = None,
) -> tuple[Sheet, Layout]:
    """The sheet whose header matches the most columns (the first sheet on a tie; empty sheets
    are skipped)."""
    filled = [s for s in sheets if s.rows] or list(sheets)
    if not filled:
        raise ValidationError("Tệp không có trang tính nào.")
    found = [(sheet, find_layout(sheet, columns, remembered)) for sheet in filled]

    def rank(pair: tuple[Sheet, Layout]) -> tuple[int, int, int]:
        matched = len(pair[1].mapping)  # with nothing matched anywhere, the longest sheet
        return matched, 0 if matched else len(pair[0].rows), -found.index(pair)

    sheet, layout = max(found, key=rank)
    layout.sheets = len(filled)
    return sheet, layout


def layout_of(sheet: Sheet, columns: Sequence[Column], upload: SheetFile) -> Layout:
    """The layout a SheetFile was confirmed with."""
    assert upload.mapping is not None  # noqa: S101 - the caller checked
    line = upload.header_row or 1
    index = next((i for i, (n, _) in enumerate(sheet.rows) if n == line), None)
    if index is None:
        index = next(
            (i - 1 for i, (n, _) in enumerate(sheet.rows) if n > line), len(sheet.rows) - 1
        )
    cells = sheet.rows[index][1] if 0 <= index < len(sheet.rows) else []
    keys = {c.key for c in columns}
    mapping = {k: p for k, p in upload.mapping.items() if k in keys}
    layout = Layout(sheet.name, line, _texts(cells), mapping, [], index + 1)
    if layout.first_data_row < len(sheet.rows) and _numbering(sheet.rows[layout.first_data_row][1]):
        layout.first_data_row += 1
    return layout


# --- Reading ---------------------------------------------------------------------------------


def _parse_cell(column: Column, value: Any) -> Any:
    if value is None:
        if column.required:
            raise ValidationError("Không được để trống.")
        return None
    if column.choices:
        by_key = {header_key(c): c for c in column.choices}
        choice = by_key.get(header_key(value))
        if choice is not None:
            value = choice
        elif column.parse is None:  # a parse may know other spellings ("x" for "Có")
            raise ValidationError(
                f"“{cell_text(value)}” không thuộc danh sách: {', '.join(column.choices)}."
            )
    return column.parse(value) if column.parse else cell_text(value)


def _as_sheet_file(upload: IO[bytes] | SheetFile) -> SheetFile:
    if isinstance(upload, SheetFile):
        return upload
    return SheetFile(upload.read(MAX_IMPORT_BYTES + 1), getattr(upload, "name", "") or "")


def open_layout(upload: IO[bytes] | SheetFile, columns: Sequence[Column]) -> tuple[Sheet, Layout]:
    """The sheet to read and its layout: as confirmed on the mapping step, else found."""
    source = _as_sheet_file(upload)
    sheets = read_sheets(source.data)
    if source.mapping is not None:
        sheet = next((s for s in sheets if s.name == source.sheet), sheets[0] if sheets else None)
        if sheet is None:
            raise ValidationError("Tệp không có trang tính nào.")
        return sheet, layout_of(sheet, columns, source)
    return choose_layout(sheets, columns)


def _missing_columns_error(sheet: Sheet, layout: Layout, missing: Sequence[Column]) -> RowError:
    """One error naming the required columns not found and the columns the file has."""
    names = ", ".join(f"“{c.header}”" for c in missing)
    where = f"dòng {layout.header_row}" + (
        f" của trang “{sheet.name}”" if layout.sheets > 1 else ""
    )
    return RowError(
        layout.header_row,
        missing[0].header,
        f"Thiếu cột bắt buộc {names}. Các cột tìm thấy ở {where}: {layout.found()}.",
    )


def _is_repeated_header(cells: Sequence[Any], header_texts: Sequence[str]) -> bool:
    return bool(
        header_texts
        and header_key(cells[0]) == header_texts[0]
        and [header_key(c) for c in cells] == list(header_texts[: len(cells)])
    )


def _row_values(
    line: int,
    cells: Sequence[Any],
    columns: Sequence[Column],
    layout: Layout,
    errors: list[RowError],
) -> dict[str, Any]:
    """A row's values by column key; each cell that does not parse adds its error."""
    values: dict[str, Any] = {}
    for column in columns:
        pos = layout.mapping.get(column.key)
        try:
            values[column.key] = _parse_cell(
                column, cells[pos] if pos is not None and pos < len(cells) else None
            )
        except ValidationError as exc:
            errors.append(RowError(line, column.header, " ".join(exc.messages)))
            values[column.key] = None
    return values


def read_rows(
    upload: IO[bytes] | SheetFile, columns: Sequence[Column]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Read and check every row. Returns (line in the file, values) pairs and all errors found;
    a missing required column is one error naming the columns the file has."""
    try:
        sheet, layout = open_layout(upload, columns)
    except ValidationError as exc:
        return [], [RowError(0, "", " ".join(exc.messages))]
    if not sheet.rows:
        return [], [RowError(0, "", "Tệp không có dòng dữ liệu nào.")]
    missing = layout.missing(columns)
    if missing:
        return [], [_missing_columns_error(sheet, layout, missing)]
    errors: list[RowError] = []
    result: list[tuple[int, dict[str, Any]]] = []
    header_texts = [header_key(h) for h in layout.headers]
    for line, cells in sheet.rows[layout.first_data_row :]:
        if _is_repeated_header(cells, header_texts) or all(
            cells[p] is None for p in layout.mapping.values() if p < len(cells)
        ):
            continue  # the header again (a list printed over pages), or only unused columns
        if len(result) >= MAX_IMPORT_ROWS:
            errors.append(RowError(line, "", f"Tệp có quá {MAX_IMPORT_ROWS} dòng."))
            break
        result.append((line, _row_values(line, cells, columns, layout, errors)))
    if not result and not errors:
        errors.append(RowError(0, "", "Tệp không có dòng dữ liệu nào."))
    return result, errors


# --- Writing ---------------------------------------------------------------------------------


def write_workbook(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], sheet_name: str = "Dữ liệu"
) -> bytes:
    """A small .xlsx (templates, error reports) built in memory. Exports use stream_workbook."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    _fill(workbook, columns, rows, sheet_name)
    return buffer.getvalue()


def stream_workbook(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], sheet_name: str = "Dữ liệu"
) -> IO[bytes]:
    """An .xlsx of any length in flat memory: XlsxWriter's constant_memory mode flushes each row
    to a temporary file, and the finished workbook is a temporary file too (deleted on close).
    Pass rows from `.iterator(chunk_size=2000)` so the query does not load them either."""
    target = tempfile.TemporaryFile()  # noqa: SIM115 - the caller streams and closes it
    try:
        workbook = xlsxwriter.Workbook(target, {"constant_memory": True})
        _fill(workbook, columns, rows, sheet_name)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def _fill(
    workbook: Any, columns: Sequence[Column], rows: Iterable[Sequence[Any]], sheet_name: str
) -> None:
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#F2E6D9", "border": 1})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    lists = None  # a hidden sheet for validation lists longer than Excel's 255 characters
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        sheet.write_string(0, col, column.header + (" *" if column.required else ""), bold)
        if not column.choices:
            continue
        source: list[str] | str = list(column.choices)
        if len(",".join(column.choices)) > LIST_LIMIT:
            if lists is None:
                lists = workbook.add_worksheet("Danh mục")
                lists.hide()
            for index, choice in enumerate(column.choices):
                lists.write_string(index, col, choice)
            letter = xl_col_to_name(col)
            source = f"='Danh mục'!${letter}$1:${letter}${len(column.choices)}"
        sheet.data_validation(1, col, MAX_SHEET_ROW, col, {"validate": "list", "source": source})
    sheet.freeze_panes(1, 0)
    for row_number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write_cell(sheet, row_number, col, value, date_format)
    workbook.close()


def _write_cell(sheet: Any, row: int, col: int, value: Any, date_format: Any) -> None:
    """Numbers and dates as such; everything else as a text cell, never a formula or a link:
    a name typed as "=HYPERLINK(…)" must not run in the office's Excel (formula injection)."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "Có" if value else "Không")
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, value)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, date_format)
    else:
        sheet.write_string(row, col, str(value))


ERROR_COLUMNS = (
    Column("Dòng", "row", width=8),
    Column("Cột", "column", width=24),
    Column("Lỗi", "message", width=80),
)


def error_report(errors: Iterable[dict[str, Any]]) -> bytes:
    rows = ([e["row"] or "", e["column"], e["message"]] for e in errors)
    return write_workbook(ERROR_COLUMNS, rows, sheet_name="Lỗi")
