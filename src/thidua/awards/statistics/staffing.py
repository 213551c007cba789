"""Forms 0604 and 0605: what Nội vụ entered about emulation organisations and staff, and
entering it."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from thidua.accounts.models import Role, User
from thidua.awards.models import (
    EmulationStaffing,
)
from thidua.awards.statistics.common import (
    ISSUER_KINDS,
    Cell,
    Line,
    StatForm,
)
from thidua.core.services import action_log_record
from thidua.organizations.models import Unit
from thidua.organizations.rules import AnyUser, acts_at_or_above, roles_of

# ------------------------------------------------------------------ 0604, 0605 (entered)

ORGANISATION_ROWS = (
    ("02", "- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương", "Vụ"),
    ("03", "- Cấp phòng, ban hoặc bộ phận thuộc Vụ", "Phòng"),
    ("04", "- Cấp ban thuộc Sở Nội vụ", "Ban"),
    ("05", "- Cấp phòng thuộc Sở Nội vụ", "Phòng"),
)
AGE_ROWS = (
    ("02", "- Từ 30 trở xuống"),
    ("03", "- Từ 31 đến 40"),
    ("04", "- Từ 41 đến 50"),
    ("05", "- Từ 51 đến 55"),
    ("06", "- Từ 56 đến 60"),
    ("07", "- Trên 60 tuổi"),
)
TRAINING_ROWS = (
    ("08", "- Sơ cấp"),
    ("09", "- Trung cấp"),
    ("10", "- Cao đẳng"),
    ("11", "- Đại học"),
    ("12", "- Trên đại học"),
)
SENIORITY_ROWS = (
    ("13", "- Dưới 5 năm"),
    ("14", "- Từ 5 đến dưới 10 năm"),
    ("15", "- Từ 10 năm trở lên"),
)
STAFF_GROUPS = (
    ("1. Chia theo độ tuổi", AGE_ROWS),
    ("2. Chia theo trình độ đào tạo", TRAINING_ROWS),
    ("3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng", SENIORITY_ROWS),
)


def staffing_for(issuer: Unit, year: int) -> EmulationStaffing | None:
    return EmulationStaffing.objects.filter(issuer=issuer, year=year).first()


def _entered_note(staffing: EmulationStaffing | None) -> tuple[str, ...]:
    if staffing is None:
        return ("Chưa nhập số liệu cho năm này: biểu để trống.",)
    return ()


def form_0604(issuer: Unit, year: int, staffing: EmulationStaffing | None) -> StatForm:
    figures: dict[str, Any] = staffing.organisations if staffing else {}
    items = [
        Line(label, code, (_int(figures.get(code)) if staffing else None,), unit)
        for code, label, unit in ORGANISATION_ROWS
    ]
    total = sum(line.values[0] or 0 for line in items) if staffing else None
    return StatForm(
        key="0604",
        number="0604.N/BNV-TĐKT",
        title=(
            "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ "
            "TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"
        ),
        header=((Cell(""), Cell("Mã số"), Cell("Đơn vị tính"), Cell("Số lượng")),),
        codes=(Cell("A"), Cell("B"), Cell("C"), Cell("1")),
        lines=(
            Line("Tổng số", "01", (total,), "Tổ chức", "total"),
            Line("Chia theo cơ cấu tổ chức bộ máy", "", (None,), "", "group"),
            *items,
        ),
        entered=True,
        notes=_entered_note(staffing),
    )


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def staff_pair(staff: dict[str, Any], code: str) -> tuple[int, int]:
    pair = staff.get(code) or [0, 0]
    return _int(pair[0]), _int(pair[1] if len(pair) > 1 else 0)


def staff_total(staff: dict[str, Any]) -> tuple[int, int]:
    """Row 01: the sum of the age rows (every person has an age)."""
    pairs = [staff_pair(staff, code) for code, _ in AGE_ROWS]
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def form_0605(issuer: Unit, year: int, staffing: EmulationStaffing | None) -> StatForm:
    staff: dict[str, Any] = staffing.staff if staffing else {}
    lines = [Line("Tổng số", "01", staff_total(staff) if staffing else (None, None), "", "total")]
    for heading, rows in STAFF_GROUPS:
        lines.append(Line(heading, "", (None, None), "", "group"))
        lines += [
            Line(label, code, staff_pair(staff, code) if staffing else (None, None))
            for code, label in rows
        ]
    return StatForm(
        key="0605",
        number="0605.N/BNV-TĐKT",
        title=(
            "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ "
            "TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"
        ),
        header=(
            (Cell("", rowspan=2), Cell("Mã số", rowspan=2), Cell("Số lượng (Người)", colspan=2)),
            (Cell("Tổng số"), Cell("Trong đó: Nữ")),
        ),
        codes=(Cell("A"), Cell("B"), Cell("1"), Cell("2")),
        lines=tuple(lines),
        unit_of_count="Người",
        entered=True,
        notes=_entered_note(staffing),
    )


# ------------------------------------------------------------------- entering 0604, 0605


def can_see_statistics(actor: AnyUser) -> bool:
    return roles_of(actor).city_wide


def can_enter_staffing(actor: AnyUser, issuer: Unit | None = None) -> bool:
    """Nội vụ enters the figures; those of `issuer` only as Nội vụ of it or of a body above it
    (the city's for its wards), never a ward's for the city (docs/security.md R23)."""
    if not roles_of(actor).has(Role.EMULATION_OFFICE):
        return False
    return issuer is None or acts_at_or_above(actor, issuer, Role.EMULATION_OFFICE)


STAFF_CODES = tuple(code for _, rows in STAFF_GROUPS for code, _ in rows)
ORGANISATION_CODES = tuple(code for code, _, _ in ORGANISATION_ROWS)


def staffing_check(staff: dict[str, list[int]]) -> list[str]:
    """What does not add up, in Vietnamese: women within each total; the seniority rows count
    everyone the age rows count; the training rows no more (some have no training level)."""
    problems = []
    for code in STAFF_CODES:
        total, women = staff_pair(staff, code)
        if women > total:
            problems.append(f"Dòng {code}: số nữ ({women}) lớn hơn tổng số ({total}).")
    by_age = staff_total(staff)
    sums = {
        name: tuple(sum(staff_pair(staff, code)[i] for code, _ in rows) for i in (0, 1))
        for name, rows in (("training", TRAINING_ROWS), ("seniority", SENIORITY_ROWS))
    }
    if sums["seniority"] != by_age:
        problems.append(
            f"Tổng theo thâm niên ({sums['seniority'][0]} người, {sums['seniority'][1]} nữ) phải "
            f"bằng tổng theo độ tuổi ({by_age[0]} người, {by_age[1]} nữ)."
        )
    if sums["training"][0] > by_age[0] or sums["training"][1] > by_age[1]:
        problems.append(
            f"Tổng theo trình độ đào tạo ({sums['training'][0]} người, {sums['training'][1]} nữ) "
            f"không được lớn hơn tổng theo độ tuổi ({by_age[0]} người, {by_age[1]} nữ)."
        )
    return problems


def staffing_save(
    *,
    actor: User,
    issuer: Unit,
    year: int,
    organisations: dict[str, int],
    staff: dict[str, tuple[int, int]],
    version: int | None = None,
) -> EmulationStaffing:
    """Nội vụ's figures for forms 0604 and 0605 of a reporting unit and year. `version` is the
    one the form was read at: an edit made in between is refused, never overwritten."""
    if not can_enter_staffing(actor, issuer):
        raise PermissionDenied
    if issuer.kind not in ISSUER_KINDS:
        raise ValidationError("Chỉ nhập số liệu cho tỉnh, thành phố, huyện, phường, xã.")
    clean_orgs = {code: _int(organisations.get(code)) for code in ORGANISATION_CODES}
    clean_staff = {code: list(staff_pair({code: staff.get(code)}, code)) for code in STAFF_CODES}
    problems = staffing_check(clean_staff)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        row = EmulationStaffing.objects.select_for_update().filter(issuer=issuer, year=year).first()
        if row is None:
            row = EmulationStaffing.objects.create(
                issuer=issuer,
                year=year,
                organisations=clean_orgs,
                staff=clean_staff,
                updated_by=actor,
            )
            changed = {"organisations": clean_orgs, "staff": clean_staff}
        else:
            if version is not None and version != row.version:
                raise ValidationError(
                    "Số liệu vừa được người khác cập nhật. Hãy tải lại trang và nhập lại."
                )
            changed = {
                k: v
                for k, v in (("organisations", clean_orgs), ("staff", clean_staff))
                if getattr(row, k) != v
            }
            if not changed:
                return row
            for name, value in changed.items():
                setattr(row, name, value)
            row.version += 1
            row.updated_by = actor
            row.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
        action_log_record(
            actor=actor,
            action="awards.statistics.staffing_saved",
            target=row,
            data={"year": year, "issuer": issuer.code, **changed},
        )
    return row
