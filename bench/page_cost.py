"""Every request's fixed cost: CPU per request of /healthz and of three staff pages
(issue #22: each under 10 ms of CPU).

Own SQLite file in a temporary directory (never var/), the demo data (`thidua.demo.load`),
signed in as the demo's Phòng Nội vụ officer (noivu, city-wide). Through django.test.Client,
with the whole middleware stack, it GETs, round-robin so noise falls on all alike:

    /healthz                            liveness (no I/O): the floor every request pays
    /phong-trao/<pk>/theo-doi/          campaign dashboard
    /phong-trao/<pk>/                   plan (campaign) detail
    /phong-trao/<pk>/khen-thuong/       nomination list

and reports the median and p90 CPU time per request (`time.process_time()` of this process:
the load generator is not in it, and waiting for a core on a shared box does not count), and
each page's median over /healthz's (`<page>_per_healthz`, not a goal: this box's speed varies
from hour to hour by half, the code's cost relative to the floor does not; the goal stays 10 ms).
`--profile` adds a cProfile of 20 requests of each page to stderr (CPU time; cumulative top 30, own time top 20).

Run from the repo root: .venv/bin/python bench/page_cost.py [--quick] [--profile]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any

from _common import add_database_argument, log, setup_django, teardown_database, vendor

TARGET_CPU_MS = 10.0
PAGES = ("dashboard", "plan_detail", "nomination_list")


def paths() -> dict[str, str]:
    from django.urls import reverse

    from thidua.campaigns.models import Campaign

    campaign = Campaign.objects.order_by("pk").first()
    if campaign is None:
        raise SystemExit("the demo has no campaign")
    return {
        "healthz": "/healthz",
        "dashboard": reverse("reporting:dashboard", args=[campaign.pk]),
        "plan_detail": reverse("campaigns:campaign-detail", args=[campaign.pk]),
        "nomination_list": reverse("awards:nomination-list", args=[campaign.pk]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 requests per page (full: 200)")
    parser.add_argument("--profile", action="store_true", help="cProfile each page (stderr)")
    add_database_argument(parser)
    args = parser.parse_args()
    requests = 30 if args.quick else 200
    var_dir = tempfile.mkdtemp(prefix="thidua-bench-pages-")
    try:
        setup_django(var_dir, args.database)
        try:
            result = run(requests, with_profile=args.profile)
        finally:
            teardown_database()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def run(requests: int, *, with_profile: bool) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from thidua.accounts.models import User
    from thidua.demo import load

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # stdout is JSON
    log("loading the demo data…")
    load()
    client = Client()
    client.force_login(User.objects.get(username="noivu"))
    targets = paths()

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"GET {url} returned {response.status_code}")

    for url in targets.values():
        for _ in range(5):
            get(url)
    cpu: dict[str, list[float]] = {name: [] for name in targets}
    wall: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(requests):
        for name, url in targets.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            get(url)
            cpu[name].append((time.process_time() - cpu_started) * 1000)
            wall[name].append((time.perf_counter() - started) * 1000)
    if with_profile:
        for name, url in targets.items():
            profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for a core
            profiler.enable()
            for _ in range(20):
                get(url)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(20)
            log(f"--- profile: {name} ({url}), 20 requests\n{out.getvalue()}")
    figures: dict[str, Any] = {"bench": "page_cost", "database": vendor(), "requests": requests}
    for name in targets:
        values = sorted(cpu[name])
        figures[f"{name}_cpu_ms"] = round(statistics.median(values), 2)
        figures[f"{name}_cpu_p90_ms"] = round(values[int(0.9 * (len(values) - 1))], 2)
        figures[f"{name}_wall_ms"] = round(statistics.median(wall[name]), 2)
        log(f"  {name}: CPU {figures[f'{name}_cpu_ms']} ms median")
    for name in PAGES:  # what the code costs whatever the box's speed that hour (not a goal)
        figures[f"{name}_per_healthz"] = round(
            figures[f"{name}_cpu_ms"] / figures["healthz_cpu_ms"], 1
        )
    goals = {f"{name}_ok": figures[f"{name}_cpu_ms"] < TARGET_CPU_MS for name in PAGES}
    figures.update({"target_cpu_ms": TARGET_CPU_MS, **goals, "meets_target": all(goals.values())})
    return figures


if __name__ == "__main__":
    sys.exit(main())
