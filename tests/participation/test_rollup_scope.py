"""The results page ("Tổng hợp") of a unit's officer counts within what the officer sees: the
registered units over the units of that scope, never over every unit of the city."""

import re

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from tests.participation.test_services import register
from thidua.participation.selectors import _implementing

pytestmark = pytest.mark.django_db


def registered_card(page: str) -> str:
    return re.search(
        r'<div class="fs-3 fw-bold">([^<]*)</div><div class="small">đơn vị đã đăng ký', page
    ).group(1)


def test_a_wards_officer_sees_its_own_share_not_the_citys_count(
    campaign, officer, head, office_client, city
):
    register(campaign, officer, head, city.suoi_hoa)
    invited = _implementing(campaign).count()
    assert invited > 1  # the plan went to other units too
    url = reverse("participation:rollup", args=[campaign.pk])

    page = verified_client(officer).get(url).content.decode()
    assert registered_card(page) == "1/1"  # its own unit, registered; not "1/<the city's>"
    assert "Toàn thành phố" not in page  # the total is the officer's units', not the city's
    assert "<td>Cộng</td>" in page

    city_page = office_client.get(url).content.decode()
    assert registered_card(city_page) == f"1/{invited}"
    assert "<td>Toàn thành phố</td>" in city_page
