"""How people abbreviate the names of units, in one table: "UBND" for "Ủy ban nhân dân", "HĐND"
for "Hội đồng nhân dân", "UBMTTQ" or "Ủy ban MTTQ" for the Front. Used wherever a name typed by
a user is compared with a unit's name (the people import's unit column, a plan's agencies), so
both accept the same spellings. Pure: no database.
"""

import re

from thidua.core.text import fold, fold_chars

# On folded text (no case, no accents: "HĐND" → "hdnd", "Uỷ ban" → "uy ban"), in this order.
# The Front's names become its short form "mttq", so "Ủy ban Mặt trận Tổ quốc Việt Nam phường
# X", "Ủy ban MTTQ phường X" and "UBMTTQ phường X" compare equal; the authorities' become
# the full words ("UBND", "Uỷ ban ND" → "uy ban nhan dan"), as units are named in full.
UNIT_NAME_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\buy ban (?:mttq|mat tran to quoc)(?: viet nam)?\b"), "mttq"),
    (re.compile(r"\bubmttq(?: viet nam)?\b"), "mttq"),
    (re.compile(r"\bhdnd\b"), "hoi dong nhan dan"),
    (re.compile(r"\bubnd\b"), "uy ban nhan dan"),
    (re.compile(r"\buy ban nd\b"), "uy ban nhan dan"),
)


def expand_unit_abbreviations(folded: str) -> str:
    """A folded name with the table's abbreviations replaced ("ubnd phuong x" → "uy ban nhan
    dan phuong x", "ubmttq phuong x" → "mttq phuong x")."""
    for pattern, replacement in UNIT_NAME_ALIASES:
        folded = pattern.sub(replacement, folded)
    return folded


def unit_name_key(name: str) -> str:
    """A unit's name as compared: no case, accents, tone placement or extra spaces, with the
    table's abbreviations read the same way ("UBND phường Suối Hoa", "Uỷ ban nhân dân phường
    Suối Hoa" and "ủy ban nhân dân phường suối hoa" have one key)."""
    return expand_unit_abbreviations(fold(name))


# "Ủy ban nhân dân " at the start of a name, however spelt: "Uỷ ban", "ỦY BAN NHÂN DÂN", "UBND".
_AUTHORITY_LEAD = re.compile(r"(?:uy ban nhan dan|uy ban nd|ubnd)\s+(?=\S)")


def authority_place(name: str) -> str | None:
    """What follows "Ủy ban nhân dân" at the start of an authority's name, as written:
    "thành phố Bắc Ninh" from "Ủy ban nhân dân thành phố Bắc Ninh", "Uỷ ban nhân dân thành phố
    Bắc Ninh" or "UBND thành phố Bắc Ninh"; None for a name that does not start so."""
    match = _AUTHORITY_LEAD.match(fold_chars(name))  # fold_chars keeps each letter's place
    return name[match.end() :] if match else None


def authority_short_name(name: str) -> str:
    """An authority's name as usually written: "UBND tỉnh Bắc Ninh" for "Uỷ ban nhân dân tỉnh
    Bắc Ninh" (any spelling of "Ủy ban nhân dân"); another name as it is."""
    place = authority_place(name)
    return f"UBND {place}" if place is not None else name
