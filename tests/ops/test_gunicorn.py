"""deploy/gunicorn.conf.py as served: no `Server` banner (issue 18, L10)."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ops.conftest import REPO, free_port

pytestmark = pytest.mark.slow  # starts a gunicorn server (~10 s on a busy box)


def _get(url: str, deadline: float):
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - our own server
        except OSError:  # refused while booting, or slow first answer
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_gunicorn_sends_no_server_banner(tmp_path: Path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "THIDUA_ENV"))},
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "THIDUA_VAR_DIR": str(tmp_path),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603 - our own fixed command line
        [str(gunicorn), "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        response = _get(f"http://127.0.0.1:{port}/healthz", time.monotonic() + 30)
        assert response.status == 200
        assert response.headers.get("Server") is None
        assert response.headers.get("X-Request-ID")  # the app answered, through gunicorn
    finally:
        server.terminate()
        server.wait(timeout=30)
