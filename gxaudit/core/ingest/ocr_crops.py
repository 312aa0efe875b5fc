"""The OCR crops of a table read without its lines (``unruled_rows``), each
judged by its ink: the figures of neighbouring columns that what is left
of a faded line joined into one crop, shared out one to each
(``figure_pieces``); a lone dash that is the placeholder "—"
(``is_dash_crop``); a figure's edge "1" that may be a piece of a faded
column line (``_rule_as_one``); a heading in large type (``_large_type``)."""
from __future__ import annotations

import re
import statistics
from typing import TYPE_CHECKING

from ..document import Row
from .ocr_cells import DASH_SHAPE, DASH_THIN, LINE_PT, MIN_SLANT_PIXELS, _merge_parts, _runs
from .ocr_engine import OcrLine

if TYPE_CHECKING:
    from .ocr_grid import _Frame


# A crop's pieces of ink at least this share of its tallest piece's height
# are glyphs; flatter ones (what is left of a faded row line, a dash) are not.
GLYPH_SHARE = 0.5
# Glyphs further apart than this many glyph heights are two figures: the
# digits of one number stand closer ("45", "12.5", "11" in a monospaced font),
# and figures of two columns further apart.
FIGURE_GAP = 1.0
# A figure as one OCR piece reads.
FIGURE = re.compile(r"^[-+]?\d[\d,.]{0,20}$")
# Two runs of digits apart on one line of a cell or crop ("0 0"): never one number.
TWO_FIGURES = re.compile(r"\d[ ]{1,8}\d")


def figure_pieces(ln: OcrLine, ink) -> list[tuple[str, float, float]] | None:
    """A crop read as figures, each figure with the x extent of its own ink
    in the image, [(text, x0, x1)]: what is left of a faded row line along
    the crop is no part of it, and a crop whose ink stands apart as several
    figures (neighbouring columns joined into one crop by what is left of a
    faded line between them, read as "0 0 8" or, the spaces lost, "008")
    is one figure to each.  [] when the text cannot be shared out among
    them (the crop is then no figure); None when the crop is no figures."""
    tokens = ln.text.split()
    if not tokens or not all(FIGURE.match(t) for t in tokens):
        return None
    x0, y0 = max(0, int(ln.x0)), max(0, int(ln.y0))
    region = ink[y0:int(ln.y1), x0:int(ln.x1)]
    tallest = max((hgt for _s, _e, hgt in _column_runs(region)), default=0)
    region = region & ~_flat_strokes(region, tallest)
    figures = _merge_parts([(s, e) for s, e, hgt in _column_runs(region) if hgt >= GLYPH_SHARE * tallest],
                           FIGURE_GAP * tallest)
    if len(figures) != len(tokens):
        if not (len(tokens) == 1 and tokens[0].isdigit() and len(figures) == len(tokens[0])):
            return []
        tokens = list(tokens[0])                  # "008": one digit to each figure
    return [(t, float(x0 + s), float(x0 + e)) for t, (s, e) in zip(tokens, figures)]


def _column_runs(region) -> list[tuple[int, int, int]]:
    """The runs of columns with ink in a crop, each with the height its ink spans."""
    import numpy as np
    out = []
    for s, e in _runs(region.any(axis=0)):
        rows = np.nonzero(region[:, s:e].any(axis=1))[0]
        out.append((s, e, int(rows[-1] - rows[0]) + 1))
    return out


def _flat_strokes(region, length: int):
    """Horizontal strokes at least ``length`` long (no digit has one as long
    as a digit is tall): what is left of a faded row line across a crop."""
    import cv2
    import numpy as np
    if length < 2:
        return np.zeros_like(region, dtype=bool)
    kernel = np.ones((1, length), np.uint8)
    return cv2.morphologyEx(region.astype(np.uint8), cv2.MORPH_OPEN, kernel).astype(bool)


def is_dash_crop(ln: OcrLine, ink, dpi: float) -> bool:
    """Whether a crop read as a lone dash-like glyph ("一", "_", "-": what
    the recogniser makes of "—") is one thin horizontal stroke on a line of
    text (its crop as tall as half a line at least): the placeholder "—",
    not a character, nor what is left of a faded row line."""
    import numpy as np
    if ln.text.strip() not in DASHLIKE or ln.y1 - ln.y0 < 0.5 * LINE_PT * dpi / 72:
        return False        # a crop as thin as a stroke: what is left of a row line, alone in its band
    region = ink[max(0, int(ln.y0)):int(ln.y1), max(0, int(ln.x0)):int(ln.x1)]
    ys, xs = np.nonzero(region)
    if len(xs) < MIN_SLANT_PIXELS:
        return False
    height, width = int(ys.max() - ys.min()) + 1, int(xs.max() - xs.min()) + 1
    return width >= DASH_SHAPE * height and height <= DASH_THIN * dpi


# What the recogniser makes of a lone dash.
DASHLIKE = {"一", "_", "＿", "-", "－", "–", "―", "—"}


# An OCR crop taller than this many median crop heights spans several lines.
TALL_CROP = 1.6


def unruled_rows(lines: list[OcrLine], frame: _Frame, page_no: int, dark=None, ink=None) -> list[Row] | None:
    """A table whose lines the scan lost (faint, broken or never drawn): its
    OCR'd crops read as the words of a table without ruling lines
    (pdfloose.py), or None when they hold too few figures.  A figure whose
    first or last "1" may be a piece of a faded ruling line (``dark``: ink
    continues above or below it) is flagged.  ``ink``: the ink the crops
    were cut from (``dark`` unless the lines were taken out)."""
    from .pdfloose import rows_of
    ink = dark if ink is None else ink
    crops, heights = [], []
    for ln in lines:
        if ln.text.strip():
            y0, y1 = _ink_rows(ln, ink)
            for c in _crop_chars(ln, frame, dark, ink):
                crops.append(c)
                heights.append((y1 - y0) * frame.scale)
    if not crops:
        return None
    line = statistics.median(c.height for c in crops)
    # A crop whose ink is taller than a line holds several lines read as one
    # (three rows' figures as "011"): never a figure or a label, only ink in
    # its place; unless its words are as wide as one line of glyphs that
    # tall (a heading in larger type: "四、政府信息公开行政复议、行政诉讼情况").
    # Its own ink against the usual height of a crop: a crop is cut as high as
    # its whole line of the page, which a label set lower in the next column
    # may make taller than a line.
    is_tall = [h > TALL_CROP * line and not _large_type(c, h) for c, h in zip(crops, heights)]
    return rows_of([c for c, t in zip(crops, is_tall) if not t], page_no,
                   ink=[c for c, t in zip(crops, is_tall) if t], crops=True)


# One line of Chinese in large type: at least this share of a square glyph's
# width per character.
LARGE_TYPE_WIDTH = 0.6


def _large_type(crop, height: float | None = None) -> bool:
    """Whether a tall crop reads as one line of Chinese in larger type
    (``height``: its ink's, the crop's own when not given)."""
    text = crop.ch.strip()
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    height = crop.height if height is None else height
    return cjk >= 1 and len(text) >= 2 and crop.x1 - crop.x0 >= LARGE_TYPE_WIDTH * len(text) * height


def _crop_chars(ln: OcrLine, frame: _Frame, dark, ink) -> list:
    """One crop as the "characters" pdfloose places: the crop as read; a
    lone dash-like glyph that is one thin stroke as "—"; a crop of several
    figures (neighbouring columns run together) one per figure where its
    ink shows each (``figure_pieces``), else flagged, never one number."""
    from .pdfgrid import Char
    text = ln.text.strip()
    score = 0.0 if dark is not None and _rule_as_one(ln, text, dark, ink) else round(ln.score, 4)
    pieces = [(text, ln.x0, ln.x1)]
    if ink is not None and is_dash_crop(ln, ink, frame.dpi):
        pieces = [("—", ln.x0, ln.x1)]
    elif ink is not None:
        split = figure_pieces(ln, ink)
        if split == []:
            score = 0.0
        pieces = split or pieces
    if TWO_FIGURES.search(text) and len(pieces) == 1:
        score = 0.0
    out = []
    for piece, px0, px1 in pieces:
        x0, top, x1, bottom = frame.bbox(px0, ln.y0, px1, ln.y1)
        out.append(Char(piece, (x0 + x1) / 2, (top + bottom) / 2, x0, x1, top, bottom, score))
    return out


def _ink_rows(ln: OcrLine, ink) -> tuple[float, float]:
    """The rows a crop's own ink spans (the crop's own when it has none)."""
    if ink is None:
        return ln.y0, ln.y1
    x0, y0 = max(0, int(ln.x0)), max(0, int(ln.y0))
    rows = ink[y0:int(ln.y1), x0:int(ln.x1)].any(axis=1).nonzero()[0]
    if not len(rows):
        return ln.y0, ln.y1
    return float(y0 + rows[0]), float(y0 + rows[-1] + 1)


# A figure opening or ending with a 1; the share of the rows above or below
# it on which a column line going on through that 1 has ink.
_EDGE_ONE = re.compile(r"^1\d|\d1$")
RULE_ROWS = 0.33


def _rule_as_one(ln: OcrLine, text: str, dark, ink=None) -> bool:
    """Whether a figure's first or last "1" may be a piece of a faded
    vertical ruling line: the crop's outermost column of ink (``ink``: the
    ink the crop was cut from, ``dark`` unless the lines were taken out) on
    that side goes on in ``dark`` straight above or below the crop, on at
    least RULE_ROWS of the rows within its height (a row line crossing there
    is a few rows: every figure of a table has one above or below it).
    With the lines taken out, a figure's own 1 beside a line is judged by
    its own stroke, not by the line next to it."""
    if not _EDGE_ONE.search(text):
        return False
    ink = dark if ink is None else ink
    h, w = dark.shape
    x0, y0, x1, y1 = (int(round(v)) for v in (ln.x0, ln.y0, ln.x1, ln.y1))
    x0, x1, y0, y1 = max(x0, 0), min(x1, w), max(y0, 0), min(y1, h)
    cols = ink[y0:y1, x0:x1].any(axis=0).nonzero()[0]
    if len(cols) == 0:
        return False
    span = y1 - y0
    for first, x in ((True, x0 + int(cols[0])), (False, x0 + int(cols[-1]))):
        if (first and not text.startswith("1")) or (not first and not text.endswith("1")):
            continue
        strip = slice(max(x - 1, 0), min(x + 2, w))
        above = dark[max(y0 - span, 0):y0, strip].any(axis=1)
        below = dark[y1:min(y1 + span, h), strip].any(axis=1)
        if any(len(run) and run.mean() >= RULE_ROWS for run in (above, below)):
            return True
    return False
