"""Asking a unit for more (or declining) without a reason is refused with the form shown again
as chosen: the page used to redirect with the choice back at "Công nhận", so typing the reason
and pressing the button again accepted the good model instead."""

import re

import pytest
from django.urls import reverse

from thidua.participation import services
from thidua.participation.models import GoodModel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("decision", ["more", "decline"])
def test_a_review_without_its_reason_keeps_the_choice(
    campaign, officer, office_client, city, decision
):
    gm = services.good_model_propose(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        kind="model",
        title="Tủ sách phường",
        description="Tủ sách ở nhà văn hóa",
    )
    url = reverse("participation:good-model-review", args=[gm.pk])
    response = office_client.post(url, {"decision": decision, "note": "  "})
    assert response.status_code == 200  # shown again, not redirected to a fresh form
    page = response.content.decode()
    assert "Cần ghi rõ lý do để đơn vị biết." in page
    assert re.search(rf'<option value="{decision}" selected>', page)
    gm.refresh_from_db()
    assert gm.status == GoodModel.Status.PROPOSED
