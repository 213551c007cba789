"""Entry point: ``parse_plan``."""

from __future__ import annotations

from collections.abc import Callable

from thidua.campaigns.parsing.activities import extract_forms
from thidua.campaigns.parsing.assignments import (
    extract_assignments,
    extract_deadlines,
    extract_standing_agency,
)
from thidua.campaigns.parsing.awards import extract_awards
from thidua.campaigns.parsing.body import check_numbering, parse_body
from thidua.campaigns.parsing.layout import split_layout, split_lines
from thidua.campaigns.parsing.lines import Line
from thidua.campaigns.parsing.participants import extract_participants
from thidua.campaigns.parsing.prizes import extract_prizes
from thidua.campaigns.parsing.references import (
    extract_occasion,
    extract_parent_documents,
    extract_period,
    issuer_from_preamble,
)
from thidua.campaigns.parsing.result import ParsedPlan
from thidua.campaigns.parsing.tail import parse_tail
from thidua.campaigns.parsing.text import normalise_text

# Entry points
# --------------------------------------------------------------------------------------


def _guarded(plan: ParsedPlan, stage: str, step: Callable[[ParsedPlan], None]) -> None:
    try:
        step(plan)
    except Exception:  # a parser bug must not lose the pasted text
        plan.warn(
            "INTERNAL_ERROR",
            f"Lỗi khi phân tích phần {stage}; phần này cần nhập tay.",
        )


def _warn_header(plan: ParsedPlan) -> None:
    if plan.number is None:
        if plan.number_symbol:
            plan.warn(
                "NUMBER_MISSING",
                f"Văn bản chưa có số (Số: …/{plan.number_symbol}); số được cấp khi ban hành.",
            )
        else:
            plan.warn("NUMBER_MISSING", "Không tìm thấy số, ký hiệu văn bản (Số: …/KH-…).")
    if plan.issued_date is None:
        plan.warn("DATE_MISSING", "Chưa có ngày ban hành (…, ngày … tháng … năm …).")
    if plan.title is None:
        plan.warn("TITLE_MISSING", "Không tìm thấy trích yếu (tên kế hoạch) sau chữ KẾ HOẠCH.")


def _warn_rest(plan: ParsedPlan) -> None:
    if plan.issuer is None:
        plan.warn("ISSUER_MISSING", "Không xác định được cơ quan ban hành.")
    if not plan.sections:
        plan.warn(
            "SECTIONS_MISSING",
            "Không nhận diện được các mục I, II, III…; toàn bộ nội dung được giữ ở phần mở đầu.",
        )
    if not plan.recipients:
        plan.warn("RECIPIENTS_MISSING", "Không tìm thấy phần Nơi nhận.")
    if plan.signer is None:
        plan.warn(
            "SIGNER_MISSING",
            "Chưa có người ký (thường là TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH).",
        )
    if plan.unrecognised:
        plan.warn(
            "UNRECOGNISED_LINES",
            f"Có {len(plan.unrecognised)} dòng không nhận diện được; đã giữ nguyên để kiểm tra.",
            plan.unrecognised[0].first_line,
        )


def parse_plan(text: str) -> ParsedPlan:
    """Turn the pasted text of a Vietnamese plan (kế hoạch) into a ``ParsedPlan``.

    Never raises on odd input; parts it cannot place go to ``unrecognised`` and each
    gap or doubt to ``warnings`` (Vietnamese messages for staff).
    """
    plan = ParsedPlan()
    if not isinstance(text, str) or not text.strip():
        plan.warn("EMPTY", "Văn bản trống.")
        return plan
    lines = split_lines(normalise_text(text))
    body: list[Line] = lines
    tail: list[Line] = []

    def layout(p: ParsedPlan) -> None:
        nonlocal body, tail
        body, tail = split_layout(p, lines)

    _guarded(plan, "tiêu đề", layout)
    _guarded(plan, "nội dung", lambda p: parse_body(p, body))
    _guarded(plan, "nơi nhận và chữ ký", lambda p: parse_tail(p, tail))
    _warn_header(plan)
    _guarded(plan, "đánh số mục", lambda p: check_numbering(p, p.sections, ""))
    steps: tuple[tuple[str, Callable[[ParsedPlan], None]], ...] = (
        ("văn bản căn cứ", extract_parent_documents),
        ("cơ quan ban hành", lambda p: None if p.issuer else issuer_from_preamble(p)),
        ("dịp kỷ niệm", extract_occasion),
        ("thời gian", extract_period),
        ("hình thức tổ chức", extract_forms),
        ("đối tượng thi đua", extract_participants),
        ("khen thưởng", extract_awards),
        ("giải thưởng", extract_prizes),
        ("tổ chức thực hiện", extract_assignments),
        ("thời hạn", extract_deadlines),
        ("cơ quan thường trực", extract_standing_agency),
    )
    for stage, step in steps:
        _guarded(plan, stage, step)
    _warn_rest(plan)
    return plan
