"""The old registry in the office's own layout, and a repeated file questioned."""

import pytest
from django.urls import reverse

from tests.awards.test_registry_import import GK
from tests.conftest import verified_client
from tests.factories.imports import imports_then_asks_before_repeating
from tests.factories.sheets import upload, xlsx_bytes
from thidua.awards.models import AwardRecord

pytestmark = pytest.mark.django_db


def test_registry_file_repeated_is_questioned(office_user, city, giay_khen):
    rows = [
        ["SỔ VÀNG KHEN THƯỞNG THÀNH PHỐ"],
        ["STT", "Số sổ", "Năm khen", "Họ và tên", "Chức vụ", "Tên đơn vị", "Đối tượng",
         "Danh hiệu", "Số QĐ", "Ngày ký", "Mã cơ quan"],
        [1, "0871/2019", 2019, "Nguyễn Văn Nam", "Chuyên viên", "P-SUOIHOA", "cá nhân",
         GK, "1520/QĐ-UBND", 43819, "TPBN"],
    ]  # fmt: skip
    imports_then_asks_before_repeating(
        verified_client(office_user),
        reverse("awards:registry-import"),
        xlsx_bytes(rows),
        lambda: list(AwardRecord.objects.values_list("number", "year")),
    )
    record = AwardRecord.objects.get()
    assert (record.number, record.recipient_name, record.legacy_signed_on.isoformat()) == (
        871, "Nguyễn Văn Nam", "2019-12-20"
    )  # fmt: skip


def test_the_registry_mapping_step_keeps_the_registry_breadcrumb(office_user, city, giay_khen):
    client = verified_client(office_user)
    url = reverse("awards:registry-import")
    rows = [["Số", "Người", "Khen gì"], [1, "Nguyễn Văn Nam", GK]]
    html = client.post(url, {"file": upload(xlsx_bytes(rows), "so-vang.xlsx")}).content.decode()
    assert "Chọn cột dữ liệu" in html
    crumb = (
        f'<li class="breadcrumb-item"><a href="{reverse("awards:registry")}">Sổ vàng</a></li>'
        '<li class="breadcrumb-item active" aria-current="page">Nhập từ Excel</li>'
    )
    assert crumb in client.get(url).content.decode()
    assert crumb in html
    assert '<h1 class="h4">Nhập sổ vàng từ Excel</h1>' in html
    assert f'<a class="nav-link active" href="{reverse("awards:registry")}">Sổ vàng</a>' in html
