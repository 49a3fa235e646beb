"""From located tables to tidy rows, one list of records per output table.

Takes LocatedTable objects (grids with spans and a header) and the report year, gives dicts
whose keys are the output contract (`lkj.schemas.contract`). Not pure: a quarterly table
whose quarter headers are in doubt has its header settled and its doubted cells recorded on
the table itself (`settle_quarters`). Merged cells are filled from the cell that covers
them; wrapped lines are joined; every figure keeps its raw text, its page and the flags of
its parse; total rows become stated totals, never data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from lkj.extract.dates import parse_date_span
from lkj.extract.grid import Cell, join_lines
from lkj.extract.header import Column, is_column_number
from lkj.extract.locate import LocatedTable
from lkj.extract.numbers import Quantity, parse_quantity
from lkj.schemas import contract, families

_LIST_MARK = re.compile(r"^\s*(?:[-•–]\s+|\d+[.)]\s+|[a-z][.)]\s+)")
_NUMBER_TOKEN = re.compile(r"\d")


@dataclass
class Rows:
    """Records for each output table, collected over all tables of a report."""

    iku: list[dict] = field(default_factory=list)
    quarterly: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    budget: list[dict] = field(default_factory=list)
    stated_totals: list[dict] = field(default_factory=list)
    comparison: list[dict] = field(default_factory=list)

    def lists(self) -> list[tuple[str, list[dict]]]:
        return [(name, getattr(self, name)) for name in contract.DATA_TABLES]

    def extend(self, other: Rows) -> None:
        for name, recs in self.lists():
            recs.extend(getattr(other, name))


def num(q: Quantity) -> float | int | None:
    """A parsed Decimal as a plain number for tables: int when whole, float otherwise."""
    if q.value is None:
        return None
    v: Decimal = q.value
    return int(v) if v == v.to_integral_value() else float(v)


def strip_list_mark(text: str) -> str:
    """'- LPK Logika' -> 'LPK Logika', '1. Peningkatan ...' -> 'Peningkatan ...'."""
    return _LIST_MARK.sub("", text, count=1).strip()


def _flags(**quantities: Quantity) -> str:
    parts = [f"{name}:{flag}" for name, q in quantities.items() for flag in q.flags
             if flag != "empty"]
    return "; ".join(parts)


def row_kind(indicator: str, raws: list[str], satuan: str | None = None) -> str:
    """What the figures of one indicator row are: decides what an ambiguous dot means.

    A unit printed in any cell of the row decides first (Orang: count, Rp: money, %:
    percent), the row's Satuan column too (`1.000` beside `Ton` is a count, as `1.000
    Ton` would be); then the indicator's own words (Nilai ..., Indeks ...: score).
    """
    units = {parse_quantity(r).unit for r in raws if r}
    if satuan and satuan.strip():
        units.add(parse_quantity(f"1 {satuan.strip()}").unit)
    if units & families.MONEY_UNITS:
        return "money"
    if units & families.COUNT_UNITS:
        return "count"
    if families.is_score(indicator):
        return "score"
    if units & families.PERCENT_UNITS:
        return "percent"
    return "unknown"


def cell_kind(raw: str, default: str) -> str:
    """A cell's own unit beats the row's kind ('959 Orang' in a percent row is a count)."""
    unit = parse_quantity(raw).unit
    if unit in families.MONEY_UNITS:
        return "money"
    if unit in families.COUNT_UNITS:
        return "count"
    if unit in families.PERCENT_UNITS:
        return "percent"
    return default


def figure(raw: str, kind: str, year: int | None) -> Quantity:
    """Parse a figure; a cell with year-labelled figures gives the report year's one."""
    q = parse_quantity(raw or None, cell_kind(raw, kind) if raw else kind)
    if q.value is None and q.labelled and year is not None:
        picked = [v for label, v in q.labelled if label == str(year)]
        if len(picked) == 1:
            q = Quantity(q.raw, picked[0], q.unit, q.note,
                         tuple(sorted(set(q.flags) | {"year_labelled_value"})), q.labelled)
    return q


def labelled_text(q: Quantity) -> str | None:
    return "; ".join(f"{k}={v}" for k, v in q.labelled) or None


def _data_rows(table: LocatedTable) -> Iterator[int]:
    yield from range(table.header.first_data_row, table.grid.n_rows)


def _is_total_row(table: LocatedTable, row: int) -> bool:
    """A TOTAL / JUMLAH row. In a column that names things, 'Jumlah penerima layanan' is an
    indicator: only a label of total words, or one spanning columns, makes a total."""
    grid = table.grid
    cell = next((c for c in grid.row_cells(row) if " ".join(c.text.split())), None)
    if cell is None or grid.is_continued_from_above(row, 0):
        return False
    text = " ".join(cell.text.split())
    m = families.TOTAL_RE.match(text)
    if not m:
        return False
    role = table.header.columns[cell.col].role if cell.col < len(table.header.columns) else None
    if cell.colspan > 1 or role not in families.NAME_ROLES:
        return True
    tail = [w for w in text[m.end():].lower().split() if not _NUMBER_TOKEN.search(w)]
    return all(w in families.TOTAL_TAIL_WORDS for w in tail)


def average_label(table: LocatedTable, row: int) -> str | None:
    """The label of a stated average row ("Rata-Rata"), wherever it is printed: a cell of
    the row that reads as one, in a row where no other cell holds words but figures. None
    for any other row."""
    label = None
    for cell in table.grid.row_cells(row):
        text = join_lines(cell.text)
        if not text or cell.row != row:
            continue
        if families.AVERAGE_RE.match(text):
            label = label or text
        elif parse_quantity(text, "percent").value is None:
            return None
    return label


def _col(table: LocatedTable, role: str, half: str | None = None,
         quarter: int | None = None, year: int | None = None) -> Column | None:
    """The column of a role (under a half, of a quarter). Where the header has several, the
    report year's is taken, then one that names no year and no past ("Capaian 2015",
    "Capaian Thn Lalu" beside the year's "Capaian"), then the first."""
    found = [col for col in table.header.columns
             if col.role == role and (quarter is None or col.quarter == quarter)
             and (half is None or _half(col) == half)]
    if len(found) < 2:
        return found[0] if found else None

    def rank(col: Column) -> int:
        period = families.period_of(col.label)
        if year is not None and period == str(year):
            return 0
        return 1 if period is None and not families.is_past(col.label) else 2
    return min(found, key=rank)


def _ratio_operands(table: LocatedTable, capaian: Column | None
                    ) -> tuple[Column, Column] | None:
    """(target, realisasi) columns of a capaian column that the table's numbering row
    prints as their ratio ("11 =(10/4)": column 10 over column 4), where those columns are
    a realisasi and a target: the report says which of its several it divides."""
    if capaian is None or capaian.ratio_of is None:
        return None
    by_number = {c.number: c for c in table.header.columns if c.number is not None}
    real, target = (by_number.get(n) for n in capaian.ratio_of)
    if real is None or target is None or (real.role, target.role) != ("realisasi", "target"):
        return None
    return target, real


def _half(col: Column) -> str | None:
    """'budget' or 'kinerja' for columns under an Anggaran / Kinerja parent header."""
    parent = (col.parent or "").lower()
    if any(w in parent for w in families.BUDGET_PARENT_WORDS):
        return "budget"
    if any(w in parent for w in families.KINERJA_PARENT_WORDS):
        return "kinerja"
    return None


def _text(table: LocatedTable, row: int, col: Column | None) -> str:
    return table.grid.text(row, col.index) if col else ""


def _own(table: LocatedTable, row: int, col: Column | None) -> str:
    """The text of the cell at (row, col), where that cell starts in this column: a label
    merged across columns from the left ("Rata-Rata" over Sasaran to Realisasi, a Visi
    line) is the first column's, not a figure of each column it covers."""
    if col is None:
        return ""
    cell = table.grid.at(row, col.index)
    return join_lines(cell.text) if cell is not None and cell.col == col.index else ""


def _printed(table: LocatedTable, row: int, col: Column | None) -> str | None:
    """The cell text printed in this row (None where a merged cell from above covers it)."""
    return table.grid.raw_row(row)[col.index] if col else None


def _base(table: LocatedTable, report_id: str, row: int, data_row_no: int) -> dict[str, Any]:
    return {"report_id": report_id, "table_id": table.table_id, "table_part": table.part,
            "row": data_row_no, "page": table.grid.row_pages[row]}


def normalise_table(table: LocatedTable, report_id: str, year: int | None) -> Rows:
    """All records one located table yields, by its family."""
    rows = Rows()
    handler = _HANDLERS.get(table.family or "")
    if handler is None:
        return rows
    if table.family == "quarterly":
        settle_quarters(table)
    data_no = 0
    after_total = False
    for r in _data_rows(table):
        smudged = any((cell := table.grid.at(r, c)) is not None and cell.doubt
                      for c in range(table.grid.n_cols))
        if _is_total_row(table, r):
            totals = stated_totals(table, report_id, r)
            if smudged:
                for rec in totals:
                    _add_flag(rec, families.GLYPHS_OVERLAP)
            rows.stated_totals.extend(totals)
            after_total = True
            continue
        if not any(table.grid.text(r, c) for c in range(table.grid.n_cols)):
            continue
        data_no += 1
        before = {name: len(recs) for name, recs in rows.lists()}
        if table.family in ("budget", "budget_kinerja") and average_label(table, r):
            # a Rata-Rata line of a budget: its % is a stated mean of the lines' %, no line
            rows.stated_totals.extend(stated_averages(table, report_id, r))
            if table.family == "budget_kinerja":
                _iku_row(table, report_id, year, r, data_no, rows, half="kinerja")
            continue
        handler(table, report_id, year, r, data_no, rows)
        if r in table.grid.split_rows:
            for name, recs in rows.lists():
                for rec in recs[before[name]:]:
                    _add_flag(rec, "split_by_text")
        if smudged:
            for name, recs in rows.lists():
                for rec in recs[before[name]:]:
                    _add_flag(rec, families.GLYPHS_OVERLAP)
        if after_total:  # a budget line printed below a total row: not a part of it
            for rec in rows.budget[before["budget"]:]:
                _add_flag(rec, AFTER_TOTAL)
    return rows


#: The flag of a budget line printed below a total row of its table (Belanja Tidak
#: Langsung under TOTAL KEGIATAN): the lines above the total are its parts, not this one.
AFTER_TOTAL = "after_total"


def _add_flag(rec: dict, flag: str) -> None:
    rec["flags"] = "; ".join(filter(None, [rec.get("flags"), flag]))


def _iku_row(table: LocatedTable, report_id: str, year: int | None, r: int, no: int,
             rows: Rows, half: str | None = None) -> None:
    indicator = _own(table, r, _col(table, "indicator"))
    sasaran = _text(table, r, _col(table, "sasaran")) or None
    t_col, r_col, c_col = (_col(table, role, half, year=year)
                           for role in ("target", "realisasi", "capaian"))
    t_col, r_col = _ratio_operands(table, c_col) or (t_col, r_col)
    t_raw, r_raw, c_raw = (_own(table, r, c) for c in (t_col, r_col, c_col))
    # A stated average ("Rata-Rata" in a figure column of its own, or over the name
    # columns) is the row's name, never a figure: the row is the table's average.
    average = average_label(table, r)
    if average:
        sasaran = sasaran or average
        t_raw, r_raw, c_raw = ("" if x == average else x for x in (t_raw, r_raw, c_raw))
    # A line whose capaian column is empty and whose only capaian stands in the average
    # column ("Rata-Rata Capaian" of a group or a sasaran): that figure is its capaian, as
    # printed, flagged. A line printing both keeps its own capaian.
    a_col = _col(table, "avg_capaian")
    averaged = bool(c_col and a_col and not c_raw and not t_raw and not r_raw
                    and parse_quantity((a_raw := _own(table, r, a_col)) or None,
                                       "percent").value is not None)
    if averaged:
        c_raw = a_raw
    # A row with no indicator is the sasaran's own (its capaian, an average): kept where
    # it prints a figure of its own, flagged.
    if not indicator and not (sasaran and (averaged or any(
            _printed(table, r, c) for c in (t_col, r_col, c_col)))):
        return
    # A capaian cell merged over several indicators' rows is the sasaran's, not each
    # indicator's: it is read on the first of them, flagged.
    merged = c_col is not None and _spans_rows(table, r, c_col)
    if merged and table.grid.is_continued_from_above(r, c_col.index):
        c_raw = ""
    kind = row_kind(indicator, [t_raw, r_raw], _text(table, r, _col(table, "unit")))
    target, real = figure(t_raw, kind, year), figure(r_raw, kind, year)
    capaian = parse_quantity(c_raw or None, "percent")
    rec = _base(table, report_id, r, no)
    rec.update({
        "sasaran": sasaran, "indicator": indicator or None,
        "polarity": "lower_is_better" if families.is_lower_better(indicator)
        else "higher_is_better",
        "value_kind": kind,
        "target": num(target), "target_unit": target.unit, "target_note": target.note,
        "realisasi": num(real), "realisasi_unit": real.unit, "realisasi_note": real.note,
        "realisasi_labelled": labelled_text(real),
        "capaian_pct": num(capaian),
        "target_raw": t_raw or None, "realisasi_raw": r_raw or None, "capaian_raw": c_raw or None,
        "has_realisasi_column": r_col is not None,
        "flags": "; ".join(filter(None, [_flags(target=target, realisasi=real, capaian=capaian),
                                         families.MERGED_CAPAIAN if merged and c_raw else None,
                                         families.AVERAGE_CAPAIAN if averaged else None,
                                         families.STATED_AVERAGE if average else None,
                                         None if indicator else families.NO_INDICATOR]))
        or None,
    })
    rows.iku.append(rec)


def _spans_rows(table: LocatedTable, r: int, col: Column) -> bool:
    """Whether the cell at (r, col) covers other data rows too (merged, or a cell a split
    by text left whole)."""
    cell = table.grid.at(r, col.index)
    return cell is not None and cell.rowspan > 1 and cell.row >= table.header.first_data_row


def _doubt_of(groups: dict[str, list[Column]]) -> str | None:
    """Why the quarter headers of a quarterly table cannot be trusted, or None.

    Under each of target and realisasi the quarters must come once each, in order (TW I,
    TW II, ...). A quarter named twice or out of order is a misprint or a misread (OCR reads
    'TW II' as 'TWI')."""
    if not groups:
        return None
    return "a quarter named twice, out of order or unreadable: " + "; ".join(
        f"{role} quarters read as {', '.join(repr(c.label) for c in cols)}"
        for role, cols in groups.items())


#: A header cell that seems to name a quarter but does not read as one ("TWh", "Triwulan
#: Il" misread): the name of a quarter word, then a short remnant.
_QUARTERISH = re.compile(r"^\s*(?:triwulan|trw|tw)\S{0,3}(?:\s+\S{1,4})?\s*$", re.IGNORECASE)


def _quarter_cell(table: LocatedTable, col: Column) -> Cell | None:
    """The header cell over a column that names a quarter, or seems to."""
    for r in table.header.header_rows:
        cell = table.grid.at(r, col.index)
        if cell is not None and (families.quarter_of(cell.text) is not None
                                 or _QUARTERISH.match(join_lines(cell.text))):
            return cell
    return None


def _doubted_quarter_groups(table: LocatedTable) -> dict[str, list[Column]]:
    """Role -> its quarter columns, left to right, for the roles whose quarters are not
    named once each in order (a quarter header that does not read as one counts)."""
    out = {}
    for role in ("target", "realisasi"):
        cols = [c for c in table.header.columns
                if c.role == role and (c.quarter or _quarter_cell(table, c))]
        quarters = [c.quarter for c in cols]
        if None in quarters or quarters != sorted(set(quarters)):
            out[role] = cols
    return out


def settle_quarters(table: LocatedTable) -> None:
    """Decide the quarters of a quarterly table whose quarter headers are in doubt
    (`_doubt_of`), and say so on the table and on its rows.

    Four quarter columns under target (or realisasi) can only be TW I-IV in order: their
    quarters are then taken from the columns' order and every row is flagged
    `quarter:by_position`. With fewer, the order does not say which quarters they are: the
    quarters stay as read, every row is flagged `quarter:header_uncertain`, and a column
    whose quarter was named before, or does not read as one, is named on the table as not
    read into rows. Either way the header cells naming the doubted quarters are recorded in
    `table.doubted_cells`."""
    groups = _doubted_quarter_groups(table)
    why = _doubt_of(groups)
    if why is None:
        return
    for cols in groups.values():
        for col in cols:
            if (cell := _quarter_cell(table, col)) is not None:
                table.doubted_cells[(cell.row, cell.col)] = "quarter header uncertain"
    if all(len(cols) == 4 for cols in groups.values()):
        by_index = {c.index: i + 1 for cols in groups.values() for i, c in enumerate(cols)}
        table.header = replace(table.header, columns=tuple(
            replace(c, quarter=by_index[c.index]) if c.index in by_index else c
            for c in table.header.columns))
        table.flags.append(f"quarter headers uncertain ({why}): four quarter columns each, "
                           "so quarters taken from the columns' order; rows flagged "
                           "quarter:by_position")
        table.row_flags.append("quarter:by_position")
        return
    seen: set[tuple[str, int]] = set()
    dropped = []
    for col in table.header.columns:
        if col.role in groups and col in groups[col.role]:
            if not col.quarter or (col.role, col.quarter) in seen:
                dropped.append(str(col.index + 1))
            seen.add((col.role, col.quarter))
    lost = f"; column(s) {', '.join(dropped)} not read into rows" if dropped else ""
    table.flags.append(f"quarter headers uncertain ({why}): quarters of its rows flagged "
                       f"quarter:header_uncertain{lost}")
    table.row_flags.append("quarter:header_uncertain")


def _quarterly_row(table: LocatedTable, report_id: str, year: int | None, r: int, no: int,
                   rows: Rows) -> None:
    indicator = _text(table, r, _col(table, "indicator"))
    if not indicator:
        return
    sasaran = _text(table, r, _col(table, "sasaran")) or None
    quarters = sorted({c.quarter for c in table.header.columns if c.quarter})
    raws = [table.grid.text(r, c.index) for c in table.header.columns if c.quarter]
    kind = row_kind(indicator, raws)
    for q in quarters:
        t_raw = _text(table, r, _col(table, "target", quarter=q))
        r_raw = _text(table, r, _col(table, "realisasi", quarter=q))
        target, real = figure(t_raw, kind, year), figure(r_raw, kind, year)
        rec = _base(table, report_id, r, no)
        rec.update({
            "sasaran": sasaran, "indicator": indicator or None, "quarter": q, "value_kind": kind,
            "target": num(target), "target_unit": target.unit, "target_note": target.note,
            "realisasi": num(real), "realisasi_unit": real.unit, "realisasi_note": real.note,
            "target_raw": t_raw or None, "realisasi_raw": r_raw or None,
            "flags": "; ".join(filter(None, [_flags(target=target, realisasi=real),
                                             *table.row_flags])) or None,
        })
        rows.quarterly.append(rec)


def _event_row(table: LocatedTable, report_id: str, year: int | None, r: int, no: int,
               rows: Rows) -> None:
    place_col = _col(table, "place")
    place_raw = _text(table, r, place_col)
    date_raw = _text(table, r, _col(table, "date"))
    people_raw = _text(table, r, _col(table, "participants"))
    activity = _text(table, r, _col(table, "activity")) or None
    month_col = _col(table, "month")
    month = _text(table, r, month_col) or None
    no_col = _col(table, "no")
    group_raw = _text(table, r, no_col)
    span = parse_date_span(date_raw or None, default_year=year)
    people = parse_quantity(people_raw or None, "count")
    continues = bool(place_col) and table.grid.is_continued_from_above(r, place_col.index)
    rec = _base(table, report_id, r, no)
    rec.update({
        "kind": families.event_kind(table.title), "row_no": no,
        "group_no": int(m.group()) if (m := re.search(r"\d+", group_raw)) else None,
        "month": month, "place": strip_list_mark(place_raw) or None,
        "continues_previous": continues,
        "date_start": span.start.isoformat() if span.start else None,
        "date_end": span.end.isoformat() if span.end else None,
        "date_note": span.note,
        "participants": num(people), "participants_unit": people.unit,
        "participants_note": people.note,
        "funding": families.funding_of(people.note, span.note, activity),
        "activity": activity,
        "no_raw": _printed(table, r, no_col) or None,
        "month_raw": _printed(table, r, month_col) or None,
        "place_raw": _printed(table, r, place_col) or None,
        "date_raw": date_raw or None, "participants_raw": people_raw or None,
        "flags": "; ".join([f"date:{f}" for f in span.flags if f != "empty"]
                           + [f"participants:{f}" for f in people.flags if f != "empty"])
        or None,
    })
    rows.events.append(rec)


def _budget_record(table: LocatedTable, report_id: str, r: int, no: int, level: str,
                   name_raw: str, group: str | None, cols: dict[str, Column | None]) -> dict:
    """A budget line from the pagu / realisasi / % / rata-rata columns given."""
    raws = {k: _text(table, r, col) for k, col in cols.items()}
    kinds = {"pagu": "money", "realisasi": "money", "pct": "percent", "avg": "percent"}
    q = {k: parse_quantity(raws[k] or None, kinds[k]) for k in kinds}
    rec = _base(table, report_id, r, no)
    rec.update({
        "level": level, "name": strip_list_mark(name_raw) or None, "group": group,
        "pagu": num(q["pagu"]), "realisasi": num(q["realisasi"]),
        "realisasi_pct": num(q["pct"]), "avg_capaian_pct": num(q["avg"]),
        "name_raw": name_raw or None, "pagu_raw": raws["pagu"] or None,
        "realisasi_raw": raws["realisasi"] or None, "realisasi_pct_raw": raws["pct"] or None,
        "avg_capaian_raw": raws["avg"] or None,
        "flags": _flags(**q) or None,
    })
    return rec


def _levels_named(col: Column) -> list[str]:
    """The budget levels a name column's header names, deepest first ("Program/Kegiatan":
    kegiatan, program; "Sub Kegiatan": sub_kegiatan alone)."""
    label, out = col.label.lower(), []
    for level, words in families.BUDGET_LEVELS:
        if any(w in label for w in words):
            out.append(level)
            for w in words:  # a deeper level's words hold a shallower one's ("sub kegiatan")
                label = label.replace(w, " ")
    return out


def _level_of(col: Column, name: str = "") -> str:
    """The budget level of a line named in this column: where the header names one level,
    that one; where it names several (one column for Program and Kegiatan), the level the
    line's own name starts with ("Program ..."), else the deepest of them."""
    named = _levels_named(col) or ["kegiatan"]
    if len(named) > 1:
        low = name.lower().lstrip()
        for level, words in families.BUDGET_LEVELS:
            if level in named and low.startswith(words):
                return level
    return named[0]


def _parent_above(table: LocatedTable, r: int, col: Column) -> str:
    """The nearest name printed in a parent column at or above this row: a program's name
    is printed once, on its first line, and holds for the lines below it."""
    for row in range(r, table.header.first_data_row - 1, -1):
        if text := _text(table, row, col):
            return text
    return ""


def _budget_row(table: LocatedTable, report_id: str, year: int | None, r: int, no: int,
                rows: Rows) -> None:
    names = [c for c in table.header.columns if c.role == "budget_name"]
    cols = {"pagu": _col(table, "pagu") or _col(table, "amount"),
            "realisasi": _col(table, "realisasi"), "pct": _col(table, "capaian"),
            "avg": _col(table, "avg_capaian")}
    if len(names) > 1:  # Program | Kegiatan: the line is the deepest name printed on it
        printed = [c for c in names if _text(table, r, c)]
        name_col = printed[-1] if printed else names[-1]
        parents = [c for c in names if c.index < name_col.index]
        group = _parent_above(table, r, parents[-1]) if parents else None
        name = _text(table, r, name_col)
        rows.budget.append(_budget_record(table, report_id, r, no, _level_of(name_col, name),
                                          name, group or None, cols))
        return
    name_col = names[0] if names else _col(table, "sasaran") or _col(table, "indicator")
    name = _text(table, r, name_col)
    level = _level_of(name_col, name) if name_col and name_col.role == "budget_name" \
        else "sasaran"
    rows.budget.append(_budget_record(table, report_id, r, no, level, name, None, cols))


def _budget_kinerja_row(table: LocatedTable, report_id: str, year: int | None, r: int, no: int,
                        rows: Rows) -> None:
    """A row of a budget-and-performance table: an IKU row where an indicator's cell
    starts, and a budget row where a (merged) pagu cell starts. The budget line is named
    by the table's Program / Kegiatan column where it has one (its sasaran the line's
    group), else by its sasaran: the two halves need not line up row by row."""
    indicator = _col(table, "indicator")
    if indicator is None or not table.grid.is_continued_from_above(r, indicator.index):
        _iku_row(table, report_id, year, r, no, rows, half="kinerja")
    pagu_col = _col(table, "pagu", "budget") or _col(table, "pagu")
    if pagu_col is None or not table.grid.is_origin(r, pagu_col.index):
        return
    sasaran = _text(table, r, _col(table, "sasaran"))
    cols = {"pagu": pagu_col, "realisasi": _col(table, "realisasi", "budget"),
            "pct": _col(table, "capaian", "budget"), "avg": _col(table, "avg_capaian")}
    name_col = _col(table, "budget_name")
    name = _own(table, r, name_col)
    if name_col is None or not name:
        rows.budget.append(_budget_record(table, report_id, r, no, "sasaran", sasaran,
                                          sasaran or None, cols))
        return
    rows.budget.append(_budget_record(table, report_id, r, no, _level_of(name_col, name),
                                      name, sasaran or None, cols))


def header_text(table: LocatedTable, col: Column) -> str:
    """A column's header as printed: the header cells over it, top to bottom, one space
    between ("Realisasi" over "2015": "Realisasi 2015")."""
    parts: list[str] = []
    for r in table.header.header_rows:
        text = table.grid.text(r, col.index)
        if text and not is_column_number(text) and (not parts or parts[-1] != text):
            parts.append(text)
    return " ".join(parts)


def comparison_measure(col: Column) -> str:
    """What a comparison column holds: change (% peningkatan), capaian, target, realisasi,
    or other."""
    if any(w in col.label.replace(" ", "") for w in families.CHANGE_WORDS):
        return "change"
    return col.role if col.role in ("target", "realisasi", "capaian") else "other"




def _comparison_row(table: LocatedTable, report_id: str, year: int | None, r: int, no: int,
                    rows: Rows) -> None:
    """A row of a comparison over years: one record per figure column (the periods and
    what a column compares), each figure with its raw text."""
    name_col = next(filter(None, (_col(table, role) for role in families.COMPARISON_NAMES)), None)
    indicator = _text(table, r, name_col)
    figures = [c for c in table.header.columns if c.role in families.FIGURE_ROLES
               and (families.period_of(c.label) or comparison_measure(c) == "change")]
    raws = {c.index: _text(table, r, c) for c in figures}
    if not indicator and not any(raws.values()):
        return
    unit = _text(table, r, _col(table, "unit")) or None
    kind = row_kind(indicator, list(raws.values()), unit)
    sasaran_col = _col(table, "sasaran")
    sasaran = _text(table, r, sasaran_col) or None if sasaran_col is not name_col else None
    for col in figures:
        raw = raws[col.index]
        measure = comparison_measure(col)
        q = parse_quantity(raw or None, "percent" if measure in ("change", "capaian") else
                           cell_kind(raw, kind) if raw else kind)
        period = families.period_of(col.label)
        rec = _base(table, report_id, r, no)
        rec.update({
            "sasaran": sasaran, "indicator": indicator or None, "satuan": unit,
            "column": header_text(table, col), "measure": measure,
            "year": families.year_of(col.label),
            "period": period, "value_kind": kind, "value": num(q), "value_unit": q.unit,
            "value_note": q.note, "value_raw": raw or None,
            "flags": _flags(value=q) or None})
        rows.comparison.append(rec)


def stated_totals(table: LocatedTable, report_id: str, r: int) -> list[dict]:
    """Each figure of a TOTAL / JUMLAH row, with the measure it states."""
    out = []
    grid = table.grid
    for cell in grid.row_cells(r):
        text = " ".join(cell.text.split())
        if not text or not _NUMBER_TOKEN.search(text):
            continue
        col = table.header.columns[cell.col] if cell.col < len(table.header.columns) else None
        label_part = families.TOTAL_RE.match(text)
        figure_text = _figure_part(text) if label_part else text
        low = text.lower()
        kind = "money" if "rp" in low else "count"
        q = parse_quantity(figure_text, kind)
        measure = families.UNIT_MEASURES.get(q.unit or "")
        if label_part:
            measure = next((m for m, words in families.LABEL_MEASURES
                            if any(w in low for w in words)), measure)
        if measure is None and col is not None:
            measure = families.ROLE_MEASURES.get(col.role or "")
        out.append({
            "report_id": report_id, "table_id": table.table_id, "table_part": table.part,
            "measure": measure or "unknown", "column": col.label if col else None,
            "stated_value": num(q), "stated_unit": q.unit, "stated_raw": text,
            "page": grid.row_pages[r],
            "flags": "; ".join(q.flags) if q.flags else None,
        })
    return out


def stated_averages(table: LocatedTable, report_id: str, r: int) -> list[dict]:
    """The budget % figures of a Rata-Rata line: each a stated mean of the lines' % (a
    claim to check, measure MEAN_PCT). A kinerja half's capaian is the IKU row's."""
    out = []
    for cell in table.grid.row_cells(r):
        col = table.header.columns[cell.col] if cell.col < len(table.header.columns) else None
        text = join_lines(cell.text)
        if (col is None or col.role != "capaian" or cell.row != r
                or (table.family == "budget_kinerja" and _half(col) != "budget")):
            continue
        q = parse_quantity(text or None, "percent")
        if q.value is None:
            continue
        out.append({
            "report_id": report_id, "table_id": table.table_id, "table_part": table.part,
            "measure": families.MEAN_PCT, "column": col.label, "stated_value": num(q),
            "stated_unit": q.unit, "stated_raw": text, "page": table.grid.row_pages[r],
            "flags": "; ".join(q.flags) if q.flags else None,
        })
    return out


def _figure_part(text: str) -> str:
    """The figure in a cell that also holds its label: from the last 'Rp', else the
    first token that starts with a digit."""
    low = text.lower()
    at = low.rfind("rp")
    if at >= 0:
        return text[at:]
    tokens = text.split()
    for i, tok in enumerate(tokens):
        if tok[0].isdigit():
            return " ".join(tokens[i:])
    return text


_HANDLERS = {
    "iku": _iku_row,
    "quarterly": _quarterly_row,
    "events": _event_row,
    "budget": _budget_row,
    "budget_kinerja": _budget_kinerja_row,
    "comparison": _comparison_row,
}
