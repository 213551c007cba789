"""Who may run a campaign's reports: Nội vụ of the body running the campaign, never a ward's
own emulation officer for the city's (docs/security.md R19)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories.reports import report_written
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.reporting import services as reporting
from thidua.reporting.models import ReportRequest, ReportTemplate
from thidua.reporting.selectors import reports_to_review_for

pytestmark = pytest.mark.django_db


def _logged() -> int:
    return ActionLog.objects.count()


def test_a_wards_officer_cannot_run_the_citys_reports(
    ward_office, office_user, report_request, officer, make_user, city
):
    """Templates, requests to units, acceptance and return of a unit's report, urging letters
    and the aggregated report of the city's campaign are the city's Nội vụ's."""
    campaign = report_request.campaign
    assignment = report_request.assignments.get(unit=city.suoi_hoa)
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    reporting.report_submit(actor=head, assignment=report_written(assignment, head))
    before = (_logged(), ReportTemplate.objects.count(), ReportRequest.objects.count())
    for change in (
        lambda: reporting.template_create(
            actor=ward_office,
            campaign=campaign,
            name="Mẫu khác",
            sections=[{"title": "A", "guidance": ""}],
            indicators=[],
        ),
        lambda: reporting.request_create(
            actor=ward_office,
            campaign=campaign,
            template=report_request.template,
            title="Báo cáo khác",
            units=[city.suoi_hoa],
            due_date=date(2022, 12, 20),
        ),
        lambda: reporting.report_accept(actor=ward_office, assignment=assignment),
        lambda: reporting.report_return(actor=ward_office, assignment=assignment, note="Sửa"),
        lambda: reporting.urging_letter_create(actor=ward_office, request=report_request),
        lambda: reporting.aggregate_build(actor=ward_office, request=report_request),
        lambda: reporting.aggregate_build_start(actor=ward_office, request=report_request),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert (_logged(), ReportTemplate.objects.count(), ReportRequest.objects.count()) == before
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    report = reporting.aggregate_build(actor=office_user, request=report_request)
    for change in (
        lambda: reporting.aggregate_update(actor=ward_office, report=report, title="X", body="Y"),
        lambda: reporting.aggregate_issue(
            actor=ward_office, report=report, issued_on=date(2022, 12, 20)
        ),
    ):
        with pytest.raises(PermissionDenied):
            change()
    reporting.report_accept(actor=office_user, assignment=assignment)


def test_the_citys_submitted_reports_are_not_on_a_wards_officers_list(
    ward_office, office_user, report_request, make_user, city
):
    assignment = report_request.assignments.get(unit=city.suoi_hoa)
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    reporting.report_submit(actor=head, assignment=report_written(assignment, head))
    assert list(reports_to_review_for(actor=office_user)) == [assignment]
    assert list(reports_to_review_for(actor=ward_office)) == []
