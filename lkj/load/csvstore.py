"""The CSV store: the SQLite store's tables as one CSV file each in a folder (`--csv DIR`).

Same columns as the SQLite tables (read from store.sql), same decisions and messages
(lkj.load.store.load over `CsvStore`): a file already stored (same sha256 in reports.csv) is
"unchanged"; a different file for a stored report_id is a "conflict" unless replacing (which
also re-reads a stored file). Each load rewrites the files
it changes through a temporary file and os.replace, reports.csv last: a reader never sees a
half-written file, and an interrupted load leaves no report listed whose rows are missing
(stray rows of an unlisted report are dropped by the next load of that report). Cells are
written spreadsheet-safe (lkj.load.files.write_rows) and read back as they were.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lkj.load.files import _cell, spreadsheet_text, write_rows
from lkj.load.store import (
    ADDED_COLUMNS,
    Backend,
    StoredReport,
    StoreError,
    store_columns,
    utc_now,
)
from lkj.schemas import registry

#: Tables written per report, children first: reports.csv is replaced last.
_ORDER_LAST = "reports"


def _path(folder: Path, table: str) -> Path:
    return folder / f"{table}.csv"


def read_rows(folder: Path, table: str) -> list[list[str]]:
    """The data rows of DIR/TABLE.csv as text (no header, as it was before
    spreadsheet_safe); [] if the file does not exist. A file an older lkj wrote, without
    the columns a newer schema added at the end (ADDED_COLUMNS), reads them as empty."""
    path = _path(folder, table)
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        want = list(store_columns()[table])
        pad = len(want) - len(header or want)
        later = want[len(want) - pad:] if pad > 0 else []
        if header is not None and (header + later != want or (
                later and tuple(later) != ADDED_COLUMNS.get(table))):
            raise StoreError(f"{path}: its columns are not those this lkj writes "
                             f"({', '.join(want)}): use a new folder")
        return [[spreadsheet_text(cell) for cell in row] + [""] * len(later) for row in reader]


def read_table(folder: Path, table: str) -> list[dict[str, str]]:
    """DIR/TABLE.csv as dicts of text."""
    cols = store_columns()[table]
    return [dict(zip(cols, row, strict=True)) for row in read_rows(folder, table)]


def _text_row(columns: Sequence[str], rec: Mapping[str, Any]) -> list[str]:
    return [str(_cell(rec.get(c))) for c in columns]


def _write_all(folder: Path, tables: dict[str, list[list[str]]]) -> None:
    """Write every table to a temporary file, then move them into place, reports.csv last."""
    staged: list[tuple[Path, Path]] = []
    try:
        for table in sorted(tables, key=lambda t: t == _ORDER_LAST):
            fd, tmp = tempfile.mkstemp(prefix=f".{table}.", suffix=".csv.tmp", dir=folder)
            staged.append((Path(tmp), _path(folder, table)))
            with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
                write_rows(fh, store_columns()[table], tables[table])
        for tmp, final in staged:
            os.replace(tmp, final)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


class CsvStore(Backend):
    """A CSV folder as a store backend. A transaction gathers the report's changes and
    writes them when it ends (`_write_all`): every report table rewritten without the rows
    of the reports deleted, or of the report stored (stray rows of an earlier, interrupted
    load of it), its new rows added; nothing written when the block raises."""

    sql = False

    def __init__(self, folder: Path) -> None:
        self.folder, self.shown = folder, str(folder)
        self._added: dict[str, list[list[str]]] | None = None
        self._gone: set[str] = set()

    @classmethod
    def open(cls, folder: Path | str, create: bool = True, readonly: bool = False) -> CsvStore:
        """The CSV store in `folder` (made on the first load). A folder to read
        (`readonly`, or not `create`) must exist; a file is refused."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder}: is a file, not a folder of CSV files")
        if (readonly or not create) and not folder.is_dir():
            raise StoreError(f"{folder}: no such store")
        return cls(folder)

    @property
    def in_transaction(self) -> bool:
        return self._added is not None

    @contextmanager
    def transaction(self, report_id: str | None = None, sha256: str | None = None
                    ) -> Iterator[None]:
        if self._added is not None:
            raise StoreError("a store transaction needs a folder outside a transaction")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._added, self._gone = {}, set()
        try:
            yield
            if self._added:
                self._commit(self._added)
        finally:
            self._added, self._gone = None, set()

    def _commit(self, added: dict[str, list[list[str]]]) -> None:
        columns = store_columns()
        at = columns["reports"].index("report_id")
        gone = self._gone | {row[at] for row in added.get("reports", [])}
        out: dict[str, list[list[str]]] = {}
        for table, cols in columns.items():
            if table == "ingest_errors":
                continue
            if table == "indicators":
                out[table] = [[i.indicator_id, i.name, i.polarity] for i in registry.INDICATORS]
                continue
            where = cols.index("report_id")
            kept = [row for row in read_rows(self.folder, table) if row[where] not in gone]
            out[table] = kept + added.get(table, [])
        _write_all(self.folder, out)

    def _reports(self) -> list[dict[str, str]]:
        return read_table(self.folder, "reports")

    def find_by_sha256(self, sha256: str) -> str | None:
        return next((r["report_id"] for r in self._reports() if r["sha256"] == sha256), None)

    def find_report(self, report_id: str) -> StoredReport | None:
        row = next((r for r in self._reports() if r["report_id"] == report_id), None)
        return StoredReport(row["report_id"], row["source_file"], row["sha256"],
                            row["loaded_at"]) if row else None

    def delete_report(self, report_id: str) -> None:
        self._gone.add(report_id)

    def insert_rows(self, table: str, columns: Sequence[str],
                    records: Iterable[Mapping[str, Any]]) -> int:
        if self._added is None:
            raise StoreError("rows go into a CSV folder inside a transaction")
        rows = [_text_row(columns, rec) for rec in records]
        self._added.setdefault(table, []).extend(rows)
        return len(rows)

    def sync_indicators(self) -> None:
        """indicators.csv is written from the registry with every load (`_commit`)."""

    def record_ingest_error(self, path: Path | str, sha256: str | None,
                            reason: str | None) -> None:
        """In DIR/ingest_errors.csv, at once."""
        columns = store_columns()["ingest_errors"]
        name, where = Path(path).name, (columns.index("source_file"), columns.index("sha256"))
        rows = read_rows(self.folder, "ingest_errors")
        kept = [r for r in rows if (r[where[0]], r[where[1]]) != (name, sha256 or "")]
        if reason is None and len(kept) == len(rows):
            return  # nothing to clear: no file written
        self.folder.mkdir(parents=True, exist_ok=True)
        if reason is not None:
            next_id = max((int(r[0]) for r in rows if r and r[0].isdigit()), default=0) + 1
            kept.append(_text_row(columns, {"id": next_id, "source_file": name,
                                            "sha256": sha256, "reason": reason,
                                            "at": utc_now()}))
        _write_all(self.folder, {"ingest_errors": kept})

    def read_table(self, table: str, report_id: str | None = None) -> list[dict[str, Any]]:
        """As text, the way the CSV holds it."""
        rows = read_table(self.folder, table)
        return [r for r in rows if r.get("report_id") == report_id] if report_id else rows

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        raise StoreError(f"{self.folder}: a CSV folder answers no SQL (read its tables)")

    def close(self) -> None:
        """Nothing stays open."""
