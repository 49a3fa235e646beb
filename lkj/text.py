"""Words of the messages lkj prints: counts with their nouns in the right number, lists of
pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 error', '2 errors', '0 rows': a count and its noun, singular only for one."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def page_list(*values: Any) -> str:
    """'4,14': the page numbers among `values` (numbers, numeric text, or iterables of
    them), each once, in order; blanks (None, NaN, '') and what is not a number are left
    out."""
    pages = set()
    for v in values:
        for p in (v if isinstance(v, Iterable) and not isinstance(v, str) else [v]):
            try:
                number = float(p)
            except (TypeError, ValueError):
                continue
            if number == number:  # not NaN
                pages.add(int(number))
    return ",".join(map(str, sorted(pages)))
