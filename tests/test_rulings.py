"""Rules a reader draws in where a maker left them out (lkj/extract/rulings.py), on
segments built by hand (no PDF)."""

from __future__ import annotations

from lkj.extract.rulings import Geometry, Segment, open_legs

GEOMETRY = Geometry(char_width=5.3, char_height=11.0, thin=3.7, widest=2.0)


def _h(at, start=66.6, end=528.6):
    return Segment(False, at, start, end, 0.5)


def _v(at, start, end):
    return Segment(True, at, start, end, 0.5)


def test_a_header_edge_running_on_into_an_unruled_body_gets_the_body_a_bottom_rule():
    # a continuation at a page's top: the header's top and bottom rules, the No column's
    # edge drawn from the header's top down through the body, which has no rule below
    segments = [_h(76.3), _h(123.7), _v(92.1, 76.0, 186.2)]
    (rule,) = open_legs(segments, GEOMETRY)
    assert (rule.vertical, rule.at, rule.start, rule.end) == (False, 186.2, 66.6, 528.6)


def test_an_edge_stopping_short_of_a_rule_below_or_a_footer_mark_is_no_open_body():
    # the edge stops a line above the table's bottom rule: the table is closed already
    closed = [_h(511.4), _h(558.8), _h(746.7), _h(779.6), _v(92.1, 511.1, 762.5)]
    assert open_legs(closed, GEOMETRY) == []
    # a page number's box below a footer rule: its edge is no column of a header
    footer = [_h(700.0), _h(760.4), _v(497.2, 780.8, 793.0)]
    assert open_legs(footer, GEOMETRY) == []
    # three legs or more are open_ends' to close, not this rule's
    many = [_h(76.3), _h(123.7)] + [_v(x, 76.0, 186.2) for x in (92.1, 200.0, 300.0)]
    assert open_legs(many, GEOMETRY) == []
