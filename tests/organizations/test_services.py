from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from tests.factories.xlsx import xlsx_upload
from thidua.accounts.models import Role
from thidua.core.excel import error_report, write_workbook
from thidua.core.models import ActionLog
from thidua.organizations import selectors, services
from thidua.organizations.models import ImportBatch, Person, Unit, UnitKind

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = [
    "Họ và tên *",
    "Giới tính *",
    "Năm sinh",
    "Mã đơn vị *",
    "Chức vụ",
    "Đối tượng *",
    "Đảng viên",
]


def test_unit_create_logs_and_sets_path(city, office_user):
    unit = services.unit_create(
        actor=office_user,
        code="P-KB",
        name="Ủy ban nhân dân phường Kinh Bắc",
        kind=UnitKind.WARD,
        parent=city.city,
    )
    assert unit.path == f"{city.province.path}{city.province.pk}/{city.city.pk}/"
    assert unit.search_text == "uy ban nhan dan phuong kinh bac p-kb"
    assert (
        ActionLog.objects.filter(
            action="organizations.unit.created", target_id=str(unit.pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize("typed", ["p-vuninh", "P-VUNINH ", "P-VU NINH", "p-VuNinh"])
def test_a_unit_code_differing_only_in_capitals_or_spaces_is_refused(city, office_user, typed):
    with pytest.raises(ValidationError) as refused:
        services.unit_create(
            actor=office_user,
            code=typed,
            name="Ủy ban nhân dân phường Vũ Ninh mới",
            kind=UnitKind.WARD,
            parent=city.city,
        )
    message = " ".join(refused.value.message_dict["code"])
    assert "P-VUNINH" in message
    assert "Ủy ban nhân dân phường Vũ Ninh" in message
    assert not Unit.objects.filter(name="Ủy ban nhân dân phường Vũ Ninh mới").exists()


def test_a_merge_cannot_take_an_existing_code_in_other_capitals(city, office_user):
    with pytest.raises(ValidationError) as refused:
        services.unit_merge(
            actor=office_user,
            predecessors=[city.vu_ninh, city.suoi_hoa],
            code="p-suoihoa",
            name="Phường Vũ Ninh Suối Hoa",
            effective=date(2025, 7, 1),
        )
    assert "Ủy ban nhân dân phường Suối Hoa" in " ".join(refused.value.message_dict["code"])
    city.vu_ninh.refresh_from_db()
    assert city.vu_ninh.valid_to is None


def test_unit_officer_cannot_create_units(city, make_user):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=make_user(Role.UNIT_OFFICER), code="X", name="X", kind=UnitKind.OTHER
        )


def test_unit_cannot_be_moved_under_itself(city, office_user):
    with pytest.raises(ValidationError):
        services.unit_update(actor=office_user, unit=city.city, parent=city.vu_ninh)


def test_merge_keeps_old_names_for_old_dates(city, office_user):
    tien_an = services.unit_create(
        actor=office_user,
        code="P-TA",
        name="Phường Tiền An",
        kind=UnitKind.WARD,
        parent=city.city,
        valid_from=date(2000, 1, 1),
    )
    ninh_xa = services.unit_create(
        actor=office_user,
        code="P-NX",
        name="Phường Ninh Xá",
        kind=UnitKind.WARD,
        parent=city.city,
        valid_from=date(2000, 1, 1),
    )
    person = services.person_create(
        actor=office_user,
        full_name="Nguyễn Văn An",
        gender="male",
        unit=tien_an,
        category="civil_servant",
    )
    new = services.unit_merge(
        actor=office_user,
        predecessors=[tien_an, ninh_xa],
        code="P-TNV",
        name="Phường Tiền Ninh Vệ",
        effective=date(2024, 12, 1),
        legal_basis="Nghị quyết số 1255/NQ-UBTVQH15",
    )
    in_2022 = {u.name for u in selectors.units_valid_on(actor=office_user, day=date(2022, 6, 1))}
    in_2025 = {u.name for u in selectors.units_valid_on(actor=office_user, day=date(2025, 1, 1))}
    assert {"Phường Tiền An", "Phường Ninh Xá"} <= in_2022
    assert "Phường Tiền Ninh Vệ" not in in_2022
    assert "Phường Tiền Ninh Vệ" in in_2025
    assert "Phường Tiền An" not in in_2025
    tien_an.refresh_from_db()
    assert tien_an.valid_to == date(2024, 11, 30)
    assert tien_an.name == "Phường Tiền An"
    person.refresh_from_db()
    assert person.unit == new
    assert ActionLog.objects.filter(action="organizations.unit.merged").count() == 1


def test_search_ignores_accents_and_scope_hides_other_units(city, make_user, office_user):
    assert [u.code for u in selectors.unit_list_for(actor=office_user, query="vu ninh")] == [
        "P-VUNINH"
    ]
    officer = make_user(Role.UNIT_OFFICER)  # granted in Suối Hoa
    assert [u.code for u in selectors.unit_list_for(actor=officer)] == ["P-SUOIHOA"]
    services.person_create(
        actor=office_user,
        full_name="Trần Thị Lan",
        gender="female",
        unit=city.vu_ninh,
        category="civil_servant",
    )
    assert not selectors.person_list_for(actor=officer).exists()
    assert selectors.person_list_for(actor=office_user, query="tran thi lan").count() == 1


def test_people_import_with_one_bad_row_imports_nothing(city, office_user):
    upload = xlsx_upload(
        [
            PEOPLE_HEADER,
            ["Nguyễn Văn Hùng", "Nam", 1980, "P-VUNINH", "Chuyên viên", "Công chức", "Có"],
            ["Lê Thị Mai", "Nữ", 1990, "KHONG-CO", "Chuyên viên", "Công chức", "Không"],
            ["Phạm Văn Nam", "Nam", "năm tám mươi", "P-SUOIHOA", "", "Nông dân", ""],
        ]
    )
    batch = services.people_import(actor=office_user, upload=upload, filename=upload.name)
    assert batch.status == ImportBatch.Status.REJECTED
    assert Person.objects.count() == 0
    messages = {(e["row"], e["column"]) for e in batch.errors}
    assert messages == {(3, "Mã đơn vị"), (4, "Năm sinh"), (4, "Đối tượng")}
    report = load_workbook(BytesIO(error_report(batch.errors))).active
    rows = list(report.iter_rows(values_only=True))
    assert rows[0] == ("Dòng", "Cột", "Lỗi")
    assert any("KHONG-CO" in str(r[2]) for r in rows[1:])


def test_people_import_round_trip(city, office_user):
    upload = xlsx_upload(
        [
            PEOPLE_HEADER,
            ["Nguyễn Văn Hùng", "Nam", 1980, "P-VUNINH", "Chuyên viên", "Công chức", "Có"],
            ["Lê Thị Mai", "Nữ", None, "P-SUOIHOA", None, "Viên chức", None],
        ]
    )
    batch = services.people_import(actor=office_user, upload=upload, filename=upload.name)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert Person.objects.count() == 2
    exported = write_workbook(
        services.PERSON_COLUMNS,
        services.person_export_rows(
            selectors.person_list_for(actor=office_user), party_for=office_user
        ),
    )
    rows = list(load_workbook(BytesIO(exported)).active.iter_rows(values_only=True))
    assert rows[2][:7] == ("Lê Thị Mai", "Nữ", None, "P-SUOIHOA", None, "Viên chức", "Không")
    Person.objects.all().delete()
    from django.core.files.uploadedfile import SimpleUploadedFile

    again = services.people_import(
        actor=office_user, upload=SimpleUploadedFile("x.xlsx", exported), filename="x.xlsx"
    )
    assert again.status == ImportBatch.Status.IMPORTED, again.errors
    assert sorted(Person.objects.values_list("full_name", "unit__code", "is_party_member")) == [
        ("Lê Thị Mai", "P-SUOIHOA", False),
        ("Nguyễn Văn Hùng", "P-VUNINH", True),
    ]


def test_units_import_parent_in_same_file_and_duplicate_code(city, office_user):
    header = [
        "Mã đơn vị *",
        "Tên đầy đủ *",
        "Tên ngắn",
        "Ký hiệu văn bản",
        "Loại đơn vị *",
        "Mã đơn vị cấp trên",
        "Hiệu lực từ",
        "Thư điện tử",
        "Số cán bộ",
    ]
    bad = xlsx_upload(
        [header, ["P-VUNINH", "Trùng mã", None, None, "Phường", "TPBN", None, None, None]]
    )
    assert (
        services.units_import(actor=office_user, upload=bad, filename="a.xlsx").status == "rejected"
    )
    good = xlsx_upload(
        [
            header,
            ["THCS-A", "Trường THCS A", None, None, "Trường học", "TPBN", "01/09/2010", None, 40],
            [
                "THCS-A-CD",
                "Công đoàn Trường THCS A",
                None,
                None,
                "Mặt trận, đoàn thể",
                "THCS-A",
                None,
                None,
                None,
            ],
        ]
    )
    batch = services.units_import(actor=office_user, upload=good, filename="b.xlsx")
    assert batch.status == "imported", batch.errors
    child = Unit.objects.get(code="THCS-A-CD")
    assert child.parent.code == "THCS-A"
    assert Unit.objects.get(code="THCS-A").valid_from == date(2010, 9, 1)


@pytest.mark.parametrize("content", [b"MZ\x90\x00 not a spreadsheet", b""])
def test_import_rejects_files_that_are_not_xlsx(city, office_user, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("virus.xlsx", content)
    batch = services.people_import(actor=office_user, upload=upload, filename=upload.name)
    assert batch.status == "rejected"
    assert "Excel" in batch.errors[0]["message"]


def test_user_created_by_admin_gets_role_and_log(city, make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    user = services.user_create(
        actor=admin,
        username="canbo.vuninh",
        full_name="Đào Thị Hoa",
        email="hoa@example.vn",
        position="Công chức văn hóa",
        unit=city.vu_ninh,
        role=Role.UNIT_OFFICER,
    )
    assert not user.has_usable_password()
    assert user.unit_roles.get().unit == city.vu_ninh
    assert ActionLog.objects.filter(action="accounts.user.created").count() == 1
    with pytest.raises(ValidationError):
        services.user_create(
            actor=admin,
            username="CANBO.VUNINH",
            full_name="X",
            email="x@example.vn",
            position="",
            unit=city.vu_ninh,
            role=Role.UNIT_OFFICER,
        )
    services.unit_role_revoke(actor=admin, grant=user.unit_roles.get())
    assert not user.unit_roles.exists()
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=make_user(Role.EMULATION_OFFICE), user=user, active=False)


def test_people_import_takes_the_year_of_a_date_of_birth(city, office_user):
    """Personnel lists give "Ngày, tháng, năm sinh": a date cell, text dd/mm/yyyy, or a date
    left as Excel's day number; the year is what the system keeps."""
    header = ["Họ và tên", "Giới tính", "Ngày, tháng, năm sinh", "Mã đơn vị", "Đối tượng"]
    upload = xlsx_upload(
        [
            header,
            ["Nguyễn Văn Hùng", "Nam", date(1980, 3, 15), "P-VUNINH", "Công chức"],
            ["Lê Thị Mai", "Nữ", "05/11/1990", "P-SUOIHOA", "Viên chức"],
            ["Trần Văn Nam", "Nam", (date(1975, 9, 2) - date(1899, 12, 30)).days, "P-VUNINH",
             "Công chức"],
            ["Phạm Thị Hoa", "Nữ", 1985, "P-VUNINH", "Công chức"],
        ]
    )  # fmt: skip
    batch = services.people_import(actor=office_user, upload=upload, filename=upload.name)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert sorted(Person.objects.values_list("full_name", "birth_year")) == [
        ("Lê Thị Mai", 1990),
        ("Nguyễn Văn Hùng", 1980),
        ("Phạm Thị Hoa", 1985),
        ("Trần Văn Nam", 1975),
    ]
