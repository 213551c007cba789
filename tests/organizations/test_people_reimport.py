"""An office's own staff list, kept in Excel without codes and imported again next month (one
person added, one promoted): the people it already holds are found by name, gender and year
of birth in the line's unit and updated, never added twice; the result says how many were
added, updated and left as they were."""

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.core.models import ActionLog, Job
from thidua.organizations import services
from thidua.organizations.models import ImportBatch, Person

FIRST_HEADER = ("STT", "Họ và tên", "Giới tính", "Năm sinh", "Chức vụ", "Đơn vị", "Đối tượng")
FIRST_MONTH = [
    (1, "Nguyễn Thị Thủy", "Nữ", 1985, "Kế toán", "P-SUOIHOA", "Công chức"),
    (2, "Trần Văn Bình", "Nam", 1980, "Chuyên viên", "P-SUOIHOA", "Công chức"),
    (3, "Lê Văn Cường", "Nam", 1979, "Phó Chủ tịch", "P-SUOIHOA", "Cán bộ"),
    (4, "Phạm Thị Dung", "Nữ", 1990, "Văn thư", "P-SUOIHOA", "Viên chức"),
]
# Next month, typed again by hand: columns in another order, a name in capitals with its tone
# placed the other way, extra spaces, a year as text, a position left blank (kept), one
# person promoted (Trần Văn Bình) and one new (Hoàng Văn Em).
SECOND_HEADER = ("Đơn vị công tác", "Đối tượng", "Sinh năm", "Họ tên", "Chức danh", "Phái")
SECOND_MONTH = [
    ("P-SUOIHOA", "công chức", 1985, "NGUYỄN THỊ THUỶ", "kế toán", "Nữ"),
    ("Phường Suối Hoa", "Công chức", "1980", "  Trần  Văn   Bình ", "Trưởng phòng", "nam"),
    ("P-SUOIHOA", "Cán bộ", "1979", "Lê Văn Cường", None, "Nam"),
    ("p-suoihoa", "Viên chức", 1990, "Phạm Thị Dung", "Văn thư", "Nữ"),
    ("P-SUOIHOA", "Người lao động", 1995, "Hoàng Văn Em", "Bảo vệ", "Nam"),
]


def _xlsx(header: tuple[Any, ...], rows: list[tuple[Any, ...]], *, title: str = "") -> bytes:
    """A list as offices keep it: a title line above the header when `title` is given."""
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _import(user, data: bytes, name: str = "danh-sach.xlsx") -> ImportBatch:
    return services.people_import(actor=user, upload=BytesIO(data), filename=name)


def _people() -> list[tuple[Any, ...]]:
    return list(
        Person.objects.order_by("pk").values_list(
            "pk", "full_name", "gender", "birth_year", "position", "category", "unit__code"
        )
    )


def _person(name: str, unit, *, year: int, position: str = "", gender: str = "female") -> Person:
    return Person.objects.create(
        full_name=name,
        gender=gender,
        birth_year=year,
        unit=unit,
        position=position,
        category="civil_servant",
    )


def test_a_list_imported_again_adds_the_new_person_and_updates_the_promoted_one(city, office_user):
    first = _import(office_user, _xlsx(FIRST_HEADER, FIRST_MONTH, title="DANH SÁCH CÁN BỘ"))
    assert first.status == ImportBatch.Status.IMPORTED, first.errors
    before = _people()
    promoted = Person.objects.get(full_name="Trần Văn Bình")

    again = _import(office_user, _xlsx(SECOND_HEADER, SECOND_MONTH), name="thang-sau.xlsx")

    assert again.status == ImportBatch.Status.IMPORTED, again.errors
    after = _people()
    assert len(after) == len(before) + 1
    # Everyone already held is as stored, names in their stored spelling, but the promotion;
    # Lê Văn Cường's blank position cell kept his position.
    expected = [(*p[:4], "Trưởng phòng", *p[5:]) if p[0] == promoted.pk else p for p in before]
    assert after[: len(before)] == expected
    assert after[-1][1:] == ("Hoàng Văn Em", "male", 1995, "Bảo vệ", "worker", "P-SUOIHOA")
    assert (again.added, again.updated, again.unchanged) == (1, 1, 3)
    assert again.changes == "thêm mới 1 người, cập nhật 1 người, 3 người không thay đổi"

    updates = ActionLog.objects.filter(action="organizations.person.updated")
    assert [(u.target_id, u.data["fields"]) for u in updates] == [(str(promoted.pk), ["position"])]
    assert ActionLog.objects.filter(action="organizations.person.created").count() == 5
    log = ActionLog.objects.get(action="organizations.import.imported", target_id=str(again.pk))
    assert (log.data["added"], log.data["updated"], log.data["unchanged"]) == (1, 1, 3)

    # The same list once more changes nothing and says so
    third = _import(office_user, _xlsx(SECOND_HEADER, SECOND_MONTH), name="lan-ba.xlsx")
    assert (third.added, third.updated, third.unchanged) == (0, 0, 5)
    assert _people() == after


def test_the_import_page_says_how_many_were_added_updated_unchanged(city, office_user):
    assert _import(office_user, _xlsx(FIRST_HEADER, FIRST_MONTH)).status == "imported"
    client = verified_client(office_user)
    response = client.post(
        reverse("organizations:person-import"),
        {"file": SimpleUploadedFile("thang-sau.xlsx", _xlsx(SECOND_HEADER, SECOND_MONTH))},
        follow=True,
    )
    page = response.content.decode()
    assert "Đã nhập 5 dòng: thêm mới 1 người, cập nhật 1 người, 3 người không thay đổi." in page
    assert Person.objects.count() == 5


def test_a_large_list_imported_by_a_job_says_the_same(
    settings, city, office_user, django_capture_on_commit_callbacks
):
    assert _import(office_user, _xlsx(FIRST_HEADER, FIRST_MONTH)).status == "imported"
    client = verified_client(office_user)
    settings.THIDUA_IMPORT_INLINE_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:person-import"),
            {"file": SimpleUploadedFile("thang-sau.xlsx", _xlsx(SECOND_HEADER, SECOND_MONTH))},
        )
    job = Job.objects.get(kind="core.import")
    assert response["Location"] == reverse("core:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert (
        "Đã nhập 5 dòng từ tệp “thang-sau.xlsx”: thêm mới 1 người, cập nhật 1 người, "
        "3 người không thay đổi." in page
    )
    assert Person.objects.count() == 5


def test_a_unit_officer_finds_only_the_people_of_their_own_unit(city, office_user, make_user):
    """A namesake in another unit (same name, gender, year) is neither found nor changed, and
    does not make the line ambiguous; a line naming that unit is refused on its line."""
    own = _person("Lê Thị Hoa", city.suoi_hoa, year=1988, position="Chuyên viên")
    other = _person("Lê Thị Hoa", city.vu_ninh, year=1988, position="Chuyên viên")
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    header = ("Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Chức vụ", "Đối tượng")

    batch = _import(
        officer, _xlsx(header, [("LÊ THỊ HOA", "Nữ", 1988, "P-SUOIHOA", "Kế toán", "Công chức")])
    )

    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert Person.objects.count() == 2
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.full_name, own.position) == ("Lê Thị Hoa", "Kế toán")
    assert other.position == "Chuyên viên"
    updated = ActionLog.objects.filter(action="organizations.person.updated")
    assert [u.target_id for u in updated] == [str(own.pk)]

    refused = _import(
        officer,
        _xlsx(header, [("Lê Thị Hoa", "Nữ", 1988, "P-VUNINH", "Trưởng phòng", "Công chức")]),
        name="phuong-khac.xlsx",
    )
    assert refused.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"]) for e in refused.errors] == [(2, "Mã đơn vị")]
    other.refresh_from_db()
    assert other.position == "Chuyên viên"
    assert Person.objects.count() == 2


def test_a_line_two_stored_people_fit_is_refused_naming_their_codes(city, office_user):
    """Two people of one unit alike in name, gender and year: the line is not guessed at; the
    error names both codes, and a "Mã cá nhân" column then says who the line is."""
    first = _person("Phạm Thị Dung", city.suoi_hoa, year=1990, position="Văn thư")
    second = _person("Phạm Thị Dung", city.suoi_hoa, year=1990, position="Thủ quỹ")
    header = ("Họ và tên", "Giới tính", "Năm sinh", "Đơn vị", "Chức vụ", "Đối tượng")
    line = ("Phạm  Thị Dung", "Nữ", "1990", "P-SUOIHOA", "Kế toán", "Công chức")

    batch = _import(office_user, _xlsx(header, [line]))

    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (
            2,
            "Mã cá nhân",
            f"“Ủy ban nhân dân phường Suối Hoa” có 2 người cùng họ tên, giới tính, năm sinh "
            f"(mã cá nhân {first.pk}, {second.pk}): thêm cột “Mã cá nhân” và ghi mã của người "
            "ở dòng này.",
        )
    ]
    assert sorted(Person.objects.values_list("position", flat=True)) == ["Thủ quỹ", "Văn thư"]
    assert batch.changes == ""

    with_code = _import(
        office_user, _xlsx((*header, "Mã cá nhân"), [(*line, second.pk)]), name="co-ma.xlsx"
    )
    assert with_code.status == ImportBatch.Status.IMPORTED, with_code.errors
    assert (with_code.added, with_code.updated, with_code.unchanged) == (0, 1, 0)
    assert sorted(Person.objects.values_list("pk", "position")) == [
        (first.pk, "Văn thư"),
        (second.pk, "Kế toán"),
    ]


def test_two_lines_that_are_one_stored_person_are_refused(city, office_user):
    """The same person twice in a list, with different positions: the second line would undo
    the first; it is refused naming the first, and nothing is written."""
    held = _person("Trần Văn Bình", city.suoi_hoa, year=1980, position="Chuyên viên", gender="male")
    header = ("Họ và tên", "Giới tính", "Năm sinh", "Đơn vị", "Chức vụ", "Đối tượng")
    batch = _import(
        office_user,
        _xlsx(
            header,
            [
                ("Trần Văn Bình", "Nam", 1980, "P-SUOIHOA", "Trưởng phòng", "Công chức"),
                ("TRẦN VĂN BÌNH", "Nam", 1980, "P-SUOIHOA", "Phó phòng", "Công chức"),
            ],
        ),
    )
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (
            3,
            "Họ và tên",
            f"Cùng một người với dòng 2 (mã cá nhân {held.pk}): mỗi người chỉ ghi một dòng.",
        )
    ]
    held.refresh_from_db()
    assert held.position == "Chuyên viên"
    assert Person.objects.count() == 1


def test_a_units_list_imported_again_says_what_changed(city, office_user):
    """Units have required codes, so a list imported again never adds them twice; the result
    counts them as people's do."""
    header = ("Mã đơn vị", "Tên đầy đủ", "Tên ngắn", "Loại đơn vị", "Mã đơn vị cấp trên")
    rows = [
        ("p-suoihoa", "ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA", "P. Suối Hoa", "Phường", "TPBN"),
        ("P-VUNINH", "Uỷ ban nhân dân phường Vũ Ninh", "Phường Vũ Ninh", "Phường", "TPBN"),
        ("P-KINHBAC", "Ủy ban nhân dân phường Kinh Bắc", None, "Phường", "TPBN"),
    ]
    data = _xlsx(header, rows)
    batch = services.units_import(actor=office_user, upload=BytesIO(data), filename="u.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert (batch.added, batch.updated, batch.unchanged) == (1, 1, 1)
    assert batch.changes == "thêm mới 1 đơn vị, cập nhật 1 đơn vị, 1 đơn vị không thay đổi"
