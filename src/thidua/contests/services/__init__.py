"""Every write of the contest: one function per state change, with permission checks and the
action log. One module per concern; this package re-exports the public API, so callers may
import either ``services.attempt_start`` or ``services.attempts.attempt_start``.

- contest: the contest and its settings
- questions: the question bank
- rounds: round settings and their frozen pools
- attempts: contestants, draws, autosave, closing expired attempts
- ranking: ranking a round, prize structure and allocation
- collective: expected participants per unit, collective prizes
"""

from thidua.contests.services.attempts import (
    FIRST_BIRTH_YEAR,
    SWEEP_WINDOW,
    answer_save,
    attempt_start,
    attempts_close_expired,
    contestant_problems,
    contestant_register,
    draw,
)
from thidua.contests.services.collective import (
    TARGET_COLUMNS,
    collective_order,
    collective_prizes_allocate,
    target_rows,
    unit_target_set,
    unit_targets_import,
    unit_targets_import_file,
)
from thidua.contests.services.contest import contest_create, contest_update
from thidua.contests.services.questions import (
    question_import,
    question_import_file,
    question_is_locked,
    question_rows,
    question_update,
)
from thidua.contests.services.ranking import (
    prize_thresholds,
    prizes_allocate,
    round_actual_value,
    round_rank,
)
from thidua.contests.services.rounds import (
    OPEN_ROUND_FIELDS,
    ROUND_FIELDS,
    round_create,
    round_update,
)

__all__ = [
    "FIRST_BIRTH_YEAR",
    "OPEN_ROUND_FIELDS",
    "ROUND_FIELDS",
    "SWEEP_WINDOW",
    "TARGET_COLUMNS",
    "answer_save",
    "attempt_start",
    "attempts_close_expired",
    "collective_order",
    "collective_prizes_allocate",
    "contest_create",
    "contest_update",
    "contestant_problems",
    "contestant_register",
    "draw",
    "prize_thresholds",
    "prizes_allocate",
    "question_import",
    "question_import_file",
    "question_is_locked",
    "question_rows",
    "question_update",
    "round_actual_value",
    "round_create",
    "round_rank",
    "round_update",
    "target_rows",
    "unit_target_set",
    "unit_targets_import",
    "unit_targets_import_file",
]
