"""The action log is append-only on PostgreSQL: UPDATE, DELETE and TRUNCATE are refused, and the
application role of docs/security.md has no TRUNCATE or DDL rights at all (issue 18, M5)."""

import io
import secrets

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from thidua.core.models import ActionLog
from thidua.core.services import action_log_record

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers and roles are PostgreSQL's")


@pytest.fixture
def entry(postgresql, city):
    return action_log_record(actor=None, action="core.test", target=city.city)


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE core_actionlog",
        "TRUNCATE core_actionlog RESTART IDENTITY",
        "TRUNCATE organizations_unit, core_actionlog CASCADE",
        "UPDATE core_actionlog SET action = 'forged'",
        "DELETE FROM core_actionlog",
    ],
)
def test_the_action_log_refuses_truncate_update_and_delete(entry, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(statement)
    assert ActionLog.objects.get().action == "core.test"


def test_a_superuser_can_still_truncate_on_purpose_with_triggers_off(entry):
    """Deliberate maintenance (and the test suite's flush) needs the replica switch, which only
    a superuser may set; without it the same superuser is refused, as above."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("TRUNCATE core_actionlog")
    assert not ActionLog.objects.exists()


@pytest.fixture
def app_role(postgresql):
    """A login role with the grants of `manage.py db_grants` (docs/security.md), dropped after."""
    role = f"thidua_app_test_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD %s", [password])
    call_command("db_grants", role, "--apply", stdout=io.StringIO())
    db = settings.DATABASES["default"]
    conn = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=role,
        password=password,
        dbname=db["NAME"],
        autocommit=True,
    )
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")  # its grants and default privileges
        cursor.execute(f"DROP ROLE {role}")


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE core_actionlog",
        "TRUNCATE organizations_unit CASCADE",
        "UPDATE core_actionlog SET action = 'forged'",
        "DELETE FROM core_actionlog",
        "ALTER TABLE core_actionlog DISABLE TRIGGER ALL",
        "DROP TRIGGER core_actionlog_no_truncate ON core_actionlog",
        "DROP TABLE core_actionlog",
        "CREATE TABLE stolen (id int)",
    ],
)
def test_the_application_role_has_no_truncate_or_ddl_rights(entry, app_role, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_role.execute(statement)
    assert ActionLog.objects.get().action == "core.test"


def test_the_application_role_still_does_its_work(entry, app_role, city):
    app_role.execute(
        "INSERT INTO core_actionlog (at, action, target_type_id, target_id, data) "
        "SELECT now(), 'core.second', target_type_id, target_id, '{}' FROM core_actionlog"
    )
    app_role.execute("UPDATE organizations_unit SET name = name WHERE id = %s", [city.city.pk])
    rows = app_role.execute("SELECT count(*) FROM core_actionlog").fetchone()
    assert rows == (2,)


def test_db_grants_prints_the_statements(postgresql):
    out = io.StringIO()
    call_command("db_grants", "thidua_app", stdout=out)
    text = out.getvalue()
    assert (
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "thidua_app"'
        in text
    )
    assert 'REVOKE UPDATE, DELETE ON "core_actionlog" FROM "thidua_app"' in text
    assert "TRUNCATE" not in text.replace("REVOKE ALL", "")
