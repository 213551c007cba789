import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.factories.reports import narrative
from tests.participation.test_services import register
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.notifications.services import digests_send_due
from thidua.participation import services as participation
from thidua.reporting import selectors, services
from thidua.reporting.models import Reminder, ReportAssignment, ReportStatus, ReportVersion

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def unit_users(make_user, unit):
    return make_user(Role.UNIT_OFFICER, unit), make_user(Role.UNIT_HEAD, unit)


def submit(a, officer, head, narratives, values):
    services.report_draft_save(actor=officer, assignment=a, narratives=narratives, values=values)
    services.report_send_for_approval(actor=officer, assignment=a)
    return services.report_submit(actor=head, assignment=a)


def test_draft_approve_submit_return_resubmit_keeps_versions(
    report_request, officer, head, office_user, city
):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    section = str(report_request.template.sections.first().pk)
    with time_machine.travel(datetime(2022, 12, 13, 10, tzinfo=HCM)):
        a = submit(a, officer, head, {section: "Tổ chức 4 hoạt động"}, {})
    assert (a.status, a.is_late) == (ReportStatus.SUBMITTED, False)
    with pytest.raises(PermissionDenied):
        services.report_return(actor=officer, assignment=a, note="x")
    a = services.report_return(actor=office_user, assignment=a, note="Bổ sung số liệu tin bài")
    assert a.status == ReportStatus.RETURNED
    with time_machine.travel(datetime(2022, 12, 16, 10, tzinfo=HCM)):
        a = submit(a, officer, head, {section: "Tổ chức 4 hoạt động, 12 tin bài"}, {})
    assert a.is_late
    assert [v.number for v in a.versions.all()] == [1, 2]
    assert a.versions.last().narratives[section].endswith("12 tin bài")
    a = services.report_accept(actor=office_user, assignment=a)
    actions = list(
        ActionLog.objects.filter(target_id=str(a.pk), action__startswith="reporting.report")
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == [
        "reporting.report.sent_for_approval",
        "reporting.report.submitted",
        "reporting.report.returned",
        "reporting.report.sent_for_approval",
        "reporting.report.submitted",
        "reporting.report.accepted",
    ]


def test_bad_number_in_draft_is_refused(report_request, officer, city):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    indicator = report_request.template.indicators.get(name="Số tin, bài")
    with pytest.raises(ValidationError):
        services.report_draft_save(
            actor=officer, assignment=a, narratives={}, values={str(indicator.pk): "mười"}
        )


def test_reminders_on_schedule_with_outbox_and_escalation(
    report_request, officer, make_user, city, django_capture_on_commit_callbacks
):
    signer = make_user(Role.SIGNER)
    sent = {}
    for day in [
        date(2022, 12, 8),
        date(2022, 12, 13),
        date(2022, 12, 14),
        date(2022, 12, 15),
        date(2022, 12, 19),
        date(2022, 12, 21),
    ]:
        with django_capture_on_commit_callbacks(execute=True):
            sent[day] = services.reminders_send_due(
                datetime.combine(day, datetime.min.time(), HCM).replace(hour=9)
            )
    assert sent == {
        date(2022, 12, 8): 2,
        date(2022, 12, 13): 2,
        date(2022, 12, 14): 2,
        date(2022, 12, 15): 2,
        date(2022, 12, 19): 2,
        date(2022, 12, 21): 2,
    }
    a = report_request.assignments.get(unit=city.suoi_hoa)
    assert a.reminders_sent == 6
    assert Notice.objects.filter(user=officer, title__startswith="Quá hạn báo cáo").count() == 2
    assert any("Nhắc hạn báo cáo" in m.subject for m in mail.outbox)
    assert (
        Reminder.objects.filter(kind="escalation").count() == 2
    )  # 21/12 is 4 working days late (≥ 3)
    # The leader gets one digest for the day listing both late units, not a notice each.
    assert Notice.objects.filter(user=signer).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due(datetime(2022, 12, 21, 10, 5, tzinfo=HCM)) == 1
    digest = Notice.objects.get(user=signer)
    assert digest.title == "Tổng hợp ngày 21/12/2022: Đơn vị chậm báo cáo (2)"
    assert city.suoi_hoa.name in digest.body
    assert city.vu_ninh.name in digest.body
    overdue = next(m for m in mail.outbox if m.subject.startswith("Quá hạn báo cáo"))
    assert "Hạn nộp: 15/12/2022 – đã quá hạn" in overdue.body
    assert "http://" in overdue.body  # the link (SITE_URL)
    # Running the job again at the same time sends nothing more.
    assert services.reminders_send_due(datetime(2022, 12, 21, 9, tzinfo=HCM)) == 0


def test_a_submission_counts_the_versions_once_and_logs_the_new_number(
    report_request, officer, head, office_user, city
):
    from django.test.utils import CaptureQueriesContext

    a = report_request.assignments.get(unit=city.suoi_hoa)
    submit(a, officer, head, narrative(a), {})
    services.report_return(actor=office_user, assignment=a, note="Bổ sung")
    services.report_send_for_approval(actor=officer, assignment=a)
    with CaptureQueriesContext(connection) as ctx:
        services.report_submit(actor=head, assignment=a)
    version = ReportVersion._meta.db_table
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if "COUNT(" in q["sql"].upper() and f'"{version}"' in q["sql"]
    ]
    assert len(counts) == 1  # the new version's number, reused for the log
    logged = ActionLog.objects.filter(action="reporting.report.submitted", target_id=str(a.pk))
    assert [log.data["version"] for log in logged.order_by("pk")] == [1, 2]
    assert [v.number for v in a.versions.all()] == [1, 2]


def test_submitted_units_are_not_reminded(report_request, officer, head, city):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    with time_machine.travel(datetime(2022, 12, 1, 10, tzinfo=HCM)):
        submit(a, officer, head, narrative(a), {})
    assert services.reminders_send_due(datetime(2022, 12, 8, 9, tzinfo=HCM)) == 1  # only Vũ Ninh


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_never_send_twice(campaign, template, office_user, city):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL in CI")
    with time_machine.travel(datetime(2022, 11, 20, 9, tzinfo=HCM)):
        request = services.request_create(
            actor=office_user,
            campaign=campaign,
            template=template,
            title="B",
            units=[city.suoi_hoa, city.vu_ninh, city.centre, city.noivu],
            due_date=date(2022, 12, 15),
        )
    # Phòng Nội vụ is the standing agency: it collects the reports and owes none (issue 20)
    assert request.assignments.count() == 3
    at = datetime(2022, 12, 8, 9, tzinfo=HCM)
    results: list[int] = []

    def run() -> None:
        results.append(services.reminders_send_due(at))
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 3
    assert Reminder.objects.filter(assignment__request=request).count() == 3
    assert all(a.reminders_sent == 1 for a in ReportAssignment.objects.filter(request=request))


def test_aggregate_sums_and_missing_units(
    report_request, campaign, officer, head, office_user, make_user, city
):
    register(campaign, officer, head, city.suoi_hoa)
    form = campaign.forms.first()
    for n in range(3):
        participation.activity_record(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            form=form,
            title=f"Hoạt động {n}",
            held_on=date(2022, 7, n + 1),
            participants=10,
        )
    news = str(report_request.template.indicators.get(name="Số tin, bài").pk)
    plan = str(report_request.template.indicators.get(name="Đã ban hành kế hoạch").pk)
    submit(
        report_request.assignments.get(unit=city.suoi_hoa),
        officer,
        head,
        {},
        {news: "7", plan: "true"},
    )
    vn_officer, vn_head = (
        make_user(Role.UNIT_OFFICER, city.vu_ninh),
        make_user(Role.UNIT_HEAD, city.vu_ninh),
    )
    centre = services.request_create(
        actor=office_user,
        campaign=campaign,
        template=report_request.template,
        title="X",
        units=[city.centre],
        due_date=date(2022, 12, 15),
    )
    submit(
        report_request.assignments.get(unit=city.vu_ninh),
        vn_officer,
        vn_head,
        {},
        {news: "5", plan: "false"},
    )
    figures = selectors.aggregate_figures(request=report_request)
    totals = {row["name"]: row["total"] for row in figures["indicators"]}
    assert totals == {"Số hoạt động": 3.0, "Số tin, bài": 12.0, "Đã ban hành kế hoạch": 50.0}
    assert figures["missing"] == []
    report = services.aggregate_build(actor=office_user, request=centre)
    assert "CÁC ĐƠN VỊ CHƯA BÁO CÁO" in report.body
    assert city.centre.name in report.body


def test_urging_letter_is_numbered_and_lists_late_units(report_request, office_user, city):
    letter = services.urging_letter_create(
        actor=office_user, request=report_request, issued_on=date(2022, 12, 16)
    )
    assert letter.issued_number.reference == "01/UBND-NV"
    assert set(letter.units.all()) == {city.suoi_hoa, city.vu_ninh}


def test_interim_request_moves_campaign_to_interim_review(campaign, template, office_user, city):
    services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Sơ kết",
        units=[city.suoi_hoa],
        kind="interim",
        due_working_days=10,
    )
    campaign.refresh_from_db()
    assert campaign.status == "running"  # not silently: only when asked
    services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Sơ kết",
        units=[city.suoi_hoa],
        kind="interim",
        due_working_days=10,
        advance_phase=True,
    )
    campaign.refresh_from_db()
    assert campaign.status == "interim_review"
    assert ActionLog.objects.filter(action="campaigns.campaign.interim_begun").count() == 1


def test_report_attachments_are_checked(report_request, officer, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.images import photo

    a = report_request.assignments.get(unit=city.suoi_hoa)
    assert services.report_attach(actor=officer, assignment=a, files=[photo("bao-cao.jpg")]) == 1
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with pytest.raises(ValidationError):
        services.report_attach(actor=officer, assignment=a, files=[fake])
    assert a.attachments.count() == 1


def test_aggregate_reads_values_and_texts_in_sql_and_its_queries_do_not_grow(
    report_request, office_user, city, django_assert_max_num_queries
):
    """The figures come from plain rows with each indicator's value and each section's text
    read out of the JSON in SQL (keys are ids, like "12", which Django would read as an array
    index): numbers, yes/no, a missing value and narratives all come out as stored, and the
    query count stays the same with more units."""
    from django.utils import timezone

    from tests.conftest import make_unit
    from thidua.organizations.models import UnitKind

    indicators = {i.name: str(i.pk) for i in report_request.template.indicators.all()}
    sections = [str(s.pk) for s in report_request.template.sections.all()]
    news, plan = indicators["Số tin, bài"], indicators["Đã ban hành kế hoạch"]
    values = {
        city.suoi_hoa: ({news: 7, plan: True}, {sections[0]: "Đã tổ chức 3 hội nghị."}),
        city.vu_ninh: ({news: 2.5}, {sections[1]: "Đề nghị bổ sung kinh phí."}),
    }
    for unit, (draft, texts) in values.items():
        ReportAssignment.objects.filter(request=report_request, unit=unit).update(
            status=ReportStatus.SUBMITTED,
            submitted_at=timezone.now(),
            draft_values=draft,
            draft_narratives=texts,
        )

    def figures() -> dict:
        with django_assert_max_num_queries(6):
            return selectors.aggregate_figures(request=report_request)

    first = figures()
    assert list(indicators) == ["Số hoạt động", "Số tin, bài", "Đã ban hành kế hoạch"]
    rows = {row["unit"].name: row["values"] for row in first["per_unit"]}
    assert rows == {city.suoi_hoa.name: [None, 7, True], city.vu_ninh.name: [None, 2.5, None]}
    totals = {row["name"]: row["total"] for row in first["indicators"]}
    assert totals["Số tin, bài"] == 9.5
    texts = {s["title"]: [(e["unit"], e["text"]) for e in s["entries"]] for s in first["sections"]}
    assert texts["Kết quả thực hiện"] == [(city.suoi_hoa.name, "Đã tổ chức 3 hội nghị.")]
    assert texts["Kiến nghị"] == [(city.vu_ninh.name, "Đề nghị bổ sung kinh phí.")]
    report = services.aggregate_build(actor=office_user, request=report_request)
    assert f"- {city.vu_ninh.name}: Đề nghị bổ sung kinh phí." in report.body
    assert f"- {city.suoi_hoa.name}: Số hoạt động: —; Số tin, bài: 7; Đã ban hành kế hoạch: Có" in (
        report.body
    )

    for n in range(5):  # more units reported: the same queries
        unit = make_unit(f"X{n}", f"Phường thử {n}", UnitKind.WARD, city.city)
        ReportAssignment.objects.create(
            request=report_request,
            unit=unit,
            status=ReportStatus.SUBMITTED,
            submitted_at=timezone.now(),
            draft_values={news: n},
        )
    assert len(figures()["per_unit"]) == 7
