"""The award registry (sổ vàng): search, a subject's history, statistics and the honour board."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)

from thidua.accounts.models import Role
from thidua.awards.certificates import certificate_values
from thidua.awards.models import AwardRecord, AwardType, Household, Subject
from thidua.core.clock import today_local
from thidua.core.excel import MAX_WHOLE_NUMBER, Column, parse_date_cell, parse_int_cell
from thidua.core.exports import Export
from thidua.core.http import parse_id
from thidua.core.text import fold, spelling_key, unify_tone_placement
from thidua.documents.selectors import signed_pdf_for
from thidua.organizations.models import Person, Unit
from thidua.organizations.rules import AnyUser, roles_of


@dataclass(frozen=True)
class RegistryFilter:
    q: str = ""
    year: int | None = None
    award_type: int | None = None
    level: str = ""
    subject: str = ""
    status: str = ""
    campaign: int | None = None
    unit: int | None = None
    person: int | None = None

    @classmethod
    def from_params(cls, get: Mapping[str, str]) -> "RegistryFilter":
        """The registry page's query string (also what an export job carries)."""
        return cls(
            q=get.get("q", ""),
            year=parse_id(get.get("nam")),
            award_type=parse_id(get.get("hinh_thuc")),
            level=get.get("cap", ""),
            subject=get.get("doi_tuong", ""),
            status=get.get("tinh_trang", ""),
            campaign=parse_id(get.get("phong_trao")),
        )


def _visible(actor: AnyUser) -> QuerySet[AwardRecord]:
    """City-wide roles see the whole registry; a unit sees the awards of its own people."""
    roles = roles_of(actor)
    records = AwardRecord.objects.all()
    if roles.city_wide:
        return records
    units = roles.units_with(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    return records.filter(unit_id__in=units) if units else records.none()


def with_issuer(records: QuerySet[AwardRecord]) -> QuerySet[AwardRecord]:
    """Each record with the name of the body whose register (and decision series) its numbers
    belong to, which ``AwardRecord.issuer_name`` writes as usual: "UBND tỉnh Bắc Ninh".
    Registry numbers run per issuer and year, so a number means nothing without it."""
    name = Subquery(Unit.objects.filter(code=OuterRef("issuer_code")).values("name")[:1])
    return records.annotate(issuer_unit_name=name)


def registry_search(*, actor: AnyUser, f: RegistryFilter) -> QuerySet[AwardRecord]:
    qs = _visible(actor)
    if f.q.strip():
        for word in fold(f.q).split():
            qs = qs.filter(search_text__contains=word)
    exact: dict[str, Any] = {
        "year": f.year,
        "award_type_id": f.award_type,
        "award_type__level": f.level or None,
        "subject": f.subject or None,
        "status": f.status or None,
        "campaign_id": f.campaign,
        "unit_id": f.unit,
        "person_id": f.person,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v is not None})
    # one issuer's numbers together within a year: each issuer keeps its own series
    return with_issuer(qs.select_related("award_type", "decision__number", "campaign")).order_by(
        "-year", "issuer_code", "-number"
    )


def history_of(
    *,
    actor: AnyUser,
    person: Person | None = None,
    unit: Unit | None = None,
    household: Household | None = None,
) -> QuerySet[AwardRecord]:
    """Every award a person, a collective or a household has received."""
    if person is not None:
        return registry_search(actor=actor, f=RegistryFilter(person=person.pk))
    if household is not None:
        return registry_search(actor=actor, f=RegistryFilter()).filter(household=household)
    assert unit is not None  # noqa: S101 - callers pass one of the three
    return registry_search(actor=actor, f=RegistryFilter(unit=unit.pk, subject="collective"))


SUBJECT_LABELS = dict(Subject.choices)  # Tập thể, Cá nhân, Hộ gia đình


def _registry_number(value: Any) -> tuple[int, int]:
    """A registry number "0871/2022" as (871, 2022), also written "0871-2022", "0871 / 2022"."""
    try:
        number, year = (int(part) for part in re.split(r"[/-]", "".join(str(value).split())))
    except ValueError:
        raise ValidationError(f"“{value}” không đúng dạng số/năm, ví dụ 0871/2022.") from None
    if number < 1:
        raise ValidationError("Số vào sổ phải từ 1.")
    if number > MAX_WHOLE_NUMBER or year > MAX_WHOLE_NUMBER:
        raise ValidationError(f"“{value}”: số quá lớn.")
    return number, year


def registry_columns() -> tuple[Column, ...]:
    """One layout for the export, the import template and the import: an export imports back."""
    return (
        Column(
            "Số vào sổ",
            "registry",
            required=True,
            parse=_registry_number,
            width=12,
            synonyms=("so_vao_so", "Số sổ", "Số vào sổ vàng", "Số thứ tự vào sổ", "Số sổ vàng"),
        ),
        Column(
            "Năm",
            "year",
            required=True,
            parse=parse_int_cell,
            width=8,
            synonyms=("nam", "Năm khen", "Năm khen thưởng", "Year"),
        ),
        Column(
            "Tên tập thể, cá nhân",
            "recipient_name",
            required=True,
            width=36,
            max_length=AwardRecord._meta.get_field("recipient_name").max_length,
            synonyms=(
                "ten_tap_the_ca_nhan",
                "Tên tập thể/cá nhân",
                "Tập thể, cá nhân",
                "Họ và tên",
                "Họ tên",
                "Tên",
                "Người, tập thể được khen",
                "Tên tập thể, cá nhân được khen thưởng",
                "Đối tượng được khen",
            ),
        ),
        Column(
            "Chức vụ, đơn vị",
            "recipient_detail",
            width=40,
            max_length=AwardRecord._meta.get_field("recipient_detail").max_length,
            synonyms=("chuc_vu_don_vi", "Chức vụ", "Chức vụ, đơn vị công tác", "Chức danh"),
        ),
        Column(
            "Đơn vị",
            "unit_name",
            required=True,
            width=32,
            synonyms=("don_vi", "Tên đơn vị", "Đơn vị công tác", "Cơ quan, đơn vị", "Mã đơn vị"),
        ),
        Column(
            "Đối tượng",
            "subject",
            required=True,
            choices=list(SUBJECT_LABELS.values()),
            width=12,
            synonyms=("doi_tuong", "Loại đối tượng", "Khen tập thể hay cá nhân"),
        ),
        Column(
            "Hình thức khen thưởng",
            "award_type",
            required=True,
            choices=list(AwardType.objects.order_by("name").values_list("name", flat=True)),
            width=36,
            synonyms=(
                "hinh_thuc_khen_thuong",
                "Hình thức",
                "Danh hiệu",
                "Hình thức khen",
                "Danh hiệu, hình thức khen thưởng",
                "Loại khen thưởng",
            ),
        ),
        Column(
            "Số quyết định",
            "decision",
            required=True,
            width=18,
            max_length=AwardRecord._meta.get_field("legacy_decision").max_length,
            synonyms=("so_quyet_dinh", "Số QĐ", "Quyết định", "Quyết định số", "Số, ký hiệu"),
        ),
        Column(
            "Ngày quyết định",
            "signed_on",
            required=True,
            parse=parse_date_cell,
            width=14,
            synonyms=(
                "ngay_quyet_dinh",
                "Ngày QĐ",
                "Ngày ký",
                "Ngày ban hành",
                "Ngày ký quyết định",
                "Ngày ký QĐ",
                "Ngày, tháng, năm quyết định",
                # under a "Quyết định" merged above "Số" and "Ngày" (core.excel reads the two lines
                # joined), as old registries print it
                "Quyết định ngày",
                "QĐ ngày",
            ),
        ),
        Column(
            "Phong trào",
            "campaign",
            width=40,
            synonyms=("phong_trao", "Phong trào thi đua", "Đợt thi đua"),
        ),
        Column(
            "Tình trạng",
            "status",
            choices=list(AwardRecord.Status.labels),
            width=14,
            synonyms=("tinh_trang", "Trạng thái", "Hiệu lực"),
        ),
        Column(
            "Mã cơ quan cấp sổ",
            "issuer",
            required=True,
            width=16,
            synonyms=(
                "ma_co_quan",
                "Cơ quan cấp sổ",
                "Mã cơ quan",
                "Cơ quan khen thưởng",
                "Mã cơ quan khen thưởng",
            ),
        ),
    )


def registry_row(r: AwardRecord) -> tuple[Any, ...]:
    return (
        r.registry_reference,
        r.year,
        r.recipient_name,
        r.recipient_detail,
        r.unit_name,
        r.get_subject_display(),
        r.award_type.name,
        r.decision_reference,
        r.decision_signed_on,
        r.campaign.title if r.campaign is not None else "",
        r.get_status_display(),
        r.issuer_code,
    )


def can_search_registry(actor: AnyUser) -> bool:
    roles = roles_of(actor)
    return roles.city_wide or bool(roles.units_with("unit_officer", "unit_head"))


def registry_export(actor: AnyUser, params: dict[str, str]) -> Export:
    if not can_search_registry(actor):
        raise PermissionDenied
    records = registry_search(actor=actor, f=RegistryFilter.from_params(params))
    return Export(
        registry_columns(),
        registry_rows(records),
        records.count(),
        f"so-vang-{today_local():%Y%m%d}.xlsx",
        sheet_name="Sổ vàng",
    )


def registry_rows(records: QuerySet[AwardRecord]) -> Any:
    for r in records.iterator(chunk_size=2000):
        yield registry_row(r)


@dataclass(frozen=True)
class Statistics:
    by_type: list[dict[str, Any]]
    by_level: list[dict[str, Any]]
    by_subject: list[dict[str, Any]]
    by_unit: list[dict[str, Any]]
    total: int


def award_statistics(*, actor: AnyUser, start: date, end: date) -> Statistics:
    """Awards in force decided between two dates, counted by type, level, target and unit."""
    qs = _visible(actor).filter(
        Q(decision__signed_on__gte=start, decision__signed_on__lte=end)
        | Q(decision__isnull=True, legacy_signed_on__gte=start, legacy_signed_on__lte=end),
        status=AwardRecord.Status.VALID,
    )
    levels = dict(AwardType.Level.choices)
    subjects = SUBJECT_LABELS

    def grouped(field: str, label: str) -> list[dict[str, Any]]:
        rows = qs.values(field).annotate(
            count=Count("pk"),
            collectives=Count("pk", filter=Q(subject="collective")),
            individuals=Count("pk", filter=Q(subject="individual")),
            households=Count("pk", filter=Q(subject="household")),
        )
        return sorted(
            _same_spellings_merged(
                {**row, "label": str(row[field])} | {"key": label} for row in rows
            ),
            key=lambda row: (-row["count"], row["label"]),
        )

    by_level = grouped("award_type__level", "level")
    for row in by_level:
        row["label"] = levels.get(row["award_type__level"], row["label"])
    by_subject = grouped("subject", "subject")
    for row in by_subject:
        row["label"] = subjects.get(row["subject"], row["label"])
    return Statistics(
        by_type=grouped("award_type__name", "type"),
        by_level=by_level,
        by_subject=by_subject,
        by_unit=grouped("unit_name", "unit"),
        total=qs.count(),
    )


_COUNTS = ("count", "collectives", "individuals", "households")


def _same_spellings_merged(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per name however its tones are placed: names are stored as typed, so "Uỷ ban
    nhân dân phường Thuỷ" and "Ủy ban nhân dân phường Thủy" (or "hoá"/"hóa") are one unit's
    awards, counted together under the spelling most of them use (on a tie, the tone on the
    first vowel, as official documents place it)."""

    def spelling_first(row: dict[str, Any]) -> tuple[int, bool, str]:
        label = row["label"]
        return (-row["count"], label != unify_tone_placement(label), label)

    merged: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=spelling_first):
        first = merged.setdefault(spelling_key(row["label"]), row)
        if first is not row:
            for count in _COUNTS:
                first[count] += row[count]
    return list(merged.values())


STATISTICS_COLUMNS = (
    Column("Nhóm", "group", width=20),
    Column("Nội dung", "label", width=48),
    Column("Tập thể", "collectives", width=10),
    Column("Cá nhân", "individuals", width=10),
    Column("Hộ gia đình", "households", width=12),
    Column("Tổng", "count", width=10),
)


def statistics_rows(stats: Statistics) -> list[tuple[Any, ...]]:
    groups = (
        ("Hình thức", stats.by_type),
        ("Cấp khen thưởng", stats.by_level),
        ("Đối tượng", stats.by_subject),
        ("Đơn vị", stats.by_unit),
    )
    return [
        (
            group,
            row["label"],
            row["collectives"],
            row["individuals"],
            row["households"],
            row["count"],
        )
        for group, rows in groups
        for row in rows
    ]


@dataclass(frozen=True)
class HonourEntry:
    """What the public may see of an award: name, unit, award, decision. Nothing personal."""

    name: str
    unit: str
    award: str
    decision: str
    signed_on: date | None
    collective: bool


def honour_records(*, campaign_id: int) -> QuerySet[AwardRecord]:
    """The campaign's awards in force, as the honour board lists them: collectives first, then
    people and households, each by award level and name, so a page of it reads in order."""
    return (
        AwardRecord.objects.filter(campaign_id=campaign_id, status=AwardRecord.Status.VALID)
        .select_related("award_type", "decision__number")
        .order_by(
            Case(When(subject=Subject.COLLECTIVE, then=0), default=1),
            "award_type__level",
            "name_sort",
            "pk",
        )
    )


def honour_entry(record: AwardRecord) -> HonourEntry:
    collective = record.subject == Subject.COLLECTIVE
    return HonourEntry(
        name=record.recipient_name,
        unit="" if collective else record.unit_name,
        award=record.award_type.name,
        decision=record.decision_reference,
        signed_on=record.decision_signed_on,
        collective=collective,
    )


def honour_board(*, campaign_id: int) -> list[HonourEntry]:
    return [honour_entry(r) for r in honour_records(campaign_id=campaign_id)]


def _checked_records() -> QuerySet[AwardRecord]:
    return with_issuer(
        AwardRecord.objects.select_related(
            "award_type", "decision__number", "decision__campaign", "ended_by__number"
        )
    )


def certificate_by_token(token: str) -> AwardRecord | None:
    """The award whose certificate's QR code carries this token."""
    return _checked_records().filter(token=token).first()


# Words a printed name may start with that a visitor need not type: the salutation of a person
# or a household's head, and the long form of a People's Committee's name.
_NAME_LEADS = (("ho", "ong"), ("ho", "ba"), ("ong",), ("ba",), ("uy", "ban", "nhan", "dan"))


def _name_forms(printed: str) -> set[tuple[str, ...]]:
    """The printed name as words (folded, no punctuation), with and without its lead words."""
    words = tuple(re.findall(r"\w+", fold(printed)))
    forms = {words}
    for lead in _NAME_LEADS:
        if words[: len(lead)] == lead and len(words) > len(lead):
            forms.add(words[len(lead) :])
            if lead[0] == "uy":
                forms.add(("ubnd", *words[len(lead) :]))
    return forms


def find_certificate(*, number: str, name: str) -> AwardRecord | None:
    """The award whose certificate prints this registry number ("0003/2022") and this name,
    whole ("Vũ Thị Hạnh" for "Bà Vũ Thị Hạnh"): a part of it ("Hạnh", or one letter) would let
    anyone read the registry number by number."""
    try:
        serial, year = _registry_number(number)
    except ValidationError:
        return None
    wanted = tuple(re.findall(r"\w+", fold(name)))
    for record in _checked_records().filter(number=serial, year=year):
        if wanted and wanted in _name_forms(record.recipient_name):
            return record
    return None


def certificate_facts(record: AwardRecord) -> dict[str, Any]:
    """What the public check of a certificate shows (awards/_verify_result.html): only what
    the certificate prints (an award imported from the old registry had no certificate
    printed here, so only its registry facts), and the decision's digital signature as
    checked when it was signed or uploaded. A household's certificate prints its home
    address, which is never public: the page names its ward or commune instead."""
    return {
        "record": record,
        "detail": record.unit_name
        if record.subject == Subject.HOUSEHOLD
        else record.recipient_detail,
        "achievement": "" if record.is_imported else certificate_values(record)["achievement"],
        "signature": signed_pdf_for(record.decision) if record.decision else None,
    }
