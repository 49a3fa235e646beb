"""Printed Indonesian numbers: every form from domain.md, plus properties over generated ones."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lkj.extract.numbers import FLAGS, STYLES, Quantity, decimals, format_number, parse_quantity

D = Decimal

# raw, kind, value, unit, note, flags
CASES = [
    # empty: never 0
    (None, "count", None, None, None, ("empty",)),
    ("", "unknown", None, None, None, ("empty",)),
    ("   ", "money", None, None, None, ("empty",)),
    ("-", "count", None, None, None, ("empty",)),
    ("Rp. -", "money", None, "rp", None, ("empty",)),
    # dot = thousands
    ("16.000 Orang", "count", D("16000"), "orang", None, ("separator_by_kind",)),
    ("16.000 Orang", "unknown", D("16000"), "orang", None, ("separator_by_unit",)),
    ("16.000Orang", "count", D("16000"), "orang", None, ("separator_by_kind",)),
    ("26.922", "count", D("26922"), None, None, ("separator_by_kind",)),
    ("2.022 Orang", "count", D("2022"), "orang", None, ("separator_by_kind",)),
    ("Rp. 3.161.617.000", "money", D("3161617000"), "rp", None, ()),
    ("Rp.4.308.267.000", "unknown", D("4308267000"), "rp", None, ()),
    ("Rp. 7.469.884,-", "money", D("7469884"), "rp", None, ("no_cents_mark",)),
    ("Rp. 7.469.884.000,-", "unknown", D("7469884000"), "rp", None, ("no_cents_mark",)),
    ("Rp. 5.000,-", "unknown", D("5000"), "rp", None, ("no_cents_mark", "separator_by_unit")),
    # a decimal mark with nothing after it closes the number: the dot before groups thousands,
    # even in a percent column (a capaian of 1.128,26 % printed cut after its comma)
    ("1.128,", "percent", D("1128"), None, None, ("separator_by_closing_mark",)),
    ("1.128,-", "percent", D("1128"), None, None,
     ("no_cents_mark", "separator_by_closing_mark")),
    ("12.5,", "percent", D("12.5"), None, None, ()),
    ("Rp. 3.161.617,000", "money", D("3161617000"), "rp", None,
     ("mixed_separators", "separator_by_kind")),
    ("Rp. 4.308.267,000", "unknown", D("4308267000"), "rp", None,
     ("mixed_separators", "separator_by_unit")),
    ("3.161.617,000", "unknown", None, None, None, ("ambiguous_separator",)),
    ("3.161.617,000", "percent", D("3161617.000"), None, None, ("separator_by_kind",)),
    ("1,234.567", "money", D("1234567"), None, None, ("mixed_separators", "separator_by_kind")),
    # scale words: exact
    ("Rp40,10 triliun", "money", D("40100000000000"), "rp", None, ("scaled_word",)),
    ("Rp 2,5 juta", "money", D("2500000"), "rp", None, ("scaled_word",)),
    ("1,5 miliar", "money", D("1500000000"), None, None, ("scaled_word",)),
    ("750 ribu", "money", D("750000"), None, None, ("scaled_word",)),
    ("Rp 1.500 juta", "money", D("1500000000"), "rp", None,
     ("scaled_word", "separator_by_kind")),
    ("2,5 juta orang", "unknown", D("2500000"), "orang", None, ("scaled_word",)),
    # dot = decimal point
    ("88.73%", "percent", D("88.73"), "%", None, ()),
    ("88.73%", "unknown", D("88.73"), "%", None, ()),
    ("95.71%", "score", D("95.71"), "%", None, ()),
    ("168.26", "score", D("168.26"), None, None, ()),
    ("168.26", "unknown", D("168.26"), None, None, ()),
    ("6.25 %", "percent", D("6.25"), "%", None, ()),
    ("95.71", "unknown", D("95.71"), None, None, ()),
    ("-135.15%", "percent", D("-135.15"), "%", None, ()),
    ("-8.6%", "percent", D("-8.6"), "%", None, ()),
    ("\u22128.6", "percent", D("-8.6"), None, None, ()),
    ("0.125", "unknown", D("0.125"), None, None, ()),  # leading 0: cannot be thousands
    ("1234.567", "unknown", D("1234.567"), None, None, ()),  # 4-digit lead: cannot be either
    # comma = decimal point
    ("75,35", "percent", D("75.35"), None, None, ()),
    ("88,74 persen", "unknown", D("88.74"), "%", None, ()),
    ("88,74 persen", "percent", D("88.74"), "%", None, ()),
    ("1.234,56", "unknown", D("1234.56"), None, None, ()),
    ("1,234.56", "unknown", D("1234.56"), None, None, ("us_style",)),
    ("1,234,567.5", "money", D("1234567.5"), None, None, ("us_style",)),
    # comma = thousands
    ("26,922 orang", "count", D("26922"), "orang", None, ("comma_thousands", "separator_by_kind")),
    ("26,922 orang", "unknown", D("26922"), "orang", None,
     ("comma_thousands", "separator_by_unit")),
    ("1,234,567", "count", D("1234567"), None, None, ("comma_thousands",)),
    # separator + exactly three digits: the kind decides, or nothing is decided
    ("1.000", "unknown", None, None, None, ("ambiguous_separator",)),
    ("26.922", "unknown", None, None, None, ("ambiguous_separator",)),
    ("26,922", "unknown", None, None, None, ("ambiguous_separator",)),
    ("2.022", "count", D("2022"), None, None, ("separator_by_kind",)),
    ("2.022", "money", D("2022"), None, None, ("separator_by_kind",)),
    ("2.022", "percent", D("2.022"), None, None, ("separator_by_kind",)),
    ("2.022", "score", D("2.022"), None, None, ("separator_by_kind",)),
    ("26,922", "score", D("26.922"), None, None, ("separator_by_kind",)),
    # counts
    ("12,5 orang", "count", D("12.5"), "orang", None, ("fractional_count",)),
    ("12,5 orang", "unknown", D("12.5"), "orang", None, ("fractional_count",)),
    ("372 Orang", "count", D("372"), "orang", None, ()),
    ("12 bulan", "unknown", D("12"), "bulan", None, ()),
    ("76 kasus", "count", D("76"), "kasus", None, ()),
    ("5 kegiatan", "count", D("5"), "kegiatan", None, ()),
    ("32 Lokasi", "count", D("32"), "lokasi", None, ()),
    ("490 PMI", "count", D("490"), "pmi", None, ()),
    ("82", "score", D("82"), None, None, ()),
    ("0 Orang", "count", D("0"), "orang", None, ()),
    # notes
    ("50 orang (Budgeter)", "count", D("50"), "orang", "Budgeter", ()),
    ("85 (WBBM)", "score", D("85"), None, "WBBM", ()),
    ("76 (WBK)", "unknown", D("76"), None, "WBK", ()),
    ("13 (tiga belas) lokasi", "count", D("13"), "lokasi", "tiga belas", ()),
    ("Realisasi sebanyak 490 Orang", "count", D("490"), "orang", "Realisasi sebanyak", ()),
    ("88.73% (Budgeter)", "percent", D("88.73"), "%", "Budgeter", ()),
    ("TOTAL 32 Lokasi", "count", D("32"), "lokasi", "TOTAL", ()),
    # kind and unit disagree: the kind (column) decides, the clash is flagged
    ("959 Orang", "percent", D("959"), "orang", None, ("kind_unit_mismatch",)),
    ("Rp. 2.000", "count", D("2000"), "rp", None, ("kind_unit_mismatch", "separator_by_kind")),
    # several figures: nothing guessed
    ("32 Lokasi 2.022 Orang", "count", None, None, None, ("multi_value",)),
    ("Rp. 6.627.797.859,- (88.73%)", "money", None, None, None, ("multi_value",)),
    ("2020-2024", "unknown", None, None, None, ("multi_value",)),
    # no number
    ("WBK", "score", None, None, None, ("no_number",)),
    ("Pelatihan", "unknown", None, None, None, ("no_number",)),
    ("BP3MI", "unknown", None, None, None, ("no_number",)),
    # not a grouping convention
    ("1.2.3", "unknown", None, None, None, ("unreadable",)),
    ("17.08.2023", "count", None, None, None, ("unreadable",)),
    ("1.234,5.6", "unknown", None, None, None, ("unreadable",)),
    (".5", "percent", None, None, None, ("unreadable",)),
]


@pytest.mark.parametrize(("raw", "kind", "value", "unit", "note", "flags"), CASES)
def test_examples(raw, kind, value, unit, note, flags):
    q = parse_quantity(raw, kind)
    assert q.raw == ("" if raw is None else raw)
    if value is None:
        assert q.value is None
    else:
        assert q.value == value
        assert q.value.is_signed() == value.is_signed()
    assert (q.unit, q.note, q.flags) == (unit, note, flags)
    assert set(q.flags) <= set(FLAGS)


@pytest.mark.parametrize(
    ("raw", "kind", "labelled"),
    [
        ("2022 : 883 2023 : 959", "count", (("2022", D(883)), ("2023", D(959)))),
        ("2022: 883; 2023: 959", "unknown", (("2022", D(883)), ("2023", D(959)))),
        ("2022 : 1.883 2023 : 1.959", "count", (("2022", D(1883)), ("2023", D(1959)))),
    ],
)
def test_two_labelled_figures_are_both_kept(raw, kind, labelled):
    q = parse_quantity(raw, kind)
    assert q == Quantity(raw, None, None, None, ("multi_value",), labelled)


def test_labelled_ambiguous_figures_are_not_kept_but_flagged():
    q = parse_quantity("2022 : 1.883 2023 : 1.959", "unknown")
    assert q.value is None and q.labelled == ()
    assert q.flags == ("ambiguous_separator", "multi_value")


def test_one_labelled_figure_is_the_value():
    q = parse_quantity("2023 : 959 orang", "count")
    assert q == Quantity("2023 : 959 orang", D(959), "orang", None, ("labelled",),
                         (("2023", D(959)),))


def test_scaled_value_is_exact():
    q = parse_quantity("Rp40,10 triliun", "money")
    assert q.value == 40 * 10**12 + 10 * 10**10
    assert q.value == D("40.10") * 10**12


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("158", "unknown", 0),
        ("168.26", "unknown", 2),
        ("74.3%", "unknown", 1),
        ("88,70 persen", "unknown", 2),
        ("16.000 Orang", "count", 0),
        ("Rp. 7.469.884,-", "unknown", 0),
        ("Rp40,10 triliun", "money", 2),
        ("1.000", "unknown", None),
        ("2.022", "score", 3),
        ("", "unknown", None),
        ("WBK", "unknown", None),
    ],
)
def test_decimals(raw, kind, expected):
    assert decimals(raw, kind) == expected


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        (D("16000"), "dot_thousands", "16.000"),
        (D("1234.56"), "dot_thousands", "1.234,56"),
        (D("75.35"), "comma_decimal", "75,35"),
        (D("168.26"), "dot_decimal", "168.26"),
        (D("3161617000"), "rp_dots", "Rp. 3.161.617.000"),
        (D("7469884"), "rp_no_cents", "Rp. 7.469.884,-"),
        (D("26922"), "us_thousands", "26,922"),
        (D("1234.56"), "us_thousands", "1,234.56"),
        (D("88.73"), "percent_dot", "88.73%"),
        (D("-135.15"), "percent_dot", "-135.15%"),
        (D("88.74"), "percent_comma_persen", "88,74 persen"),
    ],
)
def test_format_number(value, style, expected):
    assert format_number(value, style) == expected


def test_format_number_refuses_nonsense():
    with pytest.raises(ValueError):
        format_number(D("1.5"), "rp_no_cents")
    with pytest.raises(ValueError):
        format_number(D("1"), "roman")


# --- properties -----------------------------------------------------------------------------

INTEGER_STYLES = ("dot_thousands", "rp_dots", "rp_no_cents", "us_thousands")
FRACTION_STYLES = ("comma_decimal", "dot_decimal", "percent_dot", "percent_comma_persen")
assert set(INTEGER_STYLES) | set(FRACTION_STYLES) == set(STYLES)

whole = st.integers(min_value=0, max_value=10**15).map(Decimal)
percentish = st.builds(
    lambda n, places: Decimal(n).scaleb(-places),
    st.integers(min_value=-10**7, max_value=10**7),
    st.integers(min_value=0, max_value=2),
)


@given(whole, st.sampled_from(INTEGER_STYLES), st.sampled_from(["count", "money"]))
def test_round_trip_whole_numbers(value, style, kind):
    printed = format_number(value, style)
    q = parse_quantity(printed, kind)
    assert q.value == value, (printed, q)
    assert q.raw == printed
    assert "ambiguous_separator" not in q.flags


@given(percentish, st.sampled_from(FRACTION_STYLES), st.sampled_from(["percent", "score"]))
def test_round_trip_percentages(value, style, kind):
    printed = format_number(value, style)
    q = parse_quantity(printed, kind)
    assert q.value == value, (printed, q)
    assert decimals(printed, kind) == max(0, -value.as_tuple().exponent)
    if style.startswith("percent"):
        assert q.unit == "%"


ambiguous = st.from_regex(r"[1-9][0-9]{0,2}[.,][0-9]{3}", fullmatch=True)


@given(ambiguous)
def test_ambiguous_separator_is_never_decided_silently(text):
    q = parse_quantity(text, "unknown")
    assert q.value is None
    assert "ambiguous_separator" in q.flags


@given(ambiguous, st.sampled_from(["count", "money", "percent", "score"]))
def test_ambiguous_separator_decided_by_kind_is_flagged(text, kind):
    q = parse_quantity(text, kind)
    assert "separator_by_kind" in q.flags
    digits = text.replace(".", "").replace(",", "")
    if kind in ("count", "money"):
        assert q.value == Decimal(digits)
    else:
        assert q.value == Decimal(digits) / 1000


@given(st.text())
def test_never_raises_and_keeps_raw(text):
    q = parse_quantity(text)
    assert q.raw == text
    assert set(q.flags) <= set(FLAGS)
    assert list(q.flags) == sorted(set(q.flags))
    assert (q.value is None) or not ({"empty", "no_number", "multi_value"} & set(q.flags))


@given(st.text(alphabet="0123456789.,-% Rporangjutab()", max_size=30),
       st.sampled_from(["count", "money", "percent", "score", "unknown"]))
def test_never_raises_on_numberish_text(text, kind):
    q = parse_quantity(text, kind)
    assert q.raw == text
    if "ambiguous_separator" in q.flags or "unreadable" in q.flags:
        assert q.value is None


def test_long_numbers_stay_exact():
    digits = "1234567890" * 5
    assert parse_quantity("-" + digits, "count").value == Decimal("-" + digits)
    assert parse_quantity(digits + " juta", "money").value == Decimal(digits + "000000")
    q = parse_quantity("1" + "0" * 40 + ",5 orang", "count")
    assert q.value == Decimal("1" + "0" * 40 + ".5")
    assert q.flags == ("fractional_count",)
    assert format_number(Decimal(digits), "dot_thousands").replace(".", "") == digits


def test_invalid_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_quantity("1.000", "ratio")  # type: ignore[arg-type]
