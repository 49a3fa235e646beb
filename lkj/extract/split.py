"""Rows a reader sees inside one ruled row: several indicators printed line by line.

Real reports often rule one row per sasaran and print its indicators inside it, one per
line, each line's target, realisasi and capaian on the same baseline in their columns. A
reader sees one row per indicator; the rulings show one. The row is split where its
lines start together with a figure in two columns or more, one under a line of its own;
wrapped lines (a long indicator name going on alone in its column) stay with their row. A
column whose lines do not follow those starts (the sasaran's name, wrapped over the first
lines) is one cell over all the new rows. Split rows are flagged `split_by_text`: the structure
is read from the text's alignment, not from rulings.
"""

from __future__ import annotations

import re
from dataclasses import replace

from lkj.extract.grid import Cell, Grid
from lkj.extract.header import Header

_FIGURE = re.compile(r"^[\s\d.,%*()+\-–—/]*\d[\s\d.,%*()+\-–—/]*|^\s*[-–—]+\s*$")
#: Columns that group the rows below them: never split with an indicator's lines.
GROUPING_ROLES = frozenset({"sasaran", "no"})


def _lines(cell: Cell) -> list[tuple[float, float, str]] | None:
    """The cell's printed lines with their bands, where the engine's line count and the
    text's agree (otherwise the cell cannot be split safely)."""
    texts = cell.text.split("\n")
    if not cell.lines or len(cell.lines) != len(texts):
        return None
    return [(top, bottom, text) for (top, bottom), text in zip(cell.lines, texts, strict=True)]


def _starts(row_lines: dict[int, list[tuple[float, float, str]]]) -> list[float]:
    """Tops where a new row begins: two columns or more start a figure there, one of them
    under a line of its own (a column of stacked values). Figures centred beside a wrapped
    name are one row's values, and one column listing two values ("2022 : 883" over
    "2023 : 959") beside one indicator is one row, not two."""
    bands = sorted((top, bottom, col, text) for col, lines in row_lines.items()
                   for top, bottom, text in lines)
    slots: list[list[tuple[float, float, int, str]]] = []
    for band in bands:
        if slots and band[0] < max(b[1] for b in slots[-1]) - (band[1] - band[0]) / 2:
            slots[-1].append(band)
        else:
            slots.append([band])
    starts = []
    seen: set[int] = set()  # columns with a line above the slot
    for i, slot in enumerate(slots):
        cols = {b[2] for b in slot}
        figures = {b[2] for b in slot if _FIGURE.match(b[3])}
        if i and len(figures) >= 2 and figures & seen:
            starts.append(min(b[0] for b in slot))
        seen |= cols
    return starts


def split_rows(grid: Grid, header: Header) -> tuple[Grid, set[int]]:
    """The grid with each ruled row that holds several rows split into them, and the new
    grid rows made so."""
    plan: dict[int, list[float]] = {}
    for r in range(header.first_data_row, grid.n_rows):
        own = [c for c in grid.row_cells(r) if c.rowspan == 1 and c.text.strip()]
        row_lines = {c.col: lines for c in own if (lines := _lines(c))}
        if len(row_lines) < 2:
            continue
        starts = _starts(row_lines)
        if starts:
            plan[r] = starts
    if not plan:
        return grid, set()
    roles = {c.index: c.role for c in header.columns}
    first_new: dict[int, int] = {}
    at = 0
    for r in range(grid.n_rows):
        first_new[r] = at
        at += len(plan.get(r, [])) + 1
    n_rows = at
    cells: list[Cell] = []
    made: set[int] = set()
    for cell in grid.cells:
        last = cell.row + cell.rowspan - 1
        start, end = first_new[cell.row], first_new[last] + len(plan.get(last, []))
        starts = plan.get(cell.row) if cell.rowspan == 1 else None
        lines = _lines(cell) if starts else None
        follows = lines is not None and roles.get(cell.col) not in GROUPING_ROLES and 2 * sum(
            any(abs(top - s) < (bottom - top) / 2 for top, bottom, _ in lines)
            for s in starts) >= len(starts)
        if not follows:
            cells.append(replace(cell, row=start, rowspan=end - start + 1))
            continue
        cuts = [float("-inf"), *(s - 0.5 for s in starts), float("inf")]
        for i in range(len(cuts) - 1):
            part = [ln for ln in lines if cuts[i] <= ln[0] < cuts[i + 1]]
            if not part:
                continue
            x0, _, x1, _ = cell.bbox or (0, 0, 0, 0)
            box = (x0, part[0][0], x1, part[-1][1]) if cell.bbox else None
            cells.append(replace(cell, text="\n".join(t for _, _, t in part), row=start + i,
                                 rowspan=1, bbox=box,
                                 lines=tuple((t, b) for t, b, _ in part)))
        made.update(range(start, end + 1))
    pages = [grid.row_pages[r] for r in range(grid.n_rows) for _ in
             range(len(plan.get(r, [])) + 1)]
    return Grid(n_rows, grid.n_cols, cells, pages, made), made
