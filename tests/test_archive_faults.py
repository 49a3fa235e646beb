"""Whole archives through the real `lkj run`: hostile files, kills, two writers, nothing lost.

Every run goes through the console script in a subprocess, as an archivist would run it. The
bad inputs are built at test time (tests/badfiles.py); the distinct good reports are
benchmarks/corpus.py variants (invented agencies, so each is a report of its own).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from badfiles import (
    BAD_INPUTS,
    DAMAGED_INPUTS,
    make_active_content,
    make_bad_stream,
    make_deep_metadata,
    make_deep_nesting,
    make_huge_page,
    make_huge_page_count,
    make_inflation_bomb,
    make_many_pages,
    make_table_missing,
    make_table_rows_missing,
)
from conftest import ROOT, SAMPLES

LKJ = Path(sys.executable).parent / "lkj"
SAMPLE_IDS = {f"lkj-bp3mi-ntb-{y}.pdf": f"bp3mi-ntb-{y}" for y in (2021, 2022, 2023, 2024)}
#: What `lkj run` prints on stderr for each file besides `Error:` lines when stderr is not
#: a terminal (a log): files done of all, the file and what became of it, the rates, the ETA.
PROGRESS = re.compile(r"Read (\d+)/(\d+) \(\d+%\) (.+): (\w+); \d+\.\d\d files/s, "
                      r"\d+\.\d pages/s(?:, (\d+) failed)?; (?:ETA .+|.+ in all)")
#: Distinct reports of the kill and two-writer tests: enough that a kill lands mid-run and
#: that the two runs share files and each has some of its own.
VARIANTS = 4

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402  (benchmarks/corpus.py)

#: Slow (whole archives through lkj run, kills and two writers):
#: left out of `make check`;
#: `make test` and CI run it.
pytestmark = pytest.mark.slow


def lkj_run(folder: Path, db: Path, *args: object, timeout: float = 240
            ) -> subprocess.CompletedProcess:
    return subprocess.run([str(LKJ), "run", str(folder), "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "200"})


@contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection, closed after use."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def child_tables(conn: sqlite3.Connection) -> list[str]:
    """Every store table with a report_id column, but reports itself."""
    names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [n for n in names if n != "reports" and any(
        col[1] == "report_id" for col in conn.execute(f'PRAGMA table_info("{n}")'))]


def per_report_rows(db: Path) -> dict[str, dict[str, int]]:
    """report_id -> {table: rows of that report} for every stored report."""
    with connect(db) as conn:
        ids = [r for (r,) in conn.execute("SELECT report_id FROM reports")]
        assert len(ids) == len(set(ids))
        return {rid: {t: conn.execute(f'SELECT COUNT(*) FROM "{t}" WHERE report_id = ?',
                                      (rid,)).fetchone()[0] for t in child_tables(conn)}
                for rid in ids}


def assert_sound(db: Path) -> None:
    """integrity_check ok, foreign_key_check empty, no child row without its report."""
    with connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for t in child_tables(conn):
            orphans = conn.execute(f'SELECT COUNT(*) FROM "{t}" WHERE report_id NOT IN '
                                   f'(SELECT report_id FROM reports)').fetchone()[0]
            assert orphans == 0, t


def stderr_errors(proc: subprocess.CompletedProcess, kind: str = "Error") -> list[str]:
    """The `Error:` (or `Warning:`) lines; any line but those and the progress lines fails
    the test."""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    others = [ln for ln in lines if not ln.startswith(("Error: ", "Warning: "))
              and not PROGRESS.fullmatch(ln)]
    assert not others, proc.stderr
    return [ln for ln in lines if ln.startswith(f"{kind}: ")]


def progress_lines(proc: subprocess.CompletedProcess) -> list[re.Match[str]]:
    return [m for ln in proc.stderr.splitlines() if (m := PROGRESS.fullmatch(ln))]


SUMMARY = re.compile(r"^(\d+) files: (\d+) stored \((.*)\), (\d+) not stored; store (.+)$",
                     re.MULTILINE)


def summary(proc: subprocess.CompletedProcess) -> dict[str, int]:
    found = SUMMARY.search(proc.stdout)
    assert found, proc.stdout
    files, stored, by_status, failed, _ = found.groups()
    counts = {"files": int(files), "stored": int(stored), "not stored": int(failed)}
    for part in by_status.split(", "):
        if part != "none":
            n, status = part.split(" ")
            counts[status] = int(n)
    return counts


# --- an archive full of bad files ------------------------------------------------------------

#: name of a file in the archive -> how its reason must read (exact, or a regex for parsers'
#: own words)
def _expected_reasons(folder: Path) -> dict[str, str | re.Pattern[str]]:
    expected: dict[str, str | re.Pattern[str]] = {}
    for build, reason in BAD_INPUTS.values():
        path = build(folder)
        if path.is_dir():  # a folder or a missing file is not part of a folder's *.pdf
            shutil.rmtree(path)
        elif path.is_file():
            expected[path.name] = reason
    for build, start in DAMAGED_INPUTS.values():
        expected[build(folder).name] = re.compile(re.escape(start) + ".+")
    # the recursion bomb: pdfplumber's recursive resolving gives up, the worker survives
    expected[make_deep_nesting(folder).name] = re.compile(
        r"(damaged|unreadable) PDF \(RecursionError: .+\)")
    # the page tree's /Count is not believed: its one page is read
    expected[make_huge_page_count(folder).name] = "no LKj tables found"
    # pdfplumber logs the unparsable /Title on stderr; a worker's output goes nowhere
    expected[make_deep_metadata(folder).name] = "no LKj tables found"
    # an 8 GiB inflation: the memory limit stops it, and the reason says so
    expected[make_inflation_bomb(folder).name] = \
        "exceeded the memory limit (3072 MiB) while decompressing page 1"
    expected[make_active_content(folder).name] = "no LKj tables found"
    expected[make_bad_stream(folder).name] = re.compile(
        r"no text to read: page 1: a stream does not inflate \(Error -3 .+\)")
    return expected


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    folder = tmp_path_factory.mktemp("archive")
    for name in SAMPLE_IDS:
        shutil.copy(SAMPLES / name, folder / name)
    shutil.copy(SAMPLES / "lkj-bp3mi-ntb-2022.pdf", folder / "zz-copy-of-2022.pdf")
    incomplete = [make_table_missing(folder).name, make_table_rows_missing(folder).name]
    # a page 3.5 km square is read without harm: its one table (of no family lkj knows)
    # is kept as cells, the report stored
    kept = [make_huge_page(folder).name]
    expected = _expected_reasons(folder)
    db = tmp_path_factory.mktemp("archive-db") / "lkj.sqlite"
    start = time.monotonic()
    proc = lkj_run(folder, db)
    return {"folder": folder, "db": db, "proc": proc, "expected": expected,
            "incomplete": incomplete, "kept": kept, "seconds": time.monotonic() - start}


def _matches(reason: str, want: str | re.Pattern[str]) -> bool:
    return reason == want if isinstance(want, str) else bool(want.fullmatch(reason))


def test_archive_exit_code_and_one_error_line_per_bad_file(archive):
    proc, folder, expected = archive["proc"], archive["folder"], archive["expected"]
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = stderr_errors(proc)
    for name, want in expected.items():
        prefix = f"Error: {folder / name}: "
        mine = [ln for ln in errors if ln.startswith(prefix)]
        assert len(mine) == 1, (name, errors)
        assert _matches(mine[0][len(prefix):], want), (name, mine[0])
    assert len(errors) == len(expected), errors


def test_archive_every_bad_file_is_a_row_in_ingest_errors(archive):
    """Files not stored, and reports stored without a table they list, each have their
    stderr line's reason as a row."""
    proc, folder = archive["proc"], archive["folder"]
    reasons = {}
    for kind in ("Error", "Warning"):
        for line in stderr_errors(proc, kind):
            path, reason = line[len(f"{kind}: "):].split(": ", 1)
            reasons[Path(path).name] = reason
    with connect(archive["db"]) as conn:
        rows = conn.execute("SELECT source_file, reason, sha256 FROM ingest_errors").fetchall()
    assert sorted((name, reason) for name, reason, _ in rows) == sorted(reasons.items())
    by_name = {name: sha for name, _, sha in rows}
    assert by_name["empty.pdf"] is None or len(by_name["empty.pdf"]) == 64
    assert len(by_name["truncated.pdf"]) == 64  # a file that exists has its hash kept
    assert set(by_name) == set(archive["expected"]) | set(archive["incomplete"])
    assert not any((folder / n).is_dir() for n in by_name)


def test_archive_every_good_report_is_stored_exactly_once(archive):
    proc, db = archive["proc"], archive["db"]
    with connect(db) as conn:
        stored = conn.execute("SELECT report_id, source_file FROM reports").fetchall()
    ids = [rid for rid, _ in stored]
    assert len(ids) == len(set(ids)) == (len(SAMPLE_IDS) + len(archive["incomplete"])
                                         + len(archive["kept"]))
    by_file = {f: rid for rid, f in stored}
    for name, rid in SAMPLE_IDS.items():
        assert by_file[name] == rid
    assert "zz-copy-of-2022.pdf" not in by_file  # the same bytes again: not stored twice
    assert re.search(r"^bp3mi-ntb-2022\s+zz-copy-of-2022\.pdf\s.*\sunchanged$", proc.stdout,
                     re.MULTILINE), proc.stdout
    for name in archive["incomplete"]:  # a table short is still a report, of its own agency
        # (invented, not in the registry: named from its printed name, its year after it)
        assert re.fullmatch(r"[a-z0-9-]+-provinsi-sampel-\d+-2023", by_file[name]), by_file[name]
        assert not by_file[name].startswith("bp3mi-ntb")
    assert_sound(db)


def test_archive_a_missing_table_is_not_a_lost_report(archive):
    """A report without Tabel 2.3, or with its header and no rows, is still a report: stored
    with every other table, and the lack is said: a Warning line naming the table, a failed
    completeness finding (its list of tables names 2.3), a row with 0 rows in `tables`."""
    rows = per_report_rows(archive["db"])
    missing, rows_missing = archive["incomplete"]
    warnings = {Path(ln.split(": ", 2)[1]).name: ln.split(": ", 2)[2]
                for ln in stderr_errors(archive["proc"], "Warning")}
    assert warnings == {
        missing: "stored incomplete: Tabel 2.3: Kegiatan Sosialisasi Tahun 2023: listed in "
                 "DAFTAR TABEL (page 4, printed page 8) but not found in the report",
        rows_missing: "stored incomplete: Tabel 2.3: Kegiatan Sosialisasi Tahun 2023: "
                      "caption and header on page 13 but no rows"}
    with connect(archive["db"]) as conn:
        ids = dict(conn.execute("SELECT source_file, report_id FROM reports"))

        def tables(rid: str) -> list[tuple[str, int, str | None]]:
            return conn.execute("SELECT table_id, rows, pages IS NOT NULL FROM tables "
                                "WHERE report_id = ? ORDER BY rowid", (rid,)).fetchall()

        def failed(rid: str) -> list[tuple[str, str, str]]:
            return conn.execute("SELECT \"check\", severity, subject FROM findings WHERE "
                                "report_id = ? AND status = 'failed' AND "
                                "\"check\" = 'completeness'", (rid,)).fetchall()

        full = tables("bp3mi-ntb-2023")
        assert tables(ids[missing]) == [t for t in full if t[0] != "2.3"] + [("2.3", 0, 0)]
        assert tables(ids[rows_missing]) == [(t, 0 if t == "2.3" else n, p) for t, n, p in full]
        subject = "Tabel 2.3: Kegiatan Sosialisasi Tahun 2023"
        assert failed(ids[missing]) == [("completeness", "error", subject)]
        assert failed(ids[rows_missing]) == [("completeness", "warning", subject)]
        assert failed("bp3mi-ntb-2023") == []
    # the pemberdayaan events (Tabel 2.7.1) are still there; the sosialisasi ones are not
    assert 0 < rows[ids[missing]]["events"] == rows[ids[rows_missing]]["events"] \
        < rows["bp3mi-ntb-2023"]["events"]


def test_archive_summary_counts_match(archive):
    proc, expected = archive["proc"], archive["expected"]
    good = len(SAMPLE_IDS) + len(archive["incomplete"]) + len(archive["kept"])
    assert summary(proc) == {"files": good + 1 + len(expected), "stored": good + 1,
                             "not stored": len(expected), "loaded": good, "unchanged": 1}


def test_archive_progress_is_a_line_per_file_without_a_terminal(archive):
    """One line per file, in the order they finish: done of all, the file, its status, the
    failures so far; the last says how long it took in all."""
    proc, expected = archive["proc"], archive["expected"]
    lines = progress_lines(proc)
    total = summary(proc)["files"]
    assert [int(m[1]) for m in lines] == list(range(1, total + 1))
    assert {int(m[2]) for m in lines} == {total}
    assert sorted(m[3] for m in lines) == sorted(p.name for p in archive["folder"].iterdir()
                                                 if p.suffix == ".pdf")
    failed = [m[3] for m in lines if m[4] == "failed"]
    assert sorted(failed) == sorted(expected)
    assert [int(m[5] or 0) for m in lines] == [
        sum(x[4] == "failed" for x in lines[:i + 1]) for i in range(len(lines))]
    assert lines[-1][0].endswith(" in all") and all("ETA" in m[0] for m in lines[:-1])


def test_a_2000_page_pdf_gets_a_reason_not_a_hang(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many-pages")
    path = make_many_pages(folder)
    db = folder / "lkj.sqlite"
    start = time.monotonic()
    proc = lkj_run(folder, db, "--time-limit", 5, timeout=180)
    assert time.monotonic() - start < 90
    assert proc.returncode == 1
    (line,) = stderr_errors(proc)
    reason = line.removeprefix(f"Error: {path}: ")
    assert reason == "no LKj tables found" or reason.startswith(
        "exceeded the time limit (5 s on one page) while "), line
    with connect(db) as conn:
        assert conn.execute("SELECT source_file, reason FROM ingest_errors").fetchall() == [
            (path.name, reason)]


# --- kills and two writers on a corpus of distinct reports ---------------------------------

@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> list[Path]:
    return corpus.build_corpus(tmp_path_factory.mktemp("corpus"), VARIANTS)


@pytest.fixture(scope="module")
def clean_run(variants, tmp_path_factory) -> subprocess.CompletedProcess:
    """One uninterrupted `lkj run --silent` of the variants into a database of its own."""
    db = tmp_path_factory.mktemp("clean") / "lkj.sqlite"
    proc = lkj_run(variants[0].parent, db, "--silent")
    proc.db = db
    return proc


@pytest.fixture(scope="module")
def clean_rows(clean_run) -> dict[str, dict[str, int]]:
    """Rows per report and table of the uninterrupted run."""
    assert clean_run.returncode == 0, clean_run.stderr
    rows = per_report_rows(clean_run.db)
    assert len(rows) == VARIANTS
    assert all(r["tables"] > 0 and r["findings"] > 0 for r in rows.values())
    return rows


def test_a_run_stores_every_page_with_its_folio(clean_run, clean_rows):
    """The readers send back a lighter extraction (no page texts): every page of every
    report is still stored, and the folios printed on them."""
    with connect(clean_run.db) as conn:
        for rid, pages in conn.execute("SELECT report_id, pages FROM reports"):
            stored = conn.execute("SELECT page, folio FROM pages WHERE report_id = ? "
                                  "ORDER BY page", (rid,)).fetchall()
            assert [p for p, _ in stored] == list(range(1, pages + 1)), rid
            assert sum(f is not None for _, f in stored) >= pages // 2, rid


def _stored(db: Path) -> int:
    try:
        with connect(db) as conn:
            return conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.Error:  # not created yet, or its schema not yet committed
        return 0


def _group_gone(pgid: int, within: float = 10) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_killed_mid_run_then_run_again_loses_and_doubles_nothing(variants, clean_rows,
                                                                 tmp_path):
    db = tmp_path / "lkj.sqlite"
    argv = [str(LKJ), "run", str(variants[0].parent), "--db", str(db), "--jobs", "1",
            "--silent"]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if db.exists() and _stored(db) >= 1:
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.005)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert _group_gone(proc.pid), "a worker outlived the killed run"
    at_kill = per_report_rows(db)
    assert 1 <= len(at_kill) < VARIANTS
    # what was committed is whole: every stored report has all its rows, nothing half-stored
    for rid, rows in at_kill.items():
        assert rows == clean_rows[rid], rid
    assert_sound(db)

    again = lkj_run(variants[0].parent, db)
    assert again.returncode == 0, again.stderr
    counts = summary(again)
    assert counts["unchanged"] == len(at_kill)
    assert counts["loaded"] == VARIANTS - len(at_kill)
    assert per_report_rows(db) == clean_rows
    assert_sound(db)


def _start_run(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([str(LKJ), "run", str(folder), "--db", str(db), "--jobs", "1",
                             "--silent"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_runs_on_one_database_at_once(variants, clean_rows, tmp_path):
    from lkj.load.sqlite import SqliteStore

    first, second = tmp_path / "a", tmp_path / "b"
    half = VARIANTS // 2
    # 2 files in both, one of its own each
    for folder, part in ((first, variants[:half + 1]), (second, variants[half - 1:])):
        folder.mkdir()
        for p in part:
            os.symlink(p, folder / p.name)
    db = tmp_path / "lkj.sqlite"
    SqliteStore.open(db).close()  # an existing store (a new one: the test below)
    procs = [_start_run(f, db) for f in (first, second)]
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert err == ""
    both = {p.name for p in variants[half - 1:half + 1]}
    for name in both:  # one run stored it, the other found it stored
        statuses = [re.search(rf"^\S+\s+{re.escape(name)}\s.*\s(\w+)$", out,
                              re.MULTILINE).group(1) for out, _ in outs]
        assert sorted(statuses) == ["loaded", "unchanged"], (name, statuses)
    assert per_report_rows(db) == clean_rows
    assert_sound(db)


def test_two_runs_on_a_new_database_at_once(tmp_path):
    """Both runs look at the new database while a third connection holds its write lock, as
    the first lkj does while it writes the schema: both find it empty (the race, made
    certain), the first to get the lock creates the schema, the other must use it."""
    folders = [tmp_path / f"bad-{i}" for i in (1, 2)]
    for i, folder in enumerate(folders, 1):  # a file of its own each: a row of its own each
        folder.mkdir()
        (folder / f"empty-{i}.pdf").write_bytes(b"")
    db = tmp_path / "lkj.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")  # what connect does before the schema
    holder.execute("BEGIN IMMEDIATE")
    try:
        procs = [_start_run(folder, db) for folder in folders]
        time.sleep(6)  # both have opened the database and wait for the lock
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    for i, (p, folder) in enumerate(zip(procs, folders, strict=True), 1):
        _, err = p.communicate(timeout=120)
        assert err.splitlines() == [f"Error: {folder / f'empty-{i}.pdf'}: empty file (0 bytes)"]
        assert p.returncode == 1
    with connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM ingest_errors").fetchone()[0] == 2


def test_silent_prints_nothing_on_stderr_for_a_good_folder(clean_run):
    assert clean_run.returncode == 0
    assert clean_run.stderr == ""
    assert f"{VARIANTS} files: {VARIANTS} stored ({VARIANTS} loaded)" in clean_run.stdout
