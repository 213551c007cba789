"""read_rows: every row read and checked before any write, errors on the file's own lines."""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError

from thidua.core.excel.cells import Column, RowError, cell_text, header_key
from thidua.core.excel.layout import Layout, SheetFile, choose_layout, layout_of
from thidua.core.sheets import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    Merge,
    Row,
    Sheet,
    read_sheets,
)
from thidua.core.text import fold


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
    parsed = column.parse(value) if column.parse else cell_text(value)
    if (
        column.max_length is not None
        and isinstance(parsed, str)
        and len(parsed) > column.max_length
    ):
        raise ValidationError(f"Dài {len(parsed)} ký tự, quá mức tối đa {column.max_length} ký tự.")
    return parsed


def as_sheet_file(upload: IO[bytes] | SheetFile) -> SheetFile:
    """The upload as a SheetFile (read once, up to the import limit); a SheetFile as it is."""
    if isinstance(upload, SheetFile):
        return upload
    return SheetFile(upload.read(MAX_IMPORT_BYTES + 1), getattr(upload, "name", "") or "")


def open_layout(
    upload: IO[bytes] | SheetFile | Sheet, columns: Sequence[Column]
) -> tuple[Sheet, Layout]:
    """The sheet to read and its layout: as confirmed on the mapping step, else found. A Sheet
    is rows an app read from another kind of file (contests: a Word question bank)."""
    if isinstance(upload, Sheet):
        return choose_layout([upload], columns)
    source = as_sheet_file(upload)
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
        whole_file=True,
    )


def _is_repeated_header(cells: Sequence[Any], header_texts: Sequence[str]) -> bool:
    return bool(
        header_texts
        and header_key(cells[0]) == header_texts[0]
        and [header_key(c) for c in cells] == list(header_texts[: len(cells)])
    )


# A totals line under a list, folded: "Tổng cộng", "Tổng số: 25 đơn vị", "Cộng", "TỔNG"
_TOTALS = re.compile(r"(?:tong cong|tong so|tong|cong|total)(?:\s*[:.]?\s*\d.*)?[:.]?")
_FIGURE = re.compile(r"[\d.,%\s-]+")


def _is_totals(cells: Sequence[Any]) -> bool:
    """A line adding up the list ("Tổng cộng | | 25 | 30"): one label and figures only. Its
    label is not a unit or a person to import."""
    texts = [c for c in cells if isinstance(c, str) and not _FIGURE.fullmatch(c)]
    return len(texts) == 1 and bool(_TOTALS.fullmatch(fold(texts[0])))


# The signature block under a list, folded: its date line ("Vũ Ninh, ngày 05 tháng 3 năm 2026",
# "ngày … tháng … năm …"), the signers' titles and the remarks under them ("(Ký, ghi rõ họ
# tên)")
_SIGNATURE = re.compile(
    r".*\bngay\b[\s.…\d]*\bthang\b[\s.…\d]*\bnam\b[\s.…\d]*"
    r"|\(\s*ky\b.*|ky ten\b.*"
    r"|(?:nguoi lap(?: bieu| danh sach| bang)?|nguoi tong hop|nguoi duyet|ke toan(?: truong)?"
    r"|thu truong(?: co quan| don vi)*|xac nhan(?: cua)?\b.*|(?:t/?m|kt|tl|tuq)\b.*"
    r"|chu tich|pho chu tich|giam doc|pho giam doc|truong phong|pho truong phong"
    r"|truong ban|pho truong ban|bi thu)[:.]?"
)
_SIGNER = re.compile(r"(?:[^\W\d_][^\s\d]*\s+){1,5}[^\W\d_][^\s\d]*")  # "Nguyễn Thị Mai"


def _signature_line(cells: Sequence[Any], *, below: bool) -> bool:
    """A line of the signature block: only its phrases, or (below its first line) only the
    signers' names."""
    if any(c is not None and not isinstance(c, str) for c in cells):
        return False
    texts = [c for c in cells if c]
    if not texts:
        return False
    if all(_SIGNATURE.fullmatch(fold(t)) for t in texts):
        return True
    return below and all(
        _SIGNER.fullmatch(t) and all(w[:1].isupper() for w in t.split()) for t in texts
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


def fill_merged(rows: Sequence[Row], merges: Sequence[Merge], positions: Iterable[int]) -> None:
    """Each cell of a range merged over several of these lines takes the range's top-left value,
    as Excel shows it (the file holds it in that cell only), in the given column positions; a
    line with nothing of its own in those columns stays blank. Ranges starting above the first
    line (a header merged over two lines) are left alone. Works on the rows' cells, in place:
    the import fills the rows below the header in the columns it reads (read_rows), the mapping
    step the rows it shows in every column (core.imports.preview_rows)."""
    positions = set(positions)
    if not merges or not rows or not positions:
        return
    lines = [line for line, _ in rows]
    by_line = dict(rows)
    own = [any(p < len(cells) and cells[p] is not None for p in positions) for _, cells in rows]
    for p in positions:
        reach = 0
        for first, left, last, _right in sorted(
            m for m in merges if m[1] <= p <= m[3] and m[0] >= lines[0]
        ):
            if first <= reach:
                continue  # overlaps a range already filled (Excel never writes that)
            reach = last
            top = by_line.get(first, [])
            value = top[left] if left < len(top) else None
            if value is None:
                continue
            for i in range(bisect_left(lines, first), bisect_right(lines, last)):
                cells = rows[i][1]
                if own[i]:
                    cells.extend([None] * (p + 1 - len(cells)))
                    if cells[p] is None:
                        cells[p] = value


def read_rows(
    upload: IO[bytes] | SheetFile | Sheet, columns: Sequence[Column]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    """Read and check every row. Returns (line in the file, values) pairs and all errors found;
    a missing required column is one error naming the columns the file has. Rows the sheet
    hides are read like the others; a SheetFile keeps their lines (`SheetFile.hidden`)."""
    try:
        sheet, layout = open_layout(upload, columns)
    except ValidationError as exc:
        return [], [RowError(0, "", " ".join(exc.messages))]
    if not sheet.rows:
        return [], [RowError(0, "", "Tệp không có dòng dữ liệu nào.")]
    missing = layout.missing(columns)
    if missing:
        return [], [_missing_columns_error(sheet, layout, missing)]
    fill_merged(sheet.rows[layout.first_data_row :], sheet.merges, layout.mapping.values())
    errors: list[RowError] = []
    result: list[tuple[int, dict[str, Any]]] = []
    header_texts = [header_key(h) for h in layout.headers]
    signed = False  # below the first line of the signature block
    for line, cells in sheet.rows[layout.first_data_row :]:
        # under the rows, or right under the header of a list signed with no row in it
        if _signature_line(cells, below=signed):
            signed = True
            continue  # who signed the list, and when: no row of it
        if (
            _is_repeated_header(cells, header_texts)
            or _is_totals(cells)
            or all(cells[p] is None for p in layout.mapping.values() if p < len(cells))
        ):
            continue  # the header again (a list printed over pages), totals, or unused columns
        if len(result) >= MAX_IMPORT_ROWS:
            errors.append(RowError(line, "", f"Tệp có quá {MAX_IMPORT_ROWS} dòng."))
            break
        result.append((line, _row_values(line, cells, columns, layout, errors)))
    if not result and not errors:
        errors.append(RowError(0, "", "Tệp không có dòng dữ liệu nào."))
    if isinstance(upload, SheetFile):
        upload.hidden.lines = [n for n, _ in result if n in sheet.hidden_lines]
        upload.hidden.filtered = sheet.filtered
    return result, errors
