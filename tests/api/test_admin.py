import pytest

from tests.conftest import verified_client
from thidua.accounts.models import User
from thidua.api.models import ApiToken
from thidua.api.services import token_authenticate, token_issue

pytestmark = pytest.mark.django_db


def test_admin_sends_issuing_to_the_staff_page_and_revokes(city):
    """The secret is shown once, on the never-cached staff page, never in an admin message."""
    admin = User.objects.create_superuser("quantri-test", "q@example.vn", "Mat-khau-dai-12")
    client = verified_client(admin)
    add = client.get("/quan-tri/api/apitoken/add/")
    assert add.status_code == 302
    assert add["Location"] == "/khoa-api/cap-moi/"
    assert client.get(add["Location"]).status_code == 200  # a superuser may issue there

    token, secret = token_issue(
        actor=admin, name="Cổng dữ liệu tỉnh", units=[city.suoi_hoa], role="unit_officer",
        access="read", rate_per_minute=60,
    )  # fmt: skip
    listing = client.get("/quan-tri/api/apitoken/")
    assert token.prefix in listing.content.decode()
    assert secret not in listing.content.decode()
    client.post("/quan-tri/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert token_authenticate(secret) is None
