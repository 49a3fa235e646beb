"""Render an LKj document model (published text + layout spec) to a Word-like PDF.

The sample PDFs exist to test the extraction pipeline on something that looks like what
agencies publish (Word exports: A4, cover, front matter, ruled tables with merged cells,
landscape sections, tables split over pages). The words and figures come verbatim from the
text file; everything about *where* things go comes from the layout spec, so the same
renderer can produce further reports with a drifting layout. Format: see samples/README.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

CAPTION_RE = re.compile(r"^Tabel\s+(\d+(?:\.\d+)*)\.?$")
DASHES_RE = re.compile(r"^[-\t ]*-[-\t ]*$")
LABEL_RE = re.compile(r"^(\d+[.)]|[a-z][.)])\s+(.*)$")
COMMENT = "%%"  # a source line starting with this is a comment (not printed)
HEADER_GREY = colors.Color(0.85, 0.85, 0.85)

# ---------------------------------------------------------------------------------------------
# Document model


@dataclass
class Line:
    """One printed line of running text (a paragraph, heading, list item, cover line)."""

    text: str
    style: str = "para"
    blanks: int = 1  # blank lines before it in the text file: spacing, and "tight" lines
    new_page: bool = False


@dataclass
class TableBlock:
    """A ruled table: caption lines and cells as in the text file (blank = merged/empty)."""

    table_id: str
    caption: list[str]
    rows: list[list[str]]
    breaks: list[int] = field(default_factory=list)  # row indices preceded by a blank line


@dataclass
class TabLines:
    """Tab-separated lines without a caption (daftar isi): an unruled two-column layout."""

    rows: list[list[str]]


@dataclass
class StackedTable:
    """A small table the text conversion printed column by column (label, values, label...)."""

    rows: list[list[str]]
    spec: dict[str, Any]


Block = Line | TableBlock | TabLines | StackedTable


@dataclass
class Document:
    """The parsed report: cover lines, body blocks and the layout spec that places them."""

    spec: dict[str, Any]
    cover: list[Line]
    blocks: list[Block]


def load_spec(path: Path) -> dict[str, Any]:
    """Read a layout spec (JSON)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _pad(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _line_style(text: str, spec: dict[str, Any]) -> tuple[str | None, bool, str | None]:
    """Style, new-page flag and style of the next line, from the first matching rule."""
    for rule in spec.get("line_styles", []):
        if re.search(rule["match"], text):
            return rule["style"], bool(rule.get("new_page")), rule.get("next")
    return None, False, None


def parse(text: str, spec: dict[str, Any]) -> Document:
    """Split the text file into cover lines and body blocks (no layout decisions yet)."""
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    cover_spec = spec.get("cover", {})
    cover_until = cover_spec.get("until")
    stacked = {s["labels"][0]: s for s in spec.get("stacked_tables", [])}
    titled: dict[str, str] = spec.get("titled_tables", {})  # heading line -> table id
    cover: list[Line] = []
    blocks: list[Block] = []
    in_cover = cover_until is not None
    blanks = 0
    caption: list[str] | None = None
    caption_id = ""
    next_style: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blanks += 1
            i += 1
            continue
        if DASHES_RE.match(line):  # conversion artifact under some tables
            i += 1
            continue
        if line.startswith(COMMENT):  # a note in the source file, never printed
            i += 1
            continue
        if in_cover and line == cover_until:
            in_cover = False
        if in_cover:
            style = cover_spec.get("styles", {}).get(line, "cover")
            cover.append(Line(line, style, blanks))
        elif "\t" in line:
            rows, breaks, i = _collect_rows(lines, i)
            if caption is not None:
                blocks.append(TableBlock(caption_id, caption, _pad(rows), breaks))
                caption = None
            else:
                blocks.append(TabLines(_pad(rows)))
            blanks = 0
            continue
        elif CAPTION_RE.match(line):
            caption, caption_id = [line], _table_id(line)
        elif line in titled:  # a table titled by its heading line alone, no "Tabel N"
            caption, caption_id = [line], titled[line]
        elif caption is not None:
            if len(caption) >= 4:
                raise ValueError(f"{caption[0]!r} is not followed by a tab-separated table")
            caption.append(line)
        elif line in stacked:
            table, i = _collect_stacked(lines, i, stacked[line])
            blocks.append(table)
            blanks = 0
            continue
        else:
            style, new_page, nxt = _line_style(line, spec)
            if style is None and next_style is not None:
                style = next_style
            next_style = nxt
            blocks.append(Line(line, style or "para", blanks, new_page))
        blanks = 0
        i += 1
    ids = {b.table_id for b in blocks if isinstance(b, TableBlock)}
    unknown = set(spec.get("tables", {})) - ids
    if unknown:
        raise ValueError(f"layout spec names tables the text does not have: {sorted(unknown)}")
    return Document(spec, cover, blocks)


def _table_id(caption: str) -> str:
    match = CAPTION_RE.match(caption)
    assert match, caption
    return match.group(1)


def _collect_rows(lines: list[str], i: int) -> tuple[list[list[str]], list[int], int]:
    """Consecutive tab lines; blank lines between them are recorded as possible breaks."""
    rows: list[list[str]] = []
    breaks: list[int] = []
    pending_break = False
    while i < len(lines):
        line = lines[i]
        if DASHES_RE.match(line):
            i += 1
        elif "\t" in line:
            if pending_break and rows:
                breaks.append(len(rows))
            pending_break = False
            rows.append([c.strip() for c in line.split("\t")])
            i += 1
        elif not line.strip():
            j = i
            while j < len(lines) and (not lines[j].strip() or DASHES_RE.match(lines[j])):
                j += 1
            if j < len(lines) and "\t" in lines[j]:
                pending_break = True
                i = j
            else:
                break
        else:
            break
    return rows, breaks, i


def _collect_stacked(lines: list[str], i: int, spec: dict[str, Any]) -> tuple[StackedTable, int]:
    """Read `label, values..., label, values...` into rows under a header of the labels."""
    labels: list[str] = spec["labels"]
    columns: list[list[str]] = []
    i += 1
    for k in range(len(labels)):
        values: list[str] = []
        while i < len(lines) and not (k > 0 and len(values) == len(columns[0])):
            line = lines[i]
            i += 1
            if k + 1 < len(labels) and line == labels[k + 1]:
                break
            if line.strip():
                values.append(line.strip())
        columns.append(values)
    n = max(len(c) for c in columns)
    header = list(spec.get("header", labels))  # printed header; default: the labels as written
    rows = [header] + [[c[r] if r < len(c) else "" for c in columns] for r in range(n)]
    return StackedTable(rows, spec), i


# ---------------------------------------------------------------------------------------------
# Cell spans


def spans(
    rows: list[list[str]], header_rows: int, merge_down: list[int], span_right: list[str]
) -> list[tuple[int, int, int, int]]:
    """Merged cells as (col0, row0, col1, row1), read from blank cells the way Word shows them.

    Header rows: a blank cell under a one-column heading continues it downwards, otherwise it
    continues the heading to its left. Body rows: a first cell starting with a `span_right`
    prefix (TOTAL, JUMLAH) swallows the blanks to its right; blanks in `merge_down` columns
    continue the cell above. Any other blank cell is a real, empty cell.
    """
    n_rows, n_cols = len(rows), len(rows[0])
    owner: list[list[tuple[int, int] | None]] = [[None] * n_cols for _ in range(n_rows)]
    extent: dict[tuple[int, int], list[int]] = {}  # origin -> [c1, r1]

    def claim(r: int, c: int, origin: tuple[int, int]) -> None:
        owner[r][c] = origin
        ext = extent[origin]
        ext[0], ext[1] = max(ext[0], c), max(ext[1], r)

    def width(origin: tuple[int, int]) -> int:
        return extent[origin][0] - origin[1] + 1

    for r in range(n_rows):
        header = r < header_rows
        first = rows[r][0]
        wide_first = not header and any(first.startswith(p) for p in span_right) and first
        for c in range(n_cols):
            text = rows[r][c]
            left = owner[r][c - 1] if c > 0 else None
            above = owner[r - 1][c] if r > 0 else None
            if text:
                extent[(r, c)] = [c, r]
                owner[r][c] = (r, c)
                wide_first = wide_first if c == 0 else False
            elif header and above is not None and r > 0 and width(above) == 1:
                claim(r, c, above)
            elif header and left is not None and left[0] == r:
                claim(r, c, left)
            elif wide_first and left is not None:
                claim(r, c, left)
            elif (not header and c in merge_down and above is not None
                  and r - 1 >= header_rows and above[0] >= header_rows and width(above) == 1):
                claim(r, c, above)
            else:
                extent[(r, c)] = [c, r]
                owner[r][c] = (r, c)
                wide_first = False
    return [(oc, orow, ext[0], ext[1]) for (orow, oc), ext in extent.items()
            if ext[0] > oc or ext[1] > orow]


# ---------------------------------------------------------------------------------------------
# Layout decisions shared by every renderer (this one, and samples/tools/makers.py)

#: Page margins (left, right, top, bottom) of the portrait and landscape pages, in points.
MARGINS = {
    "portrait": (3.0 * cm, 2.5 * cm, 3.0 * cm, 2.5 * cm),
    "landscape": (2.5 * cm, 2.5 * cm, 3.0 * cm, 2.2 * cm),
}


def line_kind(ln: Line, in_item: bool) -> tuple[str, str, str | None, bool]:
    """How a running-text line is printed: (style, text, bullet label, in a list item).

    The style is the line's own (heading, sign...) or, for a `para` line: `item` (a hanging
    list item `a)`/`1.`, the label printed as bullet), `item_cont` (the rest of a list item),
    `cont` (the rest of a paragraph a page break split: no first-line indent) or `para`. A
    leading `- ` bullet mark is not printed. `in_item` says whether the previous block was a
    list item (or its continuation); the last value is that for the next line.
    """
    text, bullet, now_in_item, kind = ln.text, None, False, ln.style
    if ln.style == "para":
        if text.startswith("- "):
            text = text[2:]
        m = LABEL_RE.match(text)
        if m:
            bullet, text, now_in_item, kind = m.group(1), m.group(2), True, "item"
        elif in_item and (ln.blanks == 0 or text[:1].islower()):
            # a line continuing a list item (same item, or the rest of it after a page break)
            now_in_item, kind = True, "item_cont"
        elif text[:1].islower():  # the rest of a paragraph split by a page break
            kind = "cont"
    return kind, text, bullet, now_in_item


def space_before(blanks: int) -> float:
    """Points of space before a running-text line preceded by `blanks` blank lines."""
    return 0.0 if blanks == 0 else 6.0 + 12.0 * max(0, blanks - 1)


def is_total_row(row: list[str], span_right: list[str]) -> bool:
    """A body row whose first cell (TOTAL, JUMLAH...) spans right; printed bold."""
    return bool(row[0]) and any(row[0].startswith(p) for p in span_right)


def table_rows(block: TableBlock, tspec: dict[str, Any]) -> list[list[str]]:
    """The table's rows with `shift_rows` applied (cells whose leading tabs were lost)."""
    rows = [list(r) for r in block.rows]
    for r, row in enumerate(rows):  # rows whose leading tabs were lost in conversion
        shift = tspec.get("shift_rows", {}).get(row[0], 0)
        if shift:
            rows[r] = ([""] * shift + row)[: len(row)]
            assert not any(row[len(row) - shift:]), f"shift would drop cells: {row}"
    return rows


@dataclass
class TableLook:
    """A ruled table's options from the spec, with their defaults (see samples/README.md)."""

    head_n: int
    widths: list[float]  # relative column widths
    width: float  # table width as a fraction of the text width
    align: str  # one of L/C/R per column (body cells; headers are centred)
    font_size: float
    leading: float
    padding: float
    span_right: list[str]
    merge_down: list[int]


def table_look(tspec: dict[str, Any], n_cols: int, spec: dict[str, Any]) -> TableLook:
    """Read a table's options (`tables.<id>` or a stacked table's) for a table of n_cols."""
    rel = tspec.get("widths") or [1] * n_cols
    assert len(rel) == n_cols, f"widths {rel} for {n_cols} columns"
    size = float(tspec.get("font_size", 10))
    return TableLook(
        head_n=int(tspec.get("header_rows", 1)), widths=[float(w) for w in rel],
        width=float(tspec.get("width", 1.0)), align=tspec.get("align", "L" * n_cols),
        font_size=size, leading=float(tspec.get("leading", size * 1.2)),
        padding=float(tspec.get("padding", 3.5)),
        span_right=tspec.get("span_right", spec.get("span_right", [])),
        merge_down=[int(c) for c in tspec.get("merge_down", [])],
    )


def table_parts(block: TableBlock, tspec: dict[str, Any]) -> list[list[list[str]]]:
    """The table as printed on separate pages: each part is the header rows + its body rows.

    One part unless the spec says `"split": "blank_lines"` (then a part per blank line).
    """
    rows = table_rows(block, tspec)
    head_n = int(tspec.get("header_rows", 1))
    cuts = [b for b in block.breaks if tspec.get("split") == "blank_lines" and b > head_n]
    parts, start = [], head_n
    for cut in [*cuts, len(rows)]:
        parts.append(rows[:head_n] + rows[start:cut])
        start = cut
    return parts


# ---------------------------------------------------------------------------------------------
# Rendering


def markup(text: str) -> str:
    """Escape for reportlab and turn the markdown marks (**bold**, *italic*) into tags."""
    out = escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<i>\1</i>", out)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + sym, n - value
    return out


class _Numbering(Flowable):
    """Zero-size marker: page numbers restart here (roman front matter, arabic body)."""

    def __init__(self, doc: LkjDoc, style: str) -> None:
        super().__init__()
        self._doc, self._style = doc, style

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._doc.numbering = (self._style, self.canv.getPageNumber())


class LkjDoc(BaseDocTemplate):
    """A4 document with cover, portrait and landscape templates; header/footer drawn at page end."""

    def __init__(self, path: str, spec: dict[str, Any]) -> None:
        super().__init__(
            path, pagesize=A4, invariant=1, title=spec.get("title", ""),
            author=spec.get("author", ""), subject=spec.get("subject", ""),
            creator="samples/tools/lkjdoc.py",
        )
        self.spec = spec
        self.numbering: tuple[str, int] | None = None
        pw, ph = A4
        lw, lh = landscape(A4)
        self.margins = MARGINS  # left, right, top, bottom
        templates = [PageTemplate("cover", [Frame(2.5 * cm, 2.5 * cm, pw - 5 * cm, ph - 5 * cm,
                                                  id="cover")], pagesize=A4)]
        for name, (w, h) in (("portrait", (pw, ph)), ("landscape", (lw, lh))):
            left, right, top, bottom = self.margins[name]
            frame = Frame(left, bottom, w - left - right, h - top - bottom, id=name,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            templates.append(PageTemplate(name, [frame], pagesize=(w, h),
                                          onPageEnd=self._decorate))
        self.addPageTemplates(templates)

    def frame_width(self, template: str) -> float:
        left, right, _, _ = self.margins[template]
        w = A4[0] if template == "portrait" else landscape(A4)[0]
        return w - left - right

    def _decorate(self, canv: Any, doc: Any) -> None:
        """Running header and page number, as Word prints them on every page but the cover."""
        name = self.pageTemplate.id
        w, h = canv._pagesize
        left, right, _, _ = self.margins[name]
        canv.saveState()
        canv.setFont("Times-Italic", 9)
        canv.drawRightString(w - right, h - 1.6 * cm, self.spec.get("running_header", ""))
        canv.setLineWidth(0.5)
        canv.line(left, h - 1.6 * cm - 4, w - right, h - 1.6 * cm - 4)
        if self.numbering is not None:
            style, start = self.numbering
            n = canv.getPageNumber() - start + 1
            canv.setFont("Times-Roman", 10)
            canv.drawCentredString(w / 2, 1.3 * cm, _roman(n) if style == "roman" else str(n))
        canv.restoreState()


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("para", fontName="Times-Roman", fontSize=12, leading=18,
                          alignment=TA_JUSTIFY, firstLineIndent=1.0 * cm)
    bold = dict(fontName="Times-Bold", keepWithNext=1, firstLineIndent=0)
    st = {
        "para": base,
        "cont": ParagraphStyle("cont", base, firstLineIndent=0),
        "item": ParagraphStyle("item", base, firstLineIndent=0, leftIndent=0.9 * cm,
                               bulletIndent=0, bulletFontName="Times-Roman", bulletFontSize=12),
        "chapter": ParagraphStyle("chapter", base, fontSize=14, leading=20, alignment=TA_CENTER,
                                  spaceAfter=6, **bold),
        "section": ParagraphStyle("section", base, alignment=TA_LEFT, spaceBefore=6, **bold),
        "subsection": ParagraphStyle("subsection", base, alignment=TA_LEFT, **bold),
        "iku_no": ParagraphStyle("iku_no", base, fontSize=16, leading=20, alignment=TA_LEFT,
                                 spaceBefore=6, **bold),
        "iku_title": ParagraphStyle("iku_title", base, alignment=TA_LEFT, **bold),
        "sign": ParagraphStyle("sign", base, alignment=TA_LEFT, firstLineIndent=0,
                               leftIndent=7.5 * cm),
        "sign_name": ParagraphStyle("sign_name", base, alignment=TA_LEFT, leftIndent=7.5 * cm,
                                    fontName="Times-Bold", firstLineIndent=0),
        "caption": ParagraphStyle("caption", base, fontName="Times-Bold", fontSize=11,
                                  leading=14, alignment=TA_CENTER, firstLineIndent=0),
        "toc": ParagraphStyle("toc", base, alignment=TA_LEFT, firstLineIndent=0),
        "toc_page": ParagraphStyle("toc_page", base, alignment=TA_RIGHT, firstLineIndent=0),
    }
    cover = ParagraphStyle("cover", fontName="Helvetica", fontSize=12, leading=16,
                           alignment=TA_CENTER)
    cover_fonts = (("cover", "Helvetica", 12), ("cover_org", "Helvetica-Bold", 22),
                   ("cover_year", "Helvetica-Bold", 40), ("cover_big", "Helvetica-Bold", 30),
                   ("cover_title", "Helvetica-Bold", 26), ("cover_agency", "Helvetica-Bold", 16),
                   ("cover_small", "Helvetica", 10), ("cover_note", "Helvetica-Bold", 11))
    for name, font, size in cover_fonts:
        st[name] = ParagraphStyle(name, cover, fontName=font, fontSize=size, leading=size * 1.25)
    return st


class Renderer:
    """Turns a Document into platypus flowables (the story) and builds the PDF."""

    def __init__(self, document: Document, path: str) -> None:
        self.document = document
        self.spec = document.spec
        self.doc = LkjDoc(path, self.spec)
        self.st = _styles()
        self.story: list[Flowable] = []
        self.template = "portrait"
        self.in_item = False  # the previous block was a list item (or its continuation)
        self.numbering = {n["at"]: n["style"] for n in self.spec.get("page_numbers", [])}

    # -- helpers
    def page_break(self, template: str | None = None) -> None:
        """Start a new page (on another template if given), never leaving an empty page."""
        template = template or self.template
        if self.story and isinstance(self.story[-1], PageBreak):
            self.story.insert(len(self.story) - 1, NextPageTemplate(template))
        else:
            self.story += [NextPageTemplate(template), PageBreak()]
        self.template = template

    def build(self) -> None:
        self.cover()
        self.page_break("portrait")
        blocks = self.document.blocks
        for k, block in enumerate(blocks):
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            if isinstance(block, Line):
                self.line(block)
            elif isinstance(block, TableBlock):
                extra = nxt if isinstance(nxt, StackedTable) else None
                self.table(block, extra)
            elif isinstance(block, TabLines):
                self.tab_lines(block)
            if not isinstance(block, Line):
                self.in_item = False
        self.doc.build(self.story)

    # -- blocks
    def cover(self) -> None:
        scale = float(self.spec.get("cover", {}).get("blank_space", 14))
        for ln in self.document.cover:
            if ln.blanks and self.story:
                self.story.append(Spacer(1, scale * ln.blanks))
            self.story.append(Paragraph(markup(ln.text), self.st[ln.style]))

    def line(self, ln: Line) -> None:
        """A paragraph; `- ` bullets and `a)`/`1.` labels become hanging-indent list items."""
        if ln.new_page:
            self.page_break()
        if ln.text in self.numbering:
            self.story.append(_Numbering(self.doc, self.numbering[ln.text]))
        kind, text, bullet, self.in_item = line_kind(ln, self.in_item)
        if kind == "item_cont":
            style = ParagraphStyle("item_cont", self.st["cont"],
                                   leftIndent=self.st["item"].leftIndent)
        else:
            style = self.st[kind]
        space = space_before(ln.blanks)
        style = ParagraphStyle(style.name, style, spaceBefore=max(space, style.spaceBefore))
        self.story.append(Paragraph(markup(text), style, bulletText=bullet))

    def tab_lines(self, block: TabLines) -> None:
        width = self.doc.frame_width(self.template)
        n = len(block.rows[0])
        widths = [width * 0.88] + [width * 0.12 / (n - 1)] * (n - 1) if n > 1 else [width]
        data = [[Paragraph(markup(c), self.st["toc" if j == 0 else "toc_page"])
                 for j, c in enumerate(r)] for r in block.rows]
        tbl = Table(data, colWidths=widths, hAlign="LEFT")
        tbl.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                 ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
        self.story.append(Spacer(1, 6))
        self.story.append(tbl)

    def table(self, block: TableBlock, extra: StackedTable | None) -> None:
        tspec = dict(self.spec.get("tables", {}).get(block.table_id, {}))
        template = "landscape" if tspec.get("landscape") else self.template
        if tspec.get("landscape"):
            self.page_break("landscape")
        parts = table_parts(block, tspec)
        caption = [Spacer(1, 8)] + [Paragraph(markup(c), self.st["caption"]) for c in block.caption]
        caption.append(Spacer(1, 4))
        width = self.doc.frame_width(template)
        for k, part in enumerate(parts):
            flow: list[Flowable] = list(caption) if k == 0 else []
            flow.append(self.ruled(part, tspec, width))
            if extra is not None and k == len(parts) - 1:
                flow += [Spacer(1, 6), self.ruled(extra.rows, extra.spec, width)]
            if k > 0:
                self.story.append(PageBreak())
            self.story.append(KeepTogether(flow))
        self.story.append(Spacer(1, 6))
        if tspec.get("landscape"):
            self.page_break("portrait")

    def ruled(self, rows: list[list[str]], tspec: dict[str, Any], width: float) -> Table:
        """A Word-like ruled table: full grid, grey bold header, wrapped cells, SPANs."""
        look = table_look(tspec, len(rows[0]), self.spec)
        head_n, rel, align, size, leading, pad, span_right = (
            look.head_n, tspec.get("widths") or [1] * len(rows[0]), look.align, look.font_size,
            look.leading, look.padding, look.span_right)
        total_w = width * float(tspec.get("width", 1.0))
        widths = [total_w * w / sum(rel) for w in rel]
        body = {a: ParagraphStyle(f"cell{a}", fontName="Times-Roman", fontSize=size,
                                  leading=leading, alignment={"L": TA_LEFT, "C": TA_CENTER,
                                                                 "R": TA_RIGHT}[a])
                for a in "LCR"}
        head = ParagraphStyle("head", body["C"], fontName="Times-Bold")
        total = {a: ParagraphStyle(f"tot{a}", s, fontName="Times-Bold") for a, s in body.items()}
        data = []
        for r, row in enumerate(rows):
            is_total = r >= head_n and is_total_row(row, span_right)
            cells = []
            for c, text in enumerate(row):
                style = head if r < head_n else (total if is_total else body)[align[c]]
                cells.append(Paragraph(escape(text), style) if text else "")
            data.append(cells)
        cmds: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 0.5),
        ]
        if head_n:
            cmds.append(("BACKGROUND", (0, 0), (-1, head_n - 1), HEADER_GREY))
        for c0, r0, c1, r1 in spans(rows, head_n, look.merge_down, span_right):
            cmds.append(("SPAN", (c0, r0), (c1, r1)))
        return Table(data, colWidths=widths, repeatRows=head_n, style=TableStyle(cmds))


def render(document: Document, out: Path) -> None:
    """Write the PDF (byte-reproducible: reportlab invariant mode, built-in fonts only)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    Renderer(document, str(out)).build()


def build(text_path: Path, spec_path: Path, out: Path) -> None:
    """Text file + layout spec -> PDF."""
    spec = load_spec(spec_path)
    render(parse(text_path.read_text(encoding="utf-8"), spec), out)
