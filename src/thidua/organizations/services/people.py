"""People and emulation blocks (khối thi đua)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from thidua.accounts.models import User
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record
from thidua.core.text import fold, person_sort_key, vi_sort_key
from thidua.organizations import rules
from thidua.organizations.models import (
    EmulationBlock,
    Person,
    Unit,
)

PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_year",
    "unit",
    "position",
    "category",
    "is_party_member",
)


def _set_person_derived(person: Person) -> None:
    person.search_text = fold(f"{person.full_name} {person.position}")[:400]
    person.name_sort = person_sort_key(person.full_name)


def person_create(*, actor: User, **data: Any) -> Person:
    person = Person(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    if not rules.can_manage_people_of(actor, person.unit):
        raise PermissionDenied
    with transaction.atomic():
        _set_person_derived(person)
        person.full_clean()
        person.save()
        action_log_record(
            actor=actor,
            action="organizations.person.created",
            target=person,
            data={"unit": person.unit.code},
        )
    return person


def person_update(
    *, actor: User, person: Person, bases: Mapping[str, str] | None = None, **data: Any
) -> Person:
    """Change the fields given. `bases`: the form's fingerprints (core.concurrency), so an old
    page writes only what it changed and never undoes someone else's newer edit (M7)."""
    data = {k: v for k, v in data.items() if k in PERSON_FIELDS}
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
        if not rules.can_manage_person(actor, person):
            raise PermissionDenied
        data = merge_model_edit(person, data, bases)
        if "unit" in data and not rules.can_manage_people_of(actor, data["unit"]):
            raise PermissionDenied
        changed = [k for k, v in data.items() if getattr(person, k) != v]
        if not changed:
            return person
        for name in changed:
            setattr(person, name, data[name])
        _set_person_derived(person)
        person.full_clean()
        person.save(update_fields=[*changed, "search_text", "name_sort"])
        # Field names only: values are personal data and stay out of the log.
        action_log_record(
            actor=actor,
            action="organizations.person.updated",
            target=person,
            data={"fields": changed},
        )
    return person


def block_save(
    *,
    actor: User,
    block: EmulationBlock | None,
    year: int,
    name: str,
    kind: str,
    head_unit: Unit | None,
    deputy_unit: Unit | None,
    members: Iterable[Unit],
) -> EmulationBlock:
    """A block and its members; its units, before and after, must all be the actor's to keep
    (`rules.can_manage_unit`): a ward's Nội vụ makes blocks of the ward's units, never changes
    the city's block of wards, its head (who records the pledge) included (docs/security.md R24)."""
    if not rules.can_manage_units(actor):
        raise PermissionDenied
    members = list(members)
    if head_unit and head_unit not in members:
        members.append(head_unit)
    if deputy_unit and deputy_unit not in members:
        members.append(deputy_unit)
    with transaction.atomic():
        before = list(block.members.all()) if block is not None else []
        if not all(rules.can_manage_unit(actor, u) for u in [*before, *members]):
            raise PermissionDenied
        created = block is None
        block = block or EmulationBlock()
        block.year, block.name, block.kind = year, name, kind
        block.head_unit, block.deputy_unit = head_unit, deputy_unit
        block.name_sort = vi_sort_key(name)
        block.full_clean()
        block.save()
        block.members.set(members)
        action_log_record(
            actor=actor,
            action="organizations.block." + ("created" if created else "updated"),
            target=block,
            data={"name": name, "year": year, "members": [u.code for u in members]},
        )
    return block
