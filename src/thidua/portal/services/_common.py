"""Shared by the portal services: sanitised HTML, slugs, the cache bump, logged save,
delete and move."""

from typing import IO, Any, Final

import nh3
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify

from thidua.accounts.models import Role, User
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.organizations.models import Unit
from thidua.participation.selectors import acting_units
from thidua.portal import cache, rules, selectors
from thidua.portal.models import Book, Photo, PortalSite

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


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def require_site_editor(
    actor: User, *, site_id: int | None = None, album_id: int | None = None
) -> None:
    """Media staff of the body owning the campaign whose portal holds the site (or the album),
    or of a body above it (rules.can_edit_campaign_portal, docs/security.md R25). Called with
    the locked row's site when there is one, before anything is written or logged."""
    require(rules.can_edit_portal(actor))
    campaign = selectors.site_campaign(site_id=site_id, album_id=album_id)
    require(rules.can_edit_campaign_portal(actor, campaign))


def require_contributor(actor: User, site: PortalSite, unit: Unit) -> None:
    """The actor acts for the unit, and the unit carries out the site's campaign: a unit sends
    photos and articles only to the campaigns it was sent to implement, as the pages offer."""
    require(rules.can_submit_for(actor, unit.pk))
    require(any(u.pk == unit.pk for u in acting_units(actor, site.campaign)))


def bump_cache() -> None:
    transaction.on_commit(cache.bump)


def next_position(siblings: models.QuerySet[Any]) -> int:
    """After the last one (positions may have gaps once items are deleted)."""
    last = siblings.aggregate(last=models.Max("position"))["last"]
    return 0 if last is None else last + 1


def save_logged(actor: User, obj: models.Model, kind: str) -> None:
    """Save a new or edited item and record which it was."""
    created = obj.pk is None
    obj.save()
    action = f"portal.{kind}.{'created' if created else 'updated'}"
    action_log_record(actor=actor, action=action, target=obj)
    bump_cache()


def delete_logged(
    actor: User, obj: models.Model, kind: str, files: list[FieldFile], **data: Any
) -> None:
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
    bump_cache()


def move_logged(actor: User, obj: Book | Photo, siblings: models.QuerySet[Any], up: bool) -> None:
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
    bump_cache()
