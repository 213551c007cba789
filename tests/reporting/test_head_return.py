"""The unit head sends a report waiting for approval back to the focal officer, with a reason."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.reporting import selectors, services
from thidua.reporting.models import ReportStatus

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
REASON = "Bổ sung số tin, bài tuyên truyền tháng 11; sửa phần kiến nghị."


def drafted_and_sent(report_request, officer, city):
    """Suối Hoa's report with a section, a figure, a yes/no answer and a photo, sent to the
    head: what the officer entered, to compare after the return."""
    a = report_request.assignments.get(unit=city.suoi_hoa)
    template = report_request.template
    section = str(template.sections.first().pk)
    news = str(template.indicators.get(name="Số tin, bài").pk)
    plan = str(template.indicators.get(name="Đã ban hành kế hoạch").pk)
    services.report_draft_save(
        actor=officer,
        assignment=a,
        narratives={section: "Tổ chức 4 buổi tọa đàm, 620 người tham gia."},
        values={news: "12", plan: "true"},
    )
    services.report_attach(actor=officer, assignment=a, files=[photo("toa-dam.jpg")])
    a = services.report_send_for_approval(actor=officer, assignment=a)
    assert a.status == ReportStatus.PENDING_APPROVAL
    return a, section, news, plan


def test_head_returns_with_a_reason_officer_sees_it_keeps_everything_and_sends_again(
    report_request, officer, head, city
):
    a, section, news, plan = drafted_and_sent(report_request, officer, city)
    narratives, values = dict(a.draft_narratives), dict(a.draft_values)
    head_client, officer_client = verified_client(head), verified_client(officer)
    url = reverse("reporting:report", args=[a.pk])

    head_page = head_client.get(url).content.decode()
    assert 'id="return-to-officer"' in head_page  # the head, while it waits for approval
    assert 'id="return-to-officer"' not in officer_client.get(url).content.decode()
    returned = head_client.post(
        reverse("reporting:report-return-to-officer", args=[a.pk]), {"note": f"  {REASON}\n"}
    )
    assert returned["Location"] == url
    assert "Đã trả lại báo cáo cho cán bộ đầu mối" in head_client.get(url).content.decode()

    a.refresh_from_db()
    # Back with the officer as it was: never sent to Nội vụ, so "Chưa nộp", nothing lost.
    assert (a.status, a.head_note, a.submitted_at) == (ReportStatus.PENDING, REASON, None)
    assert (a.draft_narratives, a.draft_values) == (narratives, values)
    assert values == {news: 12.0, plan: True}
    assert [f.original_name for f in a.attachments.all()] == ["toa-dam.jpg"]
    assert a.versions.count() == 0

    # The officer is told why, with a link to the report; the head is not told of his own act.
    notice = Notice.objects.get(user=officer, title__startswith="Thủ trưởng trả lại báo cáo")
    assert (notice.body, notice.url) == (REASON, url)
    assert not Notice.objects.filter(user=head, title__startswith="Thủ trưởng trả lại").exists()
    log = ActionLog.objects.get(action="reporting.report.returned_to_officer", target_id=str(a.pk))
    assert log.actor == head
    assert log.data == {"from": "pending_approval", "to": "pending", "note": REASON}

    page = officer_client.get(url).content.decode()
    assert "Thủ trưởng đơn vị trả lại để sửa" in page
    assert REASON in page
    assert "Thủ trưởng trả lại báo cáo cho cán bộ để sửa" in page  # the history panel
    assert "Tổ chức 4 buổi tọa đàm, 620 người tham gia." in page
    assert 'value="12"' in page
    assert "toa-dam.jpg" in page
    mine = officer_client.get(reverse("reporting:my-reports")).content.decode()
    assert "Thủ trưởng trả lại để sửa" in mine
    assert REASON in mine

    # The officer corrects the draft and sends it again; the head approves.
    services.report_draft_save(
        actor=officer,
        assignment=a,
        narratives={section: "Tổ chức 4 buổi tọa đàm, 620 người tham gia; 15 tin, bài."},
        values={news: "15", plan: "true"},
    )
    a = services.report_send_for_approval(actor=officer, assignment=a)
    assert (a.status, a.head_note) == (ReportStatus.PENDING_APPROVAL, "")
    assert "Thủ trưởng đơn vị trả lại để sửa" not in officer_client.get(url).content.decode()
    a = services.report_submit(actor=head, assignment=a)
    assert a.status == ReportStatus.SUBMITTED
    assert a.versions.get().values[news] == 15.0
    assert [f.original_name for f in a.attachments.all()] == ["toa-dam.jpg"]


def test_a_return_without_a_reason_is_refused(report_request, officer, head, city):
    a, *_ = drafted_and_sent(report_request, officer, city)
    with pytest.raises(ValidationError) as refused:
        services.report_return_to_officer(actor=head, assignment=a, note=" \n ")
    assert refused.value.messages == ["Cần ghi rõ nội dung cần sửa để cán bộ đầu mối biết."]
    client = verified_client(head)
    client.post(reverse("reporting:report-return-to-officer", args=[a.pk]), {"note": ""})
    page = client.get(reverse("reporting:report", args=[a.pk])).content.decode()
    assert "Cần ghi rõ nội dung cần sửa để cán bộ đầu mối biết." in page
    a.refresh_from_db()
    assert (a.status, a.head_note) == (ReportStatus.PENDING_APPROVAL, "")
    assert not ActionLog.objects.filter(action="reporting.report.returned_to_officer").exists()


def test_only_the_head_of_that_unit_returns_and_only_a_report_waiting_for_approval(
    report_request, officer, head, office_user, make_user, city
):
    a, *_ = drafted_and_sent(report_request, officer, city)
    other_head = make_user(Role.UNIT_HEAD, city.vu_ninh)
    for someone in (officer, other_head, office_user):
        with pytest.raises(PermissionDenied):
            services.report_return_to_officer(actor=someone, assignment=a, note=REASON)
    # Over HTTP another unit's head does not even find the report; the officer is refused.
    url = reverse("reporting:report-return-to-officer", args=[a.pk])
    assert verified_client(other_head).post(url, {"note": REASON}).status_code == 404
    assert verified_client(officer).post(url, {"note": REASON}).status_code == 403
    a.refresh_from_db()
    assert (a.status, a.head_note) == (ReportStatus.PENDING_APPROVAL, "")

    a = services.report_return_to_officer(actor=head, assignment=a, note=REASON)
    # A double click repeats nothing; a second return of a report not waiting is refused.
    services.report_return_to_officer(actor=head, assignment=a, note=REASON)
    assert ActionLog.objects.filter(action="reporting.report.returned_to_officer").count() == 1
    assert Notice.objects.filter(user=officer, title__startswith="Thủ trưởng trả lại").count() == 1
    with pytest.raises(ValidationError) as refused:
        services.report_return_to_officer(actor=head, assignment=a, note="Lý do khác")
    assert refused.value.messages == ["Chỉ trả lại được báo cáo đang chờ thủ trưởng duyệt."]
    a = services.report_submit(actor=head, assignment=a)
    with pytest.raises(ValidationError):
        services.report_return_to_officer(actor=head, assignment=a, note=REASON)
    assert a.head_note == ""  # approved: the reason no longer stands


def test_a_report_noi_vu_returned_goes_back_as_returned_with_both_notes(
    report_request, officer, head, office_user, city
):
    a, section, *_ = drafted_and_sent(report_request, officer, city)
    a = services.report_submit(actor=head, assignment=a)
    a = services.report_return(actor=office_user, assignment=a, note="Thiếu số liệu dự thi.")
    a = services.report_send_for_approval(actor=officer, assignment=a)
    # Nội vụ reviews only what was submitted, never a report still with its unit.
    with pytest.raises(ValidationError):
        services.report_return(actor=office_user, assignment=a, note="x")
    a = services.report_return_to_officer(actor=head, assignment=a, note=REASON)
    # Still "Bị trả lại" for Nội vụ: returned by it and not yet back; the officer edits it.
    assert (a.status, a.review_note, a.head_note) == (
        ReportStatus.RETURNED,
        "Thiếu số liệu dự thi.",
        REASON,
    )
    services.report_draft_save(
        actor=officer, assignment=a, narratives={section: "Đã bổ sung."}, values={}
    )
    page = verified_client(officer).get(reverse("reporting:report", args=[a.pk])).content
    assert "Thiếu số liệu dự thi." in page.decode()
    assert REASON in page.decode()
    a = services.report_send_for_approval(actor=officer, assignment=a)
    a = services.report_submit(actor=head, assignment=a)
    assert [v.number for v in a.versions.all()] == [1, 2]


def test_a_report_sent_back_is_still_owed_for_reminders_and_the_request(
    report_request, officer, head, office_user, office_client, city
):
    a, *_ = drafted_and_sent(report_request, officer, city)
    services.report_return_to_officer(actor=head, assignment=a, note=REASON)
    # 5 working days before the 15/12 deadline both units are reminded, Suối Hoa included.
    assert services.reminders_send_due(datetime(2022, 12, 8, 9, tzinfo=HCM)) == 2
    assert Notice.objects.filter(user=officer, title__startswith="Nhắc hạn báo cáo").exists()
    counted = selectors.request_list_for(actor=office_user, campaign=report_request.campaign)
    assert counted.get(pk=report_request.pk).done == 0
    assert city.suoi_hoa in services.late_units(report_request)
    with time_machine.travel(datetime(2022, 12, 16, 9, tzinfo=HCM)):
        late = selectors.assignments_filtered(
            actor=office_user, campaign=report_request.campaign, late=True
        )
        assert a.pk in {x.pk for x in late}
    # The request's page marks the unit as owing (its deadline, 15/12/2022, is past: red).
    page = office_client.get(reverse("reporting:request-detail", args=[report_request.pk]))
    link = reverse("reporting:report", args=[a.pk])
    assert f'<tr class="table-danger">\n<td><a href="{link}">' in page.content.decode()
