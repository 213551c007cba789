"""The portal search's indexes (PostgreSQL): a word anywhere in the folded text, found through
a trigram index instead of reading every article, book, photo and good model."""

import pytest
from django.db import connection

from thidua.core.clock import now
from thidua.participation.models import GoodModel
from thidua.portal import selectors
from thidua.portal.models import Article, Book, ContentStatus

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_search_reads_articles_and_books_through_the_trigram_index(site, section, media):
    """`search_text LIKE '%nguyen van cu%'` read the whole table: a city's years of news and
    its library's catalogue for every search. Over 6,000 articles and 6,000 books, a few of
    them about Nguyễn Văn Cừ, the planner takes the trigram index for the search as the page
    runs it (its first rows, newest first; a book with the page it is on)."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'portal_%_trgm'")
        assert {r[0] for r in cursor.fetchall()} == {
            "portal_article_search_trgm",
            "portal_book_search_trgm",
            "portal_photo_search_trgm",
        }
    moment = now()
    topics = ("hoi thi van nghe phuong", "ra quan ve sinh moi truong", "tuyen truyen an toan")
    Article.objects.bulk_create(
        Article(
            site=site,
            section=section,
            title=f"Tin {n}",
            slug=f"tin-{n}",
            status=ContentStatus.PUBLISHED,
            publish_at=moment,
            created_by=media,
            search_text=f"tin {n} nguyen van cu" if n % 1000 == 0 else f"{topics[n % 3]} {n}",
        )
        for n in range(6000)
    )
    Book.objects.bulk_create(
        Book(
            site=site,
            title=f"Sách {n}",
            position=n,
            search_text=f"sach {n} nguyen van cu" if n % 1000 == 0 else f"{topics[n % 3]} {n}",
        )
        for n in range(6000)
    )
    with connection.cursor() as cursor:  # as autovacuum does after a load like this one
        for table in ("portal_article", "portal_book"):
            # New rows wait in a GIN index's pending list, read row by row, until merged.
            cursor.execute(f"SELECT gin_clean_pending_list('{table}_search_trgm')")
            cursor.execute(f"ANALYZE {table}")
    found = selectors.search(site, "Nguyễn Văn Cừ")
    assert found["tin"].count() == found["sach"].count() == 6
    assert "portal_article_search_trgm" in _plan(found["tin"][: selectors.SEARCH_PREVIEW + 1])
    assert "portal_book_search_trgm" in _plan(found["sach"][: selectors.SEARCH_PER_PAGE])


def test_the_search_reads_good_models_through_the_trigram_index(site, media, city):
    """The search's good models were read row by row (`search_text LIKE '%…%'`, no index):
    over 6,000 accepted models, a few about Nguyễn Văn Cừ, the planner takes the trigram
    index for the search as the page runs it (its first rows, newest first)."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'participation_goodmodel'"
            " AND indexname LIKE '%_trgm'"
        )
        assert {r[0] for r in cursor.fetchall()} == {"participation_goodmodel_search_trgm"}
    moment = now()
    topics = ("hoi thi van nghe phuong", "ra quan ve sinh moi truong", "tuyen truyen an toan")
    GoodModel.objects.bulk_create(
        GoodModel(
            campaign=site.campaign,
            unit=city.suoi_hoa,
            title=f"Mô hình {n}",
            description="Mô tả",
            status=GoodModel.Status.ACCEPTED,
            reviewed_at=moment,
            created_by=media,
            search_text=f"mo hinh {n} nguyen van cu" if n % 1000 == 0 else f"{topics[n % 3]} {n}",
        )
        for n in range(6000)
    )
    with connection.cursor() as cursor:  # as autovacuum does after a load like this one
        # New rows wait in a GIN index's pending list, read row by row, until merged.
        cursor.execute("SELECT gin_clean_pending_list('participation_goodmodel_search_trgm')")
        cursor.execute("ANALYZE participation_goodmodel")
    found = selectors.search(site, "Nguyễn Văn Cừ")
    assert found["mo-hinh"].count() == 6
    plan = _plan(found["mo-hinh"][: selectors.SEARCH_PREVIEW + 1])
    assert "participation_goodmodel_search_trgm" in plan
