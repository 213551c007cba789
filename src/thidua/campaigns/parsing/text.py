"""Text helpers: folding for accent-insensitive matching, normalisation, small string tools."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from thidua.core.text import fold_chars

fold = fold_chars  # the one fold (core.text), which keeps the length

_CONTROL_TABLE = {
    0x00A0: " ",  # no-break space
    0x2007: " ",
    0x202F: " ",
    0x200B: None,  # zero-width space
    0x200C: None,
    0x200D: None,
    0xFEFF: None,  # byte order mark
    0x000B: "\n",
    0x000C: "\n",
    0x0085: "\n",
    0x2028: "\n",
    0x2029: "\n",
}


def normalise_text(text: str) -> str:
    """NFC-normalise, unify line endings and odd spaces; drop zero-width characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_CONTROL_TABLE)


def squash(text: str) -> str:
    return " ".join(text.split())


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def decapitalise(text: str) -> str:
    """Lower-case the first letter of an ordinary word ("Đảng viên" → "đảng viên")."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_TRAILING_PUNCT = " \t,;:.-\u2013\u2014"


def strip_punct(text: str) -> str:
    return text.strip().strip(_TRAILING_PUNCT).strip()


def word_count(text: str) -> int:
    return len(text.split())


def replace_folded(
    text: str, pattern: re.Pattern[str], replacement: Callable[[re.Match[str]], str]
) -> str:
    """Substitute matches of ``pattern`` (on the folded text) in the original text."""
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(fold(text)):
        out.append(text[pos : match.start()])
        out.append(replacement(match))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)
