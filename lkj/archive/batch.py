"""Reading many PDFs at once, each in its own process with a time and a memory limit.

A hostile file (a PDF bomb, a page tree that never ends, a reader bug that eats memory) can
only take down the process reading it: the batch gets a one-line reason for that file and
goes on. Workers are forked from the parent, so the readers are imported once, not once per
file (a fork server would re-run the caller's main module, a trap for scripts); at most
`jobs` run at a time; results come back in input order, so a batch's output is the same
whatever the number of processes.
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing as mp
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from lkj.extract.settings import ExtractSettings


@dataclass
class Where:
    """Where a reader is in its file (the last progress it told): for the reasons that name
    the page a limit was hit on."""

    step: str = "opening"
    page: int = 0
    pages: int = 0

    def __str__(self) -> str:
        if not self.page:
            return "opening the file" if self.step == "opening" else self.step
        return f"{self.step} page {self.page} of {self.pages}"


@dataclass
class ReadResult:
    """One file read (or not): the extraction, or the reason it could not be read."""

    path: Path
    extraction: Any = None
    reason: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.extraction is not None


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def read_one(path: Path, settings: ExtractSettings, progress: Any = None,
             memory_mb: int = 0) -> ReadResult:
    """Read one PDF in this process (no limits of its own): what a worker does. `progress`
    (as extract_report's) is told of each page; `memory_mb` is the limit the process runs
    under, named in the reason when the reading runs out of memory."""
    from lkj.extract.document import ReportError
    from lkj.extract.report import extract_report

    where = Where()

    def tell(step: str, page: int, pages: int) -> None:
        where.step, where.page, where.pages = step, page, pages
        if progress is not None:
            progress(step, page, pages)

    start = time.perf_counter()
    try:
        ex = extract_report(path, settings, progress=tell)
        ex.page_texts = []  # not needed downstream; keeps what crosses the pipe small
        return ReadResult(path, ex, None, time.perf_counter() - start)
    except ReportError as exc:
        return ReadResult(path, None, exc.reason, time.perf_counter() - start)
    except MemoryError as exc:
        limit = f"exceeded the memory limit ({memory_mb} MiB)" if memory_mb else \
            "ran out of memory"
        doing = f"decompressing page {where.page}" if _inflating(exc) and where.page else where
        return ReadResult(path, None, f"{limit} while {doing}", time.perf_counter() - start)
    except Exception as exc:  # a reader bug is this file's failure, not the batch's
        at = traceback.extract_tb(exc.__traceback__)[-1]
        return ReadResult(path, None, f"could not be read ({type(exc).__name__}: {exc}; at "
                          f"{Path(at.filename).name}:{at.lineno}; {where})",
                          time.perf_counter() - start)


def _inflating(exc: BaseException) -> bool:
    """Whether the error rose from inflating a stream (pdfminer's filters)."""
    return any(Path(f.filename).name == "pdftypes.py" and f.name == "decode"
               for f in traceback.extract_tb(exc.__traceback__))


def _address_space() -> int:
    """Bytes of address space this process has mapped now (0 where /proc is absent)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _descendants(pid: int) -> list[int]:
    """Every process started by pid, and by those, ... (from /proc; none where it is absent)."""
    parents: dict[int, list[int]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            parents.setdefault(int(stat[stat.rindex(b")") + 2:].split()[1]), []).append(
                int(name))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _kill(process: Any) -> None:
    """SIGKILL a worker and every process it started (an OCR engine, ...): none outlives it
    as an orphan that goes on reading."""
    try:
        os.kill(process.pid, signal.SIGSTOP)  # it starts no more while its tree is listed
    except (ProcessLookupError, TypeError):
        return
    for pid in _descendants(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.kill()


def _child(conn: Connection, path: Path, settings: ExtractSettings) -> None:
    """Worker body: apply the memory limit, read, send the result, exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Nothing a worker prints reaches the batch's output: a library's warning, the fatal-error
    # dump of a crash (its reason comes back through the pipe or the exit status), nor the
    # parent's unflushed output that multiprocessing flushes again when the worker exits.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # also where they are not fds 1 and 2
    memory_mb = settings.limits.memory_mb
    if memory_mb:
        import resource

        # what the reader may add to the address space it inherits (the parent's imports,
        # 0.5-1 GiB once great_expectations is loaded): the same file gets the same limit
        # whatever the parent had imported when it forked
        limit = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    def progress(step: str, page: int, pages: int) -> None:
        # every page: a page that never ends must be named (a few microseconds a page)
        conn.send_bytes(pickle.dumps(Where(step, page, pages)))

    result = read_one(path, settings, progress, memory_mb)
    try:
        conn.send_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception as exc:  # e.g. MemoryError pickling a huge result
        conn.send_bytes(pickle.dumps(ReadResult(path, None, f"result too large to return "
                                                f"({type(exc).__name__})")))
    conn.close()


def _preload(engine: str) -> None:
    """Import the readers of an engine choice once here, so that every forked worker starts
    with them."""
    import importlib

    import pdfplumber  # noqa: F401

    import lkj.extract.report  # noqa: F401
    from lkj.extract.engines import CHOICES

    for module in CHOICES[engine].modules:
        importlib.import_module(module)


def _context() -> Any:
    """fork where the system has it (Linux, macOS), else spawn."""
    if "fork" in mp.get_all_start_methods():
        return mp.get_context("fork")
    return mp.get_context("spawn")


@dataclass
class _Running:
    path: Path
    index: int
    process: Any
    conn: Connection
    started: float
    #: When the worker last told of a new page, and which (the time limit runs from it).
    alive: float = 0.0
    where: Where = field(default_factory=Where)


def read_many(paths: Iterable[Path], settings: ExtractSettings | None = None,
              jobs: int | None = None, stop: threading.Event | None = None,
              progress: Any = None) -> Iterator[ReadResult]:
    """Read every path in a child process, at most `jobs` at once, as `settings` say
    (their limits are each worker's); yield in input order.

    Setting `stop` (from another thread) ends the reading within a second: the running
    workers are killed and nothing more is yielded. `progress(path, where)` is told each
    time a worker begins a page."""
    from lkj.extract.document import ReportError, plainly_a_pdf

    settings = settings or ExtractSettings()
    limits = settings.limits
    jobs = jobs or default_jobs()
    ctx = _context()
    pending = list(enumerate(Path(p) for p in paths))
    # one file: a worker imports what it needs (camelot only for a page with a table)
    _preload(settings.engine if len(pending) > 1 else "pdfplumber")
    pending.reverse()
    running: list[_Running] = []
    done: dict[int, ReadResult] = {}
    next_out = 0
    try:
        while pending or running:
            if stop is not None and stop.is_set():
                return
            while pending and len(running) < jobs:
                index, path = pending.pop()
                try:  # plainly not a PDF: said without starting a reader
                    plainly_a_pdf(path)
                except ReportError as exc:
                    done[index] = ReadResult(path, None, exc.reason, 0.0)
                    continue
                except OSError:  # unreadable here: the worker says how, as for any file
                    pass
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(send, path, settings), daemon=True)
                # the worker's garbage collector must not walk (and so copy, page by page)
                # the whole heap it inherits: a third of a worker's CPU once GX is loaded
                gc.freeze()
                try:
                    proc.start()
                finally:
                    gc.unfreeze()
                send.close()
                now = time.monotonic()
                running.append(_Running(path, index, proc, recv, now, now))
            now = time.monotonic()
            ready = []  # none running: every file taken so far was plainly not a PDF
            if running:
                timeout = max(0.0, min(r.alive + limits.seconds for r in running) - now)
                ready = wait([r.conn for r in running], timeout=min(timeout, 1.0))
            for r in list(running):
                result = None
                if r.conn in ready:
                    try:
                        result = pickle.loads(r.conn.recv_bytes())
                        if isinstance(result, Where):  # news of its progress, not the end
                            if (result.step, result.page) != (r.where.step, r.where.page):
                                r.alive = time.monotonic()
                            r.where, result = result, None
                            if progress is not None:
                                progress(r.path, r.where)
                    except (EOFError, OSError):
                        r.process.join(5)
                        code = r.process.exitcode
                        why = (f"killed by signal {-code}" if code and code < 0
                               else f"exit code {code}")
                        hint = f" (memory limit {limits.memory_mb} MiB?)" if limits.memory_mb \
                            else ""
                        result = ReadResult(r.path, None,
                                            f"the reader crashed ({why}){hint} while "
                                            f"{r.where}")
                elif time.monotonic() - r.alive > limits.seconds:
                    _kill(r.process)
                    result = ReadResult(r.path, None, f"exceeded the time limit "
                                        f"({limits.seconds:g} s on one page) while "
                                        f"{r.where}", time.monotonic() - r.started)
                if result is not None:
                    r.conn.close()
                    r.process.join(5)
                    if r.process.is_alive():
                        _kill(r.process)
                        r.process.join()
                    running.remove(r)
                    done[r.index] = result
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for r in running:  # the consumer stopped early or an error: leave no orphan
            _kill(r.process)
            r.process.join()
            r.conn.close()


def read_file(path: Path, settings: ExtractSettings | None = None,
              progress: Any = None) -> Any:
    """Read one PDF in a worker process under the settings' limits, as a batch reads each of
    its files: what `lkj extract`, `tables` and `check` read a file with. Its extraction, or
    a ReportError with the reason in one line. `progress(path, where)` as read_many's."""
    from lkj.extract.document import ReportError

    (result,) = read_many([Path(path)], settings, jobs=1, progress=progress)
    if not result.ok:
        raise ReportError(path, result.reason or "could not be read")
    return result.extraction


class _StopWhen:
    """read_many's stop in the reader process: the batch's event, or its parent gone."""

    def __init__(self, event: Any, parent: int) -> None:
        self.event, self.parent = event, parent

    def is_set(self) -> bool:
        return self.event.is_set() or os.getppid() != self.parent


def _reader_process(conn: Connection, settings: ExtractSettings, jobs: int | None,
                    stop: Any, parent: int) -> None:
    """Body of Prefetch's reader process: read each list of paths it is sent with
    read_many (forking a worker per file from this single-threaded process) and send the
    results back, in order. Ends at None, at stop, or when its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    until = _StopWhen(stop, parent)
    told = [0.0]

    def progress(path: Path, where: Where) -> None:
        now = time.monotonic()  # for the eye: a few times a second is enough
        if now - told[0] >= 0.25:
            told[0] = now
            conn.send((path, where))

    try:
        while not until.is_set():
            if not conn.poll(1.0):
                continue
            paths = conn.recv()
            if paths is None:
                break
            try:
                for result in read_many(paths, settings, jobs, stop=until, progress=progress):
                    conn.send(result)
            except Exception as exc:  # a reader bug: the caller's to raise
                conn.send(exc)
                break
    except (EOFError, OSError):  # the parent went away
        pass
    finally:
        conn.close()


class Prefetch:
    """Reading that goes on while the caller works: paths are fed in, results come out in
    the order fed, and the workers read the next files while the caller checks and stores
    the last ones (instead of waiting for it at every chunk).

    Local reading (`read` is `read_many`) runs in a reader process forked here, before the
    caller does anything else: it forks a worker per file from its own single thread. The
    workers are never forked from this process while its main thread runs great
    expectations, SQLite or OpenSSL: a fork copies the locks another thread holds, and a
    worker that needs one of them waits forever (seen: two files of a 500-file batch hung
    until their time limit when workers were forked from a thread of this process). A
    thread here only receives the results, so that the reader process never waits for the
    caller. Another reader (a cluster's, with read_many's signature) forks nothing here and
    runs in a thread.

    `close()` (or leaving the `with`) stops the reading within a second and kills its
    workers. An error in the reader is raised again by the `next()` that would have
    returned the result. Memory: results wait here until taken, so the caller bounds it by
    how far ahead it feeds (ingest_many feeds one chunk ahead).
    """

    _END = object()

    def __init__(self, read: Any, settings: ExtractSettings | None, jobs: int | None) -> None:
        import queue

        settings = settings or ExtractSettings()
        self._read, self._settings, self._jobs = read, settings, jobs
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._stop = threading.Event()
        self._process = self._conn = None
        #: Where each file being read is (local reading only): path -> Where.
        self.where: dict[Path, Where] = {}
        if read is read_many:
            ctx = _context()
            _preload(settings.engine)  # once, in the reader process's image: every worker has them
            self._conn, theirs = ctx.Pipe(duplex=True)
            self._process_stop = ctx.Event()
            self._process = ctx.Process(
                target=_reader_process, name="lkj-reader",
                args=(theirs, settings, jobs, self._process_stop, os.getpid()))
            self._process.start()  # not a daemon: daemons may not start the workers
            theirs.close()
            # multiprocessing joins a non-daemon child at exit: a Prefetch never closed (its
            # caller died with an exception that keeps it alive) must not make that wait
            # forever. atexit runs this before multiprocessing's own exit hook.
            atexit.register(self.close)
            target = self._receive
        else:
            target = self._run
        self._thread = threading.Thread(target=target, name="lkj-reader", daemon=True)
        self._thread.start()

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def feed(self, paths: list[Path]) -> None:
        """Queue these files for reading, after those fed before."""
        if not paths:
            return
        if self._conn is not None:
            self._conn.send([Path(p) for p in paths])
        else:
            self._inbox.put(list(paths))

    def next(self) -> ReadResult:
        """The next result in the order fed (waits for it)."""
        item = self._outbox.get()
        if isinstance(item, BaseException):
            raise item
        if item is self._END:
            raise RuntimeError("the reader stopped before every file fed was read")
        return item

    def close(self) -> None:
        if self._process is not None:
            atexit.unregister(self.close)
        if self._stop.is_set() and not self._thread.is_alive():
            return  # closed before
        self._stop.set()
        if self._process is not None:
            self._process_stop.set()
            try:
                self._conn.send(None)
            except OSError:  # it has ended already
                pass
            self._process.join(10)
            if self._process.is_alive():  # stuck: its workers go with it
                _kill(self._process)
                self._process.join()
            self._conn.close()
        else:
            self._inbox.put(self._END)
        self._thread.join()

    def _receive(self) -> None:
        """Thread: move what the reader process sends into the outbox, until it ends; news
        of a worker's progress goes to `where` instead."""
        try:
            while True:
                item = self._conn.recv()
                if isinstance(item, tuple):
                    path, where = item
                    self.where[path] = where
                else:
                    self.where.pop(getattr(item, "path", None), None)
                    self._outbox.put(item)
        except (EOFError, OSError):  # the reader process ended (or close() closed the pipe)
            pass
        except BaseException as exc:  # e.g. a result that cannot be unpickled here
            self._outbox.put(exc)
        finally:
            self._outbox.put(self._END)

    def _run(self) -> None:
        """Thread: run a reader that forks nothing here (a cluster's) over what is fed."""
        try:
            while not self._stop.is_set():
                paths = self._inbox.get()
                if paths is self._END:
                    break
                for result in self._read(paths, self._settings, self._jobs, stop=self._stop):
                    self._outbox.put(result)
        except BaseException as exc:  # handed to the caller, who decides
            self._outbox.put(exc)
        finally:
            self._outbox.put(self._END)
