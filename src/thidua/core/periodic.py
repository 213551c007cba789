"""Periodic jobs: apps register callables in AppConfig.ready(); beat or cron runs them.

Each job must claim its work by compare-and-set, so two schedulers never double-send.
"""

from collections.abc import Callable

_JOBS: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    _JOBS[name] = job


def registered() -> dict[str, Callable[[], object]]:
    return dict(_JOBS)


def run_all() -> dict[str, object]:
    return {name: job() for name, job in sorted(_JOBS.items())}
