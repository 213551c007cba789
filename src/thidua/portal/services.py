"""Every portal write: permission check, sanitised HTML, checked images, action log."""

import re
from datetime import date, datetime
from typing import IO, Any, Final

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.text import slugify

from thidua.accounts.models import Role, User
from thidua.campaigns.models import Campaign
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.notifications.services import notify
from thidua.organizations.models import Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.portal import cache, rules
from thidua.portal.images import store_image
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

Upload = UploadedFile | IO[bytes]

# What the editor may produce; everything else (scripts, styles, event handlers,
# javascript: links, iframes, images by URL) is removed on save by nh3 (Ammonia).
ALLOWED_TAGS: Final = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "div",
}
ALLOWED_ATTRIBUTES: Final = {"a": {"href", "title"}}
URL_SCHEMES: Final = {"http", "https", "mailto"}
SLUG_LENGTH: Final = 80
UNIT_ROLES: Final = {str(Role.UNIT_OFFICER), str(Role.UNIT_HEAD)}
RESERVED_SLUGS: Final = frozenset({"anh", "duyet"})  # other portal URLs start with these


def sanitize_html(html: str) -> str:
    """Safe HTML for public pages: only formatting tags and plain links survive."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def text_of(html: str) -> str:
    return nh3.clean(html, tags=set()).replace("&nbsp;", " ")


def make_slug(text: str, taken: models.QuerySet[Any], length: int = SLUG_LENGTH) -> str:
    """A readable ASCII slug without diacritics ("tong-bi-thu-nguyen-van-cu"), unique in `taken`."""
    full = slugify(fold(text))
    base = (full if len(full) <= length else full[: length + 1].rsplit("-", 1)[0]).strip("-")
    base = base or "bai-viet"
    slug, n = base, 2
    while taken.filter(slug=slug).exists():
        slug = f"{base[: length - 4]}-{n}"
        n += 1
    return slug


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _changed() -> None:
    transaction.on_commit(cache.bump)


# --- site and sections ---------------------------------------------------------------------


def site_save(
    *, actor: User, campaign: Campaign, is_public: bool, intro: str, slug: str = ""
) -> PortalSite:
    _require(rules.can_configure_site(actor))
    if campaign.is_draft and is_public:
        raise ValidationError("Kế hoạch chưa ban hành nên chưa thể công khai trang phong trào.")
    with transaction.atomic():
        site = PortalSite.objects.select_for_update().filter(campaign=campaign).first()
        others = PortalSite.objects.exclude(campaign=campaign)
        wanted = slugify(fold(slug))[:SLUG_LENGTH].strip("-")
        if wanted in RESERVED_SLUGS:
            raise ValidationError("Đường dẫn này dành cho hệ thống, vui lòng chọn đường dẫn khác.")
        if wanted and others.filter(slug=wanted).exists():
            raise ValidationError("Đường dẫn này đã được dùng cho phong trào khác.")
        if site is None:
            # "Phát động … chào mừng kỷ niệm 110 năm … (9/7/1912- 9/7/2022)" → "ky-niem-110-nam-…"
            short = re.sub(r"\([^)]*\)", "", campaign.title.split("chào mừng", 1)[-1])
            site = PortalSite.objects.create(
                campaign=campaign,
                slug=wanted or make_slug(short, others, 60),
                is_public=is_public,
                intro=intro,
            )
            action = "portal.site.created"
        else:
            site.is_public, site.intro = is_public, intro
            if wanted:
                site.slug = wanted
            site.save(update_fields=["is_public", "intro", "slug", "updated_at"])
            action = "portal.site.updated"
        action_log_record(
            actor=actor,
            action=action,
            target=site,
            data={"is_public": is_public, "slug": site.slug},
        )
        _changed()
    return site


def section_create(*, actor: User, site: PortalSite, name: str) -> Section:
    _require(rules.can_edit_portal(actor))
    name = name.strip()
    if not name:
        raise ValidationError("Nhập tên chuyên mục.")
    with transaction.atomic():
        section = Section.objects.create(
            site=site,
            name=name,
            slug=make_slug(name, site.sections.all()),
            position=site.sections.count(),
        )
        action_log_record(actor=actor, action="portal.section.created", target=section)
        _changed()
    return section


# --- articles ------------------------------------------------------------------------------


def _article_search_text(article: Article) -> str:
    return fold(f"{article.title} {article.summary} {text_of(article.body)}")[:1000]


def _apply_cover(obj: Article, cover: Upload | None, cover_alt: str) -> list[str]:
    fields = []
    if cover is not None:
        stored = store_image(cover)
        obj.cover, obj.cover_medium, obj.cover_thumb = stored.full, stored.medium, stored.thumb
        fields += ["cover", "cover_medium", "cover_thumb"]
    obj.cover_alt = cover_alt.strip()
    if obj.cover and not obj.cover_alt:
        raise ValidationError({"cover_alt": "Ảnh bìa cần có mô tả (cho người khiếm thị)."})
    return [*fields, "cover_alt"]


def article_save(
    *,
    actor: User,
    site: PortalSite,
    section: Section,
    title: str,
    summary: str = "",
    body: str = "",
    author_name: str = "",
    cover: Upload | None = None,
    cover_alt: str = "",
    article: Article | None = None,
    version: int | None = None,
) -> Article:
    """Create a draft or edit an article (any state); the body is sanitised here."""
    _require(rules.can_edit_portal(actor))
    if section.site_id != site.pk:
        raise ValidationError({"section": "Chuyên mục không thuộc trang này."})
    with transaction.atomic():
        if article is None:
            obj = Article(site=site, created_by=actor)
            obj.slug = make_slug(title, site.articles.all(), 100)
        else:
            obj = Article.objects.select_for_update().get(pk=article.pk, site=site)
            if version is not None and obj.version != version:
                raise ValidationError(
                    "Tin bài vừa được người khác sửa. Vui lòng mở lại để xem bản mới nhất."
                )
        obj.section, obj.title, obj.summary = section, title.strip(), summary.strip()
        obj.body, obj.author_name = sanitize_html(body), author_name.strip()
        fields = _apply_cover(obj, cover, cover_alt)
        obj.search_text = _article_search_text(obj)
        if obj.pk is None:
            obj.save()
            action_log_record(actor=actor, action="portal.article.created", target=obj)
        else:
            obj.version += 1
            obj.save(
                update_fields=[
                    "section",
                    "title",
                    "summary",
                    "body",
                    "author_name",
                    "search_text",
                    "version",
                    "updated_at",
                    *fields,
                ]
            )
            action_log_record(
                actor=actor, action="portal.article.updated", target=obj, data={"v": obj.version}
            )
        _changed()
    return obj


def article_publish(
    *, actor: User, article: Article, publish_at: datetime | None = None
) -> Article:
    """Publish now, or schedule: a future `publish_at` keeps it off the pages until then."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Article.objects.select_for_update().get(pk=article.pk)
        if not obj.body.strip() and not obj.summary.strip():
            raise ValidationError("Tin bài chưa có nội dung.")
        when = publish_at or now()
        if obj.status == ContentStatus.PUBLISHED and obj.publish_at == when:
            return obj
        scheduled = when > now()
        obj.status, obj.publish_at = ContentStatus.PUBLISHED, when
        obj.save(update_fields=["status", "publish_at", "updated_at"])
        action_log_record(
            actor=actor,
            action="portal.article.scheduled" if scheduled else "portal.article.published",
            target=obj,
            data={"publish_at": when.isoformat()},
        )
        _changed()
    return obj


def article_unpublish(*, actor: User, article: Article) -> Article:
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Article.objects.select_for_update().get(pk=article.pk)
        if obj.status == ContentStatus.DRAFT:
            return obj
        obj.status = ContentStatus.DRAFT
        obj.save(update_fields=["status", "updated_at"])
        action_log_record(actor=actor, action="portal.article.unpublished", target=obj)
        _changed()
    return obj


def article_submit(
    *,
    actor: User,
    site: PortalSite,
    unit: Unit,
    section: Section,
    title: str,
    summary: str = "",
    body: str = "",
    author_name: str = "",
    cover: Upload | None = None,
    cover_alt: str = "",
) -> Article:
    """A unit sends an article for the news; media staff accept or decline it."""
    _require(rules.can_submit_for(actor, unit.pk))
    if section.site_id != site.pk:
        raise ValidationError({"section": "Chuyên mục không thuộc trang này."})
    with transaction.atomic():
        obj = Article(
            site=site,
            section=section,
            title=title.strip(),
            slug=make_slug(title, site.articles.all(), 100),
            summary=summary.strip(),
            body=sanitize_html(body),
            author_name=author_name.strip(),
            status=ContentStatus.SUBMITTED,
            submitted_unit=unit,
            created_by=actor,
        )
        _apply_cover(obj, cover, cover_alt)
        obj.search_text = _article_search_text(obj)
        obj.save()
        action_log_record(
            actor=actor, action="portal.article.submitted", target=obj, data={"unit": unit.pk}
        )
    return obj


# --- exhibition ----------------------------------------------------------------------------


def album_save(
    *, actor: User, site: PortalSite, title: str, description: str = "", album: Album | None = None
) -> Album:
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        if album is None:
            obj = Album.objects.create(
                site=site,
                title=title.strip(),
                slug=make_slug(title, site.albums.all(), 100),
                description=description.strip(),
                position=site.albums.count(),
            )
            action_log_record(actor=actor, action="portal.album.created", target=obj)
        else:
            obj = Album.objects.select_for_update().get(pk=album.pk, site=site)
            obj.title, obj.description = title.strip(), description.strip()
            obj.save(update_fields=["title", "description"])
            action_log_record(actor=actor, action="portal.album.updated", target=obj)
        _changed()
    return obj


def _photo_create(
    *,
    actor: User,
    album: Album,
    image: Upload,
    caption: str,
    alt_text: str,
    photographer: str,
    taken_on: date | None,
    place: str,
    status: str,
    unit: Unit | None,
) -> Photo:
    if not alt_text.strip():
        raise ValidationError({"alt_text": "Ảnh cần có mô tả (cho người khiếm thị)."})
    if not caption.strip():
        raise ValidationError({"caption": "Nhập chú thích ảnh."})
    stored = store_image(image)
    return Photo.objects.create(
        album=album,
        image=stored.full,
        image_medium=stored.medium,
        image_thumb=stored.thumb,
        width=stored.width,
        height=stored.height,
        caption=caption.strip(),
        alt_text=alt_text.strip(),
        photographer=photographer.strip(),
        taken_on=taken_on,
        place=place.strip(),
        status=status,
        submitted_unit=unit,
        position=album.photos.count(),
        created_by=actor,
    )


def photo_add(
    *,
    actor: User,
    album: Album,
    image: Upload,
    caption: str,
    alt_text: str,
    photographer: str = "",
    taken_on: date | None = None,
    place: str = "",
) -> Photo:
    """Media staff add a photo to an album; it is shown at once."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        photo = _photo_create(
            actor=actor,
            album=album,
            image=image,
            caption=caption,
            alt_text=alt_text,
            photographer=photographer,
            taken_on=taken_on,
            place=place,
            status=ContentStatus.PUBLISHED,
            unit=None,
        )
        action_log_record(actor=actor, action="portal.photo.added", target=photo)
        _changed()
    return photo


def photo_submit(
    *,
    actor: User,
    album: Album,
    unit: Unit,
    image: Upload,
    caption: str,
    alt_text: str,
    photographer: str = "",
    taken_on: date | None = None,
    place: str = "",
) -> Photo:
    """A unit sends a photo for the exhibition; media staff accept or decline it."""
    _require(rules.can_submit_for(actor, unit.pk))
    with transaction.atomic():
        photo = _photo_create(
            actor=actor,
            album=album,
            image=image,
            caption=caption,
            alt_text=alt_text,
            photographer=photographer,
            taken_on=taken_on,
            place=place,
            status=ContentStatus.SUBMITTED,
            unit=unit,
        )
        action_log_record(
            actor=actor, action="portal.photo.submitted", target=photo, data={"unit": unit.pk}
        )
    return photo


def photo_withdraw(*, actor: User, photo: Photo, note: str = "") -> Photo:
    """Take a published photo off the exhibition (kept, with the reason, for the record)."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Photo.objects.select_for_update().get(pk=photo.pk)
        if obj.status == ContentStatus.DECLINED:
            return obj
        obj.status, obj.review_note = ContentStatus.DECLINED, note.strip()
        obj.save(update_fields=["status", "review_note"])
        action_log_record(
            actor=actor, action="portal.photo.withdrawn", target=obj, data={"note": note.strip()}
        )
        _changed()
    return obj


def submission_review(
    *, actor: User, item: Article | Photo, decision: str, note: str = ""
) -> Article | Photo:
    """Accept (publish now) or decline a unit's article or photo."""
    _require(rules.can_edit_portal(actor))
    if decision not in {"accept", "decline"}:
        raise ValidationError("Quyết định không hợp lệ.")
    if decision == "decline" and not note.strip():
        raise ValidationError("Cần ghi rõ lý do để đơn vị biết.")
    model = type(item)
    kind = "article" if model is Article else "photo"
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=item.pk)
        target = ContentStatus.PUBLISHED if decision == "accept" else ContentStatus.DECLINED
        if obj.status == target:
            return obj
        if obj.status != ContentStatus.SUBMITTED:
            raise ValidationError("Bài, ảnh này đã được xem xét xong.")
        obj.status, obj.review_note = target, note.strip()
        fields = ["status", "review_note"]
        if isinstance(obj, Article) and decision == "accept":
            obj.publish_at = now()
            fields.append("publish_at")
        obj.save(update_fields=fields)
        action_log_record(
            actor=actor,
            action=f"portal.{kind}.{'accepted' if decision == 'accept' else 'declined'}",
            target=obj,
            data={"note": note.strip()},
        )
        if obj.submitted_unit_id:
            label = "Tin bài" if kind == "article" else "Ảnh"
            name = obj.title if isinstance(obj, Article) else obj.caption
            wording = "đã được đăng" if decision == "accept" else "không được sử dụng"
            notify(
                users=users_with_role_in(unit_ids={obj.submitted_unit_id}, roles=UNIT_ROLES),
                title=f"{label} “{name}” {wording}"[:255],
                body=note.strip(),
            )
        _changed()
    return obj


# --- books and events ----------------------------------------------------------------------


def book_save(
    *,
    actor: User,
    site: PortalSite,
    title: str,
    author: str = "",
    publisher: str = "",
    year: int | None = None,
    intro: str = "",
    where_to_read: str = "",
    cover: Upload | None = None,
    book: Book | None = None,
) -> Book:
    _require(rules.can_edit_portal(actor))
    if year is not None and not 1800 <= year <= now().year:  # noqa: PLR2004 - plausible years
        raise ValidationError({"year": "Năm xuất bản không hợp lệ."})
    with transaction.atomic():
        obj = (
            Book(site=site, position=site.books.count())
            if book is None
            else Book.objects.select_for_update().get(pk=book.pk, site=site)
        )
        obj.title, obj.author, obj.publisher = title.strip(), author.strip(), publisher.strip()
        obj.year, obj.intro, obj.where_to_read = year, intro.strip(), where_to_read.strip()
        if cover is not None:
            stored = store_image(cover)
            obj.cover, obj.cover_thumb = stored.medium, stored.thumb
        obj.search_text = fold(f"{obj.title} {obj.author} {obj.publisher} {obj.intro}")[:1000]
        created = obj.pk is None
        obj.save()
        action_log_record(
            actor=actor, action=f"portal.book.{'created' if created else 'updated'}", target=obj
        )
        _changed()
    return obj


def event_save(
    *,
    actor: User,
    site: PortalSite,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    speakers: str = "",
    description: str = "",
    materials: str = "",
    is_published: bool = True,
    event: Event | None = None,
) -> Event:
    _require(rules.can_edit_portal(actor))
    if kind not in Event.Kind.values:
        raise ValidationError({"kind": "Hình thức không hợp lệ."})
    with transaction.atomic():
        if event is None:
            obj = Event(site=site, slug=make_slug(title, site.events.all(), 100))
        else:
            obj = Event.objects.select_for_update().get(pk=event.pk, site=site)
        obj.kind, obj.title, obj.starts_at, obj.place = kind, title.strip(), starts_at, place
        obj.speakers, obj.description = speakers.strip(), description.strip()
        obj.materials, obj.is_published = sanitize_html(materials), is_published
        created = obj.pk is None
        obj.save()
        action_log_record(
            actor=actor, action=f"portal.event.{'created' if created else 'updated'}", target=obj
        )
        _changed()
    return obj
