"""The campaign's portal site and its news sections."""

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from thidua.accounts.models import User
from thidua.campaigns.models import Campaign
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.portal import rules
from thidua.portal.models import PortalSite, Section
from thidua.portal.services._common import (
    RESERVED_SLUGS,
    SLUG_LENGTH,
    bump_cache,
    make_slug,
    require,
    require_site_editor,
)


def site_save(
    *,
    actor: User,
    campaign: Campaign,
    is_public: bool,
    intro: str,
    slug: str = "",
    bases: Mapping[str, str] | None = None,
) -> PortalSite:
    """Create or edit the campaign's site; an empty slug keeps the current one (or makes one).
    `bases`: the form's fingerprints (core.concurrency), so an old page writes only what it
    changed and never undoes someone else's newer edit (M7)."""
    require(rules.can_configure_site(actor, campaign))
    if campaign.is_draft and is_public:
        raise ValidationError("Kế hoạch chưa ban hành nên chưa thể công khai trang phong trào.")
    with transaction.atomic():
        site = PortalSite.objects.select_for_update().filter(campaign=campaign).first()
        others = PortalSite.objects.exclude(campaign=campaign)
        wanted = slugify(fold(slug))[:SLUG_LENGTH].strip("-")
        if wanted in RESERVED_SLUGS:
            raise ValidationError("Đường dẫn này dành cho hệ thống, vui lòng chọn đường dẫn khác.")
        if wanted and others.filter(slug=wanted).exists():
            raise ValidationError("Đường dẫn này đã được dùng cho phong trào khác.")
        if site is None:
            # "Phát động … chào mừng kỷ niệm 110 năm … (9/7/1912- 9/7/2022)" → "ky-niem-110-nam-…"
            short = re.sub(r"\([^)]*\)", "", campaign.title.split("chào mừng", 1)[-1])
            site = PortalSite.objects.create(
                campaign=campaign,
                slug=wanted or make_slug(short, others, 60),
                is_public=is_public,
                intro=intro,
            )
            action = "portal.site.created"
        else:
            values = {"is_public": is_public, "intro": intro, "slug": wanted or site.slug}
            for name, value in merge_model_edit(site, values, bases).items():
                setattr(site, name, value)
            site.save(update_fields=["is_public", "intro", "slug", "updated_at"])
            action = "portal.site.updated"
        action_log_record(
            actor=actor,
            action=action,
            target=site,
            data={"is_public": site.is_public, "slug": site.slug},
        )
        bump_cache()
    return site


def section_create(*, actor: User, site: PortalSite, name: str) -> Section:
    require_site_editor(actor, site_id=site.pk)
    name = name.strip()
    if not name:
        raise ValidationError("Nhập tên chuyên mục.")
    with transaction.atomic():
        section = Section.objects.create(
            site=site,
            name=name,
            slug=make_slug(name, site.sections.all()),
            position=site.sections.count(),
        )
        action_log_record(actor=actor, action="portal.section.created", target=section)
        bump_cache()
    return section
