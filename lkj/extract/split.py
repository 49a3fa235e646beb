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
from lkj.schemas import families

_FIGURE = re.compile(r"^[\s\d.,%*()+\-–—/]*\d[\s\d.,%*()+\-–—/]*|^\s*[-–—]+\s*$")
#: A numbered heading: "1.3 Meningkatnya ...", "1.1.1 Jumlah produksi yang" (a number of
#: the list, then words: two or more, or one long word), never a figure with its unit.
_NUMBERED_NAME = re.compile(r"^\s*\d+(?:\.\d{1,2})+\.?\s+(?:\S+\s+\S|[^\W\d_]{8,})")


def _is_figure(text: str) -> bool:
    """A line that starts a figure ("12,50", "40 Orang", "-"), not a numbered name."""
    return bool(_FIGURE.match(text)) and not _NUMBERED_NAME.match(text)


#: A list mark: a bullet, a dash, a symbol font's arrow.
_BULLET = r"[-•–▪\uf000-\uf0ff]"
#: A line that opens an item of a list: "1.1.2 Jumlah ...", "- Daging", "• Telur".
_LIST_ITEM = re.compile(rf"^\s*(?P<mark>\d+(?:\.\d+)+\.?|{_BULLET})\s*(?=\S)")
#: A line that is a bullet alone (a number alone may be a figure, or a row's No).
_MARK_ONLY = re.compile(rf"^\s*{_BULLET}\s*$")


def mark_kind(text: str) -> str | None:
    """The kind of list mark a line opens with: "number" (1.1.2), the mark itself (a
    bullet, a dash, a symbol font's arrow), or None."""
    m = _LIST_ITEM.match(text)
    if not m:
        return None
    return "number" if m.group("mark")[0].isdigit() else m.group("mark")


def marks_only(text: str) -> bool:
    """Whether a cell prints bullets and nothing else, one a line: the marks of the items
    beside it, drawn in a column of their own ("-" over "-", "▪")."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return bool(lines) and all(_MARK_ONLY.match(ln) for ln in lines)


def unmarked(text: str) -> str:
    """The line without the list mark it opens with ("- Daging": "Daging")."""
    return _LIST_ITEM.sub("", text, count=1)


def seat_marks(grid: Grid, header: Header) -> Grid:
    """Each list mark printed between two lines of an indicator cell (a bullet centred on
    a two-line item: "Ayam Ras" over "-" over "Pedaging", or a dash the engine read with
    the second line, "- Petelur", whose band overlaps the line above) put before the line
    above it, where the item begins: "- Ayam Ras" over "Pedaging". Lines of one cell are
    never printed over each other, so a line reaching up into the line above is a mark
    drawn between them."""
    named = {c.index for c in header.columns if c.role == "indicator"}
    cells: list[Cell] = []
    for cell in grid.cells:
        lines = _lines(cell) if cell.col in named and cell.row >= header.first_data_row \
            else None
        seated = _seated(lines) if lines and len(lines) > 1 else None
        if seated is None:
            cells.append(cell)
            continue
        cells.append(replace(cell, text="\n".join(t for *_, t in seated),
                             lines=tuple((top, bottom) for top, bottom, _ in seated)))
    if all(a is b for a, b in zip(cells, grid.cells, strict=True)):
        return grid
    return Grid(grid.n_rows, grid.n_cols, cells, grid.row_pages, grid.split_rows)


def _seated(lines: list[tuple[float, float, str]]) -> list[tuple[float, float, str]] | None:
    """The lines with each mark drawn between two of them moved before the upper one, or
    None where there is none."""
    out = [lines[0]]
    moved = False
    for top, bottom, text in lines[1:]:
        above_top, above_bottom, above = out[-1]
        kind = mark_kind(text) if not _MARK_ONLY.match(text) else "alone"
        between = top < above_bottom - (bottom - top) / 5
        if kind is None or not between or mark_kind(above) or _MARK_ONLY.match(above):
            out.append((top, bottom, text))
            continue
        mark = text.strip() if kind == "alone" else _LIST_ITEM.match(text).group("mark")
        out[-1] = (above_top, above_bottom, f"{mark} {above}")
        if kind != "alone":
            out.append((top, bottom, unmarked(text)))
        moved = True
    return out if moved else None


#: Columns that group the rows below them: never split with an indicator's lines.
GROUPING_ROLES = frozenset({"sasaran", "no"})


def _lines(cell: Cell) -> list[tuple[float, float, str]] | None:
    """The cell's printed lines with their bands, where the engine's line count and the
    text's agree (otherwise the cell cannot be split safely)."""
    texts = cell.text.split("\n")
    if not cell.lines or len(cell.lines) != len(texts):
        return None
    return [(top, bottom, text) for (top, bottom), text in zip(cell.lines, texts, strict=True)]


def _row_starts(row_lines: dict[int, list[tuple[float, float, str]]],
                named: frozenset[int] = frozenset()) -> list[tuple[float, float]]:
    """Where new rows begin: two columns or more start a figure there, one of them
    under a line of its own (a column of stacked values); or a line of an indicator column
    (`named`) opens with a list mark ("1.1.2 ...", "- ...") under a line of its own, an
    item of the list even where no figure stands beside it (a heading over its items).
    Figures centred beside a wrapped name are one row's values, and one column listing two
    values ("2022 : 883" over "2023 : 959") beside one indicator is one row, not two.
    A heading of an indicator column (a line ending in a colon: "Outcome :") that stands
    below a blank line opens a row too: it heads what follows it, never the item above.
    Each start is (top, where its name begins): figures printed on a blank line a line
    above their item's name (below an item that has its own) begin the item's row, and its
    name begins below them."""
    bands = sorted((top, bottom, col, text) for col, lines in row_lines.items()
                   for top, bottom, text in lines)
    slots: list[list[tuple[float, float, int, str]]] = []
    for band in bands:
        if slots and band[0] < max(b[1] for b in slots[-1]) - (band[1] - band[0]) / 2:
            slots[-1].append(band)
        else:
            slots.append([band])
    # Where the indicators are a marked list, figures beside an unmarked line go with the
    # item above when it has none yet: they stand by its last wrapped line.
    # Items are the lines marked as the first marked line is: another mark is a level
    # below ("• Tersedianya ...:" over "➢ Jitut dan Jides"), the item going on.
    kinds = [k for b in bands if b[2] in named and (k := mark_kind(b[3]))]
    kind = kinds[0] if kinds else None
    items = kinds.count(kind) >= 2 if kind else False
    headed = _headings_after_a_gap(row_lines, named)
    starts = []
    seen: set[int] = set()  # columns with a line above the slot
    has_figures = False  # the row begun last has figures
    # The bottom of figures that opened a row on a blank line of the indicator column,
    # below an item with figures of its own: they are the next item's (printed a line
    # above its name) where that item's first line follows within a line.
    unnamed: float | None = None
    for i, slot in enumerate(slots):
        cols = {b[2] for b in slot}
        figures = {b[2] for b in slot if _is_figure(b[3])}
        marked = {b[2] for b in slot if b[2] in named and kind and mark_kind(b[3]) == kind}
        names = any(b[2] in named for b in slot)
        wrapped = items and not marked and not has_figures and names
        heads = any((b[2], b[0]) in headed for b in slot)
        top = min(b[0] for b in slot)
        early = marked and unnamed is not None and top <= unnamed + (
            max(b[1] for b in slot) - top)
        if early:  # the row begun on the blank line goes on with this item's name
            starts[-1] = (starts[-1][0], top)
        if i and not early and ((marked and seen) or heads
                                or (len(figures) >= 2 and figures & seen and not wrapped)):
            unnamed = max(b[1] for b in slot) if (
                items and has_figures and not names and len(figures) >= 2) else None
            starts.append((top, top))
            has_figures = False
        elif names:
            unnamed = None
        has_figures = has_figures or len(figures) >= 2
        seen |= cols
    return starts


#: A line that heads a list below it: it ends with a colon ("Outcome :", "Jumlah produksi :").
_HEADING = re.compile(r":\s*$")


def _headings_after_a_gap(row_lines: dict[int, list[tuple[float, float, str]]],
                          named: frozenset[int]) -> set[tuple[int, float]]:
    """(column, top) of the heading lines of indicator columns that stand below a blank
    line: the gap above them is more than half a line (wrapped lines of one name are
    printed closer). A heading so set apart is a new part of the cell, not the end of the
    name above it."""
    out = set()
    for col in named & row_lines.keys():
        lines = row_lines[col]
        for (_, above, _), (top, bottom, text) in zip(lines, lines[1:], strict=False):
            if _HEADING.search(text) and top - above > (bottom - top) / 2:
                out.add((col, top))
    return out


def split_rows(grid: Grid, header: Header) -> tuple[Grid, set[int]]:
    """The grid with each ruled row that holds several rows split into them, and the new
    grid rows made so."""
    plan: dict[int, list[float]] = {}
    named_at: dict[int, list[float]] = {}  # where each new row's name begins
    named = frozenset(c.index for c in header.columns if c.role == "indicator")
    for r in range(header.first_data_row, grid.n_rows):
        own = [c for c in grid.row_cells(r) if c.rowspan == 1 and c.text.strip()]
        row_lines = {c.col: lines for c in own if (lines := _lines(c))}
        if len(row_lines) < 2:
            continue
        starts = _row_starts(row_lines, named)
        if starts:
            plan[r] = [top for top, _ in starts]
            named_at[r] = [name for _, name in starts]
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
        names_at = named_at.get(cell.row, []) if starts else []
        follows = lines is not None and roles.get(cell.col) not in GROUPING_ROLES and 2 * sum(
            any(abs(top - s) < (bottom - top) / 2 or abs(top - n) < (bottom - top) / 2
                for top, bottom, _ in lines)
            for s, n in zip(starts, names_at, strict=True)) >= len(starts)
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


#: Roles of the columns a missing rule may merge: figure columns.
_FIGURE_ROLES = families.FIGURE_ROLES | {"pagu", "amount"}


def split_merged_figures(grid: Grid, header: Header) -> Grid:
    """A body cell over several columns the header names one by one, whose every line is
    one figure per column ("90,00   120" under 2019 | 2020): the maker left out the rule
    between them. Each column gets its figures, in the box of the cell they were printed
    in; the row is flagged `split_by_text` (its structure read from the text)."""
    first = header.first_data_row
    roles = {c.index: c.role for c in header.columns}
    named = {c.index for c in header.columns if c.label}
    cells: list[Cell] = []
    made: set[int] = set()
    for cell in grid.cells:
        cols = range(cell.col, cell.col + cell.colspan)
        lines = [ln.split() for ln in cell.text.split("\n") if ln.strip()]
        if (cell.row < first or cell.colspan < 2 or not lines
                or any(c not in named or roles.get(c) not in _FIGURE_ROLES for c in cols)
                or not _separate_headers(grid, header, cols)
                or any(len(ln) != cell.colspan or not all(_is_figure(t) for t in ln)
                       for ln in lines)):
            cells.append(cell)
            continue
        for i, col in enumerate(cols):
            cells.append(replace(cell, text="\n".join(ln[i] for ln in lines), col=col,
                                 colspan=1))
        made.update(range(cell.row, cell.row + cell.rowspan))
    if not made:
        return grid
    return Grid(grid.n_rows, grid.n_cols, cells, grid.row_pages, grid.split_rows | made)


#: A row's number before its name in one cell: "6 Jumlah pedoman", "3. Tingkat ...".
_NUMBERED = re.compile(r"^\s*(?P<no>\d{1,3}\.?)\s+(?P<name>\D.*)$", re.DOTALL)


def split_numbered_names(grid: Grid, header: Header) -> Grid:
    """A body cell over the No column and the name column after it, each with a header
    cell of its own, that opens with the row's number ("6 Jumlah pedoman"): the maker left
    out the rule between them (a rule stopping short of the table's last row). The number
    goes to No, the rest to the name column, each in the box of its header cell."""
    first = header.first_data_row
    roles = {c.index: c.role for c in header.columns}
    cells: list[Cell] = []
    made = False
    for cell in grid.cells:
        m = _NUMBERED.match(cell.text)
        if (cell.row < first or cell.colspan < 2 or not m or roles.get(cell.col) != "no"
                or roles.get(cell.col + 1) not in families.NAME_ROLES
                or not _separate_headers(grid, header, range(cell.col, cell.col + 2))):
            cells.append(cell)
            continue
        edge = grid.at(header.header_rows[-1], cell.col + 1)
        x = edge.bbox[0] if edge is not None and edge.bbox else None
        box_no = box_name = cell.bbox
        if cell.bbox and x is not None:
            box_no = (cell.bbox[0], cell.bbox[1], x, cell.bbox[3])
            box_name = (x, cell.bbox[1], cell.bbox[2], cell.bbox[3])
        cells.append(replace(cell, text=m.group("no"), colspan=1, bbox=box_no,
                             lines=cell.lines[:1]))
        cells.append(replace(cell, text=m.group("name"), col=cell.col + 1,
                             colspan=cell.colspan - 1, bbox=box_name))
        made = True
    if not made:
        return grid
    return Grid(grid.n_rows, grid.n_cols, cells, grid.row_pages, grid.split_rows)


def _separate_headers(grid: Grid, header: Header, cols: range) -> bool:
    """Whether the header's last row has a cell of its own over each of these columns."""
    if not header.header_rows:
        return False
    last = header.header_rows[-1]
    over = [grid.at(last, c) for c in cols]
    return all(c is not None for c in over) and len({id(c) for c in over}) == len(over)


def split_stacked_figures(grid: Grid, header: Header) -> Grid:
    """A body cell over several rows of a figure column whose lines are one figure per row,
    each on the line of a cell of its own row (one realisasi beside the pagu of
    one kegiatan, the next beside the next): the maker left out the rule between
    them. Each row gets its figure, in the band of the row it was printed in; the rows are
    flagged `split_by_text`. A merged cell whose one figure stands for all its rows, or
    whose lines stand beside no line of the rows (a figure wrapped in a merged cell), stays
    as it is."""
    first = header.first_data_row
    roles = {c.index: c.role for c in header.columns}
    single: dict[int, list[tuple[float, float]]] = {}  # row -> the line bands of its own cells
    bounds: dict[int, list[float]] = {}  # row -> the tops and bottoms of its own cells
    for cell in grid.cells:
        if cell.rowspan == 1:
            single.setdefault(cell.row, []).extend(cell.lines)
            if cell.bbox:
                bounds.setdefault(cell.row, []).extend((cell.bbox[1], cell.bbox[3]))
    cells: list[Cell] = []
    made: set[int] = set()
    for cell in grid.cells:
        lines = _lines(cell)
        rows = range(cell.row, cell.row + cell.rowspan)
        owners = [_row_of(top, bottom, rows, single) for top, bottom, _ in lines or ()]
        if (cell.row < first or cell.rowspan < 2 or cell.colspan != 1 or not lines
                or roles.get(cell.col) not in _FIGURE_ROLES
                or not all(_is_figure(text) and len(text.split()) == 1 for *_, text in lines)
                or None in owners or sorted(owners) != list(rows)):
            cells.append(cell)
            continue
        x0, _, x1, _ = cell.bbox or (0.0, 0.0, 0.0, 0.0)
        for row in rows:
            top, bottom, text = lines[owners.index(row)]
            ys = bounds.get(row) or [top, bottom]
            box = (x0, min(ys), x1, max(ys)) if cell.bbox else None
            cells.append(replace(cell, text=text, row=row, rowspan=1, bbox=box,
                                 lines=((top, bottom),)))
        made.update(rows)
    if not made:
        return grid
    return Grid(grid.n_rows, grid.n_cols, cells, grid.row_pages, grid.split_rows | made)


def _row_of(top: float, bottom: float, rows: range,
            single: dict[int, list[tuple[float, float]]]) -> int | None:
    """The one row among `rows` whose own cells print a line on this line's band (sharing
    more than half its height), or None."""
    half = (bottom - top) / 2
    hits = [r for r in rows
            if any(min(bottom, b) - max(top, t) > half for t, b in single.get(r, []))]
    return hits[0] if len(hits) == 1 else None
