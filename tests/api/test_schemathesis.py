"""Schemathesis against the OpenAPI schema: generated requests for every operation, valid and
invalid (negative mode), with a bounded number of examples each, must never cause a server
error, every response must match the schema (status codes, content type, body), invalid data
must be refused, and every message must be Vietnamese. A stateful run follows the links between
operations (created person → read, change; inferred from the schema by schemathesis) for
bounded sequences of calls. Slow: runs in `make test-pg` and CI (issue 18, L11)."""

import re
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from thidua.api.models import TokenAccess

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    allow_extra_parameters=False,  # unknown query parameters are ignored, as clients expect
    with_security_parameters=False,  # the token is sent by the test
)

# Words that give away an English message (pydantic's, Django's or a library's fallback).
ENGLISH = re.compile(
    r"\b(the|is|are|must|should|value|field|required|invalid|ensure|this|not|valid|input|"
    r"characters?|at least|at most|greater|less|than|Cannot|parse|error)\b",
    re.IGNORECASE,
)


@schemathesis.check
def messages_are_vietnamese(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every message in an error body is Vietnamese (issue 18, L11: English constraint
    messages reached API clients)."""
    if (
        response.status_code < 400
        or "json" not in (response.headers.get("content-type") or [""])[0]
    ):
        return None
    body = response.json()
    if not isinstance(body, dict):
        return None
    texts = [str(body.get("message", ""))]
    texts += [str(e.get("message", "")) for e in body.get("errors") or [] if isinstance(e, dict)]
    english = [t for t in texts if ENGLISH.search(t)]
    assert not english, f"English message(s): {english}"
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    messages_are_vietnamese,
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


@pytest.mark.slow
@pytest.mark.django_db
def test_api_sequences_follow_the_links(secret):
    """Stateful: create, then read and change what was created, in sequences of up to 6 calls
    (about 40 scenarios: a bounded minute or two of CI)."""
    machine = schema.as_state_machine()  # infers the links from the schema's shapes
    links = [
        link
        for path in schema.raw_schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
        for link in response.get("links", {})
    ]
    assert len(links) > 50  # e.g. POST /people → GET, PATCH /people/{person_id}

    class Workflow(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": secret}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
