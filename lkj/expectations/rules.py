"""The audit rules: what a report states, against what its own figures give.

Pure functions over the normalised tables of one or many reports (pandas DataFrames with a
report_id column). Each rule yields outcome rows, one per statement checked, held or not:
check, subject, tables, pages, stated, computed, difference, formula, message, holds. The
great-expectations suites (`lkj/expectations/suites/`) then decide which outcomes are
findings and how severe; nothing here knows any particular report's figures.
"""

from __future__ import annotations

import math
import re
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lkj.extract.confidence import doubted
from lkj.extract.normalise import AFTER_TOTAL
from lkj.extract.numbers import decimals, display_number
from lkj.extract.split import mark_kind, unmarked
from lkj.schemas import families, registry
from lkj.schemas.families import content_tokens
from lkj.text import counted, page_list

#: Token-set similarity above which two indicator names are the same indicator.
SAME_INDICATOR_JACCARD = 0.75


#: A cell a statement rests on, as the page prints it: ("stated" or "from", table id, table
#: part, the output's data row or None for the table's total row, the cell's text as the
#: output's `*_raw` column holds it). The stated figure is one colour on the auditor's page,
#: the figures it is computed from another.
CellRef = tuple[str, str, int, "int | None", str]


def cells_at(role: str, rows: Any, raw_col: str) -> tuple[CellRef, ...]:
    """The cells printing rows' `raw_col` (rows: a frame, a row or a record), as `role`."""
    if isinstance(rows, pd.DataFrame):
        items = rows.to_dict("records")
    elif isinstance(rows, pd.Series):
        items = [rows.to_dict()]
    elif hasattr(rows, "_asdict"):
        items = [rows._asdict()]
    else:
        items = [dict(rows)]
    out = []
    for r in items:
        raw = r.get(raw_col)
        if not isinstance(raw, str) or not raw.strip():
            continue
        row, part = _val(r.get("row")), _val(r.get("table_part"))
        out.append((role, str(r["table_id"]), int(part) if part is not None else 1,
                    int(row) if row is not None else None, raw))
    return tuple(out)


@dataclass
class Outcome:
    """One statement checked: held or not, with everything an auditor needs to find it."""

    report_id: str
    check: str
    subject: str
    tables: str
    pages: str
    stated: Any
    computed: Any
    holds: bool | None  # None: could not be checked (said why in the message)
    message: str
    formula: str | None = None
    severity: str | None = None  # overrides the suite's severity for this outcome
    #: The cells the statement rests on (`CellRef`s): the auditor's page outlines them.
    cells: tuple[CellRef, ...] = ()

    def row(self) -> dict[str, Any]:
        diff = None
        if _is_num(self.stated) and _is_num(self.computed):
            diff = _round(float(self.stated) - float(self.computed), 6)
        return {"report_id": self.report_id, "check": self.check, "subject": self.subject,
                "tables": self.tables, "pages": self.pages, "stated": _plain(self.stated),
                "computed": _plain(self.computed), "difference": diff,
                "formula": self.formula, "message": self.message, "holds": self.holds,
                "severity_override": self.severity, "cells": list(self.cells)}


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)) \
        and not isinstance(v, bool)


def _plain(v: Any) -> Any:
    if _is_num(v):
        f = float(v)
        return int(f) if f.is_integer() else _round(f, 6)
    return v


def _round(v: float, nd: int) -> float:
    return float(round(v, nd))


def _val(v: Any) -> float | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _values(column: Iterable[Any]) -> list[float]:
    """The numbers of a column, blanks left out. (pandas' own `map` would turn the blanks
    back into NaN, which `is not None` lets through and every sum then carries.)"""
    return [v for v in map(_val, column) if v is not None]


def reproduces(stated: float, computed: float, raw: str | None) -> bool:
    """True when the computed figure, rounded or cut to the printed decimals, is the stated one."""
    if not (math.isfinite(stated) and math.isfinite(computed)):
        return False
    nd = decimals(raw or f"{stated}", "percent")
    nd = 2 if nd is None else nd
    scale = 10 ** nd
    rounded = math.floor(computed * scale + 0.5) / scale
    cut = math.trunc(computed * scale) / scale
    return any(abs(stated - x) < 0.5 / scale / 1000 + 1e-9 for x in (rounded, cut))


def _tables(*ids: Any) -> str:
    return ",".join(dict.fromkeys(str(i) for i in ids if i is not None))


# ---------------------------------------------------------------------------------------
# Indicators: the same indicator under different wordings within one report
# ---------------------------------------------------------------------------------------

def same_indicator(a: str, b: str) -> bool:
    """Two wordings name one indicator: one's content words contain the other's, or
    they share most of them. An item of a list (qualified_indicators: "heading :: item")
    is one indicator with another item only under the same heading and by the same words,
    and with a wording of its own only where that names the item too."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    (ha, _, ia), (hb, _, ib) = a.partition(ITEM_OF), b.partition(ITEM_OF)
    if ia and ib:
        return content_tokens(ia) == content_tokens(ib) and same_indicator(ha, hb)
    if ia or ib:
        item, whole = (ia, b) if ia else (ib, a)
        if not content_tokens(item) <= content_tokens(whole):
            return False
        a, b = a.replace(ITEM_OF, " "), b.replace(ITEM_OF, " ")
    ta, tb = content_tokens(a), content_tokens(b)
    if not ta or not tb:
        return False
    if ta <= tb or tb <= ta:
        return True
    return len(ta & tb) / len(ta | tb) >= SAME_INDICATOR_JACCARD


def indicator_groups(names: Iterable[str]) -> dict[str, int]:
    """Group wordings into indicators: name -> group number (first wording seen first).

    The alias registry decides first (lkj/schemas/registry.py: exact or contained alias, the
    same canonical id across years); a wording it does not know joins the group of a wording
    with the same content words, or starts its own."""
    groups: list[list[str]] = []
    ids: list[str | None] = []
    out: dict[str, int] = {}
    for name in names:
        if name in out or not isinstance(name, str):  # a sasaran's own row: no indicator
            continue
        known, how = registry.match_indicator(name)
        known = known if how in ("exact", "contains") else None
        for i, members in enumerate(groups):
            if (known is not None and ids[i] == known) or (
                    (known is None or ids[i] is None)
                    and any(same_indicator(name, m) for m in members)):
                members.append(name)
                ids[i] = ids[i] or known
                out[name] = i
                break
        else:
            groups.append([name])
            ids.append(known)
            out[name] = len(groups) - 1
    return out


def lower_is_better(name: str) -> str | None:
    """Where it is stated that lower is better for this indicator ("the indicator's registry
    entry", "its name"), else None: the registry's polarity for a known indicator, else the
    name's own words (menurun, ...)."""
    known, how = registry.match_indicator(name)
    if known is not None and how in ("exact", "contains"):
        ind = registry.indicator(known)
        if ind is not None:
            return "the indicator's registry entry" if ind.polarity == "lower_is_better" \
                else None
    return "its name" if families.is_lower_better(name) else None


#: A row that heads a list of items ("1.1 Jumlah produksi :"): it ends with a colon.
_LIST_HEADING = re.compile(r":\s*$")
#: Between a list's heading and an item in a qualified indicator name.
ITEM_OF = " :: "


def qualified_indicators(frame: pd.DataFrame) -> pd.Series:
    """Each row's indicator as it is meant: an item of a list ("- Daging" under "1.1 Jumlah
    produksi :") is named with its heading ("Jumlah produksi :: Daging"), so that items of
    one name under different headings (production in tons, the share that meets a standard
    in %) are not one indicator. A list runs from a row that ends with a colon to the next
    such row, a row numbered as an indicator of its own ("2.2 ..."), or another sasaran;
    list marks are the ones rows are split at (lkj.extract.split)."""
    out = frame["indicator"].astype(object).copy()
    if frame.empty:
        return out
    for _, rows in frame.groupby(["report_id", "table_id"], sort=False):
        heading, sasaran = None, None
        for row in rows.sort_values("row", kind="stable").itertuples():
            name = row.indicator
            if str(row.sasaran) != str(sasaran):
                heading, sasaran = None, row.sasaran
            if not isinstance(name, str):
                continue
            if _LIST_HEADING.search(name):
                heading = unmarked(name).rstrip(" :")
            elif heading and mark_kind(name) != "number":
                out[row.Index] = f"{heading}{ITEM_OF}{unmarked(name)}"
            else:
                heading = None
    return out


def with_indicator_groups(iku: pd.DataFrame, quarterly: pd.DataFrame,
                          claims: pd.DataFrame | None = None) -> tuple[pd.DataFrame,
                                                                      pd.DataFrame]:
    """Add `indicator_group` (per report) and the group's polarity to IKU and quarterly rows:
    `group_lower_is_better` and `group_polarity_by` (where that is stated: a sentence of the
    report's text that names the indicator, as extraction flagged it, the registry, the
    name), and `text_lower_formula`: the first page whose text says that for some
    indicators less is better without naming them (a method chapter), else None."""
    iku, quarterly = iku.copy(), quarterly.copy()
    iku["indicator_group"] = None
    quarterly["indicator_group"] = None
    qualified = {id(frame): qualified_indicators(frame) for frame in (iku, quarterly)}
    for rid in set(iku["report_id"]) | set(quarterly["report_id"]):
        names = list(qualified[id(iku)][iku.report_id == rid]) + \
            list(qualified[id(quarterly)][quarterly.report_id == rid])
        groups = indicator_groups(names)
        for frame in (iku, quarterly):
            mask = frame.report_id == rid
            frame.loc[mask, "indicator_group"] = qualified[id(frame)][mask].map(groups)
    lower: dict[tuple, str] = {}
    for r, g, ind, flags in zip(iku.report_id, iku.indicator_group, iku.indicator, iku["flags"],
                                strict=True):
        if (r, g) in lower:
            continue
        if (page := families.polarity_stated_on(flags)) is not None:
            lower[(r, g)] = f"the report's text (page {page})"
        elif isinstance(ind, str) and (said := lower_is_better(ind)):
            lower[(r, g)] = said
    general = _said_of_realisasi_at_large(claims)
    keys = list(zip(iku.report_id, iku.indicator_group, strict=True))
    iku["group_lower_is_better"] = [k in lower for k in keys]
    iku["group_polarity_by"] = [lower.get(k) for k in keys]
    iku["text_lower_formula"] = [general.get(r) for r in iku.report_id]
    return iku, quarterly


def _said_of_realisasi_at_large(claims: pd.DataFrame | None) -> dict[str, int]:
    """Per report, the first page whose text says that for some indicators less is better,
    of realisasi at large and naming none (claims of measure polarity, qualifier general,
    no subject: a method chapter)."""
    if claims is None or claims.empty:
        return {}
    said = claims[(claims.measure == "polarity") & (claims.qualifier == "general")
                  & claims.subject.isna()]
    return {rid: int(min(pages)) for rid, pages in said.groupby("report_id").page}


def reference_rows(iku: pd.DataFrame) -> pd.DataFrame:
    """Per report and indicator, the first row in document order that states a realisasi
    (the summary table, as LKj put it first); else the first row at all."""
    ordered = iku.sort_values(["report_id", "page", "table_id", "row"], kind="stable")
    has_real = ordered[ordered.realisasi.map(_val).notna()]
    first_real = has_real.groupby(["report_id", "indicator_group"], sort=False).head(1)
    first_any = ordered.groupby(["report_id", "indicator_group"], sort=False).head(1)
    missing = first_any.set_index(["report_id", "indicator_group"]).index.difference(
        first_real.set_index(["report_id", "indicator_group"]).index)
    extra = first_any.set_index(["report_id", "indicator_group"]).loc[missing].reset_index()
    return pd.concat([first_real, extra], ignore_index=True)


# ---------------------------------------------------------------------------------------
# OCR: a check failing on cells OCR was unsure of may be a misreading, not a misprint
# ---------------------------------------------------------------------------------------

def ocr_doubts(rows: pd.DataFrame, columns: dict[str, str]) -> list[str]:
    """The cells among `rows` that OCR was unsure of, for the given value columns
    ({value column: raw column}): 'row 5 participants '2O Orang''."""
    out = []
    for row in rows.itertuples():
        for col in sorted(doubted(getattr(row, "flags", None), columns)):
            raw = getattr(row, columns[col], None)
            where = f"row {int(row.row)}" if _val(getattr(row, "row", None)) else "total"
            out.append(f"Tabel {row.table_id} {where} {col} {raw!r}")
    return out


#: Row flags that say the row's structure is in doubt: read from the text, not from
#: rulings, or a capaian printed once for several indicators.
STRUCTURE_FLAGS = ("split_by_text", families.MERGED_CAPAIAN)


def structure_doubts(rows: pd.DataFrame) -> list[str]:
    """The rows among `rows` whose structure is in doubt: 'Tabel 4 row 3 (split_by_text)'."""
    out = []
    for row in rows.itertuples():
        said = [f for f in str(getattr(row, "flags", "") or "").split("; ")
                if f in STRUCTURE_FLAGS]
        if said:
            where = f"row {int(row.row)}" if _val(getattr(row, "row", None)) else "total"
            out.append(f"Tabel {row.table_id} {where} ({', '.join(said)})")
    return out


def glyph_doubts(rows: pd.DataFrame) -> list[str]:
    """The rows among `rows` read from cells whose characters are drawn over each other
    (two strings printed at one place): 'characters drawn over each other in Tabel 4 row
    3'."""
    out = []
    for row in rows.itertuples():
        if families.GLYPHS_OVERLAP in str(getattr(row, "flags", "") or "").split("; "):
            where = f"row {int(row.row)}" if _val(getattr(row, "row", None)) else "total"
            out.append(f"characters drawn over each other in Tabel {row.table_id} {where}")
    return out


def _with_doubts(outcome: Outcome, doubts: list[str], structure: list[str] = (),
                 other: list[str] = ()) -> Outcome:
    """A failed outcome that rests on doubted OCR cells, on rows whose structure was read
    from the text's alignment, or on other readings in doubt (`other`, each saying what):
    said so, and only a warning."""
    if outcome.holds is False and doubts:
        outcome.message += ("; possibly an OCR misreading (low confidence): "
                            + ", ".join(doubts[:6]) + (" ..." if len(doubts) > 6 else ""))
        outcome.severity = "warning"
        outcome.formula = (outcome.formula or "") + " [OCR]" if outcome.formula else "[OCR]"
    if outcome.holds is False and structure:
        outcome.message += ("; the reading is in doubt: rows read from the text's alignment "
                            "inside one ruled row: " + ", ".join(structure[:6])
                            + (" ..." if len(structure) > 6 else ""))
        outcome.severity = "warning"
    if outcome.holds is False and other:
        outcome.message += ("; the reading is in doubt: " + "; ".join(other[:6])
                            + (" ..." if len(other) > 6 else ""))
        outcome.severity = "warning"
    return outcome


def _with_quarter_doubt(outcome: Outcome, rows: pd.DataFrame) -> Outcome:
    """A failed quarters outcome on rows whose quarters are as read from headers that name a
    quarter twice or out of order (`quarter:header_uncertain`): the sum may be of the wrong
    columns, so it is said, and only a warning."""
    if outcome.holds is False and any("quarter:header_uncertain" in str(f or "")
                                      for f in rows.get("flags", [])):
        outcome.message += (f"; the quarter headers of Tabel {rows.iloc[0].table_id} are "
                            "uncertain (see its flags): quarters as read")
        outcome.severity = "warning"
    return outcome


# ---------------------------------------------------------------------------------------
# 1. Stated totals
# ---------------------------------------------------------------------------------------

def check_totals(t: dict[str, pd.DataFrame]) -> Iterator[Outcome]:
    """Every TOTAL / JUMLAH figure against what the rows of its table add up to."""
    events, budget = t["events"], t["budget"]
    for s in t["stated_totals"].itertuples():
        stated = _val(s.stated_value)
        ev = events[(events.report_id == s.report_id) & (events.table_id == s.table_id)]
        bu = budget[(budget.report_id == s.report_id) & (budget.table_id == s.table_id)]
        subject = f"Tabel {s.table_id} {s.measure}"
        if s.measure == "participants" and len(ev):
            computed = sum(_values(ev.participants))
            formula = f"sum of {len(ev)} rows"
            rows = ev
        elif s.measure == "locations" and len(ev):
            new_places = ev[~ev.continues_previous.map(_truthy)]
            computed = len(new_places)
            formula = (f"{len(ev)} rows, less {len(ev) - len(new_places)} that continue the "
                       "place above")
            rows = ev
        elif s.measure == families.MEAN_PCT and len(bu):
            yield _stated_mean(s, bu)
            continue
        elif s.measure in ("pagu", "realisasi") and len(bu):
            rows = top_lines(bu)
            computed = sum(_values(rows[s.measure]))
            formula = f"sum of {len(rows)} budget lines" + (
                f" ({rows['level'].iloc[0]}, the top level)" if len(rows) < len(bu) else "")
        else:
            yield Outcome(s.report_id, "totals", subject, _tables(s.table_id), page_list(s.page),
                          stated, None, None, f"no rows of measure {s.measure!r} to add up")
            continue
        holds = stated is not None and abs(stated - computed) < 1e-6
        msg = (f"stated {s.stated_raw!r}; the rows give {_fmt(computed)}" if not holds
               else f"{s.stated_raw!r} = {formula}")
        value_col = {"participants": "participants_raw", "pagu": "pagu_raw",
                     "realisasi": "realisasi_raw"}.get(s.measure)
        on = cells_at("stated", s, "stated_raw") + cells_at(
            "from", rows, value_col or "place_raw")
        doubts = ocr_doubts(rows, {s.measure: value_col}) if value_col else []
        doubts += ocr_doubts(pd.DataFrame([{"table_id": s.table_id, "row": None,
                                            "flags": s.flags, "stated_raw": s.stated_raw}]),
                             {"stated_value": "stated_raw"})
        other = unread_figures(rows, s.measure, value_col) + glyph_doubts(rows) + glyph_doubts(
            pd.DataFrame([{"table_id": s.table_id, "row": None, "flags": s.flags}]))
        if s.measure in ("pagu", "realisasi") and rows is not bu:
            below = bu[bu["flags"].map(_after_total)]
            if len(below):  # lines under a total row whose place in the sum is not known
                other.append(f"Tabel {s.table_id}: {counted(len(below), 'line')} below a "
                             "total row, of levels lkj cannot tell apart")
        yield _with_doubts(Outcome(s.report_id, "totals", subject, _tables(s.table_id),
                                page_list(s.page, rows.page), stated, computed, holds, msg,
                                formula, cells=on), doubts, structure_doubts(rows), other)
    yield from check_hierarchy(budget)


def _stated_mean(s: Any, lines: pd.DataFrame) -> Outcome:
    """A Rata-Rata line's % against the mean of its table's budget %: of every line, of the
    top level's, or of the deepest level's (a report does not say which lines it averaged).
    None reproducing it is a warning, not an error: the basis of a mean is not printed."""
    bases = {"every line": lines, "the top level": top_lines(lines),
             "the deepest level": lines[lines["level"].map(LEVEL_RANK)
                                        == lines["level"].map(LEVEL_RANK).max()]}
    stated = _val(s.stated_value)
    tries = {}
    for name, rows in bases.items():
        pcts = _values(rows.realisasi_pct)
        if pcts:
            tries.setdefault(f"mean of the % of {counted(len(pcts), 'line')} ({name})",
                             (sum(pcts) / len(pcts), rows))
    subject = f"Tabel {s.table_id} rata-rata %"
    where = _tables(s.table_id)
    if stated is None or not tries:
        return Outcome(s.report_id, "totals", subject, where, page_list(s.page), stated, None,
                       None, "no budget % to average")
    hit = next((k for k, (v, _) in tries.items() if reproduces(stated, v, s.stated_raw)), None)
    formula = hit or next(iter(tries))
    computed, rows = tries[formula]
    msg = (f"{s.stated_raw!r} = {formula}" if hit else
           f"stated {s.stated_raw!r}; " + "; ".join(f"{k} = {_fmt(round(v, 4))}"
                                                     for k, (v, _) in tries.items()))
    return Outcome(s.report_id, "totals", subject, where, page_list(s.page, rows.page),
                   stated, computed, hit is not None, msg, formula,
                   severity=None if hit else "warning",
                   cells=cells_at("stated", s, "stated_raw")
                   + cells_at("from", rows, "realisasi_pct_raw"))


def unread_figures(rows: pd.DataFrame, measure: str, raw_col: str | None) -> list[str]:
    """The rows whose figure is printed but was not read as a number ('1,011.080.000'): a
    sum without them is in doubt, never an error by itself."""
    if not raw_col or measure not in rows or raw_col not in rows:
        return []
    out = []
    for row in rows.itertuples():
        raw = getattr(row, raw_col)
        if isinstance(raw, str) and any(ch.isdigit() for ch in raw) \
                and _val(getattr(row, measure)) is None:
            out.append(f"Tabel {row.table_id} row {int(row.row)} {raw!r} not read as a number")
    return out


#: Budget levels from the top down (lkj.schemas.families.BUDGET_LEVELS, deepest first).
LEVEL_RANK = {level: i for i, (level, _) in enumerate(reversed(families.BUDGET_LEVELS))}


def top_lines(lines: pd.DataFrame) -> pd.DataFrame:
    """The lines of a budget table its figures add up over: where it lists lines of several
    levels (programs and their kegiatan), those of the top level; the others are parts of
    them (check_hierarchy)."""
    ranks = lines["level"].map(LEVEL_RANK)
    if ranks.nunique() > 1:
        return lines[ranks == ranks.min()]
    return lines


def check_hierarchy(budget: pd.DataFrame) -> Iterator[Outcome]:
    """A program's pagu and realisasi are the sums of its kegiatan (a kegiatan's, of its sub
    kegiatan): the lines one level down below it, up to the next line of its level or
    above, or a total row between them."""
    for (rid, tid), lines in budget.groupby(["report_id", "table_id"], sort=False):
        ordered = list(lines.sort_values("row", kind="stable").itertuples())
        for i, parent in enumerate(ordered):
            rank = LEVEL_RANK.get(parent.level)
            if rank is None:
                continue
            children = []
            for line in ordered[i + 1:]:
                below = LEVEL_RANK.get(line.level)
                if below is None or below <= rank \
                        or _after_total(line.flags) != _after_total(parent.flags):
                    break
                if below == rank + 1:
                    children.append(line)
            if not children:
                continue
            parts = lines.loc[[c.Index for c in children]]
            both = lines.loc[[parent.Index, *parts.index]]
            level = children[0].level.replace("_", " ")
            for measure in ("pagu", "realisasi"):
                stated = _val(getattr(parent, measure))
                values = [_val(getattr(c, measure)) for c in children]
                if stated is None or any(v is None for v in values):
                    continue
                computed = sum(values)
                holds = abs(stated - computed) < 1e-6
                raw = getattr(parent, f"{measure}_raw")
                its = f"its {counted(len(children), f'{level} line')}"
                msg = (f"{raw!r} = the sum of {its}" if holds
                       else f"stated {raw!r}; {its} add up to {_fmt(computed)}")
                yield _with_doubts(Outcome(
                    rid, "totals", f"Tabel {tid} {parent.name}: {measure}", _tables(tid),
                    page_list(both.page), stated, computed, holds, msg,
                    f"sum of its {level} lines",
                    cells=cells_at("stated", parent, f"{measure}_raw")
                    + cells_at("from", parts, f"{measure}_raw")),
                    ocr_doubts(both, {measure: f"{measure}_raw"}), structure_doubts(both),
                    glyph_doubts(both))


def _after_total(flags: Any) -> bool:
    """Whether a budget line's flags say it is printed below a total row."""
    return AFTER_TOTAL in str(flags or "").split("; ")


def _truthy(v: Any) -> bool:
    return v is True or str(v).lower() == "true"


def _fmt(v: Any) -> str:
    return display_number(v) or "-"


# ---------------------------------------------------------------------------------------
# 2. Capaian
# ---------------------------------------------------------------------------------------

def _labelled(text: Any) -> dict[int, float]:
    out = {}
    for part in str(text or "").split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            if k.strip().isdigit():
                out[int(k)] = float(v)
    return out


def capaian_candidates(row: Any, lower: bool) -> dict[str, float]:
    """Formulas that could give this row's capaian, by polarity (domain.md)."""
    t, r = _val(row.target), _val(row.realisasi)
    out: dict[str, float] = {}
    years = _labelled(row.realisasi_labelled)
    same_unit = comparable_units(row.target_unit, row.realisasi_unit, row.value_kind) \
        and len(years) < 2
    if t == 0 and r == 0 and same_unit:  # nothing was to happen and nothing did: met
        out["target and realisasi both 0: met"] = 100.0
    if t and r is not None and same_unit:
        out["realisasi / target x 100"] = r / t * 100
        if lower:
            out["(2 - realisasi / target) x 100"] = (2 - r / t) * 100
            if r:
                out["target / realisasi x 100"] = t / r * 100
    if lower and len(years) >= 2:
        last, prev = sorted(years)[-1], sorted(years)[-2]
        if years[prev]:
            change = (years[last] - years[prev]) / years[prev] * 100
            if t:
                out["fall achieved / target fall x 100"] = -change / t * 100
            out[f"year-on-year change ({last} vs {prev})"] = change
    return out


def comparable_units(a: Any, b: Any, kind: Any = None) -> bool:
    """Two figures can be compared: same unit, or one has none and nothing says otherwise
    (a score printed once as '82' and once as '88.73%' is one scale)."""
    ua, ub = _unit_class(a), _unit_class(b)
    if ua == ub:
        return True
    if None in (ua, ub):
        other = ua or ub
        return kind == "score" or other != "%"
    return False


def _unit_class(unit: Any) -> str | None:
    if unit is None or (isinstance(unit, float) and math.isnan(unit)) or unit == "":
        return None
    u = str(unit).lower()
    if u == "%":
        return "%"
    if u in families.MONEY_UNITS:
        return "rp"
    return "count"


def check_capaian(iku: pd.DataFrame) -> Iterator[Outcome]:
    """Every stated capaian against realisasi / target under the indicator's polarity."""
    for row in iku.itertuples():
        stated = _val(row.capaian_pct)
        if stated is None:
            continue
        lower = bool(row.group_lower_is_better)
        subject = f"{row.indicator} (Tabel {row.table_id})"
        where = (_tables(row.table_id), page_list(row.page))
        on = cells_at("stated", row, "capaian_raw") + cells_at("from", row, "target_raw") \
            + cells_at("from", row, "realisasi_raw")
        t = _val(row.target)
        cands = capaian_candidates(row, lower)
        if t == 0:
            met = [n for n, v in cands.items() if reproduces(stated, v, row.capaian_raw)]
            if met:
                yield Outcome(row.report_id, "capaian", subject, *where, stated, 100.0, True,
                              f"{row.capaian_raw!r}: {met[0]}", met[0], cells=on)
            else:
                yield Outcome(row.report_id, "capaian", subject, *where, stated, None, False,
                              f"capaian {row.capaian_raw!r} stated against a target of 0: "
                              "no formula gives a capaian from a zero target", cells=on)
            continue
        if not cands:
            if _val(row.realisasi) is None or t is None:
                lacking = "realisasi" if _val(row.realisasi) is None else "target"
                yield Outcome(row.report_id, "capaian", subject, *where, stated, None, None,
                              f"capaian {row.capaian_raw!r} stated with no {lacking} figure "
                              "read beside it", cells=on)
            else:
                yield Outcome(row.report_id, "capaian", subject, *where, stated, None, False,
                              f"capaian {row.capaian_raw!r} cannot be recomputed: target and "
                              f"realisasi are in different units ({row.target_raw!r} vs "
                              f"{row.realisasi_raw!r})", severity="warning", cells=on)
            continue
        main = next(iter(cands))
        hits = [name for name, v in cands.items() if reproduces(stated, v, row.capaian_raw)]
        capaian_hits = [h for h in hits if not h.startswith("year-on-year")]
        r = _val(row.realisasi)
        inferred = [] if lower or capaian_hits else [
            name for name, v in capaian_candidates(row, True).items()
            if name not in cands and not name.startswith("year-on-year")
            and reproduces(stated, v, row.capaian_raw)]
        if capaian_hits:
            said = f" (lower is better: {row.group_polarity_by})" \
                if lower and capaian_hits[0] != main else ""
            yield Outcome(row.report_id, "capaian", subject, *where, stated,
                          _round(cands[capaian_hits[0]], 4), True,
                          f"{row.capaian_raw!r} = {capaian_hits[0]}{said}", capaian_hits[0],
                          cells=on)
        elif inferred:
            # lower is better fits: a polarity inferred, never an error; it holds where the
            # report's text says some indicators are lower-is-better without naming them
            value = capaian_candidates(row, True)[inferred[0]]
            page = _val(row.text_lower_formula)
            said = (f"lower is better, as the report's text says of some indicators (page "
                    f"{int(page)}) without naming them; that this is one of them is inferred "
                    f"from the fit" if page is not None else "reproduced if lower is better, "
                    "which neither the indicator's name nor the registry states (polarity "
                    "inferred from the fit")
            yield Outcome(row.report_id, "capaian", subject, *where, stated,
                          _round(value, 4), page is not None,
                          f"{row.capaian_raw!r} = {inferred[0]}: {said}"
                          f"{' (' if page is not None else '; '}{main} gives "
                          f"{cands[main]:.2f})", inferred[0],
                          severity=None if page is not None else "warning", cells=on)
        elif hits:
            yield Outcome(row.report_id, "capaian", subject, *where, stated,
                          _round(cands[main], 4), False,
                          f"the capaian column states {row.capaian_raw!r}, which is the "
                          f"{hits[0]}, not a capaian; {main} gives {cands[main]:.2f}",
                          hits[0], severity="warning", cells=on)
        elif r is not None and reproduces(stated, r, row.capaian_raw) and lower:
            yield Outcome(row.report_id, "capaian", subject, *where, stated,
                          _round(cands[main], 4), False,
                          f"the capaian column repeats the realisasi {row.realisasi_raw!r}; "
                          f"{main} gives {cands[main]:.2f}", "realisasi itself",
                          severity="warning", cells=on)
        else:
            tried = "; ".join(f"{k} = {v:.2f}" for k, v in cands.items())
            one = pd.DataFrame([row._asdict()])
            doubts = ocr_doubts(one, {"target": "target_raw", "realisasi": "realisasi_raw",
                                      "capaian_pct": "capaian_raw"})
            yield _with_doubts(Outcome(row.report_id, "capaian", subject, *where, stated,
                                    _round(cands[main], 4), False,
                                    f"stated {row.capaian_raw!r} ({row.realisasi_raw} of "
                                    f"{row.target_raw}); no formula reproduces it: {tried}",
                                    main, cells=on), doubts, structure_doubts(one),
                               glyph_doubts(one))


# ---------------------------------------------------------------------------------------
# 3. One indicator, one story
# ---------------------------------------------------------------------------------------

def check_consistency(iku: pd.DataFrame) -> Iterator[Outcome]:
    """The same indicator's target, realisasi and capaian in every table that states them."""
    ordered = iku.sort_values(["report_id", "page", "table_id", "row"], kind="stable")
    for (rid, _), rows in ordered.groupby(["report_id", "indicator_group"], sort=False):
        name = rows.iloc[0].indicator
        for field, unit_col, raw_col in (("target", "target_unit", "target_raw"),
                                         ("realisasi", "realisasi_unit", "realisasi_raw"),
                                         ("capaian_pct", None, "capaian_raw")):
            stating = rows[rows[field].map(_val).notna()]
            if len(stating) < 2:
                continue
            ref = stating.iloc[0]
            label = field.replace("_pct", "")
            for other in stating.iloc[1:].itertuples():
                a, b = _val(ref[field]), _val(getattr(other, field))
                if field == "target" and 0 in (a, b):
                    continue  # a zero target is the plausibility check's to report
                comparable = not unit_col or comparable_units(
                    ref[unit_col], getattr(other, unit_col), ref.value_kind)
                holds = abs(a - b) < 1e-9
                where = (_tables(ref.table_id, other.table_id), page_list(ref.page, other.page))
                subject = f"{name}: {label}"
                if holds:
                    msg = f"Tabel {ref.table_id} and {other.table_id} agree ({ref[raw_col]!r})"
                else:
                    msg = (f"Tabel {other.table_id} states {getattr(other, raw_col)!r}, "
                           f"Tabel {ref.table_id} states {ref[raw_col]!r}")
                    if not comparable:
                        msg += " (different units)"
                yield Outcome(rid, "consistency", subject, *where, b, a, holds, msg,
                              severity=None if comparable or holds else "warning",
                              cells=cells_at("stated", other, raw_col)
                              + cells_at("from", ref, raw_col))


# ---------------------------------------------------------------------------------------
# 4. Quarters against the year
# ---------------------------------------------------------------------------------------

def check_quarters(iku: pd.DataFrame, quarterly: pd.DataFrame) -> Iterator[Outcome]:
    """Counts: the four quarters add up to the year. Scores: the last quarter is the year."""
    refs = reference_rows(iku).set_index(["report_id", "indicator_group"])
    for (rid, group), rows in quarterly.groupby(["report_id", "indicator_group"], sort=False):
        if (rid, group) not in refs.index:
            continue
        ref = refs.loc[(rid, group)]
        name = rows.iloc[0].indicator
        kind = rows.iloc[0].value_kind
        qt = rows.iloc[0].table_id
        for field in ("target", "realisasi"):
            annual = _val(ref[field])
            if annual is None:
                continue
            values = [(int(q), _val(v)) for q, v in zip(rows.quarter, rows[field], strict=True)]
            stated_q = [(q, v) for q, v in values if v is not None]
            where = (_tables(qt, ref.table_id), page_list(rows.page, ref.page))
            subject = f"{name}: {field} by quarter"
            on = cells_at("stated", ref, f"{field}_raw") + cells_at("from", rows, f"{field}_raw")
            if kind == "count":
                computed = sum(v for _, v in stated_q)
                holds = abs(computed - annual) < 1e-9
                detail = " + ".join(_fmt(v) for _, v in stated_q)
                msg = (f"quarters {detail} = {_fmt(computed)}; Tabel {ref.table_id} states "
                       f"{ref[field + '_raw']!r}")
                doubts = ocr_doubts(rows, {field: f"{field}_raw"}) + ocr_doubts(
                    pd.DataFrame([ref]), {field: f"{field}_raw"})
                yield _with_quarter_doubt(_with_doubts(Outcome(
                    rid, "quarters", subject, *where, annual, computed, holds, msg,
                    "sum of quarters", cells=on), doubts), rows)
            elif kind == "score" and stated_q:
                q, last = stated_q[-1]
                holds = abs(last - annual) < 1e-9
                msg = (f"Triwulan {q} states {_fmt(last)}; Tabel {ref.table_id} states "
                       f"{ref[field + '_raw']!r}")
                yield _with_quarter_doubt(Outcome(rid, "quarters", subject, *where, annual,
                                                  last, holds, msg, "last quarter",
                                                  cells=on), rows)
            else:
                yield Outcome(rid, "quarters", subject, *where, annual, None, None,
                              f"{kind} values are not additive over quarters: not checked",
                              cells=on)


# ---------------------------------------------------------------------------------------
# 5. Budget
# ---------------------------------------------------------------------------------------

def check_budget(t: dict[str, pd.DataFrame], iku: pd.DataFrame) -> Iterator[Outcome]:
    """Every budget % recomputes; every rata-rata recomputes; the lines of a table without a
    total of its own add up to the pagu another table states, where the report states one."""
    budget, totals = t["budget"], t["stated_totals"]
    for b in budget.itertuples():
        pagu, real, pct = _val(b.pagu), _val(b.realisasi), _val(b.realisasi_pct)
        where = (_tables(b.table_id), page_list(b.page))
        if pct is not None and pagu and real is not None:
            computed = real / pagu * 100
            holds = reproduces(pct, computed, b.realisasi_pct_raw)
            yield _with_doubts(Outcome(
                b.report_id, "budget", f"{b.name}: realisasi %", *where, pct,
                _round(computed, 4), holds,
                f"{b.realisasi_raw} / {b.pagu_raw} x 100 = {computed:.4f}",
                "realisasi / pagu x 100",
                cells=cells_at("stated", b, "realisasi_pct_raw")
                + cells_at("from", b, "pagu_raw") + cells_at("from", b, "realisasi_raw")),
                [], (), glyph_doubts(pd.DataFrame([b._asdict()])))
        avg = _val(b.avg_capaian_pct)
        if avg is not None:
            members = iku[(iku.report_id == b.report_id) & (iku.table_id == b.table_id)
                          & (iku.sasaran == b.group)]
            caps = _values(members.capaian_pct)
            if not caps:
                continue
            tries = {f"mean of {len(caps)} capaian": sum(caps) / len(caps)}
            if pct is not None:
                tries[f"mean of {len(caps)} capaian and the budget %"] = \
                    (sum(caps) + pct) / (len(caps) + 1)
                tries["mean of budget % and mean capaian"] = (pct + sum(caps) / len(caps)) / 2
            hit = next((k for k, v in tries.items() if reproduces(avg, v, b.avg_capaian_raw)),
                       None)
            main = hit or next(iter(tries))
            yield Outcome(b.report_id, "budget", f"{b.name}: rata-rata capaian", *where, avg,
                          _round(tries[main], 4), hit is not None,
                          f"{b.avg_capaian_raw!r} = {main}" if hit else
                          f"stated {b.avg_capaian_raw!r}; "
                          + "; ".join(f"{k} = {v:.2f}" for k, v in tries.items()), main,
                          cells=cells_at("stated", b, "avg_capaian_raw")
                          + cells_at("from", members, "capaian_raw"))
    # the lines of a table with no total of its own against the one budget total another
    # table of the report states (with several, which one the lines share out is unknown)
    for (rid, tid), lines in budget.groupby(["report_id", "table_id"], sort=False):
        for measure in ("pagu",):
            lines = top_lines(lines)
            parts = _values(lines[measure])
            in_report = totals[(totals.report_id == rid) & (totals.measure == measure)]
            others = in_report[in_report.table_id != tid]
            if len(parts) < 2 or len(others) != 1 or (in_report.table_id == tid).any():
                continue
            computed = sum(parts)
            for s in others.itertuples():
                stated = _val(s.stated_value)
                yield Outcome(rid, "budget", f"Tabel {tid} {measure} lines vs Tabel "
                              f"{s.table_id}", _tables(tid, s.table_id),
                              page_list(lines.page, s.page), stated, computed,
                              stated is not None and abs(stated - computed) < 1e-6,
                              f"{len(parts)} lines of Tabel {tid} add up to {_fmt(computed)}; "
                              f"Tabel {s.table_id} states {s.stated_raw!r}", "sum of lines",
                              cells=cells_at("stated", s, "stated_raw")
                              + cells_at("from", lines, f"{measure}_raw"))


# ---------------------------------------------------------------------------------------
# 6. Narrative against tables
# ---------------------------------------------------------------------------------------

def _budget_figure(t: dict[str, pd.DataFrame], rid: str, measure: str) -> tuple[float | None,
                                                                                str, str, str]:
    """The report's own figure for the whole budget: a stated JUMLAH, else the largest sum of
    one table's lines. Returns value, how, tables, pages."""
    totals = t["stated_totals"]
    stated = totals[(totals.report_id == rid) & (totals.measure == measure)]
    if len(stated):
        s = stated.iloc[0]
        return _val(s.stated_value), f"Tabel {s.table_id} states {s.stated_raw!r}", \
            str(s.table_id), page_list(s.page)
    budget = t["budget"][t["budget"].report_id == rid]
    best = None
    for tid, lines in budget.groupby("table_id", sort=False):
        lines = top_lines(lines)
        vals = _values(lines[measure])
        if vals and (best is None or sum(vals) > best[0]):
            best = (sum(vals), f"Tabel {tid} lines add up to {_fmt(sum(vals))}", str(tid),
                    page_list(lines.page))
    return best if best else (None, "", "", "")


def check_narrative(t: dict[str, pd.DataFrame], iku: pd.DataFrame) -> Iterator[Outcome]:
    """Figures the running text states, against the tables they describe."""
    claims, events = t["claims"], t["events"]
    refs = iku.sort_values(["report_id", "page", "table_id", "row"], kind="stable")
    for c in claims.itertuples():
        stated = _val(c.stated_value)
        if stated is None or c.measure == "year":
            continue
        where_claim = f"page {c.page}: “{_short(c.sentence)}”"
        if c.measure in ("pagu", "budget_realisasi"):
            measure = "pagu" if c.measure == "pagu" else "realisasi"
            value, how, tid, pages = _budget_figure(t, c.report_id, measure)
            if value is None:
                continue
            holds = abs(stated - value) < 1e-6
            msg = f"the text says {c.stated_raw!r}; {how}"
            if not holds and stated and value and _power_of_1000(value / stated):
                msg += f" (a factor of {value / stated:,.0f})".replace(",", ".")
            yield Outcome(c.report_id, "narrative", f"{measure} in the text",
                          _tables(tid), page_list(c.page, pages.split(",") if pages else []),
                          stated, value, holds, f"{msg}; {where_claim}")
        elif c.measure == "budget_realisasi_pct":
            pagu = _budget_figure(t, c.report_id, "pagu")
            real = _budget_figure(t, c.report_id, "realisasi")
            if not pagu[0] or real[0] is None:
                continue
            computed = real[0] / pagu[0] * 100
            yield Outcome(c.report_id, "narrative", "budget realisasi % in the text",
                          _tables(pagu[2], real[2]), page_list(c.page), stated,
                          _round(computed, 4), reproduces(stated, computed, c.stated_raw),
                          f"the text says {c.stated_raw}%; {real[1]} / {pagu[1]} x 100 = "
                          f"{computed:.2f}; {where_claim}", "realisasi / pagu x 100")
        elif c.measure in ("locations", "participants"):
            yield from _narrative_events(c, events, stated, where_claim)
        elif c.measure in ("realisasi", "capaian", "target"):
            yield from _narrative_indicator(c, refs, stated, where_claim)


def _power_of_1000(ratio: float) -> bool:
    return any(abs(ratio - 1000 ** k) < 1e-6 * 1000 ** k for k in (1, 2, 3))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _narrative_events(c: Any, events: pd.DataFrame, stated: float,
                      where_claim: str) -> Iterator[Outcome]:
    ev = events[(events.report_id == c.report_id)]
    if isinstance(c.subject, str) and c.subject:
        ev = ev[ev.kind == c.subject]
    if not len(ev):
        return
    def measure(rows: pd.DataFrame) -> float:
        if c.measure == "locations":
            return float((~rows.continues_previous.map(_truthy)).sum())
        return float(sum(_values(rows.participants)))
    scope = ev
    label = "all rows"
    if isinstance(c.qualifier, str) and c.qualifier:
        scope = ev[ev.funding == c.qualifier]
        label = f"{c.qualifier} rows"
    computed = measure(scope)
    holds = abs(stated - computed) < 1e-9
    msg = f"the text says {c.stated_raw} {c.measure}; {label} of the {c.subject or 'event'} " \
          f"table give {_fmt(computed)}"
    if not holds:
        for funding in ("budgeter", "non_budgeter"):
            sub = ev[ev.funding == funding]
            if len(sub) and abs(measure(sub) - stated) < 1e-9 and label == "all rows":
                msg += f" (its {funding} rows alone give {c.stated_raw})"
    tables = _tables(*dict.fromkeys(ev.table_id))
    yield Outcome(c.report_id, "narrative", f"{c.subject or 'events'} {c.measure} in the text",
                  tables, page_list(c.page, scope.page), stated, computed, holds,
                  f"{msg}; {where_claim}")


def _narrative_indicator(c: Any, refs: pd.DataFrame, stated: float,
                         where_claim: str) -> Iterator[Outcome]:
    rows = refs[refs.report_id == c.report_id]
    names = list(dict.fromkeys(rows.indicator))
    sentence = content_tokens(str(c.sentence))
    heading = content_tokens(str(c.heading or ""))
    match = [n for n in names if content_tokens(n) and content_tokens(n) <= sentence]
    if not match:
        match = [n for n in names if same_indicator(n, str(c.heading or "")) and heading]
    if not match:
        return
    group = rows[rows.indicator == match[0]].indicator_group.iloc[0]
    members = rows[rows.indicator_group == group]
    field = {"realisasi": "realisasi", "capaian": "capaian_pct", "target": "target"}[c.measure]
    stating = members[members[field].map(_val).notna()]
    if not len(stating):
        return
    ref = stating.iloc[0]
    unit_col = {"realisasi": "realisasi_unit", "target": "target_unit"}.get(c.measure)
    if unit_col:
        a, b = _unit_class(c.stated_unit), _unit_class(ref[unit_col])
        if a and b and a != b and {a, b} != {"%", None}:
            return  # a figure of another unit (cases, not %) is about something else
    value = _val(ref[field])
    holds = abs(stated - value) < 1e-9
    agree = [str(x) for x, v in zip(stating.table_id, stating[field], strict=True)
             if abs(_val(v) - stated) < 1e-9]
    raw_col = "capaian_raw" if field == "capaian_pct" else f"{field}_raw"
    msg = f"the text says {c.stated_raw} for {c.measure}; Tabel {ref.table_id} states " \
          f"{ref[raw_col]!r}"
    if not holds and agree:
        msg += f" (Tabel {', '.join(agree)} agree with the text)"
    yield Outcome(c.report_id, "narrative", f"{ref.indicator}: {c.measure} in the text",
                  _tables(ref.table_id, *agree), page_list(c.page, ref.page), stated, value, holds,
                  f"{msg}; {where_claim}", cells=cells_at("from", ref, raw_col))


# ---------------------------------------------------------------------------------------
# 7. Plausibility
# ---------------------------------------------------------------------------------------

def check_plausibility(t: dict[str, pd.DataFrame], iku: pd.DataFrame) -> Iterator[Outcome]:
    """The report's year in the text, zero targets beside stated ones, signs of counts."""
    years = dict(zip(t["report"].report_id, t["report"].year, strict=True))
    for c in t["claims"][t["claims"].measure == "year"].itertuples():
        year = _val(years.get(c.report_id))
        stated = _val(c.stated_value)
        if year is None or stated is None:
            continue
        yield Outcome(c.report_id, "plausibility", "year of a realisasi in the text", "",
                      page_list(c.page), int(stated), int(year), stated == year,
                      f"the text gives the realisasi of year {int(stated)} in the report of "
                      f"{int(year)}: “{_short(c.sentence)}”", severity="warning")
    for (rid, _), rows in iku.groupby(["report_id", "indicator_group"], sort=False):
        targets = rows[rows.target.map(_val).notna()]
        nonzero = targets[targets.target.map(_val) != 0]
        for z in targets[targets.target.map(_val) == 0].itertuples():
            if len(nonzero):
                other = nonzero.iloc[0]
                yield Outcome(rid, "plausibility", f"{z.indicator}: target of 0",
                              _tables(z.table_id, other.table_id), page_list(z.page, other.page),
                              0, _val(other.target), False,
                              f"Tabel {z.table_id} states a target of {z.target_raw!r} where "
                              f"Tabel {other.table_id} states {other.target_raw!r}",
                              cells=cells_at("stated", z, "target_raw")
                              + cells_at("from", other, "target_raw"))
    for row in iku.itertuples():
        for field in ("target", "realisasi"):
            v = _val(getattr(row, field))
            unit = _unit_class(getattr(row, f"{field}_unit"))
            if v is not None and v < 0 and unit in ("count", "rp"):
                yield Outcome(row.report_id, "plausibility", f"{row.indicator}: {field} sign",
                              _tables(row.table_id), page_list(row.page), v, None, False,
                              f"negative {unit} {getattr(row, field + '_raw')!r}",
                              cells=cells_at("stated", row, f"{field}_raw"))


def check_completeness(t: dict[str, pd.DataFrame]) -> Iterator[Outcome]:
    """Every table the report lists (DAFTAR TABEL) was found, every table found has rows,
    and none ends at a page break where a part that may continue it was not joined.

    A listed table that was not read has a `tables` row with no pages (extraction says why
    in its flags); a table with a caption and a header but no rows has 0 rows."""
    for row in t["tables"].itertuples():
        subject = f"Tabel {row.table_id}" + (f" part {int(row.table_part)}"
                                             if _val(row.table_part) not in (None, 1) else "")
        if isinstance(row.title, str) and row.title:
            subject += f": {row.title}"
        rows = _val(row.rows)
        if not isinstance(row.pages, str) or not row.pages:
            yield Outcome(row.report_id, "completeness", subject, _tables(row.table_id), "",
                          None, None, False, str(row.flags), severity="error")
        elif not rows:
            yield Outcome(row.report_id, "completeness", subject, _tables(row.table_id),
                          row.pages, None, 0, False,
                          f"caption and header on page {row.pages} but no rows",
                          severity="warning")
        elif families.NOT_JOINED in str(row.flags or ""):
            said = next(f for f in str(row.flags).split("; ") if f.startswith(families.NOT_JOINED))
            yield Outcome(row.report_id, "completeness", subject, _tables(row.table_id),
                          row.pages, None, int(rows), False,
                          f"{counted(int(rows), 'row')} read, but the table may go on over a "
                          f"page break "
                          f"where its next part was not joined ({said})", severity="error")
        else:
            yield Outcome(row.report_id, "completeness", subject, _tables(row.table_id),
                          row.pages, None, int(rows), True, f"{counted(int(rows), 'row')} read")


def of_report_year(t: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """The rows of table `name` (iku, quarterly) less those of tables whose title names one
    year that is not the report's ("Rencana Tindak Lanjut ... Tahun 2017" in the report of
    2016, "Pencapaian Renstra tahun 2014"): their figures are of that year, and the checks
    that compare an indicator across tables compare them only with their own year's."""
    rows, tables = t[name], t["tables"]
    if rows.empty or tables.empty:
        return rows
    years = dict(zip(t["report"].report_id, t["report"].year.map(_val), strict=True))
    other = set()
    for tab in tables.itertuples():
        period = families.period_of(tab.title) if isinstance(tab.title, str) else None
        year = years.get(tab.report_id)
        if period is not None and period.isdigit() and year is not None \
                and int(period) != int(year):
            other.add((tab.report_id, str(tab.table_id)))
    if not other:
        return rows
    keep = [(rid, str(tid)) not in other for rid, tid in zip(rows.report_id, rows.table_id,
                                                              strict=True)]
    return rows[keep]


#: Each rule: its check, and how it is run on the tables (iku and quarterly with their
#: indicator groups).
RULES: tuple[tuple[str, Any], ...] = (
    ("completeness", lambda t: check_completeness(t)),
    ("totals", lambda t: check_totals(t)),
    ("capaian", lambda t: check_capaian(t["iku"])),
    ("consistency", lambda t: check_consistency(of_report_year(t, "iku"))),
    ("quarters", lambda t: check_quarters(of_report_year(t, "iku"),
                                          of_report_year(t, "quarterly"))),
    ("budget", lambda t: check_budget(t, t["iku"])),
    ("narrative", lambda t: check_narrative(t, t["iku"])),
    ("plausibility", lambda t: check_plausibility(t, of_report_year(t, "iku"))),
)
#: The checks, in the order findings are listed.
CHECKS = tuple(check for check, _ in RULES)
OUTCOME_COLUMNS = ["report_id", "check", "subject", "tables", "pages", "stated", "computed",
                   "difference", "formula", "message", "holds", "severity_override", "cells"]


def evaluate(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Run every rule over the tables of one or many reports: one outcome row per statement.

    A rule that raises costs nothing to the other rules nor to the other reports: the batch
    is evaluated again report by report, and the rule that raised on a report is that
    report's finding (`check could not run: ...`, an error) while its other rules run."""
    try:
        outcomes = _evaluate(tables)
    except Exception:
        outcomes = []
        for rid in dict.fromkeys(tables["report"].report_id):
            outcomes += _evaluate(_only(tables, rid), rid)
    return pd.DataFrame([o.row() for o in outcomes], columns=OUTCOME_COLUMNS)


def _evaluate(tables: dict[str, pd.DataFrame], guarded: str | None = None) -> list[Outcome]:
    """Every rule's outcomes. Guarded (the id of the one report in the tables), a rule that
    raises is an outcome saying so instead of an exception."""
    outcomes: list[Outcome] = []
    try:
        iku, quarterly = with_indicator_groups(tables["iku"], tables["quarterly"],
                                               tables.get("claims"))
        grouped = {**tables, "iku": iku, "quarterly": quarterly}
    except Exception as exc:
        if guarded is None:
            raise
        grouped, failure = None, exc
    for check, rule in RULES:
        if grouped is None:
            outcomes.append(could_not_run(guarded, check, failure, "grouping indicators"))
            continue
        try:
            outcomes += list(rule(grouped))
        except Exception as exc:
            if guarded is None:
                raise
            outcomes.append(could_not_run(guarded, check, exc))
    return outcomes


def _only(tables: dict[str, pd.DataFrame], report_id: str) -> dict[str, pd.DataFrame]:
    """The tables' rows of one report."""
    return {name: frame[frame.report_id == report_id] if "report_id" in frame else frame
            for name, frame in tables.items()}


def could_not_run(report_id: str, check: str, exc: BaseException,
                  step: str | None = None) -> Outcome:
    """The outcome of a check that raised on this report: an error naming the check and
    where it failed (a bug of lkj's, or input it does not foresee; never a report's fault
    hidden)."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f"; at {Path(where.filename).name}:{where.lineno}" if where else ""
    during = f" ({step})" if step else ""
    return Outcome(report_id, check, f"{check} check", "", "", None, None, False,
                   f"check could not run{during}: {type(exc).__name__}: {exc}{at}",
                   severity="error")
