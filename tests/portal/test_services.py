import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories.images import photo
from tests.portal.conftest import later
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.portal import selectors, services
from thidua.portal.models import ContentStatus, Photo

pytestmark = pytest.mark.django_db


def test_site_slug_is_readable_ascii_and_unique(site, campaign):
    assert site.slug.isascii()
    assert "nguyen-van-cu" in site.slug
    assert ActionLog.objects.filter(action="portal.site.created").count() == 1


def test_a_draft_campaign_cannot_be_made_public(media, city, office_user):
    from thidua.campaigns import services as campaigns
    from thidua.demo import SEED_PLAN

    draft = campaigns.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )
    with pytest.raises(ValidationError):
        services.site_save(actor=media, campaign=draft, is_public=True, intro="")


def test_only_media_staff_write_articles(make_user, site, section):
    officer = make_user(Role.UNIT_OFFICER)
    with pytest.raises(PermissionDenied):
        services.article_save(actor=officer, site=site, section=section, title="A")


@pytest.mark.parametrize(
    ("html", "absent"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<script"),
        ('<p onclick="steal()">x</p>', "onclick"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ('<iframe src="https://example.com"></iframe>', "iframe"),
        ('<p style="color:red">x</p>', "style="),
    ],
)
def test_body_is_sanitised_on_save(media, site, section, html, absent):
    article = services.article_save(actor=media, site=site, section=section, title="Bài", body=html)
    assert absent not in article.body
    article.refresh_from_db()
    assert absent not in article.body


def test_safe_formatting_survives(media, site, section):
    article = services.article_save(
        actor=media,
        site=site,
        section=section,
        title="Bài",
        body='<h2>Mục</h2><p><strong>đậm</strong> <a href="https://bacninh.gov.vn">link</a></p>',
    )
    assert "<h2>Mục</h2>" in article.body
    assert "<strong>đậm</strong>" in article.body
    assert 'href="https://bacninh.gov.vn"' in article.body
    assert "noopener" in article.body


def test_publication_states_and_schedule(media, site, section):
    article = services.article_save(
        actor=media, site=site, section=section, title="Bài hẹn giờ", body="<p>x</p>"
    )
    assert article.status == ContentStatus.DRAFT
    assert article not in selectors.published_articles(site)
    services.article_publish(actor=media, article=article, publish_at=later(3))
    assert article not in selectors.published_articles(site)  # scheduled, not yet visible
    assert ActionLog.objects.filter(action="portal.article.scheduled").count() == 1
    with time_machine.travel(later(4)):
        assert article in selectors.published_articles(site)
    services.article_unpublish(actor=media, article=article)
    assert article not in selectors.published_articles(site)
    assert (
        ActionLog.objects.filter(
            action__in=["portal.article.created", "portal.article.unpublished"]
        ).count()
        == 2
    )


def test_an_empty_article_is_not_published(media, site, section):
    article = services.article_save(actor=media, site=site, section=section, title="Trống")
    with pytest.raises(ValidationError):
        services.article_publish(actor=media, article=article)


def test_stale_edit_is_refused(media, site, section):
    article = services.article_save(actor=media, site=site, section=section, title="A")
    services.article_save(
        actor=media, site=site, section=section, title="B", article=article, version=1
    )
    with pytest.raises(ValidationError):
        services.article_save(
            actor=media, site=site, section=section, title="C", article=article, version=1
        )


def test_cover_needs_alt_text(media, site, section):
    with pytest.raises(ValidationError):
        services.article_save(
            actor=media, site=site, section=section, title="A", cover=photo(), cover_alt=""
        )


def _open(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as f:
        image = Image.open(io.BytesIO(f.read()))
        image.load()
    return image


def test_photos_are_resized_and_lose_location_data(media, site):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    pic = services.photo_add(
        actor=media,
        album=album,
        image=photo(size=(3000, 2000), gps=True),
        caption="Chú thích",
        alt_text="Mô tả",
        photographer="Trần An",
        taken_on=date(2022, 7, 9),
    )
    full, medium, thumb = (
        _open(pic.image.name),
        _open(pic.image_medium.name),
        _open(pic.image_thumb.name),
    )
    assert full.size == (1600, 1067)
    assert max(medium.size) == 960
    assert max(thumb.size) == 480
    for im in (full, medium, thumb):
        assert not im.getexif()
    assert (pic.width, pic.height) == (1600, 1067)


def test_photo_needs_alt_text_and_a_real_image(media, site):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    with pytest.raises(ValidationError):
        services.photo_add(actor=media, album=album, image=photo(), caption="c", alt_text=" ")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.photo_add(actor=media, album=album, image=fake, caption="c", alt_text="a")
    assert not Photo.objects.exists()


def test_ward_submits_a_photo_and_media_staff_accept_it(media, site, officer, city):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    pic = services.photo_submit(
        actor=officer, album=album, unit=city.suoi_hoa, image=photo(), caption="c", alt_text="a"
    )
    assert pic.status == ContentStatus.SUBMITTED
    assert selectors.albums_with_covers(site) == []
    with pytest.raises(PermissionDenied):
        services.submission_review(actor=officer, item=pic, decision="accept")
    services.submission_review(actor=media, item=pic, decision="accept")
    assert [a.pk for a in selectors.albums_with_covers(site)] == [album.pk]
    assert ActionLog.objects.filter(action="portal.photo.accepted").count() == 1


def test_other_units_cannot_submit_for_a_ward(make_user, media, site, city):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    other = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    with pytest.raises(PermissionDenied):
        services.photo_submit(
            actor=other, album=album, unit=city.suoi_hoa, image=photo(), caption="c", alt_text="a"
        )


def test_declining_needs_a_reason(media, site, section, officer, city):
    article = services.article_submit(
        actor=officer, site=site, unit=city.suoi_hoa, section=section, title="Tin phường", body="x"
    )
    with pytest.raises(ValidationError):
        services.submission_review(actor=media, item=article, decision="decline")
    services.submission_review(actor=media, item=article, decision="decline", note="Trùng tin")
    notice = Notice.objects.get(user=officer)
    assert "không được sử dụng" in notice.title
    assert notice.body == "Trùng tin"
    article.refresh_from_db()
    assert article.status == ContentStatus.DECLINED
    accepted = services.article_submit(
        actor=officer,
        site=site,
        unit=city.suoi_hoa,
        section=section,
        title="Tin 2",
        body="<p>y</p>",
    )
    services.submission_review(actor=media, item=accepted, decision="accept")
    assert accepted in selectors.published_articles(site)


def test_search_ignores_accents(media, site, section, publish):
    publish(title="Dâng hương tưởng niệm Tổng Bí thư Nguyễn Văn Cừ")
    publish(title="Ngày hội đọc sách")
    services.book_save(actor=media, site=site, title="Tự chỉ trích", author="Nguyễn Văn Cừ")
    results = selectors.search(site, "nguyen van cu")
    assert [a.title for a in results["tin"]] == ["Dâng hương tưởng niệm Tổng Bí thư Nguyễn Văn Cừ"]
    assert [b.title for b in results["sach"]] == ["Tự chỉ trích"]
    overview = selectors.search_overview(selectors.search(site, "NGUYỄN VĂN CỪ"))
    assert sum(g.count for g in overview) == 2
    assert selectors.search(site, "") == {}


def test_events_split_into_upcoming_and_past(media, site):
    services.event_save(
        actor=media, site=site, kind="seminar", title="Sắp tới", starts_at=later(48), place="A"
    )
    services.event_save(
        actor=media,
        site=site,
        kind="talk",
        title="Đã qua",
        starts_at=later(-48),
        place="B",
        materials="<p>Tài liệu</p><script>x()</script>",
    )
    events = list(selectors.public_events(site))
    upcoming = [e for e in events if not e.is_past]
    past = [e for e in events if e.is_past]
    assert [e.title for e in upcoming] == ["Sắp tới"]
    assert [e.title for e in past] == ["Đã qua"]
    assert "<script" not in past[0].materials


def test_book_year_is_checked(media, site):
    with pytest.raises(ValidationError):
        services.book_save(actor=media, site=site, title="A", year=3000)


def test_a_published_photo_can_be_withdrawn(media, site):
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    pic = services.photo_add(actor=media, album=album, image=photo(), caption="c", alt_text="a")
    services.photo_withdraw(actor=media, photo=pic, note="Ảnh trùng")
    assert selectors.albums_with_covers(site) == []
    assert ActionLog.objects.filter(action="portal.photo.withdrawn").count() == 1


@pytest.mark.parametrize("delivery", ["not sent", "sent to report on it"])
def test_a_unit_sends_photos_and_articles_only_to_a_campaign_it_carries_out(
    media, site, section, officer, city, delivery
):
    from thidua.campaigns.models import Delivery, RecipientRole

    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    sent = Delivery.objects.filter(campaign=site.campaign, unit=city.suoi_hoa)
    if delivery == "not sent":
        sent.delete()
    else:
        sent.update(role=RecipientRole.REPORT)
    with pytest.raises(PermissionDenied):
        services.photo_submit(
            actor=officer, album=album, unit=city.suoi_hoa, image=photo(), caption="c", alt_text="a"
        )
    with pytest.raises(PermissionDenied):
        services.article_submit(
            actor=officer, site=site, unit=city.suoi_hoa, section=section, title="Tin", body="x"
        )
    assert not Photo.objects.exists()
    assert not ActionLog.objects.filter(action__endswith=".submitted").exists()


def _png_logo() -> SimpleUploadedFile:
    """A 800 × 400 PNG, transparent but for a red block in its middle (a unit's logo)."""
    image = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (200, 100, 600, 300))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _phone_photo() -> SimpleUploadedFile:
    """A JPEG as a phone held upright saves it: pixels landscape (400 × 300, red on the left),
    EXIF orientation 6 ("turn 90° clockwise to show")."""
    image = Image.new("RGB", (400, 300), (20, 20, 200))
    image.paste((220, 20, 20), (0, 0, 100, 300))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return SimpleUploadedFile("dien-thoai.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_transparent_png_and_an_upright_phone_photo_show_as_taken(media, site):
    """Every size the pages show (full, medium, thumbnail): a logo's transparent areas are
    white, not black; a photo taken upright (EXIF orientation 6) stands upright."""
    album = services.album_save(actor=media, site=site, title="Bộ ảnh")
    logo, upright = (
        services.photo_add(actor=media, album=album, image=image, caption="Ảnh", alt_text="Ảnh")
        for image in (_png_logo(), _phone_photo())
    )
    for name in (logo.image.name, logo.image_medium.name, logo.image_thumb.name):
        im = _open(name).convert("RGB")
        corner, middle = im.getpixel((5, 5)), im.getpixel((im.width // 2, im.height // 2))
        assert min(corner) > 240, name  # white, not black
        assert middle[0] > 150 > middle[2], name  # the red block
    for name in (upright.image.name, upright.image_medium.name, upright.image_thumb.name):
        im = _open(name).convert("RGB")
        assert im.height > im.width, name  # portrait, as held
        top = im.getpixel((im.width // 2, 5))
        assert top[0] > 150 > top[2], name  # the red left edge turned to the top
    assert (upright.width, upright.height) == (300, 400)
