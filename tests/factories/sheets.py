"""Spreadsheets as users make them: title rows above the header, merged cells, several sheets,
CSV in the encodings Excel saves (UTF-8 with or without BOM, UTF-16 "Unicode Text", Windows-1258),
numbers stored as text, dates as Excel serials."""

import csv
import io
import unicodedata
from collections.abc import Sequence

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
