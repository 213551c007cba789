"""How the .docx plans of the corpus were made (python-docx), kept to rebuild them.

Run: .venv/bin/python tests/campaigns/corpus/build_docx.py. Each plan is a Word file as an
office types it: the header and the signature block in borderless two-column tables, the body
as paragraphs (some with first-line indents instead of bullets).
"""

from pathlib import Path

import docx
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def _cell(cell, lines):  # type: ignore[no-untyped-def]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def build(
    name: str,
    header: tuple[list[str], list[str]],
    body: list[str],
    footer: tuple[list[str], list[str]],
) -> None:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(13)
    table = document.add_table(rows=1, cols=2)
    _cell(table.rows[0].cells[0], header[0])
    _cell(table.rows[0].cells[1], header[1])
    for text in body:
        paragraph = document.add_paragraph(text)
        if text and not text.isupper():
            paragraph.paragraph_format.first_line_indent = Pt(28)
    table = document.add_table(rows=1, cols=2)
    _cell(table.rows[0].cells[0], footer[0])
    _cell(table.rows[0].cells[1], footer[1])
    document.save(HERE / name)


PROVINCE_2026 = (
    (
        ["ỦY BAN NHÂN DÂN", "TỈNH HÒA LÂM", "_______", "Số: 215/KH-UBND"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "_____________________",
            "Hòa Lâm, ngày 05 tháng 01 năm 2026",
        ],
    ),
    [
        "KẾ HOẠCH",
        "Tổ chức phong trào thi đua và công tác khen thưởng năm 2026",
        "",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi "
        "tiết một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Chỉ thị số 05/CT-UBND ngày 02/01/2026 của Chủ tịch UBND tỉnh về đẩy mạnh phong "
        "trào thi đua yêu nước năm 2026;",
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức phong trào thi đua và công tác khen "
        "thưởng năm 2026 như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "- Đẩy mạnh phong trào thi đua yêu nước, động viên các cấp, các ngành, doanh nghiệp và "
        "Nhân dân trong tỉnh phấn đấu hoàn thành thắng lợi các mục tiêu phát triển kinh tế - xã "
        "hội năm 2026, năm đầu thực hiện Nghị quyết Đại hội Đảng bộ tỉnh lần thứ I.",
        "- Phát hiện, bồi dưỡng, tổng kết và nhân rộng các điển hình tiên tiến, mô hình mới, cách "
        "làm hay.",
        "2. Yêu cầu",
        "- Phong trào thi đua có nội dung, tiêu chí cụ thể, gắn với nhiệm vụ chính trị của từng "
        "cơ quan, đơn vị, địa phương sau khi sắp xếp tổ chức bộ máy và chính quyền địa phương "
        "hai cấp.",
        "- Công tác khen thưởng bảo đảm chính xác, công khai, minh bạch, kịp thời.",
        "II. NỘI DUNG, HÌNH THỨC THI ĐUA",
        "1. Thi đua thường xuyên",
        "Các cụm, khối thi đua của tỉnh tổ chức ký kết giao ước thi đua ngay từ đầu năm; các xã, "
        "phường thi đua thực hiện mô hình chính quyền địa phương hai cấp hoạt động thông suốt, "
        "hiệu quả.",
        "2. Thi đua theo chuyên đề",
        "a) Phong trào thi đua “Cả nước chung tay xóa nhà tạm, nhà dột nát”.",
        "b) Phong trào thi đua “Chuyển đổi số toàn diện, xây dựng chính quyền số” giai đoạn "
        "2026 - 2030.",
        "3. Hình thức tổ chức",
        "- Lễ phát động và ký giao ước thi đua năm 2026 của các cụm, khối thi đua trong tháng "
        "02/2026.",
        "- Hội nghị biểu dương điển hình tiên tiến trong phong trào thi đua chuyển đổi số.",
        "- Tuyên truyền trên Báo và Phát thanh, Truyền hình Hòa Lâm, Cổng thông tin điện tử tỉnh.",
        "III. ĐỐI TƯỢNG, THỜI GIAN",
        "1. Đối tượng: các sở, ban, ngành, đoàn thể cấp tỉnh; UBND các xã, phường; các doanh "
        "nghiệp, hợp tác xã; cán bộ, công chức, viên chức, người lao động, doanh nhân và Nhân "
        "dân trong tỉnh.",
        "2. Thời gian: từ ngày 01/01/2026 đến ngày 31/12/2026.",
        "IV. KHEN THƯỞNG",
        "Kết thúc năm, Chủ tịch UBND tỉnh tặng Cờ thi đua của UBND tỉnh cho các tập thể dẫn đầu "
        "các cụm, khối thi đua; tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất sắc "
        "trong phong trào thi đua; lựa chọn những tập thể, cá nhân tiêu biểu đề nghị Thủ tướng "
        "Chính phủ tặng Bằng khen.",
        "V. TỔ CHỨC THỰC HIỆN",
        "1. Sở Nội vụ (cơ quan thường trực Hội đồng Thi đua - Khen thưởng tỉnh)",
        "- Hướng dẫn các cụm, khối thi đua tổ chức ký kết giao ước thi đua; theo dõi, đôn đốc "
        "việc thực hiện Kế hoạch.",
        "- Tổng hợp, thẩm định hồ sơ, trình Chủ tịch UBND tỉnh khen thưởng tổng kết năm trước "
        "ngày 15/12/2026.",
        "2. Sở Văn hóa, Thể thao và Du lịch; Báo và Phát thanh, Truyền hình Hòa Lâm",
        "- Tuyên truyền các phong trào thi đua, điển hình tiên tiến trên các phương tiện thông "
        "tin đại chúng.",
        "3. Sở Tài chính",
        "- Tham mưu bố trí kinh phí khen thưởng năm 2026 theo quy định.",
        "4. Các sở, ban, ngành, đoàn thể tỉnh; UBND các xã, phường",
        "- Xây dựng kế hoạch tổ chức phong trào thi đua tại cơ quan, đơn vị, địa phương.",
        "- Báo cáo kết quả thực hiện về UBND tỉnh (qua Sở Nội vụ) trước ngày 20/11/2026.",
        "5. Đề nghị Ủy ban MTTQ Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh",
        "- Phối hợp tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tích cực hưởng ứng "
        "các phong trào thi đua./.",
    ],
    (
        [
            "Nơi nhận:",
            "- Bộ Nội vụ (để b/c);",
            "- Ban Thi đua - Khen thưởng Trung ương (để b/c);",
            "- TT Tỉnh ủy, TT HĐND tỉnh (để b/c);",
            "- Chủ tịch, các PCT UBND tỉnh;",
            "- Thành viên Hội đồng TĐKT tỉnh;",
            "- Các sở, ban, ngành, đoàn thể tỉnh;",
            "- UBND các xã, phường;",
            "- Lưu: VT, NV.",
        ],
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "", "Nguyễn Minh Khôi"],
    ),
)

WARD_2026 = (
    (
        ["UBND TỈNH HÒA LÂM", "ỦY BAN NHÂN DÂN", "PHƯỜNG NAM SƠN", "Số: 23/KH-UBND"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Nam Sơn, ngày 16 tháng 01 năm 2026",
        ],
    ),
    [
        "KẾ HOẠCH",
        "Tổ chức phong trào thi đua “Nam Sơn văn minh, nghĩa tình” năm 2026",
        "",
        "Thực hiện Kế hoạch số 215/KH-UBND ngày 05/01/2026 của UBND tỉnh về tổ chức phong trào "
        "thi đua và công tác khen thưởng năm 2026; Nghị quyết số 03-NQ/ĐU ngày 30/12/2025 của "
        "Đảng ủy phường về nhiệm vụ năm 2026, UBND phường Nam Sơn ban hành Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Phát huy sức mạnh đoàn kết của cả hệ thống chính trị và Nhân dân, thi đua hoàn thành "
        "các chỉ tiêu kinh tế - xã hội, quốc phòng - an ninh năm 2026 của phường.",
        "- Việc đăng ký, đánh giá, khen thưởng thi đua thực chất, công khai, đúng quy định.",
        "II. NỘI DUNG, HÌNH THỨC",
        "1. Nội dung",
        "- Thi đua xây dựng tuyến phố văn minh, khu dân cư không có tội phạm và tệ nạn xã hội.",
        "- Thi đua cải cách thủ tục hành chính, nâng cao chỉ số hài lòng của người dân.",
        "2. Hình thức",
        "- Lễ phát động thi đua và ký kết giao ước giữa các tổ dân phố (tháng 02/2026).",
        "- Ra quân Ngày Chủ nhật xanh - sạch - đẹp vào ngày Chủ nhật cuối cùng của tháng.",
        "- Tọa đàm “Xây dựng người Nam Sơn thanh lịch, văn minh” (quý II/2026).",
        "III. ĐỐI TƯỢNG, THỜI GIAN",
        "1. Đối tượng: tập thể gồm các tổ dân phố, cơ quan, đơn vị, trường học trên địa bàn "
        "phường; cá nhân gồm cán bộ, công chức, người hoạt động không chuyên trách và Nhân dân.",
        "2. Thời gian: từ ngày 01/02/2026 đến ngày 30/11/2026.",
        "IV. KHEN THƯỞNG",
        "Chủ tịch UBND phường xét tặng Giấy khen cho không quá 04 tập thể và 08 cá nhân có thành "
        "tích xuất sắc; tổ dân phố dẫn đầu được đề nghị Chủ tịch UBND tỉnh tặng Bằng khen.",
        "V. TỔ CHỨC THỰC HIỆN",
        "1. Trách nhiệm của các cơ quan, đơn vị",
        "a) Văn phòng HĐND và UBND phường",
        "- Là bộ phận thường trực công tác thi đua, khen thưởng của phường; hướng dẫn các tổ dân "
        "phố, cơ quan, đơn vị đăng ký thi đua trước ngày 20/02/2026.",
        "b) Phòng Kinh tế, Hạ tầng và Đô thị",
        "- Chủ trì xây dựng tiêu chí tuyến phố văn minh; kiểm tra, chấm điểm định kỳ.",
        "c) Phòng Văn hóa - Xã hội",
        "- Tổ chức Tọa đàm, tuyên truyền trên Trang thông tin điện tử phường.",
        "d) Công an phường",
        "- Chủ trì nội dung khu dân cư không có tội phạm và tệ nạn xã hội.",
        "2. Đề nghị Ủy ban MTTQ Việt Nam phường phối hợp vận động Nhân dân hưởng ứng phong trào.",
        "3. Các tổ dân phố, cơ quan, đơn vị báo cáo kết quả về UBND phường (qua Văn phòng HĐND và "
        "UBND phường) trước ngày 05/12/2026./.",
    ],
    (
        [
            "Nơi nhận:",
            "- Sở Nội vụ (để b/c);",
            "- TT Đảng ủy, TT HĐND phường (để b/c);",
            "- CT, các PCT UBND phường;",
            "- Ủy ban MTTQ Việt Nam phường;",
            "- Như mục V;",
            "- Lưu: VT, VP.",
        ],
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "", "Trần Thị Minh Nguyệt"],
    ),
)

if __name__ == "__main__":
    build("01-tinh-ke-hoach-thi-dua-nam-2026.docx", *PROVINCE_2026)
    build("10-phuong-thi-dua-nam-2026.docx", *WARD_2026)
