"""Finding tables: each ruled table gets the caption above it, continuations are stitched.

A table is named by the nearest "Tabel X" caption above it on its page, wherever it sits and
whatever its number. A table with no caption that opens a page right after a table ended on
the page before is the same table continued (Word breaks long tables that way); a second
table under the same caption is another part of that table.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from lkj.extract import glyphs
from lkj.extract.engines import FoundTable
from lkj.extract.grid import Cell, Grid
from lkj.extract.header import Header, analyse_header, repeated_header_rows
from lkj.extract.split import (
    marks_only,
    seat_marks,
    split_merged_figures,
    split_numbered_names,
    split_rows,
    split_stacked_figures,
)
from lkj.schemas import families

#: How far (points) from the page top a table may start and still be a continuation,
#: measured as "no body text line between the running header area and the table".
RUNNING_HEADER_BAND = 0.12


@dataclass(frozen=True)
class Caption:
    table_id: str
    title: str
    page: int
    top: float
    bottom: float


@dataclass
class LocatedTable:
    """A table of the report: its caption, where it is, its cells and its family."""

    table_id: str
    part: int
    title: str
    segments: list[FoundTable]
    grid: Grid
    header: Header
    family: str | None
    engine: str = "pdfplumber"
    flags: list[str] = field(default_factory=list)
    verified: bool | None = None  # True/False once a second engine read the same cells
    caption_top: float | None = None  # where the caption starts, above the first segment
    #: Flags every output row of this table gets (set by normalisation: quarter:by_position).
    row_flags: list[str] = field(default_factory=list)
    #: Cells a rule doubts although they were read (grid row, col) -> why: a misread that
    #: every OCR model shares, found from what the table must say (quarters in order).
    doubted_cells: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def pages(self) -> list[int]:
        return sorted({s.page for s in self.segments})

    @property
    def n_rows(self) -> int:
        return self.grid.n_rows - self.header.first_data_row


def captions_on(page: Any, lines: list[dict]) -> list[Caption]:
    """Caption lines ("Tabel 2.3" with its title on the same or the next lines)."""
    found = []
    for line in lines:
        m = families.CAPTION_RE.match(line["text"])
        if not m:
            continue
        found.append(Caption(m.group("id"), (m.group("title") or "").strip(), page.page_number,
                             line["top"], line["bottom"]))
    return found


def _title_between(lines: list[dict], caption: Caption, table_top: float) -> str:
    """Caption title: the caption line's own words, then the lines down to the table."""
    parts = [caption.title] if caption.title else []
    parts += [ln["text"].strip() for ln in lines
              if ln["top"] >= caption.bottom - 0.5 and ln["bottom"] <= table_top + 0.5]
    return " ".join(p for p in parts if p)


def _title_below(lines: list[dict], caption: Caption) -> str:
    """The title of a caption printed at the foot of a page, its table on the next: its
    own words, then the lines right under it (each within its own height of the one
    above), as a title wraps."""
    parts = [caption.title] if caption.title else []
    bottom, height = caption.bottom, caption.bottom - caption.top
    for ln in sorted((ln for ln in lines if ln["top"] >= caption.bottom - 0.5),
                     key=lambda ln: ln["top"]):
        if ln["top"] - bottom > height or not ln["text"].strip():
            break
        parts.append(ln["text"].strip())
        bottom = ln["bottom"]
    return " ".join(parts)


def _line_above(lines: list[dict], floor: float, top: float) -> str:
    """The line printed just above a table without a caption (its heading, or the sentence
    that introduces it), when it is within two of its own heights of the table and below
    whatever came before."""
    above = [ln for ln in lines if floor <= ln["top"] and ln["bottom"] <= top + 0.5
             and ln["text"].strip()]
    if not above:
        return ""
    line = max(above, key=lambda ln: ln["bottom"])
    height = line["bottom"] - line["top"]
    return line["text"].strip() if top - line["bottom"] <= 2 * height else ""


def _opens_page(page: Any, lines: list[dict], table: FoundTable) -> bool:
    """No body text between the top band (running header) and the table."""
    band = page.height * RUNNING_HEADER_BAND
    return not any(band < ln["bottom"] <= table.bbox[1] for ln in lines)


def _is_broken_row(prev: LocatedTable, cont: Grid) -> bool:
    """Whether a continuation opens with the tail of the row the page before ended on
    (Word lets a row break across pages): no number, no figure, and text only in columns
    where that last row has text too, its wrapped words going on."""
    grid = prev.grid
    if cont.n_rows < 1 or grid.n_rows <= prev.header.first_data_row:
        return False
    last = grid.n_rows - 1
    texts = [cont.text(0, c) for c in range(cont.n_cols)]
    if not any(texts) or families.TOTAL_RE.match(next(t for t in texts if t)):
        return False
    for col, text in zip(prev.header.columns, texts, strict=False):
        if not text:
            continue
        if col.role not in families.NAME_ROLES or not grid.text(last, col.index):
            return False
    return True


#: The two parts fitted, as a flag names them.
PART = ("the part before", "the continuation")


@dataclass
class Fit:
    """A part and its continuation on the same columns, and how they were fitted."""

    prev: Grid
    cont: Grid
    how: list[str]


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _join_cells(left: Cell, right: Cell) -> Cell:
    """Two cells of one printed cell cut by an edge the other part lacks, as one: a cell
    of bullets alone (its items' marks, drawn in a column of their own) puts each mark
    before the line of `right` it stands beside; otherwise the texts join with a space
    ("5." and "Tingkat kepuasan")."""
    marks, items = left.text.split("\n"), right.text.split("\n")
    if (marks_only(left.text) and len(left.lines) == len(marks)
            and len(right.lines) == len(items)):
        out = list(items)
        for mark, band in zip(marks, left.lines, strict=True):
            best = max(range(len(items)), key=lambda i: _overlap(band, right.lines[i]))
            if _overlap(band, right.lines[best]) <= 0 or out[best] != items[best]:
                break
            out[best] = f"{mark.strip()} {items[best].strip()}"
        else:
            return replace(right, text="\n".join(out))
    text = f"{left.text.strip()} {right.text.strip()}"
    return replace(right, text=text, lines=right.lines if len(text.split("\n")) == len(
        right.lines) else ())


def fitted(prev: Grid, cont: Grid, header: Header) -> Fit | None:
    """A part and its continuation drawn with column edges of their own, fitted to one set
    of columns. Edges of the two within a quarter of the narrowest column of the grid with
    fewer columns are one edge (the table's own widths, whatever the maker); both parts
    must share their outer edges. Then, in each part:

    - a sliver between two of its edges that stand for one edge of the other (Word draws a
      rule a few points off in some rows) is no column: the cells on either side reach to
      the one edge; a sliver that holds bullets alone (the marks of the items beside it,
      their column read from the text's alignment) is joined to the column it marks;
    - an edge the other part lacks (a rule the maker drew for one lower row, through the
      whole table) is taken away where it separates no printed texts of its grid, or where
      it cuts a name column of the part (`header`: indicator, sasaran ...) that the other
      draws whole: there the texts are joined ("5." and "Tingkat kepuasan" as "5. Tingkat
      kepuasan");
    - an edge that cannot be taken away is kept where a header cell of its own part spans
      it (the maker divides a column under one heading, as the other part's header cell
      over it says): the other part's cells then span the columns on both sides of it.

    None where the parts do not share their outer edges, a sliver holds a text of its own,
    or an edge between texts divides no heading of its part."""
    grids = [prev, cont]
    edges = [prev.column_edges(), cont.column_edges()]
    if edges[0] is None or edges[1] is None or prev.n_cols == cont.n_cols:
        return None
    coarse = min(edges, key=len)
    near = min(b - a for a, b in zip(coarse, coarse[1:], strict=False)) / 4
    # the edges of both, one edge where they stand within `near` of each other
    at: list[list[int]] = [[0] * len(e) for e in edges]
    k, last = -1, None
    for x, g, i in sorted((x, g, i) for g, e in enumerate(edges) for i, x in enumerate(e)):
        if last is None or x - last > near:
            k += 1
        at[g][i], last = k, x
    if any(a[0] != 0 or a[-1] != k for a in at):
        return None
    how: list[str] = []
    # prev's columns as columns of the part's header, for the roles of merged columns
    origin: list[list[int]] = [[c] for c in range(prev.n_cols)]

    def roles_over(lo: int, hi: int) -> set[str | None]:
        """The header roles of prev's columns between edge positions lo and hi."""
        return {header.columns[c].role for i, cols in enumerate(origin)
                if at[0][i] >= lo and at[0][i + 1] <= hi for c in cols}

    def merge(g: int, col: int, joinable: bool) -> Grid | None:
        groups = [[c] for c in range(col)] + [[col, col + 1]] + [
            [c] for c in range(col + 2, grids[g].n_cols)]
        return grids[g].merge_columns(groups, {col} if joinable else (), _join_cells)

    def taken(g: int, col: int, merged: Grid) -> None:
        grids[g] = merged
        at[g].pop(col + 1)
        if g == 0:
            origin[col:col + 2] = [origin[col] + origin[col + 1]]

    for g in (0, 1):
        col = 0
        while col < grids[g].n_cols - 1:
            if at[g][col] != at[g][col + 1]:
                col += 1
                continue
            grid = grids[g]
            own = [c for c in grid.cells if c.col == col and c.colspan == 1 and c.text.strip()]
            if own and all(marks_only(c.text) for c in own):
                merged = merge(g, col, True)
                if merged is None:
                    return None
                taken(g, col, merged)
                how.append(f"a column of bullets alone in {PART[g]} joined to the items it "
                           "marks")
            elif own:
                return None
            else:
                col += 1
        # slivers with no text of their own: their cells reach to the one edge (respan)
    for g in (0, 1):
        other = set(at[1 - g])
        col = 1
        while col < len(at[g]) - 1:
            if at[g][col] in other or at[g][col] == at[g][col - 1]:
                col += 1
                continue
            roles = roles_over(at[g][col - 1], at[g][col + 1]) - {None}
            names = bool(roles) and roles <= families.NAME_ROLES
            merged = merge(g, col - 1, names)
            if merged is not None:
                taken(g, col - 1, merged)
                how.append("the edges one of them lacks separate no text: fitted to the "
                           "columns they share")
                continue
            rows = header.header_rows if g == 0 else analyse_header(grids[g]).header_rows
            if not any(c.row in rows and c.col < col < c.col + c.colspan
                       for c in grids[g].cells):
                return None
            how.append(f"an edge {PART[g]} draws under one heading kept: the cells of "
                       f"{PART[1 - g]} span it")
            col += 1
    final = sorted(set(at[0]) | set(at[1]))
    fitted_grids = [grids[g].respan([final.index(x) for x in at[g]]) for g in (0, 1)]
    if fitted_grids[0] is None or fitted_grids[1] is None:
        return None
    if len(set(at[0])) < len(at[0]) or len(set(at[1])) < len(at[1]):
        how.append("near-coincident edges read as one")
    return Fit(fitted_grids[0], fitted_grids[1], list(dict.fromkeys(how)))


def locate_tables(pages: list[tuple[Any, list[dict], list[FoundTable]]]) -> list[LocatedTable]:
    """Name, group and stitch the tables found on each page.

    `pages` holds, per page in order: the pdfplumber page, its text lines
    (`extract_text_lines`) and the tables an engine found on it.
    """
    located: list[LocatedTable] = []
    untitled = 0
    pending: tuple[Caption, str] | None = None  # a caption at the foot of the page before
    for page, lines, found in pages:
        captions = captions_on(page, lines)
        previous_bottom = 0.0
        used: dict[str, LocatedTable] = {}
        smudged = glyphs.overlapping(getattr(page, "chars", ())) if found else []
        for table in sorted(found, key=lambda t: t.bbox[1]):
            table.grid = split_numbered_names(table.grid, analyse_header(table.grid))
            table.grid = seat_marks(table.grid, analyse_header(table.grid))
            table.grid, _ = split_rows(table.grid, analyse_header(table.grid))
            table.grid = split_merged_figures(table.grid, analyse_header(table.grid))
            table.grid = split_stacked_figures(table.grid, analyse_header(table.grid))
            table.grid, doubted = glyphs.doubt_overlaps(table.grid, smudged)
            if doubted:
                table.notes.append(
                    f"{glyphs.DOUBT} on page {page.page_number}, its text in doubt: "
                    + ", ".join(f"grid row {r + 1} col {c + 1} {table.grid.text(r, c)!r}"
                                for r, c in doubted[:6]) + (" ..." if len(doubted) > 6 else ""))
            top = table.bbox[1]
            above = [c for c in captions if c.bottom <= top + 1]
            caption = max(above, key=lambda c: c.bottom) if above else None
            carried = (caption is None and not used and pending is not None
                       and pending[0].page == page.page_number - 1
                       and _opens_page(page, lines, table))
            if carried:
                caption = pending[0]
            if caption and caption.bottom >= previous_bottom and caption.table_id not in used:
                header = analyse_header(table.grid)
                earlier = sum(1 for t in located if t.table_id == caption.table_id)
                lt = LocatedTable(caption.table_id, earlier + 1,
                                  pending[1] if carried else _title_between(lines, caption, top),
                                  [table], table.grid, header,
                                  families.family_of(header.roles()),
                                  caption_top=None if carried else caption.top)
                if carried:
                    lt.flags.append(f"caption Tabel {caption.table_id} printed at the foot "
                                    f"of page {caption.page}, its table opening page "
                                    f"{page.page_number}")
                if earlier:  # the report numbers two tables alike: both kept, as parts
                    lt.flags.append(f"caption Tabel {caption.table_id} printed again on page "
                                    f"{page.page_number}: read as part {earlier + 1}")
                located.append(lt)
                used[caption.table_id] = lt
            elif caption and caption.table_id in used:
                first = used[caption.table_id]
                header = analyse_header(table.grid)
                parts = sum(1 for t in located if t.table_id == caption.table_id)
                located.append(LocatedTable(first.table_id, parts + 1, first.title, [table],
                                            table.grid, header,
                                            families.family_of(header.roles())))
            elif (located and _opens_page(page, lines, table)
                  and located[-1].segments[-1].page == page.page_number - 1
                  and (located[-1].grid.n_cols == table.grid.n_cols
                       or (fit := fitted(located[-1].grid, table.grid,
                                      located[-1].header)) is not None)):
                prev = located[-1]
                if table.grid.n_cols != prev.grid.n_cols:
                    prev.flags.append(f"continued on page {page.page_number} with "
                                      f"{table.grid.n_cols} columns where it has "
                                      f"{prev.grid.n_cols}; " + "; ".join(fit.how))
                    if fit.prev is not prev.grid:
                        prev.grid = fit.prev
                        prev.header = analyse_header(prev.grid)
                        prev.family = families.family_of(prev.header.roles())
                    table.grid = fit.cont
                drawn = prev.segments[0].grid  # its header rows, as the part was drawn
                drop = repeated_header_rows(drawn if drawn.n_cols == prev.grid.n_cols
                                            else prev.grid, prev.header, table.grid)
                cont = table.grid.drop_rows(drop)
                # a sliver of a row between the header's rule and the body's (no text at
                # all) is no row: the body's first row is what goes on from the page before
                blank = next((r for r in range(cont.n_rows) if any(
                    cont.text(r, c) for c in range(cont.n_cols))), 0)
                if blank:
                    cont = cont.drop_rows(set(range(blank)))
                if _is_broken_row(prev, cont):
                    prev.grid, cont = prev.grid.join_below(cont)
                    prev.flags.append(f"a row broken over pages {page.page_number - 1}-"
                                      f"{page.page_number} joined")
                prev.grid, carried = prev.grid.stitch_merged(cont)
                if carried:
                    prev.flags.append(f"merged cell{'s' if len(carried) > 1 else ''} of column"
                                      f"{'s' if len(carried) > 1 else ''} "
                                      f"{', '.join(str(c + 1) for c in carried)} continued "
                                      f"on page {page.page_number}")
                prev.segments.append(table)
                if drop:
                    prev.flags.append(f"repeated header dropped on page {page.page_number}")
            else:
                untitled += 1
                header = analyse_header(table.grid)
                title = _line_above(lines, previous_bottom, top)
                lt = LocatedTable(f"untitled-{untitled}", 1, title, [table], table.grid, header,
                                  families.family_of(header.roles()),
                                  flags=["no caption" + ("; titled from the line above it"
                                                         if title else "")])
                if (located and _opens_page(page, lines, table)
                        and located[-1].segments[-1].page == page.page_number - 1):
                    prev = located[-1]
                    why = (f"{table.grid.n_cols} columns where the table before has "
                           f"{prev.grid.n_cols}")
                    prev.flags.append(f"{families.NOT_JOINED} a table opens page "
                                      f"{page.page_number} right after this one, with {why}")
                    lt.flags.append(f"{families.NOT_JOINED} opens the page right after Tabel "
                                    f"{prev.table_id} ends, with {why}")
                located.append(lt)
            previous_bottom = table.bbox[3]
        below = [c for c in captions if c.top >= previous_bottom and c.table_id not in used]
        pending = None
        if below:  # a caption under the page's last table: its table opens the next page
            last = max(below, key=lambda c: c.top)
            pending = (last, _title_below(lines, last))
    for t in located:
        t.flags += [note for seg in t.segments for note in seg.notes]
        t.flags += t.header.notes()
    return located
