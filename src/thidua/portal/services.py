"""Every portal write: permission check, sanitised HTML, checked images, action log."""

import re
from datetime import date, datetime
from typing import IO, Any, Final, Required, TypedDict, Unpack

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
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


def _next_position(siblings: models.QuerySet[Any]) -> int:
    """After the last one (positions may have gaps once items are deleted)."""
    last = siblings.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


def _save_logged(actor: User, obj: models.Model, kind: str) -> None:
    """Save a new or edited item and record which it was."""
    created = obj.pk is None
    obj.save()
    action = f"portal.{kind}.{'created' if created else 'updated'}"
    action_log_record(actor=actor, action=action, target=obj)
    _changed()


def _delete(actor: User, obj: models.Model, kind: str, files: list[FieldFile], **data: Any) -> None:
    """Delete for good; the action log keeps what it was, stored files go after the commit."""
    names = [f.name for f in files if f and f.name]
    action_log_record(
        actor=actor,
        action=f"portal.{kind}.deleted",
        target=obj,
        data={"title": str(obj)[:200], **data},
    )
    obj.delete()

    def remove_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
    _changed()


def _move(actor: User, obj: Book | Photo, siblings: models.QuerySet[Any], up: bool) -> None:
    """Swap with the neighbour above or below; positions are renumbered 0..n-1 on the way."""
    rows = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows):
        row.position = position
    type(obj).objects.bulk_update(rows, ["position"])
    kind = "book" if isinstance(obj, Book) else "photo"
    action_log_record(
        actor=actor, action=f"portal.{kind}.moved", target=obj, data={"position": other}
    )
    _changed()


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


class ArticleFields(TypedDict, total=False):
    """What an article holds, whoever writes it."""

    section: Required[Section]
    title: Required[str]
    summary: str
    body: str
    author_name: str
    cover: Upload | None
    cover_alt: str


def _article_fill(obj: Article, site: PortalSite, fields: ArticleFields) -> list[str]:
    """Set the article's texts (body sanitised here) and cover; returns the changed fields."""
    section = fields["section"]
    if section.site_id != site.pk:
        raise ValidationError({"section": "Chuyên mục không thuộc trang này."})
    obj.section, obj.title = section, fields["title"].strip()
    obj.summary, obj.body = fields.get("summary", "").strip(), sanitize_html(fields.get("body", ""))
    obj.author_name = fields.get("author_name", "").strip()
    changed = []
    cover = fields.get("cover")
    if cover is not None:
        stored = store_image(cover)
        obj.cover, obj.cover_medium, obj.cover_thumb = stored.full, stored.medium, stored.thumb
        changed = ["cover", "cover_medium", "cover_thumb"]
    obj.cover_alt = fields.get("cover_alt", "").strip()
    if obj.cover and not obj.cover_alt:
        raise ValidationError({"cover_alt": "Ảnh bìa cần có mô tả (cho người khiếm thị)."})
    obj.search_text = fold(f"{obj.title} {obj.summary} {text_of(obj.body)}")[:1000]
    return [
        "section",
        "title",
        "summary",
        "body",
        "author_name",
        "cover_alt",
        "search_text",
        *changed,
    ]


def article_save(
    *,
    actor: User,
    site: PortalSite,
    article: Article | None = None,
    version: int | None = None,
    **fields: Unpack[ArticleFields],
) -> Article:
    """Create a draft or edit an article (any state); the body is sanitised here."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        if article is None:
            obj = Article(site=site, created_by=actor)
            obj.slug = make_slug(fields["title"], site.articles.all(), 100)
        else:
            obj = Article.objects.select_for_update().get(pk=article.pk, site=site)
            if version is not None and obj.version != version:
                raise ValidationError(
                    "Tin bài vừa được người khác sửa. Vui lòng mở lại để xem bản mới nhất."
                )
        changed = _article_fill(obj, site, fields)
        if obj.pk is None:
            obj.save()
            action_log_record(actor=actor, action="portal.article.created", target=obj)
        else:
            obj.version += 1
            obj.save(update_fields=[*changed, "version", "updated_at"])
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
    *, actor: User, site: PortalSite, unit: Unit, **fields: Unpack[ArticleFields]
) -> Article:
    """A unit sends an article for the news; media staff accept or decline it."""
    _require(rules.can_submit_for(actor, unit.pk))
    with transaction.atomic():
        obj = Article(
            site=site,
            slug=make_slug(fields["title"], site.articles.all(), 100),
            status=ContentStatus.SUBMITTED,
            submitted_unit=unit,
            created_by=actor,
        )
        _article_fill(obj, site, fields)
        obj.save()
        action_log_record(
            actor=actor, action="portal.article.submitted", target=obj, data={"unit": unit.pk}
        )
    return obj


def article_delete(*, actor: User, article: Article) -> None:
    """Delete a draft. A published or scheduled article is taken down first (article_unpublish),
    so no public page disappears by one click; a unit's submission is answered, not deleted."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Article.objects.select_for_update().get(pk=article.pk)
        if obj.status == ContentStatus.PUBLISHED:
            raise ValidationError("Tin bài đang đăng: gỡ về bản nháp trước khi xóa.")
        if obj.status == ContentStatus.SUBMITTED:
            raise ValidationError("Bài đơn vị gửi đang chờ duyệt: hãy nhận đăng hoặc từ chối.")
        _delete(actor, obj, "article", [obj.cover, obj.cover_medium, obj.cover_thumb])


# --- exhibition ----------------------------------------------------------------------------


def album_save(
    *, actor: User, site: PortalSite, title: str, description: str = "", album: Album | None = None
) -> Album:
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        if album is None:
            obj = Album(
                site=site,
                slug=make_slug(title, site.albums.all(), 100),
                position=site.albums.count(),
            )
        else:
            obj = Album.objects.select_for_update().get(pk=album.pk, site=site)
        obj.title, obj.description = title.strip(), description.strip()
        _save_logged(actor, obj, "album")
    return obj


def album_delete(*, actor: User, album: Album) -> None:
    """Delete an album once nothing in it is on show or waiting for review."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Album.objects.select_for_update().get(pk=album.pk)
        live = obj.photos.filter(status__in=[ContentStatus.PUBLISHED, ContentStatus.SUBMITTED])
        if live.exists():
            raise ValidationError(
                "Bộ ảnh còn ảnh đang trưng bày hoặc chờ duyệt: gỡ hoặc duyệt hết ảnh trước khi xóa."
            )
        photos = list(obj.photos.all())
        files = [f for p in photos for f in (p.image, p.image_medium, p.image_thumb)]
        from_units = [p.caption[:100] for p in photos if p.submitted_unit_id]
        _delete(actor, obj, "album", files, photos=len(photos), unit_photos=from_units)


class PhotoFields(TypedDict, total=False):
    """What describes a photo, whoever adds it."""

    image: Required[Upload]
    caption: Required[str]
    alt_text: Required[str]
    photographer: str
    taken_on: date | None
    place: str


def _photo_create(*, actor: User, album: Album, unit: Unit | None, fields: PhotoFields) -> Photo:
    """Media staff's photo is shown at once; a unit's waits for review."""
    alt_text, caption = fields["alt_text"].strip(), fields["caption"].strip()
    if not alt_text:
        raise ValidationError({"alt_text": "Ảnh cần có mô tả (cho người khiếm thị)."})
    if not caption:
        raise ValidationError({"caption": "Nhập chú thích ảnh."})
    with transaction.atomic():
        stored = store_image(fields["image"])
        photo = Photo.objects.create(
            album=album,
            image=stored.full,
            image_medium=stored.medium,
            image_thumb=stored.thumb,
            width=stored.width,
            height=stored.height,
            caption=caption,
            alt_text=alt_text,
            photographer=fields.get("photographer", "").strip(),
            taken_on=fields.get("taken_on"),
            place=fields.get("place", "").strip(),
            status=ContentStatus.PUBLISHED if unit is None else ContentStatus.SUBMITTED,
            submitted_unit=unit,
            position=_next_position(album.photos.all()),
            created_by=actor,
        )
        if unit is None:
            action_log_record(actor=actor, action="portal.photo.added", target=photo)
            _changed()
        else:
            action_log_record(
                actor=actor, action="portal.photo.submitted", target=photo, data={"unit": unit.pk}
            )
    return photo


def photo_add(*, actor: User, album: Album, **fields: Unpack[PhotoFields]) -> Photo:
    """Media staff add a photo to an album; it is shown at once."""
    _require(rules.can_edit_portal(actor))
    return _photo_create(actor=actor, album=album, unit=None, fields=fields)


def photo_submit(*, actor: User, album: Album, unit: Unit, **fields: Unpack[PhotoFields]) -> Photo:
    """A unit sends a photo for the exhibition; media staff accept or decline it."""
    _require(rules.can_submit_for(actor, unit.pk))
    return _photo_create(actor=actor, album=album, unit=unit, fields=fields)


def photo_withdraw(*, actor: User, photo: Photo, note: str = "") -> Photo:
    """Take a published photo off the exhibition (kept with the reason; a staff photo can then
    be deleted, a unit's stays as its record)."""
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


def photo_delete(*, actor: User, photo: Photo) -> None:
    """Delete a photo media staff added and took off the exhibition; a unit's photo stays, with
    the answer it got, as the unit's record."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Photo.objects.select_for_update().get(pk=photo.pk)
        if obj.submitted_unit_id:
            raise ValidationError("Ảnh do đơn vị gửi được giữ lại làm hồ sơ, không xóa.")
        if obj.status != ContentStatus.DECLINED:
            raise ValidationError("Ảnh đang trưng bày: gỡ ảnh khỏi triển lãm trước khi xóa.")
        _delete(actor, obj, "photo", [obj.image, obj.image_medium, obj.image_thumb])


def photo_move(*, actor: User, photo: Photo, up: bool) -> None:
    """One place earlier (up) or later in the album's order."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        _move(actor, photo, Photo.objects.filter(album_id=photo.album_id), up)


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
            Book(site=site, position=_next_position(site.books.all()))
            if book is None
            else Book.objects.select_for_update().get(pk=book.pk, site=site)
        )
        obj.title, obj.author, obj.publisher = title.strip(), author.strip(), publisher.strip()
        obj.year, obj.intro, obj.where_to_read = year, intro.strip(), where_to_read.strip()
        if cover is not None:
            stored = store_image(cover)
            obj.cover, obj.cover_thumb = stored.medium, stored.thumb
        obj.search_text = fold(f"{obj.title} {obj.author} {obj.publisher} {obj.intro}")[:1000]
        _save_logged(actor, obj, "book")
    return obj


def book_delete(*, actor: User, book: Book) -> None:
    """Take a book out of the display. Books have no page of their own (only a place in the
    list), so no unpublish step: the editor confirms and the entry goes; the log keeps its title."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Book.objects.select_for_update().get(pk=book.pk)
        _delete(actor, obj, "book", [obj.cover, obj.cover_thumb])


def book_move(*, actor: User, book: Book, up: bool) -> None:
    """One place earlier (up) or later in the display."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        _move(actor, book, Book.objects.filter(site_id=book.site_id), up)


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
        _save_logged(actor, obj, "event")
    return obj


def event_delete(*, actor: User, event: Event) -> None:
    """Delete an event that is not on the public pages (untick "Đăng công khai" first)."""
    _require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Event.objects.select_for_update().get(pk=event.pk)
        if obj.is_published:
            raise ValidationError("Sự kiện đang đăng công khai: bỏ đăng trước khi xóa.")
        _delete(actor, obj, "event", [])
