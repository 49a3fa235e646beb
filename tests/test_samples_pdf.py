"""The committed sample PDF shows the published 2023 text, table by table, as the pipeline needs.

The seed text is read here independently of samples/tools/lkjdoc.py (a few lines of plain
parsing), so a renderer that drops, moves or rewrites a cell fails these tests instead of
agreeing with itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

pdfplumber = pytest.importorskip("pdfplumber")

ROOT = Path(__file__).resolve().parents[1]
NAME = "lkj-bp3mi-ntb-2023"
PDF = ROOT / "samples" / f"{NAME}.pdf"
SEED = ROOT / "samples" / "src" / f"{NAME}.txt"
BUILD = ROOT / "samples" / "tools" / "build_samples.py"
CAPTION = re.compile(r"^Tabel (\d+(?:\.\d+)*)\.?$")
DASHES = re.compile(r"^[-\t ]*-[-\t ]*$")
RUNNING_HEADER = "LKj BP3MI Nusa Tenggara Barat Tahun 2023"
HEADER_BAND, FOOTER_BAND = 62, 52  # points from the top / bottom edge, outside the text frame


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def unmark(line: str) -> str:
    """The printed text of a seed line: markdown bullet and bold/italic marks removed."""
    line = line[2:] if line.startswith("- ") else line
    line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)
    return re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"\1", line)


@cache
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


@cache
def _seed_parse() -> tuple[dict[str, list[list[str]]], frozenset[int]]:
    """Caption id -> rows of cells (blank = merged or empty), and the line numbers they use."""
    tables: dict[str, list[list[str]]] = {}
    used: set[int] = set()
    current: str | None = None
    for i, line in enumerate(seed_lines()):
        m = CAPTION.match(line)
        if m:
            current = m.group(1)
            tables[current] = []
        elif current is None or not line.strip() or DASHES.match(line):
            continue
        elif "\t" in line:
            tables[current].append([c.strip() for c in line.split("\t")])
            used.add(i)
        elif tables[current]:
            current = None
    return tables, frozenset(used)


def seed_tables() -> dict[str, list[list[str]]]:
    return _seed_parse()[0]


def kegiatan_block() -> list[list[str]]:
    """The `Kegiatan : / Anggaran :` lines after Tabel 1.1, as the rows of a two-column table."""
    lines = [ln for ln in seed_lines() if ln.strip()]
    k, a = lines.index("Kegiatan :"), lines.index("Anggaran :")
    activities = lines[k + 1 : a]
    amounts = lines[a + 1 : a + 1 + len(activities)]
    return [[lines[k], lines[a]]] + [list(pair) for pair in zip(activities, amounts, strict=True)]


@pytest.fixture(scope="module")
def pdf() -> Any:
    with pdfplumber.open(PDF) as doc:
        yield doc


@cache
def _page_lines(path: Path) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(path) as doc:
        return [page.extract_text_lines() for page in doc.pages]


def caption_page(table_id: str) -> int:
    """Index of the page whose text has the caption line `Tabel <id>` (with or without dot)."""
    hits = [i for i, lines in enumerate(_page_lines(PDF)) for ln in lines
            if CAPTION.match(ln["text"].strip()) and
            CAPTION.match(ln["text"].strip()).group(1) == table_id]
    assert len(hits) == 1, f"Tabel {table_id}: caption found on pages {hits}"
    return hits[0]


def table_below_caption(pdf: Any, table_id: str) -> list[list[str | None]]:
    """The first ruled table under the caption, as pdfplumber extracts it."""
    index = caption_page(table_id)
    page = pdf.pages[index]
    cap = next(ln for ln in _page_lines(PDF)[index]
               if (m := CAPTION.match(ln["text"].strip())) and m.group(1) == table_id)
    below = sorted((t for t in page.find_tables() if t.bbox[1] >= cap["bottom"]),
                   key=lambda t: t.bbox[1])
    assert below, f"no ruled table under Tabel {table_id} on page {index + 1}"
    return below[0].extract()


def first_table(page: Any) -> list[list[str | None]]:
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    assert tables, f"no table on page {page.page_number}"
    return tables[0].extract()


def table_cells(pdf: Any, table_id: str) -> list[list[str | None]]:
    """All rows of a table; for Tabel 2.3 the continuation page is appended (header dropped)."""
    rows = table_below_caption(pdf, table_id)
    if table_id == "2.3":
        rows = rows + first_table(pdf.pages[caption_page("2.3") + 1])[1:]
    return rows


def test_every_caption_of_the_seed_is_printed(pdf: Any) -> None:
    captions = [ln for ln in seed_lines() if CAPTION.match(ln)]
    assert len(captions) == 14
    printed = {ln["text"].strip() for lines in _page_lines(PDF) for ln in lines}
    assert [c for c in captions if c not in printed] == []


@pytest.mark.parametrize("table_id", sorted(seed_tables()))
def test_table_cells_are_the_seed_cells(pdf: Any, table_id: str) -> None:
    seed = seed_tables()[table_id]
    rows = table_cells(pdf, table_id)
    printed = {norm(c) for row in rows for c in row if c}
    missing = [c for row in seed for c in row if c and norm(c) not in printed]
    assert missing == []
    assert len(rows) == len(seed), "one printed row per seed row"
    extra = {c for c in printed if c not in {norm(x) for row in seed for x in row}}
    assert extra == set(), "nothing printed that the seed does not have"


def test_kegiatan_block_is_a_small_table_under_tabel_1_1(pdf: Any) -> None:
    expected = kegiatan_block()
    page = pdf.pages[caption_page("1.1")]
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    assert len(tables) == 2
    assert tables[1].bbox[1] - tables[0].bbox[3] < 20, "directly below Tabel 1.1"
    assert [[norm(c) for c in row] for row in tables[1].extract()] == expected


def test_merged_cells_come_back_as_one_cell(pdf: Any) -> None:
    t11 = table_cells(pdf, "1.1")
    assert t11[0][1:] == [None, None] and t11[-1][1:] == [None, None]
    assert [r[0] for r in t11[3:7]] == [None] * 4  # sasaran over its indicators
    t21 = table_cells(pdf, "2.1")
    assert t21[0][4::2] == [None] * 4 and t21[1][:3] == [None] * 3  # two-row header
    assert t21[3][10] == "", "TW IV realisasi of Penurunan Kasus is empty, not merged"
    t23 = table_cells(pdf, "2.3")
    jobfair = next(i for i, r in enumerate(t23) if r[2] and "Jobfair" in r[2])
    assert t23[jobfair + 1][:3] == [None, None, None] and t23[jobfair + 1][3] == "16 Maret 2023"
    taman = next(r for r in t23 if r[2] and r[2].startswith("- Taman Loang Baloq"))
    assert taman[:2] == [None, None] and norm(taman[3]) == "30 Maret 2023"
    assert t23[-1] == ["TOTAL", None, None, "32 Lokasi", "2.022 Orang"]
    t271 = table_cells(pdf, "2.7.1")
    assert t271[-1] == ["TOTAL", None, None, "180 Orang", ""]
    t211 = table_cells(pdf, "2.11")
    assert t211[0][4:6] == [None, None] and t211[1][9] is None
    for col in (0, 1, 3, 4, 5, 9):
        assert [r[col] for r in t211[3:7]] == [None] * 4
        assert [r[col] for r in t211[8:10]] == [None] * 2


@pytest.mark.parametrize("table_id", ["2.1", "2.11"])
def test_wide_tables_are_on_landscape_pages(pdf: Any, table_id: str) -> None:
    index = caption_page(table_id)
    page, after = pdf.pages[index], pdf.pages[index + 1]
    assert page.width > page.height
    assert after.width < after.height, "back to portrait after the wide table"


def test_tabel_2_3_breaks_where_the_published_table_did(pdf: Any) -> None:
    index = caption_page("2.3")
    first = table_below_caption(pdf, "2.3")
    second = first_table(pdf.pages[index + 1])
    assert norm(first[-1][2]) == "- Rumah Perempuan secara Virtual"
    assert second[0] == first[0], "header row repeated on the continuation page"
    assert second[1][:2] == ["6.", "Agustus"]


def test_running_text_is_the_seed_text(pdf: Any) -> None:
    """Every line outside the tables is printed verbatim (header and footer bands cut off)."""
    body = " ".join(norm(p.crop((0, HEADER_BAND, p.width, p.height - FOOTER_BAND)).extract_text())
                    for p in pdf.pages)
    skip = {cell for row in kegiatan_block() for cell in row}
    missing = []
    for i, line in enumerate(seed_lines()):
        if i in _seed_parse()[1] or not line.strip() or DASHES.match(line) or line in skip:
            continue
        if norm(unmark(line).replace("\t", " ")) not in body:
            missing.append(line)
    assert missing == []


def test_header_and_page_number_on_every_page_but_the_cover(pdf: Any) -> None:
    cover = pdf.pages[0]
    assert norm(cover.crop((0, 0, cover.width, HEADER_BAND)).extract_text()) == ""
    numbers = []
    for page in pdf.pages[1:]:
        top = norm(page.crop((0, 0, page.width, HEADER_BAND)).extract_text())
        bottom = norm(page.crop((0, page.height - FOOTER_BAND, page.width, page.height))
                      .extract_text())
        body = norm(page.crop((0, HEADER_BAND, page.width, page.height - FOOTER_BAND))
                    .extract_text())
        assert top == RUNNING_HEADER and body, f"page {page.page_number}"
        numbers.append(bottom)
    assert numbers[:3] == ["i", "ii", "iii"]
    assert numbers[3:] == [str(n) for n in range(1, len(numbers) - 2)]


def test_pdf_regenerates_byte_identically(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    subprocess.run([sys.executable, str(BUILD), "--only", NAME, "--out", str(tmp_path)],
                   check=True, capture_output=True)
    assert (tmp_path / f"{NAME}.pdf").read_bytes() == PDF.read_bytes()
