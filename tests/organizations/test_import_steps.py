"""Units and people files: headers in the office's own words, and a repeated file questioned."""

from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.imports import imports_then_asks_before_repeating
from tests.factories.sheets import upload, xlsx_bytes
from thidua.organizations.models import Person, Unit


def test_units_file_repeated_is_questioned(city, office_user):
    rows = [
        ["DANH SÁCH ĐƠN VỊ"],
        ["STT", "Mã", "Tên đơn vị", "Loại hình", "Mã cấp trên", "Email"],
        [1, "P-KINHBAC", "Ủy ban nhân dân phường Kinh Bắc", "phường", "TPBN", "kb@example.vn"],
    ]
    imports_then_asks_before_repeating(
        verified_client(office_user),
        reverse("organizations:unit-import"),
        xlsx_bytes(rows),
        lambda: sorted(Unit.objects.values_list("code", flat=True)),
    )
    unit = Unit.objects.get(code="P-KINHBAC")
    assert (unit.kind, unit.parent.code, unit.email) == ("ward", "TPBN", "kb@example.vn")


def test_people_file_with_unit_names_and_marks_repeated_is_questioned(city, office_user):
    rows = [
        ["Họ tên", "Giới tính", "Sinh năm", "Đơn vị", "Chức danh", "Đối tượng", "Đảng viên"],
        ["Nguyễn Thị Hoa", "nữ", "1985", "Phường Suối Hoa", "Chuyên viên", "công chức", "x"],
    ]
    imports_then_asks_before_repeating(
        verified_client(office_user),
        reverse("organizations:person-import"),
        xlsx_bytes(rows),
        lambda: list(Person.objects.values_list("full_name", flat=True)),
    )
    person = Person.objects.get(full_name="Nguyễn Thị Hoa")
    assert (person.unit, person.gender, person.birth_year) == (city.suoi_hoa, "female", 1985)
    assert person.is_party_member


def test_the_units_mapping_step_has_the_units_page_heading(city, office_user):
    """Unknown headers open the mapping step, titled as the units import page is (an h3)."""
    client = verified_client(office_user)
    url = reverse("organizations:unit-import")
    start = client.get(url).content.decode()
    rows = [["Ký hiệu", "Cơ quan", "Ghi chú"], ["P-KINHBAC", "Phường Kinh Bắc", "x"]]
    html = client.post(url, {"file": upload(xlsx_bytes(rows), "don-vi.xlsx")}).content.decode()
    assert "Chọn cột dữ liệu" in html
    heading = '<h1 class="h3 mb-3">Nhập đơn vị từ Excel</h1>'
    assert heading in start
    assert '<h1 class="h3">Nhập đơn vị từ Excel</h1>' in html


def test_a_units_ky_hieu_column_is_taken_as_the_unit_code(city, office_user):
    """A unit list's "Ký hiệu" holds the unit's code ("P-KINHBAC"), not its symbol on
    documents: the mapping step pre-selects "Mã đơn vị" for it; "Ký hiệu văn bản" keeps its own
    column."""
    client = verified_client(office_user)
    url = reverse("organizations:unit-import")
    rows = [
        ["Ký hiệu", "Cơ quan", "Ký hiệu VB"],
        ["P-KINHBAC", "Phường Kinh Bắc", "UBND"],
    ]
    html = client.post(url, {"file": upload(xlsx_bytes(rows), "don-vi.xlsx")}).content.decode()
    assert "Chọn cột dữ liệu" in html
    first = html.split('id="col-0"')[1].split("</select>")[0]
    third = html.split('id="col-2"')[1].split("</select>")[0]
    assert '<option value="code" selected>' in first
    assert "selected" not in first.replace('<option value="code" selected>', "")
    assert '<option value="symbol" selected>' in third
