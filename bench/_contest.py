"""Set-up shared by the contest benchmarks: Django on a throwaway PostgreSQL cluster, one open
round of 10 questions, attempts made in bulk with SQL, and a gunicorn server to load."""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import log

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def setup_django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    os.environ["THIDUA_TOTP_REQUIRED"] = "0"
    os.environ["THIDUA_VAR_DIR"] = tempfile.mkdtemp(prefix="thidua-bench-var-")
    os.environ["DEBUG"] = "0"
    os.environ["DATABASE_URL"] = database_url
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "THIDUA_ENV"):
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class Bench:
    """One contest with 40 questions and an open round; attempts are drawn once and shared."""

    def __init__(self, question_count: int = 10) -> None:
        from django.utils import timezone

        from thidua.campaigns.models import Campaign
        from thidua.contests.models import Contest, Question, Round, RoundQuestion
        from thidua.organizations.models import Unit

        unit = Unit.objects.create(code="BENCH", name="Đơn vị đo", kind="office", path="/")
        from thidua.accounts.models import User

        user = User.objects.create(username="bench", full_name="Người đo")
        campaign = Campaign.objects.create(
            owner_unit=unit, issuer_name="UBND", title="Đo", created_by=user
        )
        self.contest = Contest.objects.create(campaign=campaign, organiser_unit=unit, title="Đo")
        questions = Question.objects.bulk_create(
            Question(
                contest=self.contest,
                topic="Chung",
                stem=f"Câu {i}?",
                stem_key=f"cau {i}",
                option_a="1",
                option_b="2",
                option_c="3",
                option_d="4",
                correct="ABCD"[i % 4],
            )
            for i in range(40)
        )
        now = timezone.now()
        self.round = Round.objects.create(
            contest=self.contest, number=1, opens_at=now, closes_at=now + timezone.timedelta(days=30),
            question_count=question_count,
        )  # fmt: skip
        RoundQuestion.objects.bulk_create(
            RoundQuestion(round=self.round, question=q) for q in questions
        )
        drawn = random.sample(questions, question_count)
        # As services.draw stores them: [id, option order, each option's opaque code]; the
        # page's values are the codes, so the submissions send codes too.
        self.questions = [
            [q.pk, "".join(random.sample("ABCD", 4)), [uuid.uuid4().hex[:8] for _ in "ABCD"]]
            for q in drawn
        ]
        self.answers = {str(q[0]): random.choice(q[2]) for q in self.questions}

    def attempts(self, n: int, *, seconds: int = 30 * 86400) -> list[str]:
        """n fresh attempts (one contestant each), made with one SQL statement; their tokens."""
        from django.db import connection

        sql = """
        WITH c AS (
            INSERT INTO contests_contestant (contest_id, full_name, birth_year, unit_text, phone,
                email, consent_at, device_token, created_at)
            SELECT %s, 'Người đo ' || g, 1990, 'Phường', '', '', now(), gen_random_uuid(), now()
            FROM generate_series(1, %s) AS g RETURNING id)
        INSERT INTO contests_attempt (round_id, contestant_id, number, attempt_limit, token,
            started_at, deadline, questions, answers)
        SELECT %s, id, 1, 1, gen_random_uuid(), now(), now() + make_interval(secs => %s),
            CAST(%s AS jsonb), '{}'::jsonb
        FROM c RETURNING token"""
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [self.contest.pk, n, self.round.pk, seconds, json.dumps(self.questions)]
            )
            return [str(t) for (t,) in cursor.fetchall()]

    def body(self, key: uuid.UUID | None = None) -> bytes:
        return json.dumps(
            {"key": str(key or uuid.uuid4()), "answers": self.answers, "prediction": 42}
        ).encode()


def free_port() -> int:
    return random.randint(20000, 39000)


@contextlib.contextmanager
def gunicorn(workers: int, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "bench")}
    args = [
        str(VENV_BIN / "gunicorn"), "_contest_app:application", "-w", str(workers),
        "-b", f"127.0.0.1:{port}", "--backlog", "4096", "--log-level", "warning",
        "--graceful-timeout", "2", "--timeout", "30",
    ]  # fmt: skip
    server = subprocess.Popen(args, cwd=REPO, env=env)  # noqa: S603 - our own arguments
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}/cuoc-thi/ping", data=b"{}", method="POST"
                )
                with urllib.request.urlopen(req, timeout=2):  # noqa: S310 - loopback http
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        log(f"gunicorn: {workers} sync workers on 127.0.0.1:{port} (pid {server.pid})")
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def worker_pids(server: subprocess.Popen[bytes]) -> list[int]:
    path = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    return [int(p) for p in path.read_text().split()]


def raise_fd_limit() -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def summary(result: Any) -> dict[str, Any]:
    return {
        "offered_per_s": round(result.offered_per_s),
        "ok_per_s": round(result.ok_per_s),
        "p50_ms": round(result.percentile_ms(50), 1),
        "p99_ms": round(result.percentile_ms(99), 1),
        "errors": result.errors,
    }
