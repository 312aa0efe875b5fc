"""pdfplumber's reading of a text-layer PDF's table page: its own table
finder (pdfminer's parser), used only where PDFium (pdfgrid.py) finds
ruling lines but no table in them.  Each table row becomes a grid row with
one Span per grid cell; a cell covered by a merged neighbour comes back as
``None`` and becomes a ``merged`` Span carrying the covering cell's box;
text outside the tables becomes one-cell lines."""
from __future__ import annotations

import io
import logging

from ..document import Row, Span
from ..model import ReportError
from .layout import is_page_number
from .pdfgrid import _bbox

log = logging.getLogger("gxaudit.ingest.pdf")


def _covering(rows_cells: list[list], ri: int, ci: int):
    """The box of the cell that covers grid position (ri, ci), whose own entry
    is None: the nearest cell to the left in the same row that reaches over
    it, else the nearest cell above that reaches down over it."""
    row = rows_cells[ri]
    ref_top = next((c[1] for c in row if c is not None), None)
    col_x0 = next((rc[ci][0] for rc in rows_cells if rc[ci] is not None), None)
    if col_x0 is not None:
        for j in range(ci - 1, -1, -1):
            c = row[j]
            if c is not None:
                if c[2] > col_x0 + 1:
                    return c
                break
    if ref_top is not None:
        for k in range(ri - 1, -1, -1):
            c = rows_cells[k][ci]
            if c is not None:
                if c[3] > ref_top + 1:
                    return c
                break
    return None


def _clean_cell(text: str | None) -> str:
    return (text or "").replace("\u00a0", " ").strip()


def _real_tables(page) -> list:
    """pdfplumber's tables that are tables: two columns or more, and a row with two texts."""
    real = []
    for t in page.find_tables():
        data = t.extract()
        ncols = max((len(r) for r in data), default=0)
        multi = any(sum(1 for c in r if c and c.strip()) >= 2 for r in data)
        if ncols >= 2 and multi:
            real.append((t, data))
    return real


def _table_rows(t, data, page_no: int, table: int) -> list[tuple[float, Row]]:
    """One grid row per table row (a merged cell's continuation is ``merged``);
    a full-width cell is a line of text inside the frame (a heading,
    第二十条第（五）项, or a paragraph WPS put in a table)."""
    out: list[tuple[float, Row]] = []
    boxes = [list(r.cells) for r in t.rows]
    for ri, (trow, texts) in enumerate(zip(t.rows, data)):
        cells: list[Span] = []
        for ci, (box, text) in enumerate(zip(trow.cells, texts)):
            if box is None:
                cover = _covering(boxes, ri, ci)
                cells.append(Span("", page_no, _bbox(cover) if cover else None, merged=True))
            else:
                cells.append(Span(_clean_cell(text), page_no, _bbox(box)))
        top = float(trow.bbox[1])
        live = [c for c in cells if not c.merged]
        if len(live) == 1 and cells[0] is live[0]:
            if live[0].text and not is_page_number(live[0].text):
                out.append((top, Row([live[0]], page=page_no)))
            continue
        out.append((top, Row(cells, page=page_no, grid=True, table=table)))
    return out


def _plumber_page(doc_rows: list[tuple[float, int, Row]], page, page_no: int,
                  table_base: int) -> int:
    """Rows of one pdfplumber page: grid rows for tables, lines for the rest.
    Returns the number of (real) tables found."""
    page = page.dedupe_chars()
    real = _real_tables(page)
    items: list[tuple[float, Row]] = []
    for ti, (t, data) in enumerate(real):
        items += _table_rows(t, data, page_no, table_base + ti)
    boxes_real = [t.bbox for t, _ in real]
    for ln in page.extract_text_lines(strip=True, return_chars=False):
        text = ln["text"].strip()
        if not text or is_page_number(text):
            continue
        cy = (ln["top"] + ln["bottom"]) / 2
        cx = (ln["x0"] + ln["x1"]) / 2
        if any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes_real):
            continue
        bbox = _bbox((ln["x0"], ln["top"], ln["x1"], ln["bottom"]))
        items.append((float(ln["top"]), Row([Span(text, page_no, bbox)], page=page_no)))
    doc_rows.extend((top, len(doc_rows) + k, row) for k, (top, row) in enumerate(items))
    return len(real)


def _damaged_page_errors() -> tuple[type[BaseException], ...]:
    """What pdfminer (under pdfplumber) raises on a damaged page: its own
    parser errors, pdfplumber's wrapper, and the plain errors a broken
    content stream or font provokes (zlib, struct, unpacking, indexing)."""
    import struct
    import zlib

    from pdfminer.pdftypes import PDFException
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    return (PdfminerException, PDFException, PSException, ValueError, KeyError, TypeError,
            IndexError, AttributeError, AssertionError, struct.error, zlib.error, RecursionError)


def plumb(path: str, data: bytes, table_pages: list[int], table_base: int = 0) -> dict[int, list[Row]]:
    """Table pages PDFium saw no ruled table on, through pdfplumber's table
    finder, by 0-based page."""
    plumbed: dict[int, list[Row]] = {}
    if not table_pages:
        return plumbed
    import pdfplumber
    # pdfminer warns on stderr about harmless font quirks ("Could not get FontBBox").
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    page_no = None
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in table_pages]) as plumb:
            for page in plumb.pages:
                page_no = page.page_number
                items: list[tuple[float, int, Row]] = []
                table_base += _plumber_page(items, page, page_no, table_base)
                items.sort(key=lambda x: (x[0], x[1]))
                plumbed[page_no - 1] = [row for _, _, row in items]
    except ReportError:
        raise
    except _damaged_page_errors() as exc:
        log.warning("pdfplumber failed on %s: %r", path, exc)
        where = f"第 {page_no} 页（表格页）" if page_no else "表格页"
        raise ReportError(f"PDF 文件的{where}已损坏，页面内容无法解析，无法读取其中的表格。") from exc
    return plumbed
