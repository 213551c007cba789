"""Sending, submitting, receiving and appraising a dossier; overdue appraisals; holds (tạm hoãn)."""

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.awards import rules
from thidua.awards.models import (
    AppraisalRound,
    Hold,
    Nomination,
)
from thidua.awards.services.common import (
    NOMINATION_RELATED,
    rule_in_force,
)
from thidua.awards.services.eligibility import (
    eligibility_problems,
)
from thidua.campaigns.models import Campaign
from thidua.core.calendar import add_working_days
from thidua.core.clock import now, today_local
from thidua.core.services import action_log_record
from thidua.core.transitions import require, transition
from thidua.notifications.services import notify
from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import users_with_role_in


def nomination_send_for_approval(*, actor: User, nomination: Nomination) -> Nomination:
    to = Nomination.Status.PENDING_UNIT_APPROVAL
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.sent_for_approval",
        actor=actor,
        refused="Chỉ gửi duyệt được hồ sơ đang soạn hoặc bị trả lại.",
        related=NOMINATION_RELATED,
        permit=lambda n: require(rules.can_draft_nomination(actor, n.unit_id)),
        notify=lambda n: notify(
            users=users_with_role_in(unit_ids={n.unit_id}, roles={Role.UNIT_HEAD}),
            title=f"Hồ sơ khen thưởng chờ duyệt: {n.award_type.name}"[:255],
            url=reverse("awards:nomination-detail", args=[n.pk]),
        ),
        head_note="",
    )


def nomination_return_to_drafter(*, actor: User, nomination: Nomination, note: str) -> Nomination:
    """The unit head sends a dossier waiting for approval back to the drafter, saying why."""
    if not note.strip():
        raise ValidationError("Cần ghi rõ nội dung cần sửa để cán bộ soạn hồ sơ biết.")
    to = Nomination.Status.DRAFT
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.returned_to_drafter",
        actor=actor,
        refused="Chỉ trả lại được hồ sơ đang chờ thủ trưởng duyệt.",
        related=NOMINATION_RELATED,
        permit=lambda n: require(rules.can_submit_nomination(actor, n)),
        done=lambda n: n.status == to and bool(n.head_note),  # a double click
        data=lambda n: {"note": n.head_note},
        notify=lambda n: notify(
            users=users_with_role_in(unit_ids={n.unit_id}, roles={Role.UNIT_OFFICER}),
            title=f"Thủ trưởng trả lại hồ sơ {n.award_type.name} để sửa"[:255],
            body=n.head_note,
            url=reverse("awards:nomination-detail", args=[n.pk]),
        ),
        head_note=note.strip(),
    )


def _check_eligible(n: Nomination) -> None:
    problems = eligibility_problems(n, today_local())
    if problems:
        raise ValidationError(problems)


def nomination_submit(*, actor: User, nomination: Nomination) -> Nomination:
    """The unit head submits to Nội vụ; every eligibility problem is reported together.
    A resubmitted dossier starts a new appraisal period when Nội vụ receives it again: the
    deadline of the previous round no longer applies."""
    to = Nomination.Status.SUBMITTED
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.submitted",
        actor=actor,
        refused="Hồ sơ không ở trạng thái có thể gửi.",
        related=NOMINATION_RELATED,
        permit=lambda n: require(rules.can_submit_nomination(actor, n)),
        check=_check_eligible,
        data=lambda n: {"nominees": n.nominees.count(), "rule": n.rule_id},
        notify=lambda n: notify(
            users=users_with_role_in(
                unit_ids={n.campaign.standing_agency_id or n.campaign.owner_unit_id},
                roles={Role.EMULATION_OFFICE},
            ),
            title=f"{n.unit.name} gửi hồ sơ đề nghị {n.award_type.name}"[:255],
            url=reverse("awards:nomination-detail", args=[n.pk]),
        ),
        submitted_at=now(),
        rule=lambda n: rule_in_force(n.award_type, today_local()),
        appraisal_due=None,
    )


def nomination_receive(*, actor: User, nomination: Nomination) -> Nomination:
    """Nội vụ of the body running the campaign receives a complete dossier: appraisal starts
    and its working-day deadline runs."""

    def due(n: Nomination) -> date:
        rule = n.rule or rule_in_force(n.award_type, today_local())
        return add_working_days(today_local(), rule.processing_working_days)

    to = Nomination.Status.UNDER_APPRAISAL
    return transition(
        nomination,
        to=to,
        allowed_from=Nomination.TRANSITIONS[to],
        action="awards.nomination.received",
        actor=actor,
        refused="Chỉ tiếp nhận được hồ sơ đã gửi.",
        related=NOMINATION_RELATED,
        permit=lambda n: require(rules.can_appraise_nomination(actor, n)),
        data=lambda n: {"appraisal_due": n.appraisal_due.isoformat() if n.appraisal_due else None},
        appraisal_due=due,
    )


def _appraise(
    actor: User, nomination: Nomination, outcome: str, note: str, checklist: dict[str, Any]
) -> Nomination:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if outcome != AppraisalRound.Outcome.ELIGIBLE and not note.strip():
        raise ValidationError("Cần ghi rõ lý do để đơn vị biết.")

    def checked_or_reasoned(_n: Nomination) -> None:
        """ "Đủ điều kiện" with a check left blank overrides it (docs/domain.md §8.3): only
        with the reason in the note, so a stray click concludes nothing."""
        if outcome != AppraisalRound.Outcome.ELIGIBLE or note.strip():
            return
        missing = [label for key, label in AppraisalRound.CHECKS if not checklist.get(key)]
        if missing:
            raise ValidationError(
                "Chưa kết luận: chưa đánh dấu “"
                + "”, “".join(missing)
                + "”. Đánh dấu các nội dung đã kiểm tra, hoặc ghi ý kiến nếu vẫn kết luận "
                "đủ điều kiện."
            )

    def to(n: Nomination) -> str:
        if outcome == AppraisalRound.Outcome.ELIGIBLE and n.rule and not n.rule.council_vote:
            return Nomination.Status.RECOMMENDED  # the rules need no council vote for it
        return Nomination.Status(outcome)

    wording = {
        "returned": "bị trả lại để bổ sung",
        "eligible": "đủ điều kiện",
        "not_eligible": "không đủ điều kiện",
    }[outcome]
    with transaction.atomic():
        n = transition(
            nomination,
            to=to,
            allowed_from=Nomination.TRANSITIONS[Nomination.Status(outcome)],
            action=f"awards.nomination.{outcome}",
            actor=actor,
            refused=lambda n: (
                f"Không thể thẩm định hồ sơ đang ở trạng thái “{n.get_status_display()}”."
            ),
            related=NOMINATION_RELATED,
            permit=lambda n: require(rules.can_appraise_nomination(actor, n)),
            done=lambda n: False,  # every appraisal is a new round
            check=checked_or_reasoned,
            data={"note": note},
            notify=lambda n: notify(
                users=users_with_role_in(
                    unit_ids={n.unit_id}, roles={Role.UNIT_OFFICER, Role.UNIT_HEAD}
                ),
                title=f"Hồ sơ {n.award_type.name} {wording}"[:255],
                body=note,
                url=reverse("awards:nomination-detail", args=[n.pk]),
            ),
            review_note=note,
        )
        AppraisalRound.objects.create(
            nomination=n,
            number=n.appraisals.count() + 1,
            outcome=outcome,
            checklist=checklist,
            note=note,
            by=actor,
        )
    return n


def nomination_return(
    *, actor: User, nomination: Nomination, note: str, checklist: dict[str, Any] | None = None
) -> Nomination:
    return _appraise(actor, nomination, AppraisalRound.Outcome.RETURNED, note, checklist or {})


def nomination_appraise(
    *,
    actor: User,
    nomination: Nomination,
    eligible: bool,
    note: str = "",
    checklist: dict[str, Any] | None = None,
) -> Nomination:
    outcome = AppraisalRound.Outcome.ELIGIBLE if eligible else AppraisalRound.Outcome.NOT_ELIGIBLE
    return _appraise(actor, nomination, outcome, note, checklist or {})


def nominations_overdue(*, campaign: Campaign, day: date | None = None) -> Sequence[Nomination]:
    """Dossiers whose appraisal deadline (working days) has passed."""
    return list(
        Nomination.objects.filter(
            campaign=campaign,
            status=Nomination.Status.UNDER_APPRAISAL,
            appraisal_due__lt=day or today_local(),
        ).select_related("unit")
    )


HOLD_REFUSED = (
    "Chỉ Nội vụ của cơ quan quản lý cá nhân, tập thể này (cấp của đơn vị hoặc cấp trên) "
    "được tạm dừng xét khen."
)


def hold_end_refused(hold: Hold) -> str:
    body = hold.placed_by.short_name or hold.placed_by.name
    return (
        f"Chỉ Nội vụ của {body} (cơ quan đã tạm dừng xét khen) hoặc cơ quan cấp trên "
        "được kết thúc tạm dừng xét khen này."
    )


def hold_add(
    *,
    actor: User,
    reason: str,
    active_from: date,
    active_to: date | None = None,
    person: Person | None = None,
    unit: Unit | None = None,
) -> Hold:
    """Stop awards to a person or collective under discipline or inspection (sensitive)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if (person is None) == (unit is None):
        raise ValidationError("Chọn một cá nhân hoặc một tập thể.")
    body = rules.hold_body_for(actor, person.unit if person is not None else cast(Unit, unit))
    if body is None:
        raise PermissionDenied(HOLD_REFUSED)
    if not reason.strip():
        raise ValidationError("Cần ghi lý do (ví dụ: đang xem xét kỷ luật, đang thanh tra).")
    if active_to is not None and active_to < active_from:
        raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
    with transaction.atomic():
        hold = Hold.objects.create(
            person=person,
            unit=unit,
            placed_by_id=body,
            reason=reason.strip(),
            active_from=active_from,
            active_to=active_to,
        )
        action_log_record(actor=actor, action="awards.hold.added", target=hold)
    return hold


def hold_end(*, actor: User, hold: Hold, day: date) -> Hold:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        h = (
            Hold.objects.select_for_update(of=("self",))  # the subject's rows are only read
            .select_related("placed_by")
            .get(pk=hold.pk)
        )
        if not rules.can_end_hold(actor, h):
            raise PermissionDenied(hold_end_refused(h))
        if h.active_to is not None and h.active_to <= day:
            return h
        if day < h.active_from:
            raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        h.active_to = day
        h.save(update_fields=["active_to"])
        action_log_record(
            actor=actor, action="awards.hold.ended", target=h, data={"on": day.isoformat()}
        )
    return h


def holds_pass_on_merge(
    actor: User, predecessors: Sequence[Unit], successor: Unit, effective: date
) -> None:
    """When units merge (organizations.services.unit_merge), the holds the merged-away bodies
    placed and that are still in force on the merge day pass to the body that takes over their
    work, as their people do: its Nội vụ may then end them (rules.can_end_hold). Ended holds
    keep the body that placed them. Each hold passed is logged."""
    holds = Hold.objects.select_for_update().filter(
        Q(active_to__isnull=True) | Q(active_to__gte=effective),
        placed_by__in=[u.pk for u in predecessors],
    )
    codes = {u.pk: u.code for u in predecessors}
    for hold in holds:
        previous = hold.placed_by_id
        hold.placed_by = successor
        hold.save(update_fields=["placed_by"])
        action_log_record(
            actor=actor,
            action="awards.hold.passed",
            target=hold,
            data={"from": codes[previous], "to": successor.code, "on": effective.isoformat()},
        )
