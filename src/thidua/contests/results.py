"""What a contestant sees after a round: their results and rank, found by receipt or by phone /
e-mail and birth year; the review of their answers once the round has closed (never before);
a certificate of participation or prize with a QR code to a public verification page.

Reads only the contestant's own rows; the hot path (contests/hotpath.py) is untouched: the
review reads the stored submission, the certificate token is made when first asked for.

Answers: `Attempt.questions` holds each drawn question with the option order shown and the
opaque value each option posts, e.g. [[17, "CADB", ["9f…", …]]]: the option shown first (A) is
the bank's C. The hot path maps a posted value back to the bank's letter before it stores and
scores (`hotpath.answer_letters`); `shown_label()` turns the stored letter back into the letter
the contestant saw, so display, scoring and review agree.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from thidua.contests import rules
from thidua.contests.models import (
    LETTERS,
    ContactField,
    Contest,
    Contestant,
    ContestCertificate,
    PrizeTier,
    Question,
    RankEntry,
    Round,
    Submission,
)
from thidua.core.clock import now as clock_now
from thidua.core.text import normalise_phone
from thidua.documents.certificates import PlainLayout, render_certificates
from thidua.documents.official.model import format_place_date

PRIZE_LABELS = dict(PrizeTier.choices)


# --------------------------------------------------------------------------------- answers


def stored_bank_letter(order: str, stored: str) -> str:
    """The bank's letter of a stored answer. Submissions store letters (the hot path maps the
    page's per-attempt codes back before storing), so this only refuses anything else; the
    review reads answers through this function alone."""
    return stored if stored in LETTERS else ""


def shown_label(order: str, bank_letter: str) -> str:
    """The letter the contestant saw for a bank letter, in the attempt's option order."""
    index = order.find(bank_letter) if bank_letter else -1
    return LETTERS[index] if index >= 0 else ""


# --------------------------------------------------------------------------------- lookup


def find_by_receipt(contest: Contest, receipt: str) -> Contestant | None:
    code = "".join(receipt.split()).upper()
    if not code:
        return None
    sub = (
        Submission.objects.filter(receipt=code, round__contest=contest)
        .only("contestant_id")
        .first()
    )
    if sub is None:
        return None
    return Contestant.objects.filter(pk=sub.contestant_id).first()


def find_by_contact(contest: Contest, contact: str, birth_year: int) -> list[Contestant]:
    """Contestants registered with this phone number or e-mail address and this birth year
    (one person who registered on two devices has two). Nothing when the contest did not ask
    for a contact."""
    people = Contestant.objects.filter(contest=contest, birth_year=birth_year)
    text = contact.strip()
    if contest.contact_field == ContactField.EMAIL and "@" in text:
        return list(people.filter(email=text.lower()))  # stored lower-cased (contestant_register)
    if contest.contact_field == ContactField.PHONE:
        phone = normalise_phone(text)
        if len(phone) < 9:  # noqa: PLR2004 - a Vietnamese number has 10 digits
            return []
        return list(people.filter(phone=phone))  # stored normalised (contestant_register)
    return []


# -------------------------------------------------------------------------------- results


@dataclass
class AttemptResult:
    number: int
    receipt: str
    submitted_at: datetime
    score: int | None  # None: not shown yet
    token: str  # the attempt's token, given out only once the round has closed
    closed_by_server: bool


@dataclass
class RoundResult:
    round: Round
    closed: bool
    score_shown: bool
    attempts: list[AttemptResult] = field(default_factory=list)
    rank: int | None = None
    prize: str = ""  # label
    ranked: bool = False

    @property
    def best_token(self) -> str:
        """The attempt whose review and certificate the contestant is offered (the last one)."""
        return self.attempts[-1].token if self.attempts else ""


def score_shown(round_: Round, now: datetime) -> bool:
    return (
        round_.contest.show_score_before_close
        or round_.is_practice
        or rules.round_is_closed(round_, now)
    )


def contestant_results(contestant: Contestant, now: datetime | None = None) -> list[RoundResult]:
    """Every round the contestant submitted in: attempts, score (when the rules show it), rank
    and prize once the round is ranked. Links to the attempts only after the round closes."""
    now = now or clock_now()
    subs = (
        Submission.objects.filter(contestant=contestant)
        .select_related("attempt", "round__contest")
        .order_by("round__number", "attempt__number")
    )
    ranks = {
        e.round_id: e
        for e in RankEntry.objects.filter(contestant=contestant).only("round_id", "rank", "prize")
    }
    by_round: dict[int, RoundResult] = {}
    for s in subs:
        r = s.round
        if r.pk not in by_round:
            closed = rules.round_is_closed(r, now)
            entry = ranks.get(r.pk) if closed and r.ranked_at else None
            by_round[r.pk] = RoundResult(
                round=r,
                closed=closed,
                score_shown=score_shown(r, now),
                rank=entry.rank if entry else None,
                prize=PRIZE_LABELS.get(entry.prize, "") if entry else "",
                ranked=bool(closed and r.ranked_at),
            )
        result = by_round[r.pk]
        result.attempts.append(
            AttemptResult(
                number=s.attempt.number,
                receipt=s.receipt,
                submitted_at=s.submitted_at,
                score=s.score if result.score_shown else None,
                token=str(s.attempt.token) if result.closed else "",
                closed_by_server=s.closed_by_server,
            )
        )
    return list(by_round.values())


# --------------------------------------------------------------------------------- review


@dataclass(frozen=True)
class ReviewOption:
    label: str  # as shown in the attempt
    text: str
    chosen: bool
    correct: bool


@dataclass(frozen=True)
class ReviewItem:
    number: int
    stem: str
    options: tuple[ReviewOption, ...]
    chosen: str  # label, "" when not answered
    correct: str  # label

    @property
    def right(self) -> bool:
        return bool(self.chosen) and self.chosen == self.correct


def can_review(round_: Round, now: datetime) -> bool:
    """Never before the round closes and its grace period has passed: the answers would leak
    to those still taking it (an attempt started before the close is saved and sent until
    then)."""
    return rules.round_is_final(round_, now)


def review_items(submission: Submission) -> list[ReviewItem]:
    """Each question of the attempt in the order drawn, its options in the order shown, the
    contestant's answer (as submitted) and the correct one."""
    drawn: Sequence[Sequence[Any]] = submission.attempt.questions
    questions = {q.pk: q for q in Question.objects.filter(pk__in=[q[0] for q in drawn])}
    items = []
    for number, entry in enumerate(drawn, start=1):
        qid, order = entry[0], entry[1]  # [question id, option order, codes shown]
        question = questions.get(qid)
        if question is None:  # pragma: no cover - questions of a held round are protected
            continue
        texts = dict(question.options)
        chosen_bank = stored_bank_letter(order, str(submission.answers.get(str(qid), "")))
        chosen = shown_label(order, chosen_bank)
        correct = shown_label(order, question.correct)
        items.append(
            ReviewItem(
                number=number,
                stem=question.stem,
                options=tuple(
                    ReviewOption(
                        label=LETTERS[i],
                        text=texts[letter],
                        chosen=LETTERS[i] == chosen,
                        correct=LETTERS[i] == correct,
                    )
                    for i, letter in enumerate(order)
                ),
                chosen=chosen,
                correct=correct,
            )
        )
    return items


# ---------------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class Certified:
    """What a certificate of a round says of a contestant."""

    contestant: Contestant
    round: Round
    prize: str  # label, "" for participation
    rank: int | None
    issued_on: datetime

    @property
    def kind(self) -> str:
        return f"Đạt {self.prize}" if self.prize else "Đã tham gia"


def certifiable(round_: Round, contestant: Contestant, now: datetime) -> Certified | None:
    """A certificate exists once the round has closed, for a contestant who submitted in it;
    a practice round gives none. The prize counts once the round has been ranked."""
    if round_.is_practice or not rules.round_is_closed(round_, now):
        return None
    if not Submission.objects.filter(round=round_, contestant=contestant).exists():
        return None
    entry = (
        RankEntry.objects.filter(round=round_, contestant=contestant).first()
        if round_.ranked_at
        else None
    )
    return Certified(
        contestant=contestant,
        round=round_,
        prize=PRIZE_LABELS.get(entry.prize, "") if entry else "",
        rank=entry.rank if entry else None,
        issued_on=timezone.localtime(round_.closes_at),  # as the organisers' certificates
    )


def certificate_issue(*, round_: Round, contestant: Contestant) -> ContestCertificate:
    """The certificate's verification token, made once (a repeat returns the same one)."""
    found = ContestCertificate.objects.filter(round=round_, contestant=contestant).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ContestCertificate.objects.create(
                round=round_,
                contestant=contestant,
                token=secrets.token_urlsafe(24),
                issued_at=clock_now(),
            )
    except IntegrityError:  # made by a concurrent request
        return ContestCertificate.objects.get(round=round_, contestant=contestant)


def certificate_tokens(round_: Round, contestants: Sequence[Contestant]) -> dict[int, str]:
    """{contestant id: token} for many at once (the organisers' print), made where missing."""
    wanted = {c.pk for c in contestants}
    found = dict(
        ContestCertificate.objects.filter(round=round_, contestant_id__in=wanted).values_list(
            "contestant_id", "token"
        )
    )
    missing = [
        ContestCertificate(
            round=round_, contestant_id=pk, token=secrets.token_urlsafe(24), issued_at=clock_now()
        )
        for pk in wanted - set(found)
    ]
    if missing:
        ContestCertificate.objects.bulk_create(missing, ignore_conflicts=True)
        found = dict(
            ContestCertificate.objects.filter(round=round_, contestant_id__in=wanted).values_list(
                "contestant_id", "token"
            )
        )
    return found


def verify_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('contests:certificate-verify', args=[token])}"


LAYOUT = PlainLayout(
    fields=[
        {"field": "text:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "x": 148.5, "y": 186, "size": 14,
         "font": "bold", "align": "centre"},
        {"field": "text:Độc lập - Tự do - Hạnh phúc", "x": 148.5, "y": 179, "size": 14,
         "font": "bold", "align": "centre"},
        {"field": "organiser", "x": 148.5, "y": 163, "size": 15, "font": "bold",
         "align": "centre"},
        {"field": "text:GIẤY CHỨNG NHẬN", "x": 148.5, "y": 140, "size": 36, "font": "bold",
         "align": "centre", "colour": "#b3141c"},
        {"field": "name", "x": 148.5, "y": 118, "size": 24, "font": "bold", "align": "centre",
         "colour": "#b3141c", "width": 250},
        {"field": "unit", "x": 148.5, "y": 108, "size": 14, "font": "italic", "align": "centre",
         "width": 250},
        {"field": "kind", "x": 148.5, "y": 94, "size": 16, "font": "bold", "align": "centre"},
        {"field": "contest", "x": 148.5, "y": 84, "size": 14, "font": "regular",
         "align": "centre", "width": 240},
        {"field": "place_date", "x": 210, "y": 52, "size": 14, "font": "italic",
         "align": "centre"},
        {"field": "text:BAN TỔ CHỨC", "x": 210, "y": 44, "size": 14, "font": "bold",
         "align": "centre"},
        {"field": "qr", "x": 24, "y": 24, "size": 26},
        {"field": "check", "x": 24, "y": 18, "size": 9, "font": "italic", "align": "left"},
    ],
)  # fmt: skip


def certificate_values(certified: Certified, token: str) -> dict[str, str]:
    round_, contest = certified.round, certified.round.contest
    day = certified.issued_on
    return {
        "organiser": contest.organiser_unit.name.upper(),
        "name": certified.contestant.full_name,
        "unit": certified.contestant.unit_label,
        "kind": certified.kind,
        "contest": f"{contest.title} – {round_.title or f'Vòng {round_.number}'}",
        "place_date": format_place_date(contest.campaign.place or settings.THIDUA_PLACE, day),
        "qr": verify_url(token),
        "check": "Quét mã để kiểm tra giấy chứng nhận",
    }


def certificate_pdf(certified: Certified, token: str) -> bytes:
    return render_certificates(LAYOUT, [certificate_values(certified, token)])


def certificate_by_token(token: str, now: datetime | None = None) -> Certified | None:
    """What the verification page shows: only what the certificate prints."""
    found = (
        ContestCertificate.objects.filter(token=token)
        .select_related("round__contest__organiser_unit", "contestant__unit")
        .first()
    )
    if found is None:
        return None
    return certifiable(found.round, found.contestant, now or clock_now())
