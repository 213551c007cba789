from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from thidua.core.excel import Column, read_rows, stream_workbook, write_workbook
from thidua.core.http import xlsx_stream

COLUMNS = (
    Column("Tên", "name", required=True),
    Column("Ngày", "day"),
    Column("Loại", "kind", choices=("Một", "Hai")),
    Column("Danh mục dài", "long", choices=tuple(f"Hình thức số {n}" for n in range(40))),
)


def test_streamed_workbook_is_a_real_xlsx_with_headers_dates_and_lists():
    rows = (["Tên " + str(n), date(2022, 7, n % 28 + 1), "Một", None] for n in range(3000))
    with stream_workbook(COLUMNS, rows) as handle:
        workbook = load_workbook(handle)
    sheet = workbook["Dữ liệu"]
    assert [c.value for c in sheet[1]] == ["Tên *", "Ngày", "Loại", "Danh mục dài"]
    assert sheet.max_row == 3001
    assert sheet["B2"].value.date() == date(2022, 7, 1)
    assert sheet["B2"].number_format == "dd/mm/yyyy"
    sources = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"Một,Hai"' in sources
    # A list over Excel's 255 characters sits on a hidden sheet.
    assert "'Danh mục'!$D$1:$D$40" in sources
    assert workbook["Danh mục"].sheet_state == "hidden"


def test_streaming_response_sends_chunks_of_a_file():
    response = xlsx_stream(
        COLUMNS, ([f"Dòng {n}", None, "Hai", None] for n in range(500)), "x.xlsx"
    )
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="x.xlsx"'
    content = b"".join(response.streaming_content)
    rows, errors = read_rows(BytesIO(content), COLUMNS)
    assert errors == []
    assert len(rows) == 500
    assert rows[0] == (2, {"name": "Dòng 0", "day": None, "kind": "Hai", "long": None})


def _streamed(columns, rows):
    with stream_workbook(columns, rows) as handle:
        return handle.read()


@pytest.mark.parametrize("writer", [write_workbook, _streamed])
def test_template_reads_back_as_empty(writer):
    content = writer(COLUMNS, [])
    rows, errors = read_rows(BytesIO(content), COLUMNS)
    assert rows == []
    assert [e.message for e in errors] == ["Tệp không có dòng dữ liệu nào."]
