"""Opening a report: the I/O edge where bad input becomes one clear reason.

Everything that can be wrong with a file before any table is read is decided here, so that
the CLI and a batch can print `FILE: reason` and go on with the next file.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: A page with fewer printable characters than this has no usable text layer.
MIN_TEXT_CHARS = 20


class ReportError(Exception):
    """A file that cannot be read as an LKj, with the reason in one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        reason = " ".join(str(reason).split())  # one line, whatever a parser put in it
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def raise_out_of_memory(exc: BaseException) -> None:
    """Raise the MemoryError an error is or wraps (pdfplumber wraps every pdfminer error,
    MemoryError too, in a PdfminerException), so that a reader over its memory limit stops
    with that reason and never reads on as if a stream held nothing. Other errors: return."""
    for _ in range(8):  # a chain of wrappers, never a cycle
        if isinstance(exc, MemoryError):
            raise exc
        inner = next((a for a in exc.args if isinstance(a, BaseException)), None)
        exc = inner or exc.__cause__ or exc.__context__
        if exc is None:
            return


#: Streams that failed to inflate since the list was last emptied, each as a reason.
#: pdfminer, not strict, reads such a stream as empty without a word: it is told here.
INFLATE_FAILURES: list[str] = []


def _watch_inflation() -> None:
    """Have pdfminer's fallback for a stream that fails to inflate tell INFLATE_FAILURES."""
    import zlib

    from pdfminer import pdftypes

    real = pdftypes.decompress_corrupted
    if getattr(real, "lkj_watched", False):
        return

    def decompress_corrupted(data: bytes) -> bytes:
        try:
            return real(data)
        except zlib.error as exc:
            INFLATE_FAILURES.append(f"a stream does not inflate ({exc})")
            raise

    decompress_corrupted.lkj_watched = True  # type: ignore[attr-defined]
    pdftypes.decompress_corrupted = decompress_corrupted


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path) -> SourceFile:
    """Reject what is plainly not a readable PDF, before a parser sees it."""
    size = plainly_a_pdf(path)
    return SourceFile(path, sha256_of(path), size)


def plainly_a_pdf(path: Path) -> int:
    """The file's size, or a ReportError if it is plainly not a readable PDF (missing, a
    folder, empty, another kind of file, cut short): from its first and last bytes alone,
    so cheap enough for a batch to ask before it starts a reader for the file."""
    if not path.exists():
        raise ReportError(path, "no such file")
    if path.is_dir():
        raise ReportError(path, "is a folder, not a PDF file")
    size = path.stat().st_size
    if size == 0:
        raise ReportError(path, "empty file (0 bytes)")
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        kind = _sniff(head)
        raise ReportError(path, f"not a PDF (looks like {kind})" if kind else "not a PDF")
    if b"%%EOF" not in tail:
        raise ReportError(path, "truncated PDF (no end-of-file marker)")
    return size


def _sniff(head: bytes) -> str | None:
    low = head.lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:200]:
        return "an HTML page"
    if head.startswith(b"\x89PNG"):
        return "a PNG image"
    if head.startswith(b"\xff\xd8\xff"):
        return "a JPEG image"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP or Office document"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office document"
    return None


@contextmanager
def open_pdf(path: Path):
    """Open with pdfplumber, turning parser failures into ReportError."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    _watch_inflation()
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many private types on broken files
        raise_out_of_memory(exc)
        cause = _pdfminer_cause(exc)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) \
                or "password" in str(cause).lower() \
                or "encrypt" in type(cause).__name__.lower():
            raise ReportError(path, "encrypted PDF (a password is needed)") from exc
        if isinstance(cause, PDFSyntaxError):
            raise ReportError(path, f"damaged PDF ({_describe(cause)})") from exc
        raise ReportError(path, f"unreadable PDF ({_describe(cause)})") from exc
    try:
        try:
            n_pages = len(pdf.pages)
        except Exception as exc:
            raise_out_of_memory(exc)
            raise ReportError(path, f"damaged PDF ({_describe(_pdfminer_cause(exc))})") from exc
        if n_pages == 0:
            raise ReportError(path, "PDF has no pages")
        yield pdf
    finally:
        try:
            pdf.close()
        except Exception:  # close() walks the broken page tree again: keep the first reason
            pdf.stream.close()


def _pdfminer_cause(exc: BaseException) -> BaseException:
    """The pdfminer error inside pdfplumber's PdfminerException wrapper (or exc itself)."""
    inner = exc.args[0] if exc.args else None
    if type(exc).__name__ == "PdfminerException" and isinstance(inner, BaseException):
        return inner
    return exc


def _describe(exc: BaseException) -> str:
    """`Type: message` of a parser error, cut short: it ends up in a one-line reason."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def overprinted_blanks(chars: list[dict[str, Any]]) -> set[int]:
    """The ids of the blank characters drawn over a glyph of their own line. A word
    processor pads a cell with spaces of another font, and where it aligns the cell's
    text right or centre, the padding can be drawn across the digits (a figure then
    reads with blanks between its digits): such a blank is no gap between words. Over:
    it shares more than half its width with a glyph that shares more than half its
    height."""
    glyphs = [c for c in chars if c["text"].strip()]
    if not glyphs or len(glyphs) == len(chars):
        return set()
    # glyphs in a grid of cells as wide and as tall as the largest glyph: a glyph a blank
    # is drawn over is in a cell the blank's box touches
    width = max(max(c["x1"] - c["x0"] for c in glyphs), 0.01)
    height = max(max(c["bottom"] - c["top"] for c in glyphs), 0.01)
    grid: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for g in glyphs:
        for i in range(int(g["x0"] // width), int(g["x1"] // width) + 1):
            for j in range(int(g["top"] // height), int(g["bottom"] // height) + 1):
                grid.setdefault((i, j), []).append(g)
    out = set()
    for blank in chars:
        if blank["text"].strip():
            continue
        x0, x1, top, bottom = blank["x0"], blank["x1"], blank["top"], blank["bottom"]
        half_w, half_h = (x1 - x0) / 2, (bottom - top) / 2
        near = (g for i in range(int(x0 // width), int(x1 // width) + 1)
                for j in range(int(top // height), int(bottom // height) + 1)
                for g in grid.get((i, j), ()))
        if any(min(x1, g["x1"]) - max(x0, g["x0"]) > half_w
               and min(bottom, g["bottom"]) - max(top, g["top"]) > half_h for g in near):
            out.add(id(blank))
    return out


def readable(page: Any) -> Any:
    """The page as its text is read: without the blanks drawn over its glyphs
    (overprinted_blanks); the page itself where there are none."""
    over = overprinted_blanks(page.chars)
    if not over:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in over)


def page_text(page: Any) -> str:
    """Text of a page, or "" when the page cannot be read."""
    try:
        return page.extract_text() or ""
    except Exception as exc:  # a broken content stream on one page must not sink the report
        raise_out_of_memory(exc)
        return ""


#: The pdfminer attributes of a character that pdfplumber copies into its char dicts and
#: that text extraction can read (colours and colour spaces are left out: text never reads
#: them, and resolving them is most of pdfplumber's cost per character).
_CHAR_ATTRS = ("adv", "fontname", "size", "upright", "x0", "y0", "x1", "y1", "width", "height",
               "matrix", "mcid", "tag")


def _layout_objects(objs: Any) -> Any:
    """pdfminer layout objects in pdfplumber's order, containers (forms) opened."""
    from pdfminer.layout import LTContainer

    for obj in objs:
        if isinstance(obj, LTContainer):
            yield from _layout_objects(obj._objs)
        else:
            yield obj


def rulings(page: Any) -> int:
    """How many ruling lines and rectangles the page draws (pdfplumber's page.lines and
    page.rects): counted on its pdfminer layout without building pdfplumber's objects, or
    on the objects the pdfium reader gave it."""
    if _read_by_pdfium(page):
        return len(page.lines) + len(page.rects)
    return sum(type(o).__name__ in ("LTLine", "LTRect")
               for o in _layout_objects(page.layout._objs))


def _read_by_pdfium(page: Any) -> bool:
    """Whether the page's objects were given by the pdfium reader (lkj.extract.pdfium)."""
    return getattr(page, "read_by", None) == "pdfium"


def light_chars(page: Any) -> list[dict[str, Any]]:
    """The page's characters as pdfplumber's `page.chars` has them, for every key its text
    extraction reads (text, x0, x1, top, bottom, doctop, upright, fontname, size, ...),
    built straight from the pdfminer layout: the same numbers by the same arithmetic
    (pdfplumber.page.Page.process_object, MediaBox offset included), at about half the
    cost, because colours are not resolved. tests/test_extract_sample.py holds the two
    equal, key for key, on every page of the samples and a corpus. A page the pdfium reader
    read has its characters already (lkj.extract.pdfium)."""
    if _read_by_pdfium(page):
        return page.chars
    from pdfminer.layout import LTChar
    from pdfplumber.page import fix_fontname_bytes

    height, doctop, number = page.height, page.initial_doctop, page.page_number
    mb_x0, mb_top = page.mediabox[:2]
    out = []
    for obj in _layout_objects(page.layout._objs):
        if not isinstance(obj, LTChar):
            continue
        char = {k: getattr(obj, k) for k in _CHAR_ATTRS if hasattr(obj, k)}
        if isinstance(char.get("fontname"), bytes):
            char["fontname"] = fix_fontname_bytes(char["fontname"])
        char.update(object_type="char", page_number=number, text=obj.get_text())
        char["top"] = (height - char["y1"]) + mb_top
        char["bottom"] = (height - char["y0"]) + mb_top
        char["doctop"] = doctop + char["top"]
        if mb_x0 != 0:
            char["x0"] += mb_x0
            char["x1"] += mb_x0
        out.append(char)
    return out


def light_text_map(page: Any) -> Any:
    """pdfplumber's text map of the page (what page.extract_text and extract_text_lines
    read) from light_chars; None when pdfminer cannot read the page."""
    from pdfplumber import utils

    try:
        chars = light_chars(page)
    except Exception as exc:  # a broken content stream: as page_text, no text
        raise_out_of_memory(exc)
        return None
    if over := overprinted_blanks(chars):
        chars = [c for c in chars if id(c) not in over]
    return utils.chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width,
                                  layout_height=page.height)


def has_text_layer(texts: list[str]) -> bool:
    return any(len("".join(t.split())) >= MIN_TEXT_CHARS for t in texts)
