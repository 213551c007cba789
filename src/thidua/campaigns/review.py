"""From a parsed plan to what the review page proposes, before anything is saved.

``plan_proposal`` turns the parser's JSON into the draft's fields, rows and unit candidates,
and lists the doubts the page highlights. The proposal travels in a signed payload
(``payload_dump``/``payload_load``): leaving the page stores nothing; saving hands the
corrected values to ``services.campaign_create_from_review``.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any, cast

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Field

from thidua.campaigns.matching import line_names, match_units, unit_candidates
from thidua.campaigns.models import AwardForm, Campaign, EmulationMethod, RecipientRole
from thidua.campaigns.parsing import (
    document_text,
    last_day,
    names_old_font,
    open_docx,
    paragraph_texts,
    parse_plan,
)
from thidua.core.text import (
    LEGACY_FONT_HITS,
    LEGACY_FONT_NAMED_HITS,
    first_legacy_font,
    fold,
    legacy_font_refusal,
)
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.selectors import place_of

PAYLOAD_SALT = "thidua.campaigns.review"
PAYLOAD_MAX_AGE = 24 * 3600  # a review left open overnight must be parsed again
_ROLES = set(RecipientRole.values)


def plan_text(pasted: str, docx: bytes | None) -> str:
    """The plan's text to parse: the Word file's if there is one, else the pasted text. Raises
    a Vietnamese ValidationError for a Word file that cannot be read and for a plan typed in
    an old Vietnamese font (TCVN3 "KÕ ho¹ch", VNI "Keá hoaïch"), quoting its first such line:
    parsed as it is, it would reach the review garbled."""
    text, paragraphs, hits = pasted, pasted.split("\n"), LEGACY_FONT_HITS
    if docx:
        try:
            document = open_docx(docx)  # read once: for its text and for old-font signs
            text = document_text(document)
        except ValueError:
            raise ValidationError(
                "Không đọc được tệp Word này. Hãy lưu lại dạng .docx hoặc dán nội dung.",
                code="unreadable",
            ) from None
        paragraphs = list(paragraph_texts(document.element.body))
        hits = LEGACY_FONT_NAMED_HITS if names_old_font(document) else LEGACY_FONT_HITS
    example = first_legacy_font(((None, paragraph) for paragraph in paragraphs), hits=hits)
    if example is not None:
        raise ValidationError(legacy_font_refusal(example[1], source="kế hoạch"), code="old_font")
    return text


def payload_dump(proposal: dict[str, Any]) -> str:
    return signing.dumps(proposal, salt=PAYLOAD_SALT, compress=True)


def payload_load(value: str) -> dict[str, Any]:
    """The proposal behind a review form; raises ``signing.BadSignature`` if tampered/expired."""
    data: dict[str, Any] = signing.loads(value, salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    return data


def _issuer_parent_of(unit: Unit) -> str:
    """Decree 30: a People's Committee heads its own header; an office names its parent body."""
    if (
        unit.kind in {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.WARD, UnitKind.COMMUNE}
        or not unit.parent
    ):
        return ""
    return unit.parent.short_name or unit.parent.name


def _same_body(found: str, unit: Unit) -> bool:
    names = {fold(unit.name), fold(unit.short_name or "")}
    folded = fold(found).replace("uy ban nhan dan", "ubnd")
    return folded in {n.replace("uy ban nhan dan", "ubnd") for n in names if n}


def _candidates(names: list[str], owner: Unit, on: date | None) -> tuple[list[int], list[int]]:
    """(candidate unit ids, preselected ids) for the agencies of one row."""
    candidates: dict[int, None] = {}
    chosen: dict[int, None] = {}
    for name in names:
        for candidate in unit_candidates(name, owner=owner, on=on):
            candidates[candidate.unit.pk] = None
        for unit in match_units(name, owner=owner, on=on):
            chosen[unit.pk] = None
    return list(candidates), list(chosen)


# No signature block in the text (a draft): the usual one for a People's Committee.
_SIGNER_DEFAULTS = {
    name: str(cast(Field[Any, Any], Campaign._meta.get_field(name)).get_default())
    for name in ("signer_authority", "signer_title_line", "signer_title", "signer_name")
}


def _signer_fields(signer: dict[str, Any]) -> dict[str, str]:
    return {
        "signer_authority": signer.get("authority") or "",
        "signer_title_line": signer.get("delegation") or "",
        "signer_title": signer.get("title") or "",
        "signer_name": signer.get("name") or "",
    }


def _fields(data: dict[str, Any], owner: Unit) -> dict[str, Any]:
    signer = data.get("signer") or {}
    title = data.get("title") or ""
    return {
        "issuer_name": data.get("issuer_short") or data.get("issuer") or owner.name,
        "issuer_parent_name": data.get("issuer_parent") or _issuer_parent_of(owner),
        "doc_symbol": data.get("number_symbol") or f"KH-{owner.symbol or 'UBND'}",
        "place": data.get("place") or place_of(owner, default=False),
        "title": title[:500],
        "method": EmulationMethod.THEMATIC,
        "is_special": "dac biet" in fold(title),
        "occasion_date": data.get("occasion_date"),
        "period_start": data.get("period_start"),
        "period_end": data.get("period_end"),
        "period_text": (data.get("period_text") or "")[:255],
        "report_deadline": data.get("report_deadline"),
        "report_deadline_exclusive": data.get("report_deadline_exclusive") is not False,
        "counts_for_annual_evaluation": bool(data.get("annual_evaluation_basis")),
        **(_signer_fields(signer) if signer else _SIGNER_DEFAULTS),
        "participants_collective": list(data.get("participants_collective") or []),
        "participants_individual": list(data.get("participants_individual") or []),
    }


def _awards(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for a in data.get("award_forms") or []:
        target = a.get("target") if a.get("target") in AwardForm.Target.values else "both"
        out.append(
            {
                "name": a.get("name") or "",
                "signer": a.get("signer") or "",
                "target": target,
                "quota_collective": a.get("quota_collective"),
                "quota_individual": a.get("quota_individual"),
                "quota": None
                if a.get("quota_collective") or a.get("quota_individual")
                else a.get("quota"),
                "text": a.get("text") or "",
                "line": None,
            }
        )
    return out


def _last_day(deadline: str | None, exclusive: bool | None) -> str | None:
    """A task's last day (parsing.result.last_day), from the parse's JSON."""
    if not deadline:
        return deadline
    return last_day(date.fromisoformat(deadline), exclusive=bool(exclusive)).isoformat()


def _assignment_rows(data: dict[str, Any], owner: Unit, on: date | None) -> list[dict[str, Any]]:
    rows = []
    for item in data.get("assignments") or []:
        agencies = item.get("agencies") or []
        candidates, chosen = _candidates(agencies, owner, on)
        rows.append(
            {
                "clause": item.get("clause") or "",
                "agencies_text": "; ".join(agencies)[:500],
                "text": item.get("text") or "",
                "due_date": _last_day(item.get("deadline"), item.get("deadline_exclusive")),
                "line": item.get("line"),
                "candidates": candidates,
                "units": chosen,
            }
        )
    return rows


def _recipient_rows(data: dict[str, Any], owner: Unit, on: date | None) -> list[dict[str, Any]]:
    rows = []
    for line in data.get("recipients") or []:
        role = line["role"] if line.get("role") in _ROLES else RecipientRole.IMPLEMENT
        names = [] if role == RecipientRole.ARCHIVE else line_names(line["text"])
        candidates, chosen = _candidates(names, owner, on)
        rows.append(
            {
                "text": line["text"][:255],
                "note": (line.get("note") or "")[:64],
                "role": role,
                "line": line.get("line"),
                "candidates": candidates,
                "units": chosen,
            }
        )
    return rows


def _pick(rows: list[dict[str, Any]] | None, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{k: row.get(k) for k in keys} for row in rows or []]


def plan_proposal(*, text: str, owner: Unit) -> dict[str, Any]:
    """Parse ``text`` and propose the draft's content for ``owner``; reads only."""
    data = parse_plan(text).to_json()
    on = date.fromisoformat(data["period_start"]) if data.get("period_start") else None
    fields = _fields(data, owner)
    standing = [data["standing_agency"]] if data.get("standing_agency") else []
    standing_ids, standing_chosen = _candidates(standing, owner, on)
    fields["standing_agency"] = standing_chosen[0] if len(standing_chosen) == 1 else None
    proposal = {
        "key": secrets.token_hex(16),
        "owner_unit": owner.pk,
        "text": text,
        "parsed": data,
        "fields": fields,
        "standing_candidates": standing_ids,
        "parents": _pick(
            data.get("parent_documents"), ("type", "number", "date", "issuer", "relation", "text")
        ),
        "forms": [
            {"label": f["text"][:255], "code": f["code"], "line": f.get("line")}
            for f in data.get("forms") or []
        ],
        "awards": _awards(data),
        "prizes": _pick(
            data.get("prizes"), ("tier", "count", "scope", "target", "amount", "text", "line")
        ),
        "assignments": _assignment_rows(data, owner, on),
        "recipients": _recipient_rows(data, owner, on),
    }
    proposal["doubts"] = doubts(proposal, owner)
    return proposal


_MISSING = (
    ("title", "Không tìm thấy trích yếu."),
    ("period_start", "Không xác định được thời gian bắt đầu."),
    ("period_end", "Không xác định được thời gian kết thúc."),
    ("report_deadline", "Không tìm thấy hạn báo cáo."),
    ("signer_name", "Chưa có người ký."),
)


def doubts(proposal: dict[str, Any], owner: Unit) -> dict[str, str]:
    """Fields the page highlights, with the question to ask ("field" or "rows.N")."""
    fields = proposal["fields"]
    out = {name: message for name, message in _MISSING if not fields.get(name)}
    out.update(_header_doubts(proposal, owner))
    out.update(_row_doubts(proposal))
    return out


def _header_doubts(proposal: dict[str, Any], owner: Unit) -> dict[str, str]:
    data, fields = proposal["parsed"], proposal["fields"]
    out: dict[str, str] = {}
    found = data.get("issuer_short") or data.get("issuer")
    if not found:
        out["issuer_name"] = (
            "Không thấy cơ quan ban hành trong văn bản; đang lấy theo đơn vị đã chọn."
        )
    elif not _same_body(found, owner) and not _same_body(data.get("issuer") or "", owner):
        out["issuer_name"] = (
            f"Văn bản ghi cơ quan ban hành là “{found}”, khác đơn vị đã chọn “{owner.name}”. "
            "Giữ theo văn bản, hay sửa?"
        )
    if not data.get("standing_agency"):
        out["standing_agency"] = "Không tìm thấy cơ quan thường trực."
    elif not fields.get("standing_agency"):
        several = len(proposal["standing_candidates"]) > 1
        out["standing_agency"] = f"“{data['standing_agency']}”: " + (
            "có nhiều đơn vị trùng tên, hãy chọn." if several else "chưa khớp đơn vị nào."
        )
    return out


def _row_doubts(proposal: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for index, row in enumerate(proposal["assignments"]):
        if not row["agencies_text"]:
            out[f"assignments.{index}"] = "Không xác định được cơ quan thực hiện."
        elif not row["units"]:
            out[f"assignments.{index}"] = (
                "Có nhiều đơn vị có thể, hãy chọn."
                if row["candidates"]
                else "Chưa khớp đơn vị nào: giữ là tên tự do, hoặc chọn đơn vị sau."
            )
    for index, row in enumerate(proposal["recipients"]):
        if row["role"] != RecipientRole.ARCHIVE and not row["note"]:
            out[f"recipients.{index}"] = "Vai trò đoán theo tên (không có ghi chú “để …”)."
    for index, row in enumerate(proposal["awards"]):
        if not row["signer"]:
            out[f"awards.{index}"] = "Chưa rõ thẩm quyền khen thưởng."
    for index, row in enumerate(proposal["prizes"]):
        if not row.get("scope"):
            out[f"prizes.{index}"] = "Chưa rõ là giải mỗi đợt hay giải cả cuộc thi."
    return out
