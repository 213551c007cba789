"""The people import read on an office's own list (title block, header over two lines, extra
columns, dates and genders typed every way, totals and signatures under it): every good row
read, bad rows named by line and column, nothing half-written, never a server error."""

from datetime import date, datetime
from io import BytesIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import make_unit, verified_client
from tests.factories.pdfs import pdf
from tests.factories.sheets import csv_bytes, excel_serial, nfd, office_list_bytes
from thidua.organizations import services
from thidua.organizations.models import ImportBatch, Person, UnitKind

# Line 4 and 5 (under the title block): the personal details grouped under one merged cell.
HEADER = (
    ("STT", "Họ và tên", "Thông tin cá nhân", None, "Chức vụ, chức danh", "Đơn vị công tác",
     "Đối tượng", "Ghi chú"),
    (None, None, "Giới tính", "Ngày, tháng, năm sinh", None, None, None, None),
)  # fmt: skip
HEADER_MERGES = ("A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2", "G1:G2", "H1:H2")


def _import(user, data: bytes, name: str = "danh-sach.xlsx") -> ImportBatch:
    return services.people_import(actor=user, upload=BytesIO(data), filename=name)


def _people() -> list[tuple[str, str, int | None, str, str]]:
    return list(
        Person.objects.order_by("pk").values_list(
            "full_name", "gender", "birth_year", "unit__code", "category"
        )
    )


def test_an_offices_own_list_imports_every_person_as_typed(city, office_user):
    data = office_list_bytes(
        HEADER,
        [
            (1, nfd("Nguyễn Văn An"), "Nam", "05/03/1985", "Chủ tịch", "Phường Suối Hoa",
             "Cán bộ", None),
            (2, "Trần Thị Bình\u00a0", "nữ", "5-3-85", "Chuyên viên", "P-SUOIHOA",
             "công chức", "Mới chuyển đến"),
            (3, "LÊ VĂN CƯỜNG", "NAM", excel_serial(date(1979, 12, 1)), None, "p-vuninh",
             "CONG CHUC", None),
            (None, None, None, None, None, None, None, None),
            (4, "Phạm Thị Dung", "nu", datetime(1990, 1, 2),  # noqa: DTZ001 - a cell: no zone
             "Kế toán", "Phường Vũ Ninh", "Viên chức", None),
            (5, "Hoàng Văn Em", "Nam", 1992, None, "P-VUNINH", "Người lao động", None),
            (None, "Tổng cộng: 5 người", None, None, None, None, None, None),
        ],
        header_merges=HEADER_MERGES,
    )  # fmt: skip
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert _people() == [
        ("Nguyễn Văn An", "male", 1985, "P-SUOIHOA", "cadre"),
        ("Trần Thị Bình", "female", 1985, "P-SUOIHOA", "civil_servant"),
        ("LÊ VĂN CƯỜNG", "male", 1979, "P-VUNINH", "civil_servant"),
        ("Phạm Thị Dung", "female", 1990, "P-VUNINH", "public_employee"),
        ("Hoàng Văn Em", "male", 1992, "P-VUNINH", "worker"),
    ]


def test_the_list_on_its_second_sheet_with_columns_in_another_order(city, office_user):
    data = office_list_bytes(
        [("Đơn vị", "Giới tính", "Họ tên", "Năm sinh", "Đối tượng", "Đảng viên")],
        [
            ("P-SUOIHOA", "Nữ", "Đỗ Thị Giang", "1988", "Viên chức", "x"),
            ("P-SUOIHOA", "Nam", "Vũ Văn Hải", "1.975", "Cán bộ", None),
        ],
        cover=[("Hướng dẫn: điền danh sách ở trang bên cạnh.",)],
    )
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert list(Person.objects.order_by("pk").values_list("full_name", "is_party_member")) == [
        ("Đỗ Thị Giang", True),
        ("Vũ Văn Hải", False),
    ]


def test_a_birth_date_with_a_two_digit_year_is_in_the_past(city, office_user):
    """Older officials' dates typed "12/08/62": Python reads the year as 2062, which the
    import refused as no year of birth."""
    data = office_list_bytes(
        [("Họ và tên", "Giới tính", "Ngày sinh", "Mã đơn vị", "Đối tượng")],
        [
            ("Nguyễn Văn Lâm", "Nam", "12/08/62", "P-SUOIHOA", "Cán bộ"),
            ("Trần Văn Minh", "Nam", "1-1-68", "P-SUOIHOA", "Cán bộ"),
            ("Lê Thị Ngọc", "Nữ", "20.11.99", "P-SUOIHOA", "Viên chức"),
            ("Lê Thị Oanh", "Nữ", "20/11/01", "P-SUOIHOA", "Viên chức"),
        ],
    )
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert list(Person.objects.order_by("pk").values_list("birth_year", flat=True)) == [
        1962,
        1968,
        1999,
        2001,
    ]


def test_a_unit_named_as_offices_write_it_is_found(city, office_user):
    """Lists name the unit "UBND phường Suối Hoa": every row was refused as a unit not found,
    the unit being "Ủy ban nhân dân phường Suối Hoa"."""
    data = office_list_bytes(
        [("Họ và tên", "Giới tính", "Năm sinh", "Cơ quan, đơn vị", "Đối tượng")],
        [
            ("Nguyễn Văn An", "Nam", 1980, "UBND phường Suối Hoa", "Cán bộ"),
            ("Trần Thị Bình", "Nữ", 1985, "ubnd  Phường Vũ Ninh", "Công chức"),
            ("Lê Văn Cường", "Nam", 1990, "Ủy ban nhân dân phường Vũ Ninh", "Công chức"),
        ],
    )
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert [p[3] for p in _people()] == ["P-SUOIHOA", "P-VUNINH", "P-VUNINH"]


def test_bad_rows_are_named_by_line_and_column_and_nothing_is_written(city, office_user):
    data = office_list_bytes(
        HEADER,
        [
            (1, "Nguyễn Văn An", "Nam", "05/03/1985", None, "P-SUOIHOA", "Cán bộ", None),
            (2, "Trần Thị Bình", "Khác", "31/02/1985", None, "P-SUOIHOA", "Cán bộ", None),
            (3, "Lê Văn Cường", "Nam", "năm 80", None, "Phường Không Có", "Cán bộ", None),
            (4, None, "Nữ", 1990, None, "P-SUOIHOA", "Sinh viên", None),
        ],
        header_merges=HEADER_MERGES,
    )
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (7, "Giới tính"),
        (7, "Năm sinh"),
        (8, "Năm sinh"),
        (8, "Mã đơn vị"),
        (9, "Họ và tên"),
        (9, "Đối tượng"),
    ]
    messages = [e["message"] for e in batch.errors]
    assert messages[0] == "“Khác” không thuộc danh sách: Nam, Nữ."
    assert "Phường Không Có" in messages[3]
    assert not Person.objects.exists()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("DANH SÁCH CÁN BỘ ĐỀ NGHỊ KHEN THƯỞNG")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("trong.xlsx", b"", "Tập tin được gửi là rỗng."),
        ("danh-sach.xlsx", pdf().read(), "Chỉ nhận: Excel (.xlsx)."),
        ("danh-sach.xlsx", _docx(), "Chỉ nhận: Excel (.xlsx)."),
        ("danh-sach.xlsx", csv_bytes([["Họ và tên"], ["An"]]), "Chỉ nhận: Excel (.xlsx)."),
        ("danh-sach.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_refused_in_vietnamese(
    city, office_user, name, data, message
):
    client = verified_client(office_user)
    page = client.post(
        reverse("organizations:person-import"), {"file": SimpleUploadedFile(name, data)}
    )
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not Person.objects.exists()


def test_a_signed_list_with_no_person_says_so(city, office_user):
    """A list sent back empty but signed: its date line was read as a person, refused with
    four errors about a unit named "Suối Hoa, ngày 05 tháng 3 năm 2026"."""
    data = office_list_bytes(
        [("STT", "Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Đối tượng")], []
    )
    page = verified_client(office_user).post(
        reverse("organizations:person-import"),
        {"file": SimpleUploadedFile("danh-sach.xlsx", data)},
    )
    assert page.status_code == 200
    assert "Tệp không có dòng dữ liệu nào." in page.content.decode()
    assert not Person.objects.exists()


def test_headers_with_a_remark_in_brackets_are_matched_by_their_words(city, office_user):
    """Headers with how to fill them in brackets ("Giới tính (Nam/Nữ)", "Đối tượng (ghi theo
    mẫu)", "Ngày sinh (ngày/tháng/năm)") matched no column: the list was refused for missing
    its required columns, or each mapped by hand on the columns step."""
    data = office_list_bytes(
        [("Họ và tên (*)", "Giới tính (Nam/Nữ)", "Ngày sinh (ngày/tháng/năm)",
          "Chức vụ (nếu có)", "Mã đơn vị", "Đối tượng (ghi theo mẫu)", "Ghi chú (nếu có)")],
        [("Nguyễn Văn An", "Nam", "05/03/1985", "Chủ tịch", "P-SUOIHOA", "Cán bộ", "x")],
    )  # fmt: skip
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert list(Person.objects.values_list("full_name", "birth_year", "position")) == [
        ("Nguyễn Văn An", 1985, "Chủ tịch")
    ]


def test_a_gender_given_by_the_column_the_date_of_birth_is_in(city, office_user):
    """Forms merge "Ngày, tháng, năm sinh" over two columns "Nam" and "Nữ" and write each date
    under the person's gender. Such a list had no gender column: refused whole ("Thiếu cột bắt
    buộc “Giới tính”"), and no column could be mapped to it."""
    header = (
        ("STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Chức vụ", "Đơn vị", "Đối tượng"),
        (None, None, "Nam", "Nữ", None, None, None),
    )
    merges = ("A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2", "G1:G2")
    rows = [
        (1, "Nguyễn Văn An", "05/03/1985", None, "Chủ tịch", "P-SUOIHOA", "Cán bộ"),
        (2, "Trần Thị Bình", None, "12/08/62", None, "P-SUOIHOA", "Công chức"),
        (3, "Lê Thị Cúc", None, 1990, None, "P-SUOIHOA", "Viên chức"),
    ]
    page = verified_client(office_user).post(
        reverse("organizations:person-import"),
        {
            "file": SimpleUploadedFile(
                "ds.xlsx", office_list_bytes(header, rows, header_merges=merges)
            )
        },
    )
    assert page.status_code == 302, page.content.decode()[-3000:]
    assert [p[:3] for p in _people()] == [
        ("Nguyễn Văn An", "male", 1985),
        ("Trần Thị Bình", "female", 1962),
        ("Lê Thị Cúc", "female", 1990),
    ]
    wrong = [
        (1, "Phạm Văn Dũng", "05/03/1985", "05/03/1985", None, "P-SUOIHOA", "Cán bộ"),
        (2, "Hoàng Thị Em", None, None, None, "P-SUOIHOA", "Cán bộ"),
        (3, "Vũ Văn Giang", "năm 80", None, None, "P-SUOIHOA", "Cán bộ"),
    ]
    batch = _import(office_user, office_list_bytes(header, wrong, header_merges=merges))
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (6, "Giới tính", "Năm sinh ghi ở cả hai cột Nam và Nữ: chọn một."),
        (7, "Giới tính", "Không được để trống."),
        (8, "Năm sinh (Nam)", "“năm 80” không phải là năm sinh (yyyy) hay ngày sinh (dd/mm/yyyy)."),
    ]
    assert Person.objects.count() == 3


def test_a_list_with_no_gender_at_all_is_refused_once(city, office_user):
    data = office_list_bytes(
        [("Họ và tên", "Năm sinh", "Mã đơn vị", "Đối tượng")],
        [
            ("Nguyễn Văn An", 1980, "P-SUOIHOA", "Cán bộ"),
            ("Trần Văn Bình", 1981, "P-SUOIHOA", "Cán bộ"),
        ],
    )
    batch = _import(office_user, data)
    assert [(e["column"], e["message"]) for e in batch.errors] == [
        (
            "Giới tính",
            "Thiếu cột bắt buộc “Giới tính” (hoặc năm sinh ghi dưới hai cột “Nam”, “Nữ”).",
        )
    ]
    assert not Person.objects.exists()


def test_a_month_and_year_of_birth_give_the_year(city, office_user):
    """ "Tháng, năm sinh" lists give "03/1975": refused as no year or date of birth."""
    data = office_list_bytes(
        [("Họ và tên", "Giới tính", "Tháng, năm sinh", "Mã đơn vị", "Đối tượng")],
        [
            ("Nguyễn Văn An", "Nam", "03/1975", "P-SUOIHOA", "Cán bộ"),
            ("Trần Thị Bình", "Nữ", "12-1980", "P-SUOIHOA", "Cán bộ"),
            ("Lê Văn Cường", "Nam", "13/1980", "P-SUOIHOA", "Cán bộ"),
        ],
    )
    batch = _import(office_user, data)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(7, "Năm sinh")]
    data = office_list_bytes(
        [("Họ và tên", "Giới tính", "Tháng, năm sinh", "Mã đơn vị", "Đối tượng")],
        [
            ("Nguyễn Văn An", "Nam", "03/1975", "P-SUOIHOA", "Cán bộ"),
            ("Trần Thị Bình", "Nữ", "12-1980", "P-SUOIHOA", "Cán bộ"),
        ],
    )
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert [p[2] for p in _people()] == [1975, 1980]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("UBND phường Suối Hoa", "P-SUOIHOA"),
        ("Ủy ban nhân dân phường Suối Hoa", "P-SUOIHOA"),
        ("Uỷ ban nhân dân phường Suối Hoa", "P-SUOIHOA"),
        ("Uỷ ban ND phường Suối Hoa", "P-SUOIHOA"),
        ("uy ban nhan dan phuong suoi hoa", "P-SUOIHOA"),
        ("HĐND phường Suối Hoa", "HDND-SUOIHOA"),
        ("hdnd phuong Suoi Hoa", "HDND-SUOIHOA"),
        ("Hội đồng nhân dân phường Suối Hoa", "HDND-SUOIHOA"),
        ("UBMTTQ phường Suối Hoa", "MTTQ-SUOIHOA"),
        ("UBMTTQ Việt Nam phường Suối Hoa", "MTTQ-SUOIHOA"),
        ("Ủy ban MTTQ phường Suối Hoa", "MTTQ-SUOIHOA"),
        ("Uỷ ban Mặt trận Tổ quốc phường Suối Hoa", "MTTQ-SUOIHOA"),
        ("uy ban mttq viet nam phuong suoi hoa", "MTTQ-SUOIHOA"),
        ("P. Suối Hoa", "P-SUOIHOA"),
        ("UBND P.Suối Hoa", "P-SUOIHOA"),
    ],
)
def test_a_unit_abbreviated_as_users_write_it_is_found(city, office_user, typed, code):
    """The unit column read the abbreviations plans are matched with (organizations.names):
    only "UBND" was spelt out, so "HĐND phường Suối Hoa" or "UBMTTQ phường Suối Hoa" was
    refused as a unit not found."""
    make_unit("HDND-SUOIHOA", "Hội đồng nhân dân phường Suối Hoa", UnitKind.OTHER, city.suoi_hoa)
    make_unit(
        "MTTQ-SUOIHOA",
        "Ủy ban Mặt trận Tổ quốc Việt Nam phường Suối Hoa",
        UnitKind.MASS_ORG,
        city.suoi_hoa,
    )
    data = office_list_bytes(
        [("Họ và tên", "Giới tính", "Năm sinh", "Cơ quan, đơn vị", "Đối tượng")],
        [("Nguyễn Văn An", "Nam", 1980, typed, "Cán bộ")],
    )
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert [p[3] for p in _people()] == [code]


def test_a_line_pasted_twice_is_named_and_nothing_is_written(city, office_user):
    """The same person twice in one list (a line copied twice, once typed in NFD, once with a
    no-break space) would add two people with one name: the second line is refused, naming the
    first; two people who differ in a detail both import."""
    data = office_list_bytes(
        HEADER,
        [
            (1, "Nguyễn Thị Thuỷ", "Nữ", "05/03/1985", "Kế toán", "P-SUOIHOA", "Công chức", None),
            (2, "Trần Văn Bình", "Nam", 1980, None, "P-SUOIHOA", "Cán bộ", None),
            (3, nfd("Nguyễn Thị Thủy\u00a0"), "nữ", excel_serial(date(1985, 3, 5)), "kế toán",
             "Phường Suối Hoa", "công chức", None),
        ],
        header_merges=HEADER_MERGES,
    )  # fmt: skip
    batch = _import(office_user, data)
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(8, "Họ và tên")]
    assert batch.errors[0]["message"].startswith("Trùng dòng 6 ")
    assert not Person.objects.exists()

    namesakes = office_list_bytes(
        HEADER,
        [
            (1, "Nguyễn Thị Thuỷ", "Nữ", 1985, "Kế toán", "P-SUOIHOA", "Công chức", None),
            (2, "Nguyễn Thị Thuỷ", "Nữ", 1991, "Kế toán", "P-SUOIHOA", "Công chức", None),
        ],
        header_merges=HEADER_MERGES,
    )
    batch = _import(office_user, namesakes, name="danh-sach-2.xlsx")
    assert batch.status == ImportBatch.Status.IMPORTED, batch.errors
    assert Person.objects.count() == 2
