"""Spreadsheets from other offices' own tools, read the one way every import reads them
(core.sheets, core.excel): text in decomposed Unicode (Mac, Word), headers in capitals without
accents and over line breaks, cells padded with spaces, Vietnamese thousands dots, dates as
serials and as text, hidden sheets, formulas, blank rows at the end; numbers and texts too big
for the database; and files that are no spreadsheet (.ods, truncated) refused in Vietnamese."""

import io
import re
import unicodedata
import zipfile
from datetime import date
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories.damage import damaged
from tests.factories.pdfs import pdf
from tests.factories.sheets import csv_bytes, tcvn3, tcvn3_bytes, xlsx_bytes
from thidua.core.excel import Column, parse_date_cell, parse_int_cell, read_rows
from thidua.core.forms import SpreadsheetForm, SpreadsheetOrCsvForm
from thidua.core.uploads import UploadKind, check_upload

COLUMNS = (
    Column("Tên hoạt động", "title", required=True, max_length=40),
    Column("Ngày tổ chức", "held_on", required=True, parse=parse_date_cell),
    Column("Số người tham gia", "participants", parse=parse_int_cell),
    Column("Loại", "kind", choices=("Hội thi", "Tọa đàm")),
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _read(data: bytes):
    return read_rows(BytesIO(data), COLUMNS)


def _serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def test_a_sheet_made_elsewhere_reads_every_row_as_typed():
    rows, errors = _read(
        xlsx_bytes(
            [
                [nfd("ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA")],
                [nfd("BÁO CÁO HOẠT ĐỘNG QUÝ I")],
                [],
                ["STT", "TEN  HOAT\nDONG", " NGAY TO CHUC ", nfd("Số người\ntham gia (*)"), "LOAI"],
                [1, nfd("  Hội thi tìm hiểu pháp luật  "), _serial(date(2026, 3, 5)), "12.500",
                 nfd("hội thi")],
                [2, "Tọa đàm", " 5/3/2026 ", " 35 ", "TOA DAM"],
                [3, "Ra quân", "05-03-2026", None, None],
                [None, "", " ", None, None],
                [None, None, None, None, None],
            ]
        )
    )  # fmt: skip
    assert errors == []
    assert rows == [
        (5, {"title": "Hội thi tìm hiểu pháp luật", "held_on": date(2026, 3, 5),
             "participants": 12500, "kind": "Hội thi"}),
        (6, {"title": "Tọa đàm", "held_on": date(2026, 3, 5), "participants": 35,
             "kind": "Tọa đàm"}),
        (7, {"title": "Ra quân", "held_on": date(2026, 3, 5), "participants": None,
             "kind": None}),
    ]  # fmt: skip
    assert unicodedata.is_normalized("NFC", rows[0][1]["title"])


def test_thousands_grouped_with_a_no_break_space_read_as_one_number():
    for text in ("12\u00a0500", "12\u202f500", "1\u00a0200\u00a0000"):
        rows, errors = _read(
            xlsx_bytes(
                [
                    ["Tên hoạt động", "Ngày tổ chức", "Số người tham gia"],
                    ["Hội thi", "02/01/2026", text],
                ]
            )
        )
        assert errors == []
        assert rows[0][1]["participants"] == int(text.replace("\u00a0", "").replace("\u202f", ""))


def test_a_hidden_sheet_is_not_read_the_visible_one_is():
    book = Workbook()
    hidden = book.active
    hidden.title = "Nháp"
    hidden.append(["Tên hoạt động", "Ngày tổ chức"])
    hidden.append(["Bản nháp cũ", "01/01/2020"])
    hidden.sheet_state = "hidden"
    data = book.create_sheet("Số liệu")
    data.append(["Tên hoạt động", "Ngày tổ chức"])
    data.append(["Hội thi", "02/01/2026"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, errors = _read(buffer.getvalue())
    assert errors == []
    assert [v["title"] for _, v in rows] == ["Hội thi"]


def _edited_sheet(data: bytes, pattern: str, replacement: str) -> bytes:
    """The .xlsx with its first sheet's XML edited, as another tool would have written it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(pattern.encode(), replacement.encode(), content)
            target.writestr(item, content)
    return out.getvalue()


def _with_cached_formula(data: bytes, cell: str, formula: str, value: str) -> bytes:
    """An .xlsx whose `cell` holds a formula and the value Excel last computed for it."""
    return _edited_sheet(
        data, rf'<c r="{cell}"[^>]*>.*?</c>', f'<c r="{cell}"><f>{formula}</f><v>{value}</v></c>'
    )


def test_a_formula_is_read_as_the_value_excel_computed():
    data = xlsx_bytes(
        [["Tên hoạt động", "Ngày tổ chức", "Số người tham gia"], ["Hội thi", "02/01/2026", 0]]
    )
    rows, errors = _read(_with_cached_formula(data, "C2", "10+25", "35"))
    assert errors == []
    assert rows[0][1]["participants"] == 35


def test_rows_and_columns_beyond_the_size_the_file_states_are_read():
    data = xlsx_bytes(
        [
            ["Tên hoạt động", "Ngày tổ chức", "Số người tham gia"],
            ["Hội thi", "02/01/2026", 10],
            ["Tọa đàm", "03/01/2026", 20],
        ]
    )
    rows, errors = _read(
        _edited_sheet(data, r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>')
    )
    assert errors == []
    assert [(n, v["title"], v["participants"]) for n, v in rows] == [
        (2, "Hội thi", 10),
        (3, "Tọa đàm", 20),
    ]


def test_a_year_alone_in_a_date_column_is_refused_and_a_time_after_a_date_is_dropped():
    rows, errors = _read(
        xlsx_bytes(
            [
                ["Tên hoạt động", "Ngày tổ chức"],
                ["Hội thi", 2022],  # a year, not day 2022 of Excel's calendar (14/07/1905)
                ["Tọa đàm", "05/03/2026 08:30"],
                ["Ra quân", "5/3/2026 0:00:00"],
                ["Giao lưu", _serial(date(1945, 9, 2))],
            ]
        )
    )
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "Ngày tổ chức", "Ngày “2022” chỉ có năm; hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy).")
    ]
    assert [v["held_on"] for _, v in rows[1:]] == [
        date(2026, 3, 5),
        date(2026, 3, 5),
        date(1945, 9, 2),
    ]


def test_numbers_and_texts_too_big_to_keep_are_refused_on_their_row_and_column():
    rows, errors = _read(
        xlsx_bytes(
            [
                ["Tên hoạt động", "Ngày tổ chức", "Số người tham gia"],
                ["Hội thi", "02/01/2026", "99.999.999.999"],
                ["x" * 41, "02/01/2026", 10**20],
                ["Tọa đàm", "02/01/2026", 2_147_483_647],
            ]
        )
    )
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "Số người tham gia", "Số “99.999.999.999” quá lớn."),
        (3, "Tên hoạt động", "Dài 41 ký tự, quá mức tối đa 40 ký tự."),
        (3, "Số người tham gia", f"Số “{10**20}” quá lớn."),
    ]
    assert rows[2][1]["participants"] == 2_147_483_647


def _ods() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def _form(form_class, data: bytes, name: str):
    return form_class(files={"file": SimpleUploadedFile(name, data)}, data={})


def test_an_ods_or_a_truncated_xlsx_is_refused_with_what_to_do():
    valid = xlsx_bytes([["Tên hoạt động", "Ngày tổ chức"], ["Hội thi", "02/01/2026"]])
    for form_class in (SpreadsheetForm, SpreadsheetOrCsvForm):
        form = _form(form_class, _ods(), "du-lieu.xlsx")
        assert not form.is_valid()
        assert "OpenDocument" in form.errors["file"][0]
        assert "lưu lại dưới dạng .xlsx" in form.errors["file"][0]
        form = _form(form_class, valid[: len(valid) // 2], "du-lieu.xlsx")
        assert not form.is_valid()
        assert form.errors["file"][0] == (
            "Tệp “du-lieu.xlsx” không phải là tệp Excel (.xlsx) hợp lệ (tệp hỏng hoặc chưa tải "
            "lên hết). Hãy mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi chọn lại."
        )
        assert _form(form_class, valid, "du-lieu.xlsx").is_valid()
    rows, errors = _read(valid[: len(valid) // 2])
    assert rows == []
    assert "Không đọc được tệp Excel" in errors[0].message


def test_a_damaged_file_is_refused_or_read_never_a_crash():
    xlsx = xlsx_bytes([["Tên hoạt động", "Ngày tổ chức"], ["Hội thi", "02/01/2026"]])
    for data in damaged(xlsx, 1) + damaged(pdf().read(), 2):
        message = "“tep”"  # accepted, or refused naming the file
        try:
            check_upload(io.BytesIO(data), allowed=set(UploadKind), name="tep")
        except ValidationError as exc:
            message = exc.messages[0]
        assert "“tep”" in message
        rows, errors = _read(data)  # read, or refused with the reason
        assert rows or errors
        assert all(e.message for e in errors)


def test_a_cell_merged_over_several_rows_gives_its_value_to_each_of_them():
    """Officials merge a cell over the rows it belongs to ("Ngày tổ chức", "Loại" typed once
    beside several lines): every line reads the value Excel shows, not just the top one."""
    rows, errors = _read(
        xlsx_bytes(
            [
                ["BÁO CÁO HOẠT ĐỘNG QUÝ I", None, None, None, None],
                ["STT", "Tên hoạt động", "Ngày tổ chức", "Số người tham gia", "Loại"],
                ["I. KHỐI PHƯỜNG", None, None, None, None],
                [1, "Hội thi A", "02/01/2026", 10, "Hội thi"],
                [2, "Hội thi B", None, 20, None],
                [3, "Hội thi C", None, None, None],
                [4, None, None, None, None],  # a numbered line left blank stays blank
                [5, "Tọa đàm", "03/01/2026", 5, "Tọa đàm"],
                [6, "Tọa đàm B", None, 6, None],
            ],
            # the title and a section line spread across columns; dates and a kind merged down
            merges=["A1:E1", "A3:E3", "C4:C6", "E4:E7", "C8:C9"],
        )
    )
    assert errors == []
    assert [(n, v["title"], v["held_on"], v["participants"], v["kind"]) for n, v in rows] == [
        (4, "Hội thi A", date(2026, 1, 2), 10, "Hội thi"),
        (5, "Hội thi B", date(2026, 1, 2), 20, "Hội thi"),
        (6, "Hội thi C", date(2026, 1, 2), None, "Hội thi"),
        (8, "Tọa đàm", date(2026, 1, 3), 5, "Tọa đàm"),
        (9, "Tọa đàm B", date(2026, 1, 3), 6, None),
    ]


def _merged_sheet(merges: list[str]) -> bytes:
    return xlsx_bytes(
        [
            ["Tên hoạt động", "Ngày tổ chức", "Loại"],
            ["Hội thi A", "02/01/2026", "Hội thi"],
            ["Hội thi B", None, None],
            ["Hội thi C", None, None],
        ],
        merges=merges,
    )


def test_merged_cells_are_read_wherever_the_sheet_xml_places_them():
    """The merges follow the data in the sheet's XML, which is read in parts: one cut across
    a part's end is still read, as is one written with a namespace prefix by another tool."""
    data = _merged_sheet(["B2:B4", "C2:C4"])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    padding = 64 * 1024 - 10 - xml.index(b"<mergeCell ") - len("<!---->")
    moved = _edited_sheet(data, "<sheetData", f"<!--{'x' * padding}--><sheetData")
    prefixed = _edited_sheet(data, r"<mergeCell ", '<x:mergeCell xmlns:x="urn:x" ')
    for edited in (moved, prefixed):
        rows, errors = _read(edited)
        assert errors == []
        assert [(v["held_on"], v["kind"]) for _, v in rows] == [(date(2026, 1, 2), "Hội thi")] * 3


def test_a_sheet_with_more_merged_ranges_than_kept_is_refused_by_name(monkeypatch):
    monkeypatch.setattr("thidua.core.sheets.MAX_MERGES", 1)
    rows, errors = _read(_merged_sheet(["B2:B4", "C2:C4"]))
    assert rows == []
    assert [e.message for e in errors] == [
        "Trang tính “Sheet1” có quá nhiều ô gộp (trên 1 vùng gộp qua nhiều dòng). "
        "Hãy bỏ gộp ô (Unmerge Cells) rồi lưu lại."
    ]


LEGACY_ROWS = [
    ["UBND PHƯỜNG SUỐI HOA"],
    ["STT", "Tên hoạt động", "Ngày tổ chức", "Số người tham gia"],
    [1, "Hội thi tìm hiểu pháp luật", "05/03/2026", 120],
    [2, "Tọa đàm về chuyển đổi số", "06/03/2026", 35],
]


def _old_font(rows, convert):
    return [[convert(c) if isinstance(c, str) else c for c in row] for row in rows]


def test_a_sheet_typed_in_an_old_vietnamese_font_is_refused_with_how_to_convert_it():
    """Old offices typed in TCVN3 (ABC, ".VnTime") or VNI fonts: the cells hold "Héi thi t×m
    hiÓu" and Excel draws Vietnamese only through the font. Read as it is, every name would be
    saved garbled; the file is refused, naming a line and how to convert it (Unikey)."""
    vni = {"Hội": "Hoäi", "tìm": "tìm", "Tọa": "Toïa", "đàm": "ñaøm", "chuyển": "chuyeån",
           "đổi": "ñoåi", "phường": "phöôøng", "PHƯỜNG": "PHÖÔØNG", "hiểu": "hieåu",
           "pháp": "phaùp", "luật": "luaät", "Tên": "Teân", "hoạt": "hoaït", "động": "ñoäng"}  # fmt: skip

    def to_vni(text):
        return " ".join(vni.get(word, word) for word in text.split(" "))

    sheet = xlsx_bytes(_old_font(LEGACY_ROWS, tcvn3))
    text_file = csv_bytes(_old_font(LEGACY_ROWS, lambda t: t))
    old_csv = tcvn3_bytes(text_file.decode())
    for data, example in (
        (sheet, "dòng 1: “UBND PH¦êNG SUèI HOA”"),
        (old_csv, "dòng 1: “UBND PH¦êNG SUèI HOA”"),
        (xlsx_bytes(_old_font(LEGACY_ROWS, to_vni)), "dòng 2: “Teân hoaït ñoäng”"),
    ):
        rows, errors = _read(data)
        assert rows == []
        assert [e.message for e in errors] == [
            "Chữ tiếng Việt trong tệp được gõ bằng bảng mã cũ (TCVN3/ABC, phông “.VnTime”, hoặc "
            f"VNI) nên sẽ bị lưu sai, ví dụ {example}. Hãy chuyển tệp sang bảng mã Unicode "
            "(Unikey: Công cụ chuyển mã, Ctrl+Shift+F6, bảng mã nguồn TCVN3 (ABC) hoặc VNI "
            "Windows, bảng mã đích Unicode), lưu lại rồi tải lên lại."
        ]


def test_a_sheet_typed_in_tcvn3_under_the_vietnamese_code_page_is_refused():
    """Typed under Windows' Vietnamese code page (1258), some of TCVN3's codes show as ă, đ,
    ơ, ư or a tone mark ("Täa ®µm v\u0309 chuyÓn"): still old-font text, still refused."""
    typed = [
        ["Nguyễn Thị Thu Hà", "Tọa đàm về chuyển đổi số"],
        ["Lê Thị Mai, Phó Chủ tịch", "Phòng Văn hóa và Thông tin"],
    ]
    rows_1258 = [[tcvn3(c).encode("cp1252").decode("cp1258") for c in row] for row in typed]
    rows, errors = _read(xlsx_bytes(rows_1258))
    assert rows == []
    assert [e.message[:60] for e in errors] == [
        "Chữ tiếng Việt trong tệp được gõ bằng bảng mã cũ (TCVN3/ABC,"
    ]


def test_a_sheet_in_capitals_or_with_hoi_tones_typed_in_vni_is_refused():
    """VNI writes a tone as a letter after its vowel; in capitals ("HOÄI", "PHÖÔØNG") and for
    the hỏi tone ("hieåu", "Baûo") those letters are capitals or å, û: a unit list typed in
    capitals in a VNI font was read as it is, every name saved garbled."""
    for typed in (
        [["TEÂN ÑÔN VÒ"], ["TRÖÔØNG TIEÅU HOÏC SUOÁI HOA"], ["HOÄI ÑOÀNG THI ÑUA PHÖÔØNG"]],
        [["Noäi dung"], ["Hieåu bieát phaùp luaät"], ["Baûo hieåm xaõ hoäi"]],
    ):
        rows, errors = _read(xlsx_bytes(typed))
        assert rows == []
        assert [e.message[:60] for e in errors] == [
            "Chữ tiếng Việt trong tệp được gõ bằng bảng mã cũ (TCVN3/ABC,"
        ]


def test_unicode_text_with_a_few_foreign_letters_or_symbols_is_read():
    rows, errors = _read(
        xlsx_bytes(
            [
                ["Tên hoạt động", "Ngày tổ chức"],
                ["Giao lưu với đoàn Müller (CHLB Đức)", "05/03/2026"],
                ["Hội thảo Citroën©", "06/03/2026"],
                ["Tặng «Bằng khen», pa-nô 2×3 m", "07/03/2026"],
            ]
        )
    )
    assert errors == []
    assert len(rows) == 3


def test_unicode_vietnamese_with_symbols_on_many_lines_is_read():
    """A cell holding a letter the old 8-bit fonts have no code for (ơ, ư, ă, đ, ộ…, or a
    decomposed tone mark) was typed in Unicode, whatever symbols stand beside its words: a
    sponsors' list with "®", a health report with "µg", "NGÀY HỘI ©" is not refused."""
    rows, errors = _read(
        xlsx_bytes(
            [
                ["Tên hoạt động", "Ngày tổ chức"],
                ["Hội thảo Citroën©", "05/03/2026"],
                ["Giải thưởng Samsung®", "06/03/2026"],
                ["Bổ sung vitamin D 400 µg cho trẻ", "07/03/2026"],
                [unicodedata.normalize("NFD", "Hội chợ Samsung®, Noël"), "08/03/2026"],
            ]
        )
    )
    assert errors == []
    assert len(rows) == 4


def test_a_first_row_of_small_numbers_is_data_unless_it_numbers_the_columns():
    """Official forms print a line of column numbers under the header ((1) (2) (3), A B 1 2)
    and the import skips it; a first data row of small numbers or a letter (unit "01", 12
    people; a team "B") was taken for it and silently left out."""
    targets = (Column("Mã đơn vị", "code", required=True), Column("Số người", "n"))
    rows, errors = read_rows(
        BytesIO(xlsx_bytes([["Mã đơn vị", "Số người"], ["01", 12], ["02", 7]])), targets
    )
    assert errors == []
    assert [(line, values["code"]) for line, values in rows] == [(2, "01"), (3, "02")]
    teams = (Column("STT", "no"), Column("Đội", "team", required=True), Column("Số người", "n"))
    for numbering, first in ((["(1)", "(2)", "(3)"], 3), (["A", "B", "1"], 3), ([], 2)):
        data = [["STT", "Đội", "Số người"], numbering, [1, "B", 5], [2, "C", 6]]
        rows, errors = read_rows(BytesIO(xlsx_bytes([r for r in data if r])), teams)
        assert errors == []
        assert [values["team"] for _, values in rows] == ["B", "C"]
        assert rows[0][0] == first


def test_a_totals_line_under_the_list_is_not_read_as_a_row():
    """Lists end with their sum ("Tổng cộng | | 19", "Tổng số: 2 đơn vị"): that line is no
    unit to import, and was refused as one with an empty code; a name that starts like it
    ("Tổng Văn Nam") is still a row."""
    columns = (
        Column("Mã đơn vị", "code", required=True),
        Column("Tên đơn vị", "name"),
        Column("Số người", "n", parse=parse_int_cell),
    )
    units = [["STT", "Mã đơn vị", "Tên đơn vị", "Số người"], [1, "P01", "Tổng Văn Nam", "12"]]
    for totals in (
        ["Tổng cộng", None, None, 19],
        [None, None, "TỔNG CỘNG:", "1.019"],
        [None, None, "Tổng số: 2 đơn vị", None],
        [None, None, "Cộng", 19],
    ):
        data = xlsx_bytes([*units, [2, "P02", "Phường Vũ Ninh", 7], totals])
        rows, errors = read_rows(BytesIO(data), columns)
        assert errors == []
        assert [values["name"] for _, values in rows] == ["Tổng Văn Nam", "Phường Vũ Ninh"]


def test_spaces_pasted_from_a_web_page_or_a_pdf_read_as_plain_spaces():
    """Names copied from a web page or a PDF hold no-break, em and thin spaces, doubled spaces
    and invisible joiners: saved as they are, "Nguyễn Văn An" would be another name in search
    and sorting. Each gap is one plain space; a cell's lines stay lines."""
    rows, errors = _read(
        xlsx_bytes(
            [
                ["Tên hoạt động", "Ngày tổ chức", "Loại"],
                ["Hội\u00a0thi  Nguyễn\u2003Văn\u202fAn\u200d ", "05/03/2026", "Hội\u00a0thi"],
                ["Tọa đàm\u2060 \t\n  lần\u00a02 ", "06/03/2026", None],
            ]
        )
    )
    assert errors == []
    assert [(v["title"], v["kind"]) for _, v in rows] == [
        ("Hội thi Nguyễn Văn An", "Hội thi"),
        ("Tọa đàm\nlần 2", None),
    ]


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in text)


def test_full_width_letters_and_digits_read_as_plain_ones():
    """Codes and figures typed on an East Asian keyboard layout or pasted from such a document
    (U+FF21 …, U+FF10 …): the code matched no unit."""
    columns = (Column("Mã đơn vị", "code", required=True), Column("Số người", "n"))
    data = xlsx_bytes(
        [["Mã đơn vị", "Số người"], [_full_width("PA-01") + "\u3000", _full_width("12")]]
    )
    rows, errors = read_rows(BytesIO(data), columns)
    assert errors == []
    assert rows == [(2, {"code": "PA-01", "n": "12"})]


def test_brands_measures_and_foreign_names_without_vietnamese_letters_are_read():
    """A cell with no Vietnamese letter at all ("Samsung®", "400 µg", "Noël") shows the same
    symbols an old font uses; only marks inside a word that reads as a Vietnamese syllable in
    TCVN3 or VNI ("B¾c", "Noäi") count, so such a list is read, not refused as old-font text."""
    rows, errors = _read(
        xlsx_bytes(
            [
                ["Tên hoạt động", "Ngày tổ chức"],
                ["Samsung®", "05/03/2026"],
                ["400 µg", "06/03/2026"],
                ["Noël", "07/03/2026"],
                ["Citroën© 5µm, Zoë", "08/03/2026"],
            ]
        )
    )
    assert errors == []
    assert [values["title"] for _, values in rows] == [
        "Samsung®", "400 µg", "Noël", "Citroën© 5µm, Zoë"
    ]  # fmt: skip


def test_a_formula_without_its_computed_value_is_refused_not_read_as_empty():
    """A file written by a program that does not calculate (a script, some exports) holds the
    formula and no value: read as it is, the cell would be empty and the count silently lost."""
    data = xlsx_bytes(
        [
            ["Tên hoạt động", "Ngày tổ chức", "Số người tham gia"],
            ["Hội thi", "02/01/2026", 10],
            ["Tọa đàm", "03/01/2026", 0],
        ]
    )
    edited = _edited_sheet(data, r'<c r="C3"[^>]*>.*?</c>', '<c r="C3"><f>10+25</f></c>')
    rows, errors = _read(edited)
    assert rows == []
    assert [e.message for e in errors] == [
        "Trang tính “Sheet1” có công thức chưa được tính (ô C3): tệp do một phần mềm khác tạo "
        "ra, chưa có giá trị của công thức nên ô sẽ bị đọc là trống. Hãy mở tệp bằng Excel "
        "(hoặc WPS, LibreOffice), lưu lại rồi tải lên lại."
    ]
    shared = _edited_sheet(
        data, r'<c r="C3"[^>]*>.*?</c>', '<c r="C3" s="0"><f t="shared" si="0"/></c>'
    )
    assert "(ô C3)" in _read(shared)[1][0].message
    book = Workbook()  # a script's file: the formula with an empty value
    book.active.append(["Tên hoạt động", "Ngày tổ chức", "Số người tham gia"])
    book.active.append(["Hội thi", "02/01/2026", "=10+25"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert "(ô C2)" in _read(buffer.getvalue())[1][0].message
    # a formula Excel computed to empty text (=IF(…;"";…)) is read as the blank it shows
    empty_text = _edited_sheet(
        data, r'<c r="C3"[^>]*>.*?</c>', '<c r="C3" t="str"><f>IF(1=1,"",1)</f><v></v></c>'
    )
    rows, errors = _read(empty_text)
    assert errors == []
    assert rows[1][1]["participants"] is None
