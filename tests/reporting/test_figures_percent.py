"""Figures in percent from a unit's sheet: a cell formatted as a percentage holds its fraction
(85 % is 0.85) and a text cell may carry the sign ("85 %"); both mean 85 for an indicator counted
in %. Plain numbers, and figures of other indicators, read as they always did."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import verified_client
from thidua.reporting import services
from thidua.reporting.models import ReportAssignment

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER = ("Mã đơn vị", "Tỷ lệ hộ gia đình văn hóa", "Tỷ lệ phủ sóng", "Số tin, bài")


@pytest.fixture
def percent_request(campaign, office_user, city):
    template = services.template_create(
        actor=office_user,
        campaign=campaign,
        name="Báo cáo tỷ lệ",
        sections=[],
        indicators=[
            {"name": HEADER[1], "unit_of_measure": "%", "aggregation": "average"},
            {"name": HEADER[2], "unit_of_measure": "Phần trăm", "aggregation": "average"},
            {"name": HEADER[3], "unit_of_measure": "tin, bài", "aggregation": "sum"},
        ],
    )
    with time_machine.travel(datetime(2022, 11, 20, 9, tzinfo=HCM)):
        return services.request_create(
            actor=office_user,
            campaign=campaign,
            template=template,
            title="Báo cáo tỷ lệ hộ văn hóa",
            units=[city.suoi_hoa],
            due_date=date(2022, 12, 15),
        )


def sheet(*cells) -> bytes:
    """A real workbook: the header, then Suối Hoa's row; a cell given as (value, format) gets
    that number format, as Excel stores a cell shown as "85%"."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["P-SUOIHOA"] + [c[0] if isinstance(c, tuple) else c for c in cells])
    for column, c in enumerate(cells, start=2):
        if isinstance(c, tuple):
            ws.cell(row=2, column=column).number_format = c[1]
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def figures(report_request, city) -> dict:
    a = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)
    names = {str(i.pk): i.name for i in report_request.template.indicators.all()}
    return {names[k]: v for k, v in a.draft_values.items()}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ((0.85, "0%"), 85),
        ((0.8567, "0.00%"), 85.67),
        ((1, "0%"), 100),  # a whole 100 % is stored as the number 1
        ("85 %", 85),
        ("85%", 85),
        ("85,5 %", 85.5),
        (85, 85),  # plain numbers as they always were
        (0.85, 0.85),
        ("85", 85),
        ((85, '0"%"'), 85),  # a % sign in quotes is only text beside the number: not scaled
    ],
)
def test_a_percent_figure_reads_as_the_sheet_shows_it(
    percent_request, officer, city, cell, expected
):
    count, errors = services.indicators_import(
        actor=officer, request=percent_request, upload=BytesIO(sheet(cell, cell, 12))
    )
    assert (count, errors) == (1, [])
    assert figures(percent_request, city) == {
        HEADER[1]: expected,
        HEADER[2]: expected,
        HEADER[3]: 12,
    }


def test_only_figures_counted_in_percent_are_scaled(percent_request, officer, city):
    """A percentage format on a count is the sheet's look, not a different number; text with a
    sign in a count is no number, as before."""
    count, errors = services.indicators_import(
        actor=officer, request=percent_request, upload=BytesIO(sheet(0.9, 0.9, (0.5, "0%")))
    )
    assert (count, errors) == (1, [])
    assert figures(percent_request, city)[HEADER[3]] == 0.5
    count, errors = services.indicators_import(
        actor=officer, request=percent_request, upload=BytesIO(sheet(90, 90, "12 %"))
    )
    assert count == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "Số tin, bài (tin, bài)", "“12 %” không phải là số."),
    ]


def test_the_import_page_reads_a_percentage_cell(percent_request, officer, city):
    page = verified_client(officer).post(
        reverse("reporting:indicator-import", args=[percent_request.pk]),
        {"file": SimpleUploadedFile("so-lieu.xlsx", sheet((0.85, "0%"), "85 %", 3))},
    )
    assert page.status_code in {200, 302}
    assert figures(percent_request, city) == {HEADER[1]: 85, HEADER[2]: 85, HEADER[3]: 3}
