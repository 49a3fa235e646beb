"""How `lkj run --cluster` scales with the number of Dask workers, beside local runs.

    .venv/bin/python benchmarks/bench_cluster.py                 # 60 reports, 1 and 2 workers
    .venv/bin/python benchmarks/bench_cluster.py -n 120 --workers 1 2 4 --repeat 3

Builds (or reuses) a corpus of benchmarks/corpus.py reports, then times, each in a fresh
process through the real console script, interleaved round robin when repeated:

- `lkj run CORPUS --db NEW --cluster ADDR --silent` on a dask.distributed LocalCluster of W
  worker processes (one thread each) on loopback, for each W asked for;
- `lkj run CORPUS --db NEW --jobs J --silent` locally, J = 1 and the largest W, for
  reference.

The cluster is started before the clock runs (a real cluster is already up). Every run's
database must hold the same reports as the first one's, or the benchmark stops. On one
machine the workers share its cores with each other and with the client, which checks and
stores: the speed-up is bounded by the cores, not by lkj. Wall seconds are medians.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402  (sibling module)

LKJ = Path(sys.executable).parent / "lkj"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def timed(argv: list[str], db: Path) -> float:
    if db.exists():
        db.unlink()
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr}")
    return wall


def stored(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT report_id, sha256 FROM reports ORDER BY report_id").fetchall()
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=60, help="reports in the corpus (default 60)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder (default: a temporary one)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="cluster sizes to time (default: 1 2)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs of each (median)")
    args = parser.parse_args(argv)

    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="lkj-bench-cluster-") as tmp:
        folder = args.corpus or Path(tmp) / "corpus"
        corpus.build_corpus(folder, args.n)
        n_files = len(list(folder.glob("*.pdf")))
        db = Path(tmp) / "out.sqlite"
        base = [str(LKJ), "run", str(folder), "--db", str(db), "--silent"]
        clusters = {w: LocalCluster(n_workers=w, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=":0",
                                    silence_logs=logging.ERROR)
                    for w in args.workers}
        try:
            runs: dict[str, list[float]] = {}
            plan = [(f"local --jobs {j}", [*base, "--jobs", str(j)])
                    for j in sorted({1, max(args.workers)})]
            plan += [(f"cluster, {w} worker{'s' if w > 1 else ''}",
                      [*base, "--cluster", clusters[w].scheduler_address])
                     for w in args.workers]
            reference = None
            for r in range(args.repeat):
                for label, cmd in plan:
                    log(f"run {r + 1}/{args.repeat}: {label} ...")
                    wall = timed(cmd, db)
                    log(f"  {wall:.1f} s")
                    runs.setdefault(label, []).append(wall)
                    got = stored(db)
                    if reference is None:
                        reference = got
                    elif got != reference:
                        raise SystemExit(f"{label}: stored reports differ from the first run's")
        finally:
            for c in clusters.values():
                c.close()

    one = statistics.median(runs[f"cluster, {min(args.workers)} worker"
                                 f"{'s' if min(args.workers) > 1 else ''}"])
    cpus = len(os.sched_getaffinity(0))
    print(f"{n_files} reports (benchmarks/corpus.py), {cpus} CPUs, median of {args.repeat}; "
          f"every run stored the same {len(reference or [])} reports.\n")
    print("| run | wall s | reports/s | speed-up vs the smallest cluster |")
    print("|---|--:|--:|--:|")
    for label, walls in runs.items():
        wall = statistics.median(walls)
        print(f"| `lkj run` {label} | {wall:.1f} | {n_files / wall:.2f} | "
              f"{one / wall:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
