"""Events (talks, meetings): edits and deletion."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.portal import rules
from thidua.portal.models import Event, PortalSite
from thidua.portal.services._common import (
    delete_logged,
    make_slug,
    require,
    sanitize_html,
    save_logged,
)


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
    require(rules.can_edit_portal(actor))
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
        save_logged(actor, obj, "event")
    return obj


def event_delete(*, actor: User, event: Event) -> None:
    """Delete an event that is not on the public pages (untick "Đăng công khai" first)."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Event.objects.select_for_update().get(pk=event.pk)
        if obj.is_published:
            raise ValidationError("Sự kiện đang đăng công khai: bỏ đăng trước khi xóa.")
        delete_logged(actor, obj, "event", [])
