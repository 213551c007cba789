"""Document layout: find the header, title, body and tail of the text."""

from __future__ import annotations

import re

from thidua.campaigns.parsing.header import CELL_SPLIT_RE, Header, apply_header, header_line
from thidua.campaigns.parsing.lines import (
    END_MARK_RE,
    KIND_SCAN_LINES,
    PREAMBLE_LEAD_RE,
    SEPARATOR_RE,
    TERMINAL,
    TITLE_MAX_LINES,
    Line,
    kind_of,
    parse_heading,
)
from thidua.campaigns.parsing.result import ParsedPlan
from thidua.campaigns.parsing.tail import AUTHORITY_RE, RECIPIENTS_RE
from thidua.campaigns.parsing.text import fold, squash

# Document layout: header, title, body, tail
# --------------------------------------------------------------------------------------


def split_lines(text: str) -> list[Line]:
    return [Line(no, raw.rstrip(), squash(raw)) for no, raw in enumerate(text.split("\n"), start=1)]


def _find_kind(lines: list[Line]) -> tuple[int, str, str] | None:
    seen = 0
    for index, line in enumerate(lines):
        if line.blank:
            continue
        seen += 1
        if seen > KIND_SCAN_LINES:
            break
        heading = parse_heading(line.text)
        if heading is not None and heading.marker == "roman":
            break
        kind = kind_of(line.text)
        if kind is not None:
            return index, kind[0], kind[1]
    return None


def _header_only(line: Line) -> bool:
    probe = ParsedPlan()
    header = Header()
    header_line(probe, line, header)
    return header.recognised > 0 and not header.leftovers


def _title_block(plan: ParsedPlan, lines: list[Line], start: int, first_text: str) -> int:
    """Read the summary lines after the type word; return the index after them."""
    parts: list[str] = [first_text] if first_text else []
    first_no: int | None = lines[start - 1].no if first_text else None
    last_no = first_no
    index = start
    while index < len(lines) and lines[index].blank and not parts:
        index += 1
    while index < len(lines) and len(parts) < TITLE_MAX_LINES:
        line = lines[index]
        if line.blank:
            break
        if SEPARATOR_RE.fullmatch(line.text):
            index += 1
            break
        folded = fold(line.text)
        lead = PREAMBLE_LEAD_RE.match(folded)
        if parse_heading(line.text) or (
            lead and (folded.startswith("can cu") or (parts and line.text[:1].isupper()))
        ):
            break
        parts.append(line.text)
        first_no = first_no or line.no
        last_no = line.no
        index += 1
    if parts:
        title = squash(" ".join(parts))
        plan.title = title
        plan.summary = re.sub(r"^(?:V/v|v/v|Về việc|về việc)\s*:?\s*", "", title)
        if first_no and last_no:
            plan.spans["title"] = (first_no, last_no)
    return index


def _body_end(lines: list[Line], start: int) -> tuple[int, bool]:
    """Index where the body stops: a "./." line (kept, ``True``), "Nơi nhận" or a signature."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.blank:
            continue
        folded = fold(CELL_SPLIT_RE.split(line.raw.strip())[0])
        if RECIPIENTS_RE.match(folded) or AUTHORITY_RE.match(folded):
            return index, False
        if END_MARK_RE.search(line.raw):
            return index, True
    return len(lines), False


def _split_end_line(line: Line) -> tuple[Line, Line | None]:
    """Split the "./." line into its body text and any cells after it (a signer column)."""
    mark = END_MARK_RE.search(line.raw)
    if mark is None:
        return line, None
    body = line.raw[: mark.start()].rstrip()
    if body.strip() and not body.endswith(TERMINAL):
        body += "."
    rest = line.raw[mark.end() :].strip()
    tail = Line(line.no, rest, squash(rest)) if rest else None
    return Line(line.no, body, squash(body)), tail


def split_layout(plan: ParsedPlan, lines: list[Line]) -> tuple[list[Line], list[Line]]:
    header = Header()
    kind = _find_kind(lines)
    if kind is not None:
        kind_index, plan.kind, rest = kind
        plan.spans["kind"] = (lines[kind_index].no, lines[kind_index].no)
        for line in lines[:kind_index]:
            if not line.blank:
                header_line(plan, line, header)
        body_start = _title_block(plan, lines, kind_index + 1, rest)
    else:
        body_start = 0
        while body_start < len(lines) and (
            lines[body_start].blank or _header_only(lines[body_start])
        ):
            if not lines[body_start].blank:
                header_line(plan, lines[body_start], header)
            body_start += 1
        plan.warn("KIND_MISSING", "Không tìm thấy loại văn bản (ví dụ: KẾ HOẠCH).")
    apply_header(plan, header)
    end, marked = _body_end(lines, body_start)
    if not marked:
        return lines[body_start:end], lines[end:]
    last, extra = _split_end_line(lines[end])
    tail = lines[end + 1 :]
    return [*lines[body_start:end], last], ([extra, *tail] if extra else tail)
