"""Table pages of a text-layer PDF read by PDFium: the ruling lines come
from the page's path objects, the cells from the grid finder the OCR uses
(gridfind.py), each cell's text from PDFium's character boxes.

pdfplumber (pdfminer's parser and its own table finder) reads a page only
where this reader finds no ruled table on it, and otherwise serves as the
second, independent reading of the cells a finding rests on (reread.py).

Rows come out as pdfplumber's did: one grid row per band of the table with
one Span per column (a merged cell's continuation is ``merged`` and carries
the covering cell's box), a full-width cell as a line inside the frame, and
the text outside the tables as one-cell lines, all by vertical position.
Coordinates are PDF points, top-down from the page's box.
"""
from __future__ import annotations

import bisect
import ctypes
from dataclasses import dataclass

from ..document import Row, Span
from .gridfind import Seg, Table, _regions, find_tables
from .layout import is_page_number

# PDFium's path segment kinds (fpdf_edit.h).
_LINETO, _BEZIERTO, _MOVETO = 0, 1, 2
# A segment within this many points of level (plumb) is a horizontal (vertical) rule.
AXIS = 0.8
# Segments shorter than this draw nothing a table is made of (a dot, a tick).
MIN_SEG = 1.0
# More path segments than this on a page: a drawing, not a table.
MAX_SEGMENTS = 20000
# A fill this light, with no stroke, is a background and draws no line.
LIGHT = 245
# Characters whose centres lie this close, with the same code, are one
# glyph printed twice (a fake bold).
DUP = 1.0
# Two characters are on one line when their centres are within this share
# of the taller one's height; a gap wider than SPACE points is a space
# (pdfplumber's x tolerance, so the words come out as they did).
SAME_LINE = 0.45
SPACE = 3.0
# A loose box taller than this many times its width, or than this many
# points, is not the glyph's (a full stop's box is about four times as
# tall as wide).
LOOSE_RATIO = 6.0
LOOSE_TALL = 48.0
# Half a point inside the cell's frame: a glyph centred on the border is nobody's.
INSET = 0.5


@dataclass
class Char:
    ch: str            # one character (a PDF glyph) or a few (an OCR crop)
    cx: float          # centre of the glyph's box, top-down
    cy: float
    x0: float          # the character's (loose) box: advance and font height
    x1: float
    top: float
    bottom: float
    score: float = 1.0  # OCR confidence (1 for a text layer)

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _matrix_on(m, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _compose(outer, inner):
    """The matrix that applies ``inner`` and then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _visible(raw) -> bool:
    import pypdfium2.raw as pdfium_c
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(raw, fill, stroke):
        return False
    if stroke.value:
        return True
    if not fill.value:
        return False
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if pdfium_c.FPDFPageObj_GetFillColor(raw, r, g, b, a):
        if a.value == 0 or min(r.value, g.value, b.value) >= LIGHT:
            return False
    return True


def _path_points(raw, m) -> list[list[tuple[float, float]]]:
    """A path's subpaths as polylines in page space (curves are skipped:
    a rounded corner is not a rule)."""
    import pypdfium2.raw as pdfium_c
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(raw)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, k)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pt = _matrix_on(m, x.value, y.value)
        if kind == _MOVETO or not subpaths:
            subpaths.append([pt])
        elif kind == _LINETO:
            subpaths[-1].append(pt)
        else:                                   # a curve: its end starts a new polyline
            subpaths.append([pt])
        if pdfium_c.FPDFPathSegment_GetClose(seg) and len(subpaths[-1]) > 1:
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _raw_objects(page, max_depth: int = 4):
    """(raw object, its matrix in page space) for the page's path objects,
    those inside Form XObjects included (PDFium's raw calls: a Python
    wrapper per object costs more than reading the lines)."""
    import pypdfium2.raw as pdfium_c
    fs = pdfium_c.FS_MATRIX()
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

    def walk(count, get, parent, outer, depth):
        for k in range(count(parent)):
            obj = get(parent, k)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, fs):
                continue
            m = _compose(outer, (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f))
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                yield obj, m
            elif depth < max_depth:
                yield from walk(pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject,
                                obj, m, depth + 1)

    yield from walk(pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, page.raw, identity, 0)


def page_rules(page) -> tuple[list[Seg], list[Seg]]:
    """The page's horizontal and vertical rules, top-down from the page's box.
    A page drawn with more than MAX_SEGMENTS segments (a map, a chart made
    of dots) is a drawing, not a table: no rules."""
    import pypdfium2.raw as pdfium_c
    left, _bottom, _right, top = page.get_bbox()
    hs: list[Seg] = []
    vs: list[Seg] = []
    budget = MAX_SEGMENTS
    for raw, m in _raw_objects(page):
        budget -= pdfium_c.FPDFPath_CountSegments(raw)
        if budget < 0:
            return [], []
        if not _visible(raw):
            continue
        for pts in _path_points(raw, m):
            for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
                xa, xb, ya, yb = xa - left, xb - left, top - ya, top - yb
                if abs(ya - yb) <= AXIS and abs(xa - xb) >= MIN_SEG:
                    hs.append(Seg((ya + yb) / 2, min(xa, xb), max(xa, xb)))
                elif abs(xa - xb) <= AXIS and abs(ya - yb) >= MIN_SEG:
                    vs.append(Seg((xa + xb) / 2, min(ya, yb), max(ya, yb)))
    return hs, vs


def page_chars(page, textpage=None) -> list[Char]:
    """The page's printed characters (no spaces, no generated ones, a glyph
    printed twice over itself once), in the text page's order."""
    import pypdfium2.raw as pdfium_c
    left, _bottom, _right, top = page.get_bbox()
    tp = textpage if textpage is not None else page.get_textpage()
    raw = tp.raw
    chars: list[Char] = []
    seen: dict[str, list[tuple[float, float]]] = {}
    d = [ctypes.c_double() for _ in range(4)]
    loose = pdfium_c.FS_RECTF()
    try:
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                continue
            ch = chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 0x20)
            if ch.isspace() or ch == "\x00":
                continue
            pdfium_c.FPDFText_GetCharBox(raw, i, d[0], d[1], d[2], d[3])
            x0, x1, y0, y1 = d[0].value, d[1].value, d[2].value, d[3].value
            cx, cy = (x0 + x1) / 2 - left, top - (y0 + y1) / 2
            twins = seen.setdefault(ch, [])
            if any(abs(cx - px) <= DUP and abs(cy - py) <= DUP for px, py in twins):
                continue
            twins.append((cx, cy))
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, loose)
            lx0, ly0, lx1, ly1 = loose.left, loose.bottom, loose.right, loose.top
            if ly1 - ly0 > min(LOOSE_TALL, LOOSE_RATIO * max(lx1 - lx0, 1.0)):
                # PDFium's loose box of a rotated or oddly matrixed glyph can
                # be the height of the page: use the glyph's own box.
                side = max(x1 - x0, y1 - y0) / 2
                lx0, lx1, ly0, ly1 = x0, x1, (y0 + y1) / 2 - side, (y0 + y1) / 2 + side
            chars.append(Char(ch, cx, cy, lx0 - left, lx1 - left, top - ly1, top - ly0))
    finally:
        if textpage is None:
            tp.close()
    return chars


def _lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into lines (top to bottom), each left to right."""
    lines: list[list[Char]] = []
    centres: list[float] = []
    heights: list[float] = []
    for c in sorted(chars, key=lambda c: c.cy):
        if lines and abs(c.cy - centres[-1]) <= SAME_LINE * max(heights[-1], c.height, 2.0):
            lines[-1].append(c)
            n = len(lines[-1])
            centres[-1] += (c.cy - centres[-1]) / n
            heights[-1] = max(heights[-1], c.height)
        else:
            lines.append([c])
            centres.append(c.cy)
            heights.append(c.height)
    return [sorted(ln, key=lambda c: c.x0) for ln in lines]


def _line_text(line: list[Char]) -> str:
    out: list[str] = []
    prev = None
    for c in line:
        if prev is not None and c.x0 - prev.x1 > SPACE:
            out.append(" ")
        out.append(c.ch)
        prev = c
    return "".join(out)


def line_spans(chars: list[Char], page_no: int) -> list[tuple]:
    """Characters as lines of text (page numbers left out): (box, Span)."""
    out: list[tuple] = []
    for ln in _lines(chars):
        text = _line_text(ln).strip()
        if not text or is_page_number(text):
            continue
        box = _bbox((min(c.x0 for c in ln), min(c.top for c in ln), max(c.x1 for c in ln),
                     max(c.bottom for c in ln)))
        out.append((box, Span(text, page_no, box, min(c.score for c in ln))))
    return out


def text_of(chars: list[Char]) -> str:
    return "\n".join(_line_text(ln) for ln in _lines(chars))


def _inside(c: Char, box, inset: float = INSET) -> bool:
    x0, y0, x1, y1 = box
    return x0 + inset <= c.cx <= x1 - inset and y0 + inset <= c.cy <= y1 - inset


def _bbox(b) -> tuple[float, float, float, float]:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2), round(float(b[3]), 2))


@dataclass
class _Grid:
    table: Table
    rep: dict
    boxes: dict
    texts: dict

    @property
    def real(self) -> bool:
        """Two columns or more, and a row with two texts (pdfplumber's test)."""
        nb, nc = len(self.table.ys) - 1, len(self.table.xs) - 1
        if nc < 2:
            return False
        return any(sum(1 for j in range(nc) if self.rep[(i, j)] == (i, j) and self.texts.get((i, j)))
                   >= 2 for i in range(nb))


def _grid(t: Table, chars: list[Char]) -> _Grid:
    """The table's merged cells and the text of each: a character belongs to
    the cell its centre lies in (not on a border)."""
    rep, boxes = _regions(t)
    x0, y0, x1, y1 = t.bbox
    members: dict[tuple[int, int], list[Char]] = {}
    for c in chars:
        if not (x0 <= c.cx <= x1 and y0 <= c.cy <= y1):
            continue
        j = bisect.bisect_right(t.xs, c.cx) - 1
        i = bisect.bisect_right(t.ys, c.cy) - 1
        if not (0 <= i < len(t.ys) - 1 and 0 <= j < len(t.xs) - 1):
            continue
        key = rep[(i, j)]
        if _inside(c, boxes[key]):
            members.setdefault(key, []).append(c)
    texts = {key: text_of(cs) for key, cs in members.items()}
    return _Grid(t, rep, boxes, texts)


def _grid_rows(g: _Grid, page_no: int, table: int) -> list[tuple[float, Row]]:
    t = g.table
    nb, nc = len(t.ys) - 1, len(t.xs) - 1
    out: list[tuple[float, Row]] = []
    for i in range(nb):
        cells: list[Span] = []
        for j in range(nc):
            r = g.rep[(i, j)]
            box = _bbox(g.boxes[r])
            if r == (i, j):
                cells.append(Span(g.texts.get(r, ""), page_no, box))
            else:
                cells.append(Span("", page_no, box, merged=True))
        live = [c for c in cells if not c.merged]
        if not live:
            continue
        if len(live) == 1 and cells[0] is live[0]:
            if live[0].text and not is_page_number(live[0].text):
                out.append((t.ys[i], Row([live[0]], page=page_no)))
            continue
        out.append((t.ys[i], Row(cells, page=page_no, grid=True, table=table)))
    return out


NO_RULES = "no-rules"     # read_page: the page draws no table at all


def read_page(page, page_no: int, table_base: int, textpage=None) -> tuple[list[Row], int] | str | None:
    """Rows of one table page (grid rows for its tables, lines for the rest)
    and the number of tables; NO_RULES when the page draws no horizontal and
    vertical rules (its text is running text); None when it draws rules but
    this reader finds no table in them (pdfplumber then reads the page)."""
    hs, vs = page_rules(page)
    if len(hs) < 2 or len(vs) < 2:
        return NO_RULES
    chars = page_chars(page, textpage)
    grids = [g for g in (_grid(t, chars) for t in find_tables(hs, vs, 72.0)) if g.real]
    if not grids:
        return None
    items: list[tuple[float, Row]] = []
    for k, g in enumerate(grids):
        items += _grid_rows(g, page_no, table_base + k)
    frames = [g.table.bbox for g in grids]
    rest = [c for c in chars if not any(_inside(c, b, -1.0) for b in frames)]
    items += [(box[1], Row([span], page=page_no)) for box, span in line_spans(rest, page_no)]
    order = sorted(range(len(items)), key=lambda k: (items[k][0], k))
    return [items[k][1] for k in order], len(grids)
