"""The session's live count polled with an item that is no id (beyond 64 bits, "²") is a 404,
not a server error."""

import pytest
from django.urls import reverse

from tests.awards.test_council_views import opened
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_the_live_count_of_an_item_that_is_no_id_is_not_found(office_user, council11, agenda):
    session = opened(office_user, council11, agenda)
    _body, members = council11
    chair = verified_client(members[0].user)
    live = reverse("awards:session-live", args=[session.pk])
    for value in ("²", "99999999999999999999", "0"):
        assert chair.get(live, {"item": value}).status_code == 404, value
    item = session.items.order_by("position").first()
    assert chair.get(live, {"item": item.pk}).status_code == 200
