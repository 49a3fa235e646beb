"""`lkj check` (in this process, through click's runner): findings on the terminal and in
files, exit codes."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from badfiles import BAD_INPUTS, make_truncated
from conftest import SAMPLE_2023, Ran, lkj_here

#: Slow (lkj check and extract on the samples):
#: left out of `make check`; `make test` and CI run it.
pytestmark = pytest.mark.slow


def run(*args: str) -> Ran:
    return lkj_here(*args)


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_check_a_pdf(tmp_path):
    out = tmp_path / "audit"
    proc = run("check", str(SAMPLE_2023), "--out", str(out), "--engine", "pdfplumber")
    assert proc.returncode == 1, proc.stderr  # error-level findings fail by default
    assert "Traceback" not in proc.stderr
    head, rule = proc.stdout.splitlines()[:2]
    assert head.split() == ["severity", "check", "tables", "pages", "stated", "computed",
                            "diff", "message"]
    assert set(rule) <= {"-", " "}
    last = proc.stdout.splitlines()[-1]
    assert last.startswith("17 errors, 12 warnings; ") and "findings.html" in last
    # each PDF page with the number printed on it (Tabel 2.3: pages 14 and 15)
    assert "14 (hal. 10), 15 (hal. 11)" in proc.stdout
    for name in ("findings.csv", "findings.json", "findings.html", "iku.csv", "claims.csv"):
        assert (out / name).is_file(), name
    findings = read(out / "findings.csv")
    assert json.loads((out / "findings.json").read_text()) and len(findings) == len(
        json.loads((out / "findings.json").read_text()))
    failed = [f for f in findings if f["status"] == "failed"]
    assert len(failed) == 29
    assert {f["status"] for f in findings} == {"failed", "held", "not checked"}
    html = (out / "findings.html").read_text()
    hrefs = set(re.findall(r'href="([^"#]+)#page=(\d+)"', html))
    assert ("14" in {p for _, p in hrefs}) and len({h for h, _ in hrefs}) == 1
    (href,) = {h for h, _ in hrefs}  # relative to the page, and it leads to the PDF
    assert (out / href).resolve() == SAMPLE_2023.resolve()
    # the number printed at the foot of PDF page 14 (Tabel 2.3) follows it
    assert f'<a href="{href}#page=14">14</a> (hal. 10)' in html
    assert "#page=1\">1</a> (hal." not in html  # the cover prints no number


def test_fail_on_levels(tmp_path):
    never = run("check", str(SAMPLE_2023), "--out", str(tmp_path / "a"), "--fail-on", "never",
                "--engine", "pdfplumber", "--silent")
    assert never.returncode == 0 and never.stdout == ""


def test_check_a_folder_of_csvs_gives_the_same_findings(tmp_path):
    tables = tmp_path / "tables"
    assert run("extract", str(SAMPLE_2023), "--out", str(tables), "--engine", "pdfplumber",
               "--silent").returncode == 0
    from_csv = run("check", str(tables), "--fail-on", "never")
    assert from_csv.returncode == 0, from_csv.stderr
    from_pdf = run("check", str(SAMPLE_2023), "--out", str(tmp_path / "pdf"), "--engine",
                   "pdfplumber", "--fail-on", "never")
    assert from_pdf.returncode == 0, from_pdf.stderr
    assert read(tables / "findings.csv") == read(tmp_path / "pdf" / "findings.csv")


def test_a_folder_that_is_not_an_extraction_is_a_clean_error(tmp_path):
    (tmp_path / "notes.txt").write_text("no PDF here")
    proc = run("check", str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"Error: {tmp_path}: neither PDFs nor a folder written " \
                                  "by lkj extract (no report.csv)"


def test_a_folder_of_pdfs_is_checked_past_a_bad_one(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / SAMPLE_2023.name).symlink_to(SAMPLE_2023)
    bad = make_truncated(folder)
    proc = run("check", str(folder), "--out", str(tmp_path / "audit"), "--engine",
               "pdfplumber", "--silent", "--fail-on", "never")
    # the bad file named in one line, the good one checked, exit 1 for the file not read
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.strip() == f"Error: {bad}: {BAD_INPUTS['truncated'][1]}"
    findings = read(tmp_path / "audit" / "findings.csv")
    assert {f["report_id"] for f in findings} == {"bp3mi-ntb-2023"}
    assert sum(f["status"] == "failed" and f["severity"] == "error" for f in findings) == 17
