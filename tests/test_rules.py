"""Unit tests of the audit rules' building blocks (pure functions, no PDF)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lkj.expectations.rules import indicator_groups, reproduces, same_indicator


@pytest.mark.parametrize("a, b", [
    ("Nilai IKPA", "Nilai Indikator Pelaksanaan Anggaran (IKPA)"),
    ("Kasus Pekerja Migran Indonesia", "Penurunan Kasus Pekerja Migran Indonesia"),
    ("Pekerja Migran Indonesia yang Berhasil Dicegah",
     "Pekerja Migran Indonesia Nonprosedural yang berhasil dicegah"),
    ("Pemberdayaan Pekerja Migran Indonesia dan Keluarganya",
     "Pemberdayaan Pekerja Migran Indonesia Purna dan keluarganya"),
])
def test_same_indicator_across_wordings(a, b):
    assert same_indicator(a, b)


@pytest.mark.parametrize("a, b", [
    ("Nilai IKPA", "Nilai Capaian Kinerja Anggaran"),
    ("Nilai Zona Integritas", "Nilai IKPA"),
    ("Fasilitasi Pemulangan Pekerja Migran Indonesia",
     "Penempatan Pekerja Migran Indonesia terampil dan profesional"),
    ("Pekerja Migran Indonesia", "Pekerja Migran Indonesia"),  # nothing specific to match on
])
def test_different_indicators_stay_apart(a, b):
    assert not same_indicator(a, b)


def test_groups_follow_first_wording():
    groups = indicator_groups(["Nilai IKPA", "Nilai Capaian Kinerja Anggaran",
                               "Nilai Indikator Pelaksanaan Anggaran (IKPA)"])
    assert groups == {"Nilai IKPA": 0, "Nilai Capaian Kinerja Anggaran": 1,
                      "Nilai Indikator Pelaksanaan Anggaran (IKPA)": 0}


@pytest.mark.parametrize("stated, computed, raw, ok", [
    (168.26, 26922 / 16000 * 100, "168.26", True),   # 168.2625 rounds to 168.26
    (158, 490 / 310 * 100, "158%", True),            # 158.06 at 0 decimals
    (74.3, 2347766032 / 3161617000 * 100, "74.3%", True),
    (104.03, 88.73 / 82 * 100, "104.03", False),     # 108.21
    (99.34, 99.3446, "99.34 %", True),
    (99.35, 99.3446, "99.35", False),
    (8.6, 8.6074, "8.6", True),
])
def test_reproduces_at_printed_decimals(stated, computed, raw, ok):
    assert reproduces(stated, computed, raw) is ok


@given(st.integers(min_value=-10**7, max_value=10**7), st.integers(min_value=0, max_value=3))
def test_reproduces_its_own_rounding(n, nd):
    value = n / 997
    printed = f"{value:.{nd}f}"
    assert reproduces(float(printed), value, printed)


# --- budget hierarchies: a program's figures are the sums of its kegiatan -----------------

def _budget(lines: list[tuple], totals: list[tuple] = ()) -> dict:
    """Frames of one report: budget lines (table, level, name, pagu, realisasi, flags) in
    document order, stated totals (table, measure, value)."""
    import pandas as pd

    from lkj.schemas.contract import COLUMNS

    budget = pd.DataFrame([dict.fromkeys(COLUMNS["budget"]) | {
        "report_id": "r", "table_id": t, "table_part": 1, "row": i, "page": 1, "level": level,
        "name": name, "pagu": pagu, "realisasi": real, "pagu_raw": f"{pagu:,}",
        "realisasi_raw": f"{real:,}", "flags": flags}
        for i, (t, level, name, pagu, real, flags) in enumerate(lines, 1)],
        columns=COLUMNS["budget"])
    stated = pd.DataFrame([dict.fromkeys(COLUMNS["stated_totals"]) | {
        "report_id": "r", "table_id": t, "table_part": 1, "measure": m, "stated_value": v,
        "stated_raw": f"{v:,}", "page": 1} for t, m, v in totals],
        columns=COLUMNS["stated_totals"])
    return {"budget": budget, "stated_totals": stated,
            "events": pd.DataFrame(columns=COLUMNS["events"])}


def _outcomes(frames: dict) -> list:
    from lkj.expectations.rules import check_totals

    return list(check_totals(frames))


def test_a_program_is_checked_against_its_kegiatan_and_a_difference_found():
    frames = _budget([
        ("5", "program", "Program A", 300, 290, None),
        ("5", "kegiatan", "Kegiatan A1", 100, 100, None),
        ("5", "kegiatan", "Kegiatan A2", 200, 189, None),   # 100 + 189 = 289, not 290
        ("5", "program", "Program B", 50, 50, None),
        ("5", "kegiatan", "Kegiatan B1", 50, 50, None),
    ], totals=[("5", "pagu", 350)])
    by_subject = {o.subject: o for o in _outcomes(frames)}
    assert by_subject["Tabel 5 Program A: pagu"].holds is True
    wrong = by_subject["Tabel 5 Program A: realisasi"]
    assert wrong.holds is False and wrong.computed == 289 and wrong.severity is None
    assert "its 2 kegiatan lines add up to 289" in wrong.message
    assert by_subject["Tabel 5 Program B: realisasi"].holds is True
    # the stated total adds the programs alone, not programs and kegiatan again
    total = by_subject["Tabel 5 pagu"]
    assert total.holds is True and total.computed == 350 and "program" in total.formula


def test_lines_below_a_total_row_are_no_kegiatan_of_the_program_above():
    frames = _budget([
        ("16", "program", "Program A", 300, 300, None),
        ("16", "kegiatan", "Kegiatan A1", 300, 300, None),
        ("16", "kegiatan", "Belanja Tidak Langsung", 80, 80, "after_total"),
        ("16", "kegiatan", "Belanja Pegawai", 80, 80, "after_total"),
    ], totals=[("16", "pagu", 300), ("16", "pagu", 380)])
    outs = _outcomes(frames)
    program = [o for o in outs if o.subject == "Tabel 16 Program A: pagu"]
    assert [o.holds for o in program] == [True]       # its one kegiatan, not the lines below
    first, second = [o for o in outs if o.subject == "Tabel 16 pagu"]
    assert first.holds is True
    # the grand total rests on lines whose levels are not told apart: in doubt, a warning
    assert second.holds is False and second.severity == "warning"
    assert "below a total row" in second.message


def test_a_flagged_kegiatan_makes_its_program_a_warning():
    frames = _budget([
        ("3", "program", "Program A", 300, 300, None),
        ("3", "kegiatan", "Kegiatan A1", 100, 100, "split_by_text"),
        ("3", "kegiatan", "Kegiatan A2", 150, 150, None),
    ])
    (pagu, real) = _outcomes(frames)
    assert pagu.holds is False and pagu.severity == "warning"
    assert "in doubt" in pagu.message


def test_lines_are_held_against_another_tables_total_only_where_it_is_the_one():
    import pandas as pd

    from lkj.expectations.rules import check_budget
    from lkj.schemas.contract import COLUMNS

    lines = [("9", "sasaran", "Sasaran 1", 10, 10, None),
             ("9", "sasaran", "Sasaran 2", 20, 20, None),
             ("10", "program", "Program A", 30, 30, None)]
    iku = pd.DataFrame(columns=COLUMNS["iku"])
    one = _budget(lines, totals=[("10", "pagu", 30)])
    (held,) = [o for o in check_budget(one, iku) if "lines vs" in o.subject]
    assert held.holds is True and held.subject == "Tabel 9 pagu lines vs Tabel 10"
    # two tables state a pagu: which one Tabel 9 shares out is not known, nothing is said
    two = _budget(lines + [("11", "kegiatan", "Kegiatan X", 5, 5, None)],
                  totals=[("10", "pagu", 30), ("11", "pagu", 5)])
    assert not [o for o in check_budget(two, iku) if "lines vs" in o.subject]


def test_a_target_of_none_met_by_none_is_a_capaian_of_100():
    """Zero cases targeted, zero found (a lower-is-better count): printed 100%, and no ratio
    can give it; the convention is a formula of its own. Zero targeted and some found is no
    such case."""
    from types import SimpleNamespace

    from lkj.expectations.rules import capaian_candidates

    def row(target, realisasi):
        return SimpleNamespace(target=target, realisasi=realisasi, realisasi_labelled=None,
                               target_unit="kasus", realisasi_unit="kasus", value_kind=None)

    assert capaian_candidates(row(0, 0), lower=True) == {"target and realisasi both 0: met": 100}
    assert 100 not in capaian_candidates(row(0, 2), lower=True).values()
    assert "target and realisasi both 0: met" not in capaian_candidates(row(5, 0), lower=True)


def test_items_of_a_list_are_named_with_their_heading():
    """'- Daging' under a production heading and '- Daging' under a share-meeting-SNI
    heading are two indicators; the items of one heading are told apart by their words;
    an item is one indicator with a wording elsewhere that names it and its heading."""
    import pandas as pd

    from lkj.expectations.rules import indicator_groups, qualified_indicators

    rows = pd.DataFrame([
        ("6", 1, "1.1 Jumlah produksi yang dihasilkan :"), ("6", 2, "- Daging"),
        ("6", 3, "- Telur"), ("6", 4, "2.1 Prosentase produk yang sesuai SNI :"),
        ("6", 5, "- Daging"), ("6", 6, "2.2 Jumlah unit usaha bersertifikat"),
        ("9", 1, "Produksi Daging"), ("9", 2, "Jumlah unit usaha bersertifikat")],
        columns=["table_id", "row", "indicator"]).assign(report_id="r", sasaran=None)
    names = qualified_indicators(rows)
    assert names[1] == "Jumlah produksi yang dihasilkan :: Daging"
    assert names[4] == "Prosentase produk yang sesuai SNI :: Daging"
    assert names[5] == "2.2 Jumlah unit usaha bersertifikat"   # numbered: no item
    groups = indicator_groups(list(names))
    daging_made, telur, daging_sni = (groups[names[i]] for i in (1, 2, 4))
    assert len({daging_made, telur, daging_sni}) == 3
    assert groups[names[6]] == daging_made            # "Produksi Daging" names the item
    assert groups[names[0]] != daging_made            # the heading is not its item
    assert groups[names[7]] == groups[names[5]]


def test_a_total_over_a_figure_not_read_is_in_doubt_not_an_error():
    """A line whose pagu is printed ('1,011.080.000') but was not read as a number: the sum
    of the others misses it, so a stated total that differs is a warning that names it."""
    frames = _budget([("2", "kegiatan", "Kegiatan A", 100, 100, None),
                      ("2", "kegiatan", "Kegiatan B", 50, 50, None)],
                     totals=[("2", "pagu", 150), ("2", "realisasi", 160)])
    b = frames["budget"]
    b.loc[1, ["realisasi", "realisasi_raw"]] = [None, "1,011.080.000"]
    by = {o.subject: o for o in _outcomes(frames)}
    assert by["Tabel 2 pagu"].holds is True
    real = by["Tabel 2 realisasi"]
    assert real.holds is False and real.severity == "warning"
    assert "'1,011.080.000' not read as a number" in real.message


def test_tables_of_another_year_are_left_out_of_cross_table_checks():
    """A plan for next year ("... Tahun 2017" in the report of 2016) is not compared with
    the year's tables; a title naming the report's year, or none, or several, stays in."""
    import pandas as pd

    from lkj.expectations.rules import of_report_year

    titles = {"2.2": "Perjanjian Kinerja Tahun 2016", "3.1": "Capaian Kinerja",
              "4.1": "Rencana Tindak Lanjut BPLHD Tahun 2017",
              "5": "Realisasi 2015 dan 2016"}
    t = {"report": pd.DataFrame({"report_id": ["r"], "year": [2016]}),
         "tables": pd.DataFrame({"report_id": "r", "table_id": list(titles),
                                 "title": list(titles.values())}),
         "iku": pd.DataFrame({"report_id": "r", "table_id": list(titles), "target": 1})}
    assert list(of_report_year(t, "iku").table_id) == ["2.2", "3.1", "5"]


def test_trw_names_a_quarter():
    from lkj.schemas import families

    assert [families.quarter_of(t) for t in ("Trw I", "TRW II", "Trw\nIII", "Tw 4")] == \
        [1, 2, 3, 4]


# --- polarity: stated in the report's text ------------------------------------------------

@pytest.mark.parametrize("sentence, says", [
    ("Semakin tinggi realisasi menunjukkan semakin rendah pencapaian kinerja, maka "
     "digunakan rumus :", True),
    ("Semakin tinggi realisasi menunjukan pencapaian kinerja yang semakin baik, maka "
     "digunakan rumus : (2). Semakin tinggi realisasi menunjukan semakin rendah", True),
    ("semakin kecil angka kehilangan hasil, semakin baik capaian kinerjanya", True),
    ("Indikator ini merupakan indikator negatif.", True),
    ("Semakin tinggi realisasi menunjukkan pencapaian kinerja yang semakin baik", False),
    ("harga konsentrat semakin tinggi sehingga biaya produksi semakin tinggi", False),
    ("minat untuk beternak yang semakin menurun", False),
])
def test_the_text_saying_less_is_better_is_read(sentence, says):
    from lkj.schemas.narrative import LOWER_IS_BETTER_RE

    match = LOWER_IS_BETTER_RE.search(sentence)
    assert bool(match) is says
    if match and "pencapaian kinerja yang semakin baik" in sentence:
        assert match.group(0).startswith("Semakin tinggi realisasi menunjukan semakin rendah")


def _capaian(sentence: str | None, indicator: str = "Persentase kehilangan hasil panen",
             target: float | None = 18.0):
    """The capaian check on one report: one indicator, target 18, realisasi 25, capaian
    printed 61,11 ((2 - 25/18) x 100), and the text's sentence on page 7 if given, read as
    extraction reads it (claims_of, read_polarities). Returns (outcome, the IKU row)."""
    import pandas as pd

    from lkj.expectations.rules import check_capaian, with_indicator_groups
    from lkj.extract.narrative import Sentence, claims_of, read_polarities
    from lkj.schemas.contract import COLUMNS

    row = dict.fromkeys(COLUMNS["iku"]) | {
        "report_id": "r", "table_id": "3", "table_part": 1, "row": 1, "page": 12,
        "indicator": indicator, "polarity": "higher_is_better", "target": target,
        "realisasi": 25.0, "capaian_pct": 61.11, "target_raw": "18", "realisasi_raw": "25",
        "capaian_raw": "61,11", "target_unit": "%", "realisasi_unit": "%"}
    claims = [{"report_id": "r", **c} for c in claims_of(Sentence(7, sentence, None))] \
        if sentence else []
    read_polarities(claims, [row])
    iku = pd.DataFrame([row], columns=COLUMNS["iku"])
    grouped, _ = with_indicator_groups(iku, pd.DataFrame(columns=COLUMNS["quarterly"]),
                                       pd.DataFrame(claims, columns=COLUMNS["claims"]))
    (outcome,) = check_capaian(grouped)
    return outcome, row


def test_a_polarity_the_text_states_for_the_indicator_reproduces_its_capaian():
    said, row = _capaian("Persentase kehilangan hasil panen merupakan indikator negatif: "
                         "semakin tinggi realisasi menunjukkan semakin rendah capaian.")
    assert row["polarity"] == "lower_is_better"
    assert "polarity:stated_in_text page 7" in row["flags"]
    assert said.holds is True and said.severity is None
    assert "(2 - realisasi / target) x 100" in said.message
    assert "lower is better: the report's text (page 7)" in said.message


def test_a_polarity_the_text_states_for_unnamed_indicators_is_inferred_and_holds():
    said, row = _capaian("Semakin tinggi realisasi menunjukkan semakin rendah pencapaian "
                         "kinerja, maka digunakan rumus :")
    assert row["polarity"] == "higher_is_better" and not row["flags"]
    assert said.holds is True and said.severity is None
    assert "page 7" in said.message and "inferred from the fit" in said.message


def test_a_polarity_nothing_states_is_a_warning_and_another_indicator_is_not_named():
    for sentence in (None, "Jumlah kasus penyakit hewan menular merupakan indikator negatif."):
        alone, row = _capaian(sentence)
        assert alone.holds is False and alone.severity == "warning"
        assert "polarity inferred from the fit" in alone.message, sentence
        assert row["polarity"] == "higher_is_better"



def test_a_stated_mean_of_budget_percentages_is_checked_as_a_mean_never_a_sum():
    """A Rata-Rata line of a budget (families.MEAN_PCT): the mean of its lines' %, of every
    line or of one level (the report does not say which); none reproducing it is a
    warning, the basis of a mean being unprinted."""
    from lkj.schemas import families

    lines = [("3.2", "program", "Program A", 300, 270, None),
             ("3.2", "kegiatan", "Kegiatan A1", 100, 100, None),
             ("3.2", "kegiatan", "Kegiatan A2", 200, 170, None)]

    def outcome(stated):
        frames = _budget(lines, totals=[("3.2", families.MEAN_PCT, stated)])
        frames["budget"]["realisasi_pct"] = [90.0, 100.0, 85.0]
        return next(o for o in _outcomes(frames) if o.subject == "Tabel 3.2 rata-rata %")

    every = outcome(91.67)
    assert every.holds is True and "every line" in every.message
    assert outcome(92.5).holds is True        # the kegiatan alone: (100 + 85) / 2
    off = outcome(95.0)
    assert off.holds is False and off.severity == "warning"


def test_a_capaian_with_no_target_read_is_not_checked():
    """A table of realisasi and % alone (no target column): nothing to recompute from, so
    no finding either way (it was a false warning of 'different units')."""
    said, _ = _capaian(None, target=None)
    assert said.holds is None and "no target figure read beside it" in said.message
