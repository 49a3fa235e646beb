"""A page reader on pdfium: a page's characters and paths as pdfplumber's objects.

pdfminer interprets a page's content stream in Python, which was most of the time lkj spent
on a report; pdfium (pypdfium2) reads the same page in C (benchmarks/bench_extract.py: raw
pypdfium2 reads the text of every page in under a fiftieth of the time raw pdfplumber
takes). This module turns what pdfium reads into the object dicts pdfplumber builds from
pdfminer's layout (`page.chars`, `page.lines`, `page.rects`, `page.curves`, `page.images`),
with the keys lkj and pdfplumber's text and table code read, in pdfplumber's top-left
coordinates, and hands them to the pdfplumber page (`install`), so that everything above it
(rulings, table finding, text maps, cropping) runs unchanged. Images carry their boxes only
(what deciding that a page is a scan needs); characters carry no colours (nothing reads
them).

How pdfium's reading differs from pdfminer's, and what is done about it:

- pdfium's text page inserts characters of its own ("generated": a space where a gap is
  wide, a line break where the baseline moves) and drops a space glyph at the end of such a
  line. Each generated character becomes a blank of no width where it stands, so that a
  word ends there as it ends at a space glyph. pdfminer's words break only at space glyphs
  and at gaps wider than the word tolerance, so a page set without space glyphs (words
  placed one by one) reads as separate words here and as run-together words there.
- A hyphen that ends a line is marked by pdfium (U+0002); it is read back as "-".
- A glyph drawn twice on itself (fake bold) is one character in pdfium, two in pdfminer.
- pdfium's characters come in its reading order, not always the content stream's; lkj reads
  text by position.
- Character boxes are rebuilt as pdfminer builds them (pdfminer.layout.LTChar): x0 is the
  origin, x1 the origin plus the advance (pdfium's loose box, or the font's width where a
  glyph overhangs its advance); bottom is the baseline plus the font's descent as pdfminer
  reads it (`_descents`), top is bottom minus the font size as drawn (the Tf size times the
  text matrix's scale). A turned character gets the box of that rectangle turned.
- Paths are split into subpaths and told apart as lines, rectangles and curves by
  pdfminer's rules (`_paint`).

A page pdfium cannot read as pdfminer would (a /Rotate, a MediaBox not at the origin or a
CropBox inside it, a turned character whose width pdfium cannot tell, a content stream that
does not inflate, an error) is left to pdfminer: `install` returns False and the page reads
its objects as before. tests/test_pdfium.py holds the characters and the rulings of the two
readers equal (within a tolerance) on every page of the samples, the corpus of makers and
the real files, and the words equal on the samples and the makers.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

from lkj.extract.document import INFLATE_FAILURES, raise_out_of_memory

#: Kinds of pdfplumber objects a reader gives.
KINDS = ("char", "line", "rect", "curve", "image")


class Reader:
    """One PDF opened in pdfium beside its pdfplumber document (the same pages)."""

    def __init__(self, path: Path | str) -> None:
        import pypdfium2
        import pypdfium2.raw

        self.doc = pypdfium2.PdfDocument(str(path))
        self.raw = pypdfium2.raw

    def close(self) -> None:
        self.doc.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def install(self, page: Any) -> bool:
        """Give a pdfplumber page its objects read by pdfium; False (the page untouched)
        where pdfium cannot read it as pdfminer would. Either way `page.read_by` says which
        reader reads the page."""
        page.read_by = "pdfminer"
        if not _plain(page) or not _contents_inflate(page):
            return False
        try:
            objects = self.objects(page)
        except Exception as exc:  # pdfium failed on the page: pdfminer reads it
            raise_out_of_memory(exc)
            return False
        if objects is None:
            return False
        page._objects = objects  # pdfplumber's cache of page.objects
        page.read_by = "pdfium"
        return True

    def objects(self, page: Any) -> dict[str, list[dict[str, Any]]] | None:
        """The page's objects as pdfplumber's `page.objects`, or None (see install)."""
        fpage = self.doc[page.page_number - 1]
        try:
            out: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
            base = {"page_number": page.page_number}
            height, doctop = float(page.height), float(page.initial_doctop)
            chars = _chars(self.raw, fpage, page, height, doctop, base)
            if chars is None:
                return None
            out["char"] = chars
            identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            objs = [self.raw.FPDFPage_GetObject(fpage.raw, i)
                    for i in range(self.raw.FPDFPage_CountObjects(fpage.raw))]
            _paths(self.raw, objs, identity, height, doctop, base, out)
            return {k: v for k, v in out.items() if v}
        finally:
            fpage.close()


def _contents_inflate(page: Any) -> bool:
    """Whether the page's content streams inflate, tried by pdfminer's own filters, so that
    what lkj says of a damaged stream or a decompression bomb (lkj.extract.document,
    lkj.archive.batch) is said as before: a page whose streams do not inflate is left to
    pdfminer. Inflating is zlib's C; the inflated bytes are not kept."""
    from pdfminer.pdftypes import PDFStream, resolve1

    before = len(INFLATE_FAILURES)
    try:
        for stream in page.page_obj.contents:
            stream = resolve1(stream)
            if not isinstance(stream, PDFStream) or stream.data is not None:
                continue
            raw = stream.rawdata
            try:
                stream.get_data()
            finally:
                stream.data, stream.rawdata = None, raw
    except Exception as exc:
        raise_out_of_memory(exc)
        return False
    return len(INFLATE_FAILURES) == before


def _plain(page: Any) -> bool:
    """Whether pdfplumber's coordinates of the page are pdfium's with y flipped: no
    rotation, the MediaBox at the origin and no smaller CropBox."""
    if page.rotation:
        return False
    mb = tuple(float(v) for v in page.mediabox)
    return mb[0] == 0 and mb[1] == 0 and tuple(float(v) for v in page.bbox) == mb


def _descents(resources: Any, out: dict[str, float] | None = None) -> dict[str, float]:
    """The descent (per 1000 of the size) pdfminer gives each font of a resource dictionary
    (forms' resources opened), by its BaseFont: the FontDescriptor's (0 where it has none,
    made negative where a maker wrote it positive), or pdfminer's own metrics for a Type1 or
    TrueType font named as a standard font (pdfminer.pdffont). pdfium takes metrics of its
    own where the descriptor gives 0 or a font is standard, so its boxes would sit lower."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import resolve1

    out = {} if out is None else out
    try:
        resources = resolve1(resources) or {}
        for spec in (resolve1(resources.get("Font")) or {}).values():
            spec = resolve1(spec) or {}
            kind = getattr(resolve1(spec.get("Subtype")), "name", None)
            name = getattr(resolve1(spec.get("BaseFont")), "name", None)
            if name is None or name in out:
                continue
            source = spec
            if kind == "Type0":
                source = resolve1((resolve1(spec.get("DescendantFonts")) or [{}])[0]) or {}
            if kind in ("Type1", "TrueType", "MMType1") and name in FONT_METRICS:
                out[name] = -abs(float(FONT_METRICS[name][0].get("Descent", 0.0)))
            elif kind != "Type3":
                descriptor = resolve1(source.get("FontDescriptor")) or {}
                out[name] = -abs(float(resolve1(descriptor.get("Descent", 0)) or 0))
        for xobject in (resolve1(resources.get("XObject")) or {}).values():
            xobject = resolve1(xobject)
            attrs = getattr(xobject, "attrs", {})
            if getattr(resolve1(attrs.get("Subtype")), "name", None) == "Form" \
                    and attrs.get("Resources") is not None:
                _descents(attrs.get("Resources"), out)
    except Exception:  # a broken resource dictionary: pdfium's metrics for the rest
        return out
    return out


def _unprefixed(name: str) -> str:
    """A font's name without its subset tag ("ABCDEF+Arial" -> "Arial"), as pdfium names it."""
    head, plus, rest = name.partition("+")
    return rest if plus and len(head) == 6 and head.isupper() else name


def _font_table(page: Any) -> tuple[dict[str, float], dict[str, str]]:
    """pdfminer's descent of each font of the page and its full name, both by the name
    pdfium gives it: without the subset tag, where only one of the page's fonts has it."""
    descents = _descents(page.page_obj.resources)
    full: dict[str, list[str]] = {}
    for named in descents:
        full.setdefault(_unprefixed(named), []).append(named)
    one = {short: names[0] for short, names in full.items() if len(names) == 1}
    return {short: descents[named] for short, named in one.items()}, one


def _chars(raw: Any, fpage: Any, page: Any, height: float, doctop: float,
           base: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The page's characters as pdfplumber's char dicts; None where a turned character
    has no width pdfium can tell."""
    known, fontnames = _font_table(page)
    text_page = fpage.get_textpage()
    try:
        tp = text_page.raw
        box, matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        name = ctypes.create_string_buffer(256)
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        next_x, next_y = ctypes.c_double(), ctypes.c_double()
        left, right, low, high = (ctypes.c_double() for _ in range(4))
        descent, advance = ctypes.c_float(), ctypes.c_float()
        obj: Any = None  # the text object of the characters read last, and what it sets:
        font: Any = None
        fontname, size, tf_size, scale, drawn = "", 0.0, 0.0, 1.0, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        out: list[dict[str, Any]] = []
        count = raw.FPDFText_CountChars(tp)
        for i in range(count):
            code = raw.FPDFText_GetUnicode(tp, i)
            if raw.FPDFText_IsGenerated(tp, i) == 1:
                if out and out[-1]["text"] != " ":  # a word ends here (see the module doc)
                    last = out[-1]
                    out.append(dict(last, text=" ", x0=last["x1"], width=0.0, adv=0.0))
                continue
            text_obj = raw.FPDFText_GetTextObject(tp, i)
            if text_obj != obj:  # matrix, size, font name and descent: once per text object
                obj = text_obj
                raw.FPDFText_GetMatrix(tp, i, matrix)
                drawn = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
                turned = bool(matrix.b or matrix.c)
                scale = abs(matrix.a)
                tf_size = float(raw.FPDFText_GetFontSize(tp, i))
                size = tf_size * abs(matrix.d)  # as drawn
                font = raw.FPDFTextObj_GetFont(text_obj) or None
                fontname = ""
                if font:
                    n = raw.FPDFFont_GetBaseFontName(font, name, len(name))
                    fontname = name.raw[:max(n - 1, 0)].decode("utf-8", "replace")
                if fontname in known:
                    descent.value = known[fontname]
                elif not font or not raw.FPDFFont_GetDescent(font, 1000.0, descent):
                    descent.value = 0.0
                fontname = fontnames.get(fontname, fontname)
            raw.FPDFText_GetCharOrigin(tp, i, origin_x, origin_y)
            if turned:
                turned_char = _turned(raw, font, code, tf_size, descent.value, drawn,
                                      origin_x.value, origin_y.value, advance)
                if turned_char is None:
                    return None  # no width for a turned character: pdfminer reads the page
                x0, y0, x1, y1, char_size = turned_char
                top = height - y1
                out.append({**base, "object_type": "char", "text": _text(code),
                            "fontname": fontname, "size": char_size, "adv": x1 - x0,
                            "upright": drawn[0] * drawn[3] > 0 and drawn[1] * drawn[2] <= 0,
                            "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": x1 - x0,
                            "height": y1 - y0, "top": top, "bottom": height - y0,
                            "doctop": doctop + top, "matrix": drawn})
                continue
            raw.FPDFText_GetLooseCharBox(tp, i, box)
            x0, x1 = origin_x.value, float(box.right)
            raw.FPDFText_GetCharBox(tp, i, left, right, low, high)
            if right.value >= x1 - 1e-3:
                # the glyph overhangs its advance (an italic f) or is drawn in a font
                # pdfium put in place of one not embedded: the loose box is the glyph's,
                # the advance the font's width of the character
                if font and raw.FPDFFont_GetGlyphWidth(font, code, tf_size, advance) \
                        and 0 < advance.value * scale <= x1 - x0:
                    x1 = x0 + advance.value * scale
                elif i + 1 < count and raw.FPDFText_GetTextObject(tp, i + 1) == text_obj \
                        and raw.FPDFText_IsGenerated(tp, i + 1) != 1:
                    raw.FPDFText_GetCharOrigin(tp, i + 1, next_x, next_y)
                    if next_y.value == origin_y.value and x0 < next_x.value < x1:
                        x1 = next_x.value  # where the next glyph of the run begins
            y0 = origin_y.value + descent.value / 1000 * size
            bottom = height - y0
            top = bottom - size
            out.append({**base, "object_type": "char", "text": _text(code), "fontname": fontname,
                        "size": size, "adv": x1 - x0, "upright": drawn[0] * drawn[3] > 0,
                        "x0": x0, "x1": x1, "y0": y0, "y1": y0 + size,
                        "width": x1 - x0, "height": size, "top": top, "bottom": bottom,
                        "doctop": doctop + top, "matrix": drawn})
        return out
    finally:
        text_page.close()


def _text(code: int) -> str:
    """A character's text: pdfium's mark of a hyphen ending a line read back as "-"."""
    return "-" if code == 2 else chr(code) if code < 0xD800 or code > 0xDFFF else "\ufffd"


def _turned(raw: Any, font: Any, code: int, tf_size: float, descent: float,
            m: tuple[float, ...], x: float, y: float, advance: Any
            ) -> tuple[float, float, float, float, float] | None:
    """(x0, y0, x1, y1, size) of a character drawn turned, as pdfminer boxes it: the box
    from the baseline's descent to one size above it, one advance wide, turned by the text
    matrix, and its size the height of that box (pdfminer.layout.LTChar)."""
    if not font or not raw.FPDFFont_GetGlyphWidth(font, code, tf_size, advance):
        return None
    a, b, c, d = m[:4]
    low = descent / 1000 * tf_size
    corners = [(u, v) for u in (0.0, advance.value) for v in (low, low + tf_size)]
    xs = [x + a * u + c * v for u, v in corners]
    ys = [y + b * u + d * v for u, v in corners]
    return min(xs), min(ys), max(xs), max(ys), max(ys) - min(ys)


def _compose(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m then n (PDF matrices as 6-tuples, row vectors)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _paths(raw: Any, objs: list[Any], outer: tuple[float, ...], height: float,
           doctop: float, base: dict[str, Any], out: dict[str, list]) -> None:
    """Lines, rectangles and curves of the path objects (forms opened), split into
    subpaths and told apart as pdfminer tells them (pdfminer.converter.paint_path)."""
    m = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    width = ctypes.c_float()
    left, bottom_, right, top_ = (ctypes.c_float() for _ in range(4))
    for obj in objs:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            raw.FPDFPageObj_GetMatrix(obj, m)
            inner = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
            _paths(raw, [raw.FPDFFormObj_GetObject(obj, i)
                         for i in range(raw.FPDFFormObj_CountObjects(obj))],
                   inner, height, doctop, base, out)
            continue
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            raw.FPDFPageObj_GetBounds(obj, left, bottom_, right, top_)
            (x0, y0), (x1, y1) = _apply(outer, left.value, bottom_.value), \
                _apply(outer, right.value, top_.value)
            x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            out["image"].append({**base, "object_type": "image", "x0": x0, "x1": x1,
                                 "y0": y0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
                                 "top": height - y1, "bottom": height - y0,
                                 "doctop": doctop + height - y1})
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        to_page = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
        raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
        raw.FPDFPageObj_GetStrokeWidth(obj, width)
        style = {"stroke": bool(stroke.value), "fill": fill_mode.value != 0,
                 "evenodd": fill_mode.value == 1, "linewidth": float(width.value)}
        subpaths: list[list[tuple[str, float, float]]] = []
        beziers = 0  # pdfium keeps a curve's two control points and its end as three
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            kind_of = raw.FPDFPathSegment_GetType(seg)
            point = _apply(to_page, x.value, y.value)
            if kind_of == raw.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([("m", *point)])
            elif kind_of == raw.FPDF_SEGMENT_BEZIERTO:
                beziers += 1
                if beziers % 3 == 0:
                    subpaths[-1].append(("c", *point))
            else:
                subpaths[-1].append(("l", *point))
            if raw.FPDFPathSegment_GetClose(seg):
                subpaths[-1].append(("h", *subpaths[-1][0][1:]))
        for sub in subpaths:
            _paint(sub, style, height, doctop, base, out)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _paint(sub: list[tuple[str, float, float]], style: dict[str, Any], height: float,
           doctop: float, base: dict[str, Any], out: dict[str, list]) -> None:
    """One subpath (its operators with their end points, "h" at the start point) as
    pdfminer makes it a line, a rectangle or a curve (pdfminer.converter.paint_path)."""
    shape = "".join(op for op, _, _ in sub)
    pts = [(px, py) for _, px, py in sub]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"  # a redundant "l" before the close
        pts.pop()
    kind = "curve"
    if shape in ("ml", "mlh"):
        kind, pts = "line", pts[:2]
    elif shape in ("mlllh", "mllll"):
        (xa, ya), (xb, yb), (xc, yc), (xd, yd), _ = pts
        if pts[0] == pts[4] and ((xa == xb and yb == yc and xc == xd and yd == ya)
                                 or (ya == yb and xb == xc and yc == yd and xd == xa)):
            kind = "rect"
            (x0, y0), (x1, y1) = pts[0], pts[2]
            x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top = height - y1
    out[kind].append({**base, **style, "object_type": kind,
                      "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": x1 - x0,
                      "height": y1 - y0, "top": top, "bottom": height - y0,
                      "doctop": doctop + top,
                      "pts": [(px, height - py) for px, py in pts]})
