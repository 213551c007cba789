"""Plans as offices save them in Word: headings numbered by Word itself (the "I.", "1." are not
in the text), tracked changes not yet accepted, the number in a text box, content controls of
a template; and files that are no plan at all (a ZIP bomb, an old .doc, a damaged file)."""

import io
import unicodedata
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from docx.oxml import parse_xml

from tests.factories.damage import damaged
from tests.factories.sheets import tcvn3
from tests.factories.words import oversized_docx
from thidua.campaigns.forms import MAX_DOCX_BYTES
from thidua.campaigns.models import Campaign
from thidua.campaigns.parsing import parse_plan, text_from_docx
from thidua.campaigns.review import plan_proposal, plan_text

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
NUM_ID = 90


def _with_numbering(document):
    """A multi-level list as Word makes it: I. / 1. / bullet."""
    root = document.part.numbering_part.element
    root.insert(
        0,
        parse_xml(
            f'<w:abstractNum {NS} w:abstractNumId="{NUM_ID}">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
            '<w:lvlText w:val="%1."/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="%2."/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="%3)"/></w:lvl>'
            '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            '<w:lvlText w:val="\uf0b7"/></w:lvl>'
            "</w:abstractNum>"
        ),
    )
    root.append(
        parse_xml(f'<w:num {NS} w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>')
    )


def _numbered(document, text, level):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = NUM_ID
    return paragraph


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _header(document):
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("PHƯỜNG ĐÔNG TIẾN")
    left.add_paragraph("Số: 142/KH-UBND")
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Đông Tiến, ngày 28 tháng 7 năm 2025")


def _table(document, rows: list[list[str]], typed=lambda value: value):
    """A table of `rows` (a header and its lines), each cell's text as `typed` gives it."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for cells, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = typed(value)
    return table


def numbered_plan() -> bytes:
    document = docx.Document()
    _with_numbering(document)
    _header(document)
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Tổ chức Hội thi tìm hiểu pháp luật năm 2025")
    _numbered(document, "MỤC ĐÍCH, YÊU CẦU", 0)
    _numbered(document, "Mục đích", 1)
    _numbered(document, "Tuyên truyền pháp luật đến Nhân dân.", 3)
    _numbered(document, "Yêu cầu", 1)
    _numbered(document, "Tổ chức thiết thực, tiết kiệm.", 3)
    _numbered(document, "TỔ CHỨC THỰC HIỆN", 0)
    _numbered(document, "Phòng Văn hóa - Xã hội", 1)
    _numbered(document, "Tham mưu ban hành Thể lệ.", 2)
    _numbered(document, "Tổng hợp kết quả.", 2)
    _numbered(document, "Văn phòng HĐND và UBND phường", 1)
    return _saved(document)


def test_words_own_numbering_is_read_as_the_office_sees_it():
    lines = [line for line in text_from_docx(numbered_plan()).split("\n") if line]
    assert lines[-10:] == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "- Tuyên truyền pháp luật đến Nhân dân.",
        "2. Yêu cầu",
        "- Tổ chức thiết thực, tiết kiệm.",
        "II. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Văn hóa - Xã hội",  # restarted under the new heading
        "a) Tham mưu ban hành Thể lệ.",
        "b) Tổng hợp kết quả.",
        "2. Văn phòng HĐND và UBND phường",
    ]
    plan = parse_plan(text_from_docx(numbered_plan()))
    assert [(s.label, [c.label for c in s.children]) for s in plan.sections] == [
        ("I", ["1", "2"]),
        ("II", ["1", "2"]),
    ]


def test_tracked_changes_read_as_accepted_and_text_boxes_and_content_controls_are_kept():
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    paragraph = document.add_paragraph("Thời gian: ")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {NS} w:id="1" w:author="A"><w:r><w:t xml:space="preserve">'
            "từ ngày 04/8/2025 </w:t></w:r></w:ins>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {NS} w:id="2" w:author="A"><w:r><w:delText xml:space="preserve">'
            "từ ngày 15/7/2025 </w:delText></w:r></w:del>"
        )
    )
    paragraph.add_run("đến ngày 31/8/2025.")
    box = document.add_paragraph()
    box._p.append(
        parse_xml(
            f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            "<wps:txbx><w:txbxContent><w:p><w:r><w:t>Số: 142/KH-UBND</w:t></w:r></w:p>"
            "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>"
            "<v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Số: 142/KH-UBND</w:t></w:r>"
            "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )
    )
    document.element.body.insert(
        len(document.element.body) - 1,  # before the section properties
        parse_xml(
            f"<w:sdt {NS}><w:sdtContent><w:p><w:r><w:t>Nơi nhận:</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        ),
    )
    link = document.add_paragraph("Xem ")
    link._p.append(
        parse_xml(
            f'<w:fldSimple {NS} w:instr="HYPERLINK"><w:r><w:t>Thể lệ</w:t></w:r></w:fldSimple>'
        )
    )
    lines = text_from_docx(_saved(document)).split("\n")
    assert lines == [
        "KẾ HOẠCH",
        "Thời gian: từ ngày 04/8/2025 đến ngày 31/8/2025.",
        "",
        "Số: 142/KH-UBND",  # once, though Word keeps a second copy for old readers
        "Nơi nhận:",
        "Xem Thể lệ",
    ]


def test_a_plain_plan_reads_as_before():
    document = docx.Document()
    _header(document)
    document.add_paragraph("I. MỤC ĐÍCH\tYÊU CẦU")
    run = document.add_paragraph().add_run("Dòng một")
    run.add_break()
    run.add_text("Dòng hai")
    data = _saved(document)
    assert text_from_docx(data).split("\n") == [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG ĐÔNG TIẾN",
        "Số: 142/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đông Tiến, ngày 28 tháng 7 năm 2025",
        "",
        "I. MỤC ĐÍCH\tYÊU CẦU",
        "Dòng một",
        "Dòng hai",
    ]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _word_members() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(numbered_plan())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            _zip({**_word_members(), "word/media/image1.png": b"\0" * (3 * 1024 * 1024)}),
            "bom nén",
            id="zip-bomb",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "Office cũ (.doc", id="old-doc"
        ),
        pytest.param(numbered_plan()[:3000], "không phải là tệp Word", id="truncated"),
        pytest.param(
            _zip({**_word_members(), "word/document.xml": b"<w:document><w:body>"}),
            "Không đọc được tệp Word",
            id="damaged-xml",
        ),
        pytest.param(b"", "rỗng", id="empty"),
    ],
)
def test_files_that_are_no_word_plan_are_refused_in_vietnamese(city, office_client, data, message):
    response = office_client.post(
        reverse("campaigns:campaign-import"),
        {"owner_unit": city.city.pk, "docx": SimpleUploadedFile("ke-hoach.docx", data)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_numbered_word_plan_reaches_the_review(city, office_client):
    response = office_client.post(
        reverse("campaigns:campaign-import"),
        {"owner_unit": city.city.pk, "docx": SimpleUploadedFile("ke-hoach.docx", numbered_plan())},
    )
    assert response.status_code == 200
    assert "142/KH-UBND" in response.content.decode()


def test_a_damaged_word_file_is_refused_or_read_never_a_crash():
    for data in damaged(numbered_plan(), 3):
        try:
            text = text_from_docx(data)
        except ValueError as exc:
            assert "không phải là tài liệu Word" in str(exc)  # noqa: PT017 - the reason shown
        else:
            parse_plan(text)


def old_font_plan() -> bytes:
    """A plan from an office that still types in ".VnTime" (TCVN3): Word shows Vietnamese only
    through the font; the file holds "KÕ ho¹ch", "Tæ chøc"."""
    document = docx.Document()
    for text in (
        "ỦY BAN NHÂN DÂN PHƯỜNG ĐÔNG TIẾN",
        "Số: 142/KH-UBND",
        "KẾ HOẠCH",
        "Tổ chức Hội thi tìm hiểu pháp luật năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Tuyên truyền pháp luật đến Nhân dân.",
    ):
        run = document.add_paragraph().add_run(tcvn3(text))
        run.font.name = ".VnTime"
    return _saved(document)


def old_font_heading_plan() -> bytes:
    """Unicode header lines, then the title typed in ".VnTimeH" as a Word heading (capitals
    drawn from the small letters' codes) and the body in ".VnTime"."""
    document = docx.Document()
    document.add_paragraph("Số: 142/KH-UBND")
    title = document.add_heading(level=1).add_run(
        tcvn3("kế hoạch tổ chức hội thi tìm hiểu pháp luật")
    )
    title.font.name = ".VnTimeH"
    body = document.add_paragraph().add_run(tcvn3("Tuyên truyền pháp luật đến Nhân dân."))
    body.font.name = ".VnTime"
    return _saved(document)


def vni_table_plan() -> bytes:
    """A Unicode plan whose task table was pasted from an old annex typed in "VNI-Times"."""
    document = docx.Document()
    for text in (
        "KẾ HOẠCH",
        "Tổ chức Hội thi tìm hiểu pháp luật năm 2025",
        "II. TỔ CHỨC THỰC HIỆN",
    ):
        document.add_paragraph(text)
    rows = [
        ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Thời gian hoàn thành"],
        ["1", "Hoäi thi tìm hieåu phaùp luaät", "Phoøng Noäi vuï", "Thaùng 5/2025"],
        ["2", "Ñaåy maïnh chuyeån ñoåi soá", "Phoøng Vaên hoùa", "Thaùng 6/2025"],
    ]
    _table(document, rows)
    return _saved(document)


def short_old_font_plan() -> bytes:
    """A two-line draft typed in ".VnTime": one old-font letter ("KÕ"), too few to tell from
    a stray symbol by the text alone; the font's name in its runs says what it is."""
    document = docx.Document()
    for text in ("KẾ HOẠCH", "Số: 15/KH-UBND"):
        document.add_paragraph().add_run(tcvn3(text)).font.name = ".VnTime"
    return _saved(document)


def _refusal(place: str) -> str:
    return (
        "Chữ tiếng Việt trong kế hoạch được gõ bằng bảng mã cũ (TCVN3/ABC, phông “.VnTime”, "
        f"hoặc VNI) nên sẽ bị lưu sai, ví dụ: “{place}”. Hãy chuyển tệp sang bảng mã Unicode "
        "(Unikey: Công cụ chuyển mã, Ctrl+Shift+F6, bảng mã nguồn TCVN3 (ABC) hoặc VNI "
        "Windows, bảng mã đích Unicode), lưu lại rồi tải lên lại."
    )


@pytest.mark.parametrize(
    ("post", "example"),
    [
        ({"docx": old_font_plan()}, "ñY BAN NH¢N D¢N PH¦êNG §¤NG TIÕN"),
        (
            {"docx": old_font_heading_plan()},
            tcvn3("kế hoạch tổ chức hội thi tìm hiểu pháp luật")[:40] + "…",  # a quote, cut
        ),
        ({"docx": vni_table_plan()}, "Hoäi thi tìm hieåu phaùp luaät"),  # the cell, as typed
        ({"docx": short_old_font_plan()}, "KÕ HO¹CH"),
        (
            {
                "text": tcvn3(
                    "Kế hoạch tổ chức Hội thi tìm hiểu pháp luật năm 2025\nI. Mục đích, yêu cầu"
                )
            },
            tcvn3("Kế hoạch tổ chức Hội thi tìm hiểu pháp luật năm 2025")[:40] + "…",
        ),
    ],
    ids=["tcvn3", "tcvn3-heading", "vni-table", "short-vntime", "pasted"],
)
def test_a_plan_typed_in_an_old_vietnamese_font_is_refused_with_how_to_convert_it(
    city, office_client, post, example
):
    """Refused on the upload page itself (the form, its error, no review), quoting the first
    old-font text and how to convert it; nothing is created."""
    if "docx" in post:
        post = {"docx": SimpleUploadedFile("Kế hoạch hội thi.docx", post["docx"])}
    response = office_client.post(
        reverse("campaigns:campaign-import"), {"owner_unit": city.city.pk, **post}
    )
    assert response.status_code == 200
    field = "docx" if "docx" in post else "text"
    assert response.context["form"].errors == {field: [_refusal(example)]}
    page = response.content.decode()
    assert 'name="docx"' in page  # the upload form again
    assert "bảng mã cũ (TCVN3/ABC" in page
    assert "payload" not in page  # no review of garbled text
    assert not Campaign.objects.exists()


def unicode_plan(font: str | None = None) -> bytes:
    """A Unicode plan with symbols an old font would use for letters: a brand's "®", a
    measure in "µm", a French name; in `font` if given (a file converted with Unikey keeps
    its ".VnTime" runs)."""
    document = docx.Document()
    for text in (
        "KẾ HOẠCH",
        "Tổ chức Hội thi sáng tạo kỹ thuật năm 2025",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Giải thưởng do Công ty Samsung® tài trợ; sản phẩm dự thi đo chính xác đến 5 µm.",
        "Khách mời: ông Noël Dupont, chuyên gia Citroën©.",
    ):
        run = document.add_paragraph().add_run(text)
        if font:
            run.font.name = font
    return _saved(document)


@pytest.mark.parametrize("font", [None, ".VnTime", "VNI-Times"])
def test_a_unicode_plan_with_stray_symbols_reaches_the_review(city, office_client, font):
    upload = SimpleUploadedFile("Kế hoạch.docx", unicode_plan(font))
    response = office_client.post(
        reverse("campaigns:campaign-import"), {"owner_unit": city.city.pk, "docx": upload}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "payload" in page
    assert "bảng mã cũ" not in page
    assert "Tổ chức Hội thi sáng tạo kỹ thuật năm 2025" in page


def test_the_plan_command_refuses_an_old_font_plan_too(tmp_path):
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(old_font_plan())
    with pytest.raises(CommandError, match="bảng mã cũ"):
        call_command("import_plan", str(path))


def table_plan() -> bytes:
    """A plan whose tasks are a table, as plans annex them: STT | Nội dung công việc | Đơn vị
    chủ trì | Đơn vị phối hợp | Thời gian hoàn thành, a line of column numbers under the header,
    the lead agency merged down over two tasks."""
    document = docx.Document()
    _header(document)
    for text in ("KẾ HOẠCH", "Tổ chức Hội thi tìm hiểu pháp luật năm 2025",
                 "I. MỤC ĐÍCH, YÊU CẦU", "- Tuyên truyền pháp luật đến Nhân dân.",
                 "II. TỔ CHỨC THỰC HIỆN", "Phân công nhiệm vụ cụ thể như sau:"):  # fmt: skip
        document.add_paragraph(text)
    rows = [
        ["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["I", "Chuẩn bị", "", "", ""],
        ["1", "Tham mưu ban hành Thể lệ Hội thi", "Phòng Văn hóa - Xã hội", "Công an phường",
         "Trước ngày 15/8/2025"],
        ["2", "Tổ chức vòng sơ khảo", "", "", "Tháng 9/2025"],
        ["3", "Tổng hợp kết quả, đề xuất khen thưởng", "Văn phòng HĐND và UBND phường", "",
         "Trước ngày 30/9/2025"],
    ]  # fmt: skip
    table = _table(document, rows)
    table.cell(3, 2).merge(table.cell(4, 2))
    table.cell(3, 2).text = "Phòng Văn hóa - Xã hội"
    return _saved(document)


def test_a_table_of_tasks_reads_one_task_per_row():
    lines = [line for line in text_from_docx(table_plan()).split("\n") if line]
    start = lines.index("Phân công nhiệm vụ cụ thể như sau:") + 1
    assert lines[start : start + 4] == [
        "Chuẩn bị.",  # a group's "I" is no section of the plan
        "1. Phòng Văn hóa - Xã hội: Tham mưu ban hành Thể lệ Hội thi; phối hợp với Công an "
        "phường; Thời gian hoàn thành: Trước ngày 15/8/2025.",
        "2. Phòng Văn hóa - Xã hội: Tổ chức vòng sơ khảo; Thời gian hoàn thành: Tháng 9/2025.",
        "3. Văn phòng HĐND và UBND phường: Tổng hợp kết quả, đề xuất khen thưởng; Thời gian "
        "hoàn thành: Trước ngày 30/9/2025.",
    ]
    assignments = parse_plan(text_from_docx(table_plan())).to_json()["assignments"]
    assert [(a["clause"], a["agencies"], a["deadline"]) for a in assignments] == [
        ("II.1", ["Phòng Văn hóa - Xã hội"], "2025-08-15"),
        ("II.2", ["Phòng Văn hóa - Xã hội"], "2025-09-30"),  # "Tháng 9/2025": its last day
        ("II.3", ["Văn phòng HĐND và UBND phường"], "2025-09-30"),
    ]
    # the header block, two columns, is still read cell by cell
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "PHƯỜNG ĐÔNG TIẾN", "Số: 142/KH-UBND"]


def _styled_plan(link_through_list_style: bool) -> bytes:
    """Headings numbered through styles, as offices set up their templates: "Mục lớn" based on
    a numbered "Heading 1" (the numbering inherited), "Mục nhỏ" on "Heading 2"; with
    `link_through_list_style`, the levels sit in a list style (Word's multilevel list gallery)
    and the headings' list only names it."""
    document = docx.Document()
    _with_numbering(document)
    root = document.part.numbering_part.element
    styles = document.styles.element
    heading_num = NUM_ID
    if link_through_list_style:
        styles.append(
            parse_xml(
                f'<w:style {NS} w:type="numbering" w:styleId="DanhSachKeHoach"><w:name '
                f'w:val="Danh sách kế hoạch"/><w:pPr><w:numPr><w:numId w:val="{NUM_ID}"/>'
                "</w:numPr></w:pPr></w:style>"
            )
        )
        root.insert(
            0,
            parse_xml(
                f'<w:abstractNum {NS} w:abstractNumId="91"><w:numStyleLink '
                'w:val="DanhSachKeHoach"/></w:abstractNum>'
            ),
        )
        root.append(parse_xml(f'<w:num {NS} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
        heading_num = 91
    for level, (base, name) in enumerate((("Heading1", "MucLon"), ("Heading2", "MucNho"))):
        style = document.styles[f"Heading {level + 1}"].element
        style.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {NS}><w:ilvl w:val="{level}"/><w:numId w:val="{heading_num}"/></w:numPr>'
            )
        )
        styles.append(
            parse_xml(
                f'<w:style {NS} w:type="paragraph" w:styleId="{name}"><w:name w:val="{name}"/>'
                f'<w:basedOn w:val="{base}"/></w:style>'
            )
        )
    _header(document)
    document.add_paragraph("KẾ HOẠCH")
    for text, style in (
        ("MỤC ĐÍCH, YÊU CẦU", "MucLon"),
        ("Mục đích", "MucNho"),
        ("Yêu cầu", "MucNho"),
        ("TỔ CHỨC THỰC HIỆN", "MucLon"),
        ("Phòng Văn hóa - Xã hội", "MucNho"),
    ):
        document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_pStyle().val = style
    return _saved(document)


@pytest.mark.parametrize("through_list_style", [False, True])
def test_headings_numbered_through_their_styles_are_read_with_their_numbers(through_list_style):
    lines = [line for line in text_from_docx(_styled_plan(through_list_style)).split("\n") if line]
    assert lines[-5:] == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "2. Yêu cầu",
        "II. TỔ CHỨC THỰC HIỆN",
        "1. Phòng Văn hóa - Xã hội",
    ]


def test_numbered_paragraphs_in_a_table_that_lists_no_tasks_are_counted_once():
    """A table that is no list of tasks (two columns, a header with a year) is read cell by
    cell after being tried as one: the numbered paragraphs in it are counted once, so the
    numbers in and after it follow on ("2.", "3."), not skip the first reading ("3.", "5.")."""
    document = docx.Document()
    _with_numbering(document)
    _numbered(document, "Mục tiêu", 0)
    _numbered(document, "Nâng cao nhận thức", 1)
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    cell = left.paragraphs[0]
    cell.text = "Phấn đấu 100% đơn vị đăng ký thi đua"
    num_pr = cell._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 1
    num_pr.get_or_add_numId().val = NUM_ID
    right.paragraphs[0].text = "Năm 2025"
    _numbered(document, "Khen thưởng kịp thời", 1)
    lines = [line for line in text_from_docx(_saved(document)).split("\n") if line]
    assert lines == [
        "I. Mục tiêu",
        "1. Nâng cao nhận thức",
        "2. Phấn đấu 100% đơn vị đăng ký thi đua",
        "Năm 2025",
        "3. Khen thưởng kịp thời",
    ]


def test_a_plan_numbered_by_hand_with_slashes_and_bold_headings_is_read_as_numbered():
    """Plans typed in LibreOffice or WPS, or by hand in Word: no list numbering, no heading
    styles, only bold lines numbered "I/", "1/", "a/" and "+" bullets. Its sections and tasks
    were lost; they read as those of a plan numbered "I.", "1.", "a)". A "V/v" subject line,
    an "đ/c" or a date stays text."""
    document = docx.Document()
    _header(document)
    for text, bold in (
        ("KẾ HOẠCH", True),
        ("Tổ chức Hội thi tìm hiểu pháp luật năm 2025", True),
        ("I/ MỤC ĐÍCH, YÊU CẦU", True),
        ("1/ Mục đích", True),
        ("+ Tuyên truyền pháp luật đến Nhân dân; đ/c Hùng phụ trách.", False),
        ("II/ TỔ CHỨC THỰC HIỆN", True),
        ("1/ Phòng Văn hóa - Xã hội", True),
        ("a/ Tham mưu ban hành Thể lệ, hoàn thành trước ngày 15/8/2025.", False),
        ("2/ Văn phòng HĐND và UBND phường", True),
        ("+ Tổng hợp kết quả trước ngày 30/9/2025.", False),
    ):
        document.add_paragraph().add_run(text).bold = bold
    plan = parse_plan(text_from_docx(_saved(document))).to_json()
    assert [(s["clause"], s["title"]) for s in plan["sections"]] == [
        ("I", "MỤC ĐÍCH, YÊU CẦU"),
        ("II", "TỔ CHỨC THỰC HIỆN"),
    ]
    assert [(a["clause"], a["agencies"], a["deadline"]) for a in plan["assignments"]] == [
        ("II.1", ["Phòng Văn hóa - Xã hội"], "2025-08-15"),
        ("II.2", ["Văn phòng HĐND và UBND phường"], "2025-09-30"),
    ]


def test_a_word_plan_too_large_to_read_is_refused_before_it_is_read(city, office_client):
    """A 3 MB file whose text unpacks to 21 MB took python-docx about 300 MB and 15 s (83 MB
    of text: 1.1 GB and a minute): refused from the archive's directory, in Vietnamese
    (docs/security.md R29)."""
    data = oversized_docx(21)
    assert len(data) < MAX_DOCX_BYTES
    response = office_client.post(
        reverse("campaigns:campaign-import"),
        {"owner_unit": city.city.pk, "docx": SimpleUploadedFile("ke-hoach.docx", data)},
    )
    assert response.status_code == 200
    assert (
        "Tệp “ke-hoach.docx” có nội dung quá lớn để đọc (hơn 20 MB sau khi giải nén)"
        in response.content.decode()
    )
    assert not Campaign.objects.exists()


def nfd_table_plan() -> bytes:
    """A plan whose table of tasks came in decomposed Unicode (NFD: copied from a Mac or a web
    page), as Word keeps it: every accent a combining mark after its letter."""
    document = docx.Document()
    _header(document)
    for text in ("KẾ HOẠCH", "Tổ chức Hội thi tìm hiểu pháp luật năm 2025",
                 "I. TỔ CHỨC THỰC HIỆN", "Phân công nhiệm vụ cụ thể như sau:"):  # fmt: skip
        document.add_paragraph(text)
    rows = [
        ["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        ["1", "Tuyên truyền về Hội thi", "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố",
         "Phòng Nội vụ", "Trước ngày 15/8/2025"],
        ["2", "Tổng hợp kết quả", "Phòng Nội vụ", "", "Trước ngày 30/9/2025"],
    ]  # fmt: skip
    _table(document, rows, lambda value: unicodedata.normalize("NFD", value))
    return _saved(document)


def test_a_table_of_tasks_typed_in_decomposed_unicode_names_its_lead_agencies(city):
    proposal = plan_proposal(text=plan_text("", nfd_table_plan()), owner=city.city)
    rows = [
        (row["agencies_text"], row["units"], row["due_date"]) for row in proposal["assignments"]
    ]
    assert rows == [
        ("Trung tâm Văn hóa, Thể thao và Truyền thông thành phố", [city.centre.pk], "2025-08-14"),
        ("Phòng Nội vụ", [city.noivu.pk], "2025-09-29"),
    ]
    # the task reads as typed, without the column names in front of it
    assert (
        proposal["assignments"][1]["text"]
        == "Phòng Nội vụ: Tổng hợp kết quả; Thời gian: Trước ngày 30/9/2025."
    )


def test_a_task_due_in_a_month_or_a_quarter_is_due_on_its_last_day(city):
    """The time column of a table of tasks, or "hoàn thành trong …" in a task's text: the
    review proposes the last day of the month or quarter named, and leaves "Thường xuyên"
    (ongoing) without a date."""
    document = docx.Document()
    _header(document)
    for text in ("KẾ HOẠCH", "Phát động thi đua chuyển đổi số năm 2026",
                 "I. TỔ CHỨC THỰC HIỆN", "1. Phân công nhiệm vụ"):  # fmt: skip
        document.add_paragraph(text)
    rows = [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        ["1", "Xây dựng kế hoạch triển khai", "Phòng Nội vụ", "", "Quý II/2026"],
        ["2", "Tuyên truyền trên cổng thông tin", "Phòng Nội vụ", "", "Thường xuyên"],
        ["3", "Tổ chức hội thi tìm hiểu", "Phòng Nội vụ", "", "Tháng 9 năm 2026"],
    ]
    _table(document, rows)
    document.add_paragraph(
        "2. Phường Vũ Ninh: xây dựng mô hình mới, hoàn thành trong Quý III/2026."
    )
    proposal = plan_proposal(text=plan_text("", _saved(document)), owner=city.city)
    tasks = {
        "Xây dựng kế hoạch triển khai": "2026-06-30",
        "Tuyên truyền trên cổng thông tin": None,
        "Tổ chức hội thi tìm hiểu": "2026-09-30",
        "xây dựng mô hình mới": "2026-09-30",
    }
    due = {
        task: row["due_date"]
        for row in proposal["assignments"]
        for task in tasks
        if task in row["text"]
    }
    assert due == tasks


def test_a_table_of_tasks_under_a_numbered_item_is_numbered_below_it():
    """ "1. Phân công nhiệm vụ", the table (rows 1, 2), "2. Chế độ báo cáo": the rows are the
    tasks of item 1, not a second item 1 and 2 beside the plan's own (the review showed two
    "IV.1" and blamed the document: "số thứ tự không tăng dần (sau 1 là 1)")."""
    document = docx.Document()
    _header(document)
    for text in ("KẾ HOẠCH", "Phát động thi đua chuyển đổi số năm 2025",
                 "IV. TỔ CHỨC THỰC HIỆN", "1. Phân công nhiệm vụ",
                 "Giao các cơ quan, đơn vị thực hiện như sau:"):  # fmt: skip
        document.add_paragraph(text)
    rows = [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        ["1", "Xây dựng kế hoạch triển khai", "Phòng Nội vụ", "", "Trước ngày 15/5/2025"],
        ["2", "Tuyên truyền về phong trào", "Phường Vũ Ninh", "", "Trước ngày 30/6/2025"],
    ]
    _table(document, rows)
    document.add_paragraph("2. Chế độ báo cáo")
    document.add_paragraph("Phòng Nội vụ tổng hợp, báo cáo UBND thành phố trước ngày 10/12/2025.")
    plan = parse_plan(text_from_docx(_saved(document))).to_json()
    assert [(a["clause"], a["agencies"]) for a in plan["assignments"]] == [
        ("IV.1.1", ["Phòng Nội vụ"]),
        ("IV.1.2", ["Phường Vũ Ninh"]),
        ("IV.2", ["Phòng Nội vụ"]),
    ]
    assert not [w for w in plan["warnings"] if "số thứ tự" in w["message"]]


def test_a_table_of_tasks_in_an_annex_is_not_numbered_under_the_bodys_last_item():
    """The body ends "3. Kinh phí", the signature typed as paragraphs (no table), then
    "PHỤ LỤC" and its table of tasks: the annex's rows are not item 3's parts ("3.1.")."""
    document = docx.Document()
    _header(document)
    for text in ("KẾ HOẠCH", "Phát động thi đua chuyển đổi số năm 2025",
                 "IV. TỔ CHỨC THỰC HIỆN", "1. Phòng Nội vụ theo dõi, tổng hợp.",
                 "2. Các phường triển khai tới tổ dân phố.",
                 "3. Kinh phí", "Kinh phí thực hiện từ nguồn ngân sách thành phố.",
                 "CHỦ TỊCH", "Nguyễn Văn A",
                 "PHỤ LỤC", "NHIỆM VỤ CỤ THỂ",
                 "(Kèm theo Kế hoạch số 12/KH-UBND ngày 10/4/2025 của UBND thành phố)"):  # fmt: skip
        document.add_paragraph(text)
    rows = [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        ["1", "Xây dựng kế hoạch triển khai", "Phòng Nội vụ", "", "Trước ngày 15/5/2025"],
        ["2", "Tuyên truyền về phong trào", "Phường Vũ Ninh", "", "Trước ngày 30/6/2025"],
    ]
    _table(document, rows)
    text = text_from_docx(_saved(document))
    assert "3.1." not in text
    assert "3.2." not in text


def test_a_body_sentence_beginning_kem_theo_keeps_its_table_under_its_item():
    """ "2. Phân công nhiệm vụ", then "Kèm theo Kế hoạch này là Bảng phân công …:" and the
    table: a sentence of the body, not an annex; the rows are item 2's parts."""
    document = docx.Document()
    _header(document)
    for text in ("KẾ HOẠCH", "Phát động thi đua chuyển đổi số năm 2025",
                 "IV. TỔ CHỨC THỰC HIỆN", "1. Phòng Nội vụ theo dõi, tổng hợp.",
                 "2. Phân công nhiệm vụ",
                 "Kèm theo Kế hoạch này là Bảng phân công nhiệm vụ cụ thể:"):  # fmt: skip
        document.add_paragraph(text)
    rows = [
        ["TT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian"],
        ["1", "Xây dựng kế hoạch triển khai", "Phòng Nội vụ", "", "Trước ngày 15/5/2025"],
    ]
    _table(document, rows)
    assert "2.1." in text_from_docx(_saved(document))
