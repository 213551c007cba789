"""Concurrent edits without lost updates (issue 18, M7): a three-way merge per field.

A form carries, in a hidden `_bases` field, a fingerprint of every value as it was shown. When it
is saved, the service (holding the row lock) compares, field by field, what was sent, what the
form was shown, and what is stored now:

- sent == shown: this person did not touch the field → the stored value stays (someone else's
  newer text is never overwritten by an old copy);
- sent != shown and stored == shown: only this person changed it → written;
- sent != shown and stored != shown and stored != sent: both changed it, differently → nothing
  is written and a Vietnamese message names the fields (the person's input stays on screen).

So two officers autosaving different sections of one report both keep their text, and an old
tab saving an edit form cannot wipe a field someone else saved meanwhile. Without `_bases` (API
clients, older pages) the values are written as sent, as before.

    # forms.py                       # services.py, inside the transaction, after the lock
    class PersonForm(ConcurrentEditForm, forms.ModelForm): ...
                                     data = merge_model_edit(person, data, bases)
    # views.py
    services.person_update(actor=user, person=person, bases=form.bases, **form.cleaned_data)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, QuerySet

BASES_FIELD = "_bases"


def _plain(value: Any) -> Any:  # noqa: PLR0911 - one case per kind of value
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal | float):  # 5, 5.0 and Decimal("5.00") are one value
        number = float(value)
        return int(number) if number.is_integer() else number
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n")  # browsers send CRLF for what they were shown as LF
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def fingerprint(value: Any) -> str:
    """A short digest of a value, equal for the stored and the submitted form of the same
    value (a unit and its id, 5 and Decimal("5.00"), "" and None are told apart)."""
    text = json.dumps(_plain(value), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def bases_of(values: Mapping[str, Any]) -> str:
    """The hidden field's value: fingerprints of the values a form is shown with."""
    return json.dumps({name: fingerprint(v) for name, v in values.items()}, sort_keys=True)


def parse_bases(raw: str | None) -> dict[str, str] | None:
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return {str(k): str(v) for k, v in data.items()}


def merge_edit(
    *,
    current: Mapping[str, Any],
    incoming: Mapping[str, Any],
    bases: Mapping[str, str] | None,
    labels: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The fields of `incoming` to write, and the fields someone else changed meanwhile that
    are kept as stored. Raises ValidationError when both changed a field differently."""
    if bases is None:
        return dict(incoming), []
    write: dict[str, Any] = {}
    kept: list[str] = []
    conflicts: list[str] = []
    for name, value in incoming.items():
        base = bases.get(name)
        if base is None:  # a field the form was not shown with: written as sent
            write[name] = value
            continue
        sent, stored = fingerprint(value), fingerprint(current.get(name))
        if sent == base:
            if stored != base:
                kept.append(name)
            continue
        if stored in {base, sent}:
            write[name] = value
        else:
            conflicts.append(name)
    if conflicts:
        names = ", ".join(f"“{(labels or {}).get(n, n)}”" for n in conflicts)
        raise ValidationError(
            f"Trong lúc anh/chị sửa, người khác đã lưu nội dung khác ở {names}. Phần anh/chị "
            "vừa gõ chưa được lưu: hãy sao chép lại, tải lại trang để xem bản mới rồi sửa tiếp.",
            code="edit_conflict",
        )
    return write, kept


def field_labels(model: type[Model], names: Iterable[str]) -> dict[str, str]:
    labels = {}
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        labels[name] = str(getattr(field, "verbose_name", name))
    return labels


def merge_model_edit(
    instance: Model, data: Mapping[str, Any], bases: Mapping[str, str] | None
) -> dict[str, Any]:
    """merge_edit against a locked model row: the subset of `data` to set on it."""
    current = {name: getattr(instance, name, None) for name in data}
    write, _kept = merge_edit(
        current=current, incoming=data, bases=bases, labels=field_labels(type(instance), data)
    )
    return write


class ConcurrentEditForm(forms.Form):
    """Mixin for edit forms (put it first): a hidden `_bases` field with fingerprints of the
    values the form shows; `form.bases` after validation, for the service's merge_edit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[BASES_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:  # a ModelForm's initial holds the instance's values (FK as id)
            shown = {name: self.initial.get(name) for name in self.fields if name != BASES_FIELD}
            self.initial[BASES_FIELD] = bases_of(shown)
        self.bases: dict[str, str] | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.bases = parse_bases(cleaned.pop(BASES_FIELD, None))
        return cleaned
