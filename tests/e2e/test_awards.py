from datetime import date

import pytest
from playwright.sync_api import expect

from tests.awards.conftest import FULL
from tests.awards.test_services import complete, docx
from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.awards import council, services
from thidua.awards.models import AwardRule, AwardType, Ballot, Council, CouncilMember, Nomination
from thidua.organizations.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_return_resubmit_appraise_then_secret_vote_in_three_browsers(  # noqa: PLR0915 - one user story
    page,
    browser,
    live_server,
    make_user,
    city,
    campaign,
    office_user,
    officer,
    head,
    settings,
):
    settings.THIDUA_TOTP_REQUIRED = False
    giay_khen = AwardType.objects.create(
        code="GK-TP",
        name="Giấy khen của Chủ tịch UBND thành phố",
        level="district",
        signer_title="Chủ tịch UBND thành phố",
    )
    AwardRule.objects.create(
        award_type=giay_khen, effective_from=date(2020, 1, 1), full_documents=FULL
    )
    people = [
        Person.objects.create(
            full_name=name, gender="female", unit=city.suoi_hoa, category="civil_servant"
        )
        for name in ("Nguyễn Thị Lan", "Trần Thị Mai", "Lê Thị Hoa")
    ]
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, people)
    services.nomination_submit(actor=head, nomination=n)

    # Nội vụ receives and returns it; the unit attaches a document; the head resubmits.
    sign_in(page, office_user.username)
    page.goto(f"/de-nghi/{n.pk}/")
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.get_by_label("Ý kiến (bắt buộc khi trả lại hoặc không đủ điều kiện)").fill(
        "Bổ sung tóm tắt thành tích."
    )
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã trả lại")
    services.document_attach(
        actor=officer, nomination=n, kind="summary", upload=docx("tom-tat.docx")
    )
    ward = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    sign_in(ward, head.username)
    ward.goto(f"/de-nghi/{n.pk}/")
    ward.get_by_role("button", name="Duyệt và gửi Phòng Nội vụ").click()
    expect(ward.get_by_role("alert")).to_contain_text("Đã gửi hồ sơ")
    ward.context.close()
    page.reload()
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    for check in ("Hồ sơ đủ thành phần theo quy định", "Đạt tiêu chuẩn khen thưởng",
                  "Không trùng, không vượt số lượng"):  # fmt: skip
        page.get_by_label(check).check()
    page.get_by_role("button", name="Đủ điều kiện", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("đủ điều kiện")

    # A council of three: the chair and two members, all present.
    body = Council.objects.create(
        owner_unit=city.city, name="Hội đồng TĐKT", term_start=date(2021, 1, 1)
    )
    members = [
        CouncilMember.objects.create(council=body, user=make_user(Role.COUNCIL_MEMBER), role=r)
        for r in ("chair", "member", "member")
    ]
    session = council.session_create(
        actor=office_user, council=body, title="Phiên họp", held_on=date(2022, 12, 27)
    )
    council.session_add_nominations(
        actor=office_user, session=session, nominations=[Nomination.objects.get(pk=n.pk)]
    )
    for m in members:
        council.attendance_set(actor=office_user, session=session, member=m, presence="present")
    page.goto(f"/hoi-dong/phien/{session.pk}/")
    page.get_by_role("button", name="Bắt đầu phiên họp").click()
    for remaining in (3, 2, 1):  # one vote per nominee; each click reloads the page
        expect(page.get_by_role("button", name="Mở bỏ phiếu")).to_have_count(remaining)
        page.get_by_role("button", name="Mở bỏ phiếu").first.click()
    expect(page.get_by_role("button", name="Mở bỏ phiếu")).to_have_count(0)

    browsers = []
    for member, choice in zip(members, ["Đồng ý", "Đồng ý", "Không đồng ý"], strict=True):
        p = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
        sign_in(p, member.user.username)
        p.goto(f"/hoi-dong/phien/{session.pk}/")
        for _ in range(3):  # three nominees on the agenda
            p.get_by_role("button", name=choice, exact=True).first.click()
            p.get_by_role("button", name="Xác nhận bỏ phiếu").click()  # shown back, confirmed
            expect(p.get_by_role("alert")).to_contain_text("Đã ghi nhận phiếu bầu")
        expect(p.get_by_text("Đồng chí đã bỏ phiếu (phiếu kín).")).to_have_count(3)
        browsers.append(p)
    chair = browsers[0]
    chair.reload()
    for remaining in (3, 2, 1):
        close = chair.get_by_role("button", name="Kết thúc bỏ phiếu, kiểm phiếu")
        expect(close).to_have_count(remaining)
        chair.once("dialog", lambda d: d.accept())
        close.first.click()
    expect(chair.locator(".result").first).to_contain_text("Đồng ý 2/3")
    chair.once("dialog", lambda d: d.accept())  # the page asks before ending the session
    chair.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(chair.get_by_role("button", name="Kết thúc phiên họp")).to_have_count(0)
    for p in browsers:
        p.context.close()
    # Nội vụ's page follows the session (it polls and reloads itself when the state changes): a
    # reload of our own raced with that one and lost the page now and then.
    minutes = page.get_by_role("button", name="Lập biên bản (cấp số)")
    expect(minutes).to_be_visible(timeout=15_000)
    minutes.click()
    with page.expect_popup() as popup:
        page.evaluate("url => window.open(url)", f"/hoi-dong/phien/{session.pk}/bien-ban.pdf")
    assert popup.value.url.endswith("bien-ban.pdf")
    assert {f.name for f in Ballot._meta.get_fields()} == {"id", "item", "choice"}
    assert Ballot.objects.count() == 9


def test_the_registry_reads_on_a_phone(page, city, office_user, settings):
    """At 390 px each registry line is its number, its recipient (with the award, the unit and
    the decision in small lines below) and its status, in the screen's width: the seven
    columns were squeezed to a word a line and the table scrolled sideways."""
    from tests.awards.test_registry_views import province_award

    settings.THIDUA_TOTP_REQUIRED = False
    bang_khen_tinh()  # the migration's seed is flushed by earlier transactional tests
    province_award(city)
    sign_in(page, office_user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/so-vang/")
    table = page.locator("#registry")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth")
    row = table.locator("tbody tr").first
    expect(row).to_contain_text("Bằng khen của Chủ tịch UBND tỉnh")
    expect(row).to_contain_text("415/QĐ-UBND ngày 10/03/2022")
    name = row.get_by_role("link", name="Ông Nguyễn Văn Hùng").bounding_box()
    assert name["height"] < 30  # on one line
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(table.get_by_role("columnheader", name="Cơ quan khen thưởng")).to_be_visible()


def bang_khen_tinh() -> AwardType:
    """The province Chairman's Bằng khen, as the law's migration seeds it (awards.0010)."""
    award, _ = AwardType.objects.get_or_create(
        code="BK-TINH",
        defaults={
            "name": "Bằng khen của Chủ tịch UBND tỉnh",
            "level": "province",
            "signer_title": "Chủ tịch UBND tỉnh",
        },
    )
    return award
