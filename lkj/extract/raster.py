"""Ruled tables in page images: straighten the page, find its rulings, build the grid.

What camelot's raster lattice does, for pages that are only a picture: the print is
separated from a grey, uneven paper (`flatten`, `binarize`), the page's skew is measured on
its long lines and undone (`estimate_skew`, `rotate`), horizontal and vertical rulings are
found with morphology (`line_masks`), and every ruled table becomes a grid of cells with
their spans (`find_tables`): two neighbouring boxes are one merged cell where no ruling is
printed between them. `cell_crop` cuts out what is printed in a cell for OCR.

Pure functions on numpy arrays (pixels, top-left origin); OpenCV and numpy are imported on
use (the `ocr` extra).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lkj.extract.grid import merge_units, span_of

if TYPE_CHECKING:
    import numpy as np


def flatten(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Even out the paper: divide by the local background (grey, textured, shaded paper
    becomes white; print stays dark), so that Tesseract's own thresholding sees print on
    white everywhere, also beside the blanked-out tables."""
    import cv2
    import numpy as np

    k = max(5, dpi // 20)
    background = cv2.dilate(gray, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.blur(background, (2 * k + 1, 2 * k + 1)).astype(np.float32)
    flat = gray.astype(np.float32) * 255.0 / np.maximum(background, 1.0)
    return np.clip(flat, 0, 255).astype(np.uint8)


def binarize(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Ink as 255 on 0, robust to a grey, uneven paper (local mean threshold)."""
    import cv2

    block = max(15, (dpi // 10) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 block, 15)


def estimate_skew(binary: np.ndarray, dpi: int) -> float:
    """The page's rotation in degrees (positive: counter-clockwise), from its long lines.

    Table rulings and header rules are the most reliable evidence: each long, thin stroke
    gets a straight line fitted through its pixels, and the length-weighted median angle is
    taken. A page without long lines falls back to the angle that makes the text rows' ink
    profile sharpest.
    """
    import cv2
    import numpy as np

    h, w = binary.shape
    strokes = cv2.morphologyEx(binary, cv2.MORPH_OPEN,
                               cv2.getStructuringElement(cv2.MORPH_RECT, (max(9, dpi // 10), 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    min_len = max(dpi, w // 5)
    angles, weights = [], []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < min_len or bh > bw * 0.09 + dpi // 50:  # long and at most ~5 degrees off
            continue
        ys, xs = np.nonzero(labels[y:y + bh, x:x + bw] == i)
        step = max(1, len(xs) // 2000)
        vx, vy, _, _ = cv2.fitLine(np.column_stack([xs[::step], ys[::step]]).astype(np.float32),
                                   cv2.DIST_L2, 0, 0.01, 0.01).ravel()
        angles.append(float(np.degrees(np.arctan2(vy, vx))))
        weights.append(float(bw))
    angles = [a - 180 if a > 90 else a + 180 if a < -90 else a for a in angles]
    if angles:
        order = np.argsort(angles)
        cum = np.cumsum(np.asarray(weights)[order])
        # image y grows downwards: a line rising to the right has a negative angle here
        return -float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    return _profile_skew(binary)


def _profile_skew(binary: np.ndarray) -> float:
    import cv2
    import numpy as np

    small = cv2.resize(binary, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    if small.sum() == 0:
        return 0.0
    h, w = small.shape
    best, best_score = 0.0, -1.0
    for a in np.arange(-2.0, 2.01, 0.1):
        m = cv2.getRotationMatrix2D((w / 2, h / 2), a, 1.0)
        rows = cv2.warpAffine(small, m, (w, h)).sum(axis=1, dtype=np.float64)
        score = float(np.var(rows))
        if score > best_score:
            best, best_score = float(a), score
    return -best if best else 0.0


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """Rotate by `angle` degrees counter-clockwise around the centre, paper-white corners."""
    import cv2

    if abs(angle) < 0.02:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def line_masks(binary: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling masks: ink runs longer than any letter stroke."""
    import cv2

    def runs(shape: tuple[int, int], bridge: tuple[int, int]) -> np.ndarray:
        opened = cv2.morphologyEx(binary, cv2.MORPH_OPEN,
                                  cv2.getStructuringElement(cv2.MORPH_RECT, shape))
        return cv2.morphologyEx(opened, cv2.MORPH_CLOSE,
                                cv2.getStructuringElement(cv2.MORPH_RECT, bridge))

    horizontal = runs((max(20, dpi // 4), 1), (max(3, dpi // 60), 1))
    vertical = runs((1, max(15, dpi // 8)), (1, max(3, dpi // 60)))
    return horizontal, vertical


@dataclass
class TableShape:
    """A ruled table found in an image: its ruling positions and cells (pixels)."""

    bbox: tuple[int, int, int, int]
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]  # (row, col, rowspan, colspan)
    rulings: np.ndarray | None = field(default=None, repr=False)  # its ruling pixels in bbox

    def rect(self, cell: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        r, c, rs, cs = cell
        return (int(self.xs[c]), int(self.ys[r]), int(self.xs[c + cs]), int(self.ys[r + rs]))


def _cluster(values: Iterable[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _segments(mask: np.ndarray, horizontal: bool) -> list[tuple[float, int, int]]:
    """Connected ruling pieces as (position across, start along, end along)."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        if horizontal:
            out.append((y + h / 2, int(x), int(x + w)))
        else:
            out.append((x + w / 2, int(y), int(y + h)))
    return out


def find_tables(horizontal: np.ndarray, vertical: np.ndarray, dpi: int) -> list[TableShape]:
    """Ruled tables: grids of rulings, with a cell wherever rulings enclose a box.

    A vertical piece counts only if both its ends meet horizontal rulings (letters and
    stamps do not). Two neighbouring grid boxes are one merged cell where no ruling is
    printed between them.
    """
    import cv2

    tol = max(4.0, dpi / 40)
    both = cv2.dilate(cv2.bitwise_or(horizontal, vertical),
                      cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    h_segs = _segments(horizontal, True)
    v_segs = _segments(vertical, False)
    shapes = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if w < dpi or h < dpi // 5:
            continue
        inside = labels[y:y + h, x:x + w] == i
        hs = [s for s in h_segs if y - 1 <= s[0] <= y + h + 1 and x - 1 <= s[1] < x + w
              and inside[min(h - 1, max(0, int(s[0]) - y)),
                         min(w - 1, max(0, (s[1] + s[2]) // 2 - x))]]
        ys = _cluster([s[0] for s in hs], tol)
        if len(ys) < 2:
            continue
        vs = [s for s in v_segs if x - 1 <= s[0] <= x + w + 1 and y - 1 <= s[1] < y + h
              and any(abs(s[1] - yy) <= tol for yy in ys)
              and any(abs(s[2] - yy) <= tol for yy in ys)]
        xs = _cluster([s[0] for s in vs], tol)
        if len(xs) < 2:
            continue
        shape = _shape((x, y, x + w, y + h), xs, ys, horizontal, vertical, dpi)
        shape.rulings = inside
        shapes.append(shape)
    return sorted(shapes, key=lambda s: s.bbox[1])


def _shape(bbox: tuple[int, int, int, int], xs: list[float], ys: list[float],
           horizontal: np.ndarray, vertical: np.ndarray, dpi: int) -> TableShape:
    """Unit boxes between rulings, merged where no ruling separates neighbours."""
    band = max(2, dpi // 100)
    margin = max(3, dpi // 60)

    def printed(mask: np.ndarray, across: float, start: float, end: float,
                is_vertical: bool) -> bool:
        a0, a1 = int(across) - band, int(across) + band + 1
        s0, s1 = int(start) + margin, int(end) - margin
        if s1 <= s0:
            return True
        strip = mask[s0:s1, max(0, a0):a1] if is_vertical else mask[max(0, a0):a1, s0:s1]
        hits = strip.any(axis=1 if is_vertical else 0)
        return float(hits.mean()) >= 0.5

    rows, cols = len(ys) - 1, len(xs) - 1
    groups = merge_units(
        rows, cols,
        lambda r, c: not printed(vertical, xs[c + 1], ys[r], ys[r + 1], True),
        lambda r, c: not printed(horizontal, ys[r + 1], xs[c], xs[c + 1], False))
    cells = [span_of(members) for members in groups]
    return TableShape(bbox, xs, ys, sorted(cells))


def print_mask(ink: np.ndarray, dpi: int) -> np.ndarray:
    """The ink that is print, not dust: a speck (smaller than a hyphen each way) counts as
    print only near other print (a decimal point or a full stop sits beside its figure or
    word; dust sits alone). Bool array the shape of `ink`."""
    import cv2
    import numpy as np

    speck = dpi / 25  # px: a 10 pt hyphen is about 3 pt wide
    across, up = int(dpi / 10), int(dpi / 30)  # beside a word on its line; an i's dot
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    big = np.zeros(n, dtype=bool)
    big[1:] = np.maximum(stats[1:, 2], stats[1:, 3]) >= speck
    big_mask = big[labels]
    if not big_mask.any():
        return big_mask
    reach = cv2.dilate(big_mask.astype(np.uint8),
                       cv2.getStructuringElement(cv2.MORPH_RECT, (2 * across + 1, 2 * up + 1)))
    close = np.zeros(n, dtype=bool)
    close[np.unique(labels[(reach > 0) & (labels > 0)])] = True
    return (big | close)[labels] & (labels > 0)


def despeckle(image: np.ndarray, ink: np.ndarray, dpi: int) -> np.ndarray:
    """`image` with the dust of `ink` (see print_mask) whitened."""
    import cv2
    import numpy as np

    dust = (ink > 0) & ~print_mask(ink, dpi)
    if not dust.any():
        return image
    out = image.copy()
    out[cv2.dilate(dust.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    return out


def cell_crop(clean: np.ndarray, binary: np.ndarray, rulings: np.ndarray,
              rect: tuple[int, int, int, int], dpi: int) -> np.ndarray | None:
    """The print inside a cell, cut tight, with dust and ruling remnants whitened; None for
    a cell with no print."""
    import numpy as np

    x0, y0, x1, y1 = rect
    pad = max(4, dpi // 50)
    x0, y0, x1, y1 = x0 + pad, y0 + pad, x1 - pad, y1 - pad
    if x1 <= x0 or y1 <= y0:
        return None
    ink = binary[y0:y1, x0:x1] & ~rulings[y0:y1, x0:x1]
    kept = print_mask(ink, dpi)
    if not kept.any():
        return None
    crop = despeckle(clean[y0:y1, x0:x1], ink, dpi)
    ys, xs = np.nonzero(kept)
    margin = max(4, dpi // 30)
    ty0, ty1 = max(0, ys.min() - margin), min(crop.shape[0], ys.max() + margin + 1)
    tx0, tx1 = max(0, xs.min() - margin), min(crop.shape[1], xs.max() + margin + 1)
    return crop[ty0:ty1, tx0:tx1]
