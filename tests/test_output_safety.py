"""Output that cannot be turned against its reader (issue 12): no CSV cell that a spreadsheet
would run as a formula, from any CSV writer, and every cell read back as it was; no link in
findings.html but a relative path or a file: URI to a page of the PDF.
"""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from stores import fake_extraction

from lkj.auditpage import html
from lkj.load import csvstore
from lkj.load.csvstore import CsvStore
from lkj.load.files import read_tables, spreadsheet_safe, spreadsheet_text, write_tables
from lkj.load.sqlite import SqliteStore
from lkj.load.store import load, store_columns
from lkj.schemas import contract

#: Text a spreadsheet would run, or a real quote before such text: written with one more "'".
HOSTILE = ["=1+1", '=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+1", "-2+3+cmd|' /C calc'!A0",
           "- LPK Logika Internasional", "-22 s.d 23 Oktober 2023", "\tx", "\rx", "-", "'=1+1",
           "''@x"]
#: Written as they are: numbers (a spreadsheet computes nothing from them), and other text.
AS_IS = ["-5", "-1.234,50", "+3", "-8.6%", "7.469.884", "'quoted", "'-5", "'", "LPK", "a=b",
         "a\rb", ""]
#: The start of a formula, and a number as a report prints it (the rule, said once more).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*%?")
JS_PDF = "javascript:alert(document.domain)%2F%2F.pdf"


def written(text: str) -> str:
    return "'" + text if text in HOSTILE else text


def csv_cells(path: Path) -> list[list[str]]:
    """The data rows of a CSV file as the file holds them (no header)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))[1:]


def assert_spreadsheet_safe(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS) or NUMBER.fullmatch(cell), repr(cell)


# --- the rule --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE + AS_IS)
def test_a_cell_is_quoted_only_where_it_would_start_a_formula(text):
    assert spreadsheet_safe(text) == written(text)
    assert spreadsheet_text(spreadsheet_safe(text)) == text


_TRICKY = st.text(st.sampled_from("'=+-@\t\r0,.%a "), max_size=8)


@given(st.one_of(st.text(), _TRICKY, st.builds(str.__add__, _TRICKY, st.text())))
def test_reading_back_what_was_written_is_the_text(text):
    cell = spreadsheet_safe(text)
    assert spreadsheet_text(cell) == text
    assert cell == text or cell == "'" + text
    assert_spreadsheet_safe([cell])


@given(st.lists(st.one_of(st.text(st.characters(exclude_categories=("Cs",))), _TRICKY),
                min_size=1, max_size=6))
@pytest.mark.slow  # hypothesis over the CSV round trip
def test_every_text_survives_the_csv_files_lkj_reads_back(texts):
    with tempfile.TemporaryDirectory() as tmp:
        folder, store = Path(tmp) / "extract", Path(tmp) / "store"
        write_tables(folder, {"report": (["report_id", "title"],
                                         [{"report_id": "r", "title": t} for t in texts])})
        cells = [row[1] for row in csv_cells(folder / "report.csv")]
        assert cells == [spreadsheet_safe(t) for t in texts]
        assert list(read_tables(folder)["report"]["title"]) == [t or None for t in texts]
        iku = [{"table_id": t or "-", "row": n, "indicator": t} for n, t in enumerate(texts)]
        load(CsvStore(store), fake_extraction(iku, rid=texts[0] or "r"))
        got = csvstore.read_table(store, "iku")
        assert [(r["report_id"], r["table_id"], r["indicator"]) for r in got] == [
            (texts[0] or "r", t or "-", t) for t in texts]


# --- the writers -----------------------------------------------------------------------------

def _record(name: str, **values: object) -> dict:
    return {c: values.get(c) for c in contract.COLUMNS[name]}


def test_extracted_tables_are_spreadsheet_safe_and_read_back(tmp_path):
    report = _record("report", report_id="=1+1", agency=HOSTILE[1], title="@SUM(A1)",
                     source_file="-x.pdf", year=2023, pages=3)
    iku = [_record("iku", report_id="=1+1", table_id="2.1", row=n, page=1, indicator=text,
                   target_unit=text, target=-5.0, target_raw="-5")
           for n, text in enumerate(HOSTILE + AS_IS, 1)]
    tables = {"report": (contract.COLUMNS["report"], [report]),
              "iku": (contract.COLUMNS["iku"], iku)}
    write_tables(tmp_path, tables)
    cols = contract.COLUMNS["iku"]
    for row, rec in zip(csv_cells(tmp_path / "iku.csv"), iku, strict=True):
        assert row[cols.index("indicator")] == written(rec["indicator"])
        assert row[cols.index("target")] == "-5.0" and row[cols.index("target_raw")] == "-5"
        assert_spreadsheet_safe(row)
    (head,) = csv_cells(tmp_path / "report.csv")
    assert head[:3] == ["'=1+1", "", "'" + HOSTILE[1]]
    frames = read_tables(tmp_path)  # as `lkj check DIR` reads them
    assert frames["report"].loc[0, "title"] == "@SUM(A1)"
    assert frames["report"].loc[0, "source_file"] == "-x.pdf"
    back = frames["iku"]
    assert list(back["indicator"]) == [r["indicator"] or None for r in iku]
    assert list(back["target"]) == [-5.0] * len(iku)


def test_the_csv_store_is_spreadsheet_safe_and_reads_back(tmp_path):
    folder = tmp_path / "csv"
    iku = [{"table_id": "-2.3 (x)", "table_part": 1, "row": n, "page": 1, "indicator": text,
            "target": -5.0} for n, text in enumerate(HOSTILE + AS_IS, 1)]
    store = CsvStore(folder)
    assert load(store, fake_extraction(iku, rid="=1+1")).status == "loaded"
    # another report: the first one's rows are read back and written again, quoted once
    assert load(store, fake_extraction([], rid="@r2", sha="1" * 64)).status == "loaded"
    cols = store_columns()["iku"]
    rows = csv_cells(folder / "iku.csv")
    assert [r[cols.index("indicator")] for r in rows] == [written(t) for t in HOSTILE + AS_IS]
    assert {r[cols.index("table_id")] for r in rows} == {"'-2.3 (x)"}
    for table in ("iku", "reports"):
        for row in csv_cells(folder / f"{table}.csv"):
            assert_spreadsheet_safe(row)
    assert [r["indicator"] for r in csvstore.read_table(folder, "iku")] == HOSTILE + AS_IS
    assert {r["report_id"] for r in csvstore.read_table(folder, "reports")} == {"=1+1", "@r2"}
    assert load(store, fake_extraction(iku, rid="=1+1")).status == "unchanged"
    # a file's failure is found again by its name, to be cleared
    store.record_ingest_error(tmp_path / "=cmd.pdf", "2" * 64, "=bad")
    assert csv_cells(folder / "ingest_errors.csv")[0][1:4] == ["'=cmd.pdf", "2" * 64, "'=bad"]
    store.record_ingest_error(tmp_path / "=cmd.pdf", "2" * 64, None)
    assert csvstore.read_table(folder, "ingest_errors") == []


def test_compare_csv_is_spreadsheet_safe(tmp_path):
    from lkj.pipeline import cli

    db = tmp_path / "lkj.sqlite"
    iku = [{"table_id": "-2.3 (x)", "table_part": 1, "row": 1, "page": 1,
            "indicator": "Jumlah Penempatan PMI", "target": 5.0, "target_unit": "=u",
            "realisasi": -5.0, "realisasi_unit": "=u"}]
    conn = SqliteStore.open(db)
    try:
        load(conn, fake_extraction(iku, rid="=1+1"))
    finally:
        conn.close()
    proc = CliRunner().invoke(cli, ["compare", "--db", str(db), "--csv", str(tmp_path / "c.csv")])
    assert proc.exit_code == 0, proc.output
    with open(tmp_path / "c.csv", encoding="utf-8", newline="") as fh:
        (row,) = csv.DictReader(fh)
    assert (row["report_id"], row["source_file"], row["table_id"]) == (
        "'=1+1", "'=1+1.pdf", "'-2.3 (x)")
    assert (row["target_unit"], row["realisasi"]) == ("'=u", "-5.0")
    assert_spreadsheet_safe(list(row.values()))
    with sqlite3.connect(db) as raw:  # the store keeps the text as it was
        assert raw.execute("SELECT source_file FROM reports").fetchall() == [("=1+1.pdf",)]


# --- findings.html ---------------------------------------------------------------------------

def _finding(rid: str, pages: str) -> dict:
    return {"report_id": rid, "check": "iku_capaian", "severity": "error", "status": "failed",
            "subject": '"><script>alert(1)</script>', "tables": "2.1", "pages": pages,
            "stated": 1.0, "computed": 2.0, "difference": 1.0, "formula": "=1+1",
            "message": "<img src=x onerror=alert(1)>"}


def _hrefs(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    # the page's own script and pictures only: the report's texts are escaped
    assert "<script>alert" not in text and "<img src=x" not in text
    return [h.replace("&amp;", "&") for h in re.findall(r'<a href="([^"]*)"', text)]


@pytest.mark.parametrize("name", [JS_PDF, "a:b/x#y?.pdf", "data:text,<b>&'\".pdf"])
def test_a_pdf_link_is_a_quoted_relative_path_whatever_the_file_is_called(tmp_path, name):
    out = tmp_path / "out"  # the PDF in it, as `lkj check NAME --out .`: its name is the link
    pdf = out / name
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4\n")
    page = html.render([_finding("r", "10,javascript:x,3")], [{"report_id": "r"}],
                       out / "findings.html", {"r": pdf})
    hrefs = _hrefs(page)
    assert "&lt;script&gt;alert(1)" in page.read_text(encoding="utf-8")
    assert len(hrefs) == 2  # pages 10 and 3; "javascript:x" is no page to link
    for href in hrefs:
        path, _, anchor = href.partition("#")
        assert re.fullmatch(r"page=\d+", anchor)
        assert ":" not in path and not urlsplit(href).scheme
        assert (out / unquote(path)).resolve() == pdf.resolve()


def test_a_pdf_with_no_relative_path_is_linked_by_file_uri(tmp_path, monkeypatch):
    def other_drive(path, start):
        raise ValueError("path is on mount 'D:', start on mount 'C:'")

    pdf = tmp_path / JS_PDF
    monkeypatch.setattr(html.os.path, "relpath", other_drive)
    page = html.render([_finding("r", "10")], [{"report_id": "r"}], tmp_path / "f.html",
                       {"r": pdf})
    (href,) = _hrefs(page)
    assert href == pdf.as_uri() + "#page=10" and href.startswith("file:///")


@pytest.mark.slow  # lkj check of a whole report
def test_check_a_pdf_named_like_a_script(tmp_path, sample_2023, extraction_2023):
    from lkj.archive.check import check_sources

    pdf = tmp_path / JS_PDF
    shutil.copyfile(sample_2023, pdf)
    run = check_sources([pdf], tmp_path / "out", read=lambda path, settings: extraction_2023)
    hrefs = _hrefs(tmp_path / "out" / "findings.html")
    assert hrefs and {h.partition("#")[0] for h in hrefs} == {
        "../javascript%3Aalert%28document.domain%29%252F%252F.pdf"}
    for table in ("findings", "events", "claims"):
        for row in csv_cells(tmp_path / "out" / f"{table}.csv"):
            assert_spreadsheet_safe(row)
    assert len(csv_cells(tmp_path / "out" / "findings.csv")) == len(run.findings)
