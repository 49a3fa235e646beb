"""Cell engines: pdfplumber, camelot (lattice, vector) and OCR, each giving `Grid`s with spans.

One class per engine behind a registry (CHOICES), as camelot keeps one parser per flavor.
pdfplumber is the primary reader (its cell rectangles give exact spans and it shares the PDF
already open); camelot's render-free lattice reads the same pages independently, so that a
table on which the two disagree is flagged instead of trusted; OCR (lkj.extract.ocr) reads
the pages that are scans.
"""

from __future__ import annotations

import bisect
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from lkj.extract import ocr, rulings
from lkj.extract.grid import Cell, FoundTable, Grid, join_lines, merge_units, span_of


class ReadSettings(Protocol):
    """What an engine takes of lkj.extract.settings.ExtractSettings (which the settings
    module, above this one, makes): the OCR settings."""

    ocr: ocr.OcrSettings

#: Snap tolerance (points) when turning cell edges into grid lines.
EDGE_TOLERANCE = 1.5
#: A gap between two characters wider than this part of their size is a space (a space is
#: a fifth to a third of an em in text fonts; kerning and tracking stay under a tenth).
SPACE_PART_OF_SIZE = 0.15


def _snap(values: Iterable[float], tol: float = EDGE_TOLERANCE) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(lines: list[float], v: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - v))


def pdfplumber_tables(page: Any) -> list[FoundTable]:
    """Ruled tables of a pdfplumber page, spans read from the cell rectangles."""
    found = []
    chars = [c for c in page.chars if c["text"].strip()]
    by_middle = _ByMiddle(chars)
    tables = rulings.find_tables(page)
    for table in tables.tables:
        texts = table.extract(x_tolerance_ratio=SPACE_PART_OF_SIZE)
        boxes = [(cell, texts[i][j]) for i, row in enumerate(table.rows)
                 for j, cell in enumerate(row.cells) if cell is not None]
        if not boxes:
            continue
        xs = _snap([b[0] for b, _ in boxes] + [b[2] for b, _ in boxes])
        ys = _snap([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes])
        cells = []
        for (x0, top, x1, bottom), text in boxes:
            c0, c1 = _index(xs, x0), _index(xs, x1)
            r0, r1 = _index(ys, top), _index(ys, bottom)
            if c1 <= c0 or r1 <= r0:
                continue
            box = (x0, top, x1, bottom)
            bands = _lines_in(by_middle, box)
            text = text or ""
            if bands and len(text.split("\n")) != len(bands):
                text = _text_in_bands(by_middle, box, bands)
            cells.append(Cell(text, r0, c0, r1 - r0, c1 - c0, page.page_number, box,
                              lines=bands))
        grid = Grid(len(ys) - 1, len(xs) - 1, cells)
        notes = [f"columns on page {page.page_number} read from the text's alignment "
                 "(no vertical rule between them)"] if table.bbox in tables.by_text else []
        found.append(FoundTable(page.page_number, tuple(table.bbox), grid, Pdfplumber.name,
                                notes))
    return found


class _ByMiddle:
    """A page's characters ordered by the middle of their width, to find those whose
    middle is in a column of the page by bisection."""

    def __init__(self, chars: list[dict]) -> None:
        self.chars = sorted(chars, key=lambda c: (c["x0"] + c["x1"]) / 2)
        self.middles = [(c["x0"] + c["x1"]) / 2 for c in self.chars]

    def within(self, x0: float, x1: float) -> list[dict]:
        return self.chars[bisect.bisect_left(self.middles, x0):
                          bisect.bisect_right(self.middles, x1)]


def _lines_in(chars: _ByMiddle, bbox: tuple[float, float, float, float]
              ) -> tuple[tuple[float, float], ...]:
    """The bands (top, bottom) of the text lines inside a cell box, top to bottom:
    characters whose middles are in the box, grouped where they overlap vertically by
    more than half a character."""
    x0, top, x1, bottom = bbox
    lines: list[list[float]] = []
    for c in sorted((c for c in chars.within(x0, x1)
                     if top <= (c["top"] + c["bottom"]) / 2 <= bottom),
                    key=lambda c: c["top"]):
        if lines and c["top"] < lines[-1][1] - (c["bottom"] - c["top"]) / 2:
            lines[-1][1] = max(lines[-1][1], c["bottom"])
        else:
            lines.append([c["top"], c["bottom"]])
    return tuple((t, b) for t, b in lines)


def _text_in_bands(chars: _ByMiddle, bbox: tuple[float, float, float, float],
                   bands: tuple[tuple[float, float], ...]) -> str:
    """A cell's text line by line as its bands group the characters, where pdfplumber's
    line clustering (by a constant 3 pt of `top`) saw other lines: a list mark of another
    font stands a little higher or lower than its words, and was a line of its own. Words
    are cut where the gap is more than SPACE_PART_OF_SIZE of the character's size."""
    x0, top, x1, bottom = bbox
    inside = [c for c in chars.within(x0, x1) if top <= (c["top"] + c["bottom"]) / 2 <= bottom]
    out = []
    for band_top, band_bottom in bands:
        line = sorted((c for c in inside if band_top <= (c["top"] + c["bottom"]) / 2
                       <= band_bottom), key=lambda c: c["x0"])
        text, last = "", None
        for c in line:
            if last is not None and c["x0"] - last["x1"] > SPACE_PART_OF_SIZE * c["size"]:
                text += " "
            text += c["text"]
            last = c
        out.append(text)
    return "\n".join(out)


def camelot_tables(path: Path, pages: list[int],
                   page_heights: dict[int, float]) -> list[FoundTable]:
    """Ruled tables read by camelot's lattice parser with the render-free vector engine."""
    if not pages:
        return []
    import camelot  # heavy: imported only when a cross-check is asked for

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages=",".join(map(str, pages)),
                                  flavor="lattice", engine="vector")
    found = []
    for table in tables:
        page = int(table.page)
        x1, y1, x2, y2 = table._bbox
        height = page_heights[page]
        grid = _camelot_grid(table, page)
        found.append(FoundTable(page, (x1, height - y2, x2, height - y1), grid,
                                Camelot.name))
    return found


def _camelot_grid(table: Any, page: int) -> Grid:
    """Merge camelot's unit cells into spanning cells where no ruling separates them."""
    rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    cells = []
    for members in merge_units(rows, cols, lambda r, c: not table.cells[r][c].right,
                               lambda r, c: not table.cells[r][c].bottom):
        text = "\n".join(t for r, c in members if (t := table.cells[r][c].text.strip()))
        cells.append(Cell(text, *span_of(members), page))
    return Grid(rows, cols, cells)


def grid_texts(grid: Grid) -> list[str]:
    """The non-empty cell texts of a grid, whitespace-normalised and sorted (engine-neutral)."""
    return sorted(t for c in grid.cells if (t := join_lines(c.text)))


def compare_grids(primary: Grid, other: Grid) -> list[str]:
    """What the second engine read differently: a list of short, human-readable differences."""
    problems = []
    if (primary.n_rows, primary.n_cols) != (other.n_rows, other.n_cols):
        problems.append(f"shape {primary.n_rows}x{primary.n_cols} vs {other.n_rows}x{other.n_cols}")
    a, b = grid_texts(primary), grid_texts(other)
    if a != b:
        only_a = sorted(set(a) - set(b))[:3]
        only_b = sorted(set(b) - set(a))[:3]
        problems.append(f"text differs: pdfplumber-only {only_a}, camelot-only {only_b}")
    return problems


class PageRead(Protocol):
    """What an engine read on one page: its ruled tables (an engine that reads the page's
    image, OCR, gives its text and lines too: lkj.extract.ocr.OcrPage)."""

    tables: list[FoundTable]


@dataclass
class PageTables:
    """The ruled tables an engine found on one page."""

    tables: list[FoundTable]


class Engine(ABC):
    """A reader of ruled tables, as extract_report asks for them: given pdfplumber pages of
    the file at a path, what it read on each (by page number; a page where it found nothing
    may be left out). Made for one reading, with its settings; `done(n)` is told of each
    page read by an engine that reads its pages at once (OCR)."""

    name: ClassVar[str]
    #: Modules it needs, imported once before a batch forks its workers.
    modules: ClassVar[tuple[str, ...]] = ()
    #: Whether it reads the pages already open one at a time: extract_report then gives it
    #: one page at a time as it goes through them (a page that fails costs that page, and
    #: the time limit counts each); otherwise it reads all its pages from the file at once.
    by_page: ClassVar[bool] = False

    def __init__(self, settings: ReadSettings,
                 done: Callable[[int], None] | None = None) -> None:
        self.settings, self.done = settings, done

    @abstractmethod
    def read(self, path: Path, pages: Sequence[Any]) -> Mapping[int, PageRead]:
        """What it read on each of these pages of the file at `path`."""


class Pdfplumber(Engine):
    """pdfplumber's cells of the pages already open (the primary reader)."""

    name = "pdfplumber"
    modules = ("pdfplumber",)
    by_page = True

    def read(self, path: Path, pages: Sequence[Any]) -> dict[int, PageTables]:
        return {p.page_number: PageTables(pdfplumber_tables(p)) for p in pages}


class Camelot(Engine):
    """camelot's lattice parser with the render-free vector engine, over the file."""

    name = "camelot"
    modules = ("camelot",)

    def read(self, path: Path, pages: Sequence[Any]) -> dict[int, PageTables]:
        out: dict[int, PageTables] = {}
        for found in camelot_tables(path, [p.page_number for p in pages],
                                    {p.page_number: p.height for p in pages}):
            out.setdefault(found.page, PageTables([])).tables.append(found)
        return out


class Ocr(Engine):
    """Tesseract over the rendered pages (lkj.extract.ocr, `settings.ocr`): for scanned
    pages, which it gives the text and lines of too. Raises OcrError where it cannot."""

    name = ocr.ENGINE

    def read(self, path: Path, pages: Sequence[Any]) -> dict[int, ocr.OcrPage]:
        return ocr.read_pages(path, [p.page_number for p in pages], self.settings.ocr,
                              self.done)


@dataclass(frozen=True)
class Choice:
    """An engine choice: the engine that reads the tables, the one that reads the same
    pages again to cross-check it (None: none), and the one that reads scanned pages."""

    primary: type[Engine]
    check: type[Engine] | None = None
    scans: type[Engine] = Ocr

    @property
    def modules(self) -> tuple[str, ...]:
        """What its table engines import."""
        return self.primary.modules + (self.check.modules if self.check else ())


#: The engine choices (`--engine`, `ExtractSettings.engine`), by name.
CHOICES: dict[str, Choice] = {
    "both": Choice(Pdfplumber, check=Camelot),
    Pdfplumber.name: Choice(Pdfplumber),
    Camelot.name: Choice(Camelot),
}
ENGINE_CHOICES = tuple(CHOICES)
