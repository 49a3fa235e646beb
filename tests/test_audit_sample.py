"""The audit on the 2023 sample: it reports what is really wrong and nothing that is right.

Each expected finding is written with the arithmetic that proves it, from the figures as
printed in samples/src/lkj-bp3mi-ntb-2023.txt. The rules know none of these figures: they
are the test's, not the code's.
"""

from __future__ import annotations

import pytest

from lkj.expectations.audit import audit


@pytest.fixture(scope="module")
def findings(extraction_2023):
    return audit([extraction_2023])


def failed(findings, check=None):
    return [f for f in findings if f["status"] == "failed" and (check is None or
                                                               f["check"] == check)]


def one(findings, check, tables, subject_part):
    hits = [f for f in failed(findings, check)
            if f["tables"] == tables and subject_part in f["subject"]]
    assert len(hits) == 1, (check, tables, subject_part, [f["subject"] for f in hits])
    return hits[0]


# The findings, each proven by hand. (tables, subject part, stated, computed)
EXPECTED = {
    "totals": [
        # Tabel 2.3 TOTAL says 2.022 Orang; its 33 rows: 20+20+20+20+50 (Feb) +30+20+25+70+30
        # +50+30 (Mar) +50 +30 +124+28 +35+35+50+50+30+100+100+40 +200+200+100 +100+100
        # +50+100+50 +50 = 2007.
        ("2.3", "participants", 2022, 2007),
    ],
    "capaian": [
        # Nilai Capaian Kinerja Anggaran: 88.73 / 82 x 100 = 108.21, stated 104.03 (Tabel 1
        # and 2.11); Tabel 2.8 has target 75: 88.73 / 75 x 100 = 118.31.
        ("1", "Nilai Capaian Kinerja Anggaran", 104.03, 108.2073),
        ("2.11", "Nilai Capaian Kinerja Anggaran", 104.03, 108.2073),
        ("2.8", "Nilai Capaian Kinerja Anggaran", 104.03, 118.3067),
        # Nilai IKPA: 95.71 / 92 x 100 = 104.03, stated 104.71 (Tabel 1, 2.9, 2.11).
        ("1", "Nilai IKPA", 104.71, 104.0326),
        ("2.9", "Nilai IKPA", 104.71, 104.0326),
        ("2.11", "IKPA", 104.71, 104.0326),
        # Tabel 2.2: target '0 Orang', capaian 168.26%: nothing divides by 0.
        ("2.2", "Penempatan", 168.26, None),
        # Penurunan kasus, Tabel 1: (959 - 883) / 883 x 100 = +8.61 (a rise); the capaian
        # column prints that change, 8.6. The fall achieved over the 6.25% target fall:
        # -8.607 / 6.25 x 100 = -137.71.
        ("1", "Penurunan kasus", 8.6, -137.7123),
        # Tabel 2.11 prints realisasi -8.6% and capaian -8.6: the realisasi repeated;
        # -8.6 / 6.25 x 100 = -137.6.
        ("2.11", "Penurunan Kasus", -8.6, -137.6),
        # Tabel 2.4: target 6.25% against realisasi 959 Orang: different units.
        ("2.4", "Kasus", 8.6, None),
    ],
    "consistency": [
        # Pekerja Migran Nonprosedural dicegah: Tabel 1 says 372 Orang / 744; Tabel 2.11 says
        # 5 Orang / 10.
        ("1,2.11", "Nonprosedural yang berhasil dicegah: realisasi", 5, 372),
        ("1,2.11", "Nonprosedural yang berhasil dicegah: capaian", 10, 744),
        # Pemberdayaan: Tabel 1 says 40 Orang / 40; Tabel 2.7 says 180 Orang / 180%.
        ("1,2.7", "Pemberdayaan Pekerja Migran Indonesia dan Keluarganya: realisasi", 180, 40),
        ("1,2.7", "Pemberdayaan Pekerja Migran Indonesia dan Keluarganya: capaian", 180, 40),
        # Nilai Capaian Kinerja Anggaran target: Tabel 1 says 82, Tabel 2.8 says 75.
        ("1,2.8", "Nilai Capaian Kinerja Anggaran: target", 75, 82),
        # Penurunan kasus capaian: Tabel 1 says 8.6, Tabel 2.11 says -8.6.
        ("1,2.11", "Penurunan kasus Pekerja Migran Indonesia: capaian", -8.6, 8.6),
        # Penurunan kasus realisasi: '2022 : 883 2023 : 959' vs '-8.6%' (different units).
        ("1,2.11", "Penurunan kasus Pekerja Migran Indonesia: realisasi", -8.6, 959),
    ],
    "quarters": [
        # Penempatan targets by quarter: 16.000 + 50 + 0 + 0 = 16.050, the year says 16.000.
        ("2.1,1", "Penempatan", 16000, 16050),
        # Nonprosedural realisasi by quarter: 0 + 1 + 4 + 0 = 5, the year says 372.
        ("2.1,1", "Nonprosedural", 372, 5),
    ],
    "narrative": [
        # The summary says pagu Rp. 7.469.884,- ; Tabel 1.1 JUMLAH says Rp. 7.469.884.000,-
        # (a factor of 1000), on page 7 and again on page 18.
        ("1.1", "pagu", 7469884, 7469884000),
        ("1.1", "pagu", 7469884, 7469884000),
        # "di 2 lokasi ... peserta sebanyak 40 orang" (pemberdayaan): Tabel 2.7.1 has 5 rows,
        # 20+20+50+30+60 = 180 participants (its 2 budgeter rows give 2 and 40).
        ("2.7.1", "pemberdayaan locations", 2, 5),
        ("2.7.1", "pemberdayaan participants", 40, 180),
        # "di 13 (tiga belas) lokasi" (sosialisasi): Tabel 2.3 has 33 rows, one continuing the
        # place above: 32 places.
        ("2.3", "sosialisasi locations", 13, 32),
        # Nilai Zona Integritas "Realisasi tahun 2023 sebesar 96.34%": the tables say 76.
        ("1", "Zona Integritas", 96.34, 76),
        # "target nilai 75" (Nilai Capaian Kinerja Anggaran): Tabel 1 says 82 (2.8 says 75).
        ("1,2.8", "Nilai Capaian Kinerja Anggaran: target", 75, 82),
    ],
    "plausibility": [
        # "Realisasi Tahun 2024 telah tercapai 372 orang" in the report of 2023.
        ("", "year", 2024, 2023),
        # Tabel 2.2 target '0 Orang' where Tabel 1 says 16.000 Orang.
        ("2.2,1", "target of 0", 0, 16000),
    ],
}


def test_exactly_the_expected_findings(findings):
    got = sorted((f["check"], f["tables"]) for f in failed(findings))
    want = sorted((check, tables) for check, items in EXPECTED.items()
                  for tables, *_ in items)
    assert got == want


@pytest.mark.parametrize("check", sorted(EXPECTED))
def test_each_finding_has_its_arithmetic(findings, check):
    for tables, subject, stated, computed in EXPECTED[check]:
        hits = [f for f in failed(findings, check)
                if f["tables"] == tables and subject.lower() in f["subject"].lower()]
        assert hits, (check, tables, subject)
        f = hits[0]
        assert f["stated"] == pytest.approx(stated), f
        if computed is None:
            assert f["computed"] is None, f
        else:
            assert f["computed"] == pytest.approx(computed, abs=1e-4), f
        assert f["pages"], f
        assert f["message"], f


def test_what_is_right_holds(findings):
    """The budget sums and percentages hold; other totals hold; they are listed as held."""
    assert not failed(findings, "budget")
    held = [f for f in findings if f["status"] == "held"]
    subjects = {(f["check"], f["subject"]) for f in held}
    assert ("totals", "Tabel 2.3 locations") in subjects  # 33 rows - 1 continuation = 32
    assert ("totals", "Tabel 2.7.1 participants") in subjects  # 20+20+50+30+60 = 180
    assert ("totals", "Tabel 1.1 pagu") in subjects  # 3.161.617.000 + 4.308.267.000
    budget = [f for f in held if f["check"] == "budget"]
    # 2 budget %, 2 rata-rata, 1 sum of Tabel 2.11 pagu against Tabel 1.1's JUMLAH
    assert len(budget) == 5
    assert any("rata-rata" in f["subject"] for f in budget)
    # the text's realisasi Rp. 6.627.797.859,- (88.73%) agrees with Tabel 2.11
    narrative = {f["subject"] for f in held if f["check"] == "narrative"}
    assert {"realisasi in the text", "budget realisasi % in the text"} <= narrative


def test_every_finding_names_where(findings):
    for f in failed(findings):
        assert f["severity"] in ("error", "warning")
        assert f["pages"] and all(p.isdigit() for p in f["pages"].split(","))
