"""In the browser: Nội vụ opens the 2022 statistics to Bộ Nội vụ and downloads the workbook; a
contestant looks up her closed round on a phone, reviews her answers and opens the
verification page of her certificate. axe-checked, screenshots in var/screenshots/."""

import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.awards.test_statistics import Data
from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.e2e.test_foundation import sign_in
from tests.e2e.test_portal import PHONE, check_accessibility
from tests.factories.xlsx import xlsx_upload
from thidua.accounts.models import Role
from thidua.contests import hotpath, services
from thidua.contests.models import ContestCertificate, Round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_noi_vu_reads_the_2022_statistics_and_downloads_them(
    page, make_user, city, office_user, settings
):
    settings.THIDUA_TOTP_REQUIRED = False
    Data(city, office_user)
    office_user.username = "noivu-e2e"
    office_user.set_password("Mat-khau-dai-12")
    office_user.save()
    sign_in(page, "noivu-e2e", "Mat-khau-dai-12")
    page.get_by_role("link", name="Sổ vàng").click()
    page.get_by_role("link", name="Báo cáo thống kê Bộ Nội vụ").click()
    page.get_by_label("Năm báo cáo").fill("2022")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.get_by_text("Năm 2022 (từ 01/12/2021 đến 30/11/2022)").first).to_be_visible()
    total = page.locator("#bang-0601 tr[data-code='01'] td")
    expect(total).to_have_text(["01", "5", "0", "0", "5"])
    expect(page.locator("#bang-0603 tr[data-code='04'] td").nth(2)).to_have_text("1")
    page.mouse.move(0, 0)
    check_accessibility(page, "statistics-2022")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tất cả các biểu (Excel)").click()
    book = load_workbook(BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == ["0601", "0602", "0603", "0604", "0605", "Tham khao"]


def test_contestant_looks_up_reviews_and_checks_her_certificate(
    browser, live_server, make_user, city, campaign, settings
):
    organiser = make_user(Role.CONTEST_ORGANISER)
    contest = services.contest_create(
        actor=organiser, campaign=campaign, organiser_unit=city.centre,
        title="Cuộc thi tìm hiểu về Tổng Bí thư Nguyễn Văn Cừ", contact_field="phone",
    )  # fmt: skip
    services.question_import(
        actor=organiser, contest=contest, upload=xlsx_upload([HEADERS, *question_rows(20)]),
        filename="q.xlsx",
    )  # fmt: skip
    round_ = open_round(organiser, contest)
    person = services.contestant_register(
        contest=contest, full_name="Nguyễn Thị Minh Thư", birth_year=1990, unit=city.suoi_hoa,
        phone="0912 345 678", consent=True,
    )  # fmt: skip
    attempt = services.attempt_start(contestant=person, round_=round_)
    key = {str(q.pk): q.correct for q in round_.pool.all()}
    answers = {str(q[0]): key[str(q[0])] for q in attempt.questions[:9]}
    hotpath.submit(str(attempt.token), uuid.uuid4(), answers, 1)
    past = timezone.now() - timedelta(seconds=round_.grace_seconds + 1)
    Round.objects.filter(pk=round_.pk).update(opens_at=past - timedelta(days=7), closes_at=past)
    services.round_rank(actor=organiser, round_=Round.objects.get(pk=round_.pk))

    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url, viewport=PHONE
    )
    phone = context.new_page()
    phone.goto(f"/cuoc-thi/{contest.pk}/")
    phone.get_by_role("link", name="Tra cứu kết quả, xem lại bài làm, tải giấy chứng nhận").click()
    phone.get_by_label("Số điện thoại").fill("0912 345 678")
    phone.get_by_label("Năm sinh").fill("1990")
    phone.get_by_role("button", name="Tra cứu").click()
    expect(phone.get_by_role("heading", name="Nguyễn Thị Minh Thư")).to_be_visible()
    expect(phone.get_by_text("Giải Nhất")).to_be_visible()
    check_accessibility(phone, "contest-lookup")
    phone.get_by_role("link", name="Xem lại bài làm lần 1").click()
    expect(phone.locator("#score")).to_have_text("9/10")
    expect(phone.get_by_text("Đáp án đúng")).to_have_count(10)
    check_accessibility(phone, "contest-review")
    response = phone.request.get(f"/cuoc-thi/bai/{attempt.token}/giay-chung-nhan.pdf")
    assert response.headers["content-type"] == "application/pdf"
    certificate = ContestCertificate.objects.get(contestant=person)
    phone.goto(f"/cuoc-thi/giay-chung-nhan/{certificate.token}/")
    expect(phone.get_by_role("heading", name="Giấy chứng nhận hợp lệ")).to_be_visible()
    expect(phone.locator("#kind")).to_have_text("Đạt Giải Nhất")
    check_accessibility(phone, "contest-certificate-check")
    context.close()
