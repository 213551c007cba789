"""Schemathesis against the OpenAPI schema: generated requests for every operation, with a
bounded number of examples each, must never cause a server error and every response must match
the schema (status codes, content type, body). Slow: runs in `make test-pg` and CI."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from thidua.api.models import TokenAccess

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """Like django.test.Client: a finished request must not close the test's connection (on
    PostgreSQL that would end the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def secret(city, world, issue, keep_connection):
    """A write token of one ward, with data in two wards."""
    _, client = issue(city.suoi_hoa, access=TokenAccess.WRITE, rate=1_000_000)
    return client.defaults["HTTP_AUTHORIZATION"]


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, secret):
    case.call_and_validate(headers={"Authorization": secret}, checks=CHECKS)
