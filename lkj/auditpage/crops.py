"""Crops of the page under a finding: the cells it rests on, outlined from their boxes.

A finding names the cells its statement rests on (`rules.CellRef`: table, part, data row and
the text printed). Each is found among the report's `cells` (the grid lkj read, with boxes)
by its row and its text; the crop is that part of the page, as wide as the table, a row's
height above and below the cells, drawn by pdfium. The outlines are not drawn into the
picture: the page draws them over it from the boxes (`Crop.marks`), so that a test, or an
auditor's browser, can see exactly where each one is.

A cell that cannot be found (a text that no cell of its row prints, a report read from CSVs
with no PDF beside it) is left out, and the crop says how many were; a finding with no cell
on any page gets no crop.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lkj.extract.grid import join_lines

#: Pixels per inch of a crop: figures legible, a long report's page still light.
RESOLUTION = 110
#: The roles of the cells outlined, in the order they are drawn.
ROLES = ("from", "stated")


@dataclass(frozen=True)
class Mark:
    """One cell outlined on a crop: its role, what it prints, its box in points (page)."""

    role: str
    text: str
    box: tuple[float, float, float, float]


@dataclass
class Crop:
    """A part of one page (`box` in points from the page's top left) and the cells outlined
    on it. `png` holds the picture once drawn."""

    page: int
    box: tuple[float, float, float, float]
    marks: list[Mark] = field(default_factory=list)
    png: bytes = b""
    width: int = 0
    height: int = 0

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")

    def percent(self, mark: Mark) -> tuple[float, float, float, float]:
        """A mark's left, top, width and height in percent of the crop."""
        x0, top, x1, bottom = self.box
        w, h = x1 - x0, bottom - top
        return ((mark.box[0] - x0) / w * 100, (mark.box[1] - top) / h * 100,
                (mark.box[2] - mark.box[0]) / w * 100, (mark.box[3] - mark.box[1]) / h * 100)


def _key(text: Any) -> str:
    return join_lines(str(text)) if text is not None else ""


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


class CellIndex:
    """The cells of one report by (table id, part, data row), the total rows under row None,
    and each table part's box per page (to crop as wide as the table)."""

    def __init__(self, cells: Iterable[Mapping[str, Any]]) -> None:
        self.rows: dict[tuple[str, int, int | None], list[Mapping[str, Any]]] = {}
        self.tables: dict[tuple[str, int, int], list[float]] = {}
        for c in cells:
            if _num(c.get("x0")) is None or _num(c.get("page")) is None:
                continue
            tid, part, page = str(c["table_id"]), int(_num(c["table_part"]) or 1), \
                int(_num(c["page"]))
            row = _num(c.get("row"))
            if row is not None:
                self.rows.setdefault((tid, part, int(row)), []).append(c)
            elif c.get("kind") == "total":
                self.rows.setdefault((tid, part, None), []).append(c)
            box = [float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])]
            have = self.tables.get((tid, part, page))
            self.tables[(tid, part, page)] = box if have is None else [
                min(have[0], box[0]), min(have[1], box[1]), max(have[2], box[2]),
                max(have[3], box[3])]

    def find(self, ref: Sequence[Any]) -> list[tuple[int, str, Mark]]:
        """The cells a reference names: (page, table id, mark) for each cell of its row that
        prints its text (several where the row prints it more than once)."""
        role, tid, part, row, raw = ref
        key = (str(tid), int(part), None if row is None else int(row))
        want = _key(raw)
        out = []
        for c in self.rows.get(key, []):
            if _key(c.get("text")) == want:
                box = (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
                out.append((int(_num(c["page"])), str(tid),
                            Mark(role, want, box)))
        return out

    def table_box(self, tid: str, part: int, page: int) -> list[float] | None:
        return self.tables.get((tid, part, page))


def plan(refs: Iterable[Sequence[Any]], index: CellIndex) -> tuple[list[Crop], int]:
    """The crops of one finding (one per page its cells are on, in page order) and how many
    of its cells were not found."""
    by_page: dict[int, list[tuple[str, int, Mark]]] = {}
    missing = 0
    for ref in refs:
        found = index.find(ref)
        if not found:
            missing += 1
        for page, tid, mark in found:
            by_page.setdefault(page, []).append((tid, int(ref[2]), mark))
    crops = []
    for page in sorted(by_page):
        marks = by_page[page]
        top = min(m.box[1] for _, _, m in marks)
        bottom = max(m.box[3] for _, _, m in marks)
        x0 = min(m.box[0] for _, _, m in marks)
        x1 = max(m.box[2] for _, _, m in marks)
        for tid, part, _ in marks:  # as wide as the tables: the row's name shows
            table = index.table_box(tid, part, page)
            if table:
                x0, x1 = min(x0, table[0]), max(x1, table[2])
        # a row's height of context above and below: the median height of the marks
        heights = sorted(m.box[3] - m.box[1] for _, _, m in marks)
        margin = max(heights[len(heights) // 2], 1.0)
        unique = list(dict.fromkeys(m for _, _, m in marks))
        unique.sort(key=lambda m: ROLES.index(m.role) if m.role in ROLES else -1)
        crops.append(Crop(page, (x0 - margin / 2, top - margin, x1 + margin / 2,
                                 bottom + margin), unique))
    return crops, missing


def draw(pdf: Path, crops: Iterable[Crop], resolution: int = RESOLUTION) -> None:
    """Draw each crop's picture from the PDF (grey, PNG), each page rendered once; none
    where pdfium cannot open the file (the findings are listed without pictures)."""
    import pypdfium2 as pdfium

    by_page: dict[int, list[Crop]] = {}
    for crop in crops:
        by_page.setdefault(crop.page, []).append(crop)
    if not by_page:
        return
    try:
        doc = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError:  # a file pdfminer read and pdfium cannot: the page, uncropped
        return
    try:
        scale = resolution / 72
        for number in sorted(by_page):
            if not 1 <= number <= len(doc):
                continue
            page = doc[number - 1]
            width, height = page.get_size()
            image = page.render(scale=scale).to_pil().convert("L")
            page.close()
            sx, sy = image.width / width, image.height / height
            for crop in by_page[number]:
                x0, top, x1, bottom = crop.box
                crop.box = (max(x0, 0.0), max(top, 0.0), min(x1, width), min(bottom, height))
                x0, top, x1, bottom = crop.box
                part = image.crop((round(x0 * sx), round(top * sy), round(x1 * sx),
                                   round(bottom * sy)))
                out = io.BytesIO()
                part.save(out, format="PNG", optimize=True)
                crop.png, crop.width, crop.height = out.getvalue(), part.width, part.height
    finally:
        doc.close()


def crops_for(findings: Sequence[Mapping[str, Any]], cells: Iterable[Mapping[str, Any]],
              pdf: Path | None) -> dict[int, tuple[list[Crop], int]]:
    """For each finding (by its position in `findings`) that names cells: its crops, drawn
    from the PDF where there is one, and how many of its cells were not found."""
    index = CellIndex(cells)
    planned = {i: plan(f.get("cells") or [], index) for i, f in enumerate(findings)
               if f.get("cells")}
    if pdf is not None and Path(pdf).is_file():
        draw(pdf, [c for crops, _ in planned.values() for c in crops])
    return planned
