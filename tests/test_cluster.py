"""`lkj run --cluster`: the same work on a Dask distributed cluster, the same tables.

A LocalCluster of worker processes on loopback stands in for a real cluster; the CLI is run
through its real entry point and its database is compared, table by table and row by row,
with a local run's.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

#: Slow (a Dask cluster): left out of `make check`;
#: `make test` and CI run it.
pytestmark = pytest.mark.slow

LKJ = str(Path(sys.executable).parent / "lkj")
TABLES = ["reports", "tables", "iku", "quarterly", "events", "budget", "stated_totals",
          "claims", "findings", "ingest_errors"]
#: Columns that differ between two loads by design (when, where).
VOLATILE = {"loaded_at", "at", "id"}


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as c:
        yield c.scheduler_address


def rows(db: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
            if r[1] not in VOLATILE]
    got = conn.execute(f"SELECT {', '.join(map(repr, cols))} FROM {table} "
                       f"ORDER BY rowid").fetchall()
    conn.close()
    return got


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([LKJ, *args], capture_output=True, text=True, timeout=600)


def test_cluster_run_equals_local_run(cluster, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in sorted(SAMPLES.glob("*.pdf"))[:3]:
        (folder / pdf.name).write_bytes(pdf.read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really\n")
    remote = run("run", str(folder), "--db", str(tmp_path / "remote.sqlite"), "--cluster",
                 cluster, "--silent")
    local = run("run", str(folder), "--db", str(tmp_path / "local.sqlite"), "--silent")
    assert remote.returncode == local.returncode == 1  # the broken file, in both
    assert remote.stdout.replace("remote.sqlite", "X") == local.stdout.replace("local.sqlite", "X")
    assert remote.stderr == local.stderr
    assert "broken.pdf: truncated PDF" in remote.stderr
    for table in TABLES:
        a, b = rows(tmp_path / "remote.sqlite", table), rows(tmp_path / "local.sqlite", table)
        assert a == b, table
        if table != "ingest_errors":
            assert a, f"{table} is empty: the comparison would prove nothing"


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed")
    proc = run("run", str(SAMPLES), "--db", str(tmp_path / "x.sqlite"), "--cluster",
               "tcp://127.0.0.1:9", "--silent")
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: tcp://127.0.0.1:9: cannot reach the Dask scheduler")
    assert "Traceback" not in proc.stderr
