"""Fault drills: under steady load across two app processes, crash things and count.

Runs the production stack of `make prod-local` (deploy/prod_local.py: two gunicorn servers, a
Celery worker and beat, dead processes restarted) against a PRIVATE PostgreSQL cluster and a
PRIVATE Redis started here on random loopback ports, so nothing shared is touched. Traffic goes
only to 127.0.0.1. Faults, one after the other, each under the same steady load:

1. kill one application server (its whole process group, SIGKILL);
2. restart PostgreSQL (`pg_ctl stop -m immediate`, as a crash, then start);
3. restart Redis (SIGKILL, then start; sessions are cached_db and survive);
4. kill the Celery worker (SIGKILL, main process and pool) in the middle of a 60-step job.

The load is an open model: person records created at a fixed rate by signed-in clients through
the real form (service, validation, action log), alternating between the two servers; a request
that cannot connect is passed to the other server, as the reverse proxy does. "Acknowledged" is
the 302 after a save; "kept" is the row found afterwards by its unique name. Nothing
acknowledged may be lost. Downtime is the span of failed requests around the fault; "recovered"
means both servers answer /readyz and the load succeeds again with no person acting.

    .venv/bin/python bench/drills.py [--quick]

Ends with one line of JSON.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "deploy"))
sys.path.insert(0, str(REPO / "bench"))

from _common import free_port, log  # noqa: E402
from prod_local import Stack  # noqa: E402

PASSWORD = "Dien-tap-su-co-2026"  # noqa: S105 - throwaway drill accounts
USERS = 4
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def as_postgres(*argv: str) -> list[str]:
    """PostgreSQL refuses to run as root; run its tools as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


class PrivatePostgres:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.data = root / "pgdata"
        self.sock = root / "pgsock"

    def init(self) -> None:
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            shutil.chown(self.sock, "postgres")
        subprocess.run(  # noqa: S603
            as_postgres(
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
        )
        self.start()

    def start(self) -> None:
        subprocess.run(  # noqa: S603
            as_postgres(
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-w",
                "-l",
                str(self.data.parent / "pg.log"),
                "-o",
                f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                "-c max_connections=100 -c fsync=on -c synchronous_commit=on",
                "start",
            ),
            check=True,
            capture_output=True,
        )

    def crash(self) -> None:
        subprocess.run(  # noqa: S603
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(  # noqa: S603
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"),
            check=False,
            capture_output=True,
        )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return list(conn.execute(sql, params).fetchall())  # type: ignore[arg-type]


class PrivateRedis:
    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.dir = root / "redis"
        self.dir.mkdir()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603
            [  # noqa: S607 - Debian's redis-server from the PATH
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.dir),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise TimeoutError("redis did not start")

    def crash(self) -> None:
        if self.proc:
            self.proc.kill()
            self.proc.wait()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 302 after a save is the acknowledgement itself


class Client:
    """A signed-in person with a cookie jar valid on both servers."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.jar = http.cookiejar.CookieJar()
        cookies = urllib.request.HTTPCookieProcessor(self.jar)
        self.opener = urllib.request.build_opener(cookies)
        self.poster = urllib.request.build_opener(cookies, NoRedirect())
        self.csrf = ""

    def post_once(self, url: str, data: dict[str, str]) -> tuple[int, str]:
        """One POST, redirects not followed: (status, Location)."""
        body = urllib.parse.urlencode(data).encode()
        origin = "/".join(url.split("/")[:3])
        req = urllib.request.Request(url, data=body, headers={"Origin": origin, "Referer": url})  # noqa: S310
        try:
            with self.poster.open(req, timeout=10) as response:
                return response.status, ""
        except urllib.error.HTTPError as exc:
            exc.read()
            return exc.code, exc.headers.get("Location", "")

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        origin = "/".join(url.split("/")[:3])
        req = urllib.request.Request(url, data=body, headers={"Origin": origin, "Referer": url})  # noqa: S310
        try:
            with self.opener.open(req, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, url, ""

    def token_from(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError("no CSRF token")
        return match.group(1)

    def login(self, base: str) -> None:
        _, _, page = self.request(f"{base}/tai-khoan/dang-nhap/")
        data = {
            "csrfmiddlewaretoken": self.token_from(page),
            "username": self.username,
            "password": PASSWORD,
        }
        status, _, _ = self.request(f"{base}/tai-khoan/dang-nhap/", data)
        if status != 200:
            raise RuntimeError(f"login failed: {status}")
        _, _, page = self.request(f"{base}/ca-nhan/them/")
        self.csrf = self.token_from(page)


@dataclass
class Outcome:
    key: str
    sent: float
    took: float
    acked: bool
    error: str = ""


@dataclass
class Load:
    """Open-model load: one request every 1/rate seconds, whatever the answers."""

    bases: list[str]
    clients: list[Client]
    unit_id: int
    rate: float
    phase: str = "warmup"
    outcomes: dict[str, list[Outcome]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _seq: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _one(self, key: str, sent: float, client: Client, first: int) -> None:
        data = {
            "csrfmiddlewaretoken": client.csrf,
            "full_name": key,
            "gender": "female",
            "birth_year": "1990",
            "unit": str(self.unit_id),
            "position": "Chuyên viên",
            "category": "civil_servant",
        }
        error = ""
        acked = False
        for attempt in range(2):
            base = self.bases[(first + attempt) % 2]
            try:
                status, location = client.post_once(f"{base}/ca-nhan/them/", data)
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                error = f"{type(reason).__name__}"
                if isinstance(reason, ConnectionRefusedError):
                    continue  # not sent: the proxy would pass it to the other server
                break
            acked = status == 302 and location.rstrip("/").endswith("/ca-nhan")
            error = "" if acked else f"HTTP {status}"
            break
        with self._lock:
            self.outcomes.setdefault(self.phase, []).append(
                Outcome(key, sent, time.monotonic() - sent, acked, error)
            )

    def run(self) -> None:
        interval = 1 / self.rate
        next_at = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            if now < next_at:
                time.sleep(min(next_at - now, 0.05))
                continue
            self._seq += 1
            key = f"Diễn tập {self.phase} {self._seq:06d}"
            client = self.clients[self._seq % len(self.clients)]
            threading.Thread(
                target=self._one, args=(key, next_at, client, self._seq % 2), daemon=True
            ).start()
            next_at += interval

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()


def wait_ready(bases: list[str], timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        ok = 0
        for base in bases:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=2) as r:  # noqa: S310
                    ok += r.status == 200
            except (OSError, urllib.error.URLError):
                pass
        if ok == len(bases):
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def summarise(
    fault: str, outcomes: list[Outcome], kept: set[str], injected: float, ready_after: float | None
) -> dict[str, object]:
    acked = [o for o in outcomes if o.acked]
    failed = [o for o in outcomes if not o.acked]
    lost = [o.key for o in acked if o.key not in kept]
    kept_unacked = sum(1 for o in failed if o.key in kept)
    after = [o for o in outcomes if o.sent >= injected]
    downtime = 0.0
    if failed:
        downtime = max(o.sent + o.took for o in failed) - min(o.sent for o in failed)
    tail = sorted(after, key=lambda o: o.sent)[-5:]
    return {
        "fault": fault,
        "sent": len(outcomes),
        "acknowledged": len(acked),
        "kept": len(acked) - len(lost),
        "lost": len(lost),
        "failed": len(failed),
        "failed_but_stored": kept_unacked,
        "errors": sorted({o.error for o in failed}),
        "downtime_s": round(downtime, 2),
        "ready_after_s": None if ready_after is None else round(ready_after, 2),
        "recovered": ready_after is not None and bool(tail) and all(o.acked for o in tail),
    }


SETUP = """
from thidua.accounts.models import Role, User
from thidua.organizations.models import Unit, UnitKind, UnitRole
from thidua.organizations.services import _set_unit_derived
unit = Unit.objects.filter(code="DRILL").first()
if unit is None:
    unit = Unit(code="DRILL", name="Ủy ban nhân dân phường Diễn Tập", kind=UnitKind.WARD)
    _set_unit_derived(unit)
    unit.save()
for n in range({users}):
    user, _ = User.objects.get_or_create(username=f"drill{{n}}", defaults={{"full_name": f"Diễn tập {{n}}"}})
    user.set_password("{password}")
    user.save()
    UnitRole.objects.get_or_create(user=user, unit=unit, role=Role.UNIT_OFFICER)
print(unit.pk)
"""

START_JOB = """
from django.db import transaction
from thidua.core import jobs
with transaction.atomic():
    job = jobs.job_start(actor=None, kind="core.drill", total={total}, params={{"delay": {delay}}})
print(job.pk)
"""


def main() -> None:  # noqa: PLR0915 - one straight script
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    phase_s = 8.0 if args.quick else 20.0
    rate = 6.0 if args.quick else 10.0
    deadline = time.monotonic() + (420 if args.quick else 900)
    root = Path(tempfile.mkdtemp(prefix="thidua-drills-"))
    pg, redis_server = PrivatePostgres(root), PrivateRedis(root)
    stack: Stack | None = None
    results: list[dict[str, object]] = []
    try:
        log(f"private PostgreSQL on :{pg.port}, Redis on :{redis_server.port}, in {root}")
        pg.init()
        redis_server.start()
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DATABASE", "REDIS", "CELERY"))
            },
            "DATABASE_URL": pg.url,
            "REDIS_URL": redis_server.url,
            "CELERY_BROKER_URL": redis_server.url,
            "THIDUA_TOTP_REQUIRED": "0",
            "THIDUA_JOBS_SWEEP_SECONDS": "5",
            "ACCESS_LOG_LEVEL": "WARNING",
        }
        stack = Stack(
            ports=[free_port(), free_port()],
            var_dir=root / "var",
            env=env,
            web_workers=2,
            worker_concurrency=1,
            restart_delay=1.0,
        )
        stack.setup(demo=False)
        out = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "src/manage.py",
                "shell",
                "-c",
                SETUP.format(users=USERS, password=PASSWORD),
            ],
            cwd=REPO,
            env=stack.env,
            check=True,
            capture_output=True,
            text=True,
        )
        unit_id = int(out.stdout.strip().splitlines()[-1])
        stack.start()
        bases = [f"http://127.0.0.1:{p}" for p in stack.ports]
        if wait_ready(bases, 90) is None:
            raise SystemExit("the stack did not become ready")
        clients = [Client(f"drill{n}") for n in range(USERS)]
        for n, client in enumerate(clients):
            client.login(bases[n % 2])  # signed in on one server, used on both
        load = Load(bases=bases, clients=clients, unit_id=unit_id, rate=rate)
        load.start()

        def phase(name: str, inject: object) -> None:
            if time.monotonic() > deadline:
                log(f"skipping {name}: out of time")
                return
            load.phase = name
            time.sleep(phase_s / 2)
            injected = time.monotonic()
            log(f"fault: {name}")
            inject()  # type: ignore[operator]
            ready_after = wait_ready(bases, 120)
            time.sleep(phase_s / 2)
            load.phase = f"{name}/after"
            time.sleep(3)
            outcomes = load.outcomes.get(name, []) + load.outcomes.get(f"{name}/after", [])
            time.sleep(2)  # let the last requests finish
            keys = [o.key for o in outcomes]
            rows = pg.query(
                "SELECT full_name FROM organizations_person WHERE full_name = ANY(%s)", (keys,)
            )
            kept = {str(r[0]) for r in rows}
            result = summarise(name, outcomes, kept, injected, ready_after)
            log(json.dumps(result, ensure_ascii=False))
            results.append(result)

        def kill_app() -> None:
            proc = stack.procs[f"web-{stack.ports[0]}"]
            if proc.pid:
                os.killpg(proc.pid, signal.SIGKILL)

        def restart_postgres() -> None:
            pg.crash()
            time.sleep(2)
            pg.start()

        def restart_redis() -> None:
            redis_server.crash()
            time.sleep(1)
            redis_server.start()

        phase("none (baseline)", lambda: None)
        phase("kill one app server", kill_app)
        phase("restart PostgreSQL", restart_postgres)
        phase("restart Redis", restart_redis)
        load.stop()

        # The Celery worker, killed in the middle of a job.
        total, delay = 60, 0.25
        job_out = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "src/manage.py",
                "shell",
                "-c",
                START_JOB.format(total=total, delay=delay),
            ],
            cwd=REPO,
            env=stack.env,
            check=True,
            capture_output=True,
            text=True,
        )
        job_id = int(job_out.stdout.strip().splitlines()[-1])
        started = time.monotonic()
        while pg.query("SELECT done FROM core_job WHERE id = %s", (job_id,))[0][0] < 10:  # type: ignore[operator]
            if time.monotonic() - started > 60:
                raise SystemExit("the drill job did not start")
            time.sleep(0.2)
        done_at_kill = pg.query("SELECT done FROM core_job WHERE id = %s", (job_id,))[0][0]
        worker = stack.procs["worker"]
        killed_at = time.monotonic()
        if worker.pid:
            os.killpg(worker.pid, signal.SIGKILL)
        log(f"fault: kill the Celery worker at step {done_at_kill}/{total}")
        status = ""
        while time.monotonic() - killed_at < 180:
            status, done, result = pg.query(
                "SELECT status, done, result FROM core_job WHERE id = %s", (job_id,)
            )[0]
            if status in {"done", "failed"}:
                break
            time.sleep(0.5)
        worker_result = {
            "fault": "kill the Celery worker mid-task",
            "job_steps": total,
            "done_at_kill": done_at_kill,
            "status": status,
            "steps_done": done,
            "resumed_from": (result or {}).get("resumed_from"),  # type: ignore[union-attr]
            "lost": total - int(done) if status == "done" else total,  # type: ignore[call-overload]
            "finished_after_kill_s": round(time.monotonic() - killed_at, 1),
            "worker_restarts": worker.restarts,
            "recovered": status == "done",
        }
        log(json.dumps(worker_result, ensure_ascii=False))
        results.append(worker_result)
    finally:
        if stack is not None:
            stack.stop()
        redis_server.crash()
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)
    summary = {
        "bench": "drills",
        "quick": args.quick,
        "rate_per_s": rate,
        "faults": results,
        "acknowledged": sum(int(r.get("acknowledged", 0)) for r in results),  # type: ignore[call-overload]
        "lost": sum(int(r["lost"]) for r in results),  # type: ignore[call-overload]
        "all_recovered": all(bool(r["recovered"]) for r in results),
    }
    print(json.dumps(summary, ensure_ascii=False))
    if summary["lost"] or not summary["all_recovered"]:
        sys.exit(1)  # an acknowledged write lost, or a fault that needed a person


if __name__ == "__main__":
    main()
