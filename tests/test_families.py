"""Header words to column roles and table families (lkj/schemas/families.py): the rules
that decide what a real report's table is, held on the labels real reports print."""

from __future__ import annotations

import pytest

from lkj.schemas import families


@pytest.mark.parametrize(("label", "role"), [
    ("Indikator Sasaran", "indicator"),     # the head noun comes first
    ("Capaian Sasaran", "capaian"),
    ("Sasaran Strategis", "sasaran"),
    ("Target Anggaran", "pagu"),            # the longer phrase at one place wins
    ("Uraian Indikator", "indicator"),
    ("Realisasi Anggaran (Rp)", "realisasi"),
    ("Rata-rata Capaian", "avg_capaian"),
    ("% Realisasi", "capaian"),
    ("SPJ (Rp.)", "realisasi"),
    ("Satuan", "unit"),
    ("No", "no"),
    ("Keterangan", "activity"),
    ("Tahun (ribu) 2012", None),
    # a figure of the nation beside the office's own is a reference, not its capaian
    ("Capaian Kinerja dan Standar Nasional Tahun 2016", "reference"),
    ("Kontribusi Jawa Barat Terhadap Nasional (%)", "reference"),
    ("Target Nasional", "reference"),
    ("Sasaran Nasional", "sasaran"),       # only figures change scope
    ("Nasional", None),
])
def test_role_of_a_label(label, role):
    assert families.role_of(label) == role


@pytest.mark.parametrize(("columns", "over"), [
    ([("realisasi (%) 2015", "realisasi"), ("realisasi (%) 2016", "realisasi"),
      ("% peningkatan", "capaian")], True),
    ([("target tahun 2014 target", "target"), ("target tahun 2015 target", "target")], True),
    ([("capaian 2015", "capaian"), ("capaian 2016", "capaian")], True),
    # a measurement of 2016 that also prints 2015: not a comparison
    ([("target 2016", "target"), ("realisasi 2016", "realisasi"),
      ("realisasi 2015", "realisasi")], False),
    ([("target", "target"), ("realisasi", "realisasi"), ("target akhir renstra", "target")],
     False),
    ([("target 2016", "target"), ("realisasi", "realisasi")], False),
])
def test_over_years(columns, over):
    assert families.over_years(columns) is over


def test_periods_and_the_past():
    assert families.period_of("Realisasi 2015") == "2015"
    assert families.period_of("Target Akhir Renstra") == families.PLAN_END
    assert families.period_of("% kenaikan 2015-2016") is None  # two years: no one period
    assert families.is_past("Capaian Thn Lalu") and not families.is_past("Capaian")


@pytest.mark.parametrize(("roles", "family"), [
    ({"indicator", "target", "realisasi", "capaian"}, "iku"),
    ({"sasaran", "target", "realisasi", "capaian"}, "iku"),     # measured by sasaran alone
    ({"sasaran", "budget_name", "pagu", "realisasi"}, "budget"),  # not an iku by sasaran
    ({"indicator", "realisasi", "years"}, "comparison"),
    ({"budget_name", "years"}, "comparison"),
    ({"no", "activity"}, None),
])
def test_family_of_roles(roles, family):
    assert families.family_of(roles) == family


def _grid(rows: list[list[str | None]], spans: dict[tuple[int, int], int] | None = None):
    """A grid from rows of texts; None is covered by the cell to its left (colspan)."""
    from lkj.extract.grid import Cell, Grid

    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            span = 1
            while c + span < len(row) and row[c + span] is None:
                span += 1
            cells.append(Cell(text, r, c, 1, span, 1, (c * 50.0, r * 20.0, (c + span) * 50.0,
                                                        r * 20.0 + 20)))
    return Grid(len(rows), len(rows[0]), cells)


def test_years_and_column_numbers_under_a_group_header_are_header_rows():
    from lkj.extract.header import analyse_header

    grid = _grid([["Indikator Kinerja", "Realisasi (%)", None, "% Peningkatan"],
                  ["", "2015", "2016", ""],
                  ["1", "2", "3", "4"],
                  ["Produksi daging", "95,50", "131,10", "35,60"]])
    header = analyse_header(grid)
    assert header.first_data_row == 3
    assert [c.label for c in header.columns][1:3] == ["realisasi (%) 2015", "realisasi (%) 2016"]
    assert header.roles() >= {"indicator", "realisasi", "years"}
    assert families.family_of(header.roles()) == "comparison"


def test_figures_of_two_columns_in_one_cell_go_to_their_columns():
    from lkj.extract.header import analyse_header
    from lkj.extract.split import split_merged_figures

    grid = _grid([["Indikator Kinerja", "Realisasi 2015", "Realisasi 2016"],
                  ["Jumlah unit", "100,00   300", None],
                  ["Jumlah sarana", "Tidak ada data", None]])
    split = split_merged_figures(grid, analyse_header(grid))
    assert [split.text(1, c) for c in range(3)] == ["Jumlah unit", "100,00", "300"]
    assert split.split_rows == {1}
    assert split.text(2, 2) == "Tidak ada data"  # words, not figures: the cell stays whole
