"""Deleting and reordering on the editorial side: who may, what is refused, what is logged."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from thidua.accounts.models import Role
from thidua.core.clock import now
from thidua.core.models import ActionLog
from thidua.portal import services
from thidua.portal.models import Album, Article, Book, Event, Photo

pytestmark = pytest.mark.django_db


def _books(media, site, *titles):
    return [services.book_save(actor=media, site=site, title=t) for t in titles]


def _album(media, site, *captions):
    album = services.album_save(actor=media, site=site, title="Triển lãm")
    photos = [
        services.photo_add(actor=media, album=album, image=photo(), caption=c, alt_text=c)
        for c in captions
    ]
    return album, photos


def _order(qs):
    return [str(x) for x in qs.order_by("position", "pk")]


def test_a_draft_is_deleted_a_published_article_must_be_taken_down_first(
    media, site, section, publish, django_capture_on_commit_callbacks
):
    article = publish(title="Tin đã đăng", cover=photo(), cover_alt="Ảnh")
    with pytest.raises(ValidationError, match="gỡ về bản nháp"):
        services.article_delete(actor=media, article=article)
    services.article_unpublish(actor=media, article=article)
    names = [article.cover.name, article.cover_thumb.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_delete(actor=media, article=article)
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not any(default_storage.exists(n) for n in names)
    log = ActionLog.objects.get(action="portal.article.deleted")
    assert log.data == {"title": "Tin đã đăng"}
    assert log.actor == media


def test_a_units_pending_article_is_answered_not_deleted(media, site, section, officer, city):
    sent = services.article_submit(
        actor=officer, site=site, unit=city.suoi_hoa, section=section, title="Tin phường"
    )
    with pytest.raises(ValidationError, match="nhận đăng hoặc từ chối"):
        services.article_delete(actor=media, article=sent)


def test_only_media_staff_delete_and_reorder(make_user, media, site):
    office = make_user(Role.EMULATION_OFFICE)
    first, _second = _books(media, site, "A", "B")
    with pytest.raises(PermissionDenied):
        services.book_delete(actor=office, book=first)
    with pytest.raises(PermissionDenied):
        services.book_move(actor=office, book=first, up=False)
    assert Book.objects.filter(pk=first.pk).exists()


def test_books_move_up_and_down_and_stay_in_place_at_the_ends(media, site):
    a, b, c = _books(media, site, "A", "B", "C")
    services.book_move(actor=media, book=c, up=True)
    assert _order(site.books.all()) == ["A", "C", "B"]
    services.book_move(actor=media, book=a, up=True)  # already first: nothing changes
    services.book_move(actor=media, book=a, up=False)
    assert _order(site.books.all()) == ["C", "A", "B"]
    assert ActionLog.objects.filter(action="portal.book.moved").count() == 2
    services.book_delete(actor=media, book=a)
    d = services.book_save(actor=media, site=site, title="D")  # after the last, despite the gap
    assert _order(site.books.all()) == ["C", "B", "D"]
    assert d.position > b.position


def test_events_are_deleted_once_off_the_public_pages(media, site):
    event = services.event_save(
        actor=media,
        site=site,
        kind="seminar",
        title="Tọa đàm",
        starts_at=now() + timedelta(days=3),
        place="Hội trường",
    )
    with pytest.raises(ValidationError, match="bỏ đăng"):
        services.event_delete(actor=media, event=event)
    services.event_save(
        actor=media,
        site=site,
        event=event,
        kind="seminar",
        title="Tọa đàm",
        starts_at=event.starts_at,
        place="Hội trường",
        is_published=False,
    )
    services.event_delete(actor=media, event=event)
    assert not Event.objects.filter(pk=event.pk).exists()
    assert ActionLog.objects.filter(action="portal.event.deleted").exists()


def test_photos_reorder_and_only_withdrawn_staff_photos_are_deleted(media, site, officer, city):
    album, (one, _two, three) = _album(media, site, "Một", "Hai", "Ba")
    services.photo_move(actor=media, photo=three, up=True)
    assert _order(album.photos.all()) == ["Một", "Ba", "Hai"]
    with pytest.raises(ValidationError, match="gỡ ảnh"):
        services.photo_delete(actor=media, photo=one)
    services.photo_withdraw(actor=media, photo=one)
    services.photo_delete(actor=media, photo=one)
    assert _order(album.photos.all()) == ["Ba", "Hai"]
    sent = services.photo_submit(
        actor=officer, album=album, unit=city.suoi_hoa, image=photo(), caption="P", alt_text="P"
    )
    services.submission_review(actor=media, item=sent, decision="decline", note="Mờ")
    with pytest.raises(ValidationError, match="hồ sơ"):
        services.photo_delete(actor=media, photo=sent)


def test_an_album_is_deleted_only_when_nothing_is_on_show(media, site):
    album, (one,) = _album(media, site, "Một")
    with pytest.raises(ValidationError, match="đang trưng bày"):
        services.album_delete(actor=media, album=album)
    services.photo_withdraw(actor=media, photo=one)
    services.album_delete(actor=media, album=album)
    assert not Album.objects.filter(pk=album.pk).exists()
    assert not Photo.objects.filter(pk=one.pk).exists()
    log = ActionLog.objects.get(action="portal.album.deleted")
    assert log.data == {"title": "Triển lãm", "photos": 1, "unit_photos": []}


def test_book_order_through_htmx_and_plain_forms(media, media_client, site, campaign):
    _a, b = _books(media, site, "Sách A", "Sách B")
    url = reverse("portal:book-move", args=[campaign.pk, b.pk])
    response = media_client.post(url, {"huong": "len"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Sách B") < html.index("Sách A")
    assert 'id="manage-books"' in html
    assert "<html" not in html
    response = media_client.post(url, {"huong": "xuong"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#sach-{b.pk}")
    public = Client().get(reverse("portal:books", args=[site.slug])).content.decode()
    assert public.index("Sách A") < public.index("Sách B")
    assert media_client.post(url, {"huong": "ngang"}).status_code == 404


def test_photo_order_through_htmx(media, media_client, site):
    album, (_one, two) = _album(media, site, "Ảnh một", "Ảnh hai")
    response = media_client.post(
        reverse("portal:photo-move", args=[two.pk]),
        {"huong": "len"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.index("Ảnh hai") < html.index("Ảnh một")
    assert "autofocus" in html  # keyboard users keep their place
    public = Client().get(reverse("portal:album", args=[site.slug, album.slug])).content.decode()
    assert public.index("Ảnh hai") < public.index("Ảnh một")


def test_delete_buttons_ask_first_and_refusals_are_explained(
    media, media_client, site, campaign, section, publish
):
    (book,) = _books(media, site, "Sách xóa")
    page = media_client.get(reverse("portal:book-edit", args=[campaign.pk, book.pk]))
    assert 'data-confirm="Xóa sách “Sách xóa” khỏi trưng bày?' in page.content.decode()
    response = media_client.post(
        reverse("portal:book-delete", args=[campaign.pk, book.pk]), follow=True
    )
    assert "Đã xóa sách “Sách xóa” khỏi trưng bày." in response.content.decode()
    article = publish(title="Tin đang đăng")
    page = media_client.get(reverse("portal:article-edit", args=[article.pk])).content.decode()
    assert "gỡ về bản nháp trước, rồi mới xóa được" in page
    response = media_client.post(reverse("portal:article-delete", args=[article.pk]), follow=True)
    assert "Tin bài đang đăng: gỡ về bản nháp trước khi xóa." in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()


def test_other_roles_cannot_post_deletes(make_user, media, site, campaign):
    (book,) = _books(media, site, "Sách")
    client = verified_client(make_user(Role.UNIT_OFFICER))
    url = reverse("portal:book-delete", args=[campaign.pk, book.pk])
    assert client.post(url).status_code == 403
    assert Book.objects.filter(pk=book.pk).exists()
