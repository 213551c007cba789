from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import verified_client
from tests.factories.cards import phone_cards
from tests.factories.reports import report_written
from thidua.accounts.models import Role
from thidua.reporting import services
from thidua.reporting.models import ReportAssignment, ReportRequest

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_autosave_then_send_approve_return_resubmit_over_http(
    report_request,
    officer,
    head,
    office_client,
    city,
):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    section = report_request.template.sections.first()
    officer_client, head_client = verified_client(officer), verified_client(head)
    saved = officer_client.post(
        reverse("reporting:report-autosave", args=[a.pk]),
        {f"section-{section.pk}": "Đã tổ chức 4 buổi tọa đàm"},
        HTTP_HX_REQUEST="true",
    )
    assert "Đã tự động lưu" in saved.content.decode()
    page = officer_client.get(reverse("reporting:report", args=[a.pk])).content.decode()
    assert "Đã tổ chức 4 buổi tọa đàm" in page  # the draft survives a reload
    officer_client.post(reverse("reporting:report-send", args=[a.pk]))
    head_client.post(reverse("reporting:report-submit", args=[a.pk]))
    office_client.post(reverse("reporting:report-return", args=[a.pk]), {"note": "Bổ sung số liệu"})
    a.refresh_from_db()
    assert a.status == "returned"
    officer_client.post(
        reverse("reporting:report-autosave", args=[a.pk]),
        {f"section-{section.pk}": "Đã tổ chức 4 buổi tọa đàm\n12 tin bài"},
    )
    head_client.post(reverse("reporting:report-submit", args=[a.pk]))
    compare = office_client.get(reverse("reporting:report-compare", args=[a.pk])).content.decode()
    assert "+ 12 tin bài" in compare


def test_request_detail_dashboard_and_my_reports_query_counts_are_flat(
    campaign,
    template,
    office_user,
    office_client,
    officer,
    make_user,
    city,
):
    one = services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="A",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    urls = [
        reverse("reporting:request-detail", args=[one.pk]),
        reverse("reporting:dashboard", args=[campaign.pk]),
    ]
    before = [queries(office_client, u) for u in urls]
    mine_before = queries(verified_client(officer), reverse("reporting:my-reports"))
    services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="B",
        units=[city.suoi_hoa, city.vu_ninh, city.centre],
        due_date=date(2022, 12, 20),
    )
    ReportAssignment.objects.bulk_create(
        ReportAssignment(request=one, unit=u) for u in [city.vu_ninh, city.centre]
    )
    assert [queries(office_client, u) for u in urls] == before
    assert queries(verified_client(officer), reverse("reporting:my-reports")) == mine_before


def test_aggregate_and_urging_letter_documents_open(report_request, office_user, office_client):
    services.aggregate_build(actor=office_user, request=report_request)
    letter = services.urging_letter_create(
        actor=office_user, request=report_request, issued_on=date(2022, 12, 16)
    )
    pdf = office_client.get(reverse("reporting:urging-download", args=[letter.pk, "pdf"])).content
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "Số: 01/UBND-NV" in text
    assert "Phường Suối Hoa" in text or "phường Suối Hoa" in text
    assert "ỦY BAN NHÂN DÂN" in text.split("CỘNG HÒA")[0]  # the issuer in full (Decree 30)
    assert "UBND" not in text.split("CỘNG HÒA")[0]
    docx = office_client.get(
        reverse("reporting:aggregate-download", args=[report_request.pk, "docx"])
    ).content
    assert "BÁO CÁO" in "\n".join(p.text for p in Document(BytesIO(docx)).paragraphs)
    xlsx = office_client.get(
        reverse("reporting:aggregate-download", args=[report_request.pk, "xlsx"])
    ).getvalue()  # streamed
    rows = list(load_workbook(BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert ("Ủy ban nhân dân phường Suối Hoa", "Chưa báo cáo") in [r[:2] for r in rows]


def test_unit_sees_its_deadlines(report_request, make_user, city):
    client = verified_client(make_user(Role.UNIT_OFFICER, city.vu_ninh))
    page = client.get(reverse("reporting:my-reports")).content.decode()
    assert "Báo cáo thực hiện phong trào" in page
    assert "15/12/2022" in page


def test_aggregate_builds_in_the_background_and_the_page_follows_it(
    report_request, office_user, office_client, make_user, django_capture_on_commit_callbacks
):
    from thidua.core.models import ActionLog, Job
    from thidua.reporting.models import AggregatedReport

    url = reverse("reporting:request-detail", args=[report_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(
            reverse("reporting:request-aggregate", args=[report_request.pk])
        )
    job = Job.objects.get(kind=services.AGGREGATE_JOB)
    assert response["Location"] == f"{url}?tac-vu={job.pk}"
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 3, 3)
    report = AggregatedReport.objects.get(request=report_request)
    assert "đơn vị đã báo cáo" in report.body
    page = office_client.get(response["Location"]).content.decode()
    assert "Đã xong 3/3." in page
    assert reverse("reporting:aggregate", args=[report_request.pk]) in page
    assert set(ActionLog.objects.values_list("action", flat=True)) >= {
        "reporting.aggregate.build_started",
        "reporting.aggregate.built",
    }
    # Another officer's page does not show, or poll, someone else's job.
    other = verified_client(make_user(Role.EMULATION_OFFICE, username="khac"))
    assert "Đã xong" not in other.get(response["Location"]).content.decode()
    assert other.get(reverse("core:job", args=[job.pk])).status_code == 403


def test_an_aggregate_job_of_someone_who_lost_the_right_fails(
    report_request, officer, django_capture_on_commit_callbacks
):
    from thidua.core import jobs
    from thidua.core.models import Job

    job = Job.objects.create(
        kind=services.AGGREGATE_JOB,
        total=3,
        params={"request": report_request.pk},
        created_by=officer,
    )
    assert jobs.job_run(job.pk).status == Job.Status.FAILED


def test_version_comparison_shows_changed_figures(
    report_request, officer, head, office_client, city
):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    news = report_request.template.indicators.get(name="Số tin, bài")
    plan = report_request.template.indicators.get(name="Đã ban hành kế hoạch")
    officer_client, head_client = verified_client(officer), verified_client(head)
    autosave = reverse("reporting:report-autosave", args=[a.pk])
    officer_client.post(autosave, {f"indicator-{news.pk}": "250", f"indicator-{plan.pk}": "1"})
    head_client.post(reverse("reporting:report-submit", args=[a.pk]))
    office_client.post(reverse("reporting:report-return", args=[a.pk]), {"note": "Kiểm tra số tin"})
    officer_client.post(autosave, {f"indicator-{news.pk}": "1312", f"indicator-{plan.pk}": "1"})
    head_client.post(reverse("reporting:report-submit", args=[a.pk]))
    response = office_client.get(reverse("reporting:report-compare", args=[a.pk]))
    figures = {f["name"]: f for f in response.context["figures"]}
    assert figures["Số tin, bài"]["changed"]
    assert not figures["Đã ban hành kế hoạch"]["changed"]
    html = response.content.decode()
    assert "250 → 1.312" in html
    assert "không đổi" in html


def test_a_figure_typed_with_thousands_dots_is_saved_and_shown_as_typed(
    report_request, officer, city
):
    """ "12.500" is twelve thousand five hundred to a Vietnamese user, and the field shows it back
    that way (never "12500,0"), so an untouched field saves the same number again."""
    a = report_request.assignments.get(unit=city.suoi_hoa)
    indicator = report_request.template.indicators.filter(source="manual", is_yes_no=False).first()
    client = verified_client(officer)
    autosave = reverse("reporting:report-autosave", args=[a.pk])
    client.post(autosave, {f"indicator-{indicator.pk}": "12.500"}, HTTP_HX_REQUEST="true")
    a.refresh_from_db()
    assert a.draft_values[str(indicator.pk)] == 12500
    page = client.get(reverse("reporting:report", args=[a.pk])).content.decode()
    assert f'name="indicator-{indicator.pk}" value="12.500"' in page
    client.post(autosave, {f"indicator-{indicator.pk}": "1.234,75"}, HTTP_HX_REQUEST="true")
    a.refresh_from_db()
    assert a.draft_values[str(indicator.pk)] == 1234.75
    page = client.get(reverse("reporting:report", args=[a.pk])).content.decode()
    assert f'name="indicator-{indicator.pk}" value="1.234,75"' in page


def test_numbers_sent_as_numbers_are_kept_and_an_overflow_is_refused(report_request, officer, city):
    """An integration (the API, an imported sheet) sends numbers: 1.234 stays 1.234, never read
    as "1.234" typed with a thousands dot; 1e400 is not a figure."""
    from django.core.exceptions import ValidationError

    a = report_request.assignments.get(unit=city.suoi_hoa)
    indicator = report_request.template.indicators.filter(source="manual", is_yes_no=False).first()
    key = str(indicator.pk)
    a = services.report_draft_save(actor=officer, assignment=a, narratives={}, values={key: 1.234})
    assert a.draft_values[key] == 1.234
    with pytest.raises(ValidationError):
        services.report_draft_save(
            actor=officer, assignment=a, narratives={}, values={key: "1e400"}
        )


def test_dashboard_counts_registrations_against_the_units_carrying_the_plan_out(
    campaign, office_client, city
):
    """A body the plan is sent to "để báo cáo" does not register: the dashboard's "đơn vị đã
    đăng ký" counts out of the same units as the registration board."""
    from thidua.campaigns.models import Delivery, RecipientRole

    Delivery.objects.filter(campaign=campaign, unit=city.vu_ninh).update(role=RecipientRole.REPORT)
    implementing = Delivery.objects.filter(campaign=campaign, role=RecipientRole.IMPLEMENT).count()
    board = office_client.get(reverse("participation:registration-list", args=[campaign.pk]))
    assert f"Đăng ký thi đua: 0/{implementing} đơn vị" in board.content.decode()
    dashboard = office_client.get(reverse("reporting:dashboard", args=[campaign.pk]))
    assert f"0/{implementing}</a>" in dashboard.content.decode()


def test_request_form_names_the_empty_block_in_words(campaign, office_client):
    page = office_client.get(reverse("reporting:request-create", args=[campaign.pk]))
    assert "— Chọn khối (khi gửi tới một khối) —" in page.content.decode()
    assert "---------" not in page.content.decode()


def test_request_detail_lists_the_units_as_cards_on_a_phone(report_request, office_client):
    """A request to some forty units stayed a five-column table on a phone: each unit is a card
    titled with its name, its status and counts labelled."""
    page = office_client.get(reverse("reporting:request-detail", args=[report_request.pk]))
    cards = phone_cards(page.content.decode(), "assignments")
    assert sorted(c[""] for c in cards) == [
        "Ủy ban nhân dân phường Suối Hoa",
        "Ủy ban nhân dân phường Vũ Ninh",
    ]
    assert {tuple(sorted(c)) for c in cards} == {
        ("", "Lần nộp", "Nộp lúc", "Trạng thái", "Đã nhắc")
    }
    # Due on 15/12/2022, long past: still owed, so marked late as the late filter counts it.
    assert {c["Trạng thái"] for c in cards} == {"Chưa nộp Quá hạn"}


def test_reports_page_finds_a_unit_and_pages_a_long_list(report_request, office_client, city):
    """Phòng Nội vụ's "Báo cáo" lists every unit's report of every request: a year of requests to
    a city's units is hundreds of rows, so it pages and finds a unit by name without accents."""
    url = reverse("reporting:my-reports")
    page = office_client.get(url, {"q": "vu ninh"}).content.decode()
    assert "Vũ Ninh" in page
    assert "Suối Hoa" not in page
    page = office_client.get(url, {"q": "Đại Phúc"}).content.decode()
    assert "Không có báo cáo nào khớp điều kiện lọc." in page
    for n in range(25):  # 26 requests to two units: 52 reports
        copy = ReportRequest.objects.get(pk=report_request.pk)
        copy.pk, copy.title = None, f"Báo cáo tháng {n + 1}"
        copy.save()
        ReportAssignment.objects.bulk_create(
            ReportAssignment(request=copy, unit=u) for u in (city.suoi_hoa, city.vu_ninh)
        )
    page = office_client.get(url).content.decode()
    assert page.count('data-label="Hạn nộp"') == 50
    assert "Trang 1/2 · 52 báo cáo" in page
    assert office_client.get(url, {"trang": 2}).content.decode().count('data-label="Hạn nộp"') == 2


def test_reports_page_offers_the_figures_import_only_to_the_units_own_staff(
    report_request, office_client, officer
):
    """Phòng Nội vụ sees every unit's draft but drafts none: a link to enter a unit's figures
    from Excel would only lead it to "Bạn không có quyền"."""
    link = reverse("reporting:indicator-import", args=[report_request.pk])
    assert link not in office_client.get(reverse("reporting:my-reports")).content.decode()
    page = verified_client(officer).get(reverse("reporting:my-reports")).content.decode()
    assert link in page
    assert verified_client(officer).get(link).status_code == 200
    assert office_client.get(link).status_code == 403


def test_request_page_finds_the_reports_waiting_for_acceptance(
    report_request, officer, head, office_client, city
):
    """A request to a city's units is dozens of rows (cards on a phone): the officer picks
    "Đã nộp (1)" to find the one report waiting for acceptance, or a unit by name."""
    a = report_written(report_request.assignments.get(unit=city.suoi_hoa), officer)
    verified_client(officer).post(reverse("reporting:report-send", args=[a.pk]))
    verified_client(head).post(reverse("reporting:report-submit", args=[a.pk]))
    url = reverse("reporting:request-detail", args=[report_request.pk])
    page = office_client.get(url).content.decode()
    assert '<option value="submitted">Đã nộp (1)</option>' in page
    assert '<option value="pending">Chưa nộp (1)</option>' in page
    page = office_client.get(url, {"trang-thai": "submitted"}).content.decode()
    assert "Suối Hoa" in page
    assert "phường Vũ Ninh" not in page
    page = office_client.get(url, {"q": "vu ninh"}).content.decode()
    assert "phường Vũ Ninh" in page
    assert "phường Suối Hoa" not in page
    page = office_client.get(url, {"q": "Đại Phúc"}).content.decode()
    assert "Không có đơn vị nào khớp điều kiện lọc." in page


def test_the_campaigns_tabs_offer_theo_doi_only_to_those_who_may_open_it(
    campaign, officer, head, office_user
):
    """A unit's staff were shown the campaign's "Theo dõi" tab, the reports dashboard of the
    city-wide roles, which answered them 403."""
    dashboard = reverse("reporting:dashboard", args=[campaign.pk])
    for user, allowed in ((officer, False), (head, False), (office_user, True)):
        client = verified_client(user)
        tabs = client.get(reverse("campaigns:campaign-detail", args=[campaign.pk])).content
        assert (f'href="{dashboard}"' in tabs.decode()) is allowed
        assert (client.get(dashboard).status_code == 200) is allowed
