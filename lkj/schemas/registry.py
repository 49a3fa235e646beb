"""Canonical agencies: one alias registry, so that years and renamed offices line up.

An office keeps its id when its name changes (the NTB office was BP3TKI Mataram, then UPT
BP2MI Mataram / UPT BP2MI Provinsi NTB, then BP3MI NTB). An unknown name is kept as printed
and flagged; adding it here is one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str
    province: str | None
    aliases: tuple[str, ...]


AGENCIES: tuple[Agency, ...] = (
    Agency(
        "bp3mi-ntb", "BP3MI Nusa Tenggara Barat", "Nusa Tenggara Barat",
        ("BP3MI Nusa Tenggara Barat", "BP3MI NTB", "Balai Pelayanan Pelindungan Pekerja Migran "
         "Indonesia (BP3MI) Nusa Tenggara Barat", "UPT BP2MI Provinsi NTB",
         "UPT BP2MI Provinsi Nusa Tenggara Barat", "UPT BP2MI Mataram", "BP3TKI Mataram"),
    ),
)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def match_agency(text: str) -> Agency | None:
    """The agency whose longest alias occurs in the text (cover page, title)."""
    low = f" {_norm(text)} "
    best: tuple[int, Agency] | None = None
    for agency in AGENCIES:
        for alias in agency.aliases:
            a = f" {_norm(alias)} "
            if a in low and (best is None or len(a) > best[0]):
                best = (len(a), agency)
    return best[1] if best else None
