"""Ruling lines of a scan, on drawn page images at the OCR resolution.
Faded to dashes (``ocr_ruling.ruling`` with ``dashed=True``): a vertical
line is continued through its faded stretch where it is solid elsewhere,
never through a character's stroke past its end; a run of strokes inside a
cell is no horizontal line.  A stroke touching a line's end does not
lengthen it.  Taken out of a table read without lines (``rule_ink``),
leaving its text.  And a lone leaning stroke read as "1" or "I" is "/"."""
from __future__ import annotations

import numpy as np
import pytest

from gxaudit.core.ingest.ocr import FULL_DPI
from gxaudit.core.ingest.ocr_ruling import ruling

W = H = 600


def _page():
    return np.zeros((H, W), dtype=bool)


def _hline(img, y, x0, x1, on=24, off=6):
    for x in range(x0, x1, on + off):
        img[y:y + 3, x:min(x + on, x1)] = True


def _vline(img, x, y0, y1, on=24, off=6):
    for y in range(y0, y1, on + off):
        img[y:min(y + on, y1), x:x + 3] = True


def _table(img, ys=(100, 200, 300, 400, 500), xs=(100, 500)):
    for y in ys:
        _hline(img, y, 100, 503, on=400, off=0)
    for x in xs:
        _vline(img, x, 100, 503, on=400, off=0)


def _verticals_at(vs, x):
    return [(v.a, v.b) for v in vs if abs(v.pos - x) <= 3]


def test_a_vertical_line_faded_to_dashes_is_continued_from_its_solid_piece():
    img = _page()
    _table(img)
    _vline(img, 300, 100, 250, on=200, off=0)          # solid for a row and a half
    _vline(img, 300, 250, 503, on=10, off=8)           # then faint dashes to the bottom
    _, strict = ruling(img, FULL_DPI)
    assert max(b for _, b in _verticals_at(strict, 301)) < 280
    _, vs = ruling(img, FULL_DPI, dashed=True)
    [(a, b)] = _verticals_at(vs, 301)
    assert a <= 102 and b >= 498


def test_dashes_alone_are_no_vertical_line():
    """A column of short strokes with no solid piece at its x (characters'
    strokes stacked in a label column) is never taken for a line."""
    img = _page()
    _table(img)
    _vline(img, 300, 100, 503, on=10, off=8)
    _, vs = ruling(img, FULL_DPI, dashed=True)
    assert _verticals_at(vs, 301) == []


def test_a_column_line_faded_all_along_is_found_and_a_column_of_figures_is_not():
    """A column line faded to dashes from end to end keeps no solid piece
    to continue: it is a line when its dashes cover 60% of a stretch 15% of
    the page high, with few gaps wider than a dash gap (the page-break
    fixture's line between 表二's labels and figures: the two columns had
    been read as one).  Figures one under another leave the white between
    rows at every gap: no line."""
    img = _page()
    _table(img)
    _vline(img, 300, 100, 503, on=12, off=6)
    _, vs = ruling(img, FULL_DPI, dashed=True)
    [(a, b)] = _verticals_at(vs, 301)
    assert a <= 102 and b >= 498
    img = _page()
    _table(img)
    for y in range(110, 490, 30):
        img[y:y + 18, 300:303] = True                  # "1" under "1" under "1", rows 30 apart
    _, vs = ruling(img, FULL_DPI, dashed=True)
    assert _verticals_at(vs, 301) == []


def test_a_stroke_below_a_lines_end_does_not_continue_it():
    """"（七）总计" spans the row under the last stretch of a column line, and
    计's upright stroke stands at that line's x: the line ends on the
    horizontal line, and the cell is not cut through the character."""
    img = _page()
    _table(img, ys=(100, 200, 300, 400, 440))
    _vline(img, 300, 100, 403, on=300, off=0)          # the column line, ends at y=400
    img[411:432, 300:303] = True                       # 计's upright stroke at the line's x
    img[414:416, 291:312] = True                       # and its cross stroke
    img[418:420, 286:296] = True                       # 讠 beside it
    _, vs = ruling(img, FULL_DPI, dashed=True)
    [(a, b)] = _verticals_at(vs, 301)
    assert b < 411


def test_a_large_characters_stroke_across_a_narrow_cell_is_no_horizontal_line():
    """The page-break fixture's large type: the bottom stroke of 正 runs
    across most of a narrow cell of 表四's header, a wall's width of white
    either side.  Windows half ink bridged those gaps and the stroke went
    from wall to wall, a row line through the header (the figures' row was
    lost under it).  A run of dashes is cut where a gap is twice a dash gap."""
    img = _page()
    _table(img)
    _vline(img, 190, 100, 503, on=400, off=0)
    img[150:153, 122:168] = True                       # 46 px of stroke, 19 px from each wall
    hs, _ = ruling(img, FULL_DPI, dashed=True)
    assert [h for h in hs if abs(h.pos - 151) <= 3] == []
    _hline(img, 250, 100, 503, on=18, off=8)           # a faded row line still is one
    hs, _ = ruling(img, FULL_DPI, dashed=True)
    assert [h for h in hs if abs(h.pos - 251) <= 3]


def test_a_stroke_touching_a_lines_end_is_cut_off_it():
    """A blurred scan: 他 of "（六）其他处理" stands under a column line that
    ends on the row line above, and its 亻 stroke, at the line's x, touches
    that row line.  The line ends on the row line, not 12 points into the
    row: it had cut the label in two ("(六)其" | "也处理", row not found)."""
    img = _page()
    _table(img, ys=(100, 200, 300, 400, 440))
    _vline(img, 300, 100, 303, on=300, off=0)          # the column line, ends on the row at y=300
    img[303:330, 300:303] = True                       # 亻's stroke, joined to it by the blur
    for mode in (False, True):
        _, vs = ruling(img, FULL_DPI, dashed=mode)
        [(a, b)] = _verticals_at(vs, 301)
        assert b <= 303, (mode, b)


def test_a_line_of_text_in_a_cell_is_no_horizontal_line():
    """The horizontal strokes of a line of characters, half ink along the
    text, reach neither wall of their cell: no line (it had split a row)."""
    img = _page()
    _table(img)
    _vline(img, 300, 100, 503, on=400, off=0)
    _hline(img, 150, 130, 270, on=7, off=5)            # text strokes inside the cell 100–300
    hs, _ = ruling(img, FULL_DPI, dashed=True)
    assert [h for h in hs if abs(h.pos - 151) <= 3] == []
    _hline(img, 250, 100, 503, on=24, off=6)           # a faded row line from wall to wall
    hs, _ = ruling(img, FULL_DPI, dashed=True)
    assert [h for h in hs if abs(h.pos - 251) <= 3]


# --------------------------------------------------------------------------
# A table's lines left out when its text is cut into lines
# (``ocr_ruling.rule_ink`` and ``ocr_cells.page_crops``, for
# ``ocr_cells.read_lines``)
# --------------------------------------------------------------------------

def _faded_lines(img):
    for y in (100, 200, 300, 400, 500):
        _hline(img, y, 100, 503, on=18, off=6)
    for x in (100, 250, 350, 450, 500):
        _vline(img, x, 100, 503, on=18, off=6)


def _faded_table(img):
    """A 4-column table of faded lines (dashes, 75% ink) with a "figure" in
    every cell and a label line in the first column, a line of text above."""
    _faded_lines(img)
    for y in (130, 230, 330, 430):
        _hline(img, y, 115, 225, on=9, off=4)              # label: strokes along a line of text
        img[y - 8:y + 12, 115:122] = True
        for x in (290, 390, 470):
            img[y - 24:y - 4, x:x + 8] = True              # a figure at each cell's top
    _hline(img, 60, 100, 500, on=9, off=4)                 # a heading above the table
    img[52:72, 100:500:13] = True


def test_faded_lines_are_taken_out_and_the_text_is_left():
    """The label lines in the first column are as long as a line and half
    ink, like a faded row line, but run through no column line."""
    from gxaudit.core.ingest.ocr_ruling import rule_ink
    img, lines = _page(), _page()
    _faded_table(img)
    _faded_lines(lines)
    mask = rule_ink(img)
    assert mask[lines].mean() > 0.97
    assert not mask[img & ~lines].any()                   # the heading's stroke at x=100 too


def test_text_lines_of_a_faded_table_are_cut_cell_by_cell():
    """Left in, the dashed column lines had ink on every row of the table,
    so the whole table was one band of "text"; a row line just above a cell's
    text joined it, as wide as the table.  Now each cell's text is a crop."""
    from gxaudit.core.ingest.ocr_cells import page_crops
    from gxaudit.core.ingest.ocr_ruling import rule_ink
    img = _page()
    _faded_table(img)
    assert page_crops(img, FULL_DPI, 1.0)[1]               # with the lines: one tall band
    crops, tall = page_crops(img & ~rule_ink(img), FULL_DPI, 1.0)
    assert tall == []
    heading = [c for c in crops if c.y1 < 90]
    assert len(heading) == 1 and heading[0].x1 - heading[0].x0 > 380
    cells = [c for c in crops if c.y0 > 90]
    assert len(cells) == 4 * 4
    assert all(c.x1 - c.x0 < 140 for c in cells)


def test_a_line_of_text_on_a_page_without_a_table_is_left():
    """A long line of running text, its strokes half ink across half the
    page's width, runs through no column line: never a ruling line."""
    from gxaudit.core.ingest.ocr_ruling import rule_ink
    img = _page()
    _hline(img, 300, 20, 580, on=9, off=4)
    img[292:312, 20:580:13] = True
    assert not rule_ink(img).any()


# --------------------------------------------------------------------------
# A lone slash the recogniser reads as a one-stroke glyph (ocr_cells._slashes)
# --------------------------------------------------------------------------

def _stroke_crop(lean: float):
    """A 40 × 60 crop with one thin stroke through its middle, leaning
    ``lean`` degrees from upright."""
    import math
    img = np.zeros((60, 40), dtype=bool)
    for y in range(8, 52):
        x = int(round(20 + (30 - y) * math.tan(math.radians(lean))))
        img[y, x:x + 3] = True
    return img


@pytest.mark.parametrize("read", ["1", "I", "l", "|"])
def test_a_leaning_one_stroke_glyph_is_a_slash_and_an_upright_one_is_not(read):
    """At 300 dpi the recogniser read 表二's third "/" as "I" (the row of
    规章 was not found: three cells flagged); any one-stroke reading of a
    leaning stroke is the slash, an upright one stays what was read."""
    from gxaudit.core.ingest.ocr_cells import _slashes
    from gxaudit.core.ingest.ocr_engine import OcrLine, Piece
    for lean, expected in ((20.0, "/"), (0.0, read)):
        line = OcrLine(read, 0, 0, 40, 60, 0.99, [Piece(read, 0, 0, 40, 60, 0.99, 0)])
        _slashes([line], _stroke_crop(lean))
        assert line.text == expected, (lean, line.text)


def _grey_table(shade_rows=()):
    """A page image in grey levels: a frame and a middle column line in
    black, a row line at y=300 faded to light grey (220 on white), and
    ``shade_rows`` (y0, y1) shaded flat grey (210) across the table."""
    gray = np.full((H, W), 255, dtype=np.uint8)
    for y0, y1 in shade_rows:
        gray[y0:y1, 100:503] = 210
    for y in (100, 500):
        gray[y:y + 3, 100:503] = 0
    for x in (100, 300, 500):
        gray[100:503, x:x + 3] = 0
    gray[300:303, 103:500] = 220
    return gray


def _rows_at(hs, y):
    return [(h.a, h.b) for h in hs if abs(h.pos - y) <= 3]


def test_a_row_line_fainter_than_ink_is_found_from_the_page_itself():
    """The page-break fixture's faint scan: the line under 表四's header
    was 30 grey levels under white, lighter than the ink threshold, so
    header and figures were one band and the row of figures was lost.
    Given the page's grey levels, a thin mark that much darker than the
    paper and than the page just above and below it is a line."""
    gray = _grey_table()
    dark = gray < 128
    hs, _ = ruling(dark, FULL_DPI, dashed=True)
    assert _rows_at(hs, 301) == []
    hs, _ = ruling(dark, FULL_DPI, dashed=True, gray=gray)
    [(a, b)] = _rows_at(hs, 301)
    assert a <= 105 and b >= 498


def test_a_shaded_row_is_no_faint_line():
    """表二's section rows are shaded grey: flat, not thin, so no line."""
    gray = _grey_table(shade_rows=[(150, 200)])
    hs, _ = ruling(gray < 128, FULL_DPI, dashed=True, gray=gray)
    assert [h.pos for h in hs if 104 < h.pos < 296] == []


def test_a_characters_stroke_crossed_by_another_is_no_column_line():
    """十 of "第二十条" and 牛 of 件, their upright stroke as tall as the row
    it stands in: a short stroke crosses it, as no column line is crossed
    (a row line crossing runs on).  A column line a glyph touches from one
    side stays."""
    img = _page()
    _table(img, ys=(100, 170, 240, 310, 400, 500), xs=(100, 400, 500))
    img[173:240, 250:253] = True                  # 十: upright stroke, row line to row line
    img[200:203, 230:272] = True                  #     crossed by a short stroke
    img[200:203, 380:399] = True                  # a glyph's stroke touching the column line at 400
    _, vs = ruling(img, FULL_DPI, dashed=True)
    assert _verticals_at(vs, 251) == []
    assert _verticals_at(vs, 401) != []
