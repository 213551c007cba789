"""The tail: recipients (Nơi nhận) and the signature block."""

from __future__ import annotations

import re
from dataclasses import dataclass

from thidua.campaigns.parsing.header import CELL_SPLIT_RE
from thidua.campaigns.parsing.lines import Line, bullet
from thidua.campaigns.parsing.recipients import ARCHIVE, ARCHIVE_RE, recipient_role
from thidua.campaigns.parsing.result import Paragraph, ParsedPlan, Recipient, Signer
from thidua.campaigns.parsing.text import fold, is_upper, squash

RECIPIENTS_RE = re.compile(r"noi\s+nhan\s*:?")
AUTHORITY_RE = re.compile(r"(?:tm\s*\.|t/m\s*\.?)\s*\S")  # "TM. ỦY BAN NHÂN DÂN", "T/M ĐẢNG ỦY"
_DELEGATION_RE = re.compile(r"(?:(?:kt|tl|tuq|q)\s*\.|(?:k/t|t/l)\s*\.?)\s*\S")
_POSITION_RE = re.compile(
    r"(?:pho\s+)?(?:chu\s+tich|giam\s+doc|truong\s+phong|truong\s+ban|bi\s+thu|thu\s+truong|"
    r"chanh\s+van\s+phong|hieu\s+truong|chu\s+nhiem|tong\s+giam\s+doc)\b.*"
)
_SIGNED_RE = re.compile(r"\(\s*(?:da\s+ky|ky|ky\s+ten|ky,)[^)]*\)")
_NOTE_RE = re.compile(r"\(\s*(?P<note>[^()]*?)\s*\)\s*$")
_NOTE_ABBREVIATIONS = {
    "b/c": "báo cáo",
    "t/h": "thực hiện",
    "p/h": "phối hợp",
    "c/đ": "chỉ đạo",
    "c/d": "chỉ đạo",
    "t/d": "theo dõi",
    "đ/b": "đăng báo",
    "t/b": "thông báo",
}
_NAME_MIN_WORDS = 2
_NAME_MAX_WORDS = 6


def _expand_note(note: str) -> str:
    words = [_NOTE_ABBREVIATIONS.get(word.lower(), word) for word in note.split()]
    return " ".join(words)


def _looks_like_name(cell: str) -> bool:
    words = cell.split()
    return _NAME_MIN_WORDS <= len(words) <= _NAME_MAX_WORDS and all(
        word[:1].isupper() and word.replace("-", "").isalpha() for word in words
    )


@dataclass
class _TailState:
    in_recipients: bool = False
    authority: str | None = None
    delegation: str | None = None
    title: str | None = None
    name: str | None = None
    signed: str | None = None
    first_line: int | None = None
    last_line: int | None = None

    def touch(self, line_no: int) -> None:
        self.first_line = self.first_line or line_no
        self.last_line = line_no

    def signer(self) -> Signer | None:
        if not (self.authority or self.delegation or self.title or self.name):
            return None
        return Signer(self.authority, self.delegation, self.title, self.name, self.signed)


def _signer_cell(state: _TailState, cell: str, folded: str, line_no: int) -> bool:
    if AUTHORITY_RE.match(folded):
        state.authority = squash(cell)
    elif _DELEGATION_RE.match(folded):
        state.delegation = squash(cell)
    elif _SIGNED_RE.fullmatch(folded):
        state.signed = squash(cell)
    elif is_upper(cell) and _POSITION_RE.fullmatch(folded):
        state.title = squash(cell)
    elif (state.title or state.authority) and state.name is None and _looks_like_name(cell):
        state.name = squash(cell.title() if is_upper(cell) else cell)
    else:
        return False
    state.touch(line_no)
    return True


def _add_recipient(plan: ParsedPlan, text: str, line_no: int, new: bool) -> None:
    previous = plan.recipients[-1] if plan.recipients else None
    if not new and previous is not None and not previous.text.endswith((";", ".")):
        previous.text = squash(f"{previous.text} {text}")
        return
    plan.recipients.append(Recipient(squash(text), None, False, line_no))


def _finish_recipients(plan: ParsedPlan) -> None:
    """Drop list punctuation, expand the "(để b/c)" notes, set each line's role."""
    for recipient in plan.recipients:
        recipient.text = recipient.text.rstrip(" ;,.")
        note = _NOTE_RE.search(recipient.text)
        recipient.note = _expand_note(note.group("note")) if note else None
        recipient.role = recipient_role(recipient.text, recipient.note, plan.issuer)
        recipient.archive = recipient.role == ARCHIVE
    plan.recipients = [r for r in plan.recipients if r.text]


def _tail_cell(plan: ParsedPlan, state: _TailState, cell: str, line_no: int) -> None:
    folded = fold(cell)
    header = RECIPIENTS_RE.match(folded)
    if header:
        state.in_recipients = True
        plan.spans["recipients"] = (line_no, line_no)
        rest = cell[header.end() :].strip()
        if rest:
            _tail_cell(plan, state, rest, line_no)
        return
    if _signer_cell(state, cell, folded, line_no):
        return
    item = bullet(cell)
    if item is not None and (state.in_recipients or not plan.recipients):
        state.in_recipients = True
        _add_recipient(plan, item, line_no, new=True)
    elif state.in_recipients:
        _add_recipient(plan, cell, line_no, new=False)
    else:
        plan.unrecognised.append(Paragraph(squash(cell), line_no, line_no))
        return
    if ARCHIVE_RE.match(fold(plan.recipients[-1].text)):
        state.in_recipients = False  # "Lưu: VT, …" closes the list
    first, _ = plan.spans.get("recipients", (line_no, line_no))
    plan.spans["recipients"] = (first, line_no)


def parse_tail(plan: ParsedPlan, lines: list[Line]) -> None:
    state = _TailState()
    for line in lines:
        if line.blank:
            continue
        for cell in CELL_SPLIT_RE.split(line.raw.strip()):
            if cell.strip():
                _tail_cell(plan, state, cell.strip(), line.no)
    _finish_recipients(plan)
    plan.signer = state.signer()
    if plan.signer and state.first_line and state.last_line:
        plan.spans["signer"] = (state.first_line, state.last_line)
