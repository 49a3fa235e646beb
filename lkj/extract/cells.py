"""Every table as the grid lkj read it: one `cells` record per printed cell, whatever the
table's family (a table of no known family is kept this way, never dropped).

A user who doubts a tidy row can see the cells it came from, with their spans and boxes;
a researcher can rebuild a table lkj has no family for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lkj.extract.locate import LocatedTable
from lkj.extract.normalise import _is_total_row


def data_row_numbers(table: LocatedTable) -> dict[int, int]:
    """Grid row -> the data row number normalisation gives it (total and blank rows have
    none), so that a flag points at the same `row` as the output."""
    out, n = {}, 0
    grid = table.grid
    for r in range(table.header.first_data_row, grid.n_rows):
        if _is_total_row(table, r) or not any(grid.text(r, c) for c in range(grid.n_cols)):
            continue
        n += 1
        out[r] = n
    return out


def kind_of_row(table: LocatedTable, row: int) -> str:
    """title, header, total or body: what a grid row of the table is."""
    if row in table.header.title_rows:
        return "title"
    if row < table.header.first_data_row:
        return "header"
    return "total" if _is_total_row(table, row) else "body"


def grid_records(tables: Sequence[LocatedTable], report_id: str) -> list[dict[str, Any]]:
    """Each cell of each table: where it is (the output's data row, or none for title,
    header, total and blank rows; grid row and column from 1; spans), its text as printed
    (wrapped lines kept), its box on the page (points from the top left), and why its text
    is in doubt where it is (characters drawn over each other, ...)."""
    out = []
    for table in tables:
        numbers = data_row_numbers(table)
        kinds = {r: kind_of_row(table, r) for r in range(table.grid.n_rows)}
        for cell in sorted(table.grid.cells, key=lambda c: (c.row, c.col)):
            x0, top, x1, bottom = (round(v, 2) for v in cell.bbox) if cell.bbox else (None,) * 4
            out.append({
                "report_id": report_id, "table_id": table.table_id, "table_part": table.part,
                "row": numbers.get(cell.row), "grid_row": cell.row + 1, "col": cell.col + 1,
                "rowspan": cell.rowspan, "colspan": cell.colspan,
                "page": cell.page or table.grid.row_pages[cell.row],
                "kind": kinds[cell.row], "text": cell.text, "x0": x0, "top": top, "x1": x1,
                "bottom": bottom,
                "split_by_text": cell.row in table.grid.split_rows, "doubt": cell.doubt})
    return out
