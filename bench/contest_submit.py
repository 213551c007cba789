"""Contest submission throughput (architecture §7, issue #22): the hot path against the same
server's no-op endpoint and against a plain Django-ORM version of the same view, measured in
one run with the three phases interleaved in short windows, so noise from the machine falls on
all of them alike.

Starts a throwaway PostgreSQL 15 cluster (fsync and synchronous_commit on), a private Redis,
and the app as production serves it (`make prod-local`, deploy/): gunicorn with
deploy/gunicorn.conf.py (sync workers, production settings, JSON access log on, Prometheus
multiprocess counters) behind nginx with deploy's proxy settings (`--front none` loads gunicorn
directly, `--front granian` granian's WSGI server, for comparison). Load comes from wrk (C, from
Debian) with bench/submit.lua: every submission a fresh attempt and a new idempotency key.

    POST /cuoc-thi/ping                   no-op: read the body, answer {} (no I/O)
    POST /cuoc-thi/nop/<token>/           hot path: one statement, one transaction
    POST /bench/nop-orm/<token>/          ORM baseline: Django middleware, model instances

Phase 1 (capacity): rounds of [no-op, hot, ORM] windows, each wrk as fast as its connections
go. An endpoint *holds* when every one of its windows had no server error (status ≥ 400), no
client error (connect, read, write, timeout) and no reused attempt; its held rate is then the
median of its windows' rates. A failed hold is reported as failed (`held: false`, no rate).
Phase 2 (latency): windows of the hot path paced at 80 % of its held rate, interleaved with the
no-op at the same rate; the goal is p99 < 100 ms in every hot window with the paced rate met.

Run from the repo root: .venv/bin/python bench/contest_submit.py [--quick] [--front F]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import _wrk
from _common import log
from _contest import (
    FRONTS,
    Bench,
    Server,
    private_redis,
    production_env,
    raise_fd_limit,
    serve,
    setup_django,
)
from _pg import throwaway_cluster

TARGET_RATIO_NOOP = 0.5
TARGET_RATIO_ORM = 3.0
TARGET_P99_MS = 100.0
LATENCY_SHARE = 0.8
PACE_TOLERANCE = 0.95  # a paced window must deliver this share of its offered rate
STATS_FLUSH_S = 11.0  # PostgreSQL 15 backends flush statistics within 10 s of going idle
PATHS = {"noop": "/cuoc-thi/ping", "hot": "/cuoc-thi/nop/", "orm": "/bench/nop-orm/"}
FIRST_GUESS = {"hot": 3000.0, "orm": 800.0}


def pg_commits(pg_url: str) -> int:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_force_next_flush()")
        row = conn.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        return int(row[0]) if row else 0


class Runner:
    def __init__(self, bench: Bench, server: Server, pg_pid: int, pg_url: str) -> None:
        self.bench, self.server, self.pg_pid, self.pg_url = bench, server, pg_pid, pg_url
        self.body_template = self._template()
        self.best: dict[str, float] = dict(FIRST_GUESS)
        self.seen: dict[str, float] = {}

    def _template(self) -> bytes:
        body = json.loads(self.bench.body())
        body["key"] = _wrk.KEY_PLACEHOLDER
        return json.dumps(body).encode()

    def window(
        self, name: str, seconds: float, *, connections: int, rate: float = 0.0
    ) -> tuple[_wrk.WrkResult, dict[str, float]]:
        tokens = None
        if name != "noop":
            # Sized for the fastest window seen so far (never shrunk after one slow window: a
            # pool sized down by a hiccup runs dry in the next window and fails it as reused).
            expected = rate or self.best[name]
            tokens = self.bench.attempts(int(expected * seconds * 2) + 200)
        from _wrk import tree_cpu_s

        before = {**self.server.cpu_s(), "postgres": tree_cpu_s(self.pg_pid)}
        result = _wrk.run(
            name, self.server.url, path=PATHS[name], body=self.body_template, tokens=tokens,
            seconds=seconds, connections=connections, rate=rate,
        )  # fmt: skip
        after = {**self.server.cpu_s(), "postgres": tree_cpu_s(self.pg_pid)}
        cpu = {k: after[k] - before[k] for k in before}
        cpu["loadgen"] = result.loadgen_cpu_s
        if name != "noop" and not rate and result.ok_per_s > 0:
            seen = self.seen.get(name, 0.0)
            self.seen[name] = max(seen, result.ok_per_s)
            self.best[name] = self.seen[name]  # the first guess only until a window is seen
        log(f"  {name:4} {'paced ' + str(round(rate)) + '/s' if rate else 'closed':>12} "
            f"{seconds:g}s: {result.summary()}")  # fmt: skip
        return result, cpu


def per_request_ms(cpus: list[dict[str, float]], results: list[_wrk.WrkResult]) -> dict[str, float]:
    requests = max(1, sum(r.requests for r in results))
    keys = cpus[0].keys() if cpus else []
    return {k: round(1000 * sum(c[k] for c in cpus) / requests, 3) for k in keys}


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s windows, 3 rounds")
    parser.add_argument("--workers", type=int, default=4, help="app worker processes")
    parser.add_argument("--front", choices=FRONTS, default="nginx")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections, phase 1")
    args = parser.parse_args()
    window_s, rounds, latency_rounds = (3.0, 3, 2) if args.quick else (10.0, 6, 3)
    _wrk.require_wrk()
    raise_fd_limit()
    root = Path(tempfile.mkdtemp(prefix="thidua-bench-submit-"))
    redis, redis_url = private_redis(root)
    try:
        with throwaway_cluster() as pg:
            setup_django(pg.url)
            bench = Bench()
            env = production_env(root, redis_url)
            env["DATABASE_URL"] = pg.url
            pg_pid = int((pg.data / "postmaster.pid").read_text().split()[0])
            with serve(args.workers, front=args.front, env=env, root=root) as server:
                runner = Runner(bench, server, pg_pid, pg.url)
                log(f"phase 1: {rounds} rounds of no-op, hot, ORM windows of {window_s:g} s")
                runs: dict[str, list[tuple[_wrk.WrkResult, dict[str, float]]]] = {
                    "noop": [], "hot": [], "orm": []
                }  # fmt: skip
                runner.window("hot", 1.0, connections=args.connections)  # warm-up
                runner.window("orm", 1.0, connections=args.connections)
                for _ in range(rounds):
                    for name in ("noop", "hot", "orm"):
                        runs[name].append(
                            runner.window(name, window_s, connections=args.connections)
                        )
                figures: dict[str, Any] = {
                    "bench": "contest_submit",
                    "quick": args.quick,
                    "front": args.front,
                    "workers": args.workers,
                    "window_s": window_s,
                    "rounds": rounds,
                    "connections": args.connections,
                }
                held: dict[str, float | None] = {}
                for name, pairs in runs.items():
                    results = [r for r, _ in pairs]
                    ok = all(r.clean for r in results)
                    rates = [r.ok_per_s for r in results]
                    held[name] = statistics.median(rates) if ok else None
                    figures[name] = {
                        "held": ok,
                        "held_per_s": round(held[name]) if held[name] is not None else None,
                        "window_rates": [round(x) for x in rates],
                        "server_errors": sum(r.server_errors for r in results),
                        "client_errors": sum(sum(r.client_errors.values()) for r in results),
                        "reused_attempts": sum(r.exhausted for r in results),
                        "p99_ms_worst_window": round(max(r.p99_ms for r in results), 1),
                        "cpu_ms_per_request": per_request_ms([c for _, c in pairs], results),
                    }
                hot_rate = held["hot"]
                latency: list[_wrk.WrkResult] = []
                if hot_rate is not None:
                    pace = LATENCY_SHARE * hot_rate
                    log(f"phase 2: hot path paced at {pace:.0f}/s (80 % of held), with no-op")
                    for _ in range(latency_rounds):
                        runner.window("noop", window_s, connections=64, rate=pace)
                        result, _cpu = runner.window("hot", window_s, connections=64, rate=pace)
                        latency.append(result)
                    worst_p99 = max(r.p99_ms for r in latency)
                    paced_ok = all(r.clean and r.ok_per_s >= PACE_TOLERANCE * pace for r in latency)
                    figures["hot_at_80pct"] = {
                        "offered_per_s": round(pace),
                        "ok_per_s": [round(r.ok_per_s) for r in latency],
                        "p50_ms": [round(r.p50_ms, 1) for r in latency],
                        "p99_ms": [round(r.p99_ms, 1) for r in latency],
                        "errors": sum(
                            r.server_errors + sum(r.client_errors.values()) for r in latency
                        ),
                        "rate_met": paced_ok,
                    }
                    p99_at_80 = round(worst_p99, 1) if paced_ok else None
                else:
                    figures["hot_at_80pct"] = {"skipped": "the hot path did not hold"}
                    p99_at_80 = None
                log("transactions per submission: 2 s at 200/s, stats flushed before and after")
                tokens = bench.attempts(600)
                time.sleep(STATS_FLUSH_S)  # backends flush their counters within 10 s of idling
                before = pg_commits(pg.url)
                result = _wrk.run(
                    "hot", server.url, path=PATHS["hot"], body=runner.body_template,
                    tokens=tokens, seconds=2, connections=8, rate=200,
                )  # fmt: skip
                time.sleep(STATS_FLUSH_S)
                # Each pg_commits() is two one-statement transactions: the second one of the
                # first call and the first one of the second call fall between the readings.
                commits, submissions = pg_commits(pg.url) - before - 2, result.ok
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*), count(DISTINCT attempt_id) FROM contests_submission"
                )
                rows, attempts = cursor.fetchone()
    finally:
        redis.kill()
        redis.wait()

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a is not None and b else None

    ratio_noop, ratio_orm = ratio(held["hot"], held["noop"]), ratio(held["hot"], held["orm"])
    # Where the time goes, on the shared cores: every process's CPU per request (server, proxy,
    # PostgreSQL, wrk). With the cores saturated, rates go inversely with these sums, so
    # `ratio_noop_cpu` should come close to the measured ratio. `ratio_noop_bound` is the ratio
    # a hot path would reach if its only cost beyond the no-op were PostgreSQL's own work for
    # the submission (its statement, WAL and commit): a ceiling on this box, whatever the
    # application does.
    cpu = {n: sum(figures[n]["cpu_ms_per_request"].values()) for n in ("noop", "hot")}
    postgres_ms = figures["hot"]["cpu_ms_per_request"].get("postgres", 0.0)
    loadgen_ms = [
        figures[n]["cpu_ms_per_request"].get("loadgen", 0.0) for n in ("noop", "hot", "orm")
    ]
    goals = {
        "all_held": all(held[n] is not None for n in held),
        "ratio_noop_ok": ratio_noop is not None and ratio_noop >= TARGET_RATIO_NOOP,
        "ratio_orm_ok": ratio_orm is not None and ratio_orm >= TARGET_RATIO_ORM,
        "p99_at_80pct_ok": p99_at_80 is not None and p99_at_80 < TARGET_P99_MS,
        "no_duplicates": rows == attempts,
    }
    figures.update(
        {
            "noop_per_s": figures["noop"]["held_per_s"],
            "hot_per_s": figures["hot"]["held_per_s"],
            "orm_per_s": figures["orm"]["held_per_s"],
            "ratio_noop": ratio_noop,
            "ratio_orm": ratio_orm,
            "hot_p99_ms_at_80pct": p99_at_80,
            "hot_commits_per_submission": round(commits / submissions, 3) if submissions else None,
            "loadgen_cpu_ms_per_request_max": round(max(loadgen_ms), 3),
            "cpu_ms_per_request_total": {n: round(v, 3) for n, v in cpu.items()},
            "ratio_noop_cpu": ratio(cpu["noop"], cpu["hot"]),
            "postgres_cpu_ms_per_submission": round(postgres_ms, 3),
            "ratio_noop_bound": ratio(cpu["noop"], cpu["noop"] + postgres_ms),
            "rows_stored": rows,
            "duplicates": rows - attempts,
            "targets": {
                "ratio_noop": TARGET_RATIO_NOOP,
                "ratio_orm": TARGET_RATIO_ORM,
                "p99_ms_at_80pct": TARGET_P99_MS,
            },
            **goals,
            "meets_target": all(goals.values()),
        }
    )
    print(json.dumps(figures, ensure_ascii=False))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
