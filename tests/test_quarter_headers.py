"""A quarterly table whose quarter headers name a quarter twice (a misprint, or OCR reading
'TW II' as 'TWI') is flagged, and so is every row. Four quarter columns can only be TW I-IV
in order: the quarters are then taken from the columns' order (`quarter:by_position`); fewer
columns do not say which quarters they are, and the quarters stay as read
(`quarter:header_uncertain`), the column that repeats a quarter named on the table."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SAMPLES

from lkj.extract.grid import Cell, Grid
from lkj.extract.header import analyse_header
from lkj.extract.locate import LocatedTable
from lkj.extract.normalise import normalise_table
from lkj.extract.report import extract_report
from lkj.extract.settings import ExtractSettings

sys.path.insert(0, str(ROOT / "samples" / "tools"))

SOURCE = ROOT / "samples" / "src" / "lkj-bp3mi-ntb-2024"
HEADER = "\t\t\tTW I\tTW II\tTW III\tTW IV\tTW I\tTW II\tTW III\tTW IV"


def _quarterly(extraction):
    (table,) = [t for t in extraction.tables if t.family == "quarterly"]
    return table, extraction.rows.quarterly


def test_a_sound_header_flags_nothing():
    table, rows = _quarterly(extract_report(SAMPLES / "lkj-bp3mi-ntb-2024.pdf",
                                            ExtractSettings(engine="pdfplumber")))
    assert not any("quarter headers" in f for f in table.flags)
    assert rows and not any("quarter:header_uncertain" in (r["flags"] or "") for r in rows)


@pytest.fixture(scope="module")
def misprinted(tmp_path_factory):
    """The 2024 sample with its second target quarter printed 'TW I' instead of 'TW II'."""
    import lkjdoc

    text = SOURCE.with_suffix(".txt").read_text(encoding="utf-8")
    assert text.count(HEADER) == 1, "the header line moved: update this test"
    folder = tmp_path_factory.mktemp("quarters")
    src = folder / "misprinted.txt"
    src.write_text(text.replace(HEADER, HEADER.replace("TW I\tTW II", "TW I\tTW I", 1)),
                   encoding="utf-8")
    pdf = folder / "lkj-synthetic-misprinted-2024.pdf"
    lkjdoc.build(src, SOURCE.with_suffix(".layout.json"), pdf)
    return extract_report(pdf, ExtractSettings(engine="pdfplumber"))


def test_a_quarter_named_twice_flags_the_table_and_every_row(misprinted):
    table, rows = _quarterly(misprinted)
    (note,) = [f for f in table.flags if "quarter headers" in f]
    assert note == ("quarter headers uncertain (a quarter named twice, out of order or "
                    "unreadable: target quarters read as 'target tw i', 'target tw i', "
                    "'target tw iii', 'target tw iv'): four quarter columns each, so quarters "
                    "taken from the columns' order; rows flagged quarter:by_position")
    assert rows and all("quarter:by_position" in r["flags"] for r in rows)
    # the misprinted header cell, and the other target quarter headers, are doubted
    assert sorted(table.doubted_cells) == [(1, 3), (1, 4), (1, 5), (1, 6)]


def test_four_quarter_columns_read_by_position_as_printed_elsewhere(misprinted):
    """Apart from the flag, the rows are those of the sound report: no value moves."""
    _, sound = _quarterly(extract_report(SAMPLES / "lkj-bp3mi-ntb-2024.pdf",
                                         ExtractSettings(engine="pdfplumber")))
    _, rows = _quarterly(misprinted)

    def strip(r):
        flags = [f for f in (r["flags"] or "").split("; ") if f and f != "quarter:by_position"]
        return {**r, "report_id": None, "flags": "; ".join(flags) or None}

    assert [strip(r) for r in rows] == [strip(r) for r in sound]


def _quarter_table(target: list[str], realisasi: list[str]) -> LocatedTable:
    """Target and realisasi over one quarter column per header given; one data row whose
    targets are 10, 20, ... and realisasi 11, 22, ..."""
    n = len(target)
    top = ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA UTAMA"]
    cells = [Cell(t, 0, c, rowspan=2) for c, t in enumerate(top)]
    cells += [Cell("Target", 0, 3, colspan=n), Cell("Realisasi", 0, 3 + n, colspan=n)]
    cells += [Cell(q, 1, 3 + c) for c, q in enumerate(target + realisasi)]
    data = ["1", "Meningkatnya pelindungan", "Jumlah PMI"]
    data += [str(10 * (i + 1)) for i in range(n)] + [str(11 * (i + 1)) for i in range(n)]
    cells += [Cell(t, 2, c) for c, t in enumerate(data)]
    grid = Grid(3, 3 + 2 * n, cells)
    return LocatedTable("9.1", 1, "Capaian triwulan", [], grid, analyse_header(grid),
                        "quarterly")


def _three_quarter_table(target: list[str]) -> LocatedTable:
    """A report of TW II-IV, its target headers as given."""
    return _quarter_table(target, ["TW II", "TW III", "TW IV"])


def _four_quarter_table(realisasi: list[str]) -> LocatedTable:
    """Four quarters, the realisasi headers as given."""
    return _quarter_table(["TW I", "TW II", "TW III", "TW IV"], realisasi)


def test_a_quarter_header_that_does_not_read_as_one_is_doubted():
    """OCR read 'TW III' as 'Tw II' and 'TW II' as 'TWh': the quarters that read are in
    order (I, II, IV), but a quarter column does not name one; the four columns are read by
    position, the realisasi of TW III where it stands."""
    table = _four_quarter_table(["TW I", "TWh", "Tw II", "TW IV"])
    rows = normalise_table(table, "r", 2024).quarterly
    assert [(r["quarter"], r["target"], r["realisasi"]) for r in rows] == [
        (1, 10, 11), (2, 20, 22), (3, 30, 33), (4, 40, 44)]
    assert all(r["flags"] == "quarter:by_position" for r in rows)
    (note,) = table.flags
    assert "realisasi quarters read as 'realisasi tw i', 'realisasi twh', 'realisasi tw ii', " \
           "'realisasi tw iv'" in note and "target quarters" not in note
    assert sorted(table.doubted_cells) == [(1, 7), (1, 8), (1, 9), (1, 10)]
    # a sound header, and a header word that is not a quarter, are not doubted
    for words in (["TW I", "TW II", "TW III", "TW IV"], ["TW I", "TW II", "TW III", "Total"]):
        sound = _four_quarter_table(words)
        normalise_table(sound, "r", 2024)
        assert sound.flags == [] and sound.doubted_cells == {}


def test_fewer_than_four_quarters_stay_as_read_and_the_lost_column_is_named():
    sound = normalise_table(_three_quarter_table(["TW II", "TW III", "TW IV"]), "r", 2024)
    assert [(r["quarter"], r["target"], r["realisasi"], r["flags"]) for r in sound.quarterly] \
        == [(2, 10, 11, None), (3, 20, 22, None), (4, 30, 33, None)]
    table = _three_quarter_table(["TW II", "TW II", "TW IV"])
    rows = normalise_table(table, "r", 2024).quarterly
    assert [(r["quarter"], r["target"], r["realisasi"]) for r in rows] == [
        (2, 10, 11), (3, None, 22), (4, 30, 33)]
    assert all(r["flags"] == "quarter:header_uncertain" for r in rows)
    (note,) = table.flags
    assert note.endswith("quarters of its rows flagged quarter:header_uncertain; column(s) 5 "
                         "not read into rows")
    assert sorted(table.doubted_cells) == [(1, 3), (1, 4), (1, 5)]
