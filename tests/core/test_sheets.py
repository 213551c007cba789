"""Reading users' own spreadsheets (core.sheets, core.excel): header wordings, column orders,
extra columns, blank rows, title rows above the header, two-line headers, numbers stored as
text, dates as Excel serials and as dd/mm/yyyy text, CSV in every encoding Excel saves."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError

from tests.factories.sheets import csv_bytes, xlsx_bytes
from thidua.core.excel import (
    Column,
    SheetFile,
    choose_layout,
    header_key,
    parse_date_cell,
    parse_int_cell,
    read_rows,
)
from thidua.core.sheets import read_sheets

COLUMNS = (
    Column("Tên hoạt động", "title", required=True, synonyms=("ten_hoat_dong", "Hoạt động")),
    Column("Ngày tổ chức", "held_on", required=True, parse=parse_date_cell, synonyms=("Ngày",)),
    Column(
        "Số người tham gia",
        "participants",
        parse=parse_int_cell,
        synonyms=("so_nguoi", "Số người"),
    ),
    Column("Loại", "kind", choices=("Hội thi", "Tọa đàm")),
)


def _read(data: bytes, columns=COLUMNS):
    return read_rows(BytesIO(data), columns)


def test_header_key_ignores_case_accents_punctuation_and_the_required_mark():
    assert header_key("Đáp án đúng (*)") == header_key("dap_an_dung") == "dap an dung"
    assert header_key("  NỘI DUNG   câu hỏi:") == "noi dung cau hoi"
    assert header_key(None) == ""


def test_synonyms_any_order_and_extra_columns():
    rows, errors = _read(
        xlsx_bytes(
            [
                ["STT", "Số người", "Người báo cáo", "HOẠT ĐỘNG", "ngày", "Ghi chú"],
                [1, "1.200", "Lan", "Hội thi tìm hiểu", "01/07/2022", "x"],
                [2, 35, "Lan", "Tọa đàm", date(2022, 7, 2), None],
            ]
        )
    )
    assert errors == []
    assert rows == [
        (2, {"title": "Hội thi tìm hiểu", "held_on": date(2022, 7, 1), "participants": 1200,
             "kind": None}),
        (3, {"title": "Tọa đàm", "held_on": date(2022, 7, 2), "participants": 35, "kind": None}),
    ]  # fmt: skip


def test_title_rows_above_the_header_numbering_and_blank_rows_keep_file_line_numbers():
    data = xlsx_bytes(
        [
            ["ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA"],
            ["DANH SÁCH HOẠT ĐỘNG THÁNG 7/2022"],
            [],
            ["Tên hoạt động", "Ngày tổ chức", "Số người tham gia", "Loại"],
            ["(1)", "(2)", "(3)", "(4)"],
            ["Hội thi", "01/07/2022", 10, "hoi thi"],
            [],
            ["Tọa đàm", "31/02/2022", "mười", "Tọa đàm"],
            [None, None, None, None, "Tổng: 2"],
            ["Tên hoạt động", "Ngày tổ chức", "Số người tham gia", "Loại"],  # header repeated
            ["Ra quân", 44743, "2022.0", None],
        ],
        merges=["A1:D1", "A2:D2"],
    )
    rows, errors = _read(data)
    assert [n for n, _ in rows] == [6, 8, 11]
    assert rows[0][1]["kind"] == "Hội thi"  # a choice matched without accents
    assert rows[2][1]["held_on"] == date(2022, 7, 1)  # an Excel serial
    assert rows[2][1]["participants"] == 2022  # a float written as text by another tool
    assert [(e.row, e.column) for e in errors] == [(8, "Ngày tổ chức"), (8, "Số người tham gia")]
    assert errors[0].message == "Ngày “31/02/2022” không có trên lịch: tháng 2 năm 2022 có 28 ngày."


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2022, 7, 1, 0, 0), date(2022, 7, 1)),  # noqa: DTZ001 - a cell: no zone
        (44743, date(2022, 7, 1)),
        (44743.0, date(2022, 7, 1)),
        ("44743", date(2022, 7, 1)),
        ("01/07/2022", date(2022, 7, 1)),
        ("1/7/2022", date(2022, 7, 1)),
        ("01-07-2022", date(2022, 7, 1)),
        ("01.07.2022", date(2022, 7, 1)),
        ("2022-07-01", date(2022, 7, 1)),
        ("2022-07-01 00:00:00", date(2022, 7, 1)),
        # as documents write a date, copied into the sheet
        ("ngày 1 tháng 7 năm 2022", date(2022, 7, 1)),
        ("Ngày 01 tháng 07 năm 2022.", date(2022, 7, 1)),
        ("mồng 1 tháng 7 năm 2022", date(2022, 7, 1)),
        ("Ngày 01/7/2022", date(2022, 7, 1)),
        ("NGÀY 1-7-2022", date(2022, 7, 1)),
        # a two-digit year, with any of the separators a four-digit one may have
        ("01/07/22", date(2022, 7, 1)),
        ("01-07-22", date(2022, 7, 1)),
        ("1.7.22", date(2022, 7, 1)),
    ],
)
def test_dates_in_every_shape(cell, expected):
    assert parse_date_cell(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("29/02/2023", "Ngày “29/02/2023” không có trên lịch: tháng 2 năm 2023 có 28 ngày."),
        ("31.04.2022", "Ngày “31.04.2022” không có trên lịch: tháng 4 năm 2022 có 30 ngày."),
        (
            "12/25/2022",  # month first, as English Excel writes it
            "Ngày “12/25/2022” không có trên lịch: không có tháng 25. "
            "Hãy ghi ngày trước, tháng sau (dd/mm/yyyy).",
        ),
        ("mồng 5 tháng 3", "Ngày “mồng 5 tháng 3” không đúng dạng dd/mm/yyyy."),
        (
            "ngày 30 tháng 2 năm 2026",
            "Ngày “ngày 30 tháng 2 năm 2026” không có trên lịch: tháng 2 năm 2026 có 28 ngày.",
        ),
        # an old record that kept only the year, or the month and the year: say what is missing
        ("2022", "Ngày “2022” chỉ có năm; hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy)."),
        ("3/2021", "Ngày “3/2021” chỉ có tháng và năm; hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy)."),
        (
            "12.2021",
            "Ngày “12.2021” chỉ có tháng và năm; hãy ghi đủ ngày, tháng, năm (dd/mm/yyyy).",
        ),
    ],
)
def test_a_date_not_on_the_calendar_says_why(cell, message):
    with pytest.raises(ValidationError) as exc:
        parse_date_cell(cell)
    assert exc.value.messages == [message]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(12, 12), (12.0, 12), ("12", 12), ("1.200", 1200), ("1,200", 1200), ("1 200", 1200),
     ("2022.0", 2022), (" 7 ", 7), ("1.234,00", 1234), ("1,234.0", 1234)],
)  # fmt: skip
def test_whole_numbers_stored_as_numbers_or_text(cell, expected):
    assert parse_int_cell(cell) == expected


@pytest.mark.parametrize("cell", ["12,5", 12.5, "mười", "-3"])
def test_not_whole_numbers_are_refused_in_vietnamese(cell):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_int_cell(cell)


def test_text_columns_read_numbers_and_dates_as_people_see_them():
    columns = (Column("Mã", "code", required=True), Column("Ghi", "note"))
    rows, errors = _read(xlsx_bytes([["Mã", "Ghi"], [1.0, date(2022, 7, 1)], [7, True]]), columns)
    assert errors == []
    assert [v for _, v in rows] == [
        {"code": "1", "note": "01/07/2022"},
        {"code": "7", "note": "Có"},
    ]


ROWS = [
    ["Tên hoạt động", "Ngày tổ chức", "Số người tham gia", "Loại"],
    ["Hội thi “Tìm hiểu Nguyễn Văn Cừ”", "01/07/2022", "1.200", "Hội thi"],
    ["Tọa đàm, giao lưu", "02/07/2022", "35", "Tọa đàm"],
]


@pytest.mark.parametrize(
    ("encoding", "sep", "bom"),
    [
        ("utf-8", ",", False),
        ("utf-8", ",", True),
        ("utf-8", ";", True),
        ("utf-16", "\t", False),
        ("cp1258", ";", False),
        ("cp1258", ",", False),
    ],
)
def test_csv_in_the_encodings_excel_saves(encoding, sep, bom):
    rows, errors = _read(csv_bytes(ROWS, encoding=encoding, sep=sep, bom=bom))
    assert errors == []
    assert [v["title"] for _, v in rows] == [
        "Hội thi “Tìm hiểu Nguyễn Văn Cừ”",
        "Tọa đàm, giao lưu",
    ]
    assert [v["participants"] for _, v in rows] == [1200, 35]
    assert [n for n, _ in rows] == [2, 3]


def test_a_csv_cell_over_two_lines_keeps_the_line_numbers_of_its_record():
    data = csv_bytes(
        [ROWS[0], ["Hội thi\ncó hai dòng", "01/07/2022", "1", ""], ["Tọa đàm", "xx", "2", ""]]
    )
    rows, errors = _read(data)
    assert rows[0][1]["title"] == "Hội thi\ncó hai dòng"
    assert [(e.row, e.column) for e in errors] == [(4, "Ngày tổ chức")]


def test_a_header_over_two_lines_with_a_merged_parent():
    columns = (
        Column("Câu hỏi", "stem", required=True),
        *(Column(f"Phương án {x}", f"option_{x}", required=True) for x in "ab"),
        Column("Đáp án", "correct", required=True),
    )
    data = xlsx_bytes(
        [
            ["NGÂN HÀNG CÂU HỎI"],
            ["Câu hỏi", "Phương án", None, "Đáp án"],
            [None, "A", "B", None],
            ["Năm sinh?", "1912", "1910", "A"],
        ],
        merges=["A1:D1", "B2:C2", "A2:A3", "D2:D3"],
    )
    rows, errors = read_rows(BytesIO(data), columns)
    assert errors == []
    assert rows == [(4, {"stem": "Năm sinh?", "option_a": "1912", "option_b": "1910",
                         "correct": "A"})]  # fmt: skip


def test_the_sheet_with_the_data_is_chosen_over_an_instructions_sheet():
    data = xlsx_bytes(
        [["Hướng dẫn"], ["Điền mỗi hoạt động một dòng ở trang “Dữ liệu”."]],
        title="Hướng dẫn",
        sheets=[("Dữ liệu", ROWS)],
    )
    rows, errors = _read(data)
    assert errors == []
    assert len(rows) == 2
    sheet, layout = choose_layout(read_sheets(data), COLUMNS)
    assert (sheet.name, layout.header_row, layout.sheets) == ("Dữ liệu", 1, 2)


def test_a_missing_column_names_the_columns_found():
    data = xlsx_bytes([["DANH SÁCH"], ["STT", "Tên hoạt động", "Thời điểm"], [1, "Hội thi", "x"]])
    rows, errors = _read(data)
    assert rows == []
    assert [(e.row, e.message) for e in errors] == [
        (2, "Thiếu cột bắt buộc “Ngày tổ chức”. Các cột tìm thấy ở dòng 2: “STT”, "
         "“Tên hoạt động”, “Thời điểm”.")
    ]  # fmt: skip


def test_a_confirmed_mapping_reads_unknown_headers():
    data = xlsx_bytes([["Cột 1", "Cột 2"], ["Hội thi", "01/07/2022"]])
    upload = SheetFile(data, "x.xlsx", header_row=1, mapping={"title": 0, "held_on": 1})
    rows, errors = read_rows(upload, COLUMNS)
    assert errors == []
    assert rows == [(2, {"title": "Hội thi", "held_on": date(2022, 7, 1), "participants": None,
                         "kind": None})]  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel cũ (.xls)"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "không phải là bảng tính Excel"),
        (b"PK\x03\x04not really a zip", "Không đọc được tệp Excel"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_in_vietnamese(data, message):
    rows, errors = _read(data)
    assert rows == []
    assert message in errors[0].message


def test_every_imports_headers_and_synonyms_name_one_column_each(db):
    from thidua.awards.registry import registry_columns
    from thidua.contests.bank import QUESTION_COLUMNS
    from thidua.contests.services import TARGET_COLUMNS
    from thidua.organizations.services import PERSON_COLUMNS, UNIT_COLUMNS
    from thidua.participation.services import ACTIVITY_COLUMNS, EXPORT_COLUMNS

    for columns in (
        UNIT_COLUMNS,
        PERSON_COLUMNS,
        (*ACTIVITY_COLUMNS, *EXPORT_COLUMNS),
        registry_columns(),
        QUESTION_COLUMNS,
        TARGET_COLUMNS,
    ):
        owner: dict[str, str] = {}
        for column in columns:
            for text in (column.header, *column.synonyms):
                key = header_key(text)
                assert owner.setdefault(key, column.key) == column.key, (text, column.key)


def test_with_no_header_recognised_the_sheet_with_data_is_proposed():
    data = xlsx_bytes(
        [["Ghi chú"]],
        title="Ghi chú",
        sheets=[("Trống", []), ("Số liệu", [["Cột 1", "Cột 2"], ["a", "b"], ["c", "d"]])],
    )
    sheet, layout = choose_layout(read_sheets(data), COLUMNS)
    assert (sheet.name, layout.header_row, layout.mapping) == ("Số liệu", 1, {})
    assert layout.headers == ["Cột 1", "Cột 2"]


def test_a_number_shown_as_a_percentage_keeps_its_value_and_the_mark():
    """0.85 shown as "85%" is still 0.85 to every import (a plain cell, a date format and a % in
    quotes carry no mark); percent_figure reads it as 85 for a figure counted in percent."""
    from openpyxl import Workbook

    from thidua.core.excel import percent_figure
    from thidua.core.sheets import shown_as_percent

    wb = Workbook()
    ws = wb.active
    ws.append(["Tỷ lệ", "Tỷ lệ 2", "Số", "Chữ", "Số có ký hiệu", "Tròn"])
    ws.append([0.85, 0.8567, 0.85, "85 %", 85, 1])
    for column, fmt in ((1, "0%"), (2, "0.00%"), (5, '0"%"'), (6, "0%")):
        ws.cell(row=2, column=column).number_format = fmt
    out = BytesIO()
    wb.save(out)
    cells = read_sheets(out.getvalue())[0].rows[1][1]
    assert cells == [0.85, 0.8567, 0.85, "85 %", 85, 1]
    assert [shown_as_percent(c) for c in cells] == [True, True, False, False, False, True]
    assert [percent_figure(c) for c in cells] == [85.0, 85.67, 0.85, "85", 85, 100.0]
    assert isinstance(cells[5], int)


def test_a_cell_styled_with_a_number_format_the_file_does_not_define_is_read():
    """Some programs write a style whose custom number format is missing from the file:
    openpyxl cannot name the format, and the file must still read (it did before percentages
    were read from the format), its number as it is."""
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Mã", "Số"])
    ws.append(["A", 5])
    ws.cell(row=2, column=2).number_format = '0" người"'  # a custom format: id 164
    out = BytesIO()
    wb.save(out)
    broken = BytesIO()
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = re.sub(rb"<numFmts.*?</numFmts>", b"", data, flags=re.S)
            dst.writestr(item, data)
    assert read_sheets(broken.getvalue())[0].rows == [(1, ["Mã", "Số"]), (2, ["A", 5])]
