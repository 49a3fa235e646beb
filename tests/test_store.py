"""The store: what goes in comes back cell by cell, a file loads once, a report is replaced
only on request, and a failure half-way leaves the database exactly as it was."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lkj.load import csvstore
from lkj.load import sqlite as store
from lkj.load.files import write_csv
from lkj.schemas import contract

#: A same-length edit of the PDF's /Producer: other bytes (another sha256), same report.
PRODUCER, PRODUCER_EDITED = b"ReportLab PDF Library", b"ReportLab PDF Librarz"


def changed_copy(src: Path, dst: Path) -> Path:
    """A copy of a sample PDF that differs in one byte of its metadata and still parses."""
    data = src.read_bytes()
    assert data.count(PRODUCER) == 1
    dst.write_bytes(data.replace(PRODUCER, PRODUCER_EDITED))
    return dst


@pytest.fixture(scope="module")
def changed_2023(tmp_path_factory, sample_2023):
    from lkj.extract.report import extract_report

    path = changed_copy(sample_2023, tmp_path_factory.mktemp("changed") / "changed-2023.pdf")
    return extract_report(path)


@pytest.fixture()
def conn(tmp_path):
    c = store.open_store(tmp_path / "lkj.sqlite")
    yield c
    c.close()


def dump(conn: sqlite3.Connection) -> list[str]:
    return list(conn.iterdump())


def expected(records: list[dict], columns: list[str]) -> list[list]:
    """Records as SQLite gives them back: booleans as 0/1, everything else as parsed."""
    return [[store.sql_value(r.get(c)) for c in columns] for r in records]


def typed(rows: list[list]) -> list[list]:
    """Each cell with its type: 16000 and 16000.0 are not the same cell."""
    return [[(type(v).__name__, v) for v in row] for row in rows]


# --- schema ----------------------------------------------------------------------------------

def test_every_contract_column_has_a_place():
    columns = store.store_columns()
    for name, cols in contract.COLUMNS.items():
        table = store.store_table(name)
        assert table in columns, f"store.sql has no table for {name}"
        assert list(columns[table][: len(cols)]) == cols, f"{table}: columns differ"
    assert "loaded_at" in columns["reports"]
    assert {"source_file", "sha256", "reason", "at"} <= set(columns["ingest_errors"])


def test_store_settings(conn):
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.schema_version()
    views = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert {"v_iku_by_year", "v_iku_compare", "v_budget_by_year", "v_findings"} <= views


def test_a_newer_store_is_refused(tmp_path):
    path = tmp_path / "x.sqlite"
    store.open_store(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {store.schema_version() + 1}")
    raw.close()
    with pytest.raises(store.StoreError, match="newer lkj.*upgrade lkj"):
        store.open_store(path)


def test_an_older_store_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "x.sqlite"
    store.open_store(path).close()
    current = store.schema_version()
    monkeypatch.setattr(store, "schema_version", lambda: current + 1)  # this lkj moved on
    with pytest.raises(store.StoreError, match="older lkj.*new database"):
        store.open_store(path)


def test_a_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE t (x)")
    raw.close()
    with pytest.raises(store.StoreError, match="not an lkj store"):
        store.open_store(path)
    (tmp_path / "text.sqlite").write_text("hello, not a database\n" * 100)
    with pytest.raises(store.StoreError, match="not a SQLite database"):
        store.open_store(tmp_path / "text.sqlite")


def test_a_new_store_creates_its_folder_and_a_folder_is_refused(tmp_path):
    conn = store.open_store(tmp_path / "new" / "dir" / "lkj.sqlite")
    conn.close()
    assert (tmp_path / "new" / "dir" / "lkj.sqlite").is_file()
    with pytest.raises(store.StoreError, match="is a folder"):
        store.open_store(tmp_path / "new")


def test_reading_a_missing_store_does_not_create_it(tmp_path):
    with pytest.raises(store.StoreError, match="no such database"):
        store.open_store(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


# --- round trip ------------------------------------------------------------------------------

def test_round_trip_cell_by_cell(conn, extraction_2023):
    result = store.load_extraction(conn, extraction_2023)
    assert result.status == "loaded" and result.unstored == ()
    rid = extraction_2023.report["report_id"]
    for name, (columns, records) in extraction_2023.columned().items():
        got = [[row[c] for c in columns]
               for row in store.read_table(conn, store.store_table(name), rid)]
        want = expected(records, columns)
        assert len(got) == len(want), name
        for i, (g, w) in enumerate(zip(typed(got), typed(want), strict=True)):
            assert g == w, f"{name} row {i + 1}"


def test_canonical_indicator_ids_are_stored(conn, extraction_2023):
    store.load_extraction(conn, extraction_2023)
    for table in ("iku", "quarterly"):
        rows = conn.execute(f"SELECT indicator, indicator_id, indicator_match FROM {table}")
        for indicator, indicator_id, how in rows:
            assert indicator_id is not None and how != "unknown", (table, indicator)


def test_views_answer_plain_sql(conn, extraction_2023):
    store.load_extraction(conn, extraction_2023)
    rid = extraction_2023.report["report_id"]
    n_iku = conn.execute("SELECT COUNT(*) FROM iku").fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM v_iku_by_year").fetchone()[0] == n_iku
    for target, realisasi, recomputed, polarity in conn.execute(
            "SELECT target, realisasi, capaian_recomputed, polarity FROM v_iku_by_year"):
        if polarity == "higher_is_better" and target and realisasi is not None:
            assert recomputed == round(realisasi * 100 / target, 2)
        else:
            assert recomputed is None
    per_year = conn.execute("SELECT agency_id, year, indicator_id, COUNT(*) FROM v_iku_compare "
                            "GROUP BY 1, 2, 3").fetchall()
    assert per_year and all(n == 1 for *_, n in per_year)
    n_budget = conn.execute("SELECT COUNT(*) FROM budget").fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM v_budget_by_year WHERE report_id = ?",
                        (rid,)).fetchone()[0] == n_budget


# --- once, conflict, replace -----------------------------------------------------------------

def test_reloading_the_same_file_changes_nothing(conn, extraction_2023):
    assert store.load_extraction(conn, extraction_2023).status == "loaded"
    before = dump(conn)
    again = store.load_extraction(conn, extraction_2023)
    assert again.status == "unchanged"
    assert again.report_id == extraction_2023.report["report_id"]
    assert dump(conn) == before


def test_another_file_for_a_stored_report_is_a_conflict(conn, extraction_2023, changed_2023):
    assert changed_2023.report["report_id"] == extraction_2023.report["report_id"]
    assert changed_2023.report["sha256"] != extraction_2023.report["sha256"]
    store.load_extraction(conn, extraction_2023)
    before = dump(conn)
    result = store.load_extraction(conn, changed_2023)
    assert result.status == "conflict" and not result.stored
    assert "--replace" in result.message
    assert result.previous == extraction_2023.report["source_file"]
    assert dump(conn) == before


def test_replace_deletes_the_old_report_and_loads_the_new(conn, extraction_2023, changed_2023):
    store.load_extraction(conn, extraction_2023)
    counts = store.row_counts(conn)
    result = store.load_extraction(conn, changed_2023, replace=True)
    assert result.status == "replaced"
    assert result.previous == extraction_2023.report["source_file"]
    assert store.row_counts(conn) == counts  # old rows gone (cascade), new ones in
    (report,) = store.read_table(conn, "reports")
    assert report["sha256"] == changed_2023.report["sha256"]
    assert report["source_file"] == "changed-2023.pdf"
    assert store.load_extraction(conn, changed_2023).status == "unchanged"


def test_replace_rereads_a_stored_file(conn, extraction_2023):
    store.load_extraction(conn, extraction_2023)
    counts = store.row_counts(conn)
    result = store.load_extraction(conn, extraction_2023, replace=True)
    assert result.status == "replaced"
    assert result.previous == extraction_2023.report["source_file"]
    assert store.row_counts(conn) == counts


# --- all or nothing --------------------------------------------------------------------------

def _failing_after(monkeypatch, table: str) -> None:
    """Make the insert into `table` store half its rows, then fail."""
    real = store._insert_rows

    def insert(conn, name, columns, records):
        records = list(records)
        if name != table:
            return real(conn, name, columns, records)
        real(conn, name, columns, records[: len(records) // 2])
        raise sqlite3.OperationalError("disk I/O error (planted)")

    monkeypatch.setattr(store, "_insert_rows", insert)


def test_a_failure_half_way_stores_nothing(conn, extraction_2023, monkeypatch):
    before = dump(conn)
    _failing_after(monkeypatch, "events")
    with pytest.raises(sqlite3.OperationalError, match="planted"):
        store.load_extraction(conn, extraction_2023)
    assert not conn.in_transaction
    assert dump(conn) == before


def test_a_failed_replace_keeps_the_old_report(conn, extraction_2023, changed_2023,
                                               monkeypatch):
    store.load_extraction(conn, extraction_2023)
    before = dump(conn)
    _failing_after(monkeypatch, "budget")
    with pytest.raises(sqlite3.OperationalError, match="planted"):
        store.load_extraction(conn, changed_2023, replace=True)
    assert dump(conn) == before


def test_ingest_errors_are_rows(conn, tmp_path):
    store.record_ingest_error(conn, tmp_path / "broken.pdf", None, "not a PDF")
    (row,) = store.read_table(conn, "ingest_errors")
    assert (row["source_file"], row["sha256"], row["reason"]) == ("broken.pdf", None,
                                                                   "not a PDF")
    assert row["at"].endswith("+00:00")


# --- random records --------------------------------------------------------------------------

_text = st.one_of(st.none(), st.text(st.characters(exclude_categories=("Cs",)), max_size=30))
_number = st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
                    st.floats(allow_nan=False, allow_infinity=False))
_IKU_NUMBERS = {"target", "realisasi", "capaian_pct"}
_IKU_INTS = {"table_part", "row", "page"}


def _iku_record() -> st.SearchStrategy[dict]:
    fields = {}
    for col in contract.COLUMNS["iku"]:
        if col == "report_id":
            continue
        if col in _IKU_NUMBERS:
            fields[col] = _number
        elif col in _IKU_INTS:
            fields[col] = st.integers(min_value=0, max_value=10_000)
        elif col == "has_realisasi_column":
            fields[col] = st.booleans()
        elif col == "table_id":
            fields[col] = st.text(min_size=1, max_size=8)
        else:
            fields[col] = _text
    return st.fixed_dictionaries(fields)


def _fake_extraction(records: list[dict]) -> SimpleNamespace:
    report = {"report_id": "r-1", "sha256": "0" * 64, "source_file": "r.pdf", "year": 2023}
    recs = [{**r, "report_id": "r-1"} for r in records]
    cols = {"report": contract.COLUMNS["report"], "iku": contract.COLUMNS["iku"]}
    return SimpleNamespace(report=report, columned=lambda: {
        "report": (cols["report"], [report]), "iku": (cols["iku"], recs)})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_iku_record(), max_size=8))
def test_random_iku_records_round_trip(records):
    conn = store.open_store(":memory:")
    try:
        result = store.load_extraction(conn, _fake_extraction(records))
        assert result.rows["iku"] == len(records)
        cols = contract.COLUMNS["iku"]
        got = [[row[c] for c in cols] for row in store.read_table(conn, "iku", "r-1")]
        want = expected([{**r, "report_id": "r-1"} for r in records], cols)
        assert typed(got) == typed(want)
    finally:
        conn.close()


# --- the CSV store ---------------------------------------------------------------------------

def test_csv_store_round_trip_idempotence_and_replace(tmp_path, extraction_2023, changed_2023):
    folder = tmp_path / "csv"
    assert csvstore.load_extraction(folder, extraction_2023).status == "loaded"
    # each table's rows read back as `lkj extract` writes them (same text, cell by cell)
    for name, (columns, records) in extraction_2023.columned().items():
        write_csv(tmp_path / "want.csv", columns, records)
        with open(tmp_path / "want.csv", encoding="utf-8", newline="") as fh:
            want = list(csv.DictReader(fh))
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
