"""The samples drawn by other PDF makers (samples/makers/: python-docx through
LibreOffice, HTML through LibreOffice, HTML through Chromium) read to the same tidy tables,
value for value, as the same reports drawn by our own renderer.

Every value column of iku, quarterly, events, budget, comparison and stated_totals is
compared (only where a row was read differs: page, table part, row number, flags); rows
are aligned per table in reading order (samples/tools/maker_agreement.py, which prints the
same measure).
The reference's 2023 reading is itself the typed golden (tests/test_extract_sample.py).
"""

from __future__ import annotations

import sys
from functools import cache

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "samples" / "tools"))
import maker_agreement as agreement  # noqa: E402

#: Slow (every sample as every maker drew it):
#: left out of `make check`; `make test` and CI run it.
pytestmark = pytest.mark.slow

REPORTS = agreement.reports()


@cache
def _read(pdf: str, out: str) -> agreement.Extract:
    done = agreement.extract(ROOT / pdf, ROOT / out, "pdfplumber")
    assert done.error is None, f"{pdf}: {done.error}"
    return done


@pytest.mark.parametrize("maker", agreement.MAKERS)
@pytest.mark.parametrize("name", REPORTS)
def test_maker_reads_like_the_reference(name, maker, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    ref = _read(f"samples/{name}.pdf", str(base / f"ref-{name}"))
    got = _read(f"samples/makers/{maker}/{name}.pdf", str(base / f"{maker}-{name}"))
    total = agreement.Agreement()
    for table in agreement.TABLES:
        total.add(agreement.compare(table, ref.rows(table), got.rows(table)))
    assert total.ref > 0
    assert total.equal == total.ref and not total.extra, "\n".join(total.notes[:10])
