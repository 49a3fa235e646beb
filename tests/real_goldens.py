"""Typed goldens of the real documents (tests/golden/real/) against what lkj reads.

The goldens were typed by a person from the page images of ../shared/real (see each folder's
NOTES.md), never produced by the code. This module compares lkj's tidy rows with them, row
by row, so that a test can hold a file exact and `python tests/real_goldens.py` can print
the table of the README.

Kinds of golden file, by name: `pengukuran-*.csv` (indicator rows, compared with `iku`),
`anggaran-*.csv` and `tabel-*.csv` (budget lines, compared with `budget`),
`perbandingan-*.csv` (one figure of an indicator in one column of a comparison over years,
compared with `comparison`).
"""

from __future__ import annotations

import csv
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "real"
REAL = HERE.parent.parent / "shared" / "real"

#: golden column -> lkj column, per kind; the first pair is the row's name.
FIELDS = {
    "iku": (("indikator", "indicator"), ("target", "target_raw"),
            ("realisasi", "realisasi_raw"), ("capaian", "capaian_raw")),
    "budget": (("name", "name_raw"), ("anggaran", "pagu_raw"), ("realisasi", "realisasi_raw"),
               ("pct", "realisasi_pct_raw")),
}
#: Column names of the Renja's table, where they differ from the budget goldens'.
ALIASES = {"kegiatan": "name", "target_anggaran": "anggaran", "realisasi_anggaran": "realisasi"}


#: A list mark before a name ("- Jumlah produksi padi", a symbol font's arrow in the Private
#: Use Area): the goldens leave it out, lkj keeps the cell as printed; names are compared
#: without it.
_LIST_MARK = re.compile(r"^\s*(?:[-•➢–▪\uf000-\uf0ff]|\d+(?:\.\d+)*[.)]?|[a-z][.)])\s+", re.I)


def _norm(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return " ".join(str(value).split())


#: A symbol font's list mark inside a name (a sub-item's arrow after a wrapped line).
_SYMBOL_MARK = re.compile(r"[\uf000-\uf0ff]\s*")


def _name(value: object) -> str:
    return _norm(_SYMBOL_MARK.sub("", _LIST_MARK.sub("", _norm(value))))


@dataclass
class Outcome:
    """One golden file against lkj's rows: each golden row exact, wrong or missing."""

    golden: str
    rows: int = 0
    exact: int = 0
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: Of the exact and the wrong rows, those lkj says it read in doubt (`in_doubt`).
    flagged_exact: int = 0
    flagged_wrong: int = 0

    def read(self, row, exact: bool) -> None:
        """Count a golden row matched to lkj's `row` (exact, or else wrong: the caller
        lists it), and whether lkj flagged that reading."""
        if exact:
            self.exact += 1
        if in_doubt(row):
            self.flagged_exact += exact
            self.flagged_wrong += not exact

    @property
    def ok(self) -> bool:
        return self.exact == self.rows


def in_doubt(row) -> bool:
    """Whether lkj flagged the reading of this row: a structure read from the text's
    alignment, a capaian printed once for several rows, characters drawn over each other,
    or an OCR cell it was unsure of (the flags the checks turn into warnings)."""
    from lkj.expectations.rules import STRUCTURE_FLAGS
    from lkj.extract.confidence import flagged_columns
    from lkj.schemas.families import GLYPHS_OVERLAP

    flags = row.get("flags") if row is not None else None
    if not isinstance(flags, str):
        return False
    said = set(flags.split("; "))
    return bool(said & {*STRUCTURE_FLAGS, GLYPHS_OVERLAP}) or bool(flagged_columns(flags))


def kind_of(path: Path) -> str:
    if path.name.startswith("perbandingan"):
        return "comparison"
    return "iku" if path.name.startswith("pengukuran") else "budget"


def _header(value: object) -> str:
    """A column header compared without case or spaces: a word the page breaks over two
    lines ("Pening" / "katan") is the golden's one word."""
    return "".join(_norm(value).lower().split())


def read_golden(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return [{ALIASES.get(k, k): v for k, v in row.items()} for row in csv.DictReader(f)]


def compare(path: Path, frames: dict) -> Outcome:
    """Each golden row of one file against lkj's rows of its kind on the same page."""
    kind = kind_of(path)
    table = frames[kind]
    golden = read_golden(path)
    if kind == "comparison":
        return _compare_comparison(path, golden, table)
    pairs = FIELDS[kind] + ((("program", "group"),) if golden and "program" in golden[0]
                            else ())
    out = Outcome(path.name)
    used: set[int] = set()
    for g in golden:
        out.rows += 1
        if g.get("level") == "total":
            _total(g, frames["stated_totals"], out)
            continue
        want = [_name(g[a]) if i == 0 else _norm(g[a]) for i, (a, _) in enumerate(pairs)]
        page = int(g["page"])
        candidates = [(i, r) for i, r in table.iterrows()
                      if i not in used and int(r["page"]) == page]
        got = {i: [_name(r[b]) if k == 0 else _norm(r[b]) for k, (_, b) in enumerate(pairs)]
               for i, r in candidates}
        exact = next((i for i, v in got.items() if v == want), None)
        if exact is not None:
            used.add(exact)
            out.read(table.loc[exact], True)
            continue
        named = next((i for i, v in got.items() if v[0] == want[0]), None)
        if named is not None:
            used.add(named)
            out.read(table.loc[named], False)
            diffs = [f"{a}: {w!r} read {v!r}"
                     for (a, _), w, v in zip(pairs, want, got[named], strict=True) if w != v]
            out.wrong.append(f"p{page} {want[0][:40]!r}: " + "; ".join(diffs))
        else:
            out.missing.append(f"p{page} {want[0][:60]!r}")
    return out


def _compare_comparison(path: Path, golden: list[dict[str, str]], table) -> Outcome:
    """Each golden figure (indicator, column header, value) against lkj's comparison rows
    on its page: exact, wrong (the indicator and column found, another value) or missing."""
    out = Outcome(path.name)
    used: set[int] = set()
    rows = [(i, int(r["page"]), _name(r["indicator"]), _header(r["column"]),
             _norm(r["value_raw"])) for i, r in table.iterrows()]
    for g in golden:
        out.rows += 1
        page, name, header, value = (int(g["page"]), _name(g["indikator"]),
                                     _header(g["header"]), _norm(g["value"]))
        here = [r for r in rows if r[0] not in used and r[1:4] == (page, name, header)]
        exact = next((r for r in here if r[4] == value), None)
        if exact is not None:
            used.add(exact[0])
            out.read(table.loc[exact[0]], True)
        elif here:
            used.add(here[0][0])
            out.read(table.loc[here[0][0]], False)
            out.wrong.append(f"p{page} {name[:40]!r} {g['header']!r}: {value!r} read "
                             f"{here[0][4]!r}")
        else:
            out.missing.append(f"p{page} {name[:50]!r} {g['header']!r}")
    return out


def _total(g: dict[str, str], totals, out: Outcome) -> None:
    """A total row: each figure it prints is a stated total lkj read on its page."""
    page = int(g["page"])
    stated = {_norm(r["stated_raw"]) for _, r in totals.iterrows()
              if int(r["page"]) == page}
    want = [v for k in ("anggaran", "realisasi", "pct") if (v := _norm(g.get(k)))]
    lost = [v for v in want if v not in stated]
    if not lost:
        out.read(None, True)
    elif len(lost) < len(want):
        out.wrong.append(f"p{page} total {g['name']!r}: not read as stated totals: {lost}")
    else:
        out.missing.append(f"p{page} total {g['name']!r}")


def golden_files() -> dict[str, list[Path]]:
    """PDF name -> its golden CSVs."""
    return {f"{d.name}.pdf": sorted(d.glob("*.csv")) for d in sorted(GOLDEN.iterdir())
            if d.is_dir()}


#: The tidy tables the goldens are compared with.
KINDS = ("iku", "budget", "comparison", "stated_totals")


def stored_frames(db: Path, pdf: str) -> dict:
    """The tidy tables of one file as `lkj run` stored them in a SQLite store."""
    import pandas as pd

    from lkj.load.sqlite import SqliteStore
    from lkj.load.store import store_table
    from lkj.schemas import contract

    with SqliteStore.open(db, readonly=True) as store:
        ((rid,),) = store.query("SELECT report_id FROM reports WHERE source_file = :f",
                                {"f": pdf})
        return {k: pd.DataFrame(store.read_table(store_table(k), rid),
                                columns=["report_id", *contract.COLUMNS[k]]) for k in KINDS}


def compare_all(pdf: str, frames: dict) -> list[Outcome]:
    """Every golden file of one PDF against its tidy tables."""
    return [compare(p, frames) for p in golden_files()[pdf]]


def check_report(pdf: str) -> tuple[list[Outcome], float]:
    from lkj.extract.report import extract_report
    from lkj.extract.settings import ExtractSettings

    start = time.perf_counter()
    frames = extract_report(REAL / pdf, ExtractSettings(engine="pdfplumber")).frames()
    seconds = time.perf_counter() - start
    return compare_all(pdf, frames), seconds


def main() -> None:
    verbose = "-v" in sys.argv
    print("| file | golden rows | exact | wrong | missing | flagged | seconds |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for pdf in golden_files():
        outcomes, seconds = check_report(pdf)
        rows = sum(o.rows for o in outcomes)
        flagged = (sum(o.flagged_exact for o in outcomes), sum(o.flagged_wrong for o in outcomes))
        print(f"| {pdf} | {rows} | {sum(o.exact for o in outcomes)} | "
              f"{sum(len(o.wrong) for o in outcomes)} | "
              f"{sum(len(o.missing) for o in outcomes)} | "
              f"{flagged[0]} exact, {flagged[1]} wrong | {seconds:.1f} |")
        if verbose:
            for o in outcomes:
                for line in o.wrong + o.missing:
                    print(f"    {o.golden}: {line}")


if __name__ == "__main__":
    main()
