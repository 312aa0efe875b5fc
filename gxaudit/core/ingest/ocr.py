"""Scanned pages: offline OCR turned into the rows every other reader gives.

The OCR is rapidocr with onnxruntime and the default Chinese models that ship
inside the rapidocr wheel.  Nothing is ever downloaded: the engine is built
only from the model files found in the installed package (a missing file is a
clear error, not a download), and only settings that choose no model may be
passed to it.  rapidocr is imported lazily; without the ``ocr`` extra the user
gets one Chinese sentence naming the command that installs it.

A page becomes rows in four steps:

1. **Find the table pages first.**  Every scanned page is rendered at
   ``LOW_DPI`` and searched for ruling lines (numpy on the binarised image).
   A page with a ruled table is read at ``FULL_DPI``; any other page is
   read at ``LOW_DPI`` for its running text (title, dates, section 六), and
   re-read at full resolution only when that text shows table labels.
2. **Deskew.**  The skew (scans are rarely straight) is measured from the
   projection profile and the page is rotated straight before the OCR, so
   that text lines and grid lines share one frame.
3. **The grid, then recognition only.**  Horizontal and vertical lines give
   the table's column and row boundaries; a boundary missing inside the
   table joins two elementary cells into one merged cell.  Each cell's
   inside is cut out, split into its text lines by the ink's profile, and
   each line is recognised alone (``ocr_cells``): no text detector runs on a
   table, and a number can only be read in the cell it is printed in —
   never moved to a neighbour, whatever an identity would like.  The running
   text around the tables and on the other pages is cut into lines the same
   way; the detector runs only on a band of ink too tall to be one line.  A
   grid row keeps its blank cells in place, exactly like pdfplumber's rows,
   and a cell covered by a merged neighbour is a ``merged`` Span.
4. **Confidence.**  A cell's confidence is the lowest OCR score of its
   characters.  A cell with no text but with ink in it gets confidence 0.0
   (something is there that the OCR could not read); a cell with no ink is
   blank with confidence 1.0.  Reconstruction and the rules decide from there
   (:mod:`gxaudit.core.confidence`).

Bounding boxes are mapped back through the deskew rotation into PDF points.
Results are cached by the file's sha256 under the user cache directory, so
reopening a scan does not run the OCR again.

The parts live in their own modules: the engine (``ocr_engine``), the page
image's ink, skew and ruling lines (``ocr_image``, ``ocr_ruling``), the grid finder shared
with other readers (``gridfind``), the line crops (``ocr_cells``), a
table's grid turned into rows (``ocr_grid``) and the cache (``ocr_cache``);
this module turns pages into rows.
"""
from __future__ import annotations

import logging
import re

from ..confidence import too_low
from ..document import Row, Span
from .gridfind import Table, find_tables, is_table_page
from .layout import is_page_number
from .ocr_cache import PageResult, cache_dir, cache_load, cache_store  # noqa: F401
from .ocr_engine import (MISSING_MESSAGE, OcrLine, Piece, available, bundled_models,  # noqa: F401
                         check_params, engine, engine_params)
from .ocr_cells import blank_tables, lines_without_rules, min_ink, read_cells, read_lines
from .ocr_crops import FIGURE, unruled_rows
from .ocr_grid import _Frame, _join, _text_lines, grid_rows  # noqa: F401  (_join: tests)
from .ocr_image import dark_mask, render_gray, skew_angle
from .ocr_ruling import ruling
from .progress import check_cancelled, report_progress

log = logging.getLogger("gxaudit.ingest.ocr")

FULL_DPI = 170          # table pages
LOW_DPI = 100           # finding the table pages, and the running text of the others
# A long scan (a bound volume): besides its table pages, only the pages that
# carry what the rules read from the text (title and period at the start,
# sections 五/六 and the date at the end, the pages around the tables).
MAX_TEXT_PAGES = 30


def line_rows(lines: list[OcrLine], frame: _Frame, page_no: int, cells: bool = False) -> list[Row]:
    """Rows of a page without a ruled table: one line row per visual line, or
    (``cells``) one row per visual line with one cell per OCR box — like
    OCR'd tab text, so a missing cell is never shifted into place."""
    rows: list[Row] = []
    if not cells:
        for ln in _text_lines(lines):
            if ln.text and not is_page_number(ln.text):
                rows.append(Row([Span(ln.text, page_no, frame.bbox(ln.x0, ln.y0, ln.x1, ln.y1),
                                      round(ln.score, 4))], page=page_no))
        return rows
    groups: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda l: (l.y0 + l.y1) / 2):
        cy = (ln.y0 + ln.y1) / 2
        if groups:
            g = groups[-1]
            gy0, gy1 = min(l.y0 for l in g), max(l.y1 for l in g)
            if abs(cy - (gy0 + gy1) / 2) < 0.4 * max(gy1 - gy0, ln.y1 - ln.y0, 1.0):
                g.append(ln)
                continue
        groups.append([ln])
    for g in groups:
        g.sort(key=lambda l: l.x0)
        spans = [Span(l.text.strip(), page_no, frame.bbox(l.x0, l.y0, l.x1, l.y1), round(l.score, 4))
                 for l in g if l.text.strip()]
        if not spans:
            continue
        if len(spans) == 1 and is_page_number(spans[0].text):
            continue
        rows.append(Row(spans, page=page_no))
    return rows


# ---------------------------------------------------------------------------
# Pages of a PDF
# ---------------------------------------------------------------------------

def _deskewed(gray, angle: float):
    import numpy as np
    from PIL import Image
    if abs(angle) < 0.05:
        return gray
    im = Image.fromarray(gray).rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return np.asarray(im, dtype=np.uint8)


def _straight(pdf, index: int, dpi: float, angle: float | None = None):
    """A page rendered at ``dpi`` and turned straight: (image, skew angle)."""
    page = pdf[index]
    try:
        gray = render_gray(page, dpi)
    finally:
        page.close()
    if angle is None:
        angle = skew_angle(dark_mask(gray))
    return _deskewed(gray, angle), angle


def _grid_read(straight, dark, frame: _Frame, index: int, table_base: int, dashed: bool = False) -> list[Row]:
    """The page's rows by the grid its ruling lines give (``dashed``: faded
    horizontal lines too; no rows, and no recognition run, when those give
    no table)."""
    hs, vs = ruling(dark, FULL_DPI, dashed, straight)
    tables = find_tables(hs, vs, FULL_DPI)
    if dashed and not is_table_page(tables):
        return []
    lines = read_cells(straight, dark, tables, FULL_DPI) + _outside_lines(straight, tables)
    return grid_rows(lines, tables, dark, frame, FULL_DPI, index + 1, table_base)


def classify(pdf, index: int) -> tuple[bool, float]:
    """(has a ruled table, skew angle) of one page, from a low-resolution image."""
    straight, angle = _straight(pdf, index, LOW_DPI)
    hs, vs = ruling(dark_mask(straight), LOW_DPI)
    return is_table_page(find_tables(hs, vs, LOW_DPI)), angle


def read_table_page(pdf, index: int, angle: float, table_base: int) -> list[Row]:
    page = pdf[index]
    try:
        gray = render_gray(page, FULL_DPI)
    finally:
        page.close()
    straight = _deskewed(gray, angle)
    dark = dark_mask(straight)
    frame = _Frame(angle, straight.shape[1], straight.shape[0], FULL_DPI)
    rows = _grid_read(straight, dark, frame, index, table_base)
    lost = _lost_grid(rows)
    if lost or _glued_labels(rows) >= LOST_MIN:
        loose = _faded(_loose(straight, dark, frame, index + 1)[0],
                       _grid_read(straight, dark, frame, index, table_base, dashed=True), index)
        if loose is not None and (lost or _usable(loose) > _usable(rows)):
            log.info("page %d: ruling lines too faint or broken for the grid read first", index + 1)
            return loose
    return rows


def _glued_labels(rows: list[Row]) -> int:
    """Grid cells holding a name with its first figure after it ("（七）总计
    38": the column line between them too faint for the grid)."""
    from ..text import NAME_THEN_FIGURE
    return sum(1 for r in rows if r.grid for c in r.cells
               if not c.merged and NAME_THEN_FIGURE.search(c.text.strip()))


# A grid is lost when at least LOST_MIN and LOST_SHARE of its cells with
# digits hold two numbers.
LOST_MIN = 3
LOST_SHARE = 0.15

_NUMBERS_IN_ONE = re.compile(r"\d[\d,.]{0,20}[^\d,.]{1,40}\d")
# Figures on two lines of one cell: two rows of the table in one band.
_ROWS_IN_ONE = re.compile(r"\d[^\n]*\n[^\n]*\d")


def _lost_grid(rows: list[Row]) -> bool:
    """Whether the grid the scan's lines gave is not the table's: no table
    at all, or many cells holding two numbers (rows whose line between them
    faded are one cell)."""
    cells = [c.text for r in rows if r.grid for c in r.cells if not c.merged and any(ch.isdigit() for ch in c.text)]
    if not cells:
        return True
    doubled = sum(1 for t in cells if _NUMBERS_IN_ONE.search(t))
    return doubled >= LOST_MIN and doubled >= LOST_SHARE * len(cells)


def _outside_lines(straight, tables: list[Table]) -> list[OcrLine]:
    """The running text around the tables (headings, notes), line by line."""
    rest = blank_tables(straight, tables, FULL_DPI)
    return read_lines(rest, dark_mask(rest), FULL_DPI)


def read_text_page(pdf, i: int, angle: float, markers: tuple[str, ...], min_markers: int,
                   after_table: bool = False) -> PageResult:
    """A page without ruling lines: its running text at low resolution; read
    again, sharper, one cell per block of text, when that text shows table
    words, or (``after_table``: the page before holds a table) when it opens
    with a line of figures: the end of that table, continued on this page."""
    from ..text import normalize_label
    low, _ = _straight(pdf, i, LOW_DPI, angle)
    lines = read_lines(low, dark_mask(low), LOW_DPI)
    frame = _Frame(angle, low.shape[1], low.shape[0], LOW_DPI)
    norm = normalize_label("".join(line.text for line in lines))
    table = sum(1 for m in markers if m in norm) >= min_markers
    if not table and not (after_table and _opens_with_figures(lines, low.shape[0])):
        return PageResult(line_rows(lines, frame, i + 1), False)
    gray, _ = _straight(pdf, i, FULL_DPI, angle)
    dark = dark_mask(gray)
    full = _Frame(angle, gray.shape[1], gray.shape[0], FULL_DPI)
    loose, cells = _loose(gray, dark, full, i + 1)
    rows = _faded(loose, _grid_read(gray, dark, full, i, 1000 + 100 * i, dashed=True), i)
    if rows is None and not table:
        return PageResult(line_rows(lines, frame, i + 1), False)
    return PageResult(rows if rows is not None else line_rows(cells, full, i + 1, cells=True), True)


# A line of figures at least this long (digits, the spaces between them lost
# at low resolution) in the top CONTINUED_SHARE of a page opens the rest of a
# table continued from the page before (its header's characters, read one by
# one, may stand above it).
CONTINUED_DIGITS = 5
CONTINUED_SHARE = 0.25


def _opens_with_figures(lines: list[OcrLine], height: int) -> bool:
    """Whether a line of figures alone stands at the top of a page (read at
    low resolution): a table's last rows carried over from the page before."""
    return any(ln.y0 < CONTINUED_SHARE * height and sum(ch.isdigit() for ch in ln.text) >= CONTINUED_DIGITS
               and all(ch.isdigit() or ch.isspace() for ch in ln.text.strip()) for ln in _text_lines(lines))


def _loose(gray, dark, frame: _Frame, page_no: int) -> tuple[list[Row] | None, list[OcrLine]]:
    """(rows, text lines) of a table page read without its lines
    (``unruled_rows``): from its lines of text as the page has them or,
    where faded ruling lines join them into bands too tall for a line, with
    those lines taken out, whichever gives more figures read with
    confidence in rows with a label (``_yield``).  Taken out with the lines,
    a figure touching one might be lost: a cell left blank there that still
    has ink is flagged."""
    lines = read_lines(gray, dark, FULL_DPI, split=1.0)
    rows = unruled_rows(lines, frame, page_no, dark)
    taken = lines_without_rules(gray, dark, FULL_DPI, split=1.0)
    if taken is not None:
        clean, ink = taken
        other = unruled_rows(clean, frame, page_no, dark, ink)
        if other is not None:
            _inked_blanks(other, ink, frame)
            if _yield(other) > _yield(rows or []):
                return other, clean
            rows = _gaps_filled(rows, other)
    return rows, lines


def _gaps_filled(rows: list[Row] | None, other: list[Row]) -> list[Row] | None:
    """``rows`` with the rows of ``other`` (a second reading of the page)
    that stand where ``rows`` has nothing: a stretch of the page one reading
    lost whole (faded lines joined it into one band nothing could read: a
    table's heading and header) keeps the other's reading of it."""
    if not rows:
        return rows
    spans = [_extent([r]) for r in rows if any(c.bbox for c in r.cells)]

    def lost(r: Row) -> bool:
        top, bottom = _extent([r])
        return not any(a <= bottom and top <= b for a, b in spans)

    add = [r for r in other if any(c.bbox for c in r.cells) and lost(r)]
    return sorted(rows + add, key=_middle) if add else rows


def _inked_blanks(rows: list[Row], ink, frame: _Frame) -> None:
    """A cell left blank in a row placed by column is blank only where
    ``ink`` (the page without its ruling lines) has none inside it; where
    it has (what is left of a figure that touched a line taken out, or a
    figure the recogniser missed), the cell's score is 0: flagged, never
    read as blank."""
    h, w = ink.shape
    for row in rows:
        for span in row.cells[1:] if row.grid else ():
            if span.text.strip() or span.bbox is None:
                continue
            (xa, ya), (xb, yb) = frame.pixel(*span.bbox[:2]), frame.pixel(*span.bbox[2:])
            x0, x1, y0, y1 = max(0, int(xa)), min(w, int(xb)), max(0, int(ya)), min(h, int(yb))
            if x1 > x0 and y1 > y0 and int(ink[y0:y1, x0:x1].sum()) >= min_ink(FULL_DPI):
                span.confidence = 0.0


def _faded(loose: list[Row] | None, dashed: list[Row], index: int) -> list[Row] | None:
    """A table page whose ruling lines faded: read as a table without lines
    (``loose``) or by the grid of its lines taken as dashes (``dashed``),
    whichever gives more figures read with confidence (a figure's cell is
    right or flagged in both), the grid on a tie (its cells hold the blanks
    in their columns, which a row of figures alone cannot place: 表四's
    figures carried over to the next page); failing the grid for the page, table by
    table (the end of 表三 continued at the top of a page may have lost its
    grid while 表四 below it kept its own)."""
    loose = loose or []
    dashed = _mended(dashed, loose)
    if not _lost_grid(dashed) and _usable(dashed) >= max(_usable(loose), 1):
        log.info("page %d: faded ruling lines read as dashes", index + 1)
        return dashed
    chosen = _better_tables(loose, dashed)
    if not chosen:
        return loose or None
    log.info("page %d: faded ruling lines read as dashes in %d of its tables", index + 1, len(chosen))
    rest = [r for r in loose if not any(top <= _middle(r) <= bottom for top, bottom, _ in chosen)]
    if not rest:
        rest = [r for r in dashed if not r.grid]
    return sorted(rest + [r for *_, rows in chosen for r in rows], key=_middle)


def _mended(dashed: list[Row], loose: list[Row]) -> list[Row]:
    """The grid read by dashes with each band whose cells hold figures on
    two lines (rows run together where a row line faded past finding) replaced by the
    rows read without lines that stand inside it, when they hold figures."""
    out: list[Row] = []
    for r in dashed:
        if r.grid and any(_ROWS_IN_ONE.search(c.text) for c in r.cells if not c.merged):
            top, bottom = _extent([r])
            inside = [x for x in loose if top <= _middle(x) <= bottom]
            if _usable(inside):
                out += inside
                continue
        out.append(r)
    return out


def _better_tables(loose: list[Row], dashed: list[Row]) -> list[tuple[float, float, list[Row]]]:
    """The tables of ``dashed`` whose grid holds and gives more figures read
    with confidence than ``loose`` gives over the same height: (top, bottom, rows)."""
    chosen = []
    for t in sorted({r.table for r in dashed if r.grid}):
        rows = [r for r in dashed if r.table == t]
        if not any(c.bbox for r in rows for c in r.cells):
            continue
        top, bottom = _extent(rows)
        mine = [r for r in loose if top <= _middle(r) <= bottom]
        if not _lost_grid(rows) and _usable(rows) > _usable(mine):
            chosen.append((top, bottom, rows))
    return chosen


def _extent(rows: list[Row]) -> tuple[float, float]:
    boxes = [c.bbox for r in rows for c in r.cells if c.bbox]
    return min(b[1] for b in boxes), max(b[3] for b in boxes)


def _middle(row: Row) -> float:
    boxes = [c.bbox for c in row.cells if c.bbox]
    return (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2 if boxes else 0.0


def _yield(rows: list[Row]) -> tuple[int, int, int]:
    """(figures read with confidence in rows with a label, all of them, the
    Chinese characters read): two readings of a table without lines
    compared.  A row of figures whose label one reading lost cannot be
    placed in the table, so its figures count only towards the second
    number; the words break a last tie (a table's heading and header lost
    in one reading: 表四's rows would be read as 表三's)."""
    labelled = [r for r in rows if r.cells and r.cells[0].text.strip()
                and not FIGURE.match(r.cells[0].text.strip())]
    words = sum(1 for r in rows for c in r.cells for ch in c.text if "\u4e00" <= ch <= "\u9fff")
    return _usable(labelled), _usable(rows), words


def _usable(rows: list[Row]) -> int:
    """Figures a page's rows hold that are read with enough confidence to use."""
    return sum(1 for r in rows for c in r.cells
               if not c.merged and FIGURE.match(c.text.strip()) and not too_low(c.confidence))


def _plan(pdf, indices: list[int], progress, cancel) -> dict[int, tuple[bool, float]]:
    """(ruled table?, skew) of every page (cheap: ruling lines on a low-resolution image)."""
    plan: dict[int, tuple[bool, float]] = {}
    for k, i in enumerate(indices):
        check_cancelled(cancel)
        report_progress(progress, k, 2 * len(indices), f"正在查找表格页：第 {i + 1} 页")
        plan[i] = classify(pdf, i)
    return plan


def _skip_long_middle(indices: list[int], ruled_pages: list[int], order: list[int],
                      plan: dict[int, tuple[bool, float]], out: dict[int, PageResult]) -> list[int]:
    """A long scan: besides its table pages, only the text pages the rules read."""
    if len(indices) - len(ruled_pages) <= MAX_TEXT_PAGES:
        return order
    keep = set(indices[:3]) | set(indices[-3:]) | {j for i in ruled_pages for j in (i - 1, i + 1)}
    for i in order:
        if not plan[i][0] and i not in keep:
            out[i] = PageResult([], False)          # not read: a long scan's middle
    order = [i for i in order if i not in out]
    log.info("long scan: OCR of %d of %d text pages", len(order) - len(ruled_pages),
             len(indices) - len(ruled_pages))
    return order


def read_pages(pdf, indices: list[int], sha256: str, markers: tuple[str, ...],
               min_markers: int, progress=None, cancel=None) -> dict[int, PageResult]:
    """OCR the given 0-based pages of an open pypdfium2 document."""
    cached = cache_load(sha256, indices)
    if cached is not None:
        log.info("OCR cache hit for %s (%d pages)", sha256[:12], len(cached))
        report_progress(progress, len(indices), len(indices), "已从缓存读取文字识别结果")
        return cached
    engine()                                   # fail early (missing extra) before any work
    n = len(indices)
    plan = _plan(pdf, indices, progress, cancel)
    ruled_pages = [i for i in indices if plan[i][0]]
    log.info("scanned pages %s; ruled table pages %s", [i + 1 for i in indices],
             [i + 1 for i in ruled_pages])
    out: dict[int, PageResult] = {}
    order = _skip_long_middle(indices, ruled_pages, ruled_pages + [i for i in indices if not plan[i][0]],
                              plan, out)
    # OCR: table pages at full resolution, the others at low resolution.
    steps = n + len(order)
    for k, i in enumerate(order):
        check_cancelled(cancel)
        ruled, angle = plan[i]
        what = "表格页" if ruled else "文字页"
        report_progress(progress, n + k, steps,
                        f"正在识别扫描件第 {i + 1} 页（{what}，{k + 1}/{len(order)}）…")
        if ruled:
            out[i] = PageResult(read_table_page(pdf, i, angle, 1000 + 100 * i), True)
        else:
            before = out.get(i - 1)
            out[i] = read_text_page(pdf, i, angle, markers, min_markers,
                                    after_table=before is not None and before.table)
    report_progress(progress, steps, steps, "文字识别完成")
    cache_store(sha256, out)
    return out
