"""The aggregated report at scale (issue #22): indicator totals computed by SQL aggregates over
the JSON values (the same as the Python computation they replace), a body with a line per unit
only up to the threshold and pointing to the annex above it, and the annex itself (Phụ lục:
số liệu từng đơn vị), an XLSX for whoever may see the aggregated report."""

from datetime import date
from io import BytesIO
from statistics import mean

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import make_unit, verified_client
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.services import _set_unit_derived
from thidua.reporting import selectors, services
from thidua.reporting.models import Indicator, ReportAssignment, ReportStatus

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://x.invalid","bấm")'


@pytest.fixture
def four(campaign, office_user):
    """A template with each aggregation, and one indicator of each that nobody fills."""
    return services.template_create(
        actor=office_user,
        campaign=campaign,
        name="Báo cáo bốn cách tổng hợp",
        sections=[
            {"title": "Kết quả thực hiện", "guidance": ""},
            {"title": "Kiến nghị", "guidance": ""},
        ],
        indicators=[
            {"name": "Số buổi", "unit_of_measure": "buổi", "aggregation": "sum"},
            {"name": "Tỷ lệ tham gia", "unit_of_measure": "%", "aggregation": "average"},
            {"name": "Có số liệu", "aggregation": "count"},
            {"name": "Có kế hoạch", "aggregation": "yes_share", "is_yes_no": True},
            {"name": "Tổng trống", "unit_of_measure": "buổi", "aggregation": "sum"},
            {"name": "Trung bình trống", "aggregation": "average"},
        ],
    )


@pytest.fixture
def twelve(four, office_user, city):
    """Twelve wards asked; five reported (one late, one accepted) with every kind of value:
    numbers, yes/no, a missing key, a JSON null; seven not (one holds a draft that must not
    count)."""
    wards = [
        make_unit(f"PW{n:02d}", f"Ủy ban nhân dân phường Thử {n:02d}", UnitKind.WARD, city.city)
        for n in range(12)
    ]
    request = services.request_create(
        actor=office_user,
        campaign=four.campaign,
        template=four,
        title="Báo cáo kết quả thực hiện phong trào",
        units=wards,
        due_date=date(2022, 12, 15),
    )
    key = {i.name: str(i.pk) for i in four.indicators.all()}
    text = [str(s.pk) for s in four.sections.all()]
    buoi, ty_le, co_so_lieu, ke_hoach = (
        key["Số buổi"],
        key["Tỷ lệ tham gia"],
        key["Có số liệu"],
        key["Có kế hoạch"],
    )
    reports = [
        ({buoi: 7, ty_le: 80.5, co_so_lieu: 3, ke_hoach: True}, {text[0]: "Tổ chức 7 buổi."}),
        ({buoi: 2.5, ty_le: 61, ke_hoach: False}, {text[1]: "Đề nghị thêm kinh phí."}),
        ({buoi: 0.1, co_so_lieu: 0, ke_hoach: True}, {text[0]: INJECTION}),
        ({buoi: 0.2, ty_le: None, co_so_lieu: None}, {text[0]: "   "}),
        ({ty_le: 75.25, ke_hoach: True}, {}),
    ]
    statuses = [ReportStatus.SUBMITTED] * 4 + [ReportStatus.ACCEPTED]
    for n, ((values, texts), status) in enumerate(zip(reports, statuses, strict=True)):
        ReportAssignment.objects.filter(request=request, unit=wards[n]).update(
            status=status,
            submitted_at=timezone.now(),
            is_late=n == 1,
            draft_values=values,
            draft_narratives=texts,
        )
    ReportAssignment.objects.filter(request=request, unit=wards[5]).update(
        draft_values={buoi: 1000, ke_hoach: True}  # a draft, not reported: never counted
    )
    return request


def python_totals(request) -> dict[str, tuple[float | None, str]]:
    """The computation the SQL aggregates replace, over model instances, printed the same way."""
    assignments = list(request.assignments.all())
    reported = [a for a in assignments if a.status in {"submitted", "accepted"}]
    asked = len(assignments)
    result = {}
    for ind in request.template.indicators.all():
        present = [v for a in reported if (v := a.draft_values.get(str(ind.pk))) is not None]
        count = len(present)
        if ind.aggregation == Indicator.Aggregation.SUM:
            total = float(sum(present))
        elif ind.aggregation == Indicator.Aggregation.AVERAGE:
            total = float(mean(present)) if present else None
        elif ind.aggregation == Indicator.Aggregation.COUNT:
            total = float(count)
        else:
            count = sum(1 for v in present if v is True)
            total = 100 * count / asked if asked else None
        result[ind.name] = (total, selectors._display(total, ind, (count, asked)))
    return result


def test_totals_in_sql_equal_the_python_computation(twelve):
    figures = selectors.aggregate_figures(request=twelve)
    expected = python_totals(twelve)
    got = {row["name"]: (row["total"], row["display"]) for row in figures["indicators"]}
    assert got.keys() == expected.keys()
    for name, (total, display) in expected.items():
        assert got[name][1] == display, name
        assert got[name][0] == (None if total is None else pytest.approx(total, rel=1e-12)), name
    assert {name: display for name, (_, display) in got.items()} == {
        "Số buổi": "9,8 buổi",  # 7 + 2.5 + 0.1 + 0.2; the draft's 1000 is not counted
        "Tỷ lệ tham gia": "72,25 %",  # (80.5 + 61 + 75.25) / 3: the null is skipped
        "Có số liệu": "2/12 đơn vị",  # 3 and 0 count, a null does not
        "Có kế hoạch": "3/12 đơn vị (25%)",  # of all twelve asked
        "Tổng trống": "0 buổi",
        "Trung bình trống": "—",
    }
    assert (figures["total"], figures["reported"], figures["late"]) == (12, 5, 1)


def test_a_sum_of_yes_no_answers_counts_the_yes(twelve):
    """Python's sum() counted True as 1: the SQL sum does too, on both databases."""
    plan = twelve.template.indicators.get(name="Có kế hoạch")
    Indicator.objects.filter(pk=plan.pk).update(aggregation=Indicator.Aggregation.SUM)
    twelve.template.refresh_from_db()
    expected = python_totals(twelve)["Có kế hoạch"]
    row = next(
        r
        for r in selectors.aggregate_figures(request=twelve)["indicators"]
        if r["name"] == "Có kế hoạch"
    )
    assert (row["total"], row["display"]) == expected == (3.0, "3")


def test_body_up_to_the_threshold_has_a_line_per_unit(twelve, office_user):
    body = services.aggregate_build(actor=office_user, request=twelve).body
    assert services.aggregate_build(actor=office_user, request=twelve, detail_units=12).body == (
        body
    )
    lines = body.splitlines()
    assert "SỐ LIỆU TỪNG ĐƠN VỊ" in lines
    assert "- Ủy ban nhân dân phường Thử 00: Tổ chức 7 buổi." in lines
    assert (
        "- Ủy ban nhân dân phường Thử 01 (nộp muộn): Số buổi: 2,5; Tỷ lệ tham gia: 61; "
        "Có số liệu: —; Có kế hoạch: Không; Tổng trống: —; Trung bình trống: —"
    ) in lines
    missing = "; ".join(f"Ủy ban nhân dân phường Thử {n:02d}" for n in range(5, 12))
    assert lines[-2:] == ["CÁC ĐƠN VỊ CHƯA BÁO CÁO", f"- {missing}."]
    assert "Phụ lục" not in body


def test_body_above_the_threshold_points_to_the_annex(twelve, office_user):
    detailed = services.aggregate_build(actor=office_user, request=twelve).body.splitlines()
    body = services.aggregate_build(actor=office_user, request=twelve, detail_units=11).body
    totals = detailed[
        detailed.index("KẾT QUẢ CÁC CHỈ TIÊU") : detailed.index("SỐ LIỆU TỪNG ĐƠN VỊ")
    ]
    first = "; ".join(f"Ủy ban nhân dân phường Thử {n:02d}" for n in range(5, 10))
    assert body.splitlines() == [
        detailed[0],
        "KẾT QUẢ THỰC HIỆN",
        "Nội dung báo cáo của từng đơn vị tại Phụ lục kèm theo.",
        "KIẾN NGHỊ",
        "Nội dung báo cáo của từng đơn vị tại Phụ lục kèm theo.",
        *totals,
        "SỐ LIỆU TỪNG ĐƠN VỊ",
        "Số liệu chi tiết của 5 đơn vị đã báo cáo tại Phụ lục kèm theo.",
        "CÁC ĐƠN VỊ CHƯA BÁO CÁO",
        f"- Còn 7 đơn vị chưa báo cáo, gồm: {first} và 2 đơn vị khác (xem Phụ lục).",
    ]
    assert detailed[0].endswith("5/12 đơn vị đã báo cáo, trong đó 1 đơn vị nộp muộn.")


def test_thousands_of_units_in_flat_queries_and_vietnamese_numbers(twelve, office_user, city):
    def build() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            body = services.aggregate_build(actor=office_user, request=twelve).body
        return body, len(queries)

    build()  # creates the report; the ones counted rebuild it
    body, small = build()
    assert "Phụ lục" not in body  # 12 units: under the threshold
    units = []
    for n in range(1200):
        unit = Unit(code=f"Q{n:04d}", name=f"Trường Thử {n:04d}", kind=UnitKind.SCHOOL)
        unit.parent = city.city
        _set_unit_derived(unit)
        units.append(unit)
    Unit.objects.bulk_create(units)
    ReportAssignment.objects.bulk_create(ReportAssignment(request=twelve, unit=u) for u in units)
    body, large = build()
    assert large == small  # as many queries for 1,212 units as for 12
    lines = body.splitlines()
    assert lines[-1] == (
        "- Còn 1.207 đơn vị chưa báo cáo, gồm: "
        + "; ".join(f"Trường Thử {n:04d}" for n in range(5))
        + " và 1.202 đơn vị khác (xem Phụ lục)."
    )
    assert "5/1.212 đơn vị đã báo cáo" in lines[0]


def test_page_links_the_annex_and_counts_the_missing(twelve, office_user, office_client):
    services.aggregate_build(actor=office_user, request=twelve)
    url = reverse("reporting:aggregate", args=[twelve.pk])
    page = office_client.get(url).content.decode()
    assert reverse("reporting:aggregate-annex", args=[twelve.pk]) in page
    assert "Phụ lục: số liệu từng đơn vị" in page
    assert "Chưa báo cáo (7)" in page
    assert "đơn vị khác" not in page


def test_annex_has_a_row_per_unit_with_status_figures_and_narratives(twelve, office_user):
    services.aggregate_build(actor=office_user, request=twelve)
    client = verified_client(office_user)
    response = client.get(reverse("reporting:aggregate-annex", args=[twelve.pk]))
    assert response.status_code == 200
    assert 'filename="phu-luc-bao-cao-tong-hop-' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Phụ lục"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Đơn vị",
        "Trạng thái",
        "Nộp muộn",
        "Số buổi (buổi)",
        "Tỷ lệ tham gia (%)",
        "Có số liệu",
        "Có kế hoạch",
        "Tổng trống (buổi)",
        "Trung bình trống",
        "Kết quả thực hiện",
        "Kiến nghị",
    )
    name = "Ủy ban nhân dân phường Thử {:02d}".format
    blank = (None,) * 9  # not late, no figures, no narratives
    assert rows[1:] == [
        (name(0), "Đã nộp", None, 7, 80.5, 3, "Có", None, None, "Tổ chức 7 buổi.", None),
        (
            name(1),
            "Đã nộp",
            "Có",
            2.5,
            61,
            None,
            "Không",
            None,
            None,
            None,
            "Đề nghị thêm kinh phí.",
        ),
        (name(2), "Đã nộp", None, 0.1, None, 0, "Có", None, None, INJECTION, None),
        (name(3), "Đã nộp", None, 0.2, None, None, None, None, None, "   ", None),
        (name(4), "Đã tiếp nhận", None, None, 75.25, None, "Có", None, None, None, None),
        *[(name(n), "Chưa nộp", *blank) for n in range(5, 12)],  # a draft is not reported
    ]
    assert sheet.cell(row=4, column=10).data_type == "s"  # text, never a live formula
    log = ActionLog.objects.get(action="core.exported")
    assert log.data["source"] == "reporting.aggregate_annex"
    assert log.data["rows"] == 12


def test_annex_is_refused_to_whoever_may_not_see_the_aggregated_report(
    twelve, office_user, make_user, city
):
    services.aggregate_build(actor=office_user, request=twelve)
    url = reverse("reporting:aggregate-annex", args=[twelve.pk])
    for role in (Role.UNIT_OFFICER, Role.UNIT_HEAD):
        user = make_user(role, city.suoi_hoa)
        assert verified_client(user).get(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.aggregate_annex_export(user, {"request": str(twelve.pk)})
    leader = make_user(Role.SIGNER, city.city)
    assert verified_client(leader).get(url).status_code == 403
    assert not ActionLog.objects.filter(action="core.exported").exists()


def test_annex_of_a_request_without_an_aggregated_report_is_not_found(twelve, office_client):
    url = reverse("reporting:aggregate-annex", args=[twelve.pk])
    assert office_client.get(url).status_code == 404
