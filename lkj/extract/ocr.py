"""Reading scanned pages (no text layer) with Tesseract: ruled tables and the text around them.

A scanned LKj page is rendered (pypdfium2), straightened and its ruled tables found as grids
of cells with spans (`lkj.extract.raster`). Tesseract then reads:

1. the page around the tables (captions, titles, running text) as text lines, Indonesian;
2. every table cell, each cut out and stacked on one sheet, so that a word belongs to exactly
   one cell; once with each of two models (English, Indonesian): where they disagree, the
   cell is uncertain;
3. the cells that hold figures, once more, restricted to digits, separators and the unit
   words read in pass 2 (`88.73%` must not come back as `88.73Yo`);
4. the cells with letters that both models read alike, once more by the Latin-script model
   (trained on every language written in the Latin alphabet): where it reads them otherwise,
   the cell is uncertain. The two language models share blind spots (both read a printed
   'q', rare in their languages, as 'g', and surely: "Baloq" as "Balog"); this one does not.
   It reads with the language models' alphabet (`CHECK_CHARS`) and only doubts: the text
   kept is the language models'.

The result has the shapes of the text-layer path (`FoundTable` with a `Grid`, engine "ocr",
and pdfplumber-like text line dicts), so locating, normalising and checking work unchanged.
Every OCR cell carries Tesseract's confidence (`Cell.confidence`, percent); the cells under
`LOW_CONFIDENCE` are named on their table and rows by `lkj.extract.confidence`.

OpenCV, numpy and pypdfium2 are imported on use (the `ocr` extra); Tesseract (its library,
libtesseract.so.5, read in this process; else the `tesseract` program) and its models come
from the system: `apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-script-latn`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import string
import subprocess
import threading
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lkj.extract import numbers, raster
from lkj.extract.document import raise_out_of_memory
from lkj.extract.grid import Cell, FoundTable, Grid, join_lines
from lkj.schemas import families

if TYPE_CHECKING:
    import numpy as np

#: The engine's name in lkj's output (a table's `engine`; lkj.extract.engines.Ocr).
ENGINE = "ocr"
#: Cells whose least certain word Tesseract rates below this (percent) are flagged.
LOW_CONFIDENCE = 80.0
#: Resolution pages are rendered at for OCR (Tesseract reads best at about 300 dpi).
OCR_DPI = 300
#: How to get Tesseract and the models it reads with (Debian / Ubuntu).
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-script-latn"
#: Cells are stacked on sheets no taller than this (pixels) for one Tesseract run each.
MAX_SHEET_HEIGHT = 12000
#: A page counts as scanned when images cover this share of it and it has no text layer.
MIN_IMAGE_COVER = 0.3
#: Characters a figure may be printed with (the numeric pass adds the unit words' letters).
FIGURE_CHARS = "0123456789.,%-+:/()"
#: Unit and scale words a figure cell may hold besides the figure ("16.000 Orang", "Rp.").
UNIT_WORDS = frozenset(numbers.COUNT_UNITS | numbers.SCORE_UNITS
                       | {"rp", "persen", "ribu", "rb", "juta", "jt", "miliar", "milyar",
                          "triliun", "org"})
_TOKEN_PUNCT = "()[]:;,.-–"
#: What the check model may read (step 4): the alphabet the language models write. The
#: script model also knows letters such as 'Ł', which it reads for a plain 'L' at times.
CHECK_CHARS = string.ascii_letters + string.digits + string.punctuation + " “”‘’–—•°"
#: A text line whose strokes are this much thicker than the body text's is bold. On the
#: synthetic 150 dpi scans bold lines measure 1.11-1.33 times the body's and lines of running
#: text at most 1.06; lines in capitals that are not bold (a table of contents) may pass.
BOLD_STROKE = 1.1
#: Characters of text needed to know how thick the body text's strokes are.
MIN_BODY_CHARS = 400
#: Letters a line needs to be judged bold: figures and marks have strokes of their own (the
#: last line of a paragraph, "(88.73%).", measures as thick as a bold one).
MIN_BOLD_LETTERS = 4


class OcrError(RuntimeError):
    """OCR could not be done; the message says why in one line."""


class OcrUnavailable(OcrError):
    """Tesseract (or a model it needs) is missing; the message says how to install it."""


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read. Checked on creation, as pdfplumber checks its settings."""

    dpi: int = field(default=OCR_DPI, metadata={"help":
        "resolution scans are rendered at (dots per inch, 150-600)"})
    #: The page around the tables: Indonesian prose and captions.
    lang: str = field(default="ind", metadata={"help":
        "Tesseract model of the text around the tables"})
    #: Table cells are read once with each model; where they disagree the cell is uncertain.
    #: English first: the Debian `ind` model reads "%" as "Yo" or "96".
    cell_langs: tuple[str, ...] = field(default=("eng", "ind"), metadata={"help":
        "Tesseract models each table cell is read with (where they disagree, it is uncertain)"})
    #: Cells with letters that the cell models read alike are read again with this model;
    #: where it reads them otherwise the cell is uncertain (None: no such check). A model of
    #: the script, not of a language: it errs where the language models do not (a letter
    #: rare in English and Indonesian read as a common one by both), so it catches their
    #: sure misreadings.
    check_lang: str | None = field(default="Latin", metadata={"help":
        "Tesseract model a cell the cell models agree on is checked with (none: no check)"})
    #: Figure cells, read again restricted to figure characters.
    figure_lang: str = field(default="eng", metadata={"help":
        "Tesseract model figure cells are read again with"})
    low_confidence: float = field(default=LOW_CONFIDENCE, metadata={"help":
        "OCR confidence (percent) under which a cell is flagged"})
    tesseract: str = field(default="tesseract", metadata={"help": "the Tesseract program"})
    workers: int = field(default=0, metadata={"help":
        "pages read by OCR in parallel (0: one per CPU)"})

    def __post_init__(self) -> None:
        if not 150 <= self.dpi <= 600:
            raise ValueError(f"dpi must be between 150 and 600, got {self.dpi}")
        if not 0 <= self.low_confidence <= 100:
            raise ValueError(f"low_confidence is a percentage (0-100), got {self.low_confidence}")
        if self.workers < 0:
            raise ValueError(f"workers must be >= 0, got {self.workers}")
        if not self.cell_langs:
            raise ValueError("cell_langs needs at least one Tesseract model")
        for name in ("lang", "figure_lang", "cell_langs", "check_lang"):
            value = getattr(self, name)
            for lang in value if isinstance(value, tuple) else filter(None, [value]):
                if not re.fullmatch(r"[A-Za-z_]+(\+[A-Za-z_]+)*", lang):
                    raise ValueError(f"{name} must be Tesseract model names like 'ind', "
                                     f"got {lang!r}")

    @property
    def n_workers(self) -> int:
        return self.workers or max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------------- Tesseract

def check_tesseract(settings: OcrSettings | None = None) -> None:
    """Raise OcrUnavailable, with the install command, unless Tesseract and its model are
    there."""
    settings = settings or OcrSettings()
    exe = shutil.which(settings.tesseract)
    if exe is None:
        raise OcrUnavailable(f"Tesseract OCR is not installed: {INSTALL_HINT}")
    wanted = dict.fromkeys("+".join([settings.lang, settings.figure_lang, *settings.cell_langs,
                                      *filter(None, [settings.check_lang])]).split("+"))
    missing = [lang for lang in wanted if lang not in _languages(exe)]
    if missing:
        raise OcrUnavailable(f"Tesseract has no {', '.join(map(repr, missing))} language "
                             f"model{'s' * (len(missing) > 1)}: {INSTALL_HINT}")


@lru_cache(maxsize=4)
def _languages(exe: str) -> frozenset[str]:
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                             timeout=30, check=False)
    except OSError:
        return frozenset()
    return frozenset(ln.strip() for ln in (out.stdout + out.stderr).splitlines()[1:])


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: text, confidence (percent), box in pixels, and its line."""

    text: str
    conf: float
    x0: int
    top: int
    x1: int
    bottom: int
    line: tuple[int, int, int]  # (block, paragraph, line) as Tesseract numbered them

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@lru_cache(maxsize=1)
def dot_product() -> str:
    """Tesseract's dot-product kernel, pinned so that a scan reads the same on any machine.
    Left to itself Tesseract takes the widest the CPU has (AVX-512, AVX2, SSE), and each
    sums in another order: the same page gets other confidences, and so other cells flagged,
    on another machine. AVX2 and the plain C kernel read alike; AVX2 where the CPU has it
    (nearly every x86-64 since 2013), else the plain C kernel ("generic", slower)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        flags = ""
    return "avx2" if re.search(r"^flags\s*:.*\bavx2\b", flags, re.MULTILINE) else "generic"


def tesseract_words(image: np.ndarray, settings: OcrSettings, psm: int,
                    whitelist: str | None = None, lang: str | None = None) -> list[Word]:
    """Words of a grayscale image, as `tesseract stdin stdout tsv` reads them: in this
    process through Tesseract's library where it loads (lkj.extract.tesseract_api: no
    program started, no model loaded again), else by the program (the PNG goes in on
    stdin, no temp files). Both give the same TSV."""
    from lkj.extract import tesseract_api

    lang = lang or settings.lang
    if settings.tesseract == "tesseract" and tesseract_api.available():
        try:
            with tesseract_api.lease(lang, dot_product()) as api:
                return _tsv_words(api.tsv(image, psm, settings.dpi, whitelist))
        except tesseract_api.TesseractApiError as exc:
            raise OcrError(str(exc)) from exc
    return _tsv_words(_run_tesseract(image, settings, psm, whitelist, lang))


def _run_tesseract(image: np.ndarray, settings: OcrSettings, psm: int, whitelist: str | None,
                   lang: str) -> str:
    """The TSV the `tesseract` program prints for an image."""
    import cv2

    ok, png = cv2.imencode(".png", image)
    if not ok:
        raise OcrError("could not encode the page image for Tesseract")
    cmd = [settings.tesseract, "stdin", "stdout", "-l", lang, "--psm", str(psm),
           "--dpi", str(settings.dpi), "-c", f"dotproduct={dot_product()}"]
    if whitelist:
        cmd += ["-c", f"tessedit_char_whitelist={whitelist}"]
    cmd.append("tsv")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # pages run in parallel instead
    try:
        done = subprocess.run(cmd, input=png.tobytes(), capture_output=True, env=env,
                              timeout=300, check=False)
    except FileNotFoundError as exc:
        raise OcrUnavailable(f"Tesseract OCR is not installed: {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrError("Tesseract took more than 300 s on one image") from exc
    if done.returncode != 0:
        err = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
        raise OcrError(f"Tesseract failed (exit {done.returncode}): {err}")
    return done.stdout.decode("utf-8", "replace")


def _tsv_words(tsv: str) -> list[Word]:
    """The words (level 5 rows) of Tesseract's TSV."""
    words = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = int(row["left"]), int(row["top"])
        words.append(Word(text, float(row["conf"]), left, top, left + int(row["width"]),
                          top + int(row["height"]),
                          (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))))
    return words


# --------------------------------------------------------------------------------- reading

@dataclass
class OcrPage:
    """What OCR read on one page, in PDF points (pdfplumber's top-left coordinates)."""

    page_number: int
    #: text lines outside tables: text, x0, x1, top, bottom, confidence, stroke (pixels);
    #: "bold" once `read_pages` has compared the strokes of all the pages it read
    lines: list[dict]
    tables: list[FoundTable]
    skew: float  # degrees the scan was turned back
    seconds: float = 0.0
    text: str = ""  # all text in reading order (lines and table rows), for identification


@dataclass
class _Slot:
    """A cell cut out of the page and placed on a sheet for Tesseract."""

    key: tuple[int, int]  # (table index, cell index)
    sheet_top: int
    height: int


def _stack(crops: Sequence[tuple[tuple[int, int], np.ndarray]], gap: int
           ) -> tuple[np.ndarray, list[_Slot]]:
    """Cell images stacked on one white sheet, each on its own rows, left-aligned."""
    import numpy as np

    width = max(c.shape[1] for _, c in crops) + 2 * gap
    height = sum(c.shape[0] for _, c in crops) + gap * (len(crops) + 1)
    sheet = np.full((height, width), 255, dtype=np.uint8)
    slots, y = [], gap
    for key, crop in crops:
        h, w = crop.shape
        sheet[y:y + h, gap:gap + w] = crop
        slots.append(_Slot(key, y, h))
        y += h + gap
    return sheet, slots


def _read_sheet(crops: Sequence[tuple[tuple[int, int], np.ndarray]], settings: OcrSettings,
                lang: str, whitelist: str | None = None) -> dict[tuple[int, int], list[Word]]:
    """Read cells stacked on sheets (one Tesseract run per sheet of at most MAX_SHEET_HEIGHT
    pixels); each word goes back to the cell whose slot holds it."""
    gap = max(20, settings.dpi // 8)
    out: dict[tuple[int, int], list[Word]] = {}
    batch: list[tuple[tuple[int, int], np.ndarray]] = []
    height = 0
    for item in [*crops, None]:
        if item is not None and (not batch or height + item[1].shape[0] + gap
                                 <= MAX_SHEET_HEIGHT):
            batch.append(item)
            height += item[1].shape[0] + gap
            continue
        if batch:
            sheet, slots = _stack(batch, gap)
            out.update({s.key: [] for s in slots})
            for word in tesseract_words(sheet, settings, psm=6, whitelist=whitelist, lang=lang):
                slot = min(slots, key=lambda s: 0 if s.sheet_top <= word.cy < s.sheet_top
                           + s.height else min(abs(word.cy - s.sheet_top),
                                               abs(word.cy - s.sheet_top - s.height)))
                out[slot.key].append(word)
        if item is not None:
            batch, height = [item], item[1].shape[0] + gap
    return out


_LIST_DASH = re.compile(r"^([-–•])(?=[^\W\d_])")


def _cell_text(words: list[Word], low: float = LOW_CONFIDENCE) -> tuple[str, float | None]:
    """Words of one cell as lines (Tesseract's lines, top to bottom; words left to right)
    and the lowest confidence of all the words Tesseract read there.

    A mark without a letter or digit that opens or closes a line and that Tesseract itself
    doubts (under `low`) is taken for dust or a ruling remnant and left out of the text (a
    list dash before a word stays); its confidence still counts, so the cell stays flagged.
    A list dash read glued to its word ("-LPK") is written as printed ("- LPK").
    """
    if not words:
        return "", None
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    out = []
    for ws in sorted(lines.values(), key=lambda ws: min(w.top for w in ws)):
        texts = _trimmed(sorted(ws, key=lambda w: w.x0), low)
        if texts:
            texts[0] = _LIST_DASH.sub(r"\1 ", texts[0])
            out.append(" ".join(texts))
    return "\n".join(out), min(w.conf for w in words)


#: A cell of at most this many characters (a row number "3.", a dash) is "tiny": where OCR
#: doubts it, it is read once more as black on white.
TINY_CELL = 3
#: Marks that dust, a stamp's edge or a ruling remnant turn into (a list dash is not one).
_SPECK_MARKS = "“”‘’\"'`*~^°·|_¢©®"
#: Marks a speck is read as that never open a line on their own (unlike "-", "+", "•", "(",
#: or an opening quote).
_DOTS = frozenset(".,:;·")


def _trimmed(line: list[Word], low: float) -> list[str]:
    """The words of one line without the doubtful marks at its ends: a word of marks only
    that Tesseract doubts, a letter or two a third the height of the line's other words (a
    speck read as "a"), a word of marks that small opening the line (a speck read as "." at
    87%: no line of text starts with a lone full stop; bullets are kept), or speck marks
    glued to the first or last word ('“Tabel') when doubted."""
    heights = sorted(w.bottom - w.top for w in line)
    tall = heights[len(heights) // 2] if len(line) > 1 else 0

    def stray(w: Word, first: bool = False) -> bool:
        marks = not any(ch.isalnum() for ch in w.text)
        small = (w.bottom - w.top) * 3 < tall
        return (marks and w.conf < low) or (small and (
            (not marks and len(w.text) <= 2) or (first and set(w.text) <= _DOTS)))

    line = list(line)
    while line and stray(line[-1]):
        line.pop()
    while line and stray(line[0], first=True) and not (
            line[0].text in "-–•" and len(line) > 1 and line[1].text[:1].isalpha()):
        line.pop(0)
    texts = [w.text for w in line]
    if texts and line[0].conf < low:
        texts[0] = texts[0].lstrip(_SPECK_MARKS) or texts[0]
    if texts and line[-1].conf < low:
        texts[-1] = texts[-1].rstrip(_SPECK_MARKS) or texts[-1]
    return texts


def _is_figure(text: str) -> bool:
    """A cell that holds a figure, maybe with a unit or a misread symbol ("88.73Yo"): worth
    a second reading restricted to figure characters. A date ("18 Maret 2023") is not."""
    tokens = text.split()
    if not tokens or not any(ch.isdigit() for ch in text):
        return False
    for i, tok in enumerate(tokens):
        word = tok.strip(_TOKEN_PUNCT).lower()
        if not word or word in UNIT_WORDS:
            continue
        letters = "".join(ch for ch in word if ch.isalpha())
        if any(ch.isdigit() for ch in tok):
            if len(letters) <= 2 or letters in UNIT_WORDS:  # "88.73Yo", "20Orang"
                continue
            return False
        after_figure = i > 0 and any(ch.isdigit() for ch in tokens[i - 1])
        if after_figure and len(word) <= 2:  # a misread symbol after the figure ("Yo")
            continue
        return False
    return True


def _figure_whitelist(text: str) -> str:
    """Figure characters, a space, and the letters of the unit words the cell holds."""
    letters = set()
    for tok in text.split():
        word = tok.strip(_TOKEN_PUNCT)
        tail = "".join(ch for ch in word if ch.isalpha())
        if word.lower() in UNIT_WORDS:
            letters |= set(word)
        elif tail.lower() in UNIT_WORDS:
            letters |= set(tail)
    return FIGURE_CHARS + " " + "".join(sorted(letters))


def _agree(readings: list[tuple[str, float | None]], low: float
           ) -> tuple[str, float | None, bool]:
    """One cell read by several models: (text, confidence, whether all read the same).

    Where all read the same words, the first reading with its own confidence. Where they
    disagree, the cell is below `low`, and the reading kept is the one the table schema
    understands (a header word or a quarter: "Triwulan II" over "Triwulan Il"), else the
    surest (its weakest word), else the first model's.
    """
    texts = [join_lines(t) for t, _ in readings]
    if all(t == texts[0] for t in texts):
        return readings[0][0], readings[0][1], True

    def score(i: int) -> tuple[bool, bool, float, int]:
        text, conf = readings[i]
        known = bool(families.role_of(text) or families.quarter_of(text))
        return bool(text), known, conf or 0.0, -i

    best = readings[max(range(len(readings)), key=score)]
    return best[0], min([c for _, c in readings if c is not None] + [low - 1]), False


def _checked(kept: tuple[str, float | None], read: str, check: tuple[str, float | None],
             low: float) -> tuple[str, float | None]:
    """A cell's kept reading after a check reading of the same cell: unchanged where the
    check reads what the cell models read (`read`), else below `low` (and as unsure as the
    check), its text unchanged: a check only doubts."""
    if join_lines(check[0]) == join_lines(read):
        return kept
    return kept[0], min(c for c in (kept[1], check[1], low - 1) if c is not None)


def _skeleton(text: str) -> str:
    """Digits and separators: what a figure's value depends on ('%' is left out: it is what
    the free reading gets wrong and the figure reading is there to fix)."""
    return "".join(ch for ch in text if ch.isdigit() or ch in ".,:/-+()")


def _pick(free: tuple[str, float | None], figure: tuple[str, float | None],
          low: float) -> tuple[str, float | None]:
    """The figure reading of a cell where it agrees with the free reading on digits and
    separators. Where the two disagree, the surer one is kept, and the cell is as uncertain
    as its less sure reading and below `low` in any case: two readings that disagree are
    a reason to look."""
    (text1, conf1), (text2, conf2) = free, figure
    if not text2:
        return free
    if _skeleton(text1) == _skeleton(text2):
        return figure
    best = figure if (conf2 or 0) >= (conf1 or 0) else free
    confs = [c for c in (conf1, conf2) if c is not None]
    return best[0], min([*confs, low - 1])


def read_image(gray: np.ndarray, page_number: int, settings: OcrSettings) -> OcrPage:
    """Read one page image (grayscale array rendered at `settings.dpi`)."""
    import cv2
    import numpy as np

    start = time.perf_counter()
    dpi, low = settings.dpi, settings.low_confidence
    to_pt = 72.0 / dpi
    skew = raster.estimate_skew(raster.binarize(gray, dpi), dpi)
    gray = raster.flatten(raster.rotate(gray, -skew), dpi)
    binary = raster.binarize(gray, dpi)
    horizontal, vertical = raster.line_masks(binary, dpi)
    shapes = raster.find_tables(horizontal, vertical, dpi)
    # only the tables' own rulings are erased (bold capitals can make a long run too)
    rulings = np.zeros_like(binary)
    for s in shapes:
        x0, y0, x1, y1 = s.bbox
        rulings[y0:y1, x0:x1][s.rulings] = 255
    rulings = cv2.dilate(rulings, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    clean = gray.copy()
    clean[rulings > 0] = 255

    # 1. the page around the tables
    outside = raster.despeckle(clean, binary & ~rulings, dpi)
    for s in shapes:
        x0, y0, x1, y1 = s.bbox
        outside[max(0, y0 - 2):y1 + 3, max(0, x0 - 2):x1 + 3] = 255
    words = _refine_figures(tesseract_words(outside, settings, psm=3), outside, settings)
    lines = _page_lines(words, to_pt, low, outside)

    # 2. every cell with ink, then 3. the figure cells once more
    crops, ink_cells = [], set()
    for ti, s in enumerate(shapes):
        for ci, cell in enumerate(s.cells):
            crop = raster.cell_crop(clean, binary, rulings, s.rect(cell), dpi)
            if crop is not None:
                crops.append(((ti, ci), crop))
                ink_cells.add((ti, ci))
    readings = [{k: _cell_text(ws, low) for k, ws in _read_sheet(crops, settings, lang).items()}
                for lang in settings.cell_langs]
    agreed = {k: _agree([r[k] for r in readings], low) for k in readings[0]}
    texts = {k: (text, conf) for k, (text, conf, _) in agreed.items()}
    # figures, and tiny cells the models read apart (a lone "%" comes back as "Ya")
    figures = [(k, c) for k, c in crops if _is_figure(texts[k][0])
               or (not agreed[k][2] and len("".join(texts[k][0].split())) <= 3)]
    by_whitelist: dict[str, list] = {}
    for k, c in figures:
        by_whitelist.setdefault(_figure_whitelist(texts[k][0]), []).append((k, c))
    for whitelist, group in by_whitelist.items():
        for k, ws in _read_sheet(group, settings, settings.figure_lang, whitelist).items():
            texts[k] = _pick(texts[k], _cell_text(ws, low), low)
    # 3b. tiny cells still in doubt ("3." read "Si", a lone "-" read as nothing): soft grey
    # print that small is read better black on white; kept where every model reads the
    # sharpened cell alike and surely, the standard any cell is held to
    tiny = [(k, c) for k, c in crops
            if len("".join(texts[k][0].split())) <= TINY_CELL and (texts[k][1] or 0) < low]
    if tiny:
        sharp = [(k, _black_on_white(c)) for k, c in tiny]
        again = [{k: _cell_text(ws, low) for k, ws in _read_sheet(sharp, settings, lang).items()}
                 for lang in settings.cell_langs]
        for k, _ in tiny:
            text, conf, same = _agree([r[k] for r in again], low)
            if same and text and conf is not None and conf >= low:
                texts[k] = (text, conf)
    # 4. the cells with letters the models read alike, by the script model: a check only
    if settings.check_lang:
        alike = [(k, c) for k, c in crops if agreed[k][2]
                 and any(ch.isalpha() for ch in agreed[k][0])]
        for k, ws in _read_sheet(alike, settings, settings.check_lang, CHECK_CHARS).items():
            texts[k] = _checked(texts[k], agreed[k][0], _cell_text(ws, low), low)

    folio = _folio_line(gray, lines, shapes, settings)
    if folio is not None:
        lines.append(folio)

    found = []
    for ti, s in enumerate(shapes):
        cells = []
        for ci, (r, c, rs, cs) in enumerate(s.cells):
            text, conf = texts.get((ti, ci), ("", None))
            if (ti, ci) in ink_cells and not text:
                conf = 0.0  # ink that Tesseract could not read
            x0, y0, x1, y1 = s.rect((r, c, rs, cs))
            cells.append(Cell(text, r, c, rs, cs, page_number,
                              (x0 * to_pt, y0 * to_pt, x1 * to_pt, y1 * to_pt), conf))
        grid = Grid(len(s.ys) - 1, len(s.xs) - 1, cells)
        bx0, by0, bx1, by1 = s.bbox
        found.append(FoundTable(page_number, (bx0 * to_pt, by0 * to_pt, bx1 * to_pt,
                                              by1 * to_pt), grid, ENGINE))
    page = OcrPage(page_number, lines, found, skew, time.perf_counter() - start)
    page.text = _reading_order_text(page)
    return page


#: What a printed page number is made of: digits, or a roman numeral.
FOLIO_CHARS = "0123456789ivxlcdm"


def _folio_line(gray: np.ndarray, lines: list[dict], shapes: Sequence[Any],
                settings: OcrSettings) -> dict | None:
    """The page number printed alone at the foot of the page, as a text line (or None).

    Read on its own: on the whole page Tesseract takes a lone "5" at the foot for dust. The
    band below the lowest line of text and table (in the bottom 15% of the page) must hold
    a small group of print at most an inch wide, which is read as black on white with
    digits and roman letters only, and kept only at or over the confidence threshold
    (lkj.extract.folios keeps a folio only where a neighbouring page confirms it)."""
    import cv2
    import numpy as np

    dpi, low = settings.dpi, settings.low_confidence
    to_pt = 72.0 / dpi
    height = gray.shape[0]
    floor = max([ln["bottom"] / to_pt for ln in lines] + [sh.bbox[3] for sh in shapes] + [0])
    top, bottom = max(int(floor) + dpi // 30, int(0.85 * height)), height - dpi // 5
    if bottom - top < dpi // 10:
        return None
    band = _black_on_white(gray[top:bottom])
    _, _, stats, _ = cv2.connectedComponentsWithStats((band < 128).astype(np.uint8))
    marks = [st for st in stats[1:] if dpi // 20 <= st[3] <= dpi // 3]
    if not marks or len(marks) > 6:
        return None
    x0, y0 = min(m[0] for m in marks), min(m[1] for m in marks)
    x1, y1 = max(m[0] + m[2] for m in marks), max(m[1] + m[3] for m in marks)
    if x1 - x0 > dpi:
        return None
    pad = dpi // 10
    crop = cv2.copyMakeBorder(band[max(0, y0 - 4):y1 + 4, max(0, x0 - 4):x1 + 4],
                              pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    words = tesseract_words(crop, settings, psm=7, whitelist=FOLIO_CHARS + FOLIO_CHARS.upper(),
                            lang=settings.figure_lang)
    text = "".join(w.text for w in words)
    if not text or min(w.conf for w in words) < low:
        return None
    return {"text": text, "x0": x0 * to_pt, "x1": x1 * to_pt, "top": (top + y0) * to_pt,
            "bottom": (top + y1) * to_pt, "confidence": min(w.conf for w in words)}


def _black_on_white(crop: np.ndarray) -> np.ndarray:
    """A cell image as black print on white (Otsu's threshold)."""
    import cv2

    return cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def _refine_figures(words: list[Word], image: np.ndarray, settings: OcrSettings) -> list[Word]:
    """The figures of the running text read again, as figure cells are: each word with a
    digit cut out (with the short mark after it, where "%" came back as a word of its own:
    "(88.73 Yo)") and read with the figure model and characters. Where the readings
    disagree on digits or separators, the surer one is kept and the words are below the
    threshold."""
    low = settings.low_confidence
    pad = max(4, settings.dpi // 40)
    h, w = image.shape
    spans: list[tuple[int, ...]] = []
    for i, word in enumerate(words):
        if not (any(ch.isdigit() for ch in word.text) and _is_figure(word.text)):
            continue
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is not None and nxt.line == word.line and len(nxt.text) <= 4 \
                and sum(ch.isalnum() for ch in nxt.text) <= 2 \
                and not any(ch.isdigit() for ch in nxt.text) \
                and _is_figure(f"{word.text} {nxt.text}"):
            spans.append((i, i + 1))
        else:
            spans.append((i,))
    groups: dict[str, list] = {}
    for span in spans:
        ws = [words[i] for i in span]
        crop = image[max(0, min(x.top for x in ws) - pad):min(h, max(x.bottom for x in ws) + pad),
                     max(0, ws[0].x0 - pad):min(w, ws[-1].x1 + pad)]
        text = " ".join(x.text for x in ws)
        groups.setdefault(_figure_whitelist(text), []).append(((len(span), span[0]), crop))
    out: list[Word | None] = list(words)
    for whitelist, crops in groups.items():
        for (n, i), found in _read_sheet(crops, settings, settings.figure_lang,
                                         whitelist).items():
            old = words[i:i + n]
            free = (" ".join(x.text for x in old), min(x.conf for x in old))
            text, conf = _pick(free, _cell_text(found, low), low)
            tokens = text.split()
            if not tokens or len(tokens) > n:
                continue
            for k, x in enumerate(old):  # the new tokens into the old boxes, in order
                out[i + k] = (Word(tokens[k], conf if conf is not None else x.conf, x.x0, x.top,
                                   x.x1, x.bottom, x.line) if k < len(tokens) else None)
    return [x for x in out if x is not None]


def _page_lines(words: list[Word], to_pt: float, low: float = LOW_CONFIDENCE,
                image: np.ndarray | None = None) -> list[dict]:
    """Tesseract's text lines as pdfplumber-like dicts (points, top-left origin); doubtful
    marks at either end of a line (dust, a stamp's edge) are left out, as in cells. With the
    page image, each line has the width of its strokes ("stroke", pixels: `stroke_width`)."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    out = []
    for ws in by_line.values():
        ws.sort(key=lambda w: w.x0)
        text = " ".join(_trimmed(ws, low))
        if not any(ch.isalnum() for ch in text):
            continue  # a stray mark, not a line of text
        out.append({"text": text, "x0": min(w.x0 for w in ws) * to_pt,
                    "x1": max(w.x1 for w in ws) * to_pt,
                    "top": min(w.top for w in ws) * to_pt,
                    "bottom": max(w.bottom for w in ws) * to_pt,
                    "confidence": min(w.conf for w in ws)})
        if image is not None:
            out[-1]["stroke"] = stroke_width(image[min(w.top for w in ws):max(
                w.bottom for w in ws), min(w.x0 for w in ws):max(w.x1 for w in ws)])
    return sorted(out, key=lambda d: (round(d["top"]), d["x0"]))


def stroke_width(gray: np.ndarray) -> float | None:
    """How thick the strokes of the dark type in a grayscale image are, in pixels: twice the
    area of its ink over the length of the ink's outline (None without ink)."""
    import cv2

    if gray.size == 0:
        return None
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    outline = int((ink - cv2.erode(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))))
                  .sum())
    return 2 * float(ink.sum()) / outline if outline else None


def mark_bold(pages: Sequence[OcrPage]) -> None:
    """Set "bold" on the text lines of OCR pages: a line is bold where its strokes are at
    least BOLD_STROKE times as thick as the body text's (the median line of the pages read,
    weighted by characters), as a heading set in bold is, and it has MIN_BOLD_LETTERS
    letters. OCR gives no font; this is the cue the text layer's bold gives. With too little
    text to know the body's, no line is bold."""
    lines = [ln for p in pages for ln in p.lines]
    widths = sorted((ln["stroke"], len(ln["text"])) for ln in lines if ln.get("stroke"))
    total = sum(n for _, n in widths)
    body, seen = None, 0
    for width, n in widths:
        seen += n
        if seen * 2 >= total:
            body = width
            break
    for ln in lines:
        ln["bold"] = bool(body and total >= MIN_BODY_CHARS and ln.get("stroke")
                          and ln["stroke"] >= BOLD_STROKE * body
                          and sum(ch.isalpha() for ch in ln["text"]) >= MIN_BOLD_LETTERS)


def _reading_order_text(page: OcrPage) -> str:
    blocks = [(ln["top"], ln["text"]) for ln in page.lines]
    for table in page.tables:
        for r, row in enumerate(table.grid.rows_as_text()):
            top = min((c.bbox[1] for c in table.grid.row_cells(r) if c.bbox), default=0.0)
            blocks.append((top, " ".join(t for t in row if t)))
    return "\n".join(text for _, text in sorted(blocks, key=lambda b: b[0]) if text)


# --------------------------------------------------------------------------------- documents

def _image_cover(page: Any) -> float:
    """The share of a pdfplumber page its images cover (0.0 for an unreadable page, which
    is reported elsewhere)."""
    try:
        images = page.images
        area = float(page.width * page.height)
    except Exception as exc:
        raise_out_of_memory(exc)
        return 0.0
    covered = sum(max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
                  * max(0.0, min(im["bottom"], page.height) - max(im["top"], 0))
                  for im in images)
    return covered / area if area > 0 else 0.0


def scanned_pages(pages: Sequence[Any], texts: Sequence[str]) -> list[int]:
    """Page numbers (1-based) with no usable text layer whose content is an image."""
    from lkj.extract.document import MIN_TEXT_CHARS

    return [page.page_number for page, text in zip(pages, texts, strict=True)
            if len("".join(text.split())) < MIN_TEXT_CHARS
            and _image_cover(page) >= MIN_IMAGE_COVER]


#: Share of a page's text objects drawn invisible (text render mode 3) from which the page
#: is a scanner's "searchable" page: its text is the scanner's own OCR laid under the image.
INVISIBLE_SHARE = 0.8


def _has_xobjects(page: Any) -> bool:
    """Whether a pdfplumber page's resources name any XObject (an image, or a form that may
    hold one), read from its resource dictionary: asking for `page.images` would make
    pdfplumber parse every object of the page, which the text of a page without tables is
    read without (lkj.extract.document.light_chars)."""
    from pdfminer.pdftypes import resolve1

    try:
        resources = resolve1(page.page_obj.resources) or {}
        return bool(resolve1(resources.get("XObject")))
    except Exception as exc:  # an unreadable page is reported elsewhere
        raise_out_of_memory(exc)
        return False


def searchable_pages(path: Path | str, pages: Sequence[Any], texts: Sequence[str]
                     ) -> list[int]:
    """Page numbers (1-based) of a scanner's "searchable" pages: an image covering the page
    and a text layer that is (almost) all invisible. That text is the scanner's OCR, without
    a table's rulings (they are in the image) and of unknown quality: such a page is read by
    lkj's OCR like a scan. Only pages with text over an image are opened with pdfium."""
    from lkj.extract.document import MIN_TEXT_CHARS

    maybe = [page.page_number for page, text in zip(pages, texts, strict=True)
             if len("".join(text.split())) >= MIN_TEXT_CHARS and _has_xobjects(page)
             and _image_cover(page) >= MIN_IMAGE_COVER]
    if not maybe:
        return []
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    out = []
    doc = pypdfium2.PdfDocument(str(path))
    try:
        for n in maybe:
            page = doc[n - 1]
            try:
                modes = [pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
                         for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])]
            finally:
                page.close()
            invisible = sum(m == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE for m in modes)
            if modes and invisible >= INVISIBLE_SHARE * len(modes):
                out.append(n)
    finally:
        doc.close()
    return out


def read_pages(path: Path | str, page_numbers: Collection[int],
               settings: OcrSettings | None = None,
               done: Callable[[int], None] | None = None) -> dict[int, OcrPage]:
    """Render and read the given pages (1-based) of a PDF, several pages at a time;
    `done(n)` is told of each page read, in order.

    Each worker renders its page (pdfium is not thread-safe: one at a time, under a lock)
    and reads it, on all CPUs: Tesseract reads in this process with the GIL released (the
    library's call, lkj.extract.tesseract_api; each worker thread keeps its own loaded
    models), or as a program, and OpenCV releases it too. Only `workers` page images are
    in memory at once.
    """
    import pypdfium2

    settings = settings or OcrSettings()
    check_tesseract(settings)
    lock = threading.Lock()
    doc = pypdfium2.PdfDocument(str(path))

    def work(n: int) -> OcrPage:
        import numpy as np

        with lock:
            bitmap = doc[n - 1].render(scale=settings.dpi / 72, grayscale=True)
            gray = np.array(bitmap.to_pil().convert("L"))
        return read_image(gray, n, settings)

    try:
        with ThreadPoolExecutor(max_workers=settings.n_workers) as pool:
            wanted = sorted(set(page_numbers))
            read = {}
            for n, page in zip(wanted, pool.map(work, wanted), strict=True):
                read[n] = page
                if done is not None:
                    done(n)
        mark_bold(list(read.values()))
        return read
    finally:
        with lock:
            doc.close()
