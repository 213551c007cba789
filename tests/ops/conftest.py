"""A real production stack for the cross-process tests: two gunicorn servers, a Celery worker
and beat from deploy/prod_local.py, on the test database and a Redis database.

Needs PostgreSQL (the SQLite test database lives in this process's memory) and Redis at
TEST_REDIS_URL (default redis://127.0.0.1:6379/6); skipped otherwise. Tests are marked slow.
"""

import contextlib
import http.cookiejar
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
PASSWORD = "Sen-Vang@2022-thu"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@contextlib.contextmanager
def _running_stack(django_db_blocker, var_dir: Path) -> Iterator[Any]:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the processes need a shared database: run with DATABASE_URL (PostgreSQL)")
    if not redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    sys.path.insert(0, str(REPO / "deploy"))
    from prod_local import Stack

    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "THIDUA_TOTP_REQUIRED": "0",
        "THIDUA_JOBS_SWEEP_SECONDS": "3",  # beat re-queues a killed worker's job within seconds
        "TMPDIR": str(var_dir / "tmp"),  # what the servers stream to temporary files, watched
    }
    (var_dir / "tmp").mkdir(parents=True, exist_ok=True)
    stack = Stack(
        ports=[free_port(), free_port()],
        var_dir=var_dir,
        env=env,
        web_workers=1,
        worker_concurrency=1,
    )
    with django_db_blocker.unblock():
        stack.manage("collectstatic", "--noinput", "-v0")
    stack.start()
    try:
        stack.wait_ready(timeout=90)
        yield stack
    finally:
        stack.stop()
        redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """One stack for a module's tests (those that write no action log: the servers cache
    content type ids, which the flush between transactional tests renumbers)."""
    with _running_stack(django_db_blocker, tmp_path_factory.mktemp("stack")) as running:
        yield running


@pytest.fixture
def fresh_stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """A stack started for one test, after its data exists."""
    with _running_stack(django_db_blocker, tmp_path_factory.mktemp("stack")) as running:
        yield running


class Browser:
    """One person's browser: a cookie jar shared by requests to either server."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(url))  # noqa: S310 - loopback test servers

    def post(self, url: str, data: dict[str, str], referer: str) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        origin = "/".join(referer.split("/")[:3])
        request = urllib.request.Request(  # noqa: S310 - loopback test servers
            url, data=body, headers={"Referer": referer, "Origin": origin}
        )
        return self._open(request)

    def get_bytes(self, url: str) -> bytes:
        request = urllib.request.Request(url)  # noqa: S310 - loopback test servers
        with self.opener.open(request, timeout=60) as response:
            return bytes(response.read())

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def login(self, base: str, username: str, password: str) -> tuple[int, str]:
        url = f"{base}/tai-khoan/dang-nhap/"
        _, page = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the login page"
        return self.post(
            url,
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
            referer=url,
        )


def bases(stack) -> tuple[str, str]:
    first, second = stack.ports
    return f"http://127.0.0.1:{first}", f"http://127.0.0.1:{second}"


def wait_until(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.2)


@pytest.fixture
def staff_user(settings, make_user):
    """A Nội vụ officer who signs in on the servers (which hash with PBKDF2, not the tests'
    fast hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = make_user("emulation_office", username="chuyenvien")
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user
