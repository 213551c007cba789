"""The pages users open every day, in a browser, leave nothing in its console: no error (an
inline style or script the CSP blocks, a resource that fails) and no script exception. A CSP
violation showed on a unit's report page: each autosave's answer made htmx copy a style
attribute (one a browser extension or a screenshot tool had put on a field) onto the swapped
field, an inline style the CSP blocks."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.portal import services as portal
from thidua.reporting import services as reporting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def record_console(page) -> list[str]:
    """Every console error and uncaught exception the page shows from now on, with its URL."""
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(f"{page.url}: {msg.text}") if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: seen.append(f"{page.url}: {exc}"))
    return seen


def test_everyday_pages_leave_no_console_error(
    page, browser, live_server, make_user, city, campaign, office_user, settings
):
    settings.THIDUA_TOTP_REQUIRED = False
    template = reporting.template_create(
        actor=office_user,
        campaign=campaign,
        name="Mẫu báo cáo",
        sections=[{"title": "Kết quả thực hiện", "guidance": "Nêu kết quả"}],
        indicators=[
            {
                "name": "Số tin, bài",
                "unit_of_measure": "tin, bài",
                "aggregation": "sum",
                "source": "manual",
            }
        ],
    )
    request = reporting.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo sơ kết",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    assignment = request.assignments.get()
    media = make_user(Role.MEDIA_STAFF, city.centre)
    site = portal.site_save(actor=media, campaign=campaign, is_public=True, intro="Giới thiệu")
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)

    errors = record_console(page)
    sign_in(page, officer.username)
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    for url in (
        reverse("campaigns:campaign-list"),
        reverse("campaigns:campaign-detail", args=[campaign.pk]),
        reverse("campaigns:task-list"),
        reverse("reporting:my-reports"),
        reverse("notifications:notice-list"),
        reverse("portal:manage", args=[campaign.pk]),
    ):
        page.goto(url, wait_until="networkidle")

    # The report page autosaves as the unit types, with a style on the field each answer
    # replaces (as a browser extension, a resized box or a screenshot tool leaves one).
    page.goto(reverse("reporting:report", args=[assignment.pk]), wait_until="networkidle")
    page.locator("#draft-bases").evaluate("e => e.style.setProperty('caret-color', 'transparent')")
    page.get_by_label("Kết quả thực hiện").fill("Phường tổ chức 4 hoạt động.")
    expect(page.locator("#saved-state")).to_contain_text("Đã tự động lưu")
    page.get_by_label("Kết quả thực hiện").fill("Phường tổ chức 4 hoạt động, 620 người.")
    expect(page.locator("#saved-state")).to_contain_text("Đã tự động lưu")

    office = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    errors += record_console(office)
    sign_in(office, office_user.username)
    for url in (
        reverse("reporting:request-detail", args=[request.pk]),
        reverse("reporting:dashboard", args=[campaign.pk]),
        reverse("awards:registry"),
    ):
        office.goto(url, wait_until="networkidle")
    office.context.close()

    visitor = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    errors += record_console(visitor)
    for name in ("home", "news", "exhibition", "events", "honours", "certificate-check"):
        visitor.goto(reverse(f"portal:{name}", args=[site.slug]), wait_until="networkidle")
    visitor.context.close()
    assert errors == []
