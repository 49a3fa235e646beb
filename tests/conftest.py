"""Shared fixtures: the sample reports and one extraction of each, reused across tests; the
PostgreSQL server of the tests; `store`, each store backend in turn (tests/stores.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from stores import BACKENDS, backend, changed_copy

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_2023 = SAMPLES / "lkj-bp3mi-ntb-2023.pdf"
#: Real published documents (../shared/real, beside the clone; never copied into the repo).
REAL = ROOT.parent / "shared" / "real"
LKJ = Path(sys.executable).parent / "lkj"
#: The CLI's engine option where a test is not about the second engine's cross-check
#: (camelot reads every table page again: half the time of a read).
FAST = ("--engine", "pdfplumber")


@dataclass
class Ran:
    """What a command did, as subprocess.CompletedProcess has it."""

    returncode: int
    stdout: str
    stderr: str


def lkj_here(*args: object, cwd: Path = ROOT, columns: int = 100) -> Ran:
    """`lkj ARGS...` in this process, through click's CliRunner, from `cwd`: the same
    commands without a new interpreter each (great_expectations alone takes seconds to
    import). The PDFs are still read in worker processes, as always; a traceback fails
    the test. Tests of the console script itself (imports, signals, exit on a kill) run
    it as a subprocess instead."""
    from click.testing import CliRunner

    from lkj.pipeline import cli

    here = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env={"COLUMNS": str(columns)}).invoke(
            cli, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(here)
    return Ran(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def sample_2023() -> Path:
    return SAMPLE_2023


@pytest.fixture(scope="session")
def extraction_2023():
    from lkj.extract.report import extract_report

    return extract_report(SAMPLE_2023)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def need_tesseract() -> None:
    """Skip a test that needs Tesseract where it is missing; in CI (.ci/run installs it)
    fail instead."""
    from lkj.extract import ocr

    try:
        ocr.check_tesseract()
    except ocr.OcrUnavailable as exc:
        if in_ci():
            pytest.fail(f"{exc} (.ci/run installs it)", pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def scanned_2021_front():
    """The first three pages of the 2021 scan read by OCR (Tabel 1 on page 3): a small
    extraction with OCR cells."""
    from lkj.extract.report import extract_report
    from lkj.extract.settings import ExtractSettings

    need_tesseract()
    return extract_report(SAMPLES / "scanned" / "lkj-bp3mi-ntb-2021-scan.pdf",
                          ExtractSettings(ocr_pages=(1, 2, 3)))


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL server of the tests: LKJ_TEST_PG_URL (`scripts/pg-test-server` starts
    one and prints it). Unset, the PostgreSQL tests are skipped here; in CI (CI=true), where
    .ci/run starts the server, they fail instead."""
    url = os.environ.get("LKJ_TEST_PG_URL")
    if not url:
        if in_ci():
            pytest.fail("LKJ_TEST_PG_URL is not set in CI: .ci/run must start "
                        "scripts/pg-test-server and export its URL", pytrace=False)
        pytest.skip('no PostgreSQL server: export LKJ_TEST_PG_URL="$(scripts/pg-test-server)"')
    return url


@pytest.fixture(scope="session")
def real_store(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """`lkj run` over ../shared/real, once per session, as an archivist would run it: the
    process and its SQLite store, which tests/test_real.py checks as an archive and
    tests/test_real_goldens.py against the typed goldens (what is stored is what is held).
    Without ../shared/real the tests are skipped here; in CI they fail."""
    if not REAL.is_dir():
        if in_ci():
            pytest.fail(f"{REAL} is missing: CI has shared/ beside the clone", pytrace=False)
        pytest.skip(f"no {REAL}")
    db = tmp_path_factory.mktemp("real") / "real.sqlite"
    proc = subprocess.run([str(LKJ), "run", str(REAL), "--db", str(db), "--silent",
                           "--engine", "pdfplumber"], capture_output=True, text=True,
                          timeout=900, cwd=ROOT, env={**os.environ, "COLUMNS": "200"})
    return proc, db


@pytest.fixture(scope="session")
def changed_2023(tmp_path_factory, sample_2023):
    """The extraction of a one-byte-changed copy of the 2023 sample: the same report from
    another file (another sha256)."""
    from lkj.extract.report import extract_report

    path = changed_copy(sample_2023, tmp_path_factory.mktemp("changed") / "changed-2023.pdf")
    return extract_report(path)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """A store backend (tests/stores.py Backend): its module, `conn`, `new_location()`.
    The postgresql one uses `pg_url`: skipped without a server here, failed in CI."""
    with backend(request.param, request, tmp_path) as made:
        yield made
