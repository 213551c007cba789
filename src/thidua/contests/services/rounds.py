"""Rounds: settings checked at creation and on edit, the frozen pool each draws from."""

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from thidua.accounts.models import User
from thidua.contests import rules
from thidua.contests.models import (
    Attempt,
    AttemptsPolicy,
    Contest,
    PredictionKind,
    Question,
    Round,
    RoundQuestion,
)
from thidua.contests.services._base import require_manager
from thidua.contests.services._merge import merge_settings, settings_bases
from thidua.contests.services.ranking import clean_prizes
from thidua.core.clock import now as clock_now
from thidua.core.services import action_log_record


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
    values["prizes"] = clean_prizes(values["prizes"])
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
    require_manager(actor, contest)
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


def round_bases(round_: Round) -> str:
    """The edit form's hidden fingerprints of the settings it shows (core.concurrency)."""
    return settings_bases(round_, ROUND_FIELDS)


def _round_changes(
    r: Round, changed: dict[str, Any], now: datetime
) -> tuple[dict[str, Any], list[Question] | None]:
    """Check an edit against the round's state; before opening, every setting is checked again
    and the pool re-drawn from the bank. Returns the full changes and the new pool."""
    if rules.round_is_closed(r, now):
        raise ValidationError("Vòng thi đã kết thúc, không thể sửa.")
    if rules.round_is_open(r, now):
        _check_open_round_edit(r, changed)
        return changed, None
    values = {k: getattr(r, k) for k in ROUND_FIELDS if k != "title"}
    values.update({k: v for k, v in changed.items() if k != "title"})
    values, pool = _round_values(r.contest, values, editing=r)
    return changed | {k: v for k, v in values.items() if getattr(r, k) != v}, pool


def _replace_pool(r: Round, pool: list[Question]) -> bool:
    """Freeze the new pool; True when its questions differ from the old one's."""
    if set(r.pool.values_list("pk", flat=True)) == {q.pk for q in pool}:
        return False
    RoundQuestion.objects.filter(round=r).delete()
    RoundQuestion.objects.bulk_create(RoundQuestion(round=r, question=q) for q in pool)
    return True


def round_update(
    *, actor: User, round_: Round, bases: Mapping[str, str] | None = None, **fields: Any
) -> Round:
    """Edit a round. Before it opens: every setting, and the pool is taken again from the
    current bank. While open: the title, and the closing time only later. Closed: nothing.
    `bases`: the form's fingerprints (round_bases), so an old page writes only what it changed
    and never undoes someone else's newer edit (M7)."""
    require_manager(actor, round_.contest)
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    now = clock_now()
    with transaction.atomic():
        r = Round.objects.select_for_update().select_related("contest").get(pk=round_.pk)
        if "title" in fields:
            fields["title"] = str(fields["title"]).strip() or r.title
        fields = merge_settings(
            r, fields, bases, _ROUND_LABELS | {"title": "tên vòng", "closes_at": "thời điểm đóng"}
        )
        changed = {k: v for k, v in fields.items() if getattr(r, k) != v}
        if not changed:
            return r
        changed, pool = _round_changes(r, changed, now)
        before = {k: getattr(r, k) for k in changed}
        for name, value in changed.items():
            setattr(r, name, value)
        update = list(changed)
        if pool is not None:
            if _replace_pool(r, pool):
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
