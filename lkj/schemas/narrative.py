"""Words of the running text that carry checkable claims (Indonesian report prose).

Patterns only: which words introduce a pagu, a realisasi, a count of places or participants,
a target, a year. The figures are always read from the text; none is known in advance.
"""

from __future__ import annotations

import re

from lkj.schemas import domains

_NUM = r"[-−]?\d[\d.,]*\d|\d"
#: A Rupiah amount as printed: "Rp. 1.250.000,-", "Rp 4.895.260.375", "Rp. 3.947.120,000".
_RP = r"rp\.?\s*\d[\d.]*\d(?:,\d+)?(?:,-)?"
#: Words for small numbers, as reports write them ("di satu lokasi").
NUMBER_WORDS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
                "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11}
_COUNT = rf"(?P<value>{_NUM}|{'|'.join(NUMBER_WORDS)})(?:\s*\([^)]*\))?"

#: Money figures about the whole budget: "alokasi anggaran sebesar Rp. X", "Pagu anggaran
#: ... dalam DIPA tahun 2021 sebesar Rp X", "anggaran DIPA sebesar Rp X" (not "realisasi
#: anggaran ...": that is the next pattern).
PAGU_RE = re.compile(
    rf"(?<!realisasi )(?:pagu|alokasi\s+anggaran|anggaran|dipa)\b[^.]{{0,80}}?sebesar\s+"
    rf"(?P<raw>{_RP})", re.IGNORECASE)
#: "realisasi Anggaran adalah sebesar Rp X (88.73%)", "dengan realisasi sampai dengan 31
#: Desember 2021 sebesar Rp X (93.48%)": a realisasi stated in Rupiah is the budget's.
REALISASI_ANGGARAN_RE = re.compile(
    rf"realisasi\b[^.]{{0,60}}?sebesar\s+(?P<raw>{_RP})"
    r"(?:\s*\(\s*(?P<pct>[\d.,]+)\s*%\s*\))?", re.IGNORECASE)

#: Places and participants of activities: "di 2 lokasi", "peserta sebanyak 40 orang".
LOCATIONS_RE = re.compile(rf"\bdi\s+{_COUNT}\s+lokasi\b", re.IGNORECASE)
PARTICIPANTS_RE = re.compile(
    rf"peserta\s+(?:sebanyak|sejumlah|berjumlah)\s+{_COUNT}\s+(?:orang|peserta)", re.IGNORECASE)

#: A unit printed after an indicator's figure in prose: percent, or a counted unit of any
#: domain (orang, kasus, ton, ha, ...): it decides what a dot in the figure means, as in a
#: table.
_UNIT = "(?:" + "|".join(re.escape(u) for u in sorted(
    {"%", "persen", "orang", "lokasi", "kasus", *domains.COUNT_UNITS}, key=len,
    reverse=True)) + r")(?!\w)"

#: An indicator's realisasi and capaian in prose: "Realisasi tahun 2023 sebanyak 26,922 orang
#: atau mencapai 168.26%"; "telah tercapai 372 orang atau 744% dari target".
REALISASI_RE = re.compile(
    rf"(?<!target\s)(?:realisasi|terealisasi)(?:\s+\w+){{0,7}}?\s+"
    rf"(?:sebanyak|sebesar|mencapai|tercapai)\s+"
    rf"(?P<value>{_NUM})(?![\d.,]*\d)\s*(?P<unit>{_UNIT})?"
    rf"(?!\s*%?\s*(?:dari\s+)?target)", re.IGNORECASE)
CAPAIAN_AFTER_RE = re.compile(
    rf"^\s*(?:orang|pmi|kasus|%)?\s*,?\s*atau\s+(?:mencapai\s+|setara\s+dengan\s+)?"
    rf"(?P<value>{_NUM})\s*%", re.IGNORECASE)
CAPAIAN_RE = re.compile(rf"telah\s+mencapai\s+(?P<value>{_NUM})\s*%\s+target", re.IGNORECASE)
TARGET_RE = re.compile(rf"\btarget(?:\s+realisasi)?(?:\s+nilai|\s+sebesar|\s+sebanyak)?\s+"
                       rf"(?P<value>{_NUM})"
                       rf"\s*(?P<unit>{_UNIT})?", re.IGNORECASE)

_MORE = r"(?:semakin|makin)"
#: The text saying that for some indicators less is better: "Semakin tinggi realisasi
#: menunjukkan semakin rendah pencapaian kinerja" (the method chapter of PermenPANRB 53/2014
#: reports, before the formula it uses for them), "semakin rendah <x> semakin baik
#: capaiannya", "indikator negatif". A "semakin" between the two halves ends the match, so
#: the higher-is-better sentence before it ("... yang semakin baik") never reads as one.
#: `general`: said of "realisasi", so of whichever indicators it concerns (a method
#: chapter); the other forms are said of what the sentence names.
LOWER_IS_BETTER_RE = re.compile(
    rf"(?P<general>{_MORE}\s+(?:tinggi|besar|banyak)(?:nya)?\s+(?:nilai\s+|angka\s+)?"
    rf"realisasi(?:(?!{_MORE}).){{0,60}}?{_MORE}\s+(?:rendah|kecil|buruk|menurun))"
    rf"|{_MORE}\s+(?:rendah|kecil|sedikit)(?:nya)?\b(?:(?!{_MORE}).){{0,80}}?"
    rf"{_MORE}\s+(?:baik|tinggi)\s+(?:capaian|pencapaian|kinerja)"
    r"|\bindikator\s+(?:yang\s+)?(?:bersifat\s+)?negatif\b|\bpolaritas\s+negatif\b",
    re.IGNORECASE | re.DOTALL)

#: A year the realisasi is said to belong to: "Realisasi Tahun 2024 ...".
REALISASI_YEAR_RE = re.compile(r"realisasi(?:\s+\w+){0,2}?\s+(?:pada\s+)?tahun\s+"
                               r"(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)

#: Clause boundaries inside a sentence: a claim's qualifiers (budgeter, the activity kind)
#: are read from its own clause.
CLAUSE_SPLIT_RE = re.compile(r",\s+(?:dan\s+)?(?:selain|sedangkan|kemudian)\b|;\s+",
                             re.IGNORECASE)

#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = ("rp", "kab", "kec", "no", "s.d", "dll", "dsb", "jl", "telp", "sub", "nip",
                 "per", "prov", "kota", "ds")
