"""What every store must do, SQLite, PostgreSQL and a CSV folder alike (the `store`
fixture runs each test on all three): what goes in comes back cell by cell (from a CSV
folder, as the text it holds), a file loads once, a report is replaced only on request, a
failure half-way leaves the store exactly as it was, a file that failed has one
ingest_errors row. The databases' own schema, SQL and views (`sql_only`): a store of
another version or no store at all is refused, the views answer plain SQL.

What only one backend has stays with it: tests/test_store.py (SQLite, the CSV folder) and
tests/test_store_pg.py (PostgreSQL, on the server LKJ_TEST_PG_URL).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stores import (
    BACKENDS,
    SQL_BACKENDS,
    VIEWS,
    backend,
    failures,
    fake_extraction,
    pg_run,
    sqlite_run,
    typed,
)

from lkj.load.store import StoreError, load, store_table
from lkj.schemas import contract, registry

#: The tests of a database's own schema, SQL and views: not of a CSV folder.
sql_only = pytest.mark.parametrize("store", SQL_BACKENDS, indirect=True)
#: What each backend sets that the other has no counterpart of.
OWN_SETTINGS = {"sqlite": {"foreign_keys": 1, "journal_mode": "wal"},
                "postgresql": {"iku.target": "numeric", "iku.has_realisasi_column": "boolean"}}
#: The tables whose rows belong to a report: deleted with it.
REPORT_TABLES = ("tables", "iku", "quarterly", "events", "budget", "comparison",
                 "stated_totals", "claims", "pages", "ocr_cells", "cells", "findings")
#: The tables each store schema added: a store of an older schema gets them when opened.
ADDED_IN = {3: ("ocr_cells",), 4: ("pages",), 5: ("comparison", "cells")}
#: The columns each store schema added at the end of a table: NULL in the older rows.
COLUMNS_ADDED_IN = {6: {"reports": ("source_path",)}, 7: {"cells": ("doubt",)}}


# --- schema ----------------------------------------------------------------------------------

@sql_only
def test_store_settings(store):
    conn = store.conn
    assert store.stored_version(conn) == str(store.module.schema_version())
    assert set(VIEWS) <= store.views(conn)
    assert store.on_delete(conn) == {t: "CASCADE" for t in REPORT_TABLES}
    assert store.own_settings(conn) == OWN_SETTINGS[store.name]


@sql_only
def test_a_newer_store_is_refused(store):
    where = store.new_location()
    store.cls.open(where).close()
    store.set_version(where, store.module.schema_version() + 1)
    with pytest.raises(StoreError, match="newer lkj.*upgrade lkj"):
        store.cls.open(where)


def _run(store, where, sql: str) -> None:
    (sqlite_run if store.name == "sqlite" else pg_run)(where, sql)


def _as_schema(store, where, version: int) -> None:
    """Make a store of this lkj look like one an lkj of this store schema wrote: the
    tables and columns added since gone."""
    dropped = set()
    for later in sorted(ADDED_IN, reverse=True):
        if later > version:
            for table in ADDED_IN[later]:
                _run(store, where, f"DROP TABLE {table}")
                dropped.add(table)
    if version < 3:
        _run(store, where, "DROP VIEW v_findings")  # an older view: made again on upgrade
    for later, added in COLUMNS_ADDED_IN.items():
        for table, columns in added.items():
            for column in columns:
                if later > version and table not in dropped:
                    _run(store, where, f"ALTER TABLE {table} DROP COLUMN {column}")
    store.set_version(where, version)


def _as_schema_2(store, where) -> None:
    _as_schema(store, where, 2)


@sql_only
def test_a_store_of_schema_6_gets_the_cells_doubt_and_keeps_its_cells(store, extraction_2023):
    where = store.new_location()
    conn = store.cls.open(where)
    load(conn, extraction_2023)
    rid = extraction_2023.report["report_id"]
    before = conn.read_table("cells", rid)
    conn.close()
    _as_schema(store, where, 6)
    conn = store.cls.open(where)  # upgraded in place: the column added at the end
    try:
        assert store.stored_version(conn) == str(store.module.schema_version())
        assert conn.read_table("cells", rid) == before  # all of them: doubt NULL before too
        assert all(c["doubt"] is None for c in before)
    finally:
        conn.close()


@sql_only
def test_a_store_of_schema_2_gets_the_new_tables_and_keeps_its_reports(store, extraction_2023):
    where = store.new_location()
    conn = store.cls.open(where)
    assert load(conn, extraction_2023).status == "loaded"
    before = conn.read_table("iku", extraction_2023.report["report_id"])
    conn.close()
    _as_schema_2(store, where)
    conn = store.cls.open(where)  # upgraded in place
    try:
        assert store.stored_version(conn) == str(store.module.schema_version())
        assert store.on_delete(conn) == {t: "CASCADE" for t in REPORT_TABLES}
        assert set(VIEWS) <= store.views(conn)
        rid = extraction_2023.report["report_id"]
        assert conn.read_table("iku", rid) == before
        assert conn.read_table("ocr_cells", rid) == []
        assert conn.read_table("cells", rid) == []
        (old,) = conn.read_table("reports", rid)
        assert old["source_path"] is None and old["source_file"] == extraction_2023.path.name
        result = load(conn, extraction_2023, replace=True)
        assert result.status == "replaced" and result.unstored == ()
        (new,) = conn.read_table("reports", rid)
        assert new["source_path"] == str(extraction_2023.path.resolve())
    finally:
        conn.close()


@sql_only
@pytest.mark.parametrize("how", ["older than 2", "a column missing"])
def test_an_older_store_that_cannot_be_upgraded_is_refused_unchanged(store, how):
    where = store.new_location()
    store.cls.open(where).close()
    if how == "older than 2":
        store.set_version(where, 1)
    else:  # an older lkj that wrote claims without heading: more than tables were added
        _run(store, where, "ALTER TABLE claims DROP COLUMN heading")
        _as_schema_2(store, where)
    with pytest.raises(StoreError, match="older lkj.*new database"):
        store.cls.open(where)
    assert not _has_table(store, where, "ocr_cells") or how == "older than 2"  # unchanged


def _has_table(store, where, name: str) -> bool:
    if store.name == "sqlite":
        import sqlite3

        raw = sqlite3.connect(where)
        try:
            return raw.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = ?",
                               (name,)).fetchone()[0] > 0
        finally:
            raw.close()
    import sqlalchemy as sa

    from lkj.load import postgres as pg

    engine = sa.create_engine(pg.engine_url(where))
    try:
        with engine.connect() as db:
            return bool(db.exec_driver_sql(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                "current_schema() AND table_name = %(n)s", {"n": name}).scalar())
    finally:
        engine.dispose()


@sql_only
def test_a_foreign_database_is_refused(store):
    for make_foreign, match in store.foreign():
        where = store.new_location()
        make_foreign(where)
        with pytest.raises(StoreError, match=match):
            store.cls.open(where)


# --- round trip ------------------------------------------------------------------------------

@pytest.mark.parametrize("which", [
    "extraction_2023", pytest.param("scanned_2021_front", marks=pytest.mark.slow)])  # OCR
def test_round_trip_cell_by_cell(store, request, which):
    """A text-layer report, and part of a scanned one (its OCR cells with their
    confidence)."""
    extraction = request.getfixturevalue(which)
    result = load(store.conn, extraction)
    assert result.status == "loaded" and result.unstored == ()
    assert (result.rows["ocr_cells"] > 0) is (which == "scanned_2021_front")
    rid = extraction.report["report_id"]
    for name, (columns, records) in extraction.columned().items():
        table = store_table(name)
        got = [[row[c] for c in columns]
               for row in store.conn.read_table(table, rid)]
        want = store.expected(table, columns, records)
        assert len(got) == len(want), name
        for i, (g, w) in enumerate(zip(typed(got), typed(want), strict=True)):
            assert g == w, f"{name} row {i + 1}"


@sql_only
def test_canonical_indicator_ids_are_stored(store, extraction_2023):
    conn = store.conn
    load(conn, extraction_2023)
    for table in ("iku", "quarterly"):
        for indicator, indicator_id, how in conn.query(
                f"SELECT indicator, indicator_id, indicator_match FROM {table}"):
            assert indicator_id is not None and how != "unknown", (table, indicator)
    assert conn.row_counts()["indicators"] == len(registry.INDICATORS)


@sql_only
def test_views_answer_plain_sql(store, extraction_2023):
    conn = store.conn
    load(conn, extraction_2023)
    rid = extraction_2023.report["report_id"]
    n_iku = conn.query("SELECT COUNT(*) FROM iku")[0][0]
    assert conn.query("SELECT COUNT(*) FROM v_iku_by_year")[0][0] == n_iku
    for target, realisasi, recomputed, polarity in conn.query(
            "SELECT target, realisasi, capaian_recomputed, polarity FROM v_iku_by_year"):
        if polarity == "higher_is_better" and target and realisasi is not None:
            assert recomputed == round(realisasi * 100 / target, 2)
        else:
            assert recomputed is None
    per_year = conn.query("SELECT agency_id, year, indicator_id, COUNT(*) FROM v_iku_compare "
                          "GROUP BY 1, 2, 3")
    assert per_year and all(n == 1 for *_, n in per_year)
    n_budget = conn.query("SELECT COUNT(*) FROM budget")[0][0]
    assert conn.query("SELECT COUNT(*) FROM v_budget_by_year WHERE report_id = :rid",
                      {"rid": rid})[0][0] == n_budget


# --- once, conflict, replace -----------------------------------------------------------------

def test_reloading_the_same_file_changes_nothing(store, extraction_2023):
    conn = store.conn
    assert load(conn, extraction_2023).status == "loaded"
    before = store.dump(conn)
    again = load(conn, extraction_2023)
    assert again.status == "unchanged"
    assert again.report_id == extraction_2023.report["report_id"]
    assert store.dump(conn) == before


def test_another_file_for_a_stored_report_is_a_conflict(store, extraction_2023, changed_2023):
    conn = store.conn
    assert changed_2023.report["report_id"] == extraction_2023.report["report_id"]
    assert changed_2023.report["sha256"] != extraction_2023.report["sha256"]
    load(conn, extraction_2023)
    before = store.dump(conn)
    result = load(conn, changed_2023)
    assert result.status == "conflict" and not result.stored
    assert "--replace" in result.message
    assert result.previous == extraction_2023.report["source_file"]
    assert store.dump(conn) == before


def test_replace_deletes_the_old_report_and_loads_the_new(store, extraction_2023,
                                                          changed_2023):
    conn = store.conn
    load(conn, extraction_2023)
    counts = conn.row_counts()
    result = load(conn, changed_2023, replace=True)
    assert result.status == "replaced"
    assert result.previous == extraction_2023.report["source_file"]
    assert conn.row_counts() == counts  # old rows gone (cascade), new ones in
    (report,) = conn.read_table("reports")
    assert report["sha256"] == changed_2023.report["sha256"]
    assert report["source_file"] == "changed-2023.pdf"
    assert load(conn, changed_2023).status == "unchanged"


def test_replace_rereads_a_stored_file(store, extraction_2023):
    conn = store.conn
    load(conn, extraction_2023)
    counts = conn.row_counts()
    result = load(conn, extraction_2023, replace=True)
    assert result.status == "replaced"
    assert result.previous == extraction_2023.report["source_file"]
    assert conn.row_counts() == counts


# --- all or nothing --------------------------------------------------------------------------

def _failing_after(monkeypatch, store, table: str, plant) -> None:
    """Make the backend's insert into `table` store half its rows, then fail as `plant`
    does (given the loader's connection: the open transaction's)."""
    real = store.cls.insert_rows

    def insert(self, name, columns, records):
        records = list(records)
        if name != table:
            return real(self, name, columns, records)
        real(self, name, columns, records[: len(records) // 2])
        plant(getattr(self, "_db", None) or getattr(self, "conn", None))
        raise AssertionError("the planted failure did not fail")

    monkeypatch.setattr(store.cls, "insert_rows", insert)


@pytest.mark.parametrize(("store", "failure"), [
    pytest.param(name, failure, id=f"{name}-{failure.where}")
    for name in BACKENDS for failure in failures(name)], indirect=["store"])
def test_a_failure_half_way_stores_nothing(store, failure, extraction_2023, monkeypatch):
    conn = store.conn
    before = store.dump(conn)
    _failing_after(monkeypatch, store, "events", failure.plant)
    with pytest.raises(failure.error, match=failure.match):
        load(conn, extraction_2023)
    assert not conn.in_transaction
    assert store.dump(conn) == before
    monkeypatch.undo()
    assert load(conn, extraction_2023).status == "loaded"  # the store goes on


def test_a_failed_replace_keeps_the_old_report(store, extraction_2023, changed_2023,
                                               monkeypatch):
    conn = store.conn
    load(conn, extraction_2023)
    before = store.dump(conn)
    for failure in store.failures:
        _failing_after(monkeypatch, store, "budget", failure.plant)
        with pytest.raises(failure.error, match=failure.match):
            load(conn, changed_2023, replace=True)
        assert store.dump(conn) == before, failure.where
        monkeypatch.undo()


def test_ingest_errors_are_rows(store, tmp_path):
    store.conn.record_ingest_error(tmp_path / "broken.pdf", None, "not a PDF")
    (row,) = store.conn.read_table("ingest_errors")
    none = store.parsed(None, False)  # how the store gives back a null
    assert (row["source_file"], row["sha256"], row["reason"]) == ("broken.pdf", none,
                                                                   "not a PDF")
    assert row["at"].endswith("+00:00")


def test_a_file_has_one_ingest_errors_row_its_latest(store, tmp_path):
    """A re-run's failure replaces the same file's earlier row (same name and bytes); a file
    stored at last has none; other files' rows stay."""
    record = store.conn.record_ingest_error
    sha, none = "a" * 64, store.parsed(None, False)

    def rows() -> list[tuple]:
        return sorted((r["source_file"], r["sha256"], r["reason"])
                      for r in store.conn.read_table("ingest_errors"))

    record(tmp_path / "slow.pdf", sha, "took longer than the time limit (1 s)")
    record(tmp_path / "empty.pdf", None, "empty file (0 bytes)")
    record(tmp_path / "empty.pdf", None, "empty file (0 bytes)")
    record(tmp_path / "slow.pdf", "b" * 64, "other bytes, another row")
    record(tmp_path / "slow.pdf", sha, "took longer than the time limit (2 s)")
    assert rows() == [("empty.pdf", none, "empty file (0 bytes)"),
                      ("slow.pdf", sha, "took longer than the time limit (2 s)"),
                      ("slow.pdf", "b" * 64, "other bytes, another row")]
    record(tmp_path / "slow.pdf", sha, None)  # stored at last
    assert rows() == [("empty.pdf", none, "empty file (0 bytes)"),
                      ("slow.pdf", "b" * 64, "other bytes, another row")]


# --- random records --------------------------------------------------------------------------

_number = st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
                    st.floats(allow_nan=False, allow_infinity=False))


def _iku_record(excluded: str) -> st.SearchStrategy[dict]:
    """An iku record of any values its columns take. Texts hold no lone surrogate (no
    UTF-8 for it: neither store can take one) nor `excluded` characters (which a store
    refuses with a reason: test_store_pg.py)."""
    chars = st.characters(exclude_categories=("Cs",), exclude_characters=excluded)
    text = st.one_of(st.none(), st.text(chars, max_size=30))
    fields = {}
    for col in contract.COLUMNS["iku"]:
        if col == "report_id":
            continue
        if col in ("target", "realisasi", "capaian_pct"):
            fields[col] = _number
        elif col in ("table_part", "row", "page"):
            fields[col] = st.integers(min_value=0, max_value=10_000)
        elif col == "has_realisasi_column":
            fields[col] = st.booleans()
        elif col == "table_id":
            fields[col] = st.text(chars, min_size=1, max_size=8)
        else:
            fields[col] = text
    return st.fixed_dictionaries(fields)


@pytest.fixture(scope="module", params=BACKENDS)
def examples_store(request, tmp_path_factory):
    """A backend for many hypothesis examples (a function-scoped fixture would be shared
    by them without being made again)."""
    with backend(request.param, request, tmp_path_factory.mktemp("examples")) as made:
        yield made


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_iku_records_round_trip(examples_store, data):
    store = examples_store
    records = data.draw(st.lists(_iku_record(store.text_excludes), max_size=8), "records")
    with store.scratch() as conn:
        result = load(conn, fake_extraction(records), replace=True)
        assert result.rows["iku"] == len(records)
        cols = contract.COLUMNS["iku"]
        got = [[row[c] for c in cols] for row in conn.read_table("iku", "r-1")]
        want = store.expected("iku", cols, [{**r, "report_id": "r-1"} for r in records])
        assert typed(got) == typed(want)
