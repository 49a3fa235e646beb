"""The output contract: the tables extraction produces and their columns, in order.

Column names are the contract with users (CSV headers, SQLite columns); columns may be added,
never renamed. A blank cell is null, never 0.
"""

from __future__ import annotations

PROVENANCE = ["report_id", "table_id", "table_part", "row", "page"]

COLUMNS: dict[str, list[str]] = {
    "report": ["report_id", "agency_id", "agency", "province", "year", "title", "source_file",
               "sha256", "pages", "flags", "agency_raw"],
    "tables": ["report_id", "table_id", "table_part", "title", "family", "pages", "rows",
               "engine", "verified", "flags"],
    "iku": PROVENANCE + [
        "sasaran", "indicator", "polarity", "value_kind",
        "target", "target_unit", "target_note", "realisasi", "realisasi_unit", "realisasi_note",
        "realisasi_labelled", "capaian_pct", "target_raw", "realisasi_raw", "capaian_raw",
        "has_realisasi_column", "flags"],
    "quarterly": PROVENANCE + [
        "sasaran", "indicator", "quarter", "value_kind", "target", "target_unit", "target_note",
        "realisasi", "realisasi_unit", "realisasi_note", "target_raw", "realisasi_raw", "flags"],
    "events": PROVENANCE + [
        "kind", "row_no", "group_no", "month", "place", "continues_previous", "date_start",
        "date_end", "date_note", "participants", "participants_unit", "participants_note",
        "funding", "activity", "no_raw", "month_raw", "place_raw", "date_raw",
        "participants_raw", "flags"],
    "budget": PROVENANCE + [
        "level", "name", "group", "pagu", "realisasi", "realisasi_pct", "avg_capaian_pct",
        "name_raw", "pagu_raw", "realisasi_raw", "realisasi_pct_raw", "avg_capaian_raw",
        "flags"],
    # A comparison over years: one row per indicator and figure column (Realisasi 2015,
    # Realisasi 2016, % Peningkatan, Target Akhir Renstra). period: the year, or "renstra"
    # for the plan's end; measure: target, realisasi, capaian, change or other.
    "comparison": PROVENANCE + [
        "sasaran", "indicator", "satuan", "column", "measure", "year", "period", "value_kind",
        "value", "value_unit", "value_note", "value_raw", "flags"],
    "stated_totals": ["report_id", "table_id", "table_part", "measure", "column",
                      "stated_value", "stated_unit", "stated_raw", "page", "flags"],
    # Figures the running text states (prose, tables cut out), with page and sentence;
    # measure "polarity" (no figure) is the text saying that for some indicators less is
    # better, in stated_raw the words that say it, subject the IKU indicator the sentence
    # names (none: it names none); qualifier "general" where it is said of realisasi at
    # large (a method chapter), else "named".
    "claims": ["report_id", "page", "measure", "stated_value", "stated_unit", "stated_raw",
               "subject", "qualifier", "heading", "sentence"],
    # One row per PDF page: the number printed on it (folio: "iii", "10"; none where no
    # neighbouring page confirms one) and whether it was read by OCR.
    "pages": ["report_id", "page", "folio", "ocr"],
    # Every table cell read by OCR, with Tesseract's confidence: the confidence of each value
    # (a value's row and column are the flags' "Tabel 2.3 row 5 col 4"; header and total
    # cells have no row). Text-layer cells have no confidence and are not listed.
    "ocr_cells": ["report_id", "table_id", "table_part", "row", "grid_row", "col", "page",
                  "text", "confidence", "flagged", "doubt"],
    # One row per check outcome: a failed check (a finding) or a check that held.
    # Every table as the grid lkj read, whatever its family (a table of no family lkj knows
    # is kept here, family "other"): one row per printed cell. row: the output's data row
    # (none for title, header, total and blank rows); grid_row, col from 1; kind: title,
    # header, total or body; text as printed (wrapped lines kept); the box in points from
    # the page's top left.
    "cells": ["report_id", "table_id", "table_part", "row", "grid_row", "col", "rowspan",
              "colspan", "page", "kind", "text", "x0", "top", "x1", "bottom", "split_by_text",
              "doubt"],
    "findings": ["report_id", "check", "severity", "status", "subject", "tables", "pages",
                 "stated", "computed", "difference", "formula", "message"],
}

#: Numeric columns per table (CSV readers convert these; everything else stays text).
NUMERIC: dict[str, tuple[str, ...]] = {
    "report": ("year", "pages"),
    "tables": ("table_part", "rows"),
    "iku": ("table_part", "row", "page", "target", "realisasi", "capaian_pct"),
    "quarterly": ("table_part", "row", "page", "quarter", "target", "realisasi"),
    "events": ("table_part", "row", "page", "row_no", "group_no", "participants"),
    "budget": ("table_part", "row", "page", "pagu", "realisasi", "realisasi_pct",
               "avg_capaian_pct"),
    "comparison": ("table_part", "row", "page", "year", "value"),
    "stated_totals": ("table_part", "page", "stated_value"),
    "claims": ("page", "stated_value"),
    "pages": ("page",),
    "ocr_cells": ("table_part", "row", "grid_row", "col", "page", "confidence"),
    "cells": ("table_part", "row", "grid_row", "col", "rowspan", "colspan", "page", "x0", "top",
              "x1", "bottom"),
    "findings": ("difference",),
}
#: Boolean columns, written as true/false.
BOOLEAN: dict[str, tuple[str, ...]] = {
    "tables": ("verified",), "iku": ("has_realisasi_column",),
    "events": ("continues_previous",), "pages": ("ocr",), "ocr_cells": ("flagged",),
    "cells": ("split_by_text",),
}

#: Severities of findings, least to most severe.
SEVERITIES = ["info", "warning", "error"]
#: Severity -> its place when findings are listed, the most severe first (0: error).
SEVERITY_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}

#: The tables `lkj extract` writes, in the order it lists them.
OUTPUT_TABLES = ["report", "tables", "iku", "quarterly", "events", "budget", "comparison",
                 "stated_totals", "claims", "pages", "ocr_cells", "cells"]
#: The tables that hold a report's data rows (a summary's "rows").
DATA_TABLES = ["iku", "quarterly", "events", "budget", "comparison", "stated_totals"]
