"""The library under the CLI (lkj/api.py): the README's Python section runs as written, and
each call keeps the CLI's promises (the same tables, the same store decisions, one-line
reasons for bad files)."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest
from badfiles import BAD_INPUTS, make_truncated
from conftest import ROOT, SAMPLE_2023

import lkj
from lkj.schemas import contract


def readme_python() -> list[str]:
    """The ```python blocks of the README's Python section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


@pytest.mark.slow  # reads and runs the samples as the README does
def test_the_readme_python_section_runs(tmp_path, monkeypatch):
    blocks = readme_python()
    assert len(blocks) == 2
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    monkeypatch.chdir(tmp_path)
    first: dict = {}
    exec(compile(blocks[0], "README.md (Python, 1)", "exec"), first)
    report, findings = first["report"], first["findings"]
    assert report.report_id == "bp3mi-ntb-2023"
    assert (findings.errors, findings.warnings) == (17, 12)  # as `lkj check` (test_check_cli)
    assert len(findings.failed) == 29
    assert sorted(p.name for p in (tmp_path / "out" / "2023").iterdir()) == sorted(
        [f"{t}.csv" for t in contract.OUTPUT_TABLES] + ["findings.html"])
    page = (tmp_path / "out" / "2023" / "findings.html").read_text(encoding="utf-8")
    assert "Tabel 2.3" in page and "#page=" in page  # its pages link to the PDF

    second: dict = {}
    exec(compile(blocks[1], "README.md (Python, 2)", "exec"), second)
    assert [(o.path.name, o.status) for o in second["outcomes"]] == [
        (p.name, "unchanged" if p.name == SAMPLE_2023.name else "loaded")
        for p in sorted((ROOT / "samples").glob("*.pdf"))]
    with lkj.Store.open(tmp_path / "out" / "lkj.sqlite") as store:
        reports = store.reports()
        # the four years of the NTB office, and the synthetic reports of other offices
        # (samples/README.md), one report per PDF
        ids = sorted(reports["report_id"])
        assert len(ids) == len(second["outcomes"])
        assert {f"bp3mi-ntb-{y}" for y in (2021, 2022, 2023, 2024)} <= set(ids)
        assert "dinas-pertanian-kabupaten-sukamaju-2016" in ids
        ikpa = store.compare(indicator="Nilai IKPA")
        assert len(ikpa) > 0 and set(ikpa["indicator_id"]) == {ikpa["indicator_id"][0]}


@pytest.mark.slow  # one more read of the 2023 sample
def test_read_from_bytes_is_the_same_report(extraction_2023):
    report = lkj.read(SAMPLE_2023.read_bytes(), name=SAMPLE_2023.name)
    assert report.meta == extraction_2023.report
    assert report.tables["iku"].equals(extraction_2023.frames()["iku"])
    assert report.path is None
    steps = []
    isolated = lkj.read(SAMPLE_2023, isolated=True, progress=lambda *told: steps.append(told))
    assert isolated.meta == extraction_2023.report
    assert isolated.tables["iku"].equals(extraction_2023.frames()["iku"])
    assert isolated.path == SAMPLE_2023
    pages = extraction_2023.report["pages"]
    assert {page for _, page, _ in steps} >= set(range(1, pages + 1))  # each page told


def test_a_bad_file_is_a_report_error_named_as_given(tmp_path):
    bad = make_truncated(tmp_path)
    with pytest.raises(lkj.ReportError) as raised:
        lkj.read(bad)
    assert str(raised.value) == f"{bad}: {BAD_INPUTS['truncated'][1]}"
    with pytest.raises(lkj.ReportError) as raised:
        lkj.read(b"<html>not found</html>", name="download.pdf")
    assert str(raised.value) == "download.pdf: not a PDF (looks like an HTML page)"
    with pytest.raises(lkj.ReportError) as raised:  # in a worker: the same words
        lkj.read(b"<html>not found</html>", name="download.pdf", isolated=True)
    assert str(raised.value) == "download.pdf: not a PDF (looks like an HTML page)"


def test_stores_decide_alike_and_run_never_raises_for_a_file(tmp_path, extraction_2023):
    report = lkj.Report(extraction_2023, SAMPLE_2023)
    findings = lkj.audit(report)
    for where in (tmp_path / "a.sqlite", f"{tmp_path / 'csv'}/"):
        with lkj.Store.open(where) as store:
            assert store.is_csv == str(where).endswith("/")
            assert store.load(report, findings) == "loaded"
            assert store.load(report, findings) == "unchanged"
            assert list(store.reports()["report_id"]) == ["bp3mi-ntb-2023"]
            for agency in (report.meta["agency_id"], report.meta["agency"], None):
                assert list(store.reports(agency, year=2023)["report_id"]) == [
                    "bp3mi-ntb-2023"], agency
            assert store.reports(year=2022).empty and store.reports("another-office").empty
            assert len(store.table("findings", "bp3mi-ntb-2023")) == len(findings)
        with lkj.Store.open(where, readonly=True) as store:
            assert list(store.reports()["report_id"]) == ["bp3mi-ntb-2023"]
    for missing in (tmp_path / "none.sqlite", f"{tmp_path / 'none'}/"):
        with pytest.raises(lkj.StoreError, match="no such"):
            lkj.Store.open(missing, readonly=True)
        assert not pathlib.Path(missing).exists()
    folder = tmp_path / "in"
    folder.mkdir()
    bad = make_truncated(folder)
    seen = []
    outcomes = lkj.run(folder, tmp_path / "a.sqlite", progress=seen.append)
    assert [(o.path, o.status, o.message) for o in outcomes] == [
        (bad, "failed", BAD_INPUTS["truncated"][1])]
    assert seen == outcomes


def test_import_lkj_imports_nothing_heavy():
    code = ("import sys, lkj; lkj.__all__; "
            "print(sorted(m for m in ('pandas', 'pdfplumber', 'camelot', 'great_expectations',"
            " 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    assert set(lkj.__all__) <= set(dir(lkj))
    with pytest.raises(AttributeError):
        lkj.no_such_name  # noqa: B018
