"""Issue 17's story: paste a plan with lettered assignments, correct two fields on the review
page, save, and issue."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_foundation import sign_in
from tests.e2e.test_portal import check_accessibility
from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus, Delivery

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "campaigns"

PLAN = """ỦY BAN NHÂN DÂN
THÀNH PHỐ BẮC NINH
Số:      /KH-UBND\tBắc Ninh, ngày      tháng 3 năm 2026

KẾ HOẠCH
Phát động phong trào thi đua “Bắc Ninh xanh” năm 2026

Thực hiện Kế hoạch số 30/KH-UBND ngày 15/01/2026 của UBND tỉnh Bắc Ninh, UBND thành phố ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
- Nâng cao ý thức bảo vệ môi trường của cán bộ và Nhân dân.
II. THỜI GIAN
Từ ngày 01/4/2026 đến ngày 30/11/2026.
III. HÌNH THỨC TỔ CHỨC
- Lễ phát động phong trào thi đua “Bắc Ninh xanh” vào ngày 05/4/2026;
- Ra quân Ngày Chủ nhật xanh vào Chủ nhật cuối tháng.
IV. KHEN THƯỞNG
Chủ tịch UBND thành phố tặng Giấy khen cho 03 tập thể và 05 cá nhân có thành tích xuất sắc.
V. TỔ CHỨC THỰC HIỆN
a) Phòng Nội vụ
- Là cơ quan thường trực; theo dõi, tổng hợp kết quả.
b) Trung tâm Văn hóa, Thể thao và Truyền thông thành phố
- Tuyên truyền trên các phương tiện thông tin.
c) UBND các phường
- Tổ chức ra quân; báo cáo kết quả về UBND thành phố (qua Phòng Nội vụ) trước ngày 20/11/2026.
d) Đội Kiểm tra trật tự đô thị thành phố
- Kiểm tra việc giữ gìn vệ sinh trên các tuyến phố./.

Nơi nhận:\tTM. ỦY BAN NHÂN DÂN
- UBND tỉnh (để b/c);\tKT. CHỦ TỊCH
- TT Thành ủy, TT HĐND thành phố (để b/c);\tPHÓ CHỦ TỊCH
- Như mục V;
- Lưu: VT, NV.
"""


def test_paste_correct_two_fields_save_and_issue(page, make_user, city, settings):
    settings.THIDUA_TOTP_REQUIRED = False  # the TOTP flow has its own browser test
    office = make_user(Role.EMULATION_OFFICE)
    sign_in(page, office.username)

    page.goto("/phong-trao/nhap/")
    page.get_by_label("Dán nội dung kế hoạch").fill(PLAN)
    page.get_by_role("button", name="Nhận dạng và đối chiếu").click()
    expect(page.get_by_role("heading", name="Đối chiếu trước khi lưu")).to_be_visible()
    assert not Campaign.objects.exists()  # nothing saved yet

    # The four lettered assignments, each agency found on its own line.
    expect(page.locator("#id_assignments-0-agencies_text")).to_have_value("Phòng Nội vụ")
    expect(page.locator("#id_assignments-3-agencies_text")).to_have_value(
        "Đội Kiểm tra trật tự đô thị thành phố"
    )
    expect(page.locator("#assignments-0").get_by_label("Phòng Nội vụ")).to_be_checked()
    expect(page.locator("#assignments-3")).to_contain_text("Chưa khớp đơn vị nào")  # a doubt
    expect(page.locator("#field-signer_name")).to_contain_text("Chưa có người ký.")
    expect(page.locator("#id_awards-0-quota_collective")).to_have_value("3")
    expect(page.locator("#id_recipients-0-role")).to_have_value("report")
    SHOTS.mkdir(parents=True, exist_ok=True)
    check_accessibility(page, "plan-review")
    page.screenshot(path=str(SHOTS / "plan-review.png"), full_page=True)

    # Two corrections: the title, and the signer the pasted text did not have.
    page.get_by_label("Trích yếu").fill(
        "Phát động phong trào thi đua “Bắc Ninh xanh - sạch - đẹp” năm 2026"
    )
    page.get_by_label("Người ký", exact=True).fill("Nguyễn Văn Thành")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu dự thảo")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Phát động phong trào thi đua “Bắc Ninh xanh - sạch - đẹp” năm 2026"
    )

    page.get_by_label("Ngày ban hành").fill("10/03/2026")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cấp số và ban hành").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã ban hành")
    expect(page.get_by_text("Kế hoạch số 01/KH-UBND ngày 10/03/2026")).to_be_visible()

    campaign = Campaign.objects.get()
    assert campaign.number == 1
    # issued; running at once when the period has begun by the day the test runs
    assert campaign.status in {CampaignStatus.ISSUED, CampaignStatus.RUNNING}
    assert campaign.signer_name == "Nguyễn Văn Thành"
    assert campaign.issuer_name == "UBND thành phố Bắc Ninh"  # as found in the document
    assert campaign.standing_agency == city.noivu
    targets = {a.clause: {t.unit.code for t in a.targets.all()} for a in campaign.assignments.all()}
    assert targets == {
        "V.a": {"NV"},
        "V.b": {"TTVHTTTT"},
        "V.c": {"P-SUOIHOA", "P-VUNINH"},
        "V.d": set(),  # not a unit: kept as the plan wrote it
    }
    roles = dict(Delivery.objects.filter(campaign=campaign).values_list("unit__code", "role"))
    assert roles["TBN"] == "report"  # UBND tỉnh (để b/c)
    assert roles["P-SUOIHOA"] == roles["P-VUNINH"] == "implement"
    assert [f.label for f in campaign.forms.all()] == [
        "Lễ phát động phong trào thi đua “Bắc Ninh xanh”",
        "Ra quân Ngày Chủ nhật xanh",
    ]
