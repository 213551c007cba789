"""A question bank typed in Word (.docx) imports like the spreadsheet: "Câu 1:", "1." before a
question, "A." "b)" "C/" before options (one per paragraph or several on a line), the answer
on a "Đáp án: B" line or marked on the right option (bold, underlined, highlighted, red, "*"),
two to four options, and a table with the spreadsheet's columns. Every question is checked
first; errors name the question ("Câu 5"), nothing is stored; an old .doc is refused in
Vietnamese. Built with python-docx, imported through the service and the upload page."""

import io
import unicodedata
import zipfile
from io import StringIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.shared import RGBColor
from openpyxl import load_workbook

from tests.conftest import verified_client
from tests.factories.sheets import tcvn3
from tests.factories.words import oversized_docx
from thidua.contests import services
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document(*paragraphs, table=None) -> bytes:
    """A .docx: each paragraph a string, or a list of (text, format) runs; format is "" or
    one of bold, underline, highlight, red."""
    d = docx.Document()
    for paragraph in paragraphs:
        p = d.add_paragraph()
        for text, fmt in [(paragraph, "")] if isinstance(paragraph, str) else paragraph:
            run = p.add_run(text)
            run.bold = fmt == "bold" or None
            run.underline = fmt == "underline" or None
            if fmt == "highlight":
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if fmt == "red":
                run.font.color.rgb = RGBColor(0xFF, 0, 0)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.rows[r].cells[c].text = value
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def word_import(organiser, contest, data: bytes, name: str = "ngan-hang.docx"):
    return services.question_import(
        actor=organiser, contest=contest, upload=SimpleUploadedFile(name, data), filename=name
    )


def stored(contest) -> list[tuple[str, list[tuple[str, str]], str]]:
    return [(q.stem, q.options, q.correct) for q in contest.questions.order_by("id")]


def test_questions_on_their_own_paragraphs_with_an_answer_line(organiser, contest):
    data = document(
        "ĐỀ THI TÌM HIỂU LỊCH SỬ ĐẢNG BỘ TỈNH BẮC NINH",
        "(Thời gian làm bài: 30 phút)",
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910",
        "B. 1912",
        "C. 1930",
        "D. 1945",
        "Đáp án: B",
        "Câu hỏi 2. Chi bộ Đảng đầu tiên của tỉnh",
        "được thành lập ở đâu?",
        "a) Kinh Bắc",
        "b) Từ Sơn",
        "c) Tiên Du",
        "Đáp án đúng: c",
        "3. Làng Quan họ gốc có bao nhiêu làng?",
        "A/ 49",
        "B/ 44",
        "ĐA: A",
        "Câu 4. Sự kiện nào diễn ra năm 1.945?",
        "A. Cách mạng tháng Tám",
        "B. Chiến thắng Điện Biên Phủ",
        "Đáp án: A. Cách mạng tháng Tám",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (4, [])
    assert stored(contest) == [
        ("Đồng chí Nguyễn Văn Cừ sinh năm nào?",
         [("A", "1910"), ("B", "1912"), ("C", "1930"), ("D", "1945")], "B"),
        ("Chi bộ Đảng đầu tiên của tỉnh được thành lập ở đâu?",
         [("A", "Kinh Bắc"), ("B", "Từ Sơn"), ("C", "Tiên Du")], "C"),
        ("Làng Quan họ gốc có bao nhiêu làng?", [("A", "49"), ("B", "44")], "A"),
        ("Sự kiện nào diễn ra năm 1.945?",
         [("A", "Cách mạng tháng Tám"), ("B", "Chiến thắng Điện Biên Phủ")], "A"),
    ]  # fmt: skip
    log = ActionLog.objects.get(action="contests.questions.imported")
    assert (log.data["filename"], log.data["count"]) == ("ngan-hang.docx", 4)


def test_several_options_on_one_line_separated_by_tabs_or_spaces(organiser, contest):
    data = document(
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910\tB. 1912\tC. 1930\tD. 1945",
        "Đáp án: B",
        "Câu 2: Bắc Ninh tái lập năm nào?",
        "A. 1996    B. 1997",
        "C. 1998    D. 1999",
        "Đáp án: B",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (2, [])
    assert [q[1] for q in stored(contest)] == [
        [("A", "1910"), ("B", "1912"), ("C", "1930"), ("D", "1945")],
        [("A", "1996"), ("B", "1997"), ("C", "1998"), ("D", "1999")],
    ]


@pytest.mark.parametrize("fmt", ["bold", "underline", "highlight", "red"])
def test_the_right_option_marked_is_the_answer(organiser, contest, fmt):
    data = document(
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910",
        [("B. 1912", fmt)],
        "C. 1930",
        "Câu 2: Bắc Ninh tái lập năm nào?",
        [("A. 1996\t", ""), ("B. 1997", fmt), ("\tC. 1998", "")],
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (2, [])
    assert [q[2] for q in stored(contest)] == ["B", "B"]


def test_a_starred_option_is_the_answer_and_the_star_is_not_kept(organiser, contest):
    data = document(
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910",
        "*B. 1912",
        "Câu 2: Thủ đô của Việt Nam?",
        "A. Huế  B. Hà Nội*  C. Đà Nẵng",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (2, [])
    assert stored(contest) == [
        ("Đồng chí Nguyễn Văn Cừ sinh năm nào?", [("A", "1910"), ("B", "1912")], "B"),
        ("Thủ đô của Việt Nam?", [("A", "Huế"), ("B", "Hà Nội"), ("C", "Đà Nẵng")], "B"),
    ]


def test_true_false_and_mixed_diacritics(organiser, contest):
    decomposed = unicodedata.normalize("NFD", "Câu 1: Bắc Ninh là quê hương dân ca Quan họ.")
    data = document(
        decomposed,
        "A. Đúng\tB. Sai",
        "ĐÁP ÁN: A",
        "câu 2: Hội Lim được tổ chức vào tháng Tám.",
        "a. Đúng",
        "b. Sai",
        "đáp án đúng: Sai",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (2, [])
    assert stored(contest) == [
        ("Bắc Ninh là quê hương dân ca Quan họ.", [("A", "Đúng"), ("B", "Sai")], "A"),
        ("Hội Lim được tổ chức vào tháng Tám.", [("A", "Đúng"), ("B", "Sai")], "B"),
    ]


def test_options_naming_others_keep_their_order_as_the_spreadsheet_does(organiser, contest):
    data = document(
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910  B. 1912",
        "Đáp án: B",
        "Câu 2: Quan họ Bắc Ninh được UNESCO ghi danh là gì?",
        "A. Di sản văn hóa phi vật thể",
        "B. Di sản đại diện của nhân loại",
        "C. Cả A và B",
        "Đáp án: C",
    )
    notes: list[str] = []
    created, errors = services.question_import(
        actor=organiser, contest=contest, upload=io.BytesIO(data), filename="q.docx", notes=notes
    )
    assert (created, errors) == (2, [])
    assert [q.keeps_order for q in contest.questions.order_by("id")] == [False, True]
    assert len(notes) == 1
    assert notes[0].endswith("(câu 2).")
    log = ActionLog.objects.get(action="contests.questions.imported")
    assert log.data["kept_order"] == [2]


def test_a_table_is_read_through_the_spreadsheet_columns(organiser, contest):
    data = document(
        "NGÂN HÀNG CÂU HỎI",
        table=[
            ["STT", "Nội dung câu hỏi", "Phương án A", "Phương án B", "PA C", "Lựa chọn D",
             "Đáp án đúng", "Mức độ"],
            ["1", "Thủ đô của Việt Nam?", "Hà Nội", "Huế", "", "", "A", "Nhận biết"],
            ["2", "Bắc Ninh tái lập năm nào?", "1996", "1997", "1998", "", "1997", "Vận dụng"],
        ],
    )  # fmt: skip
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (2, [])
    assert [(q.stem, q.letters, q.correct, q.difficulty) for q in contest.questions.order_by("id")] == [
        ("Thủ đô của Việt Nam?", "AB", "A", "easy"),
        ("Bắc Ninh tái lập năm nào?", "ABC", "B", "hard"),
    ]  # fmt: skip


def test_a_broken_bank_names_each_question_and_stores_nothing(organiser, contest):
    data = document(
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910  B. 1912",
        "Đáp án: B",
        "Câu 2: Câu này quên ghi đáp án?",
        "A. Có",
        "B. Không",
        "Câu 3: Phương án sai thứ tự?",
        "A. Một",
        "C. Hai",
        "B. Ba",
        "Đáp án: A",
        "Câu 4: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910  B. 1912",
        "Đáp án: A",
        "Câu 5: Đáp án không có?",
        "A. Một  B. Hai",
        "Đáp án: D",
        "Câu 6: Chỉ một phương án?",
        "A. Một",
        "Đáp án: A",
    )
    created, errors = word_import(organiser, contest, data)
    assert created == 0
    assert contest.questions.count() == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (2, "Đáp án", "Không tìm thấy đáp án (ghi “Đáp án: …” hoặc tô đậm/gạch chân phương án "
         "đúng)."),
        (3, "Phương án", "Các phương án ghi theo thứ tự A, C, B: phải là A, B, C (mỗi chữ cái "
         "một lần, theo thứ tự)."),
        (4, "Câu hỏi", "Trùng câu hỏi ở câu 1."),
        (5, "Đáp án", "Đáp án là D nhưng phương án D để trống."),
        (6, "Phương án B", "Không được để trống."),
    ]  # fmt: skip
    assert not ActionLog.objects.filter(action="contests.questions.imported").exists()


def test_an_empty_document_and_an_old_doc_are_refused_in_vietnamese(organiser, contest):
    created, errors = word_import(organiser, contest, document("Đề thi", "Chưa có câu hỏi."))
    assert created == 0
    assert errors[0].message.startswith("Không tìm thấy câu hỏi nào trong tệp Word.")
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    created, errors = word_import(organiser, contest, old, "de-thi.doc")
    assert created == 0
    assert "Hãy lưu tệp dưới dạng .docx" in errors[0].message


# --- through the upload page ---------------------------------------------------------------


def post(organiser, contest, data: bytes, name: str = "ngan-hang.docx", client=None):
    client = client or verified_client(organiser)
    upload = SimpleUploadedFile(name, data, content_type=DOCX_TYPE)
    url = reverse("contests:contest-detail", args=[contest.pk])
    return client.post(url, {"file": upload}, follow=True)


def test_a_word_bank_uploads_on_the_contest_page(organiser, contest):
    data = document(
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910\tB. 1912\tC. 1930\tD. 1945",
        "Đáp án: B",
        "Câu 2: Bắc Ninh là quê hương dân ca Quan họ.",
        [("A. Đúng", "bold")],
        "B. Sai",
    )
    page = post(organiser, contest, data)
    assert "Đã nhập 2 câu hỏi vào ngân hàng." in page.content.decode()
    assert [(q[0], q[2]) for q in stored(contest)] == [
        ("Đồng chí Nguyễn Văn Cừ sinh năm nào?", "B"),
        ("Bắc Ninh là quê hương dân ca Quan họ.", "A"),
    ]


def test_the_page_lists_a_word_banks_errors_by_question(organiser, contest):
    data = document(
        "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "A. 1910  B. 1912",
        "Đáp án: B",
        "Câu 2: Câu này quên ghi đáp án?",
        "A. Có",
        "B. Không",
    )
    client = verified_client(organiser)
    text = post(organiser, contest, data, client=client).content.decode()
    assert "Tệp có 1 lỗi" in text
    assert "Câu 2, cột “Đáp án”: Không tìm thấy đáp án" in text
    assert contest.questions.count() == 0
    report = client.get(reverse("contests:import-errors", args=[contest.pk]))
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [c.value for c in sheet[1]][:2] == ["Câu", "Cột"]
    assert [c.value for c in sheet[2]][:2] == [2, "Đáp án"]


def test_the_page_refuses_an_old_doc_and_a_docx_with_macros(organiser, contest):
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    text = post(organiser, contest, old, "de-thi.doc").content.decode()
    assert "Hãy lưu tệp dưới dạng .docx" in text
    good = document("Câu 1: Thủ đô?", "A. Hà Nội  B. Huế", "Đáp án: A")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/vbaProject.bin", b"macro")
    text = post(organiser, contest, out.getvalue()).content.decode()
    assert "chứa macro nên không được phép" in text
    assert contest.questions.count() == 0


def test_questions_numbered_by_word_itself(organiser, contest):
    """Word's own numbered list draws "1.", "2." (not in the text): each item is a question."""
    d = docx.Document()
    d.add_paragraph("Đồng chí Nguyễn Văn Cừ sinh năm nào?", style="List Number")
    d.add_paragraph("A. 1910\tB. 1912")
    d.add_paragraph("Đáp án: B")
    d.add_paragraph("Bắc Ninh tái lập năm nào?", style="List Number")
    d.add_paragraph("A. 1996\tB. 1997")
    d.add_paragraph("Đáp án: B")
    out = io.BytesIO()
    d.save(out)
    created, errors = word_import(organiser, contest, out.getvalue())
    assert (created, errors) == (2, [])
    assert [q[0] for q in stored(contest)] == [
        "Đồng chí Nguyễn Văn Cừ sinh năm nào?",
        "Bắc Ninh tái lập năm nào?",
    ]


def test_the_dry_run_command_checks_a_word_bank_by_question(tmp_path):
    path = tmp_path / "ngan-hang.docx"
    path.write_bytes(
        document(
            "Câu 1: Thủ đô?",
            "A. Hà Nội  B. Huế",
            "Đáp án: A",
            "Câu 2: Quên đáp án?",
            "A. Có  B. Không",
        )
    )
    out = StringIO()
    call_command("import_questions", str(path), "--dry-run", stdout=out)
    assert "Số dòng: 2, hợp lệ: 1" in out.getvalue()
    assert "Câu 2: Đáp án: Không tìm thấy đáp án" in out.getvalue()


# --- text Word keeps outside plain runs, notes under a question, common layouts -------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def saved(d) -> bytes:
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def xml_paragraph(d, inner: str) -> None:
    """A paragraph written as raw WordprocessingML (links, tracked insertions, fields)."""
    d.element.body.insert(
        len(d.element.body) - 1,  # before the section properties
        parse_xml(f'<w:p xmlns:w="{W}" xmlns:r="{R}">{inner}</w:p>'),
    )


def test_text_in_links_insertions_fields_and_content_controls_is_read(organiser, contest):
    d = docx.Document()
    xml_paragraph(
        d,
        '<w:r><w:t xml:space="preserve">Câu 1: Theo </w:t></w:r>'
        '<w:hyperlink r:id="rIdX"><w:r><w:t>Luật Thi đua, khen thưởng</w:t></w:r></w:hyperlink>'
        '<w:r><w:t xml:space="preserve"> năm 2022, danh hiệu nào cao nhất?</w:t></w:r>',
    )
    d.add_paragraph("A. Huân chương Sao vàng")
    xml_paragraph(
        d,
        "<w:r><w:t>B. 19</w:t></w:r>"
        '<w:ins w:id="1" w:author="A" w:date="2026-12-01T00:00:00Z"><w:r><w:rPr><w:b/></w:rPr>'
        "<w:t>45</w:t></w:r></w:ins>",
    )
    xml_paragraph(
        d,
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD x '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>Đáp án: A</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    d.element.body.insert(
        len(d.element.body) - 1,
        parse_xml(
            f'<w:sdt xmlns:w="{W}"><w:sdtContent>'
            "<w:p><w:r><w:t>Câu 2: Bắc Ninh tái lập năm nào?</w:t></w:r></w:p>"
            '<w:p><w:sdt><w:sdtContent><w:r><w:t xml:space="preserve">A. 1996  </w:t></w:r>'
            "</w:sdtContent></w:sdt><w:r><w:t>B. 1997</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>Đáp án: B</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    created, errors = word_import(organiser, contest, saved(d))
    assert (created, errors) == (2, [])
    assert stored(contest) == [
        ("Theo Luật Thi đua, khen thưởng năm 2022, danh hiệu nào cao nhất?",
         [("A", "Huân chương Sao vàng"), ("B", "1945")], "A"),
        ("Bắc Ninh tái lập năm nào?", [("A", "1996"), ("B", "1997")], "B"),
    ]  # fmt: skip


def test_an_option_marked_inside_a_tracked_insertion_is_the_answer(organiser, contest):
    d = docx.Document()
    d.add_paragraph("Câu 1: Cách mạng tháng Tám thành công năm nào?")
    d.add_paragraph("A. 1930")
    xml_paragraph(
        d,
        '<w:ins w:id="1" w:author="A" w:date="2026-12-01T00:00:00Z"><w:r><w:rPr><w:b/></w:rPr>'
        "<w:t>B. 1945</w:t></w:r></w:ins>",
    )
    created, errors = word_import(organiser, contest, saved(d))
    assert (created, errors) == (1, [])
    assert stored(contest)[0][1:] == ([("A", "1930"), ("B", "1945")], "B")


def test_notes_under_a_question_go_to_its_source_not_to_an_option(organiser, contest):
    data = document(
        "Câu 1: Luật Thi đua, khen thưởng hiện hành được ban hành năm nào?",
        "A. 2003",
        "B. 2013",
        "C. 2022",
        "D. 2018",
        "Đáp án: C",
        "Căn cứ: Luật số 06/2022/QH15 ngày 15/6/2022.",
        "Câu 2: Nghị định 98/2023/NĐ-CP quy định chi tiết Luật Thi đua, khen thưởng.",
        "A. Đúng",
        "B. Sai",
        "NGUON: Điều 3 Nghị định 98/2023/NĐ-CP",
        "Đáp án: A",
        "Câu 3: Giấy khen do ai tặng?",
        "A. Chủ tịch UBND cấp xã",
        "B. Thủ tướng",
        "Đáp án: A",
        "Giải thích: theo Điều 75 Luật Thi đua, khen thưởng",
        "nên phương án A đúng.",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (3, [])
    questions = list(contest.questions.order_by("id"))
    assert [q.options for q in questions] == [
        [("A", "2003"), ("B", "2013"), ("C", "2022"), ("D", "2018")],
        [("A", "Đúng"), ("B", "Sai")],
        [("A", "Chủ tịch UBND cấp xã"), ("B", "Thủ tướng")],
    ]
    assert [q.source for q in questions] == [
        "Căn cứ: Luật số 06/2022/QH15 ngày 15/6/2022.",
        "Điều 3 Nghị định 98/2023/NĐ-CP",
        # the explanation's next paragraph goes on with it, not lost
        "Giải thích: theo Điều 75 Luật Thi đua, khen thưởng nên phương án A đúng.",
    ]


def test_a_fifth_option_is_refused_on_the_questions_typed_number(organiser, contest):
    data = document(
        "Câu 11: Bắc Ninh tái lập năm nào?",
        "A. 1996  B. 1997",
        "Đáp án: B",
        "Câu 12: Có bao nhiêu làng Quan họ gốc?",
        "A. 44",
        "B. 49",
        "C. 50",
        "D. 51",
        "E. 52",
        "Đáp án: B",
    )
    created, errors = word_import(organiser, contest, data)
    assert created == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (12, "Phương án", "Có quá 4 phương án (E.)."),
    ]


def test_numbered_statements_in_a_question_one_paragraph_and_one_line_options(organiser, contest):
    d = docx.Document()
    d.add_paragraph("Câu 1: Cho các nhận định sau:")
    d.add_paragraph("1. Bắc Ninh tái lập năm 1997.")
    d.add_paragraph("2. Bắc Ninh có 49 làng Quan họ gốc.")
    d.add_paragraph("Có bao nhiêu nhận định đúng?")
    d.add_paragraph("A. 0  B. 1  C. 2  D. 3")
    d.add_paragraph("Đáp án: D")
    p = d.add_paragraph()
    for i, text in enumerate(
        ["Câu 2: Bắc Ninh là quê hương của Quan họ.", "A. Đúng B. Sai", "Đáp án: A"]
    ):
        run = p.add_run(text)
        if i < 2:
            run.add_break()
    d.add_paragraph("Câu 3: Vitamin nào tan trong dầu?")
    d.add_paragraph("A. Vitamin B. Vitamin A và D")
    d.add_paragraph("B. Vitamin C")
    d.add_paragraph("Đáp án: A")
    created, errors = word_import(organiser, contest, saved(d))
    assert (created, errors) == (3, [])
    assert stored(contest) == [
        ("Cho các nhận định sau: 1. Bắc Ninh tái lập năm 1997. 2. Bắc Ninh có 49 làng Quan họ "
         "gốc. Có bao nhiêu nhận định đúng?",
         [("A", "0"), ("B", "1"), ("C", "2"), ("D", "3")], "D"),
        ("Bắc Ninh là quê hương của Quan họ.", [("A", "Đúng"), ("B", "Sai")], "A"),
        ("Vitamin nào tan trong dầu?", [("A", "Vitamin B. Vitamin A và D"), ("B", "Vitamin C")],
         "A"),
    ]  # fmt: skip


def test_a_table_cells_links_and_insertions_are_read(organiser, contest):
    d = docx.Document(io.BytesIO(
        document(table=[["Câu hỏi", "A", "B", "Đáp án"], ["Theo luật năm nào?", "1996", "", "B"]])
    ))  # fmt: skip
    cell = d.tables[0].rows[1].cells[2]
    cell._tc.remove(cell._tc.findall(f"{{{W}}}p")[0])
    cell._tc.append(
        parse_xml(
            f'<w:p xmlns:w="{W}" xmlns:r="{R}"><w:r><w:t>19</w:t></w:r>'
            '<w:ins w:id="1" w:author="A" w:date="2026-12-01T00:00:00Z"><w:r><w:t>97</w:t></w:r>'
            "</w:ins></w:p>"
        )
    )
    created, errors = word_import(organiser, contest, saved(d))
    assert (created, errors) == (1, [])
    assert stored(contest)[0][1] == [("A", "1996"), ("B", "1997")]


def test_an_answer_typed_above_the_options_still_reads_them(organiser, contest):
    data = document(
        "Câu 1: Bắc Ninh tái lập năm nào?",
        "Đáp án: B",
        "A. 1996",
        "B. 1997",
        "Ghi chú: câu dễ",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (1, [])
    assert stored(contest)[0][1:] == ([("A", "1996"), ("B", "1997")], "B")
    assert contest.questions.get().source == "Ghi chú: câu dễ"


# --- typed in an old Vietnamese font ----------------------------------------------------------


def font_document(*paragraphs, font: str, table=None) -> bytes:
    """document(), every run set in `font` (as Word stores text typed in ".VnTime")."""
    d = docx.Document(io.BytesIO(document(*paragraphs, table=table)))
    for run in d.element.body.iter(f"{{{W}}}r"):
        docx.text.run.Run(run, None).font.name = font
    return saved(d)


ADVICE = (
    "Hãy chuyển tệp sang bảng mã Unicode (Unikey: Công cụ chuyển mã, Ctrl+Shift+F6, bảng mã "
    "nguồn TCVN3 (ABC) hoặc VNI Windows, bảng mã đích Unicode), lưu lại rồi tải lên lại."
)


def old_font_refusal(example: str) -> str:
    return (
        "Chữ tiếng Việt trong tệp được gõ bằng bảng mã cũ (TCVN3/ABC, phông “.VnTime”, hoặc "
        f"VNI) nên sẽ bị lưu sai, ví dụ{example}. {ADVICE}"
    )


OLD_FONT_BANKS = {
    # typed in ".VnTime" throughout: "Câu 1:" reads "C©u 1:", so no question is even found
    "tcvn3": (
        lambda: font_document(
            *map(
                tcvn3,
                [
                    "Câu 1: Thủ đô của nước ta là thành phố nào?",
                    "A. Hà Nội",
                    "B. Huế",
                    "Đáp án: A",
                    "Câu 2: Tỉnh Bắc Ninh được tái lập năm nào?",
                    "A. 1996",
                    "B. 1997",
                    "Đáp án: B",
                ],
            ),
            font=".VnTime",
        ),
        ": “" + tcvn3("Câu 1: Thủ đô của nước ta là thành phố nào?")[:40] + "…”",
    ),
    # a Unicode bank whose second question's options were pasted from an old file
    "tcvn3-options": (
        lambda: document(
            "Câu 1: Đồng chí Nguyễn Văn Cừ sinh năm nào?",
            "A. 1910  B. 1912",
            "Đáp án: B",
            "Câu 2: Dân ca Quan họ được UNESCO ghi danh ở đâu?",
            tcvn3("A. Tại thành phố Abu Dhabi"),
            tcvn3("B. Tại thủ đô Hà Nội"),
            "Đáp án: A",
        ),
        " câu 2: “" + tcvn3("A. Tại thành phố Abu Dhabi") + "”",
    ),
    # a table whose second row's cells are VNI ("VNI-Times")
    "vni-table": (
        lambda: document(
            "NGÂN HÀNG CÂU HỎI",
            table=[
                ["STT", "Câu hỏi", "Phương án A", "Phương án B", "Đáp án"],
                ["1", "Thủ đô của Việt Nam?", "Hà Nội", "Huế", "A"],
                ["2", "Thuû ñoâ cuûa nöôùc ta?", "Haø Noäi", "Phoøng Noäi vuï", "A"],
            ],
        ),
        " câu 2: “Thuû ñoâ cuûa nöôùc ta?”",
    ),
    # a one-question bank in ".VnTime": one old-font letter, and the font's name in its runs
    "short-vntime": (
        lambda: font_document(
            tcvn3("1. Tỉnh Bắc Ninh có mấy huyện?"),
            "A. 6",
            [("B. 8", "bold")],
            font=".VnTime",
        ),
        " câu 1: “" + tcvn3("Tỉnh Bắc Ninh có mấy huyện?") + "”",
    ),
}


@pytest.mark.parametrize("kind", OLD_FONT_BANKS)
def test_a_bank_typed_in_an_old_vietnamese_font_is_refused_naming_the_question(
    organiser, contest, kind
):
    """Read as it is, every question would be saved garbled ("Thñ ®« cña n­íc ta"): refused,
    naming the question (or quoting the text when no question could be read) and how to
    convert the file; nothing is stored."""
    make, example = OLD_FONT_BANKS[kind]
    created, errors = word_import(organiser, contest, make())
    assert created == 0
    assert [(e.row, e.column, e.message) for e in errors] == [(0, "", old_font_refusal(example))]
    assert contest.questions.count() == 0
    assert not ActionLog.objects.filter(action="contests.questions.imported").exists()


@pytest.mark.parametrize("font", [None, ".VnTime", "VNI-Times"])
def test_a_unicode_bank_with_stray_symbols_still_imports(organiser, contest, font):
    """A brand's "®", a measure in "µm", a French name: no old font, even in runs still set
    in ".VnTime" (a file converted to Unicode with Unikey keeps its fonts)."""
    paragraphs = [
        "Câu 1: Sản phẩm nào mang nhãn hiệu Samsung® được trao giải?",
        "A. Màn hình 5 µm  B. Máy đo 10 µm",
        "Đáp án: A",
        "Câu 2: Ông Noël Dupont là chuyên gia của hãng nào?",
        "A. Citroën©  B. Peugeot",
        "Đáp án: A",
    ]
    data = font_document(*paragraphs, font=font) if font else document(*paragraphs)
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (2, [])
    assert [q[0] for q in stored(contest)] == [
        "Sản phẩm nào mang nhãn hiệu Samsung® được trao giải?",
        "Ông Noël Dupont là chuyên gia của hãng nào?",
    ]


def test_the_page_refuses_an_old_font_bank_with_how_to_convert_it(organiser, contest):
    make, example = OLD_FONT_BANKS["tcvn3-options"]
    response = post(organiser, contest, make())
    assert response.status_code == 200
    page = response.content.decode()
    assert old_font_refusal(example) in page
    assert contest.questions.count() == 0


def test_the_dry_run_command_refuses_an_old_font_bank(tmp_path):
    path = tmp_path / "ngan-hang.docx"
    path.write_bytes(OLD_FONT_BANKS["tcvn3"][0]())
    out = StringIO()
    call_command("import_questions", str(path), "--dry-run", stdout=out)
    assert "bảng mã cũ (TCVN3/ABC" in out.getvalue()


def test_the_page_refuses_a_word_bank_too_large_to_read(organiser, contest):
    """Text that unpacks to more than 20 MB is refused before python-docx reads it
    (docs/security.md R29)."""
    text = post(organiser, contest, oversized_docx(21)).content.decode()
    assert "Tệp “ngan-hang.docx” có nội dung quá lớn để đọc" in text
    assert contest.questions.count() == 0


# --- explanations typed without their label ---------------------------------------------------


def test_an_unlabelled_paragraph_after_the_last_option_is_never_glued_to_it(organiser, contest):
    """The right option marked in bold, then an explanation without "Giải thích:": it was read
    as more of option D. The question is refused naming the paragraph and both readings;
    a line break inside option D's own paragraph still goes on with D."""
    data = document(
        "Câu 1: Danh hiệu nào được xét tặng hằng năm?",
        [("A. Chiến sĩ thi đua cơ sở", "bold")],
        "B. Huân chương Lao động",
        "C. Anh hùng Lao động",
        "D. Bằng khen của Thủ tướng Chính phủ",
        "Vì danh hiệu Chiến sĩ thi đua cơ sở được xét mỗi năm.",
        "Câu 2: Bắc Ninh tái lập năm nào?",
        "A. 1996",
        [("B. 1997", "underline")],
        "C. 2000\nhoặc muộn hơn",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, contest.questions.count()) == (0, 0)
    assert [(e.row, e.column) for e in errors] == [(1, "Giải thích")]
    assert errors[0].message == (
        "Đoạn “Vì danh hiệu Chiến sĩ thi đua cơ sở được xét mỗi năm.” sau phương án D không ghi "
        "nhãn nên không rõ là phần tiếp của phương án D hay lời giải thích. Nếu là lời giải "
        "thích, ghi “Giải thích:” ở đầu đoạn; nếu là phương án D, gõ liền vào đoạn của phương "
        "án D (xuống dòng bằng Shift+Enter)."
    )


def test_an_unlabelled_paragraph_after_the_answer_line_is_named_not_dropped(organiser, contest):
    data = document(
        "BỘ CÂU HỎI",
        "Câu 1. Thủ đô của Việt Nam là?",
        "a) Hà Nội",
        "b) Huế",
        "Đáp án: A",
        "Hà Nội là thủ đô từ năm 1010.",
        "PHẦN II. ĐỊA LÝ",
        "Câu 2. Bắc Ninh thuộc vùng nào?",
        "a) Tây Bắc",
        "b) Đồng bằng sông Hồng",
        "Đáp án: B",
    )
    created, errors = word_import(organiser, contest, data)
    assert created == 0
    assert [(e.row, e.column, e.message) for e in errors] == [
        (
            1,
            "Giải thích",
            "Đoạn “Hà Nội là thủ đô từ năm 1010.” sau dòng đáp án không ghi nhãn nên chưa nhập "
            "được. Nếu là lời giải thích của câu này, ghi “Giải thích:” ở đầu đoạn; nếu không "
            "cần, xóa đoạn đó.",
        )
    ]  # the section's heading above Câu 2 is no question's text
    labelled = document(
        "Câu 1. Thủ đô của Việt Nam là?",
        "a) Hà Nội",
        "b) Huế",
        "Đáp án: A",
        "Giải thích: Hà Nội là thủ đô từ năm 1010.",
        "Câu 2. Bắc Ninh thuộc vùng nào?",
        "a) Tây Bắc",
        "b) Đồng bằng sông Hồng",
        "Đáp án: B",
    )
    assert word_import(organiser, contest, labelled) == (2, [])
    assert [q.source for q in contest.questions.order_by("id")] == [
        "Giải thích: Hà Nội là thủ đô từ năm 1010.",
        "",
    ]


def test_an_explanation_too_long_to_keep_is_named_not_dropped(organiser, contest):
    """The "Nguồn" column holds 255 characters: an explanation going on over two paragraphs
    past that is reported on its question, not left out of the bank without a word."""
    first = "Giải thích: theo Điều 75 Luật Thi đua, khen thưởng năm 2022, " + "x" * 150
    data = document(
        "Câu 1: Giấy khen do ai tặng?",
        "A. Chủ tịch UBND cấp xã",
        "B. Thủ tướng",
        "Đáp án: A",
        first,
        "và khoản 2 Điều 80 " + "y" * 100,
    )
    created, errors = word_import(organiser, contest, data)
    assert created == 0
    assert [(e.row, e.column) for e in errors] == [(1, "Giải thích")]
    assert errors[0].message == (
        "Đoạn “Giải thích: theo Điều 75 Luật Thi đua, khen thưởng năm 2022,…” không lưu được: "
        "ghi chú, giải thích của một câu hỏi (cột Nguồn) dài tối đa 255 ký tự; hãy rút gọn."
    )


def test_a_section_heading_is_skipped_but_an_explanation_beginning_like_one_is_not(
    organiser, contest
):
    """ "Chủ đề 2: …" between questions is no question's text (after a note as after an
    answer); "Phần lớn …" under an answer is an explanation without its label, reported."""
    lines = [
        "Câu 1. Thủ đô của Việt Nam là?",
        "a) Hà Nội",
        "b) Huế",
        "Đáp án: A",
        "Giải thích: Hà Nội là thủ đô từ năm 1010.",
        "Chủ đề 2: Địa lý",
        "Câu 2. Bắc Ninh thuộc vùng nào?",
        "a) Tây Bắc",
        "b) Đồng bằng sông Hồng",
        "Đáp án: B",
    ]
    created, errors = word_import(
        organiser, contest, document(*lines, "Phần lớn diện tích tỉnh là đồng bằng.")
    )
    assert created == 0
    assert [e.row for e in errors] == [2]
    assert errors[0].message.startswith(
        "Đoạn “Phần lớn diện tích tỉnh là đồng bằng.” sau dòng đáp án không ghi nhãn"
    )
    assert word_import(organiser, contest, document(*lines)) == (2, [])
    assert contest.questions.order_by("id").first().source == (
        "Giải thích: Hà Nội là thủ đô từ năm 1010."
    )


# --- section headings and notes going on (review) ----------------------------------------------


def test_a_section_heading_after_a_bank_marked_in_bold_ends_the_question_with_its_instructions(
    organiser, contest
):
    """The right option in bold (no "Đáp án" line), then "PHẦN II. …" and its instruction line
    before the next question: both are the section's, not an unlabelled paragraph of question
    1 (which was refused for them)."""
    for heading in ("PHẦN II. LỊCH SỬ ĐỊA PHƯƠNG", "Phần II. Lịch sử địa phương (10 câu)"):
        contest.questions.all().delete()
        data = document(
            "Câu 1: Thủ đô của Việt Nam là?",
            "A. Hà Nội",
            [("B. Huế", "bold")],
            "C. Đà Nẵng",
            "D. Vinh",
            heading,
            "Chọn phương án đúng nhất cho mỗi câu sau:",
            "Câu 2: Bắc Ninh tái lập năm nào?",
            "A. 1996",
            [("B. 1997", "bold")],
            "C. 2000",
            "D. 2008",
        )
        created, errors = word_import(organiser, contest, data)
        assert (created, errors) == (2, []), heading
        assert [q.correct for q in contest.questions.order_by("id")] == ["B", "B"]


def test_a_note_going_on_in_capitals_is_kept_whole(organiser, contest):
    """ "Căn cứ:" and, on the next paragraph, the law's name in capitals: the law is the note's,
    not a section heading dropped without a word."""
    data = document(
        "Câu 1: Luật Thi đua, khen thưởng hiện hành được Quốc hội thông qua năm nào?",
        "A. 2003",
        "B. 2013",
        "C. 2022",
        "D. 2024",
        "Đáp án: C",
        "Căn cứ:",
        "LUẬT THI ĐUA, KHEN THƯỞNG NĂM 2022",
        "Câu 2: Bắc Ninh tái lập năm nào?",
        "A. 1996",
        "B. 1997",
        "Đáp án: B",
    )
    created, errors = word_import(organiser, contest, data)
    assert (created, errors) == (2, [])
    first = contest.questions.order_by("id").first()
    assert "LUẬT THI ĐUA, KHEN THƯỞNG NĂM 2022" in first.source
