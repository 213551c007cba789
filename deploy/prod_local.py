"""`make prod-local`: the production stack on this machine, kept running like systemd would.

Two gunicorn servers (thidua.wsgi, production settings) on two ports, a Celery worker on Redis
and Celery beat, against PostgreSQL and Redis that already run here. Every process that dies is
started again after a short pause (as `Restart=always` does), so the fault drills can check that
the service comes back without a person. Each process leads its own process group, and before a
restart whatever the dead one left in its group is ended (as systemd's `KillMode=control-group`
does): orphaned gunicorn workers would otherwise keep the port.

    .venv/bin/python deploy/prod_local.py [--ports 8001,8002] [--demo] [--skip-setup]

Environment (defaults in brackets): DATABASE_URL [postgresql://postgres@127.0.0.1:5432/thidua],
REDIS_URL [redis://127.0.0.1:6379/0], CELERY_BROKER_URL [same as REDIS_URL], THIDUA_VAR_DIR
[var/prod-local], EMAIL_BACKEND [mail written as files to THIDUA_VAR_DIR/mail]. Plain HTTP on
127.0.0.1, so secure cookies and the HTTPS redirect are off here and only here; two-factor sign-in is off unless THIDUA_TOTP_REQUIRED=1, so the demo logins work.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def log(event: str, **data: object) -> None:
    line = {"time": time.strftime("%H:%M:%S"), "logger": "prod-local", "event": event, **data}
    print(json.dumps(line, ensure_ascii=False), file=sys.stderr, flush=True)


def stack_env(var_dir: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/thidua")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env.setdefault("CELERY_BROKER_URL", env["REDIS_URL"])
    env.setdefault("THIDUA_TOTP_REQUIRED", "0")
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    env.update(
        THIDUA_ENV="production",
        DEBUG="0",
        THIDUA_VAR_DIR=str(var_dir),
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("SECRET_KEY", key_file.read_text().strip())
    # Production refuses the console backend; on this machine mail goes to files to read.
    env.setdefault("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    env.setdefault("EMAIL_FILE_PATH", str(var_dir / "mail"))
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    return env


@dataclass
class Managed:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    down_since: float | None = None
    history: list[dict[str, float | int | str]] = field(default_factory=list)
    reaped: list[int] = field(default_factory=list)  # left-behind pids ended after a death

    def start(self) -> None:
        out = self.log_path.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - our own fixed command lines
            self.argv,
            env=self.env,
            cwd=self.cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def group_members(self) -> list[int]:
        """Live processes of this one's process group (it leads a session of its own), the
        main process included while it runs. Zombies are not counted: they hold nothing."""
        return group_members(self.proc.pid) if self.proc else []

    def reap_group(self, timeout: float = 5) -> list[int]:
        """After the main process died: end what it left behind. A gunicorn master killed with
        SIGKILL leaves its workers holding the listening socket, and the next master cannot
        bind the port (issue 18, L13). SIGTERM first, SIGKILL after `timeout`. Returns the pids
        found."""
        left = self.group_members()
        if left and self.proc is not None:
            log("reaping", process=self.name, pids=left)
            _signal_group(self.proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.group_members() and time.monotonic() < deadline:
                time.sleep(0.05)
            if self.group_members():
                _signal_group(self.proc.pid, signal.SIGKILL)
                while self.group_members() and time.monotonic() < deadline + timeout:
                    time.sleep(0.05)
        return left

    def stop(self, timeout: float = 20) -> None:
        if self.proc is None:
            return
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.reap_group(timeout=timeout)


def group_members(pgid: int) -> list[int]:
    """Pids of the live (not zombie) processes whose process group is `pgid` (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # gone meanwhile
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return sorted(members)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


class Stack:
    def __init__(
        self,
        *,
        ports: list[int],
        var_dir: Path,
        env: dict[str, str] | None = None,
        web_workers: int = 2,
        worker_concurrency: int = 2,
        beat: bool = True,
        restart_delay: float = 1.0,
    ) -> None:
        self.ports = ports
        self.var_dir = var_dir
        self.env = stack_env(var_dir, env)
        self.restart_delay = restart_delay
        self.stopping = False
        self._thread: threading.Thread | None = None
        logs = var_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.procs: dict[str, Managed] = {}
        for port in ports:
            env_web = {**self.env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(web_workers)}
            env_web.pop("PROMETHEUS_MULTIPROC_DIR", None)
            self.procs[f"web-{port}"] = Managed(
                f"web-{port}",
                [str(VENV_BIN / "gunicorn"), "-c", str(REPO / "deploy/gunicorn.conf.py")],
                env_web,
                REPO,
                logs / f"web-{port}.log",
            )
        celery = [str(VENV_BIN / "celery"), "-A", "thidua"]
        self.procs["worker"] = Managed(
            "worker",
            [
                *celery,
                "worker",
                "-Q",
                "default,mail,documents,contest",
                "-n",
                f"thidua-{ports[0]}@%h",
                f"--concurrency={worker_concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            self.env,
            REPO / "src",
            logs / "worker.log",
        )
        if beat:
            self.procs["beat"] = Managed(
                "beat",
                [
                    *celery,
                    "beat",
                    "--loglevel=INFO",
                    f"--schedule={var_dir / 'celerybeat-schedule'}",
                ],
                self.env,
                REPO / "src",
                logs / "beat.log",
            )

    def manage(self, *args: str) -> None:
        subprocess.run(  # noqa: S603
            [sys.executable, "src/manage.py", *args], env=self.env, cwd=REPO, check=True
        )

    def setup(self, *, demo: bool) -> None:
        log("setup", database=self.env["DATABASE_URL"].rsplit("@", 1)[-1])
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        if demo:
            self.manage("demo_load")

    def start(self) -> None:
        for proc in self.procs.values():
            proc.start()
            log("started", process=proc.name, pid=proc.pid)
        self._write_state()
        self._thread = threading.Thread(target=self._supervise, daemon=True)
        self._thread.start()

    def _supervise(self) -> None:
        while not self.stopping:
            for proc in self.procs.values():
                if self.stopping or proc.alive():
                    continue
                if proc.down_since is None:
                    proc.down_since = time.monotonic()
                    code = proc.proc.returncode if proc.proc else None
                    log("exited", process=proc.name, code=code)
                    proc.reaped.extend(proc.reap_group())
                if time.monotonic() - proc.down_since >= self.restart_delay:
                    proc.start()
                    proc.restarts += 1
                    proc.history.append({"restarted_after_s": time.monotonic() - proc.down_since})
                    proc.down_since = None
                    log("restarted", process=proc.name, pid=proc.pid, restarts=proc.restarts)
                    self._write_state()
            time.sleep(0.2)

    def _write_state(self) -> None:
        state = {name: {"pid": p.pid, "restarts": p.restarts} for name, p in self.procs.items()}
        (self.var_dir / "state.json").write_text(json.dumps(state))

    def wait_ready(self, timeout: float = 60) -> None:
        import urllib.request

        deadline = time.monotonic() + timeout
        for port in self.ports:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                        if r.status == HTTPStatus.OK:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"port {port} not ready")
                time.sleep(0.3)
        log("ready", ports=self.ports)

    def stop(self) -> None:
        self.stopping = True
        if self._thread:
            self._thread.join(2)
        for proc in reversed(list(self.procs.values())):
            proc.stop()
        log("stopped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ports", default=os.environ.get("PORTS", "8001,8002"))
    parser.add_argument("--demo", action="store_true", help="load the demo data (idempotent)")
    parser.add_argument("--skip-setup", action="store_true", help="no migrate/collectstatic")
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args()
    var_dir = Path(os.environ.get("THIDUA_VAR_DIR", REPO / "var" / "prod-local"))
    stack = Stack(
        ports=[int(p) for p in args.ports.split(",")], var_dir=var_dir, web_workers=args.web_workers
    )
    if not args.skip_setup:
        stack.setup(demo=args.demo)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stack.start()
    try:
        stack.wait_ready()
        for port in stack.ports:
            print(f"  http://127.0.0.1:{port}/  (logs: {var_dir / 'logs'})", flush=True)
        print("  Ctrl-C stops everything.", flush=True)
        stop.wait()
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
