"""The pdfium page reader (lkj.extract.pdfium) gives what pdfminer gives, page by page.

Held on every page of the samples, the corpus of makers (LibreOffice from DOCX and HTML,
Chromium) and the real files of ../shared/real (Word 2007-2016, Nitro, Foxit, OpenOffice,
FPDF):

- the same lines, rectangles, curves and images (as many of each, their boxes within
  BOX_TOLERANCE: pdfium keeps coordinates as 32-bit floats);
- the same visible characters, their boxes within CHAR_TOLERANCE, but for two things pdfium
  does on purpose: a glyph drawn twice on itself (fake bold) is one character, and a hyphen
  that ends a line is marked (read back as "-") where pdfminer may read none;
- the same words on the samples and the corpus of makers. On real files word breaks may
  differ where a maker placed words without space glyphs: pdfium breaks a word at a gap its
  font calls a space, pdfminer only at a gap wider than pdfplumber's tolerance.

That the change of reader costs no cell is held by the goldens themselves: every test of the
suite reads with pdfium (the default), the typed goldens of the real files among them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from badfiles import _raw_pdf
from conftest import REAL, ROOT, SAMPLES
from pdfplumber.utils import extract_words
from test_light_text import _offset_mediabox

from lkj.extract.document import light_chars, rulings
from lkj.extract.pdfium import Reader
from lkj.extract.report import extract_report
from lkj.extract.settings import ExtractSettings

BOX_TOLERANCE = 0.25
CHAR_TOLERANCE = 0.75
MAKERS = sorted((ROOT / "samples" / "makers").glob("*/*.pdf"))


def _spread(a: list[float], b: list[float]) -> float:
    """How far apart two lists of numbers are as multisets (sorted, pairwise)."""
    return max((abs(x - y) for x, y in zip(sorted(a), sorted(b), strict=True)), default=0.0)


def _compare(path: Path, words: bool) -> tuple[int, int, list[str]]:
    """(pages compared, pages left to pdfminer, problems) for one PDF."""
    problems: list[str] = []
    compared = fallback = 0
    with pdfplumber.open(path) as pdf, Reader(path) as reader:
        for page in pdf.pages:
            mine = reader.objects(page) if page.rotation == 0 else None
            if mine is None:
                fallback += 1
                continue
            compared += 1
            where = f"{path.name} p{page.page_number}"
            theirs = page.objects
            for kind in ("line", "rect", "curve", "image"):
                a, b = mine.get(kind, []), theirs.get(kind, [])
                if len(a) != len(b):
                    problems.append(f"{where}: {len(a)} {kind}s, pdfminer {len(b)}")
                    continue
                for key in ("x0", "x1", "top", "bottom"):
                    if _spread([o[key] for o in a], [o[key] for o in b]) > BOX_TOLERANCE:
                        problems.append(f"{where}: {kind} {key} differ")
                if kind != "image" and Counter((o["stroke"], o["fill"]) for o in a) != \
                        Counter((bool(o["stroke"]), bool(o["fill"])) for o in b):
                    problems.append(f"{where}: {kind} stroke/fill differ")
            problems += _char_problems(where, mine.get("char", []), page.chars)
            if words and [w["text"] for w in extract_words(mine.get("char", []))] != \
                    [w["text"] for w in page.extract_words()]:
                problems.append(f"{where}: words differ")
    return compared, fallback, problems


def _char_problems(where: str, mine: list[dict], theirs: list[dict]) -> list[str]:
    a = [c for c in mine if c["text"].strip()]
    b = [c for c in theirs if c["text"].strip()]
    only_mine = Counter(c["text"] for c in a) - Counter(c["text"] for c in b)
    only_theirs = Counter(c["text"] for c in b) - Counter(c["text"] for c in a)
    out = []
    if set(only_mine) - {"-"}:
        out.append(f"{where}: pdfium reads {dict(only_mine)} that pdfminer does not")
    for text, n in only_theirs.items():  # only a glyph drawn twice on itself
        same = [c for c in b if c["text"] == text]
        doubled = sum(any(abs(c["x0"] - d["x0"]) < c["size"] / 4
                          and abs(c["bottom"] - d["bottom"]) < c["size"] / 4
                          for d in same[:i]) for i, c in enumerate(same))
        if doubled < n:
            out.append(f"{where}: pdfium lost {n} {text!r}")
    if out:
        return out
    for text in {c["text"] for c in a} - set(only_mine):
        ours = [c for c in a if c["text"] == text]
        pdfminer = [c for c in b if c["text"] == text]
        if len(ours) != len(pdfminer):
            continue  # a doubled glyph: its positions are held by its twin
        for key in ("x0", "x1", "top", "bottom"):
            if _spread([c[key] for c in ours], [c[key] for c in pdfminer]) > CHAR_TOLERANCE:
                out.append(f"{where}: {text!r} {key} differ")
    return out


def test_a_sample_page_is_read_by_pdfium_as_pdfminer_reads_it():
    path = SAMPLES / "lkj-bp3mi-ntb-2023.pdf"
    compared, fallback, problems = _compare(path, words=True)
    assert compared == 21 and fallback == 0 and problems == []
    with pdfplumber.open(path) as pdf:
        index = max(range(len(pdf.pages)), key=lambda i: rulings(pdf.pages[i]))
        page = pdf.pages[index]
        plain = [c for c in light_chars(page) if c["text"] != " "]
        count = rulings(page)
    with pdfplumber.open(path) as pdf, Reader(path) as reader:
        page = pdf.pages[index]
        assert reader.install(page) and page.read_by == "pdfium"
        fast = [c for c in light_chars(page) if c["text"] != " "]
        # the same characters in the same places (pdfium's order may differ: text is read
        # by position, never by the order of the content stream)
        assert sorted(c["text"] for c in fast) == sorted(c["text"] for c in plain)
        assert _char_problems("page", fast, plain) == []
        assert rulings(page) == count > 4


def test_a_page_pdfium_cannot_read_as_pdfminer_is_left_to_pdfminer(tmp_path):
    """A MediaBox off the origin and rotated text: pdfminer reads the page."""
    path = _offset_mediabox(tmp_path / "offset.pdf")
    with pdfplumber.open(path) as pdf, Reader(path) as reader:
        page = pdf.pages[0]
        assert not reader.install(page) and page.read_by == "pdfminer"
        assert rulings(page) == 3


def _turned_word(dst: Path) -> Path:
    """A one-page PDF at the origin with a word set upright, one turned a quarter and one
    in a standard font, by hand (tests/badfiles.py's writer)."""
    content = (b"BT /F1 12 Tf 100 700 Td (Tabel 2.3 Kegiatan) Tj ET\n"
               b"BT /F2 10 Tf 0 1 -1 0 300 500 Tm (miring) Tj ET\n"
               b"1 w 90 660 m 400 660 l S 90 600 310 80 re S\n")
    dst.write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Bold >>",
    ]))
    return dst


def test_a_turned_word_is_boxed_as_pdfminer_boxes_it(tmp_path):
    path = _turned_word(tmp_path / "turned.pdf")
    compared, fallback, problems = _compare(path, words=True)
    assert (compared, fallback, problems) == (1, 0, [])
    with pdfplumber.open(path) as pdf, Reader(path) as reader:
        page = pdf.pages[0]
        assert reader.install(page)
        turned = [c for c in page.chars if not c["upright"]]
        assert "".join(c["text"] for c in turned) == "miring"
        # drawn upwards from (300, 500): a column one size wide left of x = 300 but for
        # the font's descent
        assert all(290 - 1 < c["x0"] and c["x1"] < 300 + 10 / 4 for c in turned)
        assert turned[0]["bottom"] > turned[-1]["bottom"]
        assert rulings(page) == 2


def test_the_reader_changes_no_row_of_a_sample():
    path = SAMPLES / "lkj-bp3mi-ntb-2022.pdf"
    fast = extract_report(path, ExtractSettings(engine="pdfplumber", reader="pdfium"))
    slow = extract_report(path, ExtractSettings(engine="pdfplumber", reader="pdfminer"))
    assert fast.frames().keys() == slow.frames().keys()
    for name, frame in fast.frames().items():
        assert frame.equals(slow.frames()[name]), name
    with pytest.raises(ValueError, match="reader must be one of"):
        ExtractSettings(reader="poppler")


@pytest.mark.slow  # every page of the samples and the corpus of makers, by both readers
@pytest.mark.parametrize("path", [*sorted(SAMPLES.glob("*.pdf")), *MAKERS],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_samples_and_makers_read_alike(path):
    compared, fallback, problems = _compare(path, words=True)
    assert compared > 0 and fallback == 0
    assert problems == []


@pytest.mark.slow  # every page of the real files, by both readers
def test_real_files_read_alike():
    real = sorted(REAL.glob("*.pdf"))
    if not real:
        pytest.skip(f"no real files at {REAL}")
    compared = fallback = pages = 0
    problems: list[str] = []
    for path in real:
        n, f, p = _compare(path, words=False)
        compared, fallback, problems = compared + n, fallback + f, problems + p
        with pdfplumber.open(path) as pdf:
            pages += len(pdf.pages)
    assert problems == []
    # every page compared or left to pdfminer, and pdfium reads all but a few (rotated text)
    assert compared + fallback == pages > 500 and fallback < pages / 20
