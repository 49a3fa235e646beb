"""Characters drawn over each other: found from their boxes and the order they are drawn."""

from __future__ import annotations

import pandas as pd
from grids import boxed_grid

from lkj.expectations.rules import check_budget
from lkj.extract.glyphs import DOUBT, doubt_overlaps, overlapping
from lkj.schemas import families
from lkj.schemas.contract import COLUMNS


def _chars(text, x0, top=100.0, advance=4.0, width=4.0):
    return [{"text": ch, "x0": x0 + i * advance, "x1": x0 + i * advance + width,
             "top": top, "bottom": top + 7.0} for i, ch in enumerate(text)]


def test_a_string_drawn_over_another_is_found_and_its_cell_doubted():
    # "1.128," right-aligned at 124, then (drawn later) "26" right-aligned at the same place
    first, over = _chars("1.128,", 100.0), _chars("26", 116.0)
    boxes = overlapping(first + over)
    assert sorted(round(b[0]) for b in boxes) == [116, 116, 120, 120]  # "8," under "26"
    grid = boxed_grid([["Uraian", "%"], ["Dinas A", "1.12286,"], ["Dinas B", "106,39"]],
                      edges=[0.0, 90.0, 130.0], top=80.0)
    doubted, where = doubt_overlaps(grid, boxes)
    assert where == [(1, 1)] and doubted.at(1, 1).doubt == DOUBT
    assert doubted.at(2, 1).doubt is None and doubted.at(1, 0).doubt is None


def test_condensed_text_and_a_fake_bold_are_not_overlaps():
    # condensed: boxes wider than the advances, each letter over its neighbour in the stream
    assert overlapping(_chars("Penyusunan Perencanaan", 10.0, advance=2.5, width=5.0)) == []
    # a fake bold: every letter drawn twice, a hair apart
    bold = [c for pair in zip(_chars("Jumlah", 10.0), _chars("Jumlah", 10.3), strict=True)
            for c in pair]
    assert overlapping(bold) == []


def _line(name, pct_raw, pct, flags=None):
    return dict.fromkeys(COLUMNS["budget"]) | {
        "report_id": "r", "table_id": "1", "table_part": 1, "row": 1, "page": 1,
        "level": "kegiatan", "name": name, "pagu": 100.0, "realisasi": 50.0,
        "pagu_raw": "100", "realisasi_raw": "50", "realisasi_pct": pct,
        "realisasi_pct_raw": pct_raw, "flags": flags}


def test_a_failed_check_on_characters_drawn_over_each_other_is_a_warning():
    frames = {"budget": pd.DataFrame([_line("A", "5026", 5026.0, families.GLYPHS_OVERLAP),
                                      _line("B", "60", 60.0)], columns=COLUMNS["budget"]),
              "stated_totals": pd.DataFrame(columns=COLUMNS["stated_totals"])}
    out = {o.subject: o for o in check_budget(frames, pd.DataFrame(columns=COLUMNS["iku"]))}
    doubted, plain = out["A: realisasi %"], out["B: realisasi %"]
    assert doubted.holds is False and doubted.severity == "warning"
    assert "characters drawn over each other in Tabel 1 row 1" in doubted.message
    assert plain.holds is False and plain.severity is None
