# ruff: noqa: F811 - fixtures imported from the reporting and awards suites
"""Daily work, one story per role: sign in, land on "Việc cần làm", do the first task there.
Screenshots at 390 px and 1366 px (var/screenshots/daily/) and an axe check of each page."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.awards.conftest import board, eligible, giay_khen, recommended, signer  # noqa: F401
from tests.e2e.axe import serious_violations
from tests.e2e.test_foundation import sign_in
from tests.factories.reports import report_written
from tests.reporting.conftest import report_request, template  # noqa: F401
from thidua.accounts.models import Role
from thidua.awards import council, decisions
from thidua.awards.selectors import recommended_nominees
from thidua.campaigns import services as campaigns
from thidua.demo import SEED_PLAN
from thidua.reporting import services as reporting
from thidua.reporting.models import ReportAssignment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "daily"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def check(page, name: str, full_page: bool = True) -> None:
    """Screenshot, then no serious axe-core violation (tests/e2e/axe.py)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)
    serious = serious_violations(page)
    assert serious == [], f"{name}: {serious}"


def both_sizes(page, name: str) -> None:
    for label, size in (("1366", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.wait_for_timeout(150)
        check(page, f"{name}-{label}")
    page.set_viewport_size(DESKTOP)


@pytest.fixture(autouse=True)
def _no_totp(settings):
    settings.THIDUA_TOTP_REQUIRED = False  # the TOTP flow has its own browser test


def test_focal_officer_acknowledges_the_plan_then_updates_a_task_on_a_phone(
    page,
    make_user,
    campaign,
    report_request,
    city,
):
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    page.set_viewport_size(DESKTOP)
    sign_in(page, officer.username)
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    plans = page.locator("#todo-deliveries")
    expect(plans).to_contain_text(campaign.title[:40])
    expect(page.locator("#todo-reports")).to_contain_text("quá hạn 15/12/2022")
    both_sizes(page, "01-start-officer")

    plans.get_by_role("link", name=campaign.title[:40]).click()
    page.get_by_role("button", name="Xác nhận đã tiếp nhận").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã xác nhận tiếp nhận")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Việc cần làm"
    ).click()
    expect(page.locator("#todo-deliveries")).to_have_count(0)  # done: the section is empty
    expect(page.locator("#todo-none")).to_contain_text("Kế hoạch cần xác nhận đã tiếp nhận")

    # The task list on a phone: cards, every button on screen.
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Nhiệm vụ", exact=True
    ).click()
    first = page.locator("#tasks tbody tr").first
    done = first.get_by_role("button", name="Hoàn thành")
    box = done.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
    text = first.locator("td[data-label='Nhiệm vụ']").bounding_box()
    assert text is not None
    assert text["width"] > 250
    both_sizes(page, "02-tasks")
    page.set_viewport_size(PHONE)
    first.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator("#tasks tbody tr").first).to_contain_text("Đã tiếp nhận")


def test_unit_head_approves_and_submits_the_report(
    page,
    make_user,
    report_request,
    city,
):
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    a = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)
    reporting.report_send_for_approval(actor=officer, assignment=report_written(a, officer))
    page.set_viewport_size(DESKTOP)
    sign_in(page, head.username)
    reports = page.locator("#todo-reports")
    expect(reports).to_contain_text("Chờ thủ trưởng duyệt")
    check(page, "03-start-head-1366")
    reports.get_by_role("link", name="Báo cáo thực hiện phong trào").click()
    page.get_by_role("button", name="Duyệt và nộp báo cáo").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã duyệt và nộp báo cáo")
    check(page, "04-report-submitted-1366")
    page.goto("/")
    expect(page.locator("#todo-reports")).to_have_count(0)  # nothing left to approve
    a.refresh_from_db()
    assert a.status == "submitted"


def test_office_receives_a_report_and_opens_the_dashboard_from_the_phone_menu(
    page,
    make_user,
    office_user,
    report_request,
    campaign,
    city,
):
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    a = ReportAssignment.objects.get(request=report_request, unit=city.suoi_hoa)
    reporting.report_submit(actor=head, assignment=report_written(a, head))
    page.set_viewport_size(DESKTOP)
    sign_in(page, office_user.username)
    expect(page.locator("#overview")).to_contain_text("1/2")
    expect(page.locator("#overview")).to_contain_text("1 đơn vị")  # Vũ Ninh is late
    both_sizes(page, "05-start-office")
    page.locator("#todo-review_reports").get_by_role("link").first.click()
    check(page, "06-report-review-1366")
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã tiếp nhận báo cáo")
    a.refresh_from_db()
    assert a.status == "accepted"

    # The campaign's sections on a phone: one menu, not four rows of tabs.
    page.goto(f"/phong-trao/{campaign.pk}/")
    page.set_viewport_size(PHONE)
    tabs = page.locator(".campaign-sections .nav-tabs")
    expect(tabs).to_be_hidden()
    menu = page.get_by_role("button", name="Mục: Kế hoạch")
    check(page, "07-campaign-tabs-390", full_page=False)
    menu.click()
    check(page, "08-campaign-tabs-open-390", full_page=False)
    page.locator(".campaign-sections .dropdown-menu").get_by_role("link", name="Theo dõi").click()
    expect(page.get_by_role("heading", name="Theo dõi phong trào")).to_be_visible()
    check(page, "09-dashboard-390")
    page.set_viewport_size(DESKTOP)
    expect(tabs).to_be_visible()
    check(page, "10-dashboard-1366")
    page.goto(f"/phong-trao/{campaign.pk}/bao-cao/?qua-han=1")
    expect(page.locator("#filtered")).to_contain_text("phường Vũ Ninh")
    check(page, "11-late-units-1366")


def test_council_member_opens_the_session(page, office_user, board, eligible):
    body, members = board
    council.session_create(
        actor=office_user, council=body, title="Phiên xét khen cuối năm", held_on=date(2022, 12, 27)
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, members[2].user.username)
    sessions = page.locator("#todo-sessions")
    expect(sessions).to_contain_text("họp ngày 27/12/2022")
    check(page, "12-start-council-1366")
    sessions.get_by_role("link", name="Phiên xét khen cuối năm").click()
    expect(page.get_by_role("heading", name="Phiên xét khen cuối năm")).to_be_visible()


def test_signer_signs_the_decision(page, office_user, recommended, signer, campaign):
    d = decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=recommended.award_type,
        nominees=list(recommended_nominees(campaign=campaign)),
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    page.set_viewport_size(DESKTOP)
    sign_in(page, signer.username)
    signing = page.locator("#todo-decisions")
    expect(signing).to_contain_text("Chờ ký")
    both_sizes(page, "13-start-signer")
    signing.get_by_role("link").first.click()
    page.get_by_role("button", name="Ký duyệt, ban hành quyết định").click()
    expect(page.get_by_role("heading", name="Quyết định số")).to_be_visible()


def test_plan_editor_review_page_and_pickers(page, office_user, city):
    draft = campaigns.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )
    page.set_viewport_size(DESKTOP)
    sign_in(page, office_user.username)
    page.goto(f"/phong-trao/{draft.pk}/doi-chieu/")
    check(page, "14-review-1366")
    page.goto(f"/phong-trao/{draft.pk}/soan-thao/")
    rows = page.locator("#forms-rows .formset-row")
    before = rows.count()
    page.get_by_role("button", name="Thêm dòng").nth(1).click()  # forms: no round trip
    expect(rows).to_have_count(before + 1)
    rows.last.get_by_label("Tên hoạt động (như kế hoạch)").fill("Tọa đàm cấp phường")
    rows.last.scroll_into_view_if_needed()
    place = page.evaluate("() => window.scrollY")
    page.get_by_role("button", name="Lưu toàn bộ kế hoạch").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu toàn bộ kế hoạch")
    # the reader's place, once the page has its final size
    page.wait_for_function(f"() => Math.abs(window.scrollY - {place}) < 50", timeout=5000)
    assert draft.forms.filter(label="Tọa đàm cấp phường").exists()

    # Unit picker: accent-insensitive search, then everything shown of a level at once.
    page.goto(f"/phong-trao/{draft.pk}/nhiem-vu/them/")
    picker = page.locator(".unit-picker")
    picker.get_by_label("Tìm đơn vị (có hoặc không dấu)").fill("hoa")
    expect(picker.get_by_label("Ủy ban nhân dân phường Suối Hoa")).to_be_visible()
    expect(picker.get_by_label("Ủy ban nhân dân phường Vũ Ninh")).to_be_hidden()
    check(page, "15-unit-picker-1366", full_page=False)
    picker.get_by_role("button", name="Chọn cả nhóm").first.click()
    expect(picker).to_contain_text("Đã chọn 1/")
    page.locator("#id_text").fill("Tổ chức tọa đàm")
    page.get_by_label("Hạn (ngày cụ thể)").fill("30/12/2099")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu nhiệm vụ")
    assert list(
        draft.assignments.get(text="Tổ chức tọa đàm").targets.values_list("unit", flat=True)
    ) == [city.suoi_hoa.pk]


def test_error_pages_in_the_layout(page, make_user):
    user = make_user(Role.UNIT_OFFICER)
    page.set_viewport_size(PHONE)
    sign_in(page, user.username)
    page.goto("/khong-co-trang-nay/")
    expect(page.get_by_role("heading", name="Không tìm thấy trang bạn cần")).to_be_visible()
    check(page, "16-404-390")
    page.get_by_role("link", name="Về trang chủ").click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
