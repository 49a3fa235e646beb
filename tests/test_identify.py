"""A report's identity from its front pages: the year it reports on, not the years it cites."""

from __future__ import annotations

from pathlib import Path

from lkj.extract.report import identify

SHA = "0" * 64


def _year(*pages: str) -> tuple[int | None, str]:
    found = identify(list(pages), Path("x.pdf"), SHA)
    return found["year"], found["flags"] or ""


def test_regulations_cited_by_number_and_year_are_not_the_report_year():
    foreword = ("Sesuai Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah, "
                "Peraturan Presiden Nomor 29 Tahun 2014 dan PermenPAN-RB No. 53 Tahun 2014, "
                "UU No.32 tahun 2004, Nomor: 239/IX/6/8/2003 Tahun 2003, "
                "laporan ini menggambarkan kinerja selama tahun 2016.")
    assert _year(foreword)[0] == 2016


def test_a_plan_s_span_of_years_is_not_the_report_year():
    text = ("Rencana Strategis Tahun 2013 - 2018, RPJPD tahun 2005 s.d. 2025, "
            "RPJMD Tahun 2013 sampai dengan Tahun 2018; kinerja Tahun Anggaran 2016.")
    assert _year(text)[0] == 2016


def test_only_cited_years_leave_the_year_unknown_and_say_so():
    year, flags = _year("Undang-Undang Nomor 23 Tahun 2014; Renstra Tahun 2011 - 2016")
    assert year is None and "no report year" in flags
