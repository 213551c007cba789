"""Indexes the staff lists rely on at 50,000 people (issue #22)."""

import pytest
from django.db import connection

from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import person_list_for

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: ask which index fits
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_search_and_ward_scope_use_indexes_on_postgresql(city, make_user) -> None:
    """The accent-insensitive search (`LIKE '%…%'`) is served by the trigram index, and a ward
    user's scope by the path's pattern index (a prefix, not `LIKE '%/12/%'`)."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm and pattern-ops indexes are PostgreSQL's")
    from thidua.accounts.models import Role

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'organizations_%_search_trgm'"
        )
        assert {r[0] for r in cursor.fetchall()} == {
            "organizations_person_search_trgm",
            "organizations_unit_search_trgm",
        }
    # Without the default ordering, which an ordered index scan could serve instead.
    assert "organizations_person_search_trgm" in _plan(
        Person.objects.filter(search_text__contains="nguyen van").order_by()
    )
    ward_user = make_user(Role.UNIT_OFFICER, city.city)
    sql = str(person_list_for(actor=ward_user).query)
    assert f"%/{city.city.pk}/%" not in sql
    assert f"LIKE {city.city.path}{city.city.pk}/%" in sql.replace("'", "")
    assert "_like" in _plan(Unit.objects.filter(path__startswith=f"/{city.city.pk}/").order_by())
