"""The steps every spreadsheet import goes through (core.import_flow), shown on the activity
import: known headers import at once; unknown ones are mapped by the user on a page with the
file's headers and first five rows, and the choice is remembered; the same file imported again
is questioned first; large files go to the background job after the same steps."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import verified_client
from tests.factories.sheets import upload, xlsx_bytes
from thidua.core import imports
from thidua.core.models import ActionLog, ImportFile, Job
from thidua.participation.models import Activity

pytestmark = pytest.mark.django_db

UNKNOWN = ["TT", "Việc đã làm", "Hôm nào", "Bao nhiêu người", "Kiểu", "Người ghi"]


def _rows(form: str, n: int, start: int = 1) -> list[list[object]]:
    return [
        [i, f"Hoạt động {i}", f"{i:02d}/07/2022", 10 * i, form, "Lan"]
        for i in range(start, start + n)
    ]


def _url(campaign):
    return reverse("participation:activity-import", kwargs={"pk": campaign.pk})


def _send(client, campaign, data: bytes, name: str = "hoat-dong.xlsx"):
    return client.post(_url(campaign), {"file": upload(data, name)})


def _step(client, campaign, record, step, **fields):
    data = {"import-token": str(record.token), "import-step": step, **fields}
    return client.post(_url(campaign), data)


def _mapping(record, **by_header):
    """The mapping form as the user fills it: each file column's chosen field."""
    fields = {"sheet": record.sheet or "Sheet1", "header_row": "1"}
    for position, header in enumerate(UNKNOWN):
        fields[f"col-{position}"] = by_header.get(header, "")
    return fields


FULL = {"Việc đã làm": "title", "Hôm nào": "held_on", "Bao nhiêu người": "participants",
        "Kiểu": "form"}  # fmt: skip


def test_known_headers_in_any_wording_import_at_once(campaign, officer):
    form = campaign.forms.first().label
    header = ["STT", "Tên hoạt động", "Ngày", "Số người", "hinh_thuc"]
    data = xlsx_bytes([header, *[r[:5] for r in _rows(form, 3)]])
    response = _send(verified_client(officer), campaign, data)
    assert response.status_code == 302
    assert Activity.objects.filter(title__startswith="Hoạt động ").count() == 3
    record = ImportFile.objects.get()
    assert record.status == ImportFile.Status.IMPORTED
    assert record.rows == 3
    assert record.mapping == {"title": 1, "held_on": 2, "participants": 3, "form": 4}
    assert not record.mapped_by_hand
    assert record.file == ""  # the kept upload is deleted once imported


def test_unknown_headers_are_mapped_by_hand_then_remembered(campaign, officer):
    client = verified_client(officer)
    form = campaign.forms.first().label
    page = _send(client, campaign, xlsx_bytes([UNKNOWN, *_rows(form, 7)]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chọn cột dữ liệu" in html
    assert "Chưa tìm thấy cột cho trường bắt buộc" in html
    for header in UNKNOWN:
        assert f"<td>{header}</td>" in html
    for n in range(1, 6):  # the first five rows under the header
        assert f"<li>Hoạt động {n}</li>" in html
    assert "<li>Hoạt động 6</li>" not in html
    assert not Activity.objects.exists()

    record = ImportFile.objects.get()
    response = _step(client, campaign, record, "map", **_mapping(record, **FULL))
    assert response.status_code == 302
    assert Activity.objects.count() == 7
    record.refresh_from_db()
    assert record.status == ImportFile.Status.IMPORTED
    assert record.mapped_by_hand
    assert record.chosen_headers["viec da lam"] == "title"
    assert record.chosen_headers["tt"] == ""  # not imported
    assert ActionLog.objects.filter(action="core.import.mapped").count() == 1

    # The next file of the same kind, other rows, same headers: no question asked.
    response = _send(client, campaign, xlsx_bytes([UNKNOWN, *_rows(form, 2, start=20)]))
    assert response.status_code == 302
    assert Activity.objects.count() == 9


def test_the_mapping_step_keeps_the_campaign_frame_of_the_import_page(campaign, officer):
    client = verified_client(officer)
    start = client.get(_url(campaign)).content.decode()
    page = _send(client, campaign, xlsx_bytes([UNKNOWN, *_rows(campaign.forms.first().label, 2)]))
    html = page.content.decode()
    assert "Chọn cột dữ liệu" in html
    crumb = (
        f'<a href="{reverse("campaigns:campaign-detail", args=[campaign.pk])}">'
        f"{campaign.reference}</a></li>"
        '<li class="breadcrumb-item active" aria-current="page">Nhập hoạt động từ Excel</li>'
    )
    for shown in (start, html):  # the same breadcrumb and campaign tabs as the upload page
        assert crumb in shown
        assert 'aria-label="Các mục của phong trào"' in shown
    assert re.search(r'<h1 class="h4">Nhập hoạt động từ Excel – [^<]+</h1>', html)


def test_the_mapping_must_name_each_required_field_once(campaign, officer):
    client = verified_client(officer)
    _send(client, campaign, xlsx_bytes([UNKNOWN, *_rows(campaign.forms.first().label, 2)]))
    record = ImportFile.objects.get()
    twice = _mapping(record, **FULL, **{"Người ghi": "title"})
    html = _step(client, campaign, record, "map", **twice).content.decode()
    assert "Trường “Tên hoạt động” được chọn cho nhiều cột (B, F)" in html
    missing = _mapping(record, **{"Việc đã làm": "title"})
    html = _step(client, campaign, record, "map", **missing).content.decode()
    assert "Chưa chọn cột cho trường bắt buộc: “Hình thức”, “Ngày tổ chức”." in html
    assert not Activity.objects.exists()
    assert ImportFile.objects.get().status == ImportFile.Status.PENDING


def test_the_mapping_step_shows_a_merged_cell_in_every_row_it_covers_as_imported(campaign, officer):
    """A date and a form typed once in a cell merged down beside several activities: the
    mapping step's sample rows show them in each row, as the import then stores them."""
    client = verified_client(officer)
    form = campaign.forms.first().label
    book = Workbook()
    sheet = book.active
    sheet.append(UNKNOWN)
    sheet.append([1, "Hội thi A", "05/07/2022", 10, form, "Lan"])
    sheet.append([2, "Hội thi B", None, 20, None, None])
    sheet.append([3, "Hội thi C", None, 30, None, None])
    sheet.append([4, "Tọa đàm D", "07/07/2022", 40, None, None])
    sheet.merge_cells("C2:C4")  # "Hôm nào": 05/07 for the first three
    sheet.append([5, "Tọa đàm E", "06/07/2022", 50, None, None])
    sheet.merge_cells("E2:E6")  # "Kiểu": one form for all five
    sheet.merge_cells("F2:F3")
    buffer = BytesIO()
    book.save(buffer)

    html = _send(client, campaign, buffer.getvalue()).content.decode()
    assert "Chọn cột dữ liệu" in html
    samples = re.findall(r"<ul class=\"list-unstyled small mb-0\">(.*?)</ul>", html, re.S)
    shown = [re.findall(r"<li>(.*?)</li>", column) for column in samples]
    assert shown[2] == ["05/07/2022"] * 3 + ["07/07/2022", "06/07/2022"]
    assert shown[4] == [form] * 5
    assert shown[5] == ["Lan", "Lan", "—", "—", "—"]  # blank below the merge, row by row
    assert '<th scope="col">5 dòng đầu</th>' in html

    record = ImportFile.objects.get()
    assert _step(client, campaign, record, "map", **_mapping(record, **FULL)).status_code == 302
    stored = Activity.objects.order_by("title").values_list("title", "held_on", "form__label")
    assert list(stored) == [
        ("Hội thi A", date(2022, 7, 5), form),
        ("Hội thi B", date(2022, 7, 5), form),
        ("Hội thi C", date(2022, 7, 5), form),
        ("Tọa đàm D", date(2022, 7, 7), form),
        ("Tọa đàm E", date(2022, 7, 6), form),
    ]


def test_a_wrong_header_line_can_be_chosen_again(campaign, officer):
    client = verified_client(officer)
    form = campaign.forms.first().label
    rows = [["Kế hoạch tháng 7", None, None, "Đơn vị: Suối Hoa"], UNKNOWN, *_rows(form, 2)]
    _send(client, campaign, xlsx_bytes(rows))
    record = ImportFile.objects.get()
    html = _step(client, campaign, record, "header", sheet="Sheet1", header_row="2").content
    assert "tiêu đề ở dòng 2" in html.decode()
    fields = _mapping(record, **FULL) | {"header_row": "2"}
    assert _step(client, campaign, record, "map", **fields).status_code == 302
    assert Activity.objects.count() == 2


def test_the_same_file_again_is_questioned_before_importing(
    campaign, officer, django_capture_on_commit_callbacks
):
    client = verified_client(officer)
    form = campaign.forms.first().label
    data = xlsx_bytes(
        [["Tên hoạt động", "Ngày tổ chức", "Hình thức"], ["Tọa đàm", "01/07/2022", form]]
    )
    assert _send(client, campaign, data).status_code == 302
    assert Activity.objects.count() == 1

    page = _send(client, campaign, data, name="ban-sao.xlsx")  # another name, same content
    html = page.content.decode()
    assert "Tệp này đã được nhập trước đây" in html
    assert "giống hệt tệp “hoat-dong.xlsx”" in html
    record = ImportFile.objects.filter(status=ImportFile.Status.PENDING).get()
    kept = record.file
    with django_capture_on_commit_callbacks(execute=True):
        response = _step(client, campaign, record, "cancel")
    assert response.status_code == 302
    assert Activity.objects.count() == 1
    assert ImportFile.objects.get(pk=record.pk).status == ImportFile.Status.ABANDONED
    assert not default_storage.exists(kept)

    _send(client, campaign, data)
    again = ImportFile.objects.filter(status=ImportFile.Status.PENDING).get()
    assert _step(client, campaign, again, "repeat").status_code == 302
    assert Activity.objects.filter(title="Tọa đàm").count() == 2  # the user chose to
    assert ActionLog.objects.filter(action="core.import.repeat_confirmed").count() == 1


def test_the_same_file_into_another_unit_is_not_a_repeat(campaign, officer, make_user, city):
    from thidua.accounts.models import Role

    form = campaign.forms.first().label
    data = xlsx_bytes(
        [["Tên hoạt động", "Ngày tổ chức", "Hình thức"], ["Tọa đàm", "01/07/2022", form]]
    )
    assert _send(verified_client(officer), campaign, data).status_code == 302
    other = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    assert _send(verified_client(other), campaign, data).status_code == 302
    assert Activity.objects.count() == 2


def test_a_rejected_file_is_no_repeat_and_errors_keep_their_lines(campaign, officer):
    client = verified_client(officer)
    form = campaign.forms.first().label
    rows = [
        ["DANH SÁCH"],
        ["Tên hoạt động", "Ngày tổ chức", "Hình thức"],
        ["A", "31/02/2022", form],
    ]
    page = _send(client, campaign, xlsx_bytes(rows))
    assert page.status_code == 200
    assert "<td>3</td>" in page.content.decode()  # the file's own line number
    assert ImportFile.objects.get().status == ImportFile.Status.REJECTED
    page = _send(client, campaign, xlsx_bytes(rows))
    assert "Tệp này đã được nhập trước đây" not in page.content.decode()


def test_an_error_about_the_whole_file_is_text_above_the_table_not_a_row(campaign, officer):
    client = verified_client(officer)
    header = ["Tên hoạt động", "Ngày tổ chức", "Hình thức"]
    html = _send(client, campaign, xlsx_bytes([header])).content.decode()
    alert = re.search(r'<div class="alert alert-danger" role="alert">.*?</div>', html, re.S)
    assert alert
    assert "Tệp không có dòng dữ liệu nào." in alert.group()
    assert 'id="import-errors"' not in html  # no table of lines when no line is at fault
    assert "<td>—</td>" not in html
    report = client.get(reverse("participation:activity-import-errors", args=[campaign.pk]))
    sheet = load_workbook(BytesIO(report.content)).active
    assert [c.value for c in sheet[2]] == [None, None, "Tệp không có dòng dữ liệu nào."]

    rows = [header, ["A", "31/02/2022", campaign.forms.first().label]]
    html = _send(client, campaign, xlsx_bytes(rows)).content.decode()
    assert 'id="import-errors"' in html  # a line's error: in the table, with its line
    assert "<td>2</td>" in html


def test_a_missing_column_concerns_the_whole_file():
    from thidua.core.excel import Column, concerns_whole_file, read_rows

    columns = [Column("Tên", "name", required=True), Column("Ngày", "day", required=True)]
    _, errors = read_rows(BytesIO(xlsx_bytes([["Tên"], ["A"]])), columns)
    (error,) = errors
    assert (error.row, error.column) == (1, "Ngày")  # the error report keeps its place
    assert concerns_whole_file(error)
    assert concerns_whole_file(error.as_dict())
    assert not concerns_whole_file({"row": 2, "column": "Ngày", "message": "Sai ngày."})


def test_steps_of_another_users_file_are_refused(campaign, officer, make_user, city):
    from thidua.accounts.models import Role

    _send(verified_client(officer), campaign, xlsx_bytes([UNKNOWN, *_rows("x", 1)]))
    record = ImportFile.objects.get()
    colleague = verified_client(make_user(Role.UNIT_OFFICER, city.suoi_hoa))
    response = _step(colleague, campaign, record, "map", **_mapping(record, **FULL))
    assert response.status_code == 200
    assert "Phiên nhập tệp đã kết thúc hoặc hết hạn" in response.content.decode()
    assert ImportFile.objects.get().status == ImportFile.Status.PENDING
    assert not Activity.objects.exists()


def test_a_large_file_is_mapped_then_imported_by_the_job(
    settings, campaign, officer, django_capture_on_commit_callbacks
):
    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    client = verified_client(officer)
    _send(client, campaign, xlsx_bytes([UNKNOWN, *_rows(campaign.forms.first().label, 3)]))
    record = ImportFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = _step(client, campaign, record, "map", **_mapping(record, **FULL))
    job = Job.objects.get(kind="core.import")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == Job.Status.DONE
    assert Activity.objects.count() == 3
    record.refresh_from_db()
    assert record.status == ImportFile.Status.IMPORTED
    assert not default_storage.exists(job.params["upload"])
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập 3 dòng từ tệp “hoat-dong.xlsx”." in page


def test_uploads_left_on_a_step_expire_after_a_day(campaign, officer):
    _send(verified_client(officer), campaign, xlsx_bytes([UNKNOWN, *_rows("x", 1)]))
    record = ImportFile.objects.get()
    assert default_storage.exists(record.file)
    assert imports.imports_expire() == 0
    with time_machine.travel(record.created_at + timedelta(days=1, minutes=1)):
        assert imports.imports_expire() == 1
    assert ImportFile.objects.get().status == ImportFile.Status.ABANDONED
    assert not default_storage.exists(record.file)


def test_dates_from_the_file_are_calendar_dates(campaign, officer):
    form = campaign.forms.first().label
    rows = [["Tên hoạt động", "Ngày tổ chức", "Hình thức"], ["A", 44743, form]]
    _send(verified_client(officer), campaign, xlsx_bytes(rows))
    assert Activity.objects.get().held_on == date(2022, 7, 1)
