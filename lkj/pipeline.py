"""The `lkj` command: a thin click layer over the library.

Each command reads its options and calls one library function; errors become
`Error: FILE: reason` and a non-zero exit. Heavy libraries (pdfplumber, camelot, pandas,
great_expectations) are imported inside commands so that `lkj --help` stays instant.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lkj import __version__

ENGINE_CHOICES = ("both", "pdfplumber", "camelot")


def engine_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--engine, shared by every command that reads PDFs."""
    return click.option(
        "--engine", type=click.Choice(ENGINE_CHOICES), default="both", show_default=True,
        help="Cell reader: pdfplumber, camelot (lattice, vector), or both "
             "(pdfplumber cells cross-checked by camelot; disagreements are flagged).",
    )(fn)


def report_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a ReportError into `Error: FILE: reason` and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from lkj.extract.document import ReportError

        try:
            return fn(*args, **kwargs)
        except ReportError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lkj")
def cli() -> None:
    """Read Indonesian performance reports (LKj) into audited, tidy data.

    \b
    lkj extract REPORT.pdf --out DIR   tables of one report as CSV/JSON
    lkj tables REPORT.pdf              list the tables found
    """


@cli.command()
@click.argument("report", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the output files (created if missing).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True, help="Output file format.")
@engine_option
@click.option("--silent", is_flag=True, help="Print nothing on success.")
@report_errors
def extract(report: Path, out_dir: Path, fmt: str, engine: str, silent: bool) -> None:
    """Extract the tables of REPORT.pdf into one file per output table in --out."""
    from lkj.extract.report import extract_report
    from lkj.load.files import write_tables

    result = extract_report(report, engine=engine)
    written = write_tables(out_dir, result.columned(), fmt)
    if silent:
        return
    counts = {name: len(recs) for name, (_, recs) in result.columned().items()}
    click.echo(
        f"{report.name}: {len(result.tables)} tables on {len(result.table_pages)} of "
        f"{result.report['pages']} pages, engine {engine}, {result.seconds:.1f} s"
    )
    for name in ("iku", "quarterly", "events", "budget", "stated_totals"):
        click.echo(f"  {name:<14}{counts[name]:>5} rows")
    flagged = [t for t in result.tables if t.flags]
    for t in flagged:
        click.echo(f"  note: Tabel {t.table_id}: {'; '.join(t.flags)}", err=True)
    click.echo(f"wrote {len(written)} files to {out_dir}")


@cli.command()
@click.argument("report", type=click.Path(path_type=Path))
@engine_option
@report_errors
def tables(report: Path, engine: str) -> None:
    """List the tables found in REPORT.pdf: id, title, family, pages, rows, engine."""
    from lkj.extract.report import extract_report

    result = extract_report(report, engine=engine)
    rows = [(t.table_id + (f" ({t.part})" if t.part > 1 else ""), t.title, t.family,
             ",".join(map(str, t.pages)), str(t.n_rows), t.engine,
             {True: "yes", False: "NO", None: "-"}[t.verified]) for t in result.tables]
    head = ("table", "title", "family", "pages", "rows", "engine", "verified")
    click.echo(format_table(head, rows, widths={1: 48}))


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
