"""The aggregated report at scale (issue #22): indicator totals computed by SQL aggregates over
the JSON values (the same as the Python computation they replace), a body with a line per unit
only up to the threshold and pointing to the annex above it, and the annex itself (Phụ lục:
số liệu từng đơn vị), an XLSX for whoever may see the aggregated report."""

from datetime import date
from io import BytesIO
from statistics import mean

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
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
    """The computation the SQL aggregates replace, over model instances, printed the same way:
    no total when no unit that reported filled the indicator; a yes/no share of the units that
    answered it."""
    assignments = list(request.assignments.all())
    reported = [a for a in assignments if a.status in {"submitted", "accepted"}]
    asked = len(assignments)
    result = {}
    for ind in request.template.indicators.all():
        present = [v for a in reported if (v := a.draft_values.get(str(ind.pk))) is not None]
        count, of = len(present), asked
        if not present:
            total = None
        elif ind.aggregation == Indicator.Aggregation.SUM:
            total = float(sum(present))
        elif ind.aggregation == Indicator.Aggregation.AVERAGE:
            total = float(mean(present))
        elif ind.aggregation == Indicator.Aggregation.COUNT:
            total = float(count)
        else:
            count, of = sum(1 for v in present if v is True), len(present)
            total = 100 * count / of
        result[ind.name] = (total, selectors._display(total, ind, (count, of)))
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
        # Of the four units that answered: one report without the key said neither, and the
        # seven not reported (one with a draft "Có") are not a "Không".
        "Có kế hoạch": "3/4 đơn vị trả lời (75%)",
        # Filled by no unit that reported: no figures, not "0 buổi" (nor "—").
        "Tổng trống": "chưa có số liệu",
        "Trung bình trống": "chưa có số liệu",
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


# --- The annex as issued: frozen with the report ---------------------------------------------


def annex_rows(client, request) -> list[tuple]:
    response = client.get(reverse("reporting:aggregate-annex", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        f'filename="phu-luc-bao-cao-tong-hop-{request.pk}.xlsx"'
        in (response["Content-Disposition"])
    )
    return list(
        load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )


def live_annex_rows(actor, request) -> list[tuple]:
    """The annex as the export source builds it now (what a report not yet issued shows)."""
    from thidua.core.excel import stream_workbook

    export = services.aggregate_annex_export(actor, {"request": str(request.pk)})
    with stream_workbook(export.columns, export.rows, export.sheet_name) as handle:
        return list(load_workbook(handle).active.iter_rows(values_only=True))


def rewrite(request, ward_number, values, *, office_user, make_user, returned=False):
    """A ward's report changed the way units change it: returned by Nội vụ when it had been
    submitted, redrafted by the focal officer, sent and submitted again by the head."""
    a = request.assignments.get(unit__code=f"PW{ward_number:02d}")
    officer, head = make_user(Role.UNIT_OFFICER, a.unit), make_user(Role.UNIT_HEAD, a.unit)
    if returned:
        a = services.report_return(actor=office_user, assignment=a, note="Sửa số liệu")
    services.report_draft_save(actor=officer, assignment=a, narratives={}, values=values)
    services.report_send_for_approval(actor=officer, assignment=a)
    return services.report_submit(actor=head, assignment=a)


def test_the_issued_annex_keeps_the_rows_of_the_day_of_issue(twelve, office_user, make_user, city):
    client = verified_client(office_user)
    services.aggregate_build(actor=office_user, request=twelve)
    buoi = str(twelve.template.indicators.get(name="Số buổi").pk)
    before = annex_rows(client, twelve)
    # Before issue the annex is live: a unit that submits shows at once.
    rewrite(twelve, 6, {buoi: 5}, office_user=office_user, make_user=make_user)
    at_issue = annex_rows(client, twelve)
    assert at_issue[7][:4] == ("Ủy ban nhân dân phường Thử 06", "Đã nộp", "Có", 5)
    assert at_issue != before
    # The body was built before that report: issuing now would pair it with an annex that has
    # it, so the issue waits for a rebuild.
    with pytest.raises(ValidationError, match="Có 1 báo cáo được nộp hoặc bị trả lại sau khi lập"):
        services.aggregate_issue(
            actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
        )
    services.aggregate_build(actor=office_user, request=twelve)
    report = services.aggregate_issue(
        actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
    )
    assert report.annex.name.startswith("reports/annex/")
    assert report.annex_rows == 12
    issued_log = ActionLog.objects.get(action="reporting.aggregate.issued")
    assert issued_log.data["annex_rows"] == 12
    # After issue the units' reports change, through the services …
    rewrite(twelve, 0, {buoi: 70}, office_user=office_user, make_user=make_user, returned=True)
    services.report_return(
        actor=office_user,
        assignment=twelve.assignments.get(unit__code="PW01"),
        note="Bổ sung",
    )
    rewrite(twelve, 7, {buoi: 9}, office_user=office_user, make_user=make_user)
    # … the live annex follows them …
    live = live_annex_rows(office_user, twelve)
    assert live[1][:4] == ("Ủy ban nhân dân phường Thử 00", "Đã nộp", "Có", 70)
    assert live[2][:2] == ("Ủy ban nhân dân phường Thử 01", "Bị trả lại")
    assert live[2][3:] == (None,) * 8  # returned: no longer reported
    assert live[8][:4] == ("Ủy ban nhân dân phường Thử 07", "Đã nộp", "Có", 9)
    # … and the issued one does not: the same rows as on the day of issue, every time.
    assert annex_rows(client, twelve) == at_issue
    assert annex_rows(client, twelve) == at_issue
    assert at_issue[1][:4] == ("Ủy ban nhân dân phường Thử 00", "Đã nộp", None, 7)
    assert at_issue[2][:7] == (
        "Ủy ban nhân dân phường Thử 01",
        "Đã nộp",
        "Có",
        2.5,
        61,
        None,
        "Không",
    )
    assert at_issue[8][:2] == ("Ủy ban nhân dân phường Thử 07", "Chưa nộp")
    # Logged as every export is: the two live reads before issue and the two issued ones.
    logs = list(ActionLog.objects.filter(action="core.exported").order_by("pk"))
    assert [log.data["source"] for log in logs] == ["reporting.aggregate_annex"] * 4
    assert [log.data["rows"] for log in logs] == [12] * 4
    assert [log.data.get("issued", False) for log in logs] == [False, False, True, True]
    assert all(log.actor_id == office_user.pk for log in logs)


def test_the_issued_annex_is_served_as_a_private_file_and_named_on_the_page(
    twelve, office_user, office_client
):
    services.aggregate_build(actor=office_user, request=twelve)
    page = reverse("reporting:aggregate", args=[twelve.pk])
    assert "bản lập khi ban hành" not in office_client.get(page).content.decode()
    services.aggregate_issue(
        actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
    )
    assert "Phụ lục tải về là bản lập khi ban hành." in office_client.get(page).content.decode()
    response = office_client.get(reverse("reporting:aggregate-annex", args=[twelve.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet.title == "Phụ lục"
    assert sheet.cell(row=4, column=10).value == INJECTION
    assert sheet.cell(row=4, column=10).data_type == "s"  # still text, never a live formula


def test_the_issued_annex_is_refused_to_whoever_may_not_see_the_aggregated_report(
    twelve, office_user, make_user, city
):
    services.aggregate_build(actor=office_user, request=twelve)
    report = services.aggregate_issue(
        actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
    )
    url = reverse("reporting:aggregate-annex", args=[twelve.pk])
    users = [make_user(role, city.suoi_hoa) for role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)]
    for user in [*users, make_user(Role.SIGNER, city.city)]:
        assert verified_client(user).get(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.aggregate_annex_issued(actor=user, report=report)
    assert not ActionLog.objects.filter(action="core.exported").exists()


def test_issuing_again_keeps_the_annex_and_a_failed_issue_leaves_none(
    twelve, office_user, city, give_signing_key, monkeypatch, settings
):
    services.aggregate_build(actor=office_user, request=twelve)
    give_signing_key(unit=city.city)
    monkeypatch.setenv("THIDUA_TEST_P12_PASS", "sai-mat-khau")  # signing fails: nothing issued
    with pytest.raises(ValidationError):
        services.aggregate_issue(
            actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
        )
    annexes = settings.MEDIA_ROOT / "reports" / "annex"
    assert not [p for p in annexes.rglob("*") if p.is_file()]
    twelve.aggregate.refresh_from_db()
    assert (twelve.aggregate.issued_number_id, twelve.aggregate.annex.name) == (None, "")
    monkeypatch.setenv("THIDUA_TEST_P12_PASS", "mat-khau-thu")
    first = services.aggregate_issue(
        actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
    )
    again = services.aggregate_issue(
        actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 21)
    )
    assert again.annex.name == first.annex.name
    assert len([p for p in annexes.rglob("*") if p.is_file()]) == 1


def test_an_issued_report_without_a_stored_annex_falls_back_to_the_live_one(twelve, office_user):
    """Reports issued before annexes were kept have none: their annex is built live."""
    from thidua.reporting.models import AggregatedReport

    services.aggregate_build(actor=office_user, request=twelve)
    services.aggregate_issue(
        actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
    )
    AggregatedReport.objects.filter(request=twelve).update(annex="", annex_rows=None)
    rows = annex_rows(verified_client(office_user), twelve)
    assert rows == live_annex_rows(office_user, twelve)
    assert "issued" not in ActionLog.objects.get(action="core.exported").data


# --- The totals workbook ("Excel"), streamed ---------------------------------------------------


def in_memory_totals_workbook(request) -> bytes:
    """The workbook as the page built it before it was streamed: every unit in memory."""
    from thidua.core.excel import Column, write_workbook

    figures = selectors.aggregate_figures(request=request, detail_units=None)
    columns = [Column("Đơn vị", "unit", width=45), Column("Nộp muộn", "late", width=10)] + [
        Column(
            f"{row['name']} ({row['indicator'].unit_of_measure})"
            if row["indicator"].unit_of_measure
            else row["name"],
            f"i{n}",
            width=18,
        )
        for n, row in enumerate(figures["indicators"])
    ]
    rows = [[r["unit"].name, "Có" if r["late"] else "", *r["values"]] for r in figures["per_unit"]]
    totals = [row["total"] for row in figures["indicators"]]
    rows.append(["Tổng hợp", "", *["Chưa có số liệu" if t is None else t for t in totals]])
    rows += [[u.name, "Chưa báo cáo"] for u in figures["missing"]]
    return write_workbook(columns, rows, sheet_name="Tổng hợp")


def test_the_totals_workbook_is_streamed_with_the_rows_it_had(twelve, office_user, city):
    services.aggregate_build(actor=office_user, request=twelve)
    response = verified_client(office_user).get(
        reverse("reporting:aggregate-download", args=[twelve.pk, "xlsx"])
    )
    assert response.streaming
    assert f'filename="bao-cao-tong-hop-{twelve.pk}.xlsx"' in response["Content-Disposition"]
    streamed = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    expected = load_workbook(BytesIO(in_memory_totals_workbook(twelve))).active
    assert streamed.title == expected.title == "Tổng hợp"
    got = list(streamed.iter_rows(values_only=True))
    assert got == list(expected.iter_rows(values_only=True))
    assert got[1][:4] == ("Ủy ban nhân dân phường Thử 00", None, 7, 80.5)
    assert got[6][:2] == ("Tổng hợp", None)
    assert got[6][2:] == (
        pytest.approx(9.8),
        pytest.approx(72.25),
        2,
        75,  # of the four units that answered
        "Chưa có số liệu",  # no unit filled it: not an empty cell that reads as 0
        "Chưa có số liệu",
    )
    assert got[7:] == [
        (f"Ủy ban nhân dân phường Thử {n:02d}", "Chưa báo cáo", *(None,) * 6) for n in range(5, 12)
    ]
    widths = [streamed.column_dimensions[c].width for c in "ABC"]
    assert widths == [expected.column_dimensions[c].width for c in "ABC"]


def test_the_page_warns_of_reports_submitted_after_the_build(
    twelve, office_user, office_client, make_user
):
    services.aggregate_build(actor=office_user, request=twelve)
    page = reverse("reporting:aggregate", args=[twelve.pk])
    assert 'id="aggregate-stale"' not in office_client.get(page).content.decode()
    buoi = str(twelve.template.indicators.get(name="Số buổi").pk)
    rewrite(twelve, 6, {buoi: 5}, office_user=office_user, make_user=make_user)
    rewrite(twelve, 7, {buoi: 3}, office_user=office_user, make_user=make_user)
    html = office_client.get(page).content.decode()
    assert "2 báo cáo được nộp hoặc bị trả lại sau lần lập lúc" in html
    assert reverse("reporting:request-aggregate", args=[twelve.pk]) in html
    services.aggregate_build(actor=office_user, request=twelve)
    assert 'id="aggregate-stale"' not in office_client.get(page).content.decode()


def test_a_report_returned_after_the_build_also_waits_for_a_rebuild(twelve, office_user):
    """The body counted it as reported; the annex taken now would show it returned."""
    services.aggregate_build(actor=office_user, request=twelve)
    submitted = twelve.assignments.filter(status=ReportStatus.SUBMITTED).first()
    services.report_return(actor=office_user, assignment=submitted, note="Bổ sung số liệu")
    assert selectors.reports_since_build(twelve.aggregate) == 1
    with pytest.raises(ValidationError, match="Có 1 báo cáo được nộp hoặc bị trả lại"):
        services.aggregate_issue(
            actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
        )
    services.aggregate_build(actor=office_user, request=twelve)
    twelve.aggregate.refresh_from_db()
    assert selectors.reports_since_build(twelve.aggregate) == 0
    report = services.aggregate_issue(
        actor=office_user, report=twelve.aggregate, issued_on=date(2022, 12, 20)
    )
    assert report.issued_number_id is not None


def test_figures_print_with_vietnamese_decimals():
    from thidua.reporting.models import Indicator

    assert [selectors.figure_text(v) for v in ("1250.5", 1234567.891, 100, None, True)] == [
        "1.250,5", "1.234.567,89", "100", "—", "Có"
    ]  # fmt: skip
    people = Indicator(aggregation=Indicator.Aggregation.SUM, unit_of_measure="người")
    assert selectors._display(12500.75, people) == "12.500,75 người"
    share = Indicator(aggregation=Indicator.Aggregation.AVERAGE, unit_of_measure="")
    assert selectors._display(87.5, share) == "87,5"
