"""The store interface: one set of decisions over small backend primitives.

A store is a SQLite file (lkj.load.sqlite), a PostgreSQL database (lkj.load.postgres) or a
folder of CSV files (lkj.load.csvstore). Each backend is a `Backend`: it finds a report by
its file's sha256 or by its report_id, deletes a report, inserts rows, records an ingest
error, and runs all of one report inside `transaction()` (any failure: nothing of it
stays). `load` holds the decisions, the same for every backend and in the same words:

- the same bytes already stored change nothing: "unchanged";
- another file of a stored report_id is a "conflict" (nothing changes) unless replacing;
- replacing deletes the stored report (same report_id, or the same file read before) and
  stores this reading: "replaced", naming the file it replaced.

A report_id is the agency's canonical id and the report's year (`sha-<hash>` when either is
unknown): finding a report by its report_id is finding it by agency and year.

`lkj.load.opened.open_store` picks the backend for a location; each backend class opens
one (`SqliteStore.open`, `PgStore.open`, `CsvStore.open`). The store's tables and columns
are lkj/schemas/store.sql's (`store_columns`); `check_columns` holds an opened store to
them and to the output contract (lkj/schemas/contract.py).
"""

from __future__ import annotations

import math
import re
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from lkj import __version__
from lkj.schemas import contract, registry

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


class StoredReport(NamedTuple):
    """A report a store holds, as the decisions name it."""

    report_id: str
    source_file: str
    sha256: str
    loaded_at: str


# --- the schema --------------------------------------------------------------------------

@cache
def schema_text(name: str) -> str:
    """A schema file of lkj/schemas (store.sql, store_pg.sql)."""
    return resources.files("lkj.schemas").joinpath(name).read_text(encoding="utf-8")


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, tuple[str, ...]]:
    """Each table of a SQLite database and its columns, in order."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
    return {n: tuple(r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')) for n in names}


@cache
def store_columns() -> dict[str, tuple[str, ...]]:
    """Columns of each store table, in order, read from store.sql itself."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(schema_text("store.sql"))
        return sqlite_tables(conn)
    finally:
        conn.close()


def store_table(name: str) -> str:
    """The store table of a contract table."""
    return RENAMED.get(name, name)


def missing_columns(have: Mapping[str, Iterable[str]]) -> list[str]:
    """The columns (`table.column`) a store must have that `have` (table -> its columns)
    lacks: every column of the output contract (contract.COLUMNS, under the store's table
    names) and of store.sql. The one check of a store's columns: at open (`check_columns`)
    and of both schema files (tests/test_store_shared.py)."""
    want = {t: list(cols) for t, cols in store_columns().items()}
    for name, cols in contract.COLUMNS.items():
        table = want.setdefault(store_table(name), [])
        table += [c for c in cols if c not in table]
    have = {t: set(cols) for t, cols in have.items()}
    return [f"{t}.{c}" for t, cols in want.items() for c in cols if c not in have.get(t, ())]


def check_columns(shown: str, have: Mapping[str, Iterable[str]]) -> None:
    """Refuse a store that lacks a column lkj writes or reads (`missing_columns`)."""
    missing = missing_columns(have)
    if missing:
        raise StoreError(f"{shown}: an lkj store without {', '.join(missing[:5])}: "
                         "load the reports into a new database")


#: The oldest store schema a newer lkj upgrades in place. Every version since only added
#: tables, which are created when the store is opened, and the columns of ADDED_COLUMNS,
#: added at the end of their tables; anything else (another column added, one renamed or
#: dropped) needs a new store, and `older_store` says so.
UPGRADABLE_FROM = 2
#: Columns a schema added at the end of a table that already stood (NULL in older rows).
ADDED_COLUMNS = {"reports": ("source_path",),  # schema 6
                 "cells": ("doubt",)}  # schema 7


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


# --- locations ---------------------------------------------------------------------------

#: URL schemes that name a PostgreSQL store where a database file goes (--db).
POSTGRES_SCHEMES = ("postgresql", "postgres")
#: A --db that begins like a URL (`scheme:`), and a Windows drive (`C:\`, a path).
URL_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def is_postgres_url(db: Path | str) -> bool:
    """Whether a --db names a PostgreSQL store (postgresql://..., postgresql+driver://...)."""
    scheme, colon, _ = str(db).partition(":")
    return bool(colon) and scheme.split("+")[0].lower() in POSTGRES_SCHEMES


def check_location(db: Path | str) -> None:
    """Refuse a --db that is a URL of another scheme than PostgreSQL's (file:, sqlite:,
    http: ...): not taken for a file name, nor by SQLite for a URI of its own
    (`file:x?mode=memory` would store nothing anywhere). `data/file:x` is a file."""
    text = str(db)
    if URL_LIKE.match(text) and not WINDOWS_DRIVE.match(text) and not is_postgres_url(text):
        shown = re.sub(r"(/[^/:@]*:)[^/@]*@", r"\1***@", text)  # a password hidden
        raise StoreError(f"{shown}: not a store: --db takes a SQLite file path or a "
                         "postgresql:// URL")


# --- the rows of one report --------------------------------------------------------------

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


# --- the backends ------------------------------------------------------------------------

class Backend(ABC):
    """An open store: the primitives the decisions (`load`) and the readers use."""

    #: The store for messages (a URL without its password).
    shown: str
    #: Whether `query` answers SQL (a database; a CSV folder does not).
    sql: bool = True

    @property
    @abstractmethod
    def in_transaction(self) -> bool:
        """Whether a `transaction()` is open."""

    @abstractmethod
    def transaction(self, report_id: str | None = None, sha256: str | None = None
                    ) -> AbstractContextManager[None]:
        """All of one report's reads and writes: committed when the block ends, rolled back
        (the store as it was) when it raises. A backend that serves several writers at once
        makes two transactions of the same report_id or file wait for each other."""

    @abstractmethod
    def find_by_sha256(self, sha256: str) -> str | None:
        """The report_id stored from the file of this hash."""

    @abstractmethod
    def find_report(self, report_id: str) -> StoredReport | None:
        """The stored report of this report_id."""

    def find_reports(self, agency_id: str | None = None, year: int | None = None
                     ) -> list[StoredReport]:
        """The stored reports of an agency (its canonical id), of a year, or of both, in
        the order stored. (A report_id is its agency_id and year, `agency-2023`, so
        `find_report` is the lookup the decisions make by agency and year.)"""
        return [StoredReport(r["report_id"], r["source_file"], r["sha256"], r["loaded_at"])
                for r in self.read_table("reports")
                if (agency_id is None or r["agency_id"] == agency_id)
                and (year is None or str(r["year"]) == str(year))]

    @abstractmethod
    def delete_report(self, report_id: str) -> None:
        """Delete the report and every row of it."""

    @abstractmethod
    def insert_rows(self, table: str, columns: Sequence[str],
                    records: Iterable[Mapping[str, Any]]) -> int:
        """Insert the records' values of these columns into one table; returns how many."""

    @abstractmethod
    def sync_indicators(self) -> None:
        """Rewrite the indicators table from the registry (inside the transaction)."""

    @abstractmethod
    def record_ingest_error(self, path: Path | str, sha256: str | None,
                            reason: str | None) -> None:
        """Keep a row for a file that could not be stored (or was stored incomplete): which
        file, its hash if known, why. A file has one row, its latest attempt's (the same
        name and bytes again replace it); reason None clears it (the file is now stored
        whole)."""

    @abstractmethod
    def read_table(self, table: str, report_id: str | None = None) -> list[dict[str, Any]]:
        """The rows of one store table (of one report), in the order they were stored."""

    def row_counts(self) -> dict[str, int]:
        """Rows in every store table."""
        return {t: len(self.read_table(t)) for t in store_columns()}

    @abstractmethod
    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """The rows of one read, `:name` marks bound from `params`."""

    @abstractmethod
    def close(self) -> None:
        """Let the store go (its connections)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load(store: Backend, extraction: Any, findings: Sequence[Mapping[str, Any]] | None = None,
         replace: bool = False) -> LoadResult:
    """Store one report and its findings in one transaction.

    The same file again (same sha256) changes nothing: "unchanged". A different file for a
    stored report_id is a "conflict" and changes nothing. With `replace`, the stored report
    (same report_id, or the same file read before, e.g. by an older lkj) and all its rows
    are deleted and this reading stored: "replaced". A failure raises, and nothing of the
    report stays.
    """
    report = extraction.report
    rid, sha = report["report_id"], report["sha256"]
    with store.transaction(rid, sha):
        same = store.find_by_sha256(sha)
        if same and not replace:
            return LoadResult("unchanged", same,
                              f"{same}: already stored from this file (sha256 {sha[:12]})")
        old = store.find_report(rid) or (store.find_report(same) if same else None)
        if old and not replace:
            return LoadResult("conflict", rid,
                              f"{rid}: already stored from another file ({old.source_file}, "
                              f"sha256 {old.sha256[:12]}, loaded {old.loaded_at}): use "
                              "--replace to replace it", previous=old.source_file)
        if old:
            for gone in dict.fromkeys(r for r in (rid, same) if r):
                store.delete_report(gone)
        counts = {}
        columns = store_columns()
        for table, recs in store_records(extraction, findings).items():
            counts[table] = store.insert_rows(table, columns[table], recs)
        store.sync_indicators()
    return loaded_result(rid, counts, old[1:] if old else None, extraction)


def loaded_result(rid: str, counts: dict[str, int], old: Sequence[Any] | None,
                  extraction: Any) -> LoadResult:
    """What a load that committed says (`old`: the replaced report's file, sha256 and when
    it was loaded), the same words for every store backend."""
    message = f"{rid}: {sum(n for t, n in counts.items() if t != 'reports')} rows"
    if old:
        message += f" (replaced {old[0]}, sha256 {old[1][:12]}, loaded {old[2]})"
    unstored = unstored_columns(extraction)
    if unstored:
        message += f"; not stored (no place in the store): {', '.join(unstored)}"
    return LoadResult("replaced" if old else "loaded", rid, message, counts,
                      old[0] if old else None, tuple(unstored))
