"""The photo exhibition: albums and their photos (staff's shown at once, units' reviewed)."""

from collections.abc import Mapping
from datetime import date
from typing import Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record
from thidua.organizations.models import Unit
from thidua.portal import rules
from thidua.portal.images import store_image
from thidua.portal.models import Album, ContentStatus, Photo, PortalSite, photo_search_text
from thidua.portal.services._common import (
    Upload,
    bump_cache,
    delete_logged,
    make_slug,
    move_logged,
    next_position,
    require,
    require_contributor,
    require_site_editor,
    save_logged,
)


def album_save(
    *,
    actor: User,
    site: PortalSite,
    title: str,
    description: str = "",
    album: Album | None = None,
    bases: Mapping[str, str] | None = None,
) -> Album:
    """Create or edit an album. `bases`: the form's fingerprints (core.concurrency), so an old
    page writes only what it changed and never undoes someone else's newer edit (M7)."""
    require_site_editor(actor, site_id=site.pk)
    with transaction.atomic():
        if album is None:
            obj = Album(
                site=site,
                slug=make_slug(title, site.albums.all(), 100),
                position=site.albums.count(),
            )
        else:
            obj = Album.objects.select_for_update().get(pk=album.pk, site=site)
        values = {"title": title.strip(), "description": description.strip()}
        if album is not None:
            values = merge_model_edit(obj, values, bases)
        renamed = album is not None and values.get("title", obj.title) != obj.title
        for name, value in values.items():
            setattr(obj, name, value)
        save_logged(actor, obj, "album")
        if renamed:
            _photos_search_text_refresh(obj)
    return obj


def _photos_search_text_refresh(album: Album) -> None:
    """The album's title is in each photo's search text: a renamed album's photos are found by
    the new title."""
    photos = list(album.photos.only("pk", "caption", "photographer", "place"))
    for p in photos:
        p.search_text = photo_search_text(p.caption, p.photographer, p.place, album.title)
    Photo.objects.bulk_update(photos, ["search_text"], batch_size=500)


def album_delete(*, actor: User, album: Album) -> None:
    """Delete an album once nothing in it is on show or waiting for review."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Album.objects.select_for_update().get(pk=album.pk)
        require_site_editor(actor, site_id=obj.site_id)
        live = obj.photos.filter(status__in=[ContentStatus.PUBLISHED, ContentStatus.SUBMITTED])
        if live.exists():
            raise ValidationError(
                "Bộ ảnh còn ảnh đang trưng bày hoặc chờ duyệt: gỡ hoặc duyệt hết ảnh trước khi xóa."
            )
        photos = list(obj.photos.all())
        files = [f for p in photos for f in (p.image, p.image_medium, p.image_thumb)]
        from_units = [p.caption[:100] for p in photos if p.submitted_unit_id]
        delete_logged(actor, obj, "album", files, photos=len(photos), unit_photos=from_units)


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
            position=next_position(album.photos.all()),
            search_text=photo_search_text(
                caption, fields.get("photographer", ""), fields.get("place", ""), album.title
            ),
            created_by=actor,
        )
        if unit is None:
            action_log_record(actor=actor, action="portal.photo.added", target=photo)
            bump_cache()
        else:
            action_log_record(
                actor=actor, action="portal.photo.submitted", target=photo, data={"unit": unit.pk}
            )
    return photo


def photo_add(*, actor: User, album: Album, **fields: Unpack[PhotoFields]) -> Photo:
    """Media staff add a photo to an album; it is shown at once."""
    require_site_editor(actor, album_id=album.pk)
    return _photo_create(actor=actor, album=album, unit=None, fields=fields)


def photo_submit(*, actor: User, album: Album, unit: Unit, **fields: Unpack[PhotoFields]) -> Photo:
    """A unit sends a photo for the exhibition; media staff accept or decline it."""
    require_contributor(actor, album.site, unit)
    return _photo_create(actor=actor, album=album, unit=unit, fields=fields)


def photo_withdraw(*, actor: User, photo: Photo, note: str = "") -> Photo:
    """Take a published photo off the exhibition (kept with the reason; a staff photo can then
    be deleted, a unit's stays as its record)."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Photo.objects.select_for_update().get(pk=photo.pk)
        require_site_editor(actor, album_id=obj.album_id)
        if obj.status == ContentStatus.DECLINED:
            return obj
        obj.status, obj.review_note = ContentStatus.DECLINED, note.strip()
        obj.save(update_fields=["status", "review_note"])
        action_log_record(
            actor=actor, action="portal.photo.withdrawn", target=obj, data={"note": note.strip()}
        )
        bump_cache()
    return obj


def photo_delete(*, actor: User, photo: Photo) -> None:
    """Delete a photo media staff added and took off the exhibition; a unit's photo stays, with
    the answer it got, as the unit's record."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Photo.objects.select_for_update().get(pk=photo.pk)
        require_site_editor(actor, album_id=obj.album_id)
        if obj.submitted_unit_id:
            raise ValidationError("Ảnh do đơn vị gửi được giữ lại làm hồ sơ, không xóa.")
        if obj.status != ContentStatus.DECLINED:
            raise ValidationError("Ảnh đang trưng bày: gỡ ảnh khỏi triển lãm trước khi xóa.")
        delete_logged(actor, obj, "photo", [obj.image, obj.image_medium, obj.image_thumb])


def photo_move(*, actor: User, photo: Photo, up: bool) -> None:
    """One place earlier (up) or later in the album's order."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Photo.objects.select_for_update().get(pk=photo.pk)
        require_site_editor(actor, album_id=obj.album_id)
        move_logged(actor, obj, Photo.objects.filter(album_id=obj.album_id), up)
