"""Writing tables as CSV or JSON files, all or nothing.

Files are written into a hidden staging folder inside the target folder and moved into
place only once every one of them is complete, so an interrupted or failed run never
leaves a half-written file where a reader would take it for output.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

FORMATS = ("csv", "json")
#: What a spreadsheet opening a CSV takes for the start of a formula (OWASP, CSV Injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A number as a report prints it ("-5", "+3", "-1.234,50", "-8.6%"): a spreadsheet reads
#: it as a number, computing nothing, so it is written as it is.
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*%?")


def _quoted(text: str) -> bool:
    """Whether spreadsheet_safe quotes text: it would start a formula, or it is a quote
    before such text (so that reading back can tell a written quote from a real one)."""
    bare = text.lstrip("'")
    return bare.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(bare)


def spreadsheet_safe(text: str) -> str:
    """Text as a CSV cell a spreadsheet shows and never runs: one quote before text that
    would start a formula, as OWASP advises (https://owasp.org/www-community/attacks/
    CSV_Injection). Every CSV lkj writes goes through here; spreadsheet_text undoes it."""
    return "'" + text if _quoted(text) else text


def spreadsheet_text(cell: str) -> str:
    """The text spreadsheet_safe was given, from the cell it wrote."""
    return cell[1:] if cell.startswith("'") and _quoted(cell[1:]) else cell


def _cell(value: Any) -> Any:
    """CSV text of a value: blank for null, 'true'/'false' for booleans, numbers as printed."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from pandas
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_rows(fh: IO[str], header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A header and rows of text as CSV lines ending in "\n", each cell spreadsheet_safe.
    A row with a carriage return in it is written with every cell quoted: the csv module
    quotes only the line end's own characters, and a bare "\r" would end the row."""
    plain = csv.writer(fh, lineterminator="\n")
    quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(header)
    for row in rows:
        cells = [spreadsheet_safe(c) for c in row]
        (quoted if any("\r" in c for c in cells) else plain).writerow(cells)


def write_csv(path: Path, columns: list[str], records: Iterable[Mapping[str, Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        write_rows(fh, columns, ([str(_cell(rec.get(c))) for c in columns] for rec in records))


def write_json(path: Path, columns: list[str], records: Iterable[Mapping[str, Any]]) -> None:
    rows = [{c: rec.get(c) for c in columns} for rec in records]
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(rows, fh, ensure_ascii=False, indent=1, default=str)
        fh.write("\n")


def write_tables(out_dir: Path, tables: Mapping[str, tuple[list[str], list[Mapping[str, Any]]]],
                 fmt: str = "csv") -> list[Path]:
    """Write each table to OUT_DIR/NAME.FMT; all files appear together or none does."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lkj-staging-", dir=out_dir))
    writer = write_csv if fmt == "csv" else write_json
    try:
        staged = []
        for name, (columns, records) in tables.items():
            path = staging / f"{name}.{fmt}"
            writer(path, columns, records)
            staged.append(path)
        final = []
        for path in staged:
            target = out_dir / path.name
            os.replace(path, target)
            final.append(target)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def staged_folder(out_dir: Path) -> Iterator[Path]:
    """A folder to write into, beside out_dir, whose files become out_dir's all together
    once the block ends without an error (a new out_dir is the staging folder renamed; an
    existing one gets each file moved in, after every file was written); on an error,
    out_dir is as it was and the staging folder is gone."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.lkj-", dir=out_dir.parent))
    try:
        yield staging
        if not out_dir.exists():
            os.rename(staging, out_dir)
            return
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            target = out_dir / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def pdfs_in(folder: Path, recursive: bool = False) -> list[Path]:
    """The *.pdf of a folder (any case), in name order; subfolders too if `recursive`. A
    folder named *.pdf is listed (the reader names it as no file to read), unless
    `recursive` reads into it."""
    found = folder.rglob("*") if recursive else folder.iterdir()
    return sorted(p for p in found if p.suffix.lower() == ".pdf"
                  and (p.is_file() or not recursive))


def is_extract_folder(path: Path) -> bool:
    """A folder written by `lkj extract` (it holds report.csv)."""
    return (path / "report.csv").is_file()


def read_tables(folder: Path) -> dict[str, Any]:
    """Read back the CSVs `lkj extract` wrote: text as it was before spreadsheet_safe,
    numbers as numbers, true/false as booleans, blank as null (pandas imported on use)."""
    import pandas as pd

    from lkj.schemas import contract

    if not is_extract_folder(folder):
        raise FileNotFoundError(f"{folder}: no report.csv (not a folder written by lkj extract)")
    frames = {}
    for name in contract.OUTPUT_TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False).map(spreadsheet_text)
        else:
            frame = pd.DataFrame(columns=contract.COLUMNS[name])
        frame = frame.astype(object).where(frame != "", None)
        for col in contract.NUMERIC.get(name, ()):
            if col in frame:
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
        for col in contract.BOOLEAN.get(name, ()):
            if col in frame:
                frame[col] = frame[col].map({"true": True, "false": False})
        frames[name] = frame
    return frames
