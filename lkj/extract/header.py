"""Reading a table's header: title rows, header rows, and what each column means.

Pure functions on a Grid. A two-row header ("Triwulan I" over "Target", "Anggaran (Rp)" over
"Pagu") becomes one label per column, and the schema's words turn labels into roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lkj.extract.grid import Grid, join_lines
from lkj.schemas import families

_DIGIT = re.compile(r"\d")
#: Digits a header label may hold: a year ("Realisasi 2016"), a column number "(3)".
_HEADER_NUMBERS = re.compile(r"\b(?:19|20)\d\d\b|\(\d{1,2}\)")
_COLUMN_NUMBER = re.compile(r"^\d{1,2}\.?$")
#: A formula over column numbers, as a numbering row prints it under a computed column:
#: "(7/6)", "=(10/4)", "(5)=(4)/(3)", "(4/3)x100%", "(5+7)".
_FORMULA = (r"=?\s*\(?\s*\(?\d{1,2}\)?(?:\s*[-+/x×*:]\s*\(?\d{1,2}\)?)+\s*\)?"
            r"(?:\s*[x×*]\s*100\s*%?)?")
#: A cell numbering its column, with the formula of a computed column after it ("8 (7/6)").
_NUMBERED = re.compile(rf"^\(?(\d{{1,2}})\)?(?:\s*({_FORMULA}))?$")
_FORMULA_ONLY = re.compile(rf"^{_FORMULA}$")
#: A ratio of two columns: "a / b" (the numbers of the columns divided), in a formula.
_RATIO = re.compile(r"^\D*(\d{1,2})\D*[/:]\D*(\d{1,2})\D*(?:100\D*)?$")


@dataclass(frozen=True)
class Column:
    index: int
    label: str           # lower-cased, parent and child joined: "triwulan ii target"
    parent: str | None   # the spanning top header over this column, if any
    role: str | None
    quarter: int | None
    #: Where the role was read from a word that differs from a known one by a letter or
    #: two ("realisasl~realisasi"): the header is matched loosely, and says so.
    loose: str | None = None
    #: The column's number in a numbering row under the header ("1 | 2 | 3 ..."), if any.
    number: int | None = None
    #: For a column the numbering row prints as a ratio of two others ("11 =(10/4)"): the
    #: numbers of the divided columns, (10, 4).
    ratio_of: tuple[int, int] | None = None
    #: Whether the role was read from where the column stands, not from its header words
    #: (`_line_names`): the header says so.
    inferred: bool = False


@dataclass(frozen=True)
class Header:
    title_rows: tuple[int, ...]   # full-width caption-like rows above the header ("RENCANA ...")
    header_rows: tuple[int, ...]
    columns: tuple[Column, ...]

    @property
    def first_data_row(self) -> int:
        rows = self.title_rows + self.header_rows
        return max(rows) + 1 if rows else 0

    def roles(self) -> set[str]:
        found = {c.role for c in self.columns if c.role}
        if any(c.quarter for c in self.columns):
            found.add("quarter")
        figures = [(c.label, c.role) for c in self.columns]
        if families.over_years(figures):
            found.add("years")
        if len(families.year_periods(figures)) >= 2:
            found.add("periods")
        return found

    def loose_words(self) -> list[str]:
        """Header words read as known ones they differ from by a letter or two."""
        return [c.loose for c in self.columns if c.loose]

    def notes(self) -> list[str]:
        """What is in doubt about the header, in words (the table's flags)."""
        out = []
        if loose := self.loose_words():
            out.append(f"header matched loosely: {', '.join(loose)}")
        out += [f"lines named by the column '{c.label}' (a header lkj does not know, left of "
                "the years)" for c in self.columns if c.inferred]
        return out


def _is_title_row(grid: Grid, row: int) -> bool:
    cells = grid.row_cells(row)
    return (len(cells) == 1 and cells[0].colspan == grid.n_cols and grid.n_cols > 1
            and not families.TOTAL_RE.match(join_lines(cells[0].text)))


def _is_header_row(grid: Grid, row: int) -> bool:
    texts = [join_lines(c.text) for c in grid.row_cells(row)]
    texts = [t for t in texts if t]
    if not texts:
        return False
    named = [t for t in texts
             if families.role_of(t) or families.quarter_of(t) or families.loose_role_of(t)]
    digits = [t for t in texts
              if _DIGIT.search(_HEADER_NUMBERS.sub("", t)) and not families.QUARTER_RE.search(t)]
    # A lone column number over the first column ("1" for "No") beside three or more
    # labels that name columns is a header still; any other figure makes a data row.
    if digits and not (len(digits) == 1 and _COLUMN_NUMBER.match(digits[0])
                       and len(named) >= 3):
        return False
    return bool(named)


#: A header cell that is a year alone ("2015", "Tahun 2016", "2014*": a footnote's stars,
#: "angka sementara"): under a group header ("Realisasi" over 2015 | 2016) it is the
#: sub-header of a comparison over years.
_YEAR_ONLY = re.compile(r"^(?:tahun\s+)?(?:19|20)\d\d\s*\**$", re.IGNORECASE)


def _is_year_row(grid: Grid, row: int) -> bool:
    """A row of years alone (at least two) under a header row, with perhaps the formula of
    a computed column among them ("Tahun 2014 | Tahun 2015 | (6+7)"): part of the header."""
    texts = [t for c in grid.row_cells(row) if (t := join_lines(c.text))]
    years = [t for t in texts if _YEAR_ONLY.match(t)]
    return len(years) >= 2 and all(_YEAR_ONLY.match(t) or _FORMULA_ONLY.match(t)
                                   for t in texts)


def is_column_number(text: str) -> bool:
    """A header cell that numbers its column: "3", "(3)", "8 (7/6)"."""
    return bool(_NUMBERED.match(text))


def column_number(text: str) -> tuple[int | None, tuple[int, int] | None]:
    """(the column's number, the two columns it is the ratio of) of a numbering cell:
    "11 =(10/4)" -> (11, (10, 4)); "3" -> (3, None); not a numbering cell -> (None, None)."""
    m = _NUMBERED.match(text)
    if not m:
        return None, None
    ratio = _RATIO.match(m.group(2) or "")
    return int(m.group(1)), (int(ratio.group(1)), int(ratio.group(2))) if ratio else None


def _is_column_number_row(grid: Grid, row: int) -> bool:
    """A row numbering the columns under a header ("1 | 2 | 3 ..." or "(1) | (2) ..."):
    three or more small numbers, rising left to right, nothing else."""
    texts = [t for c in grid.row_cells(row) if (t := join_lines(c.text))]
    numbers = [int(m.group(1)) for t in texts if (m := _NUMBERED.match(t))]
    return len(texts) >= 3 and len(numbers) == len(texts) and all(
        a < b for a, b in zip(numbers, numbers[1:], strict=False))


def analyse_header(grid: Grid) -> Header:
    """Find title rows, header rows and column labels of a grid."""
    row = 0
    titles: list[int] = []
    while row < grid.n_rows and _is_title_row(grid, row) and not _is_header_row(grid, row):
        titles.append(row)
        row += 1
    headers: list[int] = []
    while row < grid.n_rows and (_is_header_row(grid, row)
                                 or (headers and (_is_year_row(grid, row)
                                                  or _is_column_number_row(grid, row)))):
        headers.append(row)
        row += 1
    numbering = {r for r in headers if _is_column_number_row(grid, r)}
    columns = []
    for col in range(grid.n_cols):
        parts: list[str] = []
        seen: set[int] = set()
        parent = None
        for r in headers:
            cell = grid.at(r, col)
            if cell is None or id(cell) in seen or r in numbering:
                continue
            seen.add(id(cell))
            text = join_lines(cell.text).lower()
            if text:
                parts.append(text)
            if r == headers[0] and cell.colspan > 1 and len(headers) > 1:
                parent = text
        label = " ".join(parts)
        child = parts[-1] if parts else ""
        role = families.role_of(child) or families.role_of(label)
        loose = None
        if role is None and (found := families.loose_role_of(child)
                             or families.loose_role_of(label)):
            role, loose = found
        number = ratio = None
        for r in sorted(numbering):
            if (cell := grid.at(r, col)) is not None and cell.colspan == 1:
                number, ratio = column_number(join_lines(cell.text))
        columns.append(Column(col, label, parent, role, families.quarter_of(label), loose,
                              number, ratio))
    return Header(tuple(titles), tuple(headers), tuple(_line_names(columns)))


def _line_names(columns: list[Column]) -> list[Column]:
    """Columns of figures of two or more years with no column naming the lines (no
    indicator, sasaran, budget line or activity): the first labelled column of no known
    role left of the years names them ("Lapangan Usaha" | 2013 | 2014*), marked inferred."""
    if any(c.role in families.NAME_ROLES for c in columns) or \
            len(families.year_periods([(c.label, c.role) for c in columns])) < 2:
        return columns
    first_year = min(c.index for c in columns if c.role in families.FIGURE_ROLES
                     and (families.period_of(c.label) or "").isdigit())
    for i, c in enumerate(columns[:first_year]):
        if c.role is None and c.label and families.period_of(c.label) is None:
            return [*columns[:i], replace(c, role=families.LINE_NAME, inferred=True),
                    *columns[i + 1:]]
    return columns


#: Rows a page's running header may take above a continuation's repeated header (its
#: rule framed with the table's, "LKIP ... 2016" over the header).
RUNNING_ROWS = 1


def repeated_header_rows(first: Grid, header: Header, cont: Grid) -> set[int]:
    """Rows at the top of a continuation segment that repeat the table's header, and a
    row above them (the page's running header, framed with them): no row of the body
    stands above the header it goes on under."""
    wanted = [first.raw_row(r) for r in header.title_rows + header.header_rows]
    for skip in range(RUNNING_ROWS + 1):
        drop: set[int] = set(range(skip))
        for r in range(skip, min(skip + len(wanted), cont.n_rows)):
            if cont.raw_row(r) in wanted:
                drop.add(r)
            else:
                break
        if len(drop) > skip:
            return drop
    return set()
