"""Unit tests of the audit rules' building blocks (pure functions, no PDF)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lkj.expectations.rules import indicator_groups, reproduces, same_indicator


@pytest.mark.parametrize("a, b", [
    ("Nilai IKPA", "Nilai Indikator Pelaksanaan Anggaran (IKPA)"),
    ("Kasus Pekerja Migran Indonesia", "Penurunan Kasus Pekerja Migran Indonesia"),
    ("Pekerja Migran Indonesia yang Berhasil Dicegah",
     "Pekerja Migran Indonesia Nonprosedural yang berhasil dicegah"),
    ("Pemberdayaan Pekerja Migran Indonesia dan Keluarganya",
     "Pemberdayaan Pekerja Migran Indonesia Purna dan keluarganya"),
])
def test_same_indicator_across_wordings(a, b):
    assert same_indicator(a, b)


@pytest.mark.parametrize("a, b", [
    ("Nilai IKPA", "Nilai Capaian Kinerja Anggaran"),
    ("Nilai Zona Integritas", "Nilai IKPA"),
    ("Fasilitasi Pemulangan Pekerja Migran Indonesia",
     "Penempatan Pekerja Migran Indonesia terampil dan profesional"),
    ("Pekerja Migran Indonesia", "Pekerja Migran Indonesia"),  # nothing specific to match on
])
def test_different_indicators_stay_apart(a, b):
    assert not same_indicator(a, b)


def test_groups_follow_first_wording():
    groups = indicator_groups(["Nilai IKPA", "Nilai Capaian Kinerja Anggaran",
                               "Nilai Indikator Pelaksanaan Anggaran (IKPA)"])
    assert groups == {"Nilai IKPA": 0, "Nilai Capaian Kinerja Anggaran": 1,
                      "Nilai Indikator Pelaksanaan Anggaran (IKPA)": 0}


@pytest.mark.parametrize("stated, computed, raw, ok", [
    (168.26, 26922 / 16000 * 100, "168.26", True),   # 168.2625 rounds to 168.26
    (158, 490 / 310 * 100, "158%", True),            # 158.06 at 0 decimals
    (74.3, 2347766032 / 3161617000 * 100, "74.3%", True),
    (104.03, 88.73 / 82 * 100, "104.03", False),     # 108.21
    (99.34, 99.3446, "99.34 %", True),
    (99.35, 99.3446, "99.35", False),
    (8.6, 8.6074, "8.6", True),
])
def test_reproduces_at_printed_decimals(stated, computed, raw, ok):
    assert reproduces(stated, computed, raw) is ok


@given(st.integers(min_value=-10**7, max_value=10**7), st.integers(min_value=0, max_value=3))
def test_reproduces_its_own_rounding(n, nd):
    value = n / 997
    printed = f"{value:.{nd}f}"
    assert reproduces(float(printed), value, printed)
