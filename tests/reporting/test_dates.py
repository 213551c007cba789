"""Deadlines that make sense, and a final-report request that asks before moving the phase."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from thidua.reporting import services
from thidua.reporting.models import ReportRequest

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def dec_2022():
    with time_machine.travel(datetime(2022, 11, 20, 9, tzinfo=HCM), tick=False):
        yield


def post(client, campaign, template, **extra):
    data = {
        "template": template.pk,
        "kind": "regular",
        "title": "Báo cáo kết quả",
        "due_date": "15/12/2022",
        "audience": "invited",
        "reminder_offsets": "-5, -2, -1, 0",
        "repeat_every": 2,
        "escalate_after": 3,
        **extra,
    }
    return client.post(reverse("reporting:request-create", args=[campaign.pk]), data)


def test_past_deadline_needs_an_explicit_confirmation(office_client, campaign, template, dec_2022):
    response = post(office_client, campaign, template, due_date="10/11/2022")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hạn 10/11/2022 đã qua (hôm nay là 20/11/2022)" in html
    assert 'type="checkbox" name="confirm_deadline"' in html
    assert not ReportRequest.objects.exists()
    done = post(office_client, campaign, template, due_date="10/11/2022", confirm_deadline="on")
    assert done.status_code == 302
    assert ReportRequest.objects.get().due_date == date(2022, 11, 10)


def test_deadline_before_the_plan_is_refused(office_client, campaign, template, dec_2022):
    response = post(office_client, campaign, template, due_date="01/05/2022", confirm_deadline="on")
    assert "trước ngày ban hành kế hoạch (25/05/2022)" in response.content.decode()
    assert not ReportRequest.objects.exists()
    with pytest.raises(ValidationError):
        services.request_create(
            actor=response.wsgi_request.user,
            campaign=campaign,
            template=template,
            title="X",
            units=[],
            due_date=date(2022, 5, 1),
        )


def test_future_deadline_needs_no_confirmation(office_client, campaign, template, dec_2022):
    html = office_client.get(reverse("reporting:request-create", args=[campaign.pk])).content
    assert b'type="checkbox" name="confirm_deadline"' not in html
    assert post(office_client, campaign, template).status_code == 302


def test_final_report_request_asks_before_moving_the_phase(
    office_client, campaign, template, dec_2022
):
    response = post(office_client, campaign, template, kind="final")
    assert "có chuyển phong trào sang giai đoạn Tổng kết không?" in response.content.decode()
    assert not ReportRequest.objects.exists()
    post(office_client, campaign, template, kind="final", advance_phase="no")
    campaign.refresh_from_db()
    assert campaign.status == "running"
    post(office_client, campaign, template, kind="final", advance_phase="yes")
    campaign.refresh_from_db()
    assert campaign.status == "final_review"


ONE_OF_TWO = "Nhập hạn nộp theo ngày hoặc theo số ngày làm việc (một trong hai)."


@pytest.mark.parametrize(
    "extra",
    [
        {"due_date": "31/02/2026"},
        {"due_date": "31/02/2026", "due_working_days": "mười"},
        {"due_date": "", "due_working_days": "mười"},
    ],
)
def test_an_unreadable_deadline_shows_its_field_error_only(
    office_client, campaign, template, dec_2022, extra
):
    """A date typed but not readable is not "nothing entered": no "one of the two" banner."""
    response = post(office_client, campaign, template, **extra)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "__all__" not in errors
    assert ONE_OF_TWO not in response.content.decode()
    assert set(errors) == {k for k, v in extra.items() if v}
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize(
    "extra", [{"due_date": ""}, {"due_date": "15/12/2022", "due_working_days": "10"}]
)
def test_neither_or_both_deadlines_still_ask_for_one_of_the_two(
    office_client, campaign, template, dec_2022, extra
):
    response = post(office_client, campaign, template, **extra)
    assert response.context["form"].errors["__all__"] == [ONE_OF_TWO]
    assert not ReportRequest.objects.exists()
