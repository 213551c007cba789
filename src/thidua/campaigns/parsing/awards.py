"""Award forms (Bằng khen, Giấy khen …), quotas and prizes."""

from __future__ import annotations

import re

from thidua.campaigns.parsing.body import all_paragraphs_of, key_paragraphs
from thidua.campaigns.parsing.result import AwardForm, Paragraph, ParsedPlan, Section
from thidua.campaigns.parsing.text import capitalise, fold, replace_folded, squash

# Awards --------------------------------------------------------------------------------

_AWARD_NAMES: tuple[tuple[str, str, str], ...] = (
    ("BANG_KHEN", "Bằng khen", r"bang\s+khen"),
    ("GIAY_KHEN", "Giấy khen", r"giay\s+khen"),
    ("CO_THI_DUA", "Cờ thi đua", r"co\s+thi\s+dua"),
    ("GIAY_CHUNG_NHAN", "Giấy chứng nhận", r"giay\s+chung\s+nhan"),
    ("KY_NIEM_CHUONG", "Kỷ niệm chương", r"ky\s+niem\s+chuong"),
)
_AWARD_RE = re.compile(
    "|".join(f"(?P<{code}>\\b{pattern}\\b)" for code, _, pattern in _AWARD_NAMES)
)
_SIGNER_HEAD = (
    r"chu\s+tich|giam\s+doc|thu\s+tuong|bo\s+truong|truong\s+ban|truong\s+phong|thu\s+truong|"
    r"bi\s+thu|ban\s+chap\s+hanh|ban\s+thuong\s+vu|ban\s+thuong\s+truc|uy\s+ban\s+nhan\s+dan|ubnd|"
    r"uy\s+ban\s+(?:mttq|mat\s+tran\s+to\s+quoc)|ubmttq|hieu\s+truong|hoi\s+dong\s+thi\s+dua"
)
_NOT_TANG = r"(?:(?!\btang\b|\bcho\b)[^,;.])"
_SIGNER_AFTER_RE = re.compile(rf"\s+(?:cua\s+)?(?P<s>(?:{_SIGNER_HEAD})\b)")
_SIGNER_STOP_RE = re.compile(
    r"\s+(?:cho|doi\s+voi|de|va|tang|khen\s+thuong|ve|theo|co|nam|dot|khi)\b|[,;.(:]|$"
)
_SIGNER_BEFORE_RE = re.compile(
    rf"(?P<s>(?:{_SIGNER_HEAD})\b{_NOT_TANG}{{0,80}}?)\s+(?:xet\s+)?(?:tang|khen\s+thuong)(?:\s+thuong)?\s*$"
)
# "Chủ tịch UBND tỉnh tặng Cờ thi đua …; tặng Bằng khen …": the later award shares the subject.
_SUBJECT_RE = re.compile(rf"(?P<s>(?:{_SIGNER_HEAD})\b{_NOT_TANG}{{0,80}}?)\s+(?:xet\s+)?tang\b")
_BARE_TANG_RE = re.compile(r"(?:^|[,;.]\s*|\s+va\s+)(?:xet\s+)?tang\s*$")
_QUOTA_RE = re.compile(
    r"(?:(?P<cap>khong\s+qua|toi\s+da|moi)\s+)?(?P<n>\d{1,3})\s+(?P<who>tap\s+the|ca\s+nhan)\b"
)
_UBND_LONG_RE = re.compile(r"\buy\s+ban\s+nhan\s+dan\b")
_SENTENCE_END_RE = re.compile(r"[.;!?](?=\s|$)|\n")


def sentence_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for match in _SENTENCE_END_RE.finditer(folded, 0, start):
        left = match.end()
    right_match = _SENTENCE_END_RE.search(folded, end)
    return left, right_match.start() if right_match else len(folded)


def _signer_of(text: str, folded: str, match: re.Match[str], sentence_start: int) -> str | None:
    after = _SIGNER_AFTER_RE.match(folded, match.end())
    if after:
        stop = _SIGNER_STOP_RE.search(folded, after.end("s"))
        signer = text[after.start("s") : stop.start() if stop else len(text)]
    else:
        before = _SIGNER_BEFORE_RE.search(folded, sentence_start, match.start())
        if before is None and _BARE_TANG_RE.search(folded, 0, match.start()):
            subjects = list(_SUBJECT_RE.finditer(folded, 0, match.start()))
            before = subjects[-1] if subjects else None
        if not before:
            return None
        signer = text[before.start("s") : before.end("s")]
    signer = replace_folded(squash(signer), _UBND_LONG_RE, lambda _: "UBND")
    return capitalise(signer) or None


def _targets(scope: str) -> tuple[str | None, int | None, int | None]:
    collective = bool(re.search(r"\btap\s+the\b", scope))
    individual = bool(re.search(r"\bca\s+nhan\b", scope))
    quota_c: int | None = None
    quota_i: int | None = None
    for quota in _QUOTA_RE.finditer(scope):
        if quota.group("cap") == "moi":
            continue
        if quota.group("who").startswith("tap"):
            quota_c = (quota_c or 0) + int(quota.group("n"))
        else:
            quota_i = (quota_i or 0) + int(quota.group("n"))
    target = {(True, True): "both", (True, False): "collective", (False, True): "individual"}.get(
        (collective, individual)
    )
    return target, quota_c, quota_i


def _awards_in(plan: ParsedPlan, para: Paragraph, clause: str | None) -> None:
    text = para.text
    folded = fold(text)
    mentions = list(_AWARD_RE.finditer(folded))
    for index, match in enumerate(mentions):
        code = match.lastgroup or ""
        name = next(label for c, label, _ in _AWARD_NAMES if c == code)
        sent_start, sent_end = sentence_bounds(folded, match.start(), match.end())
        signer = _signer_of(text, folded, match, sent_start)
        following = [m for m in mentions[index + 1 :] if m.start() < sent_end]
        own_end = following[0].start() if following else sent_end
        target, quota_c, quota_i = _targets(folded[match.end() : own_end])
        if target is None:  # "lựa chọn 01 tập thể … đề nghị … tặng Bằng khen"
            own_start = max([sent_start] + [m.end() for m in mentions[:index]])
            target, quota_c, quota_i = _targets(folded[own_start : match.start()])
        if target is None and following:
            shared_start = following[-1].end()
            target, _, _ = _targets(folded[shared_start:sent_end])
        quota = (quota_c or 0) + (quota_i or 0) or None
        _merge_award(
            plan,
            AwardForm(
                name=name,
                kind=code,
                signer=signer,
                target=target,
                quota=quota,
                quota_collective=quota_c,
                quota_individual=quota_i,
                text=squash(text[sent_start:sent_end]),
                clause=clause,
            ),
        )


def _merge_award(plan: ParsedPlan, award: AwardForm) -> None:
    for existing in plan.award_forms:
        if existing.kind == award.kind and fold(existing.signer or "") == fold(award.signer or ""):
            existing.target = existing.target or award.target
            if existing.quota is None and award.quota is not None:
                existing.quota = award.quota
                existing.quota_collective = award.quota_collective
                existing.quota_individual = award.quota_individual
            return
        if existing.kind == award.kind and award.signer is None:
            return
    plan.award_forms.append(award)


def extract_awards(plan: ParsedPlan) -> None:
    pairs: list[tuple[Paragraph, Section | None]] = list(key_paragraphs(plan, "AWARDS"))
    if not pairs:
        pairs = all_paragraphs_of(plan)
    for para, section in pairs:
        clause = section.clause if section else None
        _awards_in(plan, para, clause)
    plan.standards = [
        p.text for p, s in key_paragraphs(plan, "STANDARDS", titles=False) if p is not s.heading
    ]
    plan.annual_evaluation_basis = any(
        re.search(r"\bxet\s+hoan\s+thanh\s+nhiem\s+vu\b", fold(p.text))
        for p, _ in all_paragraphs_of(plan)
    )
    if not plan.award_forms:
        plan.warn("AWARDS_MISSING", "Không tìm thấy hình thức khen thưởng (Bằng khen, Giấy khen…).")
