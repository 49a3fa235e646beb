"""Storing reports and comparing years, through the `lkj` commands (conftest.lkj_here):
`lkj run` over samples/, `lkj load` with conflict and --replace, `lkj compare` to CSV and PNG.

Works with whatever sample PDFs samples/ holds (at least the 2023 one).
"""

from __future__ import annotations

import csv
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import FAST, ROOT, SAMPLE_2023, SAMPLES, Ran, lkj_here
from stores import changed_copy

from lkj.compare import CHART_DPI, COMPARE_COLUMNS, figure_size
from lkj.schemas import contract

#: Slow (lkj run, load and compare over the samples):
#: left out of `make check`; `make test` and CI run it.
pytestmark = pytest.mark.slow

PDFS = sorted(p for p in SAMPLES.iterdir() if p.suffix.lower() == ".pdf")
SUMMARY_HEAD = ["report", "file", "tables", "rows", "errors", "warnings", "status"]


def lkj(*args: object, cwd: Path = ROOT) -> Ran:
    return lkj_here(*args, cwd=cwd)


def summary(stdout: str) -> list[dict[str, str]]:
    """The `lkj run` summary table as rows (header, dashes, one line per file, a total)."""
    lines = stdout.strip().splitlines()
    assert lines[0].split() == SUMMARY_HEAD
    assert set(lines[1].replace(" ", "")) == {"-"}
    return [dict(zip(SUMMARY_HEAD, ln.split(), strict=True)) for ln in lines[2:-1]]


@pytest.fixture(scope="module")
def store_of_samples(tmp_path_factory) -> tuple[Path, Ran]:
    db = tmp_path_factory.mktemp("run") / "tmp.sqlite"
    return db, lkj("run", "samples", "--db", db, "--silent")


# --- lkj run ---------------------------------------------------------------------------------

def test_run_stores_every_sample(store_of_samples):
    db, proc = store_of_samples
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # --silent: no progress bar, and nothing failed
    rows = summary(proc.stdout)
    assert [r["file"] for r in rows] == [p.name for p in PDFS]
    assert all(r["status"] == "loaded" for r in rows)
    assert all(int(r["tables"]) > 0 and int(r["rows"]) > 0 for r in rows)
    assert proc.stdout.strip().splitlines()[-1] == (
        f"{len(PDFS)} files: {len(PDFS)} stored ({len(PDFS)} loaded), 0 not stored; "
        f"store {db}")
    with sqlite3.connect(db) as conn:
        stored = [r[0] for r in conn.execute("SELECT source_file FROM reports ORDER BY 1")]
        assert stored == [p.name for p in PDFS]
        assert conn.execute("SELECT COUNT(*) FROM ingest_errors").fetchone()[0] == 0
        for row in rows:
            n = sum(conn.execute(f"SELECT COUNT(*) FROM {t} WHERE report_id = ?",
                                 (row["report"],)).fetchone()[0]
                    for t in contract.DATA_TABLES)  # the summary's "rows"
            assert n == int(row["rows"])


def test_run_again_changes_nothing(store_of_samples, tmp_path):
    db, _ = store_of_samples
    copy = tmp_path / "copy.sqlite"
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as conn:
        before = list(conn.iterdump())
    proc = lkj("run", "samples", "--db", copy, "--silent")
    assert proc.returncode == 0, proc.stderr
    assert {r["status"] for r in summary(proc.stdout)} == {"unchanged"}
    with sqlite3.connect(copy) as conn:
        assert list(conn.iterdump()) == before


def test_run_goes_on_after_a_bad_file_and_records_it(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_2023, folder / SAMPLE_2023.name)
    (folder / "a-download.pdf").write_text("<!DOCTYPE html><html>not found</html>\n")
    db = tmp_path / "x.sqlite"
    proc = lkj("run", folder, "--db", db, "--csv", tmp_path / "csv")
    assert proc.returncode == 1
    assert f"Error: {folder / 'a-download.pdf'}: not a PDF (looks like an HTML page)" \
        in proc.stderr.splitlines()
    rows = {r["file"]: r for r in summary(proc.stdout)}
    assert rows["a-download.pdf"]["status"] == "failed"
    assert rows[SAMPLE_2023.name]["status"] == "loaded"
    assert "2 files: 1 stored (1 loaded), 1 not stored" in proc.stdout
    with sqlite3.connect(db) as conn:
        (err,) = conn.execute("SELECT source_file, sha256, reason FROM ingest_errors")
    assert err[0] == "a-download.pdf" and len(err[1]) == 64 and "not a PDF" in err[2]
    with open(tmp_path / "csv" / "ingest_errors.csv", encoding="utf-8") as fh:
        assert [r["source_file"] for r in csv.DictReader(fh)] == ["a-download.pdf"]


def test_a_file_stored_at_last_leaves_no_ingest_error(tmp_path):
    """A time-limit failure is the file's row; a re-run with room stores it and clears the
    row; the database and the CSV folder agree."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_2023, folder / SAMPLE_2023.name)
    db, out = tmp_path / "x.sqlite", tmp_path / "csv"

    def errors() -> tuple[list, list]:
        with sqlite3.connect(db) as conn:
            in_db = conn.execute("SELECT source_file, reason FROM ingest_errors").fetchall()
        with open(out / "ingest_errors.csv", encoding="utf-8") as fh:
            in_csv = [(r["source_file"], r["reason"]) for r in csv.DictReader(fh)]
        return in_db, in_csv

    for _ in range(2):  # the same failure twice: still one row
        proc = lkj("run", folder, "--db", db, "--csv", out, "--time-limit", "0.01",
                   "--engine", "pdfplumber")
        assert proc.returncode == 1
    in_db, in_csv = errors()
    assert in_db == in_csv
    [(name, reason)] = in_db
    assert name == SAMPLE_2023.name
    assert reason.startswith("exceeded the time limit (0.01 s on one page) while ")
    proc = lkj("run", folder, "--db", db, "--csv", out, "--engine", "pdfplumber")
    assert proc.returncode == 0, proc.stderr
    assert errors() == ([], [])


# --- lkj load --------------------------------------------------------------------------------

def test_load_conflict_then_replace(tmp_path):
    """The store's decisions on one report from two files (the engine does not matter)."""
    db = tmp_path / "x.sqlite"
    other = changed_copy(SAMPLE_2023, tmp_path / "other-2023.pdf")
    first = lkj("load", SAMPLE_2023, "--db", db, *FAST)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"{SAMPLE_2023.name}: loaded bp3mi-ntb-2023: ")
    again = lkj("load", SAMPLE_2023, "--db", db, *FAST)
    assert again.returncode == 0
    assert again.stdout.startswith(f"{SAMPLE_2023.name}: unchanged bp3mi-ntb-2023: ")
    conflict = lkj("load", other, "--db", db, *FAST)
    assert conflict.returncode == 1 and conflict.stdout == ""
    (line,) = conflict.stderr.splitlines()
    assert line.startswith(f"Error: {other}: conflict: bp3mi-ntb-2023: already stored from "
                           f"another file ({SAMPLE_2023.name}")
    assert line.endswith("use --replace to replace it")
    replaced = lkj("load", other, "--db", db, "--replace", *FAST)
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith(f"{other.name}: replaced bp3mi-ntb-2023: ")
    assert f"(replaced {SAMPLE_2023.name})" in replaced.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT source_file FROM reports").fetchall() == [(other.name,)]


def test_load_refuses_a_store_of_another_version(tmp_path):
    db = tmp_path / "x.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("CREATE TABLE reports (x)")
    conn.close()
    proc = lkj("load", SAMPLE_2023, "--db", db)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"Error: {db}: written by a newer lkj (store schema 99;")


# --- lkj compare -----------------------------------------------------------------------------

def test_compare_writes_csv_and_chart(store_of_samples, tmp_path):
    from PIL import Image

    db, _ = store_of_samples
    out_csv, out_png = tmp_path / "out.csv", tmp_path / "out.png"
    proc = lkj("compare", "--db", db, "--csv", out_csv, "--chart", out_png)
    assert proc.returncode == 0, proc.stderr
    with open(out_csv, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COMPARE_COLUMNS
        rows = list(reader)
    keys = [(r["agency_id"], r["indicator_id"], r["year"]) for r in rows]
    assert len(keys) == len(set(keys)), "one row per agency, indicator and year"
    with sqlite3.connect(db) as conn:
        # a report of an office not named (agency_id NULL) is an empty cell in the CSV
        want = set(conn.execute("SELECT DISTINCT COALESCE(agency_id, ''), indicator_id, "
                                "CAST(year AS TEXT) FROM v_iku_by_year "
                                "WHERE indicator_id IS NOT NULL"))
    assert set(keys) == want
    years_2023 = {r["indicator_id"] for r in rows if r["year"] == "2023"}
    assert len(years_2023) >= 8  # the 2023 report's eight IKU
    # the printed table: a header, dashes, one line per CSV row
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:3] == ["agency", "indicator", "year"]
    # one line per row, of any agency (the samples hold other offices than NTB's), then notes
    assert len([ln for ln in lines[2:] if ln and not ln.startswith("*")]) == len(rows)
    assert out_png.stat().st_size > 10_000
    n_indicators = len({r["indicator_id"] for r in rows})
    w, h = figure_size(n_indicators)
    with Image.open(out_png) as img:
        assert img.format == "PNG"
        assert img.size == (round(w * CHART_DPI), round(h * CHART_DPI))


def test_compare_one_indicator_by_its_wording(store_of_samples):
    db, _ = store_of_samples
    proc = lkj("compare", "--db", db, "--agency", "BP3MI NTB",
               "--indicator", "Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)")
    assert proc.returncode == 0, proc.stderr
    body = proc.stdout.splitlines()[2:]
    assert body and all(ln.split()[:2] == ["bp3mi-ntb", "nilai-ikpa"] for ln in body)
    years = [int(ln.split()[2]) for ln in body]
    assert years == sorted(years) and 2023 in years


@pytest.mark.parametrize("args, error", [
    (["--indicator", "Jumlah Pengaduan Masyarakat"], "Error: unknown indicator"),
    (["--agency", "Dinas Pariwisata Bali"], "Error: unknown agency"),
])
def test_compare_names_what_it_does_not_know(store_of_samples, args, error):
    db, _ = store_of_samples
    proc = lkj("compare", "--db", db, *args)
    assert proc.returncode == 1 and proc.stderr.startswith(error)


def test_compare_does_not_create_a_store(tmp_path):
    proc = lkj("compare", "--db", tmp_path / "none.sqlite")
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"Error: {tmp_path / 'none.sqlite'}: no such store"
    assert not (tmp_path / "none.sqlite").exists()


# --- the README's SQL ------------------------------------------------------------------------

def readme_queries() -> list[str]:
    """Each statement of the ```sql blocks of the README's "Querying the database"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Querying the database\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sql\n(.*?)```", section, re.DOTALL)
    code = "\n".join(ln for b in blocks for ln in b.splitlines()
                     if not ln.lstrip().startswith("--"))
    return [q.strip() for q in code.split(";") if q.strip()]


def test_every_readme_query_returns_rows(store_of_samples, scanned_2021_front, tmp_path):
    import lkj

    db, _ = store_of_samples
    scan_db = tmp_path / "scan.sqlite"
    with lkj.Store.open(scan_db) as store:  # the scan's first pages, as lkj load stores them
        report = lkj.Report(scanned_2021_front)
        assert store.load(report, lkj.audit(report)) == "loaded"
    queries = readme_queries()
    assert len(queries) == 4
    for query in queries:
        with sqlite3.connect(scan_db if "ocr_cells" in query else db) as conn:
            assert conn.execute(query).fetchall(), query


def _red_pixels(path: Path) -> int:
    import numpy as np
    from PIL import Image

    with Image.open(path) as img:
        rgb = np.asarray(img.convert("RGB")).astype(int)
    return int(((rgb[..., 0] > 200) & (rgb[..., 1] < 150) & (rgb[..., 2] < 150)).sum())


def test_the_chart_marks_a_stated_capaian_far_from_its_recomputed_one(tmp_path):
    """Invented rows (not a sample's): the same series twice, once with every stated capaian
    equal to realisasi / target x 100, once with one year stated 5 points off; only the
    second draws the red gap."""
    from lkj.compare import draw_chart

    def rows(off: float) -> list[dict]:
        out = []
        for year, target, realisasi in ((2021, 80, 84), (2022, 80, 88), (2023, 90, 90)):
            recomputed = round(realisasi / target * 100, 2)
            out.append({c: None for c in COMPARE_COLUMNS} | {
                "agency_id": "dinas-sampel", "indicator_id": "indeks-sampel",
                "indicator_name": "Indeks Sampel", "year": year, "target": target,
                "realisasi": realisasi, "target_unit": "%", "realisasi_unit": "%",
                "capaian_recomputed": recomputed,
                "capaian_pct": recomputed + (off if year == 2022 else 0)})
        return out

    same, gap = tmp_path / "same.png", tmp_path / "gap.png"
    draw_chart(rows(0.0), same)
    draw_chart(rows(5.0), gap)
    assert _red_pixels(same) == 0
    assert _red_pixels(gap) > 50
