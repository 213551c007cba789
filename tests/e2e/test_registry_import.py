"""Phòng Nội vụ brings the old registry in: a file with a bad row imports nothing and shows
the errors; the corrected file imports, and the awards appear in the registry."""

from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.awards.test_registry_import import GK, headers, old_row
from tests.e2e.test_foundation import pass_totp, sign_in
from thidua.accounts.models import Role
from thidua.awards.models import AwardType

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "awards"


def workbook(path: Path, rows: list[list[object]]) -> str:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def test_old_registry_imports_all_or_nothing(page, make_user, city, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    AwardType.objects.create(code="GK-TP", name=GK, level="district", signer_title="Chủ tịch")
    office = make_user(Role.EMULATION_OFFICE)
    sign_in(page, office.username)
    pass_totp(page, office)
    page.goto("/so-vang/")
    page.get_by_role("link", name="Nhập Excel").click()
    good = old_row("0101/2019", "Đoàn Thanh niên phường Suối Hoa", "P-SUOIHOA", "Tập thể")
    bad = old_row("0102/2019", "Nguyễn Văn Nam", "Phường Không Có")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
        workbook(tmp_path / "so-vang-cu.xlsx", [headers(), good, bad])
    )
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_text("Chưa nhập dòng nào.")).to_be_visible()
    expect(page.locator("#import-errors")).to_contain_text("Không có đơn vị “Phường Không Có”")
    page.screenshot(path=str(SHOTS / "registry-import-errors.png"), full_page=True)
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(
        workbook(tmp_path / "so-vang-sua.xlsx", [headers(), good])
    )
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_text("Đã nhập 1 khen thưởng vào sổ vàng")).to_be_visible()
    expect(page.locator("#registry")).to_contain_text("1520/QĐ-UBND ngày 20/12/2019")
    page.screenshot(path=str(SHOTS / "registry-imported.png"), full_page=True)
