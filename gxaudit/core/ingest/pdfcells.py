"""Second readings of a text-layer PDF's table cells: the characters found
with their centres inside each cell's box, by pdfminer (through
pdfplumber) and by PDFium.

The tables are read from PDFium's characters and path objects (pdfgrid.py),
or by pdfplumber's table finder where PDFium finds no ruled table; the
reading by the other parser shares neither the parser nor the grid with
the first, only the box.  Where the readings agree on a cell a finding
rests on, the figure is what the PDF prints; where they differ, the
reading is in doubt, not the report."""
from __future__ import annotations

import io
import logging

from .pdfium_lock import PDFIUM

log = logging.getLogger("gxaudit.ingest")

# Half a point inside the cell's frame: a glyph centred on the border is
# nobody's (the first reading flags such a cell anyway).
INSET = 0.5

BBox = tuple[float, float, float, float]


def _by_page(boxes: dict[str, tuple[int, BBox]]) -> dict[int, list[tuple[str, BBox]]]:
    by_page: dict[int, list[tuple[str, BBox]]] = {}
    for key, (page, box) in boxes.items():
        by_page.setdefault(page, []).append((key, box))
    return by_page


def _in_boxes(chars: list[tuple[float, float, str]], items: list[tuple[str, BBox]]) -> dict[str, str]:
    """Each box's text: the characters (centre x, centre y, text) whose
    centre lies inside it, in the page's order (a glyph that only touches
    the box belongs to its neighbour)."""
    return {key: "".join(ch for cx, cy, ch in chars
                         if x0 + INSET <= cx <= x1 - INSET and y0 + INSET <= cy <= y1 - INSET)
            for key, (x0, y0, x1, y1) in items}


def texts_in_boxes(data: bytes, boxes: dict[str, tuple[int, BBox]]) -> dict[str, str]:
    """``boxes``: key → (1-based page, (x0, top, x1, bottom) in PDF points,
    top-down as pdfplumber measures them).  Returns key → the text PDFium
    finds inside the box (whitespace removed); a key whose page cannot be
    read is left out."""
    import pypdfium2 as pdfium
    by_page = _by_page(boxes)
    out: dict[str, str] = {}
    with PDFIUM:
        pdf = pdfium.PdfDocument(data)
        try:
            for page_no, items in sorted(by_page.items()):
                if not 1 <= page_no <= len(pdf):
                    continue
                out.update(_page_texts(pdf, page_no, items))
        except pdfium.PdfiumError:
            log.info("second reading stopped: a page could not be read", exc_info=True)
        finally:
            pdf.close()
    return out


def plumber_texts_in_boxes(data: bytes, boxes: dict[str, tuple[int, BBox]]) -> dict[str, str]:
    """As :func:`texts_in_boxes`, with pdfminer's characters (pdfplumber's
    ``chars``, a glyph printed twice over itself once).  A page pdfminer
    cannot parse is left out."""
    import pdfplumber
    by_page = _by_page(boxes)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out: dict[str, str] = {}
    with pdfplumber.open(io.BytesIO(data), pages=sorted(by_page)) as pdf:
        for page in pdf.pages:
            try:
                chars = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c["text"])
                         for c in page.dedupe_chars().chars if c["text"].strip()]
            except Exception:  # noqa: BLE001 - pdfminer's many failures on a damaged page
                log.info("second reading: page %d could not be parsed", page.page_number, exc_info=True)
                continue
            out.update(_in_boxes(chars, by_page.get(page.page_number, [])))
    return out


def _page_texts(pdf, page_no: int, items: list[tuple[str, BBox]]) -> dict[str, str]:
    from .pdfgrid import page_chars
    page = pdf[page_no - 1]
    try:
        chars = page_chars(page)
    finally:
        page.close()
    return _in_boxes([(c.cx, c.cy, c.ch) for c in chars], items)
