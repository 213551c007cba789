"""The yearly statistics as an Excel workbook and a PDF in the forms' layout: the form number
and circular on the left, reporting and receiving unit on the right, the title, the period, the
unit of count, the table with its column codes (A, B, 1, 2 …), and the signatures of the person
who made it (Người lập biểu) and the head of the unit (Thủ trưởng đơn vị), under place and date.

Workbook cells: numbers as numbers, every text with write_string (never a formula or a link).
"""

from collections.abc import Sequence
from io import BytesIO
from typing import Any, Literal
from xml.sax.saxutils import escape

import xlsxwriter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from thidua.awards.statistics import CIRCULAR, RECEIVED_ON, Line, Report, StatForm, grid
from thidua.core.text import vn_thousands
from thidua.documents.official.layout import FONT_BOLD, FONT_ITALIC, FONT_REGULAR, register_fonts
from thidua.documents.official.model import format_place_date
from thidua.organizations.selectors import place_of

SIGN_HINT_LEFT = "(Ký, họ tên)"
SIGN_HINT_RIGHT = "(Ký, họ tên, đóng dấu)"
PREPARER = "NGƯỜI LẬP BIỂU"
WIDE_FORM = 8  # columns; 0602 has 16: smaller type, narrower columns
WITH_UNIT_COLUMN = 3  # A, B and C (đơn vị tính)
LONG_TITLE = 60


def _place_date(report: Report) -> str:
    return format_place_date(report.place or place_of(report.issuer), report.made_on)


def header_lines(report: Report, form: StatForm) -> tuple[list[str], list[str]]:
    """(left, right) lines above the title."""
    if form.official:
        left = [
            f"Biểu số: {form.number}",
            f"Ban hành theo {CIRCULAR}",
            f"Ngày nhận báo cáo: {RECEIVED_ON}",
        ]
    else:
        left = [form.number, "Lập theo bố cục biểu 0603.N/BNV-TĐKT"]
    right = [
        f"Đơn vị báo cáo: {report.issuer.name}",
        f"Đơn vị nhận báo cáo: {report.receiving_unit}",
    ]
    return left, right


def period_line(report: Report, form: StatForm) -> str:
    if form.entered:
        return f"Năm {report.period.year} (thời điểm báo cáo: {report.period.end:%d/%m/%Y})"
    return report.period.label


def _cell_text(line: Line, index: int) -> str:
    value = line.values[index]
    return "" if value is None else vn_thousands(value)


# ---------------------------------------------------------------------------------- Excel


class _Formats:
    def __init__(self, book: Any) -> None:
        base = {"font_name": "Times New Roman", "font_size": 12, "text_wrap": True,
                "valign": "vcenter"}  # fmt: skip
        self.bold = book.add_format({**base, "bold": True})
        self.plain = book.add_format(base)
        self.centre = book.add_format({**base, "align": "center"})
        self.centre_bold = book.add_format({**base, "align": "center", "bold": True})
        self.centre_italic = book.add_format({**base, "align": "center", "italic": True})
        self.right_italic = book.add_format({**base, "align": "right", "italic": True})
        self.title = book.add_format({**base, "align": "center", "bold": True, "font_size": 14})
        boxed = {**base, "border": 1}
        self.head = book.add_format({**boxed, "bold": True, "align": "center"})
        self.code = book.add_format({**boxed, "bold": True, "align": "center"})
        self.label = {
            "total": book.add_format({**boxed, "bold": True, "align": "center"}),
            "group": book.add_format({**boxed, "bold": True}),
            "item": book.add_format(boxed),
            "sub": book.add_format({**boxed, "italic": True, "indent": 1}),
            "note": book.add_format({**boxed, "italic": True}),
        }
        self.text = book.add_format({**boxed, "align": "center"})
        self.number = book.add_format({**boxed, "align": "center", "num_format": "#,##0"})
        self.number_bold = book.add_format(
            {**boxed, "align": "center", "num_format": "#,##0", "bold": True}
        )


class _Sheet:
    """One form on one worksheet, written top to bottom."""

    def __init__(self, book: Any, fmt: _Formats, report: Report, form: StatForm) -> None:
        self.sheet = book.add_worksheet(_sheet_name(form))
        self.fmt, self.report, self.form = fmt, report, form
        self.width = form.width
        self.split = max(1, self.width // 2)
        self.row = 0

    def merge(self, row: int, span: tuple[int, int], text: str, fmt: Any) -> None:
        first, last = span
        if last > first:
            self.sheet.merge_range(row, first, row, last, "", fmt)
        self.sheet.write_string(row, first, text, fmt)

    @property
    def left(self) -> tuple[int, int]:
        return 0, self.split - 1

    @property
    def right(self) -> tuple[int, int]:
        return self.split, self.width - 1

    @property
    def whole(self) -> tuple[int, int]:
        return 0, self.width - 1

    def write(self) -> None:
        self.page_setup()
        self.heading()
        self.table()
        self.signatures()

    def page_setup(self) -> None:
        sheet, labels = self.sheet, self.form.label_columns
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.set_column(0, 0, 46)
        sheet.set_column(1, labels - 1, 9)
        narrow = self.width - labels > WIDE_FORM - 2
        sheet.set_column(labels, self.width - 1, 11 if narrow else 16)

    def heading(self) -> None:
        fmt, form = self.fmt, self.form
        left, right = header_lines(self.report, form)
        for r, text in enumerate(left):
            self.merge(r, self.left, text, fmt.bold if r == 0 else fmt.plain)
        for r, text in enumerate(right):
            self.merge(r, self.right, text, fmt.centre_bold if r == 0 else fmt.centre)
        row = max(len(left), len(right)) + 1
        self.merge(row, self.whole, form.title, fmt.title)
        self.sheet.set_row(row, 36 if len(form.title) > LONG_TITLE else 20)
        self.merge(row + 1, self.whole, period_line(self.report, form), fmt.centre_italic)
        self.row = row + 2
        if form.unit_of_count:
            unit = f"Đơn vị tính: {form.unit_of_count}"
            self.merge(self.row, self.whole, unit, fmt.right_italic)
            self.row += 1

    def table(self) -> None:
        fmt, form, sheet = self.fmt, self.form, self.sheet
        top = self.row
        for r, c, cell in grid([*form.header, form.codes]):
            style = fmt.code if r == len(form.header) else fmt.head
            if cell.rowspan > 1 or cell.colspan > 1:
                last_row, last_col = top + r + cell.rowspan - 1, c + cell.colspan - 1
                sheet.merge_range(top + r, c, last_row, last_col, "", style)
            sheet.write_string(top + r, c, cell.text, style)
        self.row = top + len(form.header) + 1
        for line in form.lines:
            self.line(line)
            self.row += 1

    def line(self, line: Line) -> None:
        fmt, sheet, labels = self.fmt, self.sheet, self.form.label_columns
        sheet.write_string(self.row, 0, line.label, fmt.label[line.style])
        sheet.write_string(self.row, 1, line.code, fmt.text)
        if labels == WITH_UNIT_COLUMN:
            sheet.write_string(self.row, 2, line.unit, fmt.text)
        number = fmt.number_bold if line.style == "total" else fmt.number
        for i, value in enumerate(line.values):
            if value is None:
                sheet.write_blank(self.row, labels + i, None, fmt.text)
            else:
                sheet.write_number(self.row, labels + i, value, number)

    def signatures(self) -> None:
        fmt, report, row = self.fmt, self.report, self.row + 1
        self.merge(row, self.right, _place_date(report), fmt.centre_italic)
        self.merge(row + 1, self.left, PREPARER, fmt.centre_bold)
        self.merge(row + 1, self.right, report.head_title.upper(), fmt.centre_bold)
        self.merge(row + 2, self.left, SIGN_HINT_LEFT, fmt.centre_italic)
        self.merge(row + 2, self.right, SIGN_HINT_RIGHT, fmt.centre_italic)
        self.merge(row + 7, self.left, report.preparer, fmt.centre_bold)
        self.merge(row + 7, self.right, report.head_name, fmt.centre_bold)


def _sheet_name(form: StatForm) -> str:
    return "Tham khao" if not form.official else form.key


def report_xlsx(report: Report, keys: Sequence[str] | None = None) -> bytes:
    """One sheet per form (all of them, or those named)."""
    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _Formats(book)
    for form in report.forms:
        if keys is None or form.key in keys:
            _Sheet(book, fmt, report, form).write()
    book.close()
    return buffer.getvalue()


# ------------------------------------------------------------------------------------ PDF


def _style(
    name: str, font: str, size: float, align: Literal[0, 1, 2, 4] = TA_LEFT
) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=font, fontSize=size, leading=size * 1.2, alignment=align,
        textColor=colors.black,
    )  # fmt: skip


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _form_flowables(report: Report, form: StatForm, width: float) -> list[Flowable]:
    small = 9 if form.width > WIDE_FORM else 10.5
    left_style = _style("left", FONT_REGULAR, 10.5)
    left_bold = _style("left_bold", FONT_BOLD, 10.5)
    right_style = _style("right", FONT_REGULAR, 10.5, TA_CENTER)
    right_bold = _style("right_bold", FONT_BOLD, 10.5, TA_CENTER)
    left, right = header_lines(report, form)
    header = Table(
        [
            [
                [_para(t, left_bold if i == 0 else left_style) for i, t in enumerate(left)],
                [_para(t, right_bold if i == 0 else right_style) for i, t in enumerate(right)],
            ]
        ],
        colWidths=[width * 0.55, width * 0.45],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out: list[Flowable] = [
        header,
        Spacer(1, 4 * mm),
        _para(form.title, _style("title", FONT_BOLD, 13, TA_CENTER)),
        Spacer(1, 1 * mm),
        _para(period_line(report, form), _style("period", FONT_ITALIC, 11, TA_CENTER)),
    ]
    if form.unit_of_count:
        out.append(
            _para(f"Đơn vị tính: {form.unit_of_count}", _style("unit", FONT_ITALIC, 11, TA_RIGHT))
        )
    out += [Spacer(1, 2 * mm), _table(form, width, small), Spacer(1, 5 * mm)]
    out.append(KeepTogether([_signatures(report, width)]))
    return out


def _table(form: StatForm, width: float, size: float) -> Table:
    head = _style("head", FONT_BOLD, size, TA_CENTER)
    centre = _style("centre", FONT_REGULAR, size, TA_CENTER)
    label_styles = {
        "total": _style("total", FONT_BOLD, size, TA_CENTER),
        "group": _style("group", FONT_BOLD, size),
        "item": _style("item", FONT_REGULAR, size),
        "sub": _style("sub", FONT_ITALIC, size),
        "note": _style("note", FONT_ITALIC, size),
    }
    n = form.width
    labels = form.label_columns
    data: list[list[Any]] = []
    spans: list[tuple[Any, ...]] = []
    header_rows = len(form.header) + 1
    data += [[""] * n for _ in range(header_rows)]
    for r, c, cell in grid([*form.header, form.codes]):
        data[r][c] = _para(cell.text, head)
        if cell.rowspan > 1 or cell.colspan > 1:
            spans.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    for line in form.lines:
        row: list[Any] = [_para(line.label, label_styles[line.style]), _para(line.code, centre)]
        if labels == WITH_UNIT_COLUMN:
            row.append(_para(line.unit, centre))
        style = head if line.style == "total" else centre
        row += [_para(_cell_text(line, i), style) for i in range(len(line.values))]
        data.append(row)
    label_width = width * (0.3 if n > WIDE_FORM else 0.42)
    code_width = 11 * mm
    units = [17 * mm] if labels == WITH_UNIT_COLUMN else []
    rest = (width - label_width - code_width - sum(units)) / (n - labels)
    widths = [label_width, code_width, *units] + [rest] * (n - labels)
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                *spans,
            ]
        )
    )
    return table


def _signatures(report: Report, width: float) -> Table:
    centre_bold = _style("sign_bold", FONT_BOLD, 11.5, TA_CENTER)
    centre_italic = _style("sign_italic", FONT_ITALIC, 11, TA_CENTER)
    place = _style("place", FONT_ITALIC, 11.5, TA_CENTER)
    names = _style("names", FONT_BOLD, 11.5, TA_CENTER)
    table = Table(
        [
            ["", _para(_place_date(report), place)],
            [_para(PREPARER, centre_bold), _para(report.head_title.upper(), centre_bold)],
            [_para(SIGN_HINT_LEFT, centre_italic), _para(SIGN_HINT_RIGHT, centre_italic)],
            ["", ""],
            [_para(report.preparer, names), _para(report.head_name, names)],
        ],
        colWidths=[width / 2, width / 2],
        rowHeights=[None, None, None, 18 * mm, None],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def report_pdf(report: Report, keys: Sequence[str] | None = None) -> bytes:
    """A4 landscape, one form per page (a long form runs on, its header row repeated)."""
    register_fonts()
    buffer = BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Thống kê thi đua, khen thưởng {report.period.year} – {report.issuer.name}",
        author=report.issuer.name,
    )
    width = page[0] - 30 * mm
    story: list[Flowable] = []
    for form in report.forms:
        if keys is not None and form.key not in keys:
            continue
        if story:
            story.append(PageBreak())
        story += _form_flowables(report, form, width)
    doc.build(story)
    return buffer.getvalue()
