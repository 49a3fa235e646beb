"""The SQLite store's own ways (a file: its folder made, a missing one not), its schema against
the contract, and the CSV store. What every store must do is tests/test_store_shared.py, which
runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from lkj.load import csvstore
from lkj.load.csvstore import CsvStore
from lkj.load.files import spreadsheet_text, write_csv
from lkj.load.sqlite import SqliteStore
from lkj.load.store import StoreError, load, store_columns, store_table
from lkj.schemas import contract

# --- schema ----------------------------------------------------------------------------------

def test_every_contract_column_has_a_place():
    columns = store_columns()
    for name, cols in contract.COLUMNS.items():
        table = store_table(name)
        assert table in columns, f"store.sql has no table for {name}"
        assert list(columns[table][: len(cols)]) == cols, f"{table}: columns differ"
    assert "loaded_at" in columns["reports"]
    assert {"source_file", "sha256", "reason", "at"} <= set(columns["ingest_errors"])


def test_a_new_store_creates_its_folder_and_a_folder_is_refused(tmp_path):
    conn = SqliteStore.open(tmp_path / "new" / "dir" / "lkj.sqlite")
    conn.close()
    assert (tmp_path / "new" / "dir" / "lkj.sqlite").is_file()
    with pytest.raises(StoreError, match="is a folder"):
        SqliteStore.open(tmp_path / "new")


def test_reading_a_missing_store_does_not_create_it(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        SqliteStore.open(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


# --- the CSV store ---------------------------------------------------------------------------

def test_csv_store_round_trip_idempotence_and_replace(tmp_path, extraction_2023, changed_2023):
    folder = tmp_path / "csv"
    csv_store = CsvStore(folder)
    assert load(csv_store, extraction_2023).status == "loaded"
    # each table's rows read back as `lkj extract` writes them and reads them back (same
    # text, cell by cell)
    for name, (columns, records) in extraction_2023.columned().items():
        write_csv(tmp_path / "want.csv", columns, records)
        with open(tmp_path / "want.csv", encoding="utf-8", newline="") as fh:
            want = [{c: spreadsheet_text(v) for c, v in r.items()} for r in csv.DictReader(fh)]
        got = [{c: r[c] for c in columns}
               for r in csvstore.read_table(folder, store_table(name))]
        assert got == want, name
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert load(csv_store, extraction_2023).status == "unchanged"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    conflict = load(csv_store, changed_2023)
    assert conflict.status == "conflict" and "--replace" in conflict.message
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    assert load(csv_store, changed_2023, replace=True).status == "replaced"
    (report,) = csvstore.read_table(folder, "reports")
    assert report["sha256"] == changed_2023.report["sha256"]
    for name in ("iku", "events", "budget"):
        assert len(csvstore.read_table(folder, name)) == len(extraction_2023.columned()[name][1])
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temp file left


def test_a_store_file_without_a_contract_column_is_refused(tmp_path):
    db = tmp_path / "lkj.sqlite"
    SqliteStore.open(db).close()
    raw = sqlite3.connect(db)
    raw.execute("ALTER TABLE claims DROP COLUMN heading")  # the store's version kept
    raw.close()
    with pytest.raises(StoreError, match=r"an lkj store without claims\.heading"):
        SqliteStore.open(db)


def test_the_csv_store_decides_in_the_sqlite_store_s_words(tmp_path, extraction_2023,
                                                            changed_2023):
    """One set of decisions (lkj.load.store.load): the same statuses and messages."""
    conn = SqliteStore.open(tmp_path / "lkj.sqlite")
    folder = tmp_path / "csv"
    csv_store = CsvStore(folder)
    try:
        for extraction, replace in ((extraction_2023, False), (extraction_2023, False),
                                    (changed_2023, False), (changed_2023, True)):
            a = load(conn, extraction, replace=replace)
            b = load(csv_store, extraction, replace=replace)
            loaded = {r["report_id"]: r["loaded_at"] for r in csvstore.read_table(folder,
                                                                                  "reports")}
            (stored,) = conn.read_table("reports")
            words = b.message.replace(next(iter(loaded.values()), ""), stored["loaded_at"])
            assert (a.status, a.report_id, a.previous) == (b.status, b.report_id, b.previous)
            assert a.message.split(" (replaced")[0] == words.split(" (replaced")[0]
            if a.status == "replaced":
                assert ", loaded " in b.message
    finally:
        conn.close()
