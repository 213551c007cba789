import pytest
from django.contrib.messages import get_messages

from tests.conftest import verified_client
from thidua.accounts.models import User
from thidua.api.models import ApiToken
from thidua.api.services import token_authenticate

pytestmark = pytest.mark.django_db


def test_admin_issues_a_token_shown_once_and_revokes_it(city):
    admin = User.objects.create_superuser("quantri-test", "q@example.vn", "Mat-khau-dai-12")
    client = verified_client(admin)
    form = client.get("/quan-tri/api/apitoken/add/")
    assert form.status_code == 200
    assert "Đơn vị trong phạm vi" in form.content.decode()
    response = client.post(
        "/quan-tri/api/apitoken/add/",
        {
            "name": "Cổng dữ liệu tỉnh",
            "units": [city.suoi_hoa.pk],
            "role": "unit_officer",
            "access": "read",
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    secret = next(part for m in shown for part in m.split() if part.startswith("td_"))
    token = token_authenticate(secret)
    assert token is not None
    assert token.name == "Cổng dữ liệu tỉnh"
    assert list(token.units.all()) == [city.suoi_hoa]
    client.get("/quan-tri/api/apitoken/")  # the page after the redirect shows it once
    listing = client.get("/quan-tri/api/apitoken/")
    assert secret not in listing.content.decode()
    assert token.prefix in listing.content.decode()
    client.post(
        "/quan-tri/api/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert token_authenticate(secret) is None
