"""ocr_grid: a scanned table's grid turned into rows, on grids and
recognised pieces placed by hand (no OCR engine needed).  A line that faded
in one row must never move a figure to another cell."""
from __future__ import annotations

import numpy as np

from gxaudit.core.ingest.gridfind import Seg, Table
from gxaudit.core.ingest.ocr_engine import Piece
from gxaudit.core.ingest.ocr_grid import _Frame, _band_rows

DPI = 170


def _table(missing_v: set[tuple[int, int]] = frozenset()) -> Table:
    """Two bands, four columns (label + three figures), every line drawn
    except the vertical boundaries ``missing_v`` (band, column)."""
    xs, ys = [0.0, 200.0, 300.0, 400.0, 500.0], [0.0, 50.0, 100.0]
    hs = [Seg(y, 0.0, 500.0) for y in ys]
    vs = []
    for j, x in enumerate(xs):
        for i in range(2):
            if (i, j) not in missing_v:
                vs.append(Seg(x, ys[i], ys[i + 1]))
    return Table(ys, xs, hs, vs, tol=3.0)


def _piece(text: str, x0: float, band: int, line: int) -> Piece:
    return Piece(text, x0, 50 * band + 15, x0 + 10 * len(text), 50 * band + 35, 0.99, line)


def _rows(t: Table, pieces):
    by_cell = {}
    for p in pieces:
        i = int(p.cy // 50)
        j = next(k for k in range(len(t.xs) - 1) if t.xs[k] <= p.cx < t.xs[k + 1])
        by_cell.setdefault((i, j), []).append(p)
    dark = np.zeros((100, 500), dtype=np.uint8)
    frame = _Frame(0.0, 500, 100, 72)
    return [r for _top, r in _band_rows(t, by_cell, dark, frame, DPI, 1, 0)]


def _cells(row):
    return [(c.text, c.confidence < 0.8) for c in row.cells if not c.merged]


def test_figures_in_two_columns_of_a_merged_region_are_two_cells():
    """Band 1 lost the line between its second and third figure columns:
    the region holds a figure in each, so each stays in its own column."""
    t = _table(missing_v={(1, 3)})
    pieces = [_piece("甲", 10, 0, 0), _piece("1", 220, 0, 1), _piece("2", 320, 0, 2), _piece("3", 420, 0, 3),
              _piece("乙", 10, 1, 4), _piece("4", 220, 1, 5), _piece("5", 320, 1, 6), _piece("6", 420, 1, 7)]
    rows = _rows(t, pieces)
    assert _cells(rows[1]) == [("乙", False), ("4", False), ("5", False), ("6", False)]


def test_a_figure_over_the_faded_line_keeps_the_region_whole_and_flags_the_row():
    """The same lost line with a figure standing over it (its dash may have
    been read into it): the region stays one cell holding two figures, and
    every figure and blank of the row is flagged, never read by position."""
    t = _table(missing_v={(1, 3)})
    pieces = [_piece("甲", 10, 0, 0), _piece("1", 220, 0, 1), _piece("2", 320, 0, 2), _piece("3", 420, 0, 3),
              _piece("乙", 10, 1, 4), _piece("4", 220, 1, 5), _piece("5", 295, 1, 6), _piece("6", 360, 1, 7)]
    row = _rows(t, pieces)[1]
    assert _cells(row) == [("乙", False), ("4", True), ("5 6", True)]


def test_a_clean_row_is_not_flagged():
    t = _table()
    pieces = [_piece("乙", 10, 1, 0), _piece("4", 220, 1, 1), _piece("5", 320, 1, 2), _piece("6", 420, 1, 3)]
    assert _cells(_rows(t, pieces)[1]) == [("乙", False), ("4", False), ("5", False), ("6", False)]


def test_a_figures_note_does_not_lower_the_figures_score():
    """"22(其中修订16件)": the recogniser reads the note's brackets with 0.53
    and 0.64, the figure with 1.0; the value is read from the figure, so the
    cell's score is the figure's.  A unit counts ("12.5万元" with 万 at 0.6
    stays 0.6), and so does everything in a text that is not a figure."""
    from gxaudit.core.ingest.ocr_engine import value_score
    words = [["2", "2", "("], ["其", "中", "修", "订"], ["1", "6"], ["件"], [")"]]
    confs = [1.0, 0.99999, 0.64, 0.99998, 0.99985, 1.0, 0.99985, 0.99998, 0.99995, 0.99993, 0.53]
    assert value_score("22(其中修订16件)", words, confs) == 0.99999
    assert value_score("12.5万元", [["1", "2", ".", "5"], ["万", "元"]], [1.0, 1.0, 1.0, 1.0, 0.6, 1.0]) == 0.6
    assert value_score("本年（单位）", [["本", "年", "（", "单", "位", "）"]], [1, 1, 0.6, 1, 1, 0.6]) == 0.6
    assert value_score("22(其中", [["2", "2", "(", "其", "中"]], [1, 1, 0.5, 1, 1]) == 0.5   # no closed note
    # the recogniser may score a space it read between the figure and its note's last words
    assert value_score("22(其中修订16 件)", words, confs[:9] + [0.55] + confs[9:]) == 0.99999
    assert value_score("12.5 万元", list("12.5 万元"), [1.0, 1.0, 1.0, 1.0, 0.58, 1.0, 1.0]) == 1.0
    assert value_score("1 2", list("1 2"), [1.0, 0.58, 0.7]) == 0.7


def test_a_one_that_may_be_a_faded_rule_is_flagged():
    """Read as a table without lines, a faint scan's crop "10" whose "1" is a
    piece of a faded vertical ruling line (ink straight above and below it)
    is flagged; a "10" standing clear is not (fx2021_brk_b scanned with
    faint lines: 11 cells read as 10 instead of 0)."""
    from gxaudit.core.ingest.ocr_crops import _rule_as_one
    from gxaudit.core.ingest.ocr_engine import OcrLine
    dark = np.zeros((120, 100), dtype=np.uint8)
    dark[50:70, 40:42] = 1          # the "1" (or a piece of a rule)
    dark[50:70, 46:56] = 1          # the "0"
    line = OcrLine("10", 38, 48, 58, 72, 0.99)
    assert not _rule_as_one(line, "10", dark)
    dark[30:40, 40:42] = 1          # a dash of the rule above the crop
    assert _rule_as_one(line, "10", dark)
    assert not _rule_as_one(OcrLine("20", 38, 48, 58, 72, 0.99), "20", dark)


def test_a_row_line_above_a_figure_is_no_rule_through_its_one():
    """Every figure of a table has a row line above or below it: the few rows
    of ink where one crosses are no vertical line going on through a "1"
    (Huai'an 2024 scanned with faint lines: 18 figures such as 3001, 1288
    and 105, all read right, had been flagged)."""
    from gxaudit.core.ingest.ocr_crops import _rule_as_one
    from gxaudit.core.ingest.ocr_engine import OcrLine
    dark = np.zeros((120, 100), dtype=np.uint8)
    dark[50:70, 40:42] = 1          # "1"
    dark[50:70, 46:56] = 1          # "0"
    dark[36:38, 0:100] = 1          # the row line above, 2 px thick
    line = OcrLine("10", 38, 48, 58, 72, 0.99)
    assert not _rule_as_one(line, "10", dark)
    dark[24:36, 40:42] = 1          # ... and a column line going on above it
    assert _rule_as_one(line, "10", dark)


def test_with_the_lines_taken_out_a_one_is_judged_by_its_own_stroke():
    """A figure's 1 four pixels from a column line that was taken out: its
    own column has nothing above or below; the line's column has."""
    from gxaudit.core.ingest.ocr_crops import _rule_as_one
    from gxaudit.core.ingest.ocr_engine import OcrLine
    dark = np.zeros((120, 100), dtype=np.uint8)
    dark[10:110, 36:38] = 1         # a column line
    dark[50:70, 42:44] = 1          # "1"
    dark[50:70, 48:58] = 1          # "0"
    clean = dark.copy()
    clean[:, 36:38] = 0             # the line taken out
    line = OcrLine("10", 34, 48, 60, 72, 0.99)
    assert _rule_as_one(line, "10", dark)                 # the crop's outermost ink is the line
    assert not _rule_as_one(line, "10", dark, clean)      # the 1's own stroke stands alone


def test_a_dash_read_as_yi_or_underscore_is_the_dash():
    """A cell whose only ink is one thin horizontal stroke, read by the
    recogniser as 一 or _ (unsure: 0.6, under the score a figure needs), is
    the placeholder "—" (it had been flagged: "内容不是数字"); the same text
    over ink that is no dash stays as read."""
    t = _table()
    pieces = [_piece("甲", 10, 0, 0), _piece("1", 220, 0, 1), Piece("一", 330, 15, 360, 35, 0.6, 2),
              _piece("3", 420, 0, 3),
              _piece("乙", 10, 1, 4), _piece("4", 220, 1, 5), Piece("_", 330, 65, 360, 85, 0.6, 6),
              _piece("6", 420, 1, 7)]
    by_cell = {}
    for p in pieces:
        by_cell.setdefault((int(p.cy // 50), next(k for k in range(4) if t.xs[k] <= p.cx < t.xs[k + 1])), []).append(p)
    dark = np.zeros((100, 500), dtype=np.uint8)
    dark[24:26, 325:365] = 1                     # a dash in band 0
    dark[65:85, 330:360] = 1                     # a blot in band 1: no dash
    rows = [r for _top, r in _band_rows(t, by_cell, dark, _Frame(0.0, 500, 100, 72), DPI, 1, 0)]
    assert _cells(rows[0])[2] == ("—", False)
    assert _cells(rows[1])[2] == ("_", True)
