"""OCR confidence on the output: which cells OCR was unsure of, on tables and on rows.

Uncertainty is shown, never hidden (as camelot's parsing report): every OCR cell whose
confidence is under the threshold is named on its table ("low OCR confidence: Tabel 2.3 row
5 col 4 '2O Orang' (43%)") and on each output row it feeds ("ocr_low_confidence:<field>"),
so that a check failing on such a row can say the figure may be misread.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from lkj.extract.cells import data_row_numbers
from lkj.extract.grid import Cell, join_lines
from lkj.extract.ocr import LOW_CONFIDENCE

if TYPE_CHECKING:
    from lkj.extract.locate import LocatedTable
    from lkj.extract.normalise import Rows


def cell_label(table: LocatedTable, cell: Cell, rows: dict[int, int] | None = None) -> str:
    """Where a cell is, as a reader of the PDF finds it: 'Tabel 2.3 row 5 col 4'.

    Rows are the table's data rows as numbered in the output (`row`); header and total rows
    are named as such. Columns count from 1, left to right.
    """
    name = f"Tabel {table.table_id}" + (f" part {table.part}" if table.part > 1 else "")
    numbers_ = data_row_numbers(table) if rows is None else rows
    if cell.row < table.header.first_data_row:
        where = f"header row {cell.row + 1}"
    elif cell.row in numbers_:
        where = f"row {numbers_[cell.row]}"
    else:
        where = f"total row (grid row {cell.row + 1})"
    return f"{name} {where} col {cell.col + 1}"


def low_confidence_cells(table: LocatedTable, threshold: float = LOW_CONFIDENCE) -> list[Cell]:
    return sorted((c for c in table.grid.cells
                   if c.confidence is not None and c.confidence < threshold),
                  key=lambda c: (c.row, c.col))


def table_flags(table: LocatedTable, threshold: float = LOW_CONFIDENCE) -> list[str]:
    """One flag per uncertain cell: "low OCR confidence: Tabel 2.3 row 5 col 4 '2O Orang'
    (43%)"."""
    rows = data_row_numbers(table)
    return [f"low OCR confidence: {cell_label(table, c, rows)} {join_lines(c.text)!r} "
            f"({c.confidence:.0f}%)" for c in low_confidence_cells(table, threshold)]


def cell_records(tables: Sequence[LocatedTable], report_id: str,
                 threshold: float = LOW_CONFIDENCE) -> list[dict[str, Any]]:
    """Every cell OCR read, as an `ocr_cells` record: where it is (the output's data row
    number, or none for a header or total cell; grid row and column from 1), its text and
    Tesseract's confidence, and whether it is flagged: under the threshold ("low OCR
    confidence") or doubted by a rule of its table (`LocatedTable.doubted_cells`)."""
    out = []
    for table in tables:
        numbers_ = data_row_numbers(table)
        for cell in sorted(table.grid.cells, key=lambda c: (c.row, c.col)):
            if cell.confidence is None:
                continue
            doubts = (["low OCR confidence"] if cell.confidence < threshold else []) + (
                [table.doubted_cells[(cell.row, cell.col)]]
                if (cell.row, cell.col) in table.doubted_cells else [])
            out.append({
                "report_id": report_id, "table_id": table.table_id, "table_part": table.part,
                "row": numbers_.get(cell.row), "grid_row": cell.row + 1, "col": cell.col + 1,
                "page": cell.page, "text": cell.text, "confidence": round(cell.confidence, 1),
                "flagged": bool(doubts), "doubt": "; ".join(doubts) or None})
    return out


#: What an "ocr_low_confidence:<field>" flag on an output row covers: the columns read from
#: that cell or decided by it. The field is the row's value column (events: "date" for the
#: date range). The audit can map a failed statement's column to the flags that doubt it.
FLAG_COLUMNS: dict[str, tuple[str, ...]] = {
    "sasaran": ("sasaran", "group"),
    "indicator": ("indicator", "polarity", "value_kind"),
    "target": ("target", "target_unit", "target_note", "target_raw", "value_kind"),
    "realisasi": ("realisasi", "realisasi_unit", "realisasi_note", "realisasi_raw",
                  "realisasi_labelled", "value_kind"),
    "capaian_pct": ("capaian_pct", "capaian_raw"),
    "group_no": ("group_no", "no_raw"),
    "month": ("month", "month_raw"),
    "place": ("place", "place_raw"),
    "date": ("date_start", "date_end", "date_note", "date_raw", "funding"),
    "participants": ("participants", "participants_unit", "participants_note",
                     "participants_raw", "funding"),
    "activity": ("activity", "funding"),
    "name": ("name", "name_raw", "group"),
    "pagu": ("pagu", "pagu_raw"),
    "realisasi_pct": ("realisasi_pct", "realisasi_pct_raw"),
    "avg_capaian_pct": ("avg_capaian_pct", "avg_capaian_raw"),
    "stated_value": ("stated_value", "stated_unit", "stated_raw", "measure"),
}
FLAG_PREFIX = "ocr_low_confidence:"

#: Per output table: column role (lkj.schemas.families) -> the flag field it feeds.
_ROLE_FIELDS: dict[str, dict[str, str]] = {
    "iku": {"sasaran": "sasaran", "indicator": "indicator", "target": "target",
            "realisasi": "realisasi", "capaian": "capaian_pct"},
    "quarterly": {"sasaran": "sasaran", "indicator": "indicator", "target": "target",
                  "realisasi": "realisasi"},
    "events": {"no": "group_no", "month": "month", "place": "place", "date": "date",
               "participants": "participants", "activity": "activity"},
    "budget": {"budget_name": "name", "sasaran": "name", "indicator": "name", "pagu": "pagu",
               "amount": "pagu", "realisasi": "realisasi", "capaian": "realisasi_pct",
               "avg_capaian": "avg_capaian_pct"},
}
#: In a budget-and-performance table, the half whose columns feed each output table.
_HALF_OF = {"iku": "kinerja", "budget": "budget"}


def flagged_columns(flags: str | None) -> set[str]:
    """The output columns a row's flags say OCR was unsure of (empty for text-layer rows)."""
    out: set[str] = set()
    if not isinstance(flags, str):  # None, or a frame's missing value
        return out
    for part in flags.split("; "):
        if part.startswith(FLAG_PREFIX):
            name = part[len(FLAG_PREFIX):]
            out |= {name, *FLAG_COLUMNS.get(name, ())}
    return out


def doubted(flags: str | None, columns: Iterable[str]) -> set[str]:
    """Which of `columns` a row's flags say OCR was unsure of: for a check that failed on
    this row, the columns whose value may be misread rather than misprinted."""
    return flagged_columns(flags) & set(columns)


def _half(column: Any) -> str | None:
    from lkj.extract.normalise import _half

    return _half(column)


def _field_of(kind: str, table: LocatedTable, cell: Cell, rec: dict) -> str | None:
    """The flag field a cell feeds in one output row, by its column's role (None: the cell
    does not feed this row, or its column has no role)."""
    if cell.col >= len(table.header.columns):
        return None
    col = table.header.columns[cell.col]
    if col.quarter and rec.get("quarter") not in (None, col.quarter):
        return None
    if table.family == "budget_kinerja" and col.role in ("target", "realisasi", "capaian",
                                                         "pagu"):
        half = _half(col)
        if half is not None and half != _HALF_OF.get(kind):
            return None
    return _ROLE_FIELDS.get(kind, {}).get(col.role or "")


def _field_by_text(rec: dict, text: str) -> set[str]:
    """Fallback for a column without a role: the fields whose raw text is the cell's."""
    found = set()
    for key, value in rec.items():
        if key != "flags" and isinstance(value, str) and value and join_lines(value) == text:
            found |= {f for f, cols in FLAG_COLUMNS.items() if key in cols}
    return found


def _add_flags(rec: dict, fields: Iterable[str]) -> None:
    new = [f"{FLAG_PREFIX}{f}" for f in sorted(fields)]
    old = [p for p in (rec.get("flags") or "").split("; ") if p]
    rec["flags"] = "; ".join(old + [f for f in new if f not in old]) or None


def flag_low_confidence(tables: Sequence[LocatedTable], rows: Rows,
                        threshold: float = LOW_CONFIDENCE) -> int:
    """Mark uncertain OCR cells on their table (`flags`: "low OCR confidence: Tabel 2.3 row
    5 col 4 '2O Orang' (43%)") and on every output row they feed (`flags`:
    "ocr_low_confidence:<field>", see FLAG_COLUMNS). A merged cell feeds every row it
    covers. Header cells are named on the table only: they decide what a column means, not
    a value. Returns the number of cells flagged."""
    total = 0
    for table in tables:
        cells = low_confidence_cells(table, threshold)
        if not cells:
            continue
        total += len(cells)
        table.flags.extend(table_flags(table, threshold))
        numbers_ = data_row_numbers(table)
        grid_row = {no: r for r, no in numbers_.items()}
        for kind in ("iku", "quarterly", "events", "budget"):
            for rec in getattr(rows, kind):
                if (rec["table_id"], rec["table_part"]) != (table.table_id, table.part):
                    continue
                r = grid_row.get(rec["row"])
                fields: set[str] = set()
                for cell in cells:
                    if r is None or not cell.row <= r < cell.row + cell.rowspan:
                        continue
                    field_ = _field_of(kind, table, cell, rec)
                    if field_:
                        fields.add(field_)
                    elif cell.col >= len(table.header.columns) or \
                            not table.header.columns[cell.col].role:
                        fields |= _field_by_text(rec, join_lines(cell.text))
                if fields:
                    _add_flags(rec, fields)
        totals = [s for s in rows.stated_totals
                  if (s["table_id"], s["table_part"]) == (table.table_id, table.part)]
        for cell in cells:
            if cell.row in numbers_ or cell.row < table.header.first_data_row:
                continue
            for s in totals:
                if s["stated_raw"] == join_lines(cell.text):
                    _add_flags(s, ["stated_value"])
    return total
