"""Printed page numbers (folios): read from a page's footer (or header), kept only where a
neighbouring page confirms them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lkj.extract.folios import printed_folios, roman_value

HEADER = "Laporan Kinerja BP3MI Nusa Tenggara Barat Tahun 2023"
BODY = "Realisasi anggaran tahun 2023 sebesar Rp. 4.895.260.375,- (93.48%)."


def page(folio: str | None, *, top: bool = False, body: str = BODY) -> str:
    lines = [HEADER, body]
    if folio is not None:
        lines = [folio, *lines] if top else [*lines, folio]
    return "\n".join(lines)


def test_front_matter_in_roman_and_the_body_from_one():
    texts = [page(None), page("i"), page("ii"), page("iii"), page("1"), page("2"), page("3")]
    assert printed_folios(texts) == {2: "i", 3: "ii", 4: "iii", 5: "1", 6: "2", 7: "3"}


def test_a_single_roman_page_before_the_body():
    texts = [page(None), page("i"), page("1"), page("2")]
    assert printed_folios(texts) == {2: "i", 3: "1", 4: "2"}


@pytest.mark.parametrize("style", ["- {} -", "Halaman {}", "hal. {}", " {} "])
def test_folio_styles(style):
    texts = [page(style.format(n)) for n in (4, 5, 6)]
    assert printed_folios(texts) == {1: "4", 2: "5", 3: "6"}


def test_a_folio_in_the_header():
    texts = [page(str(n), top=True) for n in (7, 8, 9)]
    assert printed_folios(texts) == {1: "7", 2: "8", 3: "9"}


def test_a_lone_figure_at_the_foot_of_a_page_is_not_a_folio():
    # pages without folios, one of which ends with a table's last figure
    texts = [page(None), page("45"), page(None)]
    assert printed_folios(texts) == {}
    # between numbered pages, a figure that breaks the sequence is not taken either
    texts = [page("3"), page("45"), page("5"), page("6")]
    assert printed_folios(texts) == {3: "5", 4: "6"}


def test_a_page_that_prints_no_number_has_none():
    texts = [page("1"), page("2"), page(None), page("4"), page("5")]
    assert printed_folios(texts) == {1: "1", 2: "2", 4: "4", 5: "5"}


@pytest.mark.parametrize(("text", "value"), [("i", 1), ("iv", 4), ("ix", 9), ("xiv", 14),
                                             ("XL", 40), ("mcmxc", 1990), ("iiii", None),
                                             ("vx", None), ("ic", None), ("", None)])
def test_roman_values(text, value):
    assert roman_value(text) == value


@given(front=st.integers(0, 6), first=st.integers(1, 40), body=st.integers(2, 30),
       cover=st.booleans(), top=st.booleans())
def test_every_numbered_page_of_a_report_is_found(front, first, body, cover, top):
    """A cover without a number, `front` roman pages, then `body` pages from `first`: every
    numbered page gets its folio, wherever the folio sits (a single roman page only when the
    body starts at 1)."""
    romans = ["i", "ii", "iii", "iv", "v", "vi"][:front]
    folios = ([None] if cover else []) + romans + [str(first + k) for k in range(body)]
    texts = [page(f, top=top) for f in folios]
    want = {i + 1: f for i, f in enumerate(folios) if f is not None}
    if front == 1 and first != 1:
        want = {k: v for k, v in want.items() if v != "i"}
    assert printed_folios(texts) == want
