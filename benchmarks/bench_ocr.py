"""Time OCR of scanned pages against the text-layer reading of the same pages.

Run from the repository root (or anywhere):

    .venv/bin/python benchmarks/bench_ocr.py                     # 2023 sample, its table pages
    .venv/bin/python benchmarks/bench_ocr.py --all-pages --repeat 3 --json out/bench-ocr.json
    .venv/bin/python benchmarks/bench_ocr.py --scan X-scan.pdf --text X.pdf

A scan and the text-layer PDF it was made from (samples/scanned/*-scan.pdf and samples/*.pdf)
are read on the same pages: the pages on which the text-layer reading finds tables (or all
pages). OCR is timed twice: as lkj reads (Tesseract in this process, where its library
loads) and as it read before (the `tesseract` program run for every image). Every
measurement gets one warm-up run, then `--repeat` timed runs, interleaved. The result is a
markdown table on stdout (progress on stderr): seconds, pages per second, and the ratio to
the text-layer reading of the same pages.

Wall time depends on what else the machine runs (OCR is CPU-bound: Tesseract runs one page
per CPU), so the CPU seconds used (this process and its Tesseract children) and the load
average are reported beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_TEXT = ROOT / "samples" / "lkj-bp3mi-ntb-2023.pdf"
DEFAULT_SCAN = ROOT / "samples" / "scanned" / "lkj-bp3mi-ntb-2023-scan.pdf"
BASELINE = "text_layer"


@dataclass
class Measurement:
    key: str
    label: str
    pages: int
    run: Callable[[], Any] = field(repr=False)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (Tesseract)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def text_layer_pages(path: Path, pages: list[int]) -> int:
    """What the text-layer path does on a page: its text, its lines and its ruled tables."""
    from lkj.extract import engines
    from lkj.extract.document import open_pdf, page_text

    n = 0
    with open_pdf(path) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            page_text(page)
            page.extract_text_lines()
            n += len(engines.pdfplumber_tables(page))
    return n


def ocr_pages(path: Path, pages: list[int], program: bool = False) -> int:
    """OCR alone: render, straighten, find the tables, Tesseract (lkj.extract.ocr); with
    `program`, Tesseract run as a program for every image (as before lkj.extract.
    tesseract_api: a program named by its path is run, not the library)."""
    import shutil

    from lkj.extract import ocr

    settings = ocr.OcrSettings(tesseract=shutil.which("tesseract") or "tesseract") \
        if program else None
    return sum(len(p.tables) for p in ocr.read_pages(path, pages, settings).values())


def extract(path: Path, pages: list[int] | None) -> int:
    from lkj.extract.report import extract_report
    from lkj.extract.settings import ExtractSettings

    settings = ExtractSettings(engine="pdfplumber", ocr_pages=pages)
    return len(extract_report(path, settings).tables)


def run_all(ms: list[Measurement], repeat: int) -> None:
    for m in ms:
        log(f"  warm-up: {m.label}")
        m.run()
    for i in range(repeat):
        log(f"  round {i + 1}/{repeat}")
        for m in ms:
            start, cpu = time.perf_counter(), cpu_seconds()
            m.run()
            m.times.append(time.perf_counter() - start)
            m.cpu.append(cpu_seconds() - cpu)


def markdown(ms: list[Measurement], scan: Path, text: Path, pages: list[int], repeat: int,
             load: tuple[float, float, float]) -> str:
    base = next(m for m in ms if m.key == BASELINE)
    per_page_base = base.median / base.pages
    lines = [
        f"### `{scan.name}` (OCR) against `{text.name}` (text layer), pages "
        f"{','.join(map(str, pages))}",
        "",
        f"Median of {repeat} run{'s' * (repeat != 1)} after one warm-up; ratio = seconds per "
        "page / seconds per page of the text-layer reading of the same pages.",
        "",
        "| measurement | pages | median s | CPU s | pages/s | ratio |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for m in ms:
        r = m.median / m.pages / per_page_base
        lines.append(f"| {m.label} | {m.pages} | {m.median:.2f} | "
                     f"{statistics.median(m.cpu):.2f} | {m.pages / m.median:.2f} | "
                     f"{r:.{0 if r >= 10 else 2}f}x |")
    versions = []
    for dist in ("pypdfium2", "opencv-python-headless", "pdfplumber"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            pass
    from lkj.extract import ocr

    settings = ocr.OcrSettings()
    from lkj.extract import tesseract_api

    lines += ["", f"- {os.cpu_count()} CPUs, load average {load[0]:.1f} at start, "
              f"{os.getloadavg()[0]:.1f} at the end; {settings.n_workers} pages read at a "
              f"time; OCR at {settings.dpi} dpi; Tesseract "
              + ("in this process (libtesseract)" if tesseract_api.available()
                 else "run as a program (libtesseract not loaded)"),
              f"- {tesseract_version()}; " + ", ".join(versions)]
    return "\n".join(lines)


def tesseract_version() -> str:
    import subprocess

    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                             check=False)
    except OSError:
        return "tesseract missing"
    return (out.stdout or out.stderr).splitlines()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scan", type=Path, default=DEFAULT_SCAN, help="image-only PDF")
    parser.add_argument("--text", type=Path, default=DEFAULT_TEXT,
                        help="the text-layer PDF the scan was made from")
    parser.add_argument("--all-pages", action="store_true",
                        help="every page, not only the pages with tables")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs (default 1)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    from lkj.extract import ocr
    from lkj.extract.report import extract_report
    from lkj.extract.settings import ExtractSettings

    ocr.check_tesseract()
    reference = extract_report(args.text, ExtractSettings(engine="pdfplumber"))
    pages = (list(range(1, reference.report["pages"] + 1)) if args.all_pages
             else reference.table_pages)
    log(f"{args.scan.name}: pages {','.join(map(str, pages))}")
    n = len(pages)
    ms = [
        Measurement(BASELINE, "text layer: page text, lines and pdfplumber tables", n,
                    lambda: text_layer_pages(args.text, pages)),
        Measurement("ocr_read", "OCR: render, deskew, rulings, Tesseract (`ocr.read_pages`)",
                    n, lambda: ocr_pages(args.scan, pages)),
        Measurement("ocr_program", "OCR as before: the same, Tesseract run as a program per "
                    "image", n, lambda: ocr_pages(args.scan, pages, program=True)),
        Measurement("ocr_extract", "OCR end to end: `extract_report`, `ocr_pages=...`",
                    n, lambda: extract(args.scan, pages)),
        Measurement("text_extract", "text layer end to end: `extract_report(pdf)`, all pages",
                    reference.report["pages"], lambda: extract(args.text, None)),
    ]
    load = os.getloadavg()
    run_all(ms, args.repeat)
    print(markdown(ms, args.scan, args.text, pages, args.repeat, load))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "scan": str(args.scan), "text": str(args.text), "pages": pages,
            "load_average": load, "tesseract": tesseract_version(),
            "measurements": [{"key": m.key, "label": m.label, "pages": m.pages,
                              "times": m.times, "cpu": m.cpu} for m in ms],
        }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
