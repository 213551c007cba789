"""Text of a .docx file in reading order."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from thidua.campaigns.parsing.lines import to_roman
from thidua.campaigns.parsing.text import fold

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Inside a paragraph: text left out (deleted or moved away under tracked changes, the old
# properties of a tracked format change) and text read apart (text boxes).
_SKIPPED = {f"{_W}{t}" for t in ("del", "moveFrom", "pPrChange", "rPrChange", "pPr", "rPr")}
_SKIPPED.add(_FALLBACK)  # the VML copy of a drawing (a text box would be read twice)


def _letter(n: int) -> str:
    """Word's list letters: a … z, then aa, bb (Latin, no đ)."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _formatted(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return to_roman(n)
    if fmt == "lowerRoman":
        return to_roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _val(element: Any, path: str, default: str | None = None) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{_W}val", default) if found is not None else default


class _Numbering:
    """The labels Word draws in front of automatically numbered paragraphs ("I.", "1.", "a)",
    bullets): they are not in the text, and the plan parser finds sections by them."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> level
        self.counters: dict[str, dict[int, int]] = {}
        self.styles: dict[str, tuple[str, int]] = {}  # styleId -> (numId, ilvl)
        self.aliases: dict[str, str] = {}  # numId -> the numId of the list style it draws
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{_W}abstractNumId"): a for a in root.iter(f"{_W}abstractNum")}
        nums = {str(num.get(f"{_W}numId")): num for num in root.iter(f"{_W}num")}
        styles = {str(s.get(f"{_W}styleId")): s for s in document.styles.element.iter(f"{_W}style")}
        # A list defined through a list style (Word's multilevel list gallery, "1 / 1.1 / 1.1.1"):
        # its abstractNum names the style (numStyleLink), whose numbering holds the levels.
        linked: dict[str, str] = {}  # abstractNumId -> the numId of its list style
        for key, base in abstract.items():
            link = _val(base, f"{_W}numStyleLink")
            style = styles.get(link or "")
            num_pr = style.find(f"{_W}pPr/{_W}numPr") if style is not None else None
            target = _val(num_pr, f"{_W}numId")
            if target and target in nums:
                linked[str(key)] = target
        for num_id, num in nums.items():
            abstract_id = _val(num, f"{_W}abstractNumId")
            if abstract_id in linked:  # counted and drawn as the list style's own list
                self.aliases[num_id] = linked[abstract_id]
                continue
            base = abstract.get(abstract_id)
            if base is None:
                continue
            levels = {}
            for lvl in base.iter(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    _val(lvl, f"{_W}numFmt", "decimal") or "decimal",
                    _val(lvl, f"{_W}lvlText", "") or "",
                    int(_val(lvl, f"{_W}start", "1") or 1),
                )
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                start = _val(override, f"{_W}startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (*levels[ilvl][:2], int(start))
            self.levels[num_id] = levels
        for style_id in styles:
            found = self._style_numbering(styles, style_id)
            if found is not None:
                self.styles[style_id] = found

    def _style_numbering(self, styles: dict[str, Any], style_id: str) -> tuple[str, int] | None:
        """A paragraph style's numbering, its own or inherited from the style it is based on
        (a custom "Mục lớn" based on a numbered "Heading 1")."""
        seen: set[str] = set()
        num_id, ilvl = None, None
        while style_id and style_id not in seen and style_id in styles:
            seen.add(style_id)
            num_pr = styles[style_id].find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                num_id = num_id or _val(num_pr, f"{_W}numId")
                found_lvl = _val(num_pr, f"{_W}ilvl")
                ilvl = ilvl if ilvl is not None or found_lvl is None else int(found_lvl)
            if num_id is not None and ilvl is not None:
                break
            style_id = _val(styles[style_id], f"{_W}basedOn") or ""
        return None if num_id is None else (num_id, ilvl or 0)

    def saved(self) -> dict[str, dict[int, int]]:
        """Where each list has counted to, to go back to (a table read twice)."""
        return {num_id: dict(levels) for num_id, levels in self.counters.items()}

    def label(self, p: Any) -> str:
        """The paragraph's number or bullet ("" for none), counting it."""
        ppr = p.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        style = _val(ppr, f"{_W}pStyle")
        num_id, ilvl = self.styles.get(style or "", ("0", 0))
        if num_pr is not None:
            num_id = _val(num_pr, f"{_W}numId", num_id) or num_id
            ilvl = int(_val(num_pr, f"{_W}ilvl", str(ilvl)) or 0)
        num_id = self.aliases.get(num_id, num_id)
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts the levels below it
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "-"  # whatever symbol the font draws
        if fmt == "none":
            return ""
        for level, (level_fmt, _, start) in levels.items():
            if f"%{level + 1}" in text:
                count = counters.get(level, start)
                text = text.replace(f"%{level + 1}", _formatted(count, level_fmt))
        return text


# Read apart from the plan's text too: a quiz's questions numbered by Word (contests.word_bank).
WordNumbering = _Numbering


def _on(element: Any, tag: str, off: tuple[str, ...]) -> bool:
    found = element.find(f"{_W}{tag}") if element is not None else None
    return found is not None and found.get(f"{_W}val", "").lower() not in off


def _run_marked(run: Any) -> bool:
    """A run set apart by its direct formatting: bold, underlined, highlighted or coloured
    (how a printed quiz marks the right option)."""
    rpr = run.find(f"{_W}rPr")
    color = _val(rpr, f"{_W}color")
    return (
        _on(rpr, "b", ("0", "false", "off"))
        or _on(rpr, "u", ("none",))
        or _on(rpr, "highlight", ("none",))
        or (color is not None and color.lower() not in ("000000", "auto"))
    )


def _inline_pieces(element: Any, boxes: list[Any], marked: bool = False) -> list[tuple[str, bool]]:
    """A paragraph's text as Word shows it with changes accepted, piece by piece with whether
    its run is marked (_run_marked): runs wherever they sit (links, fields, content controls,
    tracked insertions), tabs and line breaks; text boxes are collected in `boxes` to be read
    after it."""
    parts: list[tuple[str, bool]] = []
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{_W}t":
            parts.append((child.text or "", marked))
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append(("\t", marked))
        elif tag == f"{_W}br":
            kind = child.get(f"{_W}type", "textWrapping")
            parts.append(("\n" if kind == "textWrapping" else "", marked))
        elif tag == f"{_W}cr":
            parts.append(("\n", marked))
        elif tag == f"{_W}noBreakHyphen":
            parts.append(("-", marked))
        elif tag == f"{_W}txbxContent":
            boxes.append(child)
        elif tag == f"{_W}r":
            parts.extend(_inline_pieces(child, boxes, _run_marked(child)))
        else:
            parts.extend(_inline_pieces(child, boxes, marked))
    return parts


def _inline_text(element: Any, boxes: list[Any]) -> str:
    """A paragraph's text as Word shows it (see _inline_pieces), NFC: a table of tasks is
    matched on its column names ("Đơn vị chủ trì") before the plan's text is normalised."""
    return unicodedata.normalize("NFC", "".join(text for text, _ in _inline_pieces(element, boxes)))


def _blocks(element: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body, cell or text box in order, also inside block-level
    content controls (the fields of a form-like template)."""
    for child in element:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (f"{_W}ins", f"{_W}customXml"):  # a tracked inserted table
            yield from _blocks(child)


def marked_blocks(container: Any) -> Iterator[tuple[Any, str, list[bool]]]:
    """The paragraphs and tables of a body (or cell) in reading order, also inside
    block-level content controls, each paragraph with its text as Word shows it (links,
    fields, content controls, tracked insertions; line breaks as "\\n") and, per character,
    whether its run is bold, underlined, highlighted or coloured; a text box's paragraphs come
    after the paragraph holding it. A table comes as (its w:tbl element, "", [])."""
    for element in _blocks(container):
        if element.tag == f"{_W}tbl":
            yield element, "", []
            continue
        boxes: list[Any] = []
        text, marks = "", []
        for raw, marked in _inline_pieces(element, boxes):
            piece = unicodedata.normalize("NFC", raw)  # "Câu" typed as C, a, combining ^
            text += piece
            marks += [marked] * len(piece)
        yield element, text, marks
        for box in boxes:
            yield from marked_blocks(box)


_LIST_TABLE_COLUMNS = 3  # a table this wide with a header line lists items, one per row
_ORDINAL = re.compile(r"\(?(\d{1,3}|[IVX]{1,5}|[a-zđ])[.)]?\)?")
_NUMBER = re.compile(r"\(?\d{1,3}[.)]?\)?")
# the column naming who leads each task: "Đơn vị chủ trì", "Cơ quan thực hiện", "Đơn vị"
_LEAD = re.compile(r"chu tri|^(?:don vi|co quan)(?! phoi hop)")
_CONTENT = re.compile(r"noi dung|nhiem vu|cong viec|hoat dong")
_COLUMN_NUMBERS = re.compile(r"\(?\d{1,2}\)?|[A-Z]")


# a line that opens a numbered item: "1. Phân công nhiệm vụ", "2) …", "1.2. …"
_ITEM_LINE = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.)]\s+\S")
_LABELLED_LINE = re.compile(r"(?:[IVXivx]{1,6}|[a-zđA-H])\s*[.)/-]\s|[-+*\u2013\u2022\u00b7]")


# an annex's heading ("PHỤ LỤC", "Phụ lục 2: …") or its line "(Kèm theo Kế hoạch số …)"; not a
# body's sentence "Kèm theo Kế hoạch này là bảng phân công …" introducing its own table
_ANNEX_LINE = re.compile(r"phu luc\b.{0,80}$|\(\s*kem theo\b")


def _item_number(lines: list[str]) -> str:
    """The number of the item the lines before a table end in ("1." of "1. Phân công nhiệm
    vụ" and its lead-in paragraph), "" when the nearest numbered line is a part ("IV.",
    "a)", a bullet), an annex begins after it ("PHỤ LỤC", "(Kèm theo Kế hoạch …)") or there is
    none (`lines`: those since the last table)."""
    for line in reversed(lines):
        text = line.strip()
        if _ANNEX_LINE.match(fold(text)):
            return ""  # an annex's table belongs to no item of the body above it
        found = _ITEM_LINE.match(text)
        if found:
            return found.group(1) + "."
        if _LABELLED_LINE.match(text):
            return ""
    return ""


def _list_rows(rows: list[list[str]], under: str = "") -> list[str] | None:
    """A table of items (tasks with their lead agency and deadline, as plans annex them) as
    one line per row as a plan writes a task, "1. Phòng Nội vụ: <the task>; phối hợp với …;
    Thời gian hoàn thành: …", so each row reads as one clause; None for a table that is no such list (the header and signature blocks).
    Under a numbered item (`under`: "1.") the rows are numbered below it ("1.1.", "1.2."), so
    they are that item's parts, not more items beside it with the same numbers."""
    if len(rows) < 2 or len(rows[0]) < _LIST_TABLE_COLUMNS:  # noqa: PLR2004 - a header and a row
        return None
    header = rows[0]
    if not all(header) or any(len(h) > 60 or re.search(r"\d", h) for h in header):  # noqa: PLR2004 - a header is short
        return None
    lead = next((i for i, h in enumerate(header) if _LEAD.search(fold(h))), None)
    lines = []
    for cells in rows[1:]:
        if all(_COLUMN_NUMBERS.fullmatch(c) or not c for c in cells):
            continue  # the (1) (2) (3) line under the header
        label, agency = "", ""
        parts: list[str] = []
        for i, (name, value) in enumerate(zip(header, cells, strict=False)):
            if not value or value == name:
                continue
            if not label and not parts and i != lead and _ORDINAL.fullmatch(value):
                # "1" numbers the task; a group's "I" or "a" must not start a section of the plan
                label = under + value.strip("().") + "." if _NUMBER.fullmatch(value) else " "
            elif i == lead:
                agency = value  # first, as a plan writes "1. Phòng Nội vụ: chủ trì …"
            elif _CONTENT.search(fold(name)):
                parts.append(value)  # the task itself needs no name
            elif "phoi hop" in fold(name):
                parts.append(f"phối hợp với {value}")  # as a plan writes it
            else:
                parts.append(f"{name}: {value}")
        body = "; ".join(parts)
        text = f"{agency}: {body}" if agency and body else agency or body
        if text:
            lines.append(" ".join(filter(None, (label.strip(), text.rstrip(".") + "."))))
    return lines


# The old 8-bit Vietnamese fonts by name: TCVN3's ".VnTime", ".VnArial", ".VnTimeH"…, VNI's
# "VNI-Times", "VNI-Helve"…
_OLD_FONT = re.compile(r"\.vn|vni[- ]", re.IGNORECASE)


def names_old_font(document: Any) -> bool:
    """Whether the document's runs or styles set text in an old 8-bit Vietnamese font
    (w:rFonts w:ascii=".VnTime" or "VNI-Times"), as Word does for text typed in one."""
    for root in (document.element.body, document.styles.element):
        for fonts in root.iter(f"{_W}rFonts"):
            if any(_OLD_FONT.match(fonts.get(f"{_W}{a}") or "") for a in ("ascii", "hAnsi")):
                return True
    return False


def paragraph_texts(container: Any) -> Iterator[str]:
    """Each paragraph's own text in reading order, in tables (cell by cell) and text boxes
    too: where text typed in an old font is looked for, paragraph by paragraph, as the lines
    text_from_docx makes may join a cell's text with Unicode words ("Thời gian hoàn thành")."""
    for element, text, _ in marked_blocks(container):
        if element.tag != f"{_W}tbl":
            yield text
            continue
        for row in element.iterchildren(f"{_W}tr"):
            for cell in row.iterchildren(f"{_W}tc"):
                yield from paragraph_texts(cell)


def open_docx(data: bytes) -> Any:
    """The python-docx document of ``data``; ValueError if it is not a readable .docx file."""
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a bad package
        raise ValueError("Tệp không phải là tài liệu Word (.docx) hợp lệ.") from exc


def text_from_docx(data: bytes) -> str:
    """document_text of a .docx; ValueError if it is not a readable .docx file."""
    return document_text(open_docx(data))


def document_text(document: Any) -> str:
    """Text of a .docx document in reading order, one paragraph per line.

    Tables (the two-column header and signature blocks) are read row by row, cell by
    cell; a merged cell is read once; a table of items (three columns or more under a header:
    tasks, agencies, deadlines) one row per line; a blank line follows each table. Automatic numbering
    is written out ("I.", "1.", "a)", "-"), tracked changes read as accepted, text boxes
    after the paragraph that holds them.

    Raises ValueError if the document's numbering part cannot be read.
    """
    from docx.table import Table

    try:
        numbering = _Numbering(document)
    except Exception as exc:  # a broken package as python-docx reads it
        raise ValueError("Tệp không phải là tài liệu Word (.docx) hợp lệ.") from exc
    lines: list[str] = []
    since_table = [0]  # where the lines after the last table start

    def cell_text(cell: Any) -> str:
        """A cell's text as walk reads it (numbering, text boxes), on one line."""
        outer = len(lines)
        walk(cell, cell._tc)
        text = " ".join(line for line in lines[outer:] if line)
        del lines[outer:]
        return text

    def walk(parent: Any, container: Any) -> None:
        for element in _blocks(container):
            if element.tag == f"{_W}tbl":
                table = Table(element, parent)
                counted = numbering.saved()
                listed = _list_rows(
                    [
                        [" ".join(cell_text(cell).split()) for cell in row.cells]
                        for row in table.rows
                    ],
                    _item_number(lines[since_table[0] :]),
                )
                if listed is not None:
                    lines.extend([*listed, ""])
                    since_table[0] = len(lines)
                    continue
                numbering.counters = counted  # read again below: its numbers counted once
                seen: list[Any] = []  # cell elements; kept alive so identity is reliable
                for row in table.rows:
                    for cell in row.cells:
                        if any(cell._tc is tc for tc in seen):
                            continue
                        seen.append(cell._tc)
                        walk(cell, cell._tc)
                lines.append("")
                since_table[0] = len(lines)
                continue
            boxes: list[Any] = []
            text = _inline_text(element, boxes)
            label = numbering.label(element)
            lines.extend(f"{label} {text}".split("\n") if label and text else text.split("\n"))
            for box in boxes:
                walk(parent, box)

    try:
        walk(document, document.element.body)
    except Exception as exc:  # a damaged part: refused like an unreadable file
        raise ValueError("Tệp không phải là tài liệu Word (.docx) hợp lệ.") from exc
    return "\n".join(lines)
