"""A new officer enrols the second factor with a code the administrator issued (issue 18, M1)."""

import re
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.e2e.test_foundation import pass_totp, sign_in
from thidua.accounts.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "accounts"


def test_administrator_issues_an_enrolment_code_and_the_officer_enrols(page, make_user, city):
    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = make_user(Role.SYSTEM_ADMIN, city.city)
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    # The officer alone: the password leads to the enrolment page, not to a QR code.
    sign_in(page, officer.username)
    expect(page.get_by_role("heading", name="Kích hoạt xác thực hai lớp")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Mã QR"))).to_have_count(0)
    page.screenshot(path=str(SHOTS / "01-enrol-needs-code.png"), full_page=True)
    page.get_by_role("button", name="Đăng xuất").click()

    sign_in(page, admin.username)
    pass_totp(page, admin)
    page.goto("/nguoi-dung/")
    page.get_by_role("link", name=officer.username).or_(
        page.get_by_role("link", name=officer.get_full_name())
    ).first.click()
    expect(page.get_by_text("Chưa kích hoạt ứng dụng xác thực")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cấp mã và hiển thị").click()
    expect(page.get_by_role("heading", name="Mã kích hoạt xác thực hai lớp")).to_be_visible()
    code = page.get_by_label("Mã kích hoạt").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    page.screenshot(path=str(SHOTS / "02-code-shown-once.png"), full_page=True)
    page.get_by_role("link", name="Xong, quay lại trang người dùng").click()
    expect(page.get_by_text(re.compile("Có mã kích hoạt cấp lúc"))).to_be_visible()
    expect(page.get_by_text(code)).to_have_count(0)
    page.get_by_role("button", name=admin.get_full_name()).or_(
        page.get_by_role("link", name=admin.get_full_name())
    ).first.click()
    page.get_by_role("button", name="Đăng xuất").first.click()

    sign_in(page, officer.username)
    page.get_by_label("Mã kích hoạt").fill(code.lower())
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("img", name=re.compile("Mã QR"))).to_be_visible()
    page.screenshot(path=str(SHOTS / "03-scan-qr.png"), full_page=True)
    device = TOTPDevice.objects.get(user=officer)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Mã xác thực 6 chữ số").fill(f"{token:06d}")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_text("Đã xác thực hai lớp.")).to_be_visible()
    device.refresh_from_db()
    assert device.confirmed
