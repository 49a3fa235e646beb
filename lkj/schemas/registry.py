"""Canonical agencies: one alias registry, so that years and renamed offices line up.

An office keeps its id when its name changes (the NTB office was BP3TKI Mataram, then UPT
BP2MI Mataram / UPT BP2MI Provinsi NTB, then BP3MI NTB). An office not listed here is named
from its report (`printed_agency`: "Dinas Perikanan Provinsi Contoh" gets the id
`dinas-perikanan-provinsi-contoh`; a unit of a ministry, "Balai Besar Pelatihan
Pertanian Contoh", needs no region), and flagged; the registry only adds the aliases
that join an office's other names to one id.
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


#: Words an office's name opens with in Indonesian government ("Dinas Perikanan", "Badan
#: Perencanaan Pembangunan Daerah", "Biro Umum").
OFFICE_WORDS = ("dinas", "badan", "biro", "balai", "loka", "kantor", "sekretariat", "inspektorat",
                "kementerian", "direktorat", "lembaga", "pusat", "satuan", "bagian", "upt",
                "uptd", "rumah sakit", "kecamatan")
_OFFICE_WORD = r"(?i:" + "|".join(w.replace(" ", r"\s+") for w in OFFICE_WORDS) + r")"
#: The office's name as printed: an office word, capitalised words (and the small words of a
#: name: dan, serta, ...), then its region: Provinsi / Kabupaten / Kota and its name.
_NAME_WORD = r"(?:[A-Z][\w&/.'-]*|\([A-Z0-9&.-]+\)|dan|serta|dan/atau|untuk|pada|,)"
_REGION_WORD = r"(?:(?!(?i:tahun|sebagai|yang|dalam|pada|dengan|nomor|untuk|dan)\b)" \
               r"[A-Z][\w.'-]*|(?!(?:19|20)\d\d\b)\d{1,4}\b)"  # a number, never a year
_REGION = r"(?P<level>Provinsi|Kabupaten|Kota|PROVINSI|KABUPATEN|KOTA)[ \t]+" \
          r"(?P<region>" + _REGION_WORD + r"(?:[ \t]+" + _REGION_WORD + r"){0,2})(?![\w-])"
_PRINTED_AGENCY = re.compile(
    r"(?<![\w-])(?P<name>" + _OFFICE_WORD + r"(?:\s+" + _NAME_WORD + r"){1,12}?)\s+" + _REGION)


#: An office named with no region (a ministry's unit: "Balai Besar Pelatihan Pertanian
#: Contoh", "Kementerian Contoh"): an office word, then capitalised words on the same
#: line, none of them another office word (the parent printed after it), "Tahun" or "Nomor".
_UNIT_WORD = r"(?:(?!" + _OFFICE_WORD + r"\b|(?i:tahun|nomor|laporan)\b)[A-Z][\w&/.'-]*" \
             r"|\([A-Z0-9&.-]+\)|dan|serta)"
_UNIT_NAME = re.compile(r"(?<![\w-])(?P<name>" + _OFFICE_WORD + r"(?:[ \t]+" + _UNIT_WORD
                        + r"){1,12})(?![\w-])")
#: An office printed with no region is taken only when printed this often: a name cited
#: once (a source of data, a partner) is not the report's author.
UNIT_NAME_MIN = 2
#: The office words of the central government's units, whose names need no region ("Balai
#: Penelitian Tanaman Contoh" is one office in the country). A regional office ("Dinas
#: ...", "Sekretariat Daerah", "Badan ... Daerah") printed without its region is many
#: offices, one per region: it is never named from that.
UNIT_WORDS = ("balai", "loka", "pusat", "direktorat", "kementerian", "lembaga", "upt")
REGIONAL_WORDS = ("daerah",)
#: Office words of a parent (a ministry): named from them only when no unit is named.
PARENT_WORDS = ("kementerian",)

#: Words that put an office name in a list of offices ("Inspektorat, Lembaga Teknis dan
#: Satuan ...", the title of a regulation on every office of a province).
_LIST_WORDS = ("dan", "serta", "atau")
_OFFICE_LIST = re.compile(r"(?:,|\b(?:dan|serta))\s+" + _OFFICE_WORD + r"\b")


def slug(text: str) -> str:
    """An id from a name: lower case, words joined by hyphens."""
    return "-".join(_norm(text).split())


def printed_agency(text: str) -> tuple[Agency, str] | None:
    """An office named in the text that the registry does not list: the name printed most
    often ("Dinas Perikanan Provinsi Contoh"; the first of those printed as often), as an
    Agency whose id is the name's slug, and the name as printed."""
    counts: dict[str, tuple[int, int, str, str | None]] = {}
    for i, m in enumerate(_PRINTED_AGENCY.finditer(text)):
        before = text[max(0, m.start() - 8):m.start()].lower()
        if (before.rstrip().endswith(",") or (before.split() or [""])[-1] in _LIST_WORDS
                or _OFFICE_LIST.search(m.group("name"))):
            continue  # one of a list of offices (a regulation's title), not the author
        region = " ".join(m.group("region").rstrip(".,'-").split())
        name = " ".join(f"{m.group('name')} {m.group('level')} {region}".split())
        key = _norm(name)
        n, first, shown, province = counts.get(key, (0, i, name, None))
        if m.group("level").lower() == "provinsi":
            province = region.title()
        counts[key] = (n + 1, first, shown, province)
    if not counts:
        return _unit_agency(text)
    key, (_, _, shown, province) = min(counts.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    return Agency(slug(key), shown, province, (shown,)), shown


def _unit_agency(text: str) -> tuple[Agency, str] | None:
    """An office of the central government printed with no region (a ministry's unit, the
    ministry), printed at least UNIT_NAME_MIN times: the unit printed most often, the
    ministry only where no unit is named."""
    counts: dict[str, tuple[bool, int, int, str]] = {}
    for i, m in enumerate(_UNIT_NAME.finditer(text)):
        name = " ".join(re.sub(r"\s*\([^)]*\)$", "", m.group("name").rstrip(".,'-")).split())
        key = _norm(re.sub(r"\([^)]*\)", " ", name))  # "(BBPP)" printed or not: one name
        words = key.split()
        before = _norm(text[max(0, m.start() - 16):m.start()]).split()[-1:]
        if words[0] not in UNIT_WORDS or any(w in REGIONAL_WORDS for w in words) \
                or (before and before[0] in OFFICE_WORDS):
            continue  # a regional office, or the tail of another's name ("Badan Pusat ...")
        parent = words[0] in PARENT_WORDS
        _, n, first, shown = counts.get(key, (parent, 0, i, name))
        counts[key] = (parent, n + 1, first, shown)
    named = [(parent, -n, first, key, shown)
             for key, (parent, n, first, shown) in counts.items() if n >= UNIT_NAME_MIN]
    if not named:
        return None
    *_, key, shown = min(named)
    return Agency(slug(key), shown, None, (shown,)), shown


def match_agency(text: str) -> Agency | None:
    """The agency whose longest alias occurs in the text (cover page, title)."""
    found = find_agency(text)
    return found[0] if found else None


def find_agency(text: str) -> tuple[Agency, str] | None:
    """The agency whose longest alias occurs in the text, and the name as printed there."""
    low = f" {_norm(text)} "
    best: tuple[int, Agency, str] | None = None
    for agency in AGENCIES:
        for alias in agency.aliases:
            a = f" {_norm(alias)} "
            if a in low and (best is None or len(a) > best[0]):
                best = (len(a), agency, alias)
    if best is None:
        return None
    words = _norm(best[2]).split()
    printed = re.search(r"(?<!\w)" + r"[^\w]+".join(map(re.escape, words)) + r"(?!\w)", text,
                        re.IGNORECASE)
    return best[1], " ".join(printed.group(0).split()) if printed else best[2]


# Indicators ---------------------------------------------------------------------------------
#
# An IKU keeps its id while its wording drifts year to year ("Penempatan PMI", "Jumlah
# Penempatan Pekerja Migran Indonesia ..."). A printed name is matched in three steps:
#   exact     its normalised text is an alias (or the canonical name);
#   contains  an alias occurs in it as whole words (the longest alias wins);
#   fuzzy     no alias occurs, but one shares most of its content words (stems compared):
#             kept, and flagged, because a fuzzy match can be wrong.
# Otherwise the name is "unknown": kept as printed with no id. Adding a wording is one line.
# An alias written "=..." matches only the whole name: for a wording so short that it would
# also occur inside other indicators' names.

POLARITIES = ("higher_is_better", "lower_is_better")


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    name: str
    polarity: str
    aliases: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.polarity not in POLARITIES:
            raise ValueError(f"{self.indicator_id}: polarity must be one of {POLARITIES}")


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "penempatan-pmi", "Penempatan Pekerja Migran Indonesia terampil dan profesional",
        "higher_is_better",
        ("Penempatan Pekerja Migran Indonesia", "Penempatan PMI terampil dan profesional",
         "Jumlah Penempatan PMI", "Jumlah Penempatan Pekerja Migran Indonesia",
         "Jumlah PMI yang ditempatkan", "Jumlah Pekerja Migran Indonesia yang ditempatkan"),
    ),
    Indicator(
        "penurunan-kasus-pmi", "Penurunan kasus Pekerja Migran Indonesia", "lower_is_better",
        ("Persentase Penurunan Kasus PMI", "Penurunan Kasus PMI", "=Kasus Pekerja Migran Indonesia",
         "Persentase penurunan jumlah kasus PMI"),
    ),
    Indicator(
        "pmi-nonprosedural-dicegah",
        "Pekerja Migran Indonesia Nonprosedural yang berhasil dicegah", "higher_is_better",
        ("PMI Nonprosedural yang berhasil dicegah",
         "Pekerja Migran Indonesia yang berhasil dicegah",
         "CPMI Nonprosedural yang berhasil dicegah", "Jumlah PMI Nonprosedural yang dicegah",
         "Pencegahan PMI Nonprosedural", "Pencegahan CPMI Nonprosedural",
         "Pencegahan penempatan PMI nonprosedural"),
    ),
    Indicator(
        "fasilitasi-pemulangan-pmi", "Fasilitasi Pemulangan Pekerja Migran Indonesia",
        "higher_is_better",
        ("Fasilitasi Pemulangan PMI", "Jumlah PMI yang difasilitasi pemulangannya",
         "Pemulangan PMI yang difasilitasi", "Fasilitasi Pemulangan PMI Bermasalah"),
    ),
    Indicator(
        "pemberdayaan-pmi-purna", "Pemberdayaan Pekerja Migran Indonesia Purna dan keluarganya",
        "higher_is_better",
        ("Pemberdayaan PMI Purna", "Pemberdayaan PMI Purna dan keluarganya",
         "Pemberdayaan Pekerja Migran Indonesia dan keluarganya",
         "Jumlah PMI Purna dan keluarganya yang diberdayakan", "PMI Purna yang diberdayakan"),
    ),
    Indicator(
        "nilai-kinerja-anggaran", "Nilai Capaian Kinerja Anggaran", "higher_is_better",
        ("Nilai Kinerja Anggaran", "Capaian Kinerja Anggaran", "Nilai Capaian Kinerja Anggaran"),
    ),
    Indicator(
        "nilai-ikpa", "Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)", "higher_is_better",
        ("Nilai IKPA", "IKPA", "Indikator Kinerja Pelaksanaan Anggaran",
         "Nilai Indikator Pelaksanaan Anggaran (IKPA)"),
    ),
    Indicator(
        "nilai-zona-integritas", "Nilai Zona Integritas", "higher_is_better",
        ("Zona Integritas", "Nilai ZI", "Predikat Zona Integritas",
         "Nilai Pembangunan Zona Integritas"),
    ),
)

#: Abbreviations written out before matching, so one alias covers both spellings.
ABBREVIATIONS = {
    "pmi": "pekerja migran indonesia",
    "cpmi": "calon pekerja migran indonesia",
    "zi": "zona integritas",
}

#: Words too common in indicator names to tell two indicators apart (fuzzy step only).
_COMMON_WORDS = frozenset(
    "yang dan di ke dari untuk pada dalam serta atau jumlah persentase nilai tingkat angka "
    "pekerja migran indonesia calon berhasil tahun terhadap".split())
#: Share of an alias' content words the printed name must have for a fuzzy match.
FUZZY_MIN_SHARE = 0.6

_PREFIXES = ("meng", "meny", "peng", "peny", "mem", "men", "pem", "pen", "per", "ber", "ter",
             "di", "ke", "se", "me", "pe")
#: A nasal prefix swallows the first letter of the root: pe+pulang -> pemulangan.
_NASAL_ROOTS = {"mem": "p", "pem": "p", "men": "t", "pen": "t", "meng": "k", "peng": "k",
                "meny": "s", "peny": "s"}


def norm_indicator(text: str) -> str:
    """Lower case, punctuation out, 'non prosedural' joined, abbreviations written out."""
    words = _norm(re.sub(r"\bnon[\s-]+", "non", text, flags=re.IGNORECASE)).split()
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def _stems(word: str) -> frozenset[str]:
    """A few candidate roots of an Indonesian word (affixes off), enough to line up
    'pemulangan' with 'dipulangkan' or 'pemberdayaan' with 'diberdayakan'."""
    out = {word}
    for base in (word, re.sub(r"(nya|kan|an|i)$", "", word)):
        if len(base) < 4:
            continue
        out.add(base)
        for prefix in _PREFIXES:
            rest = base[len(prefix):]
            if base.startswith(prefix) and len(rest) >= 3:
                out.add(rest)
                if prefix in _NASAL_ROOTS and rest[0] in "aeiou":
                    out.add(_NASAL_ROOTS[prefix] + rest)
    return frozenset(out)


def _content_words(normed: str) -> list[frozenset[str]]:
    return [_stems(w) for w in normed.split() if w not in _COMMON_WORDS]


def _fuzzy_share(text_words: list[frozenset[str]], alias_words: list[frozenset[str]]) -> float:
    """Share of the alias' content words found (as a common stem) among the text's."""
    if not alias_words or not text_words:
        return 0.0
    hits = sum(1 for a in alias_words if any(a & t for t in text_words))
    return hits / max(len(alias_words), len(text_words))


def _all_names(ind: Indicator) -> tuple[str, ...]:
    return (ind.name, *ind.aliases)


def match_indicator(text: str | None) -> tuple[str | None, str]:
    """The canonical indicator id of a printed name, and how it was found.

    `how` is "exact", "contains", "fuzzy" (flag it: may be wrong), "ambiguous" (fuzzy, two
    indicators tie: no id) or "unknown" (no id).
    """
    low = norm_indicator(text or "")
    if not low:
        return None, "unknown"
    padded = f" {low} "
    best: tuple[int, str] | None = None
    for ind in INDICATORS:
        for alias in _all_names(ind):
            a = norm_indicator(alias)
            if a == low:
                return ind.indicator_id, "exact"
            if alias.startswith("="):
                continue
            if f" {a} " in padded and (best is None or len(a) > best[0]):
                best = (len(a), ind.indicator_id)
    if best:
        return best[1], "contains"
    words = _content_words(low)
    scores = {}
    for ind in INDICATORS:
        scores[ind.indicator_id] = max(_fuzzy_share(words, _content_words(norm_indicator(a)))
                                       for a in _all_names(ind))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (top_id, top), (_, second) = ranked[0], ranked[1]
    if top < FUZZY_MIN_SHARE:
        return None, "unknown"
    if second == top:
        return None, "ambiguous"
    return top_id, "fuzzy"


def indicator(indicator_id: str) -> Indicator | None:
    """The registered indicator with this id."""
    return next((i for i in INDICATORS if i.indicator_id == indicator_id), None)
