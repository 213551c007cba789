"""Activity forms the plan names (tọa đàm, hội thi …)."""

from __future__ import annotations

import re

from thidua.campaigns.parsing.agencies import agency_spans
from thidua.campaigns.parsing.body import key_paragraphs
from thidua.campaigns.parsing.result import FormMention, ParsedPlan
from thidua.campaigns.parsing.text import fold

# Activity forms ------------------------------------------------------------------------

_FORM_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("SEMINAR", "tọa đàm", re.compile(r"\btoa\s+dam\b")),
    ("TALK", "nói chuyện chuyên đề", re.compile(r"\bnoi\s+chuyen(?:\s+chuyen\s+de)?\b")),
    (
        "PHOTO_EXHIBITION",
        "triển lãm ảnh",
        re.compile(r"\btrien\s+lam\s+(?:anh|hinh\s+anh|tranh\s+anh|tranh,\s*anh)\b"),
    ),
    (
        "BOOK_DISPLAY",
        "trưng bày sách",
        re.compile(r"\btrung\s+bay(?:,?\s+gioi\s+thieu)?\s+sach\b|\bgioi\s+thieu\s+sach\b"),
    ),
    (
        "CONTEST",
        "cuộc thi tìm hiểu",
        re.compile(
            r"\b(?:cuoc|hoi)\s+thi\b(?:\s+tim\s+hieu\b)?|\bthi\s+(?:tim\s+hieu|viet|trac\s+nghiem|"
            r"truc\s+tuyen)\b"
        ),
    ),
    (
        "MEDIA",
        "tuyên truyền trên phương tiện thông tin",
        re.compile(r"\btuyen\s+truyen\s+(?:tren|qua)\b|\bchuyen\s+(?:trang|muc)\b"),
    ),
    ("OTHER", "hội thảo", re.compile(r"\bhoi\s+thao\b")),
    ("OTHER", "mít tinh", re.compile(r"\bmit\s+tinh\b")),
    ("OTHER", "văn nghệ", re.compile(r"\bvan\s+nghe\b")),
    ("OTHER", "thể dục thể thao", re.compile(r"\b(?:the\s+duc\s+)?the\s+thao\b|\bhoi\s+thao\b")),
    ("OTHER", "giao lưu", re.compile(r"\bgiao\s+luu\b")),
    ("OTHER", "triển lãm", re.compile(r"\btrien\s+lam\b")),
    ("OTHER", "trưng bày", re.compile(r"\btrung\s+bay\b")),
    ("OTHER", "dâng hương", re.compile(r"\bdang\s+huong\b")),
)


def _mask_agencies(folded: str) -> str:
    for start, end, _ in agency_spans(folded):
        folded = folded[:start] + " " * (end - start) + folded[end:]
    return folded


def _forms_in(text: str) -> list[FormMention]:
    folded = _mask_agencies(fold(text))
    hits: list[tuple[int, int, int]] = []
    for index, (_, _, pattern) in enumerate(_FORM_PATTERNS):
        hits.extend((m.start(), -(m.end() - m.start()), index) for m in pattern.finditer(folded))
    hits.sort()
    out: list[FormMention] = []
    end = -1
    for start, negative_length, index in hits:
        if start < end:
            continue
        end = start - negative_length
        code, label, _ = _FORM_PATTERNS[index]
        out.append(FormMention(code, label, text[start:end]))
    return out


def extract_forms(plan: ParsedPlan) -> None:
    paragraphs = [p for p, _ in key_paragraphs(plan, "FORMS")]
    if not paragraphs:
        paragraphs = [p for p, _ in key_paragraphs(plan, "CONTENT")]
    texts = [p.text for p in paragraphs]
    if plan.title:
        texts.append(plan.title)
    seen: set[tuple[str, str]] = set()
    for text in texts:
        for mention in _forms_in(text):
            key = (mention.code, mention.label)
            if key not in seen:
                seen.add(key)
                plan.forms.append(mention)
