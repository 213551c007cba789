"""Import of the award registry from Excel: awards granted before the system (the old sổ vàng)
join the registry, numbered as they were. Same layout as the export, so an exported file imports
back with no change. Every row is checked first; all rows are written or none."""

import re
import secrets
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from thidua.accounts.models import User
from thidua.awards import rules
from thidua.awards.decisions import REGISTRY_SERIES
from thidua.awards.models import AwardRecord, AwardType, Household
from thidua.awards.models.registry import record_name_sort
from thidua.awards.registry import SUBJECT_LABELS, registry_columns, registry_row
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.campaigns.selectors import campaign_list_for
from thidua.core.excel import Column, RowError, SheetFile, in_file_order, read_rows
from thidua.core.models import DocumentSequence
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.organizations.models import Person, Unit
from thidua.organizations.selectors import UnitFinder

SUBJECTS = {label: value for value, label in SUBJECT_LABELS.items()}
STATUSES = {label: value for value, label in AwardRecord.Status.choices}


def _normal(value: Any) -> Any:
    return "" if value is None else value


def _as_exported(values: dict[str, Any], columns: tuple[Column, ...]) -> tuple[Any, ...]:
    """The row as the export writes it, to compare with a record already in the registry."""
    number, year = values["registry"]
    out = {**values, "registry": f"{number:04d}/{year}"}
    out["status"] = values["status"] or AwardRecord.Status.VALID.label
    return tuple(_normal(out[c.key]) for c in columns)


def _campaigns_by_title(actor: User) -> dict[str, list[Campaign]]:
    """Issued campaigns the actor may see, by title without case or accents (a draft plan has
    granted nothing)."""
    found: dict[str, list[Campaign]] = defaultdict(list)
    for campaign in campaign_list_for(actor=actor).exclude(status=CampaignStatus.DRAFT):
        found[fold(campaign.title)].append(campaign)
    return found


def _person(unit: Unit, name: str, cache: dict[int, dict[str, list[Person]]]) -> Person | None:
    """The unit's person of that name when there is exactly one (their history then shows it)."""
    if unit.pk not in cache:
        people: dict[str, list[Person]] = defaultdict(list)
        for p in Person.objects.filter(unit=unit):
            people[fold(p.full_name)].append(p)
        cache[unit.pk] = people
    matches = cache[unit.pk].get(fold(name), [])
    return matches[0] if len(matches) == 1 else None


def _household(
    unit: Unit, name: str, cache: dict[int, dict[str, list[Household]]]
) -> Household | None:
    """The ward's household whose head is named so ("Hộ ông Nguyễn Văn Hùng"), when there is
    exactly one (its history then shows the award)."""
    if unit.pk not in cache:
        found: dict[str, list[Household]] = defaultdict(list)
        for h in Household.objects.filter(unit=unit):
            found[fold(str(h))].append(h)
        cache[unit.pk] = found
    matches = cache[unit.pk].get(fold(name), [])
    return matches[0] if len(matches) == 1 else None


def _name_case(v: dict[str, Any]) -> Any:
    """A person's name as the old registry typed it in capitals ("NGUYỄN VĂN AN") in the case
    the registry and the honour board write names ("Nguyễn Văn An"); a collective's or a
    household's name stays as written ("UBND", "Hộ ông …" are no names to recase)."""
    name = v.get("recipient_name")
    if (
        isinstance(name, str)
        and name.isupper()
        and v.get("subject") == SUBJECT_LABELS["individual"]
    ):
        # each part of a name, "H'Hen Niê", "Y-Moan" as "Nguyễn Văn An"
        return re.sub(r"[^\s'\-]+", lambda part: part[0].capitalize(), " ".join(name.split()))
    return name


@dataclass
class _Context:
    columns: tuple[Column, ...]
    issuers: set[str]  # the registries the importing officer keeps (rules.registry_issuers_for)
    others: set[str]  # every other unit's code: named, but not theirs to write
    awards: dict[str, AwardType]
    units: UnitFinder  # past units by name too: an old award names the unit of its day
    campaigns: dict[str, list[Campaign]]

    def error(self, row: int, key: str, message: str) -> RowError:
        return RowError(row, next(c.header for c in self.columns if c.key == key), message)


def _campaign(ctx: _Context, row: int, v: dict[str, Any]) -> tuple[Campaign | None, list[RowError]]:
    """The campaign the "Phong trào" cell names, by its title (no case or accents); a name the
    system does not hold is an error, never dropped: leave the cell blank for such awards."""
    if not v["campaign"]:
        return None, []
    matches = ctx.campaigns.get(fold(v["campaign"]), [])
    if len(matches) == 1:
        return matches[0], []
    if matches:
        message = (
            f"Có {len(matches)} phong trào cùng tên “{v['campaign']}”; không rõ khen thưởng "
            "thuộc phong trào nào: để trống ô này."
        )
    else:
        message = (
            f"Không có phong trào “{v['campaign']}” trong hệ thống; hãy ghi đúng trích yếu "
            "của kế hoạch, hoặc để trống nếu phong trào không có trong hệ thống."
        )
    return None, [ctx.error(row, "campaign", message)]


def _check_known(ctx: _Context, row: int, v: dict[str, Any], record: AwardRecord) -> list[RowError]:
    """A row already in the registry must be exactly what the export writes for it."""
    mine, theirs = _as_exported(v, ctx.columns), tuple(map(_normal, registry_row(record)))
    for column, a, b in zip(ctx.columns, mine, theirs, strict=True):
        if column.key == "recipient_name" and str(a).casefold() == str(b).casefold():
            continue  # a name recased (_name_case) is the name stored in capitals before
        if a != b:
            return [
                RowError(
                    row,
                    column.header,
                    f"Số vào sổ {record.registry_reference} đã có trong sổ vàng với “{b}”; "
                    "khen thưởng đã vào sổ chỉ sửa bằng quyết định.",
                )
            ]
    return []


def _check_new(ctx: _Context, row: int, v: dict[str, Any]) -> tuple[Unit | None, list[RowError]]:
    errors = []
    if v["issuer"] in ctx.others:
        errors.append(
            ctx.error(
                row,
                "issuer",
                f"Chỉ cán bộ Nội vụ của cơ quan mã “{v['issuer']}” nhập được sổ khen thưởng "
                "của cơ quan đó.",
            )
        )
    elif v["issuer"] not in ctx.issuers:
        errors.append(ctx.error(row, "issuer", f"Không có cơ quan, đơn vị mã “{v['issuer']}”."))
    if v["signed_on"].year != v["registry"][1]:
        errors.append(ctx.error(row, "signed_on", "Ngày quyết định phải thuộc năm vào sổ."))
    if v["award_type"] and v["subject"]:
        award = ctx.awards[v["award_type"]]
        if not award.allows(SUBJECTS[v["subject"]]):
            message = f"“{award.name}” không dành cho {v['subject'].lower()}."
            errors.append(ctx.error(row, "subject", message))
    matches = ctx.units.matches(v["unit_name"] or "")
    if len(matches) != 1:
        problem = "Không có đơn vị" if not matches else "Có nhiều đơn vị cùng tên"
        message = f"{problem} “{v['unit_name']}”; hãy ghi đúng tên hoặc mã đơn vị."
        return None, [*errors, ctx.error(row, "unit_name", message)]
    return matches[0], errors


def _check(
    ctx: _Context, rows: list[tuple[int, dict[str, Any]]], errors: list[RowError]
) -> tuple[list[tuple[dict[str, Any], Unit, Campaign | None]], int]:
    keys = [(v["issuer"], v["registry"][1], v["registry"][0]) for _, v in rows if _complete(v)]
    existing = {
        (r.issuer_code, r.year, r.number): r
        for r in AwardRecord.objects.filter(
            number__in={k[2] for k in keys}, year__in={k[1] for k in keys}
        ).select_related("award_type", "decision__number", "campaign", "unit")
    }
    seen: dict[tuple[str, int, int], int] = {}
    new: list[tuple[dict[str, Any], Unit, Campaign | None]] = []
    unchanged = 0
    for row, v in rows:
        if not _complete(v):
            continue  # read_rows has reported the empty or malformed cells
        key = (v["issuer"], v["registry"][1], v["registry"][0])
        if key in seen:
            errors.append(ctx.error(row, "registry", f"Trùng số vào sổ với dòng {seen[key]}."))
            continue
        seen[key] = row
        if v["year"] != key[1]:
            message = f"Năm {v['year']} khác năm của số vào sổ ({key[1]})."
            errors.append(ctx.error(row, "year", message))
        elif key in existing:
            record = existing[key]
            campaign, _ = _campaign(ctx, row, v)  # an unknown name differs from the record's
            named = {**v, "campaign": campaign.title} if campaign is not None else dict(v)
            if fold(v["unit_name"] or "") == fold(record.unit.code):
                # the record's unit given by its code, as the first import took it: it stored
                # the unit's name (_create), which the export writes
                named["unit_name"] = record.unit_name
            found = _check_known(ctx, row, named, record)
            errors.extend(found)
            unchanged += not found
        else:
            unit, found = _check_new(ctx, row, v)
            campaign, wrong = _campaign(ctx, row, v)
            errors.extend(found + wrong)
            if unit is not None:
                new.append((v, unit, campaign))
    return new, unchanged


def _complete(v: dict[str, Any]) -> bool:
    return all(v[k] is not None for k in ("registry", "year", "issuer", "signed_on"))


def _create(
    v: dict[str, Any],
    unit: Unit,
    ctx: _Context,
    people: Any,
    households: Any,
    *,
    campaign: Campaign | None,
) -> AwardRecord:
    number, year = v["registry"]
    subject = SUBJECTS[v["subject"]]
    name, detail = v["recipient_name"], v["recipient_detail"] or ""
    return AwardRecord.objects.create(
        issuer_code=v["issuer"],
        year=year,
        number=number,
        award_type=ctx.awards[v["award_type"]],
        campaign=campaign,
        subject=subject,
        person=_person(unit, name, people) if subject == "individual" else None,
        household=_household(unit, name, households) if subject == "household" else None,
        unit=unit,
        recipient_name=name,
        recipient_detail=detail,
        # the name as written (of its day), unless the row gave the unit's code
        unit_name=unit.name if fold(v["unit_name"]) == fold(unit.code) else v["unit_name"],
        status=STATUSES[v["status"] or AwardRecord.Status.VALID.label],
        legacy_decision=v["decision"],
        legacy_signed_on=v["signed_on"],
        token=secrets.token_urlsafe(24),
        search_text=fold(f"{name} {detail}"),
        name_sort=record_name_sort(name, subject),
    )


def _lock_series(
    ctx: _Context, rows: list[tuple[int, dict[str, Any]]]
) -> dict[tuple[str, int], DocumentSequence]:
    """The registry series the rows number in, locked in a fixed order (no deadlock between
    two imports) until the caller's transaction ends."""
    keys = sorted(
        {(v["issuer"], v["registry"][1]) for _, v in rows if _complete(v)}
        - {(v["issuer"], v["registry"][1]) for _, v in rows if v["issuer"] not in ctx.issuers}
    )
    locked = {}
    for issuer, year in keys:
        DocumentSequence.objects.get_or_create(
            issuer_code=issuer, doc_type=REGISTRY_SERIES, year=year
        )
        locked[(issuer, year)] = DocumentSequence.objects.select_for_update().get(
            issuer_code=issuer, doc_type=REGISTRY_SERIES, year=year
        )
    return locked


def registry_import(
    *, actor: User, upload: IO[bytes] | SheetFile
) -> tuple[int, int, list[RowError]]:
    """(new records, rows already in the registry and unchanged, errors). A row whose number is
    in the registry must match it exactly: awards are corrected by decisions, not spreadsheets."""
    if not rules.can_appraise(actor):
        raise PermissionDenied
    codes = set(Unit.objects.values_list("code", flat=True))
    keeps = rules.registry_issuers_for(actor)
    mine = Unit.objects.filter(pk__in=keeps).values_list("code", flat=True)
    ctx = _Context(
        columns=registry_columns(),
        issuers=set(mine),
        others=codes - set(mine),
        awards={a.name: a for a in AwardType.objects.all()},
        units=UnitFinder(Unit.objects.all(), past_by_name=True),
        campaigns=_campaigns_by_title(actor),
    )
    rows, errors = read_rows(upload, ctx.columns)
    written = {code.casefold(): code for code in codes}  # "tpbn" is TPBN, as UnitFinder reads it
    for _, v in rows:
        v["recipient_name"] = _name_case(v)
        if isinstance(v["issuer"], str):
            v["issuer"] = written.get(v["issuer"].strip().casefold(), v["issuer"])
    people: dict[int, dict[str, list[Person]]] = {}
    households: dict[int, dict[str, list[Household]]] = {}
    with transaction.atomic():
        # Lock the series first, then read which numbers are taken: a decision signed meanwhile
        # takes its number under the same lock (sequence_advance), so its record is either seen
        # here (a row error) or numbered after the imported ones, never a duplicate number.
        sequences = _lock_series(ctx, rows)
        new, unchanged = _check(ctx, rows, errors)
        if errors:
            transaction.set_rollback(True)  # nor the series rows get_or_create made
            return 0, 0, in_file_order(errors)
        top: dict[tuple[str, int], int] = {}
        for v, unit, campaign in new:
            record = _create(v, unit, ctx, people, households, campaign=campaign)
            key = (record.issuer_code, record.year)
            top[key] = max(top.get(key, 0), record.number)
        for key, last in top.items():
            # the registry's own numbering goes on after the imported numbers
            seq = sequences[key]
            if seq.last_number < last:
                seq.last_number = last
                seq.save(update_fields=["last_number"])
        action_log_record(
            actor=actor,
            action="awards.registry.imported",
            target=actor,
            data={"created": len(new), "unchanged": unchanged},
        )
    return len(new), unchanged, []


def registry_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """registry_import for a background job (core.imports): the new records, or the errors."""
    created, _unchanged, errors = registry_import(actor=actor, upload=upload)
    return created, errors
