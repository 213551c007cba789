"""Spreadsheets as users make them: title rows above the header, merged cells, several sheets,
CSV in the encodings Excel saves (UTF-8 with or without BOM, UTF-16 "Unicode Text", Windows-1258),
numbers stored as text, dates as Excel serials."""

import csv
import io
import unicodedata
from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

Rows = Sequence[Sequence[object]]
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def xlsx_bytes(
    rows: Rows,
    *,
    merges: Sequence[str] = (),
    sheets: Sequence[tuple[str, Rows]] = (),
    title: str = "Sheet1",
) -> bytes:
    """An .xlsx: `rows` on the first sheet (`merges` like "A1:I1"), then other named sheets."""
    book = Workbook()
    first = book.active
    first.title = title
    for row in rows:
        first.append(list(row))
    for cells in merges:
        first.merge_cells(cells)
    for name, extra in sheets:
        sheet = book.create_sheet(name)
        for row in extra:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: the vowels ă â ê ô ơ ư and đ are single
    bytes, tones follow as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
            out += (base + "".join(m for m in parts if m in _TONES)).encode("cp1258")
    return bytes(out)


def csv_bytes(rows: Rows, *, encoding: str = "utf-8", sep: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(
        ["" if v is None else v for v in row] for row in rows
    )
    text = buffer.getvalue()
    if encoding == "cp1258":
        data = to_cp1258(text)
    elif encoding == "utf-16":
        data = text.encode("utf-16")  # with its byte-order mark, as Excel's "Unicode Text"
    else:
        data = text.encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


# TCVN3 (ABC, the ".VnTime" fonts): one byte per lower-case letter with its tone; upper case only
# for the plain Ă Â Ê Ô Ơ Ư Đ. A file shows each byte as its Windows-1252 character.
_TCVN3 = dict(
    zip(
        "ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĂÂÊÔƠƯĐ",
        bytes(
            [0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC,
             0xBD, 0xBE, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2,
             0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4,
             0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3,
             0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xA1, 0xA2, 0xA3,
             0xA4, 0xA5, 0xA6, 0xA7]
        ).decode("cp1252", errors="replace"),
        strict=True,
    )
)  # fmt: skip


def _tcvn3_char(ch: str) -> str:
    # capitals with a tone have no code: titles are typed in ".VnTimeH", which draws the small
    # letters' codes as capitals
    return _TCVN3.get(ch) or _TCVN3.get(ch.lower(), ch)


def tcvn3(text: str) -> str:
    """Vietnamese as a cell typed in a ".VnTime" font holds it: "Bắc Ninh" is "B¾c Ninh"."""
    return "".join(map(_tcvn3_char, unicodedata.normalize("NFC", text)))


def tcvn3_bytes(text: str) -> bytes:
    """The bytes of a CSV an old office saved from a TCVN3 sheet."""
    return tcvn3(text).encode("cp1252")


# --- Lists as Vietnamese offices lay them out ------------------------------------------------

OFFICE_TITLE = (
    "ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA",
    "DANH SÁCH",
)
# Under a list: the date line, the signers' titles, "(Ký, ghi rõ họ tên)", their names.
SIGNATURE: Rows = (
    (None, None, None, None, "Suối Hoa, ngày 05 tháng 3 năm 2026"),
    (None, "NGƯỜI LẬP BIỂU", None, None, "CHỦ TỊCH"),
    (None, "(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"),
    (None, "Trần Thị Bình", None, None, "Nguyễn Văn An"),
)


def nfd(text: str) -> str:
    """Text as a Mac or Word pastes it: letters and their marks apart."""
    return unicodedata.normalize("NFD", text)


def excel_serial(day: date) -> int:
    """A date as Excel keeps it in a cell formatted "General": its day number."""
    return (day - date(1899, 12, 30)).days


def office_list_bytes(
    header: Rows,
    rows: Rows,
    *,
    header_merges: Sequence[str] = (),
    title: Sequence[str] = OFFICE_TITLE,
    footer: Rows = SIGNATURE,
    cover: Rows = (),
) -> bytes:
    """An .xlsx list as an office types it: `title` lines merged across the table, a blank line,
    the `header` (one line or two; `header_merges` as "A1:A2", "C1:D1", numbered from the
    header's first line), the `rows`, a blank line and the `footer`. With `cover`, the list is on
    the second sheet, after a first sheet of those rows ("Hướng dẫn")."""
    from openpyxl.utils import get_column_letter, range_boundaries

    width = max(len(line) for line in [*header, *rows])
    above = len(title) + 1  # the title lines and the blank line under them
    lines = [[text] for text in title] + [[], *map(list, header), *map(list, rows), []]
    lines += [list(line) for line in footer]
    merges = [f"A{n}:{get_column_letter(width)}{n}" for n in range(1, len(title) + 1)]
    for cells in header_merges:
        left, top, right, bottom = range_boundaries(cells)
        merges.append(
            f"{get_column_letter(left)}{top + above}:{get_column_letter(right)}{bottom + above}"
        )
    if not cover:
        return xlsx_bytes(lines, merges=merges, title="Danh sách")
    book = Workbook()
    first = book.active
    first.title = "Hướng dẫn"
    for line in cover:
        first.append(list(line))
    sheet = book.create_sheet("Danh sách")
    for line in lines:
        sheet.append(line)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
