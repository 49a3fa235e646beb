"""Table families of an LKj: the words that name their columns, captions and totals.

One place per fact: extraction code asks this module what a header means; it never spells a
header word itself. Words are matched on lower-cased, whitespace-normalised header labels;
a two-row header gives labels like "triwulan ii realisasi" or "anggaran (rp) pagu".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lkj.schemas import domains

#: A caption line: "Tabel 2.3", "Tabel 2.3 Kegiatan Sosialisasi", "TABEL 1." (daftar tabel too).
CAPTION_RE = re.compile(r"^\s*tabel\s+(?P<id>\d+(?:\.\d+)*)\.?(?:\s+(?P<title>.*\S))?\s*$",
                        re.IGNORECASE)

#: Flag of a table that may go on over a page break where the next part could not be
#: joined to it (the completeness check calls it an error: rows may be lost there).
NOT_JOINED = "not joined:"

#: Flag of an output row read from a cell whose characters are drawn over each other (two
#: strings at one place): its text is in doubt, and a check resting on it only warns.
GLYPHS_OVERLAP = "glyphs_overlap"

#: Row flag: the report's text names this indicator as one where less is better ("...
#: merupakan indikator negatif"), on the page after it: "polarity:stated_in_text page 9".
POLARITY_IN_TEXT = "polarity:stated_in_text"
_POLARITY_IN_TEXT_RE = re.compile(re.escape(POLARITY_IN_TEXT) + r" page (\d+)")


def polarity_stated_on(flags: object) -> int | None:
    """The page whose text states the row's indicator lower-is-better, from its flags."""
    m = _POLARITY_IN_TEXT_RE.search(flags) if isinstance(flags, str) else None
    return int(m.group(1)) if m else None


#: Row flag: the row's capaian is printed in a cell merged over several indicators' rows
#: (the sasaran's capaian, read on the first of them).
MERGED_CAPAIAN = "capaian:merged_over_rows"

#: Row flag: the row's capaian column is empty and its only capaian is printed in the
#: average column ("Rata-Rata Capaian": a group's or a sasaran's mean of the rows below);
#: `capaian_raw` holds that figure as printed.
AVERAGE_CAPAIAN = "capaian:rata_rata"

#: Row flag: a row of the sasaran itself, with no indicator (a sasaran's capaian or average).
NO_INDICATOR = "sasaran_level"

#: A cell that names its row a stated average ("Rata-Rata", "Rata- / Rata:", "Rerata"),
#: wherever the maker printed it: over the name columns, or in a figure column of its own.
AVERAGE_RE = re.compile(r"^\s*(?:rata\s*-?\s*rata|rerata)\s*:?\s*$", re.IGNORECASE)

#: Row flag: an IKU row that states the average of the table's capaian (a Rata-Rata line),
#: not an indicator's.
STATED_AVERAGE = "stated_average"

#: Measure of a stated total that is the mean of the budget lines' % (a Rata-Rata line of
#: a budget table), not a sum.
MEAN_PCT = "realisasi_pct_mean"

#: Rows that state a total: a claim to check, not data.
TOTAL_RE = re.compile(r"^\s*(total|jumlah|grand total)\b", re.IGNORECASE)

#: Words that may follow TOTAL / JUMLAH in a total row's label ("Jumlah Pagu Anggaran");
#: a label with other words ("Jumlah Penempatan PMI ...") names an indicator, not a total.
TOTAL_TAIL_WORDS = frozenset({"pagu", "anggaran", "realisasi", "peserta", "lokasi", "kegiatan",
                              "keseluruhan", "seluruhnya", "semua", "total", "jumlah", "rp",
                              "rp.", "(rp)", "dana", "biaya", "umum", "akhir", ":",
                              "belanja", "langsung", "tidak", "tdk", "dan"})
#: Columns whose cells name things: a TOTAL word there is a total only when the label is
#: nothing but total words or the cell spans several columns.
NAME_ROLES = frozenset({"indicator", "sasaran", "budget_name", "place", "activity"})

#: Quarter names in headers: Triwulan I-IV, TW I, Tw 1, Q1.
QUARTER_RE = re.compile(r"\b(?:triwulan|trw|tw|q)\s*-?\s*(iv|iii|ii|i|[1-4])\b", re.IGNORECASE)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Role:
    """A column meaning, recognised by any of its header words (substring match)."""

    name: str
    words: tuple[str, ...]
    exact: bool = False

    def matches(self, label: str) -> bool:
        return self.found(label) is not None

    def found(self, label: str) -> tuple[int, int] | None:
        """Where the label names this role: (position, -length) of its earliest, longest
        word, or None."""
        if self.exact:
            return (0, -len(label)) if label.strip(" .") in self.words else None
        hits = [(m.start(), -len(w)) for w, pattern in zip(self.words, self._patterns,
                                                            strict=True)
                if (m := pattern.search(label))]
        return min(hits) if hits else None

    @functools.cached_property
    def _patterns(self) -> tuple[re.Pattern[str], ...]:
        """Each word as a whole word (not inside another), compiled once."""
        return tuple(re.compile(rf"(?<!\w){re.escape(w)}(?!\w)") for w in self.words)


# Column roles, most specific first: the role of the label's first word wins (role_of).
ROLES: tuple[Role, ...] = (
    Role("no", ("no", "no.", "nomor"), exact=True),
    Role("avg_capaian", ("rata-rata", "rata rata", "rerata")),
    Role("sasaran", ("sasaran strategis", "sasaran program", "sasaran")),
    Role("indicator", ("indikator kinerja", "iku", "indikator", "uraian indikator")),
    Role("unit", ("satuan",), exact=True),
    Role("month", ("bulan",)),
    Role("place", ("tempat", "lokasi kegiatan", "lokasi")),
    Role("date", ("waktu", "tanggal")),
    Role("participants", ("jumlah peserta", "peserta")),
    Role("activity", ("jenis pelatihan", "jenis kegiatan", "keterangan", "materi")),
    Role("pagu", ("pagu", "alokasi", "target anggaran")),
    Role("target", ("target",)),
    # SPJ (surat pertanggungjawaban): spending accounted for, the budget's realisasi
    Role("realisasi", ("realisasi", "spj")),
    Role("capaian", ("capaian", "pencapaian", "%")),
    Role("budget_name", ("kegiatan", "program", "uraian")),
    Role("amount", ("anggaran", "jumlah (rp)", "(rp)")),
)

#: Budget levels a name column holds, from its header words, deepest first.
BUDGET_LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sub_kegiatan", ("sub kegiatan", "subkegiatan")),
    ("kegiatan", ("kegiatan",)),
    ("program", ("program",)),
)

#: Parent headers (first header row) that split a table into a budget half and a kinerja half.
BUDGET_PARENT_WORDS = ("anggaran", "keuangan")
KINERJA_PARENT_WORDS = ("kinerja", "fisik")


@dataclass(frozen=True)
class Family:
    """A table family: which roles must be present for a table to belong to it."""

    name: str
    required: tuple[frozenset[str], ...]  # each group: at least one of these roles
    description: str


FAMILIES: tuple[Family, ...] = (
    Family("quarterly", (frozenset({"indicator"}), frozenset({"quarter"})),
           "one indicator in one quarter (Triwulan I-IV): target, realisasi"),
    Family("events", (frozenset({"place"}), frozenset({"date"}), frozenset({"participants"})),
           "one activity: month, place, date or range, participants, notes"),
    Family("budget_kinerja", (frozenset({"pagu"}), frozenset({"target"})),
           "budget and performance side by side (pagu, realisasi, %, target, capaian)"),
    Family("comparison", (frozenset({"indicator", "sasaran", "budget_name", "activity"}),
                          frozenset({"years"})),
           "one indicator over several years: one row per indicator and figure column"),
    Family("iku", (frozenset({"indicator"}), frozenset({"target", "realisasi"})),
           "one indicator: sasaran, indikator, target, realisasi, capaian (%)"),
    Family("budget", (frozenset({"pagu", "amount"}),),
           "one budget line: pagu, realisasi, %"),
    # measured by sasaran alone (no indicator column), where no budget column says budget
    Family("iku", (frozenset({"sasaran"}), frozenset({"target", "realisasi"})),
           "one sasaran measured: sasaran, target, realisasi, capaian (%)"),
    # lines that are neither indicators nor budget lines (revenue by unit), with figures of
    # two or more years: their figures are kept per line and column, as a comparison's
    Family("comparison", (frozenset({"budget_name", "activity"}), frozenset({"periods"})),
           "lines with figures of several years (Target 2016 | Realisasi 2016 | % 2015)"),
)

#: The family of a table whose header names no family above: kept as its cells alone.
OTHER = "other"

#: Which kind of event a table lists, from the words of its caption title.
EVENT_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sosialisasi", ("sosialisasi", "penyebarluasan informasi")),
    ("pemberdayaan", ("pemberdayaan",)),
    ("pelatihan", ("pelatihan", "bimbingan teknis", "bimtek")),
    ("pemulangan", ("pemulangan",)),
    ("pencegahan", ("pencegahan",)),
)

#: Funding notes on events (budgeter = funded by the national budget as a priority).
FUNDING_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("non_budgeter", ("non budgeter", "nonbudgeter", "non-budgeter")),
    ("budgeter", ("budgeter",)),
)

#: Stated-total measures from the unit printed beside the figure, then from the column role.
UNIT_MEASURES = {"lokasi": "locations", "orang": "participants", "peserta": "participants",
                 "kegiatan": "activities", "kasus": "cases"}
ROLE_MEASURES = {"participants": "participants", "place": "locations", "pagu": "pagu",
                 "amount": "pagu", "realisasi": "realisasi", "capaian": "realisasi_pct",
                 "target": "target"}
#: Words inside a total cell that name its measure ("JUMLAH PAGU ANGGARAN Rp ...").
LABEL_MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pagu", ("pagu", "anggaran")),
    ("realisasi", ("realisasi",)),
    ("participants", ("peserta",)),
    ("locations", ("lokasi",)),
)

#: Words that name what is counted, lower case (dot = thousands separator). A single word
#: after a number is taken as its unit even when it is not listed here; listed words are
#: taken even when more text follows. Each ministry's own words are in `domains`.
COUNT_UNITS: frozenset[str] = frozenset(
    {
        "orang", "peserta", "lokasi", "kasus", "kegiatan", "bulan", "hari", "minggu", "tahun",
        "jam", "kali", "desa", "kelurahan", "kecamatan", "kabupaten", "kota", "provinsi",
        "dokumen", "laporan", "unit", "paket", "jiwa", "kk", "lembaga",
        "instansi", "perusahaan", "sekolah", "layanan", "berkas", "buah", "rekomendasi",
        "pengaduan", "satker", "pegawai", "sertifikat", "kelompok", "usaha", "angkatan",
        "kelas", "modul", "aplikasi", "sistem", "regulasi", "kajian", "jenazah", "negara",
    }
) | domains.COUNT_UNITS
#: Units of a score (dot = decimal point).
SCORE_UNITS: frozenset[str] = frozenset({"poin", "point", "skor"})
MONEY_UNITS = frozenset({"rp"})
PERCENT_UNITS = frozenset({"%"})

#: Indicator names that are scores (dot = decimal point): "Nilai IKPA", "Indeks ...".
SCORE_WORDS = ("nilai", "indeks", "skor", "index")
#: Indicator names whose target is a fall: lower is better.
LOWER_IS_BETTER_WORDS = ("penurunan", "menurunnya", "berkurangnya", "turunnya")


#: A year in a header label ("Realisasi 2015"); words naming the plan's end ("Target Akhir
#: Renstra") are a period of their own.
YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
PLAN_END_WORDS = ("renstra", "rpjmd", "jangka menengah", "akhir periode")
PLAN_END = "renstra"
#: Words of a column that states a change from one year to the next ("% Peningkatan").
CHANGE_WORDS = ("peningkatan", "kenaikan", "penurunan", "perubahan", "selisih", "pertumbuhan")
#: Roles of the columns that hold figures (a comparison's periods are read from these):
#: an amount of money by year ("Dalam Juta (Rp)" over 2013 | 2014) is one too.
FIGURE_ROLES = frozenset({"target", "realisasi", "capaian", "amount", None})
#: What names a comparison's row, in order: its indicator, else its sasaran, else the
#: budget line or activity it compares over the years.
COMPARISON_NAMES = ("indicator", "sasaran", "budget_name", "activity")
#: The role given to the column that names a comparison's lines when its header is a word
#: lkj does not know ("Lapangan Usaha", "Komoditas"): the lines are then what it compares.
LINE_NAME = "budget_name"


#: Words of a header label naming a year before the report's ("Capaian Thn Lalu").
PAST_WORDS = ("lalu", "sebelumnya")


def is_past(label: str) -> bool:
    low = label.lower()
    return any(re.search(rf"(?<!\w){w}(?!\w)", low) for w in PAST_WORDS)


def period_of(label: str) -> str | None:
    """The year a header label names ("2015"), PLAN_END for the plan's end, else None."""
    low = label.lower()
    if any(w in low for w in PLAN_END_WORDS):
        return PLAN_END
    years = set(YEAR_RE.findall(low))
    return years.pop() if len(years) == 1 else None


def year_of(label: str) -> int | None:
    """The one year a header label names, whatever its period: "Target Renstra SKPD Tahun
    2013" is the plan's target (period PLAN_END) of 2013."""
    years = set(YEAR_RE.findall(label))
    return int(years.pop()) if len(years) == 1 else None


def year_periods(columns: list[tuple[str, str | None]]) -> set[str]:
    """The years that figure columns ((label, role) pairs) name, each once."""
    return {p for label, role in columns
            if role in FIGURE_ROLES and (p := period_of(label)) is not None and p.isdigit()}


def over_years(columns: list[tuple[str, str | None]]) -> bool:
    """Whether figure columns ((label, role) pairs) compare two or more periods, with no
    year holding both a target and a realisasi: then it is a comparison over years, not a
    measurement of one year that also prints others (Target 2016 | Realisasi 2016 |
    Realisasi 2015 is a measurement)."""
    periods: dict[str, set[str | None]] = {}
    for label, role in columns:
        period = period_of(label)
        if period is not None:
            periods.setdefault(period, set()).add(role)
    if sum(1 for roles in periods.values() if roles & FIGURE_ROLES) < 2:
        return False
    return not any(_measured(roles) for p, roles in periods.items() if p != PLAN_END)


def _measured(roles: set[str | None]) -> bool:
    """Whether one year's columns measure it: a realisasi beside its target, or beside its
    budget (pagu, anggaran)."""
    return "realisasi" in roles and bool(roles & {"target", "pagu", "amount"})


def quarter_of(label: str) -> int | None:
    """1-4 for a header label naming a quarter (Triwulan II, TW 2), else None."""
    m = QUARTER_RE.search(label)
    return ROMAN[m.group(1).lower()] if m else None


#: Words that put a figure in another scope than the office's own: the nation's production
#: or standard, a share of the national figure. Such a column is a reference beside the
#: office's figures, not its target, realisasi or capaian.
REFERENCE_SCOPE = Role("reference", ("nasional",))


def role_of(label: str) -> str | None:
    """The column role a header label names, or None if no word of ours matches.

    The word that comes first names it, the longest at one place: an Indonesian label
    puts its head noun first ("Indikator Sasaran" is an indicator, "Capaian Sasaran" a
    capaian, "Target Anggaran" a budget ceiling); at one word, the role listed first.
    A figure named for another scope ("Capaian Kinerja dan Standar Nasional",
    "Kontribusi Terhadap Nasional (%)") is a `reference` column (REFERENCE_SCOPE)."""
    label = " ".join(label.lower().split())
    hits = [(where, i, role.name) for i, role in enumerate(ROLES)
            if (where := role.found(label)) is not None]
    role = min(hits)[2] if hits else None
    if role is not None and role in FIGURE_ROLES and REFERENCE_SCOPE.matches(label):
        return REFERENCE_SCOPE.name
    return role


#: How many letters a header word may differ from a known word and still be read as it,
#: by the word's length (OCR misreads a letter: "Realisasl", "Capalan"); shorter words
#: must match exactly.
LOOSE_EDITS = ((9, 2), (5, 1))


def _edits(a: str, b: str) -> int:
    """Levenshtein distance between two words."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@functools.lru_cache(maxsize=4096)
def loose_role_of(label: str) -> tuple[str, str] | None:
    """A column role read from a header word that is one of ours but for a letter or two:
    (role, "printed~known"), or None. Only single known words of five letters or more.
    Remembered by label: a report asks of the same cell texts again and again."""
    words = re.findall(r"[^\W\d_]+", label.lower())
    for role in ROLES:
        for known in role.words:
            if " " in known or not known.isalpha() or len(known) < LOOSE_EDITS[-1][0]:
                continue
            allowed = next(n for size, n in LOOSE_EDITS if len(known) >= size)
            for word in words:
                if word != known and abs(len(word) - len(known)) <= allowed \
                        and _edits(word, known) <= allowed:
                    return role.name, f"{word}~{known}"
    return None


def family_of(roles: set[str]) -> str | None:
    """The first family whose required role groups are all present."""
    for family in FAMILIES:
        if all(group & roles for group in family.required):
            return family.name
    return None


def event_kind(title: str) -> str | None:
    low = title.lower()
    for kind, words in EVENT_KINDS:
        if any(w in low for w in words):
            return kind
    return None


def funding_of(*texts: str | None) -> str | None:
    low = " ".join(t.lower() for t in texts if t)
    for funding, words in FUNDING_WORDS:
        if any(w in low for w in words):
            return funding
    return None


#: Words that do not tell one indicator's name from another's.
_GENERIC = frozenset({"dan", "yang", "di", "ke", "dari", "untuk", "pada", "dengan", "para",
                      "jumlah", "persentase", "tahun", "the", "of"}) | domains.GENERIC_WORDS


def content_tokens(name: str | None) -> frozenset[str]:
    """The words that tell an indicator's name from another's (none for a sasaran's own row,
    which has no indicator)."""
    if not isinstance(name, str):
        return frozenset()
    words = re.findall(r"[a-z0-9]+", name.lower())
    return frozenset(w for w in words if w not in _GENERIC and len(w) > 1)


def is_lower_better(indicator: str) -> bool:
    low = indicator.lower()
    return any(w in low for w in LOWER_IS_BETTER_WORDS)


def is_score(indicator: str) -> bool:
    low = indicator.lower()
    return any(low.startswith(w) or f" {w} " in f" {low} " for w in SCORE_WORDS)
