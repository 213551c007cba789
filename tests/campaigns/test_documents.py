from datetime import date
from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from thidua.campaigns import services
from thidua.campaigns.documents import plan_document
from thidua.documents.official import render_docx, render_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(draft, office_user):
    return services.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))


def test_plan_pdf_has_the_official_layout(issued):
    reader = PdfReader(BytesIO(render_pdf(plan_document(issued))))
    first = reader.pages[0].extract_text()
    last = reader.pages[-1].extract_text()
    assert "Số: 01/KH-UBND" in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Bắc Ninh, ngày 25 tháng 5 năm 2022" in first
    assert "KẾ HOẠCH" in first
    assert "Nguyễn Văn Cừ" in first
    assert "KT. CHỦ TỊCH" in last
    assert "Nguyễn Văn Thành" in last
    assert "Nơi nhận:" in last
    assert "Lưu: VT, NV." in last
    assert "ỦY BAN NHÂN DÂN TỈNH" not in first  # a People's Committee has no parent line


def test_plan_docx_opens_with_number_title_and_signature(issued):
    document = Document(BytesIO(render_docx(plan_document(issued))))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    everything = text + "\n" + cells
    assert "Số: 01/KH-UBND" in everything
    assert "Phát động phong trào thi đua đặc biệt" in everything
    assert "PHÓ CHỦ TỊCH" in everything
    assert "Nguyễn Văn Thành" in everything


def test_draft_pdf_leaves_the_number_blank(draft):
    first = PdfReader(BytesIO(render_pdf(plan_document(draft)))).pages[0].extract_text()
    assert "/KH-UBND" in first
    assert "01/KH-UBND" not in first


def test_items_numbered_one_point_one_keep_their_numbers_in_the_document(city, office_user):
    """ "1.1.", "1.2." under "1." (a third level) print as the plan writes them; only a letter
    takes a bracket ("a)")."""
    text = "\n".join(
        [
            "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "THÀNH PHỐ BẮC NINH\tĐộc lập - Tự do - Hạnh phúc",
            "KẾ HOẠCH",
            "Phát động thi đua chuyển đổi số năm 2026",
            "",
            "I. TỔ CHỨC THỰC HIỆN",
            "1. Phân công nhiệm vụ",
            "1.1. Phòng Nội vụ: theo dõi, đôn đốc",
            "1.2. Phường Vũ Ninh: xây dựng kế hoạch",
            "2. Trách nhiệm của các phường",
            "a) Tuyên truyền",
        ]
    )
    draft = services.campaign_import(actor=office_user, text=text, owner_unit=city.city)
    document = Document(BytesIO(render_docx(plan_document(draft))))
    paragraphs = [p.text for p in document.paragraphs]
    assert "1.1. Phòng Nội vụ: theo dõi, đôn đốc" in paragraphs
    assert "1.2. Phường Vũ Ninh: xây dựng kế hoạch" in paragraphs
    assert "a) Tuyên truyền" in paragraphs


def test_the_issuer_is_named_in_full_in_the_header(issued):
    """The review keeps the issuer as "UBND thành phố Bắc Ninh"; Decree 30 lets only the parent
    body's line abbreviate, so the header reads "ỦY BAN NHÂN DÂN / THÀNH PHỐ BẮC NINH"."""
    assert issued.issuer_name == "UBND thành phố Bắc Ninh"
    document = Document(BytesIO(render_docx(plan_document(issued))))
    header = document.tables[0].rows[0].cells[0].text
    assert header.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ BẮC NINH"]
    first = PdfReader(BytesIO(render_pdf(plan_document(issued)))).pages[0].extract_text()
    assert "ỦY BAN NHÂN DÂN" in first
    assert "UBND" not in first.split("CỘNG HÒA")[0]
