"""The draft: made from the recommended list, edited, checked for disclosure, sent to the
signer or returned."""

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.awards import rules
from thidua.awards.decisions.texts import (
    EDITABLE,
    _default_texts,
    _issuer_for,
    _recipient,
    computed_legal_bases,
    recommended_at,
    rule_label,
)
from thidua.awards.models import (
    AwardType,
    Decision,
    DecisionLine,
    Nomination,
    Nominee,
)
from thidua.awards.selectors import recommended_nominees
from thidua.awards.services.eligibility import hold_problems
from thidua.campaigns.models import Campaign
from thidua.core.clock import today_local
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record
from thidua.core.transitions import require, transition
from thidua.notifications.services import notify
from thidua.organizations.selectors import users_with_role_in


def decision_draft(
    *,
    actor: User,
    campaign: Campaign,
    award_type: AwardType,
    nominees: Iterable[Nominee],
) -> Decision:
    """Nội vụ of the body running the campaign drafts a decision from recommended nominees
    (see selectors.recommended_nominees)."""
    if not rules.can_draft_decision(actor, campaign):
        raise PermissionDenied
    nominees = list(nominees)
    with transaction.atomic():
        # Two drafts made at once from the same list: the dossiers' rows order them, so the
        # second reads the list after the first has committed its lines (one award per nominee).
        list(
            Nomination.objects.select_for_update()
            .filter(
                pk__in=Nominee.objects.filter(pk__in=[n.pk for n in nominees]).values(
                    "nomination_id"
                )
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        allowed = {n.pk: n for n in recommended_nominees(campaign=campaign, award_type=award_type)}
        chosen = [allowed.get(n.pk) for n in nominees]
        if not chosen or None in chosen:
            raise ValidationError(
                "Chỉ đưa vào quyết định những tập thể, cá nhân đã được đề nghị khen thưởng và "
                "chưa có trong quyết định khác."
            )
        issuer = _issuer_for(award_type, campaign)
        decision = Decision(
            campaign=campaign, award_type=award_type, issuer=issuer, created_by=actor
        )
        lines = []
        for i, nominee in enumerate(n for n in chosen if n is not None):
            name, detail = _recipient(nominee)
            lines.append(
                DecisionLine(
                    nominee=nominee,
                    position=i,
                    subject=nominee.subject,
                    recipient_name=name,
                    recipient_detail=detail,
                    achievement=nominee.achievements,
                )
            )
        for key, value in _default_texts(campaign, award_type, lines, today_local()).items():
            setattr(decision, key, value)
        decision.save()
        for line in lines:
            line.decision = decision
        DecisionLine.objects.bulk_create(lines)
        action_log_record(
            actor=actor,
            action="awards.decision.drafted",
            target=decision,
            data={"lines": len(lines), "award_type": award_type.code},
        )
    return decision


DECISION_RELATED = ("issuer", "award_type", "campaign")


def _locked(decision: Decision, *, permit: Callable[[Decision], bool]) -> Decision:
    """The decision's row, locked, once `permit(row)` allows the actor to act on it
    (PermissionDenied otherwise); a draft discarded meanwhile (a page shown before) is a
    Vietnamese refusal, not a server error."""
    try:
        d = (
            Decision.objects.select_for_update()
            .select_related(*DECISION_RELATED)
            .get(pk=decision.pk)
        )
    except Decision.DoesNotExist:
        raise ValidationError("Dự thảo quyết định này đã bị hủy.") from None
    if not permit(d):
        raise PermissionDenied
    return d


def drafter(actor: User) -> Callable[[Decision], bool]:
    """`permit=` for Nội vụ's changes: rules.can_draft_decision on the locked row."""
    return lambda d: rules.can_draft_decision(actor, d)


def decision_update(
    *, actor: User, decision: Decision, bases: Mapping[str, str] | None = None, **fields: object
) -> Decision:
    """Edit a draft's texts; list fields are lists of lines. With `bases` (the fingerprints of
    what the page showed) a field someone else changed meanwhile is kept, and one both changed
    differently is refused (core.concurrency)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    with transaction.atomic():
        d = _locked(decision, permit=drafter(actor))
        if d.status != Decision.Status.DRAFT:
            raise ValidationError("Chỉ sửa được quyết định đang ở dạng dự thảo.")
        fields = merge_model_edit(d, fields, bases)
        before_bases, before_day = list(d.legal_bases), d.drafted_on
        for key, value in fields.items():
            cleaned = (
                [str(x).strip() for x in value if str(x).strip()]
                if isinstance(value, list)
                else value
            )
            setattr(d, key, cleaned)
        if not d.summary.strip():
            raise ValidationError("Trích yếu không được để trống.")
        if not d.articles:
            raise ValidationError("Quyết định phải có ít nhất một điều.")
        if d.drafted_on is None:
            raise ValidationError("Cần ghi ngày dự thảo (dd/mm/yyyy).")
        data: dict[str, object] = {"fields": sorted(fields)}
        if "legal_bases" in fields and d.legal_bases != before_bases:
            d.legal_bases_edited = True  # by hand: never refreshed from the rules again
        elif d.drafted_on != before_day and not d.legal_bases_edited:
            d.legal_bases, d.rule = computed_legal_bases(d, d.drafted_on)
            data["bases_from"] = rule_label(d.rule)
        d.save()
        action_log_record(actor=actor, action="awards.decision.edited", target=d, data=data)
    return d


def decision_discard(*, actor: User, decision: Decision, reason: str) -> dict[str, object]:
    """Nội vụ discards an unsigned draft (a grant, amending or revoking one) that will not be
    signed: its lines go with it, so its nominees are back on the recommended list and the
    awards it would have corrected may be corrected by another draft. A signed decision is never
    discarded (an amending or revoking decision corrects it). A draft awaiting signature is
    withdrawn from the signer, who is told. Returns what was discarded (for the page)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError("Cần ghi rõ lý do hủy dự thảo.")
    with transaction.atomic():
        d = _locked(decision, permit=drafter(actor))
        if not d.can_be_discarded:
            raise ValidationError(
                f"Quyết định số {d.reference} đã được ký ban hành ngày {d.signed_on:%d/%m/%Y}: "
                "không hủy được. Muốn thay đổi, đề nghị lập quyết định sửa đổi hoặc thu hồi."
            )
        was_awaiting = d.awaits_signature
        gone: dict[str, object] = {
            "summary": d.summary,
            "kind": d.kind,
            "status": d.status,
            "corrects": d.corrects_id,
            "campaign": d.campaign_id,
            "lines": d.lines.count(),
            "note": reason.strip(),
        }
        action_log_record(actor=actor, action="awards.decision.discarded", target=d, data=gone)
        if was_awaiting:
            notify(
                users=users_with_role_in(unit_ids={d.campaign.owner_unit_id}, roles={Role.SIGNER}),
                title=f"Dự thảo quyết định đã được rút, không cần ký: {d.summary}"[:255],
                body=f"Lý do: {reason.strip()}",
                # The draft is gone: the campaign's decisions, which its signers open.
                url=reverse("awards:decision-list", args=[d.campaign_id]),
            )
        d.lines.all().delete()
        d.delete()
    return gone


def decision_bases_refresh(*, actor: User, decision: Decision) -> Decision:
    """Drop hand edits of the legal bases and take them again from the rule in force on the
    draft's date."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(decision, permit=drafter(actor))
        if d.status != Decision.Status.DRAFT:
            raise ValidationError("Chỉ sửa được quyết định đang ở dạng dự thảo.")
        day = d.drafted_on or today_local()
        d.legal_bases, d.rule = computed_legal_bases(d, day)
        d.legal_bases_edited, d.drafted_on = False, day
        d.save(update_fields=["legal_bases", "rule", "legal_bases_edited", "drafted_on"])
        action_log_record(
            actor=actor,
            action="awards.decision.bases_refreshed",
            target=d,
            data={"bases_from": rule_label(d.rule), "day": day.isoformat()},
        )
    return d


def decision_line_remove(*, actor: User, line: DecisionLine) -> None:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(line.decision, permit=drafter(actor))
        if d.status != Decision.Status.DRAFT:
            raise ValidationError("Chỉ sửa được quyết định đang ở dạng dự thảo.")
        if d.lines.count() == 1:
            raise ValidationError("Quyết định phải còn ít nhất một tập thể hoặc cá nhân.")
        action_log_record(
            actor=actor,
            action="awards.decision.line_removed",
            target=d,
            data={"recipient": line.recipient_name},
        )
        line.delete()


def _disclosure_problems(decision: Decision, day: date) -> list[str]:
    """The rules may require the recommended list to be public for some days before signing."""
    problems = []
    for line in decision.lines.select_related("nominee__nomination__rule"):
        nominee = line.nominee
        rule = nominee.nomination.rule if nominee else None
        if nominee is None or rule is None or not rule.disclosure_days:
            continue
        since = recommended_at(nominee)
        if since is not None and since + timedelta(days=rule.disclosure_days) > day:
            ends = since + timedelta(days=rule.disclosure_days)
            problems.append(
                f"Danh sách đề nghị khen thưởng phải được công khai {rule.disclosure_days} ngày: "
                f"{line.recipient_name} chỉ trình ký được từ ngày {ends:%d/%m/%Y}."
            )
    return problems


def held_lines(decision: Decision, day: date) -> list[str]:
    """Recipients of a grant under an active hold (discipline, inspection) on `day`: no award
    while it lasts (docs/domain.md §8.3), even when it began after the council's vote."""
    if decision.kind != Decision.Kind.GRANT:
        return []
    return [
        problem
        for line in decision.lines.select_related("nominee__person", "nominee__unit")
        if line.nominee is not None
        for problem in hold_problems(line.nominee, day)
    ]


def _check_before_signature(d: Decision) -> None:
    day = today_local()
    problems = _disclosure_problems(d, day) + held_lines(d, day)
    if problems:
        raise ValidationError(problems)


def decision_send_for_signature(*, actor: User, decision: Decision) -> Decision:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    to = Decision.Status.AWAITING_SIGNATURE
    return transition(
        decision,
        to=to,
        allowed_from=Decision.TRANSITIONS[to],
        action="awards.decision.sent_for_signature",
        actor=actor,
        refused="Chỉ trình ký được quyết định đang ở dạng dự thảo.",
        related=DECISION_RELATED,
        permit=lambda d: require(rules.can_draft_decision(actor, d)),
        check=_check_before_signature,
        notify=lambda d: notify(
            users=users_with_role_in(unit_ids={d.campaign.owner_unit_id}, roles={Role.SIGNER}),
            title=f"Trình ký quyết định: {d.summary}"[:255],
            url=reverse("awards:decision-detail", args=[d.pk]),
        ),
        return_note="",
    )


def decision_return(*, actor: User, decision: Decision, note: str) -> Decision:
    """A signer of the body running the campaign sends the draft back with what to change."""
    if not rules.can_sign(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError("Cần ghi rõ nội dung cần sửa.")
    to = Decision.Status.DRAFT
    return transition(
        decision,
        to=to,
        allowed_from=Decision.TRANSITIONS[to],
        action="awards.decision.returned",
        actor=actor,
        refused="Quyết định không ở trạng thái chờ ký.",
        related=DECISION_RELATED,
        permit=lambda d: require(rules.can_sign_decision(actor, d)),
        done=lambda d: False,  # a draft was never awaiting signature: refused
        data={"note": note},
        notify=lambda d: notify(
            users=users_with_role_in(
                unit_ids={d.campaign.standing_agency_id or d.campaign.owner_unit_id},
                roles={Role.EMULATION_OFFICE},
            ),
            title=f"Người ký trả lại dự thảo: {d.summary}"[:255],
            body=note,
            url=reverse("awards:decision-detail", args=[d.pk]),
        ),
        return_note=note.strip(),
    )
