"""On a phone, a unit's officer removes what was recorded by mistake: a wrong evidence file, an
activity entered twice, a wrong file on the report. Every such control is a finger-sized target
(44 × 44 CSS px) and asks before it deletes."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.test_foundation import sign_in
from tests.factories.images import photo
from tests.factories.pdfs import pdf
from tests.participation.test_services import register
from thidua.accounts.models import Role
from thidua.participation import services as participation
from thidua.participation.models import Activity
from thidua.reporting import services as reporting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TAP = 44


def phone(browser, live_server):
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the button's question: yes
    return page


def finger_sized(locator) -> None:
    box = locator.bounding_box()
    assert box is not None
    assert box["width"] >= TAP
    assert box["height"] >= TAP


def test_a_phone_user_removes_a_file_and_an_activity_entered_twice(
    browser, live_server, settings, campaign, make_user, city
):
    settings.THIDUA_TOTP_REQUIRED = False
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    head = make_user(Role.UNIT_HEAD, city.suoi_hoa)
    register(campaign, officer, head, city.suoi_hoa)
    kept, twice = (
        participation.activity_record(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            form=campaign.forms.first(),
            title="Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ",
            held_on=date(2022, 7, 5),
            participants=85,
            files=[photo("toa-dam.jpg"), pdf("bien-ban.pdf")],
        )
        for _ in range(2)
    )
    page = phone(browser, live_server)
    sign_in(page, officer.username)

    page.goto(f"/hoat-dong/{twice.pk}/")
    evidence = page.locator("#evidence").get_by_role("button", name="Xóa minh chứng “bien-ban.pdf”")
    finger_sized(evidence)
    evidence.click()
    expect(page.get_by_role("alert")).to_contain_text("Đã xóa minh chứng")
    assert twice.evidence.count() == 1

    page.goto(f"/hoat-dong/{twice.pk}/sua/")
    finger_sized(page.get_by_role("button", name="Xóa minh chứng “toa-dam.jpg”"))

    page.goto(f"/hoat-dong/{twice.pk}/")
    summary = page.get_by_text("Xóa hoạt động này")
    finger_sized(summary)
    summary.click()
    button = page.get_by_role("button", name="Xóa hoạt động", exact=True)
    finger_sized(button)
    button.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Đã xóa hoạt động “Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ” (05/07/2022)."
    )
    assert page.url.endswith(f"/phong-trao/{campaign.pk}/hoat-dong/")
    assert list(Activity.objects.all()) == [kept]
    page.context.close()


def test_a_phone_user_takes_a_wrong_file_off_the_report(
    browser, live_server, settings, campaign, office_user, make_user, city
):
    settings.THIDUA_TOTP_REQUIRED = False
    officer = make_user(Role.UNIT_OFFICER, city.suoi_hoa)
    template = reporting.template_create(
        actor=office_user,
        campaign=campaign,
        name="Báo cáo kết quả",
        sections=[{"title": "Kết quả thực hiện", "guidance": ""}],
        indicators=[],
    )
    request = reporting.request_create(
        actor=office_user,
        campaign=campaign,
        template=template,
        title="Báo cáo thực hiện phong trào",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    a = request.assignments.get(unit=city.suoi_hoa)
    reporting.report_attach(actor=officer, assignment=a, files=[pdf("bao-cao-nham.pdf")])
    page = phone(browser, live_server)
    sign_in(page, officer.username)
    page.goto(f"/bao-cao/don-vi/{a.pk}/")
    remove = page.get_by_role("button", name="Gỡ tệp “bao-cao-nham.pdf”")
    finger_sized(remove)
    remove.click()
    expect(page.get_by_role("alert")).to_contain_text("Đã gỡ tệp “bao-cao-nham.pdf” khỏi báo cáo.")
    expect(page.locator("#attachments")).to_contain_text("Chưa có tệp nào.")
    assert not a.attachments.exists()
    page.context.close()
