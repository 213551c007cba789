"""Collective (unit) prizes: expected participants per unit, and the unit ranking once every
round has closed."""

import re
from fractions import Fraction
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Upper

from thidua.accounts.models import User
from thidua.contests import rules, selectors
from thidua.contests.models import CollectiveBasis, CollectiveResult, Contest, UnitTarget
from thidua.contests.services._base import require_manager
from thidua.contests.services.attempts import close_all_expired
from thidua.contests.services.ranking import prize_thresholds
from thidua.core.clock import now as clock_now
from thidua.core.excel import Column, RowError, SheetFile, cell_text, parse_int_cell, read_rows
from thidua.core.services import action_log_record
from thidua.core.text import fold_chars
from thidua.organizations.models import Unit
from thidua.organizations.selectors import UnitFinder

# "1200 người": a figure with the word the header already says after it
_PEOPLE_WORD = re.compile(r"\s*(?:nguoi|thi sinh)\.?\s*$")


def _parse_expected(value: Any) -> int:
    if isinstance(value, str) and (word := _PEOPLE_WORD.search(fold_chars(value))):
        value = value[: word.start()]  # fold_chars keeps each letter's place
    number = parse_int_cell(value)
    if number < 1:
        raise ValidationError("Số người dự kiến phải lớn hơn 0.")
    return number


TARGET_COLUMNS = (
    Column(
        "Mã đơn vị",
        "code",
        width=16,
        synonyms=("ma_don_vi", "Mã ĐV", "Mã", "Mã số đơn vị", "Code", "Unit code"),
    ),
    Column(
        "Tên đơn vị",
        "name",
        width=40,
        synonyms=("ten_don_vi", "Đơn vị", "Tên", "Cơ quan, đơn vị", "Tên cơ quan, đơn vị"),
    ),
    Column(
        "Số người dự kiến",
        "expected",
        parse=_parse_expected,
        width=18,
        synonyms=(
            "so_nguoi_du_kien",
            "so_nguoi",
            "Số người",
            "Dự kiến",
            "Số lượng",
            "Số người tham gia dự kiến",
            "Số người dự thi dự kiến",
            "Chỉ tiêu",
            "Số thí sinh dự kiến",
            "Chỉ tiêu tham gia",
        ),
    ),
)


def unit_target_set(*, actor: User, contest: Contest, unit: Unit, expected: int | None) -> None:
    """Set (or, with None, clear) a unit's expected number of participants."""
    require_manager(actor, contest)
    if expected is not None and expected < 1:
        raise ValidationError("Số người dự kiến phải lớn hơn 0.")
    with transaction.atomic():
        if expected is None:
            UnitTarget.objects.filter(contest=contest, unit=unit).delete()
        else:
            UnitTarget.objects.update_or_create(
                contest=contest, unit=unit, defaults={"expected": expected}
            )
        action_log_record(
            actor=actor,
            action="contests.unit_target.set",
            target=contest,
            data={"unit": unit.pk, "expected": expected},
        )


def _cell(value: Any) -> str:
    return "" if value is None else cell_text(value).strip()


def _target_units(
    rows: list[tuple[int, dict[str, Any]]], errors: list[RowError]
) -> dict[int, Unit]:
    """Each row's unit, by line: its code, or its name where the file names units (in the code
    column or the name column; organizations.selectors.UnitFinder). A row naming no unit, an
    unknown or ambiguous one, or a unit already on another row is an error."""
    # retired units too, by code: a figure may still be set for one (target_rows lists them)
    codes = {str(v["code"]).strip().upper() for _, v in rows if v.get("code")}
    finder = UnitFinder(
        Unit.objects.annotate(code_upper=Upper("code")).filter(
            Q(valid_to__isnull=True) | Q(code_upper__in=codes)
        )
    )
    units: dict[int, Unit] = {}
    seen: dict[int, int] = {}
    for number, values in rows:
        code = _cell(values.get("code"))
        name = _cell(values.get("name"))
        column, text = ("Mã đơn vị", code) if code else ("Tên đơn vị", name)
        if not text:
            errors.append(RowError(number, "Mã đơn vị", "Chưa ghi mã hoặc tên đơn vị."))
            continue
        found = finder.matches(text)
        if not found:
            what = "mã hoặc tên" if code else "tên"
            errors.append(RowError(number, column, f"Không có đơn vị {what} “{text}”."))
        elif len(found) > 1:
            named = "; ".join(f"{u.name} (mã {u.code})" for u in found[:5])
            errors.append(
                RowError(
                    number,
                    column,
                    f"“{text}” có thể là {len(found)} đơn vị: {named}. Hãy ghi mã đơn vị.",
                )
            )
        elif found[0].pk in seen:
            errors.append(RowError(number, column, f"Trùng đơn vị ở dòng {seen[found[0].pk]}."))
        else:
            seen[found[0].pk] = number
            units[number] = found[0]
    if rows and not any(_cell(v.get("code")) or _cell(v.get("name")) for _, v in rows):
        # no unit column at all: one error, not one a row
        errors[:] = [e for e in errors if e.column != "Mã đơn vị"]
        errors.append(
            RowError(
                0,
                "Mã đơn vị",
                "Thiếu cột “Mã đơn vị” hoặc “Tên đơn vị”: mỗi dòng cần mã hoặc tên đơn vị.",
                whole_file=True,
            )
        )
    return units


def unit_targets_import(
    *, actor: User, contest: Contest, upload: IO[bytes] | SheetFile, filename: str
) -> tuple[int, list[RowError]]:
    """Expected participants per unit from a spreadsheet (unit code or name, number; an empty
    number clears the unit's figure). Every row is checked first; all rows or none are
    written."""
    require_manager(actor, contest)
    rows, errors = read_rows(upload, TARGET_COLUMNS)
    units = _target_units(rows, errors)
    errors.sort(key=lambda e: (e.row, e.column))
    if errors:
        return 0, errors
    with transaction.atomic():
        for number, values in rows:
            unit = units[number]
            if values.get("expected") is None:
                UnitTarget.objects.filter(contest=contest, unit=unit).delete()
            else:
                UnitTarget.objects.update_or_create(
                    contest=contest, unit=unit, defaults={"expected": values["expected"]}
                )
        action_log_record(
            actor=actor,
            action="contests.unit_targets.imported",
            target=contest,
            data={"filename": filename, "count": len(rows)},
        )
    return len(rows), []


def unit_targets_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """unit_targets_import for a background job (core.imports)."""
    contest = Contest.objects.get(pk=int(params["contest"]))
    return unit_targets_import(
        actor=actor, contest=contest, upload=upload, filename=upload.filename
    )


def target_rows(contest: Contest) -> list[list[Any]]:
    """The import template: every unit a contestant can choose, with its current figure."""
    targets = dict(contest.unit_targets.values_list("unit_id", "expected"))
    units = selectors.selectable_units() | Unit.objects.filter(pk__in=targets)
    return [
        [u.code, u.short_name or u.name, targets.get(u.pk)]
        for u in units.order_by("kind", "name_sort").only("code", "name", "short_name")
    ]


def collective_order(basis: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """The collective tie rule. By rate: higher rate, then more entrants; by count: more
    entrants, then higher rate. Units equal on both share the rank and the prize."""
    rate = row["rate"] if row["rate"] is not None else Fraction(-1)
    if basis == CollectiveBasis.COUNT:
        return (-row["entrants"], -rate)
    return (-rate, -row["entrants"])


def _collective_ranking(contest: Contest) -> list[CollectiveResult]:
    basis = contest.collective_basis
    rows = [
        r
        for r in selectors.collective_standings(contest)
        if r["entrants"] >= max(1, contest.collective_min_entrants)
        and (basis == CollectiveBasis.COUNT or r["rate"] is not None)
    ]
    rows.sort(key=lambda r: (*collective_order(basis, r), r["unit_id"]))
    thresholds = prize_thresholds(contest.collective_prizes)
    results = []
    rank = 0
    for position, row in enumerate(rows, start=1):
        if position == 1 or collective_order(basis, row) != collective_order(
            basis, rows[position - 2]
        ):
            rank = position
        prize = next((tier for tier, reach in thresholds if rank <= reach), "")
        results.append(
            CollectiveResult(
                contest=contest,
                unit_id=row["unit_id"],
                rank=rank,
                entrants=row["entrants"],
                expected=row["expected"],
                rate=selectors.percent(row["rate"]),
                prize=prize,
            )
        )
    return results


def collective_prizes_allocate(*, actor: User, contest: Contest) -> list[CollectiveResult]:
    """Rank the units once every round has closed and give the configured collective prizes.

    Eligible: at least the minimum number of entrants and, by rate, a known expected number.
    Ties as for individuals (standard competition ranking): equal units share a rank and its
    prize, and the next rank moves on by the number tied."""
    require_manager(actor, contest)
    now = clock_now()
    rounds = list(contest.rounds.filter(is_practice=False))
    if not rounds or not all(rules.round_is_final(r, now) for r in rounds):
        raise ValidationError(
            "Chỉ xét giải tập thể sau khi vòng thi cuối cùng kết thúc và hết thời gian dành cho "
            "bài đang làm dở."
        )
    for r in rounds:  # attempts the server has not closed yet count too
        close_all_expired(r, now)
    with transaction.atomic():
        c = Contest.objects.select_for_update().get(pk=contest.pk)
        if not c.collective_prizes:
            raise ValidationError(
                "Chưa có cơ cấu giải tập thể. Hãy nhập số giải trong phần cài đặt cuộc thi."
            )
        results = _collective_ranking(c)
        c.collective_results.all().delete()
        CollectiveResult.objects.bulk_create(results)
        c.collective_ranked_at = clock_now()
        c.save(update_fields=["collective_ranked_at"])
        action_log_record(
            actor=actor,
            action="contests.collective.allocated",
            target=c,
            data={
                "basis": c.collective_basis,
                "units": len(results),
                "winners": sum(1 for r in results if r.prize),
            },
        )
    contest.collective_ranked_at = c.collective_ranked_at
    return results
