from datetime import date

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.campaigns import services as campaigns
from thidua.demo import CRITERIA, SEED_PLAN
from thidua.participation.models import Activity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_page(browser, live_server):
    return browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()


def test_ward_registers_records_an_exhibition_and_office_sees_it(  # noqa: PLR0915 - one user story
    page, browser, live_server, make_user, city, office_user, settings, tmp_path
):
    settings.THIDUA_TOTP_REQUIRED = False
    draft = campaigns.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )
    draft = campaigns.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, signer_name="A"
    )
    campaigns.campaign_items_replace(
        actor=office_user, campaign=draft, kind="criteria", items=CRITERIA
    )
    campaign = campaigns.campaign_issue(
        actor=office_user, campaign=draft, issued_on=date(2022, 5, 25)
    )
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    photos = []
    for i in range(3):
        path = tmp_path / f"trien-lam-{i}.jpg"
        Image.new("RGB", (800, 600), (30 * i, 80, 120)).save(path, "JPEG")
        photos.append(str(path))
    fake = tmp_path / "anh-dep.jpg"
    fake.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500)

    # The focal officer registers two commitments and sends them to the head.
    sign_in(page, officer.username)
    page.goto(f"/phong-trao/{campaign.pk}/dang-ky/")
    page.get_by_role("link", name="Đăng ký cho Phường Suối Hoa").click()
    page.get_by_label("Bỏ").nth(2).check()  # keep two of the plan's three criteria
    page.get_by_role("button", name="Lưu bản đăng ký").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu bản đăng ký")
    page.get_by_role("button", name="Gửi thủ trưởng duyệt").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi thủ trưởng đơn vị duyệt")

    head_page = new_page(browser, live_server)
    sign_in(head_page, head.username)
    head_page.goto(f"/phong-trao/{campaign.pk}/dang-ky/{city.suoi_hoa.pk}/")
    head_page.get_by_role("button", name="Duyệt và gửi Phòng Nội vụ").click()
    expect(head_page.get_by_role("alert")).to_contain_text("Đã duyệt")
    head_page.context.close()

    # A renamed executable is refused, and the form keeps what was typed.
    page.goto(f"/phong-trao/{campaign.pk}/hoat-dong/them/")
    page.get_by_label("Hình thức").select_option(label="Triển lãm ảnh")
    page.get_by_label("Tên hoạt động").fill("Triển lãm ảnh về Tổng Bí thư Nguyễn Văn Cừ")
    page.get_by_label("Ngày tổ chức").fill("01/07/2022")
    page.get_by_label("Số người tham gia").fill("120")
    page.get_by_label("Minh chứng").set_input_files([*photos[:1], str(fake)])
    page.get_by_role("button", name="Lưu hoạt động").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("anh-dep.jpg")
    expect(page.get_by_label("Tên hoạt động")).to_have_value(
        "Triển lãm ảnh về Tổng Bí thư Nguyễn Văn Cừ"
    )
    assert not Activity.objects.exists()

    page.get_by_label("Minh chứng").set_input_files(photos)
    page.get_by_label(
        "Đóng góp cho cam kết: Tổ chức tọa đàm, nói chuyện chuyên đề về Tổng Bí thư Nguyễn Văn Cừ (buổi)"
    ).fill("1")
    page.get_by_role("button", name="Lưu hoạt động").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận hoạt động")
    expect(page.locator("#evidence img")).to_have_count(3)

    page.goto(f"/phong-trao/{campaign.pk}/dang-ky/{city.suoi_hoa.pk}/")
    expect(page.locator("#progress")).to_contain_text("50%")

    # Nội vụ sees the ward registered and the activity in the roll-up.
    office = new_page(browser, live_server)
    sign_in(office, office_user.username)
    office.goto(f"/phong-trao/{campaign.pk}/dang-ky/")
    expect(office.locator("#registrations tr", has_text="Suối Hoa")).to_contain_text("Đã đăng ký")
    office.goto(f"/phong-trao/{campaign.pk}/tong-hop/")
    expect(office.locator("#rollup-units tr", has_text="Phường Suối Hoa")).to_contain_text("120")
    office.context.close()
