import uuid
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.factories.xlsx import xlsx_upload
from thidua.contests import hotpath, services
from thidua.contests.models import Attempt, AttemptsPolicy, Question, Submission
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db


def _import(organiser, contest, rows, name="cau-hoi.xlsx"):
    return services.question_import(
        actor=organiser, contest=contest, upload=xlsx_upload(rows), filename=name
    )


# --- Question bank import ------------------------------------------------------------------


def test_import_writes_all_rows_and_logs(organiser, contest):
    created, errors = _import(organiser, contest, [HEADERS, *question_rows(40)])
    assert (created, errors) == (40, [])
    q = Question.objects.get(stem="Câu hỏi số 2?")
    assert (q.topic, q.difficulty, q.correct) == ("Hoạt động cách mạng", "medium", "B")
    assert ActionLog.objects.filter(action="contests.questions.imported").count() == 1


def test_import_lists_every_bad_row_and_writes_nothing(organiser, bank):
    rows = question_rows(5, prefix="Mới")
    rows[0][7] = None  # missing answer
    rows[1][7] = "E"  # outside A–D
    rows[3][2] = rows[2][2]  # duplicate within the file
    rows[4][2] = "Câu hỏi số 1?"  # already in the bank
    created, errors = _import(organiser, bank, [HEADERS, *rows])
    assert created == 0
    messages = {(e.row, e.column): e.message for e in errors}
    assert messages[(2, "Đáp án")] == "Thiếu đáp án."
    assert "không thuộc A, B, C, D" in messages[(3, "Đáp án")]
    assert messages[(5, "Câu hỏi")] == "Trùng câu hỏi ở dòng 4."
    assert messages[(6, "Câu hỏi")] == "Câu hỏi đã có trong ngân hàng."
    assert bank.questions.count() == 40


def test_import_refuses_a_missing_column_and_same_options(organiser, contest):
    _, errors = _import(organiser, contest, [HEADERS[:7], ["a", "Dễ", "b", "1", "2", "3", "4"]])
    assert [e.message for e in errors] == [
        "Thiếu cột bắt buộc “Đáp án”. Các cột tìm thấy ở dòng 1: “Chủ đề”, “Độ khó”, “Câu hỏi”, "
        "“Phương án A”, “Phương án B”, “Phương án C”, “Phương án D”."
    ]
    row = ["Chung", "Dễ", "Hỏi?", "Có", "có", "Không", "Khác", "A", ""]
    _, errors = _import(organiser, contest, [HEADERS, row])
    assert errors[0].message == "Các phương án không được trùng nhau."


def test_import_csv(organiser, contest):
    text = ";".join(HEADERS) + "\n" + "Tiểu sử;Dễ;Quê ở đâu?;Phù Khê;Đình Bảng;Tam Sơn;Đồng Kỵ;a;\n"
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=BytesIO(text.encode()), filename="cau-hoi.csv"
    )
    assert (created, errors) == (1, [])
    assert contest.questions.get().correct == "A"


def test_only_the_organising_unit_imports(make_user, contest):
    with pytest.raises(PermissionDenied):
        _import(make_user("emulation_office"), contest, [HEADERS, *question_rows(1)])


def test_questions_of_an_opened_round_cannot_be_edited(organiser, bank):
    now = timezone.now()
    open_round(organiser, bank, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
    q = bank.questions.first()
    services.question_update(actor=organiser, question=q, stem="Câu hỏi đã sửa?")
    with (
        time_machine.travel(now + timedelta(days=1, minutes=1)),
        pytest.raises(ValidationError, match="không thể sửa"),
    ):
        services.question_update(actor=organiser, question=q, stem="Sửa lần hai?")


# --- Draw, attempts, deadline, resume ------------------------------------------------------


def test_draw_is_stored_with_option_order(round_, contestant):
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    ids = [q[0] for q in attempt.questions]
    assert len(ids) == 10
    assert len(set(ids)) == 10
    assert set(ids) <= set(round_.pool.values_list("pk", flat=True))
    assert all(sorted(order) == list("ABCD") for _, order, _codes in attempt.questions)
    for _, _order, codes in attempt.questions:  # each option's opaque value on the page
        assert len(set(codes)) == 4
        assert all(len(code) == 8 and code not in "ABCD" for code in codes)
    attempt.refresh_from_db()
    assert [q[0] for q in attempt.questions] == ids  # stored, not drawn again


def test_draw_follows_the_mix(organiser, bank, contestant):
    round_ = open_round(
        organiser, bank, mix=[{"topic": "Tiểu sử", "difficulty": "hard", "count": 3}]
    )
    drawn = services.draw(round_)
    hard = Question.objects.filter(pk__in=[q[0] for q in drawn], topic="Tiểu sử", difficulty="hard")
    assert hard.count() >= 3


def test_round_needs_enough_questions(organiser, bank):
    with pytest.raises(ValidationError, match="không đủ để rút 50 câu"):
        open_round(organiser, bank, question_count=50)


def test_resume_returns_the_same_attempt(round_, contestant):
    first = services.attempt_start(contestant=contestant, round_=round_)
    services.answer_save(attempt=first, answers={str(first.questions[0][0]): "C"})
    again = services.attempt_start(contestant=contestant, round_=round_)
    assert again.pk == first.pk
    assert again.answers == {str(first.questions[0][0]): "C"}


def test_several_answers_are_saved_together_or_none(round_, contestant):
    """The page sends the changes made while its previous save was on the way in one body:
    one answer that is not an option of its question refuses them all, named by number."""
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    (first, o1, c1), (second, o2, c2) = attempt.questions[:2]
    third = attempt.questions[2][0]  # given an option of the second question
    services.answer_save(attempt=attempt, answers={str(first): c1[0]})
    with pytest.raises(ValidationError, match=r"Câu trả lời không hợp lệ \(câu 3\)\."):
        services.answer_save(
            attempt=attempt, answers={str(first): c1[1], str(third): c2[0]}, prediction=9
        )
    attempt.refresh_from_db()
    assert (attempt.answers, attempt.prediction) == ({str(first): o1[0]}, None)
    services.answer_save(
        attempt=attempt, answers={str(first): c1[1], str(second): c2[2]}, prediction=9
    )
    attempt.refresh_from_db()
    assert attempt.answers == {str(first): o1[1], str(second): o2[2]}
    assert attempt.prediction == 9


def test_server_deadline_closes_the_attempt_with_saved_answers(round_, contestant):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = services.attempt_start(contestant=contestant, round_=round_)
    assert attempt.deadline == start + timedelta(seconds=900 + round_.grace_seconds)
    key = {str(q.pk): q.correct for q in round_.pool.all()}
    first, second = str(attempt.questions[0][0]), str(attempt.questions[1][0])
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        services.answer_save(attempt=attempt, answers={first: key[first]})
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        with pytest.raises(ValidationError, match="hết giờ"):
            services.answer_save(attempt=attempt, answers={second: key[second]})
        # a late submission with every answer right: only what was saved counts
        status, _ = hotpath.submit(
            str(attempt.token), uuid.uuid4(), {second: key[second], first: key[first]}, 5
        )
    assert status == 201
    sub = Submission.objects.get(attempt=attempt)
    assert (sub.score, sub.closed_by_server, sub.prediction) == (1, True, None)
    assert sub.duration_ms == (900 + round_.grace_seconds) * 1000


def test_periodic_job_closes_expired_attempts(round_, contestant):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = services.attempt_start(contestant=contestant, round_=round_)
    assert services.attempts_close_expired(now=start + timedelta(minutes=10)) == 0
    assert services.attempts_close_expired(now=start + timedelta(minutes=20)) == 1
    assert services.attempts_close_expired(now=start + timedelta(minutes=21)) == 0
    assert Submission.objects.get(attempt=attempt).closed_by_server


def test_periodic_sweep_reads_its_window_and_the_round_close_the_rest(round_, contestant):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = services.attempt_start(contestant=contestant, round_=round_)
    much_later = start + services.SWEEP_WINDOW + timedelta(hours=1)
    assert services.attempts_close_expired(now=much_later) == 0  # outside the indexed window
    assert services.attempts_close_expired(now=much_later, round_=round_) == 1
    assert Submission.objects.get(attempt=attempt).closed_by_server


def test_deadline_never_passes_the_round_close(organiser, bank, contestant):
    now = timezone.now()
    round_ = open_round(organiser, bank, closes_at=now + timedelta(minutes=3))
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    assert attempt.deadline <= round_.closes_at + timedelta(seconds=round_.grace_seconds)


def test_closed_round_refuses_to_start(organiser, bank, contestant):
    now = timezone.now()
    round_ = open_round(
        organiser, bank, opens_at=now - timedelta(days=2), closes_at=now - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="chưa mở hoặc đã kết thúc"):
        services.attempt_start(contestant=contestant, round_=round_)


# --- Attempts policy -----------------------------------------------------------------------


def _finish(attempt, answers=None):
    return hotpath.submit(str(attempt.token), uuid.uuid4(), answers or {}, None)


def test_one_attempt_policy(round_, contestant):
    _finish(services.attempt_start(contestant=contestant, round_=round_))
    with pytest.raises(ValidationError, match="hết số lần"):
        services.attempt_start(contestant=contestant, round_=round_)


def test_limited_and_unlimited_policies(organiser, bank, contestant):
    limited = open_round(organiser, bank, attempts_policy=AttemptsPolicy.LIMITED, max_attempts=2)
    for _ in range(2):
        _finish(services.attempt_start(contestant=contestant, round_=limited))
    with pytest.raises(ValidationError):
        services.attempt_start(contestant=contestant, round_=limited)
    unlimited = open_round(organiser, bank, attempts_policy=AttemptsPolicy.UNLIMITED)
    for _ in range(4):
        _finish(services.attempt_start(contestant=contestant, round_=unlimited))
    assert unlimited.attempts.count() == 4


def test_the_database_refuses_attempts_over_the_limit(round_, contestant):
    first = services.attempt_start(contestant=contestant, round_=round_)
    fields = {"round": round_, "contestant": contestant, "started_at": first.started_at,
              "deadline": first.deadline}  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(number=2, attempt_limit=1, **fields)  # over the limit
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(number=1, attempt_limit=None, **fields)  # same number twice


def _phone_person(contest, city, phone, name="Nguyễn Thị Lan"):
    return services.contestant_register(
        contest=contest, full_name=name, birth_year=1990, unit=city.suoi_hoa, phone=phone,
        consent=True,
    )  # fmt: skip


@pytest.fixture
def phone_round(organiser, bank):
    """A one-attempt round of a contest that asks for the phone, without the one-time code."""
    contest = services.contest_update(actor=organiser, contest=bank, contact_field="phone")
    return open_round(organiser, contest)


def test_one_phone_registered_again_cannot_exceed_the_attempt_limit(phone_round, city):
    """The same person registering from fresh browsers (the number written four ways) gets no
    new attempts: the round's limit counts every registration of the number."""
    contest = phone_round.contest
    forms = ["0912 345 678", "0912.345.678", "+84 912 345 678", "(+84) 912-345-678"]
    people = [_phone_person(contest, city, phone) for phone in forms]
    assert {p.phone for p in people} == {"0912345678"}  # stored normalised
    _finish(services.attempt_start(contestant=people[0], round_=phone_round))
    for person in people[1:]:
        with pytest.raises(ValidationError) as refused:
            services.attempt_start(contestant=person, round_=phone_round)
        assert refused.value.messages == ["Số điện thoại này đã dùng hết số lượt thi của vòng này."]
    assert phone_round.attempts.count() == 1
    assert phone_round.attempts.get().contestant == people[0]  # nobody took over the first
    other = _phone_person(contest, city, "0987 654 321", name="Trần Văn Bình")
    assert services.attempt_start(contestant=other, round_=phone_round).number == 1


def test_one_address_registered_again_cannot_exceed_the_attempt_limit(organiser, bank, city):
    """Where the contest asks for an e-mail address, the limit counts every registration of the
    address, however its letters were cased."""
    contest = services.contest_update(actor=organiser, contest=bank, contact_field="email")
    round_ = open_round(organiser, contest)
    people = [
        services.contestant_register(
            contest=contest,
            full_name="Nguyễn Thị Lan",
            birth_year=1990,
            unit=city.suoi_hoa,
            email=email,
            consent=True,
        )
        for email in ["lan.nguyen@gmail.com", " Lan.Nguyen@Gmail.com ", "LAN.NGUYEN@GMAIL.COM"]
    ]
    assert {p.email for p in people} == {"lan.nguyen@gmail.com"}  # stored as compared
    _finish(services.attempt_start(contestant=people[0], round_=round_))
    for person in people[1:]:
        with pytest.raises(ValidationError) as refused:
            services.attempt_start(contestant=person, round_=round_)
        assert refused.value.messages == [
            "Địa chỉ thư điện tử này đã dùng hết số lượt thi của vòng này."
        ]
    assert round_.attempts.count() == 1


@pytest.mark.parametrize("typed", ["00912345678", "0 0912 345 678", "912 345 67", "1912345678"])
def test_a_number_padded_or_short_is_refused_not_counted_apart(phone_round, city, typed):
    """ "00912 345 678" is 0912 345 678 typed with a second 0: refused, or it would be a number
    of its own with attempts of its own."""
    with pytest.raises(ValidationError) as refused:
        _phone_person(phone_round.contest, city, typed)
    assert refused.value.message_dict == {"phone": ["Hãy nhập số điện thoại gồm 10 chữ số."]}


def test_a_limited_round_counts_the_attempts_of_every_registration_of_a_phone(
    organiser, phone_round, city
):
    limited = open_round(
        organiser, phone_round.contest, attempts_policy=AttemptsPolicy.LIMITED, max_attempts=2
    )
    first, second = (_phone_person(limited.contest, city, p) for p in ["0912345678", "912345678"])
    _finish(services.attempt_start(contestant=first, round_=limited))
    _finish(services.attempt_start(contestant=second, round_=limited))
    for person in (first, second):
        with pytest.raises(ValidationError, match="hết số"):
            services.attempt_start(contestant=person, round_=limited)
    assert limited.attempts.count() == 2


def test_phones_stored_as_typed_are_normalised_and_every_registration_kept(phone_round, city):
    import importlib

    from django.apps import apps

    from thidua.contests.models import Contestant

    migration = importlib.import_module(
        "thidua.contests.migrations.0009_contestant_phone_normalised"
    )
    typed = ["0912 345 678", "+84 912.345.678", "0987654321", ""]
    people = [_phone_person(phone_round.contest, city, "0900000000") for _ in typed]
    for person, phone in zip(people, typed, strict=True):
        Contestant.objects.filter(pk=person.pk).update(phone=phone)  # as stored before
    migration.normalise_stored_phones(apps, None)
    stored = list(Contestant.objects.order_by("pk").values_list("phone", flat=True))
    assert stored == ["0912345678", "0912345678", "0987654321", ""]
    first, second = Contestant.objects.order_by("pk")[:2]
    _finish(services.attempt_start(contestant=first, round_=phone_round))
    with pytest.raises(ValidationError, match="Số điện thoại này"):
        services.attempt_start(contestant=second, round_=phone_round)


# --- Idempotent submission -----------------------------------------------------------------


def test_the_hot_path_statement_is_prepared_once_per_connection(organiser, bank, contestant):
    """Parsing and planning cost more than executing: on PostgreSQL the submission is one
    prepared statement (Django opens connections with preparation switched off)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    round_ = open_round(organiser, bank, attempts_policy=AttemptsPolicy.UNLIMITED)
    for _ in range(2):
        _finish(services.attempt_start(contestant=contestant, round_=round_))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%contests_submission%"],
        )
        statements = [s for (s,) in cursor.fetchall()]
    assert len(statements) == 1
    assert "INSERT INTO contests_submission" in statements[0]
    assert "WHERE a.token" in statements[0]


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_one_transaction_on_postgresql(organiser, bank, contestant):
    """In autocommit every statement is its own transaction, so the commits a submission adds
    to PostgreSQL's counters are its round trips too: one (the lookup used to be a second)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics")
    round_ = open_round(organiser, bank, attempts_policy=AttemptsPolicy.UNLIMITED)

    def commits() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_force_next_flush()")  # this backend's counters
            cursor.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
            )
            return int(cursor.fetchone()[0])

    _finish(services.attempt_start(contestant=contestant, round_=round_))  # prepare it
    idle = -commits() + commits()  # what reading the counters itself adds
    for _ in range(3):
        attempt = services.attempt_start(contestant=contestant, round_=round_)
        before = commits()
        assert _finish(attempt, {str(attempt.questions[0][0]): "A"})[0] == 201
        assert commits() - before - idle == 1
        assert Submission.objects.filter(attempt=attempt).count() == 1


def test_same_key_and_payload_gets_the_same_receipt(round_, contestant):
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    key, answers = uuid.uuid4(), {str(attempt.questions[0][0]): "A"}
    first = hotpath.submit(str(attempt.token), key, answers, 12)
    again = hotpath.submit(str(attempt.token), key, answers, 12)
    assert first[0] == 201
    assert again[0] == 200
    assert again[1]["receipt"] == first[1]["receipt"]
    assert again[1]["repeat"] is True
    assert Submission.objects.filter(attempt=attempt).count() == 1


def test_a_different_payload_is_refused(round_, contestant):
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    key = uuid.uuid4()
    hotpath.submit(str(attempt.token), key, {}, 1)
    status, _ = hotpath.submit(str(attempt.token), key, {}, 2)
    assert status == 409
    status, _ = hotpath.submit(str(attempt.token), uuid.uuid4(), {}, 3)
    assert status == 409
    other = services.contestant_register(
        contest=round_.contest, full_name="Trần Văn Bình", birth_year=1985, unit_text="Khác",
        consent=True,
    )  # fmt: skip
    other_attempt = services.attempt_start(contestant=other, round_=round_)
    assert hotpath.submit(str(other_attempt.token), key, {}, 1)[0] == 409  # key of another


def test_scoring_counts_only_drawn_questions(round_, contestant):
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    key = {str(q.pk): q.correct for q in round_.pool.all()}
    drawn = [str(q[0]) for q in attempt.questions]
    outside = next(k for k in key if k not in drawn)
    answers = {drawn[0]: key[drawn[0]], drawn[1]: key[drawn[1]], outside: key[outside]}
    status, body = hotpath.submit(str(attempt.token), uuid.uuid4(), answers, None)
    assert (status, body["score"]) == (201, 2)


def test_bad_payloads(round_, contestant):
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    assert hotpath.submit_body(str(attempt.token), b"{")[0] == 400
    assert hotpath.submit_body(str(attempt.token), b'{"key": "x"}')[0] == 400
    body = b'{"key": "%s", "prediction": -1}' % str(uuid.uuid4()).encode()
    assert hotpath.submit_body(str(attempt.token), body)[0] == 400
    body = b'{"key": "%s"}' % str(uuid.uuid4()).encode()
    assert hotpath.submit_body(str(uuid.uuid4()), body)[0] == 404


def test_registration_checks(contest):
    with pytest.raises(ValidationError) as caught:
        services.contestant_register(contest=contest, full_name="", birth_year=1800)
    assert set(caught.value.message_dict) == {"full_name", "birth_year", "unit", "consent"}


def test_demo_questions_import_cleanly(organiser, contest):
    from thidua.demo import CONTEST_QUESTIONS

    with CONTEST_QUESTIONS.open("rb") as upload:
        created, errors = services.question_import(
            actor=organiser, contest=contest, upload=upload, filename=CONTEST_QUESTIONS.name
        )
    assert (created, errors) == (40, [])
    assert contest.questions.filter(stem__contains="Trí Cường").get().correct == "A"


def test_the_one_statement_scores_maps_and_hashes_as_the_python_path(round_, contestant):
    """On PostgreSQL the submission is one SQL statement; the same submission through the
    two-statement Python path (`_submit`) must store the same letters, score, prediction,
    payload hash and lateness: option codes, bare letters, junk, undrawn questions, saved
    answers, a missing prediction and an attempt past its deadline."""
    from datetime import timedelta

    from django.db import DEFAULT_DB_ALIAS, connection, connections
    from django.utils import timezone

    if connection.vendor != "postgresql":
        pytest.skip("the one statement is PostgreSQL's")
    first = services.attempt_start(contestant=contestant, round_=round_)
    draw = first.questions
    q0, q1, q2 = (q[0] for q in draw[:3])
    code_of_q0 = draw[0][2][1] if len(draw[0]) > 2 else draw[0][1][1]
    cases = [
        ({str(q0): code_of_q0, str(q1): "B", str(q2): "nonsense", "999999": "A"}, 7, {}, False),
        ({str(q1): "C"}, None, {str(q0): "A", str(q2): "D"}, False),
        ({str(q0): code_of_q0}, 5, {str(q1): "A"}, True),
        ({}, None, {}, False),
    ]
    for number, (answers, prediction, saved, late) in enumerate(cases):
        rows = []
        for path in ("python", "sql"):
            person = services.contestant_register(
                contest=round_.contest, full_name=f"Người thử {number} {path}",
                birth_year=1990, unit_text="Phường", consent=True,
            )  # fmt: skip
            attempt = services.attempt_start(contestant=person, round_=round_)
            deadline = timezone.now() - timedelta(seconds=5) if late else attempt.deadline
            Attempt.objects.filter(pk=attempt.pk).update(
                questions=draw, answers=saved, prediction=3, deadline=deadline
            )
            key = uuid.uuid4()
            if path == "python":
                runner = hotpath._Runner(connections[DEFAULT_DB_ALIAS])
                reply = hotpath._submit(
                    runner, attempt.token, key, answers, prediction, now=timezone.now()
                )
                runner.close()
            else:
                reply = hotpath.submit(str(attempt.token), key, answers, prediction)
            assert reply[0] == 201, reply
            row = Submission.objects.get(attempt=attempt)
            rows.append(
                (row.answers, row.score, row.prediction, row.payload_hash, row.closed_by_server)
            )
            # A repeat of the same payload gets the receipt again: the hash matched.
            again = hotpath.submit(str(attempt.token), key, answers, prediction)
            assert again[0] == 200, again
            assert again[1]["receipt"] == row.receipt
        assert rows[0] == rows[1], (number, rows)


def test_a_contest_is_attached_only_to_a_campaign_its_organiser_can_see(
    organiser, campaign, city, office_user
):
    from thidua.campaigns import services as campaigns
    from thidua.campaigns.models import Delivery
    from thidua.contests.models import Contest

    draft = campaigns.campaign_import(
        actor=office_user, text="Kế hoạch nháp\n", owner_unit=city.city
    )
    Delivery.objects.filter(campaign=campaign, unit=city.centre).delete()
    for hidden in (draft, campaign):  # a draft; an issued campaign never sent to the centre
        with pytest.raises(PermissionDenied):
            services.contest_create(
                actor=organiser, campaign=hidden, organiser_unit=city.centre, title="Cuộc thi"
            )
    assert not Contest.objects.exists()
    assert not ActionLog.objects.filter(action="contests.contest.created").exists()


def test_addresses_stored_as_typed_are_lower_cased(organiser, bank, city):
    import importlib

    from django.apps import apps

    from thidua.contests.models import Contestant

    migration = importlib.import_module("thidua.contests.migrations.0010_contestant_email_lower")
    contest = services.contest_update(actor=organiser, contest=bank, contact_field="email")
    person = services.contestant_register(
        contest=contest, full_name="Nguyễn Thị Lan", birth_year=1990, unit=city.suoi_hoa,
        email="lan@gmail.com", consent=True,
    )  # fmt: skip
    Contestant.objects.filter(pk=person.pk).update(email="Lan@Gmail.COM")  # as stored before
    migration.lower_stored_emails(apps, None)
    person.refresh_from_db()
    assert person.email == "lan@gmail.com"


def test_results_are_found_by_an_address_typed_in_any_case(organiser, bank, city):
    from thidua.contests.results import find_by_contact

    contest = services.contest_update(actor=organiser, contest=bank, contact_field="email")
    person = services.contestant_register(
        contest=contest, full_name="Nguyễn Thị Lan", birth_year=1990, unit=city.suoi_hoa,
        email="Lan.Nguyen@Gmail.com", consent=True,
    )  # fmt: skip
    assert find_by_contact(contest, " LAN.NGUYEN@gmail.COM ", 1990) == [person]
    assert find_by_contact(contest, "lan.nguyen@gmail.com", 1991) == []
