"""Claims read from running text: which figures, of what, on which page, under which heading.

Sentences here are written for the test (in the style of LKj prose), not taken from a sample.
"""

from __future__ import annotations

from lkj.extract.narrative import Line, claims_of, extract_claims, sentences


def page(n, *lines):
    """A page of lines: a plain string is body text, (text, True) a bold heading."""
    return (n, [Line(x) if isinstance(x, str) else Line(*x) for x in lines])


def claims(text: str, heading: str | None = None) -> list[dict]:
    lines = [(heading, True)] if heading else []
    return extract_claims([page(1, *lines, text)], "r")


def by_measure(found):
    return {(c["measure"], c["stated_value"]) for c in found}


def test_budget_sentence_gives_pagu_realisasi_and_percent():
    found = claims("Pada tahun 2021 didukung alokasi anggaran sebesar Rp. 1.250.000.000,- dan "
                   "realisasi anggaran sebesar Rp 1.000.000.000 (80,00%).")
    assert by_measure(found) >= {("pagu", 1250000000), ("budget_realisasi", 1000000000),
                                 ("budget_realisasi_pct", 80.0)}


def test_places_and_participants_with_kind_and_funding():
    found = claims("Kegiatan sosialisasi budgeter telah terlaksana di tiga lokasi dengan "
                   "jumlah peserta sebanyak 120 orang.")
    loc = next(c for c in found if c["measure"] == "locations")
    assert (loc["stated_value"], loc["subject"], loc["qualifier"]) == (3, "sosialisasi",
                                                                      "budgeter")
    people = next(c for c in found if c["measure"] == "participants")
    assert people["stated_value"] == 120


def test_qualifier_is_read_from_its_own_clause():
    found = claims("Pelatihan budgeter dilaksanakan pada bulan Mei, dan selain itu kegiatan "
                   "pemberdayaan dilaksanakan di 4 lokasi.")
    loc = next(c for c in found if c["measure"] == "locations")
    assert loc["qualifier"] is None and loc["subject"] == "pemberdayaan"


def test_indicator_realisasi_and_capaian_keep_their_heading():
    found = claims("Realisasi tahun 2022 sebanyak 1.234 orang atau mencapai 98,72% dari target.",
                   heading="Fasilitasi Pemulangan PMI")
    assert by_measure(found) >= {("realisasi", 1234), ("capaian", 98.72)}
    assert all(c["heading"] == "Fasilitasi Pemulangan PMI" for c in found)


def test_a_target_realisasi_is_a_target_and_capaian_is_not_a_realisasi():
    found = claims("Nilai mencapai target realisasi sebesar 90%. Bila dibandingkan dengan "
                   "target nilai 90, realisasi 2022 telah mencapai 101,5% target.")
    measures = by_measure(found)
    assert ("target", 90) in measures
    assert ("capaian", 101.5) in measures
    assert not any(m == "realisasi" for m, _ in measures)


def test_year_of_realisasi():
    found = claims("Realisasi Tahun 2019 telah tercapai 10 orang.")
    assert ("year", 2019) in by_measure(found)


def test_sentences_do_not_break_on_abbreviations_and_headings_split_paragraphs():
    pages = [page(3, "Kantor di Kab. Lombok Barat menerima Rp. 5.000.000,- untuk kegiatan",
                  "tersebut. Kalimat kedua.", ("Judul Bagian", True), "Kalimat ketiga tanpa",
                  "titik"), page(4, "lanjutan di halaman berikut.")]
    got = [(s.page, s.text, s.heading) for s in sentences(pages)]
    assert got[0] == (3, "Kantor di Kab. Lombok Barat menerima Rp. 5.000.000,- untuk kegiatan "
                      "tersebut.", None)
    assert got[1] == (3, "Kalimat kedua.", None)
    assert got[2] == (3, "Kalimat ketiga tanpa titik lanjutan di halaman berikut.",
                      "Judul Bagian")


def test_no_claim_from_words_alone():
    assert claims_of(sentences([page(1, "Tidak ada angka di kalimat ini.")])[0]) == []


def test_the_text_saying_less_is_better_is_a_claim_with_no_figure():
    from lkj.extract.narrative import Sentence, claims_of

    method = claims_of(Sentence(18, "Semakin tinggi realisasi menunjukan semakin rendah "
                                    "pencapaian kinerja, maka digunakan rumus :", "3.1 Metode"))
    named = claims_of(Sentence(9, "Angka kehilangan hasil merupakan indikator negatif.", None))
    assert [(c["measure"], c["stated_value"], c["qualifier"], c["page"]) for c in method] == [
        ("polarity", None, "general", 18)]
    assert method[0]["stated_raw"] == ("Semakin tinggi realisasi menunjukan semakin rendah")
    assert [(c["measure"], c["qualifier"]) for c in named] == [("polarity", "named")]


def test_a_counted_unit_after_a_figure_decides_its_dot():
    """'92.078 ton' is ninety-two thousand tons, as a table with Satuan 'Ton' reads it; a
    unit of any domain decides, as in a table."""
    from lkj.extract.narrative import Sentence, claims_of

    (claim,) = claims_of(Sentence(31, "Jumlah produksi kedelai, dengan realisasi produksi pada"
                                      " periode ini sebesar 92.078 ton.", None))
    assert (claim["measure"], claim["stated_value"], claim["stated_unit"]) == (
        "realisasi", 92078, "ton")
