import hashlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from thidua.accounts.models import Role
from thidua.api.models import ApiToken, TokenAccess
from thidua.api.services import token_authenticate, token_issue, token_revoke
from thidua.core.models import ActionLog
from thidua.organizations.models import UnitRole

pytestmark = pytest.mark.django_db


def test_issue_stores_only_a_hash_and_scopes_the_service_user(city, make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    token, secret = token_issue(
        actor=admin, name="Sở Nội vụ", units=[city.suoi_hoa], access=TokenAccess.WRITE
    )
    assert secret.startswith(f"td_{token.prefix}_")
    assert len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get(pk=token.pk))
    assert not stored.user.has_usable_password()
    grants = set(UnitRole.objects.filter(user=stored.user).values_list("unit_id", "role"))
    assert grants == {(city.suoi_hoa.pk, Role.UNIT_OFFICER)}
    log = ActionLog.objects.get(action="api.token.issued")
    assert log.actor == admin
    assert log.data["units"] == ["P-SUOIHOA"]
    assert secret not in str(log.data)


def test_only_system_admins_issue_and_revoke(city, make_user, office_user):
    with pytest.raises(PermissionDenied):
        token_issue(actor=office_user, name="X", units=[city.suoi_hoa])
    token, _ = token_issue(actor=None, name="X", units=[city.suoi_hoa])
    with pytest.raises(PermissionDenied):
        token_revoke(actor=make_user(Role.UNIT_OFFICER), token=token)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": " ", "units": "ward"}, "name"),
        ({"name": "X", "units": None}, "units"),
        ({"name": "X", "units": "ward", "role": Role.SIGNER}, "role"),
        ({"name": "X", "units": "ward", "rate_per_minute": 0}, "rate_per_minute"),
    ],
)
def test_issue_refuses_bad_input_in_vietnamese(city, kwargs, field):
    kwargs["units"] = [city.suoi_hoa] if kwargs["units"] else []
    with pytest.raises(ValidationError) as exc:
        token_issue(actor=None, **kwargs)
    assert field in exc.value.message_dict


def test_authenticate_checks_the_whole_secret_and_stamps_last_use(city):
    token, secret = token_issue(actor=None, name="X", units=[city.suoi_hoa])
    assert token_authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert token_authenticate("td_nothing_here") is None
    assert token_authenticate("garbage") is None
    found = token_authenticate(secret)
    assert found is not None
    assert found.pk == token.pk
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_revoked_token_is_refused_at_once(city, make_user):
    admin = make_user(Role.SYSTEM_ADMIN)
    token, secret = token_issue(actor=admin, name="X", units=[city.suoi_hoa])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/units").status_code == 200
    token_revoke(actor=admin, token=token)
    token_revoke(actor=admin, token=token)  # repeating changes nothing
    response = client.get("/api/v1/units")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert ActionLog.objects.filter(action="api.token.revoked").count() == 1
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.user.is_active


def test_rate_limit_per_token(city, issue):
    traveller = time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False)
    traveller.start()
    _, client = issue(city.suoi_hoa, rate=3)
    _, other = issue(city.suoi_hoa, rate=3)
    statuses = [client.get("/api/v1/units").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/units")
    assert response.json()["code"] == "rate_limited"
    assert response["Retry-After"] == "50"
    assert other.get("/api/v1/units").status_code == 200  # each token has its own budget
    traveller.stop()


def test_every_operation_needs_a_token_and_declares_the_rate_limit():
    """Authentication (and with it the per-token rate limit) is on the whole API, so an
    endpoint added later cannot skip it."""
    from thidua.api.api import api

    operations = [
        (method, path, op)
        for path, ops in api.get_openapi_schema()["paths"].items()
        for method, op in ops.items()
    ]
    assert len(operations) > 15
    for method, path, op in operations:
        assert op.get("security") == [{"TokenAuth": []}], (method, path)
        assert {401, 429} <= set(op["responses"]), (method, path)


def test_rate_limit_covers_contest_results(city, world, issue):
    traveller = time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False)
    traveller.start()
    _, client = issue(city.suoi_hoa, rate=2)
    url = f"/api/v1/campaigns/{world['campaign'].pk}/contests"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    traveller.stop()


def test_management_command_prints_a_working_secret(city, capsys):
    from django.core.management import call_command

    call_command("api_token_issue", "Cổng tỉnh", "P-SUOIHOA", "--write")
    secret = capsys.readouterr().out.strip()
    token = token_authenticate(secret)
    assert token is not None
    assert token.can_write
