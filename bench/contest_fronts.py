"""Which server in front of the contest hot path (issue #22): gunicorn behind nginx (what
production and `make prod-local` run), gunicorn alone, and granian's WSGI server, started side
by side on the same throwaway PostgreSQL cluster and loaded in interleaved windows (wrk), so
the machine's noise falls on all of them alike.

Two properties are measured:

- capacity: the no-op and the hot path, closed-model windows per server (as contest_submit);
- slow clients: while SLOW clients each send a submission's body a few bytes at a time over
  several seconds (a phone on a weak network), the hot path's rate on each server, against its
  rate without them in the same round. A server that makes a sync worker wait for the body
  loses a worker per slow client; a buffering front reads the body first.

Goal: the production front keeps ≥ 80 % of its hot-path rate with the slow clients on.

Run from the repo root: .venv/bin/python bench/contest_fronts.py [--quick]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import _wrk
from _common import log
from _contest import (
    Bench,
    private_redis,
    production_env,
    raise_fd_limit,
    serve,
    setup_django,
)
from _pg import throwaway_cluster
from contest_submit import PATHS, Runner

PRODUCTION_FRONT = "nginx"
KEEP_SHARE = 0.8
SLOW = 6  # more slow clients than workers
TRICKLE_S = 4.0


def slow_clients(port: int, bench: Bench, tokens: list[str], stop: threading.Event) -> None:
    """SLOW connections, each sending one real submission's body in pieces over TRICKLE_S;
    started again as each finishes, until `stop`."""

    def one(token: str) -> None:
        body = bench.body()
        head = (
            f"POST {PATHS['hot']}{token}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 5) as s:
            s.sendall(head)
            pieces = 20
            step = max(1, len(body) // pieces)
            for i in range(0, len(body), step):
                if stop.is_set():
                    return
                s.sendall(body[i : i + step])
                time.sleep(TRICKLE_S / pieces)
            s.settimeout(10)
            s.recv(4096)

    def loop(start: int) -> None:
        i = start
        while not stop.is_set() and i < len(tokens):
            one(tokens[i])
            i += SLOW

    threads = [threading.Thread(target=loop, args=(k,), daemon=True) for k in range(SLOW)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s windows, 2 rounds")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    window_s, rounds = (3.0, 2) if args.quick else (8.0, 4)
    fronts = ["nginx", "none"] + (["granian"] if shutil.which("granian") or _has_granian() else [])
    _wrk.require_wrk()
    raise_fd_limit()
    root = Path(tempfile.mkdtemp(prefix="thidua-bench-fronts-"))
    redis, redis_url = private_redis(root)
    figures: dict[str, Any] = {"bench": "contest_fronts", "quick": args.quick, "fronts": fronts}
    try:
        with throwaway_cluster() as pg, contextlib.ExitStack() as stack:
            setup_django(pg.url)
            bench = Bench()
            env = {**production_env(root, redis_url), "DATABASE_URL": pg.url}
            pg_pid = int((pg.data / "postmaster.pid").read_text().split()[0])
            runners = {}
            for front in fronts:
                server = stack.enter_context(
                    serve(args.workers, front=front, env=env, root=root / front)
                )
                runners[front] = Runner(bench, server, pg_pid, pg.url)
            rates: dict[str, dict[str, list[float]]] = {
                f: {"noop": [], "hot": [], "hot_slow": []} for f in fronts
            }
            clean: dict[str, bool] = dict.fromkeys(fronts, True)
            for runner in runners.values():
                runner.window("hot", 1.0, connections=16)  # warm-up
            for number in range(rounds):
                log(f"round {number + 1}/{rounds}")
                for front, runner in runners.items():
                    for name in ("noop", "hot"):
                        result, _ = runner.window(name, window_s, connections=16)
                        rates[front][name].append(result.ok_per_s)
                        clean[front] &= result.clean
                    stop = threading.Event()
                    slow_tokens = bench.attempts(2000)
                    trickle = threading.Thread(
                        target=slow_clients,
                        args=(runner.server.port, bench, slow_tokens, stop),
                        daemon=True,
                    )
                    trickle.start()
                    time.sleep(1.0)  # the slow clients hold their connections
                    result, _ = runner.window("hot", window_s, connections=16)
                    stop.set()
                    trickle.join(timeout=30)
                    rates[front]["hot_slow"].append(result.ok_per_s)
                    log(f"  {front} hot with {SLOW} slow clients: {result.summary()}")
            for front in fronts:
                noop = statistics.median(rates[front]["noop"])
                hot = statistics.median(rates[front]["hot"])
                slow = statistics.median(rates[front]["hot_slow"])
                figures[front] = {
                    "clean": clean[front],
                    "noop_per_s": round(noop),
                    "hot_per_s": round(hot),
                    "ratio_noop": round(hot / noop, 2) if noop else None,
                    "hot_with_slow_clients_per_s": round(slow),
                    "kept_share": round(slow / hot, 2) if hot else None,
                }
    finally:
        redis.kill()
        redis.wait()
    production = figures[PRODUCTION_FRONT]
    figures.update(
        {
            "slow_clients": SLOW,
            "workers": args.workers,
            "target_kept_share": KEEP_SHARE,
            "meets_target": bool(
                production["clean"]
                and production["kept_share"] is not None
                and production["kept_share"] >= KEEP_SHARE
            ),
        }
    )
    print(json.dumps(figures, ensure_ascii=False))
    sys.stdout.flush()


def _has_granian() -> bool:
    from _contest import VENV_BIN

    return (VENV_BIN / "granian").exists()


if __name__ == "__main__":
    main()
