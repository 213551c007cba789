"""Concurrent edits of settings whose form fields are not the model's (issue 18, M7).

A round's or a contest's settings form shows minutes, prize counts and mix lines; the service
takes seconds, a prize structure and a mix. So the form carries fingerprints of the settings as
the service sees them (settings_bases), and the service compares like with like under the row
lock (merge_settings): local time to the minute, prizes without empty tiers, text stripped."""

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone

from thidua.contests.services.ranking import clean_prizes
from thidua.core.concurrency import bases_of, merge_edit

PRIZE_FIELDS = frozenset({"prizes", "collective_prizes"})


def comparable(name: str, value: Any) -> Any:
    """A setting as its form gives it back, so an untouched field compares equal."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(second=0, microsecond=0)
    if name in PRIZE_FIELDS:
        return clean_prizes(value)
    return value.strip() if isinstance(value, str) else value


def settings_bases(obj: Model, names: Iterable[str]) -> str:
    """The form's hidden fingerprints of the settings it shows (core.concurrency)."""
    return bases_of({name: comparable(name, getattr(obj, name)) for name in names})


def merge_settings(
    obj: Model, fields: dict[str, Any], bases: Mapping[str, str] | None, labels: Mapping[str, str]
) -> dict[str, Any]:
    """The settings this page changed and nobody else changed meanwhile (the row is locked)."""
    if bases is None:
        return fields
    write, _kept = merge_edit(
        current={name: comparable(name, getattr(obj, name)) for name in fields},
        incoming={name: comparable(name, value) for name, value in fields.items()},
        bases=bases,
        labels=labels,
    )
    return {name: fields[name] for name in write}
