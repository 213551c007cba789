"""Dashboard drill-down: bars, cells and rows open the filtered lists behind them."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.reports import narrative
from tests.reporting.test_services import register, submit
from thidua.participation import services as participation

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def activities(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    form = campaign.forms.first()
    for day, title in (
        (date(2022, 7, 5), "Tọa đàm tháng Bảy"),
        (date(2022, 8, 9), "Tọa đàm tháng Tám"),
    ):
        participation.activity_record(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            form=form,
            title=title,
            held_on=day,
            participants=20,
        )
    return form


def test_chart_and_table_link_to_the_activities_of_a_form_and_month(
    campaign, activities, office_client
):
    page = office_client.get(reverse("reporting:dashboard", args=[campaign.pk]))
    html = page.content.decode()
    url = reverse("participation:activity-list", args=[campaign.pk])
    july = f"{url}?hinh-thuc={activities.code}&amp;thang=2022-07"
    assert f'href="{july}"' in html
    links = json.loads(
        html.split('id="chart-links" type="application/json">')[1].split("</script>")[0]
    )
    assert links[0] == [
        f"{url}?hinh-thuc={activities.code}&thang=2022-07",
        f"{url}?hinh-thuc={activities.code}&thang=2022-08",
    ]
    listing = office_client.get(links[0][0]).content.decode()
    assert "Tọa đàm tháng Bảy" in listing
    assert "Tọa đàm tháng Tám" not in listing
    assert "tháng 07/2022" in listing  # the filter is shown, with a way to drop it


def test_rollup_unit_rows_link_to_the_units_activities(campaign, activities, office_client, city):
    html = office_client.get(reverse("participation:rollup", args=[campaign.pk])).content.decode()
    url = reverse("participation:activity-list", args=[campaign.pk]) + f"?don-vi={city.suoi_hoa.pk}"
    assert f'href="{url}"' in html
    listing = office_client.get(url).content.decode()
    assert "Tọa đàm tháng Bảy" in listing
    assert "Phường Suối Hoa" in listing


def test_report_status_rows_open_the_reports_in_that_status(
    report_request, campaign, officer, head, office_client, city
):
    a = report_request.assignments.get(unit=city.suoi_hoa)
    submit(a, officer, head, narrative(a), {})
    dashboard = office_client.get(
        reverse("reporting:dashboard", args=[campaign.pk])
    ).content.decode()
    url = reverse("reporting:request-list", args=[campaign.pk]) + "?trang-thai=submitted"
    assert f'href="{url}"' in dashboard
    page = office_client.get(url)
    rows = [a.unit for a in page.context["filtered"].object_list]
    assert rows == [city.suoi_hoa]
    with time_machine.travel(datetime(2022, 12, 20, 9, tzinfo=HCM)):
        late = office_client.get(
            reverse("reporting:request-list", args=[campaign.pk]) + "?qua-han=1"
        )
    assert [a.unit for a in late.context["filtered"].object_list] == [city.vu_ninh]
    assert "Đơn vị chậm báo cáo" in late.content.decode()


def test_filtered_report_list_queries_flat(
    report_request, campaign, template, office_user, office_client, city
):
    from thidua.reporting import services

    url = reverse("reporting:request-list", args=[campaign.pk]) + "?trang-thai=pending"
    office_client.get(url)
    with CaptureQueriesContext(connection) as one:
        office_client.get(url)
    for n in range(5):
        services.request_create(
            actor=office_user,
            campaign=campaign,
            template=template,
            title=f"Báo cáo {n}",
            units=[city.suoi_hoa, city.vu_ninh, city.centre],
            due_date=date(2022, 12, 15),
        )
    office_client.get(url)  # warm, as above: the tabs' counts are cached (core.versions)
    with CaptureQueriesContext(connection) as many:
        response = office_client.get(url)
    assert len(response.context["filtered"].object_list) == 17
    assert len(many) == len(one)
