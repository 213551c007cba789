"""The question bank: import, export rows, edits while no round using a question has opened."""

from collections.abc import Mapping
from datetime import datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.contests import bank
from thidua.contests.models import Contest, Difficulty, Question, RoundQuestion
from thidua.contests.services._base import require_manager
from thidua.core.clock import now as clock_now
from thidua.core.concurrency import merge_model_edit
from thidua.core.excel import RowError, SheetFile, as_sheet_file
from thidua.core.services import action_log_record
from thidua.core.text import fold


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
    *,
    actor: User,
    contest: Contest,
    upload: IO[bytes] | SheetFile,
    filename: str,
    notes: list[str] | None = None,
) -> tuple[int, list[RowError]]:
    """Check every row first (contests.bank); write all rows or none. Returns (created, errors);
    `notes` receives what the organiser should know about an import that went through (the
    questions whose options keep the file's order)."""
    require_manager(actor, contest)
    source = as_sheet_file(upload)
    existing = contest.questions.values_list("stem_key", flat=True)
    rows, errors = bank.question_rows_check(source, existing=existing)
    if errors:
        return 0, errors
    kept = bank.kept_order_lines(rows)
    with transaction.atomic():
        Question.objects.bulk_create(bank.new_question(contest, v) for _, v in rows)
        action_log_record(
            actor=actor,
            action="contests.questions.imported",
            target=contest,
            data={"filename": filename, "count": len(rows), "kept_order": kept},
        )
    if notes is not None and kept:
        notes.append(bank.kept_order_notice(kept, "câu" if bank.is_word(source) else "dòng"))
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


# What the edit form shows and the service merges (core.concurrency).
QUESTION_FIELDS = ("topic", "difficulty", "stem", "option_a", "option_b", "option_c", "option_d",
                   "correct", "source")  # fmt: skip


def _question_values(fields: Mapping[str, str]) -> dict[str, str]:
    """The editable fields given, stripped and checked."""
    values = {k: v.strip() for k, v in fields.items() if k in QUESTION_FIELDS}
    if any(not values.get(k, "x") for k in ("stem", "option_a", "option_b")):
        raise ValidationError(
            "Câu hỏi và hai phương án A, B không được để trống (C, D có thể để trống, như câu "
            "Đúng/Sai)."
        )
    if "correct" in values:
        letter = bank.answer_letter(values["correct"])
        if letter is None:
            raise ValidationError(f"Đáp án “{values['correct']}” không thuộc A, B, C, D.")
        values["correct"] = letter
    if "difficulty" in values and values["difficulty"] not in Difficulty.values:
        raise ValidationError("Độ khó không hợp lệ.")
    return values


def _check_options(q: Question) -> None:
    """Two to four options without a gap, the answer among them (as the import checks)."""
    problems = bank.option_problems((q.option_a, q.option_b, q.option_c, q.option_d), q.correct)
    if problems:
        raise ValidationError(problems[0][2])


def question_update(
    *, actor: User, question: Question, bases: Mapping[str, str] | None = None, **fields: str
) -> Question:
    """Edit a question while no round using it has opened. `bases`: the form's fingerprints
    (core.concurrency), so an old page writes only what it changed and never undoes someone
    else's newer edit (M7)."""
    require_manager(actor, question.contest)
    values = _question_values(fields)
    with transaction.atomic():
        q = Question.objects.select_for_update().select_related("contest").get(pk=question.pk)
        if question_is_locked(q):
            raise ValidationError("Câu hỏi đang được dùng trong vòng thi đã mở, không thể sửa.")
        changed = merge_model_edit(q, values, bases)
        for name, value in changed.items():
            setattr(q, name, value)
        _check_options(q)
        if "stem" in changed:
            q.stem_key = fold(changed["stem"])[:500]
            clash = q.contest.questions.filter(stem_key=q.stem_key)
            if clash.exclude(pk=q.pk).exists():
                raise ValidationError("Câu hỏi này đã có trong ngân hàng.")
        q.save(update_fields=[*changed, *(["stem_key"] if "stem" in changed else [])])
        action_log_record(actor=actor, action="contests.question.updated", target=q, data=changed)
    return q
