"""The contest season drill (architecture §8): a burst of submissions during which one
application worker is killed with SIGKILL and PostgreSQL crashes (`pg_ctl stop -m immediate`)
and restarts. Every acknowledged submission must be in the database, every client that keeps
retrying with its idempotency key must end stored exactly once.

Throwaway PostgreSQL 15 cluster (fsync and synchronous_commit on), a private Redis, gunicorn
with 3 sync workers (deploy/gunicorn.conf.py, production settings) behind nginx, as
`make prod-local` serves it, on loopback. Submissions leave at a constant rate below the held rate of
contest_submit (full: 80/s for 60 s; --quick: 60/s for 12 s), one fresh attempt each; a client retries a failed request (connection
error, 5xx, 503 + Retry-After) after a jittered backoff with the same key and body until it gets
201 or 200, for at most 180 s. At 30 % of the burst one worker gets SIGKILL (gunicorn starts a
new one); at 60 % PostgreSQL is stopped with -m immediate and started again (WAL recovery).

Figures: `acknowledged` (distinct attempts with a 200/201 receipt), `stored` (rows in the
database for those attempts), `lost` (acknowledged but absent or with another receipt: must be
0), `duplicates` (must be 0), `unacknowledged` (clients that gave up: must be 0), retries and
the failures the clients saw.

Run from the repo root: .venv/bin/python bench/contest_drill.py [--quick]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import loadgen
from _common import log
from _contest import (
    Bench,
    private_redis,
    production_env,
    raise_fd_limit,
    serve,
    setup_django,
    worker_pids,
)
from _pg import Cluster, throwaway_cluster

GIVE_UP_S = 180.0


async def burst(
    port: int, bench: Bench, tokens: list[str], rate: float, faults: Any
) -> dict[str, Any]:
    acks: dict[str, str] = {}
    seen: Counter[int] = Counter()
    retries = 0
    start = time.perf_counter() + 0.05

    async def client(token: str, scheduled: float) -> None:
        nonlocal retries
        body = bench.body()  # one key per submission, kept across retries
        attempt = 0
        while time.perf_counter() - scheduled < GIVE_UP_S:
            try:
                status, reply = await loadgen.post(
                    "127.0.0.1", port, f"/cuoc-thi/nop/{token}/", body, 10.0
                )
            except (OSError, TimeoutError, ValueError, IndexError):
                status, reply = 0, b""
            seen[status] += 1
            if status in {200, 201}:
                acks[token] = json.loads(reply)["receipt"]
                return
            if status == 409:
                return
            attempt += 1
            retries += 1
            await asyncio.sleep(min(2.0, 0.1 * 2**attempt) * (0.5 + random.random()))

    tasks = []
    fault_task = asyncio.ensure_future(faults(start))
    for i, token in enumerate(tokens):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(client(token, scheduled)))
    await asyncio.gather(*tasks)
    fault_report = await fault_task
    return {"acks": acks, "seen": seen, "retries": retries, **fault_report}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60/s for 12 s")
    args = parser.parse_args()
    rate, seconds = (60.0, 12.0) if args.quick else (80.0, 60.0)
    raise_fd_limit()
    root = Path(tempfile.mkdtemp(prefix="thidua-bench-drill-"))
    redis, redis_url = private_redis(root)
    with throwaway_cluster() as pg:
        setup_django(pg.url)
        bench = Bench()
        tokens = bench.attempts(int(rate * seconds))
        from django.db import connection

        connection.close()  # the bench's own connection would not survive the crash
        env = {**production_env(root, redis_url), "DATABASE_URL": pg.url}
        with serve(3, front="nginx", env=env, root=root) as server:
            port = server.port

            async def faults(start: float) -> dict[str, Any]:
                await asyncio.sleep(max(0.0, start + 0.3 * seconds - time.perf_counter()))
                victim = worker_pids(server.app)[0]
                os.kill(victim, signal.SIGKILL)
                log(f"  SIGKILL worker {victim} at {time.perf_counter() - start:.1f} s")
                await asyncio.sleep(max(0.0, start + 0.6 * seconds - time.perf_counter()))
                log(f"  PostgreSQL stop -m immediate at {time.perf_counter() - start:.1f} s")
                down = await asyncio.to_thread(Cluster.crash_restart, pg)
                log(f"  PostgreSQL back after {down:.1f} s")
                return {"killed_worker": victim, "pg_down_s": round(down, 1)}

            log(f"burst: {len(tokens):,} submissions at {rate:.0f}/s")
            report = asyncio.run(burst(port, bench, tokens, rate, faults))
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.token, s.receipt FROM contests_submission s "
                "JOIN contests_attempt a ON a.id = s.attempt_id"
            )
            stored = {str(t): r for t, r in cursor.fetchall()}
            cursor.execute("SELECT count(*) - count(DISTINCT attempt_id) FROM contests_submission")
            duplicates = cursor.fetchone()[0]
    redis.kill()
    redis.wait()
    acks = report["acks"]
    lost = [t for t, receipt in acks.items() if stored.get(t) != receipt]
    result = {
        "bench": "contest_drill",
        "submissions": len(tokens),
        "acknowledged": len(acks),
        "stored": sum(1 for t in acks if t in stored),
        "stored_total": len(stored),
        "lost": len(lost),
        "duplicates": duplicates,
        "unacknowledged": len(tokens) - len(acks),
        "retries": report["retries"],
        "failures_seen": {
            str(k): v for k, v in sorted(report["seen"].items()) if k not in {200, 201}
        },
        "killed_worker": report["killed_worker"],
        "pg_down_s": report["pg_down_s"],
        "ok": not lost and duplicates == 0 and len(acks) == len(tokens),
    }
    result["meets_target"] = result["ok"]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
