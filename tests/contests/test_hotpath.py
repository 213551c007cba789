import hashlib
import json

import pytest

from thidua.contests import hotpath


def test_payload_hash_is_the_canonical_json_of_answers_and_prediction():
    """Rows stored before the hot path built the hash from the answers' JSON must still match a
    retry: the hash is unchanged."""
    answers = {"12": "B", "3": "A", "7": "D"}
    for prediction in (None, 0, 905):
        canonical = json.dumps(
            {"answers": answers, "prediction": prediction}, separators=(",", ":"), sort_keys=True
        )
        assert (
            hotpath.payload_hash(answers, prediction)
            == hashlib.sha256(canonical.encode()).hexdigest()
        )


def test_receipts_are_ten_characters_of_the_unambiguous_alphabet():
    receipts = {hotpath.new_receipt() for _ in range(2000)}
    assert len(receipts) == 2000
    assert all(len(r) == 10 and set(r) <= set(hotpath.RECEIPT_ALPHABET) for r in receipts)
    assert set("".join(receipts)) == set(hotpath.RECEIPT_ALPHABET)  # every character is used


@pytest.mark.django_db
def test_a_submission_is_in_the_access_log_and_the_request_metrics(round_, contestant, caplog):
    """The hot path runs ahead of Django's middleware, yet each submission writes the same
    access line (with the proxy's request id) and counts in the same metrics."""
    import io
    import logging
    import uuid

    from thidua.contests import services
    from thidua.core import metrics

    attempt = services.attempt_start(contestant=contestant, round_=round_)
    body = json.dumps({"key": str(uuid.uuid4()), "answers": {}, "prediction": 3}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"{hotpath.SUBMIT_PREFIX}{attempt.token}/",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_X_REQUEST_ID": "nginx-req-0123456789",
        "wsgi.input": io.BytesIO(body),
    }
    seen: list[tuple[str, list]] = []
    labels = {"method": "POST", "route": hotpath.ROUTE, "status": "201"}
    before = metrics.REQUESTS.labels(**labels)._value.get()
    app = hotpath.wrap(lambda environ, start: [b"django"])
    with caplog.at_level(logging.INFO, logger="thidua.request"):
        reply = b"".join(app(environ, lambda status, headers: seen.append((status, headers))))
    assert seen[0][0].startswith("201")
    assert ("X-Request-ID", "nginx-req-0123456789") in seen[0][1]
    assert json.loads(reply)["receipt"]
    (line,) = [r for r in caplog.records if r.name == "thidua.request"]
    assert line.route == hotpath.ROUTE
    assert line.status == 201
    assert line.client_ip == "203.0.113.9"
    assert line.request_id == "nginx-req-0123456789"
    assert metrics.REQUESTS.labels(**labels)._value.get() == before + 1
