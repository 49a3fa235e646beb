"""Pictures of how a report's tables were read, as pdfplumber's table-finder debug image
draws its own: each page that holds a table, with the rulings lkj saw on it (clustered and
joined, red), the cells it read (blue) and the box of each table part (green).

    lkj tables REPORT.pdf --debug DIR

A page read by OCR has no rulings from a text layer: its cells are drawn alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: Colours (RGBA) of what is drawn.
RULING = (220, 30, 30, 255)
CELL = (30, 90, 220, 255)
TABLE = (20, 150, 60, 255)
#: How far inside its box a cell is drawn (points).
INSET = 1.5
#: Pixels per inch of the pictures: enough to read a cell, small enough for a long report.
RESOLUTION = 100


def table_boxes(cells: Iterable[Mapping[str, Any]]
                ) -> dict[int, dict[tuple[str, int], tuple[float, float, float, float]]]:
    """Page -> (table id, part) -> the box round that part's cells on the page."""
    boxes: dict[int, dict[tuple[str, int], list[float]]] = defaultdict(dict)
    for c in cells:
        if c.get("x0") is None:
            continue
        key = (str(c["table_id"]), int(c["table_part"]))
        box = boxes[int(c["page"])].get(key)
        here = [float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])]
        boxes[int(c["page"])][key] = here if box is None else [
            min(box[0], here[0]), min(box[1], here[1]), max(box[2], here[2]),
            max(box[3], here[3])]
    return {p: {k: tuple(b) for k, b in parts.items()} for p, parts in boxes.items()}


def draw_table_pages(path: Path, cells: list[Mapping[str, Any]], out_dir: Path,
                     resolution: int = RESOLUTION) -> list[Path]:
    """One PNG per page that holds a read table (`{stem}-p{page:03d}.png` in out_dir), in
    page order; returns the files written."""
    from lkj.extract.document import open_pdf
    from lkj.extract.rulings import page_rulings

    out_dir.mkdir(parents=True, exist_ok=True)
    by_page: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for c in cells:
        if c.get("x0") is not None:
            by_page[int(c["page"])].append(c)
    boxes = table_boxes(cells)
    written = []
    with open_pdf(path) as pdf:
        for number in sorted(by_page):
            page = pdf.pages[number - 1]
            image = page.to_image(resolution=resolution)
            try:
                segments, _ = page_rulings(page)
            except Exception:  # a page pdfminer cannot interpret: its cells alone
                segments = []
            image.draw_rects(list(boxes[number].values()), fill=(0, 0, 0, 0), stroke=TABLE,
                             stroke_width=3)
            # each cell a little inside its box, so that the rulings on its edges show
            image.draw_rects([(c["x0"] + INSET, c["top"] + INSET, c["x1"] - INSET,
                               c["bottom"] - INSET) for c in by_page[number]],
                             fill=(0, 0, 0, 0), stroke=CELL, stroke_width=1)
            for s in segments:
                ends = ((s.at, s.start), (s.at, s.end)) if s.vertical else \
                    ((s.start, s.at), (s.end, s.at))
                image.draw_line(ends, stroke=RULING, stroke_width=1)
            target = out_dir / f"{path.stem}-p{number:03d}.png"
            image.save(target)
            written.append(target)
    return written
