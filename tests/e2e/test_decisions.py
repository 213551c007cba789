import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.awards.test_services import complete
from tests.e2e.test_awards import bang_khen_tinh
from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.awards import services
from thidua.awards.law import seed_rules
from thidua.awards.models import AppraisalRound, AwardRecord, AwardRule, AwardType, RuleSet
from thidua.core.clock import today_local
from thidua.organizations.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REGULATION = "Quyết định số 15/2025/QĐ-UBND ngày 20 tháng 8 năm 2025 của UBND tỉnh Bắc Ninh"


def test_recommended_list_to_decision_to_printed_certificates_and_verification(
    page, browser, live_server, make_user, city, campaign, office_user, officer, head, settings
):
    settings.THIDUA_TOTP_REQUIRED = False
    settings.SITE_URL = live_server.url
    award = AwardType.objects.create(
        code="GK-TP",
        name="Giấy khen của Chủ tịch UBND thành phố",
        level="district",
        signer_title="Chủ tịch UBND thành phố",
    )
    AwardRule.objects.create(  # the rules of this award need no council vote
        award_type=award,
        effective_from=date(2020, 1, 1),
        full_documents=["submission", "minutes"],
        council_vote=False,
    )
    names = ("Nguyễn Thị Thủy Tiên", "Đặng Quốc Khánh")
    people = [
        Person.objects.create(full_name=n, gender="female", unit=city.suoi_hoa, category="worker")
        for n in names
    ]
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=award
    )
    complete(n, officer, people)
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    signer = make_user(Role.SIGNER, city.city, username="chutich")

    # Nội vụ drafts the decision from the recommended list and sends it for signature.
    sign_in(page, office_user.username)
    page.goto(f"/phong-trao/{campaign.pk}/khen-thuong/quyet-dinh/")
    expect(page.get_by_label("Nguyễn Thị Thủy Tiên")).to_be_checked()
    page.get_by_role("button", name="Lập dự thảo quyết định").click()
    expect(page.get_by_role("heading", name="Dự thảo quyết định")).to_be_visible()
    page.get_by_role("button", name="Trình ký").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã trình ký")
    decision_url = page.url

    # The chairman approves it in his own browser.
    signer_context = browser.new_context(locale="vi-VN", base_url=live_server.url)
    signer_page = signer_context.new_page()
    sign_in(signer_page, signer.username)
    signer_page.goto(decision_url)
    signer_page.get_by_role("button", name="Ký duyệt, ban hành quyết định").click()
    expect(signer_page.get_by_role("heading", name="Quyết định số 01/QĐ-UBND")).to_be_visible()
    signer_context.close()

    # Nội vụ prints every certificate of the decision as one PDF.
    page.goto(decision_url)
    year = today_local().year  # signed in the system today
    expect(page.locator("#records")).to_contain_text(f"0002/{year}")
    page.get_by_role("button", name="In tất cả").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải tệp").click()
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(reader.pages) == 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    for name in names:
        assert name in text
    assert "Quyết định số 01/QĐ-UBND" in text

    # The QR code's URL opens the public verification page, for anyone.
    record = AwardRecord.objects.get(recipient_name="Bà Nguyễn Thị Thủy Tiên")
    visitor = browser.new_context(locale="vi-VN", base_url=live_server.url)
    public = visitor.new_page()
    public.goto(f"/xac-minh/{record.token}/")
    expect(public.locator("#verify-status")).to_contain_text("Giấy khen hợp lệ")
    expect(public.locator("#verify-facts")).to_contain_text(f"0001/{year}")
    visitor.close()


def test_a_rule_changed_on_the_staff_page_is_cited_by_the_next_draft(
    page, make_user, city, campaign, office_user, officer, head, settings
):
    """Nội vụ adds the province's regulation to the rules in force, then drafts a decision: the
    draft cites it; moving the draft's date to 2022 cites the law of 2022 instead."""
    settings.THIDUA_TOTP_REQUIRED = False
    seed_rules(AwardType, RuleSet, AwardRule)  # the data migration's law, after earlier flushes
    award = AwardType.objects.get(code="GK-XA")
    current = RuleSet.objects.get(effective_to=None)
    AwardRule.objects.filter(rule_set=current, award_type=award).update(council_vote=False)
    AwardRule.objects.filter(award_type=award, rule_set__effective_from__year=2017).update(
        council_vote=False
    )
    person = Person.objects.create(
        full_name="Trần Thị Mai", gender="female", unit=city.suoi_hoa, category="worker"
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=award
    )
    complete(n, officer, [person])
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )

    sign_in(page, office_user.username)
    page.goto("/quy-dinh-khen-thuong/")
    page.get_by_role("link", name=current.name).first.click()
    expect(page.locator("#rule-note")).to_contain_text("Chưa chắc chắn")
    bases = page.get_by_label("Căn cứ pháp lý chung (mỗi dòng một căn cứ)")
    bases.fill(bases.input_value() + "\n" + REGULATION)
    page.get_by_role("button", name="Lưu quy định").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu quy định")
    expect(page.locator("#rule-history")).to_contain_text(REGULATION)

    page.goto(f"/phong-trao/{campaign.pk}/khen-thuong/quyet-dinh/")
    page.get_by_role("button", name="Lập dự thảo quyết định").click()
    legal = page.get_by_label("Căn cứ (mỗi dòng một căn cứ)")
    expect(legal).to_contain_text(f"Căn cứ {REGULATION};")
    expect(legal).to_contain_text("152/2025/NĐ-CP")
    page.get_by_label("Ngày dự thảo (dd/mm/yyyy)").fill("29/12/2022")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu dự thảo")
    expect(legal).to_contain_text("91/2017/NĐ-CP")
    expect(legal).not_to_contain_text(REGULATION)


def test_the_certificate_layout_editor_does_not_scroll_sideways_on_a_phone(
    page, office_user, settings
):
    """At 390 px the layout's table of fields scrolls inside its box; the page itself stays
    390 px wide (the table's hidden labels pushed it to 1100 px)."""
    settings.THIDUA_TOTP_REQUIRED = False
    award = bang_khen_tinh()  # the migration's seed is flushed by earlier transactional tests
    sign_in(page, office_user.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/mau-in/{award.pk}/")
    expect(page.locator("#layout-rows")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
