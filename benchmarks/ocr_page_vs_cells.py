"""Measure "Tesseract once per page for words with boxes" against lkj's reading per cell.

    PYTHONPATH=. .venv/bin/python benchmarks/ocr_page_vs_cells.py DUMP.json [--psm 3]

Each scanned page with tables (samples/scanned/*.pdf) is straightened and its rulings erased
as `ocr.read_image` does; then the whole page, tables and all, is read by Tesseract once per
cell model (`cell_langs`), each word going to the cell its centre falls in, and the models'
readings are compared as `read_image` compares them. The cells are compared, text for text,
with the cells of DUMP.json (benchmarks/ocr_dump.py: what lkj reads today); the Tesseract
seconds of the page reading are printed beside the seconds lkj's whole page took.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def page_cells(gray, settings, psm: int) -> tuple[list[list[str]], float]:
    """Cell texts of each table of a page read by one Tesseract run per model, and the
    seconds those runs took."""
    import cv2
    import numpy as np

    from lkj.extract import ocr, raster

    dpi, low = settings.dpi, settings.low_confidence
    skew = raster.estimate_skew(raster.binarize(gray, dpi), dpi)
    gray = raster.flatten(raster.rotate(gray, -skew), dpi)
    binary = raster.binarize(gray, dpi)
    shapes = raster.find_tables(*raster.line_masks(binary, dpi), dpi)
    rulings = np.zeros_like(binary)
    for s in shapes:
        x0, y0, x1, y1 = s.bbox
        rulings[y0:y1, x0:x1][s.rulings] = 255
    rulings = cv2.dilate(rulings, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    clean = raster.despeckle(gray.copy(), binary & ~rulings, dpi)
    clean[rulings > 0] = 255
    start = time.perf_counter()
    readings = []
    for lang in settings.cell_langs:
        words = ocr.tesseract_words(clean, settings, psm=psm, lang=lang)
        by_cell: dict[tuple[int, int], list] = {}
        for w in words:
            cx, cy = (w.x0 + w.x1) / 2, w.cy
            for ti, s in enumerate(shapes):
                for ci, cell in enumerate(s.cells):
                    x0, y0, x1, y1 = s.rect(cell)
                    if x0 <= cx < x1 and y0 <= cy < y1:
                        by_cell.setdefault((ti, ci), []).append(w)
        readings.append({k: ocr._cell_text(ws, low) for k, ws in by_cell.items()})
    seconds = time.perf_counter() - start
    out = []
    for ti, s in enumerate(shapes):
        texts = []
        for ci in range(len(s.cells)):
            text, _, _ = ocr._agree([r.get((ti, ci), ("", None)) for r in readings], low)
            texts.append(text)
        out.append(texts)
    return out, seconds


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import pypdfium2

    from lkj.extract import ocr
    from lkj.extract.grid import join_lines

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dump", type=Path)
    parser.add_argument("--psm", type=int, default=3)
    parser.add_argument("--scans", nargs="*", type=Path,
                        default=sorted((ROOT / "samples" / "scanned").glob("*.pdf")))
    args = parser.parse_args(argv)
    dump = json.loads(args.dump.read_text())
    settings = ocr.OcrSettings()
    same = total = 0
    page_s = 0.0
    for scan in args.scans:
        doc = pypdfium2.PdfDocument(str(scan))
        for p, page in dump["scans"][scan.name]["pages"].items():
            if not page["tables"]:
                continue
            bitmap = doc[int(p) - 1].render(scale=settings.dpi / 72, grayscale=True)
            gray = np.array(bitmap.to_pil().convert("L"))
            tables, seconds = page_cells(gray, settings, args.psm)
            page_s += seconds
            n_same = n = 0
            for ta, texts in zip(page["tables"], tables, strict=False):
                for cell, text in zip(ta["cells"], texts, strict=False):
                    n += 1
                    n_same += join_lines(cell[0]) == join_lines(text)
            print(f"{scan.name} p{p}: {n_same}/{n} cells as lkj reads them; "
                  f"Tesseract {seconds:.1f} s", file=sys.stderr, flush=True)
            same, total = same + n_same, total + n
    print(f"psm {args.psm}: {same}/{total} cells ({100 * same / max(total, 1):.1f}%) read as "
          f"per cell; Tesseract on whole pages {page_s:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
