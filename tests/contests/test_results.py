"""After a round: results lookup, answer review (never before the round closes), certificates
with a QR code to the verification page, and the shuffled option order kept straight from the
page through the hot path's scoring to the review."""

import re
import uuid
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import one_rate_window
from tests.contests.conftest import open_round
from tests.contests.test_views import _register
from tests.factories.cards import phone_cards
from tests.factories.pages import page_title
from thidua.contests import hotpath, identity, results, services
from thidua.contests.models import (
    Attempt,
    ContactField,
    Contestant,
    ContestCertificate,
    Question,
    Round,
    Submission,
)
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db


def _close(round_, *, rank_by=None):
    past_grace = timezone.now() - timedelta(seconds=round_.grace_seconds + 1)
    Round.objects.filter(pk=round_.pk).update(
        opens_at=past_grace - timedelta(days=7), closes_at=past_grace
    )
    round_.refresh_from_db()
    if rank_by is not None:
        services.round_rank(actor=rank_by, round_=round_)
        round_.refresh_from_db()
    return round_


def _person(contest, name, year, city, **contact):
    return services.contestant_register(
        contest=contest, full_name=name, birth_year=year, unit=city.suoi_hoa, consent=True,
        **contact,
    )  # fmt: skip


def _take(round_, person, right):
    """Answer the first `right` questions correctly and the next one wrongly."""
    attempt = services.attempt_start(contestant=person, round_=round_)
    key = {str(q.pk): q.correct for q in round_.pool.all()}
    answers = {str(q[0]): key[str(q[0])] for q in attempt.questions[:right]}
    wrong_q = str(attempt.questions[right][0])
    answers[wrong_q] = next(letter for letter in "ABCD" if letter != key[wrong_q])
    status, body = hotpath.submit(str(attempt.token), uuid.uuid4(), answers, 3)
    assert status == 201
    return attempt, body["receipt"]


@pytest.fixture
def phone_contest(contest, organiser):
    return services.contest_update(actor=organiser, contest=contest, contact_field="phone")


@pytest.fixture
def played(organiser, phone_contest, bank, city):
    """A round with two entrants, closed and ranked: Lan 8/10, Bình 6/10."""
    round_ = open_round(organiser, phone_contest)  # the bank's questions, same contest
    lan = _person(phone_contest, "Nguyễn Thị Lan", 1990, city, phone="0912 345 678")
    binh = _person(phone_contest, "Trần Văn Bình", 1985, city, phone="0987654321")
    lan_attempt, lan_receipt = _take(round_, lan, 8)
    _binh_attempt, binh_receipt = _take(round_, binh, 6)
    return {
        "round": round_,
        "lan": lan,
        "binh": binh,
        "lan_attempt": lan_attempt,
        "lan_receipt": lan_receipt,
        "binh_receipt": binh_receipt,
    }


def _lookup(client, contest, **data):
    return client.post(reverse("contests:lookup", args=[contest.pk]), data)


def test_lookup_by_receipt_before_and_after_the_round(played, organiser):
    contest = played["round"].contest
    page = _lookup(Client(), contest, receipt=played["lan_receipt"].lower()).content.decode()
    assert "Nguyễn Thị Lan" in page
    assert "Trần Văn Bình" not in page  # never someone else's data
    assert "xem lại bài làm" not in page.lower()  # the round is still open: no answers
    assert "Vòng thi đang diễn ra" in page
    assert "8/10" in page  # this contest shows scores at once
    [card] = phone_cards(page, f"ket-qua-1-vong-{played['round'].pk}")  # a card on a phone
    assert (card[""], card["Mã biên nhận"], card["Số câu đúng"]) == (
        "Lần 1",
        played["lan_receipt"],
        "8/10",
    )
    _close(played["round"], rank_by=organiser)
    page = _lookup(Client(), contest, receipt=played["lan_receipt"]).content.decode()
    assert "Xếp hạng: <strong>1</strong>" in page
    assert "Giải Nhất" in page
    assert reverse("contests:review", args=[played["lan_attempt"].token]) in page
    assert reverse("contests:certificate", args=[played["lan_attempt"].token]) in page


def test_lookup_by_phone_and_birth_year(played, organiser):
    contest = played["round"].contest
    _close(played["round"], rank_by=organiser)
    page = _lookup(Client(), contest, contact="+84 912.345.678", birth_year=1990)
    html = page.content.decode()
    assert "Nguyễn Thị Lan" in html
    assert "Xếp hạng: <strong>1</strong>" in html
    assert page["Cache-Control"] == "no-store"
    wrong_year = _lookup(Client(), contest, contact="0912345678", birth_year=1991)
    unknown = _lookup(Client(), contest, contact="0900000000", birth_year=1990)
    for response in (wrong_year, unknown):
        text = response.content.decode()
        assert "Không tìm thấy kết quả phù hợp." in text  # the same answer: nothing to learn
        assert "Nguyễn Thị Lan" not in text


def test_lookup_form_says_what_is_missing(played):
    contest = played["round"].contest
    html = _lookup(Client(), contest, contact="0912345678").content.decode()
    assert "Hãy nhập năm sinh." in html
    assert 'value="0912345678"' in html  # nothing typed is lost
    # the box says which message is its own (the message carries the id it points at)
    assert 'aria-describedby="id_birth_year_error"' in html
    assert 'id="id_birth_year_error"' in html
    # on a phone: the number pad for the phone number, capitals for the receipt code
    assert re.search(r'<input type="tel" name="contact"[^>]*autocomplete="tel"', html)
    assert re.search(r'<input type="text" name="receipt"[^>]*autocapitalize="characters"', html)
    html = _lookup(Client(), contest).content.decode()
    assert "Hãy nhập mã biên nhận, hoặc số điện thoại và năm sinh." in html


def test_lookup_without_a_contact_field_takes_receipts_only(round_, contestant):
    page = Client().get(reverse("contests:lookup", args=[round_.contest.pk])).content.decode()
    assert "Số điện thoại" not in page
    assert "Mã biên nhận" in page


def test_lookup_is_rate_limited_per_person(played):
    contest = played["round"].contest
    with one_rate_window():
        statuses = [
            _lookup(Client(), contest, contact="0912345678", birth_year=year).status_code
            for year in range(1980, 1987)
        ]
        assert statuses[:5] == [200] * 5
        assert statuses[5:] == [429, 429]  # guessing the birth year stops after five tries
        last = _lookup(Client(), contest, contact="0912345678", birth_year=1990)
        assert last.status_code == 429
    assert "Nguyễn Thị Lan" not in last.content.decode()


def test_review_never_before_the_round_closes(played, organiser):
    url = reverse("contests:review", args=[played["lan_attempt"].token])
    before = Client().get(url).content.decode()
    assert "Đáp án chỉ được công bố sau khi vòng thi kết thúc" in before
    assert "Đáp án đúng" not in before
    first_stem = Question.objects.get(pk=played["lan_attempt"].questions[0][0]).stem
    assert first_stem not in before
    _close(played["round"])
    after = Client().get(url).content.decode()
    assert first_stem in after
    assert after.count("Đáp án đúng") == 10
    assert after.count("Bạn chọn") == 9  # 8 right, 1 wrong, 1 unanswered
    assert 'id="score">8/10' in after
    assert "Bạn chưa trả lời câu này." in after


def test_review_waits_for_the_attempts_still_in_their_grace_period(played, city):
    """An attempt started before the close may still be saved and sent during the round's
    grace period: no review may show the correct answers until that has passed too."""
    round_ = played["round"]
    start = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        closes_at=start + timedelta(seconds=60), grace_seconds=120
    )
    round_.refresh_from_db()
    late = services.attempt_start(
        contestant=_person(round_.contest, "Phạm Văn Cường", 1992, city, phone="0911111111"),
        round_=round_,
    )
    url = reverse("contests:review", args=[played["lan_attempt"].token])
    first_stem = Question.objects.get(pk=played["lan_attempt"].questions[0][0]).stem
    with time_machine.travel(start + timedelta(seconds=90), tick=False):  # closed, in grace
        page = Client().get(url).content.decode()
        assert "Đáp án đúng" not in page
        assert first_stem not in page
        qid, _order, codes = late.questions[0]
        services.answer_save(attempt=late, answers={str(qid): codes[0]})  # still open
    with time_machine.travel(start + timedelta(seconds=181), tick=False):
        page = Client().get(url).content.decode()
        assert page.count("Đáp án đúng") == 10


def test_option_order_is_shuffled_per_attempt_and_agrees_everywhere(round_, contestant):
    """The page shows the options in the attempt's order, each posting this attempt's opaque
    code (never the bank's letter); the hot path maps the clicked code back and scores it; the
    review marks the same option as chosen and correct."""
    attempt = services.attempt_start(contestant=contestant, round_=round_)
    orders = {q[1] for q in attempt.questions}
    assert len(orders) > 1  # shuffled, not the bank's ABCD every time
    qid, order, codes = next(q for q in attempt.questions if q[1][0] != "A")
    question = Question.objects.get(pk=qid)
    page = Client().get(reverse("contests:attempt", args=[attempt.token])).content.decode()
    shown_options = re.findall(
        rf'name="q-{qid}" value="([0-9a-f]+)"[^>]*> ([A-D])\. ([^<]*)</label>', page
    )
    texts = dict(question.options)
    # shown as A, B, C, D in the attempt's order, each with its own code
    assert [(v, label, t.strip()) for v, label, t in shown_options] == [
        (codes[i], "ABCD"[i], texts[letter]) for i, letter in enumerate(order)
    ]
    shown = results.shown_label(order, question.correct)
    # the contestant clicks the option shown under that label: the correct text
    clicked = shown_options["ABCD".index(shown)][0]
    status, _body = hotpath.submit(str(attempt.token), uuid.uuid4(), {str(qid): clicked}, None)
    assert status == 201
    submission = Submission.objects.get(attempt=attempt)
    assert submission.score == 1
    assert submission.answers == {str(qid): question.correct}  # stored as the bank's letter
    _close(round_)
    review = results.review_items(submission)
    reviewed = next(i for i in review if i.stem == question.stem)
    assert reviewed.chosen == reviewed.correct == shown
    assert reviewed.right
    assert [o.text for o in reviewed.options] == [texts[x] for x in order]
    # a wrong option clicked on another question is marked so
    other_id, other_order, other_codes = attempt.questions[-1]
    if other_id != qid:
        other = Question.objects.get(pk=other_id)
        wrong = next(i for i, x in enumerate(other_order) if x != other.correct)
        assert hotpath.answer_letters(attempt.questions, {str(other_id): other_codes[wrong]}) == {
            str(other_id): other_order[wrong]
        }


def test_certificate_pdf_with_qr_and_verification_page(played, organiser, settings):
    from thidua.campaigns.models import Campaign

    settings.SITE_URL = "https://thidua.example.vn"
    # Dated at the campaign's place, as its other documents are (a town's contest, not the
    # city's name hard-coded).
    Campaign.objects.filter(pk=played["round"].contest.campaign_id).update(place="Từ Sơn")
    url = reverse("contests:certificate", args=[played["lan_attempt"].token])
    assert Client().get(url).status_code == 404  # not before the round closes
    _close(played["round"], rank_by=organiser)
    response = Client().get(url)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(BytesIO(response.content)).pages[0].extract_text().split())
    assert "GIẤY CHỨNG NHẬN" in text
    assert "Từ Sơn, ngày" in text
    assert "Nguyễn Thị Lan" in text
    assert "Đạt Giải Nhất" in text
    certificate = ContestCertificate.objects.get(contestant=played["lan"])
    assert Client().get(url).status_code == 200
    assert ContestCertificate.objects.count() == 1  # the same token on every download
    verify = reverse("contests:certificate-verify", args=[certificate.token])
    assert results.verify_url(certificate.token) == f"https://thidua.example.vn{verify}"
    page = Client().get(verify).content.decode()
    assert "Giấy chứng nhận hợp lệ" in page
    assert "Nguyễn Thị Lan" in page
    assert "Đạt Giải Nhất" in page
    assert "1990" not in page
    assert "0912" not in page
    missing = Client().get(reverse("contests:certificate-verify", args=["khong-co"]))
    assert missing.status_code == 404


def test_the_certificate_check_is_rate_limited(monkeypatch):
    """Anonymous, opened from a QR code: one address cannot try token after token."""
    from thidua.contests.views import results as views

    monkeypatch.setattr(views, "VERIFY_RATE", "3/m")
    with one_rate_window():
        statuses = [
            Client().get(reverse("contests:certificate-verify", args=[f"khong-co-{i}"]))
            for i in range(4)
        ]
    assert [r.status_code for r in statuses] == [404, 404, 404, 429]
    assert "thử lại sau" in statuses[-1].content.decode()


def test_participation_certificate_without_a_prize(played, organiser):
    Round.objects.filter(pk=played["round"].pk).update(prizes=[{"tier": "first", "count": 1}])
    played["round"].refresh_from_db()
    _close(played["round"], rank_by=organiser)
    binh = Attempt.objects.get(contestant=played["binh"])
    response = Client().get(reverse("contests:certificate", args=[binh.token]))
    text = " ".join(PdfReader(BytesIO(response.content)).pages[0].extract_text().split())
    assert "Đã tham gia" in text


def test_no_certificate_for_a_practice_round(organiser, bank, contestant):
    practice = open_round(organiser, bank, is_practice=True, attempts_policy="unlimited")
    attempt, _ = _take(practice, contestant, 5)
    _close(practice)
    assert Client().get(reverse("contests:certificate", args=[attempt.token])).status_code == 404


def test_a_practice_receipt_promises_no_certificate(organiser, bank, contestant):
    """The practice receipt told the contestant to keep the code to download a certificate after
    the round, which a practice round never gives."""
    practice = open_round(organiser, bank, is_practice=True, attempts_policy="unlimited")
    attempt, _ = _take(practice, contestant, 5)
    html = Client().get(reverse("contests:receipt", args=[attempt.token])).content.decode()
    assert "tải giấy chứng nhận" not in html
    assert "Bài thi thử không có giấy chứng nhận." in html
    assert "xem lại bài làm và đáp án</a>" in html


# ------------------------------------------------------------------ one-time contact code


@pytest.fixture
def email_contest(contest, organiser):
    return services.contest_update(
        actor=organiser, contest=contest, contact_field="email", verify_contact=True
    )


def test_code_by_email_before_the_first_attempt(email_contest, bank, organiser):
    round_ = open_round(organiser, email_contest)
    phone = Client()
    _register(phone, email_contest, email="ha@example.vn")
    contestant = Contestant.objects.get()
    home = phone.get(reverse("contests:public-contest", args=[email_contest.pk])).content.decode()
    assert "Xác minh thông tin liên hệ" in home
    assert "h•••@example.vn" in home
    refused = phone.post(reverse("contests:attempt-start", args=[round_.pk]), follow=True)
    assert "Hãy xác minh thông tin liên hệ" in refused.content.decode()
    assert not Attempt.objects.exists()
    verify = reverse("contests:contact-verify", args=[email_contest.pk])
    send_code = reverse("contests:contact-code-send", args=[email_contest.pk])
    phone.post(send_code)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ha@example.vn"]
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    again = phone.post(send_code, follow=True).content.decode()
    assert "Hãy chờ một phút" in again
    wrong = "000000" if code != "000000" else "111111"
    bad = phone.post(verify, {"action": "confirm", "code": wrong}, follow=True).content.decode()
    assert "Mã chưa đúng. Bạn còn 4 lần nhập." in bad
    ok = phone.post(verify, {"action": "confirm", "code": code}, follow=True).content.decode()
    assert "Đã xác minh" in ok
    contestant.refresh_from_db()
    assert contestant.contact_verified_at is not None
    assert ActionLog.objects.filter(action="contests.contestant.contact_verified").count() == 1
    start = phone.post(reverse("contests:attempt-start", args=[round_.pk]))
    assert start.status_code == 302
    assert Attempt.objects.count() == 1


def test_code_by_sms_adapter_and_tries_limit(contest, organiser, city):
    contest = services.contest_update(
        actor=organiser, contest=contest, contact_field="phone", verify_contact=True
    )
    person = _person(contest, "Lê Văn An", 1970, city, phone="0912345678")
    identity.ConsoleSmsSender.sent = []
    assert identity.code_send(contestant=person) == "09•••••678"
    to, text = identity.ConsoleSmsSender.sent[-1]
    assert to == "0912345678"
    code = re.search(r"\b(\d{6})\b", text).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(identity.MAX_TRIES):
        with pytest.raises(Exception, match="Mã chưa đúng"):
            identity.code_confirm(contestant=person, code=wrong)
    with pytest.raises(Exception, match="nhập sai quá nhiều lần"):
        identity.code_confirm(contestant=person, code=code)  # even the right one, now
    assert Contestant.objects.get(pk=person.pk).contact_verified_at is None


def test_codes_to_one_number_are_limited_however_many_times_it_registers(contest, organiser, city):
    """Registering again and again with someone else's number must not flood that phone with
    codes: the limits count per number (however it is written), not per registration."""
    from django.core.exceptions import ValidationError

    contest = services.contest_update(
        actor=organiser, contest=contest, contact_field="phone", verify_contact=True
    )
    identity.ConsoleSmsSender.sent = []
    start = timezone.now()
    refused = []
    for i in range(identity.SENDS_PER_HOUR + 2):
        with time_machine.travel(start + timedelta(seconds=61 * i), tick=False):
            number = "+84 912 345 678" if i % 2 else "0912345678"
            person = _person(contest, f"Người thứ {i}", 1980, city, phone=number)
            try:
                identity.code_send(contestant=person)
            except ValidationError as exc:
                refused.append(exc.messages[0])
    assert len(identity.ConsoleSmsSender.sent) == identity.SENDS_PER_HOUR
    assert len(refused) == 2
    assert "quá nhiều lần" in refused[0]
    with time_machine.travel(start + timedelta(seconds=61 * 8), tick=False):
        again = _person(contest, "Người thứ 8", 1980, city, phone="0912345678")
        with pytest.raises(ValidationError, match="quá nhiều lần"):
            identity.code_send(contestant=again)
        other = _person(contest, "Lê Văn An", 1970, city, phone="0987654321")
        assert identity.code_send(contestant=other) == "09•••••321"


def test_code_setting_needs_a_contact_field(contest, organiser, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="hãy chọn hỏi số điện thoại hoặc thư điện tử"):
        services.contest_update(actor=organiser, contest=contest, verify_contact=True)
    settings.PRODUCTION = True
    with pytest.raises(ValidationError, match="chưa được cấu hình dịch vụ gửi tin nhắn SMS"):
        services.contest_update(
            actor=organiser, contest=contest, contact_field=ContactField.PHONE, verify_contact=True
        )


def test_organisers_print_of_winners_carries_the_same_verification(
    played, organiser, django_assert_max_num_queries
):
    from tests.conftest import verified_client

    _close(played["round"], rank_by=organiser)
    client = verified_client(organiser)
    url = reverse("contests:round-certificates", args=[played["round"].pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    text = " ".join(PdfReader(BytesIO(response.content)).pages[0].extract_text().split())
    assert "Đạt Giải Nhất" in text
    assert ContestCertificate.objects.count() == 2  # both winners (1 first, 2 second prizes)
    token = ContestCertificate.objects.get(contestant=played["lan"]).token
    client.get(url)
    assert ContestCertificate.objects.get(contestant=played["lan"]).token == token
    # the contestant's own download is the same certificate
    Client().get(reverse("contests:certificate", args=[played["lan_attempt"].token]))
    assert ContestCertificate.objects.count() == 2


def test_every_contestant_page_is_self_contained_and_names_itself(played, organiser):
    """Closed networks: nothing from another host; and each page's tab says which page it is
    (the results and the collective prizes said only the contest's title)."""
    round_ = _close(played["round"], rank_by=organiser)
    contest = round_.contest
    attempt = played["lan_attempt"]
    title = contest.title
    pages = {
        reverse("contests:public-contest", args=[contest.pk]): title,
        reverse("contests:lookup", args=[contest.pk]): f"Tra cứu kết quả – {title}",
        reverse("contests:public-results", args=[round_.pk]): f"Kết quả {round_} – {title}",
        reverse("contests:public-collective", args=[contest.pk]): f"Giải tập thể – {title}",
        reverse("contests:receipt", args=[attempt.token]): f"Biên nhận bài thi – {title}",
        reverse("contests:review", args=[attempt.token]): f"Xem lại bài làm – {title}",
        reverse("contests:certificate-verify", args=["khong-co"]): "Xác minh giấy chứng nhận",
    }
    for url, name in pages.items():
        response = Client().get(url)
        assert response.status_code in (200, 404), url
        assert page_title(response.content.decode()) == name, url


def test_contest_pages_lead_back_to_the_campaigns_portal_and_a_missing_certificate_out(
    played, organiser, make_user, django_assert_max_num_queries
):
    """The contest's public pages had no way back to the campaign's portal, and the "not
    found" page of a certificate check (a mistyped or torn QR code) had no way out at all."""
    from thidua.accounts.models import Role
    from thidua.portal import services as portal

    round_ = _close(played["round"], rank_by=organiser)
    contest = round_.contest
    attempt = played["lan_attempt"]
    pages = [
        reverse("contests:public-contest", args=[contest.pk]),
        reverse("contests:lookup", args=[contest.pk]),
        reverse("contests:public-results", args=[round_.pk]),
        reverse("contests:public-collective", args=[contest.pk]),
        reverse("contests:receipt", args=[attempt.token]),
    ]
    for url in pages:  # no published portal: no link to one
        assert "Về chuyên trang phong trào" not in Client().get(url).content.decode(), url
    media = make_user(Role.MEDIA_STAFF)
    site = portal.site_save(actor=media, campaign=contest.campaign, is_public=False, intro="")
    assert "Về chuyên trang phong trào" not in Client().get(pages[0]).content.decode()
    portal.site_save(actor=media, campaign=contest.campaign, is_public=True, intro="")
    home = reverse("portal:home", args=[site.slug])
    for url in pages:
        page = Client().get(url).content.decode()
        link = page.split('<a class="portal-link" ')[1].split("</a>")[0]
        assert link.startswith(f'href="{home}">'), url
        assert link.endswith("Về chuyên trang phong trào"), url
    with django_assert_max_num_queries(4):  # one query more for the link
        Client().get(reverse("contests:public-results", args=[round_.pk]))
    missing = Client().get(reverse("contests:certificate-verify", args=["khong-co"]))
    page = missing.content.decode()
    assert missing.status_code == 404
    assert "Hãy quét lại mã QR" in page
    assert f'href="{reverse("portal:index")}">Về cổng thông tin phong trào thi đua</a>' in page
