"""Units and people files: headers in the office's own words, and a repeated file questioned."""

from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.imports import imports_then_asks_before_repeating
from tests.factories.sheets import xlsx_bytes
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
