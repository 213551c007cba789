"""Registration: commitments to targets, approval by the unit head, the pledge (giao ước)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns.models import Campaign, Criterion, Delivery, RecipientRole
from thidua.campaigns.services import campaign_figures_changed
from thidua.core.clock import now
from thidua.core.concurrency import fingerprint
from thidua.core.services import action_log_record
from thidua.core.transitions import require, transition
from thidua.notifications.services import notify
from thidua.organizations.models import EmulationBlock, Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.participation import rules
from thidua.participation.models import (
    Commitment,
    Pledge,
    Registration,
)
from thidua.participation.services.common import (
    UNIT_ROLES,
    _notify_office,
    _require_open,
    _require_unit,
)

# --- Registration ---------------------------------------------------------------------------


STALE_REGISTRATION = (
    "Trong lúc anh/chị sửa, người khác đã lưu bản đăng ký này. Phần anh/chị vừa sửa chưa được "
    "lưu: hãy sao chép lại, tải lại trang để xem bản mới rồi sửa tiếp."
)


def registration_version(registration: Registration | None) -> str:
    """A fingerprint of what a registration says (note and commitments); "" before it exists.
    The edit page carries it, so a save from an old page is refused (issue 18, M7)."""
    if registration is None:
        return ""
    rows = [
        [c.criterion_id, c.text, c.target_kind, c.target_value, c.target_unit, c.target_text]
        for c in registration.commitments.order_by("position")
    ]
    return fingerprint([registration.note, rows])


def registration_save(
    *,
    actor: User,
    campaign: Campaign,
    unit: Unit,
    note: str,
    commitments: Sequence[dict[str, Any]],
    version: str | None = None,
) -> Registration:
    """Create or rewrite the unit's draft registration and its commitments. With `version`
    (what the page showed), a registration saved by someone else meanwhile is not overwritten."""
    _require_unit(actor, campaign, unit)
    if not commitments:
        raise ValidationError("Cần ít nhất một nội dung cam kết.")
    criteria = {c.pk: c for c in Criterion.objects.filter(campaign=campaign)}
    with transaction.atomic():
        reg, created = Registration.objects.select_for_update().get_or_create(
            campaign=campaign, unit=unit, defaults={"created_by": actor}
        )
        if reg.status == Registration.Status.SUBMITTED:
            raise ValidationError("Đơn vị đã gửi đăng ký; không sửa được nữa.")
        if version is not None and version != ("" if created else registration_version(reg)):
            raise ValidationError(STALE_REGISTRATION, code="edit_conflict")
        reg.note = note
        reg.status = Registration.Status.DRAFT
        reg.save(update_fields=["note", "status"])
        # Rewrite in place by position: a commitment keeps its id, so the contributions
        # activities already made to it (and its progress) survive an edit of the draft.
        existing = list(reg.commitments.order_by("position"))
        Commitment.objects.filter(pk__in=[c.pk for c in existing[len(commitments) :]]).delete()
        for i, item in enumerate(commitments):
            criterion = criteria.get(item.get("criterion_id") or 0)
            commitment = existing[i] if i < len(existing) else Commitment(registration=reg)
            commitment.criterion = criterion
            commitment.position = i
            commitment.text = item.get("text") or (criterion.text[:500] if criterion else "")
            commitment.target_kind = item.get("target_kind") or Commitment.TargetKind.NUMBER
            commitment.target_value = item.get("target_value")
            commitment.target_unit = item.get("target_unit") or ""
            commitment.target_text = item.get("target_text") or ""
            if (
                commitment.target_kind == Commitment.TargetKind.NUMBER
                and commitment.target_value is None
            ):
                raise ValidationError(f"Cam kết “{commitment.text}”: cần nhập chỉ tiêu bằng số.")
            commitment.full_clean(exclude=["registration"])
            commitment.save()
        action_log_record(
            actor=actor,
            action="participation.registration." + ("created" if created else "updated"),
            target=reg,
            data={"commitments": len(commitments)},
        )
        campaign_figures_changed(campaign.pk)
    return reg


REGISTRATION_RELATED = ("campaign", "unit")


def _figures_changed(reg: Registration) -> None:
    """The campaign's dashboard counts registrations by status."""
    campaign_figures_changed(reg.campaign_id)


def registration_send_for_approval(*, actor: User, registration: Registration) -> Registration:
    to = Registration.Status.PENDING_APPROVAL
    return transition(
        registration,
        to=to,
        allowed_from=Registration.TRANSITIONS[to],
        action="participation.registration.sent_for_approval",
        actor=actor,
        refused="Chỉ gửi duyệt được bản đăng ký đang soạn.",
        related=REGISTRATION_RELATED,
        permit=lambda reg: _require_unit(actor, reg.campaign, reg.unit),
        notify=lambda reg: notify(
            users=users_with_role_in(unit_ids={reg.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Đăng ký thi đua chờ duyệt: {reg.campaign.title}"[:255],
            url=reverse("participation:registration", args=[reg.campaign_id, reg.unit_id]),
        ),
        touches=_figures_changed,
    )


def _require_commitments(reg: Registration) -> None:
    if not reg.commitments.exists():
        raise ValidationError("Đăng ký chưa có cam kết nào.")


def _approver(actor: User, reg: Registration) -> None:
    _require_unit(actor, reg.campaign, reg.unit)
    require(rules.can_approve_for(actor, reg.unit_id))


def registration_approve(*, actor: User, registration: Registration) -> Registration:
    """The unit head approves and submits to Nội vụ."""
    to = Registration.Status.SUBMITTED
    return transition(
        registration,
        to=to,
        allowed_from=Registration.TRANSITIONS[to],
        action="participation.registration.submitted",
        actor=actor,
        related=REGISTRATION_RELATED,
        permit=lambda reg: _approver(actor, reg),
        check=_require_commitments,
        notify=lambda reg: _notify_office(
            reg.campaign,
            f"{reg.unit.name} đã đăng ký thi đua",
            reverse("participation:registration-list", args=[reg.campaign_id]),
        ),
        touches=_figures_changed,
        submitted_at=now(),
        submitted_by=actor,
        return_note="",
    )


def _require_reason(note: str) -> None:
    if not note.strip():
        raise ValidationError("Cần ghi lý do trả lại.")


def registration_return(*, actor: User, registration: Registration, note: str) -> Registration:
    """The unit head sends the draft back to the focal officer with a reason."""
    return transition(
        registration,
        to=Registration.Status.DRAFT,
        allowed_from=Registration.TRANSITIONS[Registration.Status.DRAFT],
        action="participation.registration.returned",
        actor=actor,
        refused="Chỉ trả lại được bản đăng ký đang chờ duyệt.",
        related=REGISTRATION_RELATED,
        permit=lambda reg: require(rules.can_approve_for(actor, reg.unit_id)),
        done=lambda reg: False,  # a draft was not waiting: refused
        check=lambda reg: _require_reason(note),
        data={"note": note},
        touches=_figures_changed,
        return_note=note,
    )


def registration_remind_missing(*, actor: User, campaign: Campaign) -> int:
    """Nội vụ reminds every unit the plan was sent to for carrying out that has not submitted a
    registration (never a body the plan reports to or only informs)."""
    if not rules.can_review(actor, campaign):
        raise PermissionDenied
    _require_open(campaign)
    with transaction.atomic():
        submitted = Registration.objects.filter(
            campaign=campaign, status=Registration.Status.SUBMITTED
        )
        missing = set(
            Delivery.objects.filter(campaign=campaign, role=RecipientRole.IMPLEMENT)
            .exclude(unit_id__in=submitted.values("unit_id"))
            .values_list("unit_id", flat=True)
        )
        url = reverse("participation:registration", args=[campaign.pk, 0]).replace("/0/", "/")
        notify(
            users=users_with_role_in(unit_ids=missing, roles=UNIT_ROLES),
            title=f"Đề nghị đăng ký thi đua: {campaign.title}"[:255],
            body=f"Đơn vị chưa gửi đăng ký thi đua cho kế hoạch số {campaign.reference}.",
            url=url,
            extra_emails=Unit.objects.filter(pk__in=missing)
            .exclude(email="")
            .values_list("email", flat=True),
        )
        action_log_record(
            actor=actor,
            action="participation.registration.reminded",
            target=campaign,
            data={"units": len(missing)},
        )
    return len(missing)


def pledge_sign(
    *, actor: User, campaign: Campaign, block: EmulationBlock, text: str, signed_on: date
) -> Pledge:
    """A block covenant; the block head unit or Nội vụ records it with the members as they stand."""
    if not (
        rules.can_review(actor, campaign)
        or (block.head_unit_id and rules.can_act_for(actor, block.head_unit_id))
    ):
        raise PermissionDenied
    _require_open(campaign)
    if not text.strip():
        raise ValidationError("Cần nhập nội dung giao ước.")
    with transaction.atomic():
        pledge, created = Pledge.objects.update_or_create(
            campaign=campaign,
            block=block,
            defaults={"text": text, "signed_on": signed_on, "created_by": actor},
        )
        pledge.members.set(block.members.all())
        action_log_record(
            actor=actor,
            action="participation.pledge." + ("signed" if created else "updated"),
            target=pledge,
            data={"members": pledge.members.count()},
        )
    return pledge
