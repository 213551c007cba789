"""The statistics page, its downloads and the 0604/0605 entry page, as Nội vụ uses them."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.awards.test_statistics import Data
from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.awards.models import EmulationStaffing


@pytest.fixture
def data(city, office_user):
    return Data(city, office_user)


def _cells(html, key, code):
    """The values of a line (by its code) in the page's table of one form."""
    table = html.split(f'id="bang-{key}"')[1].split("</table>")[0]
    row = table.split(f'data-code="{code}"')[1].split("</tr>")[0]
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


@time_machine.travel("2022-12-05 09:00 +0700")
def test_page_shows_the_year_before_december_and_every_form(office_client, data, city):
    html = office_client.get(reverse("awards:bnv-statistics")).content.decode()
    assert "Năm 2022 (từ 01/12/2021 đến 30/11/2022)" in html
    assert "Ủy ban nhân dân thành phố Bắc Ninh" in html
    for key in ("0601", "0602", "0603", "0604", "0605", "tham-khao"):
        assert f'id="bieu-{key}"' in html
    # 0601 line 01: code, total, Trung ương, bộ/tỉnh, cơ quan
    assert _cells(html, "0601", "01") == ["01", "5", "0", "0", "5"]
    assert _cells(html, "0603", "04") == ["04", "Hộ", "1", "1", "0", "0", "0"]
    assert "1 khen thưởng cấp bộ, cấp tỉnh không thuộc cột nào" in html
    assert "Chưa nhập số liệu cho năm này" in html
    assert "Nhập số liệu biểu 0604, 0605" in html  # Nội vụ enters them


def test_other_issuer_year_and_calendar_period(office_client, data, city):
    html = office_client.get(
        reverse("awards:bnv-statistics"), {"nam": 2022, "don_vi": city.province.pk, "ky": "nam"}
    ).content.decode()
    assert "Năm 2022 (từ 01/01/2022 đến 31/12/2022)" in html
    assert "Đơn vị nhận báo cáo: Bộ Nội vụ" in html
    assert _cells(html, "0601", "01") == ["01", "6", "0", "1", "5"]


def test_bad_query_says_what_is_wrong_and_keeps_the_input(office_client, city):
    response = office_client.get(
        reverse("awards:bnv-statistics"), {"nam": "hai nghìn", "nguoi_lap": "Nguyễn Văn A"}
    )
    html = response.content.decode()
    assert "Hãy nhập năm, ví dụ 2022." in html
    assert 'value="Nguyễn Văn A"' in html
    assert 'id="bieu-0601"' not in html
    download = office_client.get(
        reverse("awards:bnv-statistics-download", args=["pdf"]), {"nam": "1990"}
    )
    assert download.status_code == 400
    assert "Năm báo cáo phải từ 2000." in download.content.decode()


def test_downloads_all_forms_and_one(office_client, data, city):
    query = {"nam": 2022, "don_vi": city.city.pk, "nguoi_lap": "Nguyễn Thị Thu Hà",
             "thu_truong": "Lê Quang Minh", "chuc_danh": "KT. CHỦ TỊCH", "ngay": "05/12/2022"}  # fmt: skip
    xlsx = office_client.get(reverse("awards:bnv-statistics-download", args=["xlsx"]), query)
    assert xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "thong-ke-tdkt-2022-TPBN.xlsx" in xlsx["Content-Disposition"]
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames == ["0601", "0602", "0603", "0604", "0605", "Tham khao"]
    values = [c.value for row in book["0601"].iter_rows() for c in row if c.value is not None]
    assert "Lê Quang Minh" in values
    assert "Bắc Ninh, ngày 05 tháng 12 năm 2022" in values
    pdf = office_client.get(
        reverse("awards:bnv-statistics-download", args=["pdf"]), {**query, "bieu": "0603"}
    )
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "0603.N/BNV-TĐKT" in text
    assert "- Hộ gia đình 04 Hộ 1 1 0 0 0" in text
    unknown = office_client.get(
        reverse("awards:bnv-statistics-download", args=["xlsx"]), {**query, "bieu": "0699"}
    )
    assert unknown.status_code == 404
    assert (
        office_client.get(reverse("awards:bnv-statistics-download", args=["csv"])).status_code
        == 404
    )


def test_staffing_entry_round_trip(office_client, city):
    url = reverse("awards:bnv-staffing") + f"?don_vi={city.city.pk}&nam=2022"
    page = office_client.get(url).content.decode()
    assert "Biểu 0605" in page
    form = {f"org_{c}": 0 for c in ("02", "03", "04", "05")} | {"org_05": 1}
    for code in [f"{n:02d}" for n in range(2, 16)]:
        form[f"staff_{code}"], form[f"women_{code}"] = 0, 0
    form |= {"staff_03": 3, "women_03": 2, "staff_11": 3, "women_11": 2, "staff_14": 3,
             "women_14": 4}  # fmt: skip
    bad = office_client.post(url, form)
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Dòng 14: số nữ (4) lớn hơn tổng số (3)." in html
    assert 'value="4"' in html  # nothing typed is lost
    form["women_14"] = 2
    done = office_client.post(url, form)
    assert done.status_code == 302
    assert done["Location"].endswith("#bieu-0604")
    staffing = EmulationStaffing.objects.get(issuer=city.city, year=2022)
    assert staffing.organisations["05"] == 1
    assert staffing.staff["03"] == [3, 2]
    html = office_client.get(done["Location"]).content.decode()
    assert _cells(html, "0605", "01") == ["01", "3", "2"]
    assert _cells(html, "0604", "01") == ["01", "Tổ chức", "1"]
    # a second editor working from the same page is refused
    form |= {"version": 1, "org_04": 2}
    office_client.post(url, form)
    stale = office_client.post(url, form)
    assert "người khác cập nhật" in stale.content.decode()


def test_only_noi_vu_enters_figures_others_see_no_link(make_user, city):
    signer = verified_client(make_user(Role.SIGNER))
    assert signer.get(reverse("awards:bnv-staffing")).status_code == 403
    html = signer.get(reverse("awards:bnv-statistics")).content.decode()
    assert "Nhập số liệu biểu 0604, 0605" not in html
    ward = verified_client(make_user(Role.UNIT_OFFICER, city.suoi_hoa))
    assert ward.get(reverse("awards:bnv-statistics")).status_code == 403


@pytest.mark.parametrize("rows", [1, 12])
def test_page_query_count_is_flat(
    rows, office_client, city, office_user, django_assert_num_queries
):
    data = Data(city, office_user)
    for i in range(rows):
        data.record(data.gk, "collective", city.vu_ninh, date(2022, 8, 1) + timedelta(days=i))
    office_client.get(reverse("awards:bnv-statistics"))  # warm the session and role caches
    with django_assert_num_queries(QUERIES):
        response = office_client.get(reverse("awards:bnv-statistics"), {"nam": 2022})
    assert _cells(response.content.decode(), "tham-khao", "01")[2] == str(3 + rows)


QUERIES = 13
