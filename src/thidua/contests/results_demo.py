"""Demo: a contestant of the closed round 1 (June 2022) who can look up her results, review
her answers and download her certificate (called by thidua.demo.load after the contest). The
contest asks for a phone number from now on; the 40 sample entrants registered without one.
Invented (†)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from thidua.accounts.models import User
from thidua.contests import hotpath, results, services
from thidua.contests.models import Attempt, ContactField, Contest, Contestant, Submission
from thidua.organizations.models import Unit

NAME, BIRTH_YEAR, PHONE = "Nguyễn Thị Minh Thư", 1990, "0912 345 678"
RIGHT = 19  # of 20: near the top, a prize


def load(contest: Contest | None) -> None:
    if contest is None or Contestant.objects.filter(contest=contest, full_name=NAME).exists():
        return
    round_ = contest.rounds.filter(number=1).first()
    if round_ is None:
        return
    organiser = User.objects.get(username="bantochuc")
    contest = services.contest_update(
        actor=organiser, contest=contest, contact_field=ContactField.PHONE
    )
    person = services.contestant_register(
        contest=contest,
        full_name=NAME,
        birth_year=BIRTH_YEAR,
        unit=Unit.objects.get(code="P-SUOIHOA"),
        phone=PHONE,
        consent=True,
    )
    started = round_.opens_at + timedelta(days=2, hours=3)
    attempt = Attempt.objects.create(  # the round is long closed: as demo.py's sample entries
        round=round_,
        contestant=person,
        number=1,
        attempt_limit=round_.attempt_limit,
        started_at=started,
        deadline=started + timedelta(seconds=round_.time_limit_seconds + round_.grace_seconds),
        questions=services.draw(round_),
    )
    key = {str(q.pk): q.correct for q in round_.pool.all()}
    answers = {str(q[0]): key[str(q[0])] for q in attempt.questions[:RIGHT]}
    last = str(attempt.questions[RIGHT][0])
    answers[last] = next(letter for letter in "ABCD" if letter != key[last])
    hotpath.submit(str(attempt.token), uuid.uuid4(), answers, 9, now=started + timedelta(minutes=9))
    services.round_rank(actor=organiser, round_=round_)
    services.collective_prizes_allocate(actor=organiser, contest=contest)


def instructions(contest: Contest | None) -> list[str]:
    person = Contestant.objects.filter(contest=contest, full_name=NAME).first() if contest else None
    sub = Submission.objects.filter(contestant=person).first() if person else None
    if contest is None or person is None or sub is None:
        return []
    rank = next((r for r in results.contestant_results(person) if r.round.pk == sub.round_id), None)
    standing = f"hạng {rank.rank}, {rank.prize}" if rank and rank.rank and rank.prize else ""
    return [
        "Người dự thi xem lại vòng thi đã kết thúc (không cần đăng nhập):",
        f"  {settings.SITE_URL}{reverse('contests:lookup', args=[contest.pk])}",
        f"  tra cứu bằng mã biên nhận {sub.receipt}, hoặc số điện thoại {PHONE} và năm sinh "
        f"{BIRTH_YEAR} ({NAME}{', ' + standing if standing else ''}): kết quả, xem lại bài "
        "làm và đáp án, tải giấy chứng nhận có mã QR.",
    ]
