"""`lkj run` on the real published documents of ../shared/real (not made by this project).

They are drawn by Word 2007-365, Nitro, a Foxit printer, OpenOffice and FPDF, for offices
lkj has no registry entry for. This test holds the archive promise on them: every file is
stored, with every check run on it (none `could not run`) and every table it holds kept as
cells, whatever its family (the Renstra, plans without realisations, too: its tables are
kept as comparisons over years or as family `other`). How well their cells are read is
another matter (typed goldens, tests/test_real_goldens.py).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, in_ci

REAL = ROOT.parent / "shared" / "real"
LKJ = Path(sys.executable).parent / "lkj"


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    if not REAL.is_dir():
        if in_ci():
            pytest.fail(f"{REAL} is missing: CI has shared/ beside the clone", pytrace=False)
        pytest.skip(f"no {REAL}")
    db = tmp_path_factory.mktemp("real") / "real.sqlite"
    proc = subprocess.run([str(LKJ), "run", str(REAL), "--db", str(db), "--silent",
                           "--engine", "pdfplumber"], capture_output=True, text=True,
                          timeout=900, cwd=ROOT, env={**os.environ, "COLUMNS": "200"})
    return proc, db


def test_every_real_file_is_stored(real_run):
    proc, db = real_run
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted(p.name for p in REAL.glob("*.pdf"))
    with sqlite3.connect(db) as conn:
        stored = sorted(f for (f,) in conn.execute("SELECT source_file FROM reports"))
    assert stored == pdfs


def test_every_table_is_kept_as_cells(real_run):
    _, db = real_run
    with sqlite3.connect(db) as conn:
        found = set(conn.execute("SELECT report_id, table_id, table_part FROM tables "
                                 "WHERE pages IS NOT NULL").fetchall())
        with_cells = set(conn.execute("SELECT DISTINCT report_id, table_id, table_part "
                                      "FROM cells").fetchall())
        others = conn.execute("SELECT count(*) FROM tables WHERE family = 'other'").fetchone()
    assert found and found == with_cells
    assert others[0] > 0


def test_every_check_ran_on_every_real_report(real_run):
    _, db = real_run
    with sqlite3.connect(db) as conn:
        broken = conn.execute("SELECT report_id, \"check\", message FROM findings "
                              "WHERE message LIKE 'check could not run%'").fetchall()
        checked = {r for (r,) in conn.execute("SELECT DISTINCT report_id FROM findings")}
        reports = {r for (r,) in conn.execute("SELECT report_id FROM reports")}
    assert broken == []
    assert checked == reports
