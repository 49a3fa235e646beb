"""Printed page numbers (folios): what the report itself calls a page.

Page numbers in lkj's output are PDF positions (what a PDF viewer shows). An auditor quotes
the number printed on the page: LKj number the front matter in roman numerals (i, ii, iii)
and the body from 1, in the footer (sometimes in the header). A PDF page's folio is the
number alone on its last text line (else its first); it is kept only where a neighbouring
page confirms it (the page before or after prints the number before or after, in the same
numbering, or a roman front page right before the body's page 1), so that a lone figure
at the foot of a page is not taken for a folio. A page without a confirmed folio has none:
nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_ROMAN = re.compile(r"^(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_FOLIO = re.compile(r"^(?:hal(?:aman)?\.?\s*)?[-–—]?\s*([0-9]{1,4}|[ivxlcdm]{1,9})\s*[-–—]?$",
                    re.IGNORECASE)
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_value(text: str) -> int | None:
    """The value of a roman numeral written the standard way ('xiv' -> 14), else None."""
    low = text.lower()
    if not _ROMAN.match(low):
        return None
    total = 0
    for i, ch in enumerate(low):
        value = _ROMAN_VALUES[ch]
        after = _ROMAN_VALUES[low[i + 1]] if i + 1 < len(low) else 0
        total += -value if value < after else value
    return total


def _candidates(text: str) -> list[tuple[str, str, int]]:
    """(printed folio, numbering, value) of a page's last line, then its first line."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    out = []
    for line in (lines[-1:] + lines[:1]) if lines else []:
        m = _FOLIO.match(line)
        if not m:
            continue
        printed = m.group(1)
        if printed.isdigit():
            out.append((printed, "arabic", int(printed)))
        elif (value := roman_value(printed)) is not None:
            out.append((printed, "roman", value))
    return out


def printed_folios(page_texts: Sequence[str]) -> dict[int, str]:
    """PDF page number (1-based) -> the folio printed on it, for the pages whose folio a
    neighbouring page confirms."""
    found = [{(n, v): printed for printed, n, v in _candidates(t)} for t in page_texts]

    def has(i: int, numbering: str, value: int) -> bool:
        return 0 <= i < len(found) and (numbering, value) in found[i]

    out: dict[int, str] = {}
    for i, candidates in enumerate(found):
        for (numbering, value), printed in candidates.items():
            if has(i - 1, numbering, value - 1) or has(i + 1, numbering, value + 1) or (
                    numbering == "roman" and has(i + 1, "arabic", 1)
                    and has(i + 2, "arabic", 2)):
                out[i + 1] = printed
                break
    return out


def folios_of(pages: Any) -> dict[str, dict[int, str]]:
    """Report -> PDF page -> the folio printed on it, from a `pages` table."""
    out: dict[str, dict[int, str]] = {}
    if pages is None:
        return out
    for row in pages.itertuples():
        if isinstance(row.folio, str) and row.folio:
            out.setdefault(row.report_id, {})[int(row.page)] = row.folio
    return out


def with_folios(pages: Any, folios: dict[int, str]) -> list[tuple[str, str | None]]:
    """A findings' `pages` ("4,14") as (PDF page, the folio printed on it or None)."""
    out = []
    for p in str(pages or "").split(","):
        p = p.strip()
        if p:
            out.append((p, folios.get(int(p)) if p.isdigit() else None))
    return out
