"""The `lkj` command: a thin click layer over the library.

Each command reads its options and calls one library function; errors become
`Error: FILE: reason` and a non-zero exit. Heavy libraries (pdfplumber, camelot, pandas,
great_expectations) are imported inside commands so that `lkj --help` stays instant.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from lkj import __version__
from lkj.extract.engines import ENGINE_CHOICES
from lkj.load.opened import shown_store
from lkj.schemas import contract
from lkj.text import counted

if TYPE_CHECKING:
    from lkj.extract.settings import ExtractSettings


def report_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a ReportError, or an OS error on the way (a full disk, a read-only folder, an
    --out under a file), into `Error: FILE: reason` and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from lkj.extract.document import ReportError

        try:
            return fn(*args, **kwargs)
        except ReportError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            raise click.ClickException(os_error(exc)) from exc

    return wrapper


def os_error(exc: OSError) -> str:
    """An OS error in one line: the file, and what the system said."""
    name = exc.filename if exc.filename is not None else ""
    why = exc.strerror or str(exc)
    if isinstance(exc, (FileExistsError, NotADirectoryError)) and name:
        path = Path(name)
        blocking = next((p for p in (path, *path.parents) if p.is_file()), None)
        if blocking is not None:  # the system names the folder it could not make
            name, why = str(blocking), "is a file, where a folder is needed"
    return f"{name}: {why}" if name else why


def settings_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--engine, --time-limit, --memory-limit and --set KEY=VALUE, shared by every command
    that reads PDFs (each file is read in a worker process under the limits): the command
    is given them as one ExtractSettings, `settings`. The first three are shortcuts for the
    keys `engine`, `limits.seconds` and `limits.memory_mb`, set before the --set pairs (in
    their order); a bad value is a usage error naming the key."""
    from lkj.extract.settings import ExtractSettings

    defaults = ExtractSettings()

    @functools.wraps(fn)
    def wrapper(*args: Any, engine: str, time_limit: float, memory_limit: int,
                pairs: tuple[str, ...], **kwargs: Any) -> Any:
        kwargs["settings"] = _settings([
            ("--engine", "engine", engine), ("--time-limit", "limits.seconds", time_limit),
            ("--memory-limit", "limits.memory_mb", memory_limit),
            *(("--set", None, pair) for pair in pairs)])
        return fn(*args, **kwargs)

    options = [
        click.option(
            "--engine", type=click.Choice(ENGINE_CHOICES), default=defaults.engine,
            show_default=True,
            help="Cell reader: pdfplumber, camelot (lattice, vector), or both (pdfplumber "
                 "cells cross-checked by camelot; disagreements are flagged). Key: engine.",
        ),
        click.option(
            "--time-limit", type=float, default=defaults.limits.seconds, show_default=True,
            metavar="SECONDS",
            help="Time one page may take to read (opening the file too; a long report is "
                 "not cut for its length, a page that never ends is). Key: limits.seconds.",
        ),
        click.option(
            "--memory-limit", type=int, default=defaults.limits.memory_mb, show_default=True,
            metavar="MIB",
            help="Memory one file's reader may use (MiB; 0: no limit). Key: limits.memory_mb.",
        ),
        click.option(
            "--set", "pairs", multiple=True, metavar="KEY=VALUE",
            help="A reading setting (repeatable): engine=camelot, reader=pdfminer, "
                 "ocr.dpi=400, ocr_pages=1,2, ... `lkj settings` lists them.",
        ),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _settings(given: list[tuple[str, str | None, Any]]) -> ExtractSettings:
    """The ExtractSettings of the options, in order: (option, key, value) of each, a
    --set's value being `key=value` already (key None)."""
    from lkj.extract.settings import ExtractSettings

    settings = ExtractSettings()
    for option, key, value in given:
        try:
            settings = settings.with_pairs([f"{key}={value}" if key else value])
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=f"'{option}'") from None
    return settings


def _read(report: Path, settings: ExtractSettings, quiet: bool = False) -> Any:
    """One PDF read in a limited worker (lkj.read, isolated); on a terminal, the page it is
    on is shown on stderr while it reads. Its extraction."""
    import lkj
    from lkj.archive.batch import Where

    shown = not quiet and sys.stderr.isatty()

    def progress(step: str, page: int, pages: int) -> None:
        click.echo(f"\r\x1b[K{report.name}: {Where(step, page, pages)}", err=True, nl=False)

    try:
        return lkj.read(report, settings, isolated=True,
                        progress=progress if shown else None).extraction
    finally:
        if shown:
            click.echo("\r\x1b[K", err=True, nl=False)


#: The store `lkj load`, `lkj run` and `lkj compare` use unless told otherwise.
DEFAULT_DB = "lkj.sqlite"


class StoreLocation(click.ParamType):
    """A SQLite file path, or a postgresql:// URL kept exactly as typed."""

    name = "PATH|URL"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path | str:
        text = str(value)
        if text.lower().startswith(("postgresql:", "postgres:", "postgresql+")):
            return text
        return Path(text)


def db_option(fn: Callable[..., Any] | None = None, *, reads_only: bool = False) -> Any:
    """--db, shared by every command that reads or writes the store; a command that only
    reads it (`reads_only`) refuses a missing store, and its help says so."""
    made = "must exist" if reads_only else "created if missing"

    def wrap(f: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--db", type=StoreLocation(), default=DEFAULT_DB, show_default=True,
            help=f"The store: a SQLite file ({made}) or a postgresql://USER@HOST/DB "
                 "URL (password from PGPASSWORD or ~/.pgpass).",
        )(f)

    return wrap(fn) if fn is not None else wrap


def store_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --csv DIR and --replace, shared by the commands that store reports."""
    fn = click.option(
        "--replace", is_flag=True,
        help="Replace a stored report (same agency and year, or the same file) with this "
             "reading: for a corrected report, or to re-read after upgrading lkj.",
    )(fn)
    fn = click.option(
        "--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
        help="Also keep the store's tables as one CSV file each in this folder.",
    )(fn)
    return db_option(fn)


def store_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an unusable store, or an agency/indicator it does not know, into `Error: ...`."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from lkj.compare import CompareError
        from lkj.load.store import StoreError

        try:
            return fn(*args, **kwargs)
        except (StoreError, CompareError) as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            raise click.ClickException(os_error(exc)) from exc

    return wrapper


class OrderedGroup(click.Group):
    """Commands listed in the order of the workflow, not alphabetically."""

    ORDER = ("run", "extract", "tables", "check", "load", "compare")

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: (self.ORDER.index(n) if n in self.ORDER
                                            else len(self.ORDER), n))


@click.group(cls=OrderedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lkj")
def cli() -> None:
    """Read Indonesian performance reports (LKj) into audited, tidy data.

    \b
    lkj run FOLDER --db lkj.sqlite     extract, check and store every PDF in FOLDER
    lkj extract REPORT.pdf --out DIR   tables of one report as CSV/JSON
    lkj tables REPORT.pdf              list the tables found
    lkj check REPORT.pdf|DIR           audit: where a report disagrees with itself
    lkj load REPORT.pdf...             extract, check and store the files named
    lkj compare --db lkj.sqlite        one agency's indicators, year by year
    lkj serve --db lkj.sqlite          browse the store in Datasette (extra: serve)
    lkj settings                       the reading settings --set KEY=VALUE takes
    """


@cli.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the output files (created if missing).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output file format.")
@settings_options
@click.option("--silent", is_flag=True, help="Print nothing on success.")
@report_errors
def extract(report: Path, out_dir: Path, fmt: str, settings: ExtractSettings,
            silent: bool) -> None:
    """Extract the tables of REPORT.pdf into one file per output table in --out."""
    from lkj.load.files import write_tables

    result = _read(report, settings, silent)
    written = write_tables(out_dir, result.columned(), fmt)
    if silent:
        return
    counts = {name: len(recs) for name, (_, recs) in result.columned().items()}
    click.echo(
        f"{report.name}: {counted(len(result.tables), 'table')} on "
        f"{len(result.table_pages)} of {counted(result.report['pages'], 'page')}, "
        f"engine {settings.engine}, {result.seconds:.1f} s"
    )
    for name in contract.DATA_TABLES:
        click.echo(f"  {name:<14}{counts[name]:>5} rows")
    click.echo(f"  {'cells':<14}{counts['cells']:>5} cells of every table")
    if result.report["flags"]:
        click.echo(f"  note: {report.name}: {result.report['flags']}", err=True)
    flagged = [t for t in result.tables if t.flags]
    for t in flagged:
        click.echo(f"  note: Tabel {t.table_id}: {'; '.join(t.flags)}", err=True)
    for t in result.missing_tables:
        click.echo(f"  missing: Tabel {t['table_id']} ({t['title']}): {t['flags']}", err=True)
    click.echo(f"wrote {counted(len(written), 'file')} to {out_dir}")


@cli.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True,
              help="text: a table for reading, the flags as notes on stderr; csv or json: one "
                   "record per table (the columns of tables.csv, flags in full) on stdout.")
@click.option("--debug", "debug_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also draw each page that holds a table into this folder (PNG): the "
                   "rulings lkj saw in red, the cells it read in blue, each table in green.")
@settings_options
@report_errors
def tables(report: Path, fmt: str, debug_dir: Path | None, settings: ExtractSettings) -> None:
    """List the tables found in REPORT.pdf: id, title, family, pages, rows, engine, and how
    many flags each has. The flags themselves (a cell OCR was unsure of, quarter headers in
    doubt, a disagreement between the engines) follow on stderr, one per line, as notes."""
    result = _read(report, settings, quiet=fmt != "text")
    if debug_dir is not None:
        from lkj.extract.debug import draw_table_pages

        drawn = draw_table_pages(report, result.cells, debug_dir)
        click.echo(f"drew {counted(len(drawn), 'page')} into {debug_dir}", err=True)
    if fmt != "text":
        _echo_records(*result.columned()["tables"], fmt)
        return
    rows = [(t.table_id + (f" ({t.part})" if t.part > 1 else ""), t.title, t.family,
             ",".join(map(str, t.pages)), str(t.n_rows), t.engine,
             {True: "yes", False: "NO", None: "-"}[t.verified], str(len(t.flags)))
            for t in result.tables]
    rows += [(t["table_id"], t["title"], "MISSING", "-", "0", "-", "-", "1")
             for t in result.missing_tables]
    head = ("table", "title", "family", "pages", "rows", "engine", "verified", "flags")
    click.echo(format_table(head, rows, widths={1: 48}))
    if result.report["flags"]:
        click.echo(f"note: {report.name}: {result.report['flags']}", err=True)
    for t in result.tables:
        name = t.table_id + (f" part {t.part}" if t.part > 1 else "")
        for flag in t.flags:
            click.echo(f"note: Tabel {name}: {flag}", err=True)
    for t in result.missing_tables:
        click.echo(f"missing: Tabel {t['table_id']}: {t['flags']}", err=True)


@cli.command("settings")
def settings_command() -> None:
    """List the reading settings `--set KEY=VALUE` takes: key, type, default, meaning."""
    from lkj.extract.settings import describe

    click.echo(format_table(("key", "type", "default", "meaning"), describe()))


def _echo_records(columns: list[str], records: list[dict], fmt: str) -> None:
    """Records on stdout as CSV (a header, then a line each) or as a JSON list."""
    if fmt == "json":
        import json

        click.echo(json.dumps([{c: r.get(c) for c in columns} for r in records],
                              ensure_ascii=False, indent=1))
        return
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    click.echo(buffer.getvalue(), nl=False)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for findings.csv/.json/.html (and the tables of a PDF). "
                   "Default: a folder of extracted CSVs itself, else ./out/NAME-audit.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding of this severity or worse fails.")
@settings_options
@click.option("--silent", is_flag=True, help="Print no findings table, only errors.")
@report_errors
def check(sources: tuple[Path, ...], out_dir: Path | None, fail_on: str,
          settings: ExtractSettings, silent: bool) -> None:
    """Audit reports: where a report disagrees with itself.

    SOURCES are LKj PDFs, folders of PDFs, or folders written by `lkj extract`. Every
    finding names its check, tables, pages, the stated and the computed figure; checks that
    held are listed in the files too.
    """
    from lkj.archive.check import check_sources
    from lkj.expectations.audit import error_count
    from lkj.extract.document import ReportError
    from lkj.load.files import is_extract_folder

    if out_dir is None:
        first = sources[0]
        out_dir = first if len(sources) == 1 and is_extract_folder(first) else \
            Path("out") / f"{first.stem}-audit"
    sources = tuple(_pdfs_of(sources))
    unread: list[str] = []

    def read(path: Path, settings: ExtractSettings) -> Any:
        """One PDF; of several, one that cannot be read is named on stderr and the others
        are checked (exit 1 at the end)."""
        try:
            return _read(path, settings, silent)
        except ReportError as exc:
            if len(sources) == 1:
                raise
            unread.append(str(exc))
            click.echo(f"Error: {exc}", err=True)
            return None

    try:
        run = check_sources(sources, out_dir, settings, read)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    if run is None:
        raise click.ClickException(f"none of the {len(sources)} reports could be read")
    failed = [f for f in run.findings if f["status"] == "failed"]
    if not silent:
        rows = [(f["severity"], f["check"], f["tables"] or "",
                 _pages(f["pages"], run.folios.get(f["report_id"], {})),
                 _num(f["stated"]), _num(f["computed"]), _num(f["difference"]),
                 f["message"]) for f in failed]
        head = ("severity", "check", "tables", "pages", "stated", "computed", "diff", "message")
        if rows:
            click.echo(format_table(head, rows, widths={7: 110}))
        errors, warnings = error_count(run.findings), \
            error_count(run.findings, "warning") - error_count(run.findings)
        held = sum(1 for f in run.findings if f["status"] == "held")
        unchecked = sum(1 for f in run.findings if f["status"] == "not checked")
        click.echo(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}; "
                   f"{counted(held, 'statement')} verified, {unchecked} not checked; "
                   f"details in {out_dir / 'findings.html'}")
    if fail_on != "never" and error_count(run.findings, fail_on):
        if silent:  # the exit status alone would not say why
            n = error_count(run.findings, fail_on)
            click.echo(f"Error: {counted(n, 'finding')} of severity {fail_on} or "
                       f"worse; details in {out_dir / 'findings.html'}", err=True)
        sys.exit(1)
    if unread:
        sys.exit(1)


def _pdfs_of(sources: tuple[Path, ...]) -> Iterator[Path]:
    """The sources of `lkj check`, a folder of PDFs (not written by `lkj extract`) as its
    PDFs in name order; a folder with neither is refused."""
    from lkj.load.files import is_extract_folder, pdfs_in

    for source in sources:
        if not source.is_dir() or is_extract_folder(source):
            yield source
            continue
        pdfs = pdfs_in(source)
        if not pdfs:
            raise click.ClickException(f"{source}: neither PDFs nor a folder written by "
                                       "lkj extract (no report.csv)")
        yield from pdfs


def _pages(pages: Any, folios: dict[int, str]) -> str:
    """'14 (hal. 10)': PDF pages, each with the number printed on it where there is one."""
    from lkj.extract.folios import with_folios

    return ", ".join(p + (f" (hal. {folio})" if folio else "")
                     for p, folio in with_folios(pages, folios))


def _num(v: Any) -> str:
    from lkj.extract.numbers import display_number

    return display_number(v)


def batch_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--jobs and --cluster, shared by the commands that read many files."""
    fn = click.option(
        "--cluster", metavar="ADDRESS",
        help="Read the files on a Dask distributed cluster (tcp://HOST:8786) instead of "
             "local processes; checks and the store stay here.",
    )(fn)
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Files read at once, each in its own process [default: all cores].",
    )(fn)


def _store(db: Path | str, csv_dir: Path | None) -> Any:
    """The store of --db (a database: a folder is refused), with --csv DIR beside it."""
    import lkj

    return lkj.Store(db, also_csv=csv_dir)


def _run(files: list[Path], store: Any, settings: ExtractSettings, replace: bool,
         jobs: int | None, cluster: str | None, **kwargs: Any) -> list:
    """lkj.run over these files, a cluster that cannot be reached `Error: ...`."""
    import lkj
    from lkj.archive.cluster import ClusterError

    try:
        return lkj.run(files, store, settings, jobs, replace, cluster=cluster, **kwargs)
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


#: How a progress line (stderr, not a terminal) starts.
PROGRESS_LABEL = "Read"


def _ingest(files: list[Path], db: Path, csv_dir: Path | None, replace: bool,
            settings: ExtractSettings, jobs: int | None, cluster: str | None,
            progress: bool) -> list:
    """lkj.run with a progress bar (files/s and ETA) on stderr; return the outcomes."""
    outcomes: list = []
    start = time.monotonic()

    reading: dict[Path, Any] = {}  # where each file being read is, kept by lkj.run

    def rates() -> str:
        seconds = max(time.monotonic() - start, 1e-9)
        failed = sum(not o.stored for o in outcomes)
        pages = sum(o.pages for o in outcomes)
        return f"{len(outcomes) / seconds:.2f} files/s, {pages / seconds:.1f} pages/s" + \
            (f", {failed} failed" if failed else "")

    def status(_: Any) -> str:
        now = next(iter(reading.items()), None)  # the oldest file being read
        return rates() + (f"; {now[0].name}: {now[1]}" if now else "")

    terminal = sys.stderr.isatty()
    with _store(db, csv_dir) as store, click.progressbar(
            length=len(files), label="Reading", file=sys.stderr,
            hidden=not (progress and terminal), item_show_func=status) as bar:

        def done(outcome: Any) -> None:
            outcomes.append(outcome)
            bar.update(1, outcome)
            if not outcome.stored or outcome.warning:
                if progress and terminal:
                    click.echo(err=True)  # end the bar's line; it is drawn again below
                echo_problem(outcome)  # the stored ones are in the summary
            if progress and not terminal:  # a log: one line per file
                click.echo(progress_line(outcome, len(outcomes), len(files), rates(),
                                         time.monotonic() - start), err=True)

        return _run(files, store, settings, replace, jobs, cluster, progress=done,
                    reading=reading)


def progress_line(outcome: Any, done: int, total: int, rates: str, seconds: float) -> str:
    """`lkj run`'s line for one file where stderr is not a terminal:
    `Read 3/12 (25%) NAME: loaded; 0.50 files/s, 10.5 pages/s; ETA 18 s`."""
    left = (total - done) * seconds / done if done else 0.0
    eta = f"; ETA {_duration(left)}" if done < total else f"; {_duration(seconds)} in all"
    return (f"{PROGRESS_LABEL} {done}/{total} ({100 * done // max(total, 1)}%) "
            f"{outcome.path.name}: {outcome.status}; {rates}{eta}")


def _duration(seconds: float) -> str:
    """'42 s', '3 min 05 s', '2 h 07 min'."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"



@cli.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_options
@settings_options
@batch_options
@store_errors
def load(reports: tuple[Path, ...], db: Path, csv_dir: Path | None, replace: bool,
         settings: ExtractSettings, jobs: int | None, cluster: str | None) -> None:
    """Extract, check and store each REPORT.pdf; one line per file."""
    with _store(db, csv_dir) as store:
        outcomes = _run(list(reports), store, settings, replace, jobs, cluster,
                        progress=echo_outcome)
    if not all(o.stored for o in outcomes):
        click.get_current_context().exit(1)


#: Above this many files, `lkj run` sums up by status instead of a line per file.
SUMMARY_ROWS = 100


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@store_options
@settings_options
@batch_options
@click.option("--recursive", "-r", is_flag=True, help="Also read PDFs in subfolders.")
@click.option("--silent", is_flag=True, help="No progress bar on stderr.")
@store_errors
def run(folder: Path, db: Path, csv_dir: Path | None, replace: bool,
        settings: ExtractSettings, jobs: int | None, cluster: str | None, recursive: bool,
        silent: bool) -> None:
    """The main job: extract, check and store every *.pdf in FOLDER, then a summary.

    Files are read in parallel, each in its own process with a time and memory limit; the
    checks run once per batch of files; each report is stored in one transaction. A file
    that fails gets a line on stderr and a row in ingest_errors; the others go on. Run it
    again after an interruption: stored files are skipped. Exit 1 if any file was not stored.
    """
    if not folder.is_dir():
        raise click.ClickException(f"{folder}: " + (
            "is a file, not a folder (lkj load reads the files named)" if folder.exists()
            else "no such folder"))
    from lkj.load.files import pdfs_in

    files = pdfs_in(folder, recursive)
    if not files:
        raise click.ClickException(f"{folder}: no *.pdf files")
    outcomes = _ingest(files, db, csv_dir, replace, settings, jobs, cluster, not silent)
    head = ("report", "file", "tables", "rows", "errors", "warnings", "status")
    rows = [outcome_row(o) for o in outcomes]
    if len(rows) > SUMMARY_ROWS:
        rows = [r for r, o in zip(rows, outcomes, strict=True) if not o.stored]
        if rows:
            click.echo(format_table(head, rows))
    else:
        click.echo(format_table(head, rows))
    stored = [o for o in outcomes if o.stored]
    by_status = ", ".join(f"{n} {s}" for s in ("loaded", "replaced", "unchanged")
                          if (n := sum(o.status == s for o in stored)))
    where = shown_store(db) + (f" and {csv_dir}/" if csv_dir else "")
    click.echo(f"{counted(len(outcomes), 'file')}: {len(stored)} stored ({by_status or 'none'}), "
               f"{len(outcomes) - len(stored)} not stored; store {where}")
    if len(stored) < len(outcomes):
        click.get_current_context().exit(1)


def echo_outcome(outcome: Any) -> None:
    """One line for one file: what was stored (stdout), or why not (stderr); a stored report
    that is not whole gets a warning line too (stderr)."""
    if outcome.stored:
        found = (f", {counted(outcome.errors, 'error')}, {counted(outcome.warnings, 'warning')}"
                 if outcome.checked else ", not checked")
        notes = f" ({'; '.join(outcome.notes)})" if outcome.notes else ""
        click.echo(f"{outcome.path.name}: {outcome.status} {outcome.report_id}: "
                   f"{counted(outcome.tables, 'table')}, {counted(outcome.rows, 'row')}"
                   f"{found}{notes}")
    echo_problem(outcome)


def echo_problem(outcome: Any) -> None:
    """The stderr line of a file that was not stored, or stored incomplete (none if fine)."""
    if outcome.status == "failed":
        click.echo(f"Error: {outcome.path}: {outcome.message}", err=True)
    elif outcome.status == "conflict":
        click.echo(f"Error: {outcome.path}: conflict: {outcome.message}", err=True)
    elif outcome.warning:
        click.echo(f"Warning: {outcome.path}: {outcome.warning}", err=True)


def outcome_row(outcome: Any) -> tuple[str, ...]:
    """A file's line in the `lkj run` summary."""
    failed = not outcome.stored
    checked = outcome.checked and not failed
    return (outcome.report_id or "-", outcome.path.name,
            "-" if failed else str(outcome.tables), "-" if failed else str(outcome.rows),
            str(outcome.errors) if checked else "-", str(outcome.warnings) if checked else "-",
            outcome.status)


@cli.command()
@db_option(reads_only=True)
@click.option("--agency", metavar="ID_OR_NAME", help="Only this agency (id, name or alias).")
@click.option("--indicator", metavar="ID_OR_TEXT",
              help="Only this indicator (canonical id, or its wording in a report).")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table to this CSV file.")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw target and realisasi by year (PNG; format from the extension).")
@store_errors
def compare(db: Path, agency: str | None, indicator: str | None, csv_out: Path | None,
            chart: Path | None) -> None:
    """Target, realisasi and capaian of each indicator, year by year, from the store.

    Per indicator and year: the first row in document order that states target and
    realisasi in the same terms (usually the summary table). capaian is as stated;
    recomputed is realisasi / target x 100 (higher-is-better indicators only). A * marks
    a year whose report states other realisasi for the indicator elsewhere.
    """
    import lkj
    from lkj.compare import COMPARE_COLUMNS, draw_chart, number
    from lkj.load.files import write_csv

    with lkj.Store(db, readonly=True) as store:
        frame = store.compare(indicator=indicator, agency=agency)
        rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    if not rows:
        raise click.ClickException(f"{shown_store(db)}: no indicator rows match")
    head = ("agency", "indicator", "year", "target", "realisasi", "capaian", "recomputed",
            "table", "page")
    table = [(r["agency_id"] or "-", r["indicator_id"], str(r["year"]),
              number(r["target"], r["target_unit"]),
              number(r["realisasi"], r["realisasi_unit"])
              + (" *" if (r["realisasi_variants"] or 0) > 1 else ""),
              number(r["capaian_pct"]), number(r["capaian_recomputed"]),
              r["table_id"], str(r["page"])) for r in rows]
    click.echo(format_table(head, table))
    if any((r["realisasi_variants"] or 0) > 1 for r in rows):
        click.echo("* the report states other realisasi for this indicator in other tables")
    if csv_out:
        write_csv(csv_out, COMPARE_COLUMNS, rows)
        click.echo(f"wrote {csv_out} ({len(rows)} rows)", err=True)
    if chart:
        draw_chart(rows, chart)
        click.echo(f"wrote {chart}", err=True)


@cli.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="The SQLite store to browse (must exist; not changed).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open it in a web browser too.")
def serve(db: Path, host: str, port: int, open_browser: bool) -> None:
    """Browse the store in Datasette (the `serve` extra): every table and view with what
    it and each column mean (from the schema), full-text search on claims and table titles.
    A read-only snapshot is served; Ctrl-C stops it."""
    from lkj.load.store import StoreError
    from lkj.serve import ServeError
    from lkj.serve import serve as run_server

    try:
        code = run_server(db, host, port, open_browser)
    except (ServeError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)


def format_table(head: tuple[str, ...], rows: list[tuple[str, ...]],
                 widths: dict[int, int] | None = None) -> str:
    """A plain text table; columns named in `widths` are cut to that many characters."""
    widths = widths or {}

    def cut(i: int, s: str) -> str:
        limit = widths.get(i)
        s = s or ""
        return s if limit is None or len(s) <= limit else s[: limit - 1] + "…"

    cells = [tuple(cut(i, str(v)) for i, v in enumerate(r)) for r in [head, *rows]]
    size = [max(len(r[i]) for r in cells) for i in range(len(head))]
    lines = ["  ".join(v.ljust(size[i]) for i, v in enumerate(r)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * s for s in size))
    return "\n".join(lines)


def main() -> None:
    cli(prog_name="lkj")


if __name__ == "__main__":
    sys.exit(main())
