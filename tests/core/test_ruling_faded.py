"""Ruling lines of a scan whose lines faded to dashes (``ocr_image.ruling``
with ``dashed=True``), on drawn page images at the OCR resolution: a
vertical line is continued through its faded stretch where it is solid
elsewhere, never through a character's stroke past its end; a run of
strokes inside a cell is no horizontal line."""
from __future__ import annotations

import numpy as np

from gxaudit.core.ingest.ocr import FULL_DPI
from gxaudit.core.ingest.ocr_image import ruling

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
