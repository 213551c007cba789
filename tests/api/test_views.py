"""The staff page for API tokens: system administrators list, issue (secret shown once) and
revoke; every change goes through the services and into the action log."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.api.models import ApiToken, TokenAccess
from thidua.api.services import token_authenticate, token_issue, token_revoke
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(Role.SYSTEM_ADMIN)


def test_the_list_shows_scope_access_use_and_revocation(admin, city, django_assert_max_num_queries):
    for n in range(12):
        token_issue(actor=admin, name=f"Tích hợp {n}", units=[city.suoi_hoa, city.vu_ninh])
    token, _ = token_issue(
        actor=admin, name="Cổng dữ liệu tỉnh", units=[city.noivu], access=TokenAccess.WRITE
    )
    token_revoke(actor=admin, token=ApiToken.objects.get(name="Tích hợp 0"))
    client = verified_client(admin)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("integrations:token-list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cổng dữ liệu tỉnh" in html
    assert f"td_{token.prefix}_…" in html
    assert "Đọc và ghi" in html
    assert "Chỉ đọc" in html
    assert "Suối Hoa" in html
    assert "Vũ Ninh" in html
    assert "chưa dùng" in html
    assert "Khóa API" in html  # in the account menu
    older = client.get(reverse("integrations:token-list"), {"trang": 2}).content.decode()
    assert "Đã thu hồi" in older


def test_issue_shows_the_secret_once_and_logs_it(admin, city):
    client = verified_client(admin)
    form = client.get(reverse("integrations:token-issue"))
    assert "Đơn vị trong phạm vi" in form.content.decode()
    response = client.post(
        reverse("integrations:token-issue"),
        {
            "name": "Phần mềm của Sở Nội vụ",
            "units": [city.suoi_hoa.pk],
            "role": Role.UNIT_OFFICER,
            "access": TokenAccess.READ,
            "rate_per_minute": 60,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = re.search(r'value="(td_[^"]+)"', html).group(1)
    token = token_authenticate(secret)
    assert token is not None
    assert token.name == "Phần mềm của Sở Nội vụ"
    assert not token.can_write
    assert list(token.units.all()) == [city.suoi_hoa]
    log = ActionLog.objects.get(action="api.token.issued")
    assert log.actor == admin
    listing = client.get(reverse("integrations:token-list")).content.decode()
    assert secret not in listing
    assert secret.split("_", 2)[2] not in listing  # the secret part may itself hold "_"


def test_issue_refuses_a_token_without_units_in_vietnamese(admin):
    client = verified_client(admin)
    response = client.post(
        reverse("integrations:token-issue"),
        {"name": "X", "role": Role.UNIT_OFFICER, "access": "read", "rate_per_minute": 60},
    )
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_revoke_stops_the_token_and_logs_it(admin, city):
    token, secret = token_issue(actor=admin, name="Cổng tỉnh", units=[city.suoi_hoa])
    client = verified_client(admin)
    response = client.post(reverse("integrations:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã thu hồi khóa “Cổng tỉnh”. Khóa không dùng được nữa."
    ]
    assert token_authenticate(secret) is None
    assert ActionLog.objects.get(action="api.token.revoked").actor == admin
    again = client.post(reverse("integrations:token-revoke", args=[token.pk]))
    assert again.status_code == 302
    assert ActionLog.objects.filter(action="api.token.revoked").count() == 1


def test_other_staff_can_neither_see_nor_change_tokens(city, office_user, admin):
    token, secret = token_issue(actor=admin, name="Cổng tỉnh", units=[city.suoi_hoa])
    client = verified_client(office_user)
    assert client.get(reverse("integrations:token-list")).status_code == 403
    assert client.get(reverse("integrations:token-issue")).status_code == 403
    assert client.post(reverse("integrations:token-revoke", args=[token.pk])).status_code == 403
    assert token_authenticate(secret) is not None
    menu = client.get(reverse("organizations:person-list")).content.decode()
    assert reverse("integrations:token-list") not in menu
