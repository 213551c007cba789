"""Where a sheet's data is: the header found among the first lines (below title rows, or over
two lines) and matched to the declared columns by meaning; the sheet chosen; the layout a user
confirmed on the mapping step."""

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from thidua.core.excel.cells import Column, cell_text, header_key
from thidua.core.sheets import Sheet

HEADER_SCAN = 15  # the header is among a sheet's first rows (title rows may stand above it)
IGNORE = ""  # a mapping's target for a column the import does not use
# Columns every import may carry without meaning anything to it.
IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "thu tu", "no", "ghi chu"})


@dataclass
class HiddenRows:
    """The data lines read_rows read that the sheet hides: rows a filter hides, or rows hidden
    by hand. They are imported like the others (leaving them out would lose data without a
    word), and the user is told which they are (`notice`)."""

    lines: list[int] = field(default_factory=list)
    filtered: bool = False  # the sheet has a filter (AutoFilter)

    def notice(self, shown: int = 20) -> str:
        """The warning for the import's page ("" when no row is hidden)."""
        if not self.lines:
            return ""
        how = "lọc bằng bộ lọc (Filter) hoặc ẩn dòng" if self.filtered else "ẩn dòng (Hide)"
        listed = ", ".join(str(n) for n in self.lines[:shown])
        more = f" và {len(self.lines) - shown} dòng khác" if len(self.lines) > shown else ""
        return (
            f"Lưu ý: {len(self.lines)} dòng đang bị ẩn trong tệp ({how}) vẫn được nhập như các "
            f"dòng khác: dòng {listed}{more}. Nếu chỉ muốn nhập các dòng đang hiện, hãy xóa các "
            "dòng ẩn khỏi tệp (hoặc sửa lại dữ liệu vừa nhập)."
        )


@dataclass(frozen=True)
class SheetFile:
    """An uploaded spreadsheet with, once known, where its data is: the sheet, the header's line
    and which file column holds each field (as the user confirmed it on the mapping step)."""

    data: bytes
    filename: str = ""
    sheet: str = ""
    header_row: int | None = None
    mapping: Mapping[str, int] | None = None  # column key -> position (0-based) in the file
    # Filled by read_rows, so the import's page can say these rows were imported too.
    hidden: HiddenRows = field(default_factory=HiddenRows, compare=False)

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


# A remark in brackets after a header's words: its unit or how to fill it ("Số người tham gia
# (người)", "Ngày sinh (ngày/tháng/năm)", "Đảng viên (có/không)")
_REMARK = re.compile(r"\s*\([^()]*\)\s*$")


def _match(
    candidates: list[list[str]], table: Mapping[str, str]
) -> tuple[dict[str, int], list[int]]:
    """Each position's field: by its header's words, else by them without a remark in brackets
    after them."""
    mapping: dict[str, int] = {}
    unknown: list[int] = []
    for position, texts in enumerate(candidates):
        placed = False
        bare = [_REMARK.sub("", t) for t in texts if _REMARK.search(t)]
        for text in [*texts, *bare]:
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


_COLUMN_NUMBER = re.compile(r"\(?(\d{1,2}|[A-Z])\)?")


def _numbering(cells: list[Any]) -> bool:
    """A line of column numbers under a header, as official forms print: (1) (2) (3)…, A B C…,
    or letters then numbers from 1 (A B 1 2 3). They follow on one from another: a first data
    line of small numbers or one letter ("1 | A | 5", a code and a figure "1 | 25") is data."""
    found = [_COLUMN_NUMBER.fullmatch(t) for t in _texts(cells) if t]
    if len(found) < 2 or not all(found):  # noqa: PLR2004
        return False
    marks = [m[1] for m in found if m]
    for before, after in itertools.pairwise(marks):
        if before.isdigit() and after.isdigit():
            follows = int(after) == int(before) + 1
        elif before.isalpha() and after.isalpha():
            follows = ord(after) == ord(before) + 1
        else:
            follows = before.isalpha() and after == "1"
        if not follows:
            return False
    return True


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
