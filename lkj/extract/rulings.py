"""Rulings as a reader sees them: the edges of a page's table grid, whoever drew the page.

Makers draw the same ruled table in different ways. Our renderer and LibreOffice stroke
lines; Word draws every piece of every cell border as its own thin filled rectangle, and
paints each cell's shading as several filled rectangles (the cell's padding strips apart
from its middle), so pdfplumber, which takes every side of every rectangle for an edge, sees
one column edge at several x positions a few points apart and a grid of 30 columns where a
reader sees five.

The rules here hold for any maker because every tolerance comes from the page itself:

- A ruling is a stroked line, a stroked rectangle's sides, or a filled rectangle thin
  enough that no line of the page's text could be inside it (thinner than a third of the
  median character height). A filled rectangle thicker than that is shading: a reader sees
  its colour, not an edge, and the cell borders around it are drawn anyway.
- Parallel rulings that touch or overlap (their distance within their own thickness) are
  one edge; so are parallel rulings closer than one character (a character's width across
  columns, half its height across rows) with no character between them (a double border,
  a border drawn twice a point apart): no cell can be there.
- Collinear pieces are one ruling where the gap between them is no wider than the
  thickest ruling of the page (the crossing border that interrupted them).
"""

from __future__ import annotations

import bisect
import statistics
from dataclasses import dataclass
from typing import Any

#: A ruling must be thinner than this fraction of the median character height: a band that
#: could hold a line of text is a shaded area, not a line.
THIN_PART_OF_TEXT = 1 / 3
#: The character height assumed on a page without characters (10 pt text).
DEFAULT_CHAR_HEIGHT = 10.0


@dataclass
class Segment:
    """An axis-aligned ruling: `at` is its position across (x of a vertical ruling, y of a
    horizontal one), `start`-`end` its extent along, `width` its thickness."""

    vertical: bool
    at: float
    start: float
    end: float
    width: float


@dataclass(frozen=True)
class Geometry:
    """What the tolerances were derived from, for a page."""

    char_width: float
    char_height: float
    thin: float        # thicker than this is shading, not a ruling
    widest: float      # the thickest ruling on the page

    @property
    def join(self) -> float:
        """How far apart two ruling ends may be and still meet: twice the thickest ruling
        (a crossing border interrupts a line by its own thickness)."""
        return max(self.widest, 0.01) * 2


def page_geometry(page: Any) -> Geometry:
    chars = [c for c in page.chars if c.get("text", " ").strip()]
    height = statistics.median(c["bottom"] - c["top"] for c in chars) if chars \
        else DEFAULT_CHAR_HEIGHT
    width = statistics.median(c["x1"] - c["x0"] for c in chars) if chars else height / 2
    return Geometry(width, height, height * THIN_PART_OF_TEXT, 0.0)


def _segments(page: Any, thin: float) -> list[Segment]:
    out: list[Segment] = []
    for line in list(page.lines) + list(page.curves):
        width = float(line.get("linewidth") or 0) or 0.0
        points = line.get("pts") or [(line["x0"], line["top"]), (line["x1"], line["bottom"])]
        for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
            if abs(xa - xb) <= max(width, 0.01) and abs(ya - yb) > abs(xa - xb):
                out.append(Segment(True, (xa + xb) / 2, min(ya, yb), max(ya, yb), width))
            elif abs(ya - yb) <= max(width, 0.01) and abs(xa - xb) > abs(ya - yb):
                out.append(Segment(False, (ya + yb) / 2, min(xa, xb), max(xa, xb), width))
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        w, h = x1 - x0, bottom - top
        if min(w, h) <= thin and (rect.get("fill") or rect.get("stroke")):
            if h >= w:  # a thin upright band: a vertical ruling along its middle
                out.append(Segment(True, (x0 + x1) / 2, top, bottom, w))
            else:
                out.append(Segment(False, (top + bottom) / 2, x0, x1, h))
        elif rect.get("stroke"):
            lw = float(rect.get("linewidth") or 0)
            out += [Segment(True, x0, top, bottom, lw), Segment(True, x1, top, bottom, lw),
                    Segment(False, top, x0, x1, lw), Segment(False, bottom, x0, x1, lw)]
    return out


class _Centres:
    """Characters' centres ordered across one direction of rulings (x for vertical ones),
    so that those between two parallel positions are found by bisection."""

    def __init__(self, centres: list[tuple[float, float]], vertical: bool) -> None:
        pairs = sorted((cx, cy) if vertical else (cy, cx) for cx, cy in centres)
        self.across = [a for a, _ in pairs]
        self.along = [b for _, b in pairs]

    def between(self, lo: float, hi: float, start: float, end: float) -> bool:
        """Whether a centre lies strictly between lo and hi across, within start-end along."""
        first, last = bisect.bisect_right(self.across, lo), bisect.bisect_left(self.across, hi)
        return any(start <= b <= end for b in self.along[first:last])


def _cluster(segments: list[Segment], vertical: bool, reach: float,
             centres: list[tuple[float, float]]) -> list[Segment]:
    """Snap parallel rulings that are one edge to one position (see the module doc)."""
    ordered = sorted((s for s in segments if s.vertical == vertical), key=lambda s: s.at)
    chars = _Centres(centres, vertical)
    groups: list[list[Segment]] = []
    for seg in ordered:
        if groups:
            group = groups[-1]
            last = max(group, key=lambda s: s.at)
            gap = seg.at - last.at
            touching = gap <= max(seg.width, last.width, 0.01)
            close = (seg.at - group[0].at < reach and not chars.between(
                last.at, seg.at, max(seg.start, last.start) - reach,
                min(seg.end, last.end) + reach))
            overlaps = seg.start <= max(s.end for s in group) + reach \
                and seg.end >= min(s.start for s in group) - reach
            if touching or (close and overlaps):
                group.append(seg)
                continue
        groups.append([seg])
    out = []
    for group in groups:
        longest = max(group, key=lambda s: s.end - s.start)
        for seg in group:
            out.append(Segment(vertical, longest.at, seg.start, seg.end, seg.width))
    return out


def _join(segments: list[Segment], gap: float) -> list[Segment]:
    """Collinear pieces with no more than `gap` between them become one ruling."""
    by_line: dict[tuple[bool, float], list[Segment]] = {}
    for seg in segments:
        by_line.setdefault((seg.vertical, seg.at), []).append(seg)
    out = []
    for (vertical, at), pieces in by_line.items():
        pieces.sort(key=lambda s: s.start)
        current = Segment(vertical, at, pieces[0].start, pieces[0].end, pieces[0].width)
        for seg in pieces[1:]:
            if seg.start <= current.end + gap:
                current.end = max(current.end, seg.end)
                current.width = max(current.width, seg.width)
            else:
                out.append(current)
                current = Segment(vertical, at, seg.start, seg.end, seg.width)
        out.append(current)
    return out


def page_rulings(page: Any) -> tuple[list[Segment], Geometry]:
    """The page's rulings, clustered and joined into the edges a reader sees."""
    geometry = page_geometry(page)
    segments = _segments(page, geometry.thin)
    widest = max((s.width for s in segments), default=0.0)
    geometry = Geometry(geometry.char_width, geometry.char_height, geometry.thin, widest)
    centres = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2)
               for c in page.chars if c.get("text", " ").strip()]
    clustered = (_cluster(segments, True, geometry.char_width, centres)
                 + _cluster(segments, False, geometry.char_height / 2, centres))
    return _join(clustered, geometry.join), geometry


def as_edges(segments: list[Segment]) -> tuple[list[dict], list[dict]]:
    """pdfplumber edge objects (vertical, horizontal) for its explicit table strategy."""
    vertical, horizontal = [], []
    for s in segments:
        if s.vertical:
            vertical.append({"object_type": "line_edge", "orientation": "v", "x0": s.at,
                             "x1": s.at, "top": s.start, "bottom": s.end,
                             "width": 0.0, "height": s.end - s.start})
        else:
            horizontal.append({"object_type": "line_edge", "orientation": "h", "x0": s.start,
                               "x1": s.end, "top": s.at, "bottom": s.at,
                               "width": s.end - s.start, "height": 0.0})
    return vertical, horizontal


def _settings(segments: list[Segment], geometry: Geometry) -> dict[str, Any]:
    vertical, horizontal = as_edges(segments)
    reach = geometry.join
    return {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
            "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal,
            "snap_tolerance": 0.01, "join_tolerance": reach,
            "intersection_tolerance": reach, "edge_min_length": 1}


def _inner_verticals(table: Any, segments: list[Segment], geometry: Geometry) -> list[float]:
    """x of the vertical rulings inside a table that run at least a line of text down it."""
    x0, top, x1, bottom = table.bbox
    inset = geometry.join
    return sorted({s.at for s in segments if s.vertical and x0 + inset < s.at < x1 - inset
                   and min(s.end, bottom) - max(s.start, top) >= geometry.char_height})


@dataclass
class Found:
    """pdfplumber's tables of a page, and which of them have columns read from text."""

    tables: list[Any]
    by_text: list[tuple[float, float, float, float]]


def open_frames(segments: list[Segment], geometry: Geometry,
                chars: list[dict]) -> list[Segment]:
    """The sides of tables ruled by horizontal lines alone (a border above and below each
    row, none at the sides): three or more horizontal rulings of the same extent (a top, a
    rule under the header, a bottom) are framed at their ends, so that the rows between
    them are found and their columns read from the text. A stretch between two rulings
    that a table's own verticals close already, or that holds a line of prose (text across
    most of the width without a column's gap), ends the run; a side that would cut through
    a character is no table's side (a running header's rule and a footer's rule)."""
    reach = geometry.char_width
    rules = sorted((s for s in segments if not s.vertical and s.end - s.start > 4 * reach),
                   key=lambda s: s.at)
    stacks: list[list[Segment]] = []
    for rule in rules:
        stack = next((st for st in stacks if abs(st[0].start - rule.start) <= reach
                      and abs(st[0].end - rule.end) <= reach), None)
        if stack is None:
            stacks.append([rule])
        else:
            stack.append(rule)
    out = []
    for stack in stacks:
        sides = [min(s.start for s in stack), max(s.end for s in stack)]
        run: list[Segment] = [stack[0]]
        for upper, lower in zip(stack, stack[1:], strict=False):
            if _closed(sides, upper.at, lower.at, segments, reach) or _prose(
                    chars, upper.at, lower.at, sides, reach):
                out += _frame(run, sides, segments, chars, reach)
                run = [lower]
            else:
                run.append(lower)
        out += _frame(run, sides, segments, chars, reach)
    return out


def open_ends(segments: list[Segment], geometry: Geometry) -> list[Segment]:
    """The missing rule at the open end of a table whose columns are drawn on past its
    last (or before its first) horizontal rule: a maker that rules the body's columns but
    not its rows, on a page the table runs off. Three or more verticals that meet one
    horizontal rule, its two ends among them, and go on together to one free end (no rule
    there) get a rule across that end, so that the body between is a row of the table
    (its lines split into rows by the text, lkj.extract.split)."""
    reach = max(geometry.char_width, geometry.join)
    verticals = [s for s in segments if s.vertical]
    rules = [s for s in segments if not s.vertical and s.end - s.start > 4 * reach]
    out: list[Segment] = []
    for rule in rules:
        for downward in (True, False):
            legs = [v for v in verticals if rule.start - reach <= v.at <= rule.end + reach
                    and abs((v.start if downward else v.end) - rule.at) <= reach
                    and ((v.end - rule.at) if downward else (rule.at - v.start))
                    > geometry.char_height]
            ends: dict[float, list[Segment]] = {}
            for v in legs:
                end = v.end if downward else v.start
                key = next((k for k in ends if abs(k - end) <= reach), end)
                ends.setdefault(key, []).append(v)
            for end, group in ends.items():
                xs = sorted(v.at for v in group)
                if (len(xs) < 3 or xs[0] > rule.start + reach or xs[-1] < rule.end - reach
                        or any(not h.vertical and abs(h.at - end) <= reach
                               and h.start <= xs[0] + reach and h.end >= xs[-1] - reach
                               for h in segments + out)):
                    continue
                out.append(Segment(False, end, xs[0], xs[-1], 0.0))
    return out


def open_legs(segments: list[Segment], geometry: Geometry) -> list[Segment]:
    """The missing bottom rule of a body that goes on under a header with only one or two
    of its columns ruled (a continuation at a page's top whose maker ruled the No column
    alone): column edges of a header (from its top rule through its bottom rule, two
    rules of one extent) that run on more than a line below it and end together at a free
    end (no rule of that extent there or between) get a rule across the header's extent
    at that end; its sides are then framed as a table ruled by horizontals
    (open_frames)."""
    reach = max(geometry.char_width, geometry.join)
    rules = [s for s in segments if not s.vertical and s.end - s.start > 4 * reach]
    out: list[Segment] = []
    for rule in rules:
        tops = [o.at for o in rules if abs(o.start - rule.start) <= reach
                and abs(o.end - rule.end) <= reach and rule.at - o.at > geometry.char_height]
        if not tops:
            continue  # no header above this rule
        # a column edge of the header (from its top rule down) that runs on below it
        legs = [v for v in segments if v.vertical
                and rule.start + reach < v.at < rule.end - reach
                and any(abs(v.start - top) <= reach for top in tops)
                and v.end - rule.at > geometry.char_height]
        ends = sorted({round(v.end) for v in legs})
        if not legs or len(legs) > 2 or ends[-1] - ends[0] > reach:
            continue
        end = max(v.end for v in legs)
        if any(rule.at + reach < h.at <= end + 2 * geometry.char_height
               and h.start <= rule.start + reach and h.end >= rule.end - reach
               for h in rules):
            continue  # closed below (or a line below the end): the legs are a table's own
        out.append(Segment(False, end, rule.start, rule.end, 0.0))
    return out


def _runs_down(segments: list[Segment], x: float, top: float, bottom: float,
               reach: float) -> bool:
    """Whether a vertical ruling at x runs from top to bottom."""
    return any(s.vertical and abs(s.at - x) <= reach and s.start <= top + reach
               and s.end >= bottom - reach for s in segments)


def _closed(sides: list[float], top: float, bottom: float, segments: list[Segment],
            reach: float) -> bool:
    return all(_runs_down(segments, x, top, bottom, reach) for x in sides)


def _prose(chars: list[dict], top: float, bottom: float, sides: list[float],
           reach: float) -> bool:
    """Whether a line of running text lies between two rulings: it crosses most of their
    width with no gap as wide as a column's."""
    lines: dict[int, list[dict]] = {}
    for c in chars:
        if top < c["top"] < bottom and c["text"].strip():
            lines.setdefault(round(c["top"]), []).append(c)
    width = sides[1] - sides[0]
    for line in lines.values():
        line.sort(key=lambda c: c["x0"])
        gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:], strict=False)]
        if line[-1]["x1"] - line[0]["x0"] > 0.6 * width and max(gaps, default=0) < 3 * reach:
            return True
    return False


def _frame(run: list[Segment], sides: list[float], segments: list[Segment],
           chars: list[dict], reach: float) -> list[Segment]:
    if len(run) < 3:
        return []
    top, bottom = run[0].at, run[-1].at
    if any(c["x0"] < x < c["x1"] and top < c["top"] < bottom for c in chars for x in sides):
        return []
    return [Segment(True, x, top, bottom, 0.0) for x in sides
            if not _runs_down(segments, x, top, bottom, reach)]


def find_tables(page: Any) -> Found:
    """The page's ruled tables as a reader sees them: pdfplumber's table finder on the
    reader's rulings, tables ruled by horizontal lines alone framed at their ends, and
    columns read from the text where a table draws no vertical rule between them."""
    segments, geometry = page_rulings(page)
    segments += open_legs(segments, geometry)
    segments += open_frames(segments, geometry, page.chars)
    segments += open_ends(segments, geometry)
    if sum(s.vertical for s in segments) < 2 or sum(not s.vertical for s in segments) < 2:
        return Found([], [])
    tables = page.find_tables(_settings(segments, geometry))
    extra: list[Segment] = []
    texted = []
    for table in tables:
        bands = own_bands([(row.bbox[1], row.bbox[3]) for row in table.rows])
        inner = _inner_verticals(table, segments, geometry)
        columns = [c for c in text_columns(page.chars, table.bbox, bands, geometry, inner)
                   if not _ruled_near(c, segments, geometry)]
        if columns:
            extra += columns
            texted.append(table.bbox)
    if not extra:
        return Found(tables, [])
    tables = page.find_tables(_settings(segments + extra, geometry))
    by_text = [t.bbox for t in tables
               if any(abs(t.bbox[1] - b[1]) < 1 and abs(t.bbox[3] - b[3]) < 1 for b in texted)]
    return Found(tables, by_text)


def own_bands(bands: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Row bands (top, bottom) cut where the next row starts: pdfplumber gives a row the
    height of its tallest cell, so a header row whose cells are merged down over the row
    below (No, Indikator over a group header and its years) would hold that row's text
    too, and a group label ("Realisasi") and the years under it would seem one line."""
    out = []
    for k, (top, bottom) in enumerate(bands):
        nxt = bands[k + 1][0] if k + 1 < len(bands) else bottom
        out.append((top, min(bottom, nxt) if nxt > top else bottom))
    return out


def _ruled_near(edge: Segment, segments: list[Segment], geometry: Geometry) -> bool:
    """Whether a vertical ruling already separates the text where `edge` would."""
    return any(s.vertical and abs(s.at - edge.at) < geometry.char_width
               and min(s.end, edge.end) - max(s.start, edge.start) >= geometry.char_height
               for s in segments)


def _free_intervals(spans: list[tuple[float, float]], lo: float, hi: float,
                    least: float) -> list[tuple[float, float]]:
    """The stretches of [lo, hi] no span covers, at least `least` wide."""
    out, at = [], lo
    for x0, x1 in sorted(spans):
        if x0 - at >= least:
            out.append((at, x0))
        at = max(at, x1)
    if hi - at >= least:
        out.append((at, hi))
    return out


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]],
               least: float) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi - lo >= least:
                out.append((lo, hi))
    return out


def text_columns(chars: list[dict], bbox: tuple[float, float, float, float],
                 bands: list[tuple[float, float]], geometry: Geometry,
                 ruled: list[float] = ()) -> list[Segment]:
    """Column edges a table without inner vertical rulings shows by its text alone.

    Word's shaded table styles draw no vertical borders: a reader sees the columns in the
    white stripes that run down every row. A stripe is a stretch of the table's width, at
    least one character wide, where no character of any row lies, with text on both sides.
    Rows whose text has no stripe of its own (a label spanning the table) do not vote; the
    edge is drawn down every row band (`bands`, top-bottom) whose characters leave it free,
    so a spanning row stays one cell. A stripe is a column edge only where the header (the
    first two rows with text) labels both sides of it between their neighbouring edges
    (`ruled`: the inner vertical rulings): a ruled column whose figures happen to leave a
    stripe ("Rp" apart from its amount) has one label, and stays one column.
    """
    x0, _, x1, _ = bbox
    least = geometry.char_width
    rows = []
    for top, bottom in bands:
        spans = [(c["x0"], c["x1"]) for c in chars
                 if top <= (c["top"] + c["bottom"]) / 2 <= bottom and c["text"].strip()]
        if spans:
            rows.append((top, bottom, spans, _free_intervals(spans, x0, x1, least)))
    voting = [free for _, _, spans, free in rows
              if len([f for f in free if x0 < f[0] and f[1] < x1]) > 0]
    if not voting:
        return []
    stripes = voting[0]
    for free in voting[1:]:
        stripes = _intersect(stripes, free, least)
    lefts = min(s[0] for _, _, spans, _ in rows for s in spans)
    rights = max(s[1] for _, _, spans, _ in rows for s in spans)
    stripes = [(lo, hi) for lo, hi in stripes if lo > lefts and hi < rights]  # not margins
    edges = sorted([x0, x1, *ruled, *((lo + hi) / 2 for lo, hi in stripes)])
    heads = [spans for _, _, spans, _ in rows[:2]]
    out = []
    for lo, hi in stripes:
        at = (lo + hi) / 2
        left = max(e for e in edges if e < at)
        right = min(e for e in edges if e > at)
        if not any(any(left <= s0 and s1 <= lo for s0, s1 in spans)
                   and any(hi <= s0 and s1 <= right for s0, s1 in spans) for spans in heads):
            continue
        for top, bottom, spans, _ in rows:
            if not any(s0 < at < s1 for s0, s1 in spans):
                out.append(Segment(True, at, top, bottom, 0.0))
        # a row band without text is open as well
        for top, bottom in bands:
            if not any(r[0] == top for r in rows):
                out.append(Segment(True, at, top, bottom, 0.0))
    return out
