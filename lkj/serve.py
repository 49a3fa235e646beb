"""The store in a browser: `lkj serve --db lkj.sqlite` opens it in Datasette.

What each table, view and column means is read from the store's own schema
(lkj/schemas/store.sql: the comment above each CREATE TABLE or VIEW, the comment after each
column), so the browser says what the schema says. The store itself is never written: a
snapshot of it (SQLite's backup) is served read-only, with full-text indexes (FTS5) on the
claims of the running text and on table titles, so that both can be searched.

Needs the `serve` extra (`pip install 'lkj[serve]'`: Datasette).
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any


class ServeError(Exception):
    """Why the store cannot be served, in one line."""


#: Store table -> the text columns of its full-text index.
SEARCHABLE = {"claims": ("sentence", "subject", "heading"), "tables": ("title",)}

#: What columns found in many tables mean (the schema does not repeat it on each).
COMMON_COLUMNS = {
    "report_id": "the report (reports.report_id): agency_id-year",
    "table_id": "the table's number as printed (Tabel 2.3 -> 2.3)",
    "table_part": "the part of the table: a second ruled table under one caption is part 2",
    "row": "the data row within the table, from 1, in print order",
    "page": "the PDF page (as a PDF viewer counts); pages.folio has the printed number",
    "flags": "how lkj read it, where not plainly: parse decisions and doubts",
}
#: What a column's name ending says of it.
SUFFIXES = {
    "_raw": "the text as printed, before parsing",
    "_unit": "the unit printed with the figure",
    "_note": "what was printed beside the figure (in brackets, after it)",
    "_pct": "a percentage as printed (88.73 for 88,73%)",
}


def _comment_above(lines: list[str], at: int) -> str:
    """The `--` comment lines just above line `at`, joined."""
    out: list[str] = []
    i = at - 1
    while i >= 0 and lines[i].startswith("--"):
        out.insert(0, lines[i][2:].strip())
        i -= 1
    return " ".join(out)


def schema_docs(sql: str | None = None) -> dict[str, dict[str, Any]]:
    """Table or view -> {"description": ..., "columns": {column: description}} from the
    comments of store.sql."""
    sql = sql if sql is not None else (files("lkj.schemas") / "store.sql").read_text("utf-8")
    lines = sql.splitlines()
    docs: dict[str, dict[str, Any]] = {}
    current: str | None = None
    for i, line in enumerate(lines):
        made = re.match(r"CREATE (TABLE|VIEW) (\w+)", line)
        if made:
            kind, name = made.groups()
            text = _comment_above(lines, i)
            if kind == "VIEW":  # "v_name: what it is" may start the comment
                text = re.sub(rf"^{name}:\s*", "", text)
            docs[name] = {"description": text, "columns": {}}
            current = name if kind == "TABLE" else None
            continue
        if current is None:
            continue
        if line.startswith(")"):
            current = None
            continue
        column = re.match(r'\s+"?(\w+)"?\s+[A-Z]+[^-]*--\s*(.+)$', line)
        if column:
            docs[current]["columns"][column.group(1)] = column.group(2).strip()
    return docs


def metadata(conn: sqlite3.Connection, database: str) -> dict[str, Any]:
    """Datasette metadata for a store: a description of every table and view and of every
    column the schema, the common columns or the name's ending explain."""
    docs = schema_docs()
    tables: dict[str, Any] = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN "
                                "('table', 'view') AND name NOT LIKE '%_fts%' ORDER BY name"):
        doc = docs.get(name, {"description": "", "columns": {}})
        columns = {}
        for col in (r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')):
            text = doc["columns"].get(col) or COMMON_COLUMNS.get(col) or next(
                (t for s, t in SUFFIXES.items() if col.endswith(s)), None)
            if text:
                columns[col] = text
        entry: dict[str, Any] = {"description": doc["description"], "columns": columns}
        if name in SEARCHABLE:
            entry.update(fts_table=f"{name}_fts", fts_pk="rowid")
        tables[name] = entry
    return {"title": "lkj store", "description": "Performance reports read by lkj: every "
            "table as printed and parsed, the findings of the checks, the files not stored.",
            "databases": {database: {"tables": tables}}}


@contextmanager
def snapshot(db: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A read-only copy of the store with full-text indexes, and its metadata; removed
    after use."""
    from lkj.load.sqlite import connect

    source = connect(db, readonly=True)
    with tempfile.TemporaryDirectory(prefix="lkj-serve-") as tmp:
        copy = Path(tmp) / Path(db).name
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
        # the schema says `REFERENCES reports` (its primary key, implicitly); Datasette
        # reads the column a foreign key names and fails without one: name it, in the copy
        target.execute("PRAGMA writable_schema = ON")
        target.execute("UPDATE sqlite_master SET sql = replace(sql, 'REFERENCES reports ON', "
                       "'REFERENCES reports (report_id) ON') WHERE type = 'table'")
        target.execute("PRAGMA writable_schema = OFF")
        target.commit()
        target.close()
        target = sqlite3.connect(copy)
        for table, cols in SEARCHABLE.items():
            target.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5({', '.join(cols)}, "
                           f"content='{table}', content_rowid='rowid')")
            target.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
        target.commit()
        meta = metadata(target, copy.stem)
        target.close()
        yield copy, meta


def serve(db: Path, host: str = "127.0.0.1", port: int = 8001, open_browser: bool = False
          ) -> int:
    """Serve the store with Datasette until stopped (Ctrl-C); its exit status."""
    try:
        import datasette  # noqa: F401
    except ImportError as exc:
        raise ServeError("lkj serve needs Datasette: pip install 'lkj[serve]'") from exc
    with snapshot(db) as (copy, meta):
        meta_file = copy.with_suffix(".metadata.json")
        meta_file.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        argv = [sys.executable, "-m", "datasette", "serve", "-i", str(copy), "--metadata",
                str(meta_file), "--host", host, "--port", str(port),
                "--setting", "default_page_size", "50"]
        if open_browser:
            argv.append("--open")
        process = subprocess.Popen(argv)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            return process.wait()
