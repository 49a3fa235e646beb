"""The indicator registry: every wording finds its canonical id; an unknown one finds none and
says so; a guess (fuzzy) is never passed off as a match."""

from __future__ import annotations

import pytest

from lkj.schemas import registry
from lkj.schemas.registry import INDICATORS, match_indicator, norm_indicator

ALIASES = [(ind.indicator_id, name) for ind in INDICATORS for name in (ind.name, *ind.aliases)]


@pytest.mark.parametrize("indicator_id, wording", ALIASES)
def test_every_alias_finds_its_id(indicator_id, wording):
    assert match_indicator(wording) == (indicator_id, "exact")
    assert match_indicator(wording.upper() + " .") == (indicator_id, "exact")


def test_no_wording_belongs_to_two_indicators():
    seen: dict[str, str] = {}
    for indicator_id, wording in ALIASES:
        key = norm_indicator(wording)
        assert seen.setdefault(key, indicator_id) == indicator_id, wording


def test_ids_are_unique_and_polarities_known():
    ids = [i.indicator_id for i in INDICATORS]
    assert len(ids) == len(set(ids))
    assert {i.polarity for i in INDICATORS} <= set(registry.POLARITIES)
    assert registry.indicator("nilai-ikpa").polarity == "higher_is_better"
    assert registry.indicator("no-such-id") is None


@pytest.mark.parametrize("wording, indicator_id", [
    ("Jumlah Penempatan PMI Terampil dan Profesional", "penempatan-pmi"),
    ("Persentase Penurunan Kasus PMI Tahun 2022", "penurunan-kasus-pmi"),
    ("Jumlah CPMI Non-Prosedural yang Berhasil Dicegah", "pmi-nonprosedural-dicegah"),
    ("Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA) Satker", "nilai-ikpa"),
    ("Nilai Kinerja Anggaran (NKA)", "nilai-kinerja-anggaran"),
])
def test_a_wording_around_an_alias_contains_it(wording, indicator_id):
    assert match_indicator(wording) == (indicator_id, "contains")


def test_the_longest_alias_wins():
    # holds "Penempatan PMI" (penempatan-pmi) and, longer, the nonprosedural wording
    wording = "Jumlah Pencegahan Penempatan PMI Nonprosedural"
    assert match_indicator(wording) == ("pmi-nonprosedural-dicegah", "contains")


def test_an_exact_only_alias_does_not_match_inside_other_names():
    assert match_indicator("Kasus Pekerja Migran Indonesia")[0] == "penurunan-kasus-pmi"
    assert match_indicator("Jumlah kasus PMI yang ditangani") == (None, "unknown")


@pytest.mark.parametrize("wording, indicator_id", [
    ("PMI yang ditempatkan", "penempatan-pmi"),
    ("Pencegahan CPMI Nonprosedural di Bandara", "pmi-nonprosedural-dicegah"),
])
def test_a_near_wording_is_a_flagged_fuzzy_match(wording, indicator_id):
    found = match_indicator(wording)
    if found[1] == "contains":  # an alias was added for it: fine, but then not fuzzy
        assert found[0] == indicator_id
    else:
        assert found == (indicator_id, "fuzzy")


@pytest.mark.parametrize("wording", [
    "Indeks Kepuasan Masyarakat", "Jumlah Pengaduan Masyarakat", "Predikat Wilayah Bebas Korupsi",
    "", "   ", None,
])
def test_an_unknown_wording_has_no_id(wording):
    assert match_indicator(wording) == (None, "unknown")


def test_the_2023_sample_indicators_are_all_known(extraction_2023):
    for table in ("iku", "quarterly"):
        for rec in getattr(extraction_2023.rows, table):
            indicator_id, how = match_indicator(rec["indicator"])
            assert indicator_id is not None, (table, rec["indicator"], how)
            assert how != "fuzzy", (table, rec["indicator"])
    # Tabel 1 (the summary) names each indicator once: no two rows may share an id
    summary = [r for r in extraction_2023.rows.iku if r["table_id"] == "1"]
    assert len({match_indicator(r["indicator"])[0] for r in summary}) == len(summary)


# --- an office the registry does not list: named from its report --------------------------

def test_an_unlisted_office_is_named_from_its_printed_name():
    text = ("LAPORAN KINERJA INSTANSI PEMERINTAH TAHUN 2016\n"
            "Badan Pengelolaan Lingkungan Hidup Daerah (BPLHD) Provinsi Jawa Barat dibentuk\n"
            "berdasarkan Peraturan Daerah tentang Organisasi Inspektorat, Lembaga Teknis dan\n"
            "Satuan Polisi Pamong Praja Provinsi Jawa Barat. Badan Pengelolaan Lingkungan Hidup\n"
            "Daerah (BPLHD) Provinsi Jawa Barat sebagai unsur pendukung.")
    agency, printed = registry.printed_agency(text)
    assert printed == "Badan Pengelolaan Lingkungan Hidup Daerah (BPLHD) Provinsi Jawa Barat"
    assert agency.agency_id == "badan-pengelolaan-lingkungan-hidup-daerah-bplhd-provinsi-jawa-barat"
    assert agency.province == "Jawa Barat"


def test_an_office_of_a_kabupaten_has_no_province_and_prose_names_none():
    agency, _ = registry.printed_agency("Renja Dinas Kebersihan dan Pertamanan Kabupaten "
                                        "Cianjur Tahun Anggaran 2016")
    assert agency.agency_id == "dinas-kebersihan-dan-pertamanan-kabupaten-cianjur"
    assert agency.province is None
    assert registry.printed_agency("pembangunan di provinsi jawa barat dari tahun ke tahun") \
        is None


def test_a_unit_of_a_ministry_is_named_with_no_region():
    """A central government's unit needs no region to be one office: it is named from its
    name printed at least twice ("(BBPP)" printed or not), and its ministry only where no
    unit is named."""
    cover = ("LAPORAN KINERJA\nBALAI BESAR PELATIHAN PERTANIAN CONTOH\nTAHUN 2022\n"
             "BADAN PENYULUHAN DAN PENGEMBANGAN SDM PERTANIAN\nKEMENTERIAN PERTANIAN\n"
             "Balai Besar Pelatihan Pertanian (BBPP) Contoh merupakan unit pelaksana teknis "
             "di lingkungan Kementerian Pertanian.")
    agency, printed = registry.printed_agency(cover)
    assert agency.agency_id == "balai-besar-pelatihan-pertanian-contoh"
    assert printed == "BALAI BESAR PELATIHAN PERTANIAN CONTOH" and agency.province is None
    agency, _ = registry.printed_agency("Laporan Kinerja Kementerian Pertanian Tahun 2022. "
                                        "Kementerian Pertanian menetapkan sasaran.")
    assert agency.agency_id == "kementerian-pertanian"


@pytest.mark.parametrize("text", [
    "Balai Penelitian Tanaman Contoh bekerja sama dengan petani.",          # printed once
    "data Badan Pusat Statistik menunjukkan; menurut Badan Pusat Statistik",  # not "Pusat ..."
    "PEMERINTAH PROVINSI SUMATERA UTARA\nSEKRETARIAT DAERAH\nSekretariat Daerah menyusun",
    "DINAS KEBERSIHAN DAN PERTAMANAN\nDinas Kebersihan dan Pertamanan menyusun Renstra",
])
def test_a_regional_office_without_its_region_or_a_name_cited_once_names_none(text):
    assert registry.printed_agency(text) is None
