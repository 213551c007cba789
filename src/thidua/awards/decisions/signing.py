"""Signing: the number, the registry entries, the nominations closed; Ký duyệt in the system
(signed digitally when the signer has a key) or the paper scan recorded."""

import secrets
from datetime import date
from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from thidua.accounts.models import Role, User
from thidua.awards import fund, rules
from thidua.awards.decisions.drafting import (
    _locked,
    drafter,
    held_lines,
)
from thidua.awards.decisions.texts import (
    REGISTRY_SERIES,
    _recipient,
    computed_legal_bases,
    rule_label,
)
from thidua.awards.documents import decision_document
from thidua.awards.models import (
    AgendaItem,
    AwardRecord,
    AwardRule,
    Decision,
    DecisionLine,
    Nomination,
    Nominee,
)
from thidua.awards.models.registry import record_name_sort
from thidua.core.clock import today_local
from thidua.core.services import action_log_record, document_number_take, sequence_advance
from thidua.core.text import fold
from thidua.core.transitions import transition
from thidua.core.uploads import UploadKind, check_upload, save_checked
from thidua.documents.official import render_pdf_with_signature_box
from thidua.documents.services import has_signing_key, signed_pdf_issue, signed_pdf_receive
from thidua.notifications.services import notify
from thidua.organizations.selectors import users_with_role_in


def _symbol(d: Decision) -> str:
    return f"QĐ-{d.issuer.symbol or 'UBND'}"


def _record_for(d: Decision, line: DecisionLine, signed_on: date) -> AwardRecord:
    seq = sequence_advance(issuer_code=d.issuer.code, doc_type=REGISTRY_SERIES, year=signed_on.year)
    person, unit, household = None, None, None
    if line.record is not None:  # an amendment keeps the subject of the award it corrects
        person, unit, household = line.record.person, line.record.unit, line.record.household
    elif line.nominee is not None:
        person, household = line.nominee.person, line.nominee.household
        if person is not None:
            unit = person.unit
        elif household is not None:
            unit = household.unit
        else:
            unit = line.nominee.unit
    if unit is None:
        raise ValidationError(f"Không xác định được đơn vị của {line.recipient_name}.")
    return AwardRecord.objects.create(
        issuer_code=d.issuer.code,
        year=signed_on.year,
        number=seq.last_number,
        decision=d,
        line=line,
        award_type=d.award_type,
        campaign=d.campaign,
        subject=line.subject,
        person=person,
        household=household,
        unit=unit,
        recipient_name=line.recipient_name,
        recipient_detail=line.recipient_detail,
        unit_name=unit.name,
        achievement=line.achievement,
        token=secrets.token_urlsafe(24),
        search_text=fold(f"{line.recipient_name} {line.recipient_detail}"),
        name_sort=record_name_sort(line.recipient_name, line.subject),
    )


def _bases_for_signing(d: Decision, signed_on: date, *, on_paper: bool) -> bool:
    """The legal bases must be those of the rule in force on the signing date. Refresh them when
    the system's text is what gets signed and they were not edited by hand; refuse when a paper
    copy was signed, or the bases were edited, under another rule. True when refreshed."""
    try:
        bases, rule = computed_legal_bases(d, signed_on)
    except ValidationError as exc:
        raise ValidationError(
            f"Không ban hành được với ngày ký {signed_on:%d/%m/%Y}: {exc.messages[0]}"
        ) from exc
    legacy = d.rule_id is None and d.drafted_on is None  # drafted before rules were dated
    if rule_id_of(rule) != d.rule_id and not (legacy and on_paper):
        if on_paper or d.legal_bases_edited:
            why = "bản giấy đã ký" if on_paper else "căn cứ đã được sửa tay"
            raise ValidationError(
                f"Ngày ký {signed_on:%d/%m/%Y} thuộc {rule_label(rule)}, còn căn cứ của dự thảo "
                f"theo {rule_label(d.rule)}; {why} nên hệ thống không tự cập nhật. Đề nghị trả "
                "lại dự thảo, cập nhật căn cứ pháp lý theo quy định tại ngày ký rồi trình ký lại."
            )
        d.legal_bases, d.rule = bases, rule
        return True
    if not on_paper and not d.legal_bases_edited and bases != d.legal_bases:
        d.legal_bases, d.rule = bases, rule
        return True
    return False


def rule_id_of(rule: AwardRule | None) -> int | None:
    return rule.pk if rule is not None else None


def _check_corrected_still_valid(d: Decision) -> None:
    """An amending or revoking decision corrects awards that are still in force when it is
    signed: another correction signed since it was drafted may have ended them already. The
    rows stay locked until the caller commits, so two corrections signed at once are ordered."""
    ended = list(
        AwardRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=d.lines.exclude(record=None).values("record_id"))
        .exclude(status=AwardRecord.Status.VALID)
        .select_related("ended_by__number")
        .order_by("number")
    )
    if ended:
        raise ValidationError([_ended_message(r) for r in ended])


def _ended_message(record: AwardRecord) -> str:
    by = record.ended_by
    how = "bị thu hồi" if record.is_revoked else "được sửa đổi"
    where = f" tại {by.citation}" if by is not None and by.signed_on else ""
    return (
        f"Không ban hành được: khen thưởng của {record.recipient_name} (số vào sổ "
        f"{record.registry_reference}) đã {how}{where}. Đề nghị trả lại dự thảo này."
    )


def _voted_for_nominee() -> QuerySet[AgendaItem]:
    """The council's closed vote that recommended the outer query's nominee."""
    return AgendaItem.objects.filter(
        nominee=OuterRef("pk"), status=AgendaItem.Status.CLOSED, recommended=True
    )


def _granted_to_nominee() -> QuerySet[DecisionLine]:
    """Lines of signed grants that award the outer query's nominee."""
    return DecisionLine.objects.filter(
        nominee=OuterRef("pk"),
        decision__kind=Decision.Kind.GRANT,
        decision__status=Decision.Status.FINAL,
    )


def _awaiting_a_decision(nominations: set[int]) -> QuerySet[Nominee, int]:
    """Dossiers with a recommended nominee no signed grant holds yet (Nội vụ may put a
    dossier's nominees in several decisions): they stay as they are, so those nominees remain
    on the recommended list until the decision that awards them."""
    return (
        Nominee.objects.filter(nomination_id__in=nominations)
        .filter(
            Q(nomination__status=Nomination.Status.RECOMMENDED) | Q(Exists(_voted_for_nominee()))
        )
        .exclude(Exists(_granted_to_nominee()))
        .values_list("nomination_id", flat=True)
    )


def _tell_proposing_units(d: Decision, lines: list[DecisionLine]) -> None:
    """One notice per dossier in a signed grant, to its unit's focal officers and head: the
    decision's number and date, which of its nominees it awards and with what; nominees still
    waiting for another decision (the dossier is then decided in part), awarded by an earlier
    decision, or not recommended by the council."""
    here = {line.nominee_id: line.recipient_name for line in lines if line.nominee_id}
    if not here:
        return
    earlier = _granted_to_nominee().exclude(decision=d)
    of_dossiers = Nominee.objects.filter(
        nomination__in=Nominee.objects.filter(pk__in=here).values("nomination_id")
    )
    flags: dict[int, tuple[bool, int | None]] = {
        pk: (voted, granted_in)
        for pk, voted, granted_in in of_dossiers.annotate(
            voted=Exists(_voted_for_nominee()),
            granted_in=Subquery(earlier.values("decision_id")[:1]),
        ).values_list("pk", "voted", "granted_in")
    }
    dossiers: dict[int, list[Nominee]] = {}
    for nominee in of_dossiers.select_related(
        "nomination__unit", "person__unit", "unit", "household__unit"
    ).order_by("nomination_id", "position", "pk"):
        dossiers.setdefault(nominee.nomination_id, []).append(nominee)
    earlier_refs = {
        x.pk: x.citation
        for x in Decision.objects.filter(
            pk__in={granted for _voted, granted in flags.values() if granted}
        ).select_related("number")
    }
    award, source = d.award_type.name, d.citation
    for group in dossiers.values():
        nomination = group[0].nomination
        awarded = [here[n.pk] for n in group if n.pk in here]
        before: dict[str, list[str]] = {}
        waiting, refused = [], []
        for n in group:
            if n.pk in here:
                continue
            name, (voted, granted_in) = _recipient(n)[0], flags[n.pk]
            if granted_in:
                before.setdefault(earlier_refs[granted_in], []).append(name)
            elif voted or nomination.status == Nomination.Status.RECOMMENDED:
                waiting.append(name)
            else:
                refused.append(name)
        parts = [f"{source} tặng {award} cho {'; '.join(awarded)}."]
        parts += [
            f"Đã được tặng {award} tại {ref}: {'; '.join(who)}." for ref, who in before.items()
        ]
        if waiting:
            parts.append(
                "Hồ sơ mới được quyết định một phần; còn chờ quyết định khen thưởng khác: "
                f"{'; '.join(waiting)}."
            )
        if refused:
            parts.append(f"Hội đồng không đề nghị khen thưởng: {'; '.join(refused)}.")
        what = "được quyết định một phần" if waiting else "đã có quyết định khen thưởng"
        notify(
            users=users_with_role_in(
                unit_ids={nomination.unit_id}, roles={Role.UNIT_OFFICER, Role.UNIT_HEAD}
            ),
            title=f"Hồ sơ {award} {what}: {source}"[:255],
            body=" ".join(parts),
            url=reverse("awards:nomination-detail", args=[nomination.pk]),
        )


def _changes(old: AwardRecord, line: DecisionLine) -> str:
    """What an amending line changes in the award it corrects, in words."""
    changed = [
        f"{label} “{before}” thành “{after}”"
        for label, before, after in (
            ("tên", old.recipient_name, line.recipient_name),
            ("chức vụ, đơn vị", old.recipient_detail, line.recipient_detail),
        )
        if before != after
    ]
    if old.achievement != line.achievement:
        changed.append("sửa nội dung thành tích")
    return "; ".join(changed) or "nội dung giữ nguyên"


def _tell_corrected_units(
    d: Decision, lines: list[DecisionLine], made: dict[int, AwardRecord]
) -> None:
    """One notice per unit whose awards a signed amending or revoking decision corrects, to its
    focal officers and head, as _tell_proposing_units does for a grant: the decision's number
    and date, the decision it corrects, and each of the unit's awards with what changed
    (revoked; or the name, details, achievement as amended and the new registry number). The
    unit is the one that proposed the award (its dossier), else the award's own unit."""
    corrected = [(line, old) for line in lines if (old := line.record) is not None]
    dossiers = {line.nominee.nomination_id for line, _old in corrected if line.nominee}
    unit_of_dossier = dict(Nomination.objects.filter(pk__in=dossiers).values_list("pk", "unit_id"))
    units: dict[int, list[tuple[DecisionLine, AwardRecord]]] = {}
    for line, old in corrected:
        unit_id = unit_of_dossier[line.nominee.nomination_id] if line.nominee else old.unit_id
        units.setdefault(unit_id, []).append((line, old))
    original = cast(Decision, d.corrects)  # an amending or revoking decision corrects one
    award = d.award_type.name
    source, whose = d.citation, original.citation
    revoke = d.kind == Decision.Kind.REVOKE
    for unit_id, group in units.items():
        awards = []
        for line, old in group:
            ref = f"số vào sổ {old.registry_reference}"
            if revoke:
                awards.append(f"{old.recipient_name} ({ref})")
            else:
                new = (
                    f", nay số vào sổ {made[line.pk].registry_reference}" if line.pk in made else ""
                )
                awards.append(f"{old.recipient_name} ({ref}{new}): {_changes(old, line)}")
        if revoke:
            body = (
                f"{source} thu hồi {award} đã tặng tại {whose} đối với: {'; '.join(awards)}. "
                "Tập thể, cá nhân bị thu hồi nộp lại hiện vật khen thưởng và tiền thưởng đã nhận."
            )
        else:
            body = (
                f"{source} sửa đổi thông tin khen thưởng {award} tại {whose}: {'; '.join(awards)}."
            )
        first = next((line.nominee for line, _old in group if line.nominee), None)
        notify(
            users=users_with_role_in(unit_ids={unit_id}, roles={Role.UNIT_OFFICER, Role.UNIT_HEAD}),
            title=f"{'Thu hồi' if revoke else 'Sửa đổi'} {award} của đơn vị: {source}"[:255],
            body=body,
            # The dossier, else (an award entered without one) the unit's record in the registry.
            url=reverse("awards:nomination-detail", args=[first.nomination_id])
            if first
            else reverse("awards:record", args=[group[0][1].pk]),
        )


def _finalise(actor: User, d: Decision, signed_on: date, how: str) -> Decision:
    if d.status != Decision.Status.AWAITING_SIGNATURE:
        raise ValidationError("Chỉ ban hành được quyết định đã trình ký.")
    if signed_on > today_local():
        raise ValidationError("Ngày ký không được sau ngày hôm nay.")
    if d.kind != Decision.Kind.GRANT:
        _check_corrected_still_valid(d)
    refreshed = _bases_for_signing(d, signed_on, on_paper=how == "scan_recorded")
    entry = document_number_take(
        actor=actor,
        issuer_code=d.issuer.code,
        doc_type="QĐ",
        symbol=_symbol(d),
        issued_on=signed_on,
        summary=d.summary,
        target=d,
    )
    d.number, d.signed_on, d.status, d.signed_by = entry, signed_on, Decision.Status.FINAL, actor
    d.save(
        update_fields=[
            "number",
            "signed_on",
            "status",
            "signed_by",
            "signed_scan",
            "legal_bases",
            "rule",
        ]
    )
    lines = list(
        d.lines.select_related(
            "nominee__person__unit", "nominee__unit", "nominee__household__unit", "record"
        )
    )
    made: dict[int, AwardRecord] = {}  # the new registry entry of each line
    if d.kind in {Decision.Kind.GRANT, Decision.Kind.AMEND}:
        for line in lines:
            made[line.pk] = _record_for(d, line, signed_on)
    if d.kind != Decision.Kind.GRANT:
        ended = AwardRecord.Status.REVOKED if d.kind == Decision.Kind.REVOKE else "amended"
        AwardRecord.objects.filter(
            pk__in=[line.record_id for line in lines], status=AwardRecord.Status.VALID
        ).update(status=ended, ended_by=d)
    if d.kind == Decision.Kind.GRANT:
        fund.prize_payments_create(actor=actor, decision=d)
    elif d.kind == Decision.Kind.REVOKE:
        fund.prize_payments_cancel(
            actor=actor, records=[line.record_id for line in lines if line.record_id], decision=d
        )
    else:
        fund.prize_payments_follow(
            actor=actor,
            replaced={line.record_id: made[line.pk] for line in lines if line.record_id},
            decision=d,
        )
    nominations = {line.nominee.nomination_id for line in lines if line.nominee}
    decided = Nomination.Status.DECIDED
    for n in (
        Nomination.objects.filter(pk__in=nominations)
        .exclude(pk__in=_awaiting_a_decision(nominations))
        .order_by("pk")
    ):
        transition(  # each dossier's move logged; one already decided is left as it is
            n,
            to=decided,
            allowed_from=Nomination.TRANSITIONS[decided],
            action="awards.nomination.decided",
            actor=actor,
            data={"decision": d.pk, "reference": entry.reference},
        )
    if d.kind == Decision.Kind.GRANT:
        _tell_proposing_units(d, lines)
    else:
        _tell_corrected_units(d, lines, made)
    action_log_record(
        actor=actor,
        action=f"awards.decision.{how}",
        target=d,
        data={
            "reference": entry.reference,
            "signed_on": signed_on.isoformat(),
            "kind": d.kind,
            "lines": len(lines),
            **({"bases_refreshed": rule_label(d.rule)} if refreshed else {}),
        },
    )
    return d


def decision_approve(
    *,
    actor: User,
    decision: Decision,
    signed_on: date | None = None,
    shortfall_reason: str = "",
    sign_digitally: bool = True,
) -> Decision:
    """A signer of the body running the campaign, or of the decision's issuer
    (rules.can_sign_decision), approves (signs) in the system: the decision is numbered and
    final. When the reward fund cannot pay its prizes, the signer signs only with
    `shortfall_reason`. When the signer has a signing key (documents.SigningKey), the issued PDF
    is digitally signed in the same transaction; a failure to sign issues nothing."""
    if not rules.can_sign(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(decision, permit=lambda row: rules.can_sign_decision(actor, row))
        if d.status == Decision.Status.FINAL:
            return d
        day = signed_on or today_local()
        if d.status == Decision.Status.AWAITING_SIGNATURE:
            held = held_lines(d, day)
            if held:
                raise ValidationError(held)
            fund.fund_shortfall_check(actor=actor, decision=d, day=day, reason=shortfall_reason)
        if not d.signer_name.strip():
            d.signer_name = actor.get_full_name()
            d.save(update_fields=["signer_name"])
        d = _finalise(actor, d, day, "signed")
        if sign_digitally:
            decision_sign_pdf(actor=actor, decision=d)
        return d


def decision_sign_pdf(*, actor: User, decision: Decision) -> bool:
    """Sign the final decision's PDF with the actor's key (PAdES, the Decree 30 stamp in the
    signer's blank) and keep it; False when the actor has no key. Called by decision_approve
    inside its transaction."""
    if not rules.can_sign_decision(actor, decision):
        raise PermissionDenied
    if not has_signing_key(actor=actor):
        return False
    pdf, box = render_pdf_with_signature_box(decision_document(decision))
    row = signed_pdf_issue(
        actor=actor,
        target=decision,
        pdf=pdf,
        issuer=decision.issuer,
        signer_name=decision.signer_name,
        box=box,
        reason=f"Ký ban hành Quyết định số {decision.reference}",
        reference=decision.reference,
    )
    return row is not None


def decision_record_signed_scan(
    *, actor: User, decision: Decision, scan: UploadedFile, signed_on: date, signer_name: str
) -> Decision:
    """Nội vụ of the body running the campaign records a decision signed on paper: the scan
    and the signing date."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if not signer_name.strip():
        raise ValidationError("Cần ghi họ tên người ký.")
    checked = check_upload(scan, allowed=(UploadKind.PDF, UploadKind.IMAGE))
    with transaction.atomic():
        d = _locked(decision, permit=drafter(actor))
        if d.status == Decision.Status.FINAL:
            raise ValidationError("Quyết định đã ban hành.")
        name, _thumb = save_checked(checked, "decisions")
        d.signed_scan.name, d.signer_name = name, signer_name.strip()
        d.save(update_fields=["signer_name"])
        try:
            d = _finalise(actor, d, signed_on, "scan_recorded")
        except ValidationError:
            default_storage.delete(name)  # refused: keep no orphan scan
            raise
        # a PDF signed elsewhere (ký số): its signatures are checked and the outcome kept
        signed_pdf_receive(actor=actor, target=d, name=name, content=checked.content)
        return d
