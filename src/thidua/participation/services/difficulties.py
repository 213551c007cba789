"""Difficulties raised by units: answer, forward, close."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.campaigns.models import Campaign
from thidua.campaigns.services import campaign_figures_changed
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.core.transitions import transition
from thidua.notifications.services import notify
from thidua.organizations.models import Unit
from thidua.organizations.selectors import users_with_role_in
from thidua.participation import rules
from thidua.participation.models import (
    Difficulty,
)
from thidua.participation.services.common import (
    UNIT_ROLES,
    _notify_office,
    _require_unit,
)

# --- Difficulties ---------------------------------------------------------------------------


def difficulty_raise(
    *, actor: User, campaign: Campaign, unit: Unit, title: str, text: str
) -> Difficulty:
    _require_unit(actor, campaign, unit)
    with transaction.atomic():
        d = Difficulty.objects.create(
            campaign=campaign, unit=unit, title=title, text=text, created_by=actor
        )
        action_log_record(actor=actor, action="participation.difficulty.raised", target=d)
        campaign_figures_changed(campaign.pk)
        _notify_office(
            campaign,
            f"Khó khăn, vướng mắc: {title}",
            reverse("participation:difficulty-detail", args=[d.pk]),
        )
    return d


def _difficulty_notify(d: Difficulty, answer: str) -> None:
    url = reverse("participation:difficulty-detail", args=[d.pk])
    if d.status == Difficulty.Status.ANSWERED:
        notify(
            users=users_with_role_in(unit_ids={d.unit_id}, roles=UNIT_ROLES),
            title=f"Đã trả lời: {d.title}"[:255],
            body=answer,
            url=url,
        )
    if d.status == Difficulty.Status.FORWARDED:
        notify(
            users=users_with_role_in(unit_ids={d.campaign.owner_unit_id}, roles={Role.SIGNER}),
            title=f"Xin ý kiến chỉ đạo: {d.title}"[:255],
            url=url,
        )


def _difficulty_step(actor: User, difficulty: Difficulty, to: str, answer: str = "") -> Difficulty:
    if not rules.can_review(actor, difficulty.campaign):
        raise PermissionDenied
    answered: dict[str, Any] = (
        {"answer": answer, "answered_at": now(), "answered_by": actor} if answer else {}
    )
    return transition(
        difficulty,
        to=to,
        allowed_from=Difficulty.TRANSITIONS[to],
        action=f"participation.difficulty.{to}",
        actor=actor,
        refused=lambda d: (
            f"Không thể chuyển từ “{d.get_status_display()}” sang “{Difficulty.Status(to).label}”."
        ),
        notify=lambda d: _difficulty_notify(d, answer),
        touches=lambda d: campaign_figures_changed(d.campaign_id),
        **answered,
    )


def difficulty_answer(*, actor: User, difficulty: Difficulty, answer: str) -> Difficulty:
    if not answer.strip():
        raise ValidationError("Cần nhập nội dung trả lời.")
    return _difficulty_step(actor, difficulty, Difficulty.Status.ANSWERED, answer)


def difficulty_forward(*, actor: User, difficulty: Difficulty) -> Difficulty:
    return _difficulty_step(actor, difficulty, Difficulty.Status.FORWARDED)


def difficulty_close(*, actor: User, difficulty: Difficulty) -> Difficulty:
    return _difficulty_step(actor, difficulty, Difficulty.Status.CLOSED)
