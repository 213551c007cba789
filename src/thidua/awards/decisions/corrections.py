"""Correcting a final decision: an amending or revoking decision, and editing its lines."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.decisions.drafting import (
    _locked,
    drafter,
)
from thidua.awards.decisions.texts import (
    _counted,
    correction_legal_bases,
)
from thidua.awards.documents import authority_phrase
from thidua.awards.models import (
    AwardRecord,
    Decision,
    DecisionLine,
)
from thidua.core.clock import today_local
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record

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


def _pending_message(line: DecisionLine) -> str:
    """ "Khen thưởng của Bà … (số vào sổ …) đã có trong dự thảo quyết định thu hồi khác …"."""
    other, record = line.decision, line.record
    assert record is not None  # noqa: S101 - filtered on the record
    drafted = f", lập ngày {other.drafted_on:%d/%m/%Y}" if other.drafted_on else ""
    return (
        f"Khen thưởng của {record.recipient_name} (số vào sổ {record.registry_reference}) đã có "
        f"trong dự thảo quyết định {other.get_kind_display().lower()} khác: “{other.summary}” "
        f"({other.get_status_display().lower()}{drafted}). Mỗi khen thưởng chỉ có một dự thảo "
        "sửa đổi, thu hồi: đề nghị tiếp tục dự thảo đó hoặc bỏ khen thưởng này khỏi dự thảo đó."
    )


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
        original = _locked(decision, permit=drafter(actor))
        if original.status != Decision.Status.FINAL:
            raise ValidationError("Chỉ sửa đổi, thu hồi quyết định đã ban hành.")
        chosen = list(
            AwardRecord.objects.filter(
                pk__in=[r.pk for r in records], decision=original, status=AwardRecord.Status.VALID
            )
        )
        if not chosen or len(chosen) != len(records):
            raise ValidationError("Chọn các khen thưởng còn hiệu lực của quyết định này.")
        # One correction at a time per award: the original's lock orders two draftings.
        pending = (
            DecisionLine.objects.filter(
                record__in=chosen,
                decision__status__in=[Decision.Status.DRAFT, Decision.Status.AWAITING_SIGNATURE],
            )
            .select_related("decision", "record")
            .order_by("record__number", "decision__pk")
        )
        if problems := [_pending_message(line) for line in pending]:
            raise ValidationError(problems)
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
        d = _locked(line.decision, permit=drafter(actor))
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
