"""Ranking a round and allocating its prizes (one INSERT … SELECT with RANK())."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Value, When

from thidua.accounts.models import User
from thidua.contests import rules
from thidua.contests.models import (
    TIER_ORDER,
    PredictionKind,
    PrizeTier,
    RankEntry,
    Round,
    Submission,
)
from thidua.contests.services._base import require_manager
from thidua.contests.services.attempts import close_all_expired
from thidua.core.clock import now as clock_now
from thidua.core.services import action_log_record

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
    require_manager(actor, round_.contest)
    now = clock_now()
    if round_.is_practice:
        raise ValidationError("Vòng thi thử không xếp hạng và không trao giải.")
    if not rules.round_is_final(round_, now):
        raise ValidationError(
            "Chỉ xếp hạng sau khi vòng thi kết thúc và hết "
            f"{round_.grace_seconds} giây dành cho bài đang làm dở."
        )
    close_all_expired(round_, now)
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


def clean_prizes(prizes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = {str(p.get("tier")): int(p.get("count") or 0) for p in prizes}
    if any(t not in PrizeTier.values for t in counts) or any(c < 0 for c in counts.values()):
        raise ValidationError("Cơ cấu giải không hợp lệ.")
    return [{"tier": str(t), "count": counts[t]} for t in TIER_ORDER if counts.get(t)]
