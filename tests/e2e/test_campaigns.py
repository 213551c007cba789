import pytest
from playwright.sync_api import expect

from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus, Delivery
from thidua.demo import SEED_PLAN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_issue_and_acknowledge_the_seed_plan(
    page, browser, live_server, make_user, city, settings
):
    settings.THIDUA_TOTP_REQUIRED = False  # the TOTP flow has its own browser test
    office = make_user(Role.EMULATION_OFFICE)
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)

    sign_in(page, office.username)
    page.goto("/phong-trao/nhap/")
    page.get_by_label("Dán nội dung kế hoạch").fill(SEED_PLAN.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Nhận dạng và đối chiếu").click()
    expect(page.get_by_role("heading", name="Đối chiếu trước khi lưu")).to_be_visible()
    expect(page.locator("#id_parents-0-number")).to_have_value("272/KH-UBND")
    expect(page.get_by_label("Hạn báo cáo")).to_have_value("15/12/2022")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu dự thảo")

    page.get_by_role("link", name="Soạn thảo", exact=True).click()
    page.get_by_label("Người ký", exact=True).fill("Nguyễn Văn Thành")
    page.get_by_role("button", name="Lưu toàn bộ kế hoạch").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu")
    expect(page.locator("#preview")).to_contain_text("Nguyễn Văn Thành")

    page.goto(f"/phong-trao/{Campaign.objects.get().pk}/")
    page.get_by_label("Ngày ban hành").fill("25/05/2022")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cấp số và ban hành").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ban hành")
    expect(page.get_by_text("Kế hoạch số 01/KH-UBND ngày 25/05/2022")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải DOCX").click()
    assert download.value.suggested_filename.endswith(".docx")

    ward = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    sign_in(ward, officer.username)
    ward.goto("/phong-trao/")
    ward.get_by_role("link", name="Phát động phong trào thi đua đặc biệt").first.click()
    ward.get_by_role("button", name="Xác nhận đã tiếp nhận").click()
    expect(ward.get_by_role("alert").first).to_contain_text("Đã xác nhận tiếp nhận")
    ward.context.close()

    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.RUNNING
    assert Delivery.objects.get(campaign=campaign, unit=city.suoi_hoa).acknowledged_by == officer
    page.goto(f"/phong-trao/{campaign.pk}/tiep-nhan/")
    expect(page.locator("#deliveries")).to_contain_text("chưa xác nhận")
