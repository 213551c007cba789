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


def test_the_admin_site_answers_only_the_allowed_addresses(settings):
    """Issue 18, L10: THIDUA_ADMIN_ALLOWED_IPS keeps /quan-tri/ to the administration network,
    login page included; the address is the client's behind a trusted proxy."""
    admin = User.objects.create_superuser("quantri-ip", "q@example.vn", "Mat-khau-dai-12")
    client = verified_client(admin)
    assert client.get("/quan-tri/").status_code == 200
    settings.THIDUA_ADMIN_ALLOWED_IPS = ["10.20.0.0/16"]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get("/quan-tri/").status_code == 404
    assert client.get("/quan-tri/login/").status_code == 404
    assert client.get("/quan-tri/", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 404
    assert client.get("/quan-tri/", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code == 200
    assert (
        client.get("/tai-khoan/doi-mat-khau/", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code
        == 200
    )


def test_the_admin_signs_in_on_the_one_sign_in_page(client):
    """The admin's own login form would skip the per-address limit on failed sign-ins: it
    sends to the site's page, with where to come back."""
    page = client.get("/quan-tri/login/?next=/quan-tri/")
    assert page.status_code == 302
    assert page["Location"] == "/tai-khoan/dang-nhap/?next=/quan-tri/"
    posted = client.post("/quan-tri/login/", {"username": "x", "password": "y"})
    assert posted.status_code == 302
    assert posted["Location"].startswith("/tai-khoan/dang-nhap/")
    assert client.get("/quan-tri/")["Location"].startswith("/quan-tri/login/")
