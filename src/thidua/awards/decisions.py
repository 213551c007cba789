"""Award decisions (quyết định khen thưởng) and the registry entries they create.

A decision is drafted by Nội vụ from the recommended list, sent to the signer, and becomes
final when the signer approves it in the system or Nội vụ records the signed scan. Only then
does it take its number, enter the award registry and close the nominations. A final decision
is never edited: an amending or revoking decision corrects it.
"""

import secrets
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from thidua.accounts.models import Role, User
from thidua.awards import rules
from thidua.awards.models import (
    AgendaItem,
    AppraisalRound,
    AwardRecord,
    AwardType,
    Decision,
    DecisionLine,
    Nomination,
    Nominee,
    Subject,
)
from thidua.awards.selectors import recommended_nominees
from thidua.awards.services import rule_in_force
from thidua.campaigns.models import Campaign
from thidua.core.clock import today_local
from thidua.core.services import action_log_record, document_number_take, sequence_advance
from thidua.core.text import fold, vi_sort_key
from thidua.core.uploads import UploadKind, check_upload, save_checked
from thidua.notifications.services import notify
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.selectors import users_with_role_in

REGISTRY_SERIES = "SOVANG"  # the registry's own yearly series in core.DocumentSequence
EDITABLE = (
    "summary",
    "legal_bases",
    "articles",
    "recipients",
    "signer_authority",
    "signer_title_line",
    "signer_title",
    "signer_name",
)


def _issuer_for(award_type: AwardType, campaign: Campaign) -> Unit:
    """The authority that signs: the province for provincial awards, else the campaign's owner."""
    if award_type.level == AwardType.Level.PROVINCE:
        unit: Unit | None = campaign.owner_unit
        while unit is not None and unit.kind != UnitKind.PROVINCE:
            unit = unit.parent
        if unit is not None:
            return unit
    return campaign.owner_unit


def _full_authority(unit: Unit) -> str:
    return unit.name.replace("UBND", "Ủy ban nhân dân")


def _recipient(nominee: Nominee) -> tuple[str, str]:
    if nominee.person is not None:
        person = nominee.person
        detail = ", ".join(x for x in (person.position, person.unit.name) if x)
        return f"{person.salutation} {person.full_name}", detail
    if nominee.household is not None:  # "Hộ ông Nguyễn Văn Hùng", its address
        return str(nominee.household), nominee.household.full_address
    return str(nominee.unit), ""


def recommended_at(nominee: Nominee) -> date | None:
    """When the nominee was recommended: the council's vote, or the appraisal when no vote."""
    item = (
        AgendaItem.objects.filter(
            nominee=nominee, status=AgendaItem.Status.CLOSED, recommended=True
        )
        .select_related("session")
        .order_by("-session__held_on")
        .first()
    )
    if item is not None:
        return item.session.held_on
    last = AppraisalRound.objects.filter(
        nomination_id=nominee.nomination_id, outcome=AppraisalRound.Outcome.ELIGIBLE
    ).last()
    return last.at.date() if last else None


def campaign_phrase(campaign: Campaign) -> str:
    """ "phong trào thi đua …" from a plan title that starts "Phát động phong trào …"."""
    title = campaign.title.strip()
    for lead in ("Phát động ", "Kế hoạch "):
        if title.startswith(lead):
            title = title[len(lead) :]
    return title[:1].lower() + title[1:]


def subject_count(lines: Sequence[DecisionLine | Nominee]) -> str:
    """ "02 tập thể, 03 cá nhân và 01 hộ gia đình": the groups of a list, in annex order."""
    parts = [
        f"{count:02d} {label.lower()}"
        for value, label in (
            (Subject.COLLECTIVE, "tập thể"),
            (Subject.INDIVIDUAL, "cá nhân"),
            (Subject.HOUSEHOLD, "hộ gia đình"),
        )
        if (count := sum(1 for line in lines if line.subject == value))
    ]
    return ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else "".join(parts)


def _default_texts(
    campaign: Campaign, award_type: AwardType, issuer: Unit, lines: Sequence[DecisionLine]
) -> dict[str, object]:
    rule = rule_in_force(award_type, today_local())
    bases = [
        f"Căn cứ {part.strip()};"
        for part in rule.legal_basis.replace("\n", ";").split(";")
        if part.strip()
    ]
    if campaign.issued_number_id and campaign.issued_on:
        bases.append(
            f"Căn cứ Kế hoạch số {campaign.number}/{campaign.doc_symbol} ngày "
            f"{campaign.issued_on:%d/%m/%Y} của {campaign.issuer_name} về {campaign.title};"
        )
    bases.append("Xét đề nghị của Hội đồng Thi đua – Khen thưởng và Trưởng phòng Nội vụ.")
    counted = subject_count(lines)
    return {
        "summary": f"Về việc tặng {award_type.name}",
        "legal_bases": bases,
        "articles": [
            f"Điều 1. Tặng {award_type.name} cho {counted} (có danh sách kèm theo) đã có thành "
            f"tích xuất sắc trong {campaign_phrase(campaign)}.",
            "Điều 2. Tiền thưởng kèm theo thực hiện theo quy định hiện hành về thi đua, khen "
            "thưởng.",
            "Điều 3. Chánh Văn phòng, Trưởng phòng Nội vụ, thủ trưởng các cơ quan, đơn vị có "
            "liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
            "Quyết định này.",
        ],
        "recipients": ["Như Điều 3", "Lưu: VT, NV"],
        "signer_authority": "",
        "signer_title_line": "",
        "signer_title": "CHỦ TỊCH",
    }


def decision_draft(
    *,
    actor: User,
    campaign: Campaign,
    award_type: AwardType,
    nominees: Iterable[Nominee],
) -> Decision:
    """Nội vụ drafts a decision from recommended nominees (see selectors.recommended_nominees)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
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
        for key, value in _default_texts(campaign, award_type, issuer, lines).items():
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


def _locked(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update()
        .select_related("issuer", "award_type", "campaign")
        .get(pk=decision.pk)
    )


def decision_update(*, actor: User, decision: Decision, **fields: object) -> Decision:
    """Edit a draft's texts; list fields are lists of lines."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    with transaction.atomic():
        d = _locked(decision)
        if d.status != Decision.Status.DRAFT:
            raise ValidationError("Chỉ sửa được quyết định đang ở dạng dự thảo.")
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
        d.save()
        action_log_record(
            actor=actor, action="awards.decision.edited", target=d, data={"fields": sorted(fields)}
        )
    return d


def decision_line_remove(*, actor: User, line: DecisionLine) -> None:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(line.decision)
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


def decision_send_for_signature(*, actor: User, decision: Decision) -> Decision:
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(decision)
        if d.status == Decision.Status.AWAITING_SIGNATURE:
            return d
        if d.status != Decision.Status.DRAFT:
            raise ValidationError("Chỉ trình ký được quyết định đang ở dạng dự thảo.")
        problems = _disclosure_problems(d, today_local())
        if problems:
            raise ValidationError(problems)
        d.status, d.return_note = Decision.Status.AWAITING_SIGNATURE, ""
        d.save(update_fields=["status", "return_note"])
        action_log_record(actor=actor, action="awards.decision.sent_for_signature", target=d)
        notify(
            users=users_with_role_in(unit_ids={d.campaign.owner_unit_id}, roles={Role.SIGNER}),
            title=f"Trình ký quyết định: {d.summary}"[:255],
        )
    return d


def decision_return(*, actor: User, decision: Decision, note: str) -> Decision:
    """The signer sends the draft back with what to change."""
    if not rules.can_sign(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError("Cần ghi rõ nội dung cần sửa.")
    with transaction.atomic():
        d = _locked(decision)
        if d.status != Decision.Status.AWAITING_SIGNATURE:
            raise ValidationError("Quyết định không ở trạng thái chờ ký.")
        d.status, d.return_note = Decision.Status.DRAFT, note.strip()
        d.save(update_fields=["status", "return_note"])
        action_log_record(
            actor=actor, action="awards.decision.returned", target=d, data={"note": note}
        )
        notify(
            users=users_with_role_in(
                unit_ids={d.campaign.standing_agency_id or d.campaign.owner_unit_id},
                roles={Role.EMULATION_OFFICE},
            ),
            title=f"Người ký trả lại dự thảo: {d.summary}"[:255],
            body=note,
        )
    return d


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
        name_sort=vi_sort_key(line.recipient_name),
    )


def _finalise(actor: User, d: Decision, signed_on: date, how: str) -> Decision:
    if d.status != Decision.Status.AWAITING_SIGNATURE:
        raise ValidationError("Chỉ ban hành được quyết định đã trình ký.")
    if signed_on > today_local():
        raise ValidationError("Ngày ký không được sau ngày hôm nay.")
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
    d.save(update_fields=["number", "signed_on", "status", "signed_by", "signed_scan"])
    lines = list(
        d.lines.select_related(
            "nominee__person__unit", "nominee__unit", "nominee__household__unit", "record"
        )
    )
    if d.kind in {Decision.Kind.GRANT, Decision.Kind.AMEND}:
        for line in lines:
            _record_for(d, line, signed_on)
    if d.kind != Decision.Kind.GRANT:
        ended = AwardRecord.Status.REVOKED if d.kind == Decision.Kind.REVOKE else "amended"
        AwardRecord.objects.filter(
            pk__in=[line.record_id for line in lines], status=AwardRecord.Status.VALID
        ).update(status=ended, ended_by=d)
    nominations = {line.nominee.nomination_id for line in lines if line.nominee}
    Nomination.objects.filter(pk__in=nominations).update(status=Nomination.Status.DECIDED)
    action_log_record(
        actor=actor,
        action=f"awards.decision.{how}",
        target=d,
        data={
            "reference": entry.reference,
            "signed_on": signed_on.isoformat(),
            "kind": d.kind,
            "lines": len(lines),
        },
    )
    return d


def decision_approve(*, actor: User, decision: Decision, signed_on: date | None = None) -> Decision:
    """The signer approves (signs) in the system: the decision is numbered and final."""
    if not rules.can_sign(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(decision)
        if d.status == Decision.Status.FINAL:
            return d
        if not d.signer_name.strip():
            d.signer_name = actor.get_full_name()
            d.save(update_fields=["signer_name"])
        return _finalise(actor, d, signed_on or today_local(), "signed")


def decision_record_signed_scan(
    *, actor: User, decision: Decision, scan: UploadedFile, signed_on: date, signer_name: str
) -> Decision:
    """Nội vụ records a decision signed on paper: the scan and the signing date."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if not signer_name.strip():
        raise ValidationError("Cần ghi họ tên người ký.")
    checked = check_upload(scan, allowed=(UploadKind.PDF, UploadKind.IMAGE))
    with transaction.atomic():
        d = _locked(decision)
        if d.status == Decision.Status.FINAL:
            raise ValidationError("Quyết định đã ban hành.")
        name, _thumb = save_checked(checked, "decisions")
        d.signed_scan.name, d.signer_name = name, signer_name.strip()
        d.save(update_fields=["signer_name"])
        return _finalise(actor, d, signed_on, "scan_recorded")


def decision_correct(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    records: Sequence[AwardRecord],
    reason: str,
) -> Decision:
    """Draft a decision that amends or revokes awards of a final decision.

    An amending draft copies the lines so Nội vụ can correct names or achievements before
    sending it for signature; once final, the old entries say "amended" and new ones replace them.
    """
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if kind not in {Decision.Kind.AMEND, Decision.Kind.REVOKE}:
        raise ValidationError("Chỉ sửa đổi hoặc thu hồi.")
    if not reason.strip():
        raise ValidationError("Cần ghi rõ lý do sửa đổi, thu hồi.")
    with transaction.atomic():
        original = _locked(decision)
        if original.status != Decision.Status.FINAL:
            raise ValidationError("Chỉ sửa đổi, thu hồi quyết định đã ban hành.")
        chosen = list(
            AwardRecord.objects.filter(
                pk__in=[r.pk for r in records], decision=original, status=AwardRecord.Status.VALID
            )
        )
        if not chosen or len(chosen) != len(records):
            raise ValidationError("Chọn các khen thưởng còn hiệu lực của quyết định này.")
        verb = "sửa đổi" if kind == Decision.Kind.AMEND else "thu hồi"
        d = Decision.objects.create(
            campaign=original.campaign,
            award_type=original.award_type,
            issuer=original.issuer,
            kind=kind,
            corrects=original,
            summary=f"Về việc {verb} Quyết định số {original.reference} ngày "
            f"{original.signed_on:%d/%m/%Y}",
            legal_bases=[
                *original.legal_bases[:-1],
                f"Căn cứ Quyết định số {original.reference} ngày {original.signed_on:%d/%m/%Y} "
                f"về việc tặng {original.award_type.name};",
                f"Xét đề nghị của Trưởng phòng Nội vụ ({reason.strip()}).",
            ],
            articles=[
                f"Điều 1. {verb.capitalize()} {original.award_type.name} đối với các tập thể, cá "
                f"nhân có tên trong danh sách kèm theo tại Quyết định số {original.reference}. "
                f"Lý do: {reason.strip()}.",
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
                original.articles[-1] if original.articles else "",
            ],
            recipients=original.recipients,
            signer_authority=original.signer_authority,
            signer_title_line=original.signer_title_line,
            signer_title=original.signer_title,
            created_by=actor,
        )
        DecisionLine.objects.bulk_create(
            DecisionLine(
                decision=d,
                record=r,
                nominee=r.line.nominee if r.line is not None else None,
                position=i,
                subject=r.subject,
                recipient_name=r.recipient_name,
                recipient_detail=r.recipient_detail,
                achievement=r.achievement,
            )
            for i, r in enumerate(chosen)
        )
        action_log_record(
            actor=actor,
            action=f"awards.decision.{kind}_drafted",
            target=d,
            data={"corrects": original.pk, "records": [r.pk for r in chosen], "reason": reason},
        )
    return d


def decision_line_edit(
    *, actor: User, line: DecisionLine, recipient_name: str, recipient_detail: str, achievement: str
) -> DecisionLine:
    """Correct a line of a draft (typos in a name are what amending decisions are for)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if not recipient_name.strip():
        raise ValidationError("Tên tập thể, cá nhân không được để trống.")
    with transaction.atomic():
        d = _locked(line.decision)
        if d.status != Decision.Status.DRAFT:
            raise ValidationError("Chỉ sửa được quyết định đang ở dạng dự thảo.")
        before = line.recipient_name
        line.recipient_name = recipient_name.strip()
        line.recipient_detail = recipient_detail.strip()
        line.achievement = achievement.strip()
        line.save(update_fields=["recipient_name", "recipient_detail", "achievement"])
        action_log_record(
            actor=actor,
            action="awards.decision.line_edited",
            target=d,
            data={"before": before, "after": line.recipient_name},
        )
    return line
