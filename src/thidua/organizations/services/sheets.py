"""Units and people in spreadsheets: columns, import (all rows or none), export, logged reads."""

from collections.abc import Callable, Iterable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
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
from thidua.core.text import fold
from thidua.organizations import rules, selectors
from thidua.organizations.models import (
    ImportBatch,
    Person,
    PersonCategory,
    Unit,
    UnitKind,
)
from thidua.organizations.services.people import (
    person_create,
    person_update,
)
from thidua.organizations.services.units import (
    unit_create,
    unit_update,
)

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
