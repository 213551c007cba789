"""A submitted report shows the figures it was sent with: activities the unit records or deletes
afterwards (one entered twice, taken back) change neither its page nor the aggregate; a report
still with its unit counts them afresh."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.reports import report_written
from thidua.participation import services as participation
from thidua.reporting import selectors, services

pytestmark = pytest.mark.django_db


def shown_figure(client, a, indicator) -> str:
    page = html.unescape(client.get(reverse("reporting:report", args=[a.pk])).content.decode())
    match = re.search(
        rf'id="indicator-{indicator.pk}" name="indicator-{indicator.pk}" value="([^"]*)"', page
    )
    assert match is not None
    return match.group(1)


def test_deleting_an_activity_after_submitting_leaves_the_report_as_sent(
    report_request, campaign, officer, head, office_user, city
):
    recorded = [
        participation.activity_record(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            form=campaign.forms.first(),
            title="Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ",
            held_on=date(2022, 7, 5),
            participants=85,
        )
        for _ in range(2)
    ]
    counted = report_request.template.indicators.get(name="Số hoạt động")
    a = report_request.assignments.get(unit=city.suoi_hoa)
    officer_client, office_client = verified_client(officer), verified_client(office_user)
    assert shown_figure(officer_client, a, counted) == "2"  # still being drafted: live
    a = services.report_send_for_approval(actor=officer, assignment=report_written(a, officer))
    a = services.report_submit(actor=head, assignment=a)

    participation.activity_delete(actor=officer, activity=recorded[1])

    # What Nội vụ received stays what was sent: the page, the version, the aggregate.
    assert shown_figure(office_client, a, counted) == "2"
    assert a.versions.get().values[str(counted.pk)] == 2
    totals = selectors.aggregate_figures(request=report_request)["indicators"]
    assert {row["name"]: row["total"] for row in totals}["Số hoạt động"] == 2.0
    # Returned for revision, the report counts again, without the deleted one.
    a = services.report_return(actor=office_user, assignment=a, note="Rà soát số hoạt động.")
    assert shown_figure(officer_client, a, counted) == "1"
