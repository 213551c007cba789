"""Whose portal media staff edit: the campaigns of the body they work for and of the bodies
below it (the city's media centre: the city's and its wards' campaigns; a ward's media staff:
that ward's only), never another body's (docs/security.md R25). Every portal item hangs off a
campaign's site, so the campaign's owner decides for all of them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from thidua.accounts.models import Role
from thidua.campaigns import services as campaigns
from thidua.core.clock import now
from thidua.core.models import ActionLog
from thidua.demo import CRITERIA, SEED_PLAN
from thidua.portal import selectors, services
from thidua.portal.models import (
    Album,
    Article,
    Book,
    ContentStatus,
    Event,
    Photo,
    PortalSite,
    Section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward_media(make_user, city):
    """Media staff of a ward (Suối Hoa), which the city's campaign is sent to carry out."""
    return make_user(Role.MEDIA_STAFF, city.suoi_hoa, username="truyenthong-suoihoa")


@pytest.fixture
def content(media, site, section, officer, city):
    """The city's portal with one of everything: a draft and a published article, an album
    with a staff photo, a ward's photo and article waiting for review, a book, an event."""
    draft = services.article_save(
        actor=media,
        site=site,
        section=section,
        title="Bản nháp của thành phố",
        body="<p>Nháp</p>",
        cover=photo(),
        cover_alt="Ảnh bìa",
    )
    published = services.article_save(
        actor=media, site=site, section=section, title="Tin đã đăng", body="<p>Tin</p>"
    )
    published = services.article_publish(actor=media, article=published)
    album = services.album_save(actor=media, site=site, title="Bộ ảnh thành phố")
    staff_photo = services.photo_add(
        actor=media, album=album, image=photo(), caption="Ảnh của trung tâm", alt_text="a"
    )
    sent_photo = services.photo_submit(
        actor=officer, album=album, unit=city.suoi_hoa, image=photo(), caption="Ảnh phường gửi",
        alt_text="a",
    )  # fmt: skip
    sent_article = services.article_submit(
        actor=officer, site=site, unit=city.suoi_hoa, section=section, title="Tin phường gửi",
        body="<p>Tin</p>",
    )  # fmt: skip
    book = services.book_save(actor=media, site=site, title="Sách thành phố")
    services.book_save(actor=media, site=site, title="Sách thứ hai")
    event = services.event_save(
        actor=media, site=site, kind="seminar", title="Tọa đàm thành phố",
        starts_at=now() + timedelta(days=3), place="Hội trường", is_published=False,
    )  # fmt: skip
    return {
        "draft": draft,
        "published": published,
        "album": album,
        "staff_photo": staff_photo,
        "sent_photo": sent_photo,
        "sent_article": sent_article,
        "book": book,
        "event": event,
    }


def _ward_campaign(ward_office, city):
    """A campaign of the ward of Suối Hoa, issued by the ward's Nội vụ."""
    draft = campaigns.campaign_import(
        actor=ward_office, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.suoi_hoa
    )
    draft = campaigns.campaign_update(
        actor=ward_office, campaign=draft, version=draft.version, signer_name="Trần Văn Bình"
    )
    campaigns.campaign_items_replace(
        actor=ward_office, campaign=draft, kind="criteria", items=CRITERIA
    )
    return campaigns.campaign_issue(actor=ward_office, campaign=draft, issued_on=date(2022, 6, 1))


def _state() -> list:
    """What a refused change must leave as it was: every portal row, and the log."""
    return [
        ActionLog.objects.count(),
        list(Article.objects.order_by("pk").values_list("title", "status", "publish_at")),
        list(Album.objects.order_by("pk").values_list("title", "description")),
        list(Photo.objects.order_by("pk").values_list("caption", "status", "position")),
        list(Book.objects.order_by("pk").values_list("title", "position")),
        list(Event.objects.order_by("pk").values_list("title", "is_published")),
        list(PortalSite.objects.order_by("pk").values_list("slug", "is_public", "intro")),
        list(Section.objects.order_by("pk").values_list("name", flat=True)),
    ]


def test_a_wards_media_staff_write_publish_and_moderate_nothing_on_the_citys_portal(
    ward_media, media, site, section, content, campaign
):
    c = content
    before = _state()
    changes = [
        lambda a: services.site_save(actor=a, campaign=campaign, is_public=False, intro="Khác"),
        lambda a: services.section_create(actor=a, site=site, name="Chuyên mục khác"),
        lambda a: services.article_save(actor=a, site=site, section=section, title="Tin mới"),
        lambda a: services.article_save(
            actor=a, site=site, article=c["draft"], section=section, title="Sửa tin"
        ),
        lambda a: services.article_publish(actor=a, article=c["draft"]),
        lambda a: services.article_unpublish(actor=a, article=c["published"]),
        lambda a: services.article_delete(actor=a, article=c["draft"]),
        lambda a: services.album_save(actor=a, site=site, title="Bộ ảnh khác"),
        lambda a: services.album_save(actor=a, site=site, album=c["album"], title="Đổi tên"),
        lambda a: services.album_delete(actor=a, album=c["album"]),
        lambda a: services.photo_add(
            actor=a, album=c["album"], image=photo(), caption="Ảnh khác", alt_text="a"
        ),
        lambda a: services.photo_withdraw(actor=a, photo=c["staff_photo"], note="Gỡ"),
        lambda a: services.photo_move(actor=a, photo=c["staff_photo"], up=False),
        lambda a: services.submission_review(actor=a, item=c["sent_photo"], decision="accept"),
        lambda a: services.submission_review(
            actor=a, item=c["sent_article"], decision="decline", note="Không dùng"
        ),
        lambda a: services.book_save(actor=a, site=site, title="Sách khác"),
        lambda a: services.book_save(actor=a, site=site, book=c["book"], title="Đổi tên sách"),
        lambda a: services.book_move(actor=a, book=c["book"], up=False),
        lambda a: services.book_delete(actor=a, book=c["book"]),
        lambda a: services.event_save(
            actor=a,
            site=site,
            event=c["event"],
            kind="talk",
            title="Đổi sự kiện",
            starts_at=c["event"].starts_at,
            place="Nơi khác",
            is_published=True,
        ),
        lambda a: services.event_delete(actor=a, event=c["event"]),
    ]
    for change in changes:
        with pytest.raises(PermissionDenied):
            change(ward_media)
    assert _state() == before
    # The city's media centre still does all of it.
    services.photo_withdraw(actor=media, photo=c["staff_photo"], note="Gỡ")
    services.photo_delete(actor=media, photo=c["staff_photo"])
    services.submission_review(actor=media, item=c["sent_photo"], decision="accept")
    services.article_publish(actor=media, article=c["draft"])
    services.site_save(actor=media, campaign=campaign, is_public=True, intro="Giới thiệu mới")
    c["draft"].refresh_from_db()
    assert c["draft"].status == ContentStatus.PUBLISHED


def test_the_citys_media_staff_keep_a_wards_portal_another_wards_do_not(
    media, ward_media, ward_office, make_user, city
):
    ward_campaign = _ward_campaign(ward_office, city)
    site = services.site_save(actor=ward_media, campaign=ward_campaign, is_public=True, intro="")
    section = services.section_create(actor=ward_media, site=site, name="Tin phường")
    article = services.article_save(
        actor=ward_media, site=site, section=section, title="Tin của phường", body="<p>x</p>"
    )
    other_ward = make_user(Role.MEDIA_STAFF, city.vu_ninh, username="truyenthong-vuninh")
    before = _state()
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=other_ward, article=article)
    with pytest.raises(PermissionDenied):
        services.site_save(actor=other_ward, campaign=ward_campaign, is_public=False, intro="")
    assert _state() == before
    # The body above keeps the ward's campaign, as the city's Nội vụ may keep its plan (R19).
    services.article_publish(actor=media, article=article)
    article.refresh_from_db()
    assert article.status == ContentStatus.PUBLISHED


def test_a_wards_media_staff_see_no_editor_list_or_button_of_the_citys_portal(
    ward_media, media, media_client, site, content, campaign
):
    c = content
    ward = verified_client(ward_media)
    hub = reverse("portal:manage", args=[campaign.pk])
    page = ward.get(hub)
    assert page.status_code == 200  # the campaign is sent to the ward: its page stays readable
    html = page.content.decode()
    for absent in (
        "Bản nháp của thành phố",
        "Lưu cài đặt",
        reverse("portal:submissions", args=[campaign.pk]),
        reverse("portal:article-create", args=[campaign.pk]),
        reverse("portal:album-create", args=[campaign.pk]),
        reverse("portal:book-create", args=[campaign.pk]),
        reverse("portal:event-create", args=[campaign.pk]),
        reverse("portal:section-create", args=[campaign.pk]),
        reverse("portal:album-edit", args=[c["album"].pk]),
        reverse("portal:book-edit", args=[campaign.pk, c["book"].pk]),
    ):
        assert absent not in html, absent
    assert (
        "do cán bộ truyền thông của Ủy ban nhân dân thành phố Bắc Ninh (hoặc cơ quan cấp trên) "
        "biên tập" in html
    )
    assert selectors.pending_submissions(actor=ward_media, site=site) == ([], [])
    assert list(selectors.editor_articles(actor=ward_media, site=site)) == []
    # The city's media centre has them.
    city_html = media_client.get(hub).content.decode()
    assert "Bản nháp của thành phố" in city_html
    assert reverse("portal:submissions", args=[campaign.pk]) in city_html
    assert "Lưu cài đặt" in city_html
    assert "edited-elsewhere" not in city_html


def test_a_wards_media_staff_posting_to_the_citys_portal_get_403_or_404(
    ward_media, media_client, site, content, campaign
):
    c = content
    ward = verified_client(ward_media)
    before = _state()
    hidden = [  # the city's drafts and the units' submissions are not theirs to see
        ("get", reverse("portal:article-edit", args=[c["draft"].pk]), {}),
        ("get", reverse("portal:article-preview", args=[c["draft"].pk]), {}),
        ("get", reverse("portal:album-edit", args=[c["album"].pk]), {}),
        ("get", reverse("portal:image", args=["article", c["draft"].pk, "medium"]), {}),
        ("get", reverse("portal:image", args=["photo", c["sent_photo"].pk, "thumb"]), {}),
        ("post", reverse("portal:article-publish", args=[c["draft"].pk]), {}),
        ("post", reverse("portal:article-unpublish", args=[c["published"].pk]), {}),
        ("post", reverse("portal:article-delete", args=[c["draft"].pk]), {}),
        ("post", reverse("portal:album-delete", args=[c["album"].pk]), {}),
        ("post", reverse("portal:photo-withdraw", args=[c["staff_photo"].pk]), {}),
        ("post", reverse("portal:photo-move", args=[c["staff_photo"].pk]), {"huong": "xuong"}),
        (
            "post",
            reverse("portal:submission-review", args=["anh", c["sent_photo"].pk]),
            {"decision": "accept"},
        ),
        (
            "post",
            reverse("portal:submission-review", args=["bai", c["sent_article"].pk]),
            {"decision": "accept"},
        ),
    ]
    refused = [  # the campaign is theirs to see, its portal not theirs to edit
        ("post", reverse("portal:manage", args=[campaign.pk]), {"intro": "Khác", "slug": "khac"}),
        ("get", reverse("portal:submissions", args=[campaign.pk]), {}),
        ("post", reverse("portal:section-create", args=[campaign.pk]), {"name": "Khác"}),
        ("get", reverse("portal:article-create", args=[campaign.pk]), {}),
        ("get", reverse("portal:album-create", args=[campaign.pk]), {}),
        ("post", reverse("portal:book-create", args=[campaign.pk]), {"title": "Sách khác"}),
        ("get", reverse("portal:book-edit", args=[campaign.pk, c["book"].pk]), {}),
        ("post", reverse("portal:book-delete", args=[campaign.pk, c["book"].pk]), {}),
        (
            "post",
            reverse("portal:book-move", args=[campaign.pk, c["book"].pk]),
            {"huong": "xuong"},
        ),
        ("get", reverse("portal:event-edit", args=[campaign.pk, c["event"].pk]), {}),
        ("post", reverse("portal:event-delete", args=[campaign.pk, c["event"].pk]), {}),
    ]
    for expected, requests in ((404, hidden), (403, refused)):
        for method, url, data in requests:
            assert getattr(ward, method)(url, data).status_code == expected, url
    assert _state() == before
    # The city's media centre opens them; the draft's image is shown to it (not to the public).
    assert media_client.get(reverse("portal:album-edit", args=[c["album"].pk])).status_code == 200
    image = media_client.get(reverse("portal:image", args=["article", c["draft"].pk, "medium"]))
    assert image.status_code == 200
    b"".join(image.streaming_content)
    public = Client().get(reverse("portal:image", args=["photo", c["sent_photo"].pk, "thumb"]))
    assert public.status_code == 404
