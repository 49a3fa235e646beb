"""How a report is read: one ExtractSettings, checked when made, for `lkj.read`, the CLI
(`--set key=value`), the batch's workers and a cluster's (it pickles).

Keys are the fields' names, dotted into the nested settings: `engine`, `reader`,
`ocr_pages`, `ocr.dpi`, ..., `limits.seconds`, `limits.memory_mb` (`lkj settings` lists
them with their types, defaults and meanings).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lkj.extract.engines import ENGINE_CHOICES
from lkj.extract.ocr import OcrSettings

#: Page readers: pdfium (lkj.extract.pdfium; pdfminer for a page it cannot read as pdfminer
#: would) or pdfminer alone. The default is the environment's LKJ_READER, else pdfium.
READERS = ("pdfium", "pdfminer")

#: Default limits: generous for one page of a scan read by OCR, fatal for a decompression
#: bomb or a page tree that never ends.
DEFAULT_SECONDS = 300.0
DEFAULT_MEMORY_MB = 3072


@dataclass(frozen=True)
class Limits:
    """What reading one file may cost in a worker (lkj.archive.batch): wall-clock seconds on
    one page (opening the file, and each page of each step of reading it, see
    lkj.extract.report.Progress: so a long report is never cut for its length, while a
    hostile one stops at its first endless page), and MiB of address space its reader may
    add to what the worker inherits from the parent (RLIMIT_AS; 0: no limit)."""

    seconds: float = field(default=DEFAULT_SECONDS, metadata={"help":
        "time one page may take to read in a worker (opening the file too)"})
    memory_mb: int = field(default=DEFAULT_MEMORY_MB, metadata={"help":
        "MiB of memory one file's reader may use in a worker (0: no limit)"})

    def __post_init__(self) -> None:
        if not self.seconds > 0:
            raise ValueError(f"seconds must be more than 0, got {self.seconds!r}")
        if self.memory_mb < 0:
            raise ValueError(f"memory_mb must be 0 (no limit) or more MiB, got "
                             f"{self.memory_mb!r}")


@dataclass(frozen=True)
class ExtractSettings:
    """Everything that says how a report is read. A bad value raises ValueError naming the
    key, the value and what is allowed. The limits apply where a file is read in a worker
    (the CLI, `lkj.run`); `lkj.read` reads in its own process, without them."""

    engine: str = field(default="both", metadata={"help":
        "cell reader: both (pdfplumber, cross-checked by camelot), pdfplumber or camelot"})
    reader: str | None = field(default=None, metadata={"help":
        "page reader: pdfium or pdfminer (default: the environment's LKJ_READER, else "
        "pdfium)"})
    ocr_pages: tuple[int, ...] | None = field(default=None, metadata={"help":
        "scanned pages to read by OCR, 1-based (default: all; the others are named in the "
        "report's flags)"})
    ocr: OcrSettings = field(default_factory=OcrSettings)
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if self.engine not in ENGINE_CHOICES:
            raise ValueError(f"engine must be one of {', '.join(ENGINE_CHOICES)}, got "
                             f"{self.engine!r}")
        if self.reader is not None and self.reader not in READERS:
            raise ValueError(f"reader must be one of {', '.join(READERS)}, got {self.reader!r}")
        if self.ocr_pages is not None:
            pages = tuple(self.ocr_pages)
            if not all(isinstance(n, int) and n >= 1 for n in pages):
                raise ValueError(f"ocr_pages must be page numbers from 1, got {self.ocr_pages!r}")
            object.__setattr__(self, "ocr_pages", pages)  # any iterable given, kept a tuple
        for name, kind in (("ocr", OcrSettings), ("limits", Limits)):
            if not isinstance(getattr(self, name), kind):
                raise ValueError(f"{name} must be an {kind.__name__}, got "
                                 f"{getattr(self, name)!r}")

    def with_pairs(self, pairs: Iterable[str]) -> ExtractSettings:
        """These settings with `key=value` strings applied in order (`engine=camelot`,
        `ocr.dpi=300`, `ocr.cell_langs=eng,ind`, `ocr_pages=1,2`, `ocr.check_lang=none`),
        each value parsed as its field's type. An unknown key, a value that does not parse
        or a bad value raises ValueError in one line naming the key."""
        changes: dict[str, str] = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            key = key.strip()
            if not sep:
                raise ValueError(f"{pair!r}: a setting is key=value")
            if key not in _FIELDS:
                raise ValueError(f"unknown setting {key!r} (known: {', '.join(_FIELDS)})")
            changes[key] = value.strip()
        return _replaced(self, "", changes)


def _leaves(cls: type, prefix: str = "") -> Iterator[tuple[str, Any, dataclasses.Field]]:
    """(dotted key, type, field) of every setting, nested settings walked into."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(hints[f.name]):
            yield from _leaves(hints[f.name], f"{prefix}{f.name}.")
        else:
            yield f"{prefix}{f.name}", hints[f.name], f


#: Every key: (its type, its field).
_FIELDS: dict[str, tuple[Any, dataclasses.Field]] = {
    key: (hint, f) for key, hint, f in _leaves(ExtractSettings)}


def _replaced(settings: Any, prefix: str, changes: dict[str, str]) -> Any:
    """`settings` with the changes under `prefix` made, nested settings made anew (each
    checked as it is made: its error is named by its dotted key)."""
    values = {}
    for f in dataclasses.fields(settings):
        key = f"{prefix}{f.name}"
        current = getattr(settings, f.name)
        if dataclasses.is_dataclass(current):
            if any(k.startswith(f"{key}.") for k in changes):
                values[f.name] = _replaced(current, f"{key}.", changes)
        elif key in changes:
            values[f.name] = parse(key, _FIELDS[key][0], changes[key])
    if not values:
        return settings
    try:
        return dataclasses.replace(settings, **values)
    except ValueError as exc:
        raise ValueError(f"{prefix}{exc}" if prefix and not str(exc).startswith(prefix)
                         else str(exc)) from None


def parse(key: str, kind: Any, text: str) -> Any:
    """A setting's value from its text, as its type says: a number, a word, `none`, or
    values between commas for a tuple."""
    args = typing.get_args(kind)
    if type(None) in args:  # X | None
        if text.lower() in ("", "none"):
            return None
        kind = next(a for a in args if a is not type(None))
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        return tuple(parse(key, item, part.strip()) for part in text.split(",") if part.strip())
    if kind is str:
        return text
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"{key} must be {'a whole number' if kind is int else 'a number'}, "
                         f"got {text!r}") from None


def describe() -> list[tuple[str, str, str, str]]:
    """(key, type, default, meaning) of every setting, for `lkj settings`."""
    defaults = ExtractSettings()
    out = []
    for key, (kind, f) in _FIELDS.items():
        value: Any = defaults
        for part in key.split("."):
            value = getattr(value, part)
        shown = ",".join(map(str, value)) if isinstance(value, tuple) else \
            "none" if value is None else str(value)
        kind_text = str(kind).replace("typing.", "") if not isinstance(kind, type) \
            else kind.__name__
        out.append((key, kind_text, shown, f.metadata.get("help", "")))
    return out
