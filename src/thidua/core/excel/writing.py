"""Writing .xlsx: templates and error reports in memory, exports streamed; user text always
as text, never a formula or a link."""

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import IO, Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from thidua.core.excel.cells import Column

MAX_SHEET_ROW = 1_048_575  # Excel's last row (0-based): validation lists cover the whole column
LIST_LIMIT = 255  # Excel's limit on an inline validation list


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


def error_report(errors: Iterable[dict[str, Any]], place: str = "Dòng") -> bytes:
    """The errors as a workbook; `place` heads the first column: the file's line ("Dòng"), or
    what else numbers the errors (a Word question bank's "Câu")."""
    columns = (Column(place, "row", width=8), *ERROR_COLUMNS[1:])
    rows = ([e["row"] or "", e["column"], e["message"]] for e in errors)
    return write_workbook(columns, rows, sheet_name="Lỗi")
