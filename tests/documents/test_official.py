"""Layout tests for official documents (Nghị định 30/2020/NĐ-CP); no Django, no database."""

from __future__ import annotations

import datetime
import io

import docx
import pytest
from docx.shared import Mm
from pypdf import PdfReader

from thidua.documents.official import (
    Bullet,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    format_number_line,
    format_place_date,
    render_docx,
    render_pdf,
)

A4_WIDTH_PT = 595.276
A4_HEIGHT_PT = 841.89
SIGNER = "Nguyễn Thị Thanh Hương"
TITLE = (
    "Phát động phong trào thi đua đặc biệt chào mừng kỷ niệm 110 năm Ngày sinh "
    "Tổng Bí thư Nguyễn Văn Cừ (9/7/1912 - 9/7/2022)"
)


def build_plan() -> OfficialDocument:
    long_text = (
        "Các Khối thi đua, địa phương, cơ quan, đơn vị, căn cứ vào chức năng, nhiệm vụ chính "
        "trị được giao, xây dựng chương trình, kế hoạch để giải quyết những nhiệm vụ trọng tâm, "
        "những việc mới, việc khó để tổ chức thực hiện; các hoạt động, phong trào thi đua phù "
        "hợp, hiệu quả góp phần vào mục tiêu chung theo Nghị quyết của Hội đồng nhân dân thành "
        "phố đã đề ra & bảo đảm <tiến độ>."
    )
    return OfficialDocument(
        issuer_parent="UBND tỉnh Bắc Ninh",
        issuer="Ủy ban nhân dân thành phố Bắc Ninh",
        number="118",
        symbol="KH-UBND",
        place="Bắc Ninh",
        date=datetime.date(2022, 5, 25),
        doc_type="Kế hoạch",
        summary=TITLE,
        legal_bases=[
            "Căn cứ Luật Thi đua, Khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Kế hoạch số 272/KH-UBND ngày 13/5/2022 của UBND tỉnh Bắc Ninh phát động "
            "phong trào thi đua đặc biệt kỷ niệm 110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ,",
        ],
        body=[
            Paragraph(
                "UBND thành phố Bắc Ninh ban hành Kế hoạch phát động phong trào thi đua đặc biệt "
                "chào mừng kỷ niệm 110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ như sau:"
            ),
            Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
            Heading("1. Mục đích", 2),
            Bullet(
                "Phát động các phong trào thi đua tạo khí thế sôi nổi, rộng khắp với nhiều hình "
                "thức đa dạng, phong phú, sáng tạo, hiệu quả, thu hút đông đảo các tầng lớp nhân "
                "dân hưởng ứng, thi đua lập thành tích thiết thực chào mừng kỷ niệm."
            ),
            Bullet(
                "Phát hiện, biểu dương, khen thưởng kịp thời các tập thể, cá nhân có thành tích "
                "tiêu biểu, xuất sắc trong phong trào thi đua để tuyên truyền, nhân rộng."
            ),
            Heading("2. Yêu cầu", 2),
            Bullet(long_text),
            Bullet(long_text),
            Heading("II. THỜI GIAN THỰC HIỆN ĐỢT THI ĐUA", 1),
            Bullet("Từ tháng 5/2022 đến hết tháng 12/2022."),
            Heading("III. NỘI DUNG THI ĐUA, HÌNH THỨC TỔ CHỨC", 1),
            Heading("1. Nội dung thi đua", 2),
            Heading("a) Đối với tập thể", 3),
            *[Bullet(long_text) for _ in range(4)],
            Heading("b) Đối với cá nhân", 3),
            *[Bullet(long_text) for _ in range(3)],
            Heading("IV. TỔ CHỨC THỰC HIỆN", 1),
            Paragraph(
                "1. Phòng Nội vụ thành phố là cơ quan thường trực giúp UBND thành phố, Hội đồng "
                "Thi đua - Khen thưởng thành phố theo dõi, đôn đốc tổ chức thực hiện, báo cáo "
                "UBND thành phố kết quả thực hiện Kế hoạch này."
            ),
            Paragraph(
                "2. Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các địa "
                "phương, cơ quan, đơn vị phản ánh về phòng Nội vụ thành phố để tổng hợp, báo cáo "
                "Chủ tịch UBND thành phố xem xét, điều chỉnh, bổ sung cho phù hợp./."
            ),
        ],
        recipients=[
            "Ban TĐKT, Sở Nội vụ (để b/c)",
            "TT Thành ủy, TT HĐND TP (để b/c)",
            "Chủ tịch, các PCT UBND thành phố",
            "Thành viên Hội đồng TĐKT thành phố",
            "Các phòng, ban, ngành của thành phố",
            "Lưu: VT, NV",
        ],
        signature=Signature(
            authority=None,
            title_line="KT. CHỦ TỊCH",
            title="PHÓ CHỦ TỊCH",
            name=SIGNER,
        ),
    )


@pytest.fixture(scope="module")
def plan() -> OfficialDocument:
    return build_plan()


@pytest.fixture(scope="module")
def pdf_bytes(plan: OfficialDocument) -> bytes:
    return render_pdf(plan)


@pytest.fixture(scope="module")
def reader(pdf_bytes: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes))


@pytest.fixture(scope="module")
def docx_document(plan: OfficialDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(plan)))


# ---------------------------------------------------------------- text helpers


@pytest.mark.parametrize(
    ("number", "symbol", "expected"),
    [
        ("118", "KH-UBND", "Số: 118/KH-UBND"),
        ("5", "KH-UBND", "Số: 05/KH-UBND"),
        (5, "QĐ-UBND", "Số: 05/QĐ-UBND"),
        ("09", "TTr-UBND", "Số: 09/TTr-UBND"),
        ("10", "BC-UBND", "Số: 10/BC-UBND"),
        ("12", "UBND-NV", "Số: 12/UBND-NV"),
        (None, "KH-UBND", "Số: \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/KH-UBND"),
    ],
)
def test_format_number_line(number: str | int | None, symbol: str, expected: str) -> None:
    assert format_number_line(number, symbol) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2022, 12, 5), "Bắc Ninh, ngày 05 tháng 12 năm 2022"),
        (datetime.date(2022, 2, 5), "Bắc Ninh, ngày 05 tháng 02 năm 2022"),
        (datetime.date(2022, 1, 31), "Bắc Ninh, ngày 31 tháng 01 năm 2022"),
        (datetime.date(2022, 5, 13), "Bắc Ninh, ngày 13 tháng 5 năm 2022"),
        (datetime.date(2022, 3, 1), "Bắc Ninh, ngày 01 tháng 3 năm 2022"),
        (datetime.date(2022, 10, 20), "Bắc Ninh, ngày 20 tháng 10 năm 2022"),
    ],
)
def test_format_place_date(date: datetime.date, expected: str) -> None:
    assert format_place_date("Bắc Ninh", date) == expected


def test_format_place_date_blank() -> None:
    text = format_place_date("Bắc Ninh", None)
    assert text.startswith("Bắc Ninh, ngày ")
    assert "tháng" in text
    assert text.endswith("năm 20..")


# ------------------------------------------------------------------------- PDF


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_pdf_is_a4_and_multi_page(reader: PdfReader) -> None:
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4_WIDTH_PT, abs=1)
        assert float(page.mediabox.height) == pytest.approx(A4_HEIGHT_PT, abs=1)


def test_pdf_first_page_header(reader: PdfReader) -> None:
    text = _normalise(reader.pages[0].extract_text())
    assert "Số: 118/KH-UBND" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Bắc Ninh, ngày 25 tháng 5 năm 2022" in text
    assert "KẾ HOẠCH" in text
    assert "UBND TỈNH BẮC NINH" in text
    assert "Căn cứ Luật Thi đua, Khen thưởng" in text
    # Markup characters in user text are escaped, not interpreted.
    assert "& bảo đảm <tiến độ>" in _normalise(
        " ".join(page.extract_text() for page in reader.pages)
    )


def test_pdf_last_page_signature_and_recipients(reader: PdfReader) -> None:
    text = _normalise(reader.pages[-1].extract_text())
    assert "KT. CHỦ TỊCH" in text
    assert "PHÓ CHỦ TỊCH" in text
    assert SIGNER in text
    assert "Nơi nhận:" in text
    assert "- Ban TĐKT, Sở Nội vụ (để b/c);" in text
    assert "- Lưu: VT, NV." in text


def test_pdf_page_numbers_from_page_two(reader: PdfReader) -> None:
    first = reader.pages[0].extract_text().strip()
    assert not first[0].isdigit()
    for index, page in enumerate(reader.pages[1:], start=2):
        lines = page.extract_text().strip().splitlines()
        assert lines[0].strip() == str(index)


def test_pdf_embeds_liberation_serif(reader: PdfReader) -> None:
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources["/Font"].values():
            font_dict = font.get_object()
            fonts.add(str(font_dict["/BaseFont"]))
            if "/DescendantFonts" in font_dict:
                font_dict = font_dict["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in font_dict["/FontDescriptor"]  # TrueType program embedded
    assert fonts
    assert all("LiberationSerif" in name for name in fonts), fonts
    assert any("Bold" in name for name in fonts)
    assert any("Italic" in name for name in fonts)


def test_pdf_is_deterministic(plan: OfficialDocument, pdf_bytes: bytes) -> None:
    assert render_pdf(plan) == pdf_bytes


def test_pdf_without_number_date_or_parent() -> None:
    draft = build_plan()
    draft.number = None
    draft.date = None
    draft.issuer_parent = None
    draft.signature = Signature(
        authority="TM. Ủy ban nhân dân", title_line=None, title="Chủ tịch", name=SIGNER
    )
    reader = PdfReader(io.BytesIO(render_pdf(draft)))
    first = _normalise(reader.pages[0].extract_text())
    assert "/KH-UBND" in first
    assert "năm 20.." in first
    last = _normalise(reader.pages[-1].extract_text())
    assert "TM. ỦY BAN NHÂN DÂN" in last
    assert "CHỦ TỊCH" in last


# ------------------------------------------------------------------------ DOCX


def _docx_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return _normalise("\n".join(parts))


def test_docx_content(docx_document: docx.document.Document) -> None:
    text = _docx_text(docx_document)
    assert "Số: 118/KH-UBND" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Bắc Ninh, ngày 25 tháng 5 năm 2022" in text
    assert "KẾ HOẠCH" in text
    assert TITLE in text
    assert "KT. CHỦ TỊCH" in text
    assert "PHÓ CHỦ TỊCH" in text
    assert SIGNER in text
    assert "Nơi nhận:" in text
    assert "- Lưu: VT, NV." in text


def test_docx_page_setup(docx_document: docx.document.Document) -> None:
    section = docx_document.sections[0]
    tolerance = Mm(0.1)
    assert section.page_width is not None
    assert section.page_height is not None
    assert section.left_margin is not None
    assert section.right_margin is not None
    assert abs(section.page_width - Mm(210)) < tolerance
    assert abs(section.page_height - Mm(297)) < tolerance
    assert abs(section.left_margin - Mm(30)) < tolerance
    assert abs(section.right_margin - Mm(15)) < tolerance
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    assert docx_document.styles["Normal"].font.name == "Times New Roman"


def test_docx_tables_are_borderless(docx_document: docx.document.Document) -> None:
    assert len(docx_document.tables) == 2
    for table in docx_document.tables:
        xml = table._tbl.xml
        assert "w:tblBorders" in xml
        assert 'w:val="single"' not in xml.split("<w:tr")[0]


# ------------------------------------------------------------- issuer line breaks

ISSUER_WIDTH_PT = (165 * 0.40 - 2) * 72 / 25.4  # the header's left column, as rendered


@pytest.mark.parametrize(
    ("issuer", "lines"),
    [
        (
            "Hội đồng Thi đua – Khen thưởng thành phố Bắc Ninh",
            ["HỘI ĐỒNG THI ĐUA –", "KHEN THƯỞNG", "THÀNH PHỐ BẮC NINH"],
        ),
        (  # already in capitals: the list of two-syllable words still holds "BẮC NINH"
            "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG THÀNH PHỐ BẮC NINH",
            ["HỘI ĐỒNG THI ĐUA –", "KHEN THƯỞNG", "THÀNH PHỐ BẮC NINH"],
        ),
        ("Ủy ban nhân dân thành phố Bắc Ninh", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ BẮC NINH"]),
        ("Ủy ban nhân dân phường Tiền Ninh Vệ", ["ỦY BAN NHÂN DÂN", "PHƯỜNG TIỀN NINH VỆ"]),
        ("Phòng Tài chính – Kế hoạch", ["PHÒNG TÀI CHÍNH –", "KẾ HOẠCH"]),  # no line opens on "–"
        ("UBND tỉnh Bắc Ninh", ["UBND TỈNH BẮC NINH"]),
    ],
)
def test_issuer_names_never_break_inside_a_word(issuer: str, lines: list[str]) -> None:
    from thidua.documents.official.captions import _balanced_lines
    from thidua.documents.official.layout import FONT_BOLD, register_fonts

    register_fonts()
    assert _balanced_lines(issuer, FONT_BOLD, 13, ISSUER_WIDTH_PT, upper=True) == lines


def test_a_word_too_wide_for_any_line_is_left_to_normal_wrapping() -> None:
    from thidua.documents.official.captions import _balanced_lines
    from thidua.documents.official.layout import FONT_BOLD, register_fonts

    register_fonts()
    word = "X" * 60
    assert _balanced_lines(f"A {word}", FONT_BOLD, 13, 100, upper=True) == [f"A {word}"]


def _council_minutes(paragraphs: int) -> OfficialDocument:
    return OfficialDocument(
        issuer_parent="Ủy ban nhân dân thành phố Bắc Ninh",
        issuer="Hội đồng Thi đua – Khen thưởng thành phố Bắc Ninh",
        number="5",
        symbol="BB-HĐTĐKT",
        place="Bắc Ninh",
        date=datetime.date(2022, 12, 27),
        doc_type="Biên bản",
        summary="Họp xét khen thưởng",
        body=[
            Paragraph(f"Đoạn thứ {i + 1} của biên bản, đủ dài để chiếm một dòng.")
            for i in range(paragraphs)
        ]
        + [Paragraph("Biên bản đã được thông qua tại cuộc họp./.")],
        left_signature=Signature(
            authority=None, title_line=None, title="Thư ký", name="Nguyễn Thị Thu Hà"
        ),
        signature=Signature(
            authority="TM. Hội đồng", title_line=None, title="Chủ tịch", name=SIGNER
        ),
    )


def test_issuer_on_the_rendered_page_keeps_bac_ninh_on_one_line() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(_council_minutes(2))))
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines()]
    assert "THÀNH PHỐ BẮC NINH" in lines
    assert not any(line.endswith("BẮC") for line in lines)


@pytest.mark.parametrize("paragraphs", range(14, 28))
def test_the_signatures_never_stand_alone_on_a_page(paragraphs: int) -> None:
    """Whatever the body's length, the page with the signatures also holds the last paragraph;
    the range moves the body's end across the first page break."""
    reader = PdfReader(io.BytesIO(render_pdf(_council_minutes(paragraphs))))
    last = _normalise(reader.pages[-1].extract_text())
    assert "THƯ KÝ" in last
    assert SIGNER in last
    assert "Nguyễn Thị Thu Hà" in last
    assert "Biên bản đã được thông qua tại cuộc họp./." in last


def test_docx_keeps_the_last_paragraph_with_the_signatures() -> None:
    document = docx.Document(io.BytesIO(render_docx(_council_minutes(3))))
    body = document.element.body
    paragraphs = [p for p in document.paragraphs if p._p.getparent() is body]
    last_text = next(p for p in reversed(paragraphs) if p.text.strip())
    assert last_text.text == "Biên bản đã được thông qua tại cuộc họp./."
    after = paragraphs[paragraphs.index(last_text) :]
    assert all(p.paragraph_format.keep_with_next for p in after)  # an unbroken chain
    closing = document.tables[-1]
    assert (
        closing.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit"
        )
        is not None
    )
    left, right = (cell.text for cell in closing.rows[0].cells)
    assert "THƯ KÝ" in left
    assert "Nguyễn Thị Thu Hà" in left
    assert "TM. HỘI ĐỒNG" in right
    assert SIGNER in right


def test_a_document_previews_its_place_and_date_as_printed() -> None:
    """The plan's preview shows the date line the PDF and DOCX print (Decree 30's zeros)."""
    doc = OfficialDocument(
        issuer_parent=None,
        issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH",
        number=None,
        symbol="KH-UBND",
        place="Bắc Ninh",
        date=datetime.date(2022, 6, 5),
        doc_type="KẾ HOẠCH",
        summary="",
    )
    assert doc.place_date == "Bắc Ninh, ngày 05 tháng 6 năm 2022"
    doc.date = datetime.date(2022, 2, 15)
    assert doc.place_date == "Bắc Ninh, ngày 15 tháng 02 năm 2022"
    doc.date = None
    assert doc.place_date == format_place_date("Bắc Ninh", None)
