"""Prometheus metrics (prometheus_client).

Request counters and latencies are kept per process; with several gunicorn workers set
`PROMETHEUS_MULTIPROC_DIR` (the gunicorn config does) and the scrape merges them. Business
figures (task queue length, reminders, contest counters, jobs) are read at scrape time from the
database and the broker, through gauges that apps register in `AppConfig.ready()`:

    metrics.register_gauge("thidua_reminders_sent", "Reminders sent", count_reminders)

so core imports no app above it.
"""

import os
from collections.abc import Callable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

REQUESTS = Counter("thidua_http_requests", "HTTP requests served", ["method", "route", "status"])
LATENCY = Histogram(
    "thidua_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0),
)

_GAUGES: dict[str, tuple[str, Callable[[], float | dict[str, float]]]] = {}


def register_gauge(
    name: str, documentation: str, read: Callable[[], float | dict[str, float]]
) -> None:
    """Register a figure read at scrape time; a dict return becomes one sample per `kind`."""
    _GAUGES[name] = (documentation, read)


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)


class BusinessCollector(Collector):
    """Reads the registered gauges; a failing reader reports `thidua_metric_errors`."""

    def collect(self) -> Iterator[Metric]:
        errors = GaugeMetricFamily(
            "thidua_metric_errors", "Registered gauges that failed to read", labels=["gauge"]
        )
        for name, (documentation, read) in sorted(_GAUGES.items()):
            try:
                value = read()
            except Exception:
                errors.add_metric([name], 1)
                continue
            if isinstance(value, dict):
                family = GaugeMetricFamily(name, documentation, labels=["kind"])
                for kind, figure in sorted(value.items()):
                    family.add_metric([kind], figure)
            else:
                family = GaugeMetricFamily(name, documentation, value=value)
            yield family
        yield errors


def render() -> tuple[bytes, str]:
    """The exposition text for one scrape."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        from prometheus_client import REGISTRY as registry
    return generate_latest(registry) + generate_latest(_business_registry()), CONTENT_TYPE_LATEST


def _business_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(BusinessCollector())
    return registry


def celery_queue_lengths() -> dict[str, float]:
    """Messages waiting per queue on a Redis broker (empty when tasks run eagerly)."""
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        return {
            queue: float(client.llen(queue))
            for queue in ("default", "mail", "documents", "contest")
        }
    finally:
        client.close()
