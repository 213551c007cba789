"""Contestants and their attempts: registration, draw, autosave, the server closing expired
attempts. The final submission itself goes through hotpath.submit (raw SQL, one insert)."""

import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from thidua.contests import hotpath, identity, rules, selectors
from thidua.contests.models import (
    Attempt,
    ContactField,
    Contest,
    Contestant,
    Question,
    Round,
    Submission,
)
from thidua.core.clock import now as clock_now
from thidua.core.services import action_log_record
from thidua.core.text import normalise_phone
from thidua.organizations.models import Unit

FIRST_BIRTH_YEAR = 1900
OWN_LIMIT_REACHED = "Bạn đã dùng hết số lần dự thi của vòng này."
CONTACT_LIMIT_REACHED: dict[str, str] = {
    ContactField.PHONE: "Số điện thoại này đã dùng hết số lượt thi của vòng này.",
    ContactField.EMAIL: "Địa chỉ thư điện tử này đã dùng hết số lượt thi của vòng này.",
}


def draw(round_: Round, pool: list[Question] | None = None) -> list[list[Any]]:
    """N random questions (the mix first), each with a random option order, except a question
    with an option naming others ("Cả A và B"): its options stay in the bank's order."""
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
        order = list(q.letters)  # two to four options
        if not q.keeps_order:
            rng.shuffle(order)
        codes: list[str] = []
        while len(codes) < len(order):  # each option's value on the page: opaque, per attempt
            code = secrets.token_hex(4)
            if code not in codes:
                codes.append(code)
        drawn.append([q.pk, "".join(order), codes])
    return drawn


def _person_errors(
    name: str, birth_year: int | None, unit: Unit | None, unit_text: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    year_now = clock_now().year
    if len(name) < 2:  # noqa: PLR2004 - a name has letters
        errors["full_name"] = "Hãy nhập họ và tên."
    if not birth_year or not FIRST_BIRTH_YEAR <= birth_year <= year_now:
        errors["birth_year"] = f"Năm sinh phải từ {FIRST_BIRTH_YEAR} đến {year_now}."
    if unit is None and not unit_text.strip():
        errors["unit"] = "Hãy chọn đơn vị, phường hoặc tự nhập."
    return errors


def _contact_errors(contest: Contest, phone: str, email: str, consent: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    number = normalise_phone(phone)
    # 10 digits (mobile) or 11 (landline), one leading 0: "00912…" would be another number
    if contest.contact_field == ContactField.PHONE and (
        len(number) not in range(10, 12) or not number.startswith("0") or number.startswith("00")
    ):
        errors["phone"] = "Hãy nhập số điện thoại gồm 10 chữ số."
    if contest.contact_field == ContactField.EMAIL and "@" not in email:
        errors["email"] = "Hãy nhập địa chỉ thư điện tử."
    if not consent:
        errors["consent"] = "Bạn cần đồng ý với mục đích sử dụng thông tin để dự thi."
    return errors


def contestant_problems(
    *,
    contest: Contest,
    full_name: str,
    birth_year: int | None,
    unit: Unit | None = None,
    unit_text: str = "",
    phone: str = "",
    email: str = "",
    consent: bool = False,
) -> dict[str, str]:
    """What registration refuses, by field: the registration form shows them all at once
    rather than one round of corrections (and one new check question) per service check."""
    name = " ".join(full_name.split())
    return _person_errors(name, birth_year, unit, unit_text) | _contact_errors(
        contest, phone, email, consent
    )


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
    name = " ".join(full_name.split())
    errors = contestant_problems(
        contest=contest, full_name=name, birth_year=birth_year, unit=unit, unit_text=unit_text,
        phone=phone, email=email, consent=consent,
    )  # fmt: skip
    if errors or birth_year is None:
        raise ValidationError(errors)
    with transaction.atomic():
        contestant = Contestant.objects.create(
            contest=contest,
            full_name=name,
            birth_year=birth_year,
            unit=unit,
            unit_text="" if unit else unit_text.strip()[:255],
            # one form per number ("0912 345 678", "+84 912 345 678"): the attempt limit and
            # the results lookup compare it as stored
            phone=normalise_phone(phone) if contest.contact_field == ContactField.PHONE else "",
            # addresses are compared as typed in any case ("An@Gmail.com" is an@gmail.com)
            email=email.strip().lower() if contest.contact_field == ContactField.EMAIL else "",
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


def _contact_attempts_locked(contestant: Contestant, round_: Round) -> int | None:
    """The round's attempts by every registration of the contestant's phone number or e-mail
    address, where the contest asks for one (one person registering again from other devices
    gets no new attempts); None where it asks for none. Counted under a lock on that contact's
    first registration, a row every start with it shares: two starts at once wait for each
    other instead of both seeing room for one more."""
    same = selectors.same_contact(contestant)
    if same is None:
        return None
    list(same.order_by("pk").select_for_update().values_list("pk", flat=True)[:1])
    return Attempt.objects.filter(round=round_, contestant__in=same).count()


def attempt_start(*, contestant: Contestant, round_: Round) -> Attempt:
    """Start (or resume) an attempt. The round's limit holds per contestant (the database
    refuses an attempt over it) and per phone number or e-mail address (counted under its lock)."""
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
        raise ValidationError(OWN_LIMIT_REACHED)
    end = min(now + timedelta(seconds=round_.time_limit_seconds), round_.closes_at)
    try:
        with transaction.atomic():
            if limit is not None and (_contact_attempts_locked(contestant, round_) or 0) >= limit:
                # the same registration's other start (double click, second tab), waited for
                # behind the lock: resumed, not counted against the contact
                if (current := _open_attempt(contestant, round_, now)) is not None:
                    return current
                raise ValidationError(CONTACT_LIMIT_REACHED[contestant.contest.contact_field])
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
        raise ValidationError(OWN_LIMIT_REACHED) from None


def answer_save(
    *, attempt: Attempt, answers: dict[str, str] | None = None, prediction: int | None = None
) -> Attempt:
    """Autosave answers (question id → the option's value) and the prediction while the server
    deadline has not passed: all are checked before any is saved (the page sends the changes
    made while its previous save was on the way in one body)."""
    answers = dict(answers or {})
    with transaction.atomic():
        a = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if Submission.objects.filter(attempt_id=a.pk).exists():
            raise ValidationError("Bài thi đã nộp.")
        if clock_now() > a.deadline:
            raise ValidationError("Đã hết giờ làm bài.")
        fields = []
        if answers:
            # the option's code from the page (or a bare letter), mapped back here
            mapped = hotpath.answer_letters(a.questions, answers)
            wrong = [q for q in answers if q not in mapped]
            if wrong:  # named by their number on the page when they were drawn
                drawn = [str(q[0]) for q in a.questions]
                numbers = sorted(drawn.index(q) + 1 for q in wrong if q in drawn)
                named = f" (câu {', '.join(map(str, numbers))})" if numbers else ""
                raise ValidationError(f"Câu trả lời không hợp lệ{named}.")
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


def close_all_expired(round_: Round, now: datetime) -> None:
    while attempts_close_expired(now=now, round_=round_):
        pass
