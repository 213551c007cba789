"""The activities a plan names ("Lễ phát động và ký giao ước thi đua", "Hội thi …", "Tọa đàm
…"), in its own wording, each with the nearest standard form.

An activity is a phrase that opens with an activity noun (lễ, tọa đàm, hội thi, giải chạy …)
at the start of an item, after a colon or, for the clearer nouns, after a comma ("Tọa đàm,
nói chuyện chuyên đề, triển lãm ảnh"). The name runs to the next one or to where the details
begin (a date, "vào …", "dành cho …", a parenthesis). Only the plan's forms sections are read
(else its contents), plus the title of a contest plan ("Tổ chức Cuộc thi …").
"""

from __future__ import annotations

import re

from thidua.campaigns.parsing.body import key_paragraphs
from thidua.campaigns.parsing.result import FormMention, Paragraph, ParsedPlan, Section
from thidua.campaigns.parsing.text import fold, squash, strip_punct

STANDARD_LABELS = {
    "SEMINAR": "tọa đàm",
    "TALK": "nói chuyện chuyên đề",
    "PHOTO_EXHIBITION": "triển lãm ảnh",
    "BOOK_DISPLAY": "trưng bày sách",
    "CONTEST": "cuộc thi tìm hiểu",
    "MEDIA": "tuyên truyền trên phương tiện thông tin",
    "OTHER": "hình thức khác",
}
# (code, noun, may follow a comma). Longer nouns first where they share a start.
_NOUNS: tuple[tuple[str, str, bool], ...] = (
    ("SEMINAR", r"toa\s+dam|hoi\s+thao|dien\s+dan", True),
    ("TALK", r"noi\s+chuyen(?:\s+chuyen\s+de)?|(?:bao\s+cao|sinh\s+hoat)\s+chuyen\s+de", True),
    ("PHOTO_EXHIBITION", r"trien\s+lam\s+(?:anh|hinh\s+anh|tranh\s+anh|tranh,\s*anh)", True),
    (
        "BOOK_DISPLAY",
        r"trung\s+bay(?:,?\s+gioi\s+thieu)?\s+sach|ngay\s+hoi\s+(?:doc\s+)?sach",
        True,
    ),
    ("BOOK_DISPLAY", r"gioi\s+thieu\s+sach", False),
    ("CONTEST", r"(?:cuoc|hoi)\s+thi", True),
    ("CONTEST", r"thi\s+(?:tim\s+hieu|viet|trac\s+nghiem|truc\s+tuyen|sang\s+tac|ve)", True),
    ("MEDIA", r"tuyen\s+truyen|(?:mo\s+)?(?:cac\s+)?chuyen\s+(?:trang|muc)|dua\s+tin", False),
    ("OTHER", r"trien\s+lam|trung\s+bay|hoi\s+dien|lien\s+hoan|hoi\s+nghi|hoi\s+trai", True),
    (
        "OTHER",
        r"ra\s+quan|mit\s+tinh|ngay\s+hoi|chuong\s+trinh\s+(?:nghe\s+thuat|van\s+nghe)",
        True,
    ),
    ("OTHER", r"giai\s+(?!thuong|nhat|nhi|ba\b|khuyen|dac|tap\s+the)\w+|le|gap\s+mat", True),
    ("OTHER", r"giao\s+luu|dang\s+huong|hanh\s+trinh|chieu\s+phim|hoi\s+cho|tham\s+quan", False),
)
_NOUN_RES = tuple((code, re.compile(rf"(?:{noun})\b"), comma) for code, noun, comma in _NOUNS)
_LEAD_RE = re.compile(r"(?:(?:to\s+chuc|trien\s+khai|thuc\s+hien|dong\s+thoi)\s+)?(?:cac\s+)?")
_SEGMENT_RE = re.compile(r";|:|\.(?=\s|$)|\n")
_LIST_RE = re.compile(r",\s*|\s+va\s+")
_CUT_RE = re.compile(
    r"\s+(?:vao\s+(?:sang|chieu|toi|dip|cac|ngay|chu\s+nhat|thu|luc|cuoi|dau|thang|tuan)|"
    r"trong\s+(?:thang|quy|nam\s+\d|dip|thoi\s+gian)|tu\s+(?:ngay|thang|nay)|den\s+ngay|"
    r"(?:sang|chieu|toi)\s+ngay|nhan\s+(?:dip|ky\s+niem|ngay)|voi\s+su\s+tham\s+gia|"
    r"danh\s+cho|nham\s|de\s)|\s*\(|\s*,\s*(?:to\s+chuc|thoi\s+gian|dia\s+diem)\b|\s+ngay\s+\d"
)
_LABEL_MAX_WORDS = 4
_TITLE_CONTEST_RE = re.compile(r"\b(?:cuoc|hoi)\s+thi\b")
_TRAILING_PAREN_RE = re.compile(r"\s*\([^()]*\)\s*$")


def _noun_at(folded: str, pos: int, after_comma: bool) -> str | None:
    for code, pattern, comma in _NOUN_RES:
        if (comma or not after_comma) and pattern.match(folded, pos):
            return code
    return None


def _name(text: str, folded: str, start: int, end: int) -> str:
    cut = _CUT_RE.search(folded, start, end)
    return strip_punct(squash(text[start : cut.start() if cut else end]))


def _in_segment(text: str, folded: str, start: int, end: int) -> list[tuple[str, str]]:
    """(code, name) of each activity in one segment of an item."""
    starts: list[tuple[int, str]] = []
    lead = _LEAD_RE.match(folded, start)
    pos = lead.end() if lead else start
    code = _noun_at(folded, pos, after_comma=False)
    if code:
        starts.append((pos, code))
    for sep in _LIST_RE.finditer(folded, pos, end):
        lead = _LEAD_RE.match(folded, sep.end())
        at = lead.end() if lead else sep.end()
        code = _noun_at(folded, at, after_comma=True)
        if code and starts:
            starts.append((at, code))
    out: list[tuple[str, str]] = []
    for index, (at, code) in enumerate(starts):
        stop = end
        if index + 1 < len(starts):
            stop = max(at, folded.rfind(",", at, starts[index + 1][0]))
            stop = min(stop, starts[index + 1][0])
        name = _name(text, folded, at, stop)
        if name:
            out.append((code, name[:1].upper() + name[1:]))
    return out


def _in_paragraph(text: str) -> list[tuple[str, str]]:
    folded = fold(text)
    out: list[tuple[str, str]] = []
    pos = 0
    for end in [m.start() for m in _SEGMENT_RE.finditer(folded)] + [len(folded)]:
        segment = folded[pos:end].strip()
        is_label = folded.startswith(":", end) and len(segment.split()) <= _LABEL_MAX_WORDS
        if segment and not is_label:
            start = pos + len(folded[pos:end]) - len(folded[pos:end].lstrip())
            out.extend(_in_segment(text, folded, start, end))
        pos = end + 1
    return out


def _item_texts(pairs: list[tuple[Paragraph, Section]]) -> list[tuple[str, int]]:
    """Texts to read: every paragraph, and a heading when it is itself an item ("3.1. Lễ
    phát động …") or carries text after its label ("Gặp mặt, tri ân: Hội nghị …")."""
    out: list[tuple[str, int]] = []
    for para, section in pairs:
        if para is not section.heading or (not section.paragraphs and not section.children):
            out.append((para.text, para.first_line))
        elif ":" in para.text:
            out.append((para.text.split(":", 1)[1], para.first_line))
    return out


def _title_contest(plan: ParsedPlan) -> FormMention | None:
    if not plan.title:
        return None
    match = _TITLE_CONTEST_RE.search(fold(plan.title))
    if not match:
        return None
    name = _TRAILING_PAREN_RE.sub("", plan.title[match.start() :]).strip()
    line = plan.spans.get("title", (None, None))[0]
    return FormMention("CONTEST", STANDARD_LABELS["CONTEST"], name[:1].upper() + name[1:], line)


def extract_forms(plan: ParsedPlan) -> None:
    pairs = key_paragraphs(plan, "FORMS") or key_paragraphs(plan, "CONTENT")
    contest = _title_contest(plan)
    found: list[FormMention] = [contest] if contest else []
    for text, line in _item_texts(pairs):
        for code, name in _in_paragraph(text):
            if contest and code == "CONTEST" and not _TITLE_CONTEST_RE.match(fold(name)):
                continue  # "thi trắc nghiệm trên phần mềm …" is the contest's format
            found.append(FormMention(code, STANDARD_LABELS[code], name, line))
    seen: set[str] = set()
    for mention in found:
        key = fold(mention.text)
        if key not in seen:
            seen.add(key)
            plan.forms.append(mention)
