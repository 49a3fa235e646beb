"""`lkj run` on the real published documents of ../shared/real (not made by this project).

They are drawn by Word 2007-365, Nitro, a Foxit printer, OpenOffice and FPDF, for offices
lkj has no registry entry for. This test holds the archive promise on them: every file is
stored, with every check run on it (none `could not run`) and every table it holds kept as
cells, whatever its family (the Renstra, plans without realisations, too: its tables are
kept as comparisons over years or as family `other`). How well their cells are read is
another matter (typed goldens, tests/test_real_goldens.py).
"""

from __future__ import annotations

import sqlite3

import pytest
from conftest import REAL

#: Slow (lkj run over ../shared/real (conftest.real_store)):
#: left out of `make check`;
#: `make test` and CI run it.
pytestmark = pytest.mark.slow


def test_every_real_file_is_stored(real_store):
    proc, db = real_store
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted(p.name for p in REAL.glob("*.pdf"))
    with sqlite3.connect(db) as conn:
        stored = sorted(f for (f,) in conn.execute("SELECT source_file FROM reports"))
    assert stored == pdfs


def test_every_table_is_kept_as_cells(real_store):
    _, db = real_store
    with sqlite3.connect(db) as conn:
        found = set(conn.execute("SELECT report_id, table_id, table_part FROM tables "
                                 "WHERE pages IS NOT NULL").fetchall())
        with_cells = set(conn.execute("SELECT DISTINCT report_id, table_id, table_part "
                                      "FROM cells").fetchall())
        others = conn.execute("SELECT count(*) FROM tables WHERE family = 'other'").fetchone()
    assert found and found == with_cells
    assert others[0] > 0


def test_every_check_ran_on_every_real_report(real_store):
    _, db = real_store
    with sqlite3.connect(db) as conn:
        broken = conn.execute("SELECT report_id, \"check\", message FROM findings "
                              "WHERE message LIKE 'check could not run%'").fetchall()
        checked = {r for (r,) in conn.execute("SELECT DISTINCT report_id FROM findings")}
        reports = {r for (r,) in conn.execute("SELECT report_id FROM reports")}
    assert broken == []
    assert checked == reports


def test_cells_in_doubt_say_why_in_the_store(real_store):
    """The FPDF budget report draws a wrapped figure over the next row's ("1.128," under
    "26"): those cells are stored with their doubt; cells read plainly have none."""
    _, db = real_store
    with sqlite3.connect(db) as conn:
        doubts = conn.execute("SELECT r.source_file, c.doubt, count(*) FROM cells c JOIN "
                              "reports r USING (report_id) WHERE c.doubt IS NOT NULL "
                              "GROUP BY 1, 2").fetchall()
        total = conn.execute("SELECT count(*) FROM cells").fetchone()[0]
    budget = [d for d in doubts if d[0].startswith("lra-")]
    assert budget and all(why == "characters drawn over each other" for _, why, _ in budget)
    assert sum(n for *_, n in doubts) < total / 100  # the exception, not the rule
