"""lkj.archive.batch.read_many: one worker process per file, limits, input order, no orphans.

Workers are forked, so a monkeypatched lkj.archive.batch.read_one is what they run: a test can
make a worker hang, crash or kill itself without a hostile PDF. Every reading here uses the
pdfplumber engine (no camelot import), to stay fast.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from conftest import SAMPLES

from lkj.archive import batch
from lkj.archive.batch import ReadResult, read_many
from lkj.extract.settings import ExtractSettings, Limits

SETTINGS = ExtractSettings(engine="pdfplumber")


def _limited(limits: Limits) -> ExtractSettings:
    """SETTINGS under these limits."""
    return ExtractSettings(engine=SETTINGS.engine, limits=limits)


#: The samples in an order that is not the sorted one, with a bad file in the middle.
ORDER = ["lkj-bp3mi-ntb-2024.pdf", "lkj-bp3mi-ntb-2021.pdf", "empty.pdf",
         "lkj-bp3mi-ntb-2023.pdf", "lkj-bp3mi-ntb-2022.pdf"]


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    (tmp_path / "empty.pdf").write_bytes(b"")
    return [tmp_path / n if n == "empty.pdf" else SAMPLES / n for n in ORDER]


def children() -> set[int]:
    """Live (not yet reaped) child processes of this process, from /proc."""
    me, out = os.getpid(), set()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()
        if int(fields[1]) == me:
            out.add(int(name))
    return out


@pytest.fixture(autouse=True)
def no_orphans():
    """Every test leaves no child process behind (killed workers are reaped too)."""
    before = children()
    yield
    assert children() - before == set()


@pytest.mark.slow  # reads the samples several times over
def test_input_order_and_the_same_records_whatever_the_jobs(files):
    one = list(read_many(files, SETTINGS, jobs=1))
    two = list(read_many(files, SETTINGS, jobs=2))
    assert [r.path for r in one] == files
    assert [r.path for r in two] == files
    for a, b in zip(one, two, strict=True):
        assert a.reason == b.reason
        assert a.ok == b.ok == (a.path.name != "empty.pdf")
        if a.ok:
            assert a.extraction.columned() == b.extraction.columned(), a.path.name
    assert one[2].reason == "empty file (0 bytes)"
    assert [r.extraction.report["year"] for r in one if r.ok] == [2024, 2021, 2023, 2022]


def test_a_tiny_time_limit_stops_the_reader(files, monkeypatch):
    """A page that takes longer than the limit (each page made to take 0.3 s, whatever the
    machine's speed) stops the reader with the reason."""
    from lkj.extract import pdfium

    real = pdfium.Reader.install

    def slow_install(self, page):
        time.sleep(0.3)
        return real(self, page)

    monkeypatch.setattr(pdfium.Reader, "install", slow_install)
    start = time.monotonic()
    (result,) = read_many(files[:1], _limited(Limits(seconds=0.05)), jobs=1)
    assert not result.ok
    assert result.reason.startswith("exceeded the time limit (0.05 s on one page) while ")
    assert time.monotonic() - start < 10


def _hungry(size_mib: int):
    """An extract_report that needs size_mib of memory before it reads anything."""
    import lkj.extract.report as report

    real = report.extract_report

    def extract_report(path, settings=None, **_):
        block = bytearray(size_mib * 1024 * 1024)
        block[-1] = 1
        return real(path, settings)
    return extract_report


@pytest.mark.parametrize("mib", [8, 16])
def test_a_tiny_memory_limit_is_a_reason_not_a_hang(files, mib, monkeypatch):
    """A reader that needs far more than the limit lets it add to what the worker inherits
    (here 512 MiB against 8 or 16): one reason naming memory, within the time. (How much a
    real PDF needs depends on what the parent has mapped already, so the need is made
    certain here rather than left to the file.)"""
    import lkj.extract.report as report

    monkeypatch.setattr(report, "extract_report", _hungry(512))
    start = time.monotonic()
    results = list(read_many(files[:2], _limited(Limits(30, memory_mb=mib)), jobs=2))
    assert time.monotonic() - start < 30
    assert [r.path for r in results] == files[:2]
    for r in results:
        assert not r.ok
        assert "memory" in r.reason.lower(), r.reason
        assert "time limit" not in r.reason


def test_the_same_need_within_the_limit_reads(files, monkeypatch):
    import lkj.extract.report as report

    monkeypatch.setattr(report, "extract_report", _hungry(64))
    (result,) = read_many(files[:1], _limited(Limits(60, memory_mb=1024)), jobs=1)
    assert result.ok, result.reason


def _kill_on_boom(real):
    def read_one(path: Path, settings: ExtractSettings, *_: object) -> ReadResult:
        if path.name == "boom.pdf":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, settings)
    return read_one


def test_a_killed_worker_is_one_files_reason_and_the_batch_goes_on(files, tmp_path,
                                                                   monkeypatch):
    boom = tmp_path / "boom.pdf"
    shutil.copy(files[0], boom)
    monkeypatch.setattr(batch, "read_one", _kill_on_boom(batch.read_one))
    paths = [files[1], boom, files[0], files[2]]
    results = list(read_many(paths, SETTINGS, jobs=2))
    assert [r.path for r in results] == paths
    assert results[1].reason.startswith("the reader crashed (killed by signal 9)")
    assert results[0].ok and results[2].ok
    assert results[3].reason == "empty file (0 bytes)"


def test_closing_the_generator_early_leaves_no_child(files, monkeypatch):
    def slow(path: Path, engine: str, *_: object) -> ReadResult:
        if path != files[0]:
            time.sleep(60)
        return ReadResult(path, "read", None, 0.0)

    monkeypatch.setattr(batch, "read_one", slow)
    before = children()
    gen = read_many(files, SETTINGS, jobs=3)
    first = next(gen)
    assert first.path == files[0] and first.ok
    assert len(children() - before) == 2  # the next two files are being read
    start = time.monotonic()
    gen.close()
    assert time.monotonic() - start < 10
    assert children() == before


def test_an_error_in_the_consumer_leaves_no_child(files, monkeypatch):
    monkeypatch.setattr(batch, "read_one",
                        lambda path, engine, *_: (time.sleep(0 if path == files[0] else 60),
                                              ReadResult(path, "read"))[1])
    with pytest.raises(RuntimeError):
        for _ in read_many(files, SETTINGS, jobs=2):
            raise RuntimeError("the consumer failed")


def test_nothing_a_worker_prints_reaches_the_batch_output(files, monkeypatch, capfd):
    """A library's warning or a crash's dump in a worker must not break the batch's
    one-line-per-file output (the reason comes back through the pipe or the exit status)."""
    def noisy(path: Path, engine: str, *_: object) -> ReadResult:
        print("to stdout")
        os.write(2, b"[WARNING] to stderr\n")
        if path == files[1]:
            os._exit(3)  # dies after its words, as a crash does after its dump
        return ReadResult(path, "read")

    monkeypatch.setattr(batch, "read_one", noisy)
    capfd.readouterr()
    results = list(read_many(files[:2], SETTINGS, jobs=2))
    assert results[0].ok
    assert results[1].reason.startswith("the reader crashed (exit code 3)")
    assert capfd.readouterr() == ("", "")


def _alive(pid: int) -> bool:
    """Whether pid runs (a zombie waiting for init to reap it is dead)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rindex(b")") + 2:].split()[0] != b"Z"


def test_a_stopped_reader_takes_the_processes_it_started_with_it(files, tmp_path,
                                                                 monkeypatch):
    """A reader that runs a program (Tesseract for OCR) and is stopped by the time limit, or
    by the consumer closing the batch: that program must not go on as an orphan."""
    def runs_a_program(path: Path, engine: str, *_: object) -> ReadResult:
        import subprocess

        if path == files[1]:
            return ReadResult(path, "read")
        proc = subprocess.Popen(["sleep", "60"])
        (tmp_path / "pid").write_text(str(proc.pid))
        os.replace(tmp_path / "pid", tmp_path / f"{path.name}.pid")
        proc.wait()
        return ReadResult(path, "read")

    monkeypatch.setattr(batch, "read_one", runs_a_program)
    (result,) = read_many(files[:1], _limited(Limits(seconds=1)), jobs=1)
    assert result.reason == "exceeded the time limit (1 s on one page) while opening the file"
    gen = read_many([files[1], files[3]], SETTINGS, jobs=2)
    assert next(gen).path == files[1]
    pid_file = tmp_path / f"{files[3].name}.pid"
    deadline = time.monotonic() + 10
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    gen.close()  # the consumer stops while the other reader's program runs
    pids = [int((tmp_path / f"{f.name}.pid").read_text()) for f in (files[0], files[3])]
    deadline = time.monotonic() + 5
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)


def test_limits_are_checked():
    with pytest.raises(ValueError):
        Limits(seconds=0)
    with pytest.raises(ValueError):
        Limits(memory_mb=-1)


def _marking(real_dir: Path):
    """A read_one that leaves a file named after the PDF when it starts, then reads nothing."""
    def read_one(path: Path, settings: ExtractSettings, *_: object) -> ReadResult:
        (real_dir / f"{path.name}.started").touch()
        return ReadResult(path, "read", None, 0.0)
    return read_one


def _wait_for(predicate, seconds: float = 20.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_prefetch_reads_the_next_files_while_the_caller_works(files, tmp_path, monkeypatch):
    """The point of Prefetch: files fed ahead are read while the caller has not asked for
    them (read_many alone starts no worker while its consumer is busy)."""
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setattr(batch, "read_one", _marking(marks))
    first, second = files[:2], files[3:]
    with batch.Prefetch(read_many, SETTINGS, 2) as prefetch:
        prefetch.feed(first)
        prefetch.feed(second)
        got = [prefetch.next() for _ in first]
        # the caller is busy now (checking, storing): nothing more is asked for, yet ...
        assert _wait_for(lambda: all((marks / f"{p.name}.started").exists() for p in second))
        got += [prefetch.next() for _ in second]
    assert [r.path for r in got] == first + second  # the order fed


@pytest.mark.slow  # reads the samples several times over
def test_prefetch_gives_the_same_results_as_read_many(files):
    direct = list(read_many(files, SETTINGS, jobs=2))
    with batch.Prefetch(read_many, SETTINGS, 2) as prefetch:
        prefetch.feed(files[:2])
        prefetch.feed([])
        prefetch.feed(files[2:])
        fetched = [prefetch.next() for _ in files]
    assert [(r.path, r.reason) for r in fetched] == [(r.path, r.reason) for r in direct]
    assert [r.extraction.records() for r in fetched if r.ok] == \
        [r.extraction.records() for r in direct if r.ok]


def test_closing_a_prefetch_stops_its_workers_at_once(files, monkeypatch):
    """Local reading runs in a reader process that forks the workers (grandchildren here):
    closing ends them all, and the reader process is reaped."""
    monkeypatch.setattr(batch, "read_one",
                        lambda path, engine, *_: (time.sleep(60), ReadResult(path, "read"))[1])
    me = os.getpid()
    before = set(batch._descendants(me))
    prefetch = batch.Prefetch(read_many, SETTINGS, 2)
    prefetch.feed(files)
    # the reader process and its two workers
    assert _wait_for(lambda: len(set(batch._descendants(me)) - before) == 3)
    start = time.monotonic()
    prefetch.close()
    assert time.monotonic() - start < 10
    assert _wait_for(lambda: set(batch._descendants(me)) <= before, 5)


def test_workers_are_not_forked_from_the_callers_process(files, tmp_path, monkeypatch):
    """The caller's process may run threads (great expectations, the result receiver) while
    workers start: a fork copies their locks. Workers are children of the reader process."""
    marks = tmp_path / "parents"
    marks.mkdir()

    def read_one(path: Path, settings: ExtractSettings, *_: object) -> ReadResult:
        (marks / f"{os.getppid()}").touch()
        return ReadResult(path, "read", None, 0.0)

    monkeypatch.setattr(batch, "read_one", read_one)
    with batch.Prefetch(read_many, SETTINGS, 2) as prefetch:
        prefetch.feed(files)
        [prefetch.next() for _ in files]
        reader = prefetch._process.pid
    assert {int(p.name) for p in marks.iterdir()} == {reader} != {os.getpid()}


def test_an_error_in_the_reader_reaches_the_caller(files):
    def broken(paths, settings, jobs, stop=None):
        yield ReadResult(paths[0], "read")
        raise OSError("the disk went away")

    with batch.Prefetch(broken, SETTINGS, 1) as prefetch:
        prefetch.feed(files[:2])
        assert prefetch.next().path == files[0]
        with pytest.raises(OSError, match="the disk went away"):
            prefetch.next()


@pytest.mark.slow  # reads the samples several times over
def test_ingest_outcomes_do_not_depend_on_the_chunks(files, tmp_path):
    """Reading runs a chunk ahead of storing; the same bytes under another name in the next
    chunk are still stored once, and the outcomes are those of one big chunk."""
    from lkj.archive.ingest import Stores, ingest_many

    copy = tmp_path / "copy-of-2024.pdf"
    shutil.copy(files[0], copy)
    paths = [files[0], copy, *files[1:]]

    def outcomes(size: int, db: Path) -> list[tuple]:
        with Stores(db) as stores:
            return [(o.path, o.status, o.report_id, o.rows, o.errors, o.warnings)
                    for o in ingest_many(paths, stores, SETTINGS, jobs=2, chunk=size)]

    whole = outcomes(len(paths), tmp_path / "whole.sqlite")
    assert [o[1] for o in whole] == ["loaded", "unchanged", "loaded", "failed", "loaded",
                                     "loaded"]
    for chunk in (1, 2):
        assert outcomes(chunk, tmp_path / f"chunks-of-{chunk}.sqlite") == whole, chunk


def test_a_prefetch_never_closed_does_not_hang_the_exit(files, tmp_path):
    """A caller that dies with its Prefetch open (kept alive by a traceback) still exits:
    the reader process is stopped before multiprocessing waits for its children."""
    script = tmp_path / "leave_open.py"
    script.write_text(f"""
import time
from pathlib import Path
from lkj.archive import batch
from lkj.extract.settings import ExtractSettings

def slow(path, settings, *_):
    time.sleep(60)
    return batch.ReadResult(path, "read")

batch.read_one = slow
KEEP = batch.Prefetch(batch.read_many, ExtractSettings(engine="pdfplumber"), 2)
KEEP.feed([Path({str(files[0])!r}), Path({str(files[1])!r})])
time.sleep(1)
""")
    import subprocess
    import sys

    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - start < 20
