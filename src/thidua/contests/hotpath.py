"""The contest submission hot path (architecture §7), dispatched by thidua.wsgi ahead of Django.

One indexed lookup of the attempt by its token, scoring from the answer key cached per process
by (round, version), one `INSERT … ON CONFLICT DO NOTHING RETURNING`, autocommit (durable).
A repeat with the same key and payload gets the same receipt; a different payload gets 409.
No session, no middleware, no counter writes: the row with its server time is the audit record.

On PostgreSQL both statements go straight to the psycopg connection as prepared statements
(parsed and planned once per connection; Django's cursor wrapper and its per-call lookups are
skipped), with Django's error wrapping kept so a lost server still becomes a 503.
"""

import contextlib
import hashlib
import json
import secrets
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.dateparse import parse_datetime

SUBMIT_PREFIX = "/cuoc-thi/nop/"
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
_INSERT_SQLITE = _INSERT.format(json="%s")


def _receipt_body(receipt: str, at: datetime, score: int | None, repeat: bool) -> dict[str, Any]:
    local = timezone.localtime(at)
    return {
        "receipt": receipt,
        "submitted_at": local.strftime("%H:%M:%S %d/%m/%Y"),
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

    def run(self, sql: str, params: list[Any]) -> None:
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
            return _submit(runner, token_uuid, key, answers, prediction, now=now)
        finally:
            runner.close()


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
    runner.run(_EXISTING, [attempt_id, key.hex if sqlite else key])
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


def _reply(start_response: StartResponse, status: int, body: dict[str, Any]) -> Iterable[bytes]:
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [
        ("Content-Type", "application/json; charset=utf-8"),
        ("Content-Length", str(len(data))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if status == 503:  # noqa: PLR2004 - HTTP status
        headers.append(("Retry-After", "2"))
    start_response(f"{status} {_REASONS.get(status, '')}", headers)
    return [data]


def handle(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    if environ.get("REQUEST_METHOD") != "POST":
        return _reply(start_response, 405, {"error": "Chỉ nhận POST."})
    if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
        return _reply(start_response, 415, {"error": "Cần application/json."})
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if not 0 < length <= MAX_BODY:
        return _reply(start_response, 413, {"error": "Dữ liệu bài nộp không hợp lệ."})
    body = environ["wsgi.input"].read(length)
    token = environ.get("PATH_INFO", "")[len(SUBMIT_PREFIX) :].strip("/")
    status, reply = submit_body(token, body)
    return _reply(start_response, status, reply)


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
