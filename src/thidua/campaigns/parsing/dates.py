"""Vietnamese date expressions: single dates, months, quarters, years and ranges."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from thidua.campaigns.parsing.text import fold

Precision = Literal["day", "month", "quarter", "year"]

_DATE_RE = re.compile(
    r"""
    (?<![\w/])
    (?:(?P<pre>truoc|cham\s+nhat(?:\s+(?:la|vao|den))?|han\s+chot(?:\s+la)?|tu|den|toi|trong)\s+)?
    (?:(?P<edge>het|cuoi|dau|giua)\s+)?
    (?:(?:\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2}(?:\s*phut)?)?|sang|chieu|toi|trua)\s*,?\s+)?  # "08 giờ 00"
    (?P<ngay>ngay\s+)?
    (?:
        (?P<vd>\d{1,2})\s+thang\s+(?P<vm>\d{1,2})\s*,?\s+nam\s+(?P<vy>\d{4})
      | (?P<d>\d{1,2})\s?[/.\-]\s?(?P<m>\d{1,2})\s?[/.\-]\s?(?P<y>\d{4})
      | thang\s+(?P<mm>\d{1,2})\s*(?:[/\-]|\s+nam\s)\s*(?P<my>\d{4})
      | quy\s+(?P<q>iv|i{1,3}|[1-4])\s*(?:[/\-]|\s+nam\s)\s*(?P<qy>\d{4})
      | nam\s+(?P<yy>\d{4})
      | (?P<bm>\d{1,2})/(?P<by>\d{4})
      | (?P<dd>\d{1,2})/(?P<dm>\d{1,2})
    )
    (?![\w/])
    """,
    re.VERBOSE,
)

_QUALIFIERS = {
    "truoc": "before",
    "cham": "by",
    "han": "by",
    "tu": "from",
    "den": "until",
    "toi": "until",
    "trong": "during",
}
_EDGES = {"het": "end", "cuoi": "end", "dau": "start", "giua": "middle"}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MIN_YEAR = 1800
_MAX_YEAR = 2200
_MID_MONTH = 15


@dataclass(frozen=True)
class FoundDate:
    """A date expression found in a text.

    ``start``/``end`` are character offsets into the text searched; ``text`` includes
    qualifier words ("trước", "đến hết"). ``first``/``last`` bound the period the
    expression covers (one day, a month, a quarter, a year); ``value`` is the date the
    expression stands for: the day itself, or for coarser precision the first day, the
    last day after "hết"/"cuối" or "đến", the 15th after "giữa".
    ``qualifier`` is one of before, by, from, until, during; ``edge`` one of start,
    middle, end.
    """

    text: str
    start: int
    end: int
    value: date
    first: date
    last: date
    precision: Precision
    qualifier: str | None = None
    edge: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value.isoformat(),
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "precision": self.precision,
            "qualifier": self.qualifier,
            "edge": self.edge,
        }


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _bounds(match: re.Match[str]) -> tuple[date, date, Precision] | None:  # noqa: PLR0911 one return per date shape
    g = match.group
    try:
        if g("vd"):
            day = date(int(g("vy")), int(g("vm")), int(g("vd")))
            return day, day, "day"
        if g("d"):
            day = date(int(g("y")), int(g("m")), int(g("d")))
            return day, day, "day"
        if g("mm") or g("bm"):
            year, month = (int(g("my")), int(g("mm"))) if g("mm") else (int(g("by")), int(g("bm")))
            return date(year, month, 1), _month_end(year, month), "month"
        if g("q"):
            quarter, year = _QUARTERS[g("q")], int(g("qy"))
            return date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), "quarter"
        if g("yy"):
            year = int(g("yy"))
            return date(year, 1, 1), date(year, 12, 31), "year"
    except ValueError:
        return None
    return None


def _date_value(first: date, last: date, qualifier: str | None, edge: str | None) -> date:
    if first == last or edge == "start":
        return first
    if edge == "end" or qualifier in {"until", "by"}:
        return last
    if edge == "middle":
        return first.replace(day=_MID_MONTH)
    return first


def find_dates(text: str, default_year: int | None = None) -> list[FoundDate]:
    """Every date expression in ``text``, in order.

    Recognised: "9/7/1912", "13-5-2022", "05.12.2022", "ngày 13 tháng 5 năm 2022",
    "tháng 5/2022", "tháng 5 năm 2022", "quý III/2022", with qualifiers "trước",
    "chậm nhất", "từ", "đến", "trong" and edges "hết", "cuối", "đầu", "giữa". A bare
    "5/2022" or "năm 2022" counts only after such a word; a day without a year
    ("từ ngày 15/6 đến ...") takes the year of the next full date, else ``default_year``.
    """
    folded = fold(text)
    found: list[FoundDate | re.Match[str]] = []
    for match in _DATE_RE.finditer(folded):
        pre, edge = match.group("pre"), match.group("edge")
        qualifier = _QUALIFIERS.get(pre.split()[0]) if pre else None
        edge_name = _EDGES.get(edge) if edge else None
        if match.group("dd"):
            if pre or match.group("ngay"):
                found.append(match)  # year resolved below
            continue
        if (match.group("bm") or match.group("yy")) and not (pre or edge):
            continue
        bounds = _bounds(match)
        if bounds is None or not _MIN_YEAR <= bounds[0].year <= _MAX_YEAR:
            continue
        first, last, precision = bounds
        found.append(
            FoundDate(
                text=text[match.start() : match.end()],
                start=match.start(),
                end=match.end(),
                value=_date_value(first, last, qualifier, edge_name),
                first=first,
                last=last,
                precision=precision,
                qualifier=qualifier,
                edge=edge_name,
            )
        )
    return _resolve_yearless(text, found, default_year)


def _resolve_yearless(
    text: str, found: list[FoundDate | re.Match[str]], default_year: int | None
) -> list[FoundDate]:
    result: list[FoundDate] = []
    for index, item in enumerate(found):
        if isinstance(item, FoundDate):
            result.append(item)
            continue
        year = next(
            (later.first.year for later in found[index + 1 :] if isinstance(later, FoundDate)),
            default_year,
        )
        if year is None:
            continue
        try:
            day = date(year, int(item.group("dm")), int(item.group("dd")))
        except ValueError:
            continue
        pre, edge = item.group("pre"), item.group("edge")
        result.append(
            FoundDate(
                text=text[item.start() : item.end()],
                start=item.start(),
                end=item.end(),
                value=day,
                first=day,
                last=day,
                precision="day",
                qualifier=_QUALIFIERS.get(pre.split()[0]) if pre else None,
                edge=_EDGES.get(edge) if edge else None,
            )
        )
    return result


def parse_vn_date(text: str, default_year: int | None = None) -> date | None:
    """The date the first date expression in ``text`` stands for, or None.

    "13/5/2022" → 2022-05-13; "tháng 5/2022" → 2022-05-01; "hết tháng 12/2022" →
    2022-12-31; "trước ngày 15/12/2022" → 2022-12-15 (the date as written).
    """
    dates = find_dates(text, default_year)
    return dates[0].value if dates else None


_RANGE_SEP_RE = re.compile(r"\s*,?\s*(?P<dash>[-\u2013\u2014~]\s*)?")
_OPEN_START_RE = re.compile(
    r"\btu\s+(?:nay|khi|ngay\s+ky|ngay\s+ban\s+hanh|thoi\s+diem)\b[^.;]{0,60}$"
)


def find_range(
    text: str, default_year: int | None = None
) -> tuple[int, int, date | None, date | None] | None:
    dates = find_dates(text, default_year)
    folded = fold(text)
    for index, first in enumerate(dates):
        second = dates[index + 1] if index + 1 < len(dates) else None
        if second is not None:
            sep = _RANGE_SEP_RE.fullmatch(folded, first.end, second.start)
            if sep and (
                first.qualifier == "from" or second.qualifier == "until" or sep.group("dash")
            ):
                return first.start, second.end, first.first, second.last
        if first.qualifier == "until" and _OPEN_START_RE.search(folded, 0, first.start):
            return first.start, first.end, None, first.last
        if first.qualifier == "from" and second is None:
            return first.start, first.end, first.first, None
    return None


def parse_vn_range(
    text: str, default_year: int | None = None
) -> tuple[date | None, date | None] | None:
    """The first date range in ``text`` as (start, end), or None.

    "Từ tháng 5/2022 đến hết tháng 12/2022" → (2022-05-01, 2022-12-31): an end given
    as a month runs to its last day. "(9/7/1912- 9/7/2022)" → (1912-07-09, 2022-07-09).
    "từ nay đến hết ngày 30/9/2022" → (None, 2022-09-30).
    """
    found = find_range(text, default_year)
    return (found[2], found[3]) if found else None
