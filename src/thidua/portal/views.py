from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from thidua.accounts.requests import request_user
from thidua.awards.registry import find_certificate, honour_board
from thidua.campaigns.models import Campaign
from thidua.campaigns.views import issued_campaign_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.clock import now
from thidua.core.http import is_htmx, require, run_action, too_many_requests
from thidua.core.pagination import paginate
from thidua.organizations.models import Unit
from thidua.participation import selectors as participation
from thidua.portal import rules, selectors, services
from thidua.portal.cache import public_page
from thidua.portal.forms import (
    AlbumForm,
    ArticleForm,
    BookForm,
    EventForm,
    PhotoForm,
    PublishForm,
    ReviewForm,
    SectionForm,
    SiteForm,
    SubmitPhotoForm,
)
from thidua.portal.models import Album, Article, Book, ContentStatus, Event, Photo, PortalSite

NEWS_PER_PAGE = 12

# --- public pages --------------------------------------------------------------------------


def _public(request: HttpRequest, template: str, site: PortalSite, **context: Any) -> HttpResponse:
    return render(
        request,
        template,
        {
            "site": site,
            "campaign": site.campaign,
            "site_contest": selectors.campaign_contest(site),
            **context,
        },
    )


@public_page
def index(request: HttpRequest) -> HttpResponse:
    sites = list(selectors.public_site_list())
    if len(sites) == 1:
        return redirect("portal:home", slug=sites[0].slug)
    return render(request, "portal/index.html", {"sites": sites})


@public_page
def home(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.public_site(slug)
    articles = list(selectors.published_articles(site)[:7])
    upcoming, _past = selectors.public_events(site)
    return _public(
        request,
        "portal/home.html",
        site,
        lead=articles[0] if articles else None,
        articles=articles[1:],
        figures=selectors.key_figures(site),
        upcoming=upcoming[:3],
        albums=selectors.albums_with_covers(site)[:3],
        models=list(selectors.public_good_models(site)[:3]),
        nav="home",
    )


@public_page
def news(request: HttpRequest, slug: str, section: str = "") -> HttpResponse:
    site = selectors.public_site(slug)
    articles = selectors.published_articles(site)
    current = None
    if section:
        current = get_object_or_404(site.sections, slug=section)
        articles = articles.filter(section=current)
    return _public(
        request,
        "portal/news.html",
        site,
        page=paginate(request, articles, NEWS_PER_PAGE),
        sections=list(site.sections.all()),
        section=current,
        nav="news",
    )


@public_page
def article(request: HttpRequest, slug: str, article: str) -> HttpResponse:
    site = selectors.public_site(slug)
    item = get_object_or_404(selectors.published_articles(site), slug=article)
    return _public(
        request,
        "portal/article.html",
        site,
        article=item,
        related=selectors.related_articles(item),
        nav="news",
    )


@public_page
def exhibition(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.public_site(slug)
    return _public(
        request,
        "portal/exhibition.html",
        site,
        albums=selectors.albums_with_covers(site),
        nav="photos",
    )


@public_page
def album(request: HttpRequest, slug: str, album: str) -> HttpResponse:
    site = selectors.public_site(slug)
    item, photos = selectors.album_public(site, album)
    return _public(request, "portal/album.html", site, album=item, photos=photos, nav="photos")


@public_page
def books(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.public_site(slug)
    return _public(
        request, "portal/books.html", site, books=list(selectors.public_books(site)), nav="books"
    )


@public_page
def events(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.public_site(slug)
    upcoming, past = selectors.public_events(site)
    return _public(request, "portal/events.html", site, upcoming=upcoming, past=past, nav="events")


@public_page
def event(request: HttpRequest, slug: str, event: str) -> HttpResponse:
    site = selectors.public_site(slug)
    item = get_object_or_404(Event, site=site, slug=event, is_published=True)
    return _public(request, "portal/event.html", site, event=item, nav="events")


@public_page
def good_models(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.public_site(slug)
    return _public(
        request,
        "portal/good_models.html",
        site,
        page=paginate(request, selectors.public_good_models(site), 20),
        nav="models",
    )


@public_page
def good_model(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = selectors.public_site(slug)
    item = get_object_or_404(selectors.public_good_models(site), pk=pk)
    return _public(request, "portal/good_model.html", site, model=item, nav="models")


@public_page
def honours(request: HttpRequest, slug: str) -> HttpResponse:
    """The honour board: awards in force of the campaign; names, units and decisions only."""
    site = selectors.public_site(slug)
    entries = honour_board(campaign_id=site.campaign_id)
    return _public(
        request,
        "portal/honours.html",
        site,
        collectives=[e for e in entries if e.collective],
        individuals=[e for e in entries if not e.collective],
        nav="honours",
    )


def certificate_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Certificate check without the QR code: the registry number and the name printed on it."""
    site = selectors.public_site(slug)
    if is_ratelimited(request, group="portal-check", key="ip", rate=SEARCH_RATE, increment=True):
        return too_many_requests(request, "Bạn tra cứu quá nhiều lần.")
    number, name = request.GET.get("so", "").strip(), request.GET.get("ten", "").strip()
    record = find_certificate(number=number, name=name) if number and name else None
    if record is not None:
        return redirect("awards:verify", token=record.token)
    return render(
        request,
        "portal/certificate_check.html",
        {
            "site": site,
            "campaign": site.campaign,
            "site_contest": selectors.campaign_contest(site),
            "nav": "check",
            "number": number,
            "name": name,
            "not_found": bool(number and name),
        },
    )


# Per client address (behind a proxy listed in TRUSTED_PROXIES, the visitor's, not the
# proxy's: core.clientip); cached results do not count, only new searches.
SEARCH_RATE = "120/m"


@public_page
def search(request: HttpRequest, slug: str) -> HttpResponse:
    if is_ratelimited(request, group="portal-search", key="ip", rate=SEARCH_RATE, increment=True):
        return too_many_requests(request, "Bạn tìm kiếm quá nhanh.")
    site = selectors.public_site(slug)
    query = request.GET.get("q", "").strip()[:100]
    return _public(
        request,
        "portal/search.html",
        site,
        query=query,
        results=selectors.search(site, query),
        nav="search",
    )


_IMAGE_FIELDS = {
    ("article", "full"): "cover",
    ("article", "medium"): "cover_medium",
    ("article", "thumb"): "cover_thumb",
    ("photo", "full"): "image",
    ("photo", "medium"): "image_medium",
    ("photo", "thumb"): "image_thumb",
    ("book", "medium"): "cover",
    ("book", "thumb"): "cover_thumb",
}


def _image_visible(request: HttpRequest, kind: str, obj: Any) -> bool:
    if rules.can_edit_portal(request.user):
        return True
    if kind == "article":
        return bool(
            obj.site.is_public
            and obj.status == ContentStatus.PUBLISHED
            and obj in selectors.published_articles(obj.site)
        )
    if kind == "photo":
        return bool(obj.album.site.is_public and obj.status == ContentStatus.PUBLISHED)
    return bool(obj.site.is_public)


def image(request: HttpRequest, kind: str, pk: int, size: str) -> FileResponse:
    """Portal images: public once published; editors see drafts and submissions."""
    field = _IMAGE_FIELDS.get((kind, size))
    if field is None:
        raise Http404
    if kind == "article":
        obj: Any = get_object_or_404(Article.objects.select_related("site"), pk=pk)
    elif kind == "photo":
        obj = get_object_or_404(Photo.objects.select_related("album__site"), pk=pk)
    else:
        obj = get_object_or_404(Book.objects.select_related("site"), pk=pk)
    name = getattr(obj, field).name
    if not name or not _image_visible(request, kind, obj):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ArticleFeed(Feed):  # type: ignore[type-arg]
    """RSS 2.0 of a campaign's published news (the Atom feed below shares it)."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed

    def get_object(self, request: HttpRequest, slug: str) -> PortalSite:
        return selectors.public_site(slug)

    def title(self, obj: PortalSite) -> str:
        return f"Tin tức: {obj.campaign.title}"[:200]

    def link(self, obj: PortalSite) -> str:
        return reverse("portal:news", args=[obj.slug])

    def description(self, obj: PortalSite) -> str:
        return obj.intro or obj.campaign.title

    def items(self, obj: PortalSite) -> list[Article]:
        return list(selectors.published_articles(obj)[:20])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or services.text_of(item.body)[:500]

    def item_link(self, item: Article) -> str:
        return reverse("portal:article", args=[item.site.slug, item.slug])

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author_name

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]


class AtomArticleFeed(ArticleFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: PortalSite) -> str:
        return self.description(obj)


def sitemap(request: HttpRequest) -> HttpResponse:
    urls: list[tuple[str, Any]] = []
    for site in selectors.public_site_list():
        s = site.slug
        urls += [(reverse(name, args=[s]), site.updated_at) for name in _SITE_PAGES]
        urls += [(reverse("portal:section", args=[s, x.slug]), None) for x in site.sections.all()]
        urls += [
            (reverse("portal:article", args=[s, a.slug]), a.updated_at)
            for a in selectors.published_articles(site)
        ]
        urls += [
            (reverse("portal:album", args=[s, a.slug]), None)
            for a in selectors.albums_with_covers(site)
        ]
        urls += [
            (reverse("portal:event", args=[s, e.slug]), None)
            for e in Event.objects.filter(site=site, is_published=True)
        ]
        urls += [
            (reverse("portal:good-model", args=[s, m.pk]), m.reviewed_at)
            for m in selectors.public_good_models(site)
        ]
    entries = [(request.build_absolute_uri(u), when) for u, when in urls]
    return render(
        request, "portal/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )


_SITE_PAGES = (
    "portal:home",
    "portal:news",
    "portal:exhibition",
    "portal:books",
    "portal:events",
    "portal:good-models",
)

# --- editorial side ------------------------------------------------------------------------


def _editor(request: HttpRequest) -> Any:
    user = request_user(request)
    require(rules.can_edit_portal(user))
    return user


def _site_for(campaign: Campaign) -> PortalSite:
    site = selectors.site_of(campaign)
    if site is None:
        raise Http404
    return site


def _initial(item: Any, fields: Iterable[str]) -> dict[str, Any]:
    """A form's starting values from an existing item (nothing for a new one)."""
    return {f: getattr(item, f) for f in fields} if item is not None else {}


def _form_page(
    request: HttpRequest,
    *,
    campaign: Campaign,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    then: str | Callable[[Any], str],
    title: str,
    button: str,
    **extra: Any,
) -> HttpResponse:
    """The editorial form pages: validate, call one service, say so and go on; or show errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(then(saved) if callable(then) else then)
    context = {"campaign": campaign, "form": form, "title": title, "button": button, **extra}
    return render(request, "portal/simple_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's portal hub: settings, content, submissions, or a unit's send links."""
    user, campaign = issued_campaign_for(request, pk)
    site = selectors.site_of(campaign)
    form = SiteForm(
        request.POST or None,
        initial={"is_public": site.is_public, "slug": site.slug, "intro": site.intro}
        if site
        else {},
    )
    if request.method == "POST":
        require(rules.can_configure_site(user))
        if form.is_valid():
            try:
                site = services.site_save(actor=user, campaign=campaign, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Đã lưu trang phong trào.")
                return redirect("portal:manage", pk=campaign.pk)
    editor = rules.can_edit_portal(user)
    acting_units = participation.acting_units(user, campaign)
    context: dict[str, Any] = {
        "campaign": campaign,
        "site": site,
        "form": form,
        "title": "Cổng thông tin",
        "editor": editor,
        "can_configure": rules.can_configure_site(user),
        "acting_units": acting_units,
        "sent": selectors.sent_by_units(site, {u.pk for u in acting_units}) if site else [],
        "now_value": now(),
    }
    if site and editor:
        pending_articles, pending_photos = selectors.pending_submissions(site)
        context |= {
            "articles": paginate(request, selectors.editor_articles(site), 30),
            "sections": list(site.sections.all()),
            "albums": list(Album.objects.filter(site=site)),
            "books": list(site.books.all()),
            "events": list(site.events.all()),
            "pending": len(pending_articles) + len(pending_photos),
            "section_form": SectionForm(),
        }
    return render(request, "portal/manage.html", context)


@login_required
@require_POST
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    _, campaign = issued_campaign_for(request, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_create(
                actor=user, site=_site_for(campaign), name=form.cleaned_data["name"]
            )
            messages.success(request, "Đã thêm chuyên mục.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("portal:manage", pk=campaign.pk)


ARTICLE_FIELDS = ("title", "summary", "body", "author_name", "cover_alt", "version")


def _article_form_page(
    request: HttpRequest, site: PortalSite, item: Article | None
) -> HttpResponse:
    user = _editor(request)
    initial = _initial(item, ARTICLE_FIELDS) | ({"section": item.section_id} if item else {})
    form = ArticleForm(
        request.POST or None, request.FILES or None, sections=site.sections.all(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            saved = services.article_save(
                actor=user, site=site, article=item, version=version, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu tin bài.")
            return redirect("portal:article-edit", pk=saved.pk)
    return render(
        request,
        "portal/article_form.html",
        {
            "campaign": site.campaign,
            "site": site,
            "article": item,
            "form": form,
            "publish_form": PublishForm(),
            "now_value": now(),
            "title": item.title if item else "Viết tin bài",
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    _, campaign = issued_campaign_for(request, pk)
    site = _site_for(campaign)
    if not site.sections.exists():
        messages.error(request, "Cần thêm ít nhất một chuyên mục trước khi viết tin bài.")
        return redirect("portal:manage", pk=campaign.pk)
    return _article_form_page(request, site, None)


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.article_for_editor(actor=request.user, pk=pk)
    return _article_form_page(request, item.site, item)


@login_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.article_for_editor(actor=request.user, pk=pk)
    return render(
        request,
        "portal/article.html",
        {
            "site": item.site,
            "campaign": item.site.campaign,
            "article": item,
            "related": selectors.related_articles(item),
            "preview": True,
            "nav": "news",
        },
    )


@login_required
@require_POST
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    item = selectors.article_for_editor(actor=user, pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("portal:article-edit", pk=item.pk)
    try:
        done = services.article_publish(
            actor=user, article=item, publish_at=form.cleaned_data["publish_at"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if done.publish_at and form.cleaned_data["publish_at"]:
            messages.success(request, "Đã hẹn giờ đăng tin bài.")
        else:
            messages.success(request, "Đã đăng tin bài.")
    return redirect("portal:article-edit", pk=item.pk)


@login_required
@require_POST
def article_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    item = selectors.article_for_editor(actor=user, pk=pk)
    services.article_unpublish(actor=user, article=item)
    messages.success(request, "Đã gỡ tin bài về bản nháp.")
    return redirect("portal:article-edit", pk=item.pk)


def _delete_page(
    request: HttpRequest, delete: Callable[[], None], done: str, *, campaign_id: int, back: str
) -> HttpResponse:
    """Run a delete: done → back to the portal hub; refused → the reason, on the item's page."""
    if run_action(request, delete, done):
        return redirect("portal:manage", pk=campaign_id)
    return redirect(back)


@login_required
@require_POST
def article_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    item = selectors.article_for_editor(actor=user, pk=pk)
    return _delete_page(
        request,
        lambda: services.article_delete(actor=user, article=item),
        f"Đã xóa tin bài “{item.title}”.",
        campaign_id=item.site.campaign_id,
        back=reverse("portal:article-edit", args=[item.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def album_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _editor(request)
    _, campaign = issued_campaign_for(request, pk)
    site = _site_for(campaign)
    return _form_page(
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
    user = _editor(request)
    return user, get_object_or_404(Album.objects.select_related("site__campaign"), pk=pk)


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def album_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, item = _album_for_editor(request, pk)
    album_form = AlbumForm(initial=_initial(item, ("title", "description")))
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
                services.album_save(
                    actor=user, site=item.site, album=item, **album_form.cleaned_data
                )
                messages.success(request, "Đã lưu bộ ảnh.")
                return redirect("portal:album-edit", pk=item.pk)
    return render(
        request,
        "portal/album_form.html",
        {
            "campaign": item.site.campaign,
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
    return _delete_page(
        request,
        lambda: services.album_delete(actor=user, album=item),
        f"Đã xóa bộ ảnh “{item.title}”.",
        campaign_id=item.site.campaign_id,
        back=reverse("portal:album-edit", args=[item.pk]),
    )


def _photo_for_editor(request: HttpRequest, pk: int) -> tuple[Any, Photo]:
    user = _editor(request)
    return user, get_object_or_404(Photo.objects.select_related("album"), pk=pk)


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


def _moved_up(request: HttpRequest) -> bool:
    direction = request.POST.get("huong")
    if direction not in {"len", "xuong"}:
        raise Http404
    return direction == "len"


@login_required
@require_POST
def photo_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Up or down in the album; htmx gets the photo grid back, a plain form a redirect."""
    user, photo = _photo_for_editor(request, pk)
    up = _moved_up(request)
    services.photo_move(actor=user, photo=photo, up=up)
    if is_htmx(request):
        return render(
            request,
            "portal/_album_photos.html",
            {"photos": _album_photos(photo.album), "moved": photo.pk, "up": up},
        )
    return redirect(f"{reverse('portal:album-edit', args=[photo.album_id])}#anh-{photo.pk}")


BOOK_FIELDS = ("title", "author", "publisher", "year", "intro", "where_to_read")
EVENT_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "place",
    "speakers",
    "description",
    "materials",
    "is_published",
)


def _site_item(request: HttpRequest, pk: int, model: Any, item_pk: int | None) -> tuple[Any, ...]:
    """The editor, the issued campaign, its portal and, when editing, the item of that portal."""
    user = _editor(request)
    _, campaign = issued_campaign_for(request, pk)
    site = _site_for(campaign)
    item = get_object_or_404(model, pk=item_pk, site=site) if item_pk else None
    return user, campaign, site, item


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def book_edit(request: HttpRequest, pk: int, book: int | None = None) -> HttpResponse:
    user, campaign, site, item = _site_item(request, pk, Book, book)
    form = BookForm(
        request.POST or None, request.FILES or None, initial=_initial(item, BOOK_FIELDS)
    )
    return _form_page(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.book_save(actor=user, site=site, book=item, **data),
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
    user, campaign, _site, item = _site_item(request, pk, Book, book)
    return _delete_page(
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
    user, campaign, site, item = _site_item(request, pk, Book, book)
    up = _moved_up(request)
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
    user, campaign, site, item = _site_item(request, pk, Event, event)
    form = EventForm(request.POST or None, initial=_initial(item, EVENT_FIELDS))
    return _form_page(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.event_save(actor=user, site=site, event=item, **data),
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
    user, campaign, _site, item = _site_item(request, pk, Event, event)
    return _delete_page(
        request,
        lambda: services.event_delete(actor=user, event=item),
        f"Đã xóa sự kiện “{item.title}”.",
        campaign_id=campaign.pk,
        back=reverse("portal:event-edit", args=[campaign.pk, item.pk]),
    )


@login_required
def submissions(request: HttpRequest, pk: int) -> HttpResponse:
    _editor(request)
    _, campaign = issued_campaign_for(request, pk)
    site = _site_for(campaign)
    articles, photos = selectors.pending_submissions(site)
    return render(
        request,
        "portal/submissions.html",
        {
            "campaign": campaign,
            "articles": articles,
            "photos": photos,
            "title": "Bài, ảnh đơn vị gửi",
        },
    )


@login_required
@require_POST
def submission_review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = _editor(request)
    item: Article | Photo
    if kind == "bai":
        article = get_object_or_404(Article.objects.select_related("site"), pk=pk)
        item, campaign_id = article, article.site.campaign_id
    elif kind == "anh":
        photo = get_object_or_404(Photo.objects.select_related("album__site"), pk=pk)
        item, campaign_id = photo, photo.album.site.campaign_id
    else:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.submission_review(actor=user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            accepted = form.cleaned_data["decision"] == "accept"
            messages.success(
                request, "Đã nhận đăng." if accepted else "Đã từ chối, đơn vị sẽ thấy lý do."
            )
    return redirect("portal:submissions", pk=campaign_id)


def _submit_unit(request: HttpRequest, campaign: Campaign) -> Unit:
    units = participation.acting_units(request_user(request), campaign)
    wanted = request.GET.get("don-vi") or request.POST.get("don-vi")
    unit = next((u for u in units if str(u.pk) == wanted), units[0] if units else None)
    if unit is None:
        raise PermissionDenied
    return unit


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def submit_photo(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    unit = _submit_unit(request, campaign)
    site = _site_for(campaign)
    albums = Album.objects.filter(site=site)
    if not albums.exists():
        messages.error(request, "Cán bộ truyền thông chưa mở bộ ảnh nào để nhận ảnh.")
        return redirect("portal:manage", pk=campaign.pk)
    return _form_page(
        request,
        campaign=campaign,
        form=SubmitPhotoForm(request.POST or None, request.FILES or None, albums=albums),
        save=lambda data: services.photo_submit(actor=user, unit=unit, **data),
        done="Đã gửi ảnh, chờ cán bộ truyền thông duyệt.",
        then=reverse("portal:manage", args=[campaign.pk]),
        title="Gửi ảnh cho triển lãm",
        button="Gửi ảnh",
        unit=unit,
        multipart=True,
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def submit_article(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = issued_campaign_for(request, pk)
    unit = _submit_unit(request, campaign)
    site = _site_for(campaign)
    if not site.sections.exists():
        messages.error(request, "Cán bộ truyền thông chưa mở chuyên mục nào để nhận tin bài.")
        return redirect("portal:manage", pk=campaign.pk)

    def send(data: dict[str, Any]) -> Article:
        data.pop("version", None)
        return services.article_submit(actor=user, site=site, unit=unit, **data)

    return _form_page(
        request,
        campaign=campaign,
        form=ArticleForm(request.POST or None, request.FILES or None, sections=site.sections.all()),
        save=send,
        done="Đã gửi tin bài, chờ cán bộ truyền thông duyệt.",
        then=reverse("portal:manage", args=[campaign.pk]),
        title="Gửi tin bài",
        button="Gửi tin bài",
        unit=unit,
        multipart=True,
        rich_text=True,
    )
