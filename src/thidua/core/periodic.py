"""Periodic jobs: apps register callables in AppConfig.ready(); beat or cron runs them.

Each job must claim its work by compare-and-set, so two schedulers never double-send. Beat has
one entry per job (settings.PERIODIC_JOBS), so a failing job never skips the others; cron runs
`manage.py run_periodic`, which isolates each job the same way.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

_JOBS: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    _JOBS[name] = job


def registered() -> dict[str, Callable[[], object]]:
    return dict(_JOBS)


def run(name: str) -> object:
    return _JOBS[name]()


def run_all() -> dict[str, object]:
    """Run every job once; one job's exception is logged and reported, the rest still run."""
    results: dict[str, object] = {}
    for name in sorted(_JOBS):
        try:
            results[name] = run(name)
        except Exception as exc:
            logger.exception("periodic job %s failed", name)
            results[name] = exc
    return results
