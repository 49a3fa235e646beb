"""Time `lkj run` end to end on a corpus against raw pdfplumber on the same PDFs, in one run.

    .venv/bin/python benchmarks/bench_run.py                  # 500 variants, built on demand
    .venv/bin/python benchmarks/bench_run.py -n 100 --corpus /tmp/corpus100 --repeat 3

The corpus is benchmarks/corpus.py's (N distinct synthetic reports; reused when the folder
already holds the same N and seed). Measured, each in a fresh process, interleaved round robin
when repeated (a slow stretch of a shared machine hits every measurement alike):

- `lkj run CORPUS --db NEW.sqlite --silent` through the real console script, with the
  default jobs (all cores) and with `--jobs 1`: extraction (both engines), checks, store;
- the baseline, what a user would write without lkj: one Python process that imports
  pdfplumber and calls `page.extract_tables()` on every page of every PDF.

Times are wall-clock of the whole process (interpreter start and imports included: that is
what a user waits for). CPU is user + system time of the process and all its children
(os.wait4). Memory, two figures: "max RSS" is ru_maxrss from os.wait4, the largest resident
set of any single process of the tree (Linux reports the largest one, not their sum);
"peak PSS" is the largest sum of proportional set sizes over the whole process tree, sampled
from /proc/PID/smaps_rollup every 0.1 s (PSS splits pages shared by forked workers, so the
sum is what the tree really holds). The table is markdown, for the README.

`--stages K` also times lkj's stages in this process on the first K files (read with
pdfplumber only, read with the camelot cross-check, checks, store) and cProfiles one read,
to show where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (sibling module)

LKJ = Path(sys.executable).parent / "lkj"
RAW_SCRIPT = r"""
import json, sys, time
from pathlib import Path
import pdfplumber
pages = tables = 0
for path in sorted(Path(sys.argv[1]).glob("*.pdf")):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            pages += 1
print(json.dumps({"pages": pages, "tables": tables}))
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@dataclass
class Run:
    """One measured process: wall and CPU seconds, memory in MiB."""

    wall: float
    cpu: float
    max_rss_mb: float
    peak_pss_mb: float
    stdout: str


@dataclass
class Measurement:
    key: str
    label: str
    argv: list[str]
    runs: list[Run] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)

    def max(self, attr: str) -> float:
        return max(getattr(r, attr) for r in self.runs)


def _ppids() -> dict[int, int]:
    """pid -> parent pid of every process (from /proc/PID/stat)."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        rest = stat[stat.rindex(b")") + 2:].split()
        out[int(name)] = int(rest[1])
    return out


def _tree_pss_kb(root: int) -> int:
    """Sum of PSS (kB) of root and all its descendants, now."""
    parents = _ppids()
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == pid and p not in tree]
        tree.update(kids)
        frontier += kids
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


def measure(argv: list[str], cwd: Path) -> Run:
    """Run argv to completion; wall, CPU (the tree), max RSS (one process), peak PSS (tree)."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        can = Path("/proc/self/smaps_rollup").exists()
        while can and not done.wait(0.1):
            peak[0] = max(peak[0], _tree_pss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read()), daemon=True)
               for s, b in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for t in readers:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    for t in readers + [sampler]:
        t.join()
    if proc.returncode != 0:
        err = b"".join(err_chunks).decode(errors="replace")
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{err[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 1024,
               b"".join(out_chunks).decode(errors="replace"))


def versions() -> str:
    out = []
    for dist in ("pdfplumber", "pdfminer.six", "camelot-py", "great-expectations"):
        try:
            out.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(out)


def cores() -> int:
    return corpus.default_jobs()


def stages(paths: list[Path], db: Path) -> list[tuple[str, float, str]]:
    """Seconds of each lkj stage in this process on these files, and a profile of one read."""
    from lkj.archive.batch import _preload, read_one
    from lkj.extract.settings import ExtractSettings

    t = time.perf_counter()
    _preload("both")
    rows = [("import pdfplumber, lkj, camelot (once per run)", time.perf_counter() - t, "")]
    timed: dict[str, float] = {}
    reads = []
    for engine in ("pdfplumber", "both"):
        t = time.perf_counter()
        reads = [read_one(p, ExtractSettings(engine=engine)) for p in paths]
        timed[engine] = time.perf_counter() - t
    import pdfplumber

    t = time.perf_counter()
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_tables()
    raw = time.perf_counter() - t
    n = len(paths)
    rows += [
        ("raw pdfplumber extract_tables(), every page", raw, f"{raw / n:.3f} s/file"),
        ("lkj read, engine pdfplumber (text of every page, tables, rows, claims)",
         timed["pdfplumber"], f"{timed['pdfplumber'] / n:.3f} s/file"),
        ("lkj read, engine both (+ camelot cross-check of table pages)", timed["both"],
         f"{timed['both'] / n:.3f} s/file"),
    ]
    from lkj.archive.ingest import Stores, _check_batch, store_one

    t = time.perf_counter()
    import great_expectations  # noqa: F401

    rows.append(("import great_expectations (once per run)", time.perf_counter() - t, ""))
    extractions = [r.extraction for r in reads if r.ok]
    t = time.perf_counter()
    checked = _check_batch(extractions)
    took = time.perf_counter() - t
    rows.append((f"checks of {len(extractions)} reports (one GX run, in the parent)", took,
                 f"{took / max(len(extractions), 1):.3f} s/file"))
    with Stores(db) as stores:
        t = time.perf_counter()
        good = [r for r in reads if r.ok]
        for i, r in enumerate(good):
            store_one(stores, r.path, None, r.extraction, checked.get(i), False)
        took = time.perf_counter() - t
    rows.append((f"store {len(good)} reports (one transaction each, in the parent)", took,
                 f"{took / max(len(good), 1):.3f} s/file"))
    prof = cProfile.Profile()
    big = max(paths, key=lambda p: p.stat().st_size)
    prof.enable()
    read_one(big, ExtractSettings())
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(18)
    rows.append((f"cProfile of one read ({big.name}, engine both), top by cumulative", 0.0,
                 "\n" + "\n".join(line for line in buf.getvalue().splitlines()
                                  if line.strip())[-4000:]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500, help="reports in the corpus (default 500)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (built there unless it already holds it; default: "
                             "a folder in the system temp dir, kept for the next run)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each (median)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="jobs of the parallel lkj run (default: all cores)")
    parser.add_argument("--no-jobs1", action="store_true", help="skip the --jobs 1 run")
    parser.add_argument("--engine-pdfplumber", action="store_true",
                        help="also time `lkj run --engine pdfplumber` (no camelot cross-check)")
    parser.add_argument("--stages", type=int, default=0, metavar="K",
                        help="also time lkj's stages in-process on the first K files")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)

    folder = args.corpus or Path(tempfile.gettempdir()) / f"lkj-corpus-s{args.seed}-n{args.n}"
    log(f"corpus: {folder} ({args.n} reports, seed {args.seed})")
    t = time.monotonic()
    paths = corpus.build_corpus(folder, args.n, args.seed, progress=True)
    log(f"corpus ready in {time.monotonic() - t:.1f} s")
    jobs = args.jobs or cores()
    work = Path(tempfile.mkdtemp(prefix="lkj-bench-"))
    measurements = [Measurement("raw", "raw pdfplumber `extract_tables()`, every page, 1 process",
                                [sys.executable, "-c", RAW_SCRIPT, str(folder)])]

    def lkj_run(key: str, label: str, *extra: str) -> Measurement:
        return Measurement(key, label, [str(LKJ), "run", str(folder), "--db",
                                        str(work / f"{key}-@.sqlite"), "--silent", *extra])

    if args.jobs is None:  # lkj's own default: all cores
        measurements.append(lkj_run(f"lkj_j{jobs}", f"`lkj run` end to end, default jobs "
                                    f"(all {jobs} cores)"))
    else:
        measurements.append(lkj_run(f"lkj_j{jobs}", f"`lkj run` end to end, --jobs {jobs}",
                                    "--jobs", str(jobs)))
    if not args.no_jobs1 and jobs != 1:
        measurements.append(lkj_run("lkj_j1", "`lkj run` end to end, --jobs 1", "--jobs", "1"))
    if args.engine_pdfplumber:
        measurements.append(lkj_run(f"lkj_j{jobs}_plumber", f"`lkj run --engine pdfplumber`, "
                                    f"--jobs {jobs}", "--jobs", str(jobs), "--engine",
                                    "pdfplumber"))
    load_before = os.getloadavg()
    try:
        for rep in range(args.repeat):
            for m in measurements:
                argv_ = [a.replace("@", str(rep)) for a in m.argv]
                log(f"run {rep + 1}/{args.repeat}: {m.label} ...")
                run = measure(argv_, ROOT)
                if m.key.startswith("lkj"):
                    db = Path(argv_[argv_.index("--db") + 1])
                    with sqlite3.connect(db) as conn:
                        stored = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
                    if stored != len(paths):
                        raise RuntimeError(f"{m.label}: {stored} of {len(paths)} stored")
                log(f"  {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, max RSS "
                    f"{run.max_rss_mb:.0f} MiB, peak PSS {run.peak_pss_mb:.0f} MiB")
                m.runs.append(run)
        stage_rows = stages(paths[:args.stages], work / "stages.sqlite") if args.stages else []
    finally:
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()

    raw = measurements[0]
    info = json.loads(raw.runs[-1].stdout)
    pages = info["pages"]
    print(f"\n{len(paths)} synthetic reports (benchmarks/corpus.py, seed {args.seed}), "
          f"{pages} pages, {info['tables']} tables found by raw pdfplumber; "
          f"{cores()} CPUs, Python {platform.python_version()}, {versions()}; "
          f"median of {args.repeat}; load average {load_before[0]:.1f} before, "
          f"{load_after[0]:.1f} after.\n")
    print("| measurement | wall s | CPU s | pages/s | reports/s | max RSS MiB | peak PSS MiB "
          "| wall ratio to raw | CPU ratio to raw |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for m in measurements:
        wall, cpu = m.median("wall"), m.median("cpu")
        print(f"| {m.label} | {wall:.1f} | {cpu:.1f} | {pages / wall:.1f} | "
              f"{len(paths) / wall:.2f} | {m.max('max_rss_mb'):.0f} | "
              f"{m.max('peak_pss_mb'):.0f} | {wall / raw.median('wall'):.2f}x | "
              f"{cpu / raw.median('cpu'):.2f}x |")
    main_run = measurements[1]
    ratio = main_run.median("wall") / raw.median("wall")
    print(f"\nTarget (lkj run end to end at least as fast as raw pdfplumber): "
          f"{'met' if ratio <= 1 else 'NOT met'} ({ratio:.2f}x the raw wall time).")
    if stage_rows:
        print(f"\nStages in one process, first {args.stages} files:\n")
        print("| stage | seconds | per file |")
        print("|---|--:|--:|")
        profile = ""
        for name, secs, note in stage_rows:
            if note.startswith("\n"):
                profile = f"\n{name}:\n```{note}\n```"
                continue
            print(f"| {name} | {secs:.2f} | {note} |")
        print(profile)
    if args.json:
        args.json.write_text(json.dumps({
            "reports": len(paths), "pages": pages, "cpus": cores(),
            "load": [load_before, load_after],
            "measurements": {m.key: {"label": m.label, "runs": [
                {k: v for k, v in vars(r).items() if k != "stdout"} for r in m.runs]}
                for m in measurements},
            "stages": [{"stage": s, "seconds": v} for s, v, n in stage_rows
                       if not n.startswith("\n")]}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
