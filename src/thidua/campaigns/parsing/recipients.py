"""Roles of the recipients (Nơi nhận): who acts on the plan, who is only informed.

A line's role comes from its note first ("(để b/c)", "(để biết)", "(để t/h)"), then from what
it names: "Lưu: VT" is the archive, "Như trên" the addressees, a standing committee ("TT Tỉnh
ủy") or a body above the issuer is reported to, the issuer's own leaders are informed, and
anyone else is asked to act.
"""

from __future__ import annotations

import re

from thidua.campaigns.parsing.text import fold

IMPLEMENT, REPORT, INFO, ARCHIVE = "implement", "report", "info", "archive"

ARCHIVE_RE = re.compile(r"luu\b(?:\s*:|\s+(?:vt|van\s+thu|van\s+phong|vp\w*|hs|ho\s+so)\b)")
_NOTE_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (REPORT, re.compile(r"\bbao\s+cao\b|\bb/c\b")),
    (INFO, re.compile(r"\bbiet\b|\btheo\s+doi\b|\bchi\s+dao\b|\bgiam\s+sat\b|\bt/d\b|\bc/d\b")),
    (
        IMPLEMENT,
        re.compile(r"\bthuc\s+hien\b|\bphoi\s+hop\b|\btrien\s+khai\b|\bt/h\b|\bp/h\b|\bdang\b"),
    ),
)
_AS_ABOVE_RE = re.compile(r"nhu\s+(?:tren|muc|thanh\s+phan|kinh\s+gui|phan)\b")
_STANDING_RE = re.compile(
    r"(?:tt|t\.t|thuong\s+truc|ban\s+thuong\s+vu|btv|ban\s+chap\s+hanh|bch)\b(?!\s+(?:van\s+hoa|y\s+te))"
)
_LEADERS_RE = re.compile(
    r"(?:cac\s+)?(?:chu\s+tich|pho\s+chu\s+tich|ct|pct|giam\s+doc|gd|pgd|lanh\s+dao|thanh\s+vien|"
    r"dong\s+chi|uy\s+vien|truong\s+ban|bi\s+thu)\b"
)
# Rank of a level: 0 central, 1 province, 2 district, 3 commune.
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(r"\b(?:trung\s+uong|chinh\s+phu|quoc\s+hoi)\b|(?:^|[,;]\s*)bo\s+(?!phan\b)\w")),
    (1, re.compile(r"\b(?:tinh|so\s+\w+)\b")),
    (2, re.compile(r"\b(?:thanh\s+pho|tp|huyen|quan|thi\s+xa|thanh\s+uy|huyen\s+uy|thi\s+uy)\b")),
    (3, re.compile(r"\b(?:phuong|xa|thi\s+tran)\b")),
)


def level_rank(name: str | None) -> int | None:
    """The highest level a name mentions (0 central … 3 commune), or None."""
    folded = fold(name or "")
    ranks = [rank for rank, pattern in _LEVELS if pattern.search(folded)]
    return min(ranks) if ranks else None


def issuer_rank(issuer: str | None) -> int | None:
    """The issuer's own level: the lowest level its name mentions ("ĐẢNG ỦY PHƯỜNG …" → 3)."""
    folded = fold(issuer or "")
    ranks = [rank for rank, pattern in _LEVELS if pattern.search(folded)]
    return max(ranks) if ranks else None


def recipient_role(text: str, note: str | None, issuer: str | None) -> str:
    folded = fold(text)
    if ARCHIVE_RE.match(folded):
        return ARCHIVE
    rules = [(pattern, role) for role, pattern in _NOTE_ROLES if note]
    for pattern, role in rules:
        if note and pattern.search(fold(note)):
            return role
    for pattern, role in ((_AS_ABOVE_RE, IMPLEMENT), (_STANDING_RE, REPORT), (_LEADERS_RE, INFO)):
        if pattern.match(folded):
            return role
    own, theirs = issuer_rank(issuer), level_rank(text)
    return REPORT if own is not None and theirs is not None and theirs < own else IMPLEMENT
