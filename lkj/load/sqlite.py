"""The SQLite store: one transaction per report, a report stored once, replaced only on request.

The schema is lkj/schemas/store.sql (tables, keys, views, the schema version). A report is
identified twice: by the hash of its file (the same bytes load once: "unchanged") and by its
report_id, agency and year (a different file for a stored report is a "conflict"). Replacing
is asked for, never assumed; it also re-reads a stored file (after upgrading lkj). Everything
of one report is written inside one BEGIN IMMEDIATE ... COMMIT: any failure rolls back, and
the store is exactly as it was before.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from lkj import __version__
from lkj.schemas import registry

#: Contract tables stored under another name (the report of one extraction is a row of reports).
RENAMED = {"report": "reports"}
#: Store tables holding printed indicator names, matched to canonical ids at load time.
INDICATOR_TABLES = ("iku", "quarterly")
STATUSES = ("loaded", "unchanged", "replaced", "conflict")


class StoreError(Exception):
    """A store that cannot be used (another schema version, not an lkj database)."""


@dataclass(frozen=True)
class LoadResult:
    """What happened to one report: loaded, unchanged, replaced or conflict (not stored)."""

    status: str
    report_id: str
    message: str
    rows: dict[str, int] = field(default_factory=dict)
    #: The file of the stored report this one replaced, or conflicts with.
    previous: str | None = None
    #: Tables or columns of the extraction the store has no place for.
    unstored: tuple[str, ...] = ()

    @property
    def stored(self) -> bool:
        return self.status != "conflict"


@cache
def schema_sql() -> str:
    return resources.files("lkj.schemas").joinpath("store.sql").read_text(encoding="utf-8")


@cache
def schema_version() -> int:
    """The version store.sql sets (its `PRAGMA user_version = N`)."""
    found = re.search(r"PRAGMA\s+user_version\s*=\s*(\d+)", schema_sql(), re.IGNORECASE)
    if not found:
        raise RuntimeError("store.sql sets no PRAGMA user_version")
    return int(found.group(1))


@cache
def store_columns() -> dict[str, tuple[str, ...]]:
    """Columns of each store table, in order, read from store.sql itself."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(schema_sql())
        return _table_columns(conn)
    finally:
        conn.close()


#: The oldest store schema a newer lkj upgrades in place. Every version since only added
#: tables, which are created when the store is opened, and the columns of ADDED_COLUMNS,
#: added at the end of their tables; anything else (another column added, one renamed or
#: dropped) needs a new store, and `older_store` says so.
UPGRADABLE_FROM = 2
#: Columns a schema added at the end of a table that already stood (NULL in older rows).
ADDED_COLUMNS = {"reports": ("source_path",)}  # schema 6


def upgrade_statements(script: str, have: Mapping[str, Sequence[str]]) -> list[str] | None:
    """The in-place upgrade of an older store whose tables (`have`: table -> its columns)
    all stand in the store schema `script`, unchanged or but for ADDED_COLUMNS: its views
    dropped, those columns added, the tables it lacks created with their indexes, and the
    views made again, in the script's order (views hold no data). None where a table changed
    otherwise or is gone: no in-place upgrade."""
    want = store_columns()
    if set(have) - set(want):
        return None
    added: dict[str, tuple[str, ...]] = {}
    for t, cols in have.items():
        if tuple(cols) == want[t]:
            continue
        later = ADDED_COLUMNS.get(t, ())
        n = len(want[t]) - len(later)
        if not later or want[t][n:] != later or tuple(cols) != want[t][:n]:
            return None
        added[t] = later
    missing = {t for t in want if t not in have}
    statements = [st.strip() for st in re.sub(r"--[^\n]*", "", script).split(";")]
    views = [m.group(1) for st in statements if (m := re.match(r"CREATE VIEW (\w+)", st))]
    out = [f'DROP VIEW IF EXISTS "{v}"' for v in reversed(views)]
    for table, columns in added.items():
        made = next(st for st in statements if re.match(rf"CREATE TABLE {table}\b", st))
        for column in columns:
            definition = re.search(rf"^\s*({column}\s[^,\n]*)", made, re.M)
            out.append(f'ALTER TABLE "{table}" ADD COLUMN {definition.group(1).strip()}')
    for statement in statements:
        m = re.match(r"CREATE TABLE (\w+)|CREATE INDEX \w+ ON (\w+)|CREATE VIEW", statement)
        if m and (m.group(0) == "CREATE VIEW" or (m.group(1) or m.group(2)) in missing):
            out.append(statement)
    return out


def older_store(shown: str, version: int, want: int) -> StoreError:
    return StoreError(f"{shown}: written by an older lkj (store schema {version}; this lkj "
                      f"uses {want}): load the reports into a new database")


#: URL schemes that name a PostgreSQL store where a database file goes (--db).
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_postgres_url(db: Path | str) -> bool:
    """Whether a --db names a PostgreSQL store (postgresql://..., postgresql+driver://...)."""
    scheme, colon, _ = str(db).partition(":")
    return bool(colon) and scheme.split("+")[0].lower() in POSTGRES_SCHEMES


#: A --db that begins like a URL (`scheme:`), and a Windows drive (`C:\`, a path).
def shown_store(db: Path | str) -> str:
    """A store for messages: a URL with its password hidden."""
    if isinstance(db, str):
        from lkj.load.postgres import shown_url

        return shown_url(db)
    return str(db)


URL_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def check_location(db: Path | str) -> None:
    """Refuse a --db that is a URL of another scheme than PostgreSQL's (file:, sqlite:,
    http: ...): not taken for a file name, nor by SQLite for a URI of its own
    (`file:x?mode=memory` would store nothing anywhere). `data/file:x` is a file."""
    text = str(db)
    if URL_LIKE.match(text) and not WINDOWS_DRIVE.match(text) and not is_postgres_url(text):
        shown = re.sub(r"(/[^/:@]*:)[^/@]*@", r"\1***@", text)  # a password hidden
        raise StoreError(f"{shown}: not a store: --db takes a SQLite file path or a "
                         "postgresql:// URL")


def backend(db: Path | str) -> ModuleType:
    """The store module for a --db: lkj.load.postgres for a PostgreSQL URL, else this one.
    Both have the same functions (open_store, load_extraction, record_ingest_error ...).
    A --db that is neither a path nor a PostgreSQL URL is refused (`check_location`)."""
    check_location(db)
    if not is_postgres_url(db):
        return sys.modules[__name__]
    try:
        from lkj.load import postgres
    except ModuleNotFoundError as exc:
        if exc.name not in ("sqlalchemy", "psycopg"):
            raise
        raise StoreError(f"{str(db).split('@')[-1]}: a PostgreSQL store needs SQLAlchemy "
                         "and psycopg (pip install 'lkj[postgres]')") from exc
    return postgres


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


def open_store(path: Path | str, create: bool = True, readonly: bool = False
               ) -> sqlite3.Connection:
    """Open (or create) an lkj store: WAL journal, foreign keys on, schema version checked.

    The connection is in autocommit mode; the loader opens its own transactions. A
    postgresql:// URL opens a PostgreSQL store instead (lkj.load.postgres.open_store), whose
    connection answers the same `execute` reads. `readonly` (lkj compare) creates nothing,
    changes nothing and reads a store on read-only media (`_reader`); an older store is
    read as it is (`_read_older`), not upgraded.
    """
    check_location(path)
    if is_postgres_url(path):
        return backend(path).open_store(path, create, readonly)
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
    have = _table_columns(conn)
    statements = upgrade_statements(schema_sql(), have) if version >= UPGRADABLE_FROM else None
    if statements is None:
        raise older_store(shown, version, want)
    for statement in statements:
        if statement.startswith(("CREATE TABLE", "CREATE VIEW")):
            conn.execute(statement.replace("CREATE", "CREATE TEMP", 1))


def _table_columns(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Each table of a SQLite database and its columns, in order."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    return {n: tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')) for n in names}


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
            statements = upgrade_statements(schema_sql(), _table_columns(conn))
            if statements is None:
                raise older_store(shown, version, want)
            for statement in statements:
                conn.execute(statement)
            if _table_columns(conn) != store_columns():
                raise older_store(shown, version, want)
            conn.execute(f"PRAGMA user_version = {int(want)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def sql_value(value: Any) -> Any:
    """A parsed value as SQLite stores it: booleans 0/1, NaN null, a list joined by commas."""
    if value is None or isinstance(value, (str, int, float, bytes)):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, float) and math.isnan(value):
            return None
        return value
    if isinstance(value, (list, tuple, set)):
        return ",".join(str(v) for v in value)
    if hasattr(value, "item"):  # numpy / pandas scalars
        return sql_value(value.item())
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def with_indicator_ids(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Records with the canonical indicator_id of their printed name, and how it matched."""
    out = []
    for rec in records:
        indicator_id, how = registry.match_indicator(rec.get("indicator"))
        out.append({**rec, "indicator_id": indicator_id, "indicator_match": how})
    return out


def _insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str],
                 records: Iterable[Mapping[str, Any]]) -> int:
    """INSERT the records into one table; returns how many."""
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    rows = [tuple(sql_value(rec.get(c)) for c in columns) for rec in records]
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    return len(rows)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def store_records(extraction: Any, findings: Sequence[Mapping[str, Any]] | None = None
                  ) -> dict[str, list[dict[str, Any]]]:
    """The rows one report adds to each store table (values as parsed, not yet SQL)."""
    report = extraction.report
    have = store_columns()
    tables = {store_table(name): list(recs) for name, (_, recs) in extraction.columned().items()
              if store_table(name) in have}
    path = getattr(extraction, "path", None)
    tables["reports"] = [{**report, "loaded_at": utc_now(), "lkj_version": __version__,
                          "source_path": str(Path(path).resolve()) if path else None}]
    for name in INDICATOR_TABLES:
        tables[name] = with_indicator_ids(tables.get(name, []))
    tables["findings"] = [{**f, "report_id": f.get("report_id") or report["report_id"]}
                          for f in (findings or [])
                          if f.get("report_id") in (None, report["report_id"])]
    return tables


def store_table(name: str) -> str:
    """The store table of a contract table."""
    return RENAMED.get(name, name)


def unstored_columns(extraction: Any) -> list[str]:
    """Tables and columns the extraction has that the store has no place for (a newer
    extractor than store.sql): named in the load message, never dropped silently."""
    cols = store_columns()
    out = []
    for name, (columns, _) in extraction.columned().items():
        table = store_table(name)
        if table not in cols:
            out.append(name)
        else:
            out += [f"{name}.{c}" for c in columns if c not in cols[table]]
    return out


def load_extraction(conn: sqlite3.Connection, extraction: Any,
                    findings: Sequence[Mapping[str, Any]] | None = None,
                    replace: bool = False) -> LoadResult:
    """Store one report and its findings in one transaction.

    The same file again (same sha256) changes nothing: "unchanged". A different file for a
    stored report_id is a "conflict" and changes nothing. With `replace`, the stored report
    (same report_id, or the same file read before, e.g. by an older lkj) and all its rows
    are deleted and this reading stored: "replaced".
    """
    if conn.in_transaction:
        raise StoreError("load_extraction needs a connection outside a transaction")
    report = extraction.report
    rid, sha = report["report_id"], report["sha256"]
    conn.execute("BEGIN IMMEDIATE")
    try:
        same = conn.execute("SELECT report_id FROM reports WHERE sha256 = ?", (sha,)).fetchone()
        if same and not replace:
            conn.execute("ROLLBACK")
            return LoadResult("unchanged", same[0],
                              f"{same[0]}: already stored from this file (sha256 {sha[:12]})")
        old = conn.execute("SELECT source_file, sha256, loaded_at FROM reports "
                           "WHERE report_id = ? OR sha256 = ? ORDER BY report_id = ? DESC",
                           (rid, sha, rid)).fetchone()
        if old and not replace:
            conn.execute("ROLLBACK")
            return LoadResult("conflict", rid,
                              f"{rid}: already stored from another file ({old[0]}, sha256 "
                              f"{old[1][:12]}, loaded {old[2]}): use --replace to replace it",
                              previous=old[0])
        if old:
            conn.execute("DELETE FROM reports WHERE report_id = ? OR sha256 = ?", (rid, sha))
        counts = {}
        columns = store_columns()
        for table, recs in store_records(extraction, findings).items():
            counts[table] = _insert_rows(conn, table, columns[table], recs)
        _sync_indicators(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return loaded_result(rid, counts, old, extraction)


def loaded_result(rid: str, counts: dict[str, int], old: Sequence[Any] | None,
                  extraction: Any) -> LoadResult:
    """What a load that committed says, the same words for every store backend."""
    message = f"{rid}: {sum(n for t, n in counts.items() if t != 'reports')} rows"
    if old:
        message += f" (replaced {old[0]}, sha256 {old[1][:12]}, loaded {old[2]})"
    unstored = unstored_columns(extraction)
    if unstored:
        message += f"; not stored (no place in the store): {', '.join(unstored)}"
    return LoadResult("replaced" if old else "loaded", rid, message, counts,
                      old[0] if old else None, tuple(unstored))


def _sync_indicators(conn: sqlite3.Connection) -> None:
    """Rewrite the indicators table from the registry (inside the caller's transaction)."""
    conn.execute("DELETE FROM indicators")
    conn.executemany("INSERT INTO indicators (indicator_id, name, polarity) VALUES (?, ?, ?)",
                     [(i.indicator_id, i.name, i.polarity) for i in registry.INDICATORS])


def record_ingest_error(conn: sqlite3.Connection, path: Path | str, sha256: str | None,
                        reason: str | None) -> None:
    """Keep a row for a file that could not be stored (or was stored incomplete): which file,
    its hash if known, why. A file has one row, its latest attempt's (the same name and
    bytes again replace it); reason None clears it (the file is now stored whole)."""
    with_tx = not conn.in_transaction
    if with_tx:
        conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM ingest_errors WHERE source_file = ? AND sha256 IS ?",
                     (Path(path).name, sha256))
        if reason is not None:
            conn.execute("INSERT INTO ingest_errors (source_file, sha256, reason, at) "
                         "VALUES (?, ?, ?, ?)", (Path(path).name, sha256, reason, utc_now()))
        if with_tx:
            conn.execute("COMMIT")
    except BaseException:
        if with_tx and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def read_table(conn: sqlite3.Connection, table: str, report_id: str | None = None
               ) -> list[dict[str, Any]]:
    """The rows of one store table (of one report), in the order they were stored."""
    where, args = ("WHERE report_id = ?", (report_id,)) if report_id else ("", ())
    cur = conn.execute(f'SELECT * FROM "{table}" {where} ORDER BY rowid', args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in every store table."""
    return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in store_columns()}
