"""`lkj check`: audit PDFs and extracted folders, and write the findings beside their tables.

Reading (a PDF, or a folder `lkj extract` wrote), checking (lkj.expectations, frames in,
findings out) and writing (lkj.load.files, lkj.auditpage) meet here, above all three.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lkj.expectations.audit import audit_frames, is_nan
from lkj.extract.folios import folios_of
from lkj.schemas import contract

if TYPE_CHECKING:
    from lkj.extract.settings import ExtractSettings


@dataclass
class CheckRun:
    """What `lkj check` produced: the findings, the reports they are about, the files."""

    findings: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    written: list[Path]
    #: Per report, the number printed on each PDF page (see `folios_of`).
    folios: dict[str, dict[int, str]] = field(default_factory=dict)


def check_sources(sources: Iterable[Path], out_dir: Path, settings: ExtractSettings | None = None,
                  read: Any = None) -> CheckRun | None:
    """Audit PDFs (extracted first, their tables written to out_dir) and folders of CSVs
    written by `lkj extract`; write findings.csv, findings.json and findings.html.
    `read(path, settings)` reads a PDF as the ExtractSettings `settings` say (default:
    lkj.extract.report.extract_report here; the CLI reads in a limited worker); a PDF it
    reads as None is left out. None when no source was read (nothing written)."""
    from lkj.auditpage.html import render
    from lkj.load.files import read_tables, staged_folder, write_tables

    if read is None:
        from lkj.extract.report import extract_report as read

    parts: dict[str, list[pd.DataFrame]] = {}
    pdfs: dict[str, Path] = {}
    tables: list[tuple[Path, Any]] = []  # (folder under out_dir, tables) of each PDF read
    sources = list(sources)
    for source in sources:
        if source.is_dir():
            frames = read_tables(source)
        else:
            ex = read(source, settings)
            if ex is None:
                continue
            tables.append((Path(".") if len(sources) == 1 else Path(ex.report["report_id"]),
                           ex.columned()))
            frames = ex.frames()
            pdfs[ex.report["report_id"]] = source.resolve()
        for name, frame in frames.items():
            parts.setdefault(name, []).append(frame)
    if not parts:
        return None
    frames = {name: pd.concat(fs, ignore_index=True) for name, fs in parts.items()}
    table = audit_frames(frames)
    findings = [{k: (None if is_nan(v) else v) for k, v in rec.items()}
                for rec in table.to_dict("records")]
    reports = frames["report"].to_dict("records")
    cols = contract.COLUMNS["findings"]
    folios = folios_of(frames.get("pages"))
    out_dir = out_dir.resolve()
    # every file in a folder beside out_dir first, then all moved in: a full disk or a kill
    # midway leaves out_dir as it was, never one report's files beside another's (links
    # made from the staging folder hold in out_dir: both sit in the same parent)
    with staged_folder(out_dir) as staging:
        written = []
        for folder, columned in tables:
            written += write_tables(staging / folder, columned)
        written += write_tables(staging, {"findings": (cols, findings)}, "csv")
        written += write_tables(staging, {"findings": (cols, findings)}, "json")
        written.append(render(findings, reports, staging / "findings.html", pdfs, folios,
                              _records(frames.get("cells"))))
    written = [out_dir / p.relative_to(staging) for p in written]
    return CheckRun(findings, reports, written, folios)


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [] if frame is None else frame.to_dict("records")

