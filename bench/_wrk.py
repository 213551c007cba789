"""wrk, the C load generator from Debian, driven with bench/submit.lua: POST bodies with a fresh
idempotency key and attempt token per request, closed model (as fast as the connections go) or
paced at a fixed rate. Reports client-side failures (connect, read, write, timeout) apart from
server answers that are not 2xx, and wrk's own CPU time per request (from wait4's rusage), so a
load generator that becomes the bottleneck shows in the figures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LUA = Path(__file__).resolve().parent / "submit.lua"
KEY_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is missing: `make bench` installs it (apt-get install wrk)")
    return path


@dataclass
class WrkResult:
    name: str
    seconds: float
    requests: int  # responses received
    server_errors: int  # responses with a status ≥ 400
    client_errors: dict[str, int]  # connect / read / write / timeout, counted by wrk
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    exhausted: int  # submissions sent after the thread ran out of fresh attempts
    tokens_used: int
    loadgen_cpu_s: float
    offered_per_s: float | None = None  # the paced rate; None for a closed-model run

    @property
    def ok(self) -> int:
        return self.requests - self.server_errors

    @property
    def ok_per_s(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def clean(self) -> bool:
        return (
            not self.server_errors and not sum(self.client_errors.values()) and not self.exhausted
        )

    @property
    def loadgen_cpu_ms_per_request(self) -> float:
        return 1000 * self.loadgen_cpu_s / max(1, self.requests)

    def summary(self) -> dict[str, Any]:
        figures: dict[str, Any] = {
            "ok_per_s": round(self.ok_per_s),
            "p50_ms": round(self.p50_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "server_errors": self.server_errors,
            "client_errors": sum(self.client_errors.values()),
            "loadgen_cpu_ms_per_req": round(self.loadgen_cpu_ms_per_request, 3),
        }
        if self.offered_per_s is not None:
            figures["offered_per_s"] = round(self.offered_per_s)
        if self.exhausted:
            figures["exhausted"] = self.exhausted
        return figures


def run(
    name: str,
    base_url: str,
    *,
    path: str,
    body: bytes,
    tokens: list[str] | None,
    seconds: float,
    connections: int,
    rate: float = 0.0,
    threads: int = 1,
    timeout_s: int = 5,
) -> WrkResult:
    """One wrk run; `tokens` None = the no-op (same body every time, key included)."""
    with tempfile.TemporaryDirectory(prefix="thidua-wrk-") as tmp:
        body_file = Path(tmp) / "body.json"
        body_file.write_bytes(body)
        tokens_file = "-"
        if tokens is not None:
            tokens_file = str(Path(tmp) / "tokens.txt")
            Path(tokens_file).write_text("\n".join(tokens) + "\n")
        args = [
            require_wrk(), "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
            "--timeout", f"{timeout_s}s", "-s", str(LUA), base_url, "--",
            "noop" if tokens is None else "submit", path, tokens_file, str(body_file),
            f"{rate / threads:g}", str(threads),
        ]  # fmt: skip
        cpu_before = children_cpu_s()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
        out, err = proc.communicate()
        # communicate() reaps wrk, so its CPU is what the children's CPU grew by.
        loadgen_cpu_s = children_cpu_s() - cpu_before
    line = next((ln for ln in out.decode().splitlines() if ln.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {out.decode()[-500:]} {err.decode()[-500:]}")
    data = json.loads(line[5:])
    return WrkResult(
        name=name,
        seconds=data["duration_us"] / 1e6,
        requests=data["requests"],
        server_errors=data["status"],
        client_errors={k: data[k] for k in ("connect", "read", "write", "timeout")},
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        exhausted=data["exhausted"],
        tokens_used=data["tokens_used"],
        loadgen_cpu_s=loadgen_cpu_s,
        offered_per_s=rate or None,
    )


def children_cpu_s() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


_TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(root: int) -> float:
    """CPU seconds (user + system) of a process and its descendants, from /proc: the live ones'
    own time plus, for each of them, the time of its children that ended and were reaped (a
    gunicorn worker recycled by `max_requests`, a PostgreSQL backend that closed), which the
    kernel adds to the parent's cutime/cstime."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = sum(int(x) for x in fields[11:15]) / _TICK  # utime stime cutime cstime
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total
