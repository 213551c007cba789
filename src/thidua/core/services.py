from datetime import date
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
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

    The sequence row is locked, so two clerks numbering at once get consecutive numbers.
    """
    with transaction.atomic():
        seq = sequence_advance(issuer_code=issuer_code, doc_type=doc_type, year=issued_on.year)
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
