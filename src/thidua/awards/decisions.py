"""Award decisions (quyết định khen thưởng) and the registry entries they create.

A decision is drafted by Nội vụ from the recommended list, sent to the signer, and becomes
final when the signer approves it in the system or Nội vụ records the signed scan. Only then
does it take its number, enter the award registry and close the nominations. A final decision
is never edited: an amending or revoking decision corrects it.
"""

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from thidua.accounts.models import Role, User
from thidua.awards import fund, rules
from thidua.awards.award_rules import rule_in_force, rule_set_in_force
from thidua.awards.documents import authority_phrase, decision_document
from thidua.awards.models import (
    AgendaItem,
    AppraisalRound,
    AwardRecord,
    AwardRule,
    AwardType,
    Decision,
    DecisionLine,
    Nomination,
    Nominee,
    Subject,
)
from thidua.awards.selectors import recommended_nominees
from thidua.campaigns.models import Campaign
from thidua.core.clock import today_local
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record, document_number_take, sequence_advance
from thidua.core.text import fold, vi_sort_key
from thidua.core.transitions import transition
from thidua.core.uploads import UploadKind, check_upload, save_checked
from thidua.documents.official import render_pdf_with_signature_box
from thidua.documents.services import has_signing_key, signed_pdf_issue, signed_pdf_receive
from thidua.notifications.services import notify
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.selectors import users_with_role_in

REGISTRY_SERIES = "SOVANG"  # the registry's own yearly series in core.DocumentSequence
EDITABLE = (
    "summary",
    "drafted_on",
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


def _basis(line: str) -> str:
    """ "Căn cứ Luật …;" from a rule's line, whether or not it was written with "Căn cứ"."""
    text = line.strip().rstrip(";.").strip()
    if not text.lower().startswith("căn cứ"):
        text = f"Căn cứ {text}"
    return f"{text};"


def _counted(lines: Sequence[DecisionLine]) -> str:
    """ "02 tập thể, 03 cá nhân và 01 hộ gia đình": the groups of a list, in annex order."""
    parts = [
        f"{count:02d} {label}"
        for value, label in (
            (Subject.COLLECTIVE, "tập thể"),
            (Subject.INDIVIDUAL, "cá nhân"),
            (Subject.HOUSEHOLD, "hộ gia đình"),
        )
        if (count := sum(1 for line in lines if line.subject == value))
    ]
    return ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else "".join(parts)


def grant_legal_bases(
    campaign: Campaign, award_type: AwardType, day: date
) -> tuple[list[str], AwardRule]:
    """The bases of a grant dated `day`: the law of the rule in force that day, the plan, and
    whose proposal it follows."""
    rule = rule_in_force(award_type, day)
    bases = [_basis(line) for line in rule.legal_basis_lines()]
    if campaign.issued_number_id and campaign.issued_on:
        bases.append(
            f"Căn cứ Kế hoạch số {campaign.reference} ngày {campaign.issued_on:%d/%m/%Y} của "
            f"{campaign.issuer_name} về {campaign_phrase(campaign)};"
        )
    bases.append(
        "Xét đề nghị của Hội đồng Thi đua – Khen thưởng và Trưởng phòng Nội vụ."
        if rule.council_vote
        else "Xét đề nghị của Trưởng phòng Nội vụ."
    )
    return bases, rule


def correction_legal_bases(original: Decision, day: date) -> tuple[list[str], AwardRule | None]:
    """The bases of a decision amending or revoking `original`, dated `day`: the law in force
    that day (the award kind's rule, else the rule set's common bases, else the original's),
    then the original decision."""
    rule: AwardRule | None
    try:
        rule = rule_in_force(original.award_type, day)
        common = [_basis(line) for line in rule.legal_basis_lines()]
    except ValidationError:  # the kind is gone from the law (a district award after 2025)
        rule, current = None, rule_set_in_force(day)
        common = (
            [_basis(line) for line in current.legal_basis_lines()]
            if current is not None
            else [b for b in original.legal_bases if not b.startswith(("Xét", "Căn cứ Kế hoạch"))]
        )
    return [
        *common,
        f"Căn cứ Quyết định số {original.reference} ngày {original.signed_on:%d/%m/%Y} của "
        f"{authority_phrase(original.award_type, original.issuer)} về việc tặng "
        f"{original.award_type.name};",
        "Xét đề nghị của Trưởng phòng Nội vụ.",
    ], rule


def computed_legal_bases(d: Decision, day: date) -> tuple[list[str], AwardRule | None]:
    if d.kind == Decision.Kind.GRANT or d.corrects is None:
        return grant_legal_bases(d.campaign, d.award_type, day)
    return correction_legal_bases(d.corrects, day)


def rule_label(rule: AwardRule | None) -> str:
    if rule is None:
        return "căn cứ của quyết định gốc"
    if rule.rule_set is not None:
        return f"“{rule.rule_set.name}” ({rule.rule_set.period})"
    return f"quy định “{rule.award_type.name}” áp dụng từ {rule.effective_from:%d/%m/%Y}"


def _default_texts(
    campaign: Campaign, award_type: AwardType, lines: Sequence[DecisionLine], day: date
) -> dict[str, object]:
    bases, rule = grant_legal_bases(campaign, award_type, day)
    return {
        "summary": f"Về việc tặng {award_type.name}",
        "drafted_on": day,
        "legal_bases": bases,
        "rule": rule,
        "articles": [
            f"Điều 1. Tặng {award_type.name} cho {_counted(lines)} (có danh sách kèm theo) đã có "
            f"thành tích xuất sắc trong {campaign_phrase(campaign)}.",
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


def _locked(decision: Decision) -> Decision:
    return (
        Decision.objects.select_for_update().select_related(*DECISION_RELATED).get(pk=decision.pk)
    )


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
        d = _locked(decision)
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


def decision_bases_refresh(*, actor: User, decision: Decision) -> Decision:
    """Drop hand edits of the legal bases and take them again from the rule in force on the
    draft's date."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(decision)
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


def _check_disclosure(d: Decision) -> None:
    problems = _disclosure_problems(d, today_local())
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
        check=_check_disclosure,
        notify=lambda d: notify(
            users=users_with_role_in(unit_ids={d.campaign.owner_unit_id}, roles={Role.SIGNER}),
            title=f"Trình ký quyết định: {d.summary}"[:255],
        ),
        return_note="",
    )


def decision_return(*, actor: User, decision: Decision, note: str) -> Decision:
    """The signer sends the draft back with what to change."""
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
        done=lambda d: False,  # a draft was never awaiting signature: refused
        data={"note": note},
        notify=lambda d: notify(
            users=users_with_role_in(
                unit_ids={d.campaign.standing_agency_id or d.campaign.owner_unit_id},
                roles={Role.EMULATION_OFFICE},
            ),
            title=f"Người ký trả lại dự thảo: {d.summary}"[:255],
            body=note,
        ),
        return_note=note.strip(),
    )


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


def _finalise(actor: User, d: Decision, signed_on: date, how: str) -> Decision:
    if d.status != Decision.Status.AWAITING_SIGNATURE:
        raise ValidationError("Chỉ ban hành được quyết định đã trình ký.")
    if signed_on > today_local():
        raise ValidationError("Ngày ký không được sau ngày hôm nay.")
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
    if d.kind in {Decision.Kind.GRANT, Decision.Kind.AMEND}:
        for line in lines:
            _record_for(d, line, signed_on)
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
    """The signer approves (signs) in the system: the decision is numbered and final. When the
    reward fund cannot pay its prizes, the signer signs only with `shortfall_reason`. When
    the signer has a signing key (documents.SigningKey), the issued PDF is digitally signed
    in the same transaction; a failure to sign issues nothing."""
    if not rules.can_sign(actor):
        raise PermissionDenied
    with transaction.atomic():
        d = _locked(decision)
        if d.status == Decision.Status.FINAL:
            return d
        day = signed_on or today_local()
        if d.status == Decision.Status.AWAITING_SIGNATURE:
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
        try:
            d = _finalise(actor, d, signed_on, "scan_recorded")
        except ValidationError:
            default_storage.delete(name)  # refused: keep no orphan scan
            raise
        # a PDF signed elsewhere (ký số): its signatures are checked and the outcome kept
        signed_pdf_receive(actor=actor, target=d, name=name, content=checked.content)
        return d


NAMED_IN_ARTICLE = 3  # more corrected awards than this are listed in the annex only


def _correction_texts(
    original: Decision, kind: str, chosen: Sequence[AwardRecord], reason: str
) -> tuple[str, list[str]]:
    """Summary and articles of an amending or revoking decision that say exactly what they
    correct: how many collectives and individuals, who (with register numbers), from which
    decision, and that the rest of that decision stands."""
    award = original.award_type.name
    source = f"Quyết định số {original.reference} ngày {original.signed_on:%d/%m/%Y}"
    whose = f"{source} của {authority_phrase(original.award_type, original.issuer)}"
    counted = _counted(chosen)  # type: ignore[arg-type]  # records carry .subject like lines
    partial = original.records.filter(status=AwardRecord.Status.VALID).count() > len(chosen)
    named = "; ".join(
        f"{r.recipient_name} (số vào sổ {r.registry_reference})"
        for r in sorted(chosen, key=lambda r: r.number)
    )
    who = (
        f"{counted}: {named}"
        if len(chosen) <= NAMED_IN_ARTICLE
        else f"{counted} có tên trong danh sách kèm theo Quyết định này"
    )
    rest = f" Các nội dung khác của {source} giữ nguyên hiệu lực." if partial else ""
    if kind == Decision.Kind.REVOKE:
        summary = (
            f"Về việc thu hồi {award} đã tặng cho {counted} tại {source}"
            if partial
            else f"Về việc thu hồi toàn bộ {award} đã tặng tại {source}"
        )
        first = f"Điều 1. Thu hồi {award} đã tặng tại {whose} đối với {who}. Lý do: {reason}."
        second = (
            "Điều 2. Các tập thể, cá nhân nêu tại Điều 1 có trách nhiệm nộp lại hiện vật khen "
            f"thưởng và tiền thưởng đã nhận.{rest} Quyết định này có hiệu lực kể từ ngày ký."
        )
    else:
        summary = f"Về việc sửa đổi thông tin khen thưởng của {counted} tại {source}"
        first = (
            f"Điều 1. Sửa đổi thông tin khen thưởng {award} tại {whose} đối với {who}, theo "
            f"danh sách kèm theo. Lý do: {reason}."
        )
        second = f"Điều 2.{rest} Quyết định này có hiệu lực kể từ ngày ký."
    third = (
        original.articles[-1]
        if original.articles
        else "Điều 3. Các cơ quan, đơn vị, cá nhân có liên quan chịu trách nhiệm thi hành "
        "Quyết định này."
    )
    return summary[:500], [first, second, third]


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
        day = today_local()
        d = Decision(
            campaign=original.campaign,
            award_type=original.award_type,
            issuer=original.issuer,
            kind=kind,
            corrects=original,
            drafted_on=day,
            recipients=original.recipients,
            signer_authority=original.signer_authority,
            signer_title_line=original.signer_title_line,
            signer_title=original.signer_title,
            created_by=actor,
        )
        d.legal_bases, d.rule = correction_legal_bases(original, day)
        d.summary, d.articles = _correction_texts(original, kind, chosen, reason.strip())
        d.save()
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
    *,
    actor: User,
    line: DecisionLine,
    recipient_name: str,
    recipient_detail: str,
    achievement: str,
    bases: Mapping[str, str] | None = None,
) -> DecisionLine:
    """Correct a line of a draft (typos in a name are what amending decisions are for). With
    `bases`, a field a colleague changed meanwhile is kept or refused (core.concurrency)."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    if not recipient_name.strip():
        raise ValidationError("Tên tập thể, cá nhân không được để trống.")
    with transaction.atomic():
        d = _locked(line.decision)
        if d.status != Decision.Status.DRAFT:
            raise ValidationError("Chỉ sửa được quyết định đang ở dạng dự thảo.")
        line = DecisionLine.objects.select_for_update().get(pk=line.pk, decision=d)
        before = line.recipient_name
        sent = {
            "recipient_name": recipient_name.strip(),
            "recipient_detail": recipient_detail.strip(),
            "achievement": achievement.strip(),
        }
        for name, value in merge_model_edit(line, sent, bases).items():
            setattr(line, name, value)
        line.save(update_fields=["recipient_name", "recipient_detail", "achievement"])
        action_log_record(
            actor=actor,
            action="awards.decision.line_edited",
            target=d,
            data={"before": before, "after": line.recipient_name},
        )
    return line
