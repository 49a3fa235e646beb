"""lkj as a library: read a report, audit reports, keep them in a store, run an archive.

    import lkj

    report = lkj.read("LKj-2023.pdf")              # in this process, no limits
    settings = lkj.ExtractSettings(engine="pdfplumber").with_pairs(["ocr.dpi=200"])
    lkj.read("LKj-2023.pdf", settings)             # how it reads: engines, OCR, limits
    report.tables["iku"]                            # a DataFrame per output table
    findings = lkj.audit(report)                    # where it disagrees with itself
    findings.failed                                 # the findings that failed
    with lkj.Store.open("lkj.sqlite") as store:     # or postgresql://..., or a CSV folder
        store.load(report, findings)
        store.compare(indicator="INDICATOR ID OR WORDING")

    lkj.run("archive/", "lkj.sqlite", jobs=2, progress=print)   # what `lkj run` does

The CLI's commands are these, with messages, exit codes and files around them. Everything
here imports its heavy parts (pdfplumber, pandas, great_expectations) on use.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from lkj.archive.ingest import FileOutcome
    from lkj.extract.report import Extraction
    from lkj.extract.settings import ExtractSettings


@dataclass
class Report:
    """One report as lkj read it: every output table of the contract (README, Output
    contract) as a DataFrame, each value with its raw text, page and flags."""

    extraction: Extraction
    #: The file it was read from (None when read from bytes).
    path: Path | None = None

    @cached_property
    def _frames(self) -> dict[str, pd.DataFrame]:
        return self.extraction.frames()

    @property
    def report_id(self) -> str:
        return str(self.extraction.report["report_id"])

    @property
    def meta(self) -> dict[str, Any]:
        """The `report` record: agency, year, title, pages, sha256, flags, ..."""
        return dict(self.extraction.report)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Output table name -> DataFrame in contract column order ("report", "tables",
        "iku", "quarterly", "events", "budget", "comparison", "stated_totals", "claims",
        "pages", "ocr_cells"); the raw grids are `cells`."""
        return {k: v for k, v in self._frames.items() if k != "cells"}

    @property
    def cells(self) -> pd.DataFrame:
        """Every cell of every table, whatever its family: spans, text as printed, box."""
        return self._frames["cells"]

    @property
    def flags(self) -> list[str]:
        """What lkj doubts or could not read, in words: the report's flags, then each
        table's (`Tabel 2.3: repeated header dropped on page 15`), then tables listed but
        not found."""
        out = [f for f in str(self.extraction.report.get("flags") or "").split("; ") if f]
        for t in self.extraction.tables:
            name = t.table_id + (f" part {t.part}" if t.part > 1 else "")
            out += [f"Tabel {name}: {f}" for f in t.flags]
        out += [f"Tabel {t['table_id']}: {t['flags']}" for t in self.extraction.missing_tables]
        return out

    def to_files(self, folder: Path | str, format: str = "csv") -> list[Path]:
        """Write every output table into `folder` as `lkj extract` does (csv or json);
        the files written."""
        from lkj.load.files import write_tables

        return write_tables(Path(folder), self.extraction.columned(), format)

    def __repr__(self) -> str:
        return (f"<lkj.Report {self.report_id}: {len(self.extraction.tables)} tables, "
                f"{self.extraction.report.get('pages')} pages>")


def read(source: Path | str | bytes, settings: ExtractSettings | None = None, *,
         engine: str | None = None, name: str = "report.pdf", isolated: bool = False,
         progress: Callable[[str, int, int], Any] | None = None) -> Report:
    """Read one LKj PDF (a path, or its bytes: then `name` is its file name) as `settings`
    (lkj.ExtractSettings: engines, page reader, OCR, limits) say; `engine` sets theirs
    ("both": pdfplumber, cross-checked by camelot; "pdfplumber"; "camelot"). In this
    process, with no limits; `isolated` reads it in a worker process under the settings'
    time and memory limits, as `lkj extract` does (for an untrusted file: a page that never
    ends, a file that takes all memory, is then a ReportError). `progress(step, page,
    pages)` is told of each page as it is begun. A file lkj cannot read raises
    lkj.ReportError with the reason (`str(exc)`: `FILE: reason`)."""
    from lkj.extract.settings import ExtractSettings

    if engine is not None:
        settings = dataclasses.replace(settings or ExtractSettings(), engine=engine)
    if not isinstance(source, (bytes, bytearray)):
        path = Path(source)
        return Report(_extract(path, settings, isolated, progress), path)
    from lkj.extract.document import ReportError

    with tempfile.TemporaryDirectory(prefix="lkj-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(bytes(source))
        try:
            extraction = _extract(path, settings, isolated, progress)
        except ReportError as exc:  # named as the caller knows it, not by the temporary file
            raise ReportError(Path(name), exc.reason) from None
    extraction.path = None  # the temporary file is gone: no path to keep
    return Report(extraction)


def _extract(path: Path, settings: ExtractSettings | None, isolated: bool,
             progress: Callable[[str, int, int], Any] | None) -> Extraction:
    if not isolated:
        from lkj.extract.report import extract_report

        return extract_report(path, settings, progress)
    from lkj.archive.batch import read_file

    told = None if progress is None else (
        lambda _path, where: progress(where.step, where.page, where.pages))
    return read_file(path, settings, told)


@dataclass
class Findings:
    """The outcome of every check on some reports: one row per finding (failed, held or not
    checked), the contract's `findings` columns."""

    frame: pd.DataFrame
    reports: list[Report]

    @property
    def failed(self) -> pd.DataFrame:
        """The findings that failed (errors and warnings)."""
        return self.frame[self.frame["status"] == "failed"].reset_index(drop=True)

    @property
    def errors(self) -> int:
        return int(((self.frame["status"] == "failed")
                    & (self.frame["severity"] == "error")).sum())

    @property
    def warnings(self) -> int:
        return int(((self.frame["status"] == "failed")
                    & (self.frame["severity"] == "warning")).sum())

    def records(self) -> list[dict[str, Any]]:
        """The findings as records, missing values as None (what a store loads)."""
        return [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()}
                for r in self.frame.to_dict("records")]

    def of(self, report: Report | str) -> list[dict[str, Any]]:
        """The records of one report (a Report or its id)."""
        rid = report.report_id if isinstance(report, Report) else report
        return [r for r in self.records() if r["report_id"] == rid]

    def to_html(self, path: Path | str) -> Path:
        """The auditor's page (as `lkj check` writes it) at `path`; returns it."""
        import pandas as pd

        from lkj.auditpage.html import render
        from lkj.extract.folios import folios_of

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        pages = [r.tables["pages"] for r in self.reports]
        folios = folios_of(pd.concat(pages, ignore_index=True) if pages else None)
        return render(self.records(), [r.meta for r in self.reports], path,
                      {r.report_id: r.path.resolve() for r in self.reports if r.path},
                      folios, [c for r in self.reports for c in r.cells.to_dict("records")])

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        return (f"<lkj.Findings {len(self.frame)} findings: {self.errors} errors, "
                f"{self.warnings} warnings>")


def audit(reports: Report | Iterable[Report]) -> Findings:
    """Every check (README, Checks) on these reports, one with another (a figure one report
    states twice is compared; reports of other agencies or years are not mixed)."""
    from lkj.expectations.audit import audit_frames, frames_of

    reports = [reports] if isinstance(reports, Report) else list(reports)
    if not reports:
        raise ValueError("audit needs at least one report")
    frame = audit_frames(frames_of(r.extraction for r in reports))
    return Findings(frame.reset_index(drop=True), reports)


class Store:
    """Where reports are kept: a SQLite file, a PostgreSQL database (`postgresql://...`)
    or a folder of CSV files, with the same decisions in each: a report is stored once
    (the same file again is `unchanged`), another file of a stored report is a `conflict`
    unless `replace=True`, and a report is stored whole or not at all."""

    def __init__(self, location: Path | str, csv: bool = False,
                 also_csv: Path | str | None = None, readonly: bool = False) -> None:
        """The store at `location`: a CSV folder if `csv`, else a database (a SQLite path or
        a postgresql:// URL; a folder is refused), and with `also_csv` a CSV folder kept
        beside the database with the same decisions (`lkj load --csv DIR`). `readonly`:
        the store must exist, and nothing in it is created or changed (`lkj compare`)."""
        from lkj.archive.ingest import Stores

        self.location = location
        self._stores = (Stores(csv_dir=Path(location), readonly=readonly) if csv else
                        Stores(db=location, csv_dir=Path(also_csv) if also_csv else None,
                               readonly=readonly))

    @classmethod
    def open(cls, location: Path | str, readonly: bool = False) -> Store:
        """A store at `location`, created if missing (with `readonly`, it must exist and is
        not changed): a postgresql:// URL; a folder (one that exists, or a path ending in /)
        is a CSV store; any other path a SQLite file. An unusable location raises
        lkj.StoreError with the reason."""
        from lkj.load.store import is_postgres_url

        text = str(location)
        if is_postgres_url(text):
            return cls(text, csv=False, readonly=readonly)
        path = Path(location)
        return cls(path, csv=path.is_dir() or text.endswith(("/", "\\")), readonly=readonly)

    @property
    def is_csv(self) -> bool:
        return self._stores.sql is None

    @property
    def _main(self) -> Any:
        """The backend read from: the database, else the CSV folder."""
        return self._stores.sql or self._stores.opened[0][1]

    def load(self, report: Report, findings: Findings | None = None,
             replace: bool = False) -> str:
        """Store one report with its findings (those of `findings` that are its own; None:
        audited here first), by the same decisions as `lkj load` (ingest.store_one: a
        conflict or a report stored incomplete is a row in ingest_errors too). Returns what
        happened: loaded, unchanged, replaced, conflict (not stored: `last_message` says
        which file holds it) or failed (the store refused the rows: `last_message` says
        why)."""
        from lkj.archive.ingest import store_one

        findings = findings if findings is not None else audit(report)
        path = report.path or Path(str(report.meta["source_file"]))
        outcome = store_one(self._stores, path, report.meta.get("sha256"), report.extraction,
                            findings.of(report), replace)
        self.last_message = outcome.message
        return outcome.status

    def table(self, name: str, report_id: str | None = None) -> pd.DataFrame:
        """One store table (`reports`, `iku`, `findings`, `cells`, ...), of one report or
        all, in the order stored."""
        import pandas as pd

        return pd.DataFrame(self._main.read_table(name, report_id))

    def reports(self, agency: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The reports stored: one row each (agency, year, file, sha256, pages, ...); of
        one agency (its id, name or an alias) or one year if given."""
        import pandas as pd

        from lkj.load.store import store_columns
        from lkj.schemas import registry

        store = self._main
        found = registry.match_agency(agency) if agency else None
        ids = {r.report_id for r in store.find_reports(
            found.agency_id if found else agency, year)}
        return pd.DataFrame([r for r in store.read_table("reports") if r["report_id"] in ids],
                            columns=list(store_columns()["reports"]))

    def compare(self, indicator: str | None = None, agency: str | None = None
                ) -> pd.DataFrame:
        """Target, realisasi and capaian of each indicator year by year (`lkj compare`):
        one row per agency, indicator and year. SQL stores only."""
        import pandas as pd

        from lkj.compare import COMPARE_COLUMNS, compare_rows

        if self.is_csv:
            raise NotImplementedError("compare reads a SQL store (SQLite or PostgreSQL); "
                                      "a CSV folder holds the tables to read with pandas")
        rows = compare_rows(self._stores.sql, agency=agency, indicator=indicator)
        return pd.DataFrame(rows, columns=COMPARE_COLUMNS)

    def close(self) -> None:
        self._stores.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        from lkj.load.opened import shown_store

        return f"<lkj.Store {shown_store(self.location)}>"


def _pdfs(paths: Path | str | Iterable[Path | str], recursive: bool) -> list[Path]:
    """A folder's PDFs (as `lkj run` lists them), or the paths given."""
    from lkj.load.files import pdfs_in

    if isinstance(paths, (str, Path)):
        return pdfs_in(Path(paths), recursive) if Path(paths).is_dir() else [Path(paths)]
    return [Path(p) for p in paths]


def run(paths: Path | str | Iterable[Path | str], store: Store | Path | str,
        settings: ExtractSettings | None = None, jobs: int | None = None,
        replace: bool = False, recursive: bool = False, cluster: str | None = None,
        progress: Callable[[FileOutcome], Any] | None = None,
        reading: dict[Path, Any] | None = None) -> list[FileOutcome]:
    """Read, check and store every PDF of a folder (or the paths given), as `lkj run`
    does: each file read as `settings` say (lkj.ExtractSettings) in a worker process under
    their limits (`limits.seconds` per page, `limits.memory_mb` MiB), `jobs` at once
    (default: every core) or on a Dask cluster (`cluster="tcp://HOST:8786"`).
    `progress(outcome)` is told of each file as it is done; the outcomes (path, status,
    report_id, message, tables, rows, errors, warnings, pages) come back in input order.
    A file that cannot be read is an outcome with status `failed`, never an exception.
    `reading`, a dict, is kept up to date with where each file being read by local workers
    is (path -> page): what `lkj run`'s progress bar shows."""
    from lkj.archive.ingest import ingest_many

    with contextlib.ExitStack() as stack:
        if not isinstance(store, Store):
            store = stack.enter_context(Store.open(store))
        reader = None
        if cluster:
            from lkj.archive.cluster import ClusterReader

            reader = stack.enter_context(ClusterReader(cluster))
        outcomes = []
        for outcome in ingest_many(_pdfs(paths, recursive), store._stores, settings, replace,
                                   jobs, reader=reader, reading=reading):
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
        return outcomes


