"""The unit head's "Trả lại cán bộ" through the API, and the notes a report carries: the same
service as the web button, so the same permission (the unit's head), messages and log."""

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.api.models import TokenAccess
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.organizations.services import unit_role_grant
from thidua.reporting import services as reporting
from thidua.reporting.models import ReportAssignment, ReportStatus

pytestmark = pytest.mark.django_db

JSON = "application/json"
REASON = "Bổ sung số tin, bài tuyên truyền tháng 11."


@pytest.fixture
def waiting(world, city, officer):
    """Suối Hoa's report, drafted and sent to its head for approval."""
    a = ReportAssignment.objects.get(request=world["report_request"], unit=city.suoi_hoa)
    section = str(world["report_request"].template.sections.first().pk)
    reporting.report_draft_save(
        actor=officer, assignment=a, narratives={section: "Tổ chức 4 buổi tọa đàm."}, values={}
    )
    return reporting.report_send_for_approval(actor=officer, assignment=a)


def head_token(issue, unit):
    """A write token whose service user also holds the unit head's role in its unit (granted
    by an administrator): the role the service asks for."""
    token, api = issue(unit, access=TokenAccess.WRITE)
    unit_role_grant(actor=None, user=token.user, unit=unit, role=Role.UNIT_HEAD)
    return token, api


def test_an_officer_token_cannot_return_a_report_to_the_officer(city, issue, waiting):
    """Returning is the head's act, as in the web UI: an officer's write token is refused."""
    _, api = issue(city.suoi_hoa, access=TokenAccess.WRITE)
    before = ActionLog.objects.count()
    response = api.post(
        f"/api/v1/reports/{waiting.pk}/return-to-officer", {"note": REASON}, content_type=JSON
    )
    assert response.status_code == 403, response.content
    assert response.json() == {
        "code": "forbidden",
        "message": "Khóa API không có quyền với dữ liệu này.",
        "errors": [],
    }
    waiting.refresh_from_db()
    assert (waiting.status, waiting.head_note) == (ReportStatus.PENDING_APPROVAL, "")
    assert ActionLog.objects.count() == before


def test_the_heads_return_goes_through_the_web_service_and_shows_its_note(
    city, world, issue, waiting, officer
):
    token, api = head_token(issue, city.suoi_hoa)
    url = f"/api/v1/reports/{waiting.pk}/return-to-officer"

    empty = api.post(url, {"note": "   "}, content_type=JSON)
    assert empty.status_code == 422, empty.content
    assert empty.json()["message"] == "Cần ghi rõ nội dung cần sửa để cán bộ đầu mối biết."
    missing = api.post(url, {}, content_type=JSON)
    assert missing.status_code == 422
    assert missing.json()["errors"][0] == {
        "field": "note",
        "code": "missing",
        "message": "Thiếu trường bắt buộc.",
    }

    response = api.post(url, {"note": f"  {REASON}\n"}, content_type=JSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["head_note"], body["review_note"]) == ("pending", REASON, "")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.head_note) == (ReportStatus.PENDING, REASON)
    log = ActionLog.objects.get(action="reporting.report.returned_to_officer")
    assert (log.actor, log.data["note"]) == (token.user, REASON)
    assert Notice.objects.filter(user=officer, body=REASON).exists()
    assert api.get(f"/api/v1/reports/{waiting.pk}").json()["head_note"] == REASON
    page = verified_client(officer).get(reverse("reporting:report", args=[waiting.pk]))
    assert REASON in page.content.decode()

    # A repeat (a client's retry) changes nothing; another return of a report no longer
    # waiting for approval is refused with the service's message.
    again = api.post(url, {"note": REASON}, content_type=JSON)
    assert again.status_code == 200
    assert ActionLog.objects.filter(action="reporting.report.returned_to_officer").count() == 1
    other = api.post(url, {"note": "Sửa phần kiến nghị."}, content_type=JSON)
    assert other.status_code == 422
    assert other.json()["message"] == "Chỉ trả lại được báo cáo đang chờ thủ trưởng duyệt."


def test_a_head_token_of_another_ward_sees_no_such_report(city, issue, waiting):
    _, api = head_token(issue, city.vu_ninh)
    response = api.post(
        f"/api/v1/reports/{waiting.pk}/return-to-officer", {"note": REASON}, content_type=JSON
    )
    assert response.status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == ReportStatus.PENDING_APPROVAL


def test_reports_carry_noi_vus_return_note(city, world, issue, waiting, head, office_user):
    reporting.report_submit(actor=head, assignment=waiting)
    note = "Đề nghị bổ sung số liệu quý IV."
    reporting.report_return(actor=office_user, assignment=waiting, note=note)
    _, api = issue(city.suoi_hoa)
    listed = api.get(f"/api/v1/report-requests/{world['report_request'].pk}/reports").json()
    mine = next(r for r in listed["items"] if r["id"] == waiting.pk)
    assert (mine["status"], mine["review_note"], mine["head_note"]) == ("returned", note, "")
    draft = api.get(f"/api/v1/reports/{waiting.pk}").json()
    assert (draft["review_note"], draft["head_note"]) == (note, "")
