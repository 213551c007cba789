"""The contest submission hot path (architecture §7), dispatched by thidua.wsgi ahead of Django.

On PostgreSQL a submission is one statement (`_SUBMIT_POSTGRES`): the indexed lookup of the
attempt by its token, the scoring against the round's key and the `INSERT … ON CONFLICT DO
NOTHING RETURNING`, so one round trip and one autocommit (durable) transaction. On SQLite (demo,
fast tests) the same steps are a lookup, scoring in Python from the key cached per process by
(round, version), and the INSERT. A repeat with the same key and payload gets the same receipt
(a second statement reads it); a different payload gets 409. No session, no middleware, no
counter writes: the row with its server time is the audit record. Each submission is still
counted in the request metrics and written to the access log.

On PostgreSQL the statement goes straight to the psycopg connection, prepared (parsed and
planned once per connection; Django's cursor wrapper and its per-call lookups are skipped),
with Django's error wrapping kept so a lost server still becomes a 503.
"""

import contextlib
import hashlib
import json
import secrets
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from thidua.core import metrics
from thidua.core.clientip import client_ip_of
from thidua.core.clock import datetime_text
from thidua.core.observability import request_id_var, sane_request_id, write_access

SUBMIT_PREFIX = "/cuoc-thi/nop/"
ROUTE = "contests:attempt-submit"  # the URL name Django gives the same path
PING_PATH = "/cuoc-thi/ping"  # no I/O: the load balancer's probe and the benchmark's no-op
MAX_BODY = 64 * 1024
LETTERS = frozenset("ABCD")
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I

_KEYS: dict[tuple[int, int], dict[str, str]] = {}

Reply = tuple[int, dict[str, Any]]


def answer_key(round_id: int, version: int) -> dict[str, str]:
    """{question id: correct letter} of the round's pool, cached per process."""
    cached = _KEYS.get((round_id, version))
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.id, q.correct FROM contests_question q "
                "JOIN contests_roundquestion rq ON rq.question_id = q.id WHERE rq.round_id = %s",
                [round_id],
            )
            cached = {str(pk): letter for pk, letter in cursor.fetchall()}
        if len(_KEYS) > 1000:  # noqa: PLR2004 - a bound, not a tuning knob
            _KEYS.clear()
        _KEYS[(round_id, version)] = cached
    return cached


MAX_VALUE = 16  # an answer value: a drawn option's code (8 hex characters) or a letter


def answer_letters(questions: list[Any], answers: dict[str, str]) -> dict[str, str]:
    """The bank letters behind an attempt's answer values, for the drawn questions only.

    The attempt page never shows the bank's letters: each drawn option carries an opaque code
    made for this attempt (``draw``: ``[question id, option order, codes]``), and the code maps
    back here. A bare letter is still taken (attempts drawn before codes existed, API clients):
    it tells nothing, since the page never says which letter an option is."""
    letters: dict[str, str] = {}
    for q in questions:
        qid = str(q[0])
        value = answers.get(qid)
        if value is None:
            continue
        if len(q) > 2 and value in q[2]:  # noqa: PLR2004 - [id, order, codes]
            letters[qid] = q[1][q[2].index(value)]
        elif value in LETTERS:
            letters[qid] = value
    return letters


def new_receipt() -> str:
    """Ten characters, 50 random bits, from one read of the system's random source (a byte
    masked to 5 bits is uniform over the 32 characters)."""
    return "".join([RECEIPT_ALPHABET[b & 31] for b in secrets.token_bytes(10)])


def _json_param(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _json_value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _dt_value(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise ValueError(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def payload_hash(answers: dict[str, str], prediction: int | None) -> str:
    return _payload_hash(_json_param(answers), prediction)


def _payload_hash(answers_json: str, prediction: int | None) -> str:
    """The hash of {"answers": …, "prediction": …} in canonical JSON (sorted keys, no spaces),
    built from the answers' JSON so the hot path encodes them once."""
    canonical = '{"answers":%s,"prediction":%s}' % (  # noqa: UP031 - JSON braces
        answers_json,
        "null" if prediction is None else int(prediction),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_payload(body: bytes) -> tuple[uuid.UUID, dict[str, str], int | None] | None:
    """{"key": uuid, "answers": {"<question id>": "<option code>"}, "prediction": int|null}, or
    None. Values are mapped to letters once the attempt is read (``answer_letters``)."""
    try:
        data = json.loads(body)
        key = uuid.UUID(str(data["key"]))
        raw = data.get("answers") or {}
        prediction = data.get("prediction")
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(raw, dict) or len(raw) > 200:  # noqa: PLR2004 - a bound on the payload
        return None
    answers = {str(k): v for k, v in raw.items() if isinstance(v, str) and 0 < len(v) <= MAX_VALUE}
    if prediction is not None:
        if isinstance(prediction, bool) or not isinstance(prediction, int):
            return None
        if not 0 <= prediction < 2**31:
            return None
    return key, answers, prediction


_LOOKUP = (
    "SELECT a.id, a.round_id, a.contestant_id, a.started_at, a.deadline, a.questions, "
    "a.answers, a.prediction, r.key_version, c.unit_id, ct.show_score_before_close OR r.is_practice "
    "FROM contests_attempt a JOIN contests_round r ON r.id = a.round_id "
    "JOIN contests_contestant c ON c.id = a.contestant_id "
    "JOIN contests_contest ct ON ct.id = r.contest_id WHERE a.token = %s"
)
_INSERT = (
    "INSERT INTO contests_submission (attempt_id, round_id, contestant_id, unit_id, "
    "idempotency_key, payload_hash, receipt, answers, prediction, score, duration_ms, "
    "submitted_at, closed_by_server) VALUES (%s, %s, %s, %s, %s, %s, %s, {json}, %s, %s, %s, "
    "%s, %s) ON CONFLICT DO NOTHING RETURNING receipt"
)
_EXISTING = (
    "SELECT attempt_id, idempotency_key, payload_hash, receipt, score, submitted_at "
    "FROM contests_submission WHERE attempt_id = %s OR idempotency_key = %s"
)


_INSERT_POSTGRES = _INSERT.format(json="CAST(%s AS jsonb)")

# PostgreSQL: the whole submission in one statement, so one round trip and one (autocommit)
# transaction. It does what `_submit` does in Python for SQLite, in the same order: find the
# attempt; map each drawn question's answer value to its bank letter (`answer_letters`: the
# option's per-attempt code through the draw's option order, or a bare letter); hash the
# payload as `payload_hash` does (canonical JSON of the letters, sorted keys, no spaces, and
# the prediction); after the deadline only the saved answers and prediction count, else the
# new ones over the saved ones; keep the drawn questions only; score against the round's key
# (the questions in the round's pool, read live); insert, or nothing when the attempt or the
# key was already used. Parameters: token, answers (JSON of the parsed values), prediction, key,
# new receipt, server time. Returns the attempt, lateness, score visibility, score, receipt
# (null when nothing was inserted) and the payload hash.
_SUBMIT_POSTGRES = """
WITH a AS (
    SELECT a.id, a.round_id, a.contestant_id, a.started_at, a.deadline, a.questions,
        a.answers, a.prediction, c.unit_id, ct.show_score_before_close OR r.is_practice AS show,
        CAST(%(now)s AS timestamptz) > a.deadline AS late
    FROM contests_attempt a JOIN contests_round r ON r.id = a.round_id
    JOIN contests_contestant c ON c.id = a.contestant_id
    JOIN contests_contest ct ON ct.id = r.contest_id
    WHERE a.token = CAST(%(token)s AS uuid)
), s AS (
    SELECT a.*, f.final, f.score, f.digest FROM a CROSS JOIN LATERAL (
        SELECT coalesce(jsonb_object_agg(x.qid, x.letter) FILTER (WHERE x.letter IS NOT NULL),
                '{}'::jsonb) AS final,
            count(*) FILTER (WHERE x.letter = x.correct) AS score,
            encode(sha256(convert_to('{"answers":{' || coalesce(string_agg(
                    '"' || x.qid || '":"' || x.new_letter || '"', ',' ORDER BY x.qid COLLATE "C")
                FILTER (WHERE x.new_letter IS NOT NULL), '') || '},"prediction":'
                || coalesce(CAST(CAST(%(prediction)s AS integer) AS text), 'null') || '}',
                'UTF8')), 'hex') AS digest
        FROM (
            SELECT y.qid, y.new_letter, y.correct,
                CASE WHEN a.late THEN y.saved_letter
                    ELSE coalesce(y.new_letter, y.saved_letter) END AS letter
            FROM (
                SELECT d.q ->> 0 AS qid,
                    a.answers ->> (d.q ->> 0) AS saved_letter,
                    coalesce(
                        (SELECT nullif(substr(d.q ->> 1, CAST(e.i AS integer), 1), '')
                            FROM jsonb_array_elements_text(d.q -> 2) WITH ORDINALITY AS e(c, i)
                            WHERE e.c = v.value LIMIT 1),
                        CASE WHEN v.value IN ('A', 'B', 'C', 'D') THEN v.value END
                    ) AS new_letter,
                    (SELECT q.correct FROM contests_roundquestion rq
                        JOIN contests_question q ON q.id = rq.question_id
                        WHERE rq.round_id = a.round_id
                        AND rq.question_id = CAST(d.q ->> 0 AS bigint)) AS correct
                FROM jsonb_array_elements(a.questions) AS d(q)
                CROSS JOIN LATERAL (
                    SELECT CAST(%(answers)s AS jsonb) ->> (d.q ->> 0) AS value
                ) v
            ) y
        ) x
    ) f
), i AS (
    INSERT INTO contests_submission (attempt_id, round_id, contestant_id, unit_id,
        idempotency_key, payload_hash, receipt, answers, prediction, score, duration_ms,
        submitted_at, closed_by_server)
    SELECT s.id, s.round_id, s.contestant_id, s.unit_id, CAST(%(key)s AS uuid), s.digest,
        %(receipt)s, s.final,
        CASE WHEN s.late THEN s.prediction
            ELSE coalesce(CAST(%(prediction)s AS integer), s.prediction) END,
        s.score,
        greatest(0, floor(extract(epoch FROM (CASE WHEN s.late THEN s.deadline
            ELSE CAST(%(now)s AS timestamptz) END) - s.started_at) * 1000)),
        CAST(%(now)s AS timestamptz), s.late
    FROM s
    ON CONFLICT DO NOTHING RETURNING receipt
)
SELECT s.id, s.late, s.show, s.score, (SELECT receipt FROM i), s.digest FROM s
"""
_INSERT_SQLITE = _INSERT.format(json="%s")


def _receipt_body(receipt: str, at: datetime, score: int | None, repeat: bool) -> dict[str, Any]:
    return {
        "receipt": receipt,
        "submitted_at": datetime_text(at, seconds=True),
        "score": score,
        "repeat": repeat,
    }


def score_answers(questions: list[Any], answers: dict[str, str], key: dict[str, str]) -> int:
    return sum(1 for q in questions if answers.get(str(q[0])) == key.get(str(q[0])))


class _Runner:
    """Runs the hot path's statements: prepared, on the raw psycopg connection (PostgreSQL), or
    through Django's cursor (SQLite: the demo and the fast tests)."""

    cursor: Any  # psycopg.Cursor on PostgreSQL, Django's CursorWrapper elsewhere

    def __init__(self, db: BaseDatabaseWrapper) -> None:
        self.db = db
        self.postgres = db.vendor == "postgresql"
        if self.postgres:
            import psycopg  # PostgreSQL only; SQLite setups need not install it

            db.ensure_connection()
            raw = db.connection
            if raw.prepare_threshold is None:
                # Django opens connections with prepare_threshold=None, and psycopg then
                # ignores prepare=True. A threshold no query reaches lets these statements
                # prepare and keeps automatic preparation off (Django's own cursors bind on
                # the client side and never prepare anyway).
                raw.prepare_threshold = 2**31 - 1
            # Server-side binding: Django's connections hand out client-side binding cursors,
            # which never prepare.
            self.cursor = psycopg.Cursor(raw)
        else:
            self.cursor = db.cursor()

    def run(self, sql: str, params: list[Any] | dict[str, Any]) -> None:
        if self.postgres:
            self.cursor.execute(sql, params, prepare=True)
        else:
            self.cursor.execute(sql, params)

    def close(self) -> None:
        self.cursor.close()


def submit(
    token: str,
    key: uuid.UUID,
    answers: dict[str, str],
    prediction: int | None,
    *,
    now: datetime | None = None,
) -> Reply:
    """Take a final submission. Also used by the server to close an expired attempt."""
    try:
        token_uuid = uuid.UUID(token)
    except ValueError:
        return 404, {"error": "Không tìm thấy bài thi."}
    now = now or timezone.now()
    db = connections[DEFAULT_DB_ALIAS]
    with db.wrap_database_errors:
        runner = _Runner(db)
        try:
            if runner.postgres:
                return _submit_postgres(runner, token_uuid, key, answers, prediction, now=now)
            return _submit(runner, token_uuid, key, answers, prediction, now=now)
        finally:
            runner.close()


def _submit_postgres(
    runner: _Runner,
    token: uuid.UUID,
    key: uuid.UUID,
    answers: dict[str, str],
    prediction: int | None,
    *,
    now: datetime,
) -> Reply:
    """One statement (`_SUBMIT_POSTGRES`); a second one only for a repeat or a conflict."""
    runner.run(
        _SUBMIT_POSTGRES,
        {
            "token": token,
            "answers": _json_param(answers),
            "prediction": prediction,
            "key": key,
            "receipt": new_receipt(),
            "now": now,
        },
    )
    row = runner.cursor.fetchone()
    if row is None:
        return 404, {"error": "Không tìm thấy bài thi."}
    attempt_id, late, show_score, score, receipt, digest = row
    if receipt is not None:
        return 201, _receipt_body(receipt, now, score if show_score else None, False)
    return _existing(runner, attempt_id, key, digest, late=late, show_score=show_score)


def _existing(
    runner: _Runner,
    attempt_id: int,
    key: uuid.UUID,
    digest: str,
    *,
    late: bool,
    show_score: bool,
) -> Reply:
    """The attempt or the key was used already: the same payload gets its receipt again."""
    runner.run(_EXISTING, [attempt_id, key if runner.postgres else key.hex])
    rows = runner.cursor.fetchall()
    for other_attempt, other_key, other_hash, receipt, other_score, at in rows:
        same_key = str(other_key).replace("-", "") == key.hex
        if other_attempt != attempt_id:
            return 409, {"error": "Mã gửi bài đã được dùng cho bài thi khác."}
        if other_hash == digest or (same_key and late):
            body = _receipt_body(receipt, _dt_value(at), other_score if show_score else None, True)
            return 200, body
        return 409, {"error": "Bài thi đã được nộp với nội dung khác.", "receipt": receipt}
    return 503, {"error": "Máy chủ bận, vui lòng thử lại."}  # pragma: no cover - a racing delete


def _submit(
    runner: _Runner,
    token: uuid.UUID,
    key: uuid.UUID,
    answers: dict[str, str],
    prediction: int | None,
    *,
    now: datetime,
) -> Reply:
    sqlite = not runner.postgres
    runner.run(_LOOKUP, [token.hex if sqlite else token])
    row = runner.cursor.fetchone()
    if row is None:
        return 404, {"error": "Không tìm thấy bài thi."}
    (attempt_id, round_id, contestant_id, started, deadline, questions, saved, saved_pred,
     version, unit_id, show_score) = row  # fmt: skip
    started, deadline = _dt_value(started), _dt_value(deadline)
    questions = _json_value(questions)
    drawn = {str(q[0]) for q in questions}
    answers = answer_letters(questions, answers)
    late = now > deadline
    answers_json = _json_param(answers)
    digest = _payload_hash(answers_json, prediction)
    saved = _json_value(saved) or {}
    if late:  # the time is up: what was saved counts, later answers are ignored
        final = {k: v for k, v in saved.items() if k in drawn}
        final_prediction = saved_pred
        ended = deadline
    else:
        final = {k: v for k, v in {**saved, **answers}.items() if k in drawn}
        final_prediction = prediction if prediction is not None else saved_pred
        ended = now
    score = score_answers(questions, final, answer_key(round_id, version))
    duration_ms = max(0, int((ended - started).total_seconds() * 1000))
    runner.run(
        _INSERT_SQLITE if sqlite else _INSERT_POSTGRES,
        [
            attempt_id,
            round_id,
            contestant_id,
            unit_id,
            key.hex if sqlite else key,
            digest,
            new_receipt(),
            answers_json if final == answers else _json_param(final),
            final_prediction,
            score,
            duration_ms,
            runner.db.ops.adapt_datetimefield_value(now) if sqlite else now,
            late,
        ],
    )
    inserted = runner.cursor.fetchone()
    if inserted is not None:
        return 201, _receipt_body(inserted[0], now, score if show_score else None, False)
    return _existing(runner, attempt_id, key, digest, late=late, show_score=show_score)


def submit_body(token: str, body: bytes) -> Reply:
    payload = parse_payload(body)
    if payload is None:
        return 400, {"error": "Dữ liệu bài nộp không hợp lệ."}
    key, answers, prediction = payload
    try:
        return submit(token, key, answers, prediction)
    except DatabaseError:
        # PostgreSQL restarting or overloaded: drop the connection, the client retries
        # with the same key after Retry-After.
        with contextlib.suppress(DatabaseError):
            connection.close()
        return 503, {"error": "Máy chủ bận, vui lòng thử lại."}


StartResponse = Callable[..., Any]
_REASONS = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type",
            503: "Service Unavailable"}  # fmt: skip


def _reply(
    start_response: StartResponse, status: int, body: dict[str, Any], request_id: str = ""
) -> Iterable[bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(data))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if request_id:
        headers.append(("X-Request-ID", request_id))
    if status == 503:  # noqa: PLR2004 - HTTP status
        headers.append(("Retry-After", "2"))
    start_response(f"{status} {_REASONS.get(status, '')}", headers)
    return [data]


def _handle(environ: dict[str, Any]) -> Reply:
    if environ.get("REQUEST_METHOD") != "POST":
        return 405, {"error": "Chỉ nhận POST."}
    if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
        return 415, {"error": "Cần application/json."}
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 < length <= MAX_BODY:
        return 413, {"error": "Dữ liệu bài nộp không hợp lệ."}
    body = environ["wsgi.input"].read(length)
    token = environ.get("PATH_INFO", "")[len(SUBMIT_PREFIX) :].strip("/")
    return submit_body(token, body)


def handle(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A submission, counted in the request metrics and written to the access log like any
    request that goes through Django (core.observability), at the cost of one counter, one
    histogram and one log line."""
    started = time.perf_counter()
    status, reply = _handle(environ)
    elapsed = time.perf_counter() - started
    method = environ.get("REQUEST_METHOD", "")
    metrics.observe_request(method, ROUTE, status, elapsed)
    request_id = sane_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
    token = request_id_var.set(request_id)
    try:
        write_access(
            method,
            environ.get("PATH_INFO", ""),
            route=ROUTE,
            status=status,
            seconds=elapsed,
            user_id=None,
            client_ip=client_ip_of(environ),
        )
    finally:
        request_id_var.reset(token)
    return _reply(start_response, status, reply, request_id)


def wrap(django_app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The WSGI application: contest submissions here, everything else to Django."""

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(SUBMIT_PREFIX):
            return handle(environ, start_response)
        if path == PING_PATH:
            length = environ.get("CONTENT_LENGTH") or "0"
            environ["wsgi.input"].read(min(int(length) if length.isdigit() else 0, MAX_BODY))
            return _reply(start_response, 200, {})
        return django_app(environ, start_response)

    return application
