"""Public portal pages (anonymous visitors; cached): news, exhibition, books, events, good
models, honour board, certificate check, search, images, feeds, sitemap."""

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django_ratelimit.core import is_ratelimited

from thidua.awards.registry import (
    certificate_facts,
    find_certificate,
    honour_entry,
    honour_records,
)
from thidua.core.http import too_many_requests
from thidua.core.pagination import paginate
from thidua.portal import rules, selectors, services
from thidua.portal.cache import public_page
from thidua.portal.models import Article, Book, ContentStatus, Event, Photo, PortalSite

NEWS_PER_PAGE = 12
GOOD_MODELS_PER_PAGE = 20
HONOURS_PER_PAGE = 50


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
    today, upcoming = selectors.home_events(site)
    return _public(
        request,
        "portal/home.html",
        site,
        lead=articles[0] if articles else None,
        articles=articles[1:],
        figures=selectors.key_figures(site),
        today_events=today,
        upcoming=upcoming,
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
    page = paginate(request, photos, selectors.PHOTOS_PER_PAGE)
    if not page.object_list:
        raise Http404
    return _public(request, "portal/album.html", site, album=item, page=page, nav="photos")


@public_page
def books(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.public_site(slug)
    page = paginate(request, selectors.public_books(site), selectors.BOOKS_PER_PAGE)
    return _public(request, "portal/books.html", site, page=page, nav="books")


@public_page
def events(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.public_site(slug)
    page = paginate(request, selectors.public_events(site), selectors.EVENTS_PER_PAGE)
    return _public(
        request,
        "portal/events.html",
        site,
        page=page,
        upcoming=[e for e in page.object_list if not e.is_past],
        past=[e for e in page.object_list if e.is_past],
        nav="events",
    )


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
        page=paginate(request, selectors.public_good_models(site), GOOD_MODELS_PER_PAGE),
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
    page = paginate(request, honour_records(campaign_id=site.campaign_id), HONOURS_PER_PAGE)
    entries = [honour_entry(r) for r in page.object_list]
    return _public(
        request,
        "portal/honours.html",
        site,
        page=page,
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
    problem = _check_problem(number, name)
    record = find_certificate(number=number, name=name) if not problem and number else None
    # the result is shown here, in the portal's pages, as the QR code's page shows it
    found = certificate_facts(record) if record is not None else {}
    return _public(
        request,
        "portal/certificate_check.html",
        site,
        nav="check",
        number=number,
        name=name,
        problem=problem,
        not_found=bool(number and name) and not problem and record is None,
        **found,
    )


# the number printed on a certificate, as awards.registry reads it: "0003/2022", also typed
# "0003-2022" or "0003 / 2022"
_REGISTRY_NUMBER = re.compile(r"\d{1,6}\s*[/-]\s*\d{4}")


def _check_problem(number: str, name: str) -> dict[str, str]:
    """What the visitor must put right before a look-up, by box ("so", "ten"): a half-filled
    form or a number not in the certificate's form ("0003/2022") was met with nothing, or with
    "not found", which sent people hunting for a certificate that exists."""
    if not number and not name:
        return {}
    problem: dict[str, str] = {}
    if not number:
        problem["so"] = "Hãy nhập số vào sổ in trên giấy khen."
    elif not _REGISTRY_NUMBER.fullmatch(number):
        problem["so"] = "Số vào sổ gồm số thứ tự và năm, ví dụ 0003/2022."
    if not name:
        problem["ten"] = "Hãy nhập họ tên (hoặc tên tập thể) in trên giấy khen."
    return problem


# Per client address (behind a proxy listed in TRUSTED_PROXIES, the visitor's, not the
# proxy's: core.clientip); cached results do not count, only new searches.
SEARCH_RATE = "120/m"


@public_page
def search(request: HttpRequest, slug: str) -> HttpResponse:
    """Every kind's first results with how many there are; `loai` pages one kind."""
    if is_ratelimited(request, group="portal-search", key="ip", rate=SEARCH_RATE, increment=True):
        return too_many_requests(request, "Bạn tìm kiếm quá nhanh.")
    site = selectors.public_site(slug)
    query = request.GET.get("q", "").strip()[:100]
    found = selectors.search(site, query)
    kind = next((k for k in selectors.SEARCH_KINDS if k.key == request.GET.get("loai")), None)
    if kind is not None:
        page = paginate(request, found.get(kind.key, []), selectors.SEARCH_PER_PAGE)
        rows = list(page.object_list)  # none: the page says so, with no empty heading
        groups = [selectors.SearchGroup(kind, rows, page.paginator.count)] if rows else []
    else:
        page, groups = None, selectors.search_overview(found)
    return _public(
        request,
        "portal/search.html",
        site,
        query=query,
        kind=kind,
        page=page,
        qs=urlencode({"q": query, "loai": kind.key}) if kind else "",
        groups=groups,
        count=sum(g.count for g in groups),
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


def _image_public(kind: str, obj: Any) -> bool:
    """Whether anyone may see the image: then (only) caches may keep it."""
    if kind == "article":
        return bool(
            obj.site.is_public
            and obj.status == ContentStatus.PUBLISHED
            and obj in selectors.published_articles(obj.site)
        )
    if kind == "photo":
        return bool(obj.album.site.is_public and obj.status == ContentStatus.PUBLISHED)
    return bool(obj.site.is_public)


def _editor_sees(request: HttpRequest, kind: str, obj: Any) -> bool:
    """A draft's or a submission's image: only to the editors of its campaign's portal (R25)."""
    if not rules.can_edit_portal(request.user):
        return False
    where = {"album_id": obj.album_id} if kind == "photo" else {"site_id": obj.site_id}
    return rules.can_edit_campaign_portal(request.user, selectors.site_campaign(**where))


def image(request: HttpRequest, kind: str, pk: int, size: str) -> FileResponse:
    """Portal images: public once published; editors see their campaigns' drafts and
    submissions."""
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
    public = _image_public(kind, obj)
    if not name or not (public or _editor_sees(request, kind, obj)):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg")
    # A draft or a unit's submission shown to an editor is never kept by a shared cache or
    # the browser, which would serve it on after it is withdrawn or to the next user.
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
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


ROBOTS_MAX_AGE = 86400  # the rules change with a release, not with content


def robots(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public portal only (an allow-list, so a new staff page is kept
    out without editing it); the sitemap by SITE_URL, as robots.txt wants an absolute URL."""
    sitemap_url = settings.SITE_URL.rstrip("/") + reverse("portal:sitemap")
    response = render(
        request,
        "portal/robots.txt",
        {"sitemap_url": sitemap_url},
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = f"public, max-age={ROBOTS_MAX_AGE}"
    return response


def sitemap(request: HttpRequest) -> HttpResponse:
    """Every public page a search engine should reach, every page of a paged list included
    (?trang=2…): older news, books and events are linked from no page but the list's own."""
    urls = [url for site in selectors.public_site_list() for url in _site_urls(site)]
    entries = [(request.build_absolute_uri(u), when) for u, when in urls]
    return render(
        request, "portal/sitemap.xml", {"entries": entries}, content_type="application/xml"
    )


_Urls = list[tuple[str, datetime | None]]


def _site_urls(site: PortalSite) -> _Urls:
    """A site's pages with when each last changed, where that is known. A few queries, however
    many rows: the lists' pages are counted from the rows listed (books: one count)."""
    s = site.slug
    articles = selectors.sitemap_articles(site)
    by_section: dict[int, list[datetime]] = {}
    for a in articles:  # a list changes when an article in it is edited or appears
        by_section.setdefault(a.section_id, []).append(max(a.updated_at, a.publish_at))
    news_changed = _latest(when for shown in by_section.values() for when in shown)
    events = list(Event.objects.filter(site=site, is_published=True).values_list("slug"))
    models = list(selectors.public_good_models(site).values_list("pk", "reviewed_at"))
    urls: _Urls = [
        (reverse("portal:home", args=[s]), _latest([site.updated_at, news_changed])),
        (reverse("portal:exhibition", args=[s]), site.updated_at),
        *_list_pages(reverse("portal:news", args=[s]), len(articles), NEWS_PER_PAGE, news_changed),
    ]
    for section in site.sections.all():
        shown = by_section.get(section.pk, [])
        url = reverse("portal:section", args=[s, section.slug])
        urls += _list_pages(url, len(shown), NEWS_PER_PAGE, _latest(shown))
    urls += [(reverse("portal:article", args=[s, a.slug]), a.updated_at) for a in articles]
    for album, photos in selectors.album_photo_counts(site):
        url = reverse("portal:album", args=[s, album])
        urls += _list_pages(url, photos, selectors.PHOTOS_PER_PAGE, None)
    books = selectors.public_books(site).count()
    urls += _list_pages(reverse("portal:books", args=[s]), books, selectors.BOOKS_PER_PAGE, None)
    url = reverse("portal:events", args=[s])
    urls += _list_pages(url, len(events), selectors.EVENTS_PER_PAGE, None)
    urls += [(reverse("portal:event", args=[s, slug]), None) for (slug,) in events]
    url = reverse("portal:good-models", args=[s])
    urls += _list_pages(url, len(models), GOOD_MODELS_PER_PAGE, _latest(w for _, w in models))
    urls += [(reverse("portal:good-model", args=[s, pk]), when) for pk, when in models]
    return urls


def _list_pages(url: str, rows: int, per_page: int, changed: datetime | None) -> _Urls:
    """A paged list's every page, as `paginate` pages it (an empty list is one page), the
    first without a number. Each changed when the list last did: a row added near the top
    moves every later row down."""
    pages = max(1, -(-rows // per_page))
    return [(url, changed), *((f"{url}?trang={n}", changed) for n in range(2, pages + 1))]


def _latest(moments: Iterable[datetime | None]) -> datetime | None:
    return max((m for m in moments if m is not None), default=None)
