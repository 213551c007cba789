"""Participants (đối tượng): collectives and individuals."""

from __future__ import annotations

import re
from collections.abc import Iterable

from thidua.campaigns.parsing.agencies import PAREN_RE, SPLIT_RE
from thidua.campaigns.parsing.body import key_paragraphs
from thidua.campaigns.parsing.result import ParsedPlan
from thidua.campaigns.parsing.text import decapitalise, fold, squash, strip_punct

# Participants --------------------------------------------------------------------------

# "Tập thể:", "Đối với cá nhân:", "tập thể dự thi là …"
_MARKER_RE = re.compile(
    r"(?:doi\s+voi\s+)?(?:cac\s+)?(?P<who>tap\s+the|ca\s+nhan)(?:\s+du\s+thi)?\s*"
    r"(?::|\b(?:la|gom|bao\s+gom)\b)"
)
_PARTICIPANTS_COLON_RE = re.compile(r"[^:]*\b(?:doi\s+tuong|thanh\s+phan)\b[^:]*:")
_ITEM_LEAD_RE = re.compile(
    r"(?:cac|nhung|toan\s+the|tat\s+ca|moi)\s+(?:tang\s+lop\s+)?|(?:cac|moi)\s+tang\s+lop\s+"
)
_ITEM_CUT_RE = re.compile(
    r"\s+(?:tren\s+dia\s+ban|dang\s+(?:cong\s+tac|sinh\s+song|hoc\s+tap|lam\s+viec)|"
    r"(?<!truc\s)thuoc|tai|trong\s+va\s+ngoai|co\s+thanh\s+tich|tham\s+gia|"
    r"trong\s+(?:tinh|xa|phuong|huyen|thanh\s+pho|thi\s+xa|toan|ca\s+nuoc|nganh|don\s+vi))\b"
)
# "UBND các xã, phường": the level words after a comma belong to the same item
_LEVEL_LIST_RE = re.compile(r"\s*,\s*(?=(?:xa|phuong|thi\s+tran)\b(?:\s*[,;.]|\s*$))")
_INDIVIDUAL_RE = re.compile(
    r"(?:can\s+bo|cong\s+chuc|vien\s+chuc|dang\s+vien|nguoi\s+lao\s+dong|cong\s+nhan|nhan\s+dan|"
    r"hoc\s+sinh|sinh\s+vien|giao\s+vien|doan\s+vien|hoi\s+vien|chien\s+si|luc\s+luong\s+vu\s+trang|"
    r"nguoi\s+dan|thanh\s+nien|cuu\s+chien\s+binh|phu\s+nu|nong\s+dan|ca\s+nhan|nha\s+giao|"
    r"y\s+bac\s+si|thieu\s+nhi|nhan\s+vien|doanh\s+nhan|cong\s+dan|nguoi)\b"
)


def _without_scope(text: str) -> str:
    """Drop scope phrases up to the next ";" ("… đang công tác tại các cơ quan, đơn vị;")."""
    folded = fold(text)
    out: list[str] = []
    pos = 0
    for cut in _ITEM_CUT_RE.finditer(folded):
        if cut.start() < pos:
            continue
        out.append(text[pos : cut.start()])
        end = folded.find(";", cut.end())
        pos = len(text) if end == -1 else end
    out.append(text[pos:])
    return "".join(out)


def _participant_items(text: str) -> list[str]:
    items: list[str] = []
    for part in _split_plain(_without_scope(text)):
        item = part.strip()
        folded = fold(item)
        lead = _ITEM_LEAD_RE.match(folded)
        if lead:
            item, folded = item[lead.end() :], folded[lead.end() :]
        cut = _ITEM_CUT_RE.search(folded)
        if cut:
            item = item[: cut.start()]
        item = strip_punct(PAREN_RE.sub(" ", item))
        if item and any(c.isalpha() for c in item):
            items.append(decapitalise(squash(item)))
    return items


def _split_plain(text: str) -> list[str]:
    """Split an enumeration on ",", ";" and "và" (no agency protection)."""
    folded = fold(text)
    parts: list[str] = []
    pos = 0
    for match in SPLIT_RE.finditer(folded):
        before = re.sub(r"^\s*(?:cac\s+)?", "", folded[pos : match.start()]).strip()
        named = not re.fullmatch(r"xa|phuong|thi\s+tran", before)  # "UBND các xã", not "các xã"
        if named and _LEVEL_LIST_RE.match(folded, match.start()) and ";" not in match.group():
            continue
        parts.append(text[pos : match.start()])
        pos = match.end()
    parts.append(text[pos:])
    return parts


def _add_unique(target: list[str], items: Iterable[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def extract_participants(plan: ParsedPlan) -> None:
    pairs = key_paragraphs(plan, "PARTICIPANTS")
    for para, _ in pairs:
        folded = fold(para.text)
        markers = list(_MARKER_RE.finditer(folded))
        colon = _PARTICIPANTS_COLON_RE.match(folded)
        if markers and colon and colon.end() < markers[0].start():  # "Đối tượng: …; tập thể là …"
            _classify_participants(
                plan, _participant_items(para.text[colon.end() : markers[0].start()])
            )
        for index, marker in enumerate(markers):
            end = markers[index + 1].start() if index + 1 < len(markers) else len(folded)
            items = _participant_items(para.text[marker.end() : end])
            target = (
                plan.participants_collective
                if marker.group("who").startswith("tap")
                else plan.participants_individual
            )
            _add_unique(target, items)
        if not markers and colon:
            _classify_participants(plan, _participant_items(para.text[colon.end() :]))
    if plan.participants_collective or plan.participants_individual:
        return
    for para, section in pairs:
        if para is not section.heading:
            _classify_participants(plan, _participant_items(para.text))


def _classify_participants(plan: ParsedPlan, items: list[str]) -> None:
    for item in items:
        target = (
            plan.participants_individual
            if _INDIVIDUAL_RE.match(fold(item))
            else plan.participants_collective
        )
        _add_unique(target, [item])
