"""Issue 18, M7: two editors with the same book, event or album open never erase each other's
saved change; the same field changed by both is refused in Vietnamese, the input kept."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import verified_client
from tests.core.test_concurrency import Tab
from thidua.accounts.models import Role
from thidua.core.clock import now
from thidua.portal import services

pytestmark = pytest.mark.django_db

REFUSED = "người khác đã lưu nội dung khác ở"


@pytest.fixture
def second_client(make_user):
    return verified_client(make_user(Role.MEDIA_STAFF))


def _refused(response, field_label: str, typed: str) -> None:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"{REFUSED} “{field_label}”" in page
    assert typed in page  # what was typed stays on screen


def test_two_tabs_editing_one_book_both_keep_their_change(
    media, media_client, second_client, site, campaign
):
    book = services.book_save(actor=media, site=site, title="Ngọn đuốc", author="Nhiều tác giả")
    url = reverse("portal:book-edit", args=[campaign.pk, book.pk])
    mine, theirs = Tab(media_client, url), Tab(second_client, url)
    assert mine.save(author="Ban Tuyên giáo").status_code == 302
    assert theirs.save(intro="Sách về cuộc đời đồng chí").status_code == 302
    book.refresh_from_db()
    assert (book.author, book.intro) == ("Ban Tuyên giáo", "Sách về cuộc đời đồng chí")
    _refused(theirs.save(author="Nhà xuất bản Chính trị"), "tác giả", "Nhà xuất bản Chính trị")
    book.refresh_from_db()
    assert book.author == "Ban Tuyên giáo"


def test_two_tabs_editing_one_event_both_keep_their_change(
    media, media_client, second_client, site, campaign
):
    starts = now() + timedelta(days=3, seconds=17)  # stored with seconds; the form shows minutes
    event = services.event_save(
        actor=media,
        site=site,
        kind="seminar",
        title="Tọa đàm",
        starts_at=starts,
        place="Hội trường",
    )
    url = reverse("portal:event-edit", args=[campaign.pk, event.pk])
    mine, theirs = Tab(media_client, url), Tab(second_client, url)
    assert mine.save(place="Nhà văn hóa", is_published="on").status_code == 302
    assert theirs.save(title="Tọa đàm khoa học", is_published="on").status_code == 302
    event.refresh_from_db()
    assert (event.place, event.title, event.starts_at) == (
        "Nhà văn hóa",
        "Tọa đàm khoa học",
        starts,
    )
    _refused(theirs.save(place="Sân vận động", is_published="on"), "địa điểm", "Sân vận động")
    event.refresh_from_db()
    assert event.place == "Nhà văn hóa"
    # A new time from one tab is written while the other only changed the title.
    later = timezone.localtime(now() + timedelta(days=5)).strftime("%d/%m/%Y 09:30")
    assert mine.save(starts_at=later, place="Nhà văn hóa", is_published="on").status_code == 302
    event.refresh_from_db()
    assert event.title == "Tọa đàm khoa học"
    assert event.starts_at != starts


def _album_tab(client, url: str) -> dict[str, str]:
    """The album's own form on its page (the page also holds the photo upload form)."""
    page = client.get(url).content.decode()
    form = next(f for f in re.findall(r"<form.*?</form>", page, re.S) if 'name="_bases"' in f)
    data = {
        n: html.unescape(v)
        for n, v in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
        if n != "csrfmiddlewaretoken"
    }
    data |= {
        n: html.unescape(v)
        for n, v in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', form)
    }
    assert set(data) == {"title", "description", "_bases"}
    return data


def test_two_tabs_editing_one_album_both_keep_their_change(
    media, media_client, second_client, site
):
    album = services.album_save(
        actor=media, site=site, title="Triển lãm", description="Ảnh tư liệu"
    )
    url = reverse("portal:album-edit", args=[album.pk])
    mine, theirs = _album_tab(media_client, url), _album_tab(second_client, url)
    assert media_client.post(url, {**mine, "title": "Triển lãm ảnh"}).status_code == 302
    assert second_client.post(url, {**theirs, "description": "Ảnh quý"}).status_code == 302
    album.refresh_from_db()
    assert (album.title, album.description) == ("Triển lãm ảnh", "Ảnh quý")
    response = second_client.post(url, {**theirs, "title": "Ảnh xưa"})
    _refused(response, "tên bộ ảnh", "Ảnh xưa")
    album.refresh_from_db()
    assert album.title == "Triển lãm ảnh"


def test_two_tabs_editing_the_site_settings_both_keep_their_change(
    media_client, second_client, site, campaign
):
    url = reverse("portal:manage", args=[campaign.pk])
    mine, theirs = Tab(media_client, url), Tab(second_client, url)
    for tab in (mine, theirs):  # a ticked box has no value attribute for Tab to read
        tab.data["is_public"] = "on"
    assert mine.save(intro="Trang của phong trào").status_code == 302
    assert theirs.save(slug="ky-niem-110-nam").status_code == 302
    site.refresh_from_db()
    assert (site.intro, site.slug, site.is_public) == (
        "Trang của phong trào",
        "ky-niem-110-nam",
        True,
    )
    _refused(theirs.save(intro="Lời khác"), "lời giới thiệu", "Lời khác")
    site.refresh_from_db()
    assert site.intro == "Trang của phong trào"
