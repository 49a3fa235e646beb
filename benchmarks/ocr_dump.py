"""Dump what OCR reads on scans, every value, to compare two versions of the OCR path.

    PYTHONPATH=. .venv/bin/python benchmarks/ocr_dump.py OUT.json [SCAN.pdf ...]
    .venv/bin/python benchmarks/ocr_dump.py --diff A.json B.json

Every page of each scan (default: samples/scanned/*.pdf) is read by `ocr.read_pages`; the
dump holds each page's text lines (text, box, confidence, stroke, bold) and each table's
cells (text, grid position, span, box, confidence). `--diff` prints what differs between
two dumps and exits 1 if anything does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def dump(scans: list[Path]) -> dict:
    from lkj.extract import ocr

    out: dict = {"lkj": __import__("lkj").__file__, "scans": {}}
    for scan in scans:
        import pypdfium2

        n = len(pypdfium2.PdfDocument(str(scan)))
        start = time.perf_counter()
        pages = ocr.read_pages(scan, list(range(1, n + 1)))
        seconds = time.perf_counter() - start
        print(f"{scan.name}: {n} pages in {seconds:.1f} s", file=sys.stderr, flush=True)
        out["scans"][scan.name] = {
            "seconds": seconds,
            "pages": {str(p): {
                "skew": page.skew,
                "lines": page.lines,
                "text": page.text,
                "tables": [{"page": t.page, "bbox": list(t.bbox), "cells": [
                    [c.text, c.row, c.col, c.rowspan, c.colspan, list(c.bbox), c.confidence]
                    for c in t.grid.cells]} for t in page.tables],
            } for p, page in sorted(pages.items())}}
    return out


def diff(a: dict, b: dict) -> list[str]:
    out = []
    for scan in sorted(set(a["scans"]) | set(b["scans"])):
        pa, pb = a["scans"].get(scan, {}).get("pages"), b["scans"].get(scan, {}).get("pages")
        if pa is None or pb is None:
            out.append(f"{scan}: only in one dump")
            continue
        for p in sorted(set(pa) | set(pb), key=int):
            x, y = pa.get(p), pb.get(p)
            if x == y:
                continue
            if x is None or y is None:
                out.append(f"{scan} p{p}: only in one dump")
                continue
            for key in ("skew", "text"):
                if x[key] != y[key]:
                    out.append(f"{scan} p{p} {key}: {x[key]!r} != {y[key]!r}")
            if x["lines"] != y["lines"]:
                for i, (la, lb) in enumerate(zip(x["lines"], y["lines"], strict=False)):
                    if la != lb:
                        out.append(f"{scan} p{p} line {i}: {la} != {lb}")
                if len(x["lines"]) != len(y["lines"]):
                    out.append(f"{scan} p{p}: {len(x['lines'])} != {len(y['lines'])} lines")
            for t, (ta, tb) in enumerate(zip(x["tables"], y["tables"], strict=False)):
                for ca, cb in zip(ta["cells"], tb["cells"], strict=False):
                    if ca != cb:
                        out.append(f"{scan} p{p} table {t} cell: {ca} != {cb}")
                if len(ta["cells"]) != len(tb["cells"]) or ta["bbox"] != tb["bbox"]:
                    out.append(f"{scan} p{p} table {t}: other grid")
            if len(x["tables"]) != len(y["tables"]):
                out.append(f"{scan} p{p}: {len(x['tables'])} != {len(y['tables'])} tables")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the dump to write (or with --diff: A B)")
    parser.add_argument("scans", type=Path, nargs="*")
    parser.add_argument("--diff", action="store_true", help="compare two dumps")
    args = parser.parse_args(argv)
    if args.diff:
        a = json.loads(args.out.read_text())
        b = json.loads(args.scans[0].read_text())
        lines = diff(a, b)
        print("\n".join(lines) or "identical")
        return 1 if lines else 0
    scans = args.scans or sorted((ROOT / "samples" / "scanned").glob("*.pdf"))
    args.out.write_text(json.dumps(dump(scans), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
