import pytest
from django.urls import reverse


def test_healthz_is_liveness_without_io(client):
    response = client.get(reverse("core:healthz"))  # no db mark: a query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_cache_and_broker(client):
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "cache": True, "broker": True}


@pytest.mark.django_db
def test_readyz_fails_when_the_broker_is_unreachable(client, settings):
    from thidua.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    saved = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get(reverse("core:readyz"))
    finally:
        app.conf.broker_url = saved
    assert response.status_code == 503
    assert response.json()["broker"] is False
    assert response.json()["database"] is True


@pytest.mark.django_db
def test_readyz_fails_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    response = client.get(reverse("core:readyz"))
    assert response.status_code == 503
    assert response.json()["cache"] is False


@pytest.mark.django_db
def test_csp_header_forbids_inline_script(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
