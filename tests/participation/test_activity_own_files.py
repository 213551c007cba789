"""Activities read from a unit's own report sheet: a title block, "Thời gian" merged over "Từ
ngày" and "Đến ngày", STT and Ghi chú columns, forms typed without accents, dates as text, day
numbers and dates, a totals line and signatures; bad rows named by line and column, none
written; a file that is no sheet refused in Vietnamese, never a server error."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.sheets import excel_serial, nfd, office_list_bytes
from thidua.core.text import fold
from thidua.participation import services
from thidua.participation.models import Activity

TITLE = ("ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA", "KẾT QUẢ TỔ CHỨC HOẠT ĐỘNG")
# Line 4 and 5: the period under one merged cell, the form after the title.
HEADER = (
    ("STT", "Tên hoạt động", "Hình thức", "Thời gian", None, "Địa điểm", "Số người tham gia",
     "Kết quả đạt được", "Ghi chú"),
    (None, None, None, "Từ ngày", "Đến ngày", None, None, None, None),
)  # fmt: skip
HEADER_MERGES = ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2", "G1:G2", "H1:H2", "I1:I2")


def _import(officer, campaign, unit, rows):
    data = office_list_bytes(HEADER, rows, header_merges=HEADER_MERGES, title=TITLE)
    return services.activities_import(
        actor=officer, campaign=campaign, unit=unit, upload=BytesIO(data)
    )


def test_a_units_own_report_sheet_records_every_activity(campaign, officer, city):
    label = campaign.forms.first().label
    count, errors = _import(
        officer,
        campaign,
        city.suoi_hoa,
        [
            (1, nfd("Hội thi tìm hiểu pháp luật"), label.upper(), "05/07/2022", "5-7-22",
             "Nhà văn hóa\u00a0", "1.200", "Tốt", None),
            (2, "Tọa đàm", fold(label), excel_serial(date(2022, 7, 6)), None, None, 35, None,
             "bổ sung"),
            (None, None, None, None, None, None, None, None, None),
            (3, "Ra quân", label, datetime(2022, 7, 7), datetime(2022, 7, 8),  # noqa: DTZ001
             "Sân vận động", None, None, None),
            (None, "Tổng số: 3 hoạt động", None, None, None, None, 1235, None, None),
        ],
    )  # fmt: skip
    assert (count, errors) == (3, [])
    assert list(
        Activity.objects.order_by("pk").values_list(
            "title", "held_on", "ends_on", "place", "participants"
        )
    ) == [
        ("Hội thi tìm hiểu pháp luật", date(2022, 7, 5), date(2022, 7, 5), "Nhà văn hóa", 1200),
        ("Tọa đàm", date(2022, 7, 6), None, "", 35),
        ("Ra quân", date(2022, 7, 7), date(2022, 7, 8), "Sân vận động", 0),
    ]


def test_bad_rows_are_named_by_line_and_column_and_none_is_written(campaign, officer, city):
    label = campaign.forms.first().label
    count, errors = _import(
        officer,
        campaign,
        city.suoi_hoa,
        [
            (1, "Hội thi", label, "05/07/2022", None, None, 20, None, None),
            (2, "Tọa đàm", "Hình thức lạ", "32/07/2022", None, None, "nhiều", None, None),
            (3, "Ra quân", label, "07/07/2022", "06/07/2022", None, None, None, None),
        ],
    )
    assert count == 0
    assert [(e.row, e.column) for e in errors] == [
        (7, "Ngày tổ chức"),
        (7, "Số người tham gia"),
        (7, "Hình thức"),
        (8, "Đến ngày"),
    ]
    assert errors[0].message == "Ngày “32/07/2022” không có trên lịch: tháng 7 năm 2022 có 31 ngày."
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("hoat-dong.xlsx", b"%PDF-1.4\n" + bytes(range(256)) * 8, "Excel"),
        ("hoat-dong.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx"),
    ],
)
def test_a_file_that_is_no_sheet_is_refused_in_vietnamese(campaign, officer, name, data, message):
    page = verified_client(officer).post(
        reverse("participation:activity-import", args=[campaign.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Activity.objects.exists()
