"""The PostgreSQL store (`--db postgresql://...`): the SQLite store's rules on a server.

`PgStore` is a store backend (lkj.load.store.Backend; the decisions, outcomes and messages
are lkj.load.store.load's, the same as SQLite's), through SQLAlchemy Core and psycopg: SQL
with `:name` marks, no sqlite3 look-alike in between. The schema is
lkj/schemas/store_pg.sql: store.sql's tables and views, numbers NUMERIC (exact), booleans
BOOLEAN, the schema version in lkj_meta.

Everything of one report is written in one transaction, which first takes transaction-level
advisory locks on the report's id and file hash: two loaders of the same report (two `lkj run`
at once) wait for each other, and the second finds the report stored ("unchanged") instead of
storing it twice. Any failure rolls the transaction back: the store is as it was.

Values go in as SQLite's loader would store them (lkj.load.store.sql_value) and come back as
they were parsed: a NUMERIC with no decimals is an int (16000), one with decimals a float
(88.73, 104.0), never a binary approximation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy import exc as sa_exc

from lkj.load.store import (
    UPGRADABLE_FROM,
    Backend,
    LoadResult,
    StoredReport,
    StoreError,
    check_columns,
    older_store,
    sql_value,
    store_columns,
    upgrade_statements,
    utc_now,
)
from lkj.schemas import registry

__all__ = ["LoadResult", "PgStore", "StoreError", "ValueRejected"]

#: The driver SQLAlchemy is told to use for a plain postgresql:// URL.
DRIVER = "postgresql+psycopg"
#: Seconds to wait for the server before giving up (unless the URL sets connect_timeout).
CONNECT_TIMEOUT = 10
#: The column each table's rows are read back in (the order they were stored in).
ORDER_BY = {"ingest_errors": "id"}
#: Column types of store_pg.sql, by what a value must be turned into to go in.
KINDS = {"numeric": "number", "bigint": "integer", "boolean": "boolean", "text": "text",
         "jsonb": "json"}


class ValueRejected(ValueError):
    """PostgreSQL refused a value of this report (a NUL character, a number out of range,
    a constraint): the report is not stored, the batch goes on."""


@cache
def schema_sql() -> str:
    return resources.files("lkj.schemas").joinpath("store_pg.sql").read_text(encoding="utf-8")


@cache
def schema_version() -> int:
    """The version store_pg.sql writes into lkj_meta."""
    found = re.search(r"'schema_version'\s*,\s*'(\d+)'", schema_sql())
    if not found:
        raise RuntimeError("store_pg.sql sets no schema_version")
    return int(found.group(1))


def postgres_url(db: Path | str) -> str:
    """The URL a --db names. click's Path option turns `postgresql://host/db` into
    `postgresql:/host/db`; the lost slash is put back (`postgresql:/db?host=/run` had no
    host: `postgresql:///db?host=/run`)."""
    text = str(db)
    scheme, _, rest = text.partition(":")
    if rest.startswith("//"):
        return text
    rest = rest.lstrip("/")
    has_host = "/" in rest.split("?")[0]
    return f"{scheme}://{rest}" if has_host else f"{scheme}:///{rest}"


def engine_url(db: Path | str) -> sa.URL:
    """The SQLAlchemy URL of a --db: psycopg (3) unless the URL names a driver."""
    url = sa.make_url(postgres_url(db))
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername=DRIVER)
    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT)})
    return url


def shown_url(db: Path | str) -> str:
    """The URL for messages: as given, the password hidden."""
    try:
        return sa.make_url(postgres_url(db)).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return str(db)


def _reason(exc: BaseException) -> str:
    """The server's or driver's own words, first line."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _connect(url: Path | str, create: bool, readonly: bool
             ) -> tuple[sa.Engine, str, dict[str, dict[str, str]]]:
    """The engine of an lkj store in the URL's database (its current schema), created if
    missing, its schema version and columns checked (as lkj.load.sqlite.connect does for a
    file); the URL for messages; each table's column kinds. `readonly` creates nothing and
    reads in read-only transactions; a server's store is never on read-only media, so an
    older one is upgraded as on any open."""
    create = create and not readonly
    shown = shown_url(url)
    try:
        engine = sa.create_engine(engine_url(url))
    except (sa_exc.ArgumentError, ValueError) as exc:
        raise StoreError(f"{shown}: not a PostgreSQL URL ({exc})") from exc
    except ImportError as exc:
        raise StoreError(f"{shown}: a PostgreSQL store needs psycopg "
                         "(pip install 'lkj[postgres]')") from exc
    try:
        with engine.begin() as db:
            _check_schema(db, shown, create)
            kinds = _kinds(db)
    except (sa_exc.DBAPIError, psycopg.Error) as exc:
        engine.dispose()
        raise StoreError(f"{shown}: cannot be opened ({_reason(exc)})") from exc
    except BaseException:
        engine.dispose()
        raise
    try:
        check_columns(shown, kinds)
    except StoreError:
        engine.dispose()
        raise
    if readonly:
        engine = engine.execution_options(postgresql_readonly=True)
    return engine, shown, kinds


def _stored_version(db: sa.Connection, shown: str) -> int | None:
    """The schema_version in lkj_meta of the current schema, None without lkj_meta."""
    # pg_class itself, not to_regclass: a name lookup may miss a table another session
    # has just created (a cached "no such table"), a query of the catalog does not
    if not db.exec_driver_sql(
            "SELECT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'lkj_meta' "
            "AND relnamespace = to_regnamespace(current_schema())::oid)").scalar():
        return None
    value = db.exec_driver_sql(
        "SELECT value FROM lkj_meta WHERE key = 'schema_version'").scalar()
    if value is None or not str(value).isdigit():
        raise StoreError(f"{shown}: not an lkj store (lkj_meta has no schema_version)")
    return int(value)


def _check_schema(db: sa.Connection, shown: str, create: bool) -> None:
    version = _stored_version(db, shown)
    want = schema_version()
    if version is None:
        # Two lkj creating the same store: the lock comes before any look at the schema's
        # tables, so the second waits for the first to commit and then finds the store made
        # (looking first, it could count the tables the first had just committed as another
        # program's, before their lkj_meta)
        _lock(db, "lkj:schema")
        version = _stored_version(db, shown)
    if version is None:
        others = db.exec_driver_sql(
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema()").scalar()
        if others:
            raise StoreError(f"{shown}: not an lkj store (a PostgreSQL database with other "
                             "tables)")
        if not create:
            raise StoreError(f"{shown}: an empty database, not an lkj store")
        # the script as it is, through psycopg itself: no parameters, so no % escaping
        db.connection.driver_connection.execute(schema_sql())
        version = want
    if version < want:
        _upgrade(db, shown, version, want)
    if version > want:
        raise StoreError(f"{shown}: written by a newer lkj (store schema {version}; this "
                         f"lkj reads {want}): upgrade lkj")


def _upgrade(db: sa.Connection, shown: str, version: int, want: int) -> None:
    """Bring a store of an older schema to this one inside the caller's transaction, where
    the newer schema only adds tables and ADDED_COLUMNS (`upgrade_statements`); else
    refuse, changing nothing (the caller's transaction rolls back)."""
    if version < UPGRADABLE_FROM:
        raise older_store(shown, version, want)
    _lock(db, "lkj:schema")  # two lkj upgrading the same store: the second finds it done
    version = _stored_version(db, shown) or version
    if version == want:
        return

    def tables() -> dict[str, tuple[str, ...]]:
        return {t: tuple(c for c in cols if c != "rowid") for t, cols in _kinds(db).items()}

    statements = upgrade_statements(schema_sql(), tables())
    if statements is None:
        raise older_store(shown, version, want)
    for statement in statements:
        db.exec_driver_sql(statement)  # no parameters: no % escaping
    if tables() != store_columns():
        raise older_store(shown, version, want)
    db.exec_driver_sql("UPDATE lkj_meta SET value = %(v)s WHERE key = 'schema_version'",
                       {"v": str(want)})


def _kinds(db: sa.Connection) -> dict[str, dict[str, str]]:
    """Each store table's columns (in order) and what kind of value each holds."""
    out: dict[str, dict[str, str]] = {}
    for table, column, data_type in db.exec_driver_sql(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"):
        if table in store_columns():
            out.setdefault(table, {})[column] = KINDS.get(data_type, data_type)
    return out


def _lock(db: sa.Connection, *keys: str) -> None:
    """Transaction-level advisory locks on these names, always taken in the same order."""
    for key in sorted(set(keys)):
        db.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                   {"key": key})


# --- values ------------------------------------------------------------------------------

def exact_decimal(value: float) -> Decimal:
    """A float as the decimal it prints as (88.73, not 88.7299999...), with a decimal
    place kept (1e16 -> 10000000000000000.0) so that it comes back a float."""
    number = Decimal(repr(value))
    if number.is_finite() and number.as_tuple().exponent >= 0:
        number = Decimal(f"{number:f}.0")
    return number


def pg_value(value: Any, kind: str, where: str) -> Any:
    """A parsed value as this store takes it; ValueRejected where SQLite's STRICT tables
    would refuse it too, or PostgreSQL cannot hold it (NUL characters)."""
    value = sql_value(value)
    if value is None:
        return None
    if isinstance(value, str) and "\x00" in value:
        raise ValueRejected(f"{where}: PostgreSQL text cannot hold the NUL character "
                            f"(\\x00): {value!r}")
    if kind == "text":
        if isinstance(value, bytes):
            raise ValueRejected(f"{where}: bytes where text goes")
        return value if isinstance(value, str) else str(value)
    if kind == "number":
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return exact_decimal(value)
        raise ValueRejected(f"{where}: not a number: {value!r}")
    if kind == "integer":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            return int(value)
        if isinstance(value, int):
            return value
        raise ValueRejected(f"{where}: not a whole number: {value!r}")
    if kind == "boolean":
        if value in (0, 1) and not isinstance(value, str):
            return bool(value)
        raise ValueRejected(f"{where}: not a boolean: {value!r}")
    if kind == "json":
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueRejected(f"{where}: {value!r} is not a JSON number")
        if isinstance(value, bytes):
            raise ValueRejected(f"{where}: bytes where a number or text goes")
        return Jsonb(value)
    raise StoreError(f"{where}: a column of type {kind}, which lkj does not write")


def py_value(value: Any) -> Any:
    """A value read back: NUMERIC as the int or float it was parsed as."""
    if isinstance(value, Decimal):
        if not value.is_finite() or value.as_tuple().exponent < 0:
            return float(value)
        return int(value)
    return value


# --- loading -----------------------------------------------------------------------------

def _insert_rows(db: sa.Connection, table: str, columns: Mapping[str, str],
                 records: Sequence[Mapping[str, Any]]) -> int:
    """INSERT the records into one table (columns: name -> kind); returns how many."""
    records = list(records)
    if not records:
        return 0
    names = list(columns)
    target = sa.table(table, *(sa.column(sa.sql.quoted_name(c, True)) for c in names))
    rows = [{c: pg_value(rec.get(c), columns[c], f"{table}.{c} (row {n})") for c in names}
            for n, rec in enumerate(records, start=1)]
    db.execute(target.insert(), rows)
    return len(rows)


def _sync_indicators(db: sa.Connection) -> None:
    """Rewrite the indicators table from the registry (inside the caller's transaction;
    locked, so that loaders of different reports do not rewrite it at once)."""
    _lock(db, "lkj:indicators")
    db.exec_driver_sql("DELETE FROM indicators")
    db.execute(sa.text("INSERT INTO indicators (indicator_id, name, polarity) "
                       "VALUES (:indicator_id, :name, :polarity)"),
               [{"indicator_id": i.indicator_id, "name": i.name, "polarity": i.polarity}
                for i in registry.INDICATORS])


class PgStore(Backend):
    """An open PostgreSQL store as the backend of lkj.load.store.load: a report's reads and
    writes on one connection, in one transaction that first takes advisory locks on its
    report_id and file hash; any other read or write in a short transaction of its own."""

    def __init__(self, engine: sa.Engine, shown: str, kinds: dict[str, dict[str, str]]
                 ) -> None:
        #: Each store table's columns, in order, and the kind of value each holds.
        self.engine, self.shown, self.kinds = engine, shown, kinds
        self._db: sa.Connection | None = None

    @classmethod
    def open(cls, url: Path | str, create: bool = True, readonly: bool = False) -> PgStore:
        """Open (or create) the lkj store in the URL's database (`_connect`)."""
        return cls(*_connect(url, create, readonly))

    @property
    def in_transaction(self) -> bool:
        return self._db is not None

    @contextmanager
    def transaction(self, report_id: str | None = None, sha256: str | None = None
                    ) -> Iterator[None]:
        """A value PostgreSQL refuses is ValueRejected; a store that cannot be used
        (connection lost) is StoreError; either way nothing of the transaction stays."""
        if self._db is not None:
            raise StoreError("a store transaction needs a connection outside a transaction")
        keys = [key for key in (report_id and f"lkj:report:{report_id}",
                                sha256 and f"lkj:sha256:{sha256}") if key]
        try:
            with self.engine.connect() as db:
                tx = db.begin()
                self._db = db
                try:
                    _lock(db, *keys)
                    yield
                    tx.commit()
                except BaseException:
                    if tx.is_active:
                        tx.rollback()
                    raise
                finally:
                    self._db = None
        except (sa_exc.DataError, sa_exc.IntegrityError) as exc:
            raise ValueRejected(f"{report_id}: PostgreSQL refused it ({_reason(exc)})") from exc
        except sa_exc.DBAPIError as exc:
            raise StoreError(f"{self.shown}: {_reason(exc)}") from exc

    @contextmanager
    def _connection(self) -> Iterator[sa.Connection]:
        """The open transaction's connection, else one of its own, committed at the end."""
        if self._db is not None:
            yield self._db
            return
        try:
            with self.engine.begin() as db:
                yield db
        except sa_exc.DBAPIError as exc:
            raise StoreError(f"{self.shown}: {_reason(exc)}") from exc

    @property
    def db(self) -> sa.Connection:
        if self._db is None:
            raise StoreError("a PostgreSQL store writes inside a transaction")
        return self._db

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """One read with `:name` marks, in the open transaction if any; numbers as
        parsed."""
        with self._connection() as db:
            return [tuple(py_value(v) for v in row)
                    for row in db.execute(sa.text(sql), dict(params or {}))]

    def find_by_sha256(self, sha256: str) -> str | None:
        rows = self.query("SELECT report_id FROM reports WHERE sha256 = :sha", {"sha": sha256})
        return rows[0][0] if rows else None

    def find_report(self, report_id: str) -> StoredReport | None:
        rows = self.query("SELECT report_id, source_file, sha256, loaded_at FROM reports "
                          "WHERE report_id = :rid", {"rid": report_id})
        return StoredReport(*rows[0]) if rows else None

    def delete_report(self, report_id: str) -> None:
        """Its rows go with it (ON DELETE CASCADE)."""
        self.db.execute(sa.text("DELETE FROM reports WHERE report_id = :rid"),
                        {"rid": report_id})

    def insert_rows(self, table: str, columns: Sequence[str],
                    records: Iterable[Mapping[str, Any]]) -> int:
        kinds = {c: self.kinds[table][c] for c in columns}
        return _insert_rows(self.db, table, kinds, list(records))

    def sync_indicators(self) -> None:
        _sync_indicators(self.db)

    def record_ingest_error(self, path: Path | str, sha256: str | None,
                            reason: str | None) -> None:
        """In the open transaction, if any, else in one of its own."""
        row = {"source_file": Path(path).name, "sha256": sha256,
               "reason": reason and reason.replace("\x00", "\\x00"), "at": utc_now()}
        with self._connection() as db:
            db.execute(sa.text("DELETE FROM ingest_errors WHERE source_file = :source_file "
                               "AND sha256 IS NOT DISTINCT FROM :sha256"), row)
            if reason is not None:
                db.execute(sa.text("INSERT INTO ingest_errors (source_file, sha256, reason, "
                                   "at) VALUES (:source_file, :sha256, :reason, :at)"), row)

    def read_table(self, table: str, report_id: str | None = None) -> list[dict[str, Any]]:
        """The rows with the columns of store.sql, values as they were parsed."""
        columns = store_columns().get(table)
        if columns is None:
            raise ValueError(f"no store table {table!r}")
        names = ", ".join(f'"{c}"' for c in columns)
        where = "WHERE report_id = :rid" if report_id else ""
        rows = self.query(f'SELECT {names} FROM "{table}" {where} '
                          f'ORDER BY "{ORDER_BY.get(table, "rowid")}"', {"rid": report_id})
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def row_counts(self) -> dict[str, int]:
        return {t: self.query(f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in store_columns()}

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"<PgStore {self.shown}>"
