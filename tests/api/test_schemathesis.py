"""Schemathesis against the OpenAPI schema: generated requests for every operation, with a
bounded number of examples each, must never cause a server error and every response must match
the schema (status codes, content type, body). Slow: runs in `make test-pg` and CI."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
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
def secret(city, world, issue):
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
