"""The top menu lights the item the page belongs to (core.templatetags.thidua.nav_item). A page
of one campaign under its tabs lights "Phong trào" whichever app serves it (registrations,
activities, reports, nominations): they lit nothing, as if the user had left the campaign."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from tests.portal.test_portal_scope import _lit
from thidua.reporting import services as reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(campaign, office_user, city):
    template = reporting.template_create(
        actor=office_user,
        campaign=campaign,
        name="Báo cáo sơ kết",
        sections=[{"title": "Kết quả thực hiện", "guidance": ""}],
        indicators=[],
    )
    request = reporting.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo sơ kết 6 tháng",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    return request.assignments.get()


def test_a_campaigns_pages_in_every_app_light_phong_trao(campaign, office_client, report):
    for name in (
        "campaigns:campaign-detail",  # the campaign's own page, as before
        "participation:registration-list",
        "participation:activity-list",
        "participation:good-model-list",
        "participation:difficulty-list",
        "participation:rollup",
        "reporting:request-list",
        "reporting:dashboard",
        "awards:nomination-list",
    ):
        assert _lit(office_client, reverse(name, args=[campaign.pk])) == ["Phong trào"], name
    request_detail = reverse("reporting:request-detail", args=[report.request_id])
    assert _lit(office_client, request_detail) == ["Phong trào"]
    assert _lit(office_client, reverse("reporting:report", args=[report.pk])) == ["Phong trào"]
    # Pages with their own item keep it.
    assert _lit(office_client, reverse("awards:registry")) == ["Sổ vàng"]


def test_a_units_report_lights_phong_trao_and_its_list_bao_cao(officer, report):
    client = verified_client(officer)
    assert _lit(client, reverse("reporting:report", args=[report.pk])) == ["Phong trào"]
    assert _lit(client, reverse("reporting:my-reports")) == ["Báo cáo"]
