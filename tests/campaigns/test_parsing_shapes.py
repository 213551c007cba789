"""Layouts and phrasings the parser must handle beyond the corpus (issue 17): one short plan
per shape, each asserting what a reader would fill in."""

from datetime import date

import pytest

from thidua.campaigns.parsing import extract_agencies, parse_plan

LETTERED = """ỦY BAN NHÂN DÂN
PHƯỜNG SUỐI HOA
Số: 12/KH-UBND    Suối Hoa, ngày 02 tháng 3 năm 2026

KẾ HOẠCH
Phát động phong trào thi đua “Phường Suối Hoa xanh - sạch - đẹp” năm 2026

I. THỜI GIAN
Từ tháng 3/2026 đến hết tháng 11/2026.
II. TỔ CHỨC THỰC HIỆN
1. Trách nhiệm của các cơ quan, đơn vị
a) Phòng Văn hóa - Xã hội
- Là cơ quan thường trực, tham mưu tổ chức Lễ phát động trước ngày 15/3/2026.
b) Phòng Kinh tế, Hạ tầng và Đô thị
- Hướng dẫn phân loại rác tại nguồn.
c) Văn phòng HĐND và UBND phường
- Bố trí kinh phí.
d) Công an phường
- Bảo đảm an ninh trật tự.
đ) Ủy ban MTTQ Việt Nam phường
- Vận động Nhân dân.
e) Công chức Văn hóa - Xã hội phường
- Tuyên truyền trên loa truyền thanh.
g) Trường THCS Suối Hoa
- Tổ chức cho học sinh ra quân.
h) Các tổ dân phố
- Báo cáo kết quả về UBND phường (qua Phòng Văn hóa - Xã hội) trước ngày 20/11/2026.
2. Chế độ báo cáo
Các cơ quan, đơn vị báo cáo kết quả định kỳ 6 tháng.
"""


def test_lettered_items_with_the_agency_on_its_own_line():
    plan = parse_plan(LETTERED)
    by_clause = {a.clause: a.agencies for a in plan.assignments}
    assert by_clause == {
        "II.1.a": ["Phòng Văn hóa - Xã hội"],
        "II.1.b": ["Phòng Kinh tế, Hạ tầng và Đô thị"],
        "II.1.c": ["Văn phòng HĐND và UBND phường"],
        "II.1.d": ["Công an phường"],
        "II.1.đ": ["Ủy ban Mặt trận Tổ quốc Việt Nam phường"],
        "II.1.e": ["Công chức Văn hóa - Xã hội phường"],
        "II.1.g": ["Trường THCS Suối Hoa"],
        "II.1.h": ["Các tổ dân phố"],
        "II.2": ["Các cơ quan, đơn vị"],
    }
    assert plan.assignments[0].deadline == date(2026, 3, 15)
    assert plan.standing_agency == "Phòng Văn hóa - Xã hội"  # "- Là cơ quan thường trực" below it
    assert plan.report_deadline == date(2026, 11, 20)
    assert (plan.period_start, plan.period_end) == (date(2026, 3, 1), date(2026, 11, 30))
    assert (plan.number, plan.place) == ("12/KH-UBND", "Suối Hoa")
    assert plan.issuer == "ỦY BAN NHÂN DÂN PHƯỜNG SUỐI HOA"


@pytest.mark.parametrize(
    ("sentence", "agency"),
    [
        ("Phòng Nội vụ là cơ quan thường trực, theo dõi, đôn đốc.", "Phòng Nội vụ"),
        ("Giao Văn phòng HĐND và UBND xã làm thường trực, tổng hợp.", "Văn phòng HĐND và UBND xã"),
        ("Văn phòng Sở là bộ phận thường trực công tác thi đua.", "Văn phòng Sở"),
        (
            "Phòng Văn hóa - Xã hội (cơ quan thường trực Hội đồng) tham mưu.",
            "Phòng Văn hóa - Xã hội",
        ),
        ("Công chức Tư pháp - Hộ tịch là đầu mối tổng hợp.", "Công chức Tư pháp - Hộ tịch"),
    ],
)
def test_the_standing_agency_in_any_phrasing(sentence, agency):
    plan = parse_plan(f"KẾ HOẠCH\nThử\n\nI. TỔ CHỨC THỰC HIỆN\n1. {sentence}\n")
    assert plan.standing_agency == agency


SPACED = """     UBND TỈNH HÒA LÂM                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    ỦY BAN NHÂN DÂN XÃ AN HÒA                   Độc lập - Tự do - Hạnh phúc
    Số:  9 /KH-UBND                      An Hòa, ngày 03 tháng 02 năm 2026

                                  KẾ HOẠCH
                Tổ chức Hội thi “Dân vận khéo” năm 2026

I. CƠ CẤU GIẢI THƯỞNG
Mỗi vòng thi trao 01 giải Nhất, 02 giải Nhì; vòng chung kết trao 01 giải Đặc biệt
trị giá 5 triệu đồng và 02 giải tập thể cho các thôn có nhiều người tham gia nhất.
II. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội chủ trì; báo cáo UBND xã trước ngày 30/6/2026./.

 Nơi nhận:                                          TM. ỦY BAN NHÂN DÂN
 - UBND tỉnh (để b/c);                                       CHỦ TỊCH
 - Ủy ban MTTQ xã (để phối hợp);
 - Các thôn;                                                Lò Văn Sáng
 - Lưu: VT.
"""


def test_space_aligned_header_prizes_and_a_tail_sharing_its_lines():
    plan = parse_plan(SPACED)
    assert (plan.number, plan.issued_date) == ("9/KH-UBND", date(2026, 2, 3))
    assert plan.issuer == "ỦY BAN NHÂN DÂN XÃ AN HÒA"
    assert plan.issuer_parent == "UBND TỈNH HÒA LÂM"
    assert [(p.tier, p.count, p.scope, p.target, p.amount) for p in plan.prizes] == [
        ("Nhất", 1, "round", "individual", None),
        ("Nhì", 2, "round", "individual", None),
        ("Đặc biệt", 1, "contest", "individual", 5_000_000),
        ("tập thể", 2, "contest", "collective", None),
    ]
    assert [(r.text, r.role) for r in plan.recipients] == [
        ("UBND tỉnh (để b/c)", "report"),
        ("Ủy ban MTTQ xã (để phối hợp)", "implement"),
        ("Các thôn", "implement"),
        ("Lưu: VT", "archive"),
    ]
    assert plan.signer is not None
    assert (plan.signer.title, plan.signer.name) == ("CHỦ TỊCH", "Lò Văn Sáng")


def test_party_documents_are_parents_and_party_numbers_are_read():
    plan = parse_plan(
        "ĐẢNG BỘ XÃ AN HÒA\nCHI BỘ THÔN ĐÔNG\n*\nSố 04-KH/CB\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "An Hòa, ngày 10 tháng 3 năm 2026\n\nKẾ HOẠCH\nhọc tập Nghị quyết\n\n"
        "Thực hiện Kế hoạch số 87-KH/ĐU ngày 06/01/2026 của Ban Thường vụ Đảng ủy xã, "
        "Hướng dẫn số 12-HD/BTG ngày 02/02/2026 của Ban Tuyên giáo Tỉnh ủy và Nghị quyết "
        "số 12-NQ/TU ngày 10/12/2025 của Tỉnh ủy, Chi bộ xây dựng Kế hoạch như sau:\n"
    )
    assert plan.number == "04-KH/CB"
    assert (plan.issuer, plan.issuer_parent) == ("CHI BỘ THÔN ĐÔNG", "ĐẢNG BỘ XÃ AN HÒA")
    assert [(d.type, d.number, d.issuer) for d in plan.parent_documents] == [
        ("Kế hoạch", "87-KH/ĐU", "Ban Thường vụ Đảng ủy xã"),
        ("Hướng dẫn", "12-HD/BTG", "Ban Tuyên giáo Tỉnh ủy"),
        ("Nghị quyết", "12-NQ/TU", "Tỉnh ủy"),
    ]


def test_a_ward_front_keeps_its_level_word():
    """Matching needs it: "Ủy ban MTTQ phường" is the ward's Front, not the city's."""
    assert extract_agencies("Đề nghị Ủy ban MTTQ phường phối hợp tuyên truyền") == [
        "Ủy ban Mặt trận Tổ quốc phường"
    ]


def test_activities_keep_the_plans_own_words():
    plan = parse_plan(
        "KẾ HOẠCH\nThử\n\nI. HÌNH THỨC TỔ CHỨC\n"
        "- Tổ chức Lễ phát động và ký giao ước thi đua vào ngày 15/3/2026;\n"
        "- Ra quân Ngày Chủ nhật xanh vào Chủ nhật đầu tháng;\n"
        "- Hội thi “Tuyên truyền viên giỏi”, tọa đàm “Phụ nữ với chuyển đổi số” (quý III/2026).\n"
    )
    assert [(f.code, f.text) for f in plan.forms] == [
        ("OTHER", "Lễ phát động và ký giao ước thi đua"),
        ("OTHER", "Ra quân Ngày Chủ nhật xanh"),
        ("CONTEST", "Hội thi “Tuyên truyền viên giỏi”"),
        ("SEMINAR", "Tọa đàm “Phụ nữ với chuyển đổi số”"),
    ]


def test_quotas_of_collectives_and_individuals_stay_apart():
    plan = parse_plan(
        "KẾ HOẠCH\nThử\n\nI. KHEN THƯỞNG\nChủ tịch UBND xã tặng Giấy khen cho 02 tập thể và "
        "03 cá nhân; đề nghị Chủ tịch UBND tỉnh tặng Bằng khen cho 01 tập thể.\n"
    )
    giay, bang = plan.award_forms
    assert (giay.signer, giay.quota_collective, giay.quota_individual) == ("Chủ tịch UBND xã", 2, 3)
    assert (bang.signer, bang.quota_collective, bang.quota_individual) == (
        "Chủ tịch UBND tỉnh",
        1,
        None,
    )


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("giai nhat tri gia 1.500 nghin dong", 1_500_000),  # dots group thousands
        ("giai nhi tri gia 2,5 trieu dong", 2_500_000),
        ("giai ba tri gia 1.5 trieu dong", 1_500_000),
        ("giai khuyen khich tri gia 500.000 dong", 500_000),
    ],
)
def test_a_prize_amount_reads_numbers_as_vietnamese_writes_them(text, amount):
    from thidua.campaigns.parsing.prizes import _amount

    assert _amount(text) == amount
