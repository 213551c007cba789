from datetime import date
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from thidua.core.models import ActionLog, DocumentSequence, IssuedDocument


def action_log_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
) -> ActionLog:
    """Write inside the caller's transaction so the change and its record commit together."""
    return ActionLog.objects.create(
        actor=cast(Any, actor) if actor is not None and actor.is_authenticated else None,
        action=action,
        data=data or {},
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
    )


def sequence_advance(*, issuer_code: str, doc_type: str, year: int) -> DocumentSequence:
    """Take the next number of a yearly series (documents, registry entries): the row is locked
    until the caller's transaction ends, so concurrent callers get consecutive numbers."""
    DocumentSequence.objects.get_or_create(issuer_code=issuer_code, doc_type=doc_type, year=year)
    seq = DocumentSequence.objects.select_for_update().get(
        issuer_code=issuer_code, doc_type=doc_type, year=year
    )
    seq.last_number += 1
    seq.save(update_fields=["last_number"])
    return seq


DOCUMENT_KINDS = {
    "QĐ": "Quyết định",
    "KH": "Kế hoạch",
    "CV": "Công văn",
    "BB": "Biên bản",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "TB": "Thông báo",
}


def _out_of_order_message(doc_type: str, latest: IssuedDocument, issued_on: date) -> str:
    kind = DOCUMENT_KINDS.get(doc_type, "Văn bản")
    return (
        f"Không thể ban hành với ngày {issued_on:%d/%m/%Y}: {kind} số {latest.reference} đã "
        f"ban hành ngày {latest.issued_on:%d/%m/%Y} và mang số trước. Số trong sổ văn bản tăng "
        f"dần theo ngày ban hành, nên ngày ký phải từ {latest.issued_on:%d/%m/%Y} trở đi."
    )


def document_number_take(
    *,
    actor: AbstractBaseUser | None,
    issuer_code: str,
    doc_type: str,
    symbol: str,
    issued_on: date,
    summary: str,
    target: models.Model | None = None,
) -> IssuedDocument:
    """Take the next number of the issuer's yearly series and enter it in the outgoing register.

    The sequence row is locked, so two clerks numbering at once get consecutive numbers, and
    numbers follow dates: a document dated before one already numbered in the series is refused
    (checked under the lock, so a concurrent rival is seen once it commits).
    """
    with transaction.atomic():
        seq = sequence_advance(issuer_code=issuer_code, doc_type=doc_type, year=issued_on.year)
        latest = (
            IssuedDocument.objects.filter(sequence=seq, issued_on__gt=issued_on)
            .order_by("-issued_on", "-number")
            .first()
        )
        if latest is not None:
            raise ValidationError(_out_of_order_message(doc_type, latest, issued_on))
        entry = IssuedDocument.objects.create(
            sequence=seq,
            number=seq.last_number,
            symbol=symbol,
            issued_on=issued_on,
            summary=summary[:500],
            target_type=ContentType.objects.get_for_model(target) if target else None,
            target_id=str(target.pk) if target else "",
            created_by=cast(Any, actor),
        )
        action_log_record(
            actor=actor,
            action="core.document.numbered",
            target=entry,
            data={"reference": entry.reference, "issued_on": issued_on.isoformat()},
        )
    return entry
