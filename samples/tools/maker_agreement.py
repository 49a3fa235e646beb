"""How well extraction agrees across PDF makers: maker PDFs against the reference renderer.

Usage: python samples/tools/maker_agreement.py [--only NAME] [--maker MAKER] [--engine E]
                                               [--show N] [--by-table] [--keep DIR]

For each report NAME and maker, runs `lkj extract PDF --out DIR --silent --engine pdfplumber`
on samples/makers/<maker>/NAME.pdf (made by samples/tools/makers.py) and on samples/NAME.pdf
(the reference renderer, lkjdoc.py; its 2023 output is the typed golden
tests/golden/lkj-bp3mi-ntb-2023), and compares the tidy tables iku, quarterly, events, budget,
comparison and stated_totals on their value columns: every column of lkj/schemas/contract.py
COLUMNS but the provenance ones (contract.PROVENANCE: report_id, table_id, table_part, row,
page) and flags. Page numbers, table parts and row numbers depend on where a maker breaks pages; the
values must not.

Rows are matched per table (table_id) in reading order (difflib alignment of the value
tuples): equal rows; differing rows (aligned opposite each other, some value differs);
missing rows (in the reference only); extra rows (in the maker's only). Prints a report x
maker table, the seconds each extract took, and the first differences of each pair.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from lkj.schemas.contract import COLUMNS, PROVENANCE

SAMPLES = Path(__file__).resolve().parents[1]
MAKERS_DIR = SAMPLES / "makers"
GOLDEN = SAMPLES.parent / "tests" / "golden"
MAKERS = ("docx-lo", "html-lo", "html-chromium")
TABLES = ("iku", "quarterly", "events", "budget", "comparison", "stated_totals")
NOT_VALUES = set(PROVENANCE) | {"flags"}  # where and how a value was read, not the value


def value_columns(table: str) -> list[str]:
    return [c for c in COLUMNS[table] if c not in NOT_VALUES]


def lkj_command() -> list[str]:
    here = Path(sys.executable).parent / "lkj"
    return [str(here) if here.exists() else (shutil.which("lkj") or "lkj")]


#: With --lkj-rev: a source tree of lkj (git archive of that revision) run instead of the
#: installed (editable) one: `python -m lkj.pipeline` with it first on PYTHONPATH.
LKJ_SRC: Path | None = None


def lkj_at(rev: str, into: Path) -> Path:
    """`git archive REV lkj` unpacked into `into` (the repository is only read)."""
    repo = SAMPLES.parent
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev, "lkj"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


@dataclass
class Extract:
    pdf: Path
    out: Path
    seconds: float
    error: str | None = None

    def rows(self, table: str) -> list[dict[str, str]]:
        path = self.out / f"{table}.csv"
        if self.error or not path.exists():
            return []
        with path.open(newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))


def extract(pdf: Path, out: Path, engine: str) -> Extract:
    args = ["extract", str(pdf.resolve()), "--out", str(out.resolve()), "--silent",
            "--engine", engine]
    env, cwd = None, None
    if LKJ_SRC is None:
        cmd = lkj_command() + args
    else:  # run from elsewhere so that the checkout's own lkj/ is not on sys.path first
        cmd = [sys.executable, "-m", "lkj.pipeline", *args]
        env = {**os.environ, "PYTHONPATH": str(LKJ_SRC)}
        cwd = str(LKJ_SRC)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    seconds = time.perf_counter() - start
    error = None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()
        error = f"exit {done.returncode}: {tail[-1] if tail else ''}"
    return Extract(pdf, out, seconds, error)


@dataclass
class Agreement:
    ref: int = 0
    equal: int = 0
    differing: int = 0
    missing: int = 0
    extra: int = 0
    flagged: int = 0  # of the maker's rows equal to the reference's, those read in doubt
    notes: list[str] = field(default_factory=list)  # the differences, in order

    def add(self, other: Agreement) -> None:
        self.ref += other.ref
        self.equal += other.equal
        self.differing += other.differing
        self.missing += other.missing
        self.extra += other.extra
        self.flagged += other.flagged
        self.notes += other.notes


def _short(values: dict[str, str], cols: list[str], width: int = 90) -> str:
    text = ", ".join(f"{c}={values[c]!r}" for c in cols if values.get(c))
    return text if len(text) <= width else text[: width - 3] + "..."


def in_doubt(flags: str | None) -> bool:
    """Whether a row's flags say lkj read it in doubt (the flags a check turns into a
    warning: a structure read from the text's alignment, a capaian merged over rows,
    characters drawn over each other, an OCR cell it was unsure of)."""
    from lkj.expectations.rules import STRUCTURE_FLAGS
    from lkj.extract.confidence import flagged_columns
    from lkj.schemas.families import GLYPHS_OVERLAP

    said = set((flags or "").split("; "))
    return bool(said & {*STRUCTURE_FLAGS, GLYPHS_OVERLAP}) or bool(flagged_columns(flags))


def compare(table: str, ref: list[dict[str, str]], got: list[dict[str, str]]) -> Agreement:
    """Align the rows of each table_id in reading order and count what matches."""
    cols = value_columns(table)
    out = Agreement(ref=len(ref))
    ids = list(dict.fromkeys([r["table_id"] for r in ref] + [r["table_id"] for r in got]))
    for tid in ids:
        a = [r for r in ref if r["table_id"] == tid]
        b = [r for r in got if r["table_id"] == tid]
        ta = [tuple(r.get(c, "") for c in cols) for r in a]
        tb = [tuple(r.get(c, "") for c in cols) for r in b]
        where = f"{table} Tabel {tid}"
        matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                out.equal += i2 - i1
                out.flagged += sum(in_doubt(r.get("flags")) for r in b[j1:j2])
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                ra, rb = a[i1 + k], b[j1 + k]
                diffs = [f"{c}: {ra.get(c, '')!r} -> {rb.get(c, '')!r}" for c in cols
                         if ra.get(c, "") != rb.get(c, "")]
                out.differing += 1
                out.notes.append(f"differs  {where} ref row {ra.get('row', '?')}: "
                                 + "; ".join(diffs[:4]) + (" ..." if len(diffs) > 4 else ""))
            for ra in a[i1 + pairs:i2]:
                out.missing += 1
                out.notes.append(f"missing  {where} ref row {ra.get('row', '?')}: "
                                 f"{_short(ra, cols)}")
            for rb in b[j1 + pairs:j2]:
                out.extra += 1
                out.notes.append(f"extra    {where} row {rb.get('row', '?')}: {_short(rb, cols)}")
    return out


def golden_check(ref: Extract, name: str) -> str | None:
    """Whether the reference extraction equals the typed golden (where there is one)."""
    golden = GOLDEN / name
    if not (golden / "report.csv").is_file():  # none, or typed in another form (synth-*:
        return None                            # tests/test_synthetic_offices.py holds those)
    same = [t for t in TABLES if (golden / f"{t}.csv").exists()
            and (ref.out / f"{t}.csv").read_bytes() == (golden / f"{t}.csv").read_bytes()]
    return "equal" if len(same) == len(TABLES) else f"DIFFERS in {sorted(set(TABLES) - set(same))}"


def reports() -> list[str]:
    return sorted(p.stem for p in SAMPLES.glob("*.pdf"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="NAME", action="append", help="this report; repeatable")
    parser.add_argument("--maker", choices=MAKERS, action="append", help="this maker; repeatable")
    parser.add_argument("--makers-dir", type=Path, default=MAKERS_DIR,
                        help="where the maker PDFs are (default: samples/makers)")
    parser.add_argument("--engine", default="pdfplumber",
                        choices=["pdfplumber", "camelot", "both"], help="lkj extract --engine")
    parser.add_argument("--show", type=int, default=5, metavar="N",
                        help="differences to print per report and maker (default 5)")
    parser.add_argument("--by-table", action="store_true",
                        help="also print the counts per output table")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the extraction outputs in DIR/<maker>/<NAME>")
    parser.add_argument("--lkj-rev", metavar="REV",
                        help="extract with lkj as committed at git revision REV (e.g. HEAD) "
                             "instead of the working tree")
    args = parser.parse_args(argv)
    global LKJ_SRC
    names = args.only or reports()
    makers = args.maker or list(MAKERS)

    with tempfile.TemporaryDirectory(prefix="lkj-agreement-") as tmp:
        work = args.keep or Path(tmp)
        if args.lkj_rev:
            LKJ_SRC = lkj_at(args.lkj_rev, Path(tmp) / "lkj-src")
        results: list[tuple[str, str, Agreement, dict[str, Agreement], Extract, Extract]] = []
        golden: dict[str, str | None] = {}
        for name in names:
            ref = extract(SAMPLES / f"{name}.pdf", work / "reference" / name, args.engine)
            if ref.error:
                print(f"reference {name}: extraction failed ({ref.error})", file=sys.stderr)
                return 1
            golden[name] = golden_check(ref, name)
            for maker in makers:
                pdf = args.makers_dir / maker / f"{name}.pdf"
                if not pdf.exists():
                    got = Extract(pdf, work / maker / name, 0.0, "no PDF (run makers.py)")
                else:
                    got = extract(pdf, work / maker / name, args.engine)
                total, per = Agreement(), {}
                for table in TABLES:
                    per[table] = compare(table, ref.rows(table), got.rows(table))
                    total.add(per[table])
                results.append((name, maker, total, per, ref, got))

        which = (f"lkj at git revision {args.lkj_rev}" if args.lkj_rev
                 else "lkj of the working tree")
        print(f"{which}: lkj extract --engine {args.engine}; value columns compared per table:")
        for table in TABLES:
            print(f"  {table}: {', '.join(value_columns(table))}")
        for name in names:
            if golden[name] is not None:
                print(f"reference {name} vs tests/golden/{name}: {golden[name]}")
        print()
        head = (f"{'report':<20} {'maker':<14} {'ref rows':>8} {'equal':>6} {'flagged':>7} "
                f"{'differ':>6} {'missing':>7} {'extra':>6} {'agree %':>7} {'ref s':>6} "
                f"{'maker s':>7}")
        print(head)
        print("-" * len(head))
        grand = Agreement()
        for name, maker, total, _, ref, got in results:
            pct = 100.0 * total.equal / total.ref if total.ref else 100.0
            print(f"{name:<20} {maker:<14} {total.ref:>8} {total.equal:>6} {total.flagged:>7} "
                  f"{total.differing:>6} {total.missing:>7} {total.extra:>6} {pct:>7.1f} "
                  f"{ref.seconds:>6.1f} "
                  f"{got.seconds:>7.1f}" + (f"  ERROR {got.error}" if got.error else ""))
            grand.add(total)
        print("-" * len(head))
        pct = 100.0 * grand.equal / grand.ref if grand.ref else 100.0
        print(f"{'all':<20} {'':<14} {grand.ref:>8} {grand.equal:>6} {grand.flagged:>7} "
              f"{grand.differing:>6} "
              f"{grand.missing:>7} {grand.extra:>6} {pct:>7.1f}")
        for maker in makers:
            m = Agreement()
            for _, mk, total, _, _, _ in results:
                if mk == maker:
                    m.add(total)
            pct = 100.0 * m.equal / m.ref if m.ref else 100.0
            print(f"{'  by maker':<20} {maker:<14} {m.ref:>8} {m.equal:>6} {m.flagged:>7} "
                  f"{m.differing:>6} "
                  f"{m.missing:>7} {m.extra:>6} {pct:>7.1f}")

        if args.by_table:
            print()
            print(f"{'report':<20} {'maker':<14} " + " ".join(f"{t:>22}" for t in TABLES))
            print(f"{'':<35}" + " ".join(f"{'ref/eq/diff/miss/ext':>22}" for _ in TABLES))
            for name, maker, _, per, _, _ in results:
                cells = [f"{a.ref}/{a.equal}/{a.differing}/{a.missing}/{a.extra}"
                         for a in per.values()]
                print(f"{name:<20} {maker:<14} " + " ".join(f"{c:>22}" for c in cells))

        if args.show:
            print()
            print(f"First differences (up to {args.show} per report and maker):")
            for name, maker, total, _, _, _ in results:
                if not total.notes:
                    continue
                print(f"{name} / {maker}:")
                for note in total.notes[: args.show]:
                    print(f"  {note}")
                if len(total.notes) > args.show:
                    print(f"  ... {len(total.notes) - args.show} more")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
