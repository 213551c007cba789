"""A report still owed after the deadline is late wherever it is shown: the request's page marks
the same reports as the late filter, including one waiting for the unit head's approval."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.reports import report_written
from thidua.reporting import selectors, services
from thidua.reporting.models import ReportStatus

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ROW = re.compile(
    r'<tr class="([^"]*)">\s*<td><a href="[^"]*">([^<]+)</a></td>\s*<td[^>]*>(.*?)</td>'
)


def rows(html: str) -> dict[str, tuple[str, str]]:
    """Unit name → (row class, status cell) of the request page's table."""
    return {name: (css, status) for css, name, status in ROW.findall(html)}


@pytest.fixture
def waiting_for_head(report_request, officer, city):
    """Suối Hoa's officer sent the report to the head before the deadline (15/12/2022); the
    head has not approved it. Vũ Ninh has not started."""
    a = report_request.assignments.get(unit=city.suoi_hoa)
    with time_machine.travel(datetime(2022, 12, 12, 9, tzinfo=HCM)):
        a = report_written(a, officer)
        a = services.report_send_for_approval(actor=officer, assignment=a)
    assert a.status == ReportStatus.PENDING_APPROVAL
    return a


def test_request_page_marks_a_report_waiting_for_the_head_late_after_the_deadline(
    report_request, waiting_for_head, campaign, office_client, city
):
    url = reverse("reporting:request-detail", args=[report_request.pk])
    with time_machine.travel(datetime(2022, 12, 14, 9, tzinfo=HCM)):
        before = rows(office_client.get(url).content.decode())
    # Before the deadline both are still owed (yellow), neither is late.
    assert {name: css for name, (css, _) in before.items()} == {
        city.suoi_hoa.name: "table-warning",
        city.vu_ninh.name: "table-warning",
    }
    assert not any("Quá hạn" in status for _, status in before.values())

    with time_machine.travel(datetime(2022, 12, 20, 9, tzinfo=HCM)):
        after = rows(office_client.get(url).content.decode())
        late_filter = office_client.get(
            reverse("reporting:request-list", args=[campaign.pk]) + "?qua-han=1"
        )
    css, status = after[city.suoi_hoa.name]
    assert css == "table-danger"
    assert "Chờ thủ trưởng duyệt" in status
    assert "Quá hạn" in status
    assert after[city.vu_ninh.name][0] == "table-danger"
    # The page marks exactly what the late filter lists.
    marked = {name for name, (css, _) in after.items() if css == "table-danger"}
    listed = {a.unit.name for a in late_filter.context["filtered"].object_list}
    assert marked == listed == {city.suoi_hoa.name, city.vu_ninh.name}


def test_a_report_submitted_to_noi_vu_is_not_marked_late(
    report_request, waiting_for_head, head, office_client, city
):
    with time_machine.travel(datetime(2022, 12, 14, 9, tzinfo=HCM)):
        services.report_submit(actor=head, assignment=waiting_for_head)
    url = reverse("reporting:request-detail", args=[report_request.pk])
    with time_machine.travel(datetime(2022, 12, 20, 9, tzinfo=HCM)):
        after = rows(office_client.get(url).content.decode())
        late = selectors.assignments_filtered(
            actor=report_request.created_by, campaign=report_request.campaign, late=True
        )
        assert [a.unit for a in late] == [city.vu_ninh]
    css, status = after[city.suoi_hoa.name]
    assert css == ""
    assert "Quá hạn" not in status


def test_the_heads_own_list_marks_the_report_waiting_for_him_late(
    report_request, waiting_for_head, head, city
):
    with time_machine.travel(datetime(2022, 12, 20, 9, tzinfo=HCM)):
        html = verified_client(head).get(reverse("reporting:my-reports")).content.decode()
    assert '<tr class="table-danger">' in html
    assert "Quá hạn" in html
