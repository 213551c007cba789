"""Report figures read from a unit's own sheet ("nhập số liệu từ Excel"): a title block, the
indicators grouped under a merged "Chỉ tiêu", STT and Ghi chú columns, figures typed the
Vietnamese way, yes/no marked as people mark it, a totals line and signatures under the table;
a figure that is no number named by its line and column; nothing half-written."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.sheets import office_list_bytes
from thidua.reporting import services
from thidua.reporting.models import ReportAssignment

TITLE = ("ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA", "BẢNG SỐ LIỆU CHỈ TIÊU")
# Line 4 and 5: the indicators under one merged cell.
HEADER = (
    ("STT", "Tên đơn vị", "Mã đơn vị", "Chỉ tiêu", None, "Ghi chú"),
    (None, None, None, "Số tin, bài", "Đã ban hành kế hoạch", None),
)
HEADER_MERGES = ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2")


def _import(officer, report_request, rows):
    data = office_list_bytes(HEADER, rows, header_merges=HEADER_MERGES, title=TITLE)
    return services.indicators_import(actor=officer, request=report_request, upload=BytesIO(data))


def _draft(report_request, city) -> dict:
    a = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)
    names = {str(i.pk): i.name for i in report_request.template.indicators.all()}
    return {names[k]: v for k, v in a.draft_values.items()}


@pytest.mark.parametrize(
    ("mark", "expected"), [("x", True), ("có", True), ("CÓ", True), ("Không", False), (1, True)]
)
def test_a_units_own_sheet_fills_its_draft(report_request, officer, city, mark, expected):
    count, errors = _import(
        officer,
        report_request,
        [
            (1, "Phường Suối Hoa", "P-SUOIHOA", "12.500", mark, "Số liệu đến 30/11"),
            (None, "Tổng cộng", None, 12500, None, None),
        ],
    )
    assert (count, errors) == (1, [])
    assert _draft(report_request, city) == {"Số tin, bài": 12500, "Đã ban hành kế hoạch": expected}


def test_a_figure_that_is_no_number_is_named_by_its_line_and_column(report_request, officer, city):
    count, errors = _import(
        officer,
        report_request,
        [(1, "Phường Suối Hoa", "p-suoihoa", "khoảng 20", "có", None)],
    )
    assert count == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (6, "Số tin, bài (tin, bài)", "“khoảng 20” không phải là số."),
    ]
    assert _draft(report_request, city) == {}


def test_a_number_cell_is_the_number_it_holds(report_request, officer, city):
    """A figure kept as a number (1.234, three decimals) was read as its text, and so as
    1 234 (a Vietnamese thousands dot); typed as text, "2,5" and "12.500" read as written."""
    count, errors = _import(officer, report_request, [(1, None, "P-SUOIHOA", 1.234, None, None)])
    assert (count, errors) == (1, [])
    assert _draft(report_request, city) == {"Số tin, bài": 1.234}
    for typed, figure in (("2,5", 2.5), ("12.500", 12500)):
        count, errors = _import(
            officer, report_request, [(1, None, "P-SUOIHOA", typed, None, None)]
        )
        assert (count, errors) == (1, [])
        assert _draft(report_request, city) == {"Số tin, bài": figure}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("so-lieu.xlsx", b"%PDF-1.4\n" + bytes(range(256)) * 8, "Excel"),
        ("so-lieu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx"),
    ],
)
def test_a_file_that_is_no_sheet_is_refused_in_vietnamese(
    report_request, officer, city, name, data, message
):
    page = verified_client(officer).post(
        reverse("reporting:indicator-import", args=[report_request.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert _draft(report_request, city) == {}
