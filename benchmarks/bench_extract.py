"""Time `lkj extract` against raw pdfplumber and raw camelot on the same PDFs and pages.

Run from the repository root (or anywhere):

    .venv/bin/python benchmarks/bench_extract.py                    # the 2023 sample, 5 repeats
    .venv/bin/python benchmarks/bench_extract.py a.pdf reports/ --repeat 3 --json out/bench.json

Every measurement gets one warm-up run, then `--repeat` timed runs. The runs are interleaved
(round robin over the measurements) so that a slow stretch of the machine hits all of them
alike. Import costs are measured once, each in a fresh interpreter, and kept out of the
per-run timings. The result is markdown on stdout (a summary of every file first: lkj
against raw camelot, raw pdfplumber and raw pypdfium2, ratios of this run's medians, and a
line for all files together; then a table per file); progress goes to stderr.

The baseline (1.00x) is what a user would write without lkj: `pdfplumber.open(path)` and
`page.extract_tables()` on every page.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDF = ROOT / "samples" / "lkj-bp3mi-ntb-2023.pdf"
BASELINE = "raw_plumber_all"
#: Modules whose import cost is reported (each timed in a fresh interpreter).
IMPORTS = ("pdfplumber", "camelot", "lkj.extract.report", "great_expectations")
#: Distributions whose versions are reported.
DISTS = ("lkj", "pdfplumber", "pdfminer.six", "camelot-py", "pypdf", "pypdfium2",
         "opencv-python-headless", "pandas", "numpy", "great-expectations")


@dataclass
class Measurement:
    """One timed thing: a label, the pages it reads and its run times in seconds."""

    key: str
    label: str
    pages: str
    run: Callable[[], Any] = field(repr=False)
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def min(self) -> float:
        return min(self.times)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def pdf_paths(args: list[str]) -> list[Path]:
    """PDF files named on the command line; a folder stands for its *.pdf files."""
    paths: list[Path] = []
    for arg in args or [str(DEFAULT_PDF)]:
        p = Path(arg)
        if p.is_dir():
            paths += sorted(q for q in p.iterdir() if q.suffix.lower() == ".pdf")
        else:
            paths.append(p)
    if not paths:
        sys.exit("no PDF files given")
    return paths


def import_seconds(module: str) -> float:
    """Seconds to import `module` in a fresh interpreter (interpreter start excluded)."""
    code = ("import time; t = time.perf_counter(); import " + module
            + "; print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def interpreter_start_seconds() -> float:
    """Wall time of `python -c pass`: the floor of any CLI run."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - start


def lkj_command() -> list[str]:
    """The installed `lkj` console script next to this interpreter, else `python -m`."""
    script = Path(sys.executable).with_name("lkj")
    if script.exists():
        return [str(script)]
    found = shutil.which("lkj")
    return [found] if found else [sys.executable, "-m", "lkj.pipeline"]


def raw_pdfplumber(path: Path, pages: list[int] | None) -> int:
    """What a user writes without lkj: extract_tables() on every page (or on `pages`)."""
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        chosen = pdf.pages if pages is None else [pdf.pages[i - 1] for i in pages]
        for page in chosen:
            n += len(page.extract_tables())
    return n


def raw_camelot(path: Path, pages: str) -> int:
    """camelot's lattice parser with the render-free vector engine."""
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return len(camelot.read_pdf(str(path), pages=pages, flavor="lattice", engine="vector"))


def raw_pdfium_text(path: Path) -> int:
    """pypdfium2 alone: the text of every page (the floor a page reader on pdfium has)."""
    import pypdfium2

    n = 0
    doc = pypdfium2.PdfDocument(str(path))
    try:
        for page in doc:
            text_page = page.get_textpage()
            n += len(text_page.get_text_range())
            text_page.close()
            page.close()
    finally:
        doc.close()
    return n


def lkj_library(path: Path, engine: str, reader: str = "pdfium") -> int:
    from lkj.extract.report import extract_report
    from lkj.extract.settings import ExtractSettings

    return len(extract_report(path, ExtractSettings(engine=engine, reader=reader)).tables)


def lkj_audit(extraction: Any) -> int:
    """The check step alone: rules + great-expectations suites over one extraction."""
    from lkj.expectations.audit import audit

    return len(audit([extraction]))


def lkj_cli(path: Path, out_dir: str) -> int:
    cmd = [*lkj_command(), "extract", str(path), "--out", out_dir, "--engine", "both",
           "--silent"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()}")
    return 0


def measurements(path: Path, n_pages: int, table_pages: list[int], engines: list[str],
                 out_dir: str, with_cli: bool, extraction: Any = None) -> list[Measurement]:
    """Everything timed for one PDF, the baseline first."""
    tp = ",".join(map(str, table_pages))
    span = f"{len(table_pages)} table pages"
    every = f"all {n_pages}"
    ms = [
        Measurement(BASELINE, "raw pdfplumber `extract_tables()`, all pages", every,
                    lambda: raw_pdfplumber(path, None)),
        Measurement("raw_plumber_tables", "raw pdfplumber `extract_tables()`, table pages",
                    span, lambda: raw_pdfplumber(path, table_pages)),
        Measurement("raw_camelot_all", 'raw camelot lattice/vector, `pages="all"`', every,
                    lambda: raw_camelot(path, "all")),
        Measurement("raw_camelot_tables", "raw camelot lattice/vector, table pages", span,
                    lambda: raw_camelot(path, tp)),
        Measurement("raw_pdfium_text", "raw pypdfium2, text of every page", every,
                    lambda: raw_pdfium_text(path)),
    ]
    for engine in engines:
        ms.append(Measurement(f"lkj_{engine}", f'lkj `extract_report`, `engine={engine}`',
                              every, lambda e=engine: lkj_library(path, e)))
    ms.append(Measurement("lkj_pdfminer_reader", 'lkj `extract_report`, `engine=pdfplumber '
                          'reader=pdfminer` (the page reader before pdfium)', every,
                          lambda: lkj_library(path, "pdfplumber", "pdfminer")))
    if extraction is not None:
        ms.append(Measurement("lkj_audit", "lkj check step: `audit()` of one extraction "
                              "(GX already imported)", "-", lambda: lkj_audit(extraction)))
    if with_cli:
        ms.append(Measurement("lkj_cli", "lkj extract CLI, subprocess (engine both)", every,
                              lambda: lkj_cli(path, out_dir)))
    return ms


def run_all(ms: list[Measurement], repeat: int) -> None:
    """One warm-up each, then `repeat` interleaved timed rounds."""
    for m in ms:
        gc.collect()
        m.run()
    for i in range(repeat):
        log(f"  round {i + 1}/{repeat}")
        for m in ms:
            gc.collect()
            start = time.perf_counter()
            m.run()
            m.times.append(time.perf_counter() - start)


def profile_extract(path: Path, top: int) -> dict[str, Any]:
    """cProfile one extract_report (engine both): top entries and extract_report's own calls."""
    from lkj.extract.report import extract_report

    prof = cProfile.Profile()
    prof.enable()
    extract_report(path)
    prof.disable()
    stats: dict[tuple, tuple] = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    stats = {k: v for k, v in stats.items() if "_lsprof" not in k[2] and k[2] != "disable"}
    rows = [{"function": _where(k), "ncalls": v[1], "tottime": v[2], "cumtime": v[3]}
            for k, v in stats.items()]
    root = next(k for k in stats if k[2] == "extract_report")
    total = stats[root][3]
    return {
        "total": total,
        "top_cumulative": sorted(rows, key=lambda r: -r["cumtime"])[:top],
        "top_tottime": sorted(rows, key=lambda r: -r["tottime"])[:top],
        "stages": _main_stages(_children(stats, root), total),
    }


def _main_stages(rows: list[dict[str, Any]], total: float,
                 floor: float = 0.005) -> list[dict[str, Any]]:
    """Stages of at least `floor` of the total, the rest summed into one row."""
    rows = sorted(rows, key=lambda r: -r["cumtime"])
    big = [r for r in rows if r["cumtime"] >= floor * total]
    rest = rows[len(big):]
    if rest:
        big.append({"function": f"({len(rest)} other calls)",
                    "ncalls": sum(r["ncalls"] for r in rest),
                    "cumtime": sum(r["cumtime"] for r in rest)})
    return big


def _children(stats: dict[tuple, tuple], parent: tuple) -> list[dict[str, Any]]:
    """What `parent` called directly, with the time spent under it from `parent`.

    Comprehensions and lambdas of the parent's own file are looked through, so that
    `[page_text(p) for p in pages]` shows as page_text (they are frames only before 3.12).
    """
    out = []
    for key, (_cc, _nc, _tt, _ct, callers) in stats.items():
        if parent not in callers or key == parent:
            continue
        _c, ncalls, _t, cumtime = callers[parent]
        if key[2].startswith("<") and key[0] == parent[0]:
            out += _children(stats, key)
        else:
            out.append({"function": _where(key), "ncalls": ncalls, "cumtime": cumtime})
    return out


def _where(key: tuple) -> str:
    file, line, func = key
    return f"{_short(file)}:{line}({func})" if line else func


def _short(file: str) -> str:
    """A profile file name without the site-packages / repository prefix."""
    f = file.replace("\\", "/")
    for marker in ("site-packages/", str(ROOT).replace("\\", "/") + "/"):
        if marker in f:
            return f.split(marker, 1)[1]
    return f.rsplit("/", 2)[-1] if "/" in f else f


def machine_info() -> dict[str, Any]:
    versions = {}
    for dist in DISTS:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    cpu_model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        git = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                             text=True, cwd=ROOT, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        git = None
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {"cpu_count": os.cpu_count(), "cpus_usable": usable, "cpu": cpu_model or None,
            "platform": platform.platform(), "python": platform.python_version(),
            "versions": versions, "lkj_git": git}


def ratio(x: float, base: float) -> str:
    return f"{x / base:.2f}x"


def markdown_file(path: Path, n_pages: int, table_pages: list[int], n_tables: int,
                  ms: list[Measurement], repeat: int) -> str:
    base = next(m for m in ms if m.key == BASELINE)
    lines = [
        f"### `{path.name}`: {n_pages} pages, {n_tables} LKj tables on pages "
        f"{','.join(map(str, table_pages))}",
        "",
        f"Seconds per run, {repeat} run{'s' * (repeat != 1)} after one warm-up; "
        "ratio = median / median of raw pdfplumber on all pages.",
        "",
        "| measurement | pages | median s | min s | ratio (median) | ratio (min) |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for m in ms:
        lines.append(f"| {m.label} | {m.pages} | {m.median:.3f} | {m.min:.3f} | "
                     f"{ratio(m.median, base.median)} | {ratio(m.min, base.min)} |")
    lines += ["", *[f"- {m.label} = **{ratio(m.median, base.median)}** raw pdfplumber all pages"
                    for m in ms if m is not base]]
    return "\n".join(lines)


#: The summary's columns: (label, numerator key, denominator key), ratios of medians.
SUMMARY = (("lkj extract CLI / raw camelot all", "lkj_cli", "raw_camelot_all"),
           ("lkj extract CLI / raw pdfplumber all", "lkj_cli", BASELINE),
           ("lkj `both` / raw camelot all", "lkj_both", "raw_camelot_all"),
           ("lkj `both` / raw pdfplumber all", "lkj_both", BASELINE),
           ("lkj `pdfplumber` / raw pdfplumber all", "lkj_pdfplumber", BASELINE),
           ("lkj `both` / raw pypdfium2 text", "lkj_both", "raw_pdfium_text"))


def markdown_summary(results: list[dict[str, Any]]) -> str:
    """One line per file and one for all of them (sums of medians): lkj against the raw
    libraries on the same pages, as ratios of this run's medians."""
    def ratios(medians: dict[str, float]) -> list[str]:
        return [ratio(medians[a], medians[b]) if a in medians and b in medians else "-"
                for _, a, b in SUMMARY]

    head = ["file", "pages", *(label for label, _, _ in SUMMARY)]
    lines = ["### Summary: every file of this run", "",
             "| " + " | ".join(head) + " |", "|---|" + "--:|" * (len(head) - 1)]
    total: dict[str, float] = {}
    for r in results:
        medians = {m["key"]: m["median"] for m in r["measurements"]}
        for k, v in medians.items():
            total[k] = total.get(k, 0.0) + v
        where = Path(r["file"])
        lines.append(f"| `{where.parent.name}/{where.name}` | {r['pages']} | "
                     + " | ".join(ratios(medians)) + " |")
    pages = sum(r["pages"] for r in results)
    lines.append(f"| **all {len(results)} files** | {pages} | "
                 + " | ".join(f"**{x}**" for x in ratios(total)) + " |")
    return "\n".join(lines)


def markdown_footer(imports: dict[str, float], start: float, info: dict[str, Any],
                    profile: dict[str, Any] | None, pdf_name: str) -> str:
    lines = ["### Import cost (once, fresh interpreter; not in the timings above)", "",
             "| import | seconds |", "|---|--:|"]
    lines += [f"| `import {mod}` | {sec:.3f} |" for mod, sec in imports.items()]
    lines += [f"| interpreter start (`python -c pass`) | {start:.3f} |", ""]
    v = info["versions"]
    lines += [
        "### Machine",
        "",
        f"- CPU: {info['cpu']} ({info['cpu_count']} CPUs, {info['cpus_usable']} usable)",
        f"- {info['platform']}, Python {info['python']}",
        "- " + ", ".join(f"{k} {val}" for k, val in v.items()),
        f"- lkj working tree: `{info['lkj_git']}`",
    ]
    if profile:
        lines += ["", f'### Profile: one `extract_report` (engine both) on `{pdf_name}`', "",
                  f"cProfile, {profile['total']:.2f} s in all (the profiler slows pdfminer's many "
                  "small calls, so read the shares, not the seconds).", ""]
        lines += _profile_table("Top entries by cumulative time", profile["top_cumulative"],
                                profile["total"])
        lines += _profile_table("Top entries by own time", profile["top_tottime"],
                                profile["total"], share_of="tottime")
        lines += _profile_table("What extract_report calls directly (its stages)",
                                profile["stages"], profile["total"])
        lines += ["`page_text` is the first to touch each page, so its share includes pdfminer's "
                  "parse of every page (`Page.parse_objects`), which raw `extract_tables()` on "
                  "all pages pays as well.", ""]
    return "\n".join(lines)


def _profile_table(title: str, rows: list[dict[str, Any]], total: float,
                   share_of: str = "cumtime") -> list[str]:
    """A markdown table of profile rows; % is `share_of` over the whole extract_report."""
    own = bool(rows) and "tottime" in rows[0]
    lines = [f"{title}:", "",
             "| function | ncalls | " + ("tottime s | " if own else "") + "cumtime s | % |",
             "|---|--:|" + ("--:|" if own else "") + "--:|--:|"]
    for r in rows:
        tottime = f"{r['tottime']:.3f} | " if own else ""
        lines.append(f"| `{r['function']}` | {r['ncalls']} | {tottime}{r['cumtime']:.3f} | "
                     f"{100 * r[share_of] / (total or 1.0):.0f} |")
    return [*lines, ""]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pdfs", nargs="*", help=f"PDF files or folders (default: {DEFAULT_PDF.name})")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (5)")
    p.add_argument("--engines", default="pdfplumber,both",
                   help="lkj engine modes to time, comma separated (pdfplumber,both)")
    p.add_argument("--no-cli", action="store_true", help="skip the subprocess CLI runs")
    p.add_argument("--profile-top", type=int, default=5,
                   help="cProfile entries to show; 0 skips profiling (5)")
    p.add_argument("--json", type=Path, metavar="PATH", help="also save the numbers as JSON")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    from lkj.extract.engines import ENGINE_CHOICES

    if bad := [e for e in args.engines if e not in ENGINE_CHOICES]:
        p.error(f"--engines: unknown {bad}; choose from {', '.join(ENGINE_CHOICES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print markdown to stdout, optionally save JSON."""
    args = parse_args(argv)
    paths = pdf_paths(args.pdfs)
    log("measuring import times ...")
    imports = {mod: import_seconds(mod) for mod in IMPORTS}
    start = interpreter_start_seconds()

    from lkj.extract.document import ReportError
    from lkj.extract.report import extract_report

    sections, results = [], []
    with tempfile.TemporaryDirectory(prefix="lkj-bench-") as out_dir:
        for path in paths:
            log(f"{path}: finding table pages ...")
            try:
                ref = extract_report(path)
            except ReportError as exc:
                log(f"  skipped: {exc}")
                sections.append(f"### `{path.name}`: skipped ({exc.reason})")
                continue
            n_pages = ref.report["pages"]
            ms = measurements(path, n_pages, ref.table_pages, args.engines, out_dir,
                              not args.no_cli, ref)
            run_all(ms, args.repeat)
            sections.append(markdown_file(path, n_pages, ref.table_pages, len(ref.tables),
                                          ms, args.repeat))
            base = ms[0].median
            results.append({
                "file": str(path), "pages": n_pages, "table_pages": ref.table_pages,
                "tables": len(ref.tables),
                "measurements": [{"key": m.key, "label": m.label, "pages": m.pages,
                                  "median": m.median, "min": m.min, "times": m.times,
                                  "ratio_median": m.median / base,
                                  "ratio_min": m.min / ms[0].min} for m in ms],
            })
    profile = None
    profiled = next((Path(r["file"]) for r in results), None)
    if args.profile_top > 0 and profiled is not None:
        log(f"profiling extract_report (engine both) on {profiled.name} ...")
        profile = profile_extract(profiled, args.profile_top)
    info = machine_info()
    print("\n\n".join([markdown_summary(results), *sections,
                       markdown_footer(imports, start, info, profile,
                                       profiled.name if profiled else "")]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {"repeat": args.repeat, "baseline": BASELINE, "machine": info,
                   "imports": imports, "interpreter_start": start, "files": results,
                   "profile": profile,
                   "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")
        log(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
