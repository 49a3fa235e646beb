"""Which store a location names, opened: the one place that knows every backend.

`lkj.load.store` holds the interface and the decisions; each backend module (sqlite,
postgres, csvstore) builds on it; this module, above them all, picks one for a location.
"""

from __future__ import annotations

from pathlib import Path

from lkj.load.store import Backend, StoreError, check_location, is_postgres_url


def shown_store(db: Path | str) -> str:
    """A store for messages: a URL with its password hidden."""
    if isinstance(db, str):
        from lkj.load.postgres import shown_url

        return shown_url(db)
    return str(db)


def open_store(location: Path | str, create: bool = True, readonly: bool = False,
               csv: bool = False) -> Backend:
    """Open (or create) the store at `location`: a postgresql:// URL (lkj.load.postgres),
    with `csv` a folder of CSV files (lkj.load.csvstore), else a SQLite file
    (lkj.load.sqlite). `readonly` (lkj compare) creates and changes nothing. A location
    that is a URL of another scheme is refused (`check_location`), and so is a store that
    cannot be used, with the reason (StoreError)."""
    if csv:
        from lkj.load.csvstore import CsvStore

        return CsvStore.open(location, create, readonly)
    check_location(location)
    if not is_postgres_url(location):
        from lkj.load.sqlite import SqliteStore

        return SqliteStore.open(location, create, readonly)
    try:
        from lkj.load.postgres import PgStore
    except ModuleNotFoundError as exc:
        if exc.name not in ("sqlalchemy", "psycopg"):
            raise
        raise StoreError(f"{str(location).split('@')[-1]}: a PostgreSQL store needs "
                         "SQLAlchemy and psycopg (pip install 'lkj[postgres]')") from exc
    return PgStore.open(location, create, readonly)
