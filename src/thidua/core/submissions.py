"""One document per form submission (issue 18, L3): a double click, a retry after a timeout or
eight simultaneous clicks on "Lập công văn đôn đốc" made eight numbered letters.

A form that numbers a document or sends something carries a key made when the page was drawn
(`{% form_key %}` in the template). Its service claims the key first thing in its transaction:

    with transaction.atomic():
        claim = submission_claim(actor=actor, key=form_key, action="reporting.urging_letter")
        if claim.earlier is not None:
            return claim.earlier          # a repeat: the letter the first submission made
        letter = ...                      # number, create, notify
        submission_done(claim, letter)

The key is unique per user in the database. On PostgreSQL a concurrent repeat waits on that
unique index until the first transaction ends: if it committed, the repeat finds its result; if
it rolled back (a refused submission), the repeat runs as the first. A form without a key (an
old page, the API) is handled as before.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from thidua.core.models import FormSubmission

FIELD = "form_key"


def new_form_key() -> str:
    return str(uuid.uuid4())


def form_key_of(data: Any) -> uuid.UUID | None:
    """The submission key of a POST (None when absent or malformed)."""
    raw = data.get(FIELD) if data is not None else None
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


@dataclass
class Claim:
    row: FormSubmission | None
    earlier: Any = None  # what the first submission with this key made, for a repeat


def submission_claim(*, actor: Any, key: uuid.UUID | None, action: str) -> Claim:
    """Claim `key` inside the caller's transaction (see the module doc)."""
    if key is None or actor is None:
        return Claim(None)
    row, created = FormSubmission.objects.get_or_create(
        actor=actor, key=key, defaults={"action": action}
    )
    if created:
        return Claim(row)
    if row.action != action or row.result_type_id is None:
        raise ValidationError("Biểu mẫu này đã được gửi. Vui lòng tải lại trang rồi thử lại.")
    model = row.result_type.model_class() if row.result_type else None
    earlier = model._default_manager.filter(pk=row.result_id).first() if model else None
    if earlier is None:
        raise ValidationError("Biểu mẫu này đã được gửi. Vui lòng tải lại trang rồi thử lại.")
    return Claim(row, earlier)


def submission_done(claim: Claim, result: models.Model) -> None:
    """Record what this submission made, in the same transaction as making it."""
    if claim.row is None:
        return
    claim.row.result_type = ContentType.objects.get_for_model(result)
    claim.row.result_id = str(result.pk)
    claim.row.save(update_fields=["result_type", "result_id"])
