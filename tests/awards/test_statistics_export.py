"""The statistics forms as real files: the workbook opened with openpyxl, the PDF read back."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.awards.test_statistics import Data
from thidua.awards import statistics as st
from thidua.awards.statistics_export import report_pdf, report_xlsx


@pytest.fixture
def report(city, office_user):
    Data(city, office_user)
    st.staffing_save(
        actor=office_user,
        issuer=city.city,
        year=2022,
        organisations={"05": 1},
        staff={"03": (2, 1), "11": (2, 1), "13": (2, 1)},
    )
    return st.yearly_report(
        issuer=city.city,
        year=2022,
        made_on=date(2022, 12, 5),
        preparer="Nguyễn Thị Thu Hà",
        head_title="KT. CHỦ TỊCH",
        head_name="Lê Quang Minh",
    )


def _cells(sheet):
    return {
        (cell.row, cell.column): cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def _line(cells, code):
    """The row of the line with this code (column B)."""
    return next(r for (r, c), v in sorted(cells.items()) if c == 2 and v == code)


def _find(sheet, text):
    return next(
        (cell.row, cell.column) for row in sheet.iter_rows() for cell in row if cell.value == text
    )


def test_workbook_has_every_form_in_the_official_layout(report, tmp_path):
    content = report_xlsx(report)
    (tmp_path / "thong-ke.xlsx").write_bytes(content)
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == ["0601", "0602", "0603", "0604", "0605", "Tham khao"]
    sheet = book["0601"]
    cells = _cells(sheet)
    assert cells[(1, 1)] == "Biểu số: 0601.N/BNV-TĐKT"
    assert cells[(2, 1)] == "Ban hành theo " + st.CIRCULAR
    assert cells[(3, 1)] == "Ngày nhận báo cáo: Ngày 15 tháng 12 năm báo cáo"
    assert cells[(1, 4)] == "Đơn vị báo cáo: Ủy ban nhân dân thành phố Bắc Ninh"
    assert cells[(2, 4)] == (
        "Đơn vị nhận báo cáo: Sở Nội vụ tỉnh Bắc Ninh (Ban Thi đua – Khen thưởng)"
    )
    assert "SỐ PHONG TRÀO THI ĐUA" in cells.values()
    assert "Năm 2022 (từ 01/12/2021 đến 30/11/2022)" in cells.values()
    assert "Đơn vị tính: Phong trào" in cells.values()
    codes_row = _find(sheet, "A")[0]
    assert [cells.get((codes_row, c)) for c in range(1, 7)] == [
        "A", "B", "1=(2+3+4)", "2", "3", "4",
    ]  # fmt: skip
    total_row = _line(cells, "01")
    assert total_row == codes_row + 1
    assert [cells.get((total_row, c)) for c in range(1, 7)] == ["Tổng số", "01", 5, 0, 0, 5]
    row_10 = _find(sheet, "- Từ 5 năm trở lên")[0]
    assert [cells.get((row_10, c)) for c in range(2, 7)] == ["10", 1, 0, 0, 1]
    # the code cells are text, the counts numbers
    assert sheet.cell(total_row, 2).data_type == "s"
    assert sheet.cell(total_row, 3).data_type == "n"
    # signatures below the table
    assert "Bắc Ninh, ngày 05 tháng 12 năm 2022" in cells.values()
    for text in ("NGƯỜI LẬP BIỂU", "KT. CHỦ TỊCH", "(Ký, họ tên)", "(Ký, họ tên, đóng dấu)",
                 "Nguyễn Thị Thu Hà", "Lê Quang Minh"):  # fmt: skip
        assert _find(sheet, text)[0] > row_10
    # the header: "Tổng số" over two rows, the level heading over the three level columns
    top = codes_row - 2
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"C{top}:C{top + 1}", f"D{top}:F{top}"} <= merged
    assert cells[(top, 4)].startswith("Số phong trào thi đua chia theo cấp chủ trì")


def test_workbook_cells_of_0603_and_0605(report):
    book = load_workbook(BytesIO(report_xlsx(report, ["0603", "0605"])))
    assert book.sheetnames == ["0603", "0605"]
    sheet = book["0603"]
    cells = _cells(sheet)
    codes_row = _find(sheet, "C")[0]
    assert [cells.get((codes_row, c)) for c in range(1, 9)] == [
        "A", "B", "C", "1", "2", "3", "4", "5",
    ]  # fmt: skip
    row = _find(sheet, "- Hộ gia đình")[0]
    assert [cells.get((row, c)) for c in range(2, 9)] == ["04", "Hộ", 1, 1, 0, 0, 0]
    row = _find(sheet, "Trong đó: Doanh nghiệp")[0]
    assert [cells.get((row, c)) for c in range(2, 9)] == ["03", "Doanh nghiệp", 1, 0, 0, 1, 0]
    sheet = book["0605"]
    cells = _cells(sheet)
    row = _line(cells, "01")
    assert [cells.get((row, c)) for c in range(1, 5)] == ["Tổng số", "01", 2, 1]
    assert "Đơn vị tính: Người" in cells.values()


def test_a_formula_typed_as_a_name_stays_text(report):
    report = st.Report(
        issuer=report.issuer,
        period=report.period,
        forms=report.forms[:1],
        receiving_unit='=HYPERLINK("http://x")',
        preparer="=1+1",
    )
    sheet = load_workbook(BytesIO(report_xlsx(report)))["0601"]
    cells = _cells(sheet)
    assert 'Đơn vị nhận báo cáo: =HYPERLINK("http://x")' in cells.values()
    assert sheet.cell(*_find(sheet, "=1+1")).data_type == "s"


def test_pdf_reads_back_with_every_form(report, tmp_path):
    content = report_pdf(report)
    (tmp_path / "thong-ke.pdf").write_bytes(content)
    pdf = PdfReader(BytesIO(content))
    assert len(pdf.pages) >= 6
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for expected in (
        "Biểu số: 0601.N/BNV-TĐKT",
        "Biểu số: 0605.N/BNV-TĐKT",
        "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
        "Đơn vị báo cáo: Ủy ban nhân dân thành phố Bắc Ninh",
        "Năm 2022 (từ 01/12/2021 đến 30/11/2022)",
        "NGƯỜI LẬP BIỂU",
        "Lê Quang Minh",
        "Bắc Ninh, ngày 05 tháng 12 năm 2022",
        "Biểu tham khảo (không thuộc Thông tư số 02/2023/TT-BNV)",
    ):
        assert expected in text, expected
    first = pdf.pages[0].extract_text()
    assert "1=(2+3+4)" in first
    assert "Từ 5 năm trở lên 10 1 0 0 1" in " ".join(first.split())


def test_pdf_of_one_form(report):
    pdf = PdfReader(BytesIO(report_pdf(report, ["0602"])))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "0602.N/BNV-TĐKT" in text
    assert "0601.N/BNV" not in text
    assert "Chiến sĩ thi đua toàn quốc" in text


def test_pdf_groups_thousands_with_dots(city, office_user):
    """A city's staff counted in thousands prints as Vietnamese writes it: 1.250, not 1,250."""
    big = {"03": (1250, 600), "11": (1250, 600), "13": (1250, 600)}
    st.staffing_save(
        actor=office_user, issuer=city.city, year=2022, organisations={"05": 1}, staff=big
    )
    report = st.yearly_report(issuer=city.city, year=2022, made_on=date(2022, 12, 5))
    text = " ".join(
        PdfReader(BytesIO(report_pdf(report, ["0605"]))).pages[0].extract_text().split()
    )
    assert "1.250 600" in text
    assert "1,250" not in text
    assert "1250" not in text
