"""The columns of the unit and people sheets (the import format, which exports share), and the
labels their cells are read from."""

import re
from dataclasses import replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from thidua.core.excel import Column, cell_text, parse_date_cell, parse_int_cell, parse_yes_no
from thidua.organizations.models import Person, PersonCategory, Unit, UnitKind

KIND_BY_LABEL = {label: value for value, label in UnitKind.choices}
CATEGORY_BY_LABEL = {label: value for value, label in PersonCategory.choices}
GENDER_BY_LABEL = {label: value for value, label in Person.Gender.choices}
YES_NO = ("Có", "Không")


_LAST_YEAR = 9999
_FIRST_BIRTH_YEAR, _LAST_BIRTH_YEAR = 1900, 2020
# A date of birth with the year in two digits ("12/08/62"): dates read it as 2062
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
# A month and year of birth ("03/1975", "Tháng, năm sinh"), the day unknown or left out
_MONTH_YEAR = re.compile(r"(?:0?[1-9]|1[0-2])[/.-](\d{4})")


def _parse_birth_year(value: Any) -> int:
    """A year of birth, or the year of a date of birth, as personnel lists give it ("Ngày,
    tháng, năm sinh": a date cell, 15/03/1980, 12/08/62, 03/1980, or a date left as an Excel
    day number)."""
    if isinstance(value, date):  # a datetime too
        year = value.year
    else:
        try:
            year = parse_int_cell(value)
        except ValidationError:
            month_year = _MONTH_YEAR.fullmatch(cell_text(value).strip())
            try:
                year = int(month_year[1]) if month_year else parse_date_cell(value).year
            except ValidationError:
                raise ValidationError(
                    f"“{cell_text(value)}” không phải là năm sinh (yyyy) hay ngày sinh "
                    "(dd/mm/yyyy)."
                ) from None
            if year > _LAST_BIRTH_YEAR and _SHORT_YEAR.fullmatch(cell_text(value).strip()):
                year -= 100  # born in the last century, not yet to be born
        if year > _LAST_YEAR:  # a date's day number in a cell formatted as a number
            year = parse_date_cell(year).year
    if not _FIRST_BIRTH_YEAR <= year <= _LAST_BIRTH_YEAR:
        raise ValidationError(f"Năm sinh {year} không hợp lệ.")
    return year


UNIT_COLUMNS = (
    Column(
        "Mã đơn vị",
        "code",
        required=True,
        width=14,
        max_length=Unit._meta.get_field("code").max_length,
        # A unit list's bare "Ký hiệu" is the unit's code (as "Mã" is), not its symbol on
        # documents: that one is only taken when the header says "văn bản" (or "VB").
        synonyms=(
            "ma_don_vi",
            "Mã ĐV",
            "Mã",
            "Mã số",
            "Mã số đơn vị",
            "Ký hiệu",
            "Ký hiệu đơn vị",
            "Mã, ký hiệu",
            "Code",
            "Unit code",
        ),
    ),
    Column(
        "Tên đầy đủ",
        "name",
        required=True,
        width=50,
        max_length=Unit._meta.get_field("name").max_length,
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
        max_length=Unit._meta.get_field("short_name").max_length,
        synonyms=("ten_ngan", "Tên gọi tắt", "Tên viết tắt", "Tên rút gọn", "Short name"),
    ),
    Column(
        "Ký hiệu văn bản",
        "symbol",
        width=12,
        max_length=Unit._meta.get_field("symbol").max_length,
        synonyms=(
            "ky_hieu_van_ban",
            "Ký hiệu VB",
            "Ký hiệu trên văn bản",
            "Viết tắt trên văn bản",
            "Symbol",
        ),
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
        max_length=Person._meta.get_field("full_name").max_length,
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
        synonyms=(
            "nam_sinh",
            "Sinh năm",
            "Năm sinh (yyyy)",
            "Birth year",
            "Ngày sinh",
            "Ngày, tháng, năm sinh",
            "Ngày tháng năm sinh",
            "Sinh ngày",
            "Tháng, năm sinh",
            "Tháng năm sinh",
        ),
    ),
    Column(
        "Mã đơn vị",
        "unit",
        required=True,
        width=14,
        # a unit's code, or its name when the file has names (see organizations.selectors.UnitFinder)
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
        max_length=Person._meta.get_field("position").max_length,
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


def _born_under(label: str, key: str) -> Column:
    """A date (or year) of birth written under "Nam" or under "Nữ": forms giving the gender by
    the column the date is in ("Ngày, tháng, năm sinh" merged over "Nam" and "Nữ")."""
    over = ("Năm sinh", "Ngày sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày",
            "Sinh năm")  # fmt: skip
    return Column(
        f"Năm sinh ({label})",
        key,
        parse=_parse_birth_year,
        width=10,
        synonyms=tuple(f"{words} {label}" for words in over),
    )


# What the people import reads: a gender column, or the date of birth under "Nam" or "Nữ"
# (people_import requires one of them on each row).
PERSON_IMPORT_COLUMNS = (
    *(replace(c, required=False) if c.key == "gender" else c for c in PERSON_COLUMNS),
    _born_under("Nam", "born_male"),
    _born_under("Nữ", "born_female"),
)
