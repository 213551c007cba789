"""One approach for every spreadsheet: declared columns, every row checked before any write,
an error report users can download, and streaming exports."""

import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import IO, Any

import xlsxwriter
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from xlsxwriter.utility import xl_col_to_name

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_SHEET_ROW = 1_048_575  # Excel's last row (0-based): validation lists cover the whole column
LIST_LIMIT = 255  # Excel's limit on an inline validation list


@dataclass(frozen=True)
class Column:
    header: str  # Vietnamese header, as shown in the template
    key: str
    required: bool = False
    parse: Callable[[Any], Any] | None = None  # raises ValidationError with a Vietnamese message
    width: int = 20
    choices: Sequence[str] = ()  # a validation list in the template


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number, header is row 1
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def parse_date_cell(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValidationError(f"Ngày “{text}” không đúng dạng dd/mm/yyyy.")


def parse_int_cell(value: Any) -> int:
    try:
        number = int(str(value).strip().replace(".", ""))
    except ValueError:
        raise ValidationError(f"“{value}” không phải là số nguyên.") from None
    if number < 0:
        raise ValidationError("Số không được âm.")
    return number


def _open_sheet(upload: IO[bytes]) -> tuple[Any, RowError | None]:
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return None, RowError(0, "", "Tệp quá lớn (tối đa 5 MB).")
    if not zipfile.is_zipfile(BytesIO(data)):
        return None, RowError(0, "", "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ.")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            # Guard against ZIP bombs: the unpacked size must stay reasonable.
            if sum(info.file_size for info in archive.infolist()) > 40 * MAX_IMPORT_BYTES:
                return None, RowError(
                    0, "", "Tệp bảng tính bất thường (dung lượng giải nén quá lớn)."
                )
        return load_workbook(BytesIO(data), read_only=True, data_only=True), None
    except Exception:
        return None, RowError(0, "", "Không đọc được tệp Excel. Hãy dùng tệp mẫu của hệ thống.")


def _parse_cell(column: Column, value: Any) -> Any:
    if value is None:
        if column.required:
            raise ValidationError("Không được để trống.")
        return None
    if column.choices and str(value) not in column.choices:
        raise ValidationError(f"“{value}” không thuộc danh sách: {', '.join(column.choices)}.")
    return column.parse(value) if column.parse else str(value)


def read_rows(
    upload: IO[bytes], columns: Sequence[Column]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Read and check every row. Returns (row number, values) pairs and all errors found."""
    workbook, failure = _open_sheet(upload)
    if failure:
        return [], [failure]
    rows_iter = workbook.worksheets[0].iter_rows(values_only=True)
    header = [str(_clean(h) or "").removesuffix("*").strip() for h in next(rows_iter, ())]
    index = {c.key: header.index(c.header) for c in columns if c.header in header}
    errors = [
        RowError(1, c.header, f"Thiếu cột bắt buộc “{c.header}”.")
        for c in columns
        if c.required and c.key not in index
    ]
    if errors:
        workbook.close()
        return [], errors
    result: list[tuple[int, dict[str, Any]]] = []
    for number, raw in enumerate(rows_iter, start=2):
        cells = [_clean(v) for v in raw]
        if all(c is None for c in cells):
            continue  # blank line
        if len(result) >= MAX_IMPORT_ROWS:
            errors.append(RowError(number, "", f"Tệp có quá {MAX_IMPORT_ROWS} dòng."))
            break
        values: dict[str, Any] = {}
        for column in columns:
            pos = index.get(column.key)
            try:
                values[column.key] = _parse_cell(
                    column, cells[pos] if pos is not None and pos < len(cells) else None
                )
            except ValidationError as exc:
                errors.append(RowError(number, column.header, " ".join(exc.messages)))
                values[column.key] = None
        result.append((number, values))
    workbook.close()
    if not result and not errors:
        errors.append(RowError(0, "", "Tệp không có dòng dữ liệu nào."))
    return result, errors


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
        sheet.write(0, col, column.header + (" *" if column.required else ""), bold)
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
            if isinstance(value, date):
                sheet.write_datetime(row_number, col, value, date_format)
            elif value is not None:
                sheet.write(row_number, col, value)
    workbook.close()


ERROR_COLUMNS = (
    Column("Dòng", "row", width=8),
    Column("Cột", "column", width=24),
    Column("Lỗi", "message", width=80),
)


def error_report(errors: Iterable[dict[str, Any]]) -> bytes:
    rows = ([e["row"] or "", e["column"], e["message"]] for e in errors)
    return write_workbook(ERROR_COLUMNS, rows, sheet_name="Lỗi")
