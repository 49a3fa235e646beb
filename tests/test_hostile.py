"""Hostile and unlucky inputs through the real commands: one line each, within the limits.

Every reading command (`extract`, `tables`, `check`, `load`, `run`) reads a file in a worker
under --time-limit and --memory-limit. The hostile files are made by code here and in
tests/badfiles.py (no stored binaries); the full disk and the read-only folder are real
tmpfs mounts (root only: CI runs as root).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from badfiles import make_active_content, make_bad_stream, make_inflation_bomb
from conftest import FAST, ROOT, SAMPLES, in_ci

from lkj.extract.settings import ExtractSettings

#: Slow (whole runs on full disks, read-only folders, odd names):
#: left out of `make check`;
#: `make test` and CI run it.
pytestmark = pytest.mark.slow

LKJ = Path(sys.executable).parent / "lkj"
SAMPLE = SAMPLES / "lkj-bp3mi-ntb-2023.pdf"


def lkj(*args: object, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([str(LKJ), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, "COLUMNS": "200"})


def one_error(proc: subprocess.CompletedProcess) -> str:
    """The one line a failed command prints (exit 1, nothing else on stderr, no traceback)."""
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr
    return lines[0]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {"bomb": make_inflation_bomb(folder), "active": make_active_content(folder),
            "bad_stream": make_bad_stream(folder)}


@pytest.mark.parametrize("command", ["extract", "tables", "check"])
def test_a_bomb_is_one_line_naming_the_limit_and_the_page(hostile, tmp_path, command):
    """A 8 MB file whose stream inflates to 8 GiB: stopped by the memory limit, with a
    reason that says so (not "no text layer", which pdfminer's silent fallback gave)."""
    out = tmp_path / "out"
    args = ("--out", out) if command != "tables" else ()
    start = time.monotonic()
    proc = lkj(command, hostile["bomb"], *args, "--memory-limit", 1024, *FAST)
    assert time.monotonic() - start < 90
    assert one_error(proc) == (f"Error: {hostile['bomb']}: exceeded the memory limit "
                               "(1024 MiB) while decompressing page 1")
    assert not out.exists()


def test_a_page_over_the_time_limit_is_named(tmp_path):
    proc = lkj("extract", SAMPLE, "--out", tmp_path / "out", "--time-limit", "0.001", *FAST)
    assert one_error(proc).startswith(
        f"Error: {SAMPLE}: exceeded the time limit (0.001 s on one page) while ")
    assert not (tmp_path / "out").exists()


def test_a_stream_that_does_not_inflate_is_named_not_read_as_empty(hostile, tmp_path):
    proc = lkj("extract", hostile["bad_stream"], "--out", tmp_path / "out", *FAST)
    assert one_error(proc).startswith(
        f"Error: {hostile['bad_stream']}: no text to read: page 1: a stream does not inflate "
        "(Error -3 while decompressing data")


def test_javascript_and_launch_actions_are_inert(hostile, tmp_path):
    """lkj reads text and rulings only: the page's words are read, nothing is run."""
    marker = Path("/tmp") / f"lkj-never-{uuid.uuid4().hex}"
    proc = lkj("extract", hostile["active"], "--out", tmp_path / "out", *FAST)
    assert one_error(proc) == f"Error: {hostile['active']}: no LKj tables found"
    assert not marker.exists()


def test_out_under_a_file_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for command in ("extract", "check"):
        proc = lkj(command, SAMPLE, "--out", blocker / "out", *FAST)
        assert one_error(proc) == f"Error: {blocker}: is a file, where a folder is needed"


@contextmanager
def tmpfs(tmp_path: Path, size_kib: int, readonly: bool = False) -> Iterator[Path]:
    """A real tmpfs of this size (a small disk that fills, or a read-only one)."""
    if os.geteuid() != 0:
        if in_ci():
            pytest.fail("CI runs as root: the tmpfs tests must run there", pytrace=False)
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / f"mnt-{size_kib}"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(mount)],
                   check=True)
    try:
        if readonly:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _size_kib(folder: Path) -> int:
    """What the folder's files take on a tmpfs, in KiB (whole 4 KiB pages per file)."""
    return sum(-(-p.stat().st_size // 4096) * 4 for p in folder.rglob("*") if p.is_file())


def test_check_on_a_full_disk_leaves_the_folder_as_it_was(tmp_path):
    """Checking one report, then another into the same folder on a disk with no room for
    the second: one line saying the disk is full, and the folder holds the first check's
    files, every byte, and nothing of the second's."""
    other = SAMPLES / "lkj-bp3mi-ntb-2022.pdf"
    need = []
    for n, pdf in enumerate((SAMPLE, other)):
        probe = tmp_path / f"probe{n}"
        assert lkj("check", pdf, "--out", probe, "--fail-on", "never", *FAST).returncode == 0
        need.append(_size_kib(probe))
    # room for the first check's files and half of the second's
    with tmpfs(tmp_path, need[0] + need[1] // 2) as disk:
        out = disk / "audit"
        first = lkj("check", SAMPLE, "--out", out, "--fail-on", "never", "--silent", *FAST)
        assert first.returncode == 0, first.stderr
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        proc = lkj("check", other, "--out", out, "--fail-on", "never", "--silent", *FAST)
        assert "No space left on device" in one_error(proc)
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
        assert sorted(p.name for p in disk.iterdir()) == ["audit"]  # no staging left


def test_a_read_only_folder_is_one_line(tmp_path):
    with tmpfs(tmp_path, 64, readonly=True) as disk:
        for command in ("extract", "check"):
            line = one_error(lkj(command, SAMPLE, "--out", disk / "out", *FAST))
            assert "Read-only file system" in line, line
        line = one_error(lkj("run", SAMPLES, "--db", disk / "lkj.sqlite", *FAST))
        assert line.startswith(f"Error: {disk / 'lkj.sqlite'}: "), line


def test_a_folder_named_pdf_is_named_in_a_batch(tmp_path):
    """Without -r, a folder named x.pdf is said to be one (and recorded); with -r the
    PDFs inside it are read, and the folder itself is no file to complain of."""
    archive = tmp_path / "archive"
    (archive / "x.pdf").mkdir(parents=True)
    shutil.copy(SAMPLE, archive / "x.pdf" / SAMPLE.name)
    db = tmp_path / "lkj.sqlite"
    proc = lkj("run", archive, "--db", db, *FAST)
    assert proc.returncode == 1
    assert f"Error: {archive / 'x.pdf'}: is a folder, not a PDF file" in proc.stderr.splitlines()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT source_file, reason FROM ingest_errors").fetchall() == [
            ("x.pdf", "is a folder, not a PDF file")]
    proc = lkj("run", archive, "-r", "--db", tmp_path / "r.sqlite", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert "1 file: 1 stored" in proc.stdout


def test_a_table_a_hair_past_the_page_edge_is_read(tmp_path):
    """Its box is cut where the page ends: the table and the page's text are read."""
    from badfiles import make_table_past_the_edge

    from lkj.extract.report import extract_report

    ex = extract_report(make_table_past_the_edge(tmp_path), ExtractSettings(engine="pdfplumber"))
    assert [t.n_rows for t in ex.tables] == [2]
    assert "not read" not in (ex.report["flags"] or "")


def test_run_on_a_missing_folder_or_a_file_is_one_line(tmp_path):
    assert one_error(lkj("run", tmp_path / "nowhere", "--db", tmp_path / "x.sqlite")) == \
        f"Error: {tmp_path / 'nowhere'}: no such folder"
    assert one_error(lkj("run", SAMPLE, "--db", tmp_path / "x.sqlite")) == \
        f"Error: {SAMPLE}: is a file, not a folder (lkj load reads the files named)"
    assert not (tmp_path / "x.sqlite").exists()


def test_check_silent_still_says_why_it_failed(tmp_path):
    proc = lkj("check", SAMPLE, "--out", tmp_path / "out", "--silent", *FAST)
    assert proc.stdout == ""
    assert one_error(proc).startswith("Error: ") and "of severity error or worse; details in " \
        f"{tmp_path / 'out' / 'findings.html'}" in proc.stderr


#: File names an attacker or an unlucky archive brings: a URL scheme, a leading dash, a
#: spreadsheet formula, spaces and accents.
ODD_NAMES = ["javascript:alert(document.domain)%2F%2F.pdf", "-rf.pdf", "=1+1.pdf",
             "laporan kinerja ü 2024.pdf"]


def test_odd_file_names_are_files_stored_and_never_links_of_another_scheme(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name, year in zip(ODD_NAMES, (2021, 2022, 2023, 2024), strict=True):
        shutil.copy(SAMPLES / f"lkj-bp3mi-ntb-{year}.pdf", archive / name)
    db = tmp_path / "lkj.sqlite"
    proc = lkj("run", archive, "--db", db, *FAST)
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(db) as conn:
        stored = sorted(f for (f,) in conn.execute("SELECT source_file FROM reports"))
    assert stored == sorted(ODD_NAMES)
    for out in (tmp_path / "audit", archive):  # beside the PDF, and the PDF's own folder
        proc = lkj("check", archive / ODD_NAMES[0], "--out", out, "--fail-on", "never", *FAST)
        assert proc.returncode == 0, proc.stderr
        page = (out / "findings.html").read_text(encoding="utf-8")
        hrefs = set(re.findall(r'href="([^"]*)"', page))
        assert hrefs, "the page links its pages to the PDF"
        for href in hrefs:  # a relative path (no scheme before its first /) or a file: URI
            assert href.startswith("file:") or ":" not in href.split("/")[0], href
            assert "javascript:" not in href.lower(), href
