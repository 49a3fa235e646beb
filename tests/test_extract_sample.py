"""The 2023 sample end to end: extraction equals the hand-checked golden CSVs, cell by cell.

Golden files are written by `make golden` (the code) and were checked by hand against
samples/src/lkj-bp3mi-ntb-2023.txt; a change in them is reviewed with `git diff`.
"""

from __future__ import annotations

import csv
import re

import pytest
from conftest import GOLDEN

from lkj.load.files import write_csv
from lkj.schemas import contract

GOLDEN_2023 = GOLDEN / "lkj-bp3mi-ntb-2023"
#: The cell grids are held by tests/test_cells.py against these tidy goldens, not by a
#: golden of their own (a file of boxes no person could check by hand).
TABLES = [t for t in contract.OUTPUT_TABLES if t != "cells"]


def _as_csv(tmp_path, columns, records) -> list[dict]:
    """The records as `lkj extract` writes them, read back as text."""
    path = tmp_path / "t.csv"
    write_csv(path, columns, records)
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", TABLES)
def test_matches_golden(extraction_2023, name, tmp_path):
    columns, records = extraction_2023.columned()[name]
    got = _as_csv(tmp_path, columns, records)
    with open(GOLDEN_2023 / f"{name}.csv", encoding="utf-8") as fh:
        want = list(csv.DictReader(fh))
    assert [list(r) for r in got[:1]] == [list(r) for r in want[:1]], "columns changed"
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        diff = {k: (w.get(k), g[k]) for k in g if g[k] != w.get(k)}
        assert not diff, f"{name} row {i + 1}: golden vs extracted {diff}"


def test_every_table_found_with_family(extraction_2023):
    found = {(t.table_id, t.part): t.family for t in extraction_2023.tables}
    assert found == {
        ("1", 1): "iku", ("1.1", 1): "iku", ("1.1", 2): "budget", ("2.1", 1): "quarterly",
        ("2.2", 1): "iku", ("2.3", 1): "events", ("2.4", 1): "iku", ("2.5", 1): "iku",
        ("2.6", 1): "iku", ("2.7", 1): "iku", ("2.7.1", 1): "events", ("2.8", 1): "iku",
        ("2.9", 1): "iku", ("2.10", 1): "iku", ("2.11", 1): "budget_kinerja",
    }


def test_page_break_table_is_stitched(extraction_2023):
    (t23,) = [t for t in extraction_2023.tables if t.table_id == "2.3"]
    assert len(t23.pages) == 2 and t23.pages[1] == t23.pages[0] + 1
    events = [e for e in extraction_2023.rows.events if e["table_id"] == "2.3"]
    assert len(events) == 33  # the seed's rows, none lost at the break, no header row as data
    assert {e["page"] for e in events} == set(t23.pages)
    assert not any(e["place"] and e["place"].upper().startswith("TEMPAT") for e in events)


def test_continuation_row_is_marked_not_merged(extraction_2023):
    cont = [e for e in extraction_2023.rows.events if e["continues_previous"]]
    assert len(cont) == 1
    (row,) = cont
    prev = next(e for e in extraction_2023.rows.events
                if e["table_id"] == row["table_id"] and e["row_no"] == row["row_no"] - 1)
    assert row["place"] == prev["place"] and row["place_raw"] is None
    assert row["date_start"] != prev["date_start"]


def test_totals_are_not_data(extraction_2023):
    for table in ("iku", "events", "budget", "quarterly"):
        for rec in getattr(extraction_2023.rows, table):
            for key, value in rec.items():
                if key.endswith("_raw") and isinstance(value, str):
                    assert not value.upper().startswith(("TOTAL", "JUMLAH")), (table, rec)
    measures = {(s["table_id"], s["measure"]) for s in extraction_2023.rows.stated_totals}
    assert {("2.3", "locations"), ("2.3", "participants"), ("2.7.1", "participants"),
            ("1.1", "pagu")} <= measures


def test_blank_cell_is_null_not_zero(extraction_2023):
    blanks = [q for q in extraction_2023.rows.quarterly if q["realisasi_raw"] is None]
    assert blanks and all(q["realisasi"] is None for q in blanks)


def test_every_value_keeps_raw_text_and_page(extraction_2023):
    for rec in extraction_2023.rows.iku + extraction_2023.rows.quarterly:
        assert rec["page"] >= 1
        for field in ("target", "realisasi", "capaian_pct"):
            if rec.get(field) is not None:
                raw = rec[f"{field[:-4] if field.endswith('_pct') else field}_raw"]
                assert raw, (field, rec)


def test_ambiguous_separators_are_flagged(extraction_2023):
    """'5.380' has no unit of its own: the row's unit decided, and the flag says so."""
    for rec in extraction_2023.rows.quarterly:
        raw = rec["realisasi_raw"] or ""
        if re.fullmatch(r"\d{1,3}\.\d{3}(\s.*)?", raw):
            assert "separator_by" in (rec["flags"] or ""), rec


def test_engines_agree_on_sample(extraction_2023):
    assert all(t.verified for t in extraction_2023.tables), [
        (t.table_id, t.flags) for t in extraction_2023.tables if not t.verified]
