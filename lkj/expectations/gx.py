"""Running the expectation suites with great-expectations, once per batch of reports.

great_expectations is imported here only, when a check runs (it costs seconds to import).
Each suite is validated once over the concatenated tables of every report in the batch
(report_id is a column), never once per report.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pandas as pd

SUITES = ("outcomes", "tables")


@dataclass(frozen=True)
class Result:
    """One expectation's verdict over one table of the batch."""

    suite: str
    table: str
    meta: dict[str, Any]
    success: bool
    failed_index: list[Any]
    checked_index: list[Any]


def load_suite(name: str) -> dict[str, Any]:
    """A suite as stored in lkj/expectations/suites/NAME.json."""
    text = resources.files("lkj.expectations").joinpath("suites", f"{name}.json").read_text(
        encoding="utf-8")
    return json.loads(text)


def _quiet() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    for name in ("great_expectations", "great_expectations.core", "py.warnings"):
        logging.getLogger(name).setLevel(logging.ERROR)


def validate(frames: dict[str, pd.DataFrame]) -> list[Result]:
    """Validate every suite against its tables; the frames hold the whole batch."""
    _quiet()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        source = context.data_sources.add_pandas("lkj")
        results: list[Result] = []
        for suite_name in SUITES:
            spec = load_suite(suite_name)
            by_table: dict[str, list[dict]] = {}
            for exp in spec["expectations"]:
                by_table.setdefault(exp["meta"].get("table", suite_name), []).append(exp)
            for table, expectations in by_table.items():
                frame = frames.get(table)
                if frame is None or frame.empty:
                    continue
                frame = frame.reset_index(drop=True)
                asset = source.add_dataframe_asset(f"{suite_name}-{table}")
                batch = asset.add_batch_definition_whole_dataframe("batch").get_batch(
                    batch_parameters={"dataframe": frame})
                suite = gx.ExpectationSuite(name=f"{spec['name']}-{table}")
                for exp in expectations:
                    cls = _expectation_class(gx, exp["type"])
                    suite.add_expectation(cls(**exp["kwargs"], meta=exp["meta"]))
                outcome = batch.validate(suite, result_format={
                    "result_format": "COMPLETE", "unexpected_index_column_names": []})
                for res, exp in zip(outcome.results, expectations, strict=True):
                    failed = list(res.result.get("unexpected_index_list") or [])
                    failed = [i if not isinstance(i, dict) else next(iter(i.values()))
                              for i in failed]
                    checked = _rows_in_scope(frame, exp["kwargs"])
                    results.append(Result(suite_name, table, exp["meta"], bool(res.success),
                                          failed, checked))
    return results


def _expectation_class(gx: Any, type_name: str) -> Any:
    """expect_column_values_to_be_in_set -> gx.expectations.ExpectColumnValuesToBeInSet."""
    name = "".join(part.capitalize() for part in type_name.split("_"))
    return getattr(gx.expectations, name)


def _rows_in_scope(frame: pd.DataFrame, kwargs: dict[str, Any]) -> list[Any]:
    """Row indexes an expectation looked at: its row_condition, non-null column values."""
    scope = frame
    if kwargs.get("row_condition"):
        scope = frame.query(kwargs["row_condition"], engine="python")
    column = kwargs.get("column")
    if column in scope:
        scope = scope[scope[column].notna()]
    return list(scope.index)
