"""The `cells` output: every table as the grid lkj read, whatever its family.

Held against the hand-checked tidy goldens of the 2023 sample: every raw figure and name of
a tidy row is the text of a body cell of its table that covers its row, on its page, inside
the page; and every table found has its cells. A table of no family lkj knows is kept as
cells (family `other`), never dropped.
"""

from __future__ import annotations

import pandas as pd
import pytest

from lkj.extract.grid import join_lines
from lkj.schemas import families

#: Raw columns of each tidy table that come from one cell each.
RAW = {"iku": ("target_raw", "realisasi_raw", "capaian_raw"),
       "budget": ("name_raw", "pagu_raw", "realisasi_raw", "realisasi_pct_raw"),
       "events": ("place_raw", "date_raw", "participants_raw"),
       "quarterly": ("target_raw", "realisasi_raw")}


@pytest.fixture(scope="module")
def frames(extraction_2023):
    return extraction_2023.frames()


def test_every_table_has_its_cells(frames):
    cells, tables = frames["cells"], frames["tables"]
    found = tables[tables.pages.notna()]
    have = set(zip(cells.table_id, cells.table_part, strict=True))
    assert {(t, p) for t, p in zip(found.table_id, found.table_part, strict=True)} <= have
    assert set(cells.kind) <= {"title", "header", "body", "total"}
    assert (cells.x0 < cells.x1).all() and (cells.top < cells.bottom).all()


@pytest.mark.parametrize("name", sorted(RAW))
def test_every_raw_value_is_a_cell_of_its_row(frames, name):
    cells = frames["cells"]
    origin = cells[cells.row.notna()]
    grid_row = {(r.table_id, r.table_part, r.row): r.grid_row for r in origin.itertuples()}
    checked = 0
    for rec in frames[name].itertuples():
        g = grid_row[(rec.table_id, rec.table_part, rec.row)]
        mine = cells[(cells.table_id == rec.table_id) & (cells.table_part == rec.table_part)
                     & (cells.grid_row <= g) & (cells.grid_row + cells.rowspan > g)]
        texts = {join_lines(t) for t in mine.text}
        for col in RAW[name]:
            raw = getattr(rec, col)
            if isinstance(raw, str) and raw:
                assert join_lines(raw) in texts, f"{name} row {rec.row} {col} {raw!r}"
                checked += 1
        assert rec.page in set(mine.page)
    assert checked > 0


def test_a_table_of_no_known_family_is_kept_as_cells(tmp_path):
    """A report whose only ruled table has a header lkj knows no family for: stored with
    the table as family `other`, its cells all there, the report saying so."""
    from lkj.extract.report import extract_report

    pdf = _unknown_table_pdf(tmp_path / "other.pdf")
    x = extract_report(pdf)
    f = x.frames()
    (table,) = x.tables
    assert table.family == families.OTHER
    assert "kept as cells" in x.report["flags"]
    texts = [join_lines(t) for t in f["cells"].text]
    assert {"Nama Pegawai", "Golongan", "Budi", "III/a", "Sari", "IV/b"} <= set(texts)
    assert pd.isna(f["cells"][f["cells"].text == "Budi"].row).sum() == 0


def _unknown_table_pdf(path):
    """A one-page Laporan Kinerja whose table lists staff (no family lkj knows)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    rows = [["No", "Nama Pegawai", "Golongan"], ["1", "Budi", "III/a"], ["2", "Sari", "IV/b"]]
    table = Table(rows)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([Paragraph("LAPORAN KINERJA INSTANSI PEMERINTAH TAHUN 2023 (SYNTHETIC TEST)",
                         styles["Title"]),
               Paragraph("Capaian kinerja dan realisasi anggaran.", styles["Normal"]), table])
    return path


