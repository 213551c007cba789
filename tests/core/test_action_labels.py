"""Every ActionLog code written by the product has a Vietnamese label for the history panels."""

import ast
import re
from pathlib import Path

import thidua
from thidua.core.action_labels import LABELS, action_label

SRC = Path(thidua.__file__).parent
APPS = "|".join(p.name for p in SRC.iterdir() if p.is_dir() and (p / "apps.py").exists())
CODE = re.compile(rf"^({APPS})\.[a-z_]+\.[a-z_]+$")
PREFIX = re.compile(rf"^({APPS})\.([a-z_]+\.)?$")
# Literals of this shape that are not ActionLog codes.
NOT_CODES: set[str] = set()


def _source_codes() -> tuple[set[str], set[str]]:
    """Whole codes written as literals, and the fixed start of codes built at run time
    (f"awards.nomination.{outcome}", "accounts.user." + verb)."""
    codes, prefixes = set(), set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if CODE.match(node.value):
                    codes.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and PREFIX.match(str(first.value)):
                    prefixes.add(str(first.value))
            elif (
                isinstance(node, ast.BinOp)
                and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str)
                and PREFIX.match(node.left.value)
            ):
                prefixes.add(node.left.value)
    return codes - NOT_CODES, prefixes


def test_every_action_code_in_the_source_has_a_label():
    codes, prefixes = _source_codes()
    assert len(codes) > 100  # the scan finds the product's codes
    missing = sorted(c for c in codes if c not in LABELS)
    assert missing == [], f"add Vietnamese labels to thidua/core/action_labels.py: {missing}"
    unlabelled = sorted(p for p in prefixes if not any(code.startswith(p) for code in LABELS))
    assert unlabelled == []


def test_labels_are_vietnamese_sentences():
    for code, label in LABELS.items():
        assert re.match(rf"^({APPS})(\.[a-z_]+){{1,2}}$", code), code
        assert label[0].isupper(), code
        assert not label.endswith("."), code


def test_unknown_codes_still_read_well():
    assert action_label("awards.nomination.submitted") == "Duyệt và gửi Phòng Nội vụ"
    assert action_label("awards.rule.updated") == "Cập nhật quy định khen thưởng"
    assert action_label("x.y") == "x.y"
