"""One approach for every spreadsheet: declared columns (with the other names users give them),
the header found wherever it is and matched by meaning, every row checked before any write, an
error report users can download, and streaming exports that write user text as text.

Reading: `read_rows(upload, columns)` takes an upload (an .xlsx, or a CSV where the import takes
one: see core.sheets) or a `SheetFile`, which carries the layout a user confirmed on the mapping
step (core.imports); otherwise `find_layout` matches the columns by header, without case, accents
or punctuation, against each column's header and synonyms.

By concern: cells (columns, row errors, cell values, header keys), layout (finding and matching
the header), reading (read_rows), writing (workbooks, error reports)."""

from thidua.core.excel.cells import (
    MAX_WHOLE_NUMBER,
    Column,
    RowError,
    cell_text,
    concerns_whole_file,
    header_key,
    in_file_order,
    parse_date_cell,
    parse_int_cell,
    parse_yes_no,
    percent_figure,
    refused_row,
)
from thidua.core.excel.layout import (
    HEADER_SCAN,
    IGNORE,
    IGNORED_HEADERS,
    HiddenRows,
    Layout,
    SheetFile,
    choose_layout,
    find_layout,
    layout_of,
)
from thidua.core.excel.reading import as_sheet_file, fill_merged, open_layout, read_rows
from thidua.core.excel.writing import (
    ERROR_COLUMNS,
    LIST_LIMIT,
    MAX_SHEET_ROW,
    error_report,
    stream_workbook,
    write_workbook,
)
from thidua.core.sheets import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS

__all__ = [
    "ERROR_COLUMNS",
    "HEADER_SCAN",
    "IGNORE",
    "IGNORED_HEADERS",
    "LIST_LIMIT",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_SHEET_ROW",
    "MAX_WHOLE_NUMBER",
    "Column",
    "HiddenRows",
    "Layout",
    "RowError",
    "SheetFile",
    "as_sheet_file",
    "cell_text",
    "choose_layout",
    "concerns_whole_file",
    "error_report",
    "fill_merged",
    "find_layout",
    "header_key",
    "in_file_order",
    "layout_of",
    "open_layout",
    "parse_date_cell",
    "parse_int_cell",
    "parse_yes_no",
    "percent_figure",
    "read_rows",
    "refused_row",
    "stream_workbook",
    "write_workbook",
]
