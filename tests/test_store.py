"""The SQLite store's own ways (a file: its folder made, a missing one not), its schema against
the contract, and the CSV store. What every store must do is tests/test_store_shared.py, which
runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from lkj.load import csvstore
from lkj.load import sqlite as store
from lkj.load.files import spreadsheet_text, write_csv
from lkj.schemas import contract

# --- schema ----------------------------------------------------------------------------------

def test_every_contract_column_has_a_place():
    columns = store.store_columns()
    for name, cols in contract.COLUMNS.items():
        table = store.store_table(name)
        assert table in columns, f"store.sql has no table for {name}"
        assert list(columns[table][: len(cols)]) == cols, f"{table}: columns differ"
    assert "loaded_at" in columns["reports"]
    assert {"source_file", "sha256", "reason", "at"} <= set(columns["ingest_errors"])


def test_a_new_store_creates_its_folder_and_a_folder_is_refused(tmp_path):
    conn = store.open_store(tmp_path / "new" / "dir" / "lkj.sqlite")
    conn.close()
    assert (tmp_path / "new" / "dir" / "lkj.sqlite").is_file()
    with pytest.raises(store.StoreError, match="is a folder"):
        store.open_store(tmp_path / "new")


def test_reading_a_missing_store_does_not_create_it(tmp_path):
    with pytest.raises(store.StoreError, match="no such store"):
        store.open_store(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


# --- the CSV store ---------------------------------------------------------------------------

def test_csv_store_round_trip_idempotence_and_replace(tmp_path, extraction_2023, changed_2023):
    folder = tmp_path / "csv"
    assert csvstore.load_extraction(folder, extraction_2023).status == "loaded"
    # each table's rows read back as `lkj extract` writes them and reads them back (same
    # text, cell by cell)
    for name, (columns, records) in extraction_2023.columned().items():
        write_csv(tmp_path / "want.csv", columns, records)
        with open(tmp_path / "want.csv", encoding="utf-8", newline="") as fh:
            want = [{c: spreadsheet_text(v) for c, v in r.items()} for r in csv.DictReader(fh)]
        got = [{c: r[c] for c in columns}
               for r in csvstore.read_table(folder, store.store_table(name))]
        assert got == want, name
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert csvstore.load_extraction(folder, extraction_2023).status == "unchanged"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    conflict = csvstore.load_extraction(folder, changed_2023)
    assert conflict.status == "conflict" and "--replace" in conflict.message
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    assert csvstore.load_extraction(folder, changed_2023, replace=True).status == "replaced"
    (report,) = csvstore.read_table(folder, "reports")
    assert report["sha256"] == changed_2023.report["sha256"]
    for name in ("iku", "events", "budget"):
        assert len(csvstore.read_table(folder, name)) == len(extraction_2023.columned()[name][1])
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp file left


def test_a_store_file_without_a_contract_column_is_refused(tmp_path):
    db = tmp_path / "lkj.sqlite"
    store.open_store(db).close()
    raw = sqlite3.connect(db)
    raw.execute("ALTER TABLE claims DROP COLUMN heading")  # the store's version kept
    raw.close()
    with pytest.raises(store.StoreError, match=r"an lkj store without claims\.heading"):
        store.open_store(db)


def test_the_csv_store_decides_in_the_sqlite_store_s_words(tmp_path, extraction_2023,
                                                            changed_2023):
    """One set of decisions (lkj.load.store.load): the same statuses and messages."""
    conn = store.open_store(tmp_path / "lkj.sqlite")
    folder = tmp_path / "csv"
    try:
        for extraction, replace in ((extraction_2023, False), (extraction_2023, False),
                                    (changed_2023, False), (changed_2023, True)):
            a = store.load_extraction(conn, extraction, replace=replace)
            b = csvstore.load_extraction(folder, extraction, replace=replace)
            loaded = {r["report_id"]: r["loaded_at"] for r in csvstore.read_table(folder,
                                                                                  "reports")}
            (stored,) = store.read_table(conn, "reports")
            words = b.message.replace(next(iter(loaded.values()), ""), stored["loaded_at"])
            assert (a.status, a.report_id, a.previous) == (b.status, b.report_id, b.previous)
            assert a.message.split(" (replaced")[0] == words.split(" (replaced")[0]
            if a.status == "replaced":
                assert ", loaded " in b.message
    finally:
        conn.close()
