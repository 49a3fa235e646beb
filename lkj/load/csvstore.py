"""The CSV store: the SQLite store's tables as one CSV file each in a folder (`--csv DIR`).

Same columns as the SQLite tables (read from store.sql), same rules: a file already stored
(same sha256 in reports.csv) is "unchanged"; a different file for a stored report_id is a
"conflict" unless replacing (which also re-reads a stored file). Each load rewrites the files
it changes through a temporary file and os.replace, reports.csv last: a reader never sees a
half-written file, and an interrupted load leaves no report listed whose rows are missing
(stray rows of an unlisted report are dropped by the next load of that report). Cells are
written spreadsheet-safe (lkj.load.files.write_rows) and read back as they were.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lkj.load.files import _cell, spreadsheet_text, write_rows
from lkj.load.sqlite import (
    ADDED_COLUMNS,
    LoadResult,
    StoreError,
    store_columns,
    store_records,
    unstored_columns,
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


def load_extraction(folder: Path | str, extraction: Any,
                    findings: Sequence[Mapping[str, Any]] | None = None,
                    replace: bool = False) -> LoadResult:
    """Append one report to the CSV folder (see lkj.load.sqlite.load_extraction)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    columns = store_columns()
    report = extraction.report
    rid, sha = report["report_id"], report["sha256"]
    reports = read_table(folder, "reports")
    same = next((r for r in reports if r["sha256"] == sha), None)
    if same and not replace:
        return LoadResult("unchanged", same["report_id"],
                          f"{same['report_id']}: already stored from this file "
                          f"(sha256 {sha[:12]})")
    old = next((r for r in reports if r["report_id"] == rid), same)
    if old and not replace:
        return LoadResult("conflict", rid,
                          f"{rid}: already stored from another file ({old['source_file']}, "
                          f"sha256 {old['sha256'][:12]}, loaded {old['loaded_at']}): use "
                          f"--replace to replace it", previous=old["source_file"])
    gone = {rid} | ({same["report_id"]} if same else set())
    new = store_records(extraction, findings)
    out: dict[str, list[list[str]]] = {}
    counts = {}
    for table, cols in columns.items():
        if table == "ingest_errors":
            continue
        if table == "indicators":
            out[table] = [[i.indicator_id, i.name, i.polarity] for i in registry.INDICATORS]
            continue
        at = cols.index("report_id")
        kept = [row for row in read_rows(folder, table) if row[at] not in gone]
        added = [_text_row(cols, rec) for rec in new.get(table, [])]
        counts[table] = len(added)
        out[table] = kept + added
    _write_all(folder, out)
    message = f"{rid}: {sum(n for t, n in counts.items() if t != 'reports')} rows"
    if old:
        message += f" (replaced {old['source_file']}, sha256 {old['sha256'][:12]})"
    unstored = unstored_columns(extraction)
    return LoadResult("replaced" if old else "loaded", rid, message, counts,
                      old["source_file"] if old else None, tuple(unstored))


def record_ingest_error(folder: Path | str, path: Path | str, sha256: str | None,
                        reason: str | None) -> None:
    """As lkj.load.sqlite.record_ingest_error, in DIR/ingest_errors.csv: one row per file
    (name and bytes), its latest attempt's; reason None clears it."""
    folder = Path(folder)
    columns = store_columns()["ingest_errors"]
    name, where = Path(path).name, (columns.index("source_file"), columns.index("sha256"))
    rows = read_rows(folder, "ingest_errors")
    kept = [r for r in rows if (r[where[0]], r[where[1]]) != (name, sha256 or "")]
    if reason is None and len(kept) == len(rows):
        return  # nothing to clear: no file written
    folder.mkdir(parents=True, exist_ok=True)
    if reason is not None:
        next_id = max((int(r[0]) for r in rows if r and r[0].isdigit()), default=0) + 1
        kept.append(_text_row(columns, {"id": next_id, "source_file": name, "sha256": sha256,
                                        "reason": reason, "at": utc_now()}))
    _write_all(folder, {"ingest_errors": kept})
