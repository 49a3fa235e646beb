"""Header words to column roles and table families (lkj/schemas/families.py): the rules
that decide what a real report's table is, held on the labels real reports print."""

from __future__ import annotations

import pytest
from grids import boxed_grid

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
    # money by year is a figure of its year; a budget of 2016 beside its realisasi and next
    # year's budget is a measurement of 2016, not a comparison
    ([("dalam juta (rp) 2013", "amount"), ("dalam juta (rp) 2014*", "amount"),
      ("2015**", None)], True),
    ([("anggaran 2016", "amount"), ("realisasi 2016", "realisasi"), ("anggaran 2017", "amount")],
     False),
    ([("pagu 2016", "pagu"), ("realisasi 2016", "realisasi"), ("pagu 2017", "pagu")], False),
])
def test_over_years(columns, over):
    assert families.over_years(columns) is over


def test_periods_and_the_past():
    assert families.period_of("Realisasi 2015") == "2015"
    assert families.period_of("Target Akhir Renstra") == families.PLAN_END
    assert families.period_of("% kenaikan 2015-2016") is None  # two years: no one period
    assert families.is_past("Capaian Thn Lalu") and not families.is_past("Capaian")
    # a plan's target of one year keeps its year beside its period
    assert families.period_of("Target Renstra SKPD Tahun 2013") == families.PLAN_END
    assert families.year_of("Target Renstra SKPD Tahun 2013") == 2013
    assert families.year_of("Target Akhir Renstra") is None
    assert families.year_of("% kenaikan 2015-2016") is None


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


def test_years_and_column_numbers_under_a_group_header_are_header_rows():
    from lkj.extract.header import analyse_header

    grid = boxed_grid([["Indikator Kinerja", "Realisasi (%)", None, "% Peningkatan"],
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

    grid = boxed_grid([["Indikator Kinerja", "Realisasi 2015", "Realisasi 2016"],
                  ["Jumlah unit", "100,00   300", None],
                  ["Jumlah sarana", "Tidak ada data", None]])
    split = split_merged_figures(grid, analyse_header(grid))
    assert [split.text(1, c) for c in range(3)] == ["Jumlah unit", "100,00", "300"]
    assert split.split_rows == {1}
    assert split.text(2, 2) == "Tidak ada data"  # words, not figures: the cell stays whole


def test_a_numbering_row_with_formulas_is_header_and_names_the_capaian_operands():
    """A capaian column that the numbering row prints as "5 =(4/2)" is column 4 over column
    2: those are the row's realisasi and target, whatever other realisasi columns there are."""
    from lkj.extract.header import analyse_header
    from lkj.extract.locate import LocatedTable
    from lkj.extract.normalise import normalise_table

    grid = boxed_grid([["Indikator Kinerja", "Target 2014", "Realisasi 2012",
                   "Realisasi s/d 2014", "Tingkat Capaian"],
                  ["1", "2", "3 (2-1)", "4", "5 =(4/2)"],
                  ["Persentase sampah tertangani", "10%", "7,2%", "12,2%", "122%"]])
    header = analyse_header(grid)
    assert header.first_data_row == 2
    assert [(c.number, c.ratio_of) for c in header.columns] == [
        (1, None), (2, None), (3, None), (4, None), (5, (4, 2))]
    table = LocatedTable("2.2", 1, "Evaluasi", [], grid, header, "iku")
    (row,) = normalise_table(table, "r", 2016).iku
    assert (row["target_raw"], row["realisasi_raw"], row["capaian_raw"]) == ("10%", "12,2%",
                                                                            "122%")


def test_a_row_of_years_may_hold_a_formula_column():
    from lkj.extract.header import analyse_header

    grid = boxed_grid([["Indikator", "Target Renstra", None, None],
                  ["", "Tahun 2014", "Tahun 2015", "(2+3)"],
                  ["1", "2", "3", "4"],
                  ["Persentase sampah tertangani", "3%", "1%", "4%"]])
    assert analyse_header(grid).first_data_row == 3


def test_lines_with_figures_of_two_years_and_no_indicator_are_a_comparison():
    """Revenue by unit: Uraian | 2016 Target, Realisasi, % | % realisasi 2015. Not an
    indicator table (no indicator column), not a budget (no pagu): its figures are kept
    as a comparison's, per line and column."""
    from lkj.extract.header import analyse_header

    grid = boxed_grid([["Uraian", "2016", None, None, "% realisasi 2015"],
                  ["", "Target", "Realisasi", "% Realisasi", ""],
                  ["UPTD Balai Pembibitan", "457.000.000", "542.850.050", "118,79", "157,91"]])
    roles = analyse_header(grid).roles()
    assert "periods" in roles and "years" not in roles
    assert families.family_of(roles) == "comparison"
    one_year = boxed_grid([["Uraian", "Target 2016", "Realisasi 2016"],
                      ["UPTD Balai Pembibitan", "457.000.000", "542.850.050"]])
    assert families.family_of(analyse_header(one_year).roles()) is None


def test_years_with_footnote_marks_under_a_group_header_and_unnamed_lines_are_a_comparison():
    """PDRB by sector: No | Lapangan Usaha | Dalam Juta (Rp) over 2013 | 2014* (and 2015**
    under a blank neighbour). The stars are footnote marks (angka sementara), the years
    row is header; the sector column, whose header is no word lkj knows, names the lines
    and says it was read from where it stands."""
    from lkj.extract.header import analyse_header

    grid = boxed_grid([["No.", "Lapangan Usaha", "Dalam Juta (Rp)", None, ""],
                       ["", "", "2013", "2014*", "2015**"],
                       ["1.", "Peternakan", "13.344.393,6", "14.774.347,9", "16.747.378,7"]])
    header = analyse_header(grid)
    assert header.first_data_row == 2
    assert [c.label for c in header.columns[2:]] == [
        "dalam juta (rp) 2013", "dalam juta (rp) 2014*", "2015**"]
    name = header.columns[1]
    assert (name.role, name.inferred) == (families.LINE_NAME, True)
    assert families.family_of(header.roles()) == "comparison"
    assert header.notes() == ["lines named by the column 'lapangan usaha' (a header lkj "
                              "does not know, left of the years)"]
    # a named line column is kept as it is, and one year alone infers nothing
    named = analyse_header(boxed_grid([["Uraian", "2015", "2016"], ["Peternakan", "1", "2"]]))
    assert not any(c.inferred for c in named.columns)
    one = analyse_header(boxed_grid([["Lapangan Usaha", "Realisasi 2016"], ["Peternakan", "1"]]))
    assert not any(c.inferred for c in one.columns)


def test_a_line_whose_only_capaian_is_its_average_keeps_it_as_printed_and_flagged():
    """No | Sasaran | Indikator | Target | Realisasi | % | Rata-Rata Capaian: a sasaran's
    line and a group's line print no figure but their average; that is the line's capaian
    as printed, flagged capaian:rata_rata. A line with a % of its own keeps its %."""
    from lkj.extract.header import analyse_header
    from lkj.extract.locate import LocatedTable
    from lkj.extract.normalise import normalise_table

    grid = boxed_grid([
        ["No", "Sasaran", "Indikator Kinerja", "Target", "Realisasi", "%", "Rata-Rata Capaian"],
        ["1", "Meningkatnya produksi", "", "", "", "", "104,90 (SB)"],
        ["1.1", "", "Jumlah produksi :", "", "", "", "125,69 (SB)"],
        ["", "", "- Daging", "768", "992", "129,18", ""],
        ["2.2", "", "Jumlah unit usaha", "52", "58", "111,54", "111,54 (SB)"],
        ["", "", "Jumlah lain", "", "", "", "SB"]])
    header = analyse_header(grid)
    table = LocatedTable("6", 1, "Pengukuran", [], grid, header, "iku")
    rows = normalise_table(table, "r", 2016).iku
    got = [(r["indicator"], r["capaian_raw"], r["flags"]) for r in rows]
    assert got[:4] == [
        (None, "104,90 (SB)", f"{families.AVERAGE_CAPAIAN}; {families.NO_INDICATOR}"),
        ("Jumlah produksi :", "125,69 (SB)", families.AVERAGE_CAPAIAN),
        ("- Daging", "129,18", None),
        ("Jumlah unit usaha", "111,54", None)]
    assert got[4][1] is None  # a grade letter alone is no capaian
    assert rows[0]["capaian_pct"] == 104.90


def test_a_rata_rata_line_is_a_stated_average_wherever_its_label_is_printed():
    """"Rata-Rata" printed in the Realisasi column of a line of its own, beside the mean
    of the capaian: the line is the table's average (its name, never a realisasi); in a
    table of budget and kinerja halves, the budget half's % is a stated mean of the
    lines' %, and no budget line."""
    from lkj.extract.header import analyse_header
    from lkj.extract.locate import LocatedTable
    from lkj.extract.normalise import normalise_table

    grid = boxed_grid([
        ["Indikator", "Target", "Realisasi", "%"],
        ["Prosentase A", "80", "77", "96,25"],
        ["", "", "Rata-Rata", "96,25"]])
    table = LocatedTable("3.1", 1, "Pengukuran", [], grid, analyse_header(grid), "iku")
    last = normalise_table(table, "r", 2016).iku[-1]
    assert (last["sasaran"], last["indicator"], last["realisasi_raw"], last["capaian_raw"]) \
        == ("Rata-Rata", None, None, "96,25")
    assert families.STATED_AVERAGE in last["flags"]
    grid = boxed_grid([
        ["Indikator", "Kinerja", None, None, "Program/Kegiatan", "Keuangan", None, None],
        ["", "Target", "Realisasi", "% Realisasi", "", "Pagu", "Realisasi", "% Realisasi"],
        ["Prosentase A", "80", "77", "96,25%", "Program A", "100", "90", "90,00%"],
        ["", "", "Rata-\nRata:", "96,25%", "", "", "", "90,00%"]])
    header = analyse_header(grid)
    table = LocatedTable("3.2", 1, "Realisasi Kinerja dan Anggaran", [], grid, header,
                         families.family_of(header.roles()))
    assert table.family == "budget_kinerja"
    rows = normalise_table(table, "r", 2016)
    assert [r["name"] for r in rows.budget] == ["Program A"]
    assert [(s["measure"], s["stated_raw"]) for s in rows.stated_totals] == [
        (families.MEAN_PCT, "90,00%")]
    assert (rows.iku[-1]["sasaran"], rows.iku[-1]["capaian_raw"]) == ("Rata-Rata:", "96,25%")
    # a line naming an indicator "Rata-rata lama sekolah" is no average
    assert not families.AVERAGE_RE.match("Rata-rata lama sekolah")
