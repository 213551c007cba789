"""The plan corpus (tests/campaigns/corpus) and its field-by-field score.

Each plan is a ``.txt`` (pasted text, kept byte for byte, CRLF included) or a ``.docx`` (read
with the product's own ``text_from_docx``) next to ``<name>.expected.json``, which holds the
fields a person reading the plan would fill in. Keys absent from the expected file are not
scored. Used by ``tests/campaigns/test_corpus.py`` and ``bench/plan_import.py``.

Comparison is deliberately independent of the parser: strings are compared without case,
diacritics or punctuation (``_norm``), lists as sets (F1), lists of records by pairing each
expected record with its best match and averaging the share of equal sub-fields. Free-text
names (an activity's wording, a recipient line) count as equal when most of their words are
shared (``_similar``), since where a name ends is a matter of judgement.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
HELD_OUT = ("09-", "10-")  # written last, never used to tune the parser
CONTAINED, SIMILAR = 0.8, 0.4


def corpus_files() -> list[Path]:
    """Every plan of the corpus that has an expected JSON, in name order."""
    return sorted(
        p
        for p in CORPUS.iterdir()
        if p.suffix in {".txt", ".docx"} and p.with_suffix(".expected.json").exists()
    )


def read_plan(path: Path) -> str:
    if path.suffix == ".docx":
        from thidua.campaigns.parsing import text_from_docx

        return text_from_docx(path.read_bytes())
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def expected_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    return data


def _norm(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", text.replace("&", " va ")).split())


def _words(value: Any) -> set[str]:
    return set(str(_norm(value or "")).split())


def _similar(a: Any, b: Any) -> float:
    """1.0 when the shorter name's words are nearly all in the longer one and the shorter is
    not a bare fragment of it (a trailing "tại …" may differ; "Tọa đàm" alone is not "Tọa
    đàm “Phụ nữ khởi nghiệp”"); else the share of words in common."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 1.0 if wa == wb else 0.0
    common = len(wa & wb)
    if common / min(len(wa), len(wb)) >= CONTAINED and common / max(len(wa), len(wb)) >= SIMILAR:
        return 1.0
    return common / len(wa | wb)


def _equal(a: Any, b: Any) -> float:
    return 1.0 if _norm(a) == _norm(b) else 0.0


def _set_f1(expected: list[Any], actual: list[Any]) -> float:
    exp, act = {_norm(x) for x in expected}, {_norm(x) for x in actual or []}
    if not exp and not act:
        return 1.0
    hits = len(exp & act)
    if not hits:
        return 0.0
    precision, recall = hits / len(act), hits / len(exp)
    return 2 * precision * recall / (precision + recall)


SubScore = Callable[[Any, Any], float]
ITEM_FIELDS: dict[str, dict[str, SubScore]] = {
    "parent_documents": {"type": _equal, "number": _equal, "date": _equal, "issuer": _equal},
    "forms": {"code": _equal, "text": _similar},
    "award_forms": {
        "kind": _equal,
        "signer": _equal,
        "quota_collective": _equal,
        "quota_individual": _equal,
    },
    "prizes": {
        "tier": _equal,
        "count": _equal,
        "scope": _equal,
        "target": _equal,
        "amount": _equal,
    },
    "assignments": {"clause": _equal, "agencies": _set_f1},
    "recipients": {"text": _similar, "role": _equal},
}


def _item_score(fields: dict[str, SubScore], expected: dict[str, Any], actual: Any) -> float:
    keys = [k for k in fields if k in expected]
    if not keys:
        return 1.0
    return sum(fields[k](expected[k], actual.get(k)) for k in keys) / len(keys)


def _records(name: str, expected: list[dict[str, Any]], actual: list[Any]) -> float:
    """Pair each expected record with its best unpaired match; extra records lower the score."""
    actual = list(actual or [])
    if not expected and not actual:
        return 1.0
    fields = ITEM_FIELDS[name]
    total = 0.0
    for item in expected:
        scores = [_item_score(fields, item, other) for other in actual]
        if scores:
            best = max(range(len(scores)), key=scores.__getitem__)
            total += scores[best]
            actual.pop(best)
    return total / (len(expected) + len(actual))


def _signer(expected: dict[str, Any] | None, actual: dict[str, Any] | None) -> float:
    if expected is None or actual is None:
        return 1.0 if expected == actual else 0.0
    return sum(_equal(v, actual.get(k)) for k, v in expected.items()) / len(expected)


def score_fields(expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, float]:
    """Score in [0, 1] of each field the expected JSON names."""
    out: dict[str, float] = {}
    for key, value in expected.items():
        got = actual.get(key)
        if key in ITEM_FIELDS:
            out[key] = _records(key, value, got)
        elif key == "signer":
            out[key] = _signer(value, got)
        elif isinstance(value, list):
            out[key] = _set_f1(value, got)
        else:
            out[key] = _equal(value, got)
    return out


def score_plan(path: Path, parse: Callable[[str], dict[str, Any]]) -> dict[str, float]:
    return score_fields(expected_of(path), parse(read_plan(path)))
