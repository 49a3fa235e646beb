"""Reading files on a Dask distributed cluster instead of local processes.

The client ships each file's bytes to a worker (no shared filesystem needed); the worker
writes them under the file's own name in a private temp folder and reads them with the same
`read_many` as a local run, one file at a time in a child process under the same time and
memory limits. Results come back in input order, so the tables are the same, byte for byte,
as a local run's. Only the reading is distributed: checks and the store stay with the
client, which owns the database.
"""

from __future__ import annotations

import multiprocessing as mp
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from lkj.archive.batch import ReadResult, read_many
from lkj.extract.settings import ExtractSettings


class ClusterError(Exception):
    """The cluster cannot be reached or used."""


def read_on_worker(name: str, data: bytes, settings: ExtractSettings) -> ReadResult:
    """A cluster task: read one file from its bytes as the settings say, under their
    per-file limits."""
    process = mp.current_process()
    was_daemon = process.daemon
    if was_daemon:
        # Dask worker processes are daemonic by default, and daemonic processes may not
        # start children; the child here is reaped before the task returns.
        process._config["daemon"] = False  # type: ignore[attr-defined]
    try:
        with tempfile.TemporaryDirectory(prefix="lkj-worker-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            (result,) = read_many([path], settings, jobs=1)
    finally:
        if was_daemon:
            process._config["daemon"] = True  # type: ignore[attr-defined]
    result.path = Path(name)
    return result


class ClusterReader:
    """A connection to a Dask scheduler, used as the reader of a batch."""

    def __init__(self, address: str, timeout: float = 10.0) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ClusterError("--cluster needs dask.distributed: pip install "
                               "'lkj[cluster]' (or 'dask[distributed]')") from exc
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except OSError as exc:
            raise ClusterError(f"{address}: cannot reach the Dask scheduler ({exc})") from exc

    def __enter__(self) -> ClusterReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def read_many(self, paths: Sequence[Path], settings: ExtractSettings | None,
                  jobs: int | None, stop: threading.Event | None = None
                  ) -> Iterator[ReadResult]:
        """Like batch.read_many, on the cluster's workers; `jobs` is the cluster's to set.
        Setting `stop` cancels the files not yet read, within a second."""
        settings = settings or ExtractSettings()
        futures = []
        for path in paths:
            path = Path(path)
            try:
                data = path.read_bytes()
            except OSError as exc:
                futures.append(ReadResult(path, None, _os_reason(exc)))
                continue
            futures.append(self.client.submit(read_on_worker, path.name, data, settings,
                                              key=f"lkj-read-{path.name}-{id(path)}",
                                              pure=False))
        submitted = [f for f in futures if not isinstance(f, ReadResult)]
        try:
            for path, item in zip(paths, futures, strict=True):
                if isinstance(item, ReadResult):
                    yield item
                    continue
                result = _wait(item, Path(path), stop)
                if result is None:
                    return
                yield result
        finally:  # stopped, or the consumer left early: the cluster reads no more of these
            self.client.cancel([f for f in submitted if not f.done()])


def _wait(future: Any, path: Path, stop: threading.Event | None) -> ReadResult | None:
    """A task's result (a worker lost mid-task is this file's failure only); None once
    `stop` is set."""
    while True:
        if stop is not None and stop.is_set():
            return None
        try:
            result = future.result(timeout=1.0)
        except TimeoutError:
            continue
        except Exception as exc:
            result = ReadResult(path, None, f"the cluster could not read it "
                                f"({type(exc).__name__}: {exc})")
        result.path = path
        return result


def _os_reason(exc: OSError) -> str:
    from lkj.extract.document import ReportError, check_file

    try:
        check_file(Path(exc.filename or ""))
    except ReportError as err:
        return err.reason
    return f"cannot be read ({exc.strerror or exc})"


def describe(reader: Any) -> str:
    """For the summary line: where the files were read."""
    if isinstance(reader, ClusterReader):
        info = reader.client.scheduler_info()
        workers = len(info.get("workers", {}))
        return f"cluster {reader.client.scheduler.address} ({workers} workers)"
    return "local processes"
