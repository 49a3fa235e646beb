"""Bad inputs for the CLI, built at test time into a given folder (no binary files committed).

Each `make_*` function takes a folder, writes one bad input into it and returns its path.
`BAD_INPUTS` maps a short name to (builder, the reason `lkj` must give for it).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_2023 = ROOT / "samples" / "lkj-bp3mi-ntb-2023.pdf"

#: LKj-like words for the PDFs that must be rejected for something other than their text.
LKJ_LINES = [
    "LAPORAN KINERJA",
    "BALAI PELAYANAN PELINDUNGAN PEKERJA MIGRAN INDONESIA",
    "NUSA TENGGARA BARAT",
    "TAHUN 2023",
]

LETTER_PARAGRAPHS = [
    "Dengan hormat,",
    "Bersama surat ini kami sampaikan undangan rapat koordinasi persiapan kegiatan "
    "pameran pariwisata daerah yang akan dilaksanakan pada bulan depan di aula kantor "
    "gubernur. Rapat akan membahas pembagian tugas panitia, susunan acara dan kebutuhan "
    "perlengkapan.",
    "Mengingat pentingnya acara tersebut, kami mohon kehadiran Bapak/Ibu tepat waktu. "
    "Konfirmasi kehadiran dapat disampaikan melalui sekretariat panitia paling lambat "
    "tiga hari sebelum rapat.",
    "Atas perhatian dan kerja sama Bapak/Ibu kami ucapkan terima kasih.",
    "Hormat kami, Ketua Panitia",
]

NO_TABLE_PARAGRAPHS = [
    "LAPORAN KINERJA",
    "BALAI PELAYANAN PELINDUNGAN PEKERJA MIGRAN INDONESIA NUSA TENGGARA BARAT TAHUN 2023",
    "KATA PENGANTAR",
    "Laporan Kinerja ini disusun sebagai bentuk pertanggungjawaban atas pelaksanaan tugas "
    "dan fungsi selama tahun anggaran 2023. Laporan ini memuat capaian kinerja yang diukur "
    "dari indikator kinerja utama sebagaimana tertuang dalam Perjanjian Kinerja.",
    "Secara umum sasaran strategis telah tercapai dengan baik. Capaian rinci setiap "
    "indikator dan realisasi anggaran disajikan pada bab berikutnya, namun versi ini "
    "belum memuat tabel apa pun.",
    "Kami menyadari laporan ini masih memiliki kekurangan, sehingga saran dan masukan "
    "sangat kami harapkan untuk perbaikan di tahun mendatang.",
]


def _paragraph_pdf(path: Path, paragraphs: list[str], encrypt=None) -> Path:
    """An A4 PDF of wrapped paragraphs drawn with reportlab's canvas (text only, no lines)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    width, height = A4
    y = height - 72
    for para in paragraphs:
        for line in simpleSplit(para, "Times-Roman", 12, width - 144):
            c.setFont("Times-Roman", 12)
            c.drawString(72, y, line)
            y -= 16
        y -= 10
    c.showPage()
    c.save()
    return path


def make_empty(folder: Path) -> Path:
    """A zero-byte file named like a report."""
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def make_truncated(folder: Path) -> Path:
    """The first 60% of the bytes of the sample report, as an interrupted download."""
    data = SAMPLE_2023.read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(data[: len(data) * 60 // 100])
    return path


def make_encrypted(folder: Path) -> Path:
    """An LKj-like PDF that needs the user password "secret" to open."""
    return _paragraph_pdf(folder / "encrypted.pdf", LKJ_LINES, encrypt="secret")


def make_html(folder: Path) -> Path:
    """A web page saved with a .pdf name (what a download link often gives)."""
    path = folder / "page.pdf"
    path.write_text(
        "<!DOCTYPE html>\n<html lang=\"id\">\n<head><meta charset=\"utf-8\">"
        "<title>Laporan Kinerja 2023</title></head>\n<body>\n<h1>404 Not Found</h1>\n"
        "<p>Dokumen lkj-2023.pdf tidak ditemukan.</p>\n</body>\n</html>\n",
        encoding="utf-8",
    )
    return path


def _text_image(lines: list[str]):
    """A white page-like image with black text and a ruled box drawn into it (Pillow)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 400), "white")
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((40, 30 + 22 * i), line, fill="black")
    for x in (40, 200, 360, 560):
        draw.line([(x, 160), (x, 360)], fill="black", width=2)
    for y in (160, 210, 260, 310, 360):
        draw.line([(40, y), (560, y)], fill="black", width=2)
    return img


def make_png(folder: Path) -> Path:
    """A PNG image with a .pdf name."""
    path = folder / "image.pdf"
    buf = io.BytesIO()
    _text_image(LKJ_LINES).save(buf, format="PNG")
    path.write_bytes(buf.getvalue())
    return path


def make_scanned(folder: Path) -> Path:
    """A PDF whose only content is an image of LKj text and a table: no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    path = folder / "scanned.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    for _ in range(2):
        c.drawImage(ImageReader(_text_image(LKJ_LINES + ["Tabel 1.1 Perjanjian Kinerja"])),
                    36, height - 36 - 540, width=width - 72, height=540)
        c.showPage()
    c.save()
    return path


def make_shapes(folder: Path) -> Path:
    """A PDF of drawn table rulings only (vector lines and boxes, not one character)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = folder / "shapes.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    c.rect(72, 72, width - 144, height - 144)
    c.grid([72, 200, 350, width - 72], [height - 100 - 30 * i for i in range(8)])
    c.showPage()
    c.save()
    return path


def make_letter(folder: Path) -> Path:
    """A valid PDF that is not an LKj: an invitation letter, paragraphs only."""
    return _paragraph_pdf(folder / "letter.pdf", LETTER_PARAGRAPHS)


def make_lkj_without_tables(folder: Path) -> Path:
    """A PDF about a "Laporan Kinerja" with running text but no tables."""
    return _paragraph_pdf(folder / "lkj-no-tables.pdf", NO_TABLE_PARAGRAPHS)


def make_folder(folder: Path) -> Path:
    """A directory where a report file was expected (named like one)."""
    path = folder / "report.pdf"
    path.mkdir()
    return path


def make_missing(folder: Path) -> Path:
    """A path that does not exist."""
    return folder / "no-such-report.pdf"


def make_damaged_page(folder: Path, page: int = 16) -> Path:
    """The sample with one page's content stream garbled in place (same length, xref valid).

    Page 16 holds Tabel 2.4, 2.5 and 2.6; the rest of the report stays readable.
    """
    import re

    import pdfplumber

    data = bytearray(SAMPLE_2023.read_bytes())
    with pdfplumber.open(SAMPLE_2023) as pdf:
        objid = pdf.pages[page - 1].page_obj.attrs["Contents"].objid
    start = re.search(rb"\n%d 0 obj\s" % objid, data).start()
    body = data.index(b"stream\n", start) + len(b"stream\n")
    assert b"/ASCII85Decode" in data[start:body], "the sample's streams are no longer ASCII85"
    data[body: body + 8] = b"\x00" * 8  # not ASCII85 digits: pdfminer raises on this page
    path = folder / "damaged-page.pdf"
    path.write_bytes(bytes(data))
    return path


def make_owner_password_only(folder: Path) -> Path:
    """Encrypted with an owner password only (empty user password): readable, not rejected."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0)
    return _paragraph_pdf(folder / "owner-password.pdf", NO_TABLE_PARAGRAPHS, encrypt=enc)


def _raw_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF written by hand: objects numbered from 1 (1 is the catalog), a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    trailer = b"/Size %d /Root 1 0 R %s" % (len(objects) + 1, trailer_extra)
    out += b"trailer\n<< %s>>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
    return bytes(out).replace(b"@XREF@", b"%d" % xref)


def make_garbage(folder: Path) -> Path:
    """A PDF header and an end-of-file marker around bytes that are no PDF at all."""
    path = folder / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    return path


def make_xref_loop(folder: Path) -> Path:
    """A cross-reference table whose /Prev points back at itself (a loop for a naive reader)."""
    content = b"BT /F1 12 Tf 72 770 Td (LAPORAN KINERJA TAHUN 2023) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    path = folder / "xref-loop.pdf"
    path.write_bytes(_raw_pdf(objects, trailer_extra=b"/Prev @XREF@ "))
    return path


def make_bad_page_tree(folder: Path) -> Path:
    """A page tree whose /Kids holds a string where a page reference belongs."""
    path = folder / "bad-page-tree.pdf"
    path.write_bytes(_raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [(not a page)] /Count 1 >>"]))
    return path


#: An image-only PDF is read by OCR (an image of a few LKj words is no report); without
#: Tesseract the reason says how to install it.
SCANNED_REASON = ("no LKj tables found (2 ruled tables on pages 1,2, none of a family lkj "
                  "knows)" if shutil.which("tesseract") else
                  "no text layer (a scanned PDF) and Tesseract OCR is not installed: "
                  "apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-script-latn")

#: name -> (builder, the reason `lkj` gives, exactly)
BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty": (make_empty, "empty file (0 bytes)"),
    "truncated": (make_truncated, "truncated PDF (no end-of-file marker)"),
    "encrypted": (make_encrypted, "encrypted PDF (a password is needed)"),
    "html": (make_html, "not a PDF (looks like an HTML page)"),
    "png": (make_png, "not a PDF (looks like a PNG image)"),
    "scanned": (make_scanned, SCANNED_REASON),
    "shapes": (make_shapes, "no text layer and no page images to read (not a report?)"),
    "letter": (make_letter, "not an LKj (no performance-report words and no LKj tables)"),
    "lkj_without_tables": (make_lkj_without_tables, "no LKj tables found"),
    "folder": (make_folder, "is a folder, not a PDF file"),
    "missing": (make_missing, "no such file"),
    "owner_password_only": (make_owner_password_only, "no LKj tables found"),
}

#: name -> (builder, how the reason starts; the rest is the parser's own words)
DAMAGED_INPUTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "garbage": (make_garbage, "damaged PDF (PDFSyntaxError: "),
    "xref_loop": (make_xref_loop, "unreadable PDF (RecursionError: "),
    "bad_page_tree": (make_bad_page_tree, "damaged PDF ("),
}


# --- hostile and incomplete inputs for whole-archive runs (tests/test_archive_faults.py) -----

_LKJ_CONTENT = (b"BT /F1 12 Tf 72 770 Td (LAPORAN KINERJA BALAI PELAYANAN PELINDUNGAN PEKERJA "
                b"MIGRAN INDONESIA TAHUN 2023) Tj ET")


def _one_page_pdf(page_extra: bytes = b"", pages_extra: bytes = b"/Count 1",
                  content: bytes = _LKJ_CONTENT, media_box: bytes = b"[0 0 595 842]") -> bytes:
    """A hand-written one-page PDF with LKj words; extra keys for the page and the page tree."""
    return _raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] %s >>" % pages_extra,
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R %s >>" % (media_box, page_extra),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ])


def make_deep_nesting(folder: Path, depth: int = 50_000) -> Path:
    """A page whose /MediaBox is an array nested `depth` deep (a parser-recursion bomb)."""
    path = folder / "deep-nesting.pdf"
    path.write_bytes(_one_page_pdf(media_box=b"[" * depth + b"]" * depth))
    return path


def make_deep_metadata(folder: Path, depth: int = 50_000) -> Path:
    """An LKj-like page, and a document-info /Title that is an array nested `depth` deep."""
    path = folder / "deep-metadata.pdf"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_LKJ_CONTENT), _LKJ_CONTENT),
        b"<< /Title " + b"[" * depth + b"]" * depth + b" >>",
    ]
    path.write_bytes(_raw_pdf(objects, trailer_extra=b"/Info 6 0 R "))
    return path


def make_huge_page_count(folder: Path) -> Path:
    """A page tree that claims 100,000,000 pages and holds one."""
    path = folder / "huge-page-count.pdf"
    path.write_bytes(_one_page_pdf(pages_extra=b"/Count 100000000"))
    return path


def make_huge_page(folder: Path) -> Path:
    """One page 10,000,000 points square (3.5 km) with LKj words and a ruled grid drawn on it."""
    grid = b"".join(b"%d 1000 m %d 9999000 l S " % (x, x) for x in (1000, 5_000_000, 9_999_000))
    grid += b"".join(b"1000 %d m 9999000 %d l S " % (y, y) for y in (1000, 5_000_000, 9_999_000))
    content = (b"BT /F1 12 Tf 72 9999900 Td (LAPORAN KINERJA TAHUN 2023) Tj ET "
               b"BT /F1 12 Tf 2000 4999000 Td (Tabel 1 Capaian Kinerja) Tj ET " + grid)
    path = folder / "huge-page.pdf"
    path.write_bytes(_one_page_pdf(content=content, media_box=b"[0 0 10000000 10000000]"))
    return path


def make_many_pages(folder: Path, pages: int = 2000) -> Path:
    """A valid PDF of `pages` pages, one short LKj-like line on each (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = folder / f"pages-{pages}.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for i in range(1, pages + 1):
        c.setFont("Helvetica", 11)
        c.drawString(72, 770, f"Laporan Kinerja Tahun 2023, lampiran halaman {i}")
        c.showPage()
    c.save()
    return path


def _variant_without(folder: Path, name: str, k: int, table: str, keep_header: bool) -> Path:
    """benchmarks/corpus.py variant k (an invented agency, so that it is a report of its own)
    with Tabel `table` taken out of its text source: only its body rows (keep_header) or the
    whole table, caption and title too."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus  # benchmarks/corpus.py

    sys.path.insert(0, str(ROOT / "samples" / "tools"))
    import lkjdoc

    _, text, spec = corpus.variant(k)
    lines = text.split("\n")
    start = lines.index(f"Tabel {table}")
    first_row = next(i for i in range(start, len(lines)) if "\t" in lines[i])
    end = first_row
    while end < len(lines) and ("\t" in lines[end] or not lines[end].strip()
                                and end + 1 < len(lines) and "\t" in lines[end + 1]):
        end += 1
    if keep_header:
        header_rows = int(spec.get("tables", {}).get(table, {}).get("header_rows", 1))
        del lines[first_row + header_rows:end]
    else:
        del lines[start:end]
        spec.get("tables", {}).pop(table, None)
    path = folder / name
    lkjdoc.render(lkjdoc.parse("\n".join(lines), spec), path)
    return path


def make_table_missing(folder: Path) -> Path:
    """An LKj (a 2023 corpus variant) with Tabel 2.3, the sosialisasi events, left out whole."""
    return _variant_without(folder, "lkj-table-missing.pdf", 903, "2.3", keep_header=False)


def make_table_rows_missing(folder: Path) -> Path:
    """An LKj (a 2023 corpus variant) whose Tabel 2.3 has its caption and header, no rows."""
    return _variant_without(folder, "lkj-table-rows-missing.pdf", 907, "2.3",
                            keep_header=True)


def inflation_bomb(gib: int) -> bytes:
    """A zlib stream of `gib` GiB of zeros, built in a moment: the deflate of 16 MiB ended by
    a full flush (which resets the dictionary) is the same bytes every time, so it is made
    once and repeated, and the checksum is computed over the zeros chunk by chunk."""
    import struct
    import zlib

    chunk = bytes(16 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    copies = gib * 64
    adler = 1
    for _ in range(copies):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + unit * copies + deflate.flush() + struct.pack(">I", adler)


def make_inflation_bomb(folder: Path, gib: int = 8) -> Path:
    """An LKj-like page whose second content stream inflates to `gib` GiB (a PDF bomb)."""
    bomb = inflation_bomb(gib)
    path = folder / "inflation-bomb.pdf"
    path.write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents [5 0 R 6 0 R] >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_LKJ_CONTENT), _LKJ_CONTENT),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(bomb), bomb),
    ]))
    return path


def make_active_content(folder: Path) -> Path:
    """An LKj-like page with JavaScript run on opening and a Launch action on a link: lkj
    reads text and rulings only, so they are inert (no LKj tables: the page has none)."""
    path = folder / "active-content.pdf"
    path.write_bytes(_raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R "
        b"/Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R /Annots [7 0 R] "
        b"/AA << /O 6 0 R >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(_LKJ_CONTENT), _LKJ_CONTENT),
        b"<< /Type /Action /S /JavaScript "
        b"/JS (app.alert\\('x'\\); this.exportDataObject\\({}\\)) >>",
        b"<< /Type /Annot /Subtype /Link /Rect [72 760 300 780] "
        b"/A << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >> >>",
    ]))
    return path


def make_bad_stream(folder: Path) -> Path:
    """An LKj-like page whose only content stream claims /FlateDecode but holds bytes that
    are no deflate data (a stream that fails to inflate)."""
    junk = b"\x78\x9c" + bytes(range(7, 250)) * 4
    path = folder / "bad-stream.pdf"
    path.write_bytes(_one_page_pdf(content=junk).replace(
        b"<< /Length %d >>" % len(junk), b"<< /Length %d /Filter /FlateDecode >>" % len(junk)))
    return path


def make_table_past_the_edge(folder: Path) -> Path:
    """An LKj-like page whose ruled table's top border lies 0.12 pt above the page (seen in
    real reports: pdfplumber then refuses to cut the table's box out of the page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = folder / "table-past-the-edge.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    height = A4[1]
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "LAPORAN KINERJA BALAI PELAYANAN TAHUN 2023")
    c.drawString(72, 680, "Capaian kinerja tahun ini dijelaskan di bawah.")
    xs, ys = [72, 250, 350, 450, 520], [height + 0.12, height - 30, height - 60, height - 90]
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    rows = [["Indikator", "Target", "Realisasi", "Capaian"], ["Jumlah layanan", "100", "90",
            "90%"], ["Nilai kepuasan", "80", "84", "105%"]]
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            c.drawString(xs[j] + 3, ys[i + 1] + 10, text)
    c.showPage()
    c.save()
    return path
