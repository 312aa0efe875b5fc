"""A scanned page whose ruling lines faded is read table by table: by the
grid of its lines taken as dashes where that grid holds, as a table without
lines where it does not (``ocr._faded``).  Hongze 2024 scanned with faint
lines: the end of 表三 at the top of page 4 lost its grid (figures of two
rows in one cell), and that had sent the whole page, 表四 included, to the
reading without lines, which ran two of 表四's figures together ("00")."""
from __future__ import annotations

from gxaudit.core.document import Row, Span
from gxaudit.core.ingest.ocr import _faded


def _row(texts, top, table=None, grid=False, x0=50.0, pitch=30.0):
    cells = [Span(t, 4, (x0 + i * pitch, top, x0 + (i + 1) * pitch - 2, top + 12), 0.98)
             for i, t in enumerate(texts)]
    return Row(cells, page=4, grid=grid, table=table)


# 表三's last rows, their lines lost: each cell holds two rows' figures.
LOST = [_row(["1.信访举报投诉类申请"] + ["1\n0"] * 7, 100, 0, True),
        _row(["4.无正当理由大量反复申请"] + ["0\n0"] * 7, 130, 0, True)]
T4_GRID = [_row(["行政复议"] + [""] * 14, 300, 1, True),
           _row([str(d) for d in (1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3)], 330, 1, True)]
LOOSE = [_row(["1.信访举报投诉类申请", "1", "0", "0", "0", "0", "0", "1"], 100),
         _row(["0", "0", "0", "0", "0", "0", "0"], 115),
         _row(["五、存在的主要问题"], 200),
         _row(["行政复议", "行政诉讼"], 300),
         _row(["1", "1", "0", "0", "2", "1", "00", "0", "1", "2", "0", "1", "0", "3"], 330)]


def test_a_table_whose_grid_holds_is_read_by_it_when_another_lost_its_own():
    rows = _faded(list(LOOSE), LOST + T4_GRID, 3)
    texts = [[c.text for c in r.cells] for r in rows]
    assert texts[:3] == [[c.text for c in r.cells] for r in LOOSE[:3]]       # 表三's end: without lines
    assert texts[3:] == [[c.text for c in r.cells] for r in T4_GRID]         # 表四: by its grid, 15 cells
    assert "00" not in {t for row in texts for t in row}


def test_a_page_whose_grid_holds_everywhere_is_read_by_it_whole():
    t3 = [_row(["1.信访举报投诉类申请", "1", "0", "0", "0", "0", "0", "1"], 100, 0, True),
          _row(["4.无正当理由大量反复申请", "0", "0", "0", "0", "0", "0", "0"], 115, 0, True)]
    rows = _faded(list(LOOSE), t3 + T4_GRID, 3)
    assert rows == t3 + T4_GRID


def test_without_a_grid_that_holds_the_page_is_read_without_lines():
    assert _faded(list(LOOSE), LOST, 3) == LOOSE
    assert _faded(None, LOST, 3) is None


def test_a_blank_with_ink_left_once_the_lines_are_out_is_flagged():
    """Read with its faded lines taken out, a table's blank cell is blank
    only where the page, lines out, has no ink inside it: a figure that
    touched a column line may have gone with the line (a 0 of the WPS
    fixture's faint scan had been read as blank)."""
    import numpy as np

    from gxaudit.core.ingest.ocr import FULL_DPI, _inked_blanks
    from gxaudit.core.ingest.ocr_grid import _Frame
    frame = _Frame(0.8, 1000, 1400, FULL_DPI)
    ink = np.zeros((1400, 1000), dtype=bool)

    def box(x0, y0, x1, y1):                       # image pixels → the span's PDF points
        return frame.bbox(x0, y0, x1, y1)
    row = Row([Span("1.属于国家秘密", 1, box(100, 500, 300, 540)), Span("0", 1, box(320, 500, 340, 540)),
               Span("", 1, box(400, 500, 480, 540)), Span("", 1, box(500, 500, 580, 540))], page=1, grid=True)
    ink[510:530, 420:430] = True                   # what is left of a figure in the first blank
    _inked_blanks([row], ink, frame)
    assert [c.confidence for c in row.cells] == [1.0, 1.0, 0.0, 1.0]
    loose = Row([Span("1.属于国家秘密", 1, box(100, 500, 300, 540)), Span("", 1, box(400, 500, 480, 540))],
                page=1)
    _inked_blanks([loose], ink, frame)             # a line of text, not a row by column: left
    assert loose.cells[1].confidence == 1.0


def test_page_points_map_back_to_the_pixels_they_came_from():
    from gxaudit.core.ingest.ocr_grid import _Frame
    frame = _Frame(-1.7, 1406, 1990, 170)
    for x, y in ((0, 0), (700, 995), (1406, 1990), (12.5, 1800.25)):
        px, py = frame.pixel(*frame.point(x, y))
        assert abs(px - x) < 1e-6 and abs(py - y) < 1e-6


def test_on_a_tie_the_grid_is_kept_for_the_blanks_it_places():
    """表四's figures carried over to the next page: ten figures and five
    blanks.  Read without lines they are a row of ten figures no column
    places; the dashed grid, with as many figures, keeps the blanks in
    their cells."""
    figures = ["1", "0", "0", "1", "2", "0", "0", "0", "0", "0"]
    grid = [_row(figures + [""] * 5, 330, 1, True)]
    loose = [_row(figures, 330)]
    assert _faded(list(loose), grid, 5) == grid
    assert _faded([], grid, 5) == grid                    # nothing read without lines
    assert _faded(list(loose), grid[:0], 5) == loose


def test_a_stretch_one_reading_lost_whole_is_taken_from_the_other():
    """Read with its lines, the bottom of a page (表四's heading and header,
    joined by faded lines into one band) gave nothing; read without them it
    did.  The first reading is kept where it read anything, and the other's
    rows fill the stretch it lost; a row both read is never doubled."""
    from gxaudit.core.ingest.ocr import _gaps_filled
    kept = [_row(["3.其他", "1", "0", "2"], 100), _row(["(七)总计", "38", "3", "45"], 130)]
    other = [_row(["3.其他", "1", "0", "2"], 101), _row(["(七)总", "38", "3", "45"], 131),
             _row(["四、政府信息公开行政复议、行政诉讼情况"], 200), _row(["行政复议", "行政诉讼"], 230)]
    rows = _gaps_filled(list(kept), other)
    assert [r.cells[0].text for r in rows] == ["3.其他", "(七)总计", "四、政府信息公开行政复议、行政诉讼情况",
                                              "行政复议"]
    assert _gaps_filled(None, other) is None
    assert _gaps_filled(list(kept), other[:2]) == kept


def test_a_band_holding_two_rows_is_taken_from_the_reading_without_lines():
    """fx2019 scanned with faint lines: the dashed grid found every row
    line of 表三 but the three under (四)无法提供, so their figures stood on
    three lines of one band's cells ("6\\n1\\n0", flagged).  That band is
    taken from the reading without lines, which has the three rows; the
    rest of the grid stays, and with it the page is read by the grid (the
    reading without lines had lost two of the labels).  A note beside a
    figure ("22（其中修订16件）") is one cell, not two rows."""
    from gxaudit.core.ingest.ocr import _mended
    grid = [_row(["6.属于四类过程性信息", "2", "0", "2"], 100, 0, True),
            _row(["1.本机关不掌握相关政府信息", "6\n1\n0", "1\n0\n0", "8\n1\n0"], 130, 0, True),
            _row(["行政规范性文件", "3", "1", "22(其中修订16件)"], 200, 0, True)]
    grid[1].cells[0] = Span(grid[1].cells[0].text, 4, (50.0, 130.0, 78.0, 176.0), 0.98)
    loose = [_row(["1.本机关不掌握相关政府信息", "6", "1", "8"], 131),
             _row(["2.没有现成信息需要另行制作", "1", "0", "1"], 146),
             _row(["3.补正后申请内容仍不明确", "0", "0", "0"], 161),
             _row(["2.重复申请", "2", "0", "2"], 300)]
    mended = _mended(grid, loose)
    assert [r.cells[0].text for r in mended] == ["6.属于四类过程性信息", "1.本机关不掌握相关政府信息",
                                                "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
                                                "行政规范性文件"]
    assert mended[0] is grid[0] and mended[-1] is grid[2] and not mended[1].grid
    assert _mended(grid, loose[3:]) == grid                 # nothing read there without lines: kept, flagged
    assert _faded(list(loose), grid, 1) == mended


def test_a_name_with_its_first_figure_in_one_cell_is_counted():
    """What sends a grid read first to the readings for faded lines when it
    holds three or more: a name with a figure after it in one cell (the
    column line between them too faint), never a name that opens with its
    number, a figure's note or a figure with its unit."""
    from gxaudit.core.ingest.ocr import _glued_labels
    rows = [_row(["（七）总计 38", "3", "45"], 100, 0, True), _row(["3.其他1", "0", "2"], 120, 0, True),
            _row(["1.本机关不掌握相关政府信息", "6", "8"], 140, 0, True),
            _row(["行政规范性文件", "3", "22（其中修订16件）"], 160, 0, True),
            _row(["行政事业性收费", "12.5万元"], 180, 0, True),
            _row(["四、结转下年度继续办理 4"], 200)]            # not a grid row
    assert _glued_labels(rows) == 2
