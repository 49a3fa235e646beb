"""A ruled table as a grid of cells with their spans, whichever engine read it.

Engines disagree on how they show merged cells (pdfplumber: None in the covered positions,
camelot: empty strings plus span flags), so both are turned into this one structure: every
cell knows the rows and columns it covers. Normalisation can then tell a merged cell
(covered by the cell above) from a cell that is really empty (its own cell, no text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Cell:
    """One printed cell: its text (wrapped lines joined by newlines) and what it covers.

    `confidence` is set only where the text was read by OCR: Tesseract's confidence in the
    cell's least certain word, in percent (0-100); None for text read from a text layer.
    """

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int = 0
    bbox: tuple[float, float, float, float] | None = None
    confidence: float | None = None
    #: The band (top, bottom) of each printed line of the cell, where the engine saw it.
    lines: tuple[tuple[float, float], ...] = ()
    #: Why its text is in doubt although it was read from a text layer (characters drawn
    #: over each other), or None.
    doubt: str | None = None

    def with_doubt(self, why: str) -> Cell:
        if self.doubt and why in self.doubt:
            return self
        return replace(self, doubt=f"{self.doubt}; {why}" if self.doubt else why)


@dataclass
class Grid:
    """Cells of one table segment (or of a table stitched over several pages)."""

    n_rows: int
    n_cols: int
    cells: list[Cell]
    row_pages: list[int] = field(default_factory=list)
    #: Rows read from the text's alignment inside one ruled row (lkj.extract.split).
    split_rows: set[int] = field(default_factory=set)
    _index: dict[tuple[int, int], Cell] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    self._index[(r, c)] = cell
        if not self.row_pages:
            pages = {c.row: c.page for c in self.cells}
            self.row_pages = [pages.get(r, 0) for r in range(self.n_rows)]

    def at(self, row: int, col: int) -> Cell | None:
        """The cell covering a position (its origin may be above or to the left)."""
        return self._index.get((row, col))

    def text(self, row: int, col: int) -> str:
        """The text covering a position, wrapped lines joined: merged cells are filled."""
        cell = self.at(row, col)
        return join_lines(cell.text) if cell else ""

    def is_origin(self, row: int, col: int) -> bool:
        cell = self.at(row, col)
        return cell is not None and cell.row == row and cell.col == col

    def is_continued_from_above(self, row: int, col: int) -> bool:
        """True where a merged cell from an earlier row covers this position."""
        cell = self.at(row, col)
        return cell is not None and cell.row < row

    def row_cells(self, row: int) -> list[Cell]:
        """Cells whose origin is in this row, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def raw_row(self, row: int) -> list[str | None]:
        """The row as printed: text where a cell starts, None where a merged cell covers."""
        out: list[str | None] = []
        for col in range(self.n_cols):
            cell = self.at(row, col)
            origin = cell is not None and cell.row == row and cell.col == col
            out.append(join_lines(cell.text) if origin else None)
        return out

    def rows_as_text(self) -> list[list[str | None]]:
        return [self.raw_row(r) for r in range(self.n_rows)]

    def drop_rows(self, rows: set[int]) -> Grid:
        """A new grid without the given rows (used for repeated headers on continuation pages)."""
        keep = [r for r in range(self.n_rows) if r not in rows]
        new_index = {old: new for new, old in enumerate(keep)}
        cells = []
        for cell in self.cells:
            covered = [r for r in range(cell.row, cell.row + cell.rowspan) if r in new_index]
            if not covered:
                continue
            cells.append(replace(cell, row=new_index[covered[0]], rowspan=len(covered)))
        return Grid(len(keep), self.n_cols, cells, [self.row_pages[r] for r in keep],
                    {new_index[r] for r in self.split_rows if r in new_index})

    def join_below(self, other: Grid) -> tuple[Grid, Grid]:
        """This grid with the first row of `other` joined into its last row (a row broken
        over two pages: each cell's text goes on in the cell above), and `other` without
        that row. The joined cell keeps the box and page where it starts."""
        last = self.n_rows - 1
        tails = {c.col: c.text for c in other.row_cells(0) if c.text.strip()}
        cells = []
        for cell in self.cells:
            tail = tails.pop(cell.col, None) if cell.row + cell.rowspan - 1 == last else None
            cells.append(replace(cell, text=f"{cell.text}\n{tail}") if tail else cell)
        return (Grid(self.n_rows, self.n_cols, cells, self.row_pages, self.split_rows),
                other.drop_rows({0}))

    def stitch_merged(self, other: Grid) -> tuple[Grid, list[int]]:
        """Stitch `other` below, a merged cell that reaches this grid's last row going on
        into the empty cell that opens the same column of `other` (a maker that breaks a
        merged cell over a page draws its rest empty), where either part is merged over
        several rows: a cell merged over rows is one thing, and an empty merged cell
        under it is its rest. Returns the grid and the columns so continued."""
        last = self.n_rows - 1
        stitched = self.stitch(other)
        carried = []
        for col in range(self.n_cols):
            above = self.at(last, col)
            below = other.at(0, col)
            if (above is None or below is None or above.col != col
                    or max(above.rowspan, below.rowspan) < 2
                    or below.row != 0 or below.col != col or below.colspan != above.colspan
                    or below.text.strip()):
                continue
            carried.append(col)
            merged = replace(above, rowspan=above.rowspan + below.rowspan)
            stitched = Grid(stitched.n_rows, stitched.n_cols,
                            [merged if c is above else c for c in stitched.cells
                             if not (c.row == self.n_rows and c.col == col)],
                            stitched.row_pages, stitched.split_rows)
        return stitched, carried

    def column_edges(self) -> list[float] | None:
        """The left edge of each column and the right edge of the last, in points, from the
        boxes of cells that start in the column; None where a column has no boxed cell."""
        lefts: dict[int, float] = {}
        right = None
        for c in self.cells:
            if c.bbox is None:
                continue
            lefts[c.col] = min(lefts.get(c.col, c.bbox[0]), c.bbox[0])
            right = c.bbox[2] if right is None else max(right, c.bbox[2])
        if len(lefts) != self.n_cols or right is None:
            return None
        return [lefts[c] for c in range(self.n_cols)] + [right]

    def merge_columns(self, groups: list[list[int]], joinable: Collection[int] = (),
                      join: Callable[[Cell, Cell], Cell] | None = None) -> Grid | None:
        """The grid with each group of neighbouring columns made one column (groups in
        order, covering every column once), or None where that would put two printed
        texts of one row in one cell. In a `joinable` new column (a name column: "5." and
        "Tingkat kepuasan" drawn as two cells where the page before prints "4. Persentase"
        in one) the texts of cells over the same rows are joined left to right instead,
        by `join` (the left cell and the right one give the joined cell) or with a space.
        A cell keeps its row span; the empty cells a merge leaves over are dropped."""
        new_col = {c: i for i, group in enumerate(groups) for c in group}
        taken: dict[tuple[int, int], Cell] = {}
        cells: list[Cell] = []
        for cell in sorted(self.cells, key=lambda c: (not c.text.strip(), c.row, c.col)):
            first, last = new_col[cell.col], new_col[cell.col + cell.colspan - 1]
            spots = [(r, c) for r in range(cell.row, cell.row + cell.rowspan)
                     for c in range(first, last + 1)]
            held = {id(taken[s]): taken[s] for s in spots if s in taken}
            if held and not cell.text.strip():
                continue
            if held:
                (other,) = held.values() if len(held) == 1 else (None,)
                if (other is None or first not in joinable or first != last
                        or (other.col, other.colspan, other.row, other.rowspan)
                        != (first, 1, cell.row, cell.rowspan)):
                    return None
                left, right = sorted((other, cell), key=lambda c: c.bbox[0] if c.bbox else 0)
                joined = replace(join(left, right) if join else replace(
                    other, text=f"{left.text.strip()} {right.text.strip()}"),
                    row=other.row, col=other.col, colspan=1,
                    bbox=_union(left.bbox, right.bbox))
                cells[next(i for i, c in enumerate(cells) if c is other)] = joined
                taken.update(dict.fromkeys(spots, joined))
                continue
            moved = replace(cell, col=first, colspan=last - first + 1)
            taken.update(dict.fromkeys(spots, moved))
            cells.append(moved)
        return Grid(self.n_rows, len(groups), cells, self.row_pages, self.split_rows)

    def respan(self, edges: list[int]) -> Grid | None:
        """The grid on other column edges: `edges` gives, for each of its column edges
        (n_cols + 1, left to right), the index of the new edge it stands at (never
        decreasing; the first 0, the last the new column count). A cell goes from the new
        edge of its left edge to that of its right: over several new columns where edges
        come between (an edge the other part of a table draws), over fewer where two of
        its edges are one (a sliver between near-coincident rules). None where a printed
        text would be left in no column; an empty cell so left is dropped."""
        if edges == list(range(self.n_cols + 1)):
            return self
        cells = []
        for cell in self.cells:
            first, end = edges[cell.col], edges[cell.col + cell.colspan]
            if end <= first:
                if cell.text.strip():
                    return None
                continue
            cells.append(replace(cell, col=first, colspan=end - first))
        return Grid(self.n_rows, edges[-1], cells, self.row_pages, self.split_rows)

    def stitch(self, other: Grid) -> Grid:
        """Append a continuation segment below this one (same columns)."""
        if other.n_cols != self.n_cols:
            raise ValueError(f"cannot stitch {other.n_cols} columns onto {self.n_cols}")
        shifted = [
            replace(c, row=c.row + self.n_rows)
            for c in other.cells
        ]
        return Grid(self.n_rows + other.n_rows, self.n_cols, self.cells + shifted,
                    self.row_pages + other.row_pages,
                    self.split_rows | {r + self.n_rows for r in other.split_rows})


@dataclass
class FoundTable:
    """A ruled table an engine found on one page, in pdfplumber's top-left coordinates."""

    page: int
    bbox: tuple[float, float, float, float]
    grid: Grid
    engine: str
    #: How its structure was read where not from rulings alone (become the table's flags).
    notes: list[str] = field(default_factory=list)


#: A line that ends in a word and a hyphen: the word goes on at the start of the next line.
_BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-[ \t]*\n\s*(?=\w)")


def _union(a: tuple[float, float, float, float] | None,
           b: tuple[float, float, float, float] | None
           ) -> tuple[float, float, float, float] | None:
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def join_lines(text: str | None) -> str:
    """Join the wrapped lines of a cell into one line of single spaces. A word wrapped
    after its hyphen ("Perundang-" / "undangan") is joined without a space, the hyphen
    kept as printed."""
    if not text:
        return ""
    return " ".join(_BROKEN_WORD.sub("-", text).split())


def merge_units(rows: int, cols: int, joined_right: Callable[[int, int], bool],
                joined_below: Callable[[int, int], bool]) -> list[list[tuple[int, int]]]:
    """Group the unit boxes of a ruled grid into printed cells: neighbours with no ruling
    between them are one (merged) cell. Each group lists its units (row, col), sorted.

    Shared by every engine that sees rulings, not cells (camelot's unit cells, a page
    image's line masks)."""
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and joined_right(r, c):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < rows and joined_below(r, c):
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(key)
    return [sorted(members) for members in groups.values()]


def span_of(members: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    """(row, col, rowspan, colspan) of a group of unit boxes."""
    r0, c0 = min(m[0] for m in members), min(m[1] for m in members)
    r1, c1 = max(m[0] for m in members), max(m[1] for m in members)
    return r0, c0, r1 - r0 + 1, c1 - c0 + 1
