from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.lockout import account_unlock
from thidua.accounts.models import TOTPEnrolment, User
from thidua.accounts.services import totp_enrolment_create, totp_enrolment_mail
from thidua.core.concurrency import merge_model_edit
from thidua.core.excel import (
    Column,
    RowError,
    SheetFile,
    parse_date_cell,
    parse_int_cell,
    parse_yes_no,
    read_rows,
)
from thidua.core.exports import Export
from thidua.core.services import action_log_record
from thidua.core.text import fold, vi_sort_key
from thidua.organizations import rules, selectors
from thidua.organizations.models import (
    UNIT_FIELDS,
    UNIT_RENAME_FIELDS,
    EmulationBlock,
    ImportBatch,
    Person,
    PersonCategory,
    Unit,
    UnitEvent,
    UnitKind,
    UnitRole,
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
    if not rules.can_manage_units(actor):
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
        _check_parent(unit, unit.parent)
        _set_unit_derived(unit)
        unit.full_clean()
        unit.save()
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
    if not rules.can_manage_units(actor):
        raise PermissionDenied
    data = {k: v for k, v in data.items() if k in UNIT_FIELDS and k not in UNIT_RENAME_FIELDS}
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
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
        action_log_record(
            actor=actor, action="organizations.unit.updated", target=unit, data=changes
        )
    return unit


def _repath_descendants(unit: Unit) -> None:
    for child in Unit.objects.filter(parent=unit).select_related("parent"):
        _set_unit_derived(child)
        child.save(update_fields=["path", "depth"])
        _repath_descendants(child)


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
    their names, so data dated before the merge still shows the old names."""
    if not rules.can_manage_units(actor):
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
        new.save()
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


def unit_role_grant(*, actor: User | None, user: User, unit: Unit, role: str) -> UnitRole:
    """Grant a role; actor None is the installer (demo loader, first set-up)."""
    if actor is not None and not rules.can_manage_users(actor):
        raise PermissionDenied
    with transaction.atomic():
        grant, created = UnitRole.objects.get_or_create(user=user, unit=unit, role=role)
        if created:
            action_log_record(
                actor=actor,
                action="organizations.role.granted",
                target=grant,
                data={"user": user.username, "unit": unit.code, "role": role},
            )
    return grant


def unit_role_revoke(*, actor: User, grant: UnitRole) -> None:
    if not rules.can_manage_users(actor):
        raise PermissionDenied
    with transaction.atomic():
        action_log_record(
            actor=actor,
            action="organizations.role.revoked",
            target=grant.user,
            data={"unit": grant.unit.code, "role": grant.role},
        )
        grant.delete()


def user_create(
    *, actor: User, username: str, full_name: str, email: str, position: str, unit: Unit, role: str
) -> User:
    """A new account with its first role; the person sets a password through the reset mail."""
    if not rules.can_manage_users(actor):
        raise PermissionDenied
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": "Tên đăng nhập này đã có."})
        user = User(username=username, full_name=full_name, email=email, position=position)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        action_log_record(
            actor=actor, action="accounts.user.created", target=user, data={"username": username}
        )
        unit_role_grant(actor=actor, user=user, unit=unit, role=role)
    return user


def user_set_active(*, actor: User, user: User, active: bool) -> User:
    if not rules.can_manage_users(actor) or user.pk == actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            action_log_record(
                actor=actor,
                action="accounts.user." + ("activated" if active else "deactivated"),
                target=user,
            )
    return user


def user_totp_enrolment_issue(
    *, actor: User, user: User, by_mail: bool = False
) -> tuple[TOTPEnrolment, str]:
    """A one-time code with which `user` enrols an authenticator app (first one, or a new phone):
    shown once to the administrator, or sent to the account's mailbox. Never for oneself: a
    session that could do that would replace its own second factor (issue 18, M1)."""
    if not rules.can_manage_users(actor) or user.pk == actor.pk:
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError("Tài khoản đang bị khóa; hãy mở khóa trước khi cấp mã kích hoạt.")
    if by_mail and not user.email:
        raise ValidationError(
            "Tài khoản chưa có địa chỉ thư điện tử; hãy chọn “Cấp mã và hiển thị”."
        )
    enrolment, code = totp_enrolment_create(
        actor=actor, user=user, sent_to=user.email if by_mail else ""
    )
    if by_mail:
        totp_enrolment_mail(enrolment=enrolment, code=code)  # after the commit; revokes on failure
    return enrolment, code


def user_login_unlock(*, actor: User, user: User) -> None:
    """Lift the password lockouts of an account (issue 18, L12): a system administrator's call,
    after checking the failures; never one's own."""
    if not rules.can_manage_users(actor) or user.pk == actor.pk:
        raise PermissionDenied
    account_unlock(actor=actor, user=user)


def _set_person_derived(person: Person) -> None:
    person.search_text = fold(f"{person.full_name} {person.position}")[:400]
    # Vietnamese lists sort by given name (the last word), then the full name.
    given = person.full_name.split()[-1] if person.full_name.split() else ""
    person.name_sort = vi_sort_key(f"{given} {person.full_name}")


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
    if not rules.can_manage_units(actor):
        raise PermissionDenied
    members = list(members)
    if head_unit and head_unit not in members:
        members.append(head_unit)
    if deputy_unit and deputy_unit not in members:
        members.append(deputy_unit)
    with transaction.atomic():
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


# --- Excel import and export ---------------------------------------------------------------

KIND_BY_LABEL = {label: value for value, label in UnitKind.choices}
CATEGORY_BY_LABEL = {label: value for value, label in PersonCategory.choices}
GENDER_BY_LABEL = {label: value for value, label in Person.Gender.choices}
YES_NO = ("Có", "Không")


def _parse_birth_year(value: Any) -> int:
    year = parse_int_cell(value)
    if not 1900 <= year <= 2020:  # noqa: PLR2004
        raise ValidationError(f"Năm sinh {year} không hợp lệ.")
    return year


UNIT_COLUMNS = (
    Column(
        "Mã đơn vị",
        "code",
        required=True,
        width=14,
        synonyms=("ma_don_vi", "Mã ĐV", "Mã", "Mã số", "Mã số đơn vị", "Code", "Unit code"),
    ),
    Column(
        "Tên đầy đủ",
        "name",
        required=True,
        width=50,
        synonyms=(
            "ten_day_du",
            "Tên đơn vị",
            "Tên cơ quan, đơn vị",
            "Tên cơ quan",
            "Đơn vị",
            "Tên",
            "Name",
        ),
    ),
    Column(
        "Tên ngắn",
        "short_name",
        width=25,
        synonyms=("ten_ngan", "Tên gọi tắt", "Tên viết tắt", "Tên rút gọn", "Short name"),
    ),
    Column(
        "Ký hiệu văn bản",
        "symbol",
        width=12,
        synonyms=("ky_hieu", "Ký hiệu", "Ký hiệu VB", "Viết tắt trên văn bản", "Symbol"),
    ),
    Column(
        "Loại đơn vị",
        "kind",
        required=True,
        choices=tuple(KIND_BY_LABEL),
        width=24,
        synonyms=("loai_don_vi", "Loại", "Loại hình", "Cấp", "Kind", "Type"),
    ),
    Column(
        "Mã đơn vị cấp trên",
        "parent",
        width=14,
        synonyms=(
            "ma_cap_tren",
            "ma_don_vi_cap_tren",
            "Mã cấp trên",
            "Mã ĐV cấp trên",
            "Parent code",
        ),
    ),
    Column(
        "Hiệu lực từ",
        "valid_from",
        parse=parse_date_cell,
        width=14,
        synonyms=("hieu_luc_tu", "Ngày hiệu lực", "Từ ngày", "Ngày thành lập", "Valid from"),
    ),
    Column(
        "Thư điện tử",
        "email",
        width=28,
        synonyms=("thu_dien_tu", "Email", "E-mail", "Địa chỉ thư điện tử", "Hộp thư"),
    ),
    Column(
        "Số cán bộ",
        "headcount",
        parse=parse_int_cell,
        width=10,
        synonyms=(
            "so_can_bo",
            "Số CBCCVC",
            "Số cán bộ, công chức",
            "Số người",
            "Số cán bộ, người lao động",
            "Biên chế",
            "Số lượng",
            "Headcount",
        ),
    ),
)

PERSON_COLUMNS = (
    Column(
        "Họ và tên",
        "full_name",
        required=True,
        width=30,
        synonyms=(
            "ho_ten",
            "ho_va_ten",
            "Họ tên",
            "Tên",
            "Tên cá nhân",
            "Họ và tên cá nhân",
            "Full name",
            "Name",
        ),
    ),
    Column(
        "Giới tính",
        "gender",
        required=True,
        choices=tuple(GENDER_BY_LABEL),
        width=10,
        synonyms=("gioi_tinh", "Nam/Nữ", "Phái", "Gender", "Sex"),
    ),
    Column(
        "Năm sinh",
        "birth_year",
        parse=_parse_birth_year,
        width=10,
        synonyms=("nam_sinh", "Sinh năm", "Năm sinh (yyyy)", "Birth year"),
    ),
    Column(
        "Mã đơn vị",
        "unit",
        required=True,
        width=14,
        # a unit's code, or its name when the file has names (see _unit_finder)
        synonyms=(
            "ma_don_vi",
            "Mã ĐV",
            "Mã đơn vị công tác",
            "Unit code",
            "Đơn vị",
            "don_vi",
            "Đơn vị công tác",
            "Cơ quan, đơn vị",
            "Nơi công tác",
            "Cơ quan",
        ),
    ),
    Column(
        "Chức vụ",
        "position",
        width=30,
        synonyms=("chuc_vu", "Chức danh", "Chức vụ, chức danh", "Chức vụ hiện tại", "Position"),
    ),
    Column(
        "Đối tượng",
        "category",
        required=True,
        choices=tuple(CATEGORY_BY_LABEL),
        width=20,
        synonyms=("doi_tuong", "Loại đối tượng", "Thành phần", "Category"),
    ),
    Column(
        "Đảng viên",
        "is_party_member",
        choices=YES_NO,
        parse=parse_yes_no,
        width=10,
        synonyms=("dang_vien", "Là đảng viên", "Đảng viên (có/không)", "Party member"),
    ),
    # Filled in exports: a row with it updates that person instead of adding a new one.
    Column(
        "Mã cá nhân",
        "id",
        parse=parse_int_cell,
        width=12,
        synonyms=("ma_ca_nhan", "ID", "Mã người", "Mã số cá nhân"),
    ),
)
UNIT_TEXT_FIELDS = {"short_name", "symbol", "email"}


class _ImportRejected(Exception):
    """Rolls back a half-written import."""


def _write_all_or_nothing(
    actor: User,
    *,
    kind: str,
    filename: str,
    rows: list[tuple[int, dict[str, Any]]],
    errors: list[RowError],
    create: Callable[[dict[str, Any]], None],
) -> ImportBatch:
    """Write every row in one transaction, or none: a row the service refuses rolls all back."""
    if not errors:
        try:
            with transaction.atomic():
                for number, values in rows:
                    try:
                        create(values)
                    except ValidationError as exc:
                        errors.extend(RowError(number, "", m) for m in exc.messages)
                if errors:
                    raise _ImportRejected
        except _ImportRejected:
            pass
    with transaction.atomic():
        return _record_batch(actor, kind, filename, len(rows), errors)


def _record_batch(
    actor: User, kind: str, filename: str, rows: int, errors: list[RowError]
) -> ImportBatch:
    batch = ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        rows=rows,
        created_by=actor,
        status=ImportBatch.Status.REJECTED if errors else ImportBatch.Status.IMPORTED,
        errors=[e.as_dict() for e in errors],
    )
    action_log_record(
        actor=actor,
        action=f"organizations.import.{batch.status}",
        target=batch,
        data={"kind": kind, "rows": rows, "errors": len(errors)},
    )
    return batch


def _same(old: Any, new: Any) -> bool:
    """Compare a stored value with a cell: an empty cell equals an empty text."""
    return (old if old not in (None, "") else None) == (new if new not in (None, "") else None)


def units_import(*, actor: User, upload: IO[bytes] | SheetFile, filename: str) -> ImportBatch:
    """All or nothing: every row is checked first; one bad row imports nothing.

    A row whose code exists updates that unit where it differs (an exported file imports back
    with no change); renaming is a unit event, so a different name is refused."""
    if not rules.can_manage_units(actor):
        raise PermissionDenied
    rows, errors = read_rows(upload, UNIT_COLUMNS)
    existing = {u.code: u for u in Unit.objects.select_related("parent")}
    in_file: dict[str, int] = {}
    for number, values in rows:
        code = values["code"]
        if code in in_file:
            errors.append(
                RowError(number, "Mã đơn vị", f"Mã “{code}” lặp lại (dòng {in_file[code]}).")
            )
        current = existing.get(code or "")
        if current is not None and values["name"] and current.name != values["name"]:
            errors.append(
                RowError(
                    number,
                    "Tên đầy đủ",
                    f"Đơn vị “{code}” đang có tên “{current.name}”: đổi tên là một sự kiện "
                    "tổ chức, không sửa qua nhập Excel.",
                )
            )
        parent = values["parent"]
        if parent and parent not in existing and parent not in in_file:
            errors.append(
                RowError(
                    number,
                    "Mã đơn vị cấp trên",
                    f"Không tìm thấy đơn vị mã “{parent}” (phải có sẵn hoặc ở dòng phía trên).",
                )
            )
        if code:
            in_file.setdefault(code, number)

    def save_unit(values: dict[str, Any]) -> None:
        parent_code = values.pop("parent")
        values["kind"] = KIND_BY_LABEL[values["kind"]]
        values["parent"] = existing.get(parent_code) if parent_code else None
        current = existing.get(values["code"])
        if current is None:
            fields = {k: v for k, v in values.items() if v is not None}
            existing[values["code"]] = unit_create(actor=actor, **fields)
            return
        changed: dict[str, Any] = {
            k: ("" if v is None and k in UNIT_TEXT_FIELDS else v)
            for k, v in values.items()
            if k not in {"code", "name"} and not _same(getattr(current, k), v)
        }
        if changed:
            existing[values["code"]] = unit_update(actor=actor, unit=current, **changed)

    return _write_all_or_nothing(
        actor, kind="units", filename=filename, rows=rows, errors=errors, create=save_unit
    )


def _unit_finder(units: Iterable[Unit]) -> Callable[[str], Unit | None]:
    """A unit by code, or by name or short name (without case or accents) when only one unit
    has it: people's own files often name the unit instead of giving its code."""
    by_code: dict[str, Unit] = {}
    by_name: dict[str, list[Unit]] = {}
    for unit in units:
        by_code[unit.code] = unit
        for name in {fold(unit.name), fold(unit.short_name or "")} - {""}:
            by_name.setdefault(name, []).append(unit)

    def find(text: str) -> Unit | None:
        if text in by_code:
            return by_code[text]
        named = by_name.get(fold(text), [])
        return named[0] if len(named) == 1 else None

    return find


def people_import(*, actor: User, upload: IO[bytes] | SheetFile, filename: str) -> ImportBatch:
    """All or nothing. A row with the "Mã cá nhân" of an existing person (as exported) updates
    that person where it differs, so an exported file imports back with no change; other rows
    (no code, or a code this installation does not have) add people."""
    rows, errors = read_rows(upload, PERSON_COLUMNS)
    find_unit = _unit_finder(Unit.objects.filter(valid_to__isnull=True))
    ids = [values["id"] for _, values in rows if values["id"]]
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("unit")}
    for number, values in rows:
        unit = find_unit(values["unit"] or "")
        if values["unit"] and unit is None:
            errors.append(
                RowError(
                    number,
                    "Mã đơn vị",
                    f"Không tìm thấy đơn vị đang hoạt động có mã hoặc tên “{values['unit']}”.",
                )
            )
        elif unit is not None and not rules.can_manage_people_of(actor, unit):
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

    def save_person(values: dict[str, Any]) -> None:
        person_id = values.pop("id")
        values["unit"] = find_unit(values["unit"])
        values["gender"] = GENDER_BY_LABEL[values["gender"]]
        values["category"] = CATEGORY_BY_LABEL[values["category"]]
        if values["is_party_member"] is None and person_id in people:
            del values["is_party_member"]  # blank or no column: membership stays as it is
        else:
            values["is_party_member"] = values["is_party_member"] == "Có"
        values["position"] = values["position"] or ""
        if person_id in people:
            person_update(actor=actor, person=people[person_id], **values)
        else:
            person_create(actor=actor, **values)

    return _write_all_or_nothing(
        actor, kind="people", filename=filename, rows=rows, errors=errors, create=save_person
    )


def unit_export_rows(units: Iterable[Unit]) -> Iterable[list[Any]]:
    kind_labels = dict(UnitKind.choices)
    for u in units:
        yield [
            u.code,
            u.name,
            u.short_name,
            u.symbol,
            kind_labels[u.kind],
            u.parent.code if u.parent else None,
            u.valid_from,
            u.email,
            u.headcount,
        ]


PARTY_PARAM = "dang-vien"  # ?dang-vien=1: the opt-in party membership column


def person_export_rows(
    people: Iterable[Person], *, party_for: User | None = None
) -> Iterable[list[Any]]:
    """Rows in the import format; the party membership cell only with `party_for`, and blank
    for anyone that user may not see it for."""
    for p in people:
        row = [
            p.full_name,
            p.get_gender_display(),
            p.birth_year,
            p.unit.code,
            p.position,
            p.get_category_display(),
        ]
        if party_for is not None:
            visible = rules.can_see_sensitive_person_data(party_for, p)
            row.append(("Có" if p.is_party_member else "Không") if visible else None)
        row.append(p.pk)
        yield row


def units_export(actor: User, params: dict[str, str]) -> Export:
    """Every unit the user sees, past ones too, in the import format."""
    units = selectors.unit_list_for(actor=actor, include_past=True)
    return Export(
        UNIT_COLUMNS,
        unit_export_rows(units.iterator(chunk_size=2000)),
        units.count(),
        "don-vi.xlsx",
    )


def people_export(actor: User, params: dict[str, str]) -> Export:
    if not rules.can_add_people(actor):
        raise PermissionDenied
    people = selectors.person_list_for(actor=actor)
    # Party membership is sensitive (issue 18, L8): a column only on request, only for roles
    # that may see it. A file without it imports back without touching anyone's membership.
    with_party = params.get(PARTY_PARAM) == "1" and rules.can_see_party_membership(actor)
    columns = [c for c in PERSON_COLUMNS if with_party or c.key != "is_party_member"]
    return Export(
        columns,
        person_export_rows(
            people.iterator(chunk_size=2000), party_for=actor if with_party else None
        ),
        people.count(),
        "ca-nhan-dang-vien.xlsx" if with_party else "ca-nhan.xlsx",
    )


def person_record_viewed(*, actor: User, person: Person, via: str) -> None:
    """Reads of one person's record are logged (issue 18, L8): who looked at whom, and how."""
    action_log_record(
        actor=actor, action="organizations.person.viewed", target=person, data={"via": via}
    )


def _outcome(batch: ImportBatch) -> tuple[int, list[RowError]]:
    errors = [RowError(e["row"], e["column"], e["message"]) for e in batch.errors]
    return (0 if errors else batch.rows), errors


def units_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """units_import for a background job (core.imports)."""
    return _outcome(units_import(actor=actor, upload=upload, filename=upload.filename))


def people_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """people_import for a background job (core.imports)."""
    return _outcome(people_import(actor=actor, upload=upload, filename=upload.filename))
