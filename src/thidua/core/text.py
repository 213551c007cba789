"""Vietnamese text helpers: input cleaning (NFC), accent folding for search and an alphabetical
sort key."""

import functools
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TypeVar

_SPACES = re.compile(r"\s+")
# C0/C1 control characters except tab and line feed, DEL, and invisible marks that paste in from
# Word or Excel: byte-order mark, zero-width space, soft hyphen.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u200b\u00ad]")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")
SORT_KEY_LENGTH = 1000
Place = TypeVar("Place")

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_BASE_ORDER = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_BASE_ORDER)}
# Tone marks in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Combining marks that make a base letter (ă, â, ê, ô, ơ, ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def clean_text(text: str) -> str:
    """Text as it enters the system (forms, query strings, API bodies, spreadsheet cells, file
    names): NFC (so "ế" is one character however it was typed), one kind of line break, no
    control characters but tab and newline (multi-line text keeps its lines)."""
    if text.isascii() and text.isprintable():
        return text  # the common case, fast
    text = _NEWLINES.sub("\n", unicodedata.normalize("NFC", text))
    return _CONTROL.sub("", text)


# Text typed in an old 8-bit Vietnamese font, as a Unicode file shows it. TCVN3 (ABC, the
# ".VnTime" fonts, the government's standard before Unicode): "B¾c Ninh", "Hµ Néi"; its
# commonest letters (à á â ê ơ ă đ ì ữ…) are symbols, never glued to a letter in real text
# (but « and », its ô and ằ, which also quote words).
# VNI ("VNI-Times"): "Haø Noäi", a vowel (or ơ, ư: ô, ö) followed by its tone as another
# letter, in capitals too ("HOÄI", "PHÖÔØNG"), and the hỏi tone's å and û ("hieåu", "Baûo").
_TCVN3_SYMBOLS = "¡¢£¤¥¦§¨©ª¬®µ¶·¸¹¼½¾×÷"  # noqa: RUF001 - these very symbols
_VNI_TONES = "øïäëüåûØÏÄËÜÅÛ"
_LEGACY_FONT = re.compile(
    f"(?<=[A-Za-z])[{_TCVN3_SYMBOLS}]|[{_TCVN3_SYMBOLS}](?=[A-Za-z])"
    f"|[aeiouyAEIOUYôöÔÖ][{_VNI_TONES}]|[aeiouyAEIOUY][öÖ]"
)
LEGACY_FONT_HITS = 3  # so many such letters: not a stray "®" or a foreign name
# A Word file that sets its text in an old font by name (w:rFonts ".VnTime", "VNI-Times") needs
# one such letter, so a short one ("KÕ ho¹ch") is caught too. The name never counts alone: a
# file converted to Unicode with Unikey keeps its ".VnTime" runs, old templates name the font in
# their styles, and both hold good Unicode text (which has no such letter, so is never refused).
LEGACY_FONT_NAMED_HITS = 1
# Letters an old-font file never holds, whichever code page it was typed under (Windows-1252,
# or Windows-1258, which gives ă đ ơ ư and five tone marks for some of the fonts' codes): ĩ ũ,
# the letters with a tone (ạ … ỹ), and the hat, breve and horn typed apart (decomposed ô ă ơ).
# Text holding one was typed in Unicode, whatever symbols stand beside its words
# ("Samsung®", "400 µg").
_UNICODE_VIETNAMESE = re.compile("[\u0128\u0129\u0168\u0169\u0302\u0306\u031b\u1ea0-\u1ef9]")
# TCVN3's codes and the letters they draw (tone dropped), as Windows-1252 and Windows-1258 show
# them; capitals with a tone have no code (".VnTimeH" draws the small letters' codes as capitals).
_TCVN3_LETTERS = "ăâêôơưđ" + "a" * 5 + "ă" * 5 + "â" * 5 + "e" * 5 + "ê" * 5 + "i" * 5
_TCVN3_LETTERS += "o" * 5 + "ô" * 5 + "ơ" * 5 + "u" * 5 + "ư" * 5 + "y" * 5 + "ăâêôơưđ"
_TCVN3_CODES = bytes(
    [0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC,
     0xBD, 0xBE, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2,
     0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4,
     0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3,
     0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xA1, 0xA2, 0xA3,
     0xA4, 0xA5, 0xA6, 0xA7]
)  # fmt: skip
_TCVN3_LETTER = {
    code.to_bytes().decode(page, errors="ignore"): letter
    for page in ("cp1258", "cp1252")
    for code, letter in zip(_TCVN3_CODES, _TCVN3_LETTERS, strict=True)
}
_TCVN3_LETTER.pop("", None)
LEGACY_FONT_ADVICE = (
    "Hãy chuyển tệp sang bảng mã Unicode (Unikey: Công cụ chuyển mã, Ctrl+Shift+F6, bảng mã "
    "nguồn TCVN3 (ABC) hoặc VNI Windows, bảng mã đích Unicode), lưu lại rồi tải lên lại."
)
# A Vietnamese syllable's shape, its letters without tones: an initial consonant, one to three
# vowels (ă and â never end a syllable), a final consonant. VNI types a tone, a hat or a horn as
# a letter after its vowel ("Noäi", "PHÖÔØNG"): its vowels run up to five letters.
_INITIAL = "(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnpqrstvx])?"
_FINAL = "(?:ch|ng|nh|[cmnpt])"
_TCVN3_SYLLABLE = re.compile(
    f"{_INITIAL}(?:[aeiouyăâêôơư]{{0,2}}[aeiouyêôơư]{_FINAL}?|[aeiouyăâêôơư]{{1,3}}{_FINAL})"
)
_VNI_SYLLABLE = re.compile(f"{_INITIAL}[aeiouyăâêôơư]{{1,5}}{_FINAL}?")
_VNI_VOWEL_LETTERS = str.maketrans({"ø": "a", "Ø": "a", "æ": "a", "Æ": "a", "ñ": "đ", "Ñ": "đ"})
_WORD_EDGES = "\"'“”‘’()[]{}<>.,;:!?…-–—/\\*+=%#&|"
# A measure in micro-units ("400 µg", "5µm"): µ is the micro sign there, not TCVN3's "à".
_MICRO_UNIT = re.compile(r"(?<=\d)\s?µ[A-Za-z]{1,3}\b")
_WORD_BREAKS = re.compile(r"[\s/–—-]+")  # "Hµ-Néi", "B¾c Ninh/B¾c Giang"


def _tcvn3_read(word: str) -> str:
    return "".join(
        _TCVN3_LETTER.get(ch) or _TCVN3_LETTER.get(ch.lower()) or fold_chars(ch) for ch in word
    ).lower()


def _old_font_syllable(word: str) -> bool:
    """Whether a word holding old-font marks reads as a Vietnamese syllable in TCVN3 or in VNI:
    "B¾c", "®µm", "Noäi", "PHÖÔØNG" do; "Samsung®", "µg", "Noël", "Citroën©" do not."""
    if _TCVN3_SYLLABLE.fullmatch(_tcvn3_read(word)):
        return True
    vni = "".join(fold_chars(ch) for ch in word.translate(_VNI_VOWEL_LETTERS))
    return bool(_VNI_SYLLABLE.fullmatch(vni))


def legacy_font_marks(text: str) -> int:
    """How many letters of `text` look typed in an old Vietnamese font (TCVN3 or VNI): the
    marks of words that read as Vietnamese syllables in one of these fonts, so that a brand's
    "®", a unit's "µg" or a foreign name ("Noël") is no sign of one."""
    if text.isascii() or _UNICODE_VIETNAMESE.search(text):
        return 0
    hits = 0
    for typed in _WORD_BREAKS.split(_MICRO_UNIT.sub(" ", text)):
        word = typed.strip(_WORD_EDGES)
        if (found := len(_LEGACY_FONT.findall(word))) and _old_font_syllable(word):
            hits += found
    return hits


def first_legacy_font(
    texts: Iterable[tuple[Place, str]], *, hits: int = LEGACY_FONT_HITS
) -> tuple[Place, str] | None:
    """The first text typed in an old Vietnamese font, with the place it was read from (a
    sheet's line, a question's number), if the texts hold `hits` such letters, enough to be
    sure; None for Unicode text. Every import of users' files (sheets, Word plans, Word
    question banks) asks this before reading their text as Vietnamese."""
    found, example = 0, None
    for place, text in texts:
        if marks := legacy_font_marks(text):
            found += marks
            example = example or (place, text.strip())
            if found >= hits:
                return example
    return None


LEGACY_FONT_SAMPLE = 40  # characters of the old-font text quoted in the message


def legacy_font_refusal(text: str, *, place: str = "", source: str = "tệp") -> str:
    """The message refusing `source` ("tệp", "kế hoạch") typed in an old Vietnamese font: a
    short quote of its first such text, where it is ("dòng 5", "câu 3") and how to convert it."""
    sample = text if len(text) <= LEGACY_FONT_SAMPLE else f"{text[:LEGACY_FONT_SAMPLE]}…"
    return (
        f"Chữ tiếng Việt trong {source} được gõ bằng bảng mã cũ (TCVN3/ABC, phông “.VnTime”, "
        f"hoặc VNI) nên sẽ bị lưu sai, ví dụ{f' {place}' if place else ''}: “{sample}”. "
        f"{LEGACY_FONT_ADVICE}"
    )


_SPECIAL_FOLD = {"đ": "d", "Đ": "d", "\u00d0": "d", "\u00f0": "d"}


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    special = _SPECIAL_FOLD.get(ch)
    if special is not None:
        return special
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold_chars(text: str) -> str:
    """The one fold, character by character: lower case, no diacritics (đ → d). It keeps the
    length, so a match in the folded text is a match at the same place in the
    original (the plan parser relies on it)."""
    return "".join(map(_fold_char, text))


def fold(text: str) -> str:
    """fold_chars, spaces collapsed, for search columns: fold("Đông Ngàn") == "dong ngan"."""
    folded = fold_chars(unicodedata.normalize("NFC", text))
    if not folded.isascii():  # a mark NFC could not attach to a letter
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _SPACES.sub(" ", folded).strip()


# Tone marks as NFD writes them apart: huyền, sắc, ngã, hỏi, nặng.
_TONE_MARK_CHARS = "\u0300\u0301\u0303\u0309\u0323"
# An open syllable ending in oa, oe or uy with its tone on the second vowel, as the new rule
# places it (NFD): "hoà", "khoẻ", "thuỷ", "Uỷ"; nothing may follow but a non-letter. The u
# of qu is the consonant's: "quý" has one placement only.
_TONE_ON_SECOND_VOWEL = re.compile(
    f"(?<![qQ])([oO][aAeE]|[uU][yY])([{_TONE_MARK_CHARS}])(?![^\\W\\d_]|[\u0300-\u036f])"
)


def unify_tone_placement(text: str) -> str:
    """`text` (NFC) with the tone of an open syllable ending in oa, oe or uy on the first vowel,
    where the old rule puts it: "hoà" → "hòa", "khoẻ" → "khỏe", "thuỷ" → "thủy", "Uỷ ban" →
    "Ủy ban". The two placements spell one word (NFC does not make them equal), so names are
    compared through this; what is stored and shown keeps the spelling it was typed in."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    moved = _TONE_ON_SECOND_VOWEL.sub(lambda m: f"{m[1][0]}{m[2]}{m[1][1]}", decomposed)
    return unicodedata.normalize("NFC", moved)


def spelling_key(text: str) -> str:
    """A name as two spellings of it compare: tones placed either way ("Thuỷ", "Thủy"), other
    capitals or spacing aside, but every letter and accent kept ("Hoa" is not "Hòa")."""
    return " ".join(unify_tone_placement(text).split()).casefold()


def _letter_key(ch: str) -> tuple[int, int, int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, marks = decomposed[0], decomposed[1:]
    letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
    tone = next((_TONES[m] for m in marks if m in _TONES), 0)
    rank = _LETTER_RANK.get(letter)
    if rank is None:  # digits, Latin letters outside the Vietnamese alphabet, punctuation
        return (0, ord(letter), tone) if letter.isdigit() else (2, ord(letter), tone)
    return (1, rank, tone)


def vi_sort_key(text: str) -> str:
    """A string that sorts in Vietnamese dictionary order with plain byte comparison.

    Letters first (Ă, Â after A; Đ after D), tones only break ties, so the key is the letter
    ranks of the whole text followed by the tone digits. Stored in `name_sort` columns so
    both SQLite and PostgreSQL order correctly without ICU collations.
    """
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    keys = [_letter_key(ch) for ch in text]
    letters = "".join(
        "00000" if ch == " " else f"{group}{rank:04x}"
        for (group, rank, _), ch in zip(keys, text, strict=True)
    )
    tones = "".join(str(tone) for _, _, tone in keys)
    return f"{letters}!{tones}"[:SORT_KEY_LENGTH]


# Words a printed name of a person or a household may start with that are not the name.
_SALUTATIONS = (("hộ", "ông"), ("hộ", "bà"), ("đồng", "chí"), ("ông",), ("bà",))


def person_sort_key(name: str) -> str:
    """A person's name in Vietnamese list order: by given name (the last word), then the whole
    name, without the salutation a printed name carries ("Bà Vũ Thị Hạnh", "Hộ ông Nguyễn Văn
    Hùng"), so "Bà …" does not sort before "Ông …" whatever the names."""
    words = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip().split(" ")
    lowered = tuple(w.lower() for w in words)
    for lead in _SALUTATIONS:
        if lowered[: len(lead)] == lead and len(words) > len(lead):
            words = words[len(lead) :]
            break
    return vi_sort_key(f"{words[-1]} {' '.join(words)}")


_VN_SUBSCRIBER_DIGITS = 9  # a Vietnamese number without its leading 0 (trunk prefix)


def normalise_phone(text: str) -> str:
    """A Vietnamese phone number as stored and compared: digits only, the country code written
    as the leading 0. "0912 345 678", "0912.345.678", "+84 912 345 678", "0084912345678" and
    "912345678" are all "0912345678"."""
    digits = "".join(str(d) for c in text if (d := unicodedata.decimal(c, None)) is not None)
    for country in ("0084", "84"):
        if digits.startswith(country) and len(digits) == len(country) + _VN_SUBSCRIBER_DIGITS:
            digits = digits[len(country) :]
            break
    if len(digits) == _VN_SUBSCRIBER_DIGITS and not digits.startswith("0"):
        digits = "0" + digits
    return digits


def vn_thousands(value: int) -> str:
    """12500000 → "12.500.000": Vietnamese groups thousands with a dot."""
    return f"{value:,}".replace(",", ".")


def with_unit(number: str, unit: str) -> str:
    """A figure and its unit as Vietnamese writes them: "60%" (the sign against the number,
    never "60 %"), "2 buổi" (any other unit after a space), the bare figure without a unit."""
    unit = unit.strip()
    if not unit:
        return number
    return f"{number}%" if unit == "%" else f"{number} {unit}"


_SWAP_MARKS = str.maketrans(",.", ".,")


def vn_decimal(value: float) -> str:
    """1250.5 → "1.250,5": at most two decimals, without trailing zeros (100.0 → "100"); a dot
    groups thousands and a comma marks the decimals, as Vietnamese writes them."""
    return f"{value:,.2f}".rstrip("0").rstrip(".").translate(_SWAP_MARKS)


# "12.500", "1.234.567,5": dots group thousands in threes; anything else reads a dot or a comma
# as the decimal mark ("12,5", "12.5").
_VN_GROUPED = re.compile(r"-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?")


def parse_vn_decimal(text: str) -> Decimal:
    """A number as a Vietnamese user types it: "12.500" is twelve thousand five hundred (not
    12,5), "1.234,5", "12 500", "12,5" and "12.5" read as written. Raises InvalidOperation
    for text that is not a number (and gives NaN or Infinity for those words, as Decimal does:
    the caller refuses what is not finite)."""
    compact = _SPACES.sub("", text.replace("\u00a0", " ").strip())
    if _VN_GROUPED.fullmatch(compact):
        compact = compact.replace(".", "")
    return Decimal(compact.replace(",", "."))


def parse_vn_float(text: str) -> float:
    """parse_vn_decimal for a measure or an amount kept as a float ("1,5" mm, "1.234,5"):
    ValueError for text that is not a finite number, as float() raises."""
    try:
        number = parse_vn_decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return float(number)
