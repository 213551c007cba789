"""gunicorn settings for thidua.wsgi (production and `make prod-local`).

    gunicorn -c deploy/gunicorn.conf.py thidua.wsgi

Everything can be overridden by the environment: BIND (default 127.0.0.1:8000),
WEB_CONCURRENCY (worker processes, default 2 × CPUs + 1), GUNICORN_TIMEOUT. Sync workers: the
reverse proxy buffers slow clients, and the code is synchronous (architecture §1).
"""

import os
import shutil
from pathlib import Path
from typing import Any

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# The longest request line gunicorn reads (its maximum); longer URLs get 414, documented in the
# API schema. nginx: large_client_header_buffers 4 16k.
limit_request_line = 8190
# Recycle workers now and then. Each worker draws its limit from [max_requests, 2 × max_requests)
# (the jitter is as wide as the limit), so workers that share the load evenly recycle spread over
# a whole period instead of within seconds of one another (a 10 % jitter recycled all five
# workers within 12 s under load). A recycled worker draws again, so they stay spread.
# Recycling guards against slow leaks; it is not routine: a new worker imports the whole app
# (about a second of a core) while the others carry its share. At 5,000 the contest benchmark
# booted 62 workers in six minutes and a paced window fell behind while they started; at
# 50,000 a worker at contest peak (~250 requests/s) lives for several minutes.
max_requests = 50000
max_requests_jitter = 50000
chdir = str(Path(__file__).resolve().parent.parent / "src")
wsgi_app = "thidua.wsgi:application"
accesslog = None  # the app writes one JSON access line per request, with its request id
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = f"thidua-web-{bind.rsplit(':', 1)[-1]}"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Prometheus counters from every worker of this server, merged at scrape time: one directory per
# gunicorn instance, emptied when it starts (prometheus_client multiprocess mode).
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(
    Path(os.environ.get("THIDUA_VAR_DIR", Path(chdir).parent / "var"))
    / "prometheus"
    / bind.replace(":", "_")
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def on_starting(server: Any) -> None:
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    Path(_metrics_dir).mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


# No `Server: gunicorn` banner (issue 18, L10): it names the software to whoever scans the port.
# gunicorn writes it in Response.default_headers; the config is loaded before workers fork.
def _drop_server_banner() -> None:
    from gunicorn.http import wsgi as gunicorn_wsgi

    default_headers = gunicorn_wsgi.Response.default_headers
    if getattr(default_headers, "thidua_no_banner", False):
        return

    def without_banner(self: Any) -> list[str]:
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    without_banner.thidua_no_banner = True  # type: ignore[attr-defined]
    gunicorn_wsgi.Response.default_headers = without_banner  # type: ignore[method-assign]


_drop_server_banner()
