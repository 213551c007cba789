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
from thidua.core.clock import now
from thidua.core.services import action_log_record
from thidua.organizations.rules import roles_of

# --- Receiving units ------------------------------------------------------------------------


def _actor_deliveries(actor: User, campaign: Campaign) -> Any:
    units = roles_of(actor).units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    return Delivery.objects.filter(campaign=campaign, unit_id__in=units)


def delivery_open(*, actor: User, campaign: Campaign) -> int:
    """Record that the actor's unit opened the plan (first time only)."""
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
    return len(pending)


def assignment_target_set_status(
    *, actor: User, target: AssignmentTarget, status: str
) -> AssignmentTarget:
    with transaction.atomic():
        t = AssignmentTarget.objects.select_for_update().get(pk=target.pk)
        if not rules.can_acknowledge_for(actor, t.unit_id):
            raise PermissionDenied
        if t.status == status:
            return t
        order = [
            AssignmentTarget.Status.ASSIGNED,
            AssignmentTarget.Status.ACKNOWLEDGED,
            AssignmentTarget.Status.DONE,
        ]
        if order.index(AssignmentTarget.Status(status)) < order.index(
            AssignmentTarget.Status(t.status)
        ):
            raise ValidationError("Không thể lùi trạng thái nhiệm vụ.")
        t.status = status
        stamp = now()
        t.acknowledged_at = t.acknowledged_at or stamp
        if status == AssignmentTarget.Status.DONE:
            t.done_at = stamp
        t.save(update_fields=["status", "acknowledged_at", "done_at"])
        action_log_record(actor=actor, action=f"campaigns.assignment.{status}", target=t)
    return t
