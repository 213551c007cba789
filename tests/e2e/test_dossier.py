"""A household's dossier in the browser: the ward nominates it and attaches, previews and
replaces files; the head returns it once, then submits; Nội vụ reads the files (old version
too) and appraises; the decision is signed and the household's certificate printed."""

import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.test_foundation import sign_in
from tests.factories.pdfs import pdf
from thidua.accounts.models import Role
from thidua.awards.models import AwardRecord, AwardRule, AwardType, Nomination

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _file(tmp_path: Path, name: str, pages: int = 1) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf(name, pages=pages).read())
    return path


IMAGES_LOADED = (
    "() => [...document.querySelectorAll('#preview img')]"
    ".every(img => img.complete && img.naturalWidth > 0)"
)


def test_a_household_from_nomination_to_certificate(  # noqa: PLR0915 - one user story
    page, browser, live_server, make_user, city, campaign, office_user, officer, head, settings,
    tmp_path,
):  # fmt: skip
    settings.THIDUA_TOTP_REQUIRED = False
    settings.SITE_URL = live_server.url
    award = AwardType.objects.create(
        code="GK-TP",
        name="Giấy khen của Chủ tịch UBND thành phố",
        level="district",
        signer_title="Chủ tịch UBND thành phố",
        allows_households=True,
    )
    AwardRule.objects.create(  # no council vote: recommended at appraisal
        award_type=award,
        effective_from=date(2020, 1, 1),
        full_documents=["submission", "minutes"],
        council_vote=False,
    )
    signer = make_user(Role.SIGNER, city.city, username="chutich")

    # The ward's officer opens a dossier and nominates a household for the land it gave.
    sign_in(page, officer.username)
    page.goto(f"/phong-trao/{campaign.pk}/khen-thuong/")
    page.get_by_label("Hình thức khen thưởng").select_option(label=award.name)
    page.get_by_role("button", name="Lập hồ sơ đề nghị").click()
    dossier_url = page.url
    form = page.locator("#household-form")
    form.get_by_label("Ông/bà").select_option(label="Ông")
    form.get_by_label("Họ tên chủ hộ").fill("Nguyễn Văn Hùng")
    form.get_by_label("Địa chỉ (thôn, tổ dân phố, số nhà)").fill("Số 12, tổ dân phố 3")
    form.get_by_label("Hình thức đóng góp").select_option(label="Đất đai")
    form.get_by_label("Nội dung đóng góp").fill("Hiến 120 m² đất mở rộng đường liên khu phố")
    form.get_by_label("Giá trị quy đổi (đồng)").fill("360.000.000")
    form.get_by_role("button", name="Thêm hộ gia đình").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã thêm hộ gia đình")
    expect(page.locator("#nominees")).to_contain_text("Hộ ông Nguyễn Văn Hùng")
    expect(page.locator("#nominees")).to_contain_text("trị giá 360.000.000 đồng")

    # Files: the tờ trình (a wrong one first, then replaced) and the minutes.
    files = (("Tờ trình", "to-trinh-nham.pdf"), ("Biên bản họp xét của đơn vị", "bien-ban.pdf"))
    for kind, name in files:
        page.get_by_label("Loại").select_option(label=kind)
        page.locator("#file").set_input_files(str(_file(tmp_path, name, pages=2)))
        page.get_by_role("button", name="Đính kèm").click()
        expect(page.get_by_role("alert")).to_contain_text("Đã đính kèm tài liệu")
    page.get_by_role("link", name="bien-ban.pdf").click()
    expect(page.locator("#preview img")).to_have_count(2)
    page.wait_for_function(IMAGES_LOADED)  # the PDF's pages, drawn on the server
    page.go_back()
    row = page.locator("#documents tr", has_text="to-trinh-nham.pdf")
    row.locator("input[type=file]").set_input_files(str(_file(tmp_path, "to-trinh.pdf")))
    row.get_by_role("button", name="Thay", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Đã thay tài liệu")
    expect(page.locator("#documents")).to_contain_text("to-trinh.pdf")
    expect(page.locator("#documents")).not_to_contain_text("to-trinh-nham.pdf")
    page.get_by_role("button", name="Gửi thủ trưởng duyệt").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi thủ trưởng duyệt")

    # The head returns it once with a note, then approves and submits it.
    ward = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    sign_in(ward, head.username)
    ward.goto(dossier_url)
    ward.get_by_label("Trả lại cán bộ soạn: nội dung cần sửa").fill("Ghi rõ số tiền quy đổi.")
    ward.get_by_role("button", name="Trả lại để sửa").click()
    expect(ward.get_by_role("alert")).to_contain_text("Đã trả lại hồ sơ cho cán bộ soạn")
    page.reload()
    expect(page.locator("#head-note")).to_contain_text("Ghi rõ số tiền quy đổi.")
    expect(page.locator("#history")).to_contain_text("Thủ trưởng trả lại hồ sơ để sửa")
    page.get_by_role("button", name="Gửi thủ trưởng duyệt").click()
    ward.reload()
    ward.get_by_role("button", name="Duyệt và gửi Phòng Nội vụ").click()
    expect(ward.get_by_role("alert")).to_contain_text("Đã gửi hồ sơ")
    ward.context.close()

    # Nội vụ reads the files, the replaced one too, and appraises.
    office = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    sign_in(office, office_user.username)
    office.goto(dossier_url)
    office.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(office.locator("#documents a", has_text="to-trinh.pdf")).to_have_count(1)
    office.locator("#old-documents summary").click()
    expect(office.locator("#old-documents")).to_contain_text("to-trinh-nham.pdf")
    expect(office.locator("#old-documents")).to_contain_text("Đã được thay thế")
    with office.expect_download() as old_file:
        office.locator("#old-documents").get_by_role("link", name="Tải về").click()
    assert Path(old_file.value.path()).read_bytes().startswith(b"%PDF-")
    for check in ("Hồ sơ đủ thành phần theo quy định", "Đạt tiêu chuẩn khen thưởng",
                  "Không trùng, không vượt số lượng"):  # fmt: skip
        office.get_by_label(check).check()
    office.get_by_role("button", name="Đủ điều kiện", exact=True).click()
    expect(office.get_by_role("alert")).to_contain_text("đủ điều kiện")
    n = Nomination.objects.get()
    assert n.status == Nomination.Status.RECOMMENDED

    # The decision: drafted, signed by the chairman, certificates printed.
    office.goto(f"/phong-trao/{campaign.pk}/khen-thuong/quyet-dinh/")
    expect(office.get_by_label("Hộ ông Nguyễn Văn Hùng")).to_be_checked()
    office.get_by_role("button", name="Lập dự thảo quyết định").click()
    office.get_by_role("button", name="Trình ký").click()
    expect(office.get_by_role("alert")).to_contain_text("Đã trình ký")
    decision_url = office.url
    chairman = browser.new_context(locale="vi-VN", base_url=live_server.url).new_page()
    sign_in(chairman, signer.username)
    chairman.goto(decision_url)
    chairman.get_by_role("button", name="Ký duyệt, ban hành quyết định").click()
    expect(chairman.get_by_role("heading", name="Quyết định số 01/QĐ-UBND")).to_be_visible()
    chairman.context.close()
    office.goto(decision_url)
    office.get_by_role("button", name="In tất cả").click()
    with office.expect_download() as download:
        office.get_by_role("link", name="Tải tệp").click()
    assert download.value.suggested_filename.endswith(f"-{date.today().year}.pdf")  # noqa: DTZ011
    text = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages[0].extract_text()
    assert "Hộ ông Nguyễn Văn Hùng" in text
    assert "Số 12, tổ dân phố 3, phường Suối Hoa" in text
    record = AwardRecord.objects.get()
    assert (record.subject, record.household_id) == ("household", n.nominees.get().household_id)
    office.goto("/so-vang/?doi_tuong=household")
    expect(office.locator("#registry")).to_contain_text("Hộ ông Nguyễn Văn Hùng")
    office.context.close()


def test_the_nominee_forms_sit_inside_the_page_on_a_phone_and_apart_on_a_desktop(
    page, city, campaign, officer, settings
):
    """The "Cá nhân" and "Tập thể" forms of a draft dossier: on a 390 px phone each card keeps
    the page's margins (it ran to the screen's edges), on a desktop they stand side by side
    with a gap (their borders touched and the right one stuck out of the page)."""
    settings.THIDUA_TOTP_REQUIRED = False
    award = AwardType.objects.create(
        code="GK-TP",
        name="Giấy khen của Chủ tịch UBND thành phố",
        level="district",
        signer_title="Chủ tịch UBND thành phố",
    )
    AwardRule.objects.create(award_type=award, effective_from=date(2020, 1, 1))
    from thidua.awards import services

    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=award
    )
    sign_in(page, officer.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/de-nghi/{n.pk}/")
    heading = page.get_by_role("heading", level=1).bounding_box()  # the page's content box
    right = heading["x"] + heading["width"]
    for form in ("#person-form", "#unit-form"):
        box = page.locator(form).bounding_box()
        assert box["x"] >= heading["x"]
        assert box["x"] + box["width"] <= right + 0.5
    page.set_viewport_size({"width": 1366, "height": 900})
    heading = page.get_by_role("heading", level=1).bounding_box()
    person = page.locator("#person-form").bounding_box()
    unit = page.locator("#unit-form").bounding_box()
    assert person["x"] + person["width"] < unit["x"]
    assert unit["x"] + unit["width"] <= heading["x"] + heading["width"] + 0.5
