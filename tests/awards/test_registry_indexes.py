"""The search's trigram indexes (PostgreSQL): a word anywhere in the folded text, found through
the index instead of reading every award in the registry or every activity of a campaign."""

from datetime import date

import pytest
from django.db import connection

from thidua.awards.models import AwardRecord
from thidua.awards.registry import RegistryFilter, registry_search
from thidua.participation.models import Activity
from thidua.participation.selectors import activity_list_for

pytestmark = pytest.mark.django_db

TOPICS = ("lao dong tien tien phuong", "hoan thanh xuat sac nhiem vu", "chien si thi dua")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _settle(table: str) -> None:
    """As autovacuum does after a load: new rows wait in a GIN index's pending list (read row
    by row) until merged, and the planner needs the table's statistics."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT gin_clean_pending_list('{table}_search_trgm')")
        cursor.execute(f"ANALYZE {table}")


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm indexes are PostgreSQL's")


def test_the_registry_search_reads_the_trigram_index(postgres_only, giay_khen, city, office_user):
    """`search_text LIKE '%…%'` per word read the whole registry, years of imported awards
    included, for every search. Over 8,000 awards, a few to a Nguyễn Văn Cừ, the planner takes
    the trigram index for the page's query."""
    AwardRecord.objects.bulk_create(
        AwardRecord(
            issuer_code="UBTP",
            year=2000 + n % 25,
            number=n + 1,
            award_type=giay_khen,
            legacy_decision=f"{n}/QĐ-UBND",
            legacy_signed_on=date(2000 + n % 25, 12, 30),
            subject="individual",
            unit=city.suoi_hoa,
            recipient_name=f"Người {n}",
            unit_name="UBND phường Suối Hoa",
            token=f"token-{n}",
            search_text=f"nguyen van cu {n}" if n % 1000 == 0 else f"{TOPICS[n % 3]} {n}",
        )
        for n in range(8000)
    )
    _settle("awards_awardrecord")
    found = registry_search(actor=office_user, f=RegistryFilter(q="Nguyễn Văn Cừ"))
    assert found.count() == 8
    assert "awards_awardrecord_search_trgm" in _plan(found[:50])


def test_the_activity_search_reads_the_trigram_index(postgres_only, campaign, city, office_user):
    """The activity list's search read every activity of the campaign; over 8,000 of them, a
    few held at the Nguyễn Văn Cừ school, the planner takes the trigram index."""
    Activity.objects.bulk_create(
        Activity(
            campaign=campaign,
            unit=city.suoi_hoa,
            form_code="noi-chuyen",
            title=f"Hoạt động {n}",
            held_on=date(2026, 1 + n % 12, 1),
            held_month=date(2026, 1 + n % 12, 1),
            created_by=office_user,
            search_text=f"truong nguyen van cu {n}" if n % 1000 == 0 else f"{TOPICS[n % 3]} {n}",
        )
        for n in range(8000)
    )
    _settle("participation_activity")
    found = activity_list_for(actor=office_user, campaign=campaign, query="Nguyễn Văn Cừ")
    assert found.count() == 8
    assert "participation_activity_search_trgm" in _plan(found[:20])
