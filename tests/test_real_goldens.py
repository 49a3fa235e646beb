"""lkj against goldens typed by a person from the page images of real published documents.

The goldens (tests/golden/real/*/, each folder's NOTES.md says how they were typed) were
never produced by the code. Two promises are held on them:

- Files lkj reads exactly stay exact: every golden row is read with the same text and
  the same printed figures.
- On every file, a row lkj does read is never read wrong: where a golden row's name is
  found, its figures are the printed ones. Rows not read at all are counted
  (`python tests/real_goldens.py` prints the table of the README), not hidden.

The rows lkj still reads wrong are listed below (KNOWN_WRONG), each with what the page does
that lkj does not follow: a new wrong row fails, and so does one of these once it is read
right (then it leaves the list).
"""

from __future__ import annotations

import pytest
from real_goldens import compare_all, golden_files, stored_frames

#: Slow (needs conftest.real_store, lkj run over ../shared/real):
#: left out of `make check`;
#: `make test` and CI run it.
pytestmark = pytest.mark.slow

#: Files whose every golden row lkj reads exactly.
EXACT = {"renja-dkp-cianjur-2016.pdf", "lkip-kesbangpol-jabar-2016.pdf",
         "lkip-biro-adm-pembangunan-jabar-2016.pdf", "lkip-distan-jabar-2016.pdf",
         "lkip-bp3iptek-jabar-2016.pdf", "lkip-bkpd-jabar-2016.pdf",
         "lkip-bplhd-jabar-2016.pdf"}

#: PDF -> (golden file, the start of the wrong row's line) lkj still reads wrong, and why.
KNOWN_WRONG: dict[str, dict[tuple[str, str], str]] = {}


def _outcomes(real_store, pdf: str):
    """The goldens of one PDF against what `lkj run` stored of it (conftest.real_store)."""
    _, db = real_store
    return compare_all(pdf, stored_frames(db, pdf))


@pytest.mark.parametrize("pdf", sorted(golden_files()))
def test_rows_read_are_never_wrong(pdf, real_store):
    known = KNOWN_WRONG.get(pdf, {})
    wrong = [(o.golden, w) for o in _outcomes(real_store, pdf) for w in o.wrong]
    new = [f"{g}: {w}" for g, w in wrong
           if not any(g == kg and w.startswith(start) for kg, start in known)]
    assert not new, f"{pdf}: " + "\n".join(new)
    mended = [k for k in known
              if not any(g == k[0] and w.startswith(k[1]) for g, w in wrong)]
    assert not mended, f"{pdf}: read right now, take them out of KNOWN_WRONG: {mended}"


@pytest.mark.parametrize("pdf", sorted(EXACT))
def test_exact_files_stay_exact(pdf, real_store):
    outcomes = _outcomes(real_store, pdf)
    missing = [f"{o.golden}: {m}" for o in outcomes for m in o.missing]
    assert not missing, f"{pdf}: " + "\n".join(missing)
    assert all(o.ok for o in outcomes)


#: Files not yet exact: the golden rows each reads exactly at least (what is read now;
#: a change that loses one fails, one that gains raises the floor).
EXACT_AT_LEAST = {"lkip-disnak-jabar-2016.pdf": 293}


@pytest.mark.parametrize("pdf", sorted(EXACT_AT_LEAST))
def test_files_not_yet_exact_lose_no_exact_row(pdf, real_store):
    assert sum(o.exact for o in _outcomes(real_store, pdf)) >= EXACT_AT_LEAST[pdf]
