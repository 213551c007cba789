"""The book display: entries, their order, deletion."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.core.clock import now
from thidua.core.concurrency import merge_model_edit
from thidua.core.text import fold
from thidua.portal import rules
from thidua.portal.images import store_image
from thidua.portal.models import Book, PortalSite
from thidua.portal.services._common import (
    Upload,
    delete_logged,
    move_logged,
    next_position,
    require,
    require_site_editor,
    save_logged,
)

# What the edit form shows and the service merges (core.concurrency); the cover is a file, apart.
BOOK_FIELDS = ("title", "author", "publisher", "year", "intro", "where_to_read")


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
    bases: Mapping[str, str] | None = None,
) -> Book:
    """Add a book, or edit one. `bases`: the form's fingerprints (core.concurrency), so an old
    page writes only what it changed and never undoes someone else's newer edit (M7)."""
    require_site_editor(actor, site_id=site.pk)
    if year is not None and not 1800 <= year <= now().year:  # noqa: PLR2004 - plausible years
        raise ValidationError({"year": "Năm xuất bản không hợp lệ."})
    with transaction.atomic():
        obj = (
            Book(site=site, position=next_position(site.books.all()))
            if book is None
            else Book.objects.select_for_update().get(pk=book.pk, site=site)
        )
        values: dict[str, Any] = {
            "title": title.strip(), "author": author.strip(), "publisher": publisher.strip(),
            "year": year, "intro": intro.strip(), "where_to_read": where_to_read.strip(),
        }  # fmt: skip
        if book is not None:
            values = merge_model_edit(obj, values, bases)
        for name, value in values.items():
            setattr(obj, name, value)
        if cover is not None:
            stored = store_image(cover)
            obj.cover, obj.cover_thumb = stored.medium, stored.thumb
        obj.search_text = fold(f"{obj.title} {obj.author} {obj.publisher} {obj.intro}")[:1000]
        save_logged(actor, obj, "book")
    return obj


def book_delete(*, actor: User, book: Book) -> None:
    """Take a book out of the display. Books have no page of their own (only a place in the
    list), so no unpublish step: the editor confirms and the entry goes; the log keeps its title."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Book.objects.select_for_update().get(pk=book.pk)
        require_site_editor(actor, site_id=obj.site_id)
        delete_logged(actor, obj, "book", [obj.cover, obj.cover_thumb])


def book_move(*, actor: User, book: Book, up: bool) -> None:
    """One place earlier (up) or later in the display."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Book.objects.select_for_update().get(pk=book.pk)
        require_site_editor(actor, site_id=obj.site_id)
        move_logged(actor, obj, Book.objects.filter(site_id=obj.site_id), up)
