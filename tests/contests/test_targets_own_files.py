"""Expected participants per unit read from an organiser's own list: a title block, STT and Ghi
chú columns, figures as "1.200", a totals line and signatures under it; bad rows named by line
and column, nothing written."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from tests.conftest import make_unit
from tests.factories.sheets import office_list_bytes
from thidua.contests import services
from thidua.contests.models import UnitTarget
from thidua.organizations.models import UnitKind

TITLE = ("BAN TỔ CHỨC CUỘC THI", "CHỈ TIÊU THÍ SINH DỰ THI CỦA CÁC ĐƠN VỊ")
HEADER = [("STT", "Tên cơ quan, đơn vị", "Mã đơn vị", "Số người dự thi dự kiến", "Ghi chú")]


def _import(organiser, contest, rows):
    data = office_list_bytes(HEADER, rows, title=TITLE)
    return services.unit_targets_import(
        actor=organiser, contest=contest, upload=BytesIO(data), filename="chi-tieu.xlsx"
    )


def test_an_organisers_own_list_sets_every_units_figure(organiser, contest, city):
    count, errors = _import(
        organiser,
        contest,
        [
            (1, "Phường Suối Hoa", "P-SUOIHOA", "1.200", None),
            (None, None, None, None, None),
            (2, "Phường Vũ Ninh", "p-vuninh", 800.0, "ước tính"),
            (None, "Tổng cộng", None, "2.000", None),
        ],
    )
    assert (count, errors) == (2, [])
    assert sorted(UnitTarget.objects.values_list("unit__code", "expected")) == [
        ("P-SUOIHOA", 1200),
        ("P-VUNINH", 800),
    ]


def test_bad_rows_are_named_by_line_and_column_and_nothing_is_written(organiser, contest, city):
    count, errors = _import(
        organiser,
        contest,
        [
            (1, "Phường Suối Hoa", "P-SUOIHOA", "1.200", None),
            (2, "Phường Vũ Ninh", "P-VUNINH", 0, None),
            (3, "Phường Không Có", "P-KHONGCO", 10, None),
            (4, "Phường Vũ Ninh", "P-VUNINH", "khoảng 50", None),
        ],
    )
    assert count == 0
    assert [(e.row, e.column) for e in errors] == [
        (6, "Số người dự kiến"),
        (7, "Mã đơn vị"),
        (8, "Mã đơn vị"),
        (8, "Số người dự kiến"),
    ]
    assert not UnitTarget.objects.exists()


def _workbook(header, rows):
    """A workbook as an office types it: a title line, then the header and rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CHỈ TIÊU THAM GIA CUỘC THI"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _import_book(organiser, contest, header, rows):
    return services.unit_targets_import(
        actor=organiser, contest=contest, upload=_workbook(header, rows), filename="chi-tieu.xlsx"
    )


def _targets():
    return sorted(UnitTarget.objects.values_list("unit__code", "expected"))


@pytest.mark.parametrize("header", ["Tên đơn vị", "Đơn vị", "Tên cơ quan, đơn vị", "Mã đơn vị"])
@pytest.mark.parametrize(
    "typed",
    [
        "Phường Suối Hoa",
        "phuong suoi hoa",
        "UBND phường Suối Hoa",
        "Ủy ban nhân dân phường Suối Hoa",
        "Uỷ ban nhân dân phường Suối Hoa",
        "ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA",
        "uy ban nhan dan phuong suoi hoa",
        "P. Suối Hoa",
        "UBND P.Suối Hoa",
    ],
)
def test_a_unit_named_instead_of_its_code_is_found(organiser, contest, city, header, typed):
    """Offices' own lists name the unit: every row was refused for want of a unit code."""
    count, errors = _import_book(
        organiser, contest, ["STT", header, "Số người dự kiến"], [(1, typed, 120)]
    )
    assert (count, errors) == (1, [])
    assert _targets() == [("P-SUOIHOA", 120)]


def test_names_and_codes_mix_in_one_file(organiser, contest, city):
    """The code when a row has one, else the name beside it."""
    count, errors = _import_book(
        organiser,
        contest,
        ["Mã đơn vị", "Tên đơn vị", "Chỉ tiêu"],
        [("p-suoihoa", "Phường Suối Hoa", 40), (None, "UBND phường Vũ Ninh", 30)],
    )
    assert (count, errors) == (2, [])
    assert _targets() == [("P-SUOIHOA", 40), ("P-VUNINH", 30)]


def test_a_ward_named_without_the_authority_is_found(organiser, contest, city):
    """A unit stored under its full name only ("Ủy ban nhân dân phường Đông Ngàn", no short
    name) is found as "Phường Đông Ngàn"; a unit stored as "Phường Kinh Bắc" as "UBND phường
    Kinh Bắc"."""
    make_unit("P-DONGNGAN", "Ủy ban nhân dân phường Đông Ngàn", UnitKind.WARD, city.city)
    make_unit("P-KINHBAC", "Phường Kinh Bắc", UnitKind.WARD, city.city)
    count, errors = _import_book(
        organiser,
        contest,
        ["Đơn vị", "Số người"],
        [("Phường Đông Ngàn", 10), ("UBND phường Kinh Bắc", 20)],
    )
    assert (count, errors) == (2, [])
    assert _targets() == [("P-DONGNGAN", 10), ("P-KINHBAC", 20)]


def test_names_that_differ_only_by_accents_are_told_apart_by_them(organiser, contest, city):
    """Xã Tam Sơn and xã Tâm Sơn read the same without accents: a name typed with its accents
    names one of them; typed without, it could be either and is refused."""
    make_unit("X-TAMSON", "Ủy ban nhân dân xã Tam Sơn", UnitKind.COMMUNE, city.city)
    make_unit("X-TAMSON2", "Ủy ban nhân dân xã Tâm Sơn", UnitKind.COMMUNE, city.city)
    count, errors = _import_book(
        organiser,
        contest,
        ["Đơn vị", "Số người"],
        [("UBND xã Tam Sơn", 10), ("Xã Tâm Sơn", 20)],
    )
    assert (count, errors) == (2, [])
    assert _targets() == [("X-TAMSON", 10), ("X-TAMSON2", 20)]
    count, errors = _import_book(organiser, contest, ["Đơn vị", "Số người"], [("xa tam son", 5)])
    assert count == 0
    assert "có thể là 2 đơn vị" in errors[0].message


@pytest.mark.parametrize("typed", ["1.200", "1,200", "1200", 1200, "1200 người", "1.200 người"])
def test_figures_as_offices_type_them(organiser, contest, city, typed):
    count, errors = _import_book(
        organiser, contest, ["Tên đơn vị", "Số người dự kiến"], [("Phường Suối Hoa", typed)]
    )
    assert (count, errors) == (1, [])
    assert _targets() == [("P-SUOIHOA", 1200)]


def test_unknown_ambiguous_and_repeated_units_are_refused_by_name(organiser, contest, city):
    """Two units go by "Trường Mầm non Hoa Sen": the name alone cannot say which. Each error
    names what was read; nothing is written."""
    make_unit("MN-HOASEN-1", "Trường Mầm non Hoa Sen", UnitKind.SCHOOL, city.suoi_hoa)
    make_unit("MN-HOASEN-2", "Trường Mầm non Hoa Sen", UnitKind.SCHOOL, city.vu_ninh)
    count, errors = _import_book(
        organiser,
        contest,
        ["STT", "Tên đơn vị", "Số người dự kiến"],
        [
            (1, "Phường Suối Hoa", 10),
            (2, "Trường Mầm non Hoa Sen", 20),
            (3, "Phường Không Có", 30),
            (4, "UBND phường Suối Hoa", 40),
        ],
    )
    assert count == 0
    assert [(e.row, e.column) for e in errors] == [
        (4, "Tên đơn vị"),
        (5, "Tên đơn vị"),
        (6, "Tên đơn vị"),
    ]
    ambiguous, unknown, repeated = (e.message for e in errors)
    assert "“Trường Mầm non Hoa Sen”" in ambiguous
    assert "MN-HOASEN-1" in ambiguous
    assert "MN-HOASEN-2" in ambiguous
    assert "Hãy ghi mã đơn vị" in ambiguous
    assert unknown == "Không có đơn vị tên “Phường Không Có”."
    assert repeated == "Trùng đơn vị ở dòng 3."
    assert not UnitTarget.objects.exists()


def test_a_name_and_the_code_of_one_unit_are_a_repeat(organiser, contest, city):
    count, errors = _import_book(
        organiser,
        contest,
        ["Mã đơn vị", "Số người dự kiến"],
        [("P-SUOIHOA", 10), ("Uỷ ban nhân dân phường Suối Hoa", 20)],
    )
    assert count == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (4, "Mã đơn vị", "Trùng đơn vị ở dòng 3.")
    ]


def test_a_file_without_a_unit_column_is_one_error(organiser, contest, city):
    count, errors = _import_book(
        organiser, contest, ["STT", "Số người dự kiến"], [(1, 10), (2, 20)]
    )
    assert count == 0
    assert len(errors) == 1
    assert "“Mã đơn vị” hoặc “Tên đơn vị”" in errors[0].message
