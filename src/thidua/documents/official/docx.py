"""An official document to DOCX (python-docx, Times New Roman) with the same layout as the
PDF: borderless header and closing tables, balanced captions, page numbers from page 2."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document as _new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from thidua.documents.official.captions import _balanced_lines
from thidua.documents.official.layout import (
    BODY_SIZE,
    CLOSING_LEFT_SHARE,
    DOCX_FONT,
    FIRST_LINE_INDENT_CM,
    FONT_BOLD,
    FONT_REGULAR,
    HEADER_LEFT_SHARE,
    LINE_SPACING,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    NATIONAL_MOTTO,
    NATIONAL_TITLE,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    SIGNATURE_SPACE_MM,
    TEXT_WIDTH_MM,
    register_fonts,
)
from thidua.documents.official.model import (
    Block,
    Centred,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
    _block_text,
    _recipient_lines,
    _upper,
    format_number_line,
    format_place_date,
)

_CELL_MARGIN_MM = 1.0


def _set_run_font(run: Any, *, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = DOCX_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), DOCX_FONT)


def _compact(paragraph: Any, *, align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _add_text(
    container: Any,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Any:
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    _compact(paragraph, align=align)
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()  # manual line break (balanced captions)
        run.add_text(line)
        _set_run_font(run, size=size, bold=bold, italic=italic)
    return paragraph


def _docx_caption(
    text: str, *, bold: bool, size: float, width_mm: float, upper: bool = False
) -> str:
    """Balanced caption lines joined with newlines (see :func:`_balanced_lines`)."""
    register_fonts()
    font = FONT_BOLD if bold else FONT_REGULAR
    return "\n".join(_balanced_lines(text.strip(), font, size, width_mm * mm, upper=upper))


def _bottom_border(paragraph: Any) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # pBdr must precede spacing/ind/jc in CT_PPr's sequence.
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"):
        anchor = p_pr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        p_pr.append(borders)


def _add_rule(cell: Any, cell_width_mm: float, rule_mm: float) -> None:
    """A centred short line: an empty tiny paragraph with a bottom border and indents."""
    paragraph = cell.add_paragraph()
    _compact(paragraph)
    side = max((cell_width_mm - 2 * _CELL_MARGIN_MM - rule_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    _set_run_font(paragraph.add_run(""), size=2)
    _bottom_border(paragraph)


# Child order of w:tblPr (ECMA-376 CT_TblPr); Word rejects out-of-order children.
_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)


def _set_ordered_child(parent: Any, child: Any, order: Sequence[str]) -> None:
    """Replace ``parent``'s child with ``child``'s tag, keeping the schema order."""
    tag = child.tag.split("}")[1]
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    later = {qn(f"w:{name}") for name in order[order.index(tag) + 1 :]}
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


def _dxa(millimetres: float) -> str:
    return str(round(millimetres / 25.4 * 1440))


def _borderless(table: Any, widths_mm: Sequence[float]) -> None:
    """Fixed-width, borderless table with narrow cell margins."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr

    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), _dxa(sum(widths_mm)))
    width.set(qn("w:type"), "dxa")
    _set_ordered_child(tbl_pr, width, _TBLPR_ORDER)

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _set_ordered_child(tbl_pr, borders, _TBLPR_ORDER)

    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _set_ordered_child(tbl_pr, layout, _TBLPR_ORDER)

    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), _dxa(_CELL_MARGIN_MM))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _set_ordered_child(tbl_pr, margins, _TBLPR_ORDER)

    for col, col_width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(col_width)
        for cell in col.cells:
            cell.width = Mm(col_width)


def _add_page_number_field(paragraph: Any) -> None:
    def fld_char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    begin = paragraph.add_run()
    begin._r.append(fld_char("begin"))
    instr = paragraph.add_run()
    instr_text = OxmlElement("w:instrText")
    instr_text.set(qn("xml:space"), "preserve")
    instr_text.text = " PAGE "
    instr._r.append(instr_text)
    separate = paragraph.add_run()
    separate._r.append(fld_char("separate"))
    placeholder = paragraph.add_run("2")
    end = paragraph.add_run()
    end._r.append(fld_char("end"))
    for run in (begin, instr, separate, placeholder, end):
        _set_run_font(run, size=13)


def _docx_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)
    section.different_first_page_header_footer = True

    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.font.size = Pt(BODY_SIZE)
    r_pr = normal.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), DOCX_FONT)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = LINE_SPACING

    header_paragraph = section.header.paragraphs[0]
    _compact(header_paragraph)
    _add_page_number_field(header_paragraph)
    first = section.first_page_header.paragraphs[0]  # stays empty: no number on page 1
    _compact(first)


def _docx_header(document: Any, doc: OfficialDocument) -> None:
    left_w = TEXT_WIDTH_MM * HEADER_LEFT_SHARE
    right_w = TEXT_WIDTH_MM - left_w
    table = document.add_table(rows=2, cols=2)
    _borderless(table, (left_w, right_w))
    left, right = table.cell(0, 0), table.cell(0, 1)

    inner = left_w - 2 * _CELL_MARGIN_MM
    first = True
    if doc.issuer_parent:
        parent = _docx_caption(doc.issuer_parent, bold=False, size=13, width_mm=inner, upper=True)
        _add_text(left, parent, size=13, first=True)
        first = False
    issuer = _docx_caption(doc.issuer, bold=True, size=13, width_mm=inner, upper=True)
    _add_text(left, issuer, size=13, bold=True, first=first)
    _add_rule(left, left_w, (left_w - 2 * _CELL_MARGIN_MM) / 3)

    _add_text(right, NATIONAL_TITLE, size=12, bold=True, first=True)
    motto = _add_text(right, NATIONAL_MOTTO, size=13, bold=True)
    register_fonts()
    motto_mm = pdfmetrics.stringWidth(NATIONAL_MOTTO, FONT_BOLD, 13) / mm
    side = max((right_w - 2 * _CELL_MARGIN_MM - motto_mm) / 2 - 1.0, 0)
    motto.paragraph_format.left_indent = Mm(side)
    motto.paragraph_format.right_indent = Mm(side)
    _bottom_border(motto)

    number_line = format_number_line(doc.number, doc.symbol)
    number = _add_text(table.cell(1, 0), number_line, size=13, first=True)
    number.paragraph_format.space_before = Pt(8)
    if not doc.doc_type:  # công văn: "V/v …" under the number
        _add_text(table.cell(1, 0), doc.summary, size=12)
    place_date = format_place_date(doc.place, doc.date)
    place = _add_text(table.cell(1, 1), place_date, size=13, italic=True, first=True)
    place.paragraph_format.space_before = Pt(8)


def _docx_title(document: Any, doc: OfficialDocument) -> None:
    doc_type = _add_text(document, _upper(doc.doc_type), size=14, bold=True)
    doc_type.paragraph_format.space_before = Pt(14)
    summary = _docx_caption(doc.summary, bold=True, size=14, width_mm=TEXT_WIDTH_MM - 2)
    _add_text(document, summary, size=14, bold=True)
    rule = document.add_paragraph()
    _compact(rule)
    side = (TEXT_WIDTH_MM - min(TEXT_WIDTH_MM / 4, 45.0)) / 2
    rule.paragraph_format.left_indent = Mm(side)
    rule.paragraph_format.right_indent = Mm(side)
    rule.paragraph_format.space_after = Pt(12)
    _set_run_font(rule.add_run(""), size=2)
    _bottom_border(rule)


def _docx_body(document: Any, doc: OfficialDocument) -> None:
    if doc.doc_type:
        _docx_title(document, doc)
    if doc.enacting_authority:
        authority = _add_text(document, doc.enacting_authority, size=14, bold=True)
        authority.paragraph_format.space_after = Pt(8)
    for basis in doc.legal_bases:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(3)
        _set_run_font(paragraph.add_run(basis), size=BODY_SIZE, italic=True)
    _docx_blocks(document, doc.body)
    if doc.body and (doc.recipients or doc.signature is not None):
        # Keep the last body block on the signature page.
        document.paragraphs[-1].paragraph_format.keep_with_next = True


def _docx_blocks(document: Any, blocks: Sequence[Block]) -> None:
    for block in blocks:
        if isinstance(block, Centred):
            centred = _add_text(
                document, block.text, size=BODY_SIZE, bold=block.bold, italic=block.italic
            )
            centred.paragraph_format.keep_with_next = True
            centred.paragraph_format.space_after = Pt(6)
            continue
        paragraph = document.add_paragraph()
        if isinstance(block, Heading):
            level = block.level if block.level in (1, 2, 3) else 3
            run = paragraph.add_run(block.text)
            _set_run_font(run, size=BODY_SIZE, bold=level < 3, italic=level == 3)  # noqa: PLR2004
            paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            if block.lead:
                lead = paragraph.add_run(f"{block.lead} " if block.text else block.lead)
                _set_run_font(lead, size=BODY_SIZE, bold=True, italic=block.italic)
            if block.text:
                _set_run_font(paragraph.add_run(block.text), size=BODY_SIZE, italic=block.italic)
        else:
            _set_run_font(paragraph.add_run(_block_text(block)), size=BODY_SIZE)


def _docx_signature(cell: Any, sig: Signature) -> None:
    lines = [_upper(t) for t in (sig.authority, sig.title_line) if t] + [_upper(sig.title)]
    for i, text in enumerate(lines):
        _add_text(cell, text, size=14, bold=True, first=i == 0)
    gap = _add_text(cell, "", size=14)
    gap.paragraph_format.space_after = Mm(SIGNATURE_SPACE_MM - 5)
    _add_text(cell, sig.name.strip(), size=14, bold=True)


def _docx_recipients(cell: Any, recipients: list[str], *, first: bool) -> None:
    _add_text(
        cell,
        "Nơi nhận:",
        size=12,
        bold=True,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=first,
    )
    for line in recipients:
        _add_text(cell, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)


def _docx_closing(document: Any, doc: OfficialDocument) -> None:
    recipients = _recipient_lines(doc.recipients)
    if not recipients and doc.signature is None and doc.left_signature is None:
        return
    spacer = document.add_paragraph()
    _compact(spacer)
    spacer.paragraph_format.keep_with_next = True  # the chain from the last paragraph holds
    _set_run_font(spacer.add_run(""), size=6)
    left_w = TEXT_WIDTH_MM * CLOSING_LEFT_SHARE
    right_w = TEXT_WIDTH_MM - left_w
    table = document.add_table(rows=1, cols=2)
    _borderless(table, (left_w, right_w))
    # Never split the closing row across pages.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    left, right = table.cell(0, 0), table.cell(0, 1)

    if doc.left_signature is not None:
        _docx_signature(left, doc.left_signature)
        if recipients:
            _docx_recipients(left, recipients, first=False)
    elif recipients:
        _docx_recipients(left, recipients, first=True)
    if doc.signature is not None:
        _docx_signature(right, doc.signature)


def render_docx(doc: OfficialDocument) -> bytes:
    """Render ``doc`` to DOCX bytes with the same layout as :func:`render_pdf`."""
    document = _new_docx()
    _docx_setup(document)
    _docx_header(document, doc)
    _docx_body(document, doc)
    _docx_closing(document, doc)
    if doc.annex:
        document.add_page_break()  # type: ignore[no-untyped-call]
        _docx_blocks(document, doc.annex)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
