"""A clean report gives zero findings; one planted error makes exactly its check fire.

The clean report is the synthetic 2022 sample (samples/src/lkj-bp3mi-ntb-2022.txt, labelled
synthetic) with its one documented planted inconsistency undone, built to a PDF at test time
with the same renderer as the samples. Each mutation then plants one error in the extracted
tables and asserts which check fires, with the stated and computed figures.
"""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from conftest import ROOT

from lkj.expectations.audit import _numeric, audit_frames
from lkj.expectations.rules import CHECKS
from lkj.extract.report import extract_report
from lkj.extract.settings import ExtractSettings

sys.path.insert(0, str(ROOT / "samples" / "tools"))

SOURCE = ROOT / "samples" / "src" / "lkj-bp3mi-ntb-2022"
#: The planted inconsistency of the 2022 sample (samples/README.md): Tabel 2.6 prints
#: capaian 133.73% for 412 of 300 Orang; 412 / 300 x 100 = 137.33.
PLANTED = ("412 Orang\t300 Orang\t133.73%", "412 Orang\t300 Orang\t137.33%")


@pytest.fixture(scope="module")
def clean_pdf(tmp_path_factory):
    import lkjdoc

    text = SOURCE.with_suffix(".txt").read_text(encoding="utf-8")
    assert text.count(PLANTED[0]) == 1, "the planted inconsistency moved: update this test"
    folder = tmp_path_factory.mktemp("clean")
    src = folder / "clean.txt"
    src.write_text(text.replace(*PLANTED), encoding="utf-8")
    pdf = folder / "lkj-synthetic-clean-2022.pdf"
    lkjdoc.build(src, SOURCE.with_suffix(".layout.json"), pdf)
    return pdf


@pytest.fixture(scope="module")
def clean(clean_pdf):
    return _numeric(extract_report(clean_pdf, ExtractSettings(engine="pdfplumber")).frames())


def fails(frames) -> pd.DataFrame:
    findings = audit_frames({k: v.copy() for k, v in frames.items()})
    return findings[findings.status == "failed"]


def copy(frames):
    return {k: v.copy() for k, v in frames.items()}


def test_clean_report_has_zero_findings(clean):
    findings = audit_frames(copy(clean))
    assert (findings.status == "failed").sum() == 0, findings[findings.status == "failed"]
    # and it is not vacuous: every check verified something
    held = findings[findings.status == "held"]
    assert set(held.check) == set(CHECKS) == {
        "completeness", "totals", "capaian", "consistency", "quarters", "budget", "narrative",
        "plausibility"}


@pytest.mark.parametrize("listed_only", [True, False])
def test_completeness_fires_alone(clean, listed_only):
    """A table its list names but the body lacks (no pages: an error), or one read with no
    body rows (a warning)."""
    m = copy(clean)
    t = m["tables"]
    i = t.index[t.table_id == "2.3"][0]
    t.at[i, "rows"] = 0
    if listed_only:
        t.at[i, "pages"] = None
        t.at[i, "flags"] = "listed in DAFTAR TABEL (page 3) but not found in the report"
    f = fails(m)
    assert set(f.check) == {"completeness"} and len(f) == 1
    assert f.iloc[0].severity == ("error" if listed_only else "warning")
    assert f.iloc[0].subject == f"Tabel 2.3: {t.at[i, 'title']}"


def test_totals_fires_alone(clean):
    m = copy(clean)
    st = m["stated_totals"]
    i = st.index[st.measure == "participants"][0]
    original = st.at[i, "stated_value"]
    st.at[i, "stated_value"] = original + 10
    f = fails(m)
    assert set(f.check) == {"totals"} and len(f) == 1
    assert (f.iloc[0].stated, f.iloc[0].computed) == (original + 10, original)


def test_capaian_fires_alone(clean):
    """The same wrong capaian printed everywhere an indicator's capaian appears."""
    m = copy(clean)
    iku = m["iku"]
    row = iku[(iku.value_kind == "count") & iku.capaian_pct.notna()].iloc[0]
    group = iku.indicator.map(lambda n: n == row.indicator)
    same = iku.capaian_pct == row.capaian_pct
    targets = iku.index[same & (iku.target == row.target)]
    assert len(targets) >= 1 and group.any()
    iku.loc[targets, "capaian_pct"] = row.capaian_pct + 1
    iku.loc[targets, "capaian_raw"] = f"{row.capaian_pct + 1:.2f}"
    cl = m["claims"]
    cl.loc[(cl.measure == "capaian") & (cl.stated_value == row.capaian_pct),
           "stated_value"] = row.capaian_pct + 1
    # a rata-rata over this capaian is printed as the new mean, so only capaian is wrong
    b = m["budget"]
    for j in b.index[b.avg_capaian_pct.notna()]:
        members = iku[(iku.table_id == b.at[j, "table_id"]) & (iku.sasaran == b.at[j, "group"])]
        if set(members.index) & set(targets):
            b.at[j, "avg_capaian_pct"] = round(members.capaian_pct.mean(), 2)
            b.at[j, "avg_capaian_raw"] = f"{members.capaian_pct.mean():.2f}"
    f = fails(m)
    assert set(f.check) == {"capaian"}
    assert len(f) == len(targets)
    assert all(s == pytest.approx(row.capaian_pct + 1) for s in f.stated)
    assert all(c == pytest.approx(row.realisasi / row.target * 100, abs=1e-3)
               for c in f.computed)


def test_consistency_fires_alone(clean):
    """One per-indicator table states a different (self-consistent) realisasi."""
    m = copy(clean)
    iku, tables = m["iku"], m["tables"]
    plain = set(tables.table_id[tables.family == "iku"])
    order = iku.sort_values(["page", "row"])
    first_table = order.table_id.iloc[0]
    candidates = order[order.table_id.isin(plain) & (order.table_id != first_table)
                       & (order.value_kind == "count") & order.capaian_pct.notna()]
    i = candidates.index[0]
    r, t = iku.at[i, "realisasi"], iku.at[i, "target"]
    iku.at[i, "realisasi"] = r * 2
    iku.at[i, "realisasi_raw"] = f"{int(r * 2)} Orang"
    iku.at[i, "capaian_pct"] = round(r * 2 / t * 100, 2)
    iku.at[i, "capaian_raw"] = f"{r * 2 / t * 100:.2f}"
    f = fails(m)
    assert set(f.check) == {"consistency"}
    assert sorted(f.stated) == pytest.approx(sorted([r * 2, round(r * 2 / t * 100, 2)]))


def test_quarters_fires_alone(clean):
    m = copy(clean)
    q = m["quarterly"]
    i = q.index[(q.value_kind == "count") & (q.quarter == 2) & q.realisasi.notna()][0]
    q.at[i, "realisasi"] = q.at[i, "realisasi"] + 5
    f = fails(m)
    assert set(f.check) == {"quarters"} and len(f) == 1
    assert f.iloc[0].computed - f.iloc[0].stated == pytest.approx(5)


@pytest.mark.parametrize("flag", ["quarter:header_uncertain", "quarter:by_position"])
def test_quarters_failing_under_doubted_headers_is_a_warning(clean, flag):
    """Quarters kept as read from headers that name a quarter twice may sum the wrong
    columns: the failure is said to rest on them, as a warning. Quarters taken from four
    columns' order are sure: the failure stays an error."""
    m = copy(clean)
    q = m["quarterly"]
    i = q.index[(q.value_kind == "count") & (q.quarter == 2) & q.realisasi.notna()][0]
    q.at[i, "realisasi"] = q.at[i, "realisasi"] + 5
    table = q.at[i, "table_id"]
    q.loc[q.table_id == table, "flags"] = flag
    (f,) = fails(m).itertuples()
    if flag == "quarter:header_uncertain":
        assert f.severity == "warning"
        assert f.message.endswith(f"; the quarter headers of Tabel {table} are uncertain "
                                  "(see its flags): quarters as read")
    else:
        assert f.severity == "error" and "uncertain" not in f.message


def test_budget_fires_alone(clean):
    m = copy(clean)
    b = m["budget"]
    i = b.index[b.realisasi_pct.notna()][0]
    b.at[i, "realisasi_pct"] = b.at[i, "realisasi_pct"] + 1
    b.at[i, "realisasi_pct_raw"] = f"{b.at[i, 'realisasi_pct']:.2f}%"
    f = fails(m)
    assert set(f.check) == {"budget"} and len(f) == 1
    assert f.iloc[0].stated - f.iloc[0].computed == pytest.approx(1, abs=0.01)


def test_narrative_fires_alone(clean):
    """The text states the pagu a thousand times too small (as '7.469.884,-' for ...000)."""
    m = copy(clean)
    cl = m["claims"]
    idx = cl.index[cl.measure == "pagu"]
    assert len(idx)
    original = cl.at[idx[0], "stated_value"]
    cl.at[idx[0], "stated_value"] = original / 1000
    f = fails(m)
    assert set(f.check) == {"narrative"} and len(f) == 1
    assert "a factor of 1.000" in f.iloc[0].message
    assert f.iloc[0].computed == pytest.approx(original)


def test_plausibility_fires_alone_for_a_wrong_year(clean):
    m = copy(clean)
    cl = m["claims"]
    year = int(m["report"].year.iloc[0])
    i = cl.index[cl.measure == "year"][0]
    cl.at[i, "stated_value"] = year + 1
    f = fails(m)
    assert set(f.check) == {"plausibility"} and len(f) == 1
    assert (f.iloc[0].stated, f.iloc[0].computed) == (year + 1, year)


def test_plausibility_fires_for_an_event_in_another_year(clean):
    m = copy(clean)
    ev = m["events"]
    i = ev.index[0]
    ev.at[i, "date_start"] = "1999-01-15"
    f = fails(m)
    assert set(f.check) == {"plausibility"} and len(f) == 1
    assert "report year" in f.iloc[0].subject.lower() or "year" in f.iloc[0].message


@pytest.mark.parametrize("doubted", [True, False])
def test_a_total_failing_on_a_doubted_ocr_cell_is_a_possible_misreading(clean, doubted):
    """A row OCR was unsure of makes the failed total a warning that names the cell; the
    same failure on cells read with confidence stays an error."""
    m = copy(clean)
    ev = m["events"]
    i = ev.index[ev.participants.notna()][0]
    ev.at[i, "participants"] = ev.at[i, "participants"] + 10
    ev.at[i, "participants_raw"] = f"{int(ev.at[i, 'participants'])} Orang"
    if doubted:
        ev.at[i, "flags"] = "ocr_low_confidence:participants"
    f = fails(m)
    f = f[f.check == "totals"]
    assert len(f) == 1
    if doubted:
        assert f.iloc[0].severity == "warning"
        assert "possibly an OCR misreading" in f.iloc[0].message
        assert f"row {int(ev.at[i, 'row'])} participants '{ev.at[i, 'participants_raw']}'" \
            in f.iloc[0].message
    else:
        assert f.iloc[0].severity == "error"
        assert "OCR" not in f.iloc[0].message


@pytest.mark.parametrize("name, status, severity, said", [
    # nothing states the polarity: lower-is-better fits, so a warning that says it is inferred
    ("Jumlah pengaduan layanan", "warning", "warning", "polarity inferred from the fit"),
    # the name states it (a word of families.LOWER_IS_BETTER_WORDS): the capaian holds
    ("Penurunan jumlah pengaduan layanan", "held", None, "lower is better: its name"),
])
def test_a_lower_is_better_capaian_is_reproduced_and_says_how(clean, name, status, severity,
                                                              said):
    """A real report prints 61% for target 18, realisasi 25: (2 - 25/18) x 100 = 61.1."""
    from lkj.expectations import rules

    iku = clean["iku"][clean["iku"].capaian_pct.notna()].head(1).copy()
    iku = iku.assign(indicator=name, target=18, target_raw="18", target_unit=None,
                     realisasi=25, realisasi_raw="25", realisasi_unit=None, capaian_pct=61,
                     capaian_raw="61%", value_kind="count", realisasi_labelled=None)
    grouped, _ = rules.with_indicator_groups(iku, clean["quarterly"].iloc[0:0])
    (out,) = rules.check_capaian(grouped)
    assert out.formula == "(2 - realisasi / target) x 100"
    assert out.computed == pytest.approx(61.1111, abs=1e-3)
    assert (out.holds, out.severity) == ((True, None) if status == "held" else (False, "warning"))
    assert said in out.message, out.message


@pytest.mark.parametrize("split", [True, False])
def test_a_capaian_failing_on_a_row_split_by_text_is_in_doubt(clean, split):
    """A row read from the text's alignment inside one ruled row (split_by_text) makes the
    failed capaian a warning that says the reading is in doubt; the same failure on a row
    the rulings gave stays an error."""
    m = copy(clean)
    iku = m["iku"]
    i = iku.index[(iku.value_kind == "count") & iku.capaian_pct.notna()][0]
    iku.at[i, "capaian_pct"] = iku.at[i, "capaian_pct"] + 7
    iku.at[i, "capaian_raw"] = f"{iku.at[i, 'capaian_pct']:.2f}"
    if split:
        iku.at[i, "flags"] = "split_by_text"
    f = fails(m)
    f = f[(f.check == "capaian") & ((f.stated - iku.at[i, "capaian_pct"]).abs() < 1e-6)]
    assert len(f) >= 1
    if split:
        assert set(f.severity) == {"warning"}
        assert all("the reading is in doubt" in msg and "split_by_text" in msg
                   for msg in f.message)
    else:
        assert "error" in set(f.severity)
        assert not any("in doubt" in msg for msg in f.message)
