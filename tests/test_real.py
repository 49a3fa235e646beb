"""`lkj run` on the real published documents of ../shared/real (not made by this project).

They are drawn by Word 2007-365, Nitro, a Foxit printer, OpenOffice and FPDF, for offices
lkj has no registry entry for. This test holds the archive promise on them: every file that
holds a performance table is stored, with every check run on it (none `could not run`); the
one that is no performance report (a Renstra: plans, no realisations) gets one line saying
why. How well their cells are read is another matter (typed goldens, issue 13).
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
#: The files that are no performance report, and why lkj says it does not store them.
NOT_REPORTS = {"renstra-dkp-cianjur-2011-2016.pdf"}


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


def test_every_real_report_is_stored(real_run):
    proc, db = real_run
    assert "Traceback" not in proc.stdout + proc.stderr
    pdfs = sorted(p.name for p in REAL.glob("*.pdf"))
    with sqlite3.connect(db) as conn:
        stored = sorted(f for (f,) in conn.execute("SELECT source_file FROM reports"))
    assert stored == sorted(set(pdfs) - NOT_REPORTS)


def test_the_one_that_is_no_report_says_why_in_one_line(real_run):
    proc, db = real_run
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error: ")]
    assert [ln.split(": ", 2)[1] for ln in errors] == [str(REAL / n) for n in NOT_REPORTS]
    assert all(ln.split(": ", 2)[2].startswith("no LKj tables found") for ln in errors)
    with sqlite3.connect(db) as conn:
        failed = conn.execute("SELECT source_file FROM ingest_errors WHERE reason LIKE "
                              "'no LKj tables%'").fetchall()
    assert sorted(f for (f,) in failed) == sorted(NOT_REPORTS)


def test_every_check_ran_on_every_real_report(real_run):
    _, db = real_run
    with sqlite3.connect(db) as conn:
        broken = conn.execute("SELECT report_id, \"check\", message FROM findings "
                              "WHERE message LIKE 'check could not run%'").fetchall()
        checked = {r for (r,) in conn.execute("SELECT DISTINCT report_id FROM findings")}
        reports = {r for (r,) in conn.execute("SELECT report_id FROM reports")}
    assert broken == []
    assert checked == reports
