from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.contests import services
from thidua.contests.challenge import WORDS
from thidua.contests.models import Attempt, Round, Submission
from thidua.demo import CONTEST_QUESTIONS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _questions_xlsx(path):
    import csv

    workbook = Workbook()
    sheet = workbook.active
    with CONTEST_QUESTIONS.open(encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    workbook.save(path)
    return path


def _solve(label: str) -> str:
    words = label.split(" bằng", maxsplit=1)[0].lower().split(" cộng ")
    return str(sum(WORDS.index(w.strip()) for w in words))


def test_organiser_imports_and_opens_a_round_contestant_resumes_and_submits_once(  # noqa: PLR0915 - one user story
    page, browser, live_server, make_user, city, campaign, settings, tmp_path
):
    settings.THIDUA_TOTP_REQUIRED = False
    organiser = make_user(Role.CONTEST_ORGANISER)
    contest = services.contest_create(
        actor=organiser,
        campaign=campaign,
        organiser_unit=city.centre,
        title="Cuộc thi tìm hiểu về Tổng Bí thư Nguyễn Văn Cừ",
    )

    # The organiser imports 40 questions from a spreadsheet and opens a 10-question round.
    sign_in(page, organiser.username)
    page.get_by_role("link", name="Cuộc thi", exact=True).click()
    page.get_by_role("link", name=contest.title).click()
    page.get_by_label("Nhập câu hỏi từ Excel").set_input_files(_questions_xlsx(tmp_path / "q.xlsx"))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã nhập 40 câu hỏi")
    page.get_by_role("link", name="Tạo vòng thi").click()
    now = timezone.localtime()
    page.get_by_label("Tên vòng").fill("Vòng 1")
    page.get_by_label("Mở lúc").fill((now - timedelta(hours=1)).strftime("%d/%m/%Y %H:%M"))
    page.get_by_label("Đóng lúc").fill((now + timedelta(days=7)).strftime("%d/%m/%Y %H:%M"))
    page.get_by_label("Số câu hỏi mỗi đề").fill("10")
    page.get_by_label("Thời gian làm bài (phút)").fill("15")
    page.get_by_role("button", name="Tạo vòng thi").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã tạo Vòng 1")
    page.get_by_role("link", name="Xem trước đề như người dự thi").click()
    expect(page.locator("fieldset.q")).to_have_count(11)  # 10 questions and the prediction
    round_ = Round.objects.get()

    # A contestant on a phone registers, answers three questions and closes the tab.
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 640}, locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh", is_mobile=True, has_touch=True,
    )  # fmt: skip
    tab = phone.new_page()
    violations: list[str] = []
    tab.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
    tab.goto(f"/cuoc-thi/{contest.pk}/")
    tab.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    tab.get_by_label("Năm sinh").fill("1998")
    tab.get_by_label("Phường hoặc đơn vị").select_option(label="Phường Suối Hoa")
    label = tab.locator("label[for=id_challenge]").inner_text()
    tab.get_by_label(label).fill(_solve(label))
    tab.get_by_label("Tôi đồng ý").check()
    tab.get_by_role("button", name="Đăng ký").click()
    expect(tab.get_by_text("Xin chào Nguyễn Thị Hoa")).to_be_visible()
    tab.get_by_role("button", name="Bắt đầu làm bài").click()
    questions = tab.locator("fieldset.q[data-question]")
    expect(questions).to_have_count(10)
    for i in range(3):
        questions.nth(i).locator("input[type=radio]").first.check()
        expect(tab.locator("#status")).to_have_text("Đã lưu.")
    chosen = [questions.nth(i).locator("input:checked").get_attribute("value") for i in range(3)]
    tab.close()

    # Back on the same device: resume with the saved answers, finish, double-click submit.
    tab = phone.new_page()
    tab.on("console", lambda m: violations.append(m.text) if "Content Security" in m.text else None)
    tab.goto(f"/cuoc-thi/{contest.pk}/")
    tab.get_by_role("link", name="Tiếp tục làm bài").click()
    questions = tab.locator("fieldset.q[data-question]")
    for i in range(3):
        assert questions.nth(i).locator("input:checked").get_attribute("value") == chosen[i]
    for i in range(3, 10):
        questions.nth(i).locator("input[type=radio]").nth(1).check()
    tab.get_by_label("Số dự đoán").fill("25")
    tab.get_by_role("button", name="Nộp bài").dblclick()
    expect(tab.get_by_role("heading", name="Biên nhận bài thi")).to_be_visible()
    receipt = tab.locator("#receipt-code").inner_text()
    assert Submission.objects.count() == 1
    assert Submission.objects.get().receipt == receipt
    assert Submission.objects.get().prediction == 25
    assert violations == []
    phone.close()

    # The round closes: ranking, prizes and the Excel export.
    past_grace = timezone.now() - timedelta(seconds=round_.grace_seconds + 1)
    Round.objects.filter(pk=round_.pk).update(closes_at=past_grace)
    page.goto(f"/quan-ly-cuoc-thi/vong/{round_.pk}/")
    page.get_by_role("button", name="Xếp hạng và phân bổ giải").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã xếp hạng")
    expect(page.locator("#ranking")).to_contain_text("Nguyễn Thị Hoa")
    expect(page.locator("#ranking")).to_contain_text("Giải Nhất")
    with page.expect_download() as download:
        page.get_by_role("link", name="Xuất danh sách đạt giải (Excel)").click()
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet.cell(2, 3).value == "Nguyễn Thị Hoa"
    page.get_by_role("link", name="Trang kết quả công khai").click()
    expect(page.locator("#winners")).to_contain_text("Phường Suối Hoa")


def _five_question_round(make_user, city, campaign):
    from tests.contests.conftest import HEADERS, open_round, question_rows
    from tests.factories.xlsx import xlsx_upload

    organiser = make_user(Role.CONTEST_ORGANISER)
    contest = services.contest_create(
        actor=organiser, campaign=campaign, organiser_unit=city.centre, title="Cuộc thi thử"
    )
    services.question_import(
        actor=organiser, contest=contest, filename="q.xlsx",
        upload=xlsx_upload([HEADERS, *question_rows(20)]),
    )  # fmt: skip
    open_round(organiser, contest, question_count=5)
    return contest


def _phone(browser, live_server):
    return browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 800}, locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh", is_mobile=True, has_touch=True,
    )  # fmt: skip


def _register_and_start(tab, contest, *, script_runs: bool = True) -> None:
    """Registers on the contest's page and starts the attempt; then, unless the test holds the
    page's script, waits until it has run (its countdown shows seconds): a test that holds the
    saves routes them afterwards, and a save the script sent on starting could have gone
    before the route was in place."""
    tab.goto(f"/cuoc-thi/{contest.pk}/")
    tab.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    tab.get_by_label("Năm sinh").fill("1998")
    tab.get_by_label("Phường hoặc đơn vị").select_option(label="Phường Suối Hoa")
    label = tab.locator("label[for=id_challenge]").inner_text()
    tab.get_by_label(label).fill(_solve(label))
    tab.get_by_label("Tôi đồng ý").check()
    tab.get_by_role("button", name="Đăng ký").click()
    tab.get_by_role("button", name="Bắt đầu làm bài").click()
    if script_runs:
        expect(tab.locator("#timer")).to_contain_text("giây")


def test_an_answer_chosen_before_the_page_script_runs_is_saved(
    browser, live_server, make_user, city, campaign
):
    """The questions show before attempt.js has run (a slow phone, or a loaded CI box: the
    script is fetched after the page). An answer picked then fired no handler: never saved, not
    kept on the device, left out of the submission, while the page showed it picked. The script
    now picks up what is checked when it starts."""
    contest = _five_question_round(make_user, city, campaign)
    phone = _phone(browser, live_server)
    held = []  # the page's script, held until an answer is chosen

    def hold(route) -> None:  # Playwright takes no builtin (list.append) as a handler
        held.append(route)

    phone.route("**/contests/attempt*.js", hold)
    tab = phone.new_page()
    _register_and_start(tab, contest, script_runs=False)
    question = tab.locator("fieldset.q[data-question]").nth(1)
    question.locator("input[type=radio]").nth(2).check()
    for _ in range(100):  # the route's handler runs on Playwright's own calls
        if held:
            break
        tab.wait_for_timeout(50)
    assert len(held) == 1
    assert tab.locator("#status").inner_text() == ""
    assert Attempt.objects.get().answers == {}
    held[0].continue_()
    expect(tab.locator("#status")).to_have_text("Đã lưu.")
    assert list(Attempt.objects.get().answers) == [question.get_attribute("data-question")]
    phone.close()


def test_an_autosave_answered_late_does_not_hide_the_unanswered_list(
    browser, live_server, make_user, city, campaign
):
    """On a slow line the save of the last answer came back after "Nộp bài" had named the
    questions left, and its "Đã lưu." replaced that list (the browser suite's flake of
    04/12): the contestant no longer saw what was missing. A save now speaks only if nothing
    was told since it began."""
    contest = _five_question_round(make_user, city, campaign)
    phone = _phone(browser, live_server)
    tab = phone.new_page()
    _register_and_start(tab, contest)
    held = []

    def hold(route) -> None:
        held.append(route)

    tab.route("**/cuoc-thi/bai/*/luu/", hold)
    tab.locator("fieldset.q[data-question]").nth(0).locator("input[type=radio]").first.check()
    for _ in range(100):  # the route's handler runs on Playwright's own calls
        if held:
            break
        tab.wait_for_timeout(50)
    assert len(held) == 1
    tab.get_by_role("button", name="Nộp bài").click()
    warning = "Còn 4 câu chưa trả lời (câu 2, 3, 4, 5); chưa nhập số dự đoán."
    expect(tab.locator("#status")).to_contain_text(warning)
    with tab.expect_response("**/cuoc-thi/bai/*/luu/") as saved:
        held[0].continue_()
    assert saved.value.ok
    tab.wait_for_timeout(200)  # the save's answer handled
    expect(tab.locator("#status")).to_contain_text(warning)
    assert len(Attempt.objects.get().answers) == 1  # saved all the same
    phone.close()


def _server_holds(tab, expected, prediction=None) -> bool:
    """Polls the attempt as the server would close it (answers as bank letters), waiting on
    the page so that Playwright runs route handlers meanwhile."""
    for _ in range(200):
        attempt = Attempt.objects.get()
        if attempt.answers == expected and attempt.prediction == prediction:
            return True
        tab.wait_for_timeout(50)
    return False


def _letter(attempt, question_id: str, code: str) -> str:
    _, order, codes = next(q for q in attempt.questions if str(q[0]) == question_id)
    return order[codes.index(code)]


def test_a_changed_answer_is_not_overwritten_by_its_older_save(
    browser, live_server, make_user, city, campaign
):
    """On a slow line the contestant changed question 1 from A to B while A's save was on its
    way; A's save reached the server after B's and the server kept A, which counted if the
    server closed the attempt (time up, phone off). A save now waits for the one before it."""
    contest = _five_question_round(make_user, city, campaign)
    phone = _phone(browser, live_server)
    tab = phone.new_page()
    _register_and_start(tab, contest)
    held = []

    def hold_first(route) -> None:  # the first save is slow; any later one is not
        if held:
            route.continue_()
        else:
            held.append(route)

    tab.route("**/cuoc-thi/bai/*/luu/", hold_first)
    question = tab.locator("fieldset.q[data-question]").first
    qid = question.get_attribute("data-question")
    first, second = (
        question.locator("input[type=radio]").nth(0),
        question.locator("input[type=radio]").nth(1),
    )
    first.check()
    for _ in range(200):  # the route's handler runs on Playwright's own calls
        if held:
            break
        tab.wait_for_timeout(50)
    assert len(held) == 1
    second.check()
    tab.wait_for_timeout(500)  # time for a second save to overtake the first
    held[0].continue_()
    attempt = Attempt.objects.get()
    chosen = _letter(attempt, qid, second.get_attribute("value"))
    assert _server_holds(tab, {qid: chosen})
    expect(tab.locator("#status")).to_have_text("Đã lưu.")
    phone.close()


def test_a_prediction_the_server_refuses_does_not_take_answers_with_it(
    browser, live_server, make_user, city, campaign
):
    """Changes made while a save is on its way leave together; a prediction typed as "-3"
    went with an answer, the server refused the whole save and the answer was never sent
    again. The page now says what the prediction must be and saves the answer alone."""
    contest = _five_question_round(make_user, city, campaign)
    phone = _phone(browser, live_server)
    tab = phone.new_page()
    _register_and_start(tab, contest)
    held = []

    def hold_first(route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    tab.route("**/cuoc-thi/bai/*/luu/", hold_first)
    questions = tab.locator("fieldset.q[data-question]")
    questions.nth(0).locator("input[type=radio]").nth(0).check()
    for _ in range(200):  # the route's handler runs on Playwright's own calls
        if held:
            break
        tab.wait_for_timeout(50)
    assert len(held) == 1
    second = questions.nth(1).locator("input[type=radio]").nth(2)
    second.check()
    tab.get_by_label("Số dự đoán").fill("-3")
    tab.get_by_label("Số dự đoán").press("Tab")
    expect(tab.locator("#status")).to_have_text("Số dự đoán phải là số nguyên từ 0 trở lên.")
    held[0].continue_()
    attempt = Attempt.objects.get()
    first_q, second_q = (questions.nth(i).get_attribute("data-question") for i in (0, 1))
    first_code = questions.nth(0).locator("input[type=radio]").nth(0).get_attribute("value")
    expected = {
        first_q: _letter(attempt, first_q, first_code),
        second_q: _letter(attempt, second_q, second.get_attribute("value")),
    }
    assert _server_holds(tab, expected, prediction=None)
    phone.close()


def test_answers_restored_on_the_device_reach_the_server(
    browser, live_server, make_user, city, campaign
):
    """Answers kept on the phone while the line was down were put back on the page when it
    was reopened, but sent only with the submission: if the contestant then closed it, the
    server closed the attempt without them. They are now saved when the page restores them."""
    contest = _five_question_round(make_user, city, campaign)
    phone = _phone(browser, live_server)
    tab = phone.new_page()
    _register_and_start(tab, contest)
    # The line drops: every save fails at once. (Saves held by a route instead could be let
    # through when the tab closed, as a keepalive request outlives its page.)
    phone.set_offline(True)
    questions = tab.locator("fieldset.q[data-question]")
    chosen = {}
    for i in (0, 2):
        option = questions.nth(i).locator("input[type=radio]").nth(1)
        option.check()
        chosen[questions.nth(i).get_attribute("data-question")] = option.get_attribute("value")
        expect(tab.locator("#status")).to_have_text(
            "Mất kết nối, câu trả lời vẫn được giữ trên máy."
        )
    tab.get_by_label("Số dự đoán").fill("42")
    tab.get_by_label("Số dự đoán").press("Tab")
    assert Attempt.objects.get().answers == {}
    url = tab.url
    tab.close()
    assert Attempt.objects.get().answers == {}
    phone.set_offline(False)  # the line comes back; the contestant reopens the attempt
    again = phone.new_page()
    again.goto(url)
    attempt = Attempt.objects.get()
    expected = {q: _letter(attempt, q, code) for q, code in chosen.items()}
    assert _server_holds(again, expected, prediction=42)
    for q, code in chosen.items():
        expect(again.locator(f'input[name="q-{q}"][value="{code}"]')).to_be_checked()
    expect(again.locator("#status")).to_have_text("Đã lưu.")
    phone.close()


def test_a_contestant_is_told_which_questions_are_unanswered_before_sending(
    browser, live_server, make_user, city, campaign
):
    """ "Nộp bài" sent the answers at once, two questions and the prediction missed included,
    and a sent attempt cannot be changed. Now the first press names what is missing and marks it;
    a second press (not the double click's) sends it as it is."""
    contest = _five_question_round(make_user, city, campaign)
    phone = _phone(browser, live_server)
    tab = phone.new_page()
    _register_and_start(tab, contest)
    questions = tab.locator("fieldset.q[data-question]")
    for i in (0, 2, 3):
        questions.nth(i).locator("input[type=radio]").first.check()
        expect(tab.locator("#status")).to_have_text("Đã lưu.")
    tab.get_by_role("button", name="Nộp bài").dblclick()
    expect(tab.locator("#status")).to_have_text(
        "Còn 2 câu chưa trả lời (câu 2, 5); chưa nhập số dự đoán. Bài đã nộp không sửa được: "
        "trả lời tiếp, hoặc bấm “Nộp bài” lần nữa để nộp như vậy."
    )
    expect(tab.locator("fieldset.q.unanswered")).to_have_count(2)
    assert Submission.objects.count() == 0
    questions.nth(1).locator("input[type=radio]").first.check()
    expect(tab.locator("fieldset.q.unanswered")).to_have_count(1)
    tab.get_by_role("button", name="Nộp bài").click()  # what is missing changed: told again
    expect(tab.locator("#status")).to_contain_text("Còn 1 câu chưa trả lời (câu 5)")
    tab.wait_for_timeout(1100)
    tab.get_by_role("button", name="Nộp bài").click()
    expect(tab.get_by_role("heading", name="Biên nhận bài thi")).to_be_visible()
    assert len(Submission.objects.get().answers) == 4
    phone.close()
