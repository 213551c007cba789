"""Prizes of a contest ("01 giải Nhất, 02 giải Nhì …"): tier, number, per round or for the
whole contest, individual or collective, and the amount when given."""

from __future__ import annotations

import re
from collections.abc import Iterator

from thidua.campaigns.parsing.body import all_paragraphs_of, key_paragraphs
from thidua.campaigns.parsing.result import Paragraph, ParsedPlan, Prize, Section
from thidua.campaigns.parsing.text import fold, squash
from thidua.core.text import parse_vn_float

_TIER = r"nhat|nhi|ba|tu|khuyen\s+khich|dac\s+biet|tap\s+the|phu|trien\s+vong|[abc]"
_PRIZE_RE = re.compile(  # "01 giải Nhất", or "Giải Nhất: 01 giải"
    rf"(?P<n>\d{{1,3}})\s+giai\s+(?P<tier>{_TIER})\b"
    rf"|\bgiai\s+(?P<tier2>{_TIER})\b\s*:?\s*(?P<n2>\d{{1,3}})\s+giai\b"
)
_ROUND_RE = re.compile(
    r"\bgiai\s+(?:tuan|dot|thang|vong|ky)\b|\b(?:moi|hang|tung)\s+(?:tuan|dot|thang|vong|ky)\b"
)
_CONTEST_RE = re.compile(
    r"\bchung\s+cuoc\b|\b(?:toan|ca)\s+cuoc\s+thi\b|\bchung\s+ket\b|\btong\s+ket\s+cuoc\s+thi\b"
)
_COLLECTIVE_RE = re.compile(
    r"\b(?:giai\s+)?tap\s+the\b|\bcho\s+(?:cac\s+)?(?:doi|don\s+vi|to\s+dan\s+pho|chi\s+bo|"
    r"dang\s+bo|khu\s+dan\s+cu|thon|truong|co\s+quan|chi\s+hoi|xa|phuong)\b"
)
_INDIVIDUAL_RE = re.compile(r"\bca\s+nhan\b")
_AMOUNT_RE = re.compile(
    r"(?P<n>\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*(?P<unit>trieu|nghin|ngan)?\s*(?:dong|d\b|vnd)"
)
_SENTENCE_END_RE = re.compile(r"[.;!?](?=\s|$)|\n")
_UNITS = {"trieu": 1_000_000, "nghin": 1_000, "ngan": 1_000}


def _amount(folded: str) -> int | None:
    match = _AMOUNT_RE.search(folded)
    if match is None:
        return None
    number, unit = match.group("n"), match.group("unit")
    if unit:
        return round(parse_vn_float(number) * _UNITS[unit])
    return int(re.sub(r"[.,]", "", number))


def _scope(*texts: str) -> str | None:
    """The last round or contest cue, reading the texts in order (headings, then the item)."""
    scope: str | None = None
    for text in texts:
        cues = [(m.start(), "round") for m in _ROUND_RE.finditer(text)]
        cues += [(m.start(), "contest") for m in _CONTEST_RE.finditer(text)]
        if cues:
            scope = max(cues)[1]
    return scope


def _target(tier: str, own: str, rest: str, context: str) -> str:
    for text in (own, rest, context):
        if _COLLECTIVE_RE.search(text) and not _INDIVIDUAL_RE.search(text):
            return "collective"
        if _INDIVIDUAL_RE.search(text):
            return "individual"
    return "collective" if fold(tier) == "tap the" else "individual"


def _headings(sections: list[Section], trail: tuple[str, ...] = ()) -> Iterator[tuple[int, str]]:
    for section in sections:
        here = (*trail, fold(section.title))
        yield id(section), " ".join(here)
        yield from _headings(section.children, here)


def _prizes_in(para: Paragraph, section: Section | None, heading_text: str) -> Iterator[Prize]:
    folded = fold(para.text)
    matches = list(_PRIZE_RE.finditer(folded))
    for index, match in enumerate(matches):
        n, tier_group = ("n", "tier") if match.group("n") else ("n2", "tier2")
        tier = para.text[match.start(tier_group) : match.end(tier_group)]
        sentence_end = _SENTENCE_END_RE.search(folded, match.end())
        end = sentence_end.start() if sentence_end else len(folded)
        own_end = matches[index + 1].start() if index + 1 < len(matches) else end
        own = folded[match.end() : min(own_end, end)]
        last = matches[-1]
        shared = last.end() < end and "tap the" not in (last.group("tier") or last.group("tier2"))
        rest = folded[last.end() : end] if shared else ""  # "… giải C cho các đội": all of them
        before = folded[: match.start()]
        yield Prize(
            tier=tier if fold(tier) in {"tap the", "phu"} else tier[:1].upper() + tier[1:],
            count=int(match.group(n)),
            clause=section.clause if section else None,
            scope=_scope(heading_text, before),
            target=_target(tier, own, rest, heading_text + " " + before),
            amount=_amount(own),
            text=squash(para.text),
            line=para.first_line,
        )


def extract_prizes(plan: ParsedPlan) -> None:
    pairs: list[tuple[Paragraph, Section | None]] = list(key_paragraphs(plan, "AWARDS"))
    if not pairs:
        pairs = all_paragraphs_of(plan)
    headings = dict(_headings(plan.sections))
    for para, section in pairs:
        context = headings.get(id(section), "") if section else ""
        plan.prizes.extend(_prizes_in(para, section, context))
