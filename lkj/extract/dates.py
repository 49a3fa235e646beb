"""Read printed Indonesian dates and date ranges (LKj event tables) into date spans.

Why: event tables print dates by hand, in many forms ("19 s.d 22 Juni 2023",
"7 September s.d 7 Oktober 2023", "Rabu 23 Agustus 2023", "-22 s.d 23 Oktober 2023",
"November 2023"). The parser applies general rules only, keeps the raw text, flags every
repair or inference, and gives no dates at all ("unparsed") rather than a wrong one.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# Lower-case keys; look-ups lower-case the text. Full names, the usual abbreviations and the
# old spellings still seen in reports (Pebruari, Nopember).
MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "agust": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12,
}  # fmt: skip
MONTH_NAMES: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
# date.weekday() numbers.
WEEKDAYS: dict[str, int] = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5,
    "minggu": 6, "ahad": 6,
}  # fmt: skip

# Flags a DateSpan can carry.
FLAGS: tuple[str, ...] = (
    "empty",  # blank or "-" alone
    "unparsed",  # not a date this parser can read with certainty; start/end None
    "stray_mark",  # leading "-", "•", ... (or trailing ",", ";") removed
    "weekday",  # a weekday name was printed (and removed)
    "weekday_mismatch",  # ... and it is not that date's weekday
    "no_year_used_default",  # no year printed; default_year used
    "year_rollover",  # the missing year of one end was taken across a year boundary
    "month_only",  # only a month (range) printed: first to last day of the month(s)
    "end_before_start",  # the printed end is before the printed start (kept as printed)
)

_SPACES = re.compile(r"\s+")
_PARENS = re.compile(r"\(([^()]*)\)")
_LEADING_MARKS = re.compile(r"^[\s\-\u2013\u2014\u2212\u2022*\u00b7.,;:]+")
_TRAILING_MARKS = re.compile(r"[\s\-\u2013\u2014\u2212\u2022*\u00b7,;:]+$")
_RANGE = re.compile(
    r"\s*(?:\bsampai\s+dengan\b|\bsampai\b|\bhingga\b|\bs\s*[./]\s*d\b\.?|\bsd\b"
    r"|[-\u2013\u2014\u2212])\s*",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"^(senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad)\b\s*,?\s*", re.IGNORECASE
)
_SIDE = re.compile(
    r"^(?:(?P<d>[0-9]{1,2})\s*)?(?:(?P<m>[^\W\d_]+)\.?\s*)?(?P<y>[0-9]{4})?$"
)


@dataclass(frozen=True)
class DateSpan:
    """A printed date or date range: raw text, first and last day (or None), note, flags."""

    raw: str
    start: date | None
    end: date | None
    note: str | None
    flags: tuple[str, ...]


@dataclass
class _Side:
    day: int | None
    month: int | None
    year: int | None
    weekday: int | None


class _Unparsed(Exception):
    pass


def _side(text: str, flags: set[str]) -> _Side:
    weekday = None
    m = _WEEKDAY.match(text)
    if m:
        weekday = WEEKDAYS[m.group(1).lower()]
        flags.add("weekday")
        text = text[m.end():]
    m = _SIDE.match(text.strip())
    if not m or not any(m.groups()):
        raise _Unparsed
    month = None
    if m.group("m"):
        month = MONTHS.get(m.group("m").lower())
        if month is None:
            raise _Unparsed
    day = int(m.group("d")) if m.group("d") else None
    year = int(m.group("y")) if m.group("y") else None
    return _Side(day, month, year, weekday)


def _make(side: _Side, last: bool) -> date:
    """The side's date; a month-only side is its first (or last) day. Raises on nonsense."""
    assert side.year is not None and side.month is not None
    day = side.day
    if day is None:
        day = calendar.monthrange(side.year, side.month)[1] if last else 1
    return date(side.year, side.month, day)  # ValueError for 31 Februari


def _resolve(left: _Side, right: _Side | None, default_year: int | None,
             flags: set[str]) -> tuple[date, date]:
    if right is None:
        if left.month is None:
            raise _Unparsed
        if left.year is None:
            if default_year is None:
                raise _Unparsed
            left.year = default_year
            flags.add("no_year_used_default")
        if left.day is None:
            flags.add("month_only")
        return _make(left, False), _make(left, True)

    if right.month is None or (left.day is None) != (right.day is None):
        raise _Unparsed
    if left.day is None:
        if left.month is None:
            raise _Unparsed
        flags.add("month_only")
    if left.month is None:
        if left.year is not None:
            raise _Unparsed  # "19 2023 s.d 22 Juni 2023"
        left.month = right.month
    if right.year is None:
        if left.year is not None:
            right.year = left.year + (1 if right.month < left.month else 0)
            if right.month < left.month:
                flags.add("year_rollover")
        elif default_year is not None:
            right.year = default_year
            flags.add("no_year_used_default")
        else:
            raise _Unparsed
    if left.year is None:
        left.year = right.year - (1 if left.month > right.month else 0)
        if left.month > right.month:
            flags.add("year_rollover")
    return _make(left, False), _make(right, True)


def parse_date_span(raw: str | None, default_year: int | None = None) -> DateSpan:
    """Parse a printed date or range; never raises, never returns a date it is unsure of.

    `default_year` is used (and flagged) only when no year is printed at all.
    """
    raw_text = "" if raw is None else str(raw)
    text = _SPACES.sub(" ", raw_text.replace("\u2019", "'")).strip()
    if not text or re.fullmatch(r"[-\u2013\u2014\u2212]+", text):
        return DateSpan(raw_text, None, None, None, ("empty",))

    notes = [n.strip() for n in _PARENS.findall(text) if n.strip()]
    note = "; ".join(notes) or None
    text = _PARENS.sub(" ", text).strip()
    flags: set[str] = set()
    stripped = _LEADING_MARKS.sub("", text)
    stripped = _TRAILING_MARKS.sub("", stripped)
    if stripped != text:
        flags.add("stray_mark")
    text = stripped.rstrip(".").strip()  # a final "." ends a sentence or an abbreviation

    try:
        parts = _RANGE.split(text)
        if len(parts) > 2 or any(not p for p in parts):
            raise _Unparsed
        sides = [_side(p, flags) for p in parts]
        left = sides[0]
        right = sides[1] if len(sides) == 2 else None
        start, end = _resolve(left, right, default_year, flags)
    except (_Unparsed, ValueError, OverflowError):
        kept = {f for f in flags if f in ("stray_mark", "weekday")}
        return DateSpan(raw_text, None, None, note, tuple(sorted(kept | {"unparsed"})))

    for side, day in ((left, start), (right or left, end)):
        if side.weekday is not None and side.day is not None and day.weekday() != side.weekday:
            flags.add("weekday_mismatch")
    if end < start:
        flags.add("end_before_start")
    return DateSpan(raw_text, start, end, note, tuple(sorted(flags)))
