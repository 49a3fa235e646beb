"""One report end to end: PDF -> located tables -> cells -> tidy rows, with provenance."""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lkj.extract import engines
from lkj.extract.cells import grid_records
from lkj.extract.contents import Listed, listed_tables
from lkj.extract.document import (
    INFLATE_FAILURES,
    ReportError,
    check_file,
    has_text_layer,
    light_text_map,
    open_pdf,
    page_text,
    raise_out_of_memory,
    readable,
    rulings,
)
from lkj.extract.folios import printed_folios
from lkj.extract.locate import LocatedTable, locate_tables
from lkj.extract.narrative import Line, PageLines, extract_claims, read_polarities
from lkj.extract.normalise import Rows, normalise_table
from lkj.extract.settings import READERS, ExtractSettings
from lkj.schemas import contract, families, registry
from lkj.text import page_list

if TYPE_CHECKING:
    from lkj.extract.ocr import OcrPage

_LKJ_WORDS = re.compile(r"laporan\s+kinerja|\blakip\b|\blkjip\b|\blkip\b|\blkj\b", re.IGNORECASE)
_TITLE_WORDS = re.compile(r"laporan\s+kinerja|laporan\s+akuntabilitas", re.IGNORECASE)
_YEAR_AFTER_TAHUN = re.compile(r"tahun\s+(?:anggaran\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
#: "Tahun YYYY" that is not the report's year: a regulation cited by its number and year
#: ("Undang-Undang Nomor 23 Tahun 2014", "PP No. 8 Tahun 2006"), or a plan's span of years
#: ("Renstra Tahun 2013 - 2018", "tahun 2005 s.d. 2025").
_NOT_THE_REPORT_YEAR = re.compile(
    r"\b(?:nomor|no)\b\.?\s*:?\s*[\w./-]*\d[\w./-]*\s+tahun\s+(?:19|20)\d\d\b"
    r"|tahun\s+(?:19|20)\d\d\s*(?:[-\u2013\u2014]|s\.?\s*/?\s*d\.?|sampai(?:\s+dengan)?)"
    r"\s*(?:tahun\s+)?(?:19|20)\d\d\b", re.IGNORECASE)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
#: Pages read for the report's identity (cover, foreword, contents).
FRONT_PAGES = 3
#: Pages read for the name of an office the registry does not list (cover, foreword,
#: summary, the office's introduction).
AGENCY_PAGES = 8


@dataclass
class Extraction:
    """Everything read from one report."""

    report: dict[str, Any]
    tables: list[LocatedTable]
    rows: Rows
    page_texts: list[str]
    seconds: float = 0.0
    engine: str = "pdfplumber"
    table_pages: list[int] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR (scanned)
    #: Tables the report's DAFTAR TABEL lists that were not read: `tables` records with no
    #: pages and 0 rows, their flags saying why.
    missing_tables: list[dict] = field(default_factory=list)
    #: Every table cell read by OCR, with its confidence (`ocr_cells` records).
    ocr_cells: list[dict] = field(default_factory=list)
    #: PDF page -> the folio printed on it, where confirmed (lkj.extract.folios).
    folios: dict[int, str] = field(default_factory=dict)
    #: Every cell of every table, whatever its family (`cells` records).
    cells: list[dict] = field(default_factory=list)
    #: The file read (None: read from bytes); the store keeps it as reports.source_path.
    path: Path | None = None

    def records(self) -> dict[str, list[dict]]:
        rid = self.report["report_id"]
        tables = [{
            "report_id": rid, "table_id": t.table_id, "table_part": t.part, "title": t.title,
            "family": t.family, "pages": ",".join(map(str, t.pages)), "rows": t.n_rows,
            "engine": t.engine, "verified": t.verified, "flags": "; ".join(t.flags) or None,
        } for t in self.tables] + self.missing_tables
        return {"report": [self.report], "tables": tables, "iku": self.rows.iku,
                "quarterly": self.rows.quarterly, "events": self.rows.events,
                "budget": self.rows.budget, "comparison": self.rows.comparison,
                "stated_totals": self.rows.stated_totals,
                "claims": self.claims, "pages": [
                    {"report_id": rid, "page": n, "folio": self.folios.get(n),
                     "ocr": n in self.ocr_pages}
                    for n in range(1, int(self.report["pages"] or 0) + 1)],
                "ocr_cells": self.ocr_cells, "cells": self.cells}

    def columned(self) -> dict[str, tuple[list[str], list[dict]]]:
        """Each output table as (columns in contract order, records)."""
        out = {}
        for name, recs in self.records().items():
            cols = contract.COLUMNS[name]
            extra = [k for r in recs for k in r if k not in cols]
            out[name] = (cols + list(dict.fromkeys(extra)), recs)
        return out

    def frames(self) -> dict[str, Any]:
        """pandas DataFrames in contract column order (pandas imported on use).

        Object dtype keeps each value as parsed: a whole number stays an int beside a null
        instead of becoming 16000.0.
        """
        import pandas as pd

        return {name: pd.DataFrame(recs, columns=cols, dtype=object)
                for name, (cols, recs) in self.columned().items()}


def identify(page_texts: list[str], path: Path, sha256: str) -> dict[str, Any]:
    """Agency, year and title from the front pages; unknown parts are flagged, not guessed."""
    front = "\n".join(page_texts[:FRONT_PAGES])
    flags = []
    found = registry.find_agency(front)
    if found is None and (found := registry.printed_agency(
            "\n".join(page_texts[:AGENCY_PAGES]))) is not None:
        flags.append(f"agency not in the registry: named from its printed name "
                     f"'{found[1]}' (an alias in lkj/schemas/registry.py joins it with "
                     "its other names)")
    agency, printed = found if found else (None, None)
    if agency is None:
        flags.append("unknown agency (add it to lkj/schemas/registry.py)")
    uncited = _NOT_THE_REPORT_YEAR.sub(" ", front)
    years = running_years(page_texts) or Counter(_YEAR_AFTER_TAHUN.findall(uncited)) or \
        Counter(_YEAR.findall(_NOT_THE_REPORT_YEAR.sub(" ", page_texts[0])))
    year = None
    if years:
        (year_s, n), *rest = years.most_common()
        year = int(year_s)
        if rest and rest[0][1] == n:
            flags.append(f"year ambiguous between {year_s} and {rest[0][0]}")
            year = None
    else:
        flags.append("no report year found on the front pages")
    lines = [ln.strip() for t in page_texts[:FRONT_PAGES] for ln in t.splitlines()]
    title_line = next((ln for ln in lines if _TITLE_WORDS.search(ln)),
                      next((ln for ln in lines if _LKJ_WORDS.search(ln)), None))
    report_id = (f"{agency.agency_id}-{year}" if agency and year
                 else f"sha-{sha256[:12]}")
    return {
        "report_id": report_id, "agency_id": agency.agency_id if agency else None,
        "agency": agency.name if agency else None, "agency_raw": printed,
        "province": agency.province if agency else None, "year": year,
        "title": title_line, "source_file": path.name, "sha256": sha256,
        "pages": len(page_texts), "flags": "; ".join(flags) or None,
    }


#: A page number glued to a running footer ("12LKIP Dinas ...", "... 2020 12").
_PAGE_NUMBER = re.compile(r"^\d{1,3}(?=[^\W\d_])|(?<=\D) \d{1,3}$")
#: A running header or footer is a short line, not prose.
RUNNING_LINE_WORDS = 12


def running_years(page_texts: list[str]) -> Counter:
    """The year a report's running header or footer prints ("LKIP Dinas Perikanan ... 2020"
    on every page): years of short lines that come back on three pages or more and on a
    third of them (page numbers aside), each line naming one year. Empty where there is
    none. Real reports often have no cover page: they are known by these."""
    pages: Counter = Counter()
    for text in page_texts:
        pages.update({_PAGE_NUMBER.sub("", " ".join(ln.split())) for ln in text.splitlines()
                      if ln.strip()})
    least = max(3, len(page_texts) // 3)
    years: Counter = Counter()
    for line, n in pages.items():
        found = set(_YEAR.findall(line))
        if n >= least and len(found) == 1 and len(line.split()) <= RUNNING_LINE_WORDS:
            years[found.pop()] += n
    return years


def add_flags(report: dict[str, Any], notes: Iterable[str]) -> None:
    """Append notes to the report's flags ("; " between them)."""
    report["flags"] = "; ".join(filter(None, [report["flags"], *notes]))


def _may_hold_table(page: Any) -> bool:
    """Cheap pre-filter: a ruled table needs ruling lines or rectangles (counted on the
    pdfminer layout, before pdfplumber builds its objects)."""
    try:
        return rulings(page) >= 4
    except Exception as exc:  # a broken content stream (page_text gave ""): no table read there
        raise_out_of_memory(exc)
        return False


@contextmanager
def _page_reader(path: Path, reader: str) -> Iterator[Any]:
    """The pdfium reader of the file, or None (pdfminer reads every page): also where
    pdfium cannot open a file pdfminer opened."""
    if reader != "pdfium":
        yield None
        return
    from lkj.extract.pdfium import Reader

    try:
        fast = Reader(path)
    except Exception as exc:
        raise_out_of_memory(exc)
        yield None
        return
    try:
        yield fast
    finally:
        fast.close()


def _unreadable(page: Any) -> bool:
    """Whether pdfminer fails on the page's content (a blank page is readable)."""
    try:
        page.layout  # noqa: B018 (parsing is the point)
    except Exception as exc:
        raise_out_of_memory(exc)
        return True
    return False


#: What extract_report tells of its progress: (step, page number, pages in the file), once
#: a page is begun. A limit on the time a page may take rests on it (lkj.archive.batch).
Progress = Callable[[str, int, int], None]


def _no_progress(step: str, page: int, pages: int) -> None:
    pass


def extract_report(path: Path | str, settings: ExtractSettings | None = None,
                   progress: Progress | None = None) -> Extraction:
    """Read one LKj PDF into tidy rows. Raises ReportError with a one-line reason.

    `settings` (lkj.extract.settings.ExtractSettings; default: its defaults) chooses the
    engines (lkj.extract.engines.CHOICES) and the page reader (see READERS). Pages without a
    text layer whose content is an image (scans) are read by OCR (`lkj.extract.ocr`,
    Tesseract, as `settings.ocr` says); `settings.ocr_pages` limits OCR to those page
    numbers (1-based; the other scanned pages are skipped and named in the report's flags),
    for tests and benchmarks. Its limits are a worker's (lkj.archive.batch), not read here.
    `progress` is told of each page as it is begun, step by step (see Progress).
    """
    settings = settings or ExtractSettings()
    choice = engines.CHOICES[settings.engine]
    reader = settings.reader or os.environ.get("LKJ_READER") or READERS[0]
    if reader not in READERS:
        raise ValueError(f"LKJ_READER must be one of {', '.join(READERS)}, got {reader!r}")
    start = time.perf_counter()
    path = Path(path)
    tell = progress or _no_progress
    tell("opening", 0, 0)
    source = check_file(path)
    with open_pdf(path) as pdf, _page_reader(path, reader) as fast:
        n_pages = len(pdf.pages)

        damaged: dict[int, str] = {}  # page -> a stream of it that failed to inflate
        INFLATE_FAILURES.clear()

        def pages(step: str, which: Any = None) -> Any:
            for page in pdf.pages if which is None else which:
                tell(step, page.page_number, n_pages)
                if fast is not None and not hasattr(page, "read_by"):
                    fast.install(page)
                yield page
                if INFLATE_FAILURES:  # what reading that page met
                    damaged.setdefault(page.page_number, INFLATE_FAILURES[0])
                    INFLATE_FAILURES.clear()

        # Only pages that may hold a table get pdfplumber's full objects (rulings, chars
        # with colours); the others are read from the pdfminer layout as text alone.
        candidates = [readable(p) for p in pages("reading") if _may_hold_table(p)]
        wanted = {p.page_number: p for p in candidates}
        maps = {p.page_number: light_text_map(p) for p in pages("reading text")
                if p.page_number not in wanted}
        texts = [page_text(wanted[p.page_number]) if p.page_number in wanted else
                 (maps[p.page_number].as_string if maps[p.page_number] is not None else "")
                 for p in pdf.pages]
        scanned, ocr_read, ocr_notes = _read_scanned(
            path, pdf, texts, settings.ocr_pages,
            choice.scans(settings, lambda n: tell("OCR", n, n_pages)))
        for number, ocr_page in ocr_read.items():
            texts[number - 1] = ocr_page.text
        candidates = [p for p in candidates if p.page_number not in ocr_read]
        if not has_text_layer(texts):
            if damaged:
                n, why = min(damaged.items())
                raise ReportError(path, f"no text to read: page {n}: {why}")
            raise ReportError(path, "no text layer and no page images to read (not a report?)"
                              if not scanned else "scanned pages gave no text")
        report = identify(texts, path, source.sha256)
        if ocr_notes:
            add_flags(report, ocr_notes)
        broken = [p.page_number for p, t in zip(pdf.pages, texts, strict=True)
                  if not t and p.page_number not in scanned and _unreadable(p)]
        if broken:
            note = f"unreadable page(s) {','.join(map(str, broken))}: no tables read there"
            add_flags(report, [note])
        primary = choice.primary(settings)
        per_page, lost = [], []
        for page in pages("reading tables", candidates):
            try:
                found = primary.read(path, [page]) if primary.by_page else {}
                per_page.append((page, page.extract_text_lines(), _tables(found, page.page_number)))
            except Exception as exc:  # one odd object costs its page, not the report
                raise_out_of_memory(exc)
                lost.append(f"page {page.page_number}: tables not read "
                            f"({type(exc).__name__}: {exc})")
        if lost:
            add_flags(report, lost)
        if not primary.by_page:  # an engine that reads the file: the same pages at once
            found = primary.read(path, candidates)
            per_page = [(p, lines, _tables(found, p.page_number)) for p, lines, _ in per_page]
        per_page += [(pdf.pages[n - 1], op.lines, op.tables) for n, op in ocr_read.items()]
        per_page.sort(key=lambda x: x[0].page_number)
        located = locate_tables([x for x in per_page if x[2]])
        for t in located:
            t.engine = primary.name
        if choice.check is not None:
            _cross_check(path, located, pdf.pages, primary, choice.check(settings))
        scans = choice.scans.name
        for t in located:
            if any(seg.engine == scans for seg in t.segments):
                t.engine = scans if all(seg.engine == scans for seg in t.segments) \
                    else f"{t.engine}+{scans}"
        read_pages = [wanted.get(p.page_number, p) for p in pdf.pages]
        prose = _running_text(pages("reading text", read_pages), located,
                              {n: op.lines for n, op in ocr_read.items()}, maps, report)
        if damaged:
            add_flags(report, [f"page {n}: {why}, what it draws is not read"
                               for n, why in sorted(damaged.items())])
    unknown = [t for t in located if not t.family]
    known = [t for t in located if t.family]
    # A table of no known family is kept as its cells where it holds any text at all.
    kept = [t for t in unknown if any(c.text.strip() for c in t.grid.cells)]
    if not known and (not kept or not _LKJ_WORDS.search("\n".join(texts))):
        what = "no LKj tables found" if _LKJ_WORDS.search("\n".join(texts)) else \
            "not an LKj (no performance-report words and no LKj tables)"
        if unknown:  # ruled tables, but no performance-report words anywhere
            pages = sorted({p for t in unknown for p in t.pages})
            where = f"{len(pages)} pages" if len(pages) > 6 else \
                f"page{'s' if len(pages) > 1 else ''} {page_list(pages)}"
            what += (f" ({len(unknown)} ruled table{'s' if len(unknown) > 1 else ''} on "
                     f"{where}, none of a family lkj knows)")
        raise ReportError(path, what)
    for t in kept:  # kept as cells, never dropped
        t.family = families.OTHER
        t.flags.append("of no family lkj knows: kept as cells only")
    located = [t for t in located if t.family]  # empty grids of no family: nothing to keep
    if not known:
        add_flags(report, [f"no table of a family lkj knows: {len(kept)} "
                           f"table{'s' if len(kept) > 1 else ''} kept as cells only"])
    rows = Rows()
    for table in located:
        rows.extend(normalise_table(table, report["report_id"], report["year"]))
    if ocr_read:
        from lkj.extract import confidence

        threshold = settings.ocr.low_confidence
        confidence.flag_low_confidence(located, rows, threshold)
        cells = confidence.cell_records(located, report["report_id"], threshold)
    else:
        cells = []
    claims = extract_claims(prose, report["report_id"])
    read_polarities(claims, rows.iku)
    missing = missing_tables(listed_tables(texts), located, report["report_id"])
    return Extraction(report, located, rows, texts, time.perf_counter() - start,
                      settings.engine, sorted({p for t in located for p in t.pages}), claims,
                      sorted(ocr_read), missing, cells, printed_folios(texts),
                      grid_records(located, report["report_id"]), path)


def missing_tables(listed: list[Listed], located: list[LocatedTable],
                   report_id: str) -> list[dict[str, Any]]:
    """`tables` records for the tables the report lists (DAFTAR TABEL) that were not found:
    no pages, 0 rows, and why in the flags. (A table found with a header lkj does not know
    is read, as family `other`: its cells are kept.)"""
    read = {t.table_id for t in located}
    out = []
    for entry in listed:
        if entry.table_id in read:
            continue
        printed = f", printed page {entry.printed_page}" if entry.printed_page else ""
        out.append({"report_id": report_id, "table_id": entry.table_id, "table_part": 1,
                    "title": entry.title, "family": None, "pages": None, "rows": 0,
                    "engine": None, "verified": None,
                    "flags": f"listed in DAFTAR TABEL (page {entry.page}{printed}) but not "
                             "found in the report"})
    return out


def _tables(found: Mapping[int, engines.PageRead], page: int) -> list[engines.FoundTable]:
    """The tables an engine found on a page (none where it read nothing there)."""
    read = found.get(page)
    return read.tables if read is not None else []


def _read_scanned(path: Path, pdf: Any, texts: list[str], only: Collection[int] | None,
                  scans: engines.Engine) -> tuple[list[int], dict[int, OcrPage], list[str]]:
    """OCR of the scanned pages (`scans`, the engine reading them): (scanned page numbers,
    what OCR read, report flags).

    No scanned page: OpenCV and Tesseract are not touched. A report that is all scans
    cannot be read without Tesseract (ReportError saying how to install it); a report with
    some scanned pages is read without them, and says so.
    """
    from lkj.extract import ocr

    searchable = ocr.searchable_pages(path, pdf.pages, texts)
    scanned = sorted(ocr.scanned_pages(pdf.pages, texts) + searchable)
    if not scanned:
        return [], {}, []
    wanted = [n for n in scanned if only is None or n in only]
    notes = []
    skipped = [n for n in scanned if n not in wanted]
    try:
        read = dict(scans.read(path, [pdf.pages[n - 1] for n in wanted])) if wanted else {}
    except ocr.OcrError as exc:
        if not has_text_layer(texts):
            raise ReportError(path, f"no text layer (a scanned PDF) and {exc}") from exc
        read, skipped = {}, scanned
        notes.append(f"scanned page(s) {page_list(skipped)} not read: {exc}")
    else:
        if skipped:
            notes.append(f"scanned page(s) {page_list(skipped)} not read (OCR limited to "
                         f"pages {page_list(only or [])})")
    if read:
        plural = "s" if len(read) != 1 else ""
        notes.insert(0, f"read by OCR ({len(read)} page{plural}: {page_list(read)})")
        if over := [n for n in searchable if n in read]:
            notes.insert(1, f"searchable scan: the scanner's invisible text layer of page(s) "
                         f"{page_list(over)} not used (a table's rulings are in the image)")
    return scanned, read, notes


def _running_text(pages: Iterable[Any], located: list[LocatedTable],
                  ocr_lines: dict[int, list[dict]] | None = None,
                  text_maps: dict[int, Any] | None = None,
                  report: dict[str, Any] | None = None) -> PageLines:
    """Each page's lines with its tables and their captions cut out: what the report says
    in prose. Bold lines are marked (headings name the subject of what follows); OCR gives
    no font, so a line of a scanned page is bold where its strokes are thicker than the body
    text's (`lkj.extract.ocr.mark_bold`). `text_maps` are the light text maps of pages
    without tables (lkj.extract.document.light_text_map). A page whose text cannot be read
    is named in the report's flags."""
    boxes: dict[int, list[tuple]] = {}
    for table in located:
        for i, seg in enumerate(table.segments):
            top = table.caption_top if i == 0 and table.caption_top is not None else seg.bbox[1]
            boxes.setdefault(seg.page, []).append((top, seg.bbox[3]))
    out, lost = [], []
    for page in pages:
        if ocr_lines and page.page_number in ocr_lines:
            cut = boxes.get(page.page_number, [])
            out.append((page.page_number, [
                Line(ln["text"], ln.get("bold", False)) for ln in ocr_lines[page.page_number]
                if not any(top - 1 <= ln["top"] and ln["bottom"] <= bottom + 1
                           for top, bottom in cut)]))
            continue
        light = (text_maps or {}).get(page.page_number, False)
        try:
            cropped = page
            for top, bottom in boxes.get(page.page_number, []):
                # a table drawn a hair past the page edge is cut where the page ends
                x0, page_top, x1, page_bottom = page.bbox
                top, bottom = max(top, page_top), min(bottom, page_bottom)
                if bottom > top:
                    cropped = cropped.outside_bbox((x0, top, x1, bottom))
            if light is not False and not boxes.get(page.page_number):
                lines = light.extract_text_lines(strip=True, return_chars=True) \
                    if light is not None else []
            else:
                lines = cropped.extract_text_lines(return_chars=True)
        except Exception as exc:  # one unreadable page must not sink the report
            raise_out_of_memory(exc)
            lines = []
            lost.append(f"page {page.page_number}: running text not read "
                        f"({type(exc).__name__}: {exc})")
        out.append((page.page_number, [Line(ln["text"], _is_bold(ln["chars"])) for ln in lines]))
    if lost and report is not None:
        add_flags(report, lost)
    return out


def _is_bold(chars: list[dict]) -> bool:
    fonts = [c.get("fontname", "") for c in chars if c.get("text", " ").strip()]
    return bool(fonts) and all(re.search(r"bold|black|heavy", f, re.IGNORECASE) for f in fonts)


def _overlap(a: tuple, b: tuple) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return (w * h) / ((a[2] - a[0]) * (a[3] - a[1]))


def _cross_check(path: Path, located: list[LocatedTable], all_pages: Sequence[Any],
                 primary: engines.Engine, checker: engines.Engine) -> None:
    """Read the same pages with the checking engine and flag every segment the two engines
    read apart (the tables of scanned pages are not checked)."""
    checked = [t for t in located
               if not any(s.engine == engines.Ocr.name for s in t.segments)]
    pages = sorted({s.page for t in checked for s in t.segments})
    found = checker.read(path, [all_pages[n - 1] for n in pages])
    for table in checked:
        problems = []
        for seg in table.segments:
            others = _tables(found, seg.page)
            match = max(others, key=lambda o: _overlap(seg.bbox, o.bbox), default=None)
            if match is None or _overlap(seg.bbox, match.bbox) < 0.8:
                problems.append(f"{checker.name} found no table at page {seg.page}")
                continue
            problems += [f"page {seg.page}: {p}" for p in engines.compare_grids(seg.grid,
                                                                                 match.grid)]
        table.engine = f"{primary.name}+{checker.name}"
        table.verified = not problems
        if problems:
            table.flags.append("engines disagree: " + "; ".join(problems))
