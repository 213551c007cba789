import xml.etree.ElementTree as ET  # parses our own feeds and sitemap only
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import one_rate_window
from tests.factories.images import photo
from tests.factories.pages import page_title
from tests.portal.conftest import later
from thidua.participation import services as participation
from thidua.portal import services
from thidua.portal.models import Article, ContentStatus

pytestmark = pytest.mark.django_db


def test_internal_site_is_not_public(site, media):
    services.site_save(actor=media, campaign=site.campaign, is_public=False, intro="")
    assert Client().get(reverse("portal:home", args=[site.slug])).status_code == 404


def test_landing_page_shows_figures_news_and_og_tags(site, publish, media):
    publish(title="Khai mạc triển lãm ảnh", cover=photo(), cover_alt="Đại biểu cắt băng")
    response = Client().get(reverse("portal:home", args=[site.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Khai mạc triển lãm ảnh" in html
    assert "đơn vị đăng ký tham gia" in html
    assert 'property="og:title"' in html
    assert 'property="og:image" content="http://testserver/cong-thong-tin/anh/article/' in html
    assert 'alt="Đại biểu cắt băng"' in html


def test_the_landing_pages_photos_and_models_lead_on_to_their_pages(
    site, media, officer, office_user, city
):
    """The landing page shows three albums and three models, with no way on to the others but
    the menu at the top of the page (the news have "Xem tất cả tin tức")."""
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    services.photo_add(actor=media, album=album, image=photo(), caption="Ảnh", alt_text="Ảnh")
    model = participation.good_model_propose(
        actor=officer, campaign=site.campaign, unit=city.suoi_hoa, kind="model",
        title="Tủ sách phường", description="Mô tả",
    )  # fmt: skip
    participation.good_model_review(actor=office_user, good_model=model, decision="accept", note="")
    html = Client().get(reverse("portal:home", args=[site.slug])).content.decode()
    photos = html.split('id="photos-title"')[1].split("</section>")[0]
    models = html.split('id="models-title"')[1].split("</section>")[0]
    assert f'href="{reverse("portal:exhibition", args=[site.slug])}">Xem tất cả bộ ảnh' in photos
    assert f'href="{reverse("portal:good-models", args=[site.slug])}">Xem tất cả mô hình' in models


def test_public_pages_are_cached_for_visitors(site, publish):
    publish(title="Tin một")
    url = reverse("portal:news", args=[site.slug])
    assert Client().get(url)["X-Portal-Cache"] == "miss"
    assert Client().get(url)["X-Portal-Cache"] == "hit"
    assert Client().get(url, {"junk": "1"})["X-Portal-Cache"] == "hit"  # unknown parameters
    assert Client().get(url, {"trang": "2"})["X-Portal-Cache"] == "miss"


def test_a_script_in_an_article_never_reaches_the_page(site, media, section):
    article = services.article_save(
        actor=media,
        site=site,
        section=section,
        title="Bài có mã độc",
        body='<p>Nội dung</p><script>alert("x")</script><img src=x onerror=alert(1)>',
    )
    services.article_publish(actor=media, article=article)
    html = Client().get(reverse("portal:article", args=[site.slug, article.slug])).content.decode()
    assert "Nội dung" in html
    assert 'alert("x")' not in html
    assert "onerror" not in html


def test_scheduled_article_is_hidden_until_its_time(site, publish):
    article = publish(title="Bài hẹn giờ", at=later(5))
    client = Client()
    assert client.get(reverse("portal:article", args=[site.slug, article.slug])).status_code == 404
    assert (
        "Bài hẹn giờ" not in client.get(reverse("portal:news", args=[site.slug])).content.decode()
    )


def test_article_page_has_related_articles(site, publish):
    first = publish(title="Tin thứ nhất")
    publish(title="Tin thứ hai")
    html = Client().get(reverse("portal:article", args=[site.slug, first.slug])).content.decode()
    assert "Tin liên quan" in html
    assert "Tin thứ hai" in html


def test_feeds_and_sitemap(site, publish):
    article = publish(title="Tin cho RSS")
    publish(title="Tin hẹn giờ", at=later(5))
    rss = Client().get(reverse("portal:feed-rss", args=[site.slug]))
    root = ET.fromstring(rss.content)  # noqa: S314 - our own feed
    titles = [t.text for t in root.iter("title")]
    assert "Tin cho RSS" in titles
    assert "Tin hẹn giờ" not in titles
    atom = Client().get(reverse("portal:feed-atom", args=[site.slug]))
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")  # noqa: S314 - our own feed
    assert len(entries) == 1
    sitemap = Client().get(reverse("portal:sitemap"))
    locs = [
        e.text
        for e in ET.fromstring(sitemap.content).iter(  # noqa: S314 - our own sitemap
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert f"http://testserver/cong-thong-tin/{site.slug}/tin-tuc/{article.slug}/" in locs
    assert all("tin-hen-gio" not in loc for loc in locs)


def test_search_page_finds_without_accents(site, publish):
    publish(title="Tưởng niệm Tổng Bí thư Nguyễn Văn Cừ")
    response = Client().get(reverse("portal:search", args=[site.slug]), {"q": "nguyen van cu"})
    assert "Tưởng niệm Tổng Bí thư Nguyễn Văn Cừ" in response.content.decode()


def test_images_of_drafts_are_not_public(site, media, section, media_client):
    draft = services.article_save(
        actor=media,
        site=site,
        section=section,
        title="Nháp",
        body="<p>Nội dung</p>",
        cover=photo(),
        cover_alt="a",
    )
    url = reverse("portal:image", args=["article", draft.pk, "medium"])
    assert Client().get(url).status_code == 404
    response = media_client.get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    # Shown to its editor only: no shared cache or browser keeps it for the public.
    assert response["Cache-Control"] == "private, no-store"
    services.article_publish(actor=media, article=draft)
    public = Client().get(url)
    assert (public.status_code, public["Cache-Control"]) == (200, "public, max-age=86400")
    b"".join(public.streaming_content)


def test_good_models_show_only_names_and_units(site, officer, city, office_user):
    from thidua.organizations.models import Person

    person = Person.objects.create(
        full_name="Lê Thị Mai",
        gender="female",
        unit=city.suoi_hoa,
        category="civil_servant",
        birth_year=1977,
        is_party_member=True,
    )
    model = participation.good_model_propose(
        actor=officer,
        campaign=site.campaign,
        unit=city.suoi_hoa,
        kind="individual",
        title="Cán bộ tận tụy",
        description="Mô tả",
        person=person,
    )
    participation.good_model_review(actor=office_user, good_model=model, decision="accept", note="")
    for url in (
        reverse("portal:good-models", args=[site.slug]),
        reverse("portal:good-model", args=[site.slug, model.pk]),
    ):
        html = Client().get(url).content.decode()
        assert "Lê Thị Mai" in html
        assert "1977" not in html
        assert "đảng viên" not in html.lower()


def test_album_page_has_viewer_and_responsive_images(site, media):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh kỷ niệm")
    services.photo_add(actor=media, album=album, image=photo(), caption="Ảnh 1", alt_text="Mô tả 1")
    html = Client().get(reverse("portal:album", args=[site.slug, album.slug])).content.decode()
    assert 'id="viewer"' in html
    assert "480w" in html
    assert "960w" in html
    assert 'alt="Mô tả 1"' in html


def test_media_staff_write_preview_and_publish(site, section, media_client):
    response = media_client.post(
        reverse("portal:article-create", args=[site.campaign.pk]),
        {"section": section.pk, "title": "Bài mới", "body": "<p>Xin chào</p><script>x</script>"},
    )
    article = Article.objects.get(title="Bài mới")
    assert response.status_code == 302
    assert article.status == ContentStatus.DRAFT
    preview = media_client.get(reverse("portal:article-preview", args=[article.pk]))
    assert "Bản xem trước" in preview.content.decode()
    media_client.post(
        reverse("portal:article-publish", args=[article.pk]), {"publish_at": "01/01/2099 08:00"}
    )
    article.refresh_from_db()
    assert article.status == ContentStatus.PUBLISHED
    assert article.publish_at.year == 2099
    assert "<script" not in article.body


def test_failed_form_keeps_what_was_typed(site, section, media_client):
    response = media_client.post(
        reverse("portal:article-create", args=[site.campaign.pk]),
        {"section": section.pk, "title": "Tiêu đề giữ lại", "cover": photo(), "cover_alt": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiêu đề giữ lại" in html
    assert "cần có mô tả" in html


@pytest.mark.parametrize("rows", [1, 15])
def test_news_list_query_count_is_flat(rows, site, publish, django_assert_max_num_queries, media):
    for i in range(rows):
        publish(title=f"Tin số {i}", cover=photo(), cover_alt="a")
    with django_assert_max_num_queries(8):
        response = Client().get(reverse("portal:news", args=[site.slug]))
    assert len(response.context["page"].object_list) == min(rows, 12)


def test_the_news_list_counts_news_not_rows(site, publish, media):
    """Under the news a visitor read "4 dòng" (4 rows), the staff lists' wording."""
    for n in range(13):
        publish(title=f"Tin số {n}")
    first = Client().get(reverse("portal:news", args=[site.slug])).content.decode()
    assert "Trang 1/2 · 13 tin" in first
    assert "dòng" not in first
    other = services.section_create(actor=media, site=site, name="Gương người tốt")
    article = services.article_save(
        actor=media, site=site, section=other, title="Người tốt việc tốt", body="<p>Bài</p>"
    )
    services.article_publish(actor=media, article=article)
    one = Client().get(reverse("portal:section", args=[site.slug, other.slug])).content.decode()
    assert '<p class="small text-secondary">1 tin</p>' in one


@pytest.mark.parametrize("rows", [1, 10])
def test_landing_and_exhibition_query_counts_are_flat(
    rows, site, publish, media, django_assert_max_num_queries
):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    for i in range(rows):
        publish(title=f"Tin {i}")
        services.photo_add(
            actor=media, album=album, image=photo(), caption=f"Ảnh {i}", alt_text="a"
        )
        services.book_save(actor=media, site=site, title=f"Sách {i}")
    for name in (
        "portal:home",
        "portal:exhibition",
        "portal:books",
        "portal:good-models",
        "portal:events",
    ):
        with django_assert_max_num_queries(12):
            assert Client().get(reverse(name, args=[site.slug])).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_editor_pages_query_counts_are_flat(
    rows, site, section, media, media_client, officer, city, django_assert_max_num_queries
):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    for i in range(rows):
        services.article_save(actor=media, site=site, section=section, title=f"Nháp {i}")
        services.photo_submit(
            actor=officer, album=album, unit=city.suoi_hoa, image=photo(), caption="c", alt_text="a"
        )
        services.article_submit(
            actor=officer, site=site, unit=city.suoi_hoa, section=section, title=f"Gửi {i}"
        )
    for name in ("portal:manage", "portal:submissions"):
        with django_assert_max_num_queries(30):
            assert media_client.get(reverse(name, args=[site.campaign.pk])).status_code == 200


def test_a_ward_sees_the_answer_to_what_it_sent(site, section, media, officer, city):
    from tests.conftest import verified_client

    article = services.article_submit(
        actor=officer, site=site, unit=city.suoi_hoa, section=section, title="Tin phường gửi"
    )
    services.submission_review(
        actor=media, item=article, decision="decline", note="Trùng tin đã đăng"
    )
    html = (
        verified_client(officer)
        .get(reverse("portal:manage", args=[site.campaign.pk]))
        .content.decode()
    )
    assert "Tin phường gửi" in html
    assert "Trùng tin đã đăng" in html


def test_search_is_rate_limited(site, settings, monkeypatch):
    from thidua.portal.views import public as views

    monkeypatch.setattr(views, "SEARCH_RATE", "3/m")
    url = reverse("portal:search", args=[site.slug])
    with one_rate_window():
        statuses = [Client().get(url, {"q": f"tu khoa {i}"}).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_ward_sends_a_photo_through_the_form(site, media, officer, city):
    from tests.conftest import verified_client

    client = verified_client(officer)
    url = reverse("portal:submit-photo", args=[site.campaign.pk])
    assert client.get(url).status_code == 302  # no album yet: back to the hub with a message
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    response = client.post(
        url,
        {
            "don-vi": city.suoi_hoa.pk,
            "album": album.pk,
            "image": photo(),
            "caption": "Ra quân tuyên truyền",
            "alt_text": "Đoàn viên cầm cờ",
        },
    )
    assert response.status_code == 302
    sent = album.photos.get()
    assert sent.status == ContentStatus.SUBMITTED
    assert sent.submitted_unit == city.suoi_hoa


def test_the_campaigns_contest_is_in_the_menu_and_its_entries_in_the_figures(
    client, site, make_user, city
):
    from tests.contests.conftest import HEADERS, open_round, question_rows
    from tests.factories.xlsx import xlsx_upload
    from thidua.contests import services as contests

    home = reverse("portal:home", args=[site.slug])
    assert "bài dự thi" not in client.get(home).content.decode()
    organiser = make_user("contest_organiser")
    contest = contests.contest_create(
        actor=organiser, campaign=site.campaign, organiser_unit=city.centre, title="Cuộc thi"
    )
    contests.question_import(
        actor=organiser,
        contest=contest,
        upload=xlsx_upload([HEADERS, *question_rows(12)]),
        filename="cau-hoi.xlsx",
    )
    open_round(organiser, contest)
    cache.clear()
    html = client.get(home).content.decode()
    assert reverse("contests:public-contest", args=[contest.pk]) in html
    assert "<strong>0</strong> bài dự thi" in html


def test_home_lists_todays_events_apart_from_upcoming_ones_and_groups_thousands(
    site, media, officer, city
):
    """An event on a later day is "Sắp diễn ra", never "Đang diễn ra"; the day is the one in
    Hà Nội (00:30 there is still yesterday in UTC)."""
    from datetime import date, datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    moment = datetime(2022, 7, 10, 0, 30, tzinfo=hanoi)
    participation.activity_record(
        actor=officer,
        campaign=site.campaign,
        unit=city.suoi_hoa,
        form=site.campaign.forms.first(),
        title="Hội thi",
        held_on=date(2022, 7, 5),
        participants=4313,
    )
    with time_machine.travel(moment, tick=False):
        for title, starts_at in (
            ("Hôm qua", moment - timedelta(hours=2)),
            ("Sáng nay", moment.replace(hour=8)),
            ("Tối nay", moment.replace(hour=20)),
            ("Ngày mai", moment + timedelta(days=1)),
            ("Tuần sau", moment + timedelta(days=7)),
        ):
            services.event_save(
                actor=media, site=site, kind="talk", title=title, starts_at=starts_at, place="A"
            )
        html = Client().get(reverse("portal:home", args=[site.slug])).content.decode()
    assert "Đang diễn ra" not in html
    today = html.split('id="today-title">Diễn ra hôm nay</h2>')[1].split("</section>")[0]
    upcoming = html.split('id="upcoming-title">Sắp diễn ra</h2>')[1].split("</section>")[0]
    assert ("Sáng nay" in today, "Tối nay" in today, "Ngày mai" in today) == (True, True, False)
    assert ("Ngày mai" in upcoming, "Tuần sau" in upcoming, "Tối nay" in upcoming) == (
        True,
        True,
        False,
    )
    assert "Hôm qua" not in html
    assert "<strong>4.313</strong> lượt người tham gia" in html


def test_search_with_nothing_found_says_so_and_offers_the_news(site):
    page = Client().get(reverse("portal:search", args=[site.slug]), {"q": "xyzxyz"})
    text = page.content.decode()
    assert "Không tìm thấy tin, ảnh, sách hay mô hình nào có “xyzxyz”" in text
    assert reverse("portal:news", args=[site.slug]) in text.split("search-count", 1)[1]
    assert "0 kết quả" not in text


def test_one_kind_with_nothing_found_shows_no_empty_heading(site, publish):
    """One kind's page ("Xem tất cả", ?loai=) with nothing found said so, then showed the kind's
    heading over an empty list, as if results were to follow."""
    publish(title="Dân ca Quan họ")
    search = reverse("portal:search", args=[site.slug])
    html = Client().get(search, {"q": "quan ho", "loai": "anh"}).content.decode()
    assert "Không tìm thấy ảnh nào có “quan ho”" in html
    assert 'id="kq-anh"' not in html
    html = Client().get(search, {"q": "quan ho", "loai": "tin"}).content.decode()
    assert 'id="kq-tin"' in html
    assert "Dân ca Quan họ" in html


def honour(campaign, city, n: int, *, collective: bool = False, name: str = ""):
    """An award in force of the campaign, as the old registry's import enters it."""
    from thidua.awards.models import AwardRecord, AwardType
    from thidua.awards.models.registry import record_name_sort
    from thidua.core.text import fold

    name = name or (f"Phường Số {n:03d}" if collective else f"Ông Nguyễn Văn {n:03d}")
    return AwardRecord.objects.create(
        issuer_code="TPBN",
        year=2022,
        number=n,
        award_type=AwardType.objects.get(code="BK-TINH"),
        campaign=campaign,
        subject="collective" if collective else "individual",
        unit=city.suoi_hoa,
        recipient_name=name,
        unit_name=city.suoi_hoa.name,
        legacy_decision="415/QĐ-UBND",
        legacy_signed_on=date(2022, 3, 10),
        token=f"vinh-danh-{n}",
        search_text=fold(name),
        name_sort=record_name_sort(name, "collective" if collective else "individual"),
    )


def test_the_honour_board_is_paged_collectives_first(site, city):
    for n in range(1, 56):
        honour(site.campaign, city, n, collective=n > 50)
    url = reverse("portal:honours", args=[site.slug])
    first = Client().get(url).content.decode()
    assert "Trang 1/2 · 55 lượt khen thưởng" in first
    assert first.index("Phường Số 051") < first.index("Ông Nguyễn Văn 001")
    assert "Ông Nguyễn Văn 045" in first
    assert "Ông Nguyễn Văn 046" not in first
    second = Client().get(url, {"trang": "2"}).content.decode()
    assert "Trang 2/2" in second
    assert "Ông Nguyễn Văn 046" in second
    assert "Ông Nguyễn Văn 050" in second
    assert "Phường Số 051" not in second


def test_the_honour_board_sorts_people_by_name_not_by_salutation(site, city):
    for n, name in enumerate(("Bà Vũ Thị Hạnh", "Ông Trần Văn An", "Bà Lê Thị Bình"), start=1):
        honour(site.campaign, city, n, name=name)
    html = Client().get(reverse("portal:honours", args=[site.slug])).content.decode()
    assert html.index("Trần Văn An") < html.index("Lê Thị Bình") < html.index("Vũ Thị Hạnh")


@pytest.mark.parametrize("rows", [1, 60])
def test_honour_board_query_count_is_flat(rows, site, city, django_assert_max_num_queries):
    for n in range(1, rows + 1):
        honour(site.campaign, city, n, collective=n % 3 == 0)
    with django_assert_max_num_queries(8):
        response = Client().get(reverse("portal:honours", args=[site.slug]))
    assert len(response.context["page"].object_list) == min(rows, 50)


def test_the_good_models_list_counts_models_and_events_show_date_then_time(
    site, media, officer, office_user, city
):
    for title in ("Tủ sách phường", "Dân vận khéo"):
        model = participation.good_model_propose(
            actor=officer,
            campaign=site.campaign,
            unit=city.suoi_hoa,
            kind="model",
            title=title,
            description="Mô tả",
        )
        participation.good_model_review(
            actor=office_user, good_model=model, decision="accept", note=""
        )
    models = Client().get(reverse("portal:good-models", args=[site.slug])).content.decode()
    assert "2 mô hình</p>" in models
    assert "dòng" not in models
    event = services.event_save(
        actor=media,
        site=site,
        kind="seminar",
        title="Tọa đàm",
        starts_at=datetime(2026, 12, 18, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        place="Hội trường",
    )
    page = Client().get(reverse("portal:event", args=[site.slug, event.slug])).content.decode()
    assert ">18/12/2026 08:00</time>" in page


def test_every_public_page_is_self_contained_and_names_itself(site, publish, media):
    """Closed networks: no page may load a script, style, font or image from another host, and
    each says in the browser's tab (or a shared link) which page it is."""
    article = publish()
    album = services.album_save(actor=media, site=site, title="Bộ ảnh kỷ niệm")
    services.photo_add(actor=media, album=album, image=photo(), caption="Ảnh 1", alt_text="Ảnh")
    services.book_save(actor=media, site=site, title="Nguyễn Văn Cừ – Nhà lãnh đạo xuất sắc")
    event = services.event_save(
        actor=media, site=site, kind="seminar", title="Tọa đàm kỷ niệm", starts_at=later(),
        place="Nhà văn hóa",
    )  # fmt: skip
    slug = site.slug
    pages = {
        reverse("portal:home", args=[slug]): site.campaign.title[:20],
        reverse("portal:news", args=[slug]): "Tin tức",
        reverse("portal:article", args=[slug, article.slug]): article.title,
        reverse("portal:exhibition", args=[slug]): "Triển lãm ảnh",
        reverse("portal:album", args=[slug, album.slug]): "Bộ ảnh kỷ niệm",
        reverse("portal:books", args=[slug]): "Trưng bày sách",
        reverse("portal:events", args=[slug]): "Sự kiện",
        reverse("portal:event", args=[slug, event.slug]): "Tọa đàm kỷ niệm",
        reverse("portal:good-models", args=[slug]): "Mô hình hay",
        reverse("portal:honours", args=[slug]): "Vinh danh",
        reverse("portal:certificate-check", args=[slug]): "Tra cứu giấy khen",
        reverse("portal:search", args=[slug]) + "?q=cu": "Tìm kiếm",
    }
    for url, name in pages.items():
        response = Client().get(url)
        assert response.status_code == 200, url
        assert page_title(response.content.decode()).startswith(name), url


def test_the_book_display_is_paged_and_search_links_to_the_right_page(
    site, media, django_assert_max_num_queries
):
    """Every book on one page: a cover and a few lines each, some 600 px on a phone, so a
    display of a hundred books was a page of 60,000 px. Twenty a page; a book found by the
    search opens on its own page."""
    for n in range(1, 46):
        services.book_save(actor=media, site=site, title=f"Sách số {n:03d}", author="Tác giả")
    url = reverse("portal:books", args=[site.slug])
    first = Client().get(url).content.decode()
    assert "Trang 1/3 · 45 cuốn sách" in first
    assert "Sách số 020" in first
    assert "Sách số 021" not in first
    third = Client().get(url, {"trang": "3"}).content.decode()
    assert "Sách số 041" in third
    assert "Sách số 040" not in third
    search = reverse("portal:search", args=[site.slug])
    found = Client().get(search, {"q": "sach so 041"})
    book = found.context["groups"][0].rows[0]
    assert f'href="{url}?trang=3#sach-{book.pk}"' in found.content.decode()
    found = Client().get(search, {"q": "sach so 002"}).content.decode()
    assert f'href="{url}#sach-' in found  # the first page needs no number
    with django_assert_max_num_queries(8):
        Client().get(search, {"q": "sach so"})  # thirty books found: one query for them


def test_an_album_is_paged_and_the_viewer_goes_on_to_the_next_page(
    site, media, django_assert_max_num_queries
):
    """An album of 300 photos was one page of 300 images. Forty a page; the full-screen viewer
    goes past a page's last photo to the next page's first (#xem-dau), wrapping round."""
    album = services.album_save(actor=media, site=site, title="Bộ ảnh lớn")
    image = photo()
    for n in range(1, 83):
        image.seek(0)
        services.photo_add(
            actor=media, album=album, image=image, caption=f"Ảnh số {n:03d}", alt_text="Ảnh"
        )
    url = reverse("portal:album", args=[site.slug, album.slug])
    with django_assert_max_num_queries(8):
        first = Client().get(url).content.decode()
    assert first.count('class="photo-link"') == 40
    assert "Trang 1/3 · 82 ảnh" in first
    assert "Ảnh số 040" in first
    assert "Ảnh số 041" not in first
    assert 'data-offset="0" data-total="82"' in first
    assert 'data-next="?trang=2#xem-dau" data-prev="?trang=3#xem-cuoi"' in first
    with django_assert_max_num_queries(8):
        third = Client().get(url, {"trang": "3"}).content.decode()
    assert third.count('class="photo-link"') == 2
    assert "Ảnh số 081" in third
    assert 'data-offset="80"' in third
    assert 'data-next="?trang=1#xem-dau" data-prev="?trang=2#xem-cuoi"' in third
    last = album.photos.order_by("-position", "-pk").first()
    assert f'<li id="anh-{last.pk}">' in third


def test_the_events_page_is_paged_upcoming_first_then_past(
    site, media, django_assert_max_num_queries
):
    """Every event on one page; twenty a page, upcoming ones first (soonest first), then past
    ones (latest first), the headings where their events are."""
    for n in range(1, 16):
        services.event_save(
            actor=media, site=site, kind="seminar", title=f"Sắp tới {n:02d}",
            starts_at=later(24 * n), place="Hội trường",
        )  # fmt: skip
        services.event_save(
            actor=media, site=site, kind="talk", title=f"Đã qua {n:02d}",
            starts_at=later(-24 * n), place="Nhà văn hóa",
        )  # fmt: skip
    url = reverse("portal:events", args=[site.slug])
    with django_assert_max_num_queries(8):
        first = Client().get(url).content.decode()
    assert "Trang 1/2 · 30 sự kiện" in first
    assert first.index("Sắp tới 01") < first.index("Sắp tới 15") < first.index("Đã diễn ra")
    assert first.index("Đã qua 01") < first.index("Đã qua 05")
    assert "Đã qua 06" not in first
    second = Client().get(url, {"trang": "2"}).content.decode()
    assert "Sắp diễn ra" not in second
    assert "Đã qua 06" in second
    assert "Đã qua 15" in second
    assert "Sắp tới 01" not in second


def test_the_search_finds_photos_by_caption_author_and_album_without_accents(site, media):
    """Photos of the exhibition had no search text: "ha noi" found nothing, however many
    photos of Hà Nội were on show. A photo is found by its caption, its author and its album
    (by the album's new title once renamed), opened on its album page; one taken off is not."""
    album = services.album_save(actor=media, site=site, title="Mùa thu Hà Nội")
    shown = services.photo_add(
        actor=media, album=album, image=photo(), caption="Phố cổ về đêm", alt_text="Phố",
        photographer="Trần Thị Lụa",
    )  # fmt: skip
    gone = services.photo_add(
        actor=media, album=album, image=photo(), caption="Phố cổ bị gỡ", alt_text="Phố"
    )
    services.photo_withdraw(actor=media, photo=gone)
    search = reverse("portal:search", args=[site.slug])
    for query in ("ha noi", "PHO CO", "tran thi lua", "Mùa thu"):
        html = Client().get(search, {"q": query}).content.decode()
        assert "Phố cổ về đêm" in html, query
        assert "Phố cổ bị gỡ" not in html, query
    album_url = reverse("portal:album", args=[site.slug, album.slug])
    assert f'href="{album_url}#anh-{shown.pk}"' in html
    assert "Bộ ảnh: Mùa thu Hà Nội · Ảnh: Trần Thị Lụa" in html
    services.album_save(actor=media, site=site, title="Hồ Gươm", album=album)
    assert "Phố cổ về đêm" in Client().get(search, {"q": "ho guom"}).content.decode()
    assert "Phố cổ về đêm" not in Client().get(search, {"q": "mua thu"}).content.decode()


@pytest.mark.parametrize("rows", [3, 45])
def test_search_results_are_paged_by_kind_in_flat_queries(
    rows, site, media, publish, django_assert_max_num_queries
):
    """Thirty of each kind on one page, the rest dropped unsaid; now every kind shows its first
    five and how many there are, and "Xem tất cả" pages that kind twenty a page, a photo
    linking to its own page of the album."""
    album = services.album_save(actor=media, site=site, title="Bộ ảnh Nguyễn Văn Cừ")
    image = photo()
    for n in range(1, rows + 1):
        image.seek(0)
        services.photo_add(
            actor=media, album=album, image=image, caption=f"Ảnh số {n:03d}", alt_text="Ảnh"
        )
        publish(title=f"Tin Nguyễn Văn Cừ số {n:03d}")
        services.book_save(actor=media, site=site, title=f"Sách Nguyễn Văn Cừ số {n:03d}")
    search = reverse("portal:search", args=[site.slug])
    with django_assert_max_num_queries(10):
        overview = Client().get(search, {"q": "nguyen van cu"})
    html = overview.content.decode()
    groups = {g.kind.key: g for g in overview.context["groups"]}
    assert {k: g.count for k, g in groups.items()} == {"tin": rows, "anh": rows, "sach": rows}
    assert html.count("Ảnh số") == min(rows, 5)
    assert f"{3 * rows} kết quả" in html
    if rows > 5:
        assert f"Xem tất cả {rows} ảnh" in html
        assert 'href="?q=nguyen+van+cu&amp;loai=anh"' in html
    else:
        assert "Xem tất cả" not in html
    with django_assert_max_num_queries(8):
        paged = Client().get(search, {"q": "nguyen van cu", "loai": "anh", "trang": "3"})
    html = paged.content.decode()
    if rows > 5:
        assert "Trang 3/3 · 45 ảnh" in html
        assert html.count("Ảnh số") == 5
        assert "Ảnh số 041" in html
        assert "Tin Nguyễn Văn Cừ" not in html
        album_url = reverse("portal:album", args=[site.slug, album.slug])
        last = album.photos.order_by("-position", "-pk").first()
        assert f'href="{album_url}?trang=2#anh-{last.pk}"' in html
        assert 'href="?q=nguyen+van+cu&amp;loai=anh&amp;trang=2"' in html


def test_the_photo_search_column_is_filled_for_existing_photos(site, media):
    import importlib

    from django.apps import apps

    from thidua.portal.models import Photo

    migration = importlib.import_module("thidua.portal.migrations.0002_photo_search_text")
    album = services.album_save(actor=media, site=site, title="Hà Nội")
    shown = services.photo_add(
        actor=media, album=album, image=photo(), caption="Hồ Gươm", alt_text="Hồ",
        photographer="Lê Văn Tám",
    )  # fmt: skip
    Photo.objects.update(search_text="")  # as the column was added
    migration.fill(apps, None)
    shown.refresh_from_db()
    assert shown.search_text == "ho guom le van tam ha noi"


def test_the_sitemap_lists_every_page_of_an_album_and_no_more(site, media):
    """An album is paged forty photos a page; the sitemap listed only its first page, so the
    photos beyond the fortieth were never found by search engines."""
    album = services.album_save(actor=media, site=site, title="Bộ ảnh dài")
    image = photo()
    photos = []
    for n in range(41):
        image.seek(0)
        photos.append(
            services.photo_add(
                actor=media, album=album, image=image, caption=f"Ảnh {n}", alt_text="a"
            )
        )
    url = f"http://testserver{reverse('portal:album', args=[site.slug, album.slug])}"

    def locs() -> list[str]:
        sitemap = Client().get(reverse("portal:sitemap"))
        return [
            e.text
            for e in ET.fromstring(sitemap.content).iter(  # noqa: S314 - our own sitemap
                "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
            )
            if e.text.startswith(url)
        ]

    assert locs() == [url, f"{url}?trang=2"]
    services.photo_withdraw(actor=media, photo=photos[0])  # forty left: one page
    assert locs() == [url]


def test_a_lists_later_pages_say_their_number_in_the_title(site, publish, media, monkeypatch):
    """Page 2 of the news had the title of page 1: in a tab, a bookmark or a search engine's
    results (which the sitemap sends to every page) the pages were one page said many times."""
    from thidua.portal import selectors
    from thidua.portal.views import public as views

    monkeypatch.setattr(views, "NEWS_PER_PAGE", 1)
    monkeypatch.setattr(selectors, "BOOKS_PER_PAGE", 1)
    monkeypatch.setattr(selectors, "EVENTS_PER_PAGE", 1)
    for n in range(2):
        publish(title=f"Tin {n}")
        services.book_save(actor=media, site=site, title=f"Sách {n}")
        services.event_save(
            actor=media, site=site, kind="talk", title=f"Sự kiện {n}", starts_at=later(n + 1),
            place="Hội trường",
        )  # fmt: skip
    for name, title in (
        ("portal:news", "Tin tức"),
        ("portal:books", "Trưng bày sách"),
        ("portal:events", "Sự kiện"),
    ):
        url = reverse(name, args=[site.slug])
        first = page_title(Client().get(url).content.decode())
        assert first.startswith(f"{title} · "), first
        second = page_title(Client().get(url, {"trang": "2"}).content.decode())
        assert second.startswith(f"{title} – trang 2 · "), second


def sitemap_entries() -> dict[str, str | None]:
    """The sitemap's pages with their lastmod (None without one), in its order."""
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ET.fromstring(Client().get(reverse("portal:sitemap")).content)  # noqa: S314 - ours
    return {
        u.find(f"{ns}loc").text.removeprefix("http://testserver"): getattr(
            u.find(f"{ns}lastmod"), "text", None
        )
        for u in root.iter(f"{ns}url")
    }


@pytest.mark.parametrize("rows", [1, 4])
def test_the_sitemap_lists_every_page_of_each_list_in_flat_queries(
    rows, site, media, section, publish, officer, office_user, city, monkeypatch,
    django_assert_max_num_queries,
):  # fmt: skip
    """The sitemap listed the first page of the news, books, events and good models only:
    older articles' list pages were never reached by search engines. Every page now, as the
    lists page them, a news page dated by the list's latest article; a few queries a site."""
    from django.utils.timezone import localdate

    from thidua.portal import selectors
    from thidua.portal.views import public as views

    # Two a page, so a handful of rows makes several pages.
    monkeypatch.setattr(views, "NEWS_PER_PAGE", 2)
    monkeypatch.setattr(views, "GOOD_MODELS_PER_PAGE", 2)
    monkeypatch.setattr(selectors, "BOOKS_PER_PAGE", 2)
    monkeypatch.setattr(selectors, "EVENTS_PER_PAGE", 2)
    other = services.section_create(actor=media, site=site, name="Gương người tốt")
    for n in range(rows):
        publish(title=f"Tin số {n}")
        services.book_save(actor=media, site=site, title=f"Sách số {n}")
        services.event_save(
            actor=media, site=site, kind="talk", title=f"Sự kiện {n}", starts_at=later(n + 1),
            place="Hội trường",
        )  # fmt: skip
        model = participation.good_model_propose(
            actor=officer, campaign=site.campaign, unit=city.suoi_hoa, kind="model",
            title=f"Mô hình {n}", description="Mô tả",
        )  # fmt: skip
        participation.good_model_review(
            actor=office_user, good_model=model, decision="accept", note=""
        )
    publish(title="Tin hẹn giờ", at=later(5))  # not on the lists yet: no page for it
    pages = -(-rows // 2)
    with django_assert_max_num_queries(8):
        entries = sitemap_entries()
    s = site.slug
    for url in (
        reverse("portal:news", args=[s]),
        reverse("portal:section", args=[s, section.slug]),
        reverse("portal:books", args=[s]),
        reverse("portal:events", args=[s]),
        reverse("portal:good-models", args=[s]),
    ):
        listed = [u for u in entries if u.split("?")[0] == url]
        assert listed == [url, *(f"{url}?trang={n}" for n in range(2, pages + 1))], url
    assert reverse("portal:section", args=[s, other.slug]) in entries  # empty: one page
    newest = Article.objects.get(title=f"Tin số {rows - 1}")
    news = reverse("portal:news", args=[s])
    assert entries[f"{news}?trang={pages}" if pages > 1 else news] == str(
        localdate(newest.updated_at)
    )


def test_the_search_page_has_one_search_box_with_the_query_in_it(site, publish):
    """The search page showed two boxes, the header's and its own, both with the query: the
    header's is left out there; every other page keeps it."""
    publish(title="Tưởng niệm Tổng Bí thư Nguyễn Văn Cừ")
    html = (
        Client()
        .get(reverse("portal:search", args=[site.slug]), {"q": "nguyen van cu"})
        .content.decode()
    )
    assert html.count('type="search"') == 1
    assert html.count('role="search"') == 1
    assert 'id="q2" name="q" value="nguyen van cu"' in html
    news = Client().get(reverse("portal:news", args=[site.slug])).content.decode()
    assert news.count('type="search"') == 1
    assert 'id="portal-q"' in news
