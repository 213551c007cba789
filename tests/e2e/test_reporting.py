from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.reporting import services
from thidua.reporting.models import ReportAssignment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_draft_approve_submit_return_resubmit(
    page, browser, live_server, make_user, city, campaign, office_user, settings
):
    settings.THIDUA_TOTP_REQUIRED = False
    template = services.template_create(
        actor=office_user,
        campaign=campaign,
        name="Mẫu báo cáo",
        sections=[{"title": "Kết quả thực hiện", "guidance": "Nêu kết quả"}],
        indicators=[],
    )
    request = services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo thực hiện phong trào",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    a = request.assignments.get()
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)

    def as_user(user):
        p = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
        sign_in(p, user.username)
        p.goto(f"/bao-cao/don-vi/{a.pk}/")
        return p

    sign_in(page, officer.username)
    page.goto("/bao-cao/cua-don-vi/")
    page.get_by_role("link", name="Báo cáo thực hiện phong trào").click()
    page.get_by_label("Kết quả thực hiện").fill("Phường tổ chức 4 hoạt động, 620 người tham gia.")
    expect(page.locator("#saved-state")).to_contain_text("Đã tự động lưu")
    page.reload()  # nothing typed is lost
    expect(page.get_by_label("Kết quả thực hiện")).to_have_value(
        "Phường tổ chức 4 hoạt động, 620 người tham gia."
    )
    page.get_by_role("button", name="Gửi thủ trưởng duyệt").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi thủ trưởng duyệt")

    head_page = as_user(head)
    head_page.get_by_role("button", name="Duyệt và nộp báo cáo").click()
    expect(head_page.get_by_role("alert")).to_contain_text("Đã duyệt và nộp")

    office = as_user(office_user)
    office.get_by_label("Ý kiến").fill("Đề nghị bổ sung số tin, bài tuyên truyền.")
    office.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(office.get_by_role("alert")).to_contain_text("Đã trả lại")

    page.reload()
    expect(page.locator(".alert-warning")).to_contain_text("bổ sung số tin, bài")
    page.get_by_label("Kết quả thực hiện").fill(
        "Phường tổ chức 4 hoạt động, 620 người tham gia; 12 tin, bài."
    )
    expect(page.locator("#saved-state")).to_contain_text("Đã tự động lưu")
    head_page.reload()
    head_page.get_by_role("button", name="Duyệt và nộp báo cáo").click()
    expect(head_page.get_by_role("alert")).to_contain_text("Đã duyệt và nộp")

    office.reload()
    office.get_by_role("link", name="So sánh hai lần nộp gần nhất").click()
    expect(
        office.get_by_text("+ Phường tổ chức 4 hoạt động, 620 người tham gia; 12 tin, bài.")
    ).to_be_visible()
    for p in (head_page, office):
        p.context.close()
    a.refresh_from_db()
    assert a.status == "submitted"
    assert a.versions.count() == 2
    assert ReportAssignment.objects.get(pk=a.pk).is_late  # submitted in 2026 for a 2022 deadline


def _type(page, label: str, text: str) -> None:
    """Type into a field and leave it, as a person does, and wait for its autosaves (after the
    pause in typing, on leaving the field): the live server's in-memory SQLite takes one write
    at a time, so a click racing an autosave would fail on the test database, not the app."""
    field = page.get_by_label(label)
    with page.expect_response(lambda r: "/luu-nhap/" in r.url):
        field.fill(text)
    with page.expect_response(lambda r: "/luu-nhap/" in r.url):
        field.blur()


def test_nothing_typed_is_lost_to_an_unreadable_figure(
    page, live_server, make_user, city, campaign, office_user, settings
):
    """The review's case in a browser: letters in one figure, 12500 in another. The autosave
    keeps 12500 and shows the message under the figure; "Gửi thủ trưởng duyệt" posts what is
    on screen: refused, the page comes back as typed, with the message, and nothing is sent."""
    settings.THIDUA_TOTP_REQUIRED = False
    template = services.template_create(
        actor=office_user,
        campaign=campaign,
        name="Mẫu báo cáo",
        sections=[{"title": "Kết quả thực hiện", "guidance": ""}],
        indicators=[
            {"name": "Số người dự thi tìm hiểu", "unit_of_measure": "người"},
            {"name": "Số tin, bài tuyên truyền", "unit_of_measure": "tin, bài"},
        ],
    )
    request = services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo thực hiện phong trào",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    a = request.assignments.get()
    contest, news = (str(i.pk) for i in template.indicators.order_by("position", "pk"))
    contest_label, news_label = (
        "Số người dự thi tìm hiểu (người)",
        "Số tin, bài tuyên truyền (tin, bài)",
    )
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    sign_in(page, officer.username)
    page.goto(f"/bao-cao/don-vi/{a.pk}/")
    _type(page, news_label, "12500")
    _type(page, contest_label, "mười hai")
    expect(page.locator("#saved-state")).to_contain_text("Chưa lưu “Số người dự thi tìm hiểu”")
    expect(page.locator(f"#indicator-{contest}-error")).to_have_text("“mười hai” không phải là số.")
    a.refresh_from_db()
    assert a.draft_values == {news: 12500.0}

    page.get_by_role("button", name="Gửi thủ trưởng duyệt").click()
    expect(page.locator(".alert-danger")).to_contain_text("Báo cáo chưa được gửi đi")
    expect(page.get_by_label(contest_label)).to_have_value("mười hai")
    expect(page.locator(f"#indicator-{contest}-error")).to_have_text("“mười hai” không phải là số.")
    a.refresh_from_db()
    assert (a.status, a.draft_values) == ("pending", {news: 12500.0})

    _type(page, contest_label, "12")
    expect(page.locator(f"#indicator-{contest}-error")).to_have_text("")
    page.get_by_role("button", name="Gửi thủ trưởng duyệt").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi thủ trưởng duyệt")
    a.refresh_from_db()
    assert (a.status, a.draft_values) == ("pending_approval", {contest: 12.0, news: 12500.0})


def test_head_returns_the_report_to_the_officer_who_corrects_and_sends_it_again(
    page, browser, live_server, make_user, city, campaign, office_user, settings
):
    settings.THIDUA_TOTP_REQUIRED = False
    template = services.template_create(
        actor=office_user,
        campaign=campaign,
        name="Mẫu báo cáo",
        sections=[{"title": "Kết quả thực hiện", "guidance": ""}],
        indicators=[{"name": "Số tin, bài tuyên truyền", "unit_of_measure": "tin, bài"}],
    )
    request = services.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo thực hiện phong trào",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    a = request.assignments.get()
    news = str(template.indicators.get().pk)
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    services.report_draft_save(
        actor=officer,
        assignment=a,
        narratives={str(template.sections.get().pk): "Phường tổ chức 4 hoạt động."},
        values={news: "12"},
    )
    services.report_send_for_approval(actor=officer, assignment=a)

    sign_in(page, head.username)
    page.goto(f"/bao-cao/don-vi/{a.pk}/")
    page.get_by_role("button", name="Trả lại cán bộ").click()  # no reason: refused, in Vietnamese
    expect(page.locator(".alert-danger")).to_contain_text("Cần ghi rõ nội dung cần sửa")
    page.get_by_label("Trả lại cán bộ đầu mối").fill("Bổ sung số tin, bài tháng 11.")
    page.get_by_role("button", name="Trả lại cán bộ").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã trả lại báo cáo cho cán bộ đầu mối")
    expect(page.get_by_role("button", name="Duyệt và nộp báo cáo")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("Thủ trưởng trả lại báo cáo cho cán bộ")

    officer_page = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    sign_in(officer_page, officer.username)
    officer_page.goto("/bao-cao/cua-don-vi/")
    expect(officer_page.locator("#my-reports")).to_contain_text("Bổ sung số tin, bài tháng 11.")
    officer_page.get_by_role("link", name="Báo cáo thực hiện phong trào").click()
    expect(officer_page.locator("#head-note")).to_contain_text("Bổ sung số tin, bài tháng 11.")
    expect(officer_page.get_by_label("Kết quả thực hiện")).to_have_value(
        "Phường tổ chức 4 hoạt động."
    )
    _type(officer_page, "Số tin, bài tuyên truyền (tin, bài)", "15")
    officer_page.get_by_role("button", name="Gửi thủ trưởng duyệt").click()
    expect(officer_page.get_by_role("alert")).to_contain_text("Đã gửi thủ trưởng duyệt")
    expect(officer_page.locator("#head-note")).to_have_count(0)
    officer_page.context.close()
    a.refresh_from_db()
    assert (a.status, a.draft_values, a.head_note) == ("pending_approval", {news: 15.0}, "")
