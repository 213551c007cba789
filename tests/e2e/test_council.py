"""The council on phones (issue 19): eleven members sign in and find their invitation, two send
written opinions, nine vote by secret ballot while the chair watches the count rise without
reloading, the chair closes, and the results view shows the outcome."""

import pytest
from playwright.sync_api import expect

from tests.awards.conftest import agenda, council11, giay_khen  # noqa: F401 - fixtures
from tests.e2e.test_foundation import sign_in
from tests.e2e.test_portal import check_accessibility
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotCast,
    CouncilSession,
    SealedBallot,
)
from thidua.notifications.models import Notice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SLOW = 20_000  # ms: pages poll every 2 to 3 seconds


def test_eleven_members_on_phones_two_written_opinions_nine_votes_and_the_results(  # noqa: PLR0915 - one user story
    browser, live_server, settings, campaign, office_user, request
):
    settings.THIDUA_TOTP_REQUIRED = False
    _body, members = request.getfixturevalue("council11")
    request.getfixturevalue("agenda")  # an eligible dossier of three nominees
    violations: list[str] = []

    def phone(username: str):
        context = browser.new_context(
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            base_url=live_server.url,
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                violations.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        sign_in(page, username)
        return page

    # Nội vụ schedules the session on a phone; every member is invited.
    office = phone(office_user.username)
    office.goto(f"/phong-trao/{campaign.pk}/khen-thuong/")
    office.get_by_role("link", name="Lập phiên họp Hội đồng").click()
    office.get_by_label("Nội dung phiên họp").fill("Xét khen thưởng phong trào năm 2022")
    office.get_by_label("Ngày họp (dd/mm/yyyy)").fill("27/12/2022")
    office.get_by_label("Giờ họp (HH:MM)").fill("14:00")
    office.get_by_label("Địa điểm").fill("Phòng họp tầng 3, UBND thành phố")
    office.get_by_role("button", name="Lập phiên họp và gửi giấy mời").click()
    expect(office.get_by_role("alert")).to_contain_text("gửi giấy mời")
    session = CouncilSession.objects.get()
    assert Notice.objects.filter(title__startswith="Giấy mời họp").count() == 11

    # Eleven members sign in and open the invitation from their notices.
    phones = {}
    for member in members:
        page = phone(member.user.username)
        page.goto("/thong-bao/")
        page.get_by_role("link", name="Giấy mời họp: Xét khen thưởng phong trào năm 2022").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Xét khen thưởng phong trào năm 2022"
        )
        expect(page.get_by_text("27/12/2022 14:00")).to_be_visible()
        expect(page.locator("#agenda .card")).to_have_count(3)
        phones[member.pk] = page
    check_accessibility(phones[members[5].pk], "council-session-member")

    # Two absent members send written opinions.
    for member, reason, second in (
        (members[9], "Đi công tác tại Hà Nội", "Đồng ý"),
        (members[10], "Nghỉ ốm", "Không đồng ý"),
    ):
        page = phones[member.pk]
        page.get_by_role("link", name="Vắng mặt: gửi ý kiến bằng văn bản").click()
        page.get_by_label("Lý do vắng mặt").fill(reason)
        fieldsets = page.locator("fieldset")
        expect(fieldsets).to_have_count(3)
        fieldsets.nth(0).get_by_label("Đồng ý", exact=True).check()
        fieldsets.nth(1).get_by_label(second, exact=True).check()
        fieldsets.nth(2).get_by_label("Không đồng ý", exact=True).check()
        if member == members[9]:
            check_accessibility(page, "council-written-opinion")
        page.get_by_role("button", name="Gửi ý kiến bằng văn bản").click()
        expect(page.get_by_role("alert")).to_contain_text("Đã gửi ý kiến bằng văn bản")
        expect(page.get_by_text(f"lý do vắng: {reason}")).to_be_visible()
        page.context.close()

    # The secretary's roll call: the two who wrote are marked absent, nobody else is marked
    # yet, and the session does not open until everyone is. Enter in a field saves the form,
    # never "Tất cả có mặt".
    office.goto(f"/hoi-dong/phien/{session.pk}/")
    expect(office.locator("#roll-count")).to_have_text("2/11 đã điểm danh")
    office.get_by_role("button", name="Bắt đầu phiên họp").click()
    expect(office.get_by_role("alert")).to_contain_text("còn 9 thành viên chưa điểm danh")
    office.get_by_label(f"Lý do vắng của {members[0].user.get_full_name()}").press("Enter")
    expect(office.get_by_role("alert")).to_contain_text("Đã lưu điểm danh và Ban kiểm phiếu")
    expect(office.locator("#roll-count")).to_have_text("2/11 đã điểm danh")
    # A counting committee of three chosen among members not marked yet, then "Tất cả có
    # mặt" without saving first: the choices are kept, the nine are present; it opens.
    office.get_by_label(f"Ban kiểm phiếu: {members[3].user.get_full_name()}").select_option("head")
    for member in members[4:6]:
        office.get_by_label(f"Ban kiểm phiếu: {member.user.get_full_name()}").select_option(
            "member"
        )
    office.get_by_role("button", name="Tất cả có mặt").click()
    expect(office.get_by_role("alert")).to_contain_text("được ghi là có mặt")
    expect(office.locator("#roll-count")).to_have_text("11/11 đã điểm danh")
    roles = dict(
        Attendance.objects.filter(session=session)
        .exclude(counting_role="")
        .values_list("member_id", "counting_role")
    )
    assert roles == {members[3].pk: "head", members[4].pk: "member", members[5].pk: "member"}
    office.get_by_role("button", name="Bắt đầu phiên họp").click()
    expect(office.get_by_role("alert")).to_contain_text("Đã bắt đầu phiên họp")

    # The chair's phone reloads by itself when the session opens, and opens the first vote.
    chair = phones[members[0].pk]
    open_vote = chair.get_by_role("button", name="Mở bỏ phiếu")
    expect(open_vote).to_have_count(3, timeout=SLOW)
    open_vote.first.click()
    expect(chair.get_by_role("alert")).to_contain_text("Đã mở bỏ phiếu")

    # Nine members vote: choose, see the choice back, confirm. The chair votes first.
    plan = ["Đồng ý"] * 8 + ["Không đồng ý"]
    for i, (member, choice) in enumerate(zip(members[:9], plan, strict=True)):
        page = phones[member.pk]
        first = page.locator("#agenda .card").first
        expect(first.get_by_role("button", name=choice, exact=True)).to_be_visible(timeout=SLOW)
        first.get_by_role("button", name=choice, exact=True).click()
        expect(page.get_by_text(f"Đồng chí chọn: {choice}")).to_be_visible()
        if i == 1:
            check_accessibility(page, "council-vote-confirm")
        page.get_by_role("button", name="Xác nhận bỏ phiếu").click()
        expect(page.get_by_role("alert")).to_contain_text("Đã ghi nhận phiếu bầu")
        expect(page.get_by_text("Đồng chí đã bỏ phiếu (phiếu kín).")).to_be_visible()
        if i == 0:  # from now on the chair's phone must not reload: mark the document
            chair.evaluate("() => { window.notReloaded = true; }")
            count = chair.locator(".vote-count").first
            expect(count).to_contain_text("Đã bỏ phiếu: 1/9 thành viên có mặt")
        else:
            expect(count).to_contain_text(f"Đã bỏ phiếu: {i + 1}/9", timeout=SLOW)
            # The member puts the phone away (fewer pollers for the test's in-memory SQLite).
            page.context.close()
    assert chair.evaluate("() => window.notReloaded === true")  # counted live, never reloaded
    assert "Đồng ý" not in count.inner_text()  # how many, never what
    # While the vote is open the database holds receipts and sealed ballots, no readable choice.
    item = AgendaItem.objects.filter(session=session, status="voting").get()
    assert BallotCast.objects.filter(item=item).count() == 9
    assert SealedBallot.objects.filter(item=item).count() == 9
    assert not Ballot.objects.filter(item=item).exists()

    # The chair closes the vote, then (after the two other nominees) the session.
    chair.once("dialog", lambda d: d.accept())
    chair.get_by_role("button", name="Kết thúc bỏ phiếu, kiểm phiếu").click()
    expect(chair.get_by_role("alert")).to_contain_text("Đã kiểm phiếu")
    expect(chair.locator(".result").first).to_contain_text("Đồng ý 10/11 (90,9%)")
    for _ in range(2):
        chair.get_by_role("button", name="Mở bỏ phiếu").first.click()
        chair.once("dialog", lambda d: d.accept())
        chair.get_by_role("button", name="Kết thúc bỏ phiếu, kiểm phiếu").click()
        expect(chair.get_by_role("alert")).to_contain_text("Đã kiểm phiếu")
    chair.once("dialog", lambda d: d.accept())  # the page asks before ending the session
    chair.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(chair.get_by_role("alert")).to_contain_text("Đã kết thúc phiên họp")

    # The results view for the projector, as a member sees it.
    viewer = phone(members[7].user.username)
    viewer.goto(f"/hoi-dong/phien/{session.pk}/ket-qua/")
    rows = viewer.locator(".projector-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Đồng ý 10/11")
    expect(rows.nth(0)).to_contain_text("90,9%")
    expect(rows.nth(0)).to_contain_text("ngưỡng 50%")
    expect(rows.nth(0)).to_contain_text("ĐỀ NGHỊ KHEN THƯỞNG")
    # Nobody voted on the other two at the session: only the written opinions count.
    expect(rows.nth(1)).to_contain_text("Đồng ý 1/11")
    expect(rows.nth(1)).to_contain_text("KHÔNG ĐỀ NGHỊ")
    check_accessibility(viewer, "council-results")

    # Nội vụ's page reloads by itself once the session is closed (it polls no more after that:
    # a reload from the test could race the page's own); the minutes are numbered there and
    # offered as PDF and DOCX.
    minutes = office.get_by_role("button", name="Lập biên bản (cấp số)")
    expect(minutes).to_be_visible(timeout=15_000)
    minutes.click()
    expect(office.get_by_role("link", name="Biên bản (PDF)")).to_be_visible()
    assert Attendance.objects.filter(session=session, presence="written").count() == 2
    for page in [office, chair, viewer]:
        page.context.close()
    assert violations == [], f"CSP violations: {violations}"
