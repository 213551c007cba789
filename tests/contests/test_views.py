import html
import json
import re
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import one_rate_window, verified_client
from tests.contests.conftest import HEADERS, question_rows
from tests.factories.cards import phone_cards
from tests.factories.xlsx import xlsx_upload
from thidua.contests import challenge, hotpath, services
from thidua.contests.models import Attempt, Contestant, Question, Round, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_client(organiser):
    return verified_client(organiser)


def solve(question: str) -> str:
    """Read the sum in Vietnamese words, as a person does: "Ba cộng bốn bằng mấy?" → "7"."""
    words = question.lower().split(" bằng")[0].split(" cộng ")
    return str(sum(challenge.WORDS.index(w.strip()) for w in words))


def shown_challenge(page) -> tuple[str, str]:
    """(question, token) as the page shows them: the challenge box's label, the hidden field."""
    text = page.content.decode()
    question = re.search(r'<label for="id_challenge">([^<]*)</label>', text)
    token = re.search(r'name="challenge_token" value="([^"]*)"', text)
    assert question, "no challenge question on the page"
    assert token, "no challenge token on the page"
    return html.unescape(question[1]), html.unescape(token[1])


def _register(client, contest, **extra):
    page = client.get(reverse("contests:public-contest", args=[contest.pk]))
    question, token = shown_challenge(page)
    answer = solve(question)
    data = {
        "full_name": "Phạm Thu Hà",
        "birth_year": "1995",
        "unit_text": "Tổ dân phố số 3",
        "consent": "on",
        "challenge": str(answer),
        "challenge_token": token,
        **extra,
    }
    return client.post(reverse("contests:public-contest", args=[contest.pk]), data)


def test_contest_list_creates_and_lists(org_client, campaign, city, django_assert_max_num_queries):
    response = org_client.post(
        reverse("contests:contest-list"),
        {
            "title": "Thi tìm hiểu",
            "campaign": campaign.pk,
            "organiser_unit": city.centre.pk,
            "contact_field": "none",
        },
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(12):
        page = org_client.get(reverse("contests:contest-list"))
    assert "Thi tìm hiểu" in page.content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_question_list_query_count_flat(
    rows, org_client, organiser, contest, django_assert_max_num_queries
):
    services.question_import(
        actor=organiser, contest=contest, upload=xlsx_upload([HEADERS, *question_rows(rows)]),
        filename="a.xlsx",
    )  # fmt: skip
    with django_assert_max_num_queries(12):
        page = org_client.get(reverse("contests:contest-detail", args=[contest.pk]))
    assert len(page.context["questions"]) == rows


def test_import_page_shows_the_error_list_and_keeps_nothing(org_client, contest):
    rows = question_rows(3)
    rows[1][7] = "F"
    upload = xlsx_upload([HEADERS, *rows], name="loi.xlsx")
    page = org_client.post(reverse("contests:contest-detail", args=[contest.pk]), {"file": upload})
    text = page.content.decode()
    assert "Tệp có 1 lỗi" in text
    assert "Dòng 3, cột “Đáp án”" in text
    assert contest.questions.count() == 0
    report = org_client.get(reverse("contests:import-errors", args=[contest.pk]))
    sheet = load_workbook(BytesIO(report.content)).active
    assert sheet.cell(2, 1).value == 3


def test_question_template_is_a_real_workbook(org_client, contest):
    response = org_client.get(reverse("contests:question-template", args=[contest.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.cell(1, 3).value == "Câu hỏi *"


def test_round_form_keeps_input_on_error(org_client, bank):
    data = {"opens_at": "13/06/2022 08:00", "closes_at": "12/06/2022 08:00",
            "question_count": 10, "time_limit_minutes": 15, "attempts_policy": "one",
            "prediction_kind": "all_correct", "first": 1, "second": 2, "third": 5,
            "consolation": 8, "title": "Vòng 1 thử"}  # fmt: skip
    page = org_client.post(reverse("contests:round-create", args=[bank.pk]), data)
    assert "Thời điểm đóng phải sau thời điểm mở." in page.content.decode()
    assert 'value="Vòng 1 thử"' in page.content.decode()
    data["closes_at"] = "19/06/2022 08:00"
    response = org_client.post(reverse("contests:round-create", args=[bank.pk]), data)
    assert response.status_code == 302
    round_ = bank.rounds.get()
    assert round_.time_limit_seconds == 900
    assert round_.opens_at.hour == 1  # 08:00 in Hà Nội is 01:00 UTC


def test_preview_shows_a_draw_without_storing_it(org_client, round_):
    page = org_client.get(reverse("contests:round-preview", args=[round_.pk]))
    assert len(page.context["items"]) == 10
    assert "Xem trước" in page.content.decode()
    assert Attempt.objects.count() == 0


def test_question_edit_refused_once_round_opened(org_client, round_):
    q = round_.pool.first()
    page = org_client.get(reverse("contests:question-edit", args=[q.pk]))
    assert page.context["locked"]
    data = {"topic": "x", "difficulty": "easy", "stem": "Mới?", "option_a": "1", "option_b": "2",
            "option_c": "3", "option_d": "4", "correct": "A", "source": ""}  # fmt: skip
    page = org_client.post(reverse("contests:question-edit", args=[q.pk]), data)
    assert "không thể sửa" in page.content.decode()


def test_contestant_flow_resume_double_submit_and_receipt(round_):
    phone = Client()
    response = _register(phone, round_.contest)
    assert response.status_code == 302
    start = phone.post(reverse("contests:attempt-start", args=[round_.pk]))
    attempt = Attempt.objects.get()
    assert start.url == reverse("contests:attempt", args=[attempt.token])
    page = phone.get(start.url)
    assert len(page.context["items"]) == 10
    first, order, codes = attempt.questions[0]
    code = codes[order.index("B")]  # the page's value for the bank's option B
    saved = phone.post(
        reverse("contests:attempt-save", args=[attempt.token]),
        json.dumps({"question": first, "answer": code}),
        content_type="application/json",
    )
    assert saved.status_code == 200
    attempt.refresh_from_db()
    assert attempt.answers == {str(first): "B"}
    # the page's body: the changes made since its last save, together
    second, order2, codes2 = attempt.questions[1]
    saved = phone.post(
        reverse("contests:attempt-save", args=[attempt.token]),
        json.dumps({"answers": {str(second): codes2[0], str(first): "ffffffff"}}),
        content_type="application/json",
    )
    assert (saved.status_code, saved.json()) == (
        409,
        {"error": "Câu trả lời không hợp lệ (câu 1)."},
    )
    saved = phone.post(
        reverse("contests:attempt-save", args=[attempt.token]),
        json.dumps({"answers": {str(second): codes2[0], str(first): code}, "prediction": 3}),
        content_type="application/json",
    )
    assert saved.status_code == 200
    attempt.refresh_from_db()
    assert attempt.answers == {str(first): "B", str(second): order2[0]}
    assert attempt.prediction == 3
    # what a script or a mangled body may send is refused as such, not a server error
    for body in ('{"prediction": 1e400}', '{"question": 1e400}', '{"answers": [1]}'):
        bad = phone.post(
            reverse("contests:attempt-save", args=[attempt.token]),
            body,
            content_type="application/json",
        )
        assert (bad.status_code, bad.json()) == (400, {"error": "Dữ liệu không hợp lệ."}), body
    # closed tab: the contest page offers to continue the same attempt
    home = phone.get(reverse("contests:public-contest", args=[round_.contest.pk]))
    assert "Tiếp tục làm bài" in home.content.decode()
    assert phone.post(reverse("contests:attempt-start", args=[round_.pk])).url == start.url
    page = phone.get(start.url)
    assert page.context["items"][0]["chosen"] == code
    assert f'value="{code}" checked' in page.content.decode()
    # each page of the contest names itself in the tab (not only the contest's title)
    assert f"<title>{round_} – {round_.contest.title}</title>" in page.content.decode()
    body = json.dumps({"key": str(uuid.uuid4()), "answers": {str(first): code}, "prediction": 7})
    url = reverse("contests:attempt-submit", args=[attempt.token])
    one = phone.post(url, body, content_type="application/json")
    two = phone.post(url, body, content_type="application/json")  # double click
    assert (one.status_code, two.status_code) == (201, 200)
    assert one.json()["receipt"] == two.json()["receipt"]
    assert Submission.objects.count() == 1
    assert Submission.objects.get().answers == {str(first): "B", str(second): order2[0]}  # saved
    receipt = phone.get(reverse("contests:receipt", args=[attempt.token]))
    assert one.json()["receipt"] in receipt.content.decode()
    assert f"<title>Biên nhận bài thi – {round_.contest.title}</title>" in receipt.content.decode()
    assert phone.get(start.url).url == reverse("contests:receipt", args=[attempt.token])


def test_form_fallback_without_javascript(round_):
    phone = Client()
    _register(phone, round_.contest)
    phone.post(reverse("contests:attempt-start", args=[round_.pk]))
    attempt = Attempt.objects.get()
    q = attempt.questions[0][0]
    data = {"key": str(uuid.uuid4()), f"q-{q}": "A", "prediction": "12"}
    url = reverse("contests:attempt-finish", args=[attempt.token])
    assert phone.post(url, data).status_code == 302
    assert phone.post(url, data).status_code == 302
    sub = Submission.objects.get()
    assert (sub.answers, sub.prediction) == ({str(q): "A"}, 12)


def test_registration_keeps_input_and_refuses_a_wrong_challenge(round_):
    phone = Client()
    page = _register(phone, round_.contest, challenge="99", consent="")
    text = page.content.decode()
    assert "Câu trả lời kiểm tra chưa đúng" in text
    assert 'value="Phạm Thu Hà"' in text
    assert Contestant.objects.count() == 0


def test_registration_names_every_correction_at_once(round_):
    """A citizen who sent the form empty was told about the name, the birth year and the check
    question; once those were put right, a second round of errors came (the unit, the phone,
    the consent), each round with a new check question. All come at once, each tied to its
    box (aria-describedby points at the message)."""
    contest = round_.contest
    contest.contact_field = "phone"
    contest.save(update_fields=["contact_field"])
    url = reverse("contests:public-contest", args=[contest.pk])
    page = Client().post(url, {"full_name": "", "birth_year": "", "challenge": ""})
    text = html.unescape(page.content.decode())
    for message in (
        "Hãy nhập họ và tên.",
        "Hãy nhập năm sinh.",
        "Hãy chọn đơn vị, phường hoặc tự nhập.",
        "Hãy nhập số điện thoại gồm 10 chữ số.",
        "Bạn cần đồng ý với mục đích sử dụng thông tin để dự thi.",
        "Hãy trả lời câu hỏi kiểm tra.",
    ):
        assert message in text
    assert "Trường này là bắt buộc." not in text
    described = re.findall(r'aria-describedby="([^"]+)"', text)
    assert len(described) == 6
    for target in described:
        assert f'id="{target}"' in text, f"{target}: the message it points at is missing"
    assert 'role="alert"' in text
    # A birth year out of range is said in the service's words, beside a right challenge.
    page = _register(Client(), contest, birth_year="1890", phone="0912345678")
    assert f"Năm sinh phải từ 1900 đến {timezone.localdate().year}." in page.content.decode()
    assert Contestant.objects.count() == 0


def test_after_an_error_the_form_shows_the_new_question_and_it_is_the_one_checked(round_):
    """Review: a re-shown form kept the label "Câu hỏi kiểm tra" (the bound field, cached
    while validating, had the old label), so nobody could see the question to answer."""
    phone = Client()
    url = reverse("contests:public-contest", args=[round_.contest.pk])
    first_question, first_token = shown_challenge(phone.get(url))
    data = {
        "full_name": "Phạm Thu Hà",
        "birth_year": "năm",  # an error elsewhere in the form
        "unit_text": "Tổ dân phố số 3",
        "consent": "on",
        "challenge": solve(first_question),
        "challenge_token": first_token,
    }
    page = phone.post(url, data)
    assert page.status_code == 200
    question, token = shown_challenge(page)
    assert token != first_token
    assert question == challenge.question_for(token)  # the question the checked token stands for
    assert question in page.content.decode()
    assert "Câu hỏi kiểm tra" not in page.content.decode()
    # A wrong answer: the form comes back again with yet another question, shown.
    page = phone.post(url, {**data, "birth_year": "1995", "challenge": "99",
                            "challenge_token": token})  # fmt: skip
    assert "Câu trả lời kiểm tra chưa đúng" in page.content.decode()
    question, token = shown_challenge(page)
    assert question == challenge.question_for(token)
    # Answering the question shown registers the person.
    done = phone.post(url, {**data, "birth_year": "1995", "challenge": solve(question),
                            "challenge_token": token})  # fmt: skip
    assert done.status_code == 302
    assert Contestant.objects.get().full_name == "Phạm Thu Hà"


def test_a_challenge_answer_is_used_once(round_):
    question, token = challenge.make()
    answer = solve(question)
    assert not challenge.check(token, "0")
    assert challenge.check(token, answer)
    assert not challenge.check(token, answer)


def test_the_challenge_token_does_not_carry_its_answer(settings):
    """Issue 18, M6: the token used to be signed JSON {"s": sum}, readable by any script."""
    for _ in range(20):
        question, token = challenge.make()
        with pytest.raises(ValueError):  # noqa: PT011 - JSON or text decoding, either way
            signing.loads(token, salt=challenge.SALT)  # the old attack: no JSON, no "s"
        nonce, _timestamp, _signature = token.split(":")
        assert len(nonce) == 16  # a random nonce, nothing else
        assert challenge.question_for(token) == question
    # Without the server's key the token says nothing: another key derives no question.
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert challenge.question_for(token) is None
    assert not challenge.check(token, solve(question))


def test_a_challenge_expires_after_ten_minutes():
    question, token = challenge.make()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert not challenge.check(token, solve(question))


def test_contact_field_asked_only_when_the_organiser_wants(round_):
    contest = round_.contest
    contest.contact_field = "phone"
    contest.save(update_fields=["contact_field"])
    page = _register(Client(), contest)
    assert "Hãy nhập số điện thoại" in page.content.decode()
    assert _register(Client(), contest, phone="0912345678").status_code == 302
    assert Contestant.objects.get().phone == "0912345678"


def test_four_browsers_with_one_phone_take_a_one_attempt_round_once(round_):
    """Without the one-time code, the same name and phone registered from four fresh browsers
    made four registrations, each with its own attempt: the round is taken once per number,
    and the page says why the other browsers cannot start."""
    contest = round_.contest
    contest.contact_field = "phone"
    contest.save(update_fields=["contact_field"])
    home = reverse("contests:public-contest", args=[contest.pk])
    start = reverse("contests:attempt-start", args=[round_.pk])
    refusal = "Số điện thoại này đã dùng hết số lượt thi của vòng này."
    browsers = []
    for phone in ["0912 345 678", "0912.345.678", "+84 912 345 678", "+84912345678"]:
        browser = Client()
        assert _register(browser, contest, phone=phone).status_code == 302
        browsers.append(browser)
    first = browsers[0].post(start)
    attempt = Attempt.objects.get()
    assert first.url == reverse("contests:attempt", args=[attempt.token])
    hotpath.submit(str(attempt.token), uuid.uuid4(), {}, None)
    for browser in browsers[1:]:
        page = browser.post(start, follow=True).content.decode()
        assert refusal in page
        assert "Bắt đầu làm bài" not in page
    assert Attempt.objects.count() == 1
    assert set(Contestant.objects.values_list("phone", flat=True)) == {"0912345678"}
    other = Client()
    _register(other, contest, full_name="Trần Văn Bình", phone="0987 654 321")
    started = other.post(start)
    assert started.url == reverse("contests:attempt", args=[Attempt.objects.latest("pk").token])
    assert Attempt.objects.filter(contestant__phone="0987654321").count() == 1
    assert refusal not in other.get(home).content.decode()


def test_rate_limit_on_registration(round_, settings):
    phone = Client()
    url = reverse("contests:public-contest", args=[round_.contest.pk])
    # Inside one rate-limit window whatever the machine's speed (the windows follow the clock).
    with one_rate_window():
        statuses = {phone.post(url, {"full_name": "x"}).status_code for _ in range(31)}
    assert 429 in statuses


def test_behind_a_trusted_proxy_each_visitor_has_its_own_rate(round_, settings):
    """Issue 18, M6: keyed on REMOTE_ADDR, the whole city behind the proxy shared 30 a minute."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("contests:public-contest", args=[round_.contest.pk])
    first = Client(HTTP_X_FORWARDED_FOR="203.0.113.10")
    with one_rate_window():
        statuses = [first.post(url, {"full_name": "x"}).status_code for _ in range(31)]
        assert statuses[:30] == [200] * 30
        assert statuses[30] == 429
        # Another visitor through the same proxy is not held back; a spoofed header changes
        # nothing.
        assert Client(HTTP_X_FORWARDED_FOR="198.51.100.20").post(url, {}).status_code == 200
        spoofed = Client(HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.10")
        assert spoofed.post(url, {}).status_code == 429


def test_registrations_per_address_per_round_have_a_budget(round_, settings):
    settings.THIDUA_CONTEST_REGISTRATIONS_PER_ADDRESS = 3
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    school = {"HTTP_X_FORWARDED_FOR": "203.0.113.50"}
    for n in range(3):
        assert (
            _register(Client(**school), round_.contest, full_name=f"Học sinh {n}").status_code
            == 302
        )
    page = _register(Client(**school), round_.contest, full_name="Học sinh thứ tư")
    assert page.status_code == 429
    text = page.content.decode()
    assert "đã có 3 người đăng ký dự thi trong vòng thi này" in text
    assert "liên hệ Ban tổ chức" in text
    assert 'value="Học sinh thứ tư"' in text  # nothing typed is lost
    assert Contestant.objects.count() == 3
    # Another address still registers; failed attempts did not spend the budget.
    home = Client(HTTP_X_FORWARDED_FOR="198.51.100.60")
    assert _register(home, round_.contest, challenge="99").status_code == 200
    assert _register(home, round_.contest).status_code == 302
    assert Contestant.objects.count() == 4


def test_results_rank_export_and_public_page(
    organiser, org_client, round_, city, django_assert_max_num_queries
):
    people = []
    for i in range(3):
        c = services.contestant_register(
            contest=round_.contest, full_name=f"Người {i}", birth_year=1980 + i,
            unit=city.suoi_hoa, phone="0900000000", consent=True,
        )  # fmt: skip
        c.phone = "0987654321"
        c.save(update_fields=["phone"])
        people.append(c)
        attempt = services.attempt_start(contestant=c, round_=round_)
        key = {str(q.pk): q.correct for q in round_.pool.all()}
        answers = {str(q[0]): key[str(q[0])] for q in attempt.questions[: 10 - i]}
        hotpath.submit(str(attempt.token), uuid.uuid4(), answers, 1)
    past_grace = timezone.now() - timedelta(seconds=round_.grace_seconds + 1)
    Round.objects.filter(pk=round_.pk).update(closes_at=past_grace)
    assert org_client.post(reverse("contests:round-detail", args=[round_.pk])).status_code == 302
    with django_assert_max_num_queries(20):
        page = org_client.get(reverse("contests:round-detail", args=[round_.pk]))
    assert [e.contestant.full_name for e in page.context["ranking"]] == [
        "Người 0",
        "Người 1",
        "Người 2",
    ]
    assert page.context["stats"]["participants"] == 3
    assert page.context["collective"][0]["entrants"] == 3
    assert "1 giải Nhất, 2 giải Nhì, 5 giải Ba, 8 giải Khuyến khích" in page.content.decode()
    export = org_client.get(reverse("contests:round-export", args=[round_.pk]))
    sheet = load_workbook(BytesIO(export.content)).active
    assert [sheet.cell(r, 3).value for r in (2, 3, 4)] == ["Người 0", "Người 1", "Người 2"]
    assert sheet.cell(2, 2).value == "Giải Nhất"
    certificates = org_client.get(reverse("contests:round-certificates", args=[round_.pk]))
    reader = PdfReader(BytesIO(certificates.content))
    assert len(reader.pages) == 3  # one per prize winner
    first = reader.pages[0].extract_text()
    assert "Người 0" in first
    assert "Đạt Giải Nhất" in first
    public = Client().get(reverse("contests:public-results", args=[round_.pk])).content.decode()
    assert "Người 0" in public
    assert "Phường Suối Hoa" in public
    assert "0987654321" not in public
    assert "1980" not in public


def test_public_results_show_the_tie_breaks_that_ordered_equal_scores(
    organiser, round_, city, django_assert_max_num_queries
):
    """Review: people with the same score got Nhất, Nhì and Ba with nothing on the page to say
    why. The page shows the prediction gap and the time taken, and says the order."""
    key = {str(q.pk): q.correct for q in round_.pool.all()}
    # (name, prediction, time taken): all answer everything right; the answer is 5.
    people = [
        ("Người xa", 9, 61_000),  # gap 4
        ("Người chậm", 7, 150_900),  # gap 2, slower
        ("Người không dự đoán", None, 30_000),  # no prediction: after every prediction
        ("Người gần", 5, 599_999),  # gap 0: first despite the longest time
        ("Người nhanh", 3, 65_400),  # gap 2, faster
    ]
    for name, prediction, duration_ms in people:
        c = services.contestant_register(
            contest=round_.contest, full_name=name, birth_year=1987, unit=city.suoi_hoa,
            phone="0912345678", consent=True,
        )  # fmt: skip
        attempt = services.attempt_start(contestant=c, round_=round_)
        answers = {str(q[0]): key[str(q[0])] for q in attempt.questions}
        hotpath.submit(str(attempt.token), uuid.uuid4(), answers, prediction)
        Submission.objects.filter(attempt=attempt).update(duration_ms=duration_ms)
    past_grace = timezone.now() - timedelta(seconds=round_.grace_seconds + 1)
    Round.objects.filter(pk=round_.pk).update(closes_at=past_grace)
    round_.refresh_from_db()
    services.round_rank(actor=organiser, round_=round_, actual_value=5)

    with django_assert_max_num_queries(3):  # no deferred field read per row
        response = Client().get(reverse("contests:public-results", args=[round_.pk]))
    page = response.content.decode()
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    rows = [
        [html.unescape(cell) for cell in re.findall(r"<td[^>]*>([^<]*)</td>", row)]
        for row in table.split("</tr>")[:-1]
    ]
    assert rows == [
        ["Giải Nhất", "Người gần", "Phường Suối Hoa", "10", "0", "09:59"],
        ["Giải Nhì", "Người nhanh", "Phường Suối Hoa", "10", "2", "01:05"],
        ["Giải Nhì", "Người chậm", "Phường Suối Hoa", "10", "2", "02:30"],
        ["Giải Ba", "Người xa", "Phường Suối Hoa", "10", "4", "01:01"],
        ["Giải Ba", "Người không dự đoán", "Phường Suối Hoa", "10", "—", "00:30"],
    ]
    assert "Chênh lệch dự đoán" in page
    assert "Thời gian làm bài" in page
    assert "Thứ tự xếp giải" in page
    assert "rồi thời gian làm bài ngắn hơn" in page
    # Nothing more about the people than before: no phone, no birth year.
    assert "0912345678" not in page
    assert "1987" not in page
    # On a phone the six columns did not fit (the table scrolled sideways): each winner is a
    # card titled with the name, every other cell saying what it is.
    assert phone_cards(page, "winners")[:2] == [
        {"": "Người gần", "Giải": "Giải Nhất", "Đơn vị, phường": "Phường Suối Hoa",
         "Số câu đúng": "10", "Chênh lệch dự đoán": "0", "Thời gian làm bài": "09:59"},
        {"": "Người nhanh", "Giải": "Giải Nhì", "Đơn vị, phường": "Phường Suối Hoa",
         "Số câu đúng": "10", "Chênh lệch dự đoán": "2", "Thời gian làm bài": "01:05"},
    ]  # fmt: skip
    assert f"<title>Kết quả {round_} – {round_.contest.title}</title>" in page


def test_hot_path_through_the_wsgi_application(round_, contestant):
    from thidua.wsgi import application

    attempt = services.attempt_start(contestant=contestant, round_=round_)
    body = json.dumps({"key": str(uuid.uuid4()), "answers": {}, "prediction": 3}).encode()
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": f"/cuoc-thi/nop/{attempt.token}/",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": BytesIO(body),
    }
    reply = json.loads(b"".join(application(environ, start_response)))
    assert seen["status"] == "201 Created"
    assert seen["headers"]["Cache-Control"] == "no-store"
    assert len(reply["receipt"]) == 10
    environ["wsgi.input"] = BytesIO(body)
    assert json.loads(b"".join(application(environ, start_response)))["receipt"] == reply["receipt"]
    environ["CONTENT_TYPE"] = "text/plain"
    application(environ, start_response)
    assert seen["status"].startswith("415")


def test_ping_is_a_no_op_in_front_of_django():
    from thidua.wsgi import application

    seen = {}
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/cuoc-thi/ping",
        "CONTENT_LENGTH": "2",
        "wsgi.input": BytesIO(b"{}"),
    }
    body = b"".join(application(environ, lambda status, headers: seen.update(status=status)))
    assert (seen["status"], body) == ("200 OK", b"{}")


def test_question_bank_export_imports_into_another_contest_unchanged(
    org_client, organiser, contest, campaign, city
):
    services.question_import(
        actor=organiser,
        contest=contest,
        upload=xlsx_upload([HEADERS, *question_rows(12)]),
        filename="cau-hoi.xlsx",
    )
    export = org_client.get(reverse("contests:question-export", args=[contest.pk]))
    other = services.contest_create(
        actor=organiser, campaign=campaign, organiser_unit=city.centre, title="Năm sau"
    )
    created, errors = services.question_import(
        actor=organiser, contest=other, upload=BytesIO(export.content), filename="x.xlsx"
    )
    assert (created, errors) == (12, [])
    fields = ("topic", "difficulty", "stem", "option_a", "option_d", "correct", "source")
    assert list(other.questions.order_by("id").values_list(*fields)) == list(
        contest.questions.order_by("id").values_list(*fields)
    )
    # Into the same bank again: every row is already there, so nothing changes.
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=BytesIO(export.content), filename="x.xlsx"
    )
    assert created == 0
    assert len(errors) == 12
    assert contest.questions.count() == 12


def test_the_page_never_shows_the_banks_letters(round_):
    """Options are labelled A–D by position; their values are opaque codes of this attempt,
    mapped back to the bank's letters on the server (scoring is unchanged)."""
    import re

    phone = Client()
    _register(phone, round_.contest)
    start = phone.post(reverse("contests:attempt-start", args=[round_.pk]))
    attempt = Attempt.objects.get()
    html = phone.get(start.url).content.decode()
    values = re.findall(r'<input type="radio" name="q-\d+" value="([^"]*)"', html)
    assert len(values) == 40
    assert not set(values) & set("ABCD")
    assert len(set(values)) == 40  # unique: nothing repeats across questions either
    key = dict(Question.objects.values_list("pk", "correct"))
    right = {str(q): codes[order.index(key[q])] for q, order, codes in attempt.questions}
    data = {"key": str(uuid.uuid4()), "prediction": "3"}
    data |= {f"q-{q}": code for q, code in right.items()}
    phone.post(reverse("contests:attempt-finish", args=[attempt.token]), data)
    sub = Submission.objects.get()
    assert sub.score == 10
    assert sub.answers == {q: key[int(q)] for q in right}
    # Another attempt's codes mean nothing here.
    assert hotpath.answer_letters(attempt.questions, {str(attempt.questions[0][0]): "zzzz"}) == {}


def test_the_clock_shows_the_time_limit_not_the_grace_after_it(round_, contestant):
    """A 15-minute round starts at 15 minutes on the page: the grace seconds the server allows
    after the deadline carry the answers in flight and are not shown as more time."""
    with time_machine.travel(timezone.now(), tick=False):
        attempt = services.attempt_start(contestant=contestant, round_=round_)
        page = Client().get(reverse("contests:attempt", args=[attempt.token]))
    assert round_.grace_seconds > 0
    assert page.context["remaining"] == round_.time_limit_seconds == 900
    assert 'data-remaining="900"' in page.content.decode()
