"""Printed Indonesian dates and ranges: every form from domain.md, plus round-trip properties."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lkj.extract.dates import FLAGS, MONTH_NAMES, MONTHS, DateSpan, parse_date_span

d = date

# raw, default_year, start, end, note, flags
CASES = [
    ("17 Februari 2023", None, d(2023, 2, 17), d(2023, 2, 17), None, ()),
    ("09 Mei 2023", None, d(2023, 5, 9), d(2023, 5, 9), None, ()),
    ("19 s.d 22 Juni 2023", None, d(2023, 6, 19), d(2023, 6, 22), None, ()),
    ("19 s.d. 22 Juni 2023", None, d(2023, 6, 19), d(2023, 6, 22), None, ()),
    ("19 s/d 22 Juni 2023", None, d(2023, 6, 19), d(2023, 6, 22), None, ()),
    ("19 - 22 Juni 2023", None, d(2023, 6, 19), d(2023, 6, 22), None, ()),
    ("19-22 Juni 2023", None, d(2023, 6, 19), d(2023, 6, 22), None, ()),
    ("19 \u2013 22 Juni 2023", None, d(2023, 6, 19), d(2023, 6, 22), None, ()),
    ("7 September s.d 7 Oktober 2023", None, d(2023, 9, 7), d(2023, 10, 7), None, ()),
    ("14 sampai dengan 25 Juni 2024", None, d(2024, 6, 14), d(2024, 6, 25), None, ()),
    ("14 hingga 25 Juni 2024", None, d(2024, 6, 14), d(2024, 6, 25), None, ()),
    ("-22 s.d 23 Oktober 2023", None, d(2023, 10, 22), d(2023, 10, 23), None, ("stray_mark",)),
    ("17 Februari 2023;", None, d(2023, 2, 17), d(2023, 2, 17), None, ("stray_mark",)),
    ("Rabu 23 Agustus 2023", None, d(2023, 8, 23), d(2023, 8, 23), None, ("weekday",)),
    ("Rabu, 23 Agustus 2023", None, d(2023, 8, 23), d(2023, 8, 23), None, ("weekday",)),
    ("Jumat 25 Agustus 2023", None, d(2023, 8, 25), d(2023, 8, 25), None, ("weekday",)),
    ("Jum'at 25 Agustus 2023", None, d(2023, 8, 25), d(2023, 8, 25), None, ("weekday",)),
    ("Jum\u2019at 25 Agustus 2023", None, d(2023, 8, 25), d(2023, 8, 25), None, ("weekday",)),
    ("Senin 23 Agustus 2023", None, d(2023, 8, 23), d(2023, 8, 23), None,
     ("weekday", "weekday_mismatch")),
    ("Senin 21 s.d Kamis 24 Agustus 2023", None, d(2023, 8, 21), d(2023, 8, 24), None,
     ("weekday",)),
    ("19 s.d 22 Juni 2023 (budgeter)", None, d(2023, 6, 19), d(2023, 6, 22), "budgeter", ()),
    ("13 s.d 16 Juni 2023 (budgeter)", None, d(2023, 6, 13), d(2023, 6, 16), "budgeter", ()),
    ("November 2023", None, d(2023, 11, 1), d(2023, 11, 30), None, ("month_only",)),
    ("Februari 2024", None, d(2024, 2, 1), d(2024, 2, 29), None, ("month_only",)),
    ("Januari s.d Maret 2023", None, d(2023, 1, 1), d(2023, 3, 31), None, ("month_only",)),
    ("November", 2023, d(2023, 11, 1), d(2023, 11, 30), None,
     ("month_only", "no_year_used_default")),
    ("28 Desember 2023 s.d 2 Januari 2024", None, d(2023, 12, 28), d(2024, 1, 2), None, ()),
    ("28 Desember s.d 2 Januari 2024", None, d(2023, 12, 28), d(2024, 1, 2), None,
     ("year_rollover",)),
    ("28 Desember 2023 s.d 2 Januari", None, d(2023, 12, 28), d(2024, 1, 2), None,
     ("year_rollover",)),
    ("17 Februari", 2023, d(2023, 2, 17), d(2023, 2, 17), None, ("no_year_used_default",)),
    ("19 s.d 22 Juni", 2024, d(2024, 6, 19), d(2024, 6, 22), None, ("no_year_used_default",)),
    ("17 Februari 2023", 1999, d(2023, 2, 17), d(2023, 2, 17), None, ()),
    ("17 Feb 2023", None, d(2023, 2, 17), d(2023, 2, 17), None, ()),
    ("17 Agt. 2023", None, d(2023, 8, 17), d(2023, 8, 17), None, ()),
    ("17 agu 2023", None, d(2023, 8, 17), d(2023, 8, 17), None, ()),
    ("17 AGUSTUS 2023", None, d(2023, 8, 17), d(2023, 8, 17), None, ()),
    ("2 Des 2023", None, d(2023, 12, 2), d(2023, 12, 2), None, ()),
    ("22 s.d 19 Juni 2023", None, d(2023, 6, 22), d(2023, 6, 19), None, ("end_before_start",)),
    # no date rather than a wrong one
    ("17 Februari", None, None, None, None, ("unparsed",)),
    ("31 Februari 2023", None, None, None, None, ("unparsed",)),
    ("29 Februari 2023", None, None, None, None, ("unparsed",)),
    ("0 Juni 2023", None, None, None, None, ("unparsed",)),
    ("Pelatihan", None, None, None, None, ("unparsed",)),
    ("Triwulan I 2023", None, None, None, None, ("unparsed",)),
    ("2023", None, None, None, None, ("unparsed",)),
    ("1 - 2 - 3 Juni 2023", None, None, None, None, ("unparsed",)),
    ("Juni s.d 5 Juli 2023", None, None, None, None, ("unparsed",)),
    ("(budgeter)", None, None, None, "budgeter", ("unparsed",)),
    # empty
    (None, 2023, None, None, None, ("empty",)),
    ("", None, None, None, None, ("empty",)),
    ("  ", None, None, None, None, ("empty",)),
    ("-", None, None, None, None, ("empty",)),
]


@pytest.mark.parametrize(("raw", "default_year", "start", "end", "note", "flags"), CASES)
def test_examples(raw, default_year, start, end, note, flags):
    span = parse_date_span(raw, default_year)
    expected_raw = "" if raw is None else raw
    assert span == DateSpan(expected_raw, start, end, note, flags)
    assert set(span.flags) <= set(FLAGS)


def test_months_table():
    for number, name in enumerate(MONTH_NAMES, start=1):
        assert MONTHS[name.lower()] == number
    abbreviations = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "mei": 5, "jun": 6, "jul": 7,
                     "agu": 8, "agt": 8, "ags": 8, "sep": 9, "okt": 10, "nov": 11, "des": 12}
    for abbreviation, number in abbreviations.items():
        assert MONTHS[abbreviation] == number
    assert all(key == key.lower() for key in MONTHS)


# --- properties -----------------------------------------------------------------------------

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


def _month_words(month: int) -> list[str]:
    words = [w for w, n in MONTHS.items() if n == month]
    return words + [w.capitalize() for w in words] + [w.upper() for w in words]


@st.composite
def printed_date(draw) -> tuple[date, str]:
    day = draw(dates)
    month = draw(st.sampled_from(_month_words(day.month)))
    day_text = draw(st.sampled_from([str(day.day), f"{day.day:02d}"]))
    return day, f"{day_text} {month} {day.year}"


@given(printed_date())
def test_round_trip_single_day(case):
    day, printed = case
    span = parse_date_span(printed)
    assert (span.start, span.end, span.flags, span.raw) == (day, day, (), printed)


@given(dates, st.integers(min_value=0, max_value=30),
       st.sampled_from([" s.d ", " s.d. ", " s/d ", " - ", "-", " sampai dengan "]))
def test_round_trip_range_in_one_month(first, length, separator):
    last_day = calendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=min(first.day + length, last_day))
    printed = f"{first.day}{separator}{last.day} {MONTH_NAMES[last.month - 1]} {last.year}"
    span = parse_date_span(printed)
    assert (span.start, span.end, span.flags) == (first, last, ()), printed


@given(dates, st.integers(min_value=1, max_value=400))
def test_round_trip_range_across_months(first, length):
    last = first + timedelta(days=length)
    left = f"{first.day} {MONTH_NAMES[first.month - 1]}"
    if first.year != last.year:
        left += f" {first.year}"
    printed = f"{left} s.d {last.day} {MONTH_NAMES[last.month - 1]} {last.year}"
    span = parse_date_span(printed)
    assert (span.start, span.end) == (first, last), printed
    assert span.flags == ()


@given(st.text(), st.one_of(st.none(), st.integers(min_value=1, max_value=9999)))
def test_never_raises_and_keeps_raw(text, default_year):
    span = parse_date_span(text, default_year)
    assert span.raw == text
    assert set(span.flags) <= set(FLAGS)
    assert (span.start is None) == (span.end is None)
    if span.start is None:
        assert {"empty", "unparsed"} & set(span.flags)
