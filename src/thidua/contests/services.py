"""Every write of the contest: one function per state change, with permission checks and the
action log. The final submission itself goes through hotpath.submit (raw SQL, one insert)."""

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Value, When

from thidua.accounts.models import User
from thidua.campaigns.models import Campaign
from thidua.contests import bank, hotpath, identity, rules, selectors
from thidua.contests.models import (
    LETTERS,
    TIER_ORDER,
    Attempt,
    AttemptsPolicy,
    CollectiveBasis,
    CollectiveResult,
    ContactField,
    Contest,
    Contestant,
    Difficulty,
    PredictionKind,
    PrizeTier,
    Question,
    RankEntry,
    Round,
    RoundQuestion,
    Submission,
    UnitTarget,
)
from thidua.core.clock import now as clock_now
from thidua.core.excel import Column, RowError, SheetFile, parse_int_cell, read_rows
from thidua.core.services import action_log_record
from thidua.core.text import fold
from thidua.organizations.models import Unit

FIRST_BIRTH_YEAR = 1900


def _require_manager(actor: User, contest: Contest) -> None:
    if not rules.can_manage_contest(actor, contest):
        raise PermissionDenied


# --- Contest -------------------------------------------------------------------------------


def contest_create(
    *,
    actor: User,
    campaign: Campaign,
    organiser_unit: Unit,
    title: str,
    rules_text: str = "",
    contact_field: str = ContactField.NONE,
    show_score_before_close: bool = False,
) -> Contest:
    contest = Contest(
        campaign=campaign,
        organiser_unit=organiser_unit,
        title=title.strip(),
        rules=rules_text,
        contact_field=contact_field,
        show_score_before_close=show_score_before_close,
    )
    _require_manager(actor, contest)
    if not contest.title:
        raise ValidationError("Hãy nhập tên cuộc thi.")
    with transaction.atomic():
        contest.save()
        action_log_record(
            actor=actor, action="contests.contest.created", target=contest, data={"title": title}
        )
    return contest


_CONTEST_FIELDS = ("title", "rules", "contact_field", "show_score_before_close",
                   "collective_basis", "collective_prizes", "collective_min_entrants",
                   "verify_contact")  # fmt: skip
_COLLECTIVE_FIELDS = {"collective_basis", "collective_prizes", "collective_min_entrants"}


def contest_update(*, actor: User, contest: Contest, **fields: Any) -> Contest:
    """The contest's settings, any time. A change to the collective prize rules discards an
    allocation already made, so the organiser allocates again under the new rules."""
    _require_manager(actor, contest)
    unknown = set(fields) - set(_CONTEST_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "title" in fields:
        fields["title"] = str(fields["title"]).strip()
        if not fields["title"]:
            raise ValidationError("Hãy nhập tên cuộc thi.")
    if "contact_field" in fields and fields["contact_field"] not in ContactField.values:
        raise ValidationError("Thông tin liên hệ không hợp lệ.")
    if "collective_basis" in fields and fields["collective_basis"] not in CollectiveBasis.values:
        raise ValidationError("Cách xét giải tập thể không hợp lệ.")
    if "collective_prizes" in fields:
        fields["collective_prizes"] = _clean_prizes(fields["collective_prizes"])
    if "collective_min_entrants" in fields and int(fields["collective_min_entrants"]) < 0:
        raise ValidationError("Số người dự thi tối thiểu không được âm.")
    with transaction.atomic():
        c = Contest.objects.select_for_update().get(pk=contest.pk)
        changed = {k: v for k, v in fields.items() if getattr(c, k) != v}
        if not changed:
            return c
        before = {k: getattr(c, k) for k in changed}
        for name, value in changed.items():
            setattr(c, name, value)
        identity.check_contest_setting(c)
        update = list(changed)
        if _COLLECTIVE_FIELDS & set(changed) and c.collective_ranked_at is not None:
            c.collective_results.all().delete()
            c.collective_ranked_at = None
            update.append("collective_ranked_at")
        c.save(update_fields=update)
        action_log_record(
            actor=actor,
            action="contests.contest.updated",
            target=c,
            data={k: {"from": before[k], "to": changed[k]} for k in changed if k != "rules"}
            | ({"rules": "changed"} if "rules" in changed else {}),
        )
    return c


# --- Collective prizes ---------------------------------------------------------------------


def _parse_expected(value: Any) -> int:
    number = parse_int_cell(value)
    if number < 1:
        raise ValidationError("Số người dự kiến phải lớn hơn 0.")
    return number


TARGET_COLUMNS = (
    Column(
        "Mã đơn vị",
        "code",
        required=True,
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
    _require_manager(actor, contest)
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


def unit_targets_import(
    *, actor: User, contest: Contest, upload: IO[bytes] | SheetFile, filename: str
) -> tuple[int, list[RowError]]:
    """Expected participants per unit from a spreadsheet (unit code, number; an empty number
    clears the unit's figure). Every row is checked first; all rows or none are written."""
    _require_manager(actor, contest)
    rows, errors = read_rows(upload, TARGET_COLUMNS)
    codes = {str(v["code"]).strip() for _, v in rows if v.get("code")}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    seen: dict[str, int] = {}
    for number, values in rows:
        code = str(values.get("code") or "").strip()
        if not code:
            continue
        if code not in units:
            errors.append(RowError(number, "Mã đơn vị", f"Không có đơn vị mã “{code}”."))
        elif code in seen:
            errors.append(RowError(number, "Mã đơn vị", f"Trùng đơn vị ở dòng {seen[code]}."))
        else:
            seen[code] = number
    errors.sort(key=lambda e: (e.row, e.column))
    if errors:
        return 0, errors
    with transaction.atomic():
        for _, values in rows:
            unit = units[str(values["code"]).strip()]
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
    _require_manager(actor, contest)
    now = clock_now()
    rounds = list(contest.rounds.filter(is_practice=False))
    if not rounds or not all(rules.round_is_final(r, now) for r in rounds):
        raise ValidationError(
            "Chỉ xét giải tập thể sau khi vòng thi cuối cùng kết thúc và hết thời gian dành cho "
            "bài đang làm dở."
        )
    for r in rounds:  # attempts the server has not closed yet count too
        _close_all_expired(r, now)
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


# --- Question bank ---------------------------------------------------------------------------


def question_rows(contest: Contest) -> list[list[Any]]:
    """The question bank in the import format, so an export imports into another contest."""
    return [
        [
            q.topic,
            q.get_difficulty_display(),
            q.stem,
            q.option_a,
            q.option_b,
            q.option_c,
            q.option_d,
            q.correct,
            q.source,
        ]
        for q in contest.questions.order_by("id")
    ]


def question_import(
    *, actor: User, contest: Contest, upload: IO[bytes] | SheetFile, filename: str
) -> tuple[int, list[RowError]]:
    """Check every row first (contests.bank); write all rows or none. Returns (created, errors)."""
    _require_manager(actor, contest)
    existing = contest.questions.values_list("stem_key", flat=True)
    rows, errors = bank.question_rows_check(upload, existing=existing)
    if errors:
        return 0, errors
    with transaction.atomic():
        Question.objects.bulk_create(bank.new_question(contest, v) for _, v in rows)
        action_log_record(
            actor=actor,
            action="contests.questions.imported",
            target=contest,
            data={"filename": filename, "count": len(rows)},
        )
    return len(rows), []


def question_import_file(
    actor: User, upload: SheetFile, params: dict[str, str]
) -> tuple[int, list[RowError]]:
    """question_import for a background job (core.imports)."""
    contest = Contest.objects.get(pk=int(params["contest"]))
    return question_import(actor=actor, contest=contest, upload=upload, filename=upload.filename)


def question_is_locked(question: Question, now: datetime | None = None) -> bool:
    """A question in the pool of a round that has opened cannot change any more."""
    return RoundQuestion.objects.filter(
        question=question, round__opens_at__lte=now or clock_now()
    ).exists()


def question_update(*, actor: User, question: Question, **fields: str) -> Question:
    _require_manager(actor, question.contest)
    if question_is_locked(question):
        raise ValidationError("Câu hỏi đang được dùng trong vòng thi đã mở, không thể sửa.")
    allowed = {"topic", "difficulty", "stem", "option_a", "option_b", "option_c", "option_d",
               "correct", "source"}  # fmt: skip
    changed = {k: v.strip() for k, v in fields.items() if k in allowed}
    if any(
        not changed.get(k, "x") for k in ("stem", "option_a", "option_b", "option_c", "option_d")
    ):
        raise ValidationError("Câu hỏi và bốn phương án không được để trống.")
    if "correct" in changed:
        letter = bank.answer_letter(changed["correct"])
        if letter is None:
            raise ValidationError(f"Đáp án “{changed['correct']}” không thuộc A, B, C, D.")
        changed["correct"] = letter
    if "difficulty" in changed and changed["difficulty"] not in Difficulty.values:
        raise ValidationError("Độ khó không hợp lệ.")
    for name, value in changed.items():
        setattr(question, name, value)
    if "stem" in changed:
        question.stem_key = fold(changed["stem"])[:500]
        clash = question.contest.questions.filter(stem_key=question.stem_key)
        if clash.exclude(pk=question.pk).exists():
            raise ValidationError("Câu hỏi này đã có trong ngân hàng.")
    with transaction.atomic():
        question.save(update_fields=[*changed, *(["stem_key"] if "stem" in changed else [])])
        action_log_record(
            actor=actor, action="contests.question.updated", target=question, data=changed
        )
    return question


# --- Rounds --------------------------------------------------------------------------------


def _clean_prizes(prizes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = {str(p.get("tier")): int(p.get("count") or 0) for p in prizes}
    if any(t not in PrizeTier.values for t in counts) or any(c < 0 for c in counts.values()):
        raise ValidationError("Cơ cấu giải không hợp lệ.")
    return [{"tier": str(t), "count": counts[t]} for t in TIER_ORDER if counts.get(t)]


def _clean_mix(mix: Sequence[dict[str, Any]], pool: list[Question], total: int) -> list[Any]:
    clean: list[dict[str, Any]] = []
    for item in mix:
        count = int(item.get("count") or 0)
        if count <= 0:
            continue
        topic, difficulty = str(item.get("topic") or ""), str(item.get("difficulty") or "")
        available = sum(
            1
            for q in pool
            if (not topic or q.topic == topic) and (not difficulty or q.difficulty == difficulty)
        )
        if available < count:
            raise ValidationError(
                f"Ngân hàng chỉ có {available} câu cho chủ đề “{topic or 'bất kỳ'}”, "
                f"độ khó “{difficulty or 'bất kỳ'}”, không đủ {count} câu."
            )
        clean.append({"topic": topic, "difficulty": difficulty, "count": count})
    if sum(i["count"] for i in clean) > total:
        raise ValidationError("Tổng số câu theo cơ cấu vượt quá số câu của đề.")
    return clean


_PREDICTION_DEFAULTS = {
    PredictionKind.ALL_CORRECT: "Dự đoán có bao nhiêu bài trả lời đúng tất cả các câu hỏi của vòng này?",
    PredictionKind.PARTICIPANTS: "Dự đoán có bao nhiêu người tham gia vòng thi này?",
}  # fmt: skip


def _check_practice_apart(
    contest: Contest, values: dict[str, Any], pool: list[Question], editing: Round | None
) -> None:
    """A practice round shows the score at once and allows any number of attempts: answering
    one question per attempt reveals its correct letter. So it shares no question with a
    scored round that has not yet closed when it opens (or opens before it closes)."""
    others = RoundQuestion.objects.filter(
        round__contest=contest,
        round__is_practice=not values["is_practice"],
        question_id__in=[q.pk for q in pool],
    )
    if values["is_practice"]:  # scored rounds still running once this practice opens
        others = others.filter(round__closes_at__gt=values["opens_at"])
    else:  # practice rounds that open before this scored round closes
        others = others.filter(round__opens_at__lt=values["closes_at"])
    if editing is not None:
        others = others.exclude(round=editing)
    clash = others.select_related("round").first()
    if clash is not None:
        raise ValidationError(
            f"Câu hỏi của vòng thi thử không được dùng ở vòng chính thức chưa kết thúc "
            f"(trùng với “{clash.round.title}”): vòng thi thử cho biết điểm ngay và không giới "
            "hạn số lần, người dự thi có thể dò ra đáp án. Hãy dành một chủ đề riêng cho thi "
            "thử và chọn chủ đề khác cho vòng chính thức."
        )


def _round_values(
    contest: Contest, values: dict[str, Any], editing: Round | None = None
) -> tuple[dict[str, Any], list[Question]]:
    """Check a round's settings (creation and edits before opening); return the clean values
    and the pool they draw from."""
    if values["closes_at"] <= values["opens_at"]:
        raise ValidationError("Thời điểm đóng phải sau thời điểm mở.")
    if values["question_count"] < 1 or values["time_limit_seconds"] < 60:  # noqa: PLR2004
        raise ValidationError("Đề phải có ít nhất 1 câu và thời gian làm bài ít nhất 1 phút.")
    policy = values["attempts_policy"]
    if values["is_practice"]:
        policy = values["attempts_policy"] = AttemptsPolicy.UNLIMITED
        values["prizes"] = []
    if policy not in AttemptsPolicy.values:
        raise ValidationError("Số lần dự thi không hợp lệ.")
    if policy == AttemptsPolicy.LIMITED and not (
        values["max_attempts"] and values["max_attempts"] >= 1
    ):
        raise ValidationError("Hãy nhập số lần dự thi tối đa.")
    if policy != AttemptsPolicy.LIMITED:
        values["max_attempts"] = None
    if values["prediction_kind"] not in PredictionKind.values:
        raise ValidationError("Loại câu hỏi dự đoán không hợp lệ.")
    topic = values["pool_topic"] = values["pool_topic"].strip()
    pool = list(contest.questions.filter(topic=topic) if topic else contest.questions.all())
    if topic and not pool:
        raise ValidationError(f"Ngân hàng không có câu hỏi nào thuộc chủ đề “{topic}”.")
    if len(pool) < values["question_count"]:
        raise ValidationError(
            f"Ngân hàng có {len(pool)} câu hỏi{f' thuộc chủ đề “{topic}”' if topic else ''}, "
            f"không đủ để rút {values['question_count']} câu."
        )
    values["prediction_text"] = values["prediction_text"].strip() or _PREDICTION_DEFAULTS.get(
        values["prediction_kind"], ""
    )
    _check_practice_apart(contest, values, pool, editing)
    values["prizes"] = _clean_prizes(values["prizes"])
    values["mix"] = _clean_mix(values["mix"], pool, values["question_count"])
    return values, pool


def round_create(
    *,
    actor: User,
    contest: Contest,
    opens_at: datetime,
    closes_at: datetime,
    question_count: int = 10,
    time_limit_seconds: int = 900,
    attempts_policy: str = AttemptsPolicy.ONE,
    max_attempts: int | None = None,
    prediction_kind: str = PredictionKind.ALL_CORRECT,
    prediction_text: str = "",
    prizes: Sequence[dict[str, Any]] = (),
    mix: Sequence[dict[str, Any]] = (),
    title: str = "",
    grace_seconds: int = 10,
    is_practice: bool = False,
    pool_topic: str = "",
) -> Round:
    """A round takes the current bank (or one topic of it) as its frozen pool."""
    _require_manager(actor, contest)
    values, pool = _round_values(
        contest,
        {
            "opens_at": opens_at,
            "closes_at": closes_at,
            "question_count": question_count,
            "time_limit_seconds": time_limit_seconds,
            "attempts_policy": attempts_policy,
            "max_attempts": max_attempts,
            "prediction_kind": prediction_kind,
            "prediction_text": prediction_text,
            "prizes": prizes,
            "mix": mix,
            "is_practice": is_practice,
            "pool_topic": pool_topic,
        },
    )
    with transaction.atomic():
        number = (
            contest.rounds.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        default_title = f"Vòng thi thử {number}" if is_practice else f"Vòng {number}"
        round_ = Round.objects.create(
            contest=contest,
            number=number,
            title=title.strip() or default_title,
            grace_seconds=grace_seconds,
            **values,
        )
        RoundQuestion.objects.bulk_create(RoundQuestion(round=round_, question=q) for q in pool)
        action_log_record(
            actor=actor,
            action="contests.round.created",
            target=round_,
            data={"number": number, "questions": question_count, "pool": len(pool),
                  "practice": is_practice},
        )  # fmt: skip
    return round_


ROUND_FIELDS = ("title", "opens_at", "closes_at", "question_count", "time_limit_seconds",
                "attempts_policy", "max_attempts", "prediction_kind", "prediction_text",
                "prizes", "mix", "is_practice", "pool_topic")  # fmt: skip
# Once a round is open, contestants hold draws and deadlines made under its rules: only the
# title and a later closing time may change (the closing time moves open attempts with it).
OPEN_ROUND_FIELDS = ("title", "closes_at")


def _log_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def round_update(*, actor: User, round_: Round, **fields: Any) -> Round:
    """Edit a round. Before it opens: every setting, and the pool is taken again from the
    current bank. While open: the title, and the closing time only later. Closed: nothing."""
    _require_manager(actor, round_.contest)
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    now = clock_now()
    with transaction.atomic():
        r = Round.objects.select_for_update().select_related("contest").get(pk=round_.pk)
        if "title" in fields:
            fields["title"] = str(fields["title"]).strip() or r.title
        changed = {k: v for k, v in fields.items() if getattr(r, k) != v}
        if not changed:
            return r
        before = {k: getattr(r, k) for k in changed}
        pool: list[Question] | None = None
        if rules.round_is_closed(r, now):
            raise ValidationError("Vòng thi đã kết thúc, không thể sửa.")
        if rules.round_is_open(r, now):
            _check_open_round_edit(r, changed)
        else:
            values = {k: getattr(r, k) for k in ROUND_FIELDS if k != "title"}
            values.update({k: v for k, v in changed.items() if k != "title"})
            values, pool = _round_values(r.contest, values, editing=r)
            changed.update({k: v for k, v in values.items() if getattr(r, k) != v})
            for k in changed:
                before.setdefault(k, getattr(r, k))
        for name, value in changed.items():
            setattr(r, name, value)
        update = list(changed)
        if pool is not None:
            kept = set(r.pool.values_list("pk", flat=True))
            if kept != {q.pk for q in pool}:
                RoundQuestion.objects.filter(round=r).delete()
                RoundQuestion.objects.bulk_create(RoundQuestion(round=r, question=q) for q in pool)
                changed["pool"] = len(pool)
            r.key_version += 1  # the hot path's cached answer key follows
            update.append("key_version")
        r.save(update_fields=update)
        moved = 0
        if "closes_at" in changed and rules.round_is_open(r, now):
            moved = _attempts_follow_close(r, before["closes_at"], now)
        action_log_record(
            actor=actor,
            action="contests.round.updated",
            target=r,
            data={
                k: {"from": _log_value(before.get(k)), "to": _log_value(v)}
                for k, v in changed.items()
                if k != "pool"
            }
            | ({"pool": changed["pool"]} if "pool" in changed else {})
            | ({"attempts_extended": moved} if moved else {}),
        )
    return r


_ROUND_LABELS = {
    "opens_at": "thời điểm mở", "question_count": "số câu hỏi",
    "time_limit_seconds": "thời gian làm bài", "attempts_policy": "số lần dự thi",
    "max_attempts": "số lần tối đa", "prediction_kind": "câu hỏi dự đoán",
    "prediction_text": "nội dung câu dự đoán", "prizes": "cơ cấu giải", "mix": "cơ cấu đề",
    "is_practice": "vòng thi thử", "pool_topic": "chủ đề của đề",
}  # fmt: skip


def _check_open_round_edit(r: Round, changed: dict[str, Any]) -> None:
    refused = [_ROUND_LABELS.get(k, k) for k in changed if k not in OPEN_ROUND_FIELDS]
    if refused:
        raise ValidationError(
            "Vòng thi đang mở, chỉ được sửa tên vòng và gia hạn thời điểm đóng; "
            f"không sửa được: {', '.join(refused)}."
        )
    if "closes_at" in changed and changed["closes_at"] < r.closes_at:
        raise ValidationError(
            "Vòng thi đang mở, chỉ được gia hạn thời điểm đóng (không được đóng sớm hơn)."
        )


def _attempts_follow_close(r: Round, old_close: datetime, now: datetime) -> int:
    """Open attempts cut short by the old closing time get the time limit they were owed."""
    capped = Attempt.objects.filter(
        round=r,
        submission__isnull=True,
        deadline__gt=now,
        deadline__lte=old_close + timedelta(seconds=r.grace_seconds),
    )
    moved = 0
    for attempt in capped.only("pk", "started_at"):
        end = min(attempt.started_at + timedelta(seconds=r.time_limit_seconds), r.closes_at)
        moved += Attempt.objects.filter(pk=attempt.pk).update(
            deadline=end + timedelta(seconds=r.grace_seconds)
        )
    return moved


def draw(round_: Round, pool: list[Question] | None = None) -> list[list[Any]]:
    """N random questions (the mix first), each with a random option order."""
    rng = secrets.SystemRandom()
    remaining = list(pool if pool is not None else round_.pool.all())
    rng.shuffle(remaining)
    chosen: list[Question] = []
    for item in round_.mix:
        matches = [
            q
            for q in remaining
            if (not item["topic"] or q.topic == item["topic"])
            and (not item["difficulty"] or q.difficulty == item["difficulty"])
        ][: item["count"]]
        chosen += matches
        remaining = [q for q in remaining if q not in matches]
    chosen += remaining[: max(0, round_.question_count - len(chosen))]
    rng.shuffle(chosen)
    drawn = []
    for q in chosen:
        order = list(LETTERS)
        rng.shuffle(order)
        codes: list[str] = []
        while len(codes) < len(order):  # each option's value on the page: opaque, per attempt
            code = secrets.token_hex(4)
            if code not in codes:
                codes.append(code)
        drawn.append([q.pk, "".join(order), codes])
    return drawn


# --- Contestants and attempts --------------------------------------------------------------


def contestant_register(
    *,
    contest: Contest,
    full_name: str,
    birth_year: int | None,
    unit: Unit | None = None,
    unit_text: str = "",
    phone: str = "",
    email: str = "",
    consent: bool = False,
) -> Contestant:
    errors: dict[str, str] = {}
    year_now = clock_now().year
    name = " ".join(full_name.split())
    if len(name) < 2:  # noqa: PLR2004 - a name has letters
        errors["full_name"] = "Hãy nhập họ và tên."
    if not birth_year or not FIRST_BIRTH_YEAR <= birth_year <= year_now:
        errors["birth_year"] = f"Năm sinh phải từ {FIRST_BIRTH_YEAR} đến {year_now}."
    if unit is None and not unit_text.strip():
        errors["unit"] = "Hãy chọn đơn vị, phường hoặc tự nhập."
    if contest.contact_field == ContactField.PHONE and len(
        [c for c in phone if c.isdigit()]
    ) not in range(9, 12):
        errors["phone"] = "Hãy nhập số điện thoại gồm 10 chữ số."
    if contest.contact_field == ContactField.EMAIL and "@" not in email:
        errors["email"] = "Hãy nhập địa chỉ thư điện tử."
    if not consent:
        errors["consent"] = "Bạn cần đồng ý với mục đích sử dụng thông tin để dự thi."
    if errors or birth_year is None:
        raise ValidationError(errors)
    with transaction.atomic():
        contestant = Contestant.objects.create(
            contest=contest,
            full_name=name,
            birth_year=birth_year,
            unit=unit,
            unit_text="" if unit else unit_text.strip()[:255],
            phone=phone.strip() if contest.contact_field == ContactField.PHONE else "",
            email=email.strip() if contest.contact_field == ContactField.EMAIL else "",
            consent_at=clock_now(),
        )
        action_log_record(
            actor=None, action="contests.contestant.registered", target=contestant, data={}
        )
    return contestant


def _open_attempt(contestant: Contestant, round_: Round, now: datetime) -> Attempt | None:
    return (
        Attempt.objects.filter(
            contestant=contestant, round=round_, submission__isnull=True, deadline__gt=now
        )
        .order_by("-number")
        .first()
    )


def attempt_start(*, contestant: Contestant, round_: Round) -> Attempt:
    """Start (or resume) an attempt. The database refuses attempts over the round's limit."""
    now = clock_now()
    if round_.contest_id != contestant.contest_id:
        raise PermissionDenied
    if not rules.round_is_open(round_, now):
        raise ValidationError("Vòng thi chưa mở hoặc đã kết thúc.")
    if identity.needs_verification(contestant):
        raise ValidationError("Hãy xác minh thông tin liên hệ bằng mã được gửi trước khi làm bài.")
    current = _open_attempt(contestant, round_, now)
    if current is not None:
        return current  # resume on the same device
    attempts_close_expired(now=now, round_=round_, contestant=contestant)
    number = Attempt.objects.filter(contestant=contestant, round=round_).count() + 1
    limit = round_.attempt_limit
    if limit is not None and number > limit:
        raise ValidationError("Bạn đã dùng hết số lần dự thi của vòng này.")
    end = min(now + timedelta(seconds=round_.time_limit_seconds), round_.closes_at)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                round=round_,
                contestant=contestant,
                number=number,
                attempt_limit=limit,
                started_at=now,
                deadline=end + timedelta(seconds=round_.grace_seconds),
                questions=draw(round_),
            )
    except IntegrityError:  # a second tab started one at the same moment
        current = _open_attempt(contestant, round_, now)
        if current is not None:
            return current
        raise ValidationError("Bạn đã dùng hết số lần dự thi của vòng này.") from None


def answer_save(
    *, attempt: Attempt, question_id: int | None = None, letter: str = "",
    prediction: int | None = None,
) -> Attempt:  # fmt: skip
    """Autosave one answer (or the prediction) while the server deadline has not passed."""
    with transaction.atomic():
        a = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if Submission.objects.filter(attempt_id=a.pk).exists():
            raise ValidationError("Bài thi đã nộp.")
        if clock_now() > a.deadline:
            raise ValidationError("Đã hết giờ làm bài.")
        fields = []
        if question_id is not None:
            # ``letter``: the option's code from the page (or a bare letter), mapped back here.
            mapped = hotpath.answer_letters(a.questions, {str(question_id): letter})
            if str(question_id) not in mapped:
                raise ValidationError("Câu trả lời không hợp lệ.")
            a.answers = {**a.answers, **mapped}
            fields.append("answers")
        if prediction is not None:
            if not 0 <= prediction < 2**31:
                raise ValidationError("Số dự đoán không hợp lệ.")
            a.prediction = prediction
            fields.append("prediction")
        if fields:
            a.save(update_fields=fields)
    return a


SWEEP_WINDOW = timedelta(days=2)  # the sweep runs every 5 minutes; a round's close sweeps it all


def attempts_close_expired(
    *,
    now: datetime | None = None,
    round_: Round | None = None,
    contestant: Contestant | None = None,
    limit: int = 5000,
) -> int:
    """The server closes attempts past their deadline with what was saved (idempotent).

    The periodic sweep looks back SWEEP_WINDOW only, so it reads recent deadlines by index
    instead of every attempt ever made; closing a round closes all of its attempts."""
    now = now or clock_now()
    due = Attempt.objects.filter(deadline__lt=now, submission__isnull=True)
    if round_ is not None:
        due = due.filter(round=round_)
    elif contestant is None:
        due = due.filter(deadline__gte=now - SWEEP_WINDOW)
    if contestant is not None:
        due = due.filter(contestant=contestant)
    closed = 0
    for token in due.values_list("token", flat=True)[:limit]:
        status, _ = hotpath.submit(str(token), uuid.uuid4(), {}, None, now=now)
        closed += status == 201  # noqa: PLR2004 - HTTP created
    return closed


def _close_all_expired(round_: Round, now: datetime) -> None:
    while attempts_close_expired(now=now, round_=round_):
        pass


# --- Ranking and prizes --------------------------------------------------------------------

_RANK_INSERT = """
INSERT INTO contests_rankentry
    (round_id, submission_id, contestant_id, rank, score, prediction_gap, duration_ms,
     submitted_at, prize)
SELECT round_id, id, contestant_id,
       RANK() OVER (ORDER BY score DESC, COALESCE(gap, {big}) ASC, duration_ms ASC,
                    submitted_at ASC),
       score, gap, duration_ms, submitted_at, ''
FROM ({best}) AS b
"""
# Each person's best submission: DISTINCT ON on PostgreSQL (one sort, presorted by the
# (round, contestant) index), ROW_NUMBER() elsewhere.
_BEST_POSTGRES = """
    SELECT DISTINCT ON (s.contestant_id) s.id, s.round_id, s.contestant_id, s.score,
           s.duration_ms, s.submitted_at, ABS(s.prediction - %s) AS gap
    FROM contests_submission s
    WHERE s.round_id = %s
    ORDER BY s.contestant_id, s.score DESC, COALESCE(ABS(s.prediction - %s), {big}) ASC,
             s.duration_ms ASC, s.submitted_at ASC, s.id ASC
"""
_BEST_OTHER = """
    SELECT * FROM (
        SELECT s.id, s.round_id, s.contestant_id, s.score, s.duration_ms, s.submitted_at,
               ABS(s.prediction - %s) AS gap,
               ROW_NUMBER() OVER (
                   PARTITION BY s.contestant_id
                   ORDER BY s.score DESC, COALESCE(ABS(s.prediction - %s), {big}) ASC,
                            s.duration_ms ASC, s.submitted_at ASC, s.id ASC) AS best
        FROM contests_submission s
        WHERE s.round_id = %s) AS numbered
    WHERE best = 1
"""
_BIG = 2**62


def round_actual_value(round_: Round) -> int:
    """The answer to the prediction question, from the stored submissions."""
    subs = Submission.objects.filter(round=round_)
    if round_.prediction_kind == PredictionKind.PARTICIPANTS:
        return subs.values("contestant_id").distinct().count()
    return subs.filter(score=round_.question_count).count()


def round_rank(*, actor: User, round_: Round, actual_value: int | None = None) -> Round:
    """One statement ranks the round: score, prediction closeness, time, submission time.

    Each contestant's best attempt counts. Then prizes are allocated by the structure.
    """
    _require_manager(actor, round_.contest)
    now = clock_now()
    if round_.is_practice:
        raise ValidationError("Vòng thi thử không xếp hạng và không trao giải.")
    if not rules.round_is_final(round_, now):
        raise ValidationError(
            "Chỉ xếp hạng sau khi vòng thi kết thúc và hết "
            f"{round_.grace_seconds} giây dành cho bài đang làm dở."
        )
    _close_all_expired(round_, now)
    with transaction.atomic():
        r = Round.objects.select_for_update().get(pk=round_.pk)
        r.actual_value = actual_value if actual_value is not None else round_actual_value(r)
        RankEntry.objects.filter(round=r).delete()
        with connection.cursor() as cursor:
            value = r.actual_value
            if connection.vendor == "postgresql":
                # both sorts in memory; no JIT compilation for a statement that runs once
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
                best, params = _BEST_POSTGRES, [value, r.pk, value]
            else:
                best, params = _BEST_OTHER, [value, value, r.pk]
            sql = _RANK_INSERT.format(best=best.format(big=_BIG), big=_BIG)
            cursor.execute(sql, params)
        prizes_allocate(r)
        r.ranked_at = now
        r.save(update_fields=["actual_value", "ranked_at"])
        action_log_record(
            actor=actor,
            action="contests.round.ranked",
            target=r,
            data={"actual_value": r.actual_value},
        )
    return r


def prize_thresholds(prizes: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    """[(tier, last rank it reaches)] for 1 first, 2 second, …: [(first, 1), (second, 3), …]."""
    result, reach = [], 0
    for item in prizes:
        reach += int(item["count"])
        result.append((str(item["tier"]), reach))
    return result


def prizes_allocate(round_: Round) -> None:
    """Standard competition ranking: exact ties share the tier of their rank (RANK() leaves a
    gap after a tie), so a tie never pushes anyone down and the next rank moves on."""
    thresholds = prize_thresholds(round_.prizes)
    if not thresholds:
        return
    RankEntry.objects.filter(round=round_, rank__lte=thresholds[-1][1]).update(
        prize=Case(
            *[When(rank__lte=reach, then=Value(tier)) for tier, reach in thresholds],
            default=Value(""),
        )
    )
