"""The SQLite store: one transaction per report, a report stored once, replaced only on request.

The schema is lkj/schemas/store.sql (tables, keys, views, the schema version). `SqliteStore`
is the store's backend (lkj.load.store.Backend; the decisions are lkj.load.store.load's):
everything of one report is written inside one BEGIN IMMEDIATE ... COMMIT, any failure rolls
back, and the store is exactly as it was before. `connect` opens the file itself (WAL, busy
timeout, read-only opens, schema versions and upgrades), for the backend and for lkj serve.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from lkj.load.store import (
    UPGRADABLE_FROM,
    Backend,
    StoredReport,
    StoreError,
    check_columns,
    check_location,
    older_store,
    schema_text,
    sql_value,
    sqlite_tables,
    store_columns,
    upgrade_statements,
    utc_now,
)
from lkj.schemas import registry

__all__ = ["SqliteStore", "connect", "schema_sql", "schema_version"]


def schema_sql() -> str:
    return schema_text("store.sql")


@cache
def schema_version() -> int:
    """The version store.sql sets (its `PRAGMA user_version = N`)."""
    found = re.search(r"PRAGMA\s+user_version\s*=\s*(\d+)", schema_sql(), re.IGNORECASE)
    if not found:
        raise RuntimeError("store.sql sets no PRAGMA user_version")
    return int(found.group(1))


#: How long a writer waits for another process's transaction on the same store.
BUSY_TIMEOUT_MS = 120_000


def _wal(conn: sqlite3.Connection) -> None:
    """Switch to the WAL journal. Changing the journal mode does not wait for another
    connection's lock the way statements do (busy_timeout), so wait here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def connect(path: Path | str, create: bool = True, readonly: bool = False
            ) -> sqlite3.Connection:
    """Open (or create) an lkj store file: WAL journal, foreign keys on, schema version
    and columns checked.

    The connection is in autocommit mode; the backend opens its own transactions.
    `readonly` (lkj compare, lkj serve) creates nothing, changes nothing and reads a store
    on read-only media (`_reader`); an older store is read as it is (`_read_older`), not
    upgraded.
    """
    check_location(path)
    path = Path(path)
    if (readonly or not create) and not path.exists():
        raise StoreError(f"{path}: no such store")
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    try:
        if create and not readonly:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = _reader(path) if readonly else _connect(path)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{path}: {_cannot(exc)}") from exc
    try:
        # another lkj writing to the same store waits its turn instead of failing
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        want = schema_version()
        if version == 0 and not has_tables:
            if not create or readonly:
                raise StoreError(f"{path}: an empty database, not an lkj store")
            _wal(conn)
            try:
                conn.executescript("BEGIN IMMEDIATE;\n" + schema_sql() + "\nCOMMIT;")
            except sqlite3.OperationalError:
                # two lkj runs that found the same new file empty: the other one made it
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if conn.execute("PRAGMA user_version").fetchone()[0] != want:
                    raise
        elif version == 0:
            raise StoreError(f"{path}: not an lkj store (a SQLite database with other tables)")
        elif version < want and readonly:
            _read_older(conn, str(path), version, want)
        elif version < want:
            _upgrade(conn, str(path), version, want)
            _wal(conn)
        elif version > want:
            raise StoreError(f"{path}: written by a newer lkj (store schema {version}; this "
                             f"lkj reads {want}): upgrade lkj")
        elif not readonly:
            _wal(conn)
        if version == want:
            check_columns(str(path), sqlite_tables(conn))
        if readonly:
            conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: {_cannot(exc)}") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _cannot(exc: BaseException) -> str:
    """Why a file cannot be opened as a store, in a message."""
    what = "not a SQLite database" if "not a database" in str(exc) else "cannot be opened"
    return f"{what} ({exc})"


def _connect(path: Path, **query: str) -> sqlite3.Connection:
    """A connection to the file `path`, whatever characters its name holds: through a
    file: URI of its own (query parameters quoted), never the name itself, which SQLite
    reads as a URI where it begins with `file:`. `:memory:` is a database in memory."""
    if str(path) == ":memory:":
        return sqlite3.connect(":memory:", isolation_level=None)
    uri = path.resolve().as_uri() + (f"?{urlencode(query)}" if query else "")
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def _reader(path: Path) -> sqlite3.Connection:
    """A connection that reads `path` and creates no file. Where the file and its folder
    can be written: read-write without creating (mode=rw; query_only once opened), so that
    SQLite removes the -wal and -shm it makes when the last connection closes (mode=ro would
    leave them). Else mode=ro; on read-only media, where a WAL store's -shm cannot be made,
    immutable=1, safe only while no -wal file holds changes not yet in the file."""
    if all(os.access(p, os.W_OK) for p in (path, path.parent)):
        return _opened(path, mode="rw")
    try:
        return _opened(path, mode="ro")
    except sqlite3.OperationalError as exc:
        wal = path.with_name(path.name + "-wal")
        if "unable to open" not in str(exc):
            raise
        if wal.exists() and wal.stat().st_size:
            raise StoreError(f"{path}: cannot be read here: its -wal file holds changes and "
                             "no -shm file can be made beside it (copy the store, its -wal "
                             "too, to a writable folder)") from exc
    return _opened(path, mode="ro", immutable="1")


def _opened(path: Path, **query: str) -> sqlite3.Connection:
    """A connection that has read the file (SQLite opens it at the first read)."""
    conn = _connect(path, **query)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _read_older(conn: sqlite3.Connection, shown: str, version: int, want: int) -> None:
    """An older store read as it is, unchanged, where the newer schema only added tables
    (`upgrade_statements`): the tables it lacks and this lkj's views made TEMP, this
    connection's own, found before the store's. Else refused."""
    have = sqlite_tables(conn)
    statements = upgrade_statements(schema_sql(), have) if version >= UPGRADABLE_FROM else None
    if statements is None:
        raise older_store(shown, version, want)
    for statement in statements:
        if statement.startswith(("CREATE TABLE", "CREATE VIEW")):
            conn.execute(statement.replace("CREATE", "CREATE TEMP", 1))


def _upgrade(conn: sqlite3.Connection, shown: str, version: int, want: int) -> None:
    """Bring a store of an older schema to this one in one transaction, where the newer
    schema only adds tables and ADDED_COLUMNS (`upgrade_statements`); else refuse,
    changing nothing."""
    if version < UPGRADABLE_FROM:
        raise older_store(shown, version, want)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != want:  # else another lkj has just upgraded it
            statements = upgrade_statements(schema_sql(), sqlite_tables(conn))
            if statements is None:
                raise older_store(shown, version, want)
            for statement in statements:
                conn.execute(statement)
            if sqlite_tables(conn) != store_columns():
                raise older_store(shown, version, want)
            conn.execute(f"PRAGMA user_version = {int(want)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class SqliteStore(Backend):
    """A SQLite store file (`connect`): each primitive one statement or two, a report's
    in one BEGIN IMMEDIATE ... COMMIT."""

    def __init__(self, conn: sqlite3.Connection, shown: str) -> None:
        self.conn, self.shown = conn, shown

    @classmethod
    def open(cls, path: Path | str, create: bool = True, readonly: bool = False
             ) -> SqliteStore:
        return cls(connect(path, create, readonly), str(path))

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    @contextmanager
    def transaction(self, report_id: str | None = None, sha256: str | None = None
                    ) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT (another writer waits: the busy timeout)."""
        if self.conn.in_transaction:
            raise StoreError("a store transaction needs a connection outside a transaction")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def find_by_sha256(self, sha256: str) -> str | None:
        row = self.conn.execute("SELECT report_id FROM reports WHERE sha256 = ?",
                                (sha256,)).fetchone()
        return row[0] if row else None

    def find_report(self, report_id: str) -> StoredReport | None:
        row = self.conn.execute("SELECT report_id, source_file, sha256, loaded_at FROM reports "
                                "WHERE report_id = ?", (report_id,)).fetchone()
        return StoredReport(*row) if row else None

    def delete_report(self, report_id: str) -> None:
        """Its rows go with it (ON DELETE CASCADE)."""
        self.conn.execute("DELETE FROM reports WHERE report_id = ?", (report_id,))

    def insert_rows(self, table: str, columns: Sequence[str],
                    records: Iterable[Mapping[str, Any]]) -> int:
        return _insert_rows(self.conn, table, columns, records)

    def sync_indicators(self) -> None:
        self.conn.execute("DELETE FROM indicators")
        self.conn.executemany(
            "INSERT INTO indicators (indicator_id, name, polarity) VALUES (?, ?, ?)",
            [(i.indicator_id, i.name, i.polarity) for i in registry.INDICATORS])

    def record_ingest_error(self, path: Path | str, sha256: str | None,
                            reason: str | None) -> None:
        """In the open transaction, if any, else in one of its own."""
        with_tx = not self.conn.in_transaction
        if with_tx:
            self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM ingest_errors WHERE source_file = ? AND sha256 IS ?",
                              (Path(path).name, sha256))
            if reason is not None:
                self.conn.execute(
                    "INSERT INTO ingest_errors (source_file, sha256, reason, at) "
                    "VALUES (?, ?, ?, ?)", (Path(path).name, sha256, reason, utc_now()))
            if with_tx:
                self.conn.execute("COMMIT")
        except BaseException:
            if with_tx and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def read_table(self, table: str, report_id: str | None = None) -> list[dict[str, Any]]:
        where, args = ("WHERE report_id = ?", (report_id,)) if report_id else ("", ())
        cur = self.conn.execute(f'SELECT * FROM "{table}" {where} ORDER BY rowid', args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def row_counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in store_columns()}

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, dict(params or {})).fetchall()

    def close(self) -> None:
        self.conn.close()

    def __repr__(self) -> str:
        return f"<SqliteStore {self.shown}>"


def _insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                 records: Iterable[Mapping[str, Any]]) -> int:
    """INSERT the records into one table; returns how many."""
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    rows = [tuple(sql_value(rec.get(c)) for c in columns) for rec in records]
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    return len(rows)
