"""A scanned table page's grid turned into rows: each recognised piece to
the cell its centre falls in, merged cells as the drawn lines give them
(a region one row tall holding figures in two of its columns is those
cells), the cell's text in reading order, and a cell that holds two
figures side by side or on two lines never read as one number."""
from __future__ import annotations

import math
from dataclasses import replace

from ..document import Row, Span
from .gridfind import Table, _locate, _regions
from .layout import is_page_number
from .ocr_cells import DASH_SCORE, dash_in
from .ocr_crops import DASHLIKE, FIGURE, TWO_FIGURES
from .ocr_engine import OcrLine, Piece

# ---------------------------------------------------------------------------
# Page → rows
# ---------------------------------------------------------------------------

class _Frame:
    """Maps deskewed image pixels back to PDF points on the original page."""

    def __init__(self, angle: float, width: int, height: int, dpi: float):
        self.a = math.radians(angle)
        self.cx, self.cy = width / 2, height / 2
        self.dpi = dpi
        self.scale = 72.0 / dpi

    def point(self, x: float, y: float) -> tuple[float, float]:
        c, s = math.cos(self.a), math.sin(self.a)
        dx, dy = x - self.cx, y - self.cy
        return (self.cx + dx * c - dy * s) * self.scale, (self.cy + dx * s + dy * c) * self.scale

    def pixel(self, x: float, y: float) -> tuple[float, float]:
        """The inverse of :meth:`point`: image pixels of a point in PDF points."""
        c, s = math.cos(self.a), math.sin(self.a)
        dx, dy = x / self.scale - self.cx, y / self.scale - self.cy
        return self.cx + dx * c + dy * s, self.cy - dx * s + dy * c

    def bbox(self, x0, y0, x1, y1) -> tuple[float, float, float, float]:
        pts = [self.point(x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
        return (round(min(p[0] for p in pts), 2), round(min(p[1] for p in pts), 2),
                round(max(p[0] for p in pts), 2), round(max(p[1] for p in pts), 2))




def _join(pieces: list[Piece]) -> str:
    """Text of a cell's characters in reading order: OCR line by OCR line,
    left to right; a wide gap inside a line is a space, and two runs of
    digits from two crops stay apart: side by side with a space (two
    columns a faded line ran together), on two lines of the cell (two
    rows) on two lines; never one number."""
    if not pieces:
        return ""
    lines: dict[int, list[Piece]] = {}
    for p in pieces:
        lines.setdefault(p.line, []).append(p)
    ordered = sorted(lines.values(), key=lambda ps: (sum(p.cy for p in ps) / len(ps), min(p.x0 for p in ps)))
    out = ""
    above = None                  # the previous OCR line's (top, bottom)
    for ps in ordered:
        ps.sort(key=lambda p: p.x0)
        text = ""
        prev = None
        for p in ps:
            if prev is not None:
                height = max(p.y1 - p.y0, prev.y1 - prev.y0, 1.0)
                if p.x0 - prev.x1 > 0.6 * height:
                    text += " "
            text += p.text
            prev = p
        top, bottom = min(p.y0 for p in ps), max(p.y1 for p in ps)
        if out and out[-1].isdigit() and text[:1].isdigit():
            # Two numbers, never one: side by side (two crops of one line) or
            # on two lines of the cell.
            level = above is not None and min(bottom, above[1]) - max(top, above[0]) > 0.5 * (bottom - top)
            out += " " if level else "\n"
        out += text
        above = (top, bottom)
    return out.strip()


def _has_ink(dark, x0: float, y0: float, x1: float, y1: float, dpi: float) -> bool:
    """Whether a cell's inside (away from its borders) holds ink."""
    inset = 4 * dpi / 72
    a, b = int(y0 + inset), int(y1 - inset)
    c, d = int(x0 + inset), int(x1 - inset)
    if b <= a or d <= c:
        return False
    region = dark[a:b, c:d]
    # A digit "1" in 9-point type is about 2 x 14 pixels at 170 dpi.
    return int(region.sum()) >= max(10, int(12 * (dpi / 170) ** 2))


def _assign_pieces(lines: list[OcrLine], tables: list[Table]):
    """Each OCR character to the grid cell its centre falls in (per table), or
    to the text outside the tables."""
    per_table: list[dict[tuple[int, int], list[Piece]]] = [dict() for _ in tables]
    outside: list[OcrLine] = []
    for ln in lines:
        rest: list[Piece] = []
        for p in ln.pieces:
            for ti, t in enumerate(tables):
                x0, y0, x1, y1 = t.bbox
                if x0 <= p.cx <= x1 and y0 <= p.cy <= y1:
                    i, j = _locate(t.ys, p.cy), _locate(t.xs, p.cx)
                    if i is not None and j is not None:
                        per_table[ti].setdefault((i, j), []).append(p)
                    break
            else:
                rest.append(p)
        if rest:
            outside.append(OcrLine("".join(p.text for p in rest), min(p.x0 for p in rest),
                                   min(p.y0 for p in rest), max(p.x1 for p in rest),
                                   max(p.y1 for p in rest), min(p.score for p in rest), rest))
    return per_table, outside


def _unmerge_figures(t: Table, rep: dict, boxes: dict, pieces: dict[tuple[int, int], list[Piece]]) -> None:
    """A region one row tall that holds figures standing in two or more of
    its columns is those cells, not one: the vertical line between them
    faded in this row (a printed cell spanning columns holds one text)."""
    regions: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for c, r in rep.items():
        regions.setdefault(r, []).append(c)
    for r, cells in regions.items():
        if len(cells) < 2 or len({i for i, _ in cells}) != 1:
            continue
        held = [c for c in cells if pieces.get(c)]
        if len(held) < 2 or not all(FIGURE.match(p.text.strip()) and t.xs[j] < p.x0 and p.x1 < t.xs[j + 1]
                                    for (_i, j) in held for p in pieces[(_i, j)]):
            continue                  # a figure over the faded line (its dash read as a 1?): one cell
        for i, j in cells:
            rep[(i, j)] = (i, j)
            boxes[(i, j)] = [t.xs[j], t.ys[i], t.xs[j + 1], t.ys[i + 1]]


def _band_rows(t: Table, pieces: dict[tuple[int, int], list[Piece]], dark, frame: _Frame,
               dpi: float, page_no: int, table: int) -> list[tuple[float, Row]]:
    """One grid row per band of a table; a cell covered by a merged neighbour is ``merged``."""
    rep, boxes = _regions(t)
    _unmerge_figures(t, rep, boxes, pieces)
    texts: dict[tuple[int, int], list[Piece]] = {}
    for cell, ps in pieces.items():
        texts.setdefault(rep[cell], []).extend(ps)
    rows: list[tuple[float, Row]] = []
    for i in range(len(t.ys) - 1):
        cells: list[Span] = []
        for j in range(len(t.xs) - 1):
            r = rep[(i, j)]
            box = boxes[r]
            bbox = frame.bbox(*box)
            if r != (i, j):
                cells.append(Span("", page_no, bbox, merged=True))
                continue
            ps = texts.get(r, [])
            text = _join(ps)
            if ps:
                conf = round(min(p.score for p in ps), 4)
            else:
                conf = 0.0 if _has_ink(dark, *box, dpi) else 1.0
            if (text in DASHLIKE or not text and conf == 0.0) and dash_in(dark, box, dpi):
                # A dash the recogniser left unread, or read as 一 or _ (unsure).
                text, conf = "—", max(conf, DASH_SCORE)
            cells.append(Span(text, page_no, bbox, conf))
        if any(TWO_FIGURES.search(c.text) for c in cells):
            # Two figures side by side in one cell: a faded line ran two
            # columns together, so no cell of the row stands where it seems.
            cells = [replace(c, confidence=0.0) if not c.merged and (not c.text.strip() or
                     any(ch.isdigit() for ch in c.text)) else c for c in cells]
        rows.append((t.ys[i], Row(cells, page=page_no, grid=True, table=table)))
    return rows


def _table_items(rows: list[tuple[float, Row]], page_no: int) -> list[tuple[float, Row]]:
    """A real table's rows; a full-width cell is a line of text inside the frame."""
    items: list[tuple[float, Row]] = []
    for top, r in rows:
        live = [c for c in r.cells if not c.merged]
        if len(live) == 1 and r.cells[0] is live[0]:
            if live[0].text and not is_page_number(live[0].text):
                items.append((top, Row([live[0]], page=page_no)))
            continue
        items.append((top, r))
    return items


def grid_rows(lines: list[OcrLine], tables: list[Table], dark, frame: _Frame, dpi: float,
              page_no: int, table_base: int) -> list[Row]:
    """Rows of one OCR'd page: a grid row per table band, a line row for the
    text outside the tables, in reading order."""
    items: list[tuple[float, Row]] = []
    per_table, outside = _assign_pieces(lines, tables)
    real = 0
    for ti, t in enumerate(tables):
        rows = _band_rows(t, per_table[ti], dark, frame, dpi, page_no, table_base + real)
        multi = any(sum(1 for c in r.cells if c.text.strip()) >= 2 for _, r in rows)
        if len(t.xs) - 1 >= 2 and multi:
            real += 1
            items += _table_items(rows, page_no)
            continue
        # Not a table (a framed paragraph): its text is lines.
        items += [(top, Row([Span(c.text, page_no, c.bbox, c.confidence)], page=page_no))
                  for top, r in rows for c in r.cells if c.text and not c.merged]
    for ln in _text_lines(outside):
        if ln.text and not is_page_number(ln.text):
            items.append((ln.y0, Row([Span(ln.text, page_no, frame.bbox(ln.x0, ln.y0, ln.x1, ln.y1),
                                           round(ln.score, 4))], page=page_no)))
    items.sort(key=lambda x: x[0])          # stable: same top keeps the order above
    return [r for _, r in items]


def _text_lines(lines: list[OcrLine]) -> list[OcrLine]:
    """OCR boxes on the same visual line joined left to right."""
    out: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda l: (l.y0 + l.y1) / 2):
        cy = (ln.y0 + ln.y1) / 2
        if out:
            last = out[-1]
            ly0 = min(l.y0 for l in last)
            ly1 = max(l.y1 for l in last)
            h = max(ly1 - ly0, ln.y1 - ln.y0, 1.0)
            if abs(cy - (ly0 + ly1) / 2) < 0.4 * h:
                last.append(ln)
                continue
        out.append([ln])
    merged: list[OcrLine] = []
    for group in out:
        group.sort(key=lambda l: l.x0)
        merged.append(OcrLine("".join(l.text for l in group).strip(), min(l.x0 for l in group),
                              min(l.y0 for l in group), max(l.x1 for l in group),
                              max(l.y1 for l in group), min(l.score for l in group)))
    return merged
