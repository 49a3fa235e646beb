"""Draw the sample reports through other PDF makers than reportlab (synthetic maker corpus).

Usage: python samples/tools/makers.py [--only NAME] [--maker MAKER] [--out DIR] [--sources DIR]

`samples/NAME.pdf` is drawn by one renderer (samples/tools/lkjdoc.py, reportlab). To show that
extraction does not depend on that renderer, this script writes the same reports, from the same
`samples/src/NAME.txt` + `NAME.layout.json` (parsed by lkjdoc, so the words, figures, cells,
merged cells, captions, headings and landscape pages are the same), through other makers:

- `docx-lo`: a Word document written with python-docx (tables in the 'Table Grid' style with
  real merged cells, header rows repeated on each page (w:tblHeader), grey header shading, a
  landscape section per wide table, running header, page numbers roman then arabic), converted
  to PDF by LibreOffice headless (`soffice --convert-to pdf`).
- `html-lo`: an HTML document (tables with rowspan/colspan, <thead> header rows, collapsed
  borders, page breaks) imported by LibreOffice Writer (filter "HTML (StarWriter)") and exported
  to PDF (writer_pdf_Export). LibreOffice's HTML import knows no CSS named pages nor page margin
  boxes, so the conversion runs through UNO (/usr/bin/python3 with python3-uno): it loads the
  HTML, gives the paragraphs that start a page run (marked by <a name="lkj-run-N">) the page
  style the HTML's CSS names for that run (landscape pages, running header, page numbers), and
  exports. Without UNO (or with --html-lo-plain) it is a plain `soffice --convert-to pdf`
  of the HTML: portrait pages only, no running header or page numbers.
- `html-chromium`: the same HTML printed by headless Chromium (`--print-to-pdf`): CSS named
  pages for the landscape pages, @page margin boxes for the running header and page numbers;
  long tables break across pages where Chromium breaks them (the <thead> repeats).

All makers let tables that the spec splits ("split": "blank_lines") flow across pages
naturally, with their header rows repeated, instead of breaking them where the published table
broke; other tables are kept on one page with their caption, as in lkjdoc. Table rows are not
split across pages (w:cantSplit, `break-inside: avoid`).

Output: samples/makers/<maker>/<NAME>.pdf. See samples/makers/README.md. The PDFs are not
byte-reproducible (LibreOffice and Chromium stamp dates and ids), only content-reproducible.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lkjdoc  # noqa: E402  (sibling module; samples/tools is not a package)
from lkjdoc import (  # noqa: E402
    MARGINS,
    StackedTable,
    TableBlock,
    TableLook,
    TabLines,
    is_total_row,
    line_kind,
    markup,
    space_before,
    spans,
    table_look,
    table_rows,
)
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1]
SRC = SAMPLES / "src"
OUT = SAMPLES / "makers"
MAKERS = ("docx-lo", "html-lo", "html-chromium")
SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
UNO_PYTHON = "/usr/bin/python3"  # the system Python that has python3-uno
GREY = "D9D9D9"  # lkjdoc.HEADER_GREY (0.85 grey)
STYLES = lkjdoc._styles()  # the reportlab paragraph styles: fonts, sizes, leading, indents
CAPTION_BEFORE, CAPTION_AFTER, TABLE_AFTER, STACKED_GAP, TOC_BEFORE = 8.0, 4.0, 6.0, 6.0, 6.0
HEADER_BASELINE, FOOTER_BASELINE = 1.6 * cm, 1.3 * cm  # from the page's top / bottom edge
BREAK_CSS = ["page-break-before: always", "break-before: page"]  # LibreOffice, Chromium
# WordprocessingML wants children in schema order: what may follow each element we add
TCPR_AFTER_SHD = ("noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")
TBLPR_AFTER_CELLMAR = ("tblLook", "tblCaption", "tblDescription", "tblPrChange")
PPR_AFTER_PBDR = ("shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
                  "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
                  "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
                  "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
                  "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
                  "pPrChange")
PPR_AFTER_RPR = ("sectPr", "pPrChange")


def insert_ordered(parent: Any, child: Any, successors: tuple[str, ...]) -> None:
    """Append `child` to `parent`, but before the first existing successor element."""
    from docx.oxml.ns import qn

    after = [parent.find(qn(f"w:{t}")) for t in successors]
    after = [a for a in after if a is not None]
    if after:
        min(after, key=list(parent).index).addprevious(child)
    else:
        parent.append(child)
NOTE = "SYNTHETIC: drawn by samples/tools/makers.py ({maker}) from samples/src/{name}.txt"


# ---------------------------------------------------------------------------------------------
# The document as page runs (what every maker draws)


@dataclass
class Para:
    """A paragraph: lkjdoc style name, text as markup (escaped, <b>/<i>), bullet, space."""

    kind: str
    markup: str
    bullet: str | None = None
    space: float = 0.0  # points before


@dataclass
class Toc:
    """DAFTAR ISI / DAFTAR TABEL lines: entry and page number, unruled."""

    rows: list[list[str]]


@dataclass
class Grid:
    """A ruled table's cells with its merged cells and options."""

    rows: list[list[str]]
    look: TableLook
    spans: list[tuple[int, int, int, int]]  # (col0, row0, col1, row1)
    totals: set[int]  # body rows printed bold (TOTAL, JUMLAH)

    def fractions(self) -> list[float]:
        """Column widths as fractions of the text width."""
        total = sum(self.look.widths)
        return [self.look.width * w / total for w in self.look.widths]

    def covered(self) -> dict[tuple[int, int], tuple[int, int, int, int]]:
        """(row, col) of every cell of a merged cell -> the span; the origin is (row0, col0)."""
        out = {}
        for span in self.spans:
            c0, r0, c1, r1 = span
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    out[(r, c)] = span
        return out


@dataclass
class TableItem:
    """A captioned table (and the stacked table printed right under it)."""

    table_id: str
    caption: list[str]  # markup
    grid: Grid
    extra: Grid | None
    keep: bool  # keep caption and table on one page (else: flow, header rows repeated)


Item = Para | Toc | TableItem


@dataclass
class Run:
    """Content that starts on a new page; every page of it has the same page style."""

    page: str  # cover | portrait | landscape
    segment: int | None  # page-number segment (index into Flow.segments); None: no folio
    restart: bool = False  # page numbers restart at 1 on the run's first page
    items: list[Item] = field(default_factory=list)

    @property
    def style(self) -> str:
        """Page style name (CSS named page, LibreOffice page style)."""
        if self.page == "cover":
            return "cover"
        return f"{'s' + str(self.segment) if self.segment is not None else 'plain'}-{self.page}"


@dataclass
class Flow:
    spec: dict[str, Any]
    runs: list[Run]
    segments: list[str]  # numbering style per segment: roman | arabic


def _grid(rows: list[list[str]], tspec: dict[str, Any], spec: dict[str, Any]) -> Grid:
    look = table_look(tspec, len(rows[0]), spec)
    totals = {r for r in range(look.head_n, len(rows)) if is_total_row(rows[r], look.span_right)}
    return Grid(rows, look, spans(rows, look.head_n, look.merge_down, look.span_right), totals)


def flow(document: lkjdoc.Document) -> Flow:
    """Place the parsed report on page runs, making the decisions lkjdoc.Renderer makes."""
    spec = document.spec
    numbering = {n["at"]: n["style"] for n in spec.get("page_numbers", [])}
    segments: list[str] = []
    cover = Run("cover", None)
    scale = float(spec.get("cover", {}).get("blank_space", 14))
    for ln in document.cover:
        gap = scale * ln.blanks if ln.blanks and cover.items else 0.0
        cover.items.append(Para(ln.style, markup(ln.text), None, gap))
    runs = [cover, Run("portrait", None)]

    def page_break(page: str) -> None:  # never an empty run, as lkjdoc.Renderer.page_break
        if not runs[-1].items and runs[-1].page != "cover":
            runs[-1].page = page
        else:
            runs.append(Run(page, runs[-1].segment))

    template, in_item = "portrait", False
    blocks = document.blocks
    for k, block in enumerate(blocks):
        if isinstance(block, lkjdoc.Line):
            if block.new_page:
                page_break(template)
            if block.text in numbering:
                if runs[-1].items:  # numbering restarts on a page: start one (lkjdoc restarts
                    page_break(template)  # on the page the line is on; no spec does that)
                segments.append(numbering[block.text])
                runs[-1].segment, runs[-1].restart = len(segments) - 1, True
            kind, text, bullet, in_item = line_kind(block, in_item)
            base = STYLES["cont" if kind == "item_cont" else kind]
            runs[-1].items.append(Para(kind, markup(text), bullet,
                                       max(space_before(block.blanks), base.spaceBefore)))
            continue
        in_item = False
        if isinstance(block, TabLines):
            runs[-1].items.append(Toc(block.rows))
        elif isinstance(block, TableBlock):
            tspec = dict(spec.get("tables", {}).get(block.table_id, {}))
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            extra = _grid(nxt.rows, nxt.spec, spec) if isinstance(nxt, StackedTable) else None
            if tspec.get("landscape"):
                page_break("landscape")
            runs[-1].items.append(TableItem(
                block.table_id, [markup(c) for c in block.caption],
                _grid(table_rows(block, tspec), tspec, spec), extra,
                keep=tspec.get("split") != "blank_lines"))
            if tspec.get("landscape"):
                page_break("portrait")
                template = "portrait"
    if not runs[-1].items:
        runs.pop()
    return Flow(spec, runs, segments)


def load(name: str) -> Flow:
    spec = lkjdoc.load_spec(SRC / f"{name}.layout.json")
    return flow(lkjdoc.parse((SRC / f"{name}.txt").read_text(encoding="utf-8"), spec))


def page_size(page: str) -> tuple[float, float]:
    return landscape(A4) if page == "landscape" else A4


def margins(page: str) -> tuple[float, float, float, float]:
    """left, right, top, bottom in points (the cover: 2.5 cm all round, as lkjdoc's frame)."""
    return (2.5 * cm,) * 4 if page == "cover" else MARGINS[page]


def text_width(page: str) -> float:
    left, right, _, _ = margins(page)
    return page_size(page)[0] - left - right


def font(font_name: str) -> tuple[str, bool, bool]:
    """reportlab built-in font -> (family as a Word user names it, bold, italic)."""
    family = "Arial" if font_name.startswith("Helvetica") else "Times New Roman"
    return family, "Bold" in font_name, "Italic" in font_name or "Oblique" in font_name


# ---------------------------------------------------------------------------------------------
# DOCX (python-docx), converted by LibreOffice


def runs_of(text_markup: str) -> list[tuple[str, bool, bool]]:
    """Markup (escaped text with <b>, <i>) -> [(text, bold, italic)]."""
    out, bold, italic = [], False, False
    for piece in re.split(r"(</?[bi]>)", text_markup):
        if piece in ("<b>", "</b>"):
            bold = piece == "<b>"
        elif piece in ("<i>", "</i>"):
            italic = piece == "<i>"
        elif piece:
            out.append((unescape(piece), bold, italic))
    return out


class DocxWriter:
    """One report as a Word document: a section per page run whose page style changes."""

    def __init__(self, fl: Flow, name: str) -> None:
        from docx import Document as Docx  # python-docx (dev extra)

        self.fl, self.name = fl, name
        self.d = Docx()
        self.pending_space = 0.0  # points of space to add before the next paragraph
        self.break_next = False  # the next paragraph starts a page
        normal = self.d.styles["Normal"]
        self._font(normal.font, "Times New Roman", 12)
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = self._pt(0)
        props = self.d.core_properties
        spec = fl.spec
        props.title = spec.get("title", "")
        props.author = spec.get("author", "")
        props.subject = spec.get("subject", "")
        props.comments = NOTE.format(maker="docx-lo", name=name)
        props.keywords = "LKj; synthetic sample; samples/tools/makers.py"
        props.created = props.modified = datetime(2024, 1, 1, tzinfo=timezone.utc)
        props.last_modified_by = "samples/tools/makers.py"
        props.revision = 1

    # -- small helpers
    @staticmethod
    def _pt(points: float) -> Any:
        from docx.shared import Pt

        return Pt(points)

    @staticmethod
    def _font(f: Any, family: str, size: float, bold: bool = False, italic: bool = False) -> None:
        from docx.oxml.ns import qn
        from docx.shared import Pt

        f.name, f.size, f.bold, f.italic = family, Pt(size), bold, italic
        rpr = f._element.get_or_add_rPr()  # the run's or the style's w:rPr
        rfonts = rpr.get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), family)

    def _page(self, section: Any, run: Run) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        w, h = page_size(run.page)
        left, right, top, bottom = margins(run.page)
        section.orientation = WD_ORIENT.LANDSCAPE if run.page == "landscape" else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Pt(w), Pt(h)
        section.left_margin, section.right_margin = Pt(left), Pt(right)
        section.top_margin, section.bottom_margin = Pt(top), Pt(bottom)
        section.header_distance = Pt(HEADER_BASELINE - 9)
        section.footer_distance = Pt(FOOTER_BASELINE - 3)
        sect = section._sectPr
        for old in sect.findall(qn("w:pgNumType")):
            sect.remove(old)
        if run.segment is not None:
            num = OxmlElement("w:pgNumType")
            style = self.fl.segments[run.segment]
            num.set(qn("w:fmt"), "lowerRoman" if style == "roman" else "decimal")
            if run.restart:
                num.set(qn("w:start"), "1")
            # schema order: pgNumType comes after pgMar/paperSrc/pgBorders/lnNumType
            anchor = sect.find(qn("w:cols"))
            if anchor is not None:
                anchor.addprevious(num)
            else:
                sect.append(num)

    def _paragraph(self, kind: str, text_markup: str, bullet: str | None = None,
                   space: float = 0.0, keep: bool = False) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.shared import Pt

        st = STYLES["cont" if kind == "item_cont" else kind]
        left = STYLES["item"].leftIndent if kind == "item_cont" else st.leftIndent
        p = self.d.add_paragraph()
        pf = p.paragraph_format
        pf.alignment = {0: WD_ALIGN_PARAGRAPH.LEFT, 1: WD_ALIGN_PARAGRAPH.CENTER,
                        2: WD_ALIGN_PARAGRAPH.RIGHT, 4: WD_ALIGN_PARAGRAPH.JUSTIFY}[st.alignment]
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(st.leading)
        pf.space_before = Pt(space + self.pending_space)
        pf.space_after = Pt(st.spaceAfter)
        pf.left_indent = Pt(left)
        pf.first_line_indent = Pt(st.firstLineIndent)
        pf.keep_with_next = bool(getattr(st, "keepWithNext", 0)) or keep
        pf.widow_control = True
        if self.break_next:
            pf.page_break_before = True
            self.break_next = False
        self.pending_space = 0.0
        family, bold, italic = font(st.fontName)
        pieces = runs_of(text_markup)
        if bullet is not None:
            pf.first_line_indent = Pt(-left)
            pf.tab_stops.add_tab_stop(Pt(left))
            pieces = [(bullet + "\t", False, False)] + pieces
        for text, b, i in pieces:
            r = p.add_run(text)
            self._font(r.font, family, st.fontSize, bold or b, italic or i)
        return p

    def _spacer(self, points: float, keep: bool = False) -> None:
        """An empty paragraph exactly `points` high (between two tables, as a Spacer)."""
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt

        p = self.d.add_paragraph()
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(points)
        pf.space_before = pf.space_after = Pt(0)
        pf.keep_with_next = keep
        self._mark_font(p, 1)

    def _mark_font(self, p: Any, size: float) -> None:
        """Font size of the paragraph mark (an empty paragraph's height follows it)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        ppr = p._p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            insert_ordered(ppr, rpr, PPR_AFTER_RPR)
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(size * 2)))
        rpr.append(sz)

    # -- blocks
    def toc(self, item: Toc, page: str) -> None:
        from docx.enum.text import WD_TAB_ALIGNMENT
        from docx.shared import Pt

        width = text_width(page)
        n = len(item.rows[0])
        self.pending_space += TOC_BEFORE
        for row in item.rows:
            cells = [c for c in row]
            while len(cells) > 1 and not cells[-1]:
                cells.pop()
            p = self._paragraph("toc", markup("\t".join(cells)))
            pf = p.paragraph_format
            pf.space_before = Pt(pf.space_before.pt + 1)
            pf.space_after = Pt(1)
            for j in range(1, n):  # right tab stops at the right edges of the page columns
                pf.tab_stops.add_tab_stop(Pt(width * (0.88 + 0.12 * j / (n - 1))),
                                          WD_TAB_ALIGNMENT.RIGHT)

    def table(self, item: TableItem, page: str) -> None:
        last = len(item.caption) - 1
        for k, line in enumerate(item.caption):
            p = self._paragraph("caption", line, space=CAPTION_BEFORE if k == 0 else 0.0,
                                keep=True)
            if k == last:
                p.paragraph_format.space_after = self._pt(CAPTION_AFTER)
        self.grid(item.grid, page, keep=item.keep or item.extra is not None,
                  last=item.extra is None)
        if item.extra is not None:
            self._spacer(STACKED_GAP, keep=item.keep)
            self.grid(item.extra, page, keep=item.keep, last=True)
        self.pending_space += TABLE_AFTER

    def grid(self, g: Grid, page: str, keep: bool, last: bool) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        look = g.look
        n_rows, n_cols = len(g.rows), len(g.rows[0])
        t = self.d.add_table(rows=n_rows, cols=n_cols)
        t.style = self.d.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        widths = [Pt(text_width(page) * f) for f in g.fractions()]
        tblpr = t._tbl.tblPr
        mar = OxmlElement("w:tblCellMar")  # cell padding, as lkjdoc's
        for side, pts in (("top", look.padding), ("left", 4), ("bottom", look.padding + 0.5),
                          ("right", 4)):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(round(pts * 20)))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        insert_ordered(tblpr, mar, TBLPR_AFTER_CELLMAR)
        align = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER,
                 "R": WD_ALIGN_PARAGRAPH.RIGHT}
        for c, col in enumerate(t.columns):
            col.width = widths[c]
        for r, row in enumerate(t.rows):
            trpr = row._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))  # a row is never split over two pages
            if r < look.head_n:
                trpr.append(OxmlElement("w:tblHeader"))  # repeated on each page
            for c, cell in enumerate(row.cells):
                cell.width = widths[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                head = r < look.head_n
                if head:
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:color"), "auto")
                    shd.set(qn("w:fill"), GREY)
                    insert_ordered(cell._tc.get_or_add_tcPr(), shd, TCPR_AFTER_SHD)
                p = cell.paragraphs[0]
                pf = p.paragraph_format
                pf.alignment = WD_ALIGN_PARAGRAPH.CENTER if head else align[look.align[c]]
                pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                pf.line_spacing = Pt(look.leading)
                pf.space_before = pf.space_after = Pt(0)
                pf.keep_with_next = keep and (r < n_rows - 1 or not last)
                text = g.rows[r][c]
                if text:
                    run = p.add_run(text)
                    self._font(run.font, "Times New Roman", look.font_size,
                               bold=head or r in g.totals)
                else:
                    self._mark_font(p, look.font_size)
        for c0, r0, c1, r1 in g.spans:
            t.cell(r0, c0).merge(t.cell(r1, c1))

    def write(self, out: Path) -> Path:
        from docx.enum.section import WD_SECTION

        prev: Run | None = None
        for run in self.fl.runs:
            if prev is None:
                self._page(self.d.sections[0], run)
            elif run.style != prev.style or run.restart:
                section = self.d.add_section(WD_SECTION.NEW_PAGE)
                self._shrink_break_paragraph()
                self._page(section, run)
                self.pending_space = 0.0
            else:
                self.break_next = True
                self.pending_space = 0.0
            for item in run.items:
                if isinstance(item, Para):
                    self._paragraph(item.kind, item.markup, item.bullet, item.space)
                elif isinstance(item, Toc):
                    self.toc(item, run.page)
                else:
                    self.table(item, run.page)
            prev = run
        self._headers()
        out.parent.mkdir(parents=True, exist_ok=True)
        self.d.save(str(out))
        return out

    def _shrink_break_paragraph(self) -> None:
        """python-docx puts the section break in a new empty paragraph: make it 1 pt high."""
        from docx.enum.text import WD_LINE_SPACING
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        body = self.d.element.body
        ps = [p for p in body.iterchildren(qn("w:p")) if p.pPr is not None
              and p.pPr.find(qn("w:sectPr")) is not None]
        p = Paragraph(ps[-1], self.d._body)
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = self._pt(1)
        pf.space_before = pf.space_after = self._pt(0)
        self._mark_font(p, 1)

    def _headers(self) -> None:
        """Running header from the first page after the cover; page number from segment 0."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        sections = list(self.d.sections)
        styled = [r for k, r in enumerate(self.fl.runs)
                  if k == 0 or r.style != self.fl.runs[k - 1].style or r.restart]
        assert len(styled) == len(sections), (len(styled), len(sections))
        for section in sections:
            section.header.is_linked_to_previous = True
            section.footer.is_linked_to_previous = True
        if len(sections) < 2:
            return
        header = sections[1].header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = p.add_run(self.fl.spec.get("running_header", ""))
        self._font(r.font, "Times New Roman", 9, italic=True)
        ppr = p._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, val in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"),
                         ("w:color", "000000")):
            bottom.set(qn(key), val)
        bdr.append(bottom)
        insert_ordered(ppr, bdr, PPR_AFTER_PBDR)
        first = next((k for k, r in enumerate(styled) if r.segment is not None), None)
        if first is None:
            return
        footer = sections[first].footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run()
        self._font(r.font, "Times New Roman", 10)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                           ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            elif text.strip() == "PAGE":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            else:
                el = OxmlElement("w:t")
                el.text = text
            r._r.append(el)


# ---------------------------------------------------------------------------------------------
# HTML (one document for LibreOffice and Chromium)


def css_class(style: str) -> str:
    """CSS class of a paragraph style (LibreOffice's CSS1 reader takes no '_' in names)."""
    return "k-" + style.replace("_", "-")


def _css_font(font_name: str) -> str:
    family, bold, italic = font(font_name)
    generic = "sans-serif" if family == "Arial" else "serif"
    return (f'font-family: "{family}", "Liberation {"Sans" if family == "Arial" else "Serif"}", '
            f"{generic}; font-weight: {'bold' if bold else 'normal'}; "
            f"font-style: {'italic' if italic else 'normal'};")


def _pt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") + "pt"


def _para_css() -> str:
    """A `p.k-<style>` rule per lkjdoc paragraph style (fonts, sizes, leading, indents)."""
    align = {0: "left", 1: "center", 2: "right", 4: "justify"}
    rules = []
    for name, st in STYLES.items():
        keep = getattr(st, "keepWithNext", 0) or name == "caption"
        rules.append(
            f"p.{css_class(name)} {{ {_css_font(st.fontName)} font-size: {_pt(st.fontSize)}; "
            f"line-height: {_pt(st.leading)}; text-align: {align[st.alignment]}; "
            f"text-indent: {_pt(st.firstLineIndent)}; margin-left: {_pt(st.leftIndent)}; "
            f"margin-right: 0; margin-top: 0; margin-bottom: {_pt(st.spaceAfter)};"
            f"{' page-break-after: avoid;' if keep else ''} }}")
    item = STYLES["item"]
    rules.append(f"p.k-item {{ text-indent: {_pt(-item.leftIndent)}; }}")
    rules.append(f"p.{css_class('item_cont')} {{ {_css_font(STYLES['cont'].fontName)} font-size: "
                 f"{_pt(STYLES['cont'].fontSize)}; line-height: {_pt(STYLES['cont'].leading)}; "
                 f"text-align: justify; text-indent: 0; margin: 0 0 0 {_pt(item.leftIndent)}; }}")
    return "\n".join(rules)


def _page_css(fl: Flow) -> str:
    """Chromium: a named page per page style, margin boxes for header and page numbers."""
    header = json.dumps(fl.spec.get("running_header", ""))
    out = []
    styles = dict.fromkeys(r.style for r in fl.runs)
    for style in styles:
        run = next(r for r in fl.runs if r.style == style)
        w, h = page_size(run.page)
        left, right, top, bottom = margins(run.page)
        body = [f"size: {_pt(w)} {_pt(h)};",
                f"margin: {_pt(top)} {_pt(right)} {_pt(bottom)} {_pt(left)};"]
        if run.page != "cover":
            body.append(
                f"@top-right {{ content: {header}; width: 100%; text-align: right; "
                f'font: italic 9pt "Times New Roman", "Liberation Serif", serif; '
                f"vertical-align: bottom; margin-bottom: {_pt(top - HEADER_BASELINE - 3)}; "
                f"padding-bottom: 2pt; border-bottom: 0.5pt solid black; }}")
        if run.segment is not None:
            kind = "lower-roman" if fl.segments[run.segment] == "roman" else "decimal"
            body.append(f"counter-increment: folio{run.segment} 1;")
            body.append(
                f"@bottom-center {{ content: counter(folio{run.segment}, {kind}); "
                f'font: 10pt "Times New Roman", "Liberation Serif", serif; vertical-align: top; '
                f"margin-top: {_pt(bottom - FOOTER_BASELINE - 8)}; }}")
        out.append(f"@page {style} {{ {' '.join(body)} }}")
        out.append(f"div.pg-{style} {{ page: {style}; }}")
    return "\n".join(out)


class HtmlWriter:
    """One report as an HTML document; also the page-run plan LibreOffice's UNO step applies."""

    def __init__(self, fl: Flow, name: str) -> None:
        self.fl, self.name = fl, name
        self.out: list[str] = []

    @staticmethod
    def _style(css: list[str]) -> str:
        return f' style="{"; ".join(css)}"' if css else ""

    def para(self, item: Para, first: str = "", brk: bool = False) -> None:
        css = BREAK_CSS if brk else []
        css = css + ([f"margin-top: {_pt(item.space)}"] if item.space else [])
        bullet = (f'<span class="bullet">{html.escape(item.bullet)} </span>'
                  if item.bullet is not None else "")
        self.out.append(f'<p class="{css_class(item.kind)}"{self._style(css)}>{first}{bullet}'
                        f"{item.markup}</p>")

    def toc(self, item: Toc) -> None:
        n = len(item.rows[0])
        cols = "".join(f'<col width="{w}%">' for w in
                       [88] + [round(12 / (n - 1), 2)] * (n - 1)) if n > 1 else ""
        self.out.append(f'<table class="toc" width="100%" cellspacing="0" cellpadding="1" '
                        f'style="margin-top: {_pt(TOC_BEFORE)}"><colgroup>{cols}</colgroup>')
        for row in item.rows:
            cells = "".join(
                '<td class="toc">' + markup(c) + "</td>" if j == 0 else
                '<td class="tocpage" align="right">' + markup(c) + "</td>"
                for j, c in enumerate(row))
            self.out.append(f"<tr>{cells}</tr>")
        self.out.append("</table>")

    def grid(self, g: Grid, gap: float = 0.0, keep: bool = False) -> None:
        look = g.look
        covered = g.covered()
        width = round(look.width * 100, 2)
        style = f"width: {width}%;" + (f" margin-top: {_pt(gap)};" if gap else "")
        style += " page-break-inside: avoid;" if keep else ""
        self.out.append(f'<table class="grid" width="{width}%" border="1" cellspacing="0" '
                        f'cellpadding="4" align="center" style="{style}">')
        self.out.append("<colgroup>" + "".join(
            f'<col width="{round(f / look.width * 100, 2)}%">' for f in g.fractions())
            + "</colgroup>")
        cell_style = (f"font-size: {_pt(look.font_size)}; line-height: {_pt(look.leading)}; "
                      f"padding: {_pt(look.padding)} 4pt {_pt(look.padding + 0.5)} 4pt; "
                      "border: 0.5pt solid #000000;")
        align = {"L": "left", "C": "center", "R": "right"}
        col_pct = [f / look.width * 100 for f in g.fractions()]
        for r, row in enumerate(g.rows):
            head = r < look.head_n
            if r == 0 and head:
                self.out.append("<thead>")
            if r == look.head_n:
                self.out.append("<tbody>")
            cells = []
            for c, text in enumerate(row):
                span = covered.get((r, c))
                if span is not None and (span[1], span[0]) != (r, c):
                    continue  # covered by a merged cell
                c0, c1 = (span[0], span[2]) if span is not None else (c, c)
                attrs = f' width="{round(sum(col_pct[c0:c1 + 1]), 2)}%"'  # LibreOffice reads it
                if span is not None:
                    c0, r0, c1, r1 = span
                    attrs += f' colspan="{c1 - c0 + 1}"' if c1 > c0 else ""
                    attrs += f' rowspan="{r1 - r0 + 1}"' if r1 > r0 else ""
                a = "center" if head else align[look.align[c]]
                body = html.escape(text, quote=False)
                if head:
                    cells.append(f'<th{attrs} align="center" valign="middle" bgcolor="#{GREY}" '
                                 f'style="{cell_style}">{body}</th>')
                else:
                    body = f"<b>{body}</b>" if r in g.totals and body else body
                    cells.append(f'<td{attrs} align="{a}" valign="middle" '
                                 f'style="{cell_style}">{body}</td>')
            self.out.append("<tr>" + "".join(cells) + "</tr>")
            if r == look.head_n - 1:
                self.out.append("</thead>")
        self.out.append("</tbody></table>")

    def table(self, item: TableItem, first: str = "", brk: bool = False) -> None:
        self.out.append(f'<div class="tbl{" keep" if item.keep else ""}">')
        last = len(item.caption) - 1
        for k, line in enumerate(item.caption):
            css = list(BREAK_CSS) if brk and k == 0 else []
            if k == 0:
                css.append(f"margin-top: {_pt(CAPTION_BEFORE)}")
            if k == last:
                css.append(f"margin-bottom: {_pt(CAPTION_AFTER)}")
            self.out.append(f'<p class="k-caption"{self._style(css)}>{first if k == 0 else ""}'
                            f"{line}</p>")
        self.grid(item.grid, keep=item.keep)
        if item.extra is not None:
            # a spacer paragraph, not a margin: LibreOffice's import drops a table's margin
            # and would set the two tables edge to edge (one grid)
            self.out.append(f'<p class="gap" style="margin: 0; font-size: 1pt; '
                            f'line-height: {_pt(STACKED_GAP)}">&nbsp;</p>')
            self.grid(item.extra, keep=item.keep)
        self.out.append(f'<div class="gap" style="height: {_pt(TABLE_AFTER)}"></div></div>')

    def document(self) -> str:
        spec = self.fl.spec
        left, right, top, bottom = margins("portrait")
        head = [
            "<!DOCTYPE html>", '<html lang="id">', "<head>", '<meta charset="utf-8">',
            f"<title>{html.escape(spec.get('title', ''))}</title>",
            f'<meta name="author" content="{html.escape(spec.get("author", ""))}">',
            f'<meta name="description" content="{html.escape(spec.get("subject", ""))}">',
            '<meta name="generator" content="samples/tools/makers.py (SYNTHETIC sample)">',
            # Rules LibreOffice's CSS1 reader understands first ...
            "<style>",
            f"@page {{ size: 21cm 29.7cm; margin-left: {_pt(left)}; margin-right: {_pt(right)}; "
            f"margin-top: {_pt(top)}; margin-bottom: {_pt(bottom)}; }}",
            'body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 12pt; '
            "margin: 0; }",
            _para_css(),
            'td, th { font-family: "Times New Roman", "Liberation Serif", serif; '
            "border: 0.5pt solid black; vertical-align: middle; }",
            # (the grey is the cells' bgcolor: a CSS background on th LibreOffice would also
            # paint behind the paragraph inside the cell, a second, smaller grey box)
            "th { font-weight: bold; text-align: center; }",
            'td.toc, td.tocpage { font-family: "Times New Roman", "Liberation Serif", serif; '
            "font-size: 12pt; line-height: 18pt; border: none; padding: 1pt 0; "
            "vertical-align: bottom; }",
            "</style>",
            # ... then what only a browser reads (named pages, margin boxes, breaks)
            "<style>",
            "table.grid { border-collapse: collapse; table-layout: fixed; "
            "margin-left: auto; margin-right: auto; }",
            "table.toc { border-collapse: collapse; table-layout: fixed; }",
            "span.bullet { display: inline-block; text-indent: 0; width: "
            f"{_pt(STYLES['item'].leftIndent)}; }}",
            "tr { break-inside: avoid; }",
            "div.keep { break-inside: avoid; }",
            "p.k-caption, p.k-chapter, p.k-section, p.k-subsection, p.k-iku-no, p.k-iku-title "
            "{ break-after: avoid; }",
            "p { orphans: 2; widows: 2; }",
            _page_css(self.fl),
            "</style>",
            "</head>", "<body>",
        ]
        self.out = head
        for k, run in enumerate(self.fl.runs):
            # A page run: its named page (Chromium); its first paragraph breaks the page and
            # carries the bookmark the UNO step gives the run's page style (LibreOffice).
            self.out.append(f'<div class="run pg-{run.style}">')
            for j, item in enumerate(run.items):
                mark = f'<a name="lkj-run-{k}"></a>' if j == 0 else ""
                brk = j == 0 and k > 0
                if isinstance(item, Para):
                    self.para(item, mark, brk)
                elif isinstance(item, TableItem):
                    self.table(item, mark, brk)
                else:
                    assert j > 0, "a page run starts with a paragraph or a table"
                    self.toc(item)
            self.out.append("</div>")
        self.out += ["</body>", "</html>", ""]
        return "\n".join(self.out)

    def plan(self) -> dict[str, Any]:
        """The page styles and where they start, for the LibreOffice UNO step (1/100 mm)."""
        mm100 = 2540 / 72  # points -> 1/100 mm
        styles = {}
        for run in self.fl.runs:
            if run.style in styles:
                continue
            w, h = page_size(run.page)
            left, right, top, bottom = margins(run.page)
            seg = None if run.segment is None else self.fl.segments[run.segment]
            styles[run.style] = {
                "width": round(w * mm100), "height": round(h * mm100),
                "landscape": run.page == "landscape",
                "left": round(left * mm100), "right": round(right * mm100),
                "top": round(top * mm100), "bottom": round(bottom * mm100),
                "header": None if run.page == "cover" else self.fl.spec.get("running_header", ""),
                "header_from_top": round((HEADER_BASELINE - 9) * mm100),
                "footer_from_bottom": round((FOOTER_BASELINE - 3) * mm100),
                "numbering": seg,
            }
        runs = [{"bookmark": f"lkj-run-{k}", "style": r.style, "restart": r.restart}
                for k, r in enumerate(self.fl.runs)]
        spec = self.fl.spec
        return {"styles": styles, "runs": runs,
                "meta": {"title": spec.get("title", ""), "author": spec.get("author", ""),
                         "subject": spec.get("subject", ""),
                         "description": NOTE.format(maker="html-lo", name=self.name)}}


# ---------------------------------------------------------------------------------------------
# LibreOffice through UNO (run by the system Python, which has python3-uno)

UNO_SCRIPT = r'''
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue(); p.Name = k; p.Value = v; out.append(p)
    return tuple(out)

job = json.load(open(sys.argv[1]))
pipe = "lkjmakers%d" % os.getpid()
office = subprocess.Popen([job["soffice"], "--headless", "--invisible", "--nologo", "--norestore",
                           "--nodefault", "--nolockcheck",
                           "-env:UserInstallation=" + uno.systemPathToFileUrl(job["profile"]),
                           "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext(
    "com.sun.star.bridge.UnoUrlResolver", local)
for _ in range(240):
    try:
        ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except NoConnectException:
        time.sleep(0.25)
else:
    office.kill(); sys.exit("soffice did not answer")
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
try:
    for doc_job in job["docs"]:
        plan = json.load(open(doc_job["plan"]))
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(doc_job["html"]), "_blank", 0,
                                           props(FilterName="HTML (StarWriter)", Hidden=True))
        families = doc.StyleFamilies.getByName("PageStyles")
        for name, st in plan["styles"].items():
            ps = doc.createInstance("com.sun.star.style.PageStyle")
            families.insertByName("LKJ " + name, ps)
            ps.IsLandscape = st["landscape"]
            ps.Width, ps.Height = st["width"], st["height"]
            ps.LeftMargin, ps.RightMargin = st["left"], st["right"]
            ps.NumberingType = 3 if st["numbering"] == "roman" else 4  # ROMAN_LOWER / ARABIC
            top, bottom = st["top"], st["bottom"]
            if st["header"] is not None:
                ps.HeaderIsOn = True
                ps.HeaderIsDynamicHeight = False
                ps.TopMargin = st["header_from_top"]
                ps.HeaderBodyDistance = 0
                ps.HeaderHeight = top - st["header_from_top"]
                text = ps.HeaderText
                text.setString(st["header"])
                cur = text.createTextCursor(); cur.gotoStart(False); cur.gotoEnd(True)
                cur.ParaAdjust = 1  # RIGHT
                cur.CharFontName = "Times New Roman"; cur.CharHeight = 9; cur.CharPosture = 2
                cur.ParaTopMargin = 0; cur.ParaBottomMargin = 0
                line = uno.createUnoStruct("com.sun.star.table.BorderLine2")
                line.OuterLineWidth = 18; line.LineWidth = 18
                cur.BottomBorder = line; cur.BottomBorderDistance = 35
            else:
                ps.TopMargin = top
            if st["numbering"] is not None:
                ps.FooterIsOn = True
                ps.FooterIsDynamicHeight = False
                ps.BottomMargin = st["footer_from_bottom"] - 400
                ps.FooterBodyDistance = 0
                ps.FooterHeight = bottom - ps.BottomMargin
                ftext = ps.FooterText
                cur = ftext.createTextCursor()
                cur.ParaAdjust = 3  # CENTER
                cur.CharFontName = "Times New Roman"; cur.CharHeight = 10
                cur.ParaTopMargin = 0; cur.ParaBottomMargin = 0
                field = doc.createInstance("com.sun.star.text.TextField.PageNumber")
                field.NumberingType = 3 if st["numbering"] == "roman" else 4
                field.SubType = uno.Enum("com.sun.star.text.PageNumberType", "CURRENT")
                ftext.insertTextContent(ftext.getEnd(), field, False)
            else:
                ps.BottomMargin = bottom
            ps.FollowStyle = "LKJ " + name
        # CSS `tr { break-inside: avoid }`, which the HTML import ignores: rows stay whole
        tables = doc.getTextTables()
        for t in range(tables.getCount()):
            rows = tables.getByIndex(t).getRows()
            for r in range(rows.getCount()):
                rows.getByIndex(r).IsSplitAllowed = False
        marks = doc.getBookmarks()
        for run in plan["runs"]:
            if not marks.hasByName(run["bookmark"]):
                raise SystemExit("no bookmark %s in %s" % (run["bookmark"], doc_job["html"]))
            mark = marks.getByName(run["bookmark"])
            anchor = mark.getAnchor()
            cur = anchor.getText().createTextCursorByRange(anchor)
            cur.PageDescName = "LKJ " + run["style"]
            if run["restart"]:
                cur.PageNumberOffset = 1
        for run in plan["runs"]:
            mark = marks.getByName(run["bookmark"])
            mark.getAnchor().getText().removeTextContent(mark)
        info = doc.DocumentProperties
        meta = plan["meta"]
        info.Title, info.Author, info.Subject = meta["title"], meta["author"], meta["subject"]
        info.Description = meta["description"]
        info.Keywords = ("LKj", "synthetic sample", "samples/tools/makers.py")
        doc.storeToURL(uno.systemPathToFileUrl(doc_job["pdf"]),
                       props(FilterName="writer_pdf_Export"))
        doc.close(True)
        print(doc_job["pdf"])
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        office.wait(timeout=60)
    except Exception:
        office.kill()
'''


def has_uno() -> bool:
    try:
        return subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True,
                              timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def soffice_convert(files: list[Path], out_dir: Path, profile: Path,
                    target: str = "pdf", infilter: str | None = None) -> None:
    """`soffice --headless --convert-to pdf --outdir DIR FILE...` with its own profile."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [SOFFICE, "--headless", "--norestore", "--nolockcheck",
           f"-env:UserInstallation={profile.resolve().as_uri()}"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", target, "--outdir", str(out_dir), *map(str, files)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    for f in files:
        if not (out_dir / f"{f.stem}.pdf").exists():
            raise RuntimeError(f"soffice made no PDF of {f}:\n{done.stdout}\n{done.stderr}")


def uno_convert(jobs: list[dict[str, str]], work: Path, profile: Path) -> None:
    script = work / "lo_html_uno.py"
    script.write_text(UNO_SCRIPT, encoding="utf-8")
    job = work / "uno_job.json"
    job.write_text(json.dumps({"soffice": SOFFICE, "profile": str(profile.resolve()),
                               "docs": jobs}), encoding="utf-8")
    done = subprocess.run([UNO_PYTHON, str(script), str(job)], capture_output=True, text=True,
                          timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"LibreOffice UNO conversion failed:\n{done.stdout}\n{done.stderr}")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError("no chromium: apt-get update && apt-get install -y chromium")


def chromium_print(src: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lkj-chromium-") as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={profile}", "--no-pdf-header-footer",
               "--disable-pdf-tagging",  # no structure tree: a third of the size
               f"--print-to-pdf={out}", src.resolve().as_uri()]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if not out.exists():
        raise RuntimeError(f"chromium made no PDF of {src}:\n{done.stderr[-2000:]}")


# ---------------------------------------------------------------------------------------------
# CLI


def reports() -> list[str]:
    """Names of the reports that have both a text file and a layout spec."""
    return sorted(p.name.removesuffix(".layout.json") for p in SRC.glob("*.layout.json")
                  if (SRC / p.name.replace(".layout.json", ".txt")).exists())


def build(names: list[str], makers: list[str], out: Path, sources: Path | None,
          plain_lo: bool = False) -> list[Path]:
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="lkj-makers-") as tmp:
        work = Path(sources) if sources else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        profile = Path(tmp) / "lo-profile"
        flows = {name: load(name) for name in names}
        if "docx-lo" in makers:
            docs = [DocxWriter(flows[n], n).write(work / "docx" / f"{n}.docx") for n in names]
            soffice_convert(docs, out / "docx-lo", profile)
            made += [out / "docx-lo" / f"{n}.pdf" for n in names]
        if "html-lo" in makers or "html-chromium" in makers:
            (work / "html").mkdir(parents=True, exist_ok=True)
            pages = {}
            for n in names:
                writer = HtmlWriter(flows[n], n)
                page = work / "html" / f"{n}.html"
                page.write_text(writer.document(), encoding="utf-8")
                (work / "html" / f"{n}.plan.json").write_text(
                    json.dumps(writer.plan(), indent=1), encoding="utf-8")
                pages[n] = page
            if "html-lo" in makers:
                dest = out / "html-lo"
                dest.mkdir(parents=True, exist_ok=True)
                if not plain_lo and has_uno():
                    uno_convert([{"html": str(pages[n].resolve()),
                                  "plan": str((work / "html" / f"{n}.plan.json").resolve()),
                                  "pdf": str((dest / f"{n}.pdf").resolve())} for n in names],
                                Path(tmp), profile)
                else:
                    if not plain_lo:
                        print(f"warning: {UNO_PYTHON} has no uno (python3-uno): html-lo "
                              "converted by soffice --convert-to, portrait only, no header or "
                              "page numbers", file=sys.stderr)
                    soffice_convert(list(pages.values()), dest, profile,
                                    "pdf:writer_pdf_Export", "HTML (StarWriter)")
                made += [dest / f"{n}.pdf" for n in names]
            if "html-chromium" in makers:
                for n in names:
                    chromium_print(pages[n], out / "html-chromium" / f"{n}.pdf")
                    made.append(out / "html-chromium" / f"{n}.pdf")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="NAME", action="append",
                        help="build just this report (file stem); repeatable")
    parser.add_argument("--maker", choices=MAKERS, action="append",
                        help="use just this maker; repeatable (default: all)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=OUT,
                        help="output directory (default: samples/makers/)")
    parser.add_argument("--sources", metavar="DIR", type=Path,
                        help="also keep the intermediate .docx and .html files here")
    parser.add_argument("--html-lo-plain", action="store_true",
                        help="html-lo by plain `soffice --convert-to` (no UNO step: portrait "
                             "only, no running header or page numbers)")
    args = parser.parse_args(argv)
    names = reports()
    for only in args.only or []:
        if only not in names:
            parser.error(f"unknown report {only!r}; known: {', '.join(names)}")
    names = args.only or names
    for pdf in build(names, args.maker or list(MAKERS), args.out, args.sources,
                     args.html_lo_plain):
        print(f"{pdf}  {pdf.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
