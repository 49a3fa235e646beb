"""lkj.extract.contents: the report's own list of its tables (DAFTAR TABEL)."""

from __future__ import annotations

import pytest

from lkj.extract.contents import Listed, listed_tables

CONTENTS = """LKj Contoh Tahun 2023
DAFTAR ISI
KATA PENGANTAR i
DAFTAR TABEL iii
BAB II AKUNTABILITAS KINERJA 6
ii"""


def test_a_list_with_wrapped_titles_dot_leaders_and_a_folio():
    page = """LKj Contoh Tahun 2023
DAFTAR TABEL
TABEL 1. Ringkasan Capaian Kinerja Berdasarkan Perjanjian Kinerja Tahun
2023 1
TABEL 2.4 Penurunan Kasus Pekerja Migran Indonesia Tahun 2023..... 8
TABEL 2.7.1 Pelaksanaan Pemberdayaan PMI Purna
dan Keluarganya Tahun 2023..... 11
iii"""
    assert listed_tables(["Sampul", CONTENTS, page, "RINGKASAN EKSEKUTIF"]) == [
        Listed("1", "Ringkasan Capaian Kinerja Berdasarkan Perjanjian Kinerja Tahun 2023",
               "1", 3),
        Listed("2.4", "Penurunan Kasus Pekerja Migran Indonesia Tahun 2023", "8", 3),
        Listed("2.7.1", "Pelaksanaan Pemberdayaan PMI Purna dan Keluarganya Tahun 2023",
               "11", 3),
    ]


def test_the_contents_line_naming_the_list_is_not_the_list():
    """'DAFTAR TABEL iii' in DAFTAR ISI is an entry of the contents, not the list."""
    assert listed_tables(["Sampul", CONTENTS]) == []


def test_a_list_that_runs_on_to_the_next_page():
    first = "DAFTAR TABEL\nHalaman\nTabel 1.1 Perjanjian Kinerja 5\nTabel 2.1 Pengukuran 6"
    second = "LKj Contoh Tahun 2023\nTabel 2.2 Penempatan 7\nTabel 2.3 Sosialisasi 8\niv"
    assert [(x.table_id, x.printed_page, x.page) for x in listed_tables([first, second])] == [
        ("1.1", "5", 1), ("2.1", "6", 1), ("2.2", "7", 2), ("2.3", "8", 2)]


def test_body_captions_on_the_next_page_are_not_taken_for_entries():
    """A list that ends with its page, followed by prose and a table caption further down."""
    first = "DAFTAR TABEL\nTabel 1.1 Perjanjian Kinerja 5"
    second = ("RINGKASAN EKSEKUTIF\nLaporan Kinerja ini disusun\nsebagai bentuk\n"
              "pertanggungjawaban kinerja.\nTabel 1. Ringkasan Capaian 2023")
    assert [x.table_id for x in listed_tables([first, second])] == ["1.1"]


@pytest.mark.parametrize("title", ["Nilai IKPA Tahun 2023", "Kinerja di", "Capaian per Mi"])
def test_a_year_or_a_short_word_at_the_end_is_not_a_page_number(title):
    page = f"DAFTAR TABEL\nTabel 2.9 {title}\n12\nTabel 2.10 Nilai Zona Integritas 12"
    first, second = listed_tables([page])
    assert (first.title, first.printed_page) == (title, "12")
    assert (second.table_id, second.printed_page) == ("2.10", "12")


def test_no_list_no_entries():
    assert listed_tables(["Sampul", "KATA PENGANTAR\nTabel 1. di halaman 3", ""]) == []
