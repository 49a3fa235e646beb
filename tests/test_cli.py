"""The `lkj` command through its real entry point: the console script, run as a subprocess.

Bad inputs are built at test time by tests/badfiles.py; each must end in exit code 1 and one
line `Error: FILE: reason` on stderr, with the --out folder left exactly as it was.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from badfiles import BAD_INPUTS, DAMAGED_INPUTS, make_damaged_page
from conftest import GOLDEN, ROOT, SAMPLE_2023

from lkj.load.files import write_tables
from lkj.schemas import contract

LKJ = Path(sys.executable).parent / "lkj"
GOLDEN_2023 = GOLDEN / "lkj-bp3mi-ntb-2023"
#: The files `lkj extract` writes, at least (the contract may add tables).
BRIEF_TABLES = ["report", "tables", "iku", "quarterly", "events", "budget", "stated_totals"]
HEAVY = ("pdfplumber", "camelot", "pandas", "great_expectations")
#: Every table of the 2023 sample, as `lkj tables` lists it: (table, family).
SAMPLE_TABLES = [
    ("1", "iku"), ("1.1", "iku"), ("1.1 (2)", "budget"), ("2.1", "quarterly"),
    ("2.2", "iku"), ("2.3", "events"), ("2.4", "iku"), ("2.5", "iku"), ("2.6", "iku"),
    ("2.7", "iku"), ("2.7.1", "events"), ("2.8", "iku"), ("2.9", "iku"), ("2.10", "iku"),
    ("2.11", "budget_kinerja"),
]


def run(*args: object, timeout: float = 120) -> subprocess.CompletedProcess:
    """`lkj ARGS...` from the repository root, output captured as text."""
    env = {**os.environ, "COLUMNS": "80"}
    return subprocess.run([str(LKJ), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)


def snapshot(folder: Path) -> list[tuple[str, bytes | None]]:
    """Every entry under folder (hidden ones too) with the bytes of each file."""
    return sorted((p.relative_to(folder).as_posix(), p.read_bytes() if p.is_file() else None)
                  for p in folder.rglob("*"))


def out_dir_with_keep(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("written before the run\n", encoding="utf-8")
    return out


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


# --- help and start-up ---------------------------------------------------------------------


def test_help_lists_the_commands():
    proc = run("--help", timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0] == "Usage: lkj [OPTIONS] COMMAND [ARGS]..."
    commands = lines[lines.index("Commands:") + 1:]
    assert [ln.split()[0] for ln in commands] == ["run", "extract", "tables", "check", "load",
                                                  "compare", "serve", "settings"]
    assert "lkj extract REPORT.pdf --out DIR" in proc.stdout
    assert "lkj tables REPORT.pdf" in proc.stdout
    assert run("-h", timeout=30).stdout == proc.stdout


@pytest.mark.parametrize("command", ["extract", "tables"])
def test_command_help(command):
    proc = run(command, "--help", timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"Usage: lkj {command} [OPTIONS] REPORT\n")
    assert "--engine [both|pdfplumber|camelot]" in proc.stdout


def test_version():
    proc = run("--version", timeout=30)
    assert (proc.returncode, proc.stdout) == (0, "lkj, version 0.1.0\n")


def test_import_and_help_do_not_load_heavy_modules():
    code = (
        "import sys\n"
        "import lkj.pipeline\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "try:\n"
        "    lkj.pipeline.cli(['--help'], prog_name='lkj')\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded += [m + ' (after --help)' for m in heavy if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=30, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "LOADED []"


# --- the sample report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted_csv(tmp_path_factory):
    """`lkj extract SAMPLE --out DIR` once, default engine, into a folder with keep.txt."""
    out = out_dir_with_keep(tmp_path_factory.mktemp("csv"))
    return out, run("extract", SAMPLE_2023, "--out", out)


@pytest.fixture(scope="module")
def extracted_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("json") / "new" / "dir"  # created by lkj
    return out, run("extract", SAMPLE_2023, "--out", out, "--format", "json",
                    "--engine", "pdfplumber")


def test_extract_writes_exactly_the_output_tables(extracted_csv):
    out, proc = extracted_csv
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    names = sorted(p.name for p in out.iterdir())
    assert set(BRIEF_TABLES) <= set(contract.OUTPUT_TABLES)
    assert names == sorted([f"{t}.csv" for t in contract.OUTPUT_TABLES] + ["keep.txt"])
    assert (out / "keep.txt").read_text(encoding="utf-8") == "written before the run\n"


def test_extract_csv_equals_golden(extracted_csv):
    out, proc = extracted_csv
    assert proc.returncode == 0, proc.stderr
    for name in BRIEF_TABLES:
        assert (out / f"{name}.csv").read_bytes() == (GOLDEN_2023 / f"{name}.csv").read_bytes(), \
            f"{name}.csv differs from the golden file"


def test_extract_summary(extracted_csv):
    out, proc = extracted_csv
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"lkj-bp3mi-ntb-2023\.pdf: 15 tables on 10 of 21 pages, "
                        r"engine both, \d+\.\d s", lines[0]), lines[0]
    want = [f"  {name:<14}{len(read_csv(GOLDEN_2023 / f'{name}.csv')):>5} rows"
            for name in contract.DATA_TABLES]
    n = len(want)
    assert lines[1:n + 1] == want
    assert re.fullmatch(r"  cells +\d+ cells of every table", lines[n + 1]), lines[n + 1]
    assert lines[n + 2:] == [f"wrote {len(contract.OUTPUT_TABLES)} files to {out}"]
    # stderr holds notes only (the sample's Tabel 2.3 repeats its header on page 15)
    notes = proc.stderr.splitlines()
    assert "  note: Tabel 2.3: repeated header dropped on page 15" in notes
    assert all(ln.startswith("  note: ") for ln in notes), proc.stderr


def test_extract_silent(tmp_path):
    proc = run("extract", SAMPLE_2023, "--out", tmp_path, "--engine", "pdfplumber", "--silent")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert len(list(tmp_path.iterdir())) == len(contract.OUTPUT_TABLES)


def test_extract_json_matches_csv(extracted_csv, extracted_json):
    csv_out, _ = extracted_csv
    out, proc = extracted_json
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert re.match(r"lkj-bp3mi-ntb-2023\.pdf: 15 tables on 10 of 21 pages, engine pdfplumber, ",
                    proc.stdout)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{t}.json" for t in contract.OUTPUT_TABLES)
    for name in contract.OUTPUT_TABLES:
        with open(out / f"{name}.json", encoding="utf-8") as fh:
            rows = json.load(fh)
        from_csv = read_csv(csv_out / f"{name}.csv")
        assert isinstance(rows, list)
        assert len(rows) == len(from_csv), name
        if rows:
            assert list(rows[0]) == list(from_csv[0]), f"{name}: columns differ from the CSV"


def test_tables_lists_every_table():
    proc = run("tables", SAMPLE_2023, "--engine", "pdfplumber")
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    head, rule, *rows = proc.stdout.splitlines()
    spans = [m.span() for m in re.finditer(r"-+", rule)]
    cols = [head[a:b].strip() for a, b in spans]
    assert cols == ["table", "title", "family", "pages", "rows", "engine", "verified", "flags"]
    cells = [[row[a:b].strip() for a, b in spans] for row in rows]
    assert [(c[0], c[2]) for c in cells] == SAMPLE_TABLES
    assert {c[5] for c in cells} == {"pdfplumber"}
    assert {c[6] for c in cells} == {"-"}
    # each table's flags are counted, and said one per line on stderr
    counted = {c[0]: int(c[7]) for c in cells}
    notes = [ln for ln in proc.stderr.splitlines() if ln.startswith("note: Tabel ")]
    assert sum(counted.values()) == len(notes) > 0
    assert notes == ["note: Tabel 2.3: repeated header dropped on page 15"]
    assert counted["2.3"] == 1


@pytest.mark.slow  # two reads, and a picture of every table page
def test_tables_as_records_and_as_pictures(tmp_path, extraction_2023):
    """--format json|csv: the records of tables.csv on stdout; --debug DIR: a picture of each
    page that holds a table, each table's box drawn where its cells are."""
    from PIL import Image

    from lkj.extract import debug

    pictures = tmp_path / "debug"
    as_json = run("tables", SAMPLE_2023, "--engine", "pdfplumber", "--format", "json",
                  "--debug", pictures)
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert [(r["table_id"] + (f" ({r['table_part']})" if r["table_part"] > 1 else ""),
             r["family"]) for r in records] == SAMPLE_TABLES
    as_csv = run("tables", SAMPLE_2023, "--engine", "pdfplumber", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(as_csv.stdout.splitlines()))
    assert list(rows[0]) == contract.COLUMNS["tables"]
    assert [(r["table_id"], r["title"], r["pages"]) for r in rows] == [
        (r["table_id"], r["title"], r["pages"]) for r in records]

    pages = sorted({int(p) for r in records for p in r["pages"].split(",")})
    assert sorted(p.name for p in pictures.iterdir()) == [
        f"{SAMPLE_2023.stem}-p{p:03d}.png" for p in pages]
    assert as_json.stderr.strip() == f"drew {len(pages)} pages into {pictures}"
    scale = debug.RESOLUTION / 72
    for page, parts in debug.table_boxes(extraction_2023.cells).items():
        image = Image.open(pictures / f"{SAMPLE_2023.stem}-p{page:03d}.png").convert("RGB")
        for x0, top, x1, bottom in parts.values():  # the green frame runs along the box
            for x, y in ((x0, (top + bottom) / 2), ((x0 + x1) / 2, top)):
                near = [image.getpixel((round(x * scale) + dx, round(y * scale) + dy))
                        for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
                assert tuple(debug.TABLE[:3]) in near, (page, x, y)


# --- bad inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_extract_bad_input(name, tmp_path):
    build, reason = BAD_INPUTS[name]
    src = tmp_path / "in"
    src.mkdir()
    path = build(src)
    out = out_dir_with_keep(tmp_path)
    before = snapshot(out)
    proc = run("extract", path, "--out", out, "--engine", "pdfplumber", timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == f"Error: {path}: {reason}\n"
    assert snapshot(out) == before


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_tables_bad_input(name, tmp_path):
    build, reason = BAD_INPUTS[name]
    path = build(tmp_path)
    proc = run("tables", path, timeout=60)  # default engine: both
    assert (proc.returncode, proc.stdout) == (1, ""), proc.stderr
    assert proc.stderr == f"Error: {path}: {reason}\n"


@pytest.mark.parametrize("name", list(DAMAGED_INPUTS))
def test_damaged_pdf(name, tmp_path):
    """Broken inside: the reason quotes the parser, on one line, and nothing hangs."""
    build, start = DAMAGED_INPUTS[name]
    src = tmp_path / "in"
    src.mkdir()
    path = build(src)
    out = out_dir_with_keep(tmp_path)
    before = snapshot(out)
    proc = run("extract", path, "--out", out, "--engine", "pdfplumber", timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert_no_traceback(proc)
    assert proc.stderr.startswith(f"Error: {path}: {start}")
    assert proc.stderr.endswith(")\n") and proc.stderr.count("\n") == 1, proc.stderr
    assert snapshot(out) == before


@pytest.mark.parametrize("name", ["letter", "encrypted", "missing"])
def test_bad_input_does_not_create_out_dir(name, tmp_path):
    build, reason = BAD_INPUTS[name]
    path = build(tmp_path)
    out = tmp_path / "not-yet"
    proc = run("extract", path, "--out", out, "--engine", "pdfplumber", timeout=60)
    assert (proc.returncode, proc.stderr) == (1, f"Error: {path}: {reason}\n")
    assert not out.exists()


def test_damaged_page_is_reported_not_dropped_silently(tmp_path):
    """One page pdfminer cannot parse: the rest is read and the loss is said aloud."""
    path = make_damaged_page(tmp_path)
    out = tmp_path / "out"
    proc = run("extract", path, "--out", out, "--engine", "pdfplumber", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert_no_traceback(proc)
    assert proc.stdout.startswith("damaged-page.pdf: 12 tables on 9 of 21 pages")
    note = "unreadable page(s) 16: no tables read there"
    assert f"  note: damaged-page.pdf: {note}" in proc.stderr.splitlines()
    assert read_csv(out / "report.csv")[0]["flags"] == note
    tables = read_csv(out / "tables.csv")
    ids = [r["table_id"] for r in tables if r["pages"]]
    assert "2.3" in ids and "2.7" in ids
    assert not {"2.4", "2.5", "2.6"} & set(ids)
    # the tables of the lost page are named: the report's list of tables says they exist
    missing = {r["table_id"]: r for r in tables if not r["pages"]}
    assert set(missing) == {"2.4", "2.5", "2.6"}
    for tid, r in missing.items():
        assert (r["rows"], r["family"]) == ("0", "")
        assert r["flags"].startswith("listed in DAFTAR TABEL (page 4, printed page ")
        assert f"  missing: Tabel {tid} ({r['title']}): {r['flags']}" in proc.stderr.splitlines()


# --- writing is all or nothing -------------------------------------------------------------


class Exploding:
    """Records that fail part-way through iteration, as a bug in a generator would."""

    def __iter__(self):
        yield {"a": 1, "b": "x"}
        raise RuntimeError("boom while writing")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_write_failure_leaves_nothing_half_written(tmp_path, fmt):
    out = out_dir_with_keep(tmp_path)
    (out / f"first.{fmt}").write_text("from an earlier run\n", encoding="utf-8")
    before = snapshot(out)
    tables = {
        "first": (["a", "b"], [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]),
        "second": (["a", "b"], Exploding()),
        "third": (["a", "b"], [{"a": 3, "b": "z"}]),
    }
    with pytest.raises(RuntimeError, match="boom while writing"):
        write_tables(out, tables, fmt)
    assert snapshot(out) == before  # no new file, no staging folder, the old file untouched
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_write_tables_success_leaves_no_staging(tmp_path):
    out = out_dir_with_keep(tmp_path)
    written = write_tables(out, {"t": (["a"], [{"a": 1}])}, "csv")
    assert written == [out / "t.csv"]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "t.csv"]
    assert (out / "t.csv").read_text(encoding="utf-8") == "a\n1\n"
