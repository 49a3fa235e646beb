"""The synthetic reports of other offices (samples/synth-*.pdf): read as their typed goldens
say, and their planted inconsistencies found by the general checks, and nothing else.

`tests/golden/synth-*/` were typed from the report's source text (samples/src/NAME.txt), row
by row as the report prints them, never written by lkj: iku.csv, budget.csv and
comparison.csv hold the tidy rows, planted.csv the inconsistencies planted in the source
(samples/README.md, "Synthetic reports of other offices"). Tables are matched by the title
printed above them, so a table titled by a heading line alone (no "Tabel N") is held too.
"""

from __future__ import annotations

import csv
import math
from functools import cache

import pytest
from conftest import GOLDEN, SAMPLES

DINAS = "synth-lkjip-distan-sukamaju-2016"
BALAI = "synth-lkj-balai-teluk-sari-2022"
REPORTS = (DINAS, BALAI)

#: Golden column -> how it is compared (text as printed, or a number).
NUMERIC = {"target", "realisasi", "capaian_pct", "pagu", "realisasi_pct", "value", "year"}

#: Known gaps of lkj on these reports, each named where a test is marked with it.


@cache
def report(name: str):
    import lkj

    return lkj.read(SAMPLES / f"{name}.pdf")


@cache
def findings(name: str):
    import lkj

    return lkj.audit(report(name))


def golden(name: str, kind: str) -> list[dict[str, str]]:
    with open(GOLDEN / name / f"{kind}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _same(column: str, want: str, got: object) -> bool:
    if got is None or (isinstance(got, float) and math.isnan(got)):
        got = ""
    if column in NUMERIC:
        if want == "" or got == "":
            return want == "" and got == ""
        return math.isclose(float(want), float(got), rel_tol=0, abs_tol=1e-9)
    return " ".join(str(want).split()) == " ".join(str(got).split())


def _extracted(name: str, kind: str) -> dict[str, list[dict]]:
    """lkj's rows of one output table, by the title of the table they come from."""
    rep = report(name)
    titles = dict(zip(rep.tables["tables"]["table_id"], rep.tables["tables"]["title"],
                      strict=True))
    out: dict[str, list[dict]] = {}
    for rec in rep.tables[kind].to_dict("records"):
        out.setdefault(" ".join(titles[rec["table_id"]].split()), []).append(rec)
    return out


def differences(name: str, kind: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Every golden cell lkj reads otherwise, as 'title row N column: golden vs lkj'."""
    got = _extracted(name, kind)
    want: dict[str, list[dict]] = {}
    for row in golden(name, kind):
        want.setdefault(row["title"], []).append(row)
    diffs = [f"{t}: a table lkj has and the golden not" for t in got if t not in want]
    for title, rows in want.items():
        ext = got.get(title, [])
        if len(ext) != len(rows):
            diffs.append(f"{title}: {len(rows)} golden rows, {len(ext)} read")
        for i, (w, g) in enumerate(zip(rows, ext, strict=False)):
            diffs += [f"{title} row {i + 1} {col}: {w[col]!r} vs {g.get(col)!r}"
                      for col in w if col != "title" and col not in skip
                      and not _same(col, w[col], g.get(col))]
    return diffs


GOLDEN_CASES = [
    pytest.param(DINAS, "iku"),
    pytest.param(DINAS, "budget"),
    pytest.param(DINAS, "comparison"),
    pytest.param(BALAI, "iku"),
    pytest.param(BALAI, "budget"),
]


@pytest.mark.parametrize(("name", "kind"), GOLDEN_CASES)
def test_extraction_equals_the_typed_golden(name, kind):
    # polarity has a test of its own (a gap being closed elsewhere)
    assert differences(name, kind, skip=("polarity",)) == []


def test_polarity_stated_only_in_the_text_is_kept_where_the_name_says_nothing():
    iku = report(DINAS).tables["iku"]
    want = {(r["indicator"], r["polarity"]) for r in golden(DINAS, "iku")}
    assert ("Persentase kehilangan hasil panen", "lower_is_better") in want
    # every indicator whose polarity the text does not state keeps the default
    got = set(zip(iku["indicator"], iku["polarity"], strict=True))
    assert {w for w in want if w[1] == "higher_is_better"} <= got


def test_polarity_stated_in_the_text_is_read():
    assert differences(DINAS, "iku", skip=tuple(c for c in golden(DINAS, "iku")[0]
                                                if c not in ("title", "indicator",
                                                             "polarity"))) == []


def test_tables_titled_by_heading_lines_are_found_and_named_by_them():
    tables = report(DINAS).tables["tables"]
    assert [(" ".join(t.split()), f) for t, f in zip(tables["title"], tables["family"],
                                                     strict=True)] == [
        ("Perjanjian Kinerja Tahun 2016", "iku"),
        ("Pengukuran Kinerja Dinas Pertanian Kabupaten Sukamaju Tahun 2016", "iku"),
        ("Perbandingan Realisasi Kinerja Tahun 2013 - 2016 dan Target Akhir Renstra",
         "comparison"),
        ("Realisasi Anggaran per Program dan Kegiatan Tahun 2016", "budget"),
    ]
    assert set(report(DINAS).tables["tables"]["pages"]) == {"5", "7", "9", "11"}


def test_an_office_not_in_the_registry_is_named_from_its_printed_name():
    assert report(DINAS).meta["agency_id"] == "dinas-pertanian-kabupaten-sukamaju"
    assert report(DINAS).report_id == "dinas-pertanian-kabupaten-sukamaju-2016"


def test_a_ministry_unit_is_named_from_its_printed_name():
    meta = report(BALAI).meta
    assert meta["agency_id"] == "balai-pelatihan-dan-penyuluhan-perikanan-teluk-sari"
    assert report(BALAI).report_id == "balai-pelatihan-dan-penyuluhan-perikanan-teluk-sari-2022"


def planted(name: str) -> list[dict[str, str]]:
    return golden(name, "planted")


def _matches(finding: dict, plant: dict[str, str]) -> bool:
    return (finding["check"] == plant["check"] and plant["subject"] in finding["subject"]
            and _same("value", plant["stated"], finding["stated"])
            and _same("value", plant["computed"], finding["computed"]))


@pytest.mark.parametrize(("name", "k"), [(n, k) for n in REPORTS
                                         for k in range(len(planted(n)))])
def test_each_planted_inconsistency_is_found(name, k):
    plant = planted(name)[k]
    failed = findings(name).failed.to_dict("records")
    hits = [f for f in failed if _matches(f, plant)]
    assert len(hits) == 1, (plant, [(f["check"], f["subject"]) for f in failed])
    assert hits[0]["severity"] == plant["severity"]


@pytest.mark.parametrize("name", REPORTS)
def test_no_error_is_found_that_was_not_planted(name):
    plants = planted(name)
    failed = findings(name).failed.to_dict("records")
    extra = [(f["check"], f["subject"], f["message"]) for f in failed
             if f["severity"] == "error" and not any(_matches(f, p) for p in plants)]
    assert extra == []


@pytest.mark.parametrize("name", REPORTS)
def test_no_finding_at_all_that_was_not_planted(name):
    plants = planted(name)
    failed = findings(name).failed.to_dict("records")
    extra = [(f["check"], f["subject"], f["message"]) for f in failed
             if not any(_matches(f, p) for p in plants)]
    assert extra == []


@pytest.mark.parametrize("name", REPORTS)
def test_the_committed_pdf_is_what_its_source_builds(name, tmp_path):
    import subprocess
    import sys

    build = SAMPLES / "tools" / "build_samples.py"
    subprocess.run([sys.executable, str(build), "--only", name, "--out", str(tmp_path)],
                   check=True, capture_output=True)
    assert (tmp_path / f"{name}.pdf").read_bytes() == (SAMPLES / f"{name}.pdf").read_bytes()


MAKERS = ("docx-lo", "html-lo", "html-chromium")


@cache
def maker_findings(maker: str, name: str):
    import lkj

    return lkj.audit(lkj.read(SAMPLES / "makers" / maker / f"{name}.pdf", engine="pdfplumber"))


@pytest.mark.slow  # every maker's drawing of both reports, read and checked
@pytest.mark.parametrize("maker", MAKERS)
@pytest.mark.parametrize("name", REPORTS)
def test_the_planted_inconsistencies_are_found_whichever_maker_drew_the_report(name, maker):
    failed = maker_findings(maker, name).failed.to_dict("records")
    for plant in planted(name):
        assert sum(_matches(f, plant) for f in failed) == 1, (plant, failed)
    assert [f["subject"] for f in failed if f["severity"] == "error"
            and not any(_matches(f, p) for p in planted(name))] == []
