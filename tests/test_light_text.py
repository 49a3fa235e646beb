"""The light text path (lkj.extract.document.light_chars) equals pdfplumber's own, key for key.

Pages without a table are read as text straight from the pdfminer layout, without
pdfplumber's full objects. That is only allowed because it gives the same characters: this
test holds every key of every character, and the page text, equal to pdfplumber's on every
page of the samples, of corpus variants, and of a PDF with a MediaBox that does not start at
0,0 (pdfplumber shifts coordinates by its offset).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pdfplumber
import pytest
from badfiles import _raw_pdf
from conftest import ROOT, SAMPLES

from lkj.extract.document import light_chars, light_text_map, rulings

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402  (benchmarks/corpus.py)


def _offset_mediabox(dst: Path) -> Path:
    """A one-page PDF whose MediaBox starts at (36, 72), with text in two fonts, a rotated
    word and ruling lines, written by hand (tests/badfiles.py's writer)."""
    content = (b"BT /F1 12 Tf 100 700 Td (Tabel 2.3 Kegiatan Sosialisasi) Tj ET\n"
               b"BT /F2 10 Tf 100 680 Td (JUMLAH 1.250 Orang) Tj ET\n"
               b"BT /F1 9 Tf 0 1 -1 0 300 500 Tm (miring) Tj ET\n"
               b"1 w 90 660 m 400 660 l S 90 640 m 400 640 l S 90 600 310 80 re S\n")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [36 72 631 914] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold >>",
    ]
    dst.write_bytes(_raw_pdf(objects))
    return dst


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("light")
    variants = [corpus.render(k, 0, folder) for k in (5, 77)]
    return [*sorted(SAMPLES.glob("*.pdf")), *variants,
            _offset_mediabox(folder / "offset.pdf")]


@pytest.mark.slow  # every page of the samples and a corpus, twice
def test_light_chars_are_pdfplumbers_chars(pdfs):
    pages = 0
    for path in pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                light, full = light_chars(page), page.chars
                assert len(light) == len(full), (path.name, page.page_number)
                for mine, theirs in zip(light, full, strict=True):
                    assert mine == {k: theirs[k] for k in mine}, (path.name, page.page_number)
                tmap = light_text_map(page)
                assert tmap.as_string == page.extract_text()
                mine_lines = tmap.extract_text_lines(strip=True, return_chars=True)
                their_lines = page.extract_text_lines(return_chars=True)
                assert len(mine_lines) == len(their_lines)
                for mine, theirs in zip(mine_lines, their_lines, strict=True):
                    assert {k: v for k, v in mine.items() if k != "chars"} == \
                        {k: v for k, v in theirs.items() if k != "chars"}
                    assert mine["chars"] == [{k: c[k] for k in m} for m, c in
                                             zip(mine["chars"], theirs["chars"], strict=True)]
                assert rulings(page) == len(page.lines) + len(page.rects)
                pages += 1
    assert pages > 80


def test_the_offset_mediabox_is_read_and_shifted(pdfs):
    """Not vacuous: the hand-written page is read, in its MediaBox's coordinates."""
    with pdfplumber.open(pdfs[-1]) as pdf:
        page = pdf.pages[0]
        chars = light_chars(page)
        assert "".join(c["text"] for c in chars).startswith("Tabel 2.3 Kegiatan")
        # pdfminer places it relative to the MediaBox; pdfplumber, and so light_chars, in
        # the page's own coordinates: the shift is applied
        first = next(o for o in page.layout._objs if hasattr(o, "get_text"))
        assert page.mediabox[0] == 36 and first.x0 == pytest.approx(100 - 36)
        assert chars[0]["x0"] == pytest.approx(100)
        assert {c["fontname"] for c in chars} == {"Helvetica", "Times-Bold"}
        assert not all(c["upright"] for c in chars)
        assert rulings(page) == 3


def test_a_blank_drawn_over_a_digit_is_told_from_a_gap():
    """overprinted_blanks: padding drawn across a right-aligned figure is over a glyph of its
    own line; a blank in a gap, one on another line and one of no width are not."""
    from lkj.extract.document import overprinted_blanks

    def char(text, x0, x1, top=10.0):
        return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + 10}

    digits = [char("1", 100, 105), char("0", 105, 110), char("0", 110, 115)]
    over = char(" ", 103, 106)            # two of its three points over the "1"
    gap = char(" ", 115.5, 118.5)         # after the figure
    below = char(" ", 103, 106, top=30)   # the next line
    edge = char(" ", 102, 102)            # a reader's word end: no width
    half = char(" ", 103, 106, top=16)    # over the digits by less than half its height
    chars = [*digits, over, gap, below, edge, half]
    assert overprinted_blanks(chars) == {id(over)}
    assert overprinted_blanks(digits) == set()
