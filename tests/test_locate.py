"""Tables over page breaks and rows inside rows, on grids built by hand (no PDF)."""

from __future__ import annotations

from types import SimpleNamespace

from grids import boxed_grid

from lkj.extract.engines import FoundTable
from lkj.extract.grid import Cell, Grid
from lkj.extract.header import analyse_header
from lkj.extract.locate import locate_tables
from lkj.extract.split import split_rows
from lkj.schemas import families


def _page(n):
    return SimpleNamespace(page_number=n, height=800.0)


def _grid(rows, page, lines=None):
    cells = [Cell(text, r, c, page=page, lines=(lines or {}).get((r, c), ()))
             for r, row in enumerate(rows) for c, text in enumerate(row)]
    return Grid(len(rows), len(rows[0]), cells)


HEADER = ["No", "Indikator Kinerja", "Target", "Realisasi"]


def _located(second):
    first = FoundTable(1, (50, 300, 550, 700),
                       _grid([HEADER, ["1", "Jumlah A", "10", "9"]], 1), "pdfplumber")
    caption = [{"text": "Tabel 3.1 Pengukuran", "top": 280.0, "bottom": 290.0}]
    return locate_tables([(_page(1), caption, [first]), (_page(2), [], [second])])


def test_a_continuation_with_the_same_columns_is_joined_and_its_header_dropped():
    second = FoundTable(2, (50, 60, 550, 200),
                        _grid([HEADER, ["2", "Jumlah B", "5", "5"]], 2), "pdfplumber")
    (table,) = _located(second)
    assert table.grid.n_rows == 3 and table.pages == [1, 2]
    assert table.grid.text(2, 1) == "Jumlah B"


def test_a_part_that_cannot_be_joined_is_flagged_on_both_and_fails_completeness():
    second = FoundTable(2, (50, 60, 550, 200),
                        _grid([["2", "Jumlah B", "5", "5", "x"]], 2), "pdfplumber")
    first, other = _located(second)
    assert any(f.startswith(families.NOT_JOINED) for f in first.flags)
    assert any(f.startswith(families.NOT_JOINED) for f in other.flags)
    import pandas as pd

    from lkj.expectations.rules import check_completeness

    tables = pd.DataFrame([{"report_id": "r", "table_id": first.table_id, "table_part": 1,
                            "title": first.title, "pages": "1", "rows": 1,
                            "flags": "; ".join(first.flags)}])
    (outcome,) = check_completeness({"tables": tables})
    assert outcome.holds is False and outcome.severity == "error"
    assert "not joined" in outcome.message


def test_a_row_broken_over_the_page_is_joined_into_the_row_above():
    second = FoundTable(2, (50, 60, 550, 200),
                        _grid([HEADER, ["", "dan C", "", ""], ["2", "Jumlah B", "5", "5"]], 2),
                        "pdfplumber")
    (table,) = _located(second)
    assert table.grid.n_rows == 3
    assert table.grid.text(1, 1) == "Jumlah A dan C"
    assert any("broken over pages 1-2" in f for f in table.flags)


def test_a_merged_cell_cut_by_a_page_break_goes_on_into_its_empty_rest():
    top = Grid(3, 2, [Cell("No", 0, 0), Cell("Bulan", 0, 1), Cell("6", 1, 0, rowspan=2),
                      Cell("a", 1, 1), Cell("b", 2, 1)])
    rest = Grid(2, 2, [Cell("", 0, 0, rowspan=2), Cell("c", 0, 1), Cell("d", 1, 1)])
    grid, carried = top.stitch_merged(rest)
    assert carried == [0]
    assert [grid.text(r, 0) for r in range(1, 5)] == ["6"] * 4
    # an empty cell of its own (not merged on either side) stays empty
    plain = Grid(2, 2, [Cell("No", 0, 0), Cell("x", 0, 1), Cell("6", 1, 0), Cell("a", 1, 1)])
    grid, carried = plain.stitch_merged(Grid(1, 2, [Cell("", 0, 0), Cell("c", 0, 1)]))
    assert carried == [] and grid.text(2, 0) == ""


def _stacked(names, figures, wrapped_figures=False):
    """One ruled data row: a sasaran over all lines, then a column of names and two of
    figures, one line each (12 pt apart)."""
    bands = tuple((100.0 + 12 * i, 110.0 + 12 * i) for i in range(len(names)))
    fig_bands = bands if not wrapped_figures else bands[:1]
    cells = [Cell("Sasaran", 0, 0), Cell("Indikator", 0, 1), Cell("Target", 0, 2),
             Cell("Realisasi", 0, 3),
             Cell("Meningkatnya\nproduksi", 1, 0, lines=bands[:2]),
             Cell("\n".join(names), 1, 1, lines=bands),
             Cell("\n".join(figures), 1, 2, lines=fig_bands),
             Cell("\n".join(figures), 1, 3, lines=fig_bands)]
    return Grid(2, 4, cells)


def test_indicators_printed_line_by_line_in_one_ruled_row_become_rows():
    grid = _stacked(["- Padi", "- Jagung", "- Kedelai"], ["10", "20", "30"])
    split, made = split_rows(grid, analyse_header(grid))
    assert split.n_rows == 4 and made == {1, 2, 3}
    assert [split.text(r, 1) for r in (1, 2, 3)] == ["- Padi", "- Jagung", "- Kedelai"]
    assert [split.text(r, 3) for r in (1, 2, 3)] == ["10", "20", "30"]
    assert {split.text(r, 0) for r in (1, 2, 3)} == {"Meningkatnya produksi"}  # one cell


def test_a_wrapped_name_beside_one_row_of_figures_stays_one_row():
    grid = _stacked(["Jumlah produksi", "padi sawah"], ["10"], wrapped_figures=True)
    split, made = split_rows(grid, analyse_header(grid))
    assert split.n_rows == 2 and not made


def test_a_caption_printed_twice_gives_two_parts_never_one_id_twice():
    def table(page):
        return FoundTable(page, (50, 300, 550, 700),
                          _grid([HEADER, ["1", "Jumlah A", "10", "9"]], page), "pdfplumber")

    caption = [{"text": "Tabel 2.2 Realisasi", "top": 280.0, "bottom": 290.0}]
    body = [{"text": "Paragraf di atas tabel yang panjang", "top": 200.0, "bottom": 210.0}]
    first, again = locate_tables([(_page(1), caption, [table(1)]),
                                  (_page(3), body + caption, [table(3)])])
    assert (first.table_id, first.part) == ("2.2", 1)
    assert (again.table_id, again.part) == ("2.2", 2)
    assert any("printed again on page 3" in f for f in again.flags)


def test_a_header_word_misread_by_a_letter_is_matched_loosely_and_says_so():
    header = analyse_header(_grid([["No", "Indikator Kinerja", "Target", "Realisasl"],
                                   ["1", "Jumlah A", "10", "9"]], 1))
    assert [c.role for c in header.columns] == ["no", "indicator", "target", "realisasi"]
    assert header.loose_words() == ["realisasl~realisasi"]
    assert families.loose_role_of("Satuan") is None  # no known word within reach
    assert families.loose_role_of("Pagi") is None    # short words must match exactly
    second = FoundTable(2, (50, 60, 550, 200),
                        _grid([HEADER[:3] + ["Realisasl"], ["2", "Jumlah B", "5", "5"]], 2),
                        "pdfplumber")
    (table,) = locate_tables([(_page(2), [], [second])])
    assert "header matched loosely: realisasl~realisasi" in table.flags


def test_a_continuation_with_an_extra_edge_that_separates_no_text_is_fitted_and_joined():
    """The page after draws one more column edge (a rule of a lower row): the edges of the
    part before are all there, so the extra one is taken away and the parts are joined."""
    edges = [50.0, 80.0, 300.0, 420.0, 550.0]
    first = FoundTable(1, (50, 300, 550, 700), boxed_grid(
        [HEADER, ["1", "Jumlah A", "10", "9"]], 1, edges, 300.0), "pdfplumber")
    more = [50.0, 80.0, 300.0, 420.0, 497.0, 550.0]  # realisasi's column cut at 497
    second = FoundTable(2, (50, 60, 550, 200), boxed_grid(
        [["No", "Indikator Kinerja", "Target", "Realisasi", None],
         ["2", "Jumlah B", "5", "", "6"],
         ["", "Rata-Rata", "", "7", ""]], 2, more, 60.0), "pdfplumber")
    caption = [{"text": "Tabel 3.1 Pengukuran", "top": 280.0, "bottom": 290.0}]
    (table,) = locate_tables([(_page(1), caption, [first]), (_page(2), [], [second])])
    assert table.grid.n_cols == 4 and table.pages == [1, 2]
    assert [table.grid.text(2, c) for c in range(4)] == ["2", "Jumlah B", "5", "6"]
    assert table.grid.text(3, 3) == "7"
    assert any("fitted to the columns they share" in f for f in table.flags)
    # an extra edge between two printed texts is a column of its own: not joined
    split = FoundTable(2, (50, 60, 550, 200), boxed_grid(
        [["2", "Jumlah B", "5", "6", "x"]], 2, more, 60.0), "pdfplumber")
    first_again = FoundTable(1, (50, 300, 550, 700), boxed_grid(
        [HEADER, ["1", "Jumlah A", "10", "9"]], 1, edges, 300.0), "pdfplumber")
    parts = locate_tables([(_page(1), caption, [first_again]), (_page(2), [], [split])])
    assert len(parts) == 2


def test_a_name_column_cut_on_the_next_page_is_joined_whole():
    """The part before prints '4. Persentase ...' in one Indikator cell; the next page draws
    an edge between '5.' and its name. The edge cuts a name column of the part: the two
    texts are joined, and the parts joined."""
    edges = [50.0, 80.0, 300.0, 420.0, 550.0]
    first = FoundTable(1, (50, 300, 550, 700), boxed_grid(
        [HEADER, ["1", "4. Persentase A", "10", "9"]], 1, edges, 300.0), "pdfplumber")
    cut = [50.0, 80.0, 100.0, 300.0, 420.0, 550.0]
    second = FoundTable(2, (50, 60, 550, 200), boxed_grid(
        [["2", "5.", "Tingkat B", "5", "6"]], 2, cut, 60.0), "pdfplumber")
    caption = [{"text": "Tabel 3.1 Pengukuran", "top": 280.0, "bottom": 290.0}]
    (table,) = locate_tables([(_page(1), caption, [first]), (_page(2), [], [second])])
    assert [table.grid.text(2, c) for c in range(4)] == ["2", "5. Tingkat B", "5", "6"]
    # a figure column cut so is not joined: its texts are two figures
    figures = FoundTable(2, (50, 60, 550, 200), boxed_grid(
        [["2", "Tingkat B", "5", "6", "7"]], 2, [50.0, 80.0, 300.0, 360.0, 420.0, 550.0],
        60.0), "pdfplumber")
    first_again = FoundTable(1, (50, 300, 550, 700), boxed_grid(
        [HEADER, ["1", "4. Persentase A", "10", "9"]], 1, edges, 300.0), "pdfplumber")
    assert len(locate_tables([(_page(1), caption, [first_again]),
                              (_page(2), [], [figures])])) == 2


CAPTION = [{"text": "Tabel 3.1 Pengukuran", "top": 280.0, "bottom": 290.0}]


def _first(edges=(50.0, 80.0, 300.0, 420.0, 550.0)):
    return FoundTable(1, (50, 300, 550, 700), boxed_grid(
        [HEADER, ["1", "Jumlah A", "10", "9"]], 1, list(edges), 300.0), "pdfplumber")


def test_near_coincident_edges_of_one_part_are_one_edge_of_the_other():
    """Word draws the edge after the indicator 4 pt further right in some rows: the part
    has a sliver column there that holds no text of its own, the next page one edge. The
    cells on either side reach to the one edge, and the parts are joined."""
    edges = [50.0, 80.0, 300.0, 304.0, 420.0, 550.0]
    cells = [Cell("No", 0, 0, page=1, bbox=(50, 300, 80, 320)),
             Cell("Indikator Kinerja", 0, 1, page=1, bbox=(80, 300, 300, 320)),
             Cell("Target", 0, 2, colspan=2, page=1, bbox=(300, 300, 420, 320)),
             Cell("Realisasi", 0, 4, page=1, bbox=(420, 300, 550, 320)),
             Cell("1", 1, 0, page=1, bbox=(50, 320, 80, 340)),
             Cell("Jumlah A", 1, 1, colspan=2, page=1, bbox=(80, 320, 304, 340)),
             Cell("10", 1, 3, page=1, bbox=(304, 320, 420, 340)),
             Cell("9", 1, 4, page=1, bbox=(420, 320, 550, 340))]
    first = FoundTable(1, (50, 300, 550, 700), Grid(2, 5, cells), "pdfplumber")
    assert first.grid.column_edges() == edges
    second = FoundTable(2, (50, 60, 550, 200), boxed_grid(
        [["2", "Jumlah B", "5", "6"]], 2, [50.0, 80.0, 304.0, 420.0, 550.0], 60.0),
        "pdfplumber")
    (table,) = locate_tables([(_page(1), CAPTION, [first]), (_page(2), [], [second])])
    assert table.grid.n_cols == 4 and table.pages == [1, 2]
    assert [table.grid.text(1, c) for c in range(4)] == ["1", "Jumlah A", "10", "9"]
    assert [table.grid.text(2, c) for c in range(4)] == ["2", "Jumlah B", "5", "6"]
    assert any("near-coincident edges read as one" in f for f in table.flags)
    # a sliver holding a text of its own is a column: not joined
    cells[6] = Cell("10", 1, 2, colspan=1, page=1, bbox=(300, 320, 304, 340))
    cells[5] = Cell("Jumlah A", 1, 1, page=1, bbox=(80, 320, 300, 340))
    cells.append(Cell("", 1, 3, page=1, bbox=(304, 320, 420, 340)))
    first = FoundTable(1, (50, 300, 550, 700), Grid(2, 5, cells), "pdfplumber")
    assert len(locate_tables([(_page(1), CAPTION, [first]), (_page(2), [], [second])])) == 2


def test_a_column_of_bullets_alone_is_joined_to_the_items_it_marks():
    """The next page reads the bullets of a list as a narrow column of their own (no rule
    between them and their items, their column found from the text's alignment): each
    bullet goes before the line it stands beside, and the parts are joined."""
    edges = [50.0, 80.0, 86.0, 300.0, 420.0, 550.0]
    band = [(62.0, 70.0), (74.0, 82.0), (86.0, 94.0)]
    cells = [Cell("2", 0, 0, page=2, bbox=(50, 60, 80, 100)),
             Cell("-\n-", 0, 1, page=2, bbox=(80, 60, 86, 100), lines=(band[0], band[2])),
             Cell("Jumlah B\nyang panjang\nJumlah C", 0, 2, page=2, bbox=(86, 60, 300, 100),
                  lines=tuple(band)),
             Cell("5", 0, 3, page=2, bbox=(300, 60, 420, 100)),
             Cell("6", 0, 4, page=2, bbox=(420, 60, 550, 100))]
    second = FoundTable(2, (50, 60, 550, 200), Grid(1, 5, cells), "pdfplumber")
    assert second.grid.column_edges() == edges
    (table,) = locate_tables([(_page(1), CAPTION, [_first()]), (_page(2), [], [second])])
    assert table.grid.n_cols == 4
    assert table.grid.at(2, 1).text == "- Jumlah B\nyang panjang\n- Jumlah C"
    assert table.grid.text(2, 3) == "6"
    assert any("bullets alone" in f for f in table.flags)


def test_an_edge_drawn_under_one_heading_is_kept_and_the_other_part_spans_it():
    """The part divides its Realisasi column under one heading cell (Jumlah | %); the next
    page, no header repeated, draws the column whole. Its cells span both columns, and the
    parts are joined; the heading over an edge is what allows it: an edge between two
    figures under no heading of its own stays a reason not to join (the test above)."""
    edges = [50.0, 80.0, 300.0, 420.0, 500.0, 550.0]
    first = FoundTable(1, (50, 300, 550, 700), boxed_grid(
        [["No", "Indikator Kinerja", "Target", "Realisasi", None],
         ["", "", "", "Jumlah", "%"],
         ["1", "Jumlah A", "10", "9", "90"]], 1, edges, 300.0), "pdfplumber")
    second = FoundTable(2, (50, 60, 550, 200), boxed_grid(
        [["2", "Jumlah B", "5", "5 (100%)"]], 2, [50.0, 80.0, 300.0, 420.0, 550.0], 60.0),
        "pdfplumber")
    (table,) = locate_tables([(_page(1), CAPTION, [first]), (_page(2), [], [second])])
    assert table.grid.n_cols == 5 and table.pages == [1, 2]
    last = table.grid.n_rows - 1
    assert table.grid.at(last, 3).colspan == 2 and table.grid.text(last, 4) == "5 (100%)"
    assert any("draws under one heading kept" in f for f in table.flags)


def test_a_caption_at_the_foot_of_a_page_names_the_table_opening_the_next():
    """Tabel 3.2's caption is the last line of page 1, under Tabel 3.1; its table opens
    page 2 with other columns: it is Tabel 3.2, not a part of 3.1 that failed to join."""
    foot = CAPTION + [{"text": "Tabel 3.2 Efisiensi Sumber Daya", "top": 720.0,
                       "bottom": 730.0}]
    second = FoundTable(2, (50, 60, 550, 200), boxed_grid(
        [["No", "Indikator Kinerja", "Capaian", "Penyerapan", "Efisiensi"],
         ["1", "Jumlah A", "90", "95", "5"]], 2, top=60.0), "pdfplumber")
    first, other = locate_tables([(_page(1), foot, [_first()]), (_page(2), [], [second])])
    assert (first.table_id, other.table_id) == ("3.1", "3.2")
    assert other.title == "Efisiensi Sumber Daya"
    assert not any(families.NOT_JOINED in f for f in first.flags + other.flags)
    # without the caption it is a part that could not be joined, and says so
    first, other = locate_tables([(_page(1), CAPTION, [_first()]), (_page(2), [], [second])])
    assert any(f.startswith(families.NOT_JOINED) for f in first.flags)


def _one_row(names, name_bands, figures, figure_bands):
    """One ruled data row under No | Indikator | Target: names and figures on given bands."""
    cells = [Cell("No", 0, 0), Cell("Indikator", 0, 1), Cell("Target", 0, 2),
             Cell("4.", 1, 0, lines=name_bands[:1]),
             Cell("\n".join(names), 1, 1, lines=tuple(name_bands)),
             Cell("\n".join(figures), 1, 2, lines=tuple(figure_bands))]
    return Grid(2, 3, cells)


def test_a_heading_below_a_blank_line_opens_a_row_of_its_own():
    # "- Sayuran (%)" is the last item of the list above; "Outcome :", printed below a
    # blank line, heads the item after it and is no part of "Sayuran"'s name
    names = ["Persentase margin :", "- Padi (%)", "- Sayuran (%)", "Outcome :",
             "- Meningkatnya pendapatan"]
    bands = [(100, 108), (112, 120), (124, 132), (146, 154), (158, 166)]
    grid = _one_row(names, bands, ["32", "29"], [(112, 120), (124, 132)])
    split, _ = split_rows(grid, analyse_header(grid))
    assert [split.text(r, 1) for r in range(1, split.n_rows)] == names
    # a name wrapped onto a line that ends with a colon, with no blank line, stays one name
    names = ["- Jumlah produksi yang", "dihasilkan :", "- Daging"]
    grid = _one_row(names, [(100, 108), (110, 118), (122, 130)], ["10", "5"],
                    [(100, 108), (122, 130)])
    split, _ = split_rows(grid, analyse_header(grid))
    assert [split.text(r, 1) for r in range(1, split.n_rows)] == [
        "- Jumlah produksi yang dihasilkan :", "- Daging"]


def test_a_list_mark_printed_between_two_lines_goes_before_the_item_it_marks():
    # "-" centred on a two-line item reaches into both lines' bands; a dash read with the
    # second line ("- Petelur") reaches up into the first's: either is the mark of the
    # item that begins on the upper line, and the item stays one row
    from lkj.extract.split import seat_marks

    names = ["- Kambing", "Ayam Ras", "- Petelur", "Ayam Ras", "-", "Pedaging"]
    bands = [(100, 108), (112, 120), (117, 129), (133, 141), (137.5, 145.5), (142, 150)]
    grid = _one_row(names, bands, ["10", "20", "30"], [(100, 108), (112, 120), (133, 141)])
    header = analyse_header(grid)
    seated = seat_marks(grid, header)
    assert seated.at(1, 1).text == "- Kambing\n- Ayam Ras\nPetelur\n- Ayam Ras\nPedaging"
    split, _ = split_rows(seated, header)
    assert [split.text(r, 1) for r in range(1, split.n_rows)] == [
        "- Kambing", "- Ayam Ras Petelur", "- Ayam Ras Pedaging"]
    assert [split.text(r, 2) for r in range(1, split.n_rows)] == ["10", "20", "30"]
    # lines printed apart, each with its own mark, are left as they are
    plain = _one_row(["- Daging", "- Telur"], [(100, 108), (112, 120)], ["1", "2"],
                     [(100, 108), (112, 120)])
    assert seat_marks(plain, analyse_header(plain)) is plain


def test_figures_a_line_above_their_item_on_a_blank_line_go_with_that_item():
    # "- Skor" has its figures; "450" / "270" stand on the blank line below its wrapped
    # name, a line above "- Jumlah Tonase" (whose "(60%)" is on its first line): one row
    names = ["- Skor Pola Pangan", "Ketersediaan", "- Jumlah Tonase", "Pokok Pemerintah"]
    bands = [(121, 130), (132, 141), (164.5, 173.5), (175, 184)]
    cells = [Cell("No", 0, 0), Cell("Indikator", 0, 1), Cell("Target", 0, 2),
             Cell("Realisasi", 0, 3),
             Cell("1.", 1, 0, lines=bands[:1]),
             Cell("\n".join(names), 1, 1, lines=tuple(bands)),
             Cell("85\n450", 1, 2, lines=((121, 130), (153.6, 162.6))),
             Cell("86\n(101%)\n270\n(60%)", 1, 3,
                  lines=((121, 130), (132, 141), (153.6, 162.6), (164.5, 173.5)))]
    grid = Grid(2, 4, cells)
    split, _ = split_rows(grid, analyse_header(grid))
    assert split.n_rows == 3
    assert [split.text(r, 1) for r in (1, 2)] == ["- Skor Pola Pangan Ketersediaan",
                                                  "- Jumlah Tonase Pokok Pemerintah"]
    assert [split.text(r, 2) for r in (1, 2)] == ["85", "450"]
    assert [split.text(r, 3) for r in (1, 2)] == ["86 (101%)", "270 (60%)"]


def test_a_row_number_in_one_cell_with_the_name_goes_to_the_no_column():
    # the rule between No and the name stops short of the last row: "6 Jumlah pedoman"
    # is read over both columns; the number is the row's No, the rest its name
    from lkj.extract.split import split_numbered_names

    grid = boxed_grid([["No", "Indikator Kinerja", "Target"],
                       ["5", "Jumlah Taman", "1"],
                       ["6 Jumlah pedoman", None, "4"],
                       ["Jumlah lokasi", None, "5"]])
    split = split_numbered_names(grid, analyse_header(grid))
    assert [split.text(2, c) for c in range(3)] == ["6", "Jumlah pedoman", "4"]
    assert split.at(2, 1).bbox[0] == 50.0
    assert split.at(3, 0).colspan == 2  # no number: a label over both columns stays


def test_a_running_header_and_a_sliver_above_a_repeated_header_are_dropped_and_the_row_joined():
    # p2 opens with the page's running header framed with the table's header, the header
    # repeated, an empty sliver of a row under it, then the rest of the row p1 ended on
    first = FoundTable(1, (50, 300, 550, 700),
                       _grid([HEADER, ["1", "Jumlah A", "10", "9"]], 1), "pdfplumber")
    caption = [{"text": "Tabel 3.1 Pengukuran", "top": 280.0, "bottom": 290.0}]
    second = FoundTable(2, (50, 60, 550, 200),
                        _grid([["", "", "", "LKIP 2016"], HEADER, ["", "", "", ""],
                               ["", "dan C", "", ""]], 2), "pdfplumber")
    (table,) = locate_tables([(_page(1), caption, [first]), (_page(2), [], [second])])
    assert table.grid.n_rows == 2
    assert table.grid.text(1, 1) == "Jumlah A dan C"
    assert any("broken over pages 1-2" in f for f in table.flags)
