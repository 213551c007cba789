"""The activities spreadsheet: columns, export rows, import (all rows or none)."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.campaigns.models import ActivityForm, Campaign
from thidua.campaigns.selectors import campaign_list_for
from thidua.core.clock import today_local
from thidua.core.excel import (
    Column,
    RowError,
    SheetFile,
    in_file_order,
    parse_date_cell,
    parse_int_cell,
    read_rows,
    refused_row,
)
from thidua.core.exports import Export
from thidua.core.http import parse_id
from thidua.core.text import fold
from thidua.organizations.models import Unit
from thidua.participation import rules
from thidua.participation.models import (
    Activity,
)
from thidua.participation.selectors import activity_list_for
from thidua.participation.services.activities import (
    activity_record,
    activity_update,
)
from thidua.participation.services.common import (
    _require_unit,
)

_FORM_SYNONYMS = (
    "hinh_thuc",
    "Hình thức hoạt động",
    "Hình thức tổ chức",
    "Loại hoạt động",
    "Hình thức triển khai",
    "Form",
)
ACTIVITY_COLUMNS = (
    Column("Hình thức", "form", required=True, width=26, synonyms=_FORM_SYNONYMS),
    Column(
        "Tên hoạt động",
        "title",
        required=True,
        width=40,
        max_length=Activity._meta.get_field("title").max_length,
        synonyms=(
            "ten_hoat_dong",
            "Hoạt động",
            "Nội dung hoạt động",
            "Tên",
            "Nội dung",
            "Tên chương trình",
            "Tiêu đề",
            "Title",
        ),
    ),
    Column(
        "Ngày tổ chức",
        "held_on",
        required=True,
        parse=parse_date_cell,
        width=14,
        synonyms=(
            "ngay_to_chuc",
            "Ngày",
            "Thời gian",
            "Thời gian tổ chức",
            "Ngày thực hiện",
            "Từ ngày",
            "Ngày bắt đầu",
            "Date",
        ),
    ),
    Column(
        "Đến ngày",
        "ends_on",
        parse=parse_date_cell,
        width=14,
        synonyms=("den_ngay", "Ngày kết thúc", "Kết thúc", "End date"),
    ),
    Column(
        "Địa điểm",
        "place",
        width=30,
        max_length=Activity._meta.get_field("place").max_length,
        synonyms=("dia_diem", "Nơi tổ chức", "Địa điểm tổ chức", "Place"),
    ),
    Column(
        "Số người tham gia",
        "participants",
        parse=parse_int_cell,
        width=12,
        synonyms=(
            "so_nguoi_tham_gia",
            "so_nguoi",
            "Số người",
            "Số lượng",
            "Số lượt người",
            "Số lượng tham gia",
            "Số người dự",
            "Thành phần, số lượng",
            "Participants",
        ),
    ),
    Column(
        "Mô tả",
        "description",
        width=50,
        synonyms=(
            "mo_ta",
            "Kết quả",
            "Kết quả đạt được",
            "Nội dung chi tiết",
            "Tóm tắt",
            "Mô tả ngắn",
            "Description",
        ),
    ),
)


EXPORT_COLUMNS = (
    Column("Mã đơn vị", "unit", width=14, synonyms=("ma_don_vi", "Mã ĐV")),
    # Filled in exports: a row with it updates that activity instead of adding a new one.
    Column(
        "Mã hoạt động",
        "id",
        parse=parse_int_cell,
        width=12,
        synonyms=("ma_hoat_dong", "ID"),
    ),
)
_DATE_COLUMNS = {"held_on": "Ngày tổ chức", "ends_on": "Đến ngày"}
ACTIVITY_FIELDS = ("title", "held_on", "ends_on", "place", "description", "participants")


def activity_columns(campaign: Campaign, *, listed: bool = True) -> tuple[Column, ...]:
    """Import template and export columns; the plan's forms are the first column's validation
    list (`listed`). Reading matches forms without accents instead (see activities_import)."""
    labels = tuple(f.label for f in campaign.forms.all()) if listed else ()
    form = Column(
        "Hình thức", "form", required=True, width=26, choices=labels, synonyms=_FORM_SYNONYMS
    )
    return (form, *ACTIVITY_COLUMNS[1:], *EXPORT_COLUMNS)


def activity_export_rows(activities: Iterable[Activity]) -> Iterator[list[Any]]:
    """Rows in activity_columns() order; pass `.iterator()` so nothing loads whole."""
    for a in activities:
        yield [
            a.form.label if a.form else a.form_code,
            a.title,
            a.held_on,
            a.ends_on,
            a.place,
            a.participants,
            a.description,
            a.unit.code,
            a.pk,
        ]


def _activity_row_errors(
    number: int,
    values: dict[str, Any],
    *,
    campaign: Campaign,
    unit: Unit,
    forms: dict[str, ActivityForm],
    known: dict[int, Activity],
    today: date,
) -> list[RowError]:
    """What is wrong with one imported row, beyond its cells: a form outside the plan, dates
    in the wrong order, not yet come or outside the campaign's period (as activity_record
    refuses them), another unit's row, or a change of an existing activity's form."""
    errors = []
    if values["form"] and fold(values["form"]) not in forms:
        allowed = ", ".join(f.label for f in campaign.forms.all())
        errors.append(
            RowError(
                number, "Hình thức", f"“{values['form']}” không có trong kế hoạch ({allowed})."
            )
        )
    if values["held_on"] and values["ends_on"] and values["ends_on"] < values["held_on"]:
        errors.append(RowError(number, "Đến ngày", "Ngày kết thúc trước ngày tổ chức."))
    existing = known.get(values["id"] or 0)
    # An exported row sent back unchanged is skipped, so only new or changed dates are checked.
    if existing is None or (existing.held_on, existing.ends_on) != (
        values["held_on"],
        values["ends_on"],
    ):
        dates = rules.activity_date_errors(
            campaign, values["held_on"], values["ends_on"], today=today
        )
        errors += [
            RowError(number, _DATE_COLUMNS[field], message) for field, message in dates.items()
        ]
    if values["unit"] and values["unit"].casefold() != unit.code.casefold():  # "p-suoihoa" too
        errors.append(
            RowError(
                number,
                "Mã đơn vị",
                f"Dòng này của đơn vị “{values['unit']}”, không phải “{unit.code}” đang nhập.",
            )
        )
    chosen = forms.get(fold(values["form"] or ""))
    if existing is not None and existing.unit_id != unit.pk:
        errors.append(RowError(number, "Mã hoạt động", "Hoạt động này thuộc đơn vị khác."))
    elif existing is not None and chosen is not None and existing.form_id != chosen.pk:
        errors.append(
            RowError(number, "Hình thức", "Không đổi hình thức của hoạt động đã ghi nhận.")
        )
    return errors


def _write_row(
    actor: User,
    campaign: Campaign,
    unit: Unit,
    values: dict[str, Any],
    *,
    forms: dict[str, ActivityForm],
    known: dict[int, Activity],
) -> None:
    data = {
        "title": values["title"],
        "held_on": values["held_on"],
        "ends_on": values["ends_on"],
        "place": values["place"] or "",
        "description": values["description"] or "",
        "participants": values["participants"] or 0,
    }
    existing = known.get(values["id"] or 0)
    if existing is not None:
        if any(getattr(existing, k) != v for k, v in data.items()):
            activity_update(actor=actor, activity=existing, **data)
        return
    activity_record(
        actor=actor, campaign=campaign, unit=unit, form=forms[fold(values["form"])], **data
    )


def activities_import(
    *, actor: User, campaign: Campaign, unit: Unit, upload: IO[bytes] | SheetFile
) -> tuple[int, list[RowError]]:
    """Every row checked first; all rows are written or none. A row with the "Mã hoạt động" of
    one of the unit's activities (as exported) updates it where it differs, so an exported file
    imports back with no change; other rows record new activities."""
    _require_unit(actor, campaign, unit)
    forms = {fold(f.label): f for f in campaign.forms.all()}
    rows, errors = read_rows(upload, activity_columns(campaign, listed=False))
    ids = [values["id"] for _, values in rows if values["id"]]
    known = {a.pk: a for a in Activity.objects.filter(pk__in=ids, campaign=campaign)}
    today = today_local()
    for number, values in rows:
        errors += _activity_row_errors(
            number, values, campaign=campaign, unit=unit, forms=forms, known=known, today=today
        )
    if errors:
        return 0, in_file_order(errors)
    with transaction.atomic():
        for number, values in rows:
            try:
                _write_row(actor, campaign, unit, values, forms=forms, known=known)
            except ValidationError as exc:  # a check only the write can make: the row's error
                errors += refused_row(number, exc, ACTIVITY_COLUMNS)
        if errors:
            transaction.set_rollback(True)  # all rows or none
            return 0, errors
    return len(rows), []


def activities_export(actor: User, params: dict[str, str]) -> Export:
    """The activity list's rows (same filters) in the import format: it imports back unchanged."""
    campaign_id = params.get("campaign", "")
    campaign = (
        campaign_list_for(actor=actor)
        .exclude(status="draft")
        .filter(pk=parse_id(campaign_id) or 0)
        .first()
    )
    if campaign is None:
        raise PermissionDenied
    unit_id = params.get("don-vi", "")
    activities = activity_list_for(
        actor=actor,
        campaign=campaign,
        query=params.get("q", "").strip(),
        form_code=params.get("hinh-thuc", ""),
        unit_id=parse_id(unit_id),
    )
    return Export(
        activity_columns(campaign),
        activity_export_rows(activities.iterator(chunk_size=2000)),
        activities.count(),
        f"hoat-dong-{campaign.pk}.xlsx",
    )


def activities_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """activities_import for a background job (core.imports); the unit's rights are checked
    by activities_import itself."""
    campaign = (
        campaign_list_for(actor=actor).exclude(status="draft").filter(pk=params["campaign"]).first()
    )
    unit = Unit.objects.filter(pk=params["unit"]).first()
    if campaign is None or unit is None:
        raise PermissionDenied
    return activities_import(actor=actor, campaign=campaign, unit=unit, upload=upload)
