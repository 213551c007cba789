"""Browser tests: Playwright for Python driving Debian's chromium (never a downloaded browser)."""

import os
import shutil

import pytest
from django.db.backends.signals import connection_created

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _sqlite_readers_take_no_table_locks(sender, connection, **kwargs) -> None:
    """The live server's request threads share one in-memory SQLite database (shared cache),
    where a reader locks a table against writers: a page that polls (a vote count, a job's
    progress) then fails a concurrent write with "database table is locked". Readers skip those
    locks here; a file database (the demo) waits for its busy timeout instead."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")


connection_created.connect(_sqlite_readers_take_no_table_locks)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: run `make e2e`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url
    )
    page = context.new_page()
    violations: list[str] = []
    broken: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on(
        "response",
        lambda r: broken.append(r.url) if "/static/" in r.url and r.status >= 400 else None,
    )
    yield page
    context.close()
    assert violations == [], f"CSP violations: {violations}"
    assert broken == [], f"static files not served: {broken}"
