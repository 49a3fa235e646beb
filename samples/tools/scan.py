"""Make synthetic *scanned* versions of the sample reports: image-only PDFs, no text layer.

Usage: python samples/tools/scan.py [--only NAME] [--out DIR] [--dpi 200] [--quality 70]
       python samples/tools/scan.py --makers    # the scans of the maker corpus (MAKER_SCANS)

Every page of `samples/NAME.pdf` is rendered to a grayscale image (pypdfium2) and made to look
like an office scan: a greyish paper with a little texture, slightly soft toner, a small random
rotation (0.5-1 degree either way) and shift per page, dust specks, a rubber stamp on the cover
and a handwritten signature over the signature block ("NIP"). The pages are written as JPEG
images into a PDF (Pillow), with SYNTHETIC in the PDF metadata and on the cover's bottom margin.

Reproducible: the random numbers come from a fixed seed per report and page, and the PDF dates
are fixed, so the same inputs, pypdfium2 and Pillow give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import time
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SAMPLES = Path(__file__).resolve().parents[1]
OUT = SAMPLES / "scanned"
#: The reports scanned by default (each result must stay under ~3 MB).
DEFAULT_REPORTS = ("lkj-bp3mi-ntb-2023", "lkj-bp3mi-ntb-2022", "lkj-bp3mi-ntb-2021",
                   "lkj-bp3mi-ntb-2024")
SEED = 20240611
#: 150 dpi grayscale JPEG at quality 65: an archive-grade office scan, and each scan under 3 MB.
DPI, QUALITY = 150, 65
#: Scans of the maker corpus (samples/makers/MAKER/NAME.pdf -> samples/scanned/makers/MAKER/
#: NAME-scan.pdf), one report per maker, each scanned otherwise: resolution, JPEG quality,
#: how soft the toner is (Gaussian blur radius in pixels at that resolution) and how far a
#: page is tilted (degrees, either way).
MAKER_SCANS = (
    ("docx-lo", "lkj-bp3mi-ntb-2022", {"dpi": 200, "quality": 60, "blur": 0.9,
                                       "tilt": (1.0, 1.5)}),
    ("html-lo", "lkj-bp3mi-ntb-2024", {"dpi": 300, "quality": 35, "blur": 0.6,
                                       "tilt": (0.2, 0.5)}),
    ("html-chromium", "lkj-bp3mi-ntb-2021", {"dpi": 150, "quality": 50, "blur": 0.6,
                                             "tilt": (1.5, 2.0)}),
)
#: Fixed PDF dates: the build is byte-reproducible.
FIXED_DATE = time.strptime("2000-01-01", "%Y-%m-%d")


def _rng(name: str, page: int) -> np.random.Generator:
    digest = hashlib.sha256(f"{SEED}:{name}:{page}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "big"))


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _stamp(size: int, rng: np.random.Generator) -> Image.Image:
    """A round office stamp as an ink mask (255 = full ink), slightly uneven."""
    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    c = size / 2
    for r, w in ((c - 4, 6), (c * 0.66, 3)):
        d.ellipse((c - r, c - r, c + r, c + r), outline=255, width=w)
    for word, dy, fs in (("BP3MI", -0.2, 0.16), ("NTB", 0.02, 0.16), ("DITERIMA", 0.22, 0.08)):
        font = _font(int(size * fs))
        d.text((c, c + dy * size), word, fill=255, font=font, anchor="mm")
    ring = "BADAN PELINDUNGAN PEKERJA MIGRAN INDONESIA * "
    font = _font(int(size * 0.07))
    for i, ch in enumerate(ring):
        a = 2 * math.pi * i / len(ring) - math.pi / 2
        r = c * 0.83
        glyph = Image.new("L", (int(size * 0.1), int(size * 0.1)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255, font=font,
                                   anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        img.paste(glyph, (int(c + r * math.cos(a) - glyph.width / 2),
                          int(c + r * math.sin(a) - glyph.height / 2)), glyph)
    patchy = rng.uniform(0.55, 1.0, (size // 8 + 1, size // 8 + 1))
    patchy = Image.fromarray((patchy * 255).astype(np.uint8)).resize((size, size),
                                                                        Image.BILINEAR)
    ink = np.asarray(img, dtype=np.float32) * np.asarray(patchy, dtype=np.float32) / 255
    return Image.fromarray(ink.astype(np.uint8)).rotate(float(rng.uniform(-25, 25)),
                                                        resample=Image.BICUBIC)


def _signature(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    """A pen scribble as an ink mask: a few loops drawn along a smoothed random walk."""
    img = Image.new("L", (width, height), 0)
    d = ImageDraw.Draw(img)
    n = 220
    t = np.linspace(0, 1, n)
    x = width * (0.08 + 0.84 * t)
    loops = rng.uniform(4, 7)
    y = height * (0.5 + 0.28 * np.sin(2 * math.pi * loops * t + rng.uniform(0, 6))
                  * np.exp(-1.5 * t))
    x = x + width * 0.05 * np.cos(2 * math.pi * loops * t)
    y = y + np.cumsum(rng.normal(0, height * 0.004, n))
    pts = list(zip(x.tolist(), y.tolist(), strict=True))
    d.line(pts, fill=255, width=max(2, height // 28), joint="curve")
    d.line([(width * 0.15, height * 0.82), (width * 0.8, height * 0.74)], fill=255,
           width=max(2, height // 36))
    return img.filter(ImageFilter.GaussianBlur(0.7))


def _apply_ink(page: np.ndarray, mask: Image.Image, at: tuple[int, int], tone: float) -> None:
    """Darken `page` where the mask has ink (multiply, like ink over print)."""
    x, y = at
    m = np.asarray(mask, dtype=np.float32) / 255
    h, w = m.shape
    h, w = min(h, page.shape[0] - y), min(w, page.shape[1] - x)
    region = page[y:y + h, x:x + w]
    region *= 1 - m[:h, :w] * (1 - tone / 255)


def _signature_spots(pdf_path: Path, index: int, scale: float) -> list[tuple[int, int]]:
    """Where a signature goes on a page: above each 'NIP' line (found in the text layer)."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        words = pdf.pages[index].extract_words()
    return [(int(w["x0"] * scale), int((w["top"] - 70) * scale))
            for w in words if w["text"].rstrip(".:") == "NIP"]


def scan_page(gray: Image.Image, rng: np.random.Generator, *, cover: bool,
              signatures: list[tuple[int, int]], dpi: int, noise: float = 1.0,
              blur: float = 0.45, tilt: tuple[float, float] = (0.5, 1.0)) -> Image.Image:
    """One rendered page made to look scanned."""
    page = np.asarray(gray, dtype=np.float32)
    # toner: print is dark grey, not black; slightly soft edges
    page = 255 - (255 - page) * rng.uniform(0.82, 0.9)
    h, w = page.shape
    if cover:
        size = int(dpi * 1.5)
        _apply_ink(page, _stamp(size, rng), (int(w * 0.52), int(h * 0.56)), tone=95)
    for x, y in signatures:
        _apply_ink(page, _signature(int(dpi * 1.6), int(dpi * 0.7), rng), (x, max(0, y)),
                   tone=60)
    img = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8))
    img = img.filter(ImageFilter.GaussianBlur(blur))
    # paper tone and texture (low-frequency, so that JPEG keeps the file small)
    paper = rng.normal(0, 1, (h // 24 + 1, w // 24 + 1))
    paper = np.asarray(Image.fromarray(((paper * 20) + 128).clip(0, 255).astype(np.uint8))
                       .resize((w, h), Image.BICUBIC), dtype=np.float32) - 128
    background = 236 + paper * 0.25 + np.linspace(-4, 4, w)[None, :]
    arr = np.asarray(img, dtype=np.float32) * background / 255
    # dust specks
    for _ in range(int(rng.integers(15, 40))):
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(1, 3))
        arr[max(0, cy - r):cy + r, max(0, cx - r):cx + r] *= rng.uniform(0.3, 0.7)
    arr += rng.normal(0, noise, arr.shape)  # sensor noise, faint
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    if cover:
        d = ImageDraw.Draw(img)
        d.text((w / 2, h - dpi * 0.35), "synthetic scan made by samples/tools/scan.py "
               "(SAMPEL SINTETIS)", fill=110, font=_font(int(dpi * 0.09)), anchor="mm")
    angle = float(rng.uniform(*tilt) * rng.choice([-1, 1]))
    shift = (int(rng.integers(-dpi // 20, dpi // 20)), int(rng.integers(-dpi // 20, dpi // 20)))
    return img.rotate(angle, resample=Image.BICUBIC, translate=shift, fillcolor=232)


def scan(name: str, out_dir: Path = OUT, dpi: int = DPI, quality: int = QUALITY,
         src_dir: Path = SAMPLES, blur: float = 0.45,
         tilt: tuple[float, float] = (0.5, 1.0)) -> Path:
    """Scan `src_dir/NAME.pdf` into `out_dir/NAME-scan.pdf`; returns the path."""
    src = src_dir / f"{name}.pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{name}-scan.pdf"
    doc = pypdfium2.PdfDocument(str(src))
    scale = dpi / 72
    try:
        title = doc.get_metadata_dict().get("Title") or name
        images = []
        for i in range(len(doc)):
            gray = doc[i].render(scale=scale, grayscale=True).to_pil().convert("L")
            images.append(scan_page(gray, _rng(name, i), cover=i == 0,
                                    signatures=_signature_spots(src, i, scale), dpi=dpi,
                                    blur=blur, tilt=tilt))
    finally:
        doc.close()
    images[0].save(
        out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi),
        quality=quality, optimize=True, title=f"{title} (SYNTHETIC SCAN)",
        subject=f"SYNTHETIC scan of samples/{src.relative_to(SAMPLES)} made by "
                "samples/tools/scan.py "
                "(image-only, no text layer) - not a published report",
        author="samples/tools/scan.py", creator="samples/tools/scan.py",
        producer="Pillow", keywords="synthetic, scan, OCR test",
        creationDate=FIXED_DATE, modDate=FIXED_DATE,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", metavar="NAME", help="scan just this report (file stem)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=OUT,
                        help="output directory (default: samples/scanned/)")
    parser.add_argument("--dpi", type=int, default=DPI, help=f"scan resolution (default {DPI})")
    parser.add_argument("--quality", type=int, default=QUALITY,
                        help=f"JPEG quality (default {QUALITY})")
    parser.add_argument("--makers", action="store_true",
                        help="scan the maker corpus instead (MAKER_SCANS, into "
                             "samples/scanned/makers/)")
    args = parser.parse_args(argv)
    if args.makers:
        for maker, name, how in MAKER_SCANS:
            out = scan(name, OUT / "makers" / maker, src_dir=SAMPLES / "makers" / maker, **how)
            print(f"{out} ({out.stat().st_size / 1e6:.2f} MB)")
        return 0
    if not 150 <= args.dpi <= 300:
        parser.error("--dpi must be between 150 and 300")
    names = [args.only] if args.only else list(DEFAULT_REPORTS)
    for name in names:
        if not (SAMPLES / f"{name}.pdf").exists():
            parser.error(f"no samples/{name}.pdf")
        out = scan(name, args.out, args.dpi, args.quality)
        print(f"{out} ({out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
