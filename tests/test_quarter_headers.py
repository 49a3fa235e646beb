"""A quarterly table whose quarter headers name a quarter twice (a misprint, or OCR reading
'TW II' as 'TWI') has its rows' quarters flagged, not guessed from the columns' order."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SAMPLES

from lkj.extract.report import extract_report

sys.path.insert(0, str(ROOT / "samples" / "tools"))

SOURCE = ROOT / "samples" / "src" / "lkj-bp3mi-ntb-2024"
HEADER = "\t\t\tTW I\tTW II\tTW III\tTW IV\tTW I\tTW II\tTW III\tTW IV"


def _quarterly(extraction):
    (table,) = [t for t in extraction.tables if t.family == "quarterly"]
    return table, extraction.rows.quarterly


def test_a_sound_header_flags_nothing():
    table, rows = _quarterly(extract_report(SAMPLES / "lkj-bp3mi-ntb-2024.pdf",
                                            engine="pdfplumber"))
    assert not any("quarter headers" in f for f in table.flags)
    assert rows and not any("quarter:header_uncertain" in (r["flags"] or "") for r in rows)


@pytest.fixture(scope="module")
def misprinted(tmp_path_factory):
    """The 2024 sample with its second target quarter printed 'TW I' instead of 'TW II'."""
    import lkjdoc

    text = SOURCE.with_suffix(".txt").read_text(encoding="utf-8")
    assert text.count(HEADER) == 1, "the header line moved: update this test"
    folder = tmp_path_factory.mktemp("quarters")
    src = folder / "misprinted.txt"
    src.write_text(text.replace(HEADER, HEADER.replace("TW I\tTW II", "TW I\tTW I", 1)),
                   encoding="utf-8")
    pdf = folder / "lkj-synthetic-misprinted-2024.pdf"
    lkjdoc.build(src, SOURCE.with_suffix(".layout.json"), pdf)
    return extract_report(pdf, engine="pdfplumber")


def test_a_quarter_named_twice_flags_the_table_and_every_row(misprinted):
    table, rows = _quarterly(misprinted)
    (note,) = [f for f in table.flags if "quarter headers" in f]
    assert note.startswith("quarter headers uncertain (a quarter named twice or out of order: "
                           "target quarters read as 'target tw i', 'target tw i', ")
    assert "realisasi quarters" not in note  # the realisasi headers are sound
    assert rows and all("quarter:header_uncertain" in r["flags"] for r in rows)
