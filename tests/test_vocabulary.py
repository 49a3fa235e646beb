"""One place per fact: the words lkj prints and the names it shares (lkj.text,
lkj.schemas.contract), and that the rest of the package reads them from there."""

from __future__ import annotations

import math

from lkj.extract import normalise, numbers
from lkj.schemas import contract, families
from lkj.text import counted, page_list


def test_page_list_is_each_page_once_in_order() -> None:
    assert page_list(14, [4.0, "14", None, math.nan, ""], "7") == "4,7,14"
    assert page_list() == page_list(None, "n/a", []) == ""


def test_counted_says_one_alone_in_the_singular() -> None:
    assert [counted(n, "row") for n in (0, 1, 2)] == ["0 rows", "1 row", "2 rows"]
    assert counted(2, "entry", "entries") == "2 entries"


def test_severities_rank_from_their_one_list() -> None:
    assert contract.SEVERITY_RANK == {"error": 0, "warning": 1, "info": 2}


def test_unit_words_are_one_list() -> None:
    assert numbers.COUNT_UNITS is families.COUNT_UNITS
    assert numbers.SCORE_UNITS is families.SCORE_UNITS
    # a unit the number parser takes for a count makes the row a count for normalise too
    assert normalise.row_kind("Jumlah pelatihan", ["12 kali"]) == "count"
    assert numbers.parse_quantity("12 kali").unit == "kali"


def test_rows_hold_the_contract_data_tables() -> None:
    assert [name for name, _ in normalise.Rows().lists()] == contract.DATA_TABLES
