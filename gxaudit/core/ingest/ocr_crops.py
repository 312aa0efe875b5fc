"""One OCR crop of a table read without its lines, judged by its ink: the
figures of neighbouring columns that what is left of a faded line joined
into one crop, shared out one to each (``figure_pieces``), and a lone dash
that is the placeholder "—" (``is_dash_crop``)."""
from __future__ import annotations

import re

from .ocr_cells import DASH_SHAPE, DASH_THIN, LINE_PT, MIN_SLANT_PIXELS, _merge_parts, _runs
from .ocr_engine import OcrLine


# A crop's pieces of ink at least this share of its tallest piece's height
# are glyphs; flatter ones (what is left of a faded row line, a dash) are not.
GLYPH_SHARE = 0.5
# Glyphs further apart than this many glyph heights are two figures: the
# digits of one number stand closer ("45", "12.5", "11" in a monospaced font),
# and figures of two columns further apart.
FIGURE_GAP = 1.0
# A figure as one OCR piece reads.
FIGURE = re.compile(r"^[-+]?\d[\d,.]{0,20}$")


def figure_pieces(ln: OcrLine, ink) -> list[tuple[str, float, float]] | None:
    """A crop read as figures, each figure with the x extent of its own ink
    in the image, [(text, x0, x1)]: what is left of a faded row line along
    the crop is no part of it, and a crop whose ink stands apart as several
    figures (neighbouring columns joined into one crop by what is left of a
    faded line between them, read as "0 0 8" or, the spaces lost, "008")
    is one figure to each.  [] when the text cannot be shared out among
    them (the crop is then no figure); None when the crop is no figures."""
    import numpy as np
    tokens = ln.text.split()
    if not tokens or not all(FIGURE.match(t) for t in tokens):
        return None
    x0, y0 = max(0, int(ln.x0)), max(0, int(ln.y0))
    region = ink[y0:int(ln.y1), x0:int(ln.x1)]
    tallest = _glyph_height(region)
    region = region & ~_flat_strokes(region, tallest)
    runs = []
    for s, e in _runs(region.any(axis=0)):
        rows = np.nonzero(region[:, s:e].any(axis=1))[0]
        runs.append((s, e, int(rows[-1] - rows[0]) + 1))
    figures = _merge_parts([(s, e) for s, e, hgt in runs if hgt >= GLYPH_SHARE * tallest],
                           FIGURE_GAP * tallest)
    if len(figures) == len(tokens):
        pass
    elif len(tokens) == 1 and tokens[0].isdigit() and len(figures) == len(tokens[0]):
        tokens = list(tokens[0])                  # "008": one digit to each figure
    else:
        return []
    return [(t, float(x0 + s), float(x0 + e)) for t, (s, e) in zip(tokens, figures)]


def _glyph_height(region) -> int:
    """The height of the tallest piece of ink (by columns) in a crop."""
    import numpy as np
    best = 0
    for s, e in _runs(region.any(axis=0)):
        rows = np.nonzero(region[:, s:e].any(axis=1))[0]
        best = max(best, int(rows[-1] - rows[0]) + 1)
    return best


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
