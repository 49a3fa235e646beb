"""Audit a batch of reports: rules -> great-expectations suites -> one findings table.

`audit(extractions)` is what the CLI and the loader call. The rules (rules.py) turn the
tables into outcome rows; the suites (suites/*.json) say which outcomes must hold and how
severe a failure is; every outcome comes back as a finding row with a status: "failed", "held"
or "not checked", so an auditor sees what was verified as well as what was not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from lkj.expectations import gx, rules
from lkj.schemas import contract

_STATUS_ORDER = {"failed": 0, "not checked": 1, "held": 2}
_SEVERITY_ORDER = {**contract.SEVERITY_RANK, None: len(contract.SEVERITIES)}


def frames_of(extractions: Iterable[Any]) -> dict[str, pd.DataFrame]:
    """The tables of many extractions, concatenated (report_id tells them apart)."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for ex in extractions:
        for name, frame in ex.frames().items():
            parts.setdefault(name, []).append(frame)
    return {name: pd.concat(fs, ignore_index=True) if fs else pd.DataFrame(
        columns=contract.COLUMNS[name]) for name, fs in parts.items()}


def _numeric(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Numbers as floats for arithmetic and GX (object columns from extraction hold ints,
    floats and None)."""
    out = {}
    for name, frame in frames.items():
        frame = frame.copy()
        for col in contract.NUMERIC.get(name, ()):
            if col in frame:
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
        out[name] = frame
    return out


def derived(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Columns the table suites need that are not in the contract."""
    frames = dict(frames)
    years = dict(zip(frames["report"].report_id, frames["report"].year, strict=True))
    ev = frames["events"].copy()
    start_year = pd.to_datetime(ev.date_start, errors="coerce").dt.year
    ev["year_offset"] = start_year - pd.to_numeric(ev.report_id.map(years), errors="coerce")
    frames["events"] = ev
    bu = frames["budget"].copy()
    bu["spent_share"] = bu.realisasi / bu.pagu.where(bu.pagu > 0)
    frames["budget"] = bu
    return frames


def audit_frames(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Findings (every outcome, with status) for all reports in the frames."""
    frames = derived(_numeric(frames))
    outcomes = rules.evaluate(frames)
    frames["outcomes"] = outcomes.drop(columns=["cells"])
    results = gx.validate(frames)
    rows: list[dict[str, Any]] = []
    for res in results:
        if res.suite == "outcomes":
            rows += _outcome_findings(outcomes, res)
        else:
            rows += _table_findings(frames[res.table], res)
    for o in outcomes[outcomes.holds.isna()].to_dict("records"):
        rows.append(_row(o, "not checked", "info"))
    findings = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    order = findings.assign(
        _s=findings.status.map(_STATUS_ORDER), _v=findings.severity.map(_SEVERITY_ORDER),
        _c=findings.check.map({c: i for i, c in enumerate(rules.CHECKS)}))
    order = order.sort_values(["report_id", "_s", "_v", "_c"], kind="stable")
    return order.drop(columns=["_s", "_v", "_c"]).reset_index(drop=True)


#: A finding's columns: the contract's, and the cells it rests on (`rules.CellRef`s, for the
#: auditor's page; not stored: the store's `cells` and the finding's tables and pages say
#: the same to a query).
FINDING_COLUMNS = [*contract.COLUMNS["findings"], "cells"]


def _row(o: dict[str, Any], status: str, severity: str | None) -> dict[str, Any]:
    """A findings row from an outcome row."""
    out = {k: o.get(k) for k in FINDING_COLUMNS}
    out.update(status=status, severity=severity)
    return out


def _outcome_findings(outcomes: pd.DataFrame, res: gx.Result) -> list[dict[str, Any]]:
    failed = set(res.failed_index)
    rows = []
    for idx in res.checked_index:
        o = outcomes.loc[idx].to_dict()
        if idx in failed:
            override = o["severity_override"]
            rows.append(_row(o, "failed", override if isinstance(override, str)
                             else res.meta["severity"]))
        else:
            rows.append(_row(o, "held", None))
    return rows


def _table_findings(frame: pd.DataFrame, res: gx.Result) -> list[dict[str, Any]]:
    meta = res.meta
    rows = []
    failed = set(res.failed_index)
    value_col = meta.get("value")
    for idx in res.failed_index:
        r = frame.loc[idx]
        rows.append({
            "report_id": r.report_id, "check": meta["check"], "severity": meta["severity"],
            "status": "failed", "subject": f"{meta['title']}: Tabel {r.table_id} row {r.row}",
            "tables": str(r.table_id), "pages": str(r.page),
            "stated": r.get(value_col) if value_col else None, "computed": None,
            "difference": None, "formula": None, "message": meta["rule"],
            "cells": list(rules.cells_at("stated", r, value_col)) if value_col else []})
    held = frame.loc[[i for i in res.checked_index if i not in failed]]
    for rid, part in held.groupby("report_id", sort=False):
        rows.append({
            "report_id": rid, "check": meta["check"], "severity": None, "status": "held",
            "subject": meta["title"], "tables": ",".join(dict.fromkeys(map(str, part.table_id))),
            "pages": ",".join(map(str, sorted({int(p) for p in part.page}))),
            "stated": None, "computed": None, "difference": None, "formula": None,
            "message": f"{meta['rule']} ({len(part)} rows)", "cells": []})
    return rows


def is_nan(v: Any) -> bool:
    """Whether a value is the NaN pandas leaves in an empty cell."""
    return isinstance(v, float) and v != v


def audit(extractions: Iterable[Any]) -> list[dict[str, Any]]:
    """Findings records (contract columns) for a batch of extractions."""
    findings = audit_frames(frames_of(extractions))
    return [{k: (None if is_nan(v) else v) for k, v in rec.items()}
            for rec in findings.to_dict("records")]


def audit_failure(report_id: str, exc: BaseException) -> dict[str, Any]:
    """The one finding of a report whose audit as a whole raised (the rules are guarded one
    by one, see rules.evaluate; this is what is left: the suites themselves)."""
    outcome = rules.could_not_run(report_id, "audit", exc).row()
    return _row(outcome, "failed", "error")


def error_count(findings: Iterable[dict[str, Any]], level: str = "error") -> int:
    """Failed findings at or above a severity."""
    rank = contract.SEVERITIES.index(level)
    return sum(1 for f in findings if f["status"] == "failed" and f["severity"]
               and contract.SEVERITIES.index(f["severity"]) >= rank)
