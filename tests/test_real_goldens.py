"""lkj against goldens typed by a person from the page images of real published documents.

The goldens (tests/golden/real/*/, each folder's NOTES.md says how they were typed) were
never produced by the code. Two promises are held on them:

- Files lkj reads exactly stay exact: every golden row is read with the same text and
  the same printed figures.
- On every file, a row lkj does read is never read wrong: where a golden row's name is
  found, its figures are the printed ones. Rows not read at all are counted
  (`python tests/real_goldens.py` prints the table of the README), not hidden.
"""

from __future__ import annotations

from functools import cache

import pytest
from conftest import in_ci
from real_goldens import REAL, check_report, golden_files

#: Files whose every golden row lkj reads exactly.
EXACT = {"renja-dkp-cianjur-2016.pdf", "lkip-kesbangpol-jabar-2016.pdf"}


@cache
def _read(pdf: str):
    if not REAL.is_dir():
        if in_ci():
            pytest.fail(f"{REAL} is missing: CI has shared/ beside the clone", pytrace=False)
        pytest.skip(f"no {REAL}")
    return check_report(pdf)[0]


@pytest.mark.parametrize("pdf", sorted(golden_files()))
def test_rows_read_are_never_wrong(pdf):
    wrong = [f"{o.golden}: {w}" for o in _read(pdf) for w in o.wrong]
    assert not wrong, f"{pdf}: " + "\n".join(wrong)


@pytest.mark.parametrize("pdf", sorted(EXACT))
def test_exact_files_stay_exact(pdf):
    outcomes = _read(pdf)
    missing = [f"{o.golden}: {m}" for o in outcomes for m in o.missing]
    assert not missing, f"{pdf}: " + "\n".join(missing)
    assert all(o.ok for o in outcomes)
