"""The README's three paths (archivist, auditor, researcher): every command runs as written,
with ARCHIVE the bundled samples and REPORT.pdf their 2023 report, and does what its comment
says."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_2023

#: Slow (every path on the samples, the console script as a user runs it):
#: left out of `make check`; `make test` and CI run it.
pytestmark = pytest.mark.slow


def paths() -> dict[str, list[str]]:
    """User -> the commands of its ```sh block in the README's "Three paths"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Three paths\n", 1)[1].split("\n## ", 1)[0]
    out = {}
    for user, block in re.findall(r"\*\*(\w+)\*\*:.*?```sh\n(.*?)```", section, re.DOTALL):
        out[user] = [ln.split("  #")[0].strip() for ln in block.splitlines() if ln.strip()]
    return out


def run_path(commands: list[str], where: Path) -> list[subprocess.CompletedProcess]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = []
    for command in commands:
        argv = [a.replace("ARCHIVE", str(ROOT / "samples")).replace("REPORT.pdf",
                                                                     str(SAMPLE_2023))
                for a in shlex.split(command)]
        done.append(subprocess.run(argv, cwd=where, env=env, capture_output=True, text=True,
                                   timeout=900))
    return done


def test_the_readme_has_three_paths():
    assert list(paths()) == ["Archivist", "Auditor", "Researcher"]
    assert all(c.startswith("lkj ") for cs in paths().values() for c in cs)


def test_archivist(tmp_path):
    first, again = run_path(paths()["Archivist"], tmp_path)
    pdfs = sorted((ROOT / "samples").glob("*.pdf"))
    assert first.returncode == 0, first.stderr
    assert f"{len(pdfs)} files: {len(pdfs)} stored ({len(pdfs)} loaded)" in first.stdout
    assert again.returncode == 0, again.stderr  # nothing read again
    assert f"{len(pdfs)} files: {len(pdfs)} stored ({len(pdfs)} unchanged)" in again.stdout


def test_auditor(tmp_path):
    check, tables = run_path(paths()["Auditor"], tmp_path)
    assert check.returncode == 1  # the 2023 report has error-level findings
    assert check.stdout.splitlines()[-1].startswith("17 errors, 12 warnings; ")
    assert (tmp_path / "audit" / "findings.html").is_file()
    assert tables.returncode == 0, tables.stderr
    assert sorted((tmp_path / "audit" / "pages").glob("*.png"))


def test_researcher(tmp_path):
    results = run_path(paths()["Researcher"], tmp_path)
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert (tmp_path / "years.csv").is_file() and (tmp_path / "years.png").is_file()
    assert (tmp_path / "tables" / "iku.json").is_file()
