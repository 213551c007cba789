"""What receiving units do: open, acknowledge, report a task's status."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import Role, User
from thidua.campaigns import rules
from thidua.campaigns.models import (
    AssignmentTarget,
    Campaign,
    Delivery,
)
from thidua.campaigns.services.common import campaign_figures_changed
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.core.transitions import require, transition
from thidua.organizations.rules import roles_of

# --- Receiving units ------------------------------------------------------------------------


def _actor_deliveries(actor: User, campaign: Campaign) -> Any:
    units = roles_of(actor).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    return Delivery.objects.filter(campaign=campaign, unit_id__in=units)


def delivery_open(*, actor: User, campaign: Campaign) -> int:
    """Record that the actor's unit opened the plan (first time only)."""
    if not _actor_deliveries(actor, campaign).filter(opened_at__isnull=True).exists():
        return 0  # every later visit: no transaction, no write lock
    with transaction.atomic():
        opened = list(
            _actor_deliveries(actor, campaign)
            .filter(opened_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if opened:
            Delivery.objects.filter(pk__in=opened, opened_at__isnull=True).update(opened_at=now())
            for delivery in Delivery.objects.filter(pk__in=opened):
                action_log_record(actor=actor, action="campaigns.delivery.opened", target=delivery)
            campaign_figures_changed(campaign.pk)  # the plan page's delivery summary
    return len(opened)


def delivery_acknowledge(*, actor: User, campaign: Campaign) -> int:
    with transaction.atomic():
        pending = list(_actor_deliveries(actor, campaign).filter(acknowledged_at__isnull=True))
        if not pending and not _actor_deliveries(actor, campaign).exists():
            raise PermissionDenied
        stamp = now()
        for delivery in pending:
            Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
                acknowledged_at=stamp, acknowledged_by=actor, opened_at=delivery.opened_at or stamp
            )
            action_log_record(
                actor=actor, action="campaigns.delivery.acknowledged", target=delivery
            )
        campaign_figures_changed(campaign.pk)
    return len(pending)


def assignment_target_set_status(
    *, actor: User, target: AssignmentTarget, status: str
) -> AssignmentTarget:
    if status not in AssignmentTarget.Status.values:
        raise ValidationError("Trạng thái nhiệm vụ không hợp lệ.")
    return transition(
        target,
        to=status,
        allowed_from=AssignmentTarget.TRANSITIONS.get(status, frozenset()),
        action=f"campaigns.assignment.{status}",
        actor=actor,
        refused="Không thể lùi trạng thái nhiệm vụ.",
        permit=lambda t: require(rules.can_acknowledge_for(actor, t.unit_id)),
        acknowledged_at=lambda t: t.acknowledged_at or now(),
        done_at=lambda t: now() if status == AssignmentTarget.Status.DONE else t.done_at,
    )
