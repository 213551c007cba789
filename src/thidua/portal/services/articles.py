"""News articles: drafts, edits, publishing, a unit's submitted article, deletion."""

from datetime import datetime
from typing import Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.organizations.models import Unit
from thidua.portal import rules
from thidua.portal.images import store_image
from thidua.portal.models import Article, ContentStatus, PortalSite, Section
from thidua.portal.services._common import (
    Upload,
    bump_cache,
    delete_logged,
    make_slug,
    require,
    require_contributor,
    require_site_editor,
    sanitize_html,
    text_of,
)


class ArticleFields(TypedDict, total=False):
    """What an article holds, whoever writes it."""

    section: Required[Section]
    title: Required[str]
    summary: str
    body: str
    author_name: str
    cover: Upload | None
    cover_alt: str


def _article_fill(obj: Article, site: PortalSite, fields: ArticleFields) -> list[str]:
    """Set the article's texts (body sanitised here) and cover; returns the changed fields."""
    section = fields["section"]
    if section.site_id != site.pk:
        raise ValidationError({"section": "Chuyên mục không thuộc trang này."})
    obj.section, obj.title = section, fields["title"].strip()
    obj.summary, obj.body = fields.get("summary", "").strip(), sanitize_html(fields.get("body", ""))
    obj.author_name = fields.get("author_name", "").strip()
    changed = []
    cover = fields.get("cover")
    if cover is not None:
        stored = store_image(cover)
        obj.cover, obj.cover_medium, obj.cover_thumb = stored.full, stored.medium, stored.thumb
        changed = ["cover", "cover_medium", "cover_thumb"]
    obj.cover_alt = fields.get("cover_alt", "").strip()
    if obj.cover and not obj.cover_alt:
        raise ValidationError({"cover_alt": "Ảnh bìa cần có mô tả (cho người khiếm thị)."})
    obj.search_text = fold(f"{obj.title} {obj.summary} {text_of(obj.body)}")[:1000]
    return [
        "section",
        "title",
        "summary",
        "body",
        "author_name",
        "cover_alt",
        "search_text",
        *changed,
    ]


def article_save(
    *,
    actor: User,
    site: PortalSite,
    article: Article | None = None,
    version: int | None = None,
    **fields: Unpack[ArticleFields],
) -> Article:
    """Create a draft or edit an article (any state) of the site, which the actor edits (R25);
    the body is sanitised here."""
    require_site_editor(actor, site_id=site.pk)
    with transaction.atomic():
        if article is None:
            obj = Article(site=site, created_by=actor)
            obj.slug = make_slug(fields["title"], site.articles.all(), 100)
        else:
            obj = Article.objects.select_for_update().get(pk=article.pk, site=site)
            if version is not None and obj.version != version:
                raise ValidationError(
                    "Tin bài vừa được người khác sửa. Vui lòng mở lại để xem bản mới nhất."
                )
        changed = _article_fill(obj, site, fields)
        if obj.pk is None:
            obj.save()
            action_log_record(actor=actor, action="portal.article.created", target=obj)
        else:
            obj.version += 1
            obj.save(update_fields=[*changed, "version", "updated_at"])
            action_log_record(
                actor=actor, action="portal.article.updated", target=obj, data={"v": obj.version}
            )
        bump_cache()
    return obj


def article_publish(
    *, actor: User, article: Article, publish_at: datetime | None = None
) -> Article:
    """Publish now, or schedule: a future `publish_at` keeps it off the pages until then."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Article.objects.select_for_update().get(pk=article.pk)
        require_site_editor(actor, site_id=obj.site_id)
        if not obj.body.strip() and not obj.summary.strip():
            raise ValidationError("Tin bài chưa có nội dung.")
        when = publish_at or now()
        if obj.status == ContentStatus.PUBLISHED and obj.publish_at == when:
            return obj
        scheduled = when > now()
        obj.status, obj.publish_at = ContentStatus.PUBLISHED, when
        obj.save(update_fields=["status", "publish_at", "updated_at"])
        action_log_record(
            actor=actor,
            action="portal.article.scheduled" if scheduled else "portal.article.published",
            target=obj,
            data={"publish_at": when.isoformat()},
        )
        bump_cache()
    return obj


def article_unpublish(*, actor: User, article: Article) -> Article:
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Article.objects.select_for_update().get(pk=article.pk)
        require_site_editor(actor, site_id=obj.site_id)
        if obj.status == ContentStatus.DRAFT:
            return obj
        obj.status = ContentStatus.DRAFT
        obj.save(update_fields=["status", "updated_at"])
        action_log_record(actor=actor, action="portal.article.unpublished", target=obj)
        bump_cache()
    return obj


def article_submit(
    *, actor: User, site: PortalSite, unit: Unit, **fields: Unpack[ArticleFields]
) -> Article:
    """A unit sends an article for the news; media staff accept or decline it."""
    require_contributor(actor, site, unit)
    with transaction.atomic():
        obj = Article(
            site=site,
            slug=make_slug(fields["title"], site.articles.all(), 100),
            status=ContentStatus.SUBMITTED,
            submitted_unit=unit,
            created_by=actor,
        )
        _article_fill(obj, site, fields)
        obj.save()
        action_log_record(
            actor=actor, action="portal.article.submitted", target=obj, data={"unit": unit.pk}
        )
    return obj


def article_delete(*, actor: User, article: Article) -> None:
    """Delete a draft. A published or scheduled article is taken down first (article_unpublish),
    so no public page disappears by one click; a unit's submission is answered, not deleted."""
    require(rules.can_edit_portal(actor))
    with transaction.atomic():
        obj = Article.objects.select_for_update().get(pk=article.pk)
        require_site_editor(actor, site_id=obj.site_id)
        if obj.status == ContentStatus.PUBLISHED:
            raise ValidationError("Tin bài đang đăng: gỡ về bản nháp trước khi xóa.")
        if obj.status == ContentStatus.SUBMITTED:
            raise ValidationError("Bài đơn vị gửi đang chờ duyệt: hãy nhận đăng hoặc từ chối.")
        delete_logged(actor, obj, "article", [obj.cover, obj.cover_medium, obj.cover_thumb])
