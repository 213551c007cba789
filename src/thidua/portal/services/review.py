"""Media staff's answer to what a unit sent: accept (publish now) or decline with a reason."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import User
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.notifications.services import notify
from thidua.organizations.selectors import users_with_role_in
from thidua.portal import rules
from thidua.portal.models import Article, ContentStatus, Photo, PortalSite
from thidua.portal.services._common import UNIT_ROLES, bump_cache, require, require_site_editor


def submission_review(
    *, actor: User, item: Article | Photo, decision: str, note: str = ""
) -> Article | Photo:
    """Accept (publish now) or decline a unit's article or photo, sent to a campaign whose
    portal the actor edits (R25)."""
    require(rules.can_edit_portal(actor))
    if decision not in {"accept", "decline"}:
        raise ValidationError("Quyết định không hợp lệ.")
    if decision == "decline" and not note.strip():
        raise ValidationError("Cần ghi rõ lý do để đơn vị biết.")
    model = type(item)
    kind = "article" if model is Article else "photo"
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=item.pk)
        if isinstance(obj, Article):
            require_site_editor(actor, site_id=obj.site_id)
        else:
            require_site_editor(actor, album_id=obj.album_id)
        target = ContentStatus.PUBLISHED if decision == "accept" else ContentStatus.DECLINED
        if obj.status == target:
            return obj
        if obj.status != ContentStatus.SUBMITTED:
            raise ValidationError("Bài, ảnh này đã được xem xét xong.")
        obj.status, obj.review_note = target, note.strip()
        fields = ["status", "review_note"]
        if isinstance(obj, Article) and decision == "accept":
            obj.publish_at = now()
            fields.append("publish_at")
        obj.save(update_fields=fields)
        action_log_record(
            actor=actor,
            action=f"portal.{kind}.{'accepted' if decision == 'accept' else 'declined'}",
            target=obj,
            data={"note": note.strip()},
        )
        if obj.submitted_unit_id:
            label = "Tin bài" if kind == "article" else "Ảnh"
            name = obj.title if isinstance(obj, Article) else obj.caption
            wording = "đã được đăng" if decision == "accept" else "không được sử dụng"
            site_id = obj.site_id if isinstance(obj, Article) else obj.album.site_id
            campaign_id = PortalSite.objects.values_list("campaign_id", flat=True).get(pk=site_id)
            notify(
                users=users_with_role_in(unit_ids={obj.submitted_unit_id}, roles=UNIT_ROLES),
                title=f"{label} “{name}” {wording}"[:255],
                body=note.strip(),
                # The unit's own list of what it sent, with the answer and the reason.
                url=reverse("portal:manage", args=[campaign_id]) + "#sent",
            )
        bump_cache()
    return obj
