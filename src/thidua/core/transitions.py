"""One way to move a row from one state to another (issue 21).

Every state change repeats the same steps: lock the row, check who may act, return early on a
repeat (double click, retry), refuse a move the table does not allow, write the new state with
`update_fields`, record the action, tell the people concerned. `transition()` does them in that
order, inside one transaction, so a service says only what is particular to its move:

    # awards/models/: the allowed moves, one table per model
    TRANSITIONS = {"submitted": {"draft", "pending_unit_approval", "returned"}, ...}

    # awards/services/
    def nomination_receive(*, actor: User, nomination: Nomination) -> Nomination:
        return transition(
            nomination, to=Nomination.Status.UNDER_APPRAISAL,
            allowed_from=Nomination.TRANSITIONS[Nomination.Status.UNDER_APPRAISAL],
            action="awards.nomination.received", actor=actor,
            refused="Chỉ tiếp nhận được hồ sơ đã gửi.",
            permit=lambda n: require(rules.can_appraise(actor)),
            appraisal_due=lambda n: add_working_days(...),
        )

Notices: `notify(row)` runs inside the transaction, after the log: `notifications.notify` writes
the notice and the outbox row with the change, and the mail leaves only on commit, so a
rolled-back change tells no one. `touches(row)` runs there too, last: what else the move
changes, such as a version of cached figures to bump (`touches=lambda r:
campaign_figures_changed(r.campaign_id)`; core stays below the apps that pass it). `after(row)`
is queued with `transaction.on_commit` for other side effects (tasks).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from thidua.core.services import action_log_record

M = TypeVar("M", bound=models.Model)

Transitions = Mapping[str, frozenset[str]]


def moves(table: Mapping[str, Collection[str]]) -> dict[str, frozenset[str]]:
    """A model's table of allowed moves: target state → states it may be reached from."""
    return {str(to): frozenset(str(s) for s in sources) for to, sources in table.items()}


def can_move(table: Transitions, current: str, to: str) -> bool:
    """For rules and templates: may a row in `current` move to `to`?"""
    return current in table.get(to, frozenset())


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless allowed (for `permit=` hooks)."""
    if not allowed:
        raise PermissionDenied


def transition(
    obj: M,
    *,
    to: str | Callable[[M], str],
    allowed_from: Collection[str],
    action: str,
    actor: Any,
    refused: str | Callable[[M], str] = "Thao tác không thực hiện được ở trạng thái hiện tại.",
    field: str = "status",
    related: tuple[str, ...] = (),
    permit: Callable[[M], None] | None = None,
    done: Callable[[M], bool] | None = None,
    check: Callable[[M], None] | None = None,
    update: Callable[[M], dict[str, Any]] | None = None,
    data: dict[str, Any] | Callable[[M], dict[str, Any]] | None = None,
    notify: Callable[[M], Any] | None = None,
    touches: Callable[[M], Any] | None = None,
    after: Callable[[M], Any] | None = None,
    **fields: Any,
) -> M:
    """Move `obj` to state `to` (or `to(row)`) and return the locked, updated row.

    Steps, in one transaction: lock the row (`select_for_update`, with `related` joined);
    `permit(row)` raises PermissionDenied for someone who may not act; a row already in `to`
    (or for which `done(row)` is true) is returned unchanged: a repeat is harmless; a row whose
    state is not in `allowed_from` is refused with the Vietnamese `refused` message (or
    `refused(row)`);
    `check(row)` raises ValidationError for the move's own conditions; `update(row)` returns
    field values computed together from the locked row (a tally, a quorum; it may refuse too);
    then the state, the `fields` (a callable value is called with the row) and `update`'s are
    written with `update_fields`, the
    action is logged with the states moved between (`from`, `to`) and `data` (or `data(row)`),
    `notify(row)` runs, then `touches(row)` (what else the move changes: a cached figures'
    version to bump), and `after(row)` is queued on commit. A repeat runs none of them.
    """
    model = type(obj)
    with transaction.atomic():
        qs = model._default_manager.select_for_update()
        if related:
            qs = qs.select_related(*related)
        row = qs.get(pk=obj.pk)
        if permit is not None:
            permit(row)
        current = getattr(row, field)
        if callable(to):  # a target that depends on the locked row
            to = to(row)
        if done(row) if done is not None else current == to:
            return row
        if current not in allowed_from:
            raise ValidationError(refused(row) if callable(refused) else refused)
        if check is not None:
            check(row)
        computed = update(row) if update is not None else {}
        setattr(row, field, to)
        for name, value in fields.items():
            setattr(row, name, value(row) if callable(value) else value)
        for name, value in computed.items():
            setattr(row, name, value)
        row.save(update_fields=[field, *fields, *computed])
        logged = {"from": current, "to": to, **((data(row) if callable(data) else data) or {})}
        action_log_record(actor=actor, action=action, target=row, data=logged)
        if notify is not None:
            notify(row)
        if touches is not None:
            touches(row)
        if after is not None:
            transaction.on_commit(lambda: after(row))
    return row
