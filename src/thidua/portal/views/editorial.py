"""The editorial side: the portal hub, sections, articles, units' submissions and their review."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thidua.accounts.requests import request_user
from thidua.campaigns.models import Campaign
from thidua.campaigns.views import issued_campaign_for
from thidua.core.bodylimit import accepts_uploads
from thidua.core.http import require
from thidua.core.pagination import paginate
from thidua.organizations.models import Unit
from thidua.participation import selectors as participation
from thidua.portal import rules, selectors, services
from thidua.portal.forms import (
    ArticleForm,
    PublishForm,
    ReviewForm,
    SectionForm,
    SiteForm,
    SubmitPhotoForm,
)
from thidua.portal.models import Album, Article, Photo, PortalSite
from thidua.portal.views._common import (
    delete_page,
    editor_campaign,
    form_page,
    initial_of,
    portal_campaign,
    require_editor,
    site_for,
)


@login_required
def campaign_pages(request: HttpRequest) -> HttpResponse:
    """The media staff's way in: the campaigns whose pages they edit, their wards' too (which
    the campaign list does not show them: those are not sent to their unit)."""
    user = require_editor(request)
    return render(
        request,
        "portal/campaign_pages.html",
        {"campaigns": paginate(request, selectors.campaigns_portal_edited_by(actor=user), 30)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's portal hub: settings, content, submissions, or a unit's send links."""
    user, campaign = portal_campaign(request, pk)
    site = selectors.site_of(campaign)
    form = SiteForm(
        request.POST or None,
        initial={"is_public": site.is_public, "slug": site.slug, "intro": site.intro}
        if site
        else {},
    )
    if request.method == "POST":
        require(rules.can_configure_site(user, campaign))
        if form.is_valid():
            try:
                site = services.site_save(
                    actor=user, campaign=campaign, bases=form.bases, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Đã lưu trang phong trào.")
                return redirect("portal:manage", pk=campaign.pk)
    editor = rules.can_edit_campaign_portal(user, campaign)
    acting_units = participation.acting_units(user, campaign)
    context: dict[str, Any] = {
        "campaign": campaign,
        "site": site,
        "form": form,
        "title": "Cổng thông tin",
        "editor": editor,
        # Media staff of another body: told whose staff edit these pages, not shown an empty hub.
        "edited_elsewhere": not editor and rules.can_edit_portal(user),
        "can_configure": rules.can_configure_site(user, campaign),
        "acting_units": acting_units,
        "sent": selectors.sent_by_units(site, {u.pk for u in acting_units}) if site else [],
    }
    if site and editor:
        pending_articles, pending_photos = selectors.pending_submissions(actor=user, site=site)
        context |= {
            "articles": paginate(request, selectors.editor_articles(actor=user, site=site), 30),
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
    user, campaign = editor_campaign(request, pk)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.section_create(
                actor=user, site=site_for(campaign), name=form.cleaned_data["name"]
            )
            messages.success(request, "Đã thêm chuyên mục.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("portal:manage", pk=campaign.pk)


ARTICLE_FIELDS = ("title", "summary", "body", "author_name", "cover_alt", "version")


def _article_form_page(
    request: HttpRequest, site: PortalSite, item: Article | None
) -> HttpResponse:
    user = require_editor(request)
    initial = initial_of(item, ARTICLE_FIELDS) | ({"section": item.section_id} if item else {})
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
            "campaign": selectors.with_campaign_list_flag(actor=user, campaign=site.campaign),
            "site": site,
            "article": item,
            "form": form,
            "publish_form": PublishForm(),
            "title": item.title if item else "Viết tin bài",
        },
    )


@accepts_uploads
@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest, pk: int) -> HttpResponse:
    _, campaign = editor_campaign(request, pk)
    site = site_for(campaign)
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
    user = require_editor(request)
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
    user = require_editor(request)
    item = selectors.article_for_editor(actor=user, pk=pk)
    services.article_unpublish(actor=user, article=item)
    messages.success(request, "Đã gỡ tin bài về bản nháp.")
    return redirect("portal:article-edit", pk=item.pk)


@login_required
@require_POST
def article_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_editor(request)
    item = selectors.article_for_editor(actor=user, pk=pk)
    return delete_page(
        request,
        lambda: services.article_delete(actor=user, article=item),
        f"Đã xóa tin bài “{item.title}”.",
        campaign_id=item.site.campaign_id,
        back=reverse("portal:article-edit", args=[item.pk]),
    )


@login_required
def submissions(request: HttpRequest, pk: int) -> HttpResponse:
    user, campaign = editor_campaign(request, pk)
    site = site_for(campaign)
    articles, photos = selectors.pending_submissions(actor=user, site=site)
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
    user = require_editor(request)
    item: Article | Photo
    if kind == "bai":
        article = selectors.article_for_editor(actor=user, pk=pk)
        item, campaign_id = article, article.site.campaign_id
    elif kind == "anh":
        photo = selectors.photo_for_editor(actor=user, pk=pk)
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
    site = site_for(campaign)
    albums = Album.objects.filter(site=site)
    if not albums.exists():
        messages.error(request, "Cán bộ truyền thông chưa mở bộ ảnh nào để nhận ảnh.")
        return redirect("portal:manage", pk=campaign.pk)
    return form_page(
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
    site = site_for(campaign)
    if not site.sections.exists():
        messages.error(request, "Cán bộ truyền thông chưa mở chuyên mục nào để nhận tin bài.")
        return redirect("portal:manage", pk=campaign.pk)

    def send(data: dict[str, Any]) -> Article:
        data.pop("version", None)
        return services.article_submit(actor=user, site=site, unit=unit, **data)

    return form_page(
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
