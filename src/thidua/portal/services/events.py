"""Events (talks, meetings): edits and deletion."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from thidua.accounts.models import User
from thidua.core.concurrency import field_labels, merge_edit
from thidua.portal import rules
from thidua.portal.models import Event, PortalSite
from thidua.portal.services._common import (
    delete_logged,
    make_slug,
    require,
    require_site_editor,
    sanitize_html,
    save_logged,
)

EVENT_FIELDS = ("kind", "title", "starts_at", "place", "speakers", "description", "materials",
                "is_published")  # fmt: skip


def _minute(value: datetime) -> datetime:
    return timezone.localtime(value).replace(second=0, microsecond=0)


def event_shown(event: Event) -> dict[str, Any]:
    """The event's values as its edit form shows them (the start in local time, to the minute),
    so the form's fingerprints and the stored side of the merge compare like with like."""
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    values["starts_at"] = _minute(event.starts_at)
    return values


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
    bases: Mapping[str, str] | None = None,
) -> Event:
    """Add or edit an event. `bases`: the form's fingerprints (core.concurrency), so an old
    page writes only what it changed and never undoes someone else's newer edit (M7)."""
    require_site_editor(actor, site_id=site.pk)
    if kind not in Event.Kind.values:
        raise ValidationError({"kind": "Hình thức không hợp lệ."})
    with transaction.atomic():
        if event is None:
            obj = Event(site=site, slug=make_slug(title, site.events.all(), 100))
        else:
            obj = Event.objects.select_for_update().get(pk=event.pk, site=site)
        values: dict[str, Any] = {
            "kind": kind, "title": title.strip(), "starts_at": starts_at, "place": place,
            "speakers": speakers.strip(), "description": description.strip(),
            "materials": sanitize_html(materials), "is_published": is_published,
        }  # fmt: skip
        if event is not None:
            values, _kept = merge_edit(
                current=event_shown(obj),
                incoming={**values, "starts_at": _minute(starts_at)},
                bases=bases,
                labels=field_labels(Event, values),
            )
        for name, value in values.items():
            setattr(obj, name, value)
        save_logged(actor, obj, "event")
    return obj


def event_delete(*, actor: User, event: Event) -> None:
    """Delete an event that is not on the public pages (untick "Đăng công khai" first)."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Event.objects.select_for_update().get(pk=event.pk)
        require_site_editor(actor, site_id=obj.site_id)
        if obj.is_published:
            raise ValidationError("Sự kiện đang đăng công khai: bỏ đăng trước khi xóa.")
        delete_logged(actor, obj, "event", [])
