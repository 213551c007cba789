"""Rows a user hid in the sheet (an Excel filter, rows hidden by hand) are imported like the
others, never dropped without a word, and the import says which lines they are (the pages:
tests/contests/test_import_hidden_rows.py)."""

from io import BytesIO

from openpyxl import Workbook

from thidua.core.excel import Column, SheetFile, read_rows

COLUMNS = [Column("Họ và tên", "name", required=True), Column("Đơn vị", "unit")]


def workbook(rows: list[list[object]], *, hidden=(), autofilter: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for line in hidden:
        sheet.row_dimensions[line].hidden = True
    if autofilter:
        sheet.auto_filter.ref = autofilter
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PEOPLE = [["Danh sách cán bộ"], ["Họ và tên", "Đơn vị"], ["An", "Suối Hoa"], ["Bình", "Vũ Ninh"],
          ["Chi", "Suối Hoa"], ["Dũng", "Vũ Ninh"]]  # fmt: skip


def test_rows_hidden_by_a_filter_are_read_and_named():
    upload = SheetFile(workbook(PEOPLE, hidden=(4, 6), autofilter="A2:B6"), "can-bo.xlsx")
    rows, errors = read_rows(upload, COLUMNS)
    assert errors == []
    assert [v["name"] for _, v in rows] == ["An", "Bình", "Chi", "Dũng"]  # nothing dropped
    assert (upload.hidden.lines, upload.hidden.filtered) == ([4, 6], True)
    assert upload.hidden.notice() == (
        "Lưu ý: 2 dòng đang bị ẩn trong tệp (lọc bằng bộ lọc (Filter) hoặc ẩn dòng) vẫn được "
        "nhập như các dòng khác: dòng 4, 6. Nếu chỉ muốn nhập các dòng đang hiện, hãy xóa các "
        "dòng ẩn khỏi tệp (hoặc sửa lại dữ liệu vừa nhập)."
    )


def test_only_hidden_data_rows_count_and_a_sheet_without_any_says_nothing():
    upload = SheetFile(workbook(PEOPLE, hidden=(1, 5)), "can-bo.xlsx")  # the title, and Chi
    read_rows(upload, COLUMNS)
    assert (upload.hidden.lines, upload.hidden.filtered) == ([5], False)
    assert "(ẩn dòng (Hide))" in upload.hidden.notice()
    plain = SheetFile(workbook(PEOPLE, autofilter="A2:B6"), "can-bo.xlsx")
    read_rows(plain, COLUMNS)
    assert (plain.hidden.lines, plain.hidden.notice()) == ([], "")


def test_many_hidden_rows_are_listed_up_to_twenty():
    rows = [["Họ và tên"], *([f"Người {i}"] for i in range(60))]
    upload = SheetFile(workbook(rows, hidden=range(2, 62, 2), autofilter="A1:A61"), "x.xlsx")
    read_rows(upload, COLUMNS)
    assert len(upload.hidden.lines) == 30
    assert "30 dòng đang bị ẩn" in upload.hidden.notice()
    assert "dòng 2, 4, 6," in upload.hidden.notice()
    assert upload.hidden.notice().count(",") < 25
    assert "và 10 dòng khác" in upload.hidden.notice()
