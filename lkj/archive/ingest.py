"""One file in, one outcome out: extract, check and store a report, and never stop a batch.

`ingest_many` is what `lkj load` and `lkj run` do with their PDFs. A file that cannot be
read or stored becomes an outcome with a reason and a row in ingest_errors, a check that
cannot run on a report becomes that report's finding, and the next file goes on. Only a
store that cannot be used at all (StoreError) stops the batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lkj.load.opened import open_store
from lkj.load.store import Backend, LoadResult, StoreError, load
from lkj.schemas import contract

if TYPE_CHECKING:
    from lkj.extract.settings import ExtractSettings

#: Tables whose rows are the report's data (the summary's "rows").
DATA_TABLES = contract.DATA_TABLES
#: Outcomes that leave the report stored.
STORED = ("loaded", "unchanged", "replaced")


@dataclass
class FileOutcome:
    """What became of one file: its status (loaded, unchanged, replaced, conflict, failed)."""

    path: Path
    status: str
    report_id: str | None = None
    message: str = ""
    tables: int = 0
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    #: Whether the checks ran (False while lkj.expectations.audit is absent).
    checked: bool = True
    #: What else to say: the file replaced, a store that differs, columns not stored.
    notes: list[str] = field(default_factory=list)
    #: A stored report that is not whole (a listed table not read): one line, also a row in
    #: ingest_errors.
    warning: str | None = None
    #: Pages of the report (0 where the file was not read as a PDF).
    pages: int = 0

    @property
    def stored(self) -> bool:
        return self.status in STORED


def finding_counts(findings: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """(errors, warnings) among the failed checks (held and unchecked ones are not findings)."""
    errors = warnings = 0
    for f in findings:
        if f.get("status") != "failed":
            continue
        severity = f.get("severity")
        errors += severity == "error"
        warnings += severity == "warning"
    return errors, warnings


class Stores:
    """Where reports go: a database (SQLite or PostgreSQL), a CSV folder, or both: opened
    store backends (lkj.load.store), the same decisions in each."""

    def __init__(self, db: Path | str | None = None, csv_dir: Path | None = None,
                 readonly: bool = False) -> None:
        """`readonly`: the stores must exist, and nothing is created or changed."""
        if db is None and csv_dir is None:
            raise ValueError("give a database, a CSV folder, or both")
        self.db, self.csv_dir = db, csv_dir
        #: The opened stores, each with the name an outcome's notes give it ("db", "csv").
        self.opened: list[tuple[str, Backend]] = []
        if db is not None:
            self.opened.append(("db", open_store(db, create=not readonly, readonly=readonly)))
        if csv_dir is not None:
            self.opened.append(("csv", open_store(csv_dir, create=not readonly,
                                                  readonly=readonly, csv=True)))

    @property
    def sql(self) -> Backend | None:
        """The database, the store that answers SQL (None: a CSV folder only)."""
        return next((s for _, s in self.opened if s.sql), None)

    def __enter__(self) -> Stores:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        while self.opened:
            self.opened.pop()[1].close()

    def stored_report(self, sha256: str) -> str | None:
        """The report_id stored from this file in every store, else None."""
        found = {store.find_by_sha256(sha256) for _, store in self.opened}
        return found.pop() if len(found) == 1 else None

    def load(self, extraction: Any, findings: Sequence[Mapping[str, Any]] | None,
             replace: bool) -> list[tuple[str, LoadResult]]:
        return [(where, load(store, extraction, findings, replace))
                for where, store in self.opened]

    def record_error(self, path: Path, sha256: str | None, reason: str | None) -> None:
        """The file's ingest_errors row in every store (reason None: no row, it is fine)."""
        for _, store in self.opened:
            store.record_ingest_error(path, sha256, reason)

    def summary(self, path: Path, report_id: str) -> FileOutcome:
        """The outcome of a file stored before: its counts read back from the database."""
        outcome = FileOutcome(path, "unchanged", report_id,
                              f"{report_id}: already stored from this file")
        db = self.sql
        if db is None:
            outcome.checked = False
            return outcome
        key = {"rid": report_id}
        one = "SELECT COUNT(*) FROM {} WHERE report_id = :rid"
        (pages,) = (db.query("SELECT pages FROM reports WHERE report_id = :rid", key)
                    or [(0,)])[0]
        outcome.pages = int(pages or 0)
        outcome.tables = db.query(one.format("tables"), key)[0][0]
        outcome.rows = sum(db.query(one.format(t), key)[0][0] for t in DATA_TABLES)
        findings = [{"severity": s, "status": st} for s, st in db.query(
            "SELECT severity, status FROM findings WHERE report_id = :rid", key)]
        outcome.errors, outcome.warnings = finding_counts(findings)
        outcome.checked = bool(findings)  # a checked report has a row per check, held or not
        return outcome


def _sha256(path: Path) -> str | None:
    from lkj.extract.document import sha256_of

    try:
        return sha256_of(path) if path.is_file() else None
    except OSError:
        return None


def _failed(stores: Stores, path: Path, sha: str | None, reason: str) -> FileOutcome:
    stores.record_error(path, sha, reason)
    return FileOutcome(path, "failed", message=reason)


def _known(stores: Stores, path: Path, replace: bool) -> tuple[str | None, FileOutcome | None]:
    """The file's sha256, and its outcome if the same bytes are already stored."""
    sha = _sha256(path)
    known = stores.stored_report(sha) if sha and not replace else None
    return sha, (stores.summary(path, known) if known is not None else None)


def store_one(stores: Stores, path: Path, sha: str | None, extraction: Any,
              findings: list[dict[str, Any]] | None, replace: bool) -> FileOutcome:
    """Store one extracted (and checked) report; a failure is an outcome."""
    try:
        results = stores.load(extraction, findings, replace)
    except StoreError:
        raise
    except (sqlite3.Error, OSError, ValueError, TypeError) as exc:
        return _failed(stores, path, sha, f"could not be stored ({type(exc).__name__}: {exc})")
    counts = {name: len(recs) for name, (_, recs) in extraction.columned().items()}
    errors, warnings = finding_counts(findings or [])
    first = results[0][1]
    outcome = FileOutcome(path, first.status, first.report_id, first.message,
                          len(extraction.tables), sum(counts.get(t, 0) for t in DATA_TABLES),
                          errors, warnings, checked=findings is not None,
                          pages=int(extraction.report.get("pages") or 0))
    conflicts = [r for _, r in results if r.status == "conflict"]
    if conflicts:
        outcome.status, outcome.message = "conflict", conflicts[0].message
        stores.record_error(path, sha, f"conflict: {conflicts[0].message}")
        return outcome
    if first.previous:
        outcome.notes.append(f"replaced {first.previous}")
    if len({r.status for _, r in results}) > 1:
        outcome.notes += [f"{where}: {r.status}" for where, r in results]
    if first.unstored:
        outcome.notes.append(f"not stored (no place in the store): {', '.join(first.unstored)}")
    if first.status != "unchanged":
        outcome.warning = incomplete(findings or [])
        # a warning is this file's row now; None clears the row of an earlier failed attempt
        stores.record_error(path, sha, outcome.warning)
    return outcome


def incomplete(findings: Sequence[Mapping[str, Any]]) -> str | None:
    """One line naming the tables a stored report lacks (failed completeness checks)."""
    lacking = [f for f in findings if f.get("check") == "completeness"
               and f.get("status") == "failed"]
    if not lacking:
        return None
    return "stored incomplete: " + "; ".join(f"{f['subject']}: {f['message']}" for f in lacking)


def _check_batch(extractions: list[Any]) -> dict[int, list[dict[str, Any]] | None]:
    """Findings per extraction (by position), from one great-expectations run per batch.

    Reports that share a report_id (the same report twice in one batch) are checked apart,
    so that their findings cannot mix. A batch whose audit raises is checked again report by
    report: the report on which it raises alone gets a finding saying so, and the others
    their own findings, as if checked without it."""
    ids = [e.report["report_id"] for e in extractions]
    unique = [i for i, rid in enumerate(ids) if ids.count(rid) == 1]
    out: dict[int, list[dict[str, Any]] | None] = {}
    groups = [unique] + [[i] for i in range(len(ids)) if i not in unique]
    todo = [group for group in groups if group]
    while todo:
        group = todo.pop(0)
        try:
            found = run_checks_many([extractions[i] for i in group])
        except Exception as exc:
            if len(group) > 1:
                todo += [[i] for i in group]
                continue
            from lkj.expectations.audit import audit_failure

            found = [audit_failure(ids[group[0]], exc)]
        for i in group:
            out[i] = None if found is None else [f for f in found
                                                  if f["report_id"] == ids[i]]
    return out


def run_checks_many(extractions: list[Any]) -> list[dict[str, Any]] | None:
    """The findings of one audit over several reports; None while the audit is absent."""
    if not extractions:
        return []
    try:
        from lkj.expectations.audit import audit
    except ModuleNotFoundError:
        return None
    return [dict(f) for f in audit(extractions)]


@dataclass
class _Chunk:
    """Files of one chunk: those already stored (their outcome), the others' sha256 and
    positions (read in the background)."""

    paths: list[Path]
    known: dict[int, FileOutcome] = field(default_factory=dict)
    shas: dict[int, str | None] = field(default_factory=dict)
    todo: list[int] = field(default_factory=list)


def _plan(stores: Stores, paths: Sequence[Path], replace: bool) -> _Chunk:
    part = _Chunk([Path(p) for p in paths])
    for i, path in enumerate(part.paths):
        part.shas[i], outcome = _known(stores, path, replace)
        if outcome is not None:
            part.known[i] = outcome
        else:
            part.todo.append(i)
    return part


def ingest_many(paths: Sequence[Path], stores: Stores, settings: ExtractSettings | None = None,
                replace: bool = False, jobs: int | None = None,
                chunk: int = 32, reader: Any = None,
                reading: dict[Path, Any] | None = None) -> Iterator[FileOutcome]:
    """Extract (as the ExtractSettings `settings` say, default its defaults: in parallel
    worker processes, each with the settings' time and memory limits), check
    (one great-expectations run per chunk of files) and store (one transaction per report)
    every file; yield one outcome per file, in order.

    The workers read the next chunk while this one is checked and stored, so they never
    wait for the store; memory holds at most two chunks. A file fed for reading is first
    looked up by its sha256: the same bytes already stored are not read again (a file in
    the next chunk is looked up before this chunk is stored, so the same bytes twice in
    neighbouring chunks are read twice and stored once, as within a chunk).

    `reader` reads the files (an object with batch.read_many's signature, e.g. a
    cluster.ClusterReader); by default local worker processes, and then `reading`, if
    given, is kept up to date with where each file being read is (path -> batch.Where)."""
    from lkj.archive import batch

    read = reader.read_many if reader is not None else batch.read_many
    starts = range(0, len(paths), chunk)
    if not starts:
        return
    with batch.Prefetch(read, settings, jobs) as prefetch:
        if reading is not None:
            prefetch.where = reading
        ahead = _plan(stores, paths[:chunk], replace)
        prefetch.feed([ahead.paths[i] for i in ahead.todo])
        for start in starts:
            part = ahead
            if start + chunk < len(paths):  # the next chunk is read while this one is stored
                ahead = _plan(stores, paths[start + chunk:start + 2 * chunk], replace)
                prefetch.feed([ahead.paths[i] for i in ahead.todo])
            yield from _finish(stores, part, {i: prefetch.next() for i in part.todo}, replace)


def _finish(stores: Stores, part: _Chunk, reads: dict[int, Any],
            replace: bool) -> Iterator[FileOutcome]:
    """Check a chunk's reports (one great-expectations run) and store them, in order."""
    good = [i for i in part.todo if reads[i].ok]
    checked = _check_batch([reads[i].extraction for i in good])
    by_good = dict(zip(good, range(len(good)), strict=True))
    for i, path in enumerate(part.paths):
        sha = part.shas[i]
        if i in part.known:
            yield part.known[i]
        elif not reads[i].ok:
            yield _failed(stores, path, sha, reads[i].reason or "could not be read")
        else:
            yield store_one(stores, path, sha, reads[i].extraction, checked.get(by_good[i]),
                            replace)
