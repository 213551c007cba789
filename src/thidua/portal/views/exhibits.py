"""The editorial side of the exhibition, the book display and events."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.core.bodylimit import accepts_uploads
from thidua.core.http import is_htmx, run_action
from thidua.portal import selectors, services
from thidua.portal.forms import AlbumForm, BookForm, EventForm, PhotoForm
from thidua.portal.models import Album, Book, Event, Photo
from thidua.portal.views._common import (
    delete_page,
    editor_campaign,
    form_page,
    initial_of,
    moved_up,
    require_editor,
    site_for,
    site_item,
)


@login_required
@require_http_methods(["GET", "POST"])
def album_create(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = editor_campaign(request, pk)
    site = site_for(campaign)
    return form_page(
        request,
        campaign=campaign,
        form=AlbumForm(request.POST or None),
        save=lambda data: services.album_save(actor=user, site=site, **data),
        done="Đã tạo bộ ảnh.",
        then=lambda album: reverse("portal:album-edit", args=[album.pk]),
        title="Tạo bộ ảnh",
        button="Tạo bộ ảnh",
    )


def _album_for_editor(request: HttpRequest, pk: int) -> tuple[Any, Album]:
    user = require_editor(request)
    return user, selectors.album_for_editor(actor=user, pk=pk)


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def album_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, item = _album_for_editor(request, pk)
    album_form = AlbumForm(initial=initial_of(item, ("title", "description")))
    photo_form = PhotoForm()
    if request.method == "POST":
        if "image" in request.FILES or request.POST.get("caption") is not None:
            photo_form = PhotoForm(request.POST, request.FILES)
            if photo_form.is_valid():
                try:
                    services.photo_add(actor=user, album=item, **photo_form.cleaned_data)
                except ValidationError as exc:
                    photo_form.add_error(None, exc)
                else:
                    messages.success(request, "Đã thêm ảnh.")
                    return redirect("portal:album-edit", pk=item.pk)
        else:
            album_form = AlbumForm(request.POST)
            if album_form.is_valid():
                try:
                    services.album_save(
                        actor=user,
                        site=item.site,
                        album=item,
                        bases=album_form.bases,
                        **album_form.cleaned_data,
                    )
                except ValidationError as exc:  # someone else's newer edit: input stays
                    album_form.add_error(None, exc)
                else:
                    messages.success(request, "Đã lưu bộ ảnh.")
                    return redirect("portal:album-edit", pk=item.pk)
    return render(
        request,
        "portal/album_form.html",
        {
            "campaign": selectors.with_campaign_list_flag(actor=user, campaign=item.site.campaign),
            "album": item,
            "album_form": album_form,
            "photo_form": photo_form,
            "photos": _album_photos(item),
            "title": item.title,
        },
    )


def _album_photos(album: Album) -> list[Photo]:
    return list(album.photos.select_related("submitted_unit").order_by("position", "pk"))


@login_required
@require_POST
def album_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user, item = _album_for_editor(request, pk)
    return delete_page(
        request,
        lambda: services.album_delete(actor=user, album=item),
        f"Đã xóa bộ ảnh “{item.title}”.",
        campaign_id=item.site.campaign_id,
        back=reverse("portal:album-edit", args=[item.pk]),
    )


def _photo_for_editor(request: HttpRequest, pk: int) -> tuple[Any, Photo]:
    user = require_editor(request)
    return user, selectors.photo_for_editor(actor=user, pk=pk)


@login_required
@require_POST
def photo_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user, photo = _photo_for_editor(request, pk)
    services.photo_withdraw(actor=user, photo=photo, note=request.POST.get("note", "")[:1000])
    messages.success(request, "Đã gỡ ảnh khỏi triển lãm.")
    return redirect("portal:album-edit", pk=photo.album_id)


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user, photo = _photo_for_editor(request, pk)
    run_action(request, lambda: services.photo_delete(actor=user, photo=photo), "Đã xóa ảnh.")
    return redirect("portal:album-edit", pk=photo.album_id)


@login_required
@require_POST
def photo_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Up or down in the album; htmx gets the photo grid back, a plain form a redirect."""
    user, photo = _photo_for_editor(request, pk)
    up = moved_up(request)
    services.photo_move(actor=user, photo=photo, up=up)
    if is_htmx(request):
        return render(
            request,
            "portal/_album_photos.html",
            {"photos": _album_photos(photo.album), "moved": photo.pk, "up": up},
        )
    return redirect(f"{reverse('portal:album-edit', args=[photo.album_id])}#anh-{photo.pk}")


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def book_edit(request: HttpRequest, pk: int, book: int | None = None) -> HttpResponse:
    user, campaign, site, item = site_item(request, pk, Book, book)
    form = BookForm(
        request.POST or None, request.FILES or None, initial=initial_of(item, services.BOOK_FIELDS)
    )
    return form_page(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.book_save(
            actor=user, site=site, book=item, bases=form.bases, **data
        ),
        done="Đã lưu sách.",
        then=reverse("portal:manage", args=[campaign.pk]),
        title=item.title if item else "Thêm sách trưng bày",
        button="Lưu sách",
        multipart=True,
        delete_url=reverse("portal:book-delete", args=[campaign.pk, item.pk]) if item else "",
        delete_label="Xóa sách khỏi trưng bày",
        delete_confirm=f"Xóa sách “{item.title}” khỏi trưng bày?" if item else "",
    )


@login_required
@require_POST
def book_delete(request: HttpRequest, pk: int, book: int) -> HttpResponse:
    user, campaign, _site, item = site_item(request, pk, Book, book)
    return delete_page(
        request,
        lambda: services.book_delete(actor=user, book=item),
        f"Đã xóa sách “{item.title}” khỏi trưng bày.",
        campaign_id=campaign.pk,
        back=reverse("portal:book-edit", args=[campaign.pk, item.pk]),
    )


@login_required
@require_POST
def book_move(request: HttpRequest, pk: int, book: int) -> HttpResponse:
    """Up or down in the display; htmx gets the book list back, a plain form a redirect."""
    user, campaign, site, item = site_item(request, pk, Book, book)
    up = moved_up(request)
    services.book_move(actor=user, book=item, up=up)
    if is_htmx(request):
        return render(
            request,
            "portal/_manage_books.html",
            {"campaign": campaign, "books": list(site.books.all()), "moved": item.pk, "up": up},
        )
    return redirect(f"{reverse('portal:manage', args=[campaign.pk])}#sach-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int, event: int | None = None) -> HttpResponse:
    user, campaign, site, item = site_item(request, pk, Event, event)
    form = EventForm(request.POST or None, initial=services.event_shown(item) if item else {})
    return form_page(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.event_save(
            actor=user, site=site, event=item, bases=form.bases, **data
        ),
        done="Đã lưu sự kiện.",
        then=reverse("portal:manage", args=[campaign.pk]),
        title=item.title if item else "Thêm sự kiện",
        button="Lưu sự kiện",
        rich_text=True,
        delete_url=reverse("portal:event-delete", args=[campaign.pk, item.pk]) if item else "",
        delete_label="Xóa sự kiện",
        delete_confirm=f"Xóa sự kiện “{item.title}”?" if item else "",
        delete_blocked="Sự kiện đang đăng công khai: bỏ chọn “Đăng công khai”, lưu lại rồi mới "
        "xóa được."
        if item and item.is_published
        else "",
    )


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int, event: int) -> HttpResponse:
    user, campaign, _site, item = site_item(request, pk, Event, event)
    return delete_page(
        request,
        lambda: services.event_delete(actor=user, event=item),
        f"Đã xóa sự kiện “{item.title}”.",
        campaign_id=campaign.pk,
        back=reverse("portal:event-edit", args=[campaign.pk, item.pk]),
    )
