"""Units: create, update, move in the tree, merge (with the history kept)."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Value

from thidua.accounts.models import User
from thidua.core import versions
from thidua.core.concurrency import merge_model_edit
from thidua.core.services import action_log_record
from thidua.core.text import fold, vi_sort_key
from thidua.organizations import rules
from thidua.organizations.models import (
    UNIT_FIELDS,
    UNIT_RENAME_FIELDS,
    Person,
    Unit,
    UnitEvent,
    unit_code_key,
)
from thidua.organizations.selectors import UNITS_VERSION


def _set_unit_derived(unit: Unit) -> None:
    unit.search_text = fold(f"{unit.name} {unit.short_name} {unit.code}")[:400]
    unit.name_sort = vi_sort_key(unit.short_name or unit.name)
    if unit.parent is not None:
        unit.path = f"{unit.parent.path}{unit.parent.pk}/"
        unit.depth = unit.parent.depth + 1
    else:
        unit.path, unit.depth = "/", 0


def _check_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None:
        return
    if unit.pk and (parent.pk == unit.pk or f"/{unit.pk}/" in parent.path):
        raise ValidationError(
            {"parent": "Đơn vị cấp trên không được là chính đơn vị hoặc đơn vị cấp dưới của nó."}
        )
    if parent.valid_to is not None:
        raise ValidationError({"parent": "Đơn vị cấp trên đã hết hiệu lực."})


def _check_code_free(code: str) -> None:
    """Refuse a new code that is an existing unit's code in other capitals or spacing
    ("p-vuninh", "P-VU NINH" for "P-VUNINH"): imports read codes without case, and a list
    showing "P-X" and "p-x" as two units would be wrong. Compared in the database, so an
    import of many rows does not read every unit for each: against the code as typed, folded
    here (every kind of space, any letter), and as the unit_code_key_unique index folds it."""
    key = "".join(code.split()).lower()
    other = (
        Unit.objects.annotate(code_key=unit_code_key())
        .filter(Q(code_key=key) | Q(code_key=unit_code_key(Value(code))))
        .order_by("pk")
        .values_list("code", "name")
        .first()
    )
    if other is None:
        return
    other_code, other_name = other
    how = "" if other_code == code else " (chỉ khác chữ hoa, chữ thường hoặc dấu cách)"
    raise ValidationError(
        {
            "code": f"Mã đơn vị “{code}” trùng với mã “{other_code}” của đơn vị "
            f"“{other_name}”{how}. Hãy chọn mã khác."
        }
    )


def _insert_unit(unit: Unit) -> None:
    """Save a new unit whose code _check_code_free let through. A unit given the same code at
    the same moment (another request, an import) may have been saved since: the database's
    unique indexes refuse this one, and the refusal reads as the check's, on the code field."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            unit.save()
    except IntegrityError:
        _check_code_free(unit.code)
        raise


def _unit_changes(unit: Unit, data: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in data.items():
        old = getattr(unit, name)
        if old != value:
            changes[name] = [
                str(old) if old is not None else None,
                str(value) if value is not None else None,
            ]
    return changes


def unit_create(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    symbol: str = "",
    valid_from: date | None = None,
    email: str = "",
    headcount: int | None = None,
) -> Unit:
    """A new unit; its fields are UNIT_FIELDS (organizations.models), as on the form."""
    if not rules.can_manage_unit(actor, parent):
        raise PermissionDenied
    with transaction.atomic():
        unit = Unit(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            short_name=short_name,
            symbol=symbol,
            valid_from=valid_from,
            email=email,
            headcount=headcount,
        )
        _check_code_free(code)
        _check_parent(unit, unit.parent)
        _set_unit_derived(unit)
        unit.full_clean()
        _insert_unit(unit)
        action_log_record(
            actor=actor,
            action="organizations.unit.created",
            target=unit,
            data={"code": unit.code, "name": unit.name},
        )
    return unit


def unit_update(
    *, actor: User, unit: Unit, bases: Mapping[str, str] | None = None, **data: Any
) -> Unit:
    """Edit details. Renaming a unit is a UnitEvent (unit_rename), never an edit here.
    `bases`: the form's fingerprints, so an old page never undoes a newer edit (M7)."""
    if not rules.can_manage_unit(actor, unit):
        raise PermissionDenied
    data = {k: v for k, v in data.items() if k in UNIT_FIELDS and k not in UNIT_RENAME_FIELDS}
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if not rules.can_manage_unit(actor, unit) or (
            "parent" in data
            and data["parent"] != unit.parent
            and not rules.can_manage_unit(actor, data["parent"])
        ):
            raise PermissionDenied
        data = merge_model_edit(unit, data, bases)
        changes = _unit_changes(unit, data)
        if not changes:
            return unit
        _check_parent(unit, data.get("parent", unit.parent))
        for name, value in data.items():
            setattr(unit, name, value)
        _set_unit_derived(unit)
        unit.full_clean()
        unit.save(update_fields=[*data.keys(), "search_text", "name_sort", "path", "depth"])
        if "parent" in changes:
            _repath_descendants(unit)
        versions.bump(UNITS_VERSION)
        action_log_record(
            actor=actor, action="organizations.unit.updated", target=unit, data=changes
        )
    return unit


def _repath_descendants(unit: Unit) -> None:
    for child in Unit.objects.filter(parent=unit).select_related("parent"):
        _set_unit_derived(child)
        child.save(update_fields=["path", "depth"])
        _repath_descendants(child)


# What other apps keep per unit and pass to the successor when units merge (awards: the holds
# a merged-away body placed). Organizations sits below them (architecture §3), so they register
# here in AppConfig.ready(); each runs in the merge's transaction and logs its own changes.
MergeHandler = Callable[[User, Sequence[Unit], Unit, date], None]
_MERGE_HANDLERS: list[MergeHandler] = []


def on_unit_merge(handler: MergeHandler) -> None:
    """Register `handler(actor, predecessors, successor, effective)`, run by unit_merge."""
    if handler not in _MERGE_HANDLERS:
        _MERGE_HANDLERS.append(handler)


def unit_merge(
    *,
    actor: User,
    predecessors: Sequence[Unit],
    code: str,
    name: str,
    effective: date,
    legal_basis: str = "",
    short_name: str = "",
    symbol: str = "",
) -> Unit:
    """Merge units into a new one from `effective`: old rows close the day before and keep
    their names, so data dated before the merge still shows the old names. Current sub-units,
    people and what other apps registered (on_unit_merge) pass to the new unit."""
    if not all(rules.can_manage_unit(actor, u) for u in predecessors):
        raise PermissionDenied
    if len(predecessors) < 2:  # noqa: PLR2004
        raise ValidationError("Cần chọn ít nhất hai đơn vị để sáp nhập.")
    with transaction.atomic():
        olds = list(Unit.objects.select_for_update().filter(pk__in=[u.pk for u in predecessors]))
        parents = {u.parent_id for u in olds}
        kinds = {u.kind for u in olds}
        if any(u.valid_to is not None for u in olds):
            raise ValidationError("Có đơn vị đã hết hiệu lực, không thể sáp nhập.")
        if len(parents) != 1 or len(kinds) != 1:
            raise ValidationError("Chỉ sáp nhập các đơn vị cùng cấp trên và cùng loại.")
        if any(u.valid_from and u.valid_from >= effective for u in olds):
            raise ValidationError("Ngày sáp nhập phải sau ngày bắt đầu hiệu lực của các đơn vị.")
        _check_code_free(code)
        parent = olds[0].parent
        new = Unit(
            code=code,
            name=name,
            short_name=short_name,
            symbol=symbol,
            kind=olds[0].kind,
            parent=parent,
            valid_from=effective,
            headcount=sum(u.headcount or 0 for u in olds) or None,
        )
        _set_unit_derived(new)
        new.full_clean()
        _insert_unit(new)
        day_before = date.fromordinal(effective.toordinal() - 1)
        for old in olds:
            old.valid_to = day_before
            old.save(update_fields=["valid_to"])
        # Current sub-units and people move to the successor; history keeps the old parents.
        for child in Unit.objects.filter(parent__in=olds, valid_to__isnull=True).select_related(
            "parent"
        ):
            child.parent = new
            _set_unit_derived(child)
            child.save(update_fields=["parent", "path", "depth"])
            _repath_descendants(child)
        Person.objects.filter(unit__in=olds).update(unit=new)
        for handler in _MERGE_HANDLERS:
            handler(actor, olds, new, effective)
        versions.bump(UNITS_VERSION)
        event = UnitEvent.objects.create(
            kind=UnitEvent.Kind.MERGE, date=effective, legal_basis=legal_basis
        )
        event.predecessors.set(olds)
        event.successors.set([new])
        action_log_record(
            actor=actor,
            action="organizations.unit.merged",
            target=new,
            data={
                "from": [u.code for u in olds],
                "to": new.code,
                "date": effective.isoformat(),
                "legal_basis": legal_basis,
            },
        )
    return new
