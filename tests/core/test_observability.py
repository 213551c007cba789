import json
import logging

import pytest
from django.urls import reverse

from thidua.core.observability import JsonFormatter, RequestIdFilter, request_id_var


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    first = client.get(reverse("accounts:login"))["X-Request-ID"]
    second = client.get(reverse("accounts:login"))["X-Request-ID"]
    assert len(first) == 32
    assert first != second


@pytest.mark.django_db
def test_a_sane_proxy_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get(reverse("core:healthz"), headers={"X-Request-ID": "abc-123-def-456"})
    assert kept["X-Request-ID"] == "abc-123-def-456"
    replaced = client.get(reverse("core:healthz"), headers={"X-Request-ID": "x\nforged log"})
    assert replaced["X-Request-ID"] != "x\nforged log"
    assert len(replaced["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_access_log_line_is_json_with_the_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="thidua.request"):
        response = client.get(reverse("accounts:login"), headers={"X-Request-ID": "req-00000042"})
    record = next(r for r in caplog.records if r.name == "thidua.request")
    RequestIdFilter().filter(record)  # caplog's handler sits outside the configured filter
    line = json.loads(JsonFormatter().format(record))
    assert response["X-Request-ID"] == "req-00000042"
    assert line["status"] == 200
    assert line["route"] == "accounts:login"
    assert line["path"] == reverse("accounts:login")
    assert line["level"] == "INFO"
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")


def test_json_formatter_uses_the_current_request_id_and_keeps_vietnamese():
    token = request_id_var.set("req-abcdef12")
    try:
        record = logging.makeLogRecord(
            {"name": "thidua.x", "levelname": "WARNING", "msg": "Đã gửi %s"}
        )
        record.args = ("nhắc hạn",)
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["request_id"] == "req-abcdef12"
    assert line["message"] == "Đã gửi nhắc hạn"


@pytest.mark.django_db
def test_metrics_are_prometheus_text_with_requests_and_business_gauges(client):
    client.get(reverse("accounts:login"))
    response = client.get(reverse("core:metrics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'thidua_http_requests_total{method="GET",route="accounts:login",status="200"}' in text
    assert "thidua_http_request_duration_seconds_bucket" in text
    assert 'thidua_jobs{kind="pending"}' in text
    assert "thidua_reminders_sent" in text
    assert "thidua_celery_queue_length" in text
    assert "thidua_metric_errors" in text


@pytest.mark.django_db
def test_metrics_are_hidden_from_other_addresses(client):
    response = client.get(reverse("core:metrics"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
