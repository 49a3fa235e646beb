"""The report's own list of its tables (DAFTAR TABEL): which tables it says it has.

An LKj's front matter lists every table with its number, title and printed page:

    DAFTAR TABEL
    TABEL 1.1 Perjanjian Kinerja Tahun 2023 5
    TABEL 2.7.1 Pelaksanaan Pelatihan Kelompok Usaha dan Keluarganya Tahun
    2023..... 11

A table the list names and the body lacks (a page lost in scanning, a table pasted as a
picture, one lkj does not recognise) is then known to be missing, instead of silently
absent. A title wrapped over two lines is joined; the list may run on to the next page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Front pages searched for the list (it follows the cover, foreword and contents).
SEARCH_PAGES = 12
_HEADING = re.compile(r"^\s*DAFTAR\s+TABEL\s*:?\s*$", re.IGNORECASE)
_ENTRY = re.compile(r"^\s*TABEL\s+(\d+(?:\.\d+)*)\.?(?:\s+(.*?))?\s*$", re.IGNORECASE)
#: A printed page number at the end of an entry, after dot leaders or spaces.
_PAGE_AT_END = re.compile(r"^(.*?)[\s.…]*(?<![\w.,])(\d{1,3})\s*$")
#: Lines that may come before the first entry (a column header such as "Halaman"; on the
#: next page, its running header) before the list is taken to have ended.
HEADER_LINES = 3
_LEADERS = re.compile(r"[\s.…]+$")


@dataclass(frozen=True)
class Listed:
    """One entry of the list: table number, title and printed page as printed."""

    table_id: str
    title: str
    printed_page: str | None
    page: int  # the PDF page the list is on (1-based)


def listed_tables(page_texts: list[str]) -> list[Listed]:
    """The entries of the first DAFTAR TABEL in the front pages (none: the report has no
    list, or lkj did not recognise it)."""
    for index, text in enumerate(page_texts[:SEARCH_PAGES]):
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if _HEADING.match(line):
                return _entries(lines[i + 1:], index + 1, page_texts[index + 1:index + 2])
    return []


def _entries(lines: list[str], page: int, next_page: list[str]) -> list[Listed]:
    out: list[tuple[str, list[str], int]] = []  # (id, title parts, page)
    open_entry = False  # the last entry has no page number yet: its title goes on
    for number, source in [(page, lines), *((page + 1, t.splitlines()) for t in next_page)]:
        started = False  # lines before the first entry: a column header, a running header
        skipped = 0
        for line in source:
            entry = _ENTRY.match(line)
            if not started and (entry is None or not entry.group(2)):
                skipped += bool(line.strip())
                if skipped > HEADER_LINES:
                    break  # the list does not go on here
                continue
            if entry:
                out.append((entry.group(1), [entry.group(2) or ""], number))
                started = True
                open_entry = not _ends_with_page(entry.group(2) or "")
            elif open_entry and line.strip():
                out[-1][1].append(line.strip())
                open_entry = not _ends_with_page(line)
            elif line.strip():
                return [_listed(*e) for e in out]  # the list ended (a folio, a new section)
        if out and number == page and open_entry:
            break  # a title that never ended: do not look for more on the next page
    return [_listed(*e) for e in out]


def _ends_with_page(text: str) -> bool:
    m = _PAGE_AT_END.match(text)
    return bool(m and m.group(1).strip())


def _listed(table_id: str, parts: list[str], page: int) -> Listed:
    text = " ".join(p for p in parts if p)
    m = _PAGE_AT_END.match(text)
    if m and m.group(1).strip():
        return Listed(table_id, _LEADERS.sub("", m.group(1)), m.group(2), page)
    return Listed(table_id, _LEADERS.sub("", text), None, page)
