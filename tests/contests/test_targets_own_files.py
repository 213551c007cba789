"""Expected participants per unit read from an organiser's own list: a title block, STT and Ghi
chú columns, figures as "1.200", a totals line and signatures under it; bad rows named by line
and column, nothing written."""

from io import BytesIO

from tests.factories.sheets import office_list_bytes
from thidua.contests import services
from thidua.contests.models import UnitTarget

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
