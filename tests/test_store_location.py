"""Where a store is (--db): a SQLite file path or a postgresql:// URL, nothing else; a file
name is only a name, whatever its characters; and a store is read without writing, even on
read-only media (lkj compare).

The read-only media is a tmpfs of the test's own, remounted read-only: as root a chmod does
not stop writes, a read-only mount does. Mounting needs root (CI runs as root).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import in_ci
from stores import sqlite_run

from lkj.compare import compare_rows
from lkj.load import opened as lkj_store
from lkj.load import sqlite as sqlstore
from lkj.load.sqlite import SqliteStore
from lkj.load.store import StoreError, check_location, load

LKJ = Path(sys.executable).parent / "lkj"
#: What --db says of a text that is neither a path nor a PostgreSQL URL.
NOT_A_STORE = "not a store: --db takes a SQLite file path or a postgresql:// URL"


def lkj(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LKJ), *map(str, args)], capture_output=True, text=True,
                          timeout=600, cwd=cwd)


def digest(folder: Path) -> dict[str, str]:
    """Each file of a folder and the hash of its bytes: all a read could have changed."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory, extraction_2023) -> Path:
    """A WAL store holding the 2023 sample, closed (no -wal or -shm beside it)."""
    db = tmp_path_factory.mktemp("loaded") / "lkj.sqlite"
    conn = SqliteStore.open(db)
    assert load(conn, extraction_2023).status == "loaded"
    conn.close()
    assert db.read_bytes()[18:20] == b"\x02\x02"  # WAL in the file header
    return db


@pytest.fixture()
def mount(tmp_path):
    """A folder on a tmpfs of its own and `seal`, which remounts it read-only."""
    where = tmp_path / "media"
    where.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if made.returncode:
        reason = f"cannot mount a tmpfs: {made.stderr.strip() or made.returncode}"
        if in_ci():
            pytest.fail(f"{reason} (CI runs as root)", pytrace=False)
        pytest.skip(reason)

    def seal() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        assert not os.access(where, os.W_OK)

    try:
        yield where, seal
    finally:
        subprocess.run(["umount", str(where)], check=True)


def as_schema_2(db: Path) -> None:
    """The store as an lkj of store schema 2 wrote it (tests/test_store_shared.py)."""
    for table in ("pages", "ocr_cells"):
        sqlite_run(db, f"DROP TABLE {table}")
    sqlite_run(db, "DROP VIEW v_findings")
    sqlite_run(db, "PRAGMA user_version = 2")


# --- what --db takes -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["file:mem.sqlite?mode=memory", "file:lkj.sqlite",
                                  "sqlite:///lkj.sqlite", "http://host/lkj.sqlite"])
def test_a_url_of_another_scheme_is_refused_and_nothing_is_made(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    for call in (SqliteStore.open, lkj_store.open_store,
                 lambda db: lkj_store.open_store(db, readonly=True)):
        for db in (text, Path(text)):
            with pytest.raises(StoreError) as caught:
                call(db)
            assert str(caught.value) == f"{db}: {NOT_A_STORE}"
    proc = lkj("load", "no.pdf", "--db", text, cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == f"Error: {Path(text)}: {NOT_A_STORE}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_refused_url_hides_its_password_and_paths_pass():
    with pytest.raises(StoreError, match=r"^mysql://lkj:\*\*\*@host/db: not a store"):
        check_location("mysql://lkj:secret@host/db")
    for db in ("C:\\lkj\\lkj.sqlite", "D:/lkj.sqlite", "/data/file:x", "data/http:x",
               "postgresql://host/db", "postgresql+psycopg://host/db", ":memory:"):
        check_location(db)


@pytest.mark.parametrize("name", ["a?mode=memory.sqlite", "b#c.sqlite", "d%41%3F.sqlite",
                                  "file:e.sqlite"])
def test_a_file_name_is_only_a_name(tmp_path, name):
    db = tmp_path / name
    SqliteStore.open(db).close()
    assert os.listdir(tmp_path) == [name]  # that name exactly: no %41 read as A
    conn = SqliteStore.open(db, readonly=True)
    assert conn.row_counts()["reports"] == 0
    conn.close()
    assert os.listdir(tmp_path) == [name]


# --- reading, never writing ------------------------------------------------------------------

def test_a_missing_store_is_one_line_and_is_not_made(tmp_path):
    db = tmp_path / "none" / "lkj.sqlite"
    with pytest.raises(StoreError) as caught:
        SqliteStore.open(db, readonly=True)
    assert str(caught.value) == f"{db}: no such store"
    assert list(tmp_path.iterdir()) == []


def test_an_empty_file_is_refused_unchanged(tmp_path):
    (tmp_path / "empty.sqlite").touch()
    with pytest.raises(StoreError, match="an empty database, not an lkj store"):
        SqliteStore.open(tmp_path / "empty.sqlite", readonly=True)
    assert digest(tmp_path) == {"empty.sqlite": hashlib.sha256(b"").hexdigest()}


def test_a_reader_writes_nothing(loaded_store, tmp_path):
    db = Path(shutil.copy(loaded_store, tmp_path))
    before = digest(tmp_path)
    conn = SqliteStore.open(db, readonly=True)
    try:
        assert compare_rows(conn)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.conn.execute("DELETE FROM reports")
    finally:
        conn.close()
    assert digest(tmp_path) == before  # no -wal or -shm left behind


@pytest.mark.parametrize("schema", ["this", "older"])
def test_a_wal_store_on_read_only_media_is_read(loaded_store, mount, schema):
    where, seal = mount
    db = Path(shutil.copy(loaded_store, where))
    if schema == "older":
        as_schema_2(db)  # upgraded when opened to write; read as it is
    conn = SqliteStore.open(loaded_store, readonly=True)
    want = compare_rows(conn)
    conn.close()
    seal()
    before = digest(where)
    conn = SqliteStore.open(db, readonly=True)
    try:
        assert compare_rows(conn) == want
        assert conn.row_counts()["ocr_cells"] == 0
        assert conn.query("PRAGMA user_version")[0][0] == (
            2 if schema == "older" else sqlstore.schema_version())
    finally:
        conn.close()
    assert digest(where) == before == {"lkj.sqlite": before["lkj.sqlite"]}


def test_a_wal_with_changes_on_read_only_media_is_refused(mount):
    """Without a -shm, SQLite could read the file only as immutable, which would skip the
    changes still in the -wal: refused, not read stale."""
    where, seal = mount
    work = where.parent / "lkj.sqlite"
    conn = SqliteStore.open(work)
    conn.conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.conn.execute("INSERT INTO ingest_errors (source_file, reason, at) VALUES ('x', 'y', 'z')")
    for suffix in ("", "-wal"):
        shutil.copy(f"{work}{suffix}", where)
    conn.close()
    seal()
    with pytest.raises(StoreError, match="its -wal file holds changes"):
        SqliteStore.open(where / "lkj.sqlite", readonly=True)


def test_lkj_compare_reads_read_only_media(loaded_store, mount, tmp_path):
    where, seal = mount
    db = Path(shutil.copy(loaded_store, where))
    seal()
    proc = lkj("compare", "--db", db, "--csv", tmp_path / "out.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert os.listdir(where) == ["lkj.sqlite"]
