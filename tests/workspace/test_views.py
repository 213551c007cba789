from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_unit, verified_client
from tests.factories.reports import report_written
from thidua.accounts.models import Role
from thidua.awards import council, decisions
from thidua.awards import services as awards
from thidua.campaigns import services as campaigns
from thidua.organizations.models import UnitRole
from thidua.participation import services as participation
from thidua.reporting import services as reporting
from thidua.reporting.models import ReportAssignment

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
HOME = "/viec-can-lam/"


def section(response, key):
    return next(s for s in response.context["ws"].sections if s.key == key)


@pytest.fixture
def day():
    with time_machine.travel(datetime(2022, 12, 16, 9, tzinfo=HCM), tick=False):
        yield


def test_home_sends_signed_in_users_to_their_start_page(officer):
    response = verified_client(officer).get("/")
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_focal_officer_sees_plan_to_acknowledge_and_report_due(
    officer, report_request, campaign, day
):
    response = verified_client(officer).get(HOME)
    html = response.content.decode()
    assert "Việc cần làm" in html
    deliveries = section(response, "deliveries")
    assert deliveries.count == 1
    assert deliveries.items[0].text == campaign.title
    reports = section(response, "reports")
    assert reports.count == 1
    assert "Báo cáo thực hiện phong trào" in html
    assert "quá hạn 15/12/2022" in html  # due 15/12, today 16/12
    # acknowledged: the plan leaves the list
    campaigns.delivery_acknowledge(actor=officer, campaign=campaign)
    assert section(verified_client(officer).get(HOME), "deliveries").count == 0


def test_returned_report_comes_first_with_its_status(
    officer, head, office_user, report_request, city, day
):
    a = report_written(
        ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa), head
    )
    reporting.report_submit(actor=head, assignment=a)
    reporting.report_return(actor=office_user, assignment=a, note="Thiếu số liệu")
    response = verified_client(officer).get(HOME)
    item = section(response, "reports").items[0]
    assert item.status == "Bị trả lại"
    assert item.url == reverse("reporting:report", args=[a.pk])


def test_report_the_head_sent_back_comes_first_for_the_officer_with_its_status(
    officer, head, office_user, report_request, city, day
):
    a = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)
    earlier = reporting.request_create(
        actor=office_user,
        campaign=report_request.campaign,
        template=report_request.template,
        title="Báo cáo sơ kết",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 1),
    )
    reporting.report_send_for_approval(actor=officer, assignment=report_written(a, officer))
    reporting.report_return_to_officer(actor=head, assignment=a, note="Bổ sung số liệu")
    items = section(verified_client(officer).get(HOME), "reports").items
    assert [(i.url, i.status, i.status_tone) for i in items] == [
        (reverse("reporting:report", args=[a.pk]), "Thủ trưởng trả lại", "danger"),
        (
            reverse("reporting:report", args=[earlier.assignments.get().pk]),
            "Chưa nộp",
            "secondary",
        ),
    ]


def test_head_sees_report_and_registration_waiting_for_approval(
    officer, head, report_request, campaign, city, day
):
    a = report_written(
        ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa), officer
    )
    reporting.report_send_for_approval(actor=officer, assignment=a)
    reg = participation.registration_save(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        note="",
        commitments=[{"text": "Tổ chức một buổi tọa đàm", "target_value": 1}],
    )
    participation.registration_send_for_approval(actor=officer, registration=reg)
    response = verified_client(head).get(HOME)
    assert section(response, "reports").items[0].status == "Chờ thủ trưởng duyệt"
    registrations = section(response, "registrations")
    assert registrations.count == 1
    assert "Đăng ký thi đua của Ủy ban nhân dân phường Suối Hoa" in response.content.decode()
    # the focal officer has no approval section
    assert "registrations" not in {
        s.key for s in verified_client(officer).get(HOME).context["ws"].sections
    }


def test_other_ward_sees_nothing_of_suoi_hoa(make_user, report_request, city, day):
    other = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    ReportAssignment.objects.filter(request=report_request, unit=city.vu_ninh).delete()
    response = verified_client(other).get(HOME)
    assert section(response, "reports").count == 0
    assert "Suối Hoa" not in response.content.decode()


def test_office_sees_reports_to_receive_and_dossiers_to_appraise(
    officer, head, office_user, report_request, campaign, giay_khen, city, day
):
    a = report_written(
        ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa), head
    )
    reporting.report_submit(actor=head, assignment=a)
    n = awards.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    from tests.awards.test_services import complete
    from thidua.organizations.models import Person

    person = Person.objects.create(
        full_name="Vũ Thị Hạnh", gender="female", unit=city.suoi_hoa, category="public_employee"
    )
    complete(n, officer, [person])
    awards.nomination_submit(actor=head, nomination=n)
    awards.nomination_receive(actor=office_user, nomination=n)
    participation.difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="Thiếu ảnh", text="Cần ảnh"
    )
    response = verified_client(office_user).get(HOME)
    assert section(response, "review_reports").count == 1
    appraise = section(response, "appraise")
    assert appraise.count == 1
    assert appraise.items[0].due is not None  # the appraisal deadline
    assert section(response, "difficulties").items[0].text == "Thiếu ảnh"
    overview = response.context["ws"].overview
    assert overview[0]["campaign"] == campaign
    assert (overview[0]["received"], overview[0]["total"], overview[0]["late_units"]) == (1, 2, 1)
    assert overview[0]["in_pipeline"] == 1


def test_council_member_sees_the_session(office_user, board, eligible, day):
    body, members = board
    council.session_create(
        actor=office_user, council=body, title="Phiên xét khen cuối năm", held_on=date(2022, 12, 27)
    )
    response = verified_client(members[3].user).get(HOME)
    sessions = section(response, "sessions")
    assert sessions.count == 1
    assert sessions.items[0].text == "Phiên xét khen cuối năm"
    assert "họp ngày 27/12/2022" in response.content.decode()


def test_signer_sees_the_decision_to_sign(office_user, recommended, signer, campaign, day):
    from thidua.awards.selectors import recommended_nominees

    d = decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=recommended.award_type,
        nominees=list(recommended_nominees(campaign=campaign)),
    )
    assert section(verified_client(signer).get(HOME), "decisions").count == 0  # a draft
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    response = verified_client(signer).get(HOME)
    signing = section(response, "decisions")
    assert signing.count == 1
    assert signing.items[0].url == reverse("awards:decision-detail", args=[d.pk])
    assert response.context["ws"].overview[0]["in_pipeline"] == 1


def test_user_without_a_role_is_told_whom_to_ask(make_user):
    response = verified_client(make_user()).get(HOME)
    assert response.status_code == 200
    assert "chưa được giao vai trò" in response.content.decode()


def _reports(office_user, campaign, template, units):
    with time_machine.travel(datetime(2022, 11, 20, 9, tzinfo=HCM)):
        return reporting.request_create(
            actor=office_user,
            campaign=campaign,
            template=template,
            title="Báo cáo",
            units=units,
            due_date=date(2022, 12, 15),
        )


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_start_page_queries_flat(make_user, office_user, campaign, template, city):
    """Six report requests to one ward (more than a section shows), then eleven more to twelve
    wards: the same queries."""
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    signer = make_user(Role.SIGNER, city.city)
    for _ in range(6):
        _reports(office_user, campaign, template, [city.suoi_hoa])
    clients = [verified_client(u) for u in (head, office_user, signer)]
    for client in clients:
        client.get(HOME)  # warm the session
    before = [_queries(c) for c in clients]
    wards = [make_unit(f"P{i}", f"Phường {i}", "ward", city.city) for i in range(11)]
    for ward in wards:
        UnitRole.objects.create(user=head, unit=ward, role=Role.UNIT_HEAD)
    for _ in range(11):
        _reports(office_user, campaign, template, [city.suoi_hoa, *wards])
    assert [_queries(c) for c in clients] == before
    assert max(before) <= 25
    assert section(clients[0].get(HOME), "reports").count == 6 + 11 * 12
