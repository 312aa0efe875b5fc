"""The grid finder (``gridfind.find_tables``) on ruling segments in PDF
points: which vertical segments are column lines."""
from __future__ import annotations

from gxaudit.core.ingest.gridfind import Seg, find_tables


def _frame(extra: list[Seg]):
    hs = [Seg(y, 0.0, 300.0) for y in (0.0, 30.0, 60.0, 90.0)]
    vs = [Seg(0.0, 0.0, 90.0), Seg(200.0, 0.0, 90.0), Seg(300.0, 0.0, 90.0)] + extra
    [table] = find_tables(hs, vs, 72)
    return table


def test_a_stroke_joined_to_one_row_line_and_short_of_the_next_is_no_column_line():
    """件's 亻 in a cell of the page-break fixture's faint scan, joined to
    the row line above it, ended short of the line below by less than
    twice the tolerance: it was taken for a column line and split 件 from
    "行政规范性文" ("牛" in a cell of its own), so the row was lost."""
    table = _frame([Seg(120.0, 30.0, 53.0)])
    assert table.xs == [0.0, 200.0, 300.0]


def test_a_column_line_is_kept_with_its_pieces_that_faded_short():
    """A line from row line to row line in one row is a column line; its
    piece in the next row, faded short of the row line below, still
    divides that row (the same stroke alone would not)."""
    table = _frame([Seg(150.0, 0.0, 30.0), Seg(150.0, 30.0, 53.0)])
    assert table.xs == [0.0, 150.0, 200.0, 300.0]
    assert table.has_v(0, 1) and table.has_v(1, 1) and not table.has_v(2, 1)


def test_a_stroke_across_two_rows_within_the_slack_is_a_column_line():
    table = _frame([Seg(150.0, 6.0, 84.0)])
    assert table.xs == [0.0, 150.0, 200.0, 300.0]
