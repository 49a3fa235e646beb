"""Grids built by hand for the tests of header, family and page-break rules (no PDF)."""

from __future__ import annotations

from collections.abc import Sequence

from lkj.extract.grid import Cell, Grid


def boxed_grid(rows: list[list[str | None]], page: int = 1,
               edges: Sequence[float] | None = None, top: float = 0.0) -> Grid:
    """A grid from rows of texts, each cell boxed: column c from edges[c] to edges[c + 1]
    (by default 50 pt wide), rows 20 pt high from `top`. A None text is covered by the
    cell to its left (a colspan)."""
    edges = edges or [50.0 * c for c in range(len(rows[0]) + 1)]
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            span = 1
            while c + span < len(row) and row[c + span] is None:
                span += 1
            cells.append(Cell(text, r, c, 1, span, page,
                              (edges[c], top + 20 * r, edges[c + span], top + 20 * (r + 1))))
    return Grid(len(rows), len(rows[0]), cells)
