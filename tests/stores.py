"""The two stores behind one face, for the tests both must pass (tests/test_store_shared.py):
a SQLite file or a PostgreSQL schema of its own, the module that opens and loads it, and the
few things that differ by nature (how a row reads back, how the store is dumped, what a
failure raises). Also what the store tests share: a changed copy of a sample, fake
extractions, a fresh PostgreSQL schema.

The `store` fixture (conftest.py) yields a Backend for "sqlite" and for "postgresql"; the
PostgreSQL one asks for `pg_url`, which skips without a server (and fails in CI). Its `conn`
is an open lkj store backend (lkj.load.store.Backend: SqliteStore, PgStore); raw SQL of the
tests goes through the backend's own `query` (`:name` marks).
"""

from __future__ import annotations

import itertools
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from lkj.load import sqlite as sqlstore
from lkj.load.store import sql_value, store_columns, store_table
from lkj.schemas import contract

#: The database backends: the shared tests of schemas, SQL and views run on these.
SQL_BACKENDS = ("sqlite", "postgresql")
#: Every backend: the shared tests of the decisions (once, conflict, replace, all or nothing,
#: ingest errors, round trips) run on each (the `store` fixture's params).
BACKENDS = (*SQL_BACKENDS, "csv")
#: The views both schema files declare.
VIEWS = ("v_iku_by_year", "v_iku_compare", "v_budget_by_year", "v_findings")
#: Boolean columns of each store table.
BOOLEANS = {store_table(t): cols for t, cols in contract.BOOLEAN.items()}

#: A same-length edit of the PDF's /Producer: other bytes (another sha256), same report.
PRODUCER, PRODUCER_EDITED = b"ReportLab PDF Library", b"ReportLab PDF Librarz"


def changed_copy(src: Path, dst: Path) -> Path:
    """A copy of a sample PDF that differs in one byte of its metadata and still parses."""
    data = src.read_bytes()
    assert data.count(PRODUCER) == 1
    dst.write_bytes(data.replace(PRODUCER, PRODUCER_EDITED))
    return dst


def typed(rows: list[list]) -> list[list]:
    """Each cell with its type: 16000 and 16000.0 are not the same cell."""
    return [[(type(v).__name__, v) for v in row] for row in rows]


def fake_extraction(records: list[dict], rid: str = "r-1", sha: str = "0" * 64
                    ) -> SimpleNamespace:
    """An extraction of one report with these iku records and nothing else."""
    report = {"report_id": rid, "sha256": sha, "source_file": f"{rid}.pdf", "year": 2023}
    recs = [{**r, "report_id": rid} for r in records]
    cols = {"report": contract.COLUMNS["report"], "iku": contract.COLUMNS["iku"]}
    return SimpleNamespace(report=report, columned=lambda: {
        "report": (cols["report"], [report]), "iku": (cols["iku"], recs)})


@contextmanager
def fresh_schema(pg_url: str) -> Iterator[str]:
    """The URL of a new, empty schema in the test database (dropped afterwards)."""
    import sqlalchemy as sa

    from lkj.load import postgres as pg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg.engine_url(pg_url))
    with admin.begin() as db:
        db.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    url = sa.make_url(pg_url).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as db:
            db.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


def pg_dump(conn: Any) -> dict[str, list[tuple]]:
    """Every row of every table of a PostgreSQL store (a PgStore), rowid included, in
    stored order: all the store holds."""
    from lkj.load import postgres as pg

    out = {}
    for table in [*store_columns(), "lkj_meta"]:
        order = "key" if table == "lkj_meta" else pg.ORDER_BY.get(table, "rowid")
        out[table] = conn.query(f'SELECT * FROM "{table}" ORDER BY "{order}"')
    return out


def pg_run(url: str, sql: str, params: tuple = ()) -> None:
    """One statement on a PostgreSQL store's schema, outside lkj."""
    import sqlalchemy as sa

    from lkj.load import postgres as pg

    engine = sa.create_engine(pg.engine_url(url))
    with engine.begin() as db:
        db.exec_driver_sql(sql, params)
    engine.dispose()


def sqlite_run(path: Path, sql: str) -> None:
    """One statement on a SQLite file, outside lkj."""
    raw = sqlite3.connect(path)
    raw.execute(sql)
    raw.close()


# --- failures planted in the middle of a load ------------------------------------------------

def _disk_error(db: Any) -> None:
    raise sqlite3.OperationalError("disk I/O error (planted)")


def _python_error(db: Any) -> None:
    raise RuntimeError("planted")


def _divide_by_zero(db: Any) -> None:
    db.exec_driver_sql("SELECT 1 / 0")


@dataclass(frozen=True)
class Failure:
    """A failure planted after an insert has stored half its rows: in Python, or in the
    server (which aborts the transaction); what the loader then raises."""

    where: str
    plant: Callable[[Any], None]  # given the loader's connection
    error: type[BaseException]
    match: str


def failures(name: str) -> tuple[Failure, ...]:
    """The failures a backend is tried with, the one nearest to a real one first."""
    if name == "sqlite":
        return (Failure("python", _disk_error, sqlite3.OperationalError, "planted"),)
    if name == "csv":
        return (Failure("python", _python_error, RuntimeError, "planted"),)
    from lkj.load import postgres as pg

    return (Failure("server", _divide_by_zero, pg.ValueRejected, "division by zero"),
            Failure("python", _python_error, RuntimeError, "planted"))


# --- the backends ----------------------------------------------------------------------------

class Backend:
    """One store backend for a test: `cls` (lkj's SqliteStore or PgStore) and `module`
    (its module: the schema version), `conn` (an open store, made on first use),
    `new_location()` (a fresh, empty place for another store), and what differs between
    the two by nature."""

    name: str
    module: ModuleType
    cls: type
    #: Characters the store's text cannot hold (refused with a reason, not stored).
    text_excludes: str = ""

    def __init__(self) -> None:
        self._stack = ExitStack()

    @cached_property
    def conn(self) -> Any:
        return self.open(self.new_location())

    def new_location(self) -> Any:
        raise NotImplementedError

    def open(self, where: Any) -> Any:
        """An open store at `where`, closed with the backend."""
        conn = self.cls.open(where)
        self._stack.callback(conn.close)
        return conn

    def close(self) -> None:
        self._stack.close()

    @property
    def failures(self) -> tuple[Failure, ...]:
        return failures(self.name)

    def expected(self, table: str, columns: list[str], records: list[dict]) -> list[list]:
        """Records as this store gives them back, cell by cell."""
        booleans = BOOLEANS.get(table, ())
        return [[self.parsed(r.get(c), c in booleans) for c in columns] for r in records]

    def parsed(self, value: Any, boolean: bool) -> Any:
        raise NotImplementedError

    def dump(self, conn: Any) -> Any:
        """All the store holds, to compare before and after."""
        raise NotImplementedError

    @contextmanager
    def scratch(self) -> Iterator[Any]:
        """A store for one example of many (hypothesis): one of its own where that is cheap,
        else this backend's store, which each example replaces its report in."""
        yield self.conn

    # what the tests change or read outside lkj
    def set_version(self, where: Any, version: int) -> None:
        raise NotImplementedError

    def foreign(self) -> tuple[tuple[Callable[[Any], None], str], ...]:
        """Ways to make a location something else than a store, and the refusal's words."""
        raise NotImplementedError

    def stored_version(self, conn: Any) -> str:
        raise NotImplementedError

    def views(self, conn: Any) -> set[str]:
        raise NotImplementedError

    def on_delete(self, conn: Any) -> dict[str, str]:
        """Each table with a foreign key: what deleting the row it points to does."""
        raise NotImplementedError

    def own_settings(self, conn: Any) -> dict[str, Any]:
        """The settings only this backend has."""
        raise NotImplementedError


class SqliteBackend(Backend):
    name = "sqlite"
    module = sqlstore
    cls = sqlstore.SqliteStore

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self._n = itertools.count(1)

    def new_location(self) -> Path:
        return self.folder / f"lkj-{next(self._n)}.sqlite"

    def parsed(self, value: Any, boolean: bool) -> Any:
        return sql_value(value)  # booleans as 0/1, everything else as parsed

    def dump(self, conn: Any) -> list[str]:
        return list(conn.conn.iterdump())

    @contextmanager
    def scratch(self) -> Iterator[Any]:
        conn = self.cls.open(":memory:")
        try:
            yield conn
        finally:
            conn.close()

    def set_version(self, where: Path, version: int) -> None:
        sqlite_run(where, f"PRAGMA user_version = {version}")

    def foreign(self) -> tuple[tuple[Callable[[Path], None], str], ...]:
        return ((lambda path: sqlite_run(path, "CREATE TABLE t (x)"), "not an lkj store"),
                (lambda path: path.write_text("hello, not a database\n" * 100),
                 "not a SQLite database"))

    def stored_version(self, conn: Any) -> str:
        return str(conn.query("PRAGMA user_version")[0][0])

    def views(self, conn: Any) -> set[str]:
        return {r[0] for r in conn.query("SELECT name FROM sqlite_master WHERE type = 'view'")}

    def on_delete(self, conn: Any) -> dict[str, str]:
        return {t: fk[6] for t in store_columns()
                for fk in conn.query(f'PRAGMA foreign_key_list("{t}")')}

    def own_settings(self, conn: Any) -> dict[str, Any]:
        return {"foreign_keys": conn.query("PRAGMA foreign_keys")[0][0],
                "journal_mode": conn.query("PRAGMA journal_mode")[0][0]}


#: pg_constraint.confdeltype in words.
PG_ON_DELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
                "d": "SET DEFAULT"}


class PostgresBackend(Backend):
    name = "postgresql"
    text_excludes = "\x00"  # PostgreSQL text holds no NUL

    def __init__(self, pg_url: str) -> None:
        from lkj.load import postgres as pg

        super().__init__()
        self.module, self.cls = pg, pg.PgStore
        self.pg_url = pg_url

    def new_location(self) -> str:
        return self._stack.enter_context(fresh_schema(self.pg_url))

    def parsed(self, value: Any, boolean: bool) -> Any:
        value = sql_value(value)  # SQLite's value, a boolean a bool
        return bool(value) if boolean and value is not None else value

    def dump(self, conn: Any) -> dict[str, list[tuple]]:
        return pg_dump(conn)

    def set_version(self, where: str, version: int) -> None:
        pg_run(where, "UPDATE lkj_meta SET value = %s WHERE key = 'schema_version'",
               (str(version),))

    def foreign(self) -> tuple[tuple[Callable[[str], None], str], ...]:
        return ((lambda url: pg_run(url, "CREATE TABLE t (x integer)"), "not an lkj store"),)

    def stored_version(self, conn: Any) -> str:
        ((version,),) = conn.query("SELECT value FROM lkj_meta WHERE key = 'schema_version'")
        return version

    def views(self, conn: Any) -> set[str]:
        return {r[0] for r in conn.query(
            "SELECT table_name FROM information_schema.views "
            "WHERE table_schema = current_schema()")}

    def on_delete(self, conn: Any) -> dict[str, str]:
        return {t: PG_ON_DELETE[how] for t, how in conn.query(
            "SELECT conrelid::regclass::text, confdeltype FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace")}

    def own_settings(self, conn: Any) -> dict[str, Any]:
        types = dict(conn.query(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = 'iku'"))
        return {"iku.target": types["target"],
                "iku.has_realisasi_column": types["has_realisasi_column"]}


class CsvBackend(Backend):
    """A folder of CSV files: every value comes back as the text the CSV holds."""

    name = "csv"

    def __init__(self, folder: Path) -> None:
        from lkj.load import csvstore

        super().__init__()
        self.module, self.cls = csvstore, csvstore.CsvStore
        self.folder = folder
        self._n = itertools.count(1)

    def new_location(self) -> Path:
        return self.folder / f"csv-{next(self._n)}"

    def parsed(self, value: Any, boolean: bool) -> Any:
        from lkj.load.files import _cell

        return str(_cell(value))

    def dump(self, conn: Any) -> dict[str, bytes]:
        """Every file of the folder and its bytes (a temporary file left would show)."""
        if not conn.folder.exists():
            return {}
        return {p.name: p.read_bytes() for p in sorted(conn.folder.iterdir())}


@contextmanager
def backend(name: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[Backend]:
    """The backend `name` for a fixture: its stores closed (and schemas dropped) after."""
    made = (PostgresBackend(request.getfixturevalue("pg_url")) if name == "postgresql"
            else CsvBackend(folder) if name == "csv" else SqliteBackend(folder))
    try:
        yield made
    finally:
        made.close()
