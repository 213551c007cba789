"""Importing units and people: every row checked first, then all rows written or none; each
import recorded as an ImportBatch; the file importers for the background job."""

from collections import Counter
from collections.abc import Callable, Sequence
from typing import IO, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.core.excel import (
    Column,
    RowError,
    SheetFile,
    in_file_order,
    read_rows,
    refused_row,
)
from thidua.core.imports import Outcome
from thidua.core.services import action_log_record
from thidua.core.text import spelling_key, unify_tone_placement
from thidua.organizations import rules
from thidua.organizations.models import ImportBatch, Person, Unit
from thidua.organizations.selectors import UnitFinder
from thidua.organizations.services.people import person_create, person_update
from thidua.organizations.services.sheets.columns import (
    CATEGORY_BY_LABEL,
    GENDER_BY_LABEL,
    KIND_BY_LABEL,
    PERSON_IMPORT_COLUMNS,
    UNIT_COLUMNS,
)
from thidua.organizations.services.units import unit_create, unit_update

OUT_OF_SCOPE = "Dòng này thay đổi một đơn vị hoặc cá nhân ngoài phạm vi quản lý của bạn."


class _ImportRejected(Exception):
    """Rolls back a half-written import."""


Done = Literal["added", "updated", "unchanged"]  # what one row of an import did


def _write_all_or_nothing(
    actor: User,
    *,
    kind: str,
    filename: str,
    rows: list[tuple[int, dict[str, Any]]],
    errors: list[RowError],
    create: Callable[[dict[str, Any]], Done],
    columns: Sequence[Column],
) -> ImportBatch:
    """Write every row in one transaction, or none: a row the service refuses rolls all back,
    its error on the column of the field refused. Each row says what it did (added, updated,
    unchanged); the batch keeps the counts of an import that was written."""
    done: Counter[Done] = Counter()
    if not errors:
        try:
            with transaction.atomic():
                for number, values in rows:
                    try:
                        done[create(values)] += 1
                    except ValidationError as exc:
                        errors.extend(refused_row(number, exc, columns))
                    except PermissionDenied:  # the service's object-level rule (R24)
                        errors.append(RowError(number, "", OUT_OF_SCOPE))
                if errors:
                    raise _ImportRejected
        except _ImportRejected:
            done.clear()
    with transaction.atomic():
        return _record_batch(
            actor, kind=kind, filename=filename, rows=len(rows), errors=errors, done=done
        )


def _record_batch(
    actor: User,
    *,
    kind: str,
    filename: str,
    rows: int,
    errors: list[RowError],
    done: Counter[Done],
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        rows=rows,
        added=done["added"],
        updated=done["updated"],
        unchanged=done["unchanged"],
        created_by=actor,
        status=ImportBatch.Status.REJECTED if errors else ImportBatch.Status.IMPORTED,
        errors=[e.as_dict() for e in in_file_order(errors)],
    )
    action_log_record(
        actor=actor,
        action=f"organizations.import.{batch.status}",
        target=batch,
        data={"kind": kind, "rows": rows, "errors": len(errors), **dict(sorted(done.items()))},
    )
    return batch


def _same(old: Any, new: Any) -> bool:
    """Compare a stored value with a cell: an empty cell equals an empty text, a text with its
    tones placed the other way ("Phường Thuỷ" for "Phường Thủy") equals the stored one."""

    def value(v: Any) -> Any:
        if v in (None, ""):
            return None
        return unify_tone_placement(v) if isinstance(v, str) else v

    return bool(value(old) == value(new))


def _same_name(stored: str, typed: str) -> bool:
    """A unit's name as the file gives it: in other capitals ("ỦY BAN NHÂN DÂN PHƯỜNG VŨ
    NINH"), spacing or tone placement ("Uỷ ban …" for "Ủy ban …", "hoà" for "hòa") it is the
    same name, not a rename."""
    return spelling_key(stored) == spelling_key(typed)


def units_import(*, actor: User, upload: IO[bytes] | SheetFile, filename: str) -> ImportBatch:
    """All or nothing: every row is checked first; one bad row imports nothing.

    A row whose code exists updates that unit where a filled cell differs (an exported file
    imports back with no change; an empty cell keeps what is stored); renaming is a unit event,
    so a different name is refused. A row the user may not write (R24) is refused, not raised."""
    if not rules.can_manage_units(actor):
        raise PermissionDenied
    rows, errors = read_rows(upload, UNIT_COLUMNS)
    existing = {u.code: u for u in Unit.objects.select_related("parent")}
    # A code typed in other capitals ("p-vuninh") is the unit's own code, not a new unit's.
    stored = {code.casefold(): code for code in existing}
    in_file: dict[str, int] = {}
    for number, values in rows:
        for key in ("code", "parent"):
            if values[key]:
                values[key] = stored.get(values[key].casefold(), values[key])
        code = values["code"]
        if code and code.casefold() in in_file:
            errors.append(
                RowError(
                    number,
                    "Mã đơn vị",
                    f"Mã “{code}” lặp lại (dòng {in_file[code.casefold()]}).",
                )
            )
        current = existing.get(code or "")
        if current is not None and values["name"] and not _same_name(current.name, values["name"]):
            errors.append(
                RowError(
                    number,
                    "Tên đầy đủ",
                    f"Đơn vị “{code}” đang có tên “{current.name}”: đổi tên là một sự kiện "
                    "tổ chức, không sửa qua nhập Excel.",
                )
            )
        parent = values["parent"]
        if parent and parent not in existing and parent.casefold() not in in_file:
            errors.append(
                RowError(
                    number,
                    "Mã đơn vị cấp trên",
                    f"Không tìm thấy đơn vị mã “{parent}” (phải có sẵn hoặc ở dòng phía trên).",
                )
            )
        if code:
            in_file.setdefault(code.casefold(), number)
            stored.setdefault(code.casefold(), code)  # a parent below may write it otherwise

    def save_unit(values: dict[str, Any]) -> Done:
        parent_code = values.pop("parent")
        values["kind"] = KIND_BY_LABEL[values["kind"]]
        values["parent"] = existing.get(parent_code) if parent_code else None
        current = existing.get(values["code"])
        if current is None:
            fields = {k: v for k, v in values.items() if v is not None}
            existing[values["code"]] = unit_create(actor=actor, **fields)
            return "added"
        # An empty cell (or a column the file does not have) keeps what is stored: an office's
        # own list with four columns must not clear short names or move its wards to the top.
        changed: dict[str, Any] = {
            k: v
            for k, v in values.items()
            if k not in {"code", "name"}
            and v not in (None, "")
            and not _same(getattr(current, k), v)
        }
        if not changed:
            return "unchanged"
        existing[values["code"]] = unit_update(actor=actor, unit=current, **changed)
        return "updated"

    return _write_all_or_nothing(
        actor,
        kind="units",
        filename=filename,
        rows=rows,
        errors=errors,
        create=save_unit,
        columns=UNIT_COLUMNS,
    )


_BORN_UNDER = {"born_male": "Nam", "born_female": "Nữ"}


def _gender_by_column(rows: list[tuple[int, dict[str, Any]]], errors: list[RowError]) -> None:
    """Each row's gender: its gender cell, or the column its date of birth is written in ("Nam"
    or "Nữ" under "Ngày, tháng, năm sinh"), which then gives the year of birth too."""
    unread = {e.row for e in errors if e.column in {"Giới tính", "Năm sinh (Nam)", "Năm sinh (Nữ)"}}
    given = False
    for number, values in rows:
        under = {k: v for k in _BORN_UNDER if (v := values.pop(k)) is not None}
        given = given or bool(under) or values["gender"] is not None or number in unread
        if values["gender"] is not None or number in unread:
            continue
        if len(under) == 1:
            key, year = under.popitem()
            values["gender"] = _BORN_UNDER[key]
            values["birth_year"] = values["birth_year"] or year
        elif under:
            errors.append(
                RowError(number, "Giới tính", "Năm sinh ghi ở cả hai cột Nam và Nữ: chọn một.")
            )
        else:
            errors.append(RowError(number, "Giới tính", "Không được để trống."))
    if rows and not given:  # no gender column at all: one error, not one a row
        errors[:] = [e for e in errors if e.column != "Giới tính"]
        errors.append(
            RowError(
                0,
                "Giới tính",
                "Thiếu cột bắt buộc “Giới tính” (hoặc năm sinh ghi dưới hai cột “Nam”, “Nữ”).",
                whole_file=True,
            )
        )


def _person_key(values: dict[str, Any], unit: Unit) -> tuple[Any, ...]:
    """What tells one person of an import from another: two lines alike in all of it are the
    same person written twice (the name as its spellings compare)."""
    return (
        spelling_key(values["full_name"] or ""),
        values["gender"],
        values["birth_year"],
        spelling_key(values["position"] or ""),
        values["category"],
        unit.pk,
    )


def _namesake_key(values: dict[str, Any], unit: Unit) -> tuple[int, str, str, int | None]:
    """Who a line without a code is among the people its unit holds: the name as its spellings
    compare ("NGUYỄN THỊ THUỶ", "Nguyễn  Thị Thủy"), gender and year of birth. The position and
    category are not part of it: they are what a list of next month changes."""
    return (
        unit.pk,
        spelling_key(values["full_name"] or ""),
        GENDER_BY_LABEL.get(values["gender"] or "", ""),
        values["birth_year"],
    )


def _namesakes(units: set[int]) -> dict[tuple[int, str, str, int | None], list[int]]:
    """The stored people of these units (the actor's own, checked by the caller) by
    `_namesake_key`, each key with every person it fits."""
    found: dict[tuple[int, str, str, int | None], list[int]] = {}
    stored = Person.objects.filter(unit__in=units).order_by("pk")
    for pk, unit, name, gender, year in stored.values_list(
        "pk", "unit_id", "full_name", "gender", "birth_year"
    ):
        found.setdefault((unit, spelling_key(name), gender, year), []).append(pk)
    return found


def _found_by_name(
    number: int,
    values: dict[str, Any],
    unit: Unit,
    namesakes: dict[tuple[int, str, str, int | None], list[int]],
    errors: list[RowError],
) -> int | None:
    """The stored person a line without their code is: the one person of its unit it fits
    (`_namesake_key`); none, or several (an error on the line naming their codes)."""
    fits = namesakes.get(_namesake_key(values, unit), [])
    if len(fits) > 1:
        errors.append(
            RowError(
                number,
                "Mã cá nhân",
                f"“{unit.name}” có {len(fits)} người cùng họ tên, giới tính, năm sinh "
                f"(mã cá nhân {', '.join(map(str, fits))}): thêm cột “Mã cá nhân” và "
                "ghi mã của người ở dòng này.",
            )
        )
    return fits[0] if len(fits) == 1 else None


def _person_changes(person: Person, values: dict[str, Any], *, own_list: bool) -> dict[str, Any]:
    """The fields a line changes. A line with the person's code (an exported file, every
    column in it) says what the person is now; an empty cell clears. A line found by its name
    (`own_list`: the office's own list, perhaps without some columns) changes only what its
    filled cells say otherwise: an empty cell keeps what is stored, and other capitals, spacing
    or tone placement ("Thuỷ", "Thủy"; "CHUYÊN VIÊN") are no change."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        stored = getattr(person, key)
        if own_list and (
            key == "full_name"
            or value in (None, "")
            or (isinstance(value, str) and _same_name(stored, value))
        ):
            continue
        if not _same(stored, value):
            changes[key] = value
    return changes


def _person_save(
    actor: User, person: Person | None, values: dict[str, Any], *, own_list: bool
) -> Done:
    """One line written: a new person, or what the line changes of a stored one."""
    if person is None:
        person_create(actor=actor, **values)
        return "added"
    changes = _person_changes(person, values, own_list=own_list)
    if not changes:
        return "unchanged"
    person_update(actor=actor, person=person, **changes)
    return "updated"


def people_import(*, actor: User, upload: IO[bytes] | SheetFile, filename: str) -> ImportBatch:
    """All or nothing. Every line is a person of the actor's units; a line that is a person
    the installation holds updates that person, every other line adds one, so a list imported
    again next month (one person added, one promoted) adds and updates just those two.

    A line is a stored person when it has the person's "Mã cá nhân" (as exported: the line says
    what the person is now, so an exported file imports back with no change), or else when
    one person of the line's unit has its name, gender and year of birth (`_namesake_key`): an
    office's own list, without codes, imported again, changes what its filled cells change.
    Only the line's unit is searched, and only when the actor manages its people
    (rules.can_manage_people_of): another unit's namesake is never found, let alone changed.

    When two or more stored people of the unit fit a line, the line is refused naming their
    codes rather than guessed at: updating the wrong one would silently change someone
    else's record, and adding one more would be the duplicate this matching prevents; with a
    "Mã cá nhân" column the user says who the line is. Two lines that are one person (the same
    code, or found as the same person) are refused too: the second would undo the first."""
    rows, errors = read_rows(upload, PERSON_IMPORT_COLUMNS)
    _gender_by_column(rows, errors)
    find_unit = UnitFinder(Unit.objects.filter(valid_to__isnull=True))
    units = {number: find_unit(values["unit"] or "") for number, values in rows}
    managed = {
        unit.pk
        for unit in {u.pk: u for u in units.values() if u is not None}.values()
        if rules.can_manage_people_of(actor, unit)
    }
    ids = [values["id"] for _, values in rows if values["id"]]
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("unit")}
    namesakes = _namesakes(managed)
    found_by_name: set[int] = set()  # people a line without their code was found to be
    first_line: dict[tuple[Any, ...], int] = {}
    line_of: dict[int, int] = {}  # a stored person -> the first line that writes them
    unread = {e.row for e in errors}  # a line read with errors is compared with none
    for number, values in rows:
        unit = units[number]
        errors_before = len(errors)
        if not values["id"] and unit is not None and number not in unread:
            # A line repeated (pasted twice) would add the same person twice
            seen = first_line.setdefault(_person_key(values, unit), number)
            if seen != number:
                errors.append(
                    RowError(
                        number,
                        "Họ và tên",
                        f"Trùng dòng {seen} (cùng họ tên, giới tính, năm sinh, chức vụ, đơn vị): "
                        "xóa một dòng.",
                    )
                )
        if values["unit"] and unit is None:
            errors.append(
                RowError(
                    number,
                    "Mã đơn vị",
                    f"Không tìm thấy đơn vị đang hoạt động có mã hoặc tên “{values['unit']}”.",
                )
            )
        elif unit is not None and unit.pk not in managed:
            errors.append(
                RowError(number, "Mã đơn vị", f"Bạn không có quyền nhập cá nhân cho “{unit.name}”.")
            )
        person = people.get(values["id"] or 0)
        if person is not None and not rules.can_manage_person(actor, person):
            errors.append(
                RowError(
                    number,
                    "Mã cá nhân",
                    f"Cá nhân mã {values['id']} không thuộc phạm vi của bạn.",
                )
            )
        if len(errors) > errors_before or number in unread or unit is None:
            continue
        if person is None:  # no code, or one this installation does not have
            values["id"] = _found_by_name(number, values, unit, namesakes, errors)
            if values["id"] is None:
                continue
            found_by_name.add(values["id"])
        seen = line_of.setdefault(values["id"], number)
        if seen != number:
            errors.append(
                RowError(
                    number,
                    "Mã cá nhân" if person is not None else "Họ và tên",
                    f"Cùng một người với dòng {seen} (mã cá nhân {values['id']}): mỗi người "
                    "chỉ ghi một dòng.",
                )
            )
    people.update(
        (p.pk, p) for p in Person.objects.filter(pk__in=found_by_name).select_related("unit")
    )

    def save_person(values: dict[str, Any]) -> Done:
        person_id = values.pop("id") or 0
        person = people.get(person_id)
        values["unit"] = find_unit(values["unit"])
        values["gender"] = GENDER_BY_LABEL[values["gender"]]
        values["category"] = CATEGORY_BY_LABEL[values["category"]]
        if values["is_party_member"] is None and person is not None:
            del values["is_party_member"]  # blank or no column: membership stays as it is
        else:
            values["is_party_member"] = values["is_party_member"] == "Có"
        values["position"] = values["position"] or ""
        return _person_save(actor, person, values, own_list=person_id in found_by_name)

    return _write_all_or_nothing(
        actor,
        kind="people",
        filename=filename,
        rows=rows,
        errors=errors,
        create=save_person,
        columns=PERSON_IMPORT_COLUMNS,
    )


def _outcome(batch: ImportBatch) -> Outcome:
    errors = [RowError(**e) for e in batch.errors]
    return Outcome(0 if errors else batch.rows, errors, batch.changes)


def units_import_file(actor: User, upload: SheetFile, params: dict[str, str]) -> Outcome:
    """units_import for a background job (core.imports)."""
    return _outcome(units_import(actor=actor, upload=upload, filename=upload.filename))


def people_import_file(actor: User, upload: SheetFile, params: dict[str, str]) -> Outcome:
    """people_import for a background job (core.imports)."""
    return _outcome(people_import(actor=actor, upload=upload, filename=upload.filename))
