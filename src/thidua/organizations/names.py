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


# "P. Suối Hoa", "TP. Bắc Ninh", "X. Hòa Long": a place's kind shortened to its first letters.
# "P." is a ward (phường) or an office (phòng), so a name may read more than one way; a lookup
# takes it only when a single unit fits (organizations.selectors.UnitFinder).
# On a unit_name_key: the body's words may come first ("UBND P. Suối Hoa").
_KIND_INITIALS = re.compile(
    r"((?:uy ban nhan dan|hoi dong nhan dan|mttq) )?(p|tp|x|tt)\s*\.\s*(?=\S)"
)
_KIND_WORDS = {
    "p": ("phuong", "phong"),
    "tp": ("thanh pho",),
    "x": ("xa",),
    "tt": ("thi tran",),
}


def unit_name_readings(name: str) -> tuple[str, ...]:
    """The keys a name may also mean when its place starts with a kind's initials ("P. Suối
    Hoa" → "phuong suoi hoa" and "phong suoi hoa", "UBND P. Suối Hoa" → "uy ban nhan dan
    phuong suoi hoa", ...); none for another name. Each compares with unit_name_key."""
    folded = unit_name_key(name)
    match = _KIND_INITIALS.match(folded)
    if match is None:
        return ()
    rest = folded[match.end() :]
    body = match.group(1) or ""
    return tuple(f"{body}{word} {rest}" for word in _KIND_WORDS[match.group(2)])


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


def authority_full_name(name: str) -> str:
    """An authority's name written in full, as a document's issuer line must be (Decree 30:
    only the parent body's line may abbreviate): "Ủy ban nhân dân thành phố Bắc Ninh" for
    "UBND thành phố Bắc Ninh"; another name as it is."""
    place = authority_place(name)
    return f"Ủy ban nhân dân {place}" if place is not None else name
