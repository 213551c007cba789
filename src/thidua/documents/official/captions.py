"""Line breaks of centred captions (issuer names, summaries) as a clerk makes them: evenly
long lines, never inside a two-syllable word or a proper name."""

from __future__ import annotations

import itertools

from reportlab.pdfbase import pdfmetrics

# Two-syllable words of issuer names that a line must never split ("BẮC / NINH"). Text in
# mixed case also keeps runs of capitalised syllables (proper names) together.
_COMPOUNDS = frozenset(
    word.strip()
    for word in """
ỦY BAN, UỶ BAN, NHÂN DÂN, THÀNH PHỐ, HỘI ĐỒNG, THI ĐUA, KHEN THƯỞNG, BẮC NINH,
BẮC GIANG, HÀ NỘI, VIỆT NAM, THỊ XÃ, THỊ TRẤN, NỘI VỤ, TÀI CHÍNH, KẾ HOẠCH, VĂN HÓA,
VĂN HOÁ, THÔNG TIN, GIÁO DỤC, ĐÀO TẠO, Y TẾ, TƯ PHÁP, THANH TRA, VĂN PHÒNG, TRUNG TÂM,
THỂ THAO, TRUYỀN THÔNG, TÀI NGUYÊN, MÔI TRƯỜNG, LAO ĐỘNG, THƯƠNG BINH, XÃ HỘI,
MẶT TRẬN, TỔ QUỐC, THANH NIÊN, PHỤ NỮ, NÔNG DÂN, CỰU CHIẾN, CHIẾN BINH, LIÊN ĐOÀN,
LIÊN HIỆP, CÔNG AN, QUÂN SỰ, ĐẢNG ỦY, ĐẢNG UỶ, THÀNH ỦY, THÀNH UỶ, TUYÊN GIÁO,
CHÍNH TRỊ, KINH TẾ, ĐÔ THỊ, QUẢN LÝ, CHỦ TỊCH, CHẤP HÀNH, CỘNG HÒA, CỘNG HOÀ,
CHỦ NGHĨA, ĐỘC LẬP, TỰ DO, HẠNH PHÚC, KHỐI THI, NGÂN HÀNG, BỆNH VIỆN, TRƯỜNG HỌC,
TIỂU HỌC, TRUNG HỌC, CƠ SỞ, PHỔ THÔNG, MẦM NON, KHU PHỐ, THÔN XÓM, TỔ DÂN, DÂN PHỐ,
CÔNG TY, TRÁCH NHIỆM, HỮU HẠN, CỔ PHẦN
""".replace("\n", " ").split(",")
)
# A line may well start with these administrative levels: "ỦY BAN NHÂN DÂN / THÀNH PHỐ …".
_LEVELS = (
    ("THÀNH", "PHỐ"),
    ("TỈNH",),
    ("PHƯỜNG",),
    ("HUYỆN",),
    ("QUẬN",),
    ("THỊ", "XÃ"),
    ("THỊ", "TRẤN"),
    ("XÃ",),
)
_DASHES = frozenset({"-", "–", "—"})
_FORBIDDEN, _PLAIN, _PREFERRED = 2, 1, 0


def _gap_kinds(words: list[str], mixed_case: bool) -> list[int]:
    """For each gap between words (index i: before words[i], i ≥ 1), how good a line break is."""
    upper = [w.upper() for w in words]
    kinds = [_PLAIN] * len(words)
    for i in range(1, len(words)):
        before, after = words[i - 1], words[i]
        pair = f"{upper[i - 1].strip(',;:.')} {upper[i].strip(',;:.()')}"
        name_run = (
            mixed_case
            and before[:1].isupper()
            and after[:1].isupper()
            and before[-1:].isalpha()
            and not before.isupper()  # "UBND Bắc": an abbreviation starts no name
        )
        level = any(
            tuple(upper[i : i + len(lv)]) == lv
            and (lv != ("XÃ",) or upper[i + 1 : i + 2] != ["HỘI"])
            for lv in _LEVELS
        )
        if pair in _COMPOUNDS or name_run:
            kinds[i] = _FORBIDDEN
        elif before[-1:] in {",", ";", ":"} or before.split(" ")[-1] in _DASHES or level:
            kinds[i] = _PREFERRED
    return kinds


def _words(line: str) -> list[str]:
    """Words of a line; a lone dash stays at the end of the word before it ("THI ĐUA –")."""
    words: list[str] = []
    for token in line.split():
        if token in _DASHES and words:
            words[-1] = f"{words[-1]} {token}"
        else:
            words.append(token)
    return words


def _balanced_lines(
    text: str, font: str, size: float, width: float, *, upper: bool = False
) -> list[str]:
    """Split centred caption text into evenly long lines, as a clerk would.

    Explicit newlines are honoured. A line that does not fit is split into the fewest lines
    that fit, never inside a word ("BẮC / NINH": two-syllable words of issuer names, and proper
    names when the text is in mixed case), preferring breaks after a comma or dash and before
    an administrative level ("ỦY BAN NHÂN DÂN / THÀNH PHỐ BẮC NINH"), then the split whose
    longest line is shortest. If nothing fits without splitting a word, the fewest splits
    inside words are used; if a single word is too wide, the line is left to normal wrapping.
    ``upper`` capitalises the output (the source's case still finds the proper names).
    """
    lines: list[str] = []
    for raw in text.strip().splitlines():
        words = _words(raw)
        shown = [w.upper() for w in words] if upper else words
        joined = " ".join(shown)
        if not words or pdfmetrics.stringWidth(joined, font, size) <= width:
            lines.append(joined)
            continue
        lines.extend(_best_split(shown, _gap_kinds(words, raw != raw.upper()), font, size, width))
    return lines


def _best_split(
    words: list[str], kinds: list[int], font: str, size: float, width: float
) -> list[str]:
    """The best fitting split by (breaks inside words, number of lines, plain breaks, longest
    line): a small dynamic programme over the gaps, one pass per number of lines."""
    n = len(words)

    def line_width(i: int, j: int) -> float:
        return pdfmetrics.stringWidth(" ".join(words[i:j]), font, size)

    fits = {(i, j): line_width(i, j) for i in range(n) for j in range(i + 1, n + 1)}
    best: tuple[tuple[int, int, int, float], list[int]] | None = None
    # state: end index -> (forbidden, plain, longest, starts of lines)
    layer: dict[int, tuple[int, int, float, list[int]]] = {}
    for j in range(1, n + 1):
        if fits[(0, j)] <= width:
            layer[j] = (0, 0, fits[(0, j)], [0])
    for count in range(1, n + 1):
        if n in layer:
            forbidden, plain, longest, starts = layer[n]
            key = (forbidden, count, plain, longest)
            if best is None or key < best[0]:
                best = (key, starts)
        following: dict[int, tuple[int, int, float, list[int]]] = {}
        for i, (forbidden, plain, longest, starts) in layer.items():
            if i == n:
                continue
            for j in range(i + 1, n + 1):
                if fits[(i, j)] > width:
                    break
                kind = kinds[i]
                state = (
                    forbidden + (kind == _FORBIDDEN),
                    plain + (kind == _PLAIN),
                    max(longest, fits[(i, j)]),
                    [*starts, i],
                )
                if j not in following or state[:3] < following[j][:3]:
                    following[j] = state
        if not following:
            break
        layer = following
    if best is None:
        return [" ".join(words)]
    starts = [*best[1], n]
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(starts)]
