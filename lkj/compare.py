"""One unit across years: target, realisasi and capaian per canonical indicator and year.

Reads the store's v_iku_compare view (lkj/schemas/store.sql): for each agency, year and
indicator, the first row in document order that states target and realisasi in the same
terms (no year-labelled levels, no two different units), usually the summary / PK table.
Figures are as printed; capaian_recomputed is realisasi / target x 100 for higher-is-better
indicators.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lkj.extract.numbers import display_number
from lkj.load.store import Backend
from lkj.schemas import registry

#: Columns of `lkj compare --csv`, one row per agency, indicator and year.
COMPARE_COLUMNS = [
    "agency_id", "indicator_id", "indicator_name", "year", "target", "target_unit",
    "realisasi", "realisasi_unit", "capaian_pct", "capaian_recomputed", "polarity",
    "indicator", "table_id", "page", "comparable", "rows_stating", "realisasi_variants",
    "report_id", "source_file"]
#: Chart resolution (dots per inch) and the size of one indicator's panel (inches).
CHART_DPI = 110
PANEL_INCHES = (6.4, 3.4)


class CompareError(Exception):
    """An agency or indicator the store or the registry does not know."""


def resolve_agency(store: Backend, text: str) -> str:
    """An agency_id from an id, a name or an alias (registry), as stored."""
    stored = [r[0] for r in store.query(
        "SELECT DISTINCT agency_id FROM reports WHERE agency_id IS NOT NULL ORDER BY 1")]
    if text in stored:
        return text
    found = registry.match_agency(text)
    if found is not None and found.agency_id in stored:
        return found.agency_id
    if found is not None:
        raise CompareError(f"agency {found.agency_id} ({found.name}): no report stored")
    raise CompareError(f"unknown agency {text!r}; stored: {', '.join(stored) or 'none'}")


def resolve_indicator(text: str) -> str:
    """An indicator_id from an id or a printed wording (exact or alias, not fuzzy)."""
    if registry.indicator(text) is not None:
        return text
    indicator_id, how = registry.match_indicator(text)
    if indicator_id is not None and how in ("exact", "contains"):
        return indicator_id
    known = ", ".join(i.indicator_id for i in registry.INDICATORS)
    hint = f" (a fuzzy match: {indicator_id}?)" if indicator_id else ""
    raise CompareError(f"unknown indicator {text!r}{hint}; known: {known}")


def compare_rows(store: Backend, agency: str | None = None,
                 indicator: str | None = None) -> list[dict[str, Any]]:
    """One row per agency, canonical indicator and year (registry order, then year), from
    a store that answers SQL (SQLite or PostgreSQL)."""
    where, args = [], {}
    if agency:
        where.append("agency_id = :agency")
        args["agency"] = resolve_agency(store, agency)
    if indicator:
        where.append("indicator_id = :indicator")
        args["indicator"] = resolve_indicator(indicator)
    sql = "SELECT {} FROM v_iku_compare {}".format(
        ", ".join(f'"{c}"' for c in COMPARE_COLUMNS),
        ("WHERE " + " AND ".join(where)) if where else "")
    rows = [dict(zip(COMPARE_COLUMNS, r, strict=True)) for r in store.query(sql, args)]
    order = {i.indicator_id: n for n, i in enumerate(registry.INDICATORS)}
    rows.sort(key=lambda r: (r["agency_id"] or "", order.get(r["indicator_id"], len(order)),
                             r["indicator_id"], r["year"] or 0))
    return rows


def number(value: Any, unit: str | None = None) -> str:
    """A figure for reading (lkj's display_number: '16 000', '88.73'), its unit after."""
    if value is None:
        return "-"
    text = display_number(value)
    if unit == "%":
        return text + "%"
    return f"{text} {unit}" if unit else text


def figure_size(n_indicators: int) -> tuple[float, float]:
    """Chart size in inches: two panels a row (one if there is one), a band for the title."""
    ncols = 2 if n_indicators > 1 else 1
    nrows = -(-n_indicators // ncols)
    return PANEL_INCHES[0] * ncols, PANEL_INCHES[1] * nrows + 0.8


#: A stated capaian further than this (percentage points) from realisasi / target x 100 is
#: marked on the chart as a gap (the checks say whether it is a finding; this is for the eye).
VISIBLE_GAP = 0.5
#: The colour of capaian where the chart is of one agency.
CAPAIAN_COLOUR = "tab:green"


def _draw_capaian(ax: Any, rows: list[dict[str, Any]], agencies: list[Any],
                  colours: list[str]) -> None:
    """Capaian on a right-hand axis: as stated (solid triangles) and as recomputed
    (hollow circles, dotted), a red bar between them where they are VISIBLE_GAP apart."""
    if not any(r["capaian_pct"] is not None or r["capaian_recomputed"] is not None
               for r in rows):
        return
    right = ax.twinx()
    for k, agency in enumerate(agencies):
        series = sorted((r for r in rows if r["agency_id"] == agency), key=lambda r: r["year"])
        label = f" {agency}" if len(agencies) > 1 else ""
        # one agency: capaian in a colour of its own, not the figures' (several: the agency's)
        colour = colours[k % len(colours)] if len(agencies) > 1 else CAPAIAN_COLOUR
        stated = [(r["year"], r["capaian_pct"]) for r in series if r["capaian_pct"] is not None]
        again = [(r["year"], r["capaian_recomputed"]) for r in series
                 if r["capaian_recomputed"] is not None]
        if stated:
            right.plot(*zip(*stated, strict=True), marker="^", linewidth=0.8, color=colour,
                       alpha=0.8, label="capaian stated" + label)
        if again:
            right.plot(*zip(*again, strict=True), marker="o", markerfacecolor="none",
                       linestyle=":", linewidth=0.8, color=colour, alpha=0.8,
                       label="capaian recomputed" + label)
        for r in series:
            a, b = r["capaian_pct"], r["capaian_recomputed"]
            if a is not None and b is not None and abs(float(a) - float(b)) >= VISIBLE_GAP:
                right.vlines(r["year"], min(a, b), max(a, b), colors="red", linewidth=2.5,
                             alpha=0.6, label="gap stated / recomputed")
                right.annotate(f"{number(a)} vs {number(b)}", (r["year"], max(a, b)),
                               textcoords="offset points", xytext=(4, 2), fontsize=7,
                               color="red")
    # one agency: the axis in the capaian's colour; several: each has its own, the axis none
    colour_of_axis = {"color": CAPAIAN_COLOUR} if len(agencies) == 1 else {}
    right.set_ylabel("capaian %", fontsize=8, **colour_of_axis)
    right.margins(y=0.2)
    right.tick_params(labelsize=7)


def draw_chart(rows: list[dict[str, Any]], path: Path) -> Path:
    """Target and realisasi by year, one panel per indicator, as a PNG (matplotlib, Agg);
    capaian on the right axis, stated and recomputed, their gaps marked."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    if not rows:
        raise CompareError("nothing to draw: no indicator rows match")
    indicators = list(dict.fromkeys(r["indicator_id"] for r in rows))
    agencies = list(dict.fromkeys(r["agency_id"] for r in rows))
    ncols = 2 if len(indicators) > 1 else 1
    nrows = -(-len(indicators) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=figure_size(len(indicators)), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, ind in zip(axes.flat, indicators, strict=False):
        mine = [r for r in rows if r["indicator_id"] == ind]
        for k, agency in enumerate(agencies):
            series = sorted((r for r in mine if r["agency_id"] == agency),
                            key=lambda r: r["year"])
            if not series:
                continue
            years = [r["year"] for r in series]
            label = f" {agency}" if len(agencies) > 1 else ""
            colour = colours[k % len(colours)]
            ax.plot(years, [r["realisasi"] for r in series], marker="o", color=colour,
                    label="realisasi" + label)
            ax.plot(years, [r["target"] for r in series], marker="s", linestyle="--",
                    color=colour, alpha=0.6, label="target" + label)
            for r in series:
                if r["realisasi"] is not None:
                    ax.annotate(number(r["realisasi"]), (r["year"], r["realisasi"]),
                                textcoords="offset points", xytext=(0, 6), ha="center",
                                fontsize=8)
        _draw_capaian(ax, mine, agencies, colours)
        units = {r["realisasi_unit"] or r["target_unit"] for r in mine} - {None}
        name = mine[0]["indicator_name"] or ind
        ax.set_title("\n".join(textwrap.wrap(name, 48)), fontsize=10)
        ax.set_ylabel(", ".join(sorted(units)) or "value")
        ax.set_xlabel("year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        years = sorted({r["year"] for r in mine})
        if len(years) == 1:
            ax.set_xlim(years[0] - 1, years[0] + 1)
        ax.margins(x=0.08, y=0.18)  # room for the value labels
        ax.grid(True, alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        for other in ax.figure.axes:
            if other is not ax and other.get_shared_x_axes().joined(ax, other):
                more = other.get_legend_handles_labels()
                handles, labels = handles + more[0], labels + more[1]
        shown = dict(zip(labels, handles, strict=True))  # a label once, however many gaps
        if len({r["agency_id"] for r in mine}) > 1:  # too many entries to sit on the lines
            ax.legend(shown.values(), shown.keys(), fontsize=6, loc="upper center",
                      bbox_to_anchor=(0.5, -0.3), ncol=1, frameon=False)
        else:
            ax.legend(shown.values(), shown.keys(), fontsize=7, loc="best")
    for ax in list(axes.flat)[len(indicators):]:
        ax.set_visible(False)
    fig.suptitle(f"Target and realisasi by year: {', '.join(a or '?' for a in agencies)}\n"
                 "capaian (%, right axis) as stated and recomputed; red where they differ",
                 fontsize=10)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=CHART_DPI)
    plt.close(fig)
    return path
