"""Security headers on every kind of page, and `check --deploy` under production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]
PAGES = ["accounts:login", "core:healthz", "accounts:password-reset", "core:home"]


def assert_common_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_security_headers_for_anonymous_pages(client, name):
    assert_common_headers(client.get(reverse(name)))


@pytest.mark.django_db
def test_security_headers_for_a_signed_in_page(office_client):
    response = office_client.get(reverse("notifications:notice-list"))
    assert response.status_code == 200
    assert_common_headers(response)


@pytest.mark.django_db
def test_hsts_under_production_transport_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_common_headers(response)


def _production_env(**extra: str) -> dict[str, str]:
    # A clean environment: what the test run itself sets (DJANGO_ALLOW_ASYNC_UNSAFE for the
    # browser tests, DATABASE_URL, ...) is not what a server has.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        THIDUA_ENV="production",
        SECRET_KEY="test-" + "k" * 60,
        REDIS_URL="redis://127.0.0.1:6379/6",
        ALLOWED_HOSTS="thidua.example.vn",
        THIDUA_VAR_DIR=extra.pop("var", ""),
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "src/manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=_production_env(var=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"REDIS_URL": ""}, "REDIS_URL is required"),
        # Issue 18, L5: reset and enrolment mail must not end in a log or in memory.
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "EMAIL_BACKEND"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}, "EMAIL_BACKEND"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, "EMAIL_BACKEND"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, extra, message):
    result = subprocess.run(
        [sys.executable, "src/manage.py", "check"],
        cwd=REPO,
        env=_production_env(var=str(tmp_path), **extra),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_uploads_go_to_s3_compatible_storage_when_a_bucket_is_set(tmp_path):
    script = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "from thidua.core.backup import media_is_local; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.location, media_is_local())"
    )
    env = _production_env(
        var=str(tmp_path),
        S3_BUCKET="thidua-uploads",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_ACCESS_KEY_ID="minio",
        S3_SECRET_ACCESS_KEY="minio-secret",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "src/manage.py", "shell", "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "S3Storage",
        "thidua-uploads",
        "http://127.0.0.1:9000",
        "media",
        "False",
    ]


def test_csp_header_is_cached_per_settings_and_follows_a_change(client, settings) -> None:
    """The policy string is built once; changing the setting (as a deploy would) rebuilds it,
    and a view that customises its policy still gets its own header."""
    from csp.decorators import csp_update
    from csp.utils import build_policy
    from django.test import RequestFactory

    from thidua.core.csp import CSPMiddleware, cached_policy

    first = client.get(reverse("core:healthz"))["Content-Security-Policy"]
    assert first == build_policy()
    assert cached_policy.cache_info().currsize >= 1
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://anh.example"]}
    }
    changed = client.get(reverse("core:healthz"))["Content-Security-Policy"]
    assert "img-src 'self' https://anh.example" in changed
    assert changed != first

    from django.http import HttpResponse

    @csp_update({"img-src": ["https://khac.example"]})
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    middleware = CSPMiddleware(view)
    response = middleware(request)
    assert "https://khac.example" in response["Content-Security-Policy"]
    assert "https://khac.example" not in cached_policy(False)


def test_production_mail_defaults_to_smtp(tmp_path):
    """Issue 18, L5: without EMAIL_BACKEND, production sends by SMTP instead of printing."""
    result = subprocess.run(
        [
            sys.executable,
            "src/manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        ],
        cwd=REPO,
        env=_production_env(var=str(tmp_path)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.mail.backends.smtp.EmailBackend"
