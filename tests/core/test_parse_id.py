"""An id in a query string that is no id we could store (beyond a 64-bit integer, or digits
that are not ASCII, such as "²") filters nothing: the page opens, never a server error."""

import pytest
from django.urls import reverse

from thidua.accounts.models import Role
from thidua.core.http import parse_id

pytestmark = pytest.mark.django_db

NOT_IDS = ["99999999999999999999", "9223372036854775808", "²", "١٢"]


def test_parse_id_reads_only_ids_a_database_can_hold():
    assert parse_id("42") == 42
    assert parse_id("9223372036854775807") == 9223372036854775807
    for text in [*NOT_IDS, "", None, "-1", "abc", " 4"]:
        assert parse_id(text) is None, text


@pytest.mark.parametrize("value", NOT_IDS)
def test_pages_filtered_by_such_an_id_still_open(campaign, client_for, value):
    client = client_for(Role.EMULATION_OFFICE)
    urls = [
        reverse("participation:activity-list", args=[campaign.pk]) + "?don-vi=",
        reverse("participation:activity-export", args=[campaign.pk]) + "?don-vi=",
        reverse("organizations:person-list") + "?don-vi=",
        reverse("awards:registry") + "?hinh_thuc=",
        reverse("awards:registry") + "?phong_trao=",
        reverse("awards:registry") + "?nam=",
    ]
    for url in urls:
        response = client.get(url + value)
        assert response.status_code == 200, url
        if response.streaming:  # the export: read it to the end, which closes its file
            b"".join(response.streaming_content)
