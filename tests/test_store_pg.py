"""The PostgreSQL store (--db postgresql://...): what only it has (exact NUMERIC in SQL, text
that cannot hold NUL, a server that refuses, advisory locks), its schema file against
SQLite's, the same rows and messages as SQLite, two loaders at once storing a report once, the
CLI. What every store must do, on both, is tests/test_store_shared.py.

The server is LKJ_TEST_PG_URL (scripts/pg-test-server starts one; .ci/run does in CI). Each
test gets a schema of its own (search_path in the URL), dropped afterwards. The test that the
two schema files agree needs no server.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import FAST, ROOT
from stores import BOOLEANS, VIEWS, fake_extraction, fresh_schema
from stores import pg_dump as dump

from lkj.archive.ingest import Stores, run_checks_many, store_one
from lkj.load import opened as lkj_store
from lkj.load import postgres as pg
from lkj.load import sqlite as sqlstore
from lkj.load.store import is_postgres_url, load, missing_columns, store_columns
from lkj.schemas import registry

#: Slow (a PostgreSQL server and lkj run into it): left out of `make check`;
#: `make test` and CI run it.
pytestmark = pytest.mark.slow

LKJ = Path(sys.executable).parent / "lkj"
#: Columns that differ between two loads of the same file by nature.
WHEN = {"reports": ("loaded_at",), "ingest_errors": ("at",)}


# --- the two schema files (no server needed) -------------------------------------------------

def _split_top(body: str) -> list[str]:
    """The items of a CREATE TABLE body: split at commas outside parentheses."""
    items, depth, cur = [], 0, []
    for ch in body:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return [" ".join(i.split()) for i in items if i.strip()]


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip().strip('"') for n in text.split(","))


def parse_ddl(sql: str) -> dict[str, Any]:
    """What a DDL file declares: each table's columns (name, type, check), primary key,
    NOT NULL and UNIQUE columns and foreign keys; the indexes; the views."""
    sql = re.sub(r"--[^\n]*", "", sql)
    tables = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\)\s*(?:STRICT)?;", sql, re.S):
        table = {"columns": [], "pk": (), "not_null": set(), "unique": set(), "fk": {}}
        for item in _split_top(body):
            if item.upper().startswith("PRIMARY KEY"):
                table["pk"] = _names(re.search(r"\((.*)\)", item).group(1))
                continue
            col, rest = item.split(" ", 1)
            col, rest = col.strip('"'), rest.upper()
            check = ("boolean" if re.search(r"IN \(0, 1\)", rest)
                     else "number" if "TYPEOF(" in rest else None)
            table["columns"].append((col, rest.split()[0], check))
            if "PRIMARY KEY" in rest:
                table["pk"] = (col,)
            if "NOT NULL" in rest:
                table["not_null"].add(col)
            if "UNIQUE" in rest:
                table["unique"].add(col)
            ref = re.search(r"REFERENCES (\w+)", rest)
            if ref:
                table["fk"][col] = (ref.group(1).lower(), "ON DELETE CASCADE" in rest)
        tables[name] = table
    indexes = {name: (table, _names(cols)) for name, table, cols in
               re.findall(r"CREATE INDEX (\w+) ON (\w+) \(([^)]*)\)", sql)}
    return {"tables": tables, "indexes": indexes,
            "views": re.findall(r"CREATE VIEW (\w+) AS", sql)}


def pg_types_for(sqlite_type: str, check: str | None) -> set[str]:
    """The PostgreSQL types a SQLite column may have in store_pg.sql."""
    if sqlite_type == "INTEGER":
        return {"BOOLEAN"} if check == "boolean" else {"BIGINT"}
    if sqlite_type == "ANY":  # a number; with no check, a number or a text (findings)
        return {"NUMERIC"} if check == "number" else {"NUMERIC", "JSONB"}
    return {sqlite_type}


def test_both_schema_files_declare_the_same_store():
    lite, post = parse_ddl(sqlstore.schema_sql()), parse_ddl(pg.schema_sql())
    # the parser reads store.sql as SQLite itself does
    assert {t: tuple(c[0] for c in v["columns"]) for t, v in lite["tables"].items()} \
        == store_columns()
    assert set(post["tables"]) == set(lite["tables"]) | {"lkj_meta"}
    for name, want in lite["tables"].items():
        got = post["tables"][name]
        columns = [c for c in got["columns"] if c[0] != "rowid"]
        assert [c[0] for c in columns] == [c[0] for c in want["columns"]], name
        for (col, ltype, check), (_, ptype, _) in zip(want["columns"], columns, strict=True):
            assert ptype in pg_types_for(ltype, check), f"{name}.{col}: {ltype} -> {ptype}"
        for key in ("pk", "not_null", "unique", "fk"):
            assert got[key] == want[key], f"{name}: {key}"
        if name != "ingest_errors":  # SQLite's implicit rowid, made explicit and last
            assert got["columns"][-1][:2] == ("rowid", "BIGINT"), name
    assert post["indexes"] == lite["indexes"]
    assert post["views"] == lite["views"] and set(VIEWS) <= set(lite["views"])
    assert pg.schema_version() == sqlstore.schema_version()


def test_both_schema_files_hold_the_contract():
    """The one check of a store's columns (lkj.load.store.missing_columns, also run when a
    store is opened) passes on both schema files, and names a column either lacks."""
    for ddl in (parse_ddl(sqlstore.schema_sql()), parse_ddl(pg.schema_sql())):
        have = {t: [c[0] for c in v["columns"]] for t, v in ddl["tables"].items()}
        assert missing_columns(have) == []
        have["iku"].remove("realisasi")  # a contract column
        have["reports"].remove("loaded_at")  # a column of the store only
        assert missing_columns(have) == ["reports.loaded_at", "iku.realisasi"]


def test_a_url_through_click_path_is_repaired():
    url = "postgresql://lkj:secret@127.0.0.1:5432/lkj_test?options=-csearch_path%3Dx"
    assert pg.postgres_url(Path(url)) == url  # Path turns // into /
    assert pg.postgres_url(url) == url
    assert pg.postgres_url(Path("postgresql:///lkj?host=/run/pg")) == \
        "postgresql:///lkj?host=/run/pg"
    assert is_postgres_url(Path(url)) and is_postgres_url("postgres://h/d")
    assert not is_postgres_url("out/lkj.sqlite")
    assert "secret" not in pg.shown_url(url)
    assert isinstance(lkj_store.open_store(":memory:"), sqlstore.SqliteStore)


# --- server fixtures -------------------------------------------------------------------------

@pytest.fixture()
def url(pg_url):
    with fresh_schema(pg_url) as u:
        yield u


@pytest.fixture()
def conn(url):
    c = pg.PgStore.open(url)
    yield c
    c.close()


# --- opening ---------------------------------------------------------------------------------

def test_reading_an_empty_database_does_not_make_it_a_store(url):
    with pytest.raises(pg.StoreError, match="an empty database, not an lkj store"):
        lkj_store.open_store(url, create=False)  # the entry point lkj compare uses
    conn = pg.PgStore.open(url)
    assert conn.row_counts()["reports"] == 0  # and it was still empty
    conn.close()


def test_a_server_that_refuses_is_a_clean_error(pg_url):
    wrong = sa.make_url(pg_url).set(password="not-the-password")
    with pytest.raises(pg.StoreError, match=r"cannot be opened \(.*password") as err:
        pg.PgStore.open(wrong.render_as_string(hide_password=False))
    assert "not-the-password" not in str(err.value) and "***" in str(err.value)
    closed = sa.make_url(pg_url).set(port=1)
    with pytest.raises(pg.StoreError, match="cannot be opened"):
        pg.PgStore.open(closed.render_as_string(hide_password=False))


def test_two_openers_create_the_store_once(url):
    results, errors = run_together([lambda: pg.PgStore.open(url)] * 3)
    assert not errors
    for c in results:
        c.close()


def test_an_opener_that_looked_before_another_created_the_store_finds_it_made(url, monkeypatch):
    """The interleaving a loaded machine once made: the second opener finds no lkj_meta, the
    first then creates the store and commits, and only then does the second go on."""
    real, first_done, looked = pg._stored_version, threading.Event(), threading.Event()

    def stored_version(db, shown):
        version = real(db, shown)
        if threading.current_thread().name == "second" and not looked.is_set():
            looked.set()
            assert first_done.wait(30)  # the first's store stands, committed
        return version

    monkeypatch.setattr(pg, "_stored_version", stored_version)
    got: dict[str, Any] = {}

    def second():
        try:
            got["conn"] = pg.PgStore.open(url)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            got["error"] = exc

    thread = threading.Thread(target=second, name="second")
    thread.start()
    assert looked.wait(30)
    pg.PgStore.open(url).close()
    first_done.set()
    thread.join(60)
    assert "error" not in got, got.get("error")
    assert got["conn"].row_counts()["reports"] == 0
    got["conn"].close()


# --- values and loads ------------------------------------------------------------------------

def test_numbers_are_exact_in_sql(conn, extraction_2023):
    load(conn, extraction_2023)
    columns = ("target", "realisasi", "capaian_pct")
    got = conn.query("SELECT target::text, realisasi::text, capaian_pct::text "
                     "FROM iku ORDER BY rowid")
    records = extraction_2023.columned()["iku"][1]
    want = [tuple(None if r[c] is None else repr(r[c]) for c in columns) for r in records]
    assert got == want
    texts = {t for row in got for t in row}
    assert {"16000", "88.73"} <= texts  # as printed "16.000" and "88.73"
    pagu = [r["pagu"] for r in extraction_2023.columned()["budget"][1] if r["pagu"]]
    assert conn.query("SELECT SUM(pagu)::text FROM budget") == [(str(sum(pagu)),)]


def test_messages_are_those_of_sqlite(conn, tmp_path, extraction_2023, changed_2023):
    lite = sqlstore.SqliteStore.open(tmp_path / "lkj.sqlite")
    try:
        for extraction, replace in ((extraction_2023, False), (extraction_2023, False),
                                    (changed_2023, False), (changed_2023, True)):
            a = load(lite, extraction, replace=replace)
            b = load(conn, extraction, replace=replace)
            # loaded_at differs by the seconds between the two loads
            strip = re.compile(r"loaded [0-9T:+-]+\)")
            assert (b.status, b.report_id, strip.sub("", b.message), b.rows, b.previous) == \
                (a.status, a.report_id, strip.sub("", a.message), a.rows, a.previous)
    finally:
        lite.close()


def test_text_postgresql_cannot_hold_is_refused_with_a_reason(conn):
    before = dump(conn)
    bad = fake_extraction([{"table_id": "1", "table_part": 1, "row": 1, "indicator": "a\x00b"}])
    with pytest.raises(pg.ValueRejected, match=r"iku\.indicator \(row 1\).*NUL"):
        load(conn, bad)
    assert dump(conn) == before


def test_the_batch_stores_through_the_same_stores(url, sample_2023, extraction_2023):
    """lkj.archive.ingest.Stores picks this backend for a URL: a refused report is an
    outcome and an ingest_errors row, a stored one is found again by its hash."""
    with Stores(url) as stores:
        assert isinstance(stores.sql, pg.PgStore)
        bad = fake_extraction([{"table_id": "1", "table_part": 1, "indicator": "\x00"}])
        outcome = store_one(stores, Path("bad.pdf"), None, bad, None, False)
        assert outcome.status == "failed" and "ValueRejected" in outcome.message
        outcome = store_one(stores, sample_2023, extraction_2023.report["sha256"],
                            extraction_2023, None, False)
        assert outcome.status == "loaded"
        rid = stores.stored_report(extraction_2023.report["sha256"])
        assert rid == extraction_2023.report["report_id"]
        again = stores.summary(sample_2023, rid)
        assert (again.tables, again.rows) == (outcome.tables, outcome.rows)
        (error,) = stores.sql.read_table("ingest_errors")
        assert error["source_file"] == "bad.pdf" and "NUL" in error["reason"]


# --- two loaders at once ---------------------------------------------------------------------

def run_together(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run the calls in threads released at the same moment; their results and errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def go(call):
        barrier.wait()
        try:
            results.append(call())
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def _slow_reports(monkeypatch, seconds: float) -> None:
    """Hold each loader's transaction open after it inserts its report row."""
    real = pg._insert_rows

    def insert(db, table, columns, records):
        n = real(db, table, columns, records)
        if table == "reports":
            time.sleep(seconds)
        return n

    monkeypatch.setattr(pg, "_insert_rows", insert)


def test_two_loaders_at_once_store_a_report_once(url, extraction_2023, monkeypatch):
    conns = [pg.PgStore.open(url) for _ in range(2)]
    _slow_reports(monkeypatch, 0.5)
    results, errors = run_together(
        [lambda c=c: load(c, extraction_2023) for c in conns])
    assert not errors
    assert sorted(r.status for r in results) == ["loaded", "unchanged"]
    (loaded,) = [r for r in results if r.status == "loaded"]
    counts = conns[0].row_counts()
    assert all(counts[t] == n for t, n in loaded.rows.items())
    for c in conns:
        c.close()


def test_without_the_lock_the_race_is_real(url, extraction_2023, monkeypatch):
    """The test above would catch a loader that does not lock: both find no report."""
    conns = [pg.PgStore.open(url) for _ in range(2)]
    _slow_reports(monkeypatch, 1.0)
    monkeypatch.setattr(pg, "_lock", lambda db, *keys: None)
    results, errors = run_together(
        [lambda c=c: load(c, extraction_2023) for c in conns])
    assert [r.status for r in results] == ["loaded"]
    assert [type(e) for e in errors] == [pg.ValueRejected]
    assert "duplicate key" in str(errors[0])
    for c in conns:
        c.close()


def test_loaders_of_different_reports_both_store(url, monkeypatch):
    conns = [pg.PgStore.open(url) for _ in range(2)]
    _slow_reports(monkeypatch, 0.3)
    row = {"table_id": "1", "table_part": 1, "row": 1, "indicator": "Nilai IKPA",
           "target": 92, "realisasi": 95.71}
    reports = [fake_extraction([row], f"r-{n}", str(n) * 64) for n in (1, 2)]
    results, errors = run_together(
        [lambda c=c, r=r: load(c, r) for c, r in zip(conns, reports, strict=True)])
    assert not errors and [r.status for r in results] == ["loaded", "loaded"]
    counts = conns[0].row_counts()
    assert (counts["reports"], counts["iku"]) == (2, 2)
    assert counts["indicators"] == len(registry.INDICATORS)
    for c in conns:
        c.close()


# --- the same rows as SQLite -----------------------------------------------------------------

def cell(value: Any, boolean: bool = False) -> str:
    """A value as text, alike from both stores: booleans (0/1 in SQLite) true/false."""
    if value is None:
        return ""
    if boolean or isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def table_text(table: str, rows: list[dict[str, Any]]) -> bytes:
    """A store table as CSV bytes, normalised; load times blanked."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if c in WHEN.get(table, ()) else cell(v, c in BOOLEANS.get(table, ()))
                         for c, v in row.items()])
    return out.getvalue().encode("utf-8")


def view_text(conn: Any, view: str) -> tuple[list[str], bytes]:
    """A view's column names and its rows as sorted CSV lines (a view has no order)."""
    sql = f"SELECT * FROM {view}"
    if isinstance(conn, sqlstore.SqliteStore):
        cur = conn.conn.execute(sql)
        names, got = [d[0] for d in cur.description], cur.fetchall()
    else:
        with conn.engine.connect() as db:
            result = db.execute(sa.text(sql))
            names, got = list(result.keys()), [[pg.py_value(v) for v in r] for r in result]
    rows = sorted(",".join(cell(v) for v in row) for row in got)
    return names, "\n".join(rows).encode("utf-8")


def assert_same_stores(lite: Any, post: pg.PgStore) -> None:
    for table in store_columns():
        a, b = lite.read_table(table), post.read_table(table)
        assert len(a) == len(b), table
        assert table_text(table, a) == table_text(table, b), table
    for view in VIEWS:
        assert view_text(lite, view) == view_text(post, view), view


def test_sqlite_and_postgresql_give_the_same_rows(conn, tmp_path, extraction_2023):
    findings = run_checks_many([extraction_2023])
    assert findings
    lite = sqlstore.SqliteStore.open(tmp_path / "lkj.sqlite")
    try:
        load(lite, extraction_2023, findings)
        load(conn, extraction_2023, findings)
        assert_same_stores(lite, conn)
    finally:
        lite.close()


# --- the CLI ---------------------------------------------------------------------------------

def lkj(*args: object) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "100"}
    return subprocess.run([str(LKJ), *map(str, args)], capture_output=True, text=True,
                          timeout=600, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def runs(pg_url, tmp_path_factory):
    """`lkj run samples` into PostgreSQL and into SQLite."""
    with fresh_schema(pg_url) as url:
        db = tmp_path_factory.mktemp("run") / "lkj.sqlite"
        yield (url, lkj("run", "samples", "--db", url, "--silent", *FAST),
               db, lkj("run", "samples", "--db", db, "--silent", *FAST))


def test_run_samples_into_postgresql(runs):
    url, proc, db, lite_proc = runs
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.strip().splitlines()
    assert lines[:-1] == lite_proc.stdout.strip().splitlines()[:-1]  # the same summary
    assert {ln.split()[-1] for ln in lines[2:-1]} == {"loaded"}
    lite, post = sqlstore.SqliteStore.open(db, create=False), pg.PgStore.open(url, create=False)
    try:
        assert post.row_counts()["reports"] == len(lines) - 3
        assert post.row_counts()["findings"] > 0
        assert_same_stores(lite, post)
    finally:
        lite.close()
        post.close()


def test_run_again_changes_nothing(runs):
    url = runs[0]
    conn = pg.PgStore.open(url, create=False)
    before = dump(conn)
    proc = lkj("run", "samples", "--db", url, "--silent", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert {ln.split()[-1] for ln in proc.stdout.strip().splitlines()[2:-1]} == {"unchanged"}
    assert dump(conn) == before
    conn.close()


def test_compare_reads_postgresql(runs, tmp_path):
    url, _, db, _ = runs
    post = lkj("compare", "--db", url, "--csv", tmp_path / "pg.csv")
    lite = lkj("compare", "--db", db, "--csv", tmp_path / "lite.csv")
    assert post.returncode == 0, post.stderr
    assert post.stdout == lite.stdout and post.stdout.count("\n") > 4
    assert (tmp_path / "pg.csv").read_bytes() == (tmp_path / "lite.csv").read_bytes()


def test_an_unusable_server_is_one_error_line(pg_url, tmp_path):
    wrong = sa.make_url(pg_url).set(password="not-the-password")
    proc = lkj("compare", "--db", wrong.render_as_string(hide_password=False))
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: postgresql://") and proc.stderr.count("\n") == 1
    assert "password authentication failed" in proc.stderr
    assert "not-the-password" not in proc.stderr and "Traceback" not in proc.stderr
