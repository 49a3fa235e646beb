"""Scans of the maker corpus: the same tables by OCR as by the text layer of the PDF scanned.

One report per maker (`samples/scanned/makers/MAKER/NAME-scan.pdf`, SYNTHETIC, made by
`samples/tools/scan.py --makers`), each scanned otherwise (MAKER_SCANS: 150, 200 and 300 dpi,
JPEG quality 35 to 60, softer toner, tilts up to 2 degrees). Each is read by OCR and held
against the text-layer reading of the maker's own PDF, whose tables the any-maker tests
already hold equal to the reference renderer's: the same tables, and every cell read as the
text layer gives it or flagged.
"""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SAMPLES, need_tesseract
from test_ocr import FRONT_PAGES, ROW_TABLES, compare_cells, compare_rows

from lkj.extract.settings import ExtractSettings

sys.path.insert(0, str(ROOT / "samples" / "tools"))
from scan import MAKER_SCANS  # noqa: E402  (samples/tools is no package)

#: Slow (OCR of three scans): left out of `make check`; `make test` and CI run it.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=[m[:2] for m in MAKER_SCANS], ids=lambda m: m[0])
def maker_scan(request):
    """(text-layer reading of the maker's PDF, OCR reading of its scan): the scan's front
    pages and the pages the text-layer reading found tables on."""
    from lkj.extract.report import extract_report

    need_tesseract()
    maker, name = request.param
    text = extract_report(SAMPLES / "makers" / maker / f"{name}.pdf")
    scan = SAMPLES / "scanned" / "makers" / maker / f"{name}-scan.pdf"
    return text, extract_report(scan, ExtractSettings(ocr_pages=FRONT_PAGES + text.table_pages))


def test_the_same_report_and_tables(maker_scan):
    def shape(t):
        return t.table_id, t.part, t.family, t.pages, t.n_rows

    text, scanned = maker_scan
    assert scanned.report["report_id"] == text.report["report_id"]
    assert [shape(t) for t in scanned.tables] == [shape(t) for t in text.tables]
    assert {t.engine for t in scanned.tables} == {"ocr"}


def test_rows_equal_or_flagged(maker_scan):
    text, scanned = maker_scan
    rows = equal = 0
    for name in ROW_TABLES:
        result = compare_rows(name, getattr(text.rows, name), getattr(scanned.rows, name))
        assert (result["missing"], result["extra"], result["unflagged"]) == ([], [], {}), name
        rows += len(getattr(text.rows, name))
        equal += len(result["equal"])
    assert equal >= 0.85 * rows


def test_cells_equal_or_flagged(maker_scan):
    """Every cell as the text layer reads it, or flagged; and few cells flagged that OCR
    read right (a tenth of those read right and not flagged, at most)."""
    text, scanned = maker_scan
    result = compare_cells(text.tables, scanned.tables)
    assert result["unflagged"] == []
    assert len(result["equal"]) >= 10 * len(result["correct_flagged"])
