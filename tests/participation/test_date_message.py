"""A date typed in another shape ("5/7/22") is refused with the shape the forms expect
(dd/mm/yyyy), not Django's bare "Nhập một ngày hợp lệ.", and what was typed stays."""

import html

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from tests.participation.test_services import register
from thidua.participation.models import Activity

pytestmark = pytest.mark.django_db


def test_a_date_in_the_wrong_shape_says_dd_mm_yyyy(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    url = reverse("participation:activity-create", args=[campaign.pk])
    data = {"form": campaign.forms.first().pk, "title": "Tọa đàm", "participants": 85}
    page = html.unescape(
        verified_client(officer).post(url, {**data, "held_on": "5/7/22"}).content.decode()
    )
    assert "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/07/2022." in page
    assert 'value="5/7/22"' in page
    assert not Activity.objects.exists()
