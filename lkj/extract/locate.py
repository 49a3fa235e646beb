"""Finding tables: each ruled table gets the caption above it, continuations are stitched.

A table is named by the nearest "Tabel X" caption above it on its page, wherever it sits and
whatever its number. A table with no caption that opens a page right after a table ended on
the page before is the same table continued (Word breaks long tables that way); a second
table under the same caption is another part of that table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lkj.extract.engines import FoundTable
from lkj.extract.grid import Grid
from lkj.extract.header import Header, analyse_header, repeated_header_rows
from lkj.extract.split import split_merged_figures, split_rows, split_stacked_figures
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


def fitted(prev: Grid, cont: Grid, header: Header) -> tuple[Grid, Grid] | None:
    """A part and its continuation drawn with column edges of their own, fitted to the
    columns they share: an edge of one that the other lacks (a rule the maker drew for one
    lower row, through the whole table) is taken away where it separates no printed texts
    of its grid, or where it cuts a name column of the part (`header`: indicator,
    sasaran ...) that the other draws whole: there the texts are joined ("5." and
    "Tingkat kepuasan" as "5. Tingkat kepuasan"). Edges are at one place within a quarter
    of the narrowest column of the grid with fewer columns: the table's own widths,
    whatever the maker. None where the two do not share both outer edges, or an edge to
    take away separates texts elsewhere."""
    mine, theirs = prev.column_edges(), cont.column_edges()
    if mine is None or theirs is None or prev.n_cols == cont.n_cols:
        return None
    coarse = mine if len(mine) < len(theirs) else theirs
    near = min(b - a for a, b in zip(coarse, coarse[1:], strict=False)) / 4
    shared = [(i, j) for i, x in enumerate(mine) for j, y in enumerate(theirs)
              if abs(x - y) <= near]
    if (not shared or shared[0] != (0, 0) or shared[-1] != (len(mine) - 1, len(theirs) - 1)
            or any(b[0] <= a[0] or b[1] <= a[1] for a, b in zip(shared, shared[1:],
                                                                 strict=False))):
        return None

    steps = list(zip(shared, shared[1:], strict=False))
    mine_groups = [list(range(a[0], b[0])) for a, b in steps]
    their_groups = [list(range(a[1], b[1])) for a, b in steps]
    # a shared column whose roles in the part are name roles alone: its texts may be joined
    names = set()
    for k, group in enumerate(mine_groups):
        roles = {header.columns[c].role for c in group} - {None}
        if roles and roles <= families.NAME_ROLES:
            names.add(k)

    def merged(grid: Grid, groups: list[list[int]]) -> Grid | None:
        return grid if len(groups) == grid.n_cols else grid.merge_columns(groups, names)

    a, b = merged(prev, mine_groups), merged(cont, their_groups)
    return (a, b) if a is not None and b is not None else None


def locate_tables(pages: list[tuple[Any, list[dict], list[FoundTable]]]) -> list[LocatedTable]:
    """Name, group and stitch the tables found on each page.

    `pages` holds, per page in order: the pdfplumber page, its text lines
    (`extract_text_lines`) and the tables an engine found on it.
    """
    located: list[LocatedTable] = []
    untitled = 0
    for page, lines, found in pages:
        captions = captions_on(page, lines)
        previous_bottom = 0.0
        used: dict[str, LocatedTable] = {}
        for table in sorted(found, key=lambda t: t.bbox[1]):
            table.grid, _ = split_rows(table.grid, analyse_header(table.grid))
            table.grid = split_merged_figures(table.grid, analyse_header(table.grid))
            table.grid = split_stacked_figures(table.grid, analyse_header(table.grid))
            top = table.bbox[1]
            above = [c for c in captions if c.bottom <= top + 1]
            caption = max(above, key=lambda c: c.bottom) if above else None
            if caption and caption.bottom >= previous_bottom and caption.table_id not in used:
                header = analyse_header(table.grid)
                earlier = sum(1 for t in located if t.table_id == caption.table_id)
                lt = LocatedTable(caption.table_id, earlier + 1,
                                  _title_between(lines, caption, top), [table], table.grid,
                                  header, families.family_of(header.roles()),
                                  caption_top=caption.top)
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
                                      f"{prev.grid.n_cols}; the edges one of them lacks "
                                      f"separate no text: fitted to the columns they share")
                    if fit[0] is not prev.grid:
                        prev.grid = fit[0]
                        prev.header = analyse_header(prev.grid)
                        prev.family = families.family_of(prev.header.roles())
                    table.grid = fit[1]
                drawn = prev.segments[0].grid  # its header rows, as the part was drawn
                drop = repeated_header_rows(drawn if drawn.n_cols == prev.grid.n_cols
                                            else prev.grid, prev.header, table.grid)
                cont = table.grid.drop_rows(drop)
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
    for t in located:
        t.flags += [note for seg in t.segments for note in seg.notes]
        t.flags += t.header.notes()
    return located
