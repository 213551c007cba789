"""A contribution with too many digits is refused in plain Vietnamese, not Django's
"Đảm bảo rằng tối đa không có nhiều hơn 14 số." or "Hãy chắc chắn rằng …"."""

import html

import pytest
from django.urls import reverse

from tests.conftest import verified_client
from tests.participation.test_services import register
from thidua.participation.models import Activity

pytestmark = pytest.mark.django_db


def test_a_contribution_too_long_says_how_many_digits(campaign, officer, head, city):
    registration = register(campaign, officer, head, city.suoi_hoa)
    talks, books = registration.commitments.order_by("position")[:2]
    url = reverse("participation:activity-create", args=[campaign.pk])
    data = {
        "form": campaign.forms.first().pk,
        "title": "Tọa đàm",
        "held_on": "05/07/2022",
        "participants": 85,
        f"contribution_{talks.pk}": "99999999999999999999",
        f"contribution_{books.pk}": "1,125",
    }
    page = html.unescape(verified_client(officer).post(url, data).content.decode())
    assert "Số quá dài: tối đa 14 chữ số." in page
    assert "Tối đa 2 chữ số sau dấu phẩy." in page
    assert "Đảm bảo rằng" not in page
    assert "Hãy chắc chắn rằng" not in page
    assert not Activity.objects.exists()
