"""The body: the tree of numbered sections and the topics their headings cover."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from thidua.campaigns.parsing.agencies import PAREN_RE
from thidua.campaigns.parsing.lines import (
    LETTERS,
    NOISE_RE,
    SEPARATOR_RE,
    Heading,
    Line,
    bullet,
    parse_heading,
    roman_value,
    should_join,
)
from thidua.campaigns.parsing.result import Paragraph, ParsedPlan, Section
from thidua.campaigns.parsing.text import fold, is_upper, word_count

_KEY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("PURPOSE", re.compile(r"muc\s+(?:dich|tieu)\b")),
    ("REQUIREMENTS", re.compile(r"yeu\s+cau\b")),
    ("TIME", re.compile(r"thoi\s+(?:gian|han)\b")),
    ("CONTENT", re.compile(r"noi\s+dung\b")),
    # "Hình thức tổ chức", "Các hoạt động kỷ niệm"; not "hình thức khen thưởng" nor a
    # contest's "hình thức thi" (its format, not an activity)
    (
        "FORMS",
        re.compile(
            r"hinh\s+thuc\b(?!\s+(?:khen\s+thuong|thi)\b)|hoat\s+dong\b|phan\s+(?:le|hoi)\b"
        ),
    ),
    ("PARTICIPANTS", re.compile(r"doi\s+tuong\b|thanh\s+phan\b")),
    ("SCOPE", re.compile(r"pham\s+vi\b")),
    ("STANDARDS", re.compile(r"tieu\s+(?:chuan|chi)\b")),
    (
        "AWARDS",
        re.compile(r"(?:hinh\s+thuc\s+)?khen\s+thuong\b|giai\s+thuong\b|co\s+cau\s+giai\b"),
    ),
    ("IMPLEMENTATION", re.compile(r"to\s+chuc\s+thuc\s+hien\b|phan\s+cong\b|trach\s+nhiem\b")),
    ("FUNDING", re.compile(r"kinh\s+phi\b")),
    ("REPORTING", re.compile(r"(?:che\s+do\s+)?bao\s+cao\b|thong\s+tin\s+bao\s+cao\b")),
)
_KEY_SEGMENT_RE = re.compile(r"\s*(?:[,;/&]|\s[-\u2013]\s|\bva\b)\s*")
_KEY_LEAD_RE = re.compile(r"(?:ve|cac|nhung)\s+")
_KEY_MAX_WORDS = 12
_CLOSING_RE = re.compile(r"tren\s+day\s+la\b")


def _section_keys(title: str) -> list[str]:
    """Topics of a heading, from the words opening each of its parts.

    "NỘI DUNG THI ĐUA, HÌNH THỨC TỔ CHỨC, … VÀ HÌNH THỨC KHEN THƯỞNG" → CONTENT, FORMS,
    …, AWARDS; a sentence that merely mentions "tiêu chí" gets no key.
    """
    head = PAREN_RE.sub(" ", title.split(":", 1)[0])
    if not is_upper(head) and word_count(head) > _KEY_MAX_WORDS:
        return []
    keys: list[str] = []
    for part in _KEY_SEGMENT_RE.split(fold(head)):
        segment = part.strip()
        lead = _KEY_LEAD_RE.match(segment)
        if lead:
            segment = segment[lead.end() :]
        keys.extend(k for k, pattern in _KEY_PATTERNS if pattern.match(segment) and k not in keys)
    return keys


def _assign_keys(sections: list[Section], inside_implementation: bool = False) -> None:
    for section in sections:
        section.keys = [] if inside_implementation else _section_keys(section.title)
        _assign_keys(section.children, inside_implementation or "IMPLEMENTATION" in section.keys)


@dataclass
class _BodyState:
    plan: ParsedPlan
    stack: list[Section] = field(default_factory=list)
    last: Paragraph | None = None
    last_is_heading: bool = False
    blank: bool = False
    closing: bool = False

    def target(self) -> list[Paragraph]:
        if self.closing:
            return self.plan.closing
        return self.stack[-1].paragraphs if self.stack else self.plan.preamble


def _clause_for(parent: Section | None, heading: Heading) -> str:
    if parent is None:
        return heading.label
    if (
        heading.marker.startswith("arabic")
        and parent.marker.startswith("arabic")
        and heading.label.startswith(parent.label + ".")
    ):
        base = parent.clause[: -len(parent.label)]
        return base + heading.label
    return f"{parent.clause}.{heading.label}"


def _open_section(state: _BodyState, heading: Heading, line: Line) -> None:
    markers = [s.marker for s in state.stack]
    if heading.marker in markers:
        del state.stack[markers.index(heading.marker) :]
    parent = state.stack[-1] if state.stack else None
    para = Paragraph(heading.rest, line.no, line.no)
    section = Section(
        label=heading.label,
        clause=_clause_for(parent, heading),
        marker=heading.marker,
        heading=para,
    )
    (parent.children if parent else state.plan.sections).append(section)
    state.stack.append(section)
    state.last, state.last_is_heading, state.closing = para, True, False


def _body_line(state: _BodyState, line: Line) -> None:
    text = line.text
    heading = parse_heading(text)
    if heading is not None:
        _open_section(state, heading, line)
        return
    item = bullet(text)
    if (
        item is None
        and state.last is not None
        and should_join(state.last.text, state.last_is_heading, text, state.blank)
    ):
        state.last.text = f"{state.last.text} {text}"
        state.last.last_line = line.no
        return
    if item is None and state.stack and _CLOSING_RE.match(fold(text)):
        state.closing = True
    para = Paragraph(item if item is not None else text, line.no, line.no)
    state.target().append(para)
    state.last, state.last_is_heading = para, False


def parse_body(plan: ParsedPlan, lines: list[Line]) -> None:
    state = _BodyState(plan)
    for line in lines:
        if line.blank:
            state.blank = True
            continue
        folded = fold(line.text)
        if NOISE_RE.fullmatch(folded):
            plan.unrecognised.append(Paragraph(line.text, line.no, line.no))
            continue
        if SEPARATOR_RE.fullmatch(line.text):
            continue
        _body_line(state, line)
        state.blank = False
    _assign_keys(plan.sections)


def _letter_index(label: str) -> int:
    return LETTERS.index(label) + 1 if label in LETTERS else ord(label) - ord("a") + 1


def _ordinal(section: Section) -> int:
    if section.marker == "roman":
        return roman_value(section.label) or 0
    if section.marker == "letter":
        return _letter_index(section.label)
    if section.marker == "part":
        return ord(section.label) - ord("A") + 1
    return int(section.label.rsplit(".", 1)[-1])


def check_numbering(plan: ParsedPlan, sections: list[Section], parent: str) -> None:
    previous: dict[str, Section] = {}
    for section in sections:
        before = previous.get(section.marker)
        if before is not None:
            step = _ordinal(section) - _ordinal(before)
            where = f"Mục {parent}" if parent else "Phần thân văn bản"
            if step > 1:
                plan.warn(
                    "NUMBERING_GAP",
                    f"{where}: sau mục {before.label} là mục {section.label} (số thứ tự bị nhảy, "
                    "giữ nguyên như bản gốc).",
                    section.heading.first_line,
                )
            elif step < 1:
                plan.warn(
                    "NUMBERING_ORDER",
                    f"{where}: số thứ tự không tăng dần (sau {before.label} là {section.label}).",
                    section.heading.first_line,
                )
        previous[section.marker] = section
        check_numbering(plan, section.children, section.clause)


def collect(sections: Iterable[Section], key: str) -> list[Section]:
    """Top-most sections whose heading covers ``key``."""
    out: list[Section] = []
    for section in sections:
        if key in section.keys:
            out.append(section)
        else:
            out.extend(collect(section.children, key))
    return out


def _paragraphs_for(
    section: Section, key: str, titles: bool = True
) -> list[tuple[Paragraph, Section]]:
    out: list[tuple[Paragraph, Section]] = []
    if titles:
        out.append((section.heading, section))
    out.extend((p, section) for p in section.paragraphs)
    for child in section.children:
        if not child.keys or key in child.keys:
            out.extend(_paragraphs_for(child, key, titles))
    return out


def key_paragraphs(
    plan: ParsedPlan, key: str, titles: bool = True
) -> list[tuple[Paragraph, Section]]:
    out: list[tuple[Paragraph, Section]] = []
    for section in collect(plan.sections, key):
        out.extend(_paragraphs_for(section, key, titles))
    return out


def all_paragraphs_of(plan: ParsedPlan) -> list[tuple[Paragraph, Section | None]]:
    out: list[tuple[Paragraph, Section | None]] = [(p, None) for p in plan.preamble]
    for section in plan.walk_sections():
        out.append((section.heading, section))
        out.extend((p, section) for p in section.paragraphs)
    return out
