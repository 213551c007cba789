"""Set-up shared by the contest benchmarks: Django on a throwaway PostgreSQL cluster, one open
round of 10 questions, attempts made in bulk with SQL, and a gunicorn server to load."""

from __future__ import annotations

import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import free_port, log

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


def _wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            req = urllib.request.Request(url, data=b"{}", method="POST")  # noqa: S310
            with urllib.request.urlopen(req, timeout=2):  # noqa: S310 - loopback http
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def private_redis(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A Redis of our own on a random loopback port (production settings require a cache)."""
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",  # noqa: S607
         "--appendonly", "no", "--dir", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return proc, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.05)
    proc.kill()
    raise TimeoutError("redis did not start")


def production_env(root: Path, redis_url: str) -> dict[str, str]:
    """What `make prod-local` runs (deploy/prod_local.py): production settings, JSON access
    log on, Prometheus multiprocess counters; plain HTTP on loopback."""
    sys.path.insert(0, str(REPO / "deploy"))
    from prod_local import stack_env

    env = stack_env(root / "var", {**os.environ, "REDIS_URL": redis_url})
    env["CELERY_BROKER_URL"] = ""  # no broker: nothing here queues a task
    env["PYTHONPATH"] = str(REPO / "bench")
    return env


@dataclass
class Server:
    url: str  # where the load goes (the buffering proxy when there is one)
    port: int
    app: subprocess.Popen[bytes]  # gunicorn's (or granian's) main process
    proxy: subprocess.Popen[bytes] | None
    front: str
    log_dir: Path

    def cpu_s(self) -> dict[str, float]:
        from _wrk import tree_cpu_s

        figures = {"app": tree_cpu_s(self.app.pid)}
        if self.proxy is not None:
            figures["proxy"] = tree_cpu_s(self.proxy.pid)
        return figures


FRONTS = ("nginx", "none", "granian")


@contextlib.contextmanager
def serve(workers: int, *, front: str = "nginx", env: dict[str, str] | None = None,
          root: Path | None = None) -> Iterator[Server]:  # fmt: skip
    """The contest app (bench/_contest_app.py) as production serves it: gunicorn with
    deploy/gunicorn.conf.py (sync workers) behind nginx with deploy's proxy settings, which
    buffers each request and response so a worker never waits on a client (front="nginx");
    gunicorn alone ("none"), or granian's WSGI server ("granian", when installed), to compare."""
    root = root or Path(tempfile.mkdtemp(prefix="thidua-bench-web-"))
    env = dict(env or os.environ)
    app_port = free_port()
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out = (logs / "app.log").open("ab")
    if front == "granian":
        args = [
            str(VENV_BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(app_port), "--workers", str(workers), "--blocking-threads", "1",
            "--backlog", "4096", "--no-ws", "_contest_app:application",
        ]  # fmt: skip
    else:
        env.update(BIND=f"127.0.0.1:{app_port}", WEB_CONCURRENCY=str(workers))
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        args = [
            str(VENV_BIN / "gunicorn"), "-c", str(REPO / "deploy/gunicorn.conf.py"),
            "--backlog", "4096", "_contest_app:application",
        ]  # fmt: skip
    app = subprocess.Popen(args, cwd=REPO / "src", env=env, stdout=out, stderr=out)  # noqa: S603
    out.close()
    proxy = None
    try:
        _wait_http(f"http://127.0.0.1:{app_port}/cuoc-thi/ping")
        port = app_port
        if front == "nginx":
            sys.path.insert(0, str(REPO / "deploy"))
            from prod_local import start_nginx

            port = free_port()
            proxy = start_nginx(root / "nginx", port, [app_port])
            _wait_http(f"http://127.0.0.1:{port}/cuoc-thi/ping")
        log(f"{front}: {workers} workers on 127.0.0.1:{app_port}, load on :{port} (pid {app.pid})")
        yield Server(f"http://127.0.0.1:{port}", port, app, proxy, front, logs)
    finally:
        if proxy is not None:
            _stop(proxy)
        _stop(app)


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
