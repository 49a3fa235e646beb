"""Tesseract in this process, through its C API (libtesseract.so.5, ctypes).

The `tesseract` program loads its model for every image it reads: several starts for a page
of lkj's OCR, one of them with the 89 MB Latin model (0.6 s before a pixel is read). Here
one initialised Tesseract per model and worker thread is kept and handed image after image,
and what it reads is asked for as the program's TSV (`TessBaseAPIGetTsvText`, the text the
program prints): the same words, boxes, confidences and numbering, read by the
same library with the same settings (`tsv` config, `dotproduct` pinned at Init and applied as
the program applies it, `user_defined_dpi` as `--dpi` sets it, the character whitelist, and
the adaptive classifier and document dictionary cleared before each image, so that an image
reads as it would in a fresh process).

The library ships with Debian's `tesseract-ocr` (package libtesseract5). Where it cannot be
loaded, `available()` is False and lkj runs the program instead (lkj.extract.ocr).
`LKJ_TESSERACT=program` makes lkj run the program even where the library is there. Loading
the library sets OMP_THREAD_LIMIT=1 for the process, as lkj set it for the program: one
thread per Tesseract, the pages run in parallel instead.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

#: The shared library, by its soname (Tesseract 5's C API).
LIBRARY = "libtesseract.so.5"
#: The TSV header the program prints before the first image (GetTsvText leaves it out).
TSV_HEADER = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\t"
              "height\tconf\ttext\n")
OEM_DEFAULT = 3
#: tesseract::SIMDDetect::Update(), which the program calls after Init (C++, no C name).
SIMD_UPDATE = "_ZN9tesseract10SIMDDetect6UpdateEv"

_lock = threading.Lock()
_lib: ctypes.CDLL | None = None
_tried = False
_idle: dict[tuple[str, str], list[Api]] = {}


class TesseractApiError(RuntimeError):
    """The library refused a model or an image; the message says which."""


def _load() -> ctypes.CDLL | None:
    global _lib, _tried
    with _lock:
        if _tried:
            return _lib
        _tried = True
        if os.environ.get("LKJ_TESSERACT", "").lower() == "program":
            return None
        # one OpenMP thread per Tesseract: pages run in parallel instead (read by libgomp
        # when it loads, as the program reads it when it starts)
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            lib = ctypes.CDLL(LIBRARY)
            update = getattr(lib, SIMD_UPDATE)
        except (OSError, AttributeError):
            return None
        p, s, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
        for name, res, args in [
            ("TessVersion", s, []),
            ("TessBaseAPICreate", p, []),
            ("TessBaseAPIDelete", None, [p]),
            ("TessBaseAPIInit4", i, [p, s, s, i, ctypes.POINTER(s), i, ctypes.POINTER(s),
                                     ctypes.POINTER(s), ctypes.c_size_t, i]),
            ("TessBaseAPISetVariable", i, [p, s, s]),
            ("TessBaseAPISetPageSegMode", None, [p, i]),
            ("TessBaseAPISetImage", None, [p, p, i, i, i, i]),
            ("TessBaseAPISetInputName", None, [p, s]),
            ("TessBaseAPIRecognize", i, [p, p]),
            ("TessBaseAPIGetTsvText", p, [p, i]),
            ("TessBaseAPIClearAdaptiveClassifier", None, [p]),
            ("TessBaseAPIClear", None, [p]),
            ("TessBaseAPIEnd", None, [p]),
            ("TessDeleteText", None, [p]),
        ]:
            fn = getattr(lib, name, None)
            if fn is None:
                return None
            fn.restype, fn.argtypes = res, args
        update.restype, update.argtypes = None, []
        if not (lib.TessVersion() or b"").startswith(b"5."):
            return None
        _lib = lib
        return lib


def available() -> bool:
    """Whether Tesseract can be run in this process (the library loads)."""
    return _load() is not None


class Api:
    """One initialised Tesseract (one model), for one thread at a time."""

    def __init__(self, lang: str, dotproduct: str):
        lib = _load()
        if lib is None:
            raise TesseractApiError(f"{LIBRARY} cannot be loaded")
        self._lib = lib
        self.handle = lib.TessBaseAPICreate()
        configs = (ctypes.c_char_p * 1)(b"tsv")
        names = (ctypes.c_char_p * 1)(b"dotproduct")
        values = (ctypes.c_char_p * 1)(dotproduct.encode())
        if lib.TessBaseAPIInit4(self.handle, None, lang.encode(), OEM_DEFAULT, configs, 1,
                                names, values, 1, 0) != 0:
            lib.TessBaseAPIDelete(self.handle)
            raise TesseractApiError(f"Tesseract could not load the {lang!r} model")
        # as the program does after Init: the dot product kernel set by the variable
        getattr(lib, SIMD_UPDATE)()
        lib.TessBaseAPISetInputName(self.handle, b"stdin")

    def tsv(self, image: np.ndarray, psm: int, dpi: int, whitelist: str | None) -> str:
        """What `tesseract stdin stdout --psm PSM --dpi DPI [-c tessedit_char_whitelist=..]
        tsv` prints for a grayscale image (uint8, 2-D)."""
        import numpy as np

        lib, h = self._lib, self.handle
        image = np.ascontiguousarray(image, dtype=np.uint8)
        lib.TessBaseAPIClearAdaptiveClassifier(h)
        lib.TessBaseAPISetVariable(h, b"tessedit_char_whitelist", (whitelist or "").encode())
        lib.TessBaseAPISetVariable(h, b"user_defined_dpi", str(dpi).encode())
        lib.TessBaseAPISetPageSegMode(h, psm)
        lib.TessBaseAPISetImage(h, image.ctypes.data, image.shape[1], image.shape[0], 1,
                                image.strides[0])
        try:
            if lib.TessBaseAPIRecognize(h, None) != 0:
                raise TesseractApiError("Tesseract could not read the image")
            text = lib.TessBaseAPIGetTsvText(h, 0)
            if not text:
                raise TesseractApiError("Tesseract gave no TSV for the image")
            try:
                return TSV_HEADER + ctypes.string_at(text).decode("utf-8", "replace")
            finally:
                lib.TessDeleteText(text)
        finally:
            lib.TessBaseAPIClear(h)

    def close(self) -> None:
        if self.handle:
            self._lib.TessBaseAPIEnd(self.handle)
            self._lib.TessBaseAPIDelete(self.handle)
            self.handle = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # at interpreter exit the library may be gone
            pass


@contextmanager
def lease(lang: str, dotproduct: str) -> Iterator[Api]:
    """An idle Tesseract for a model, for the caller's thread alone until it gives it back
    (made on first use and kept: a worker reads page after page, report after report,
    without loading a model again; there are never more of a model than threads reading
    with it at once)."""
    key = (lang, dotproduct)
    with _lock:
        idle = _idle.setdefault(key, [])
        found = idle.pop() if idle else None
    found = found or Api(lang, dotproduct)
    try:
        yield found
    finally:
        with _lock:
            _idle[key].append(found)
