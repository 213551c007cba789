"""Reads for the portal. Public selectors expose public fields only: names and units, never
personal records (architecture §9)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.campaigns.selectors import campaign_list_for
from thidua.contests.models import Contest, Submission
from thidua.core.clock import now, today_local
from thidua.core.text import fold
from thidua.organizations.rules import AnyUser, units_at_or_below_bodies_q
from thidua.participation.models import ActivityStat, GoodModel, Registration
from thidua.portal import rules
from thidua.portal.models import Album, Article, Book, ContentStatus, Event, Photo, PortalSite


def public_site(slug: str) -> PortalSite:
    """A campaign's public site, or 404 when it is internal or does not exist."""
    try:
        return PortalSite.objects.select_related("campaign").get(slug=slug, is_public=True)
    except PortalSite.DoesNotExist as exc:
        raise Http404 from exc


def public_site_slug(campaign_id: int | None) -> str:
    """The slug of a campaign's published portal site, or "" (for links to it from the
    contest's public pages)."""
    if campaign_id is None:
        return ""
    site = PortalSite.objects.filter(campaign_id=campaign_id, is_public=True)
    return site.values_list("slug", flat=True).first() or ""


def public_site_list() -> QuerySet[PortalSite]:
    return (
        PortalSite.objects.filter(is_public=True)
        .select_related("campaign")
        .order_by("-campaign__period_start", "-pk")
    )


def campaigns_for_portal_editor(*, actor: AnyUser) -> QuerySet[Campaign]:
    """The issued campaigns whose portal pages the actor reaches, newest first: those they see
    (`campaign_list_for`) and those owned by a body, or a unit below it, they are media staff for
    (`rules.can_edit_campaign_portal`: the city's media centre edits its wards' campaigns' portals
    though these are not sent to it). Portal pages only: the campaign's other tabs keep
    `campaign_list_for`, so media staff never read the units' registrations or activities
    through this (docs/security.md R25). One query; each campaign says in `in_campaign_list`
    whether its other tabs open for the actor."""
    seen = campaign_list_for(actor=actor).filter(pk=OuterRef("pk"))
    portal = units_at_or_below_bodies_q(actor, "owner_unit", Role.MEDIA_STAFF)
    return (
        Campaign.objects.select_related("owner_unit")
        .exclude(status=CampaignStatus.DRAFT)
        .annotate(in_campaign_list=Exists(seen))
        .filter(Q(in_campaign_list=True) | portal)
        .order_by("-issued_on", "-created_at")
    )


def with_campaign_list_flag(*, actor: AnyUser, campaign: Campaign) -> Campaign:
    """The campaign of an item reached by its own id (an article, an album), marked as
    `campaigns_for_portal_editor` marks its rows: whether its other tabs open for the actor
    (`in_campaign_list`; campaign_tabs.html hides them otherwise). One query, none when the
    campaign came from `campaigns_for_portal_editor`."""
    if not hasattr(campaign, "in_campaign_list"):  # read by campaigns_for_portal_editor
        listed = campaign_list_for(actor=actor).filter(pk=campaign.pk).exists()
        campaign.in_campaign_list = listed  # type: ignore[attr-defined]
    return campaign


def campaigns_portal_edited_by(*, actor: AnyUser) -> QuerySet[Campaign]:
    """The issued campaigns whose portal the actor edits (`rules.can_edit_campaign_portal`),
    newest first, each with its site's slug and whether it is public (`site_slug`, `site_public`,
    None before the site is set up): the media staff's list of campaign pages. One query."""
    if not rules.can_edit_portal(actor):
        return Campaign.objects.none()
    site = PortalSite.objects.filter(campaign=OuterRef("pk"))
    return (
        Campaign.objects.select_related("owner_unit")
        .exclude(status=CampaignStatus.DRAFT)
        .filter(units_at_or_below_bodies_q(actor, "owner_unit", Role.MEDIA_STAFF))
        .annotate(
            site_slug=Subquery(site.values("slug")[:1]),
            site_public=Subquery(site.values("is_public")[:1]),
        )
        .order_by("-issued_on", "-created_at")
    )


def site_of(campaign: Campaign) -> PortalSite | None:
    site = PortalSite.objects.filter(campaign=campaign).first()
    if site is not None:
        site.campaign = campaign  # with its owner, for the editor's rules (no second query)
    return site


def site_campaign(*, site_id: int | None = None, album_id: int | None = None) -> Campaign:
    """The campaign, with its owner, whose portal holds the site (or the album): what decides
    who edits an item (`rules.can_edit_campaign_portal`), read afresh in one query."""
    where = {"portal__pk": site_id} if album_id is None else {"portal__albums__pk": album_id}
    return Campaign.objects.select_related("owner_unit").get(**where)


def published_articles(site: PortalSite) -> QuerySet[Article]:
    return (
        Article.objects.filter(site=site, status=ContentStatus.PUBLISHED, publish_at__lte=now())
        .select_related("section")
        .order_by("-publish_at", "-pk")
    )


def _for_editor(
    actor: AnyUser, qs: QuerySet[Any], pk: int, campaign_of: Callable[[Any], Campaign]
) -> Any:
    """One item of the editorial side, or 404: what media staff may not act on (another body's
    campaign, R25) they do not see either. `qs` reads the campaign and its owner along."""
    if not rules.can_edit_portal(actor):
        raise Http404
    item = qs.filter(pk=pk).first()
    if item is None or not rules.can_edit_campaign_portal(actor, campaign_of(item)):
        raise Http404
    return item


def article_for_editor(*, actor: AnyUser, pk: int) -> Article:
    qs = Article.objects.select_related("site__campaign__owner_unit", "section")
    article: Article = _for_editor(actor, qs, pk, lambda a: a.site.campaign)
    return article


def album_for_editor(*, actor: AnyUser, pk: int) -> Album:
    qs = Album.objects.select_related("site__campaign__owner_unit")
    album: Album = _for_editor(actor, qs, pk, lambda a: a.site.campaign)
    return album


def photo_for_editor(*, actor: AnyUser, pk: int) -> Photo:
    """A photo of an album, for withdrawing, deleting, moving or reviewing it."""
    qs = Photo.objects.select_related("album__site__campaign__owner_unit", "submitted_unit")
    photo: Photo = _for_editor(actor, qs, pk, lambda p: p.album.site.campaign)
    return photo


def related_articles(article: Article, limit: int = 4) -> list[Article]:
    return list(
        published_articles(article.site)
        .filter(section_id=article.section_id)
        .exclude(pk=article.pk)[:limit]
    )


def editor_articles(*, actor: AnyUser, site: PortalSite) -> QuerySet[Article]:
    """The site's drafts and articles on the pages, for its editors (none for anyone else)."""
    articles = (
        Article.objects.filter(site=site)
        .exclude(status=ContentStatus.SUBMITTED)
        .exclude(status=ContentStatus.DECLINED)
        .select_related("section")
        .order_by("-updated_at", "-pk")
    )
    return articles if rules.can_edit_campaign_portal(actor, site.campaign) else articles.none()


def pending_submissions(*, actor: AnyUser, site: PortalSite) -> tuple[list[Article], list[Photo]]:
    """What the site's units sent, waiting for review by its editors (nothing for others)."""
    if not rules.can_edit_campaign_portal(actor, site.campaign):
        return [], []
    articles = Article.objects.filter(site=site, status=ContentStatus.SUBMITTED).select_related(
        "submitted_unit", "section"
    )
    photos = Photo.objects.filter(album__site=site, status=ContentStatus.SUBMITTED).select_related(
        "submitted_unit", "album"
    )
    return list(articles.order_by("pk")), list(photos.order_by("pk"))


def sent_by_units(site: PortalSite, unit_ids: set[int]) -> list[Article | Photo]:
    """What the user's units sent, newest first, with the media staff's answer."""
    if not unit_ids:
        return []
    articles = Article.objects.filter(site=site, submitted_unit_id__in=unit_ids)
    photos = Photo.objects.filter(album__site=site, submitted_unit_id__in=unit_ids)
    items: list[Article | Photo] = [*articles.order_by("-pk")[:20], *photos.order_by("-pk")[:20]]
    return sorted(items, key=lambda item: item.created_at, reverse=True)


def public_photos() -> QuerySet[Photo]:
    return Photo.objects.filter(status=ContentStatus.PUBLISHED)


def albums_with_covers(site: PortalSite) -> list[Album]:
    albums = (
        Album.objects.filter(site=site)
        .annotate(photo_count=Count("photos", filter=Q(photos__status=ContentStatus.PUBLISHED)))
        .prefetch_related(
            Prefetch("photos", queryset=public_photos().order_by("position", "pk"), to_attr="shown")
        )
    )
    return [a for a in albums if a.photo_count]


PHOTOS_PER_PAGE = 40  # an album of 300 photos was one page of 300 images


def album_public(site: PortalSite, slug: str) -> tuple[Album, QuerySet[Photo]]:
    """The album and its photos on show, in the exhibition's order (the view pages them; an
    album with none is not found)."""
    try:
        album = Album.objects.get(site=site, slug=slug)
    except Album.DoesNotExist as exc:
        raise Http404 from exc
    return album, public_photos().filter(album=album).order_by("position", "pk")


def album_photo_counts(site: PortalSite) -> list[tuple[str, int]]:
    """Each album with photos on show, by slug, with how many (for the sitemap's pages)."""
    rows = (
        Album.objects.filter(site=site)
        .annotate(shown=Count("photos", filter=Q(photos__status=ContentStatus.PUBLISHED)))
        .filter(shown__gt=0)
        .order_by("position", "pk")
        .values_list("slug", "shown")
    )
    return list(rows)


def sitemap_articles(site: PortalSite) -> list[Any]:
    """The published articles as the sitemap needs them, newest first, without their bodies:
    slug, section, when last edited and when published (a scheduled one appears then)."""
    rows = published_articles(site).select_related(None)
    return list(rows.values_list("slug", "section_id", "updated_at", "publish_at", named=True))


BOOKS_PER_PAGE = 20  # a cover and a few lines each: a long page on a phone beyond this


def public_books(site: PortalSite) -> QuerySet[Book]:
    return Book.objects.filter(site=site).order_by("position", "pk")


def _page_number(shown: QuerySet[Any], group: str, per_page: int) -> Any:
    """The page a row is on in its `group`'s (position, pk) order, for links to it from
    elsewhere: the rows of `shown` before it in that group, counted in the same query."""
    before = (
        shown.filter(**{group: OuterRef(group)})
        .filter(
            Q(position__lt=OuterRef("position"))
            | Q(position=OuterRef("position"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values(group)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(before, output_field=IntegerField()), 0) / per_page + 1


def _with_book_page(books: QuerySet[Book]) -> QuerySet[Book]:
    """Each book's page on the display (`book_page`)."""
    return books.annotate(book_page=_page_number(Book.objects.all(), "site", BOOKS_PER_PAGE))


EVENTS_PER_PAGE = 20


def public_events(site: PortalSite) -> QuerySet[Event]:
    """Upcoming events first, soonest first, then past ones, latest first: one order, so the
    events page can be paged. Each row says which it is (`is_past`)."""
    moment = now()
    return (
        Event.objects.filter(site=site, is_published=True)
        .annotate(
            is_past=Case(
                When(starts_at__lt=moment, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by(
            "is_past",
            Case(When(starts_at__gte=moment, then=F("starts_at"))).asc(nulls_last=True),
            Case(When(starts_at__lt=moment, then=F("starts_at"))).desc(nulls_last=True),
            "pk",
        )
    )


def home_events(site: PortalSite, *, limit: int = 3) -> tuple[list[Event], list[Event]]:
    """The home page's events by their day in Asia/Ho_Chi_Minh: today's (an event has only a
    start time, so "today" rather than "now") and the first `limit` of later days."""
    today = today_local()
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    events = Event.objects.filter(site=site, is_published=True).order_by("starts_at", "pk")
    return (
        list(
            events.filter(
                starts_at__gte=timezone.make_aware(datetime.combine(today, time.min)),
                starts_at__lt=tomorrow,
            )
        ),
        list(events.filter(starts_at__gte=tomorrow)[:limit]),
    )


def public_good_models(site: PortalSite) -> QuerySet[GoodModel]:
    """Accepted by Nội vụ; only the title, texts, unit and a person's name are shown."""
    return (
        GoodModel.objects.filter(campaign_id=site.campaign_id, status=GoodModel.Status.ACCEPTED)
        .select_related("unit")
        .annotate(adoption_count=Count("adoptions", distinct=True))
        .only(
            "pk",
            "title",
            "kind",
            "description",
            "results",
            "unit__name",
            "unit__short_name",
            "reviewed_at",
            "person__full_name",
        )
        .select_related("person")
        .order_by("-reviewed_at", "-pk")
    )


@dataclass(frozen=True)
class KeyFigures:
    units: int
    activities: int
    participants: int
    good_models: int
    contest_entries: int | None  # None when the campaign has no contest


def key_figures(site: PortalSite) -> KeyFigures:
    stats = ActivityStat.objects.filter(campaign_id=site.campaign_id).aggregate(
        activities=Sum("activities"), participants=Sum("participants")
    )
    return KeyFigures(
        units=Registration.objects.filter(
            campaign_id=site.campaign_id, status=Registration.Status.SUBMITTED
        ).count(),
        activities=stats["activities"] or 0,
        participants=stats["participants"] or 0,
        good_models=GoodModel.objects.filter(
            campaign_id=site.campaign_id, status=GoodModel.Status.ACCEPTED
        ).count(),
        contest_entries=Submission.objects.filter(
            round__contest__campaign_id=site.campaign_id, round__is_practice=False
        ).count()
        if Contest.objects.filter(campaign_id=site.campaign_id).exists()
        else None,
    )


def campaign_contest(site: PortalSite) -> Contest | None:
    """The campaign's contest with at least one round, for the portal's menu."""
    return (
        Contest.objects.filter(campaign_id=site.campaign_id, rounds__isnull=False)
        .order_by("-created_at")
        .first()
    )


def _with_photo_page(photos: QuerySet[Photo]) -> QuerySet[Photo]:
    """Each photo's page in its album (`photo_page`), among the album's photos on show."""
    return photos.annotate(photo_page=_page_number(public_photos(), "album", PHOTOS_PER_PAGE))


@dataclass(frozen=True)
class SearchKind:
    key: str  # the page's `loai` parameter
    heading: str
    count_label: str  # "12 ảnh"


SEARCH_KINDS: tuple[SearchKind, ...] = (
    SearchKind("tin", "Tin tức", "tin"),
    SearchKind("anh", "Ảnh", "ảnh"),
    SearchKind("sach", "Sách", "cuốn sách"),
    SearchKind("mo-hinh", "Mô hình hay", "mô hình"),
)
SEARCH_PER_PAGE = 20  # one kind's results, paged
SEARCH_PREVIEW = 5  # each kind's first results on the page of all kinds


@dataclass(frozen=True)
class SearchGroup:
    kind: SearchKind
    rows: list[Any]
    count: int

    @property
    def has_more(self) -> bool:
        return self.count > len(self.rows)


def search(site: PortalSite, query: str) -> dict[str, QuerySet[Any]]:
    """Accent-insensitive: "nguyen van cu" finds "Nguyễn Văn Cừ" in news, photos (caption,
    author, place, album), books and models. Each kind's results by `SearchKind.key`, unread
    (the page reads a preview of each, or pages one); none for an empty query."""
    words = fold(query).split()[:8]
    if not words:
        return {}

    def match(qs: QuerySet[Any]) -> QuerySet[Any]:
        for word in words:
            qs = qs.filter(search_text__contains=word)
        return qs

    photos = public_photos().filter(album__site=site).select_related("album")
    return {
        "tin": match(published_articles(site)),
        "anh": _with_photo_page(match(photos)).order_by(
            "album__position", "album_id", "position", "pk"
        ),
        "sach": _with_book_page(match(public_books(site))),
        "mo-hinh": match(public_good_models(site)),
    }


def search_overview(found: dict[str, QuerySet[Any]]) -> list[SearchGroup]:
    """Each kind with results: its first SEARCH_PREVIEW rows and how many there are (counted
    only when there are more than the preview, so at most two queries a kind)."""
    groups = []
    for kind in SEARCH_KINDS:
        if kind.key not in found:
            continue
        rows = list(found[kind.key][: SEARCH_PREVIEW + 1])
        if not rows:
            continue
        count = len(rows) if len(rows) <= SEARCH_PREVIEW else found[kind.key].count()
        groups.append(SearchGroup(kind, rows[:SEARCH_PREVIEW], count))
    return groups
