"""Pages read line by line: recognition only, on crops of the page image.

The grid (ruling lines → cells) already says where every cell is, so the
text detector has nothing to find inside a table.  Each cell's inside is cut
out of the straightened page, split into its text lines by the ink's
horizontal profile, and every line goes to the recogniser alone, in
batches.  That is both faster and lighter than the detector over a whole
page at full resolution (the detector's feature maps on a 1400 × 2000 image
were most of the reader's memory), and a number can only ever be read inside
the cell it is printed in.

A cell's confidence is the lowest score of its characters, as on the full
pipeline.  Specks below the ink threshold are not text; ink that the
recogniser reads as nothing leaves the cell with ink and no text, which the
caller flags as unreadable.

Running text (the pages without tables, and the headings around the tables)
is cut into lines the same way, by the page's ink profile: a page of a
report is one column of lines.  Only a band of ink much taller than a line
(a seal, a picture, lines run together) goes to the detector, alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from .gridfind import Table, _regions
from .ocr_ruling import rule_ink
from . import ocr_engine
from .ocr_engine import OcrLine, Piece

# Typical table type: 9–12 pt.  Sizes below are in points at the page image's dpi.
LINE_PT = 10.5          # height of a line of text
INSET_PT = 1.8          # a cell's border (up to 3 pt thick, centred on the boundary) and its antialiasing
TALL_LINE = 1.6         # a band of ink in a cell taller than this many table lines is no text line
PAD_PX = 3              # white kept around a line's ink for the recogniser
WALL_SHARE = 0.3        # a column line taken out crosses this share of a line's height at least
SLASH_LEAN = 12.0       # degrees from upright: a lone "1" leaning this much is a slash "/"
MIN_SLANT_PIXELS = 8    # ink pixels needed to tell how a glyph leans
SLASH_MAX = 35.0        # ... and at most this much (steeper is no slash of a table's font)
SLASH_THIN = 0.2        # a slash's width across it over its length: a pen stroke
SLASH_INK = 0.85        # share of the crop's ink in its one stroke for a clean slash
SLASH_SCORE = 0.85      # the score of a clean slash: read, listed as doubtful (confidence.py)
DASH_SCORE = 0.85       # ... and of a dash the recogniser left unread
DASH_SHAPE = 3.0        # a dash is at least this many times as wide as it is tall
DASH_THIN = 0.08        # ... and at most this share of an inch tall (a stroke, not a glyph)


@dataclass
class Crop:
    """One line of ink inside a cell (or outside the tables), in image pixels."""
    x0: int
    y0: int
    x1: int
    y1: int
    line: int              # crops with the same line index sit on one text line


def min_ink(dpi: float) -> int:
    """Fewer dark pixels than this is a speck, not a character (a digit "1" in
    9-point type is about 2 × 14 pixels at 170 dpi)."""
    return max(10, int(12 * (dpi / 170) ** 2))


def _runs(flags) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    import numpy as np
    f = np.concatenate(([False], np.asarray(flags, dtype=bool), [False]))
    d = np.diff(f.astype(np.int8))
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist()))


def _merge_bands(bands: list[tuple[int, int]], height: float) -> list[tuple[int, int]]:
    """Join the pieces of one text line that the profile split: a band much
    lower than a line (the strokes of 二 or 三, a dash, a comma) joins its
    nearest neighbour when both fit in one line's height."""
    bands = list(bands)
    changed = True
    while changed and len(bands) > 1:
        changed = False
        for k, (s, e) in enumerate(bands):
            if e - s >= 0.6 * height:
                continue
            options = []
            if k > 0 and s - bands[k - 1][1] <= 0.4 * height and e - bands[k - 1][0] <= 1.4 * height:
                options.append((s - bands[k - 1][1], k - 1))
            if k + 1 < len(bands) and bands[k + 1][0] - e <= 0.4 * height \
                    and bands[k + 1][1] - s <= 1.4 * height:
                options.append((bands[k + 1][0] - e, k + 1))
            if not options:
                continue
            _, other = min(options)
            lo, hi = min(k, other), max(k, other)
            bands[lo:hi + 1] = [(bands[lo][0], bands[hi][1])]
            changed = True
            break
    return bands


def _trim_edges(region):
    """Rows and columns at a crop's edges that are mostly ink are what is left
    of a ruling line (a page turned a little): cleared."""
    region = region.copy()
    h, w = region.shape
    for _ in range(3):
        if h and region[0].mean() > 0.5:
            region[0] = False
        if h and region[-1].mean() > 0.5:
            region[-1] = False
        if w and region[:, 0].mean() > 0.5:
            region[:, 0] = False
        if w and region[:, -1].mean() > 0.5:
            region[:, -1] = False
    return region


def line_crops(dark, box, dpi: float, first_line: int = 0) -> list[Crop] | None:
    """The text lines of ink inside one box (x0, y0, x1, y1) of the image, each
    split where a gap wider than two lines' height separates its parts; None
    when the box holds ink much taller than a line of table text (a seal or
    a signature over the cell), which only the detector can sort out."""
    inset = int(round(INSET_PT * dpi / 72)) + 1
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    a, b, c, d = y0 + inset, y1 - inset, x0 + inset, x1 - inset
    if b - a < 2 or d - c < 2:
        return []
    region = _trim_edges(dark[a:b, c:d])
    if int(region.sum()) < min_ink(dpi):
        return []
    height = LINE_PT * dpi / 72
    crops: list[Crop] = []
    line = first_line
    h, w = dark.shape
    for s, e in _merge_bands(_runs(region.any(axis=1)), height):
        band = region[s:e]
        if int(band.sum()) < min_ink(dpi):
            continue
        if e - s > TALL_LINE * height:
            return None
        parts = _merge_parts(_runs(band.any(axis=0)), 2 * height)
        for ps, pe in parts:
            if int(band[:, ps:pe].sum()) < min_ink(dpi):
                continue
            crops.append(Crop(max(0, c + ps - PAD_PX), max(0, a + s - PAD_PX),
                              min(w, c + pe + PAD_PX), min(h, a + e + PAD_PX), line))
        line += 1
    return crops


def _merge_parts(runs: list[tuple[int, int]], gap: float, walls=None) -> list[tuple[int, int]]:
    """Runs of ink closer than ``gap`` joined; never across a wall (``walls``:
    True at the x of a ruling line taken out of the image)."""
    out: list[tuple[int, int]] = []
    for s, e in runs:
        if out and s - out[-1][1] <= gap and (walls is None or not walls[out[-1][1]:s].any()):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def table_crops(tables: list[Table], dark, dpi: float) -> tuple[list[Crop], list[list[float]]]:
    """The text lines of every cell (merged regions once) of the tables, and
    the boxes of the cells that need the detector."""
    crops: list[Crop] = []
    tall: list[list[float]] = []
    for t in tables:
        _rep, boxes = _regions(t)
        for box in boxes.values():
            found = line_crops(dark, box, dpi, first_line=len(crops) and crops[-1].line + 1)
            if found is None:
                tall.append(box)
            else:
                crops += found
    return crops, tall


def _clusters(boxes: list[list[float]], pad: float) -> list[list[list[float]]]:
    """Boxes whose padded extents overlap, grouped (a seal's cells together,
    a tall label column on its own)."""
    groups: list[list[list[float]]] = []
    for b in boxes:
        near = [g for g in groups if any(b[0] - pad <= o[2] + pad and o[0] - pad <= b[2] + pad
                                         and b[1] - pad <= o[3] + pad and o[1] - pad <= b[3] + pad
                                         for o in g)]
        merged = [b] + [o for g in near for o in g]
        groups = [g for g in groups if not any(g is n for n in near)] + [merged]
    return groups


def _recognised(gray, crops: list[Crop], keep_empty: bool) -> list[OcrLine]:
    """Each crop read by the recogniser: one OCR line holding one piece.  In a
    cell an empty reading is kept (ink that reads as nothing makes the cell
    unreadable); in running text it is dropped."""
    texts = ocr_engine.recognise(gray, [(c.x0, c.y0, c.x1, c.y1) for c in crops])
    out: list[OcrLine] = []
    for c, (text, score) in zip(crops, texts):
        if text or keep_empty:
            piece = Piece(text, c.x0, c.y0, c.x1, c.y1, round(score, 4), c.line)
            out.append(OcrLine(text, c.x0, c.y0, c.x1, c.y1, piece.score, [piece]))
    return out


def _detected(gray, box: tuple[int, int, int, int], pieces: bool, line_base: int) -> list[Piece]:
    """The detector and recogniser over one region of the page: its characters
    (``pieces``) or its lines, each as a piece in page pixels."""
    x0, y0, x1, y1 = box
    out: list[Piece] = []
    for k, ln in enumerate(ocr_engine.run_ocr(gray[y0:y1, x0:x1], pieces=pieces)):
        for p in (ln.pieces if pieces else [ln]):
            out.append(Piece(p.text, p.x0 + x0, p.y0 + y0, p.x1 + x0, p.y1 + y0, p.score, line_base + k))
    return out


@dataclass
class _Stroke:
    lean: float       # degrees from upright of the largest piece of ink
    share: float      # that piece's share of the crop's ink
    thin: float       # its width across its axis over its length (a pen stroke: small)
    spans: bool       # it runs from the crop's top edge to its bottom edge


def _slant(dark, box) -> _Stroke | None:
    """The largest piece of ink in a crop, as a stroke (principal axes), or
    None when there is too little of it."""
    import numpy as np
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    region = dark[y0:y1, x0:x1]
    ys, xs = _largest_blot(region)
    if len(xs) < MIN_SLANT_PIXELS:
        return None
    cov = np.cov(np.vstack((xs.astype(float), ys.astype(float))))
    vals, vecs = np.linalg.eigh(cov)
    vx, vy = vecs[:, int(np.argmax(vals))]
    return _Stroke(float(np.degrees(np.arctan2(abs(vx), abs(vy)))), len(xs) / max(int(np.count_nonzero(region)), 1),
                   float(np.sqrt(max(vals.min(), 0.0) / max(vals.max(), 1e-9))),
                   bool(ys.min() == 0 and ys.max() == region.shape[0] - 1))


def _largest_blot(region):
    """Pixel coordinates (ys, xs) of the largest 8-connected piece of ink in
    a small crop: the glyph, without a speck or a seal's stroke beside it."""
    import numpy as np
    ink = region > 0
    seen = np.zeros_like(ink, dtype=bool)
    best: list[tuple[int, int]] = []
    h, w = ink.shape
    for y, x in zip(*np.nonzero(ink)):
        if seen[y, x]:
            continue
        seen[y, x] = True
        stack, blot = [(int(y), int(x))], []
        while stack:
            cy, cx = stack.pop()
            blot.append((cy, cx))
            for ny in range(max(cy - 1, 0), min(cy + 2, h)):
                for nx in range(max(cx - 1, 0), min(cx + 2, w)):
                    if ink[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        if len(blot) > len(best):
            best = blot
    if not best:
        return np.array([], dtype=int), np.array([], dtype=int)
    pts = np.array(best)
    return pts[:, 0], pts[:, 1]


def dash_in(dark, box, dpi: float) -> bool:
    """Whether a cell's ink (inside its borders) is one thin horizontal
    stroke: a dash placeholder ("—") the recogniser returned nothing for."""
    import numpy as np
    inset = int(4 * dpi / 72)
    x0, y0, x1, y1 = (int(v) for v in box)
    region = dark[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
    if region.size == 0:
        return False
    ys, xs = _largest_blot(region)
    if len(xs) < MIN_SLANT_PIXELS or len(xs) < SLASH_INK * int(np.count_nonzero(region)):
        return False
    height, width = int(ys.max() - ys.min()) + 1, int(xs.max() - xs.min()) + 1
    return width >= DASH_SHAPE * height and height <= DASH_THIN * dpi


# What the recogniser makes of a lone slash: "1" mostly, "I", "l" or "|"
# at times (300 dpi).
ONE_STROKE = ("1", "I", "l", "|")


def _slashes(lines: list[OcrLine], dark) -> None:
    """A cell read as a lone "1" (or another one-stroke glyph, ONE_STROKE)
    whose ink leans like a slash is the placeholder "/" (the recogniser
    reads "/" as "1" with high confidence; a figure 1 stands upright): one
    thin stroke leaning SLASH_LEAN to SLASH_MAX, inside the crop.  A
    leaning "1" that is no such stroke (a seal's arc through it) is
    neither: its reading is flagged."""
    for ln in lines:
        if ln.text.strip() not in ONE_STROKE:
            continue
        stroke = _slant(dark, (ln.x0, ln.y0, ln.x1, ln.y1))
        if stroke is None or stroke.lean < SLASH_LEAN:
            continue
        if stroke.lean <= SLASH_MAX and stroke.thin <= SLASH_THIN and not stroke.spans:
            # The recogniser's score is for a "1"; one clean leaning
            # stroke is a slash, used but shown as doubtful.
            ln.text = "/"
            for p in ln.pieces:
                p.text = "/"
                p.score = max(p.score, SLASH_SCORE) if stroke.share >= SLASH_INK else p.score
        else:
            for p in ln.pieces:
                p.score = 0.0
        ln.score = min(p.score for p in ln.pieces) if ln.pieces else 0.0


def read_cells(gray, dark, tables: list[Table], dpi: float) -> list[OcrLine]:
    """The tables' cells, line by line, by recognition only; the cells whose
    ink is taller than a line by the detector, around each group of them, at
    the page's own scale, keeping the characters whose centres fall inside
    those cells."""
    crops, tall = table_crops(tables, dark, dpi)
    out = _recognised(gray, crops, keep_empty=True)
    _slashes(out, dark)
    h, w = gray.shape
    pad = int(round(20 * dpi / 72))
    for n, group in enumerate(_clusters(tall, pad)):
        box = (max(0, int(min(b[0] for b in group)) - pad), max(0, int(min(b[1] for b in group)) - pad),
               min(w, int(max(b[2] for b in group)) + pad), min(h, int(max(b[3] for b in group)) + pad))
        for q in _detected(gray, box, True, 2_000_000 + 10_000 * n):
            if any(b[0] <= q.cx <= b[2] and b[1] <= q.cy <= b[3] for b in group):
                out.append(OcrLine(q.text, q.x0, q.y0, q.x1, q.y1, q.score, [q]))
    return out


def blank_tables(gray, tables: list[Table], dpi: float):
    """The page image with its tables painted white (what is left is the
    running text around them)."""
    out = gray.copy()
    pad = int(round(2 * dpi / 72))
    h, w = out.shape
    for t in tables:
        x0, y0, x1, y1 = t.bbox
        out[max(0, int(y0) - pad):min(h, int(y1) + pad + 1), max(0, int(x0) - pad):min(w, int(x1) + pad + 1)] = 255
    return out


def _reference_height(bands: list[tuple[int, int]], dpi: float) -> float:
    """The usual height of a line on this page: the median band at least half
    a table line high (body text is often 14–16 pt, larger than in the tables)."""
    floor = 0.5 * LINE_PT * dpi / 72
    heights = sorted(e - s for s, e in bands if e - s >= floor)
    return float(heights[len(heights) // 2]) if heights else LINE_PT * dpi / 72


def page_crops(dark, dpi: float, split: float, rules=None) -> tuple[list[Crop], list[tuple[int, int, int, int]]]:
    """The lines of running text on a page image: crops for the recogniser,
    each line cut where a gap wider than ``split`` line heights separates its
    parts, or where a column line was taken out (``rules``: the ink of the
    ruling lines taken out of ``dark``): a label written up to its cell's
    wall is not one word with the figure just past it; and the bands too
    tall to be one line, for the detector."""
    rows = dark.sum(axis=1) >= 2                   # a lone speck does not make a line
    bands = _runs(rows)
    height = _reference_height(bands, dpi)
    crops: list[Crop] = []
    tall: list[tuple[int, int, int, int]] = []
    h, w = dark.shape
    for line, (s, e) in enumerate(_merge_bands(bands, height)):
        band = dark[s:e]
        if int(band.sum()) < min_ink(dpi):
            continue
        cols = _runs(band.any(axis=0))
        if e - s > 2.5 * height:
            tall.append((max(0, cols[0][0] - PAD_PX), max(0, s - PAD_PX),
                         min(w, cols[-1][1] + PAD_PX), min(h, e + PAD_PX)))
            continue
        walls = None                                # what is left of a faded row line is not cut
        if rules is not None and e - s >= 0.5 * height:
            walls = rules[s:e].sum(axis=0) >= WALL_SHARE * (e - s)
        for ps, pe in _merge_parts(cols, split * height, walls):
            if int(band[:, ps:pe].sum()) < min_ink(dpi):
                continue
            crops.append(Crop(max(0, ps - PAD_PX), max(0, s - PAD_PX), min(w, pe + PAD_PX),
                              min(h, e + PAD_PX), line))
    return crops, tall


def _without_rules(gray, dark, dpi: float, split: float):
    """(image, ink, crops, tall bands) of a page with its ruling lines taken
    out (painted white), or None when they joined no lines of text.  A table
    whose lines faded to dashes has ink on every row along each column line:
    read without its lines, the whole table was one band nothing could read.
    Lines are taken to join text when the tallest crop or band, three lines
    high at least, is no more than half as tall without them."""
    def tallest(crops, tall) -> int:
        return max([c.y1 - c.y0 for c in crops] + [b[3] - b[1] for b in tall], default=0)

    before = tallest(*page_crops(dark, dpi, split))
    if before < 3 * LINE_PT * dpi / 72:
        return None
    rules = rule_ink(dark)
    clean = dark & ~rules
    crops, tall = page_crops(clean, dpi, split, rules)
    if tallest(crops, tall) > before / 2:
        return None
    gray = gray.copy()
    gray[rules] = 255
    return gray, clean, crops, tall


def read_lines(gray, dark, dpi: float, split: float = 2.0) -> list[OcrLine]:
    """OCR lines of running text: one per crop, recognition only; the
    detector runs on the tall bands alone."""
    return _lines(gray, *page_crops(dark, dpi, split))


def lines_without_rules(gray, dark, dpi: float, split: float = 2.0):
    """(OCR lines, the ink they were cut from) of a page read with its
    ruling lines taken out, or None when those lines joined no lines of
    text (``_without_rules``).  A lone "1" leaning like a slash is "/"
    here too (a table read without its lines)."""
    taken = _without_rules(gray, dark, dpi, split)
    if taken is None:
        return None
    gray, clean, crops, tall = taken
    out = _lines(gray, crops, tall)
    _slashes(out, clean)
    return out, clean


def _lines(gray, crops: list[Crop], tall: list[tuple[int, int, int, int]]) -> list[OcrLine]:
    """The crops recognised, and the text the detector finds in the tall bands."""
    out = _recognised(gray, crops, keep_empty=False)
    for n, box in enumerate(tall):
        out += [OcrLine(q.text, q.x0, q.y0, q.x1, q.y1, q.score, [q])
                for q in _detected(gray, box, False, 1_000_000 + 10_000 * n)]
    return out
