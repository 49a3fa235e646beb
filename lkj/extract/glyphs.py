"""Glyphs drawn over each other: two strings printed at one place read as one interleaved.

Some makers draw a string over another (a wrapped line set on the line of the next row, a
figure printed twice at slightly different places): the text layer then holds both, their
characters interleaved ("1.128," under "26" reads "1.12286,"), and no reading of the cell
is certain. A reader sees a smudge there; lkj says the cell is in doubt, never guesses
which string is the cell's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lkj.extract.grid import Grid

#: Two characters overlap heavily when more than this part of the narrower one's width is
#: covered by the other on the same line: kerning and tight tracking stay well under it.
OVERLAP_PART = 0.4
#: What a cell so drawn is doubted for.
DOUBT = "characters drawn over each other"


def overlapping(chars: Iterable[dict]) -> list[tuple[float, float, float, float]]:
    """The boxes (x0, top, x1, bottom) of printed characters that another, different one
    covers heavily on the same line, drawn apart from it (`chars` in the order they are
    drawn, as pdfplumber gives them): neighbours in that order are one string, its letters
    overlapping only where the text is condensed (its boxes are the font's widths, not the
    advances), while a string drawn over another comes back over letters drawn before. The
    same character drawn twice at one place (a fake bold) is one glyph to a reader."""
    glyphs = sorted(((k, c) for k, c in enumerate(chars) if c.get("text", "").strip()
                     and c["x1"] > c["x0"] and c["bottom"] > c["top"]),
                    key=lambda kc: kc[1]["x0"])
    found: dict[int, tuple[float, float, float, float]] = {}
    for i, (ka, a) in enumerate(glyphs):
        for kb, b in glyphs[i + 1:]:
            if b["x0"] >= a["x1"]:
                break
            if a["text"] == b["text"] or abs(ka - kb) == 1:
                continue
            width = min(a["x1"] - a["x0"], b["x1"] - b["x0"])
            height = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
            across = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if across > OVERLAP_PART * width and down > height / 2:
                for c in (a, b):
                    found[id(c)] = (c["x0"], c["top"], c["x1"], c["bottom"])
    return list(found.values())


def doubt_overlaps(grid: Grid, boxes: Sequence[tuple[float, float, float, float]]
                   ) -> tuple[Grid, list[tuple[int, int]]]:
    """The grid with each cell that holds characters drawn over each other doubted
    (`Cell.doubt`), and the (row, col) of those cells."""
    if not boxes:
        return grid, []
    doubted = []
    cells = []
    for cell in grid.cells:
        if cell.bbox is not None and cell.text.strip() and any(
                cell.bbox[0] <= (b[0] + b[2]) / 2 <= cell.bbox[2]
                and cell.bbox[1] <= (b[1] + b[3]) / 2 <= cell.bbox[3] for b in boxes):
            cell = cell.with_doubt(DOUBT)
            doubted.append((cell.row, cell.col))
        cells.append(cell)
    if not doubted:
        return grid, []
    return Grid(grid.n_rows, grid.n_cols, cells, grid.row_pages, grid.split_rows), doubted
