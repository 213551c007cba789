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
