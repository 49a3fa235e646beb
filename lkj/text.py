"""Words of the messages lkj prints: counts with their nouns in the right number."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 error', '2 errors', '0 rows': a count and its noun, singular only for one."""
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
