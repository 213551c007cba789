"""Excel exchange of units and people: export, then import the same file, changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from thidua.core.models import ActionLog
from thidua.organizations import services
from thidua.organizations.models import ImportBatch, Person, Unit


def _download(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.streaming
    content = b"".join(response.streaming_content)
    return content


def _snapshot():
    units = list(Unit.objects.order_by("pk").values())
    people = list(Person.objects.order_by("pk").values())
    return units, people


def test_units_round_trip_changes_nothing_and_edits_apply(city, office_user):
    client = verified_client(office_user)
    content = _download(client, "organizations:unit-export")
    sheet = load_workbook(SimpleUploadedFile("u.xlsx", content)).active
    assert sheet["A1"].value == "Mã đơn vị *"
    assert sheet.max_row == 7
    before, logs = _snapshot(), ActionLog.objects.exclude(action__startswith="organizations.import")
    count = logs.count()
    batch = services.units_import(
        actor=office_user, upload=SimpleUploadedFile("u.xlsx", content), filename="u.xlsx"
    )
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert _snapshot() == before
    assert logs.count() == count

    workbook = load_workbook(SimpleUploadedFile("u.xlsx", content))
    sheet = workbook.active
    codes = [c.value for c in sheet["A"]]
    row = codes.index("P-VUNINH") + 1
    sheet.cell(row=row, column=9).value = 55  # Số cán bộ
    from io import BytesIO

    buffer = BytesIO()
    workbook.save(buffer)
    edited = services.units_import(
        actor=office_user, upload=SimpleUploadedFile("u.xlsx", buffer.getvalue()), filename="u"
    )
    assert edited.status == ImportBatch.Status.IMPORTED, edited.errors
    assert Unit.objects.get(code="P-VUNINH").headcount == 55
    assert ActionLog.objects.filter(action="organizations.unit.updated").count() == 1


def test_units_import_refuses_a_rename(city, office_user):
    from tests.factories.xlsx import xlsx_upload

    upload = xlsx_upload(
        [["Mã đơn vị", "Tên đầy đủ", "Loại đơn vị"], ["P-VUNINH", "Phường mới", "Phường"]]
    )
    batch = services.units_import(actor=office_user, upload=upload, filename="u.xlsx")
    assert batch.status == ImportBatch.Status.REJECTED
    assert "sự kiện" in batch.errors[0]["message"]


def test_a_unit_typed_in_other_capitals_or_spacing_is_the_same_unit(city, office_user):
    """An office's own list writes codes in lower case and names in capitals or with doubled
    spaces: "p-vuninh" created a second Vũ Ninh beside P-VUNINH, and "ỦY BAN NHÂN DÂN PHƯỜNG
    VŨ NINH" was refused as a rename. Both are the unit already there, left as it is; a person
    of "p-vuninh" belongs to it."""
    from tests.factories.xlsx import xlsx_upload

    before = _snapshot()
    upload = xlsx_upload(
        [
            ["Mã đơn vị", "Tên đầy đủ", "Loại đơn vị", "Mã đơn vị cấp trên"],
            ["p-vuninh", "ỦY BAN NHÂN DÂN  PHƯỜNG VŨ NINH", "Phường", None],
            ["P-Vuninh-TDP1", "Tổ dân phố số 1", "Khác", "P-vuninh"],
        ]
    )
    batch = services.units_import(actor=office_user, upload=upload, filename="u.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert Unit.objects.filter(code__iexact="p-vuninh").count() == 1
    assert Unit.objects.get(code="P-VUNINH").name == "Ủy ban nhân dân phường Vũ Ninh"
    assert Unit.objects.get(code="P-Vuninh-TDP1").parent.code == "P-VUNINH"
    assert len(_snapshot()[0]) == len(before[0]) + 1
    people = xlsx_upload(
        [
            ["Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Chức vụ", "Đối tượng"],
            ["Nguyễn Văn Hùng", "Nam", 1980, "p-vuninh", "Chuyên viên", "Công chức"],
        ]
    )
    batch = services.people_import(actor=office_user, upload=people, filename="p.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert Person.objects.get(full_name="Nguyễn Văn Hùng").unit.code == "P-VUNINH"


def test_a_name_with_its_tones_placed_the_other_way_is_the_same_unit(city, office_user):
    """ "Uỷ ban" for "Ủy ban", "hoá" for "hóa", "Hòa" for "Hoà": old and new tone placement
    spell one word, so a list typed the other way (both ways in one file) was refused as
    renames. Each row is its unit, left as it is and as it is spelled; nothing is logged."""
    from tests.conftest import make_unit
    from tests.factories.xlsx import xlsx_upload
    from thidua.organizations.models import UnitKind

    make_unit(
        "MN-HOABINH",
        "Trường Mầm non Hoà Bình",
        UnitKind.SCHOOL,
        city.city,
        short_name="Mầm non Hoà Bình",
    )
    before = _snapshot()
    logs = ActionLog.objects.exclude(action__startswith="organizations.import")
    count = logs.count()
    upload = xlsx_upload(
        [
            ["Mã đơn vị", "Tên đầy đủ", "Tên ngắn", "Loại đơn vị", "Mã đơn vị cấp trên"],
            ["P-VUNINH", "Uỷ ban nhân dân phường Vũ Ninh", "Phường Vũ Ninh", "Phường", "TPBN"],
            [
                "TTVHTTTT",
                "Trung tâm Văn hoá, Thể thao và Truyền thông thành phố",
                None,
                "Đơn vị sự nghiệp",
                "TPBN",
            ],
            ["MN-HOABINH", "Trường Mầm non Hòa Bình", "Mầm non Hòa Bình", "Trường học", "TPBN"],
        ]
    )
    batch = services.units_import(actor=office_user, upload=upload, filename="u.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert _snapshot() == before
    assert logs.count() == count
    assert Unit.objects.get(code="MN-HOABINH").short_name == "Mầm non Hoà Bình"


def test_an_empty_cell_keeps_what_a_unit_has(city, office_user):
    """An office's own list of its wards with four columns: the wards keep their short names,
    start dates and place under the city; a filled cell that differs still updates."""
    from tests.factories.xlsx import xlsx_upload

    upload = xlsx_upload(
        [
            ["Mã đơn vị", "Tên đầy đủ", "Loại đơn vị", "Mã đơn vị cấp trên", "Tên viết tắt"],
            ["P-VUNINH", "Ủy ban nhân dân phường Vũ Ninh", "Phường", None, None],
            ["P-SUOIHOA", "Ủy ban nhân dân phường Suối Hoa", "Phường", "TPBN", "P. Suối Hoa"],
        ]
    )
    batch = services.units_import(actor=office_user, upload=upload, filename="u.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    vu_ninh = Unit.objects.get(code="P-VUNINH")
    assert (vu_ninh.parent, vu_ninh.short_name) == (city.city, "Phường Vũ Ninh")
    assert str(vu_ninh.valid_from) == "2000-01-01"
    assert Unit.objects.get(code="P-SUOIHOA").short_name == "P. Suối Hoa"


def test_a_row_outside_the_officers_bodies_is_an_error_on_its_line(city, make_user):
    """A ward's Nội vụ officer may add units under the ward only (R24): a row under the city is
    refused on its line, in Vietnamese, and nothing of the file is written."""
    from tests.factories.xlsx import xlsx_upload
    from thidua.accounts.models import Role

    ward_officer = make_user(Role.EMULATION_OFFICE, unit=city.vu_ninh)
    before = _snapshot()
    upload = xlsx_upload(
        [
            ["Mã đơn vị", "Tên đầy đủ", "Loại đơn vị", "Mã đơn vị cấp trên"],
            ["P-VUNINH-TDP1", "Tổ dân phố số 1", "Khác", "P-VUNINH"],
            ["TP-PHONGMOI", "Phòng Mới", "Phòng, ban chuyên môn", "TPBN"],
        ]
    )
    batch = services.units_import(actor=ward_officer, upload=upload, filename="u.xlsx")
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["message"]) for e in batch.errors] == [
        (3, "Dòng này thay đổi một đơn vị hoặc cá nhân ngoài phạm vi quản lý của bạn.")
    ]
    assert _snapshot() == before


def test_a_signed_list_imports_without_its_signature_block(city, office_user):
    """Lists leave the office signed: a date line, "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ",
    "(Ký, ghi rõ họ tên)" and the signers' names under the table. Those lines were read as
    people with no gender or category and the file refused with nine errors; a person listed
    below them is still read."""
    from tests.factories.xlsx import xlsx_upload

    header = ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Chức vụ", "Đối tượng"]
    people = [
        [1, "Nguyễn Văn Hùng", "Nam", 1980, "P-VUNINH", "Chuyên viên", "Công chức"],
        [2, "Trần Thị Bình", "Nữ", 1985, "P-VUNINH", "Phó trưởng phòng", "Công chức"],
    ]
    signature = [
        [],
        [None, None, None, None, "Vũ Ninh, ngày 05 tháng 3 năm 2026"],
        [None, "NGƯỜI LẬP BIỂU", None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, "(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"],
        [],
        [None, "Lê Văn Tám", None, None, "Nguyễn Thị Mai"],
    ]
    upload = xlsx_upload([["DANH SÁCH CÁN BỘ"], [], header, *people, *signature])
    batch = services.people_import(actor=office_user, upload=upload, filename="p.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert sorted(Person.objects.values_list("full_name", flat=True)) == [
        "Nguyễn Văn Hùng",
        "Trần Thị Bình",
    ]
    late = [3, "Lê Thị Hoa", "Nữ", 1990, "P-VUNINH", "Chuyên viên", "Viên chức"]
    upload = xlsx_upload([header, people[0], *signature, late])
    batch = services.people_import(actor=office_user, upload=upload, filename="p2.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert Person.objects.filter(full_name="Lê Thị Hoa").exists()


def test_people_round_trip_changes_nothing(city, office_user):
    for n in range(3):
        services.person_create(
            actor=office_user,
            full_name=f"Nguyễn Văn {n}",
            gender="male",
            unit=city.suoi_hoa,
            category="civil_servant",
            birth_year=1980 + n,
            is_party_member=n == 1,
        )
    client = verified_client(office_user)
    content = _download(client, "organizations:person-export")
    before = _snapshot()
    batch = services.people_import(
        actor=office_user, upload=SimpleUploadedFile("p.xlsx", content), filename="p.xlsx"
    )
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert _snapshot() == before
    assert not ActionLog.objects.filter(action="organizations.person.updated").exists()


def test_a_large_units_file_is_imported_by_a_job_and_changes_nothing(
    settings, city, office_user, django_capture_on_commit_callbacks
):
    from thidua.core.models import Job

    client = verified_client(office_user)
    content = _download(client, "organizations:unit-export")
    before = _snapshot()
    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:unit-import"),
            {"file": SimpleUploadedFile("don-vi.xlsx", content)},
        )
    job = Job.objects.get(kind="core.import")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    assert "Đã nhập 6 dòng" in client.get(response["Location"]).content.decode()
    assert _snapshot() == before
    assert ImportBatch.objects.get().status == ImportBatch.Status.IMPORTED


def test_a_name_too_long_is_refused_on_its_column(city, office_user):
    from tests.factories.xlsx import xlsx_upload

    upload = xlsx_upload(
        [
            ["Họ và tên", "Giới tính", "Mã đơn vị", "Đối tượng", "Chức vụ"],
            ["Nguyễn Văn An", "Nam", "P-SUOIHOA", "Công chức", "Chuyên viên"],
            ["Nguyễn " * 30, "Nam", "P-SUOIHOA", "Công chức", None],
        ]
    )
    people = Person.objects.count()
    batch = services.people_import(actor=office_user, upload=upload, filename="p.xlsx")
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "Họ và tên")]
    assert "tối đa 150 ký tự" in batch.errors[0]["message"]
    assert Person.objects.count() == people


def test_units_refused_while_written_are_shown_on_their_columns(city, office_user):
    """Checks only the write makes (the address's form, a parent ended since it was typed)
    name the column to correct, as the checks made before writing do; nothing is written."""
    from datetime import date

    from tests.factories.xlsx import xlsx_upload

    services.unit_merge(
        actor=office_user,
        predecessors=[city.vu_ninh, city.suoi_hoa],
        code="P-VUSUOI",
        name="Ủy ban nhân dân phường Vũ Suối",
        effective=date(2025, 7, 1),
    )
    units = Unit.objects.count()
    header = ["Mã đơn vị", "Tên đầy đủ", "Loại đơn vị", "Mã đơn vị cấp trên", "Thư điện tử"]
    upload = xlsx_upload(
        [
            header,
            ["P-MOI", "Ủy ban nhân dân phường Mới", "Phường", "TPBN", "ubnd-at-bacninh"],
            ["TDP-1", "Tổ dân phố số 1", "Khác", "P-VUNINH", None],
            ["TDP-2", "Tổ dân phố số 2", "Khác", "P-VUSUOI", None],
        ],
        name="don-vi.xlsx",
    )
    page = verified_client(office_user).post(reverse("organizations:unit-import"), {"file": upload})
    assert page.status_code == 200
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (2, "Thư điện tử", "Nhập địa chỉ thư điện tử hợp lệ."),
        (3, "Mã đơn vị cấp trên", "Đơn vị cấp trên đã hết hiệu lực."),
    ]
    html = page.content.decode()
    assert "<td>3</td><td>Mã đơn vị cấp trên</td><td>Đơn vị cấp trên đã hết hiệu lực.</td>" in html
    assert Unit.objects.count() == units


def test_people_refused_while_written_are_shown_on_their_columns(city, office_user, monkeypatch):
    """A check person_create makes (here one standing for any the model adds) names the
    column of the field it refuses, in the page and the error report."""
    from django.core.exceptions import ValidationError

    from tests.factories.xlsx import xlsx_upload
    from thidua.organizations.services.sheets import imports

    def refuse_birth_year(*, actor, **data):
        if data["birth_year"] == 2001:
            raise ValidationError({"birth_year": "Năm sinh không khớp hồ sơ."})
        return services.person_create(actor=actor, **data)

    monkeypatch.setattr(imports, "person_create", refuse_birth_year)
    upload = xlsx_upload(
        [
            ["Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Đối tượng"],
            ["Nguyễn Văn An", "Nam", 1980, "P-SUOIHOA", "Công chức"],
            ["Trần Thị Bình", "Nữ", 2001, "P-SUOIHOA", "Công chức"],
        ],
        name="ca-nhan.xlsx",
    )
    client = verified_client(office_user)
    page = client.post(reverse("organizations:person-import"), {"file": upload})
    html = page.content.decode()
    assert "<td>3</td><td>Năm sinh</td><td>Năm sinh không khớp hồ sơ.</td>" in html
    batch = ImportBatch.objects.get()
    report = load_workbook(
        SimpleUploadedFile(
            "loi.xlsx", client.get(reverse("organizations:import-errors", args=[batch.pk])).content
        )
    ).active
    assert [c.value for c in report[2]][:3] == [3, "Năm sinh", "Năm sinh không khớp hồ sơ."]
    assert not Person.objects.exists()


def test_errors_are_listed_in_the_files_order(city, office_user):
    """Cells read wrong and units not found are one list, line by line, as the user corrects
    the file (the unit checks used to come after every other line's errors)."""
    from tests.factories.xlsx import xlsx_upload

    upload = xlsx_upload(
        [
            ["Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Đối tượng"],
            ["Nguyễn Văn An", "Nam", 1980, "P-SUOIHOA", "Công chức"],
            ["Trần Thị Bình", "Nữ", 1885, "P-KHONGCO", "Công chức"],
            [None, "Nữ", 1990, "P-SUOIHOA", "Công chức"],
        ],
        name="ca-nhan.xlsx",
    )
    client = verified_client(office_user)
    client.post(reverse("organizations:person-import"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (3, "Năm sinh"),
        (3, "Mã đơn vị"),
        (4, "Họ và tên"),
    ]
    report = client.get(reverse("organizations:import-errors", args=[batch.pk])).content
    rows = list(load_workbook(SimpleUploadedFile("loi.xlsx", report)).active.values)
    assert [r[:2] for r in rows[1:]] == [(3, "Năm sinh"), (3, "Mã đơn vị"), (4, "Họ và tên")]
