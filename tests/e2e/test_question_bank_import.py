"""An organiser brings the bank another office made (issue 17): its columns `stt, cau_hoi, a, b,
c, d, dap_an, chu_de, do_kho` under a title row are recognised and all 40 questions import; a
second file whose headers nobody could guess is mapped by hand on the page that shows its
headers and first five rows; the first file uploaded again is questioned, not imported twice."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.contests.test_bank import foreign_bank
from tests.e2e.test_foundation import sign_in
from tests.e2e.test_portal import check_accessibility
from tests.factories.sheets import xlsx_bytes
from thidua.accounts.models import Role
from thidua.contests import services
from thidua.contests.models import Question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "imports"

UNKNOWN = ["Số", "Hỏi", "Lựa 1", "Lựa 2", "Lựa 3", "Lựa 4", "Đúng là", "Nhóm", "Cấp"]
CHOICES = {
    "Hỏi": "Câu hỏi *",
    "Lựa 1": "Phương án A *",
    "Lựa 2": "Phương án B *",
    "Lựa 3": "Phương án C",  # C and D may stay empty (true/false questions)
    "Lựa 4": "Phương án D",
    "Đúng là": "Đáp án *",
    "Nhóm": "Chủ đề",
    "Cấp": "Độ khó",
}


def _unknown_bank(path: Path) -> str:
    levels = ["Dễ", "Trung bình", "Khó"]
    rows: list[list[object]] = [UNKNOWN]
    rows += [
        [n, f"Câu hỏi bổ sung số {n}?", "Một", "Hai", "Ba", "Bốn", "B", "Bổ sung", levels[n % 3]]
        for n in range(1, 11)
    ]
    path.write_bytes(xlsx_bytes(rows))
    return str(path)


def test_a_bank_with_its_own_headers_then_one_mapped_by_hand(
    page, make_user, city, campaign, settings, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    settings.THIDUA_TOTP_REQUIRED = False
    organiser = make_user(Role.CONTEST_ORGANISER)
    contest = services.contest_create(
        actor=organiser,
        campaign=campaign,
        organiser_unit=city.centre,
        title="Cuộc thi tìm hiểu về Tổng Bí thư Nguyễn Văn Cừ",
    )
    sign_in(page, organiser.username)
    page.goto(f"/quan-ly-cuoc-thi/{contest.pk}/")

    # The other office's bank: known synonyms, a title row above, "stt" ignored.
    first = tmp_path / "ngan-hang-phuong.xlsx"
    first.write_bytes(xlsx_bytes(foreign_bank(extra_title=True)))
    page.get_by_label("Nhập câu hỏi từ Excel").set_input_files(str(first))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã nhập 40 câu hỏi vào ngân hàng.")
    assert Question.objects.filter(contest=contest).count() == 40

    # A file whose headers mean nothing to the system: the mapping step.
    page.get_by_label("Nhập câu hỏi từ Excel").set_input_files(
        _unknown_bank(tmp_path / "bo-sung.xlsx")
    )
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("heading", name="Chọn cột dữ liệu")).to_be_visible()
    table = page.locator("#import-columns")
    for header in UNKNOWN:
        expect(table).to_contain_text(header)
    expect(table).to_contain_text("Câu hỏi bổ sung số 5?")  # the first five rows
    expect(table).not_to_contain_text("Câu hỏi bổ sung số 6?")
    expect(page.get_by_role("alert")).to_contain_text("Chưa tìm thấy cột cho trường bắt buộc")
    check_accessibility(page, "import-mapping-empty")
    # On a phone (390 px) each file column is a card and its drop-down the card's whole width:
    # the field names can be read, and nothing scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    widths = table.locator("select").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert len(widths) == len(UNKNOWN)
    assert min(widths) > 300, widths
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "import-mapping-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    for header, field in CHOICES.items():
        page.get_by_label(f"“{header}” nhập vào trường").select_option(label=field)
    page.screenshot(path=str(SHOTS / "import-mapping-chosen.png"), full_page=True)
    page.get_by_role("button", name="Tiếp tục nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã nhập 10 câu hỏi vào ngân hàng.")
    added = Question.objects.get(stem="Câu hỏi bổ sung số 4?")
    assert (added.correct, added.topic, added.get_difficulty_display()) == (
        "B",
        "Bổ sung",
        "Trung bình",
    )

    # The first file again: the system asks before importing it twice.
    page.get_by_label("Nhập câu hỏi từ Excel").set_input_files(str(first))
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    expect(page.get_by_role("heading", name="Tệp này đã được nhập trước đây")).to_be_visible()
    check_accessibility(page, "import-repeat")
    page.get_by_role("button", name="Không nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã hủy nhập tệp “ngan-hang-phuong.xlsx”")
    assert Question.objects.filter(contest=contest).count() == 50
