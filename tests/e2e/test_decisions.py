import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.awards.test_services import complete
from tests.e2e.test_foundation import sign_in
from thidua.accounts.models import Role
from thidua.awards import services
from thidua.awards.models import AwardRecord, AwardRule, AwardType
from thidua.core.clock import today_local
from thidua.organizations.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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
    services.nomination_appraise(actor=office_user, nomination=n, eligible=True)
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
