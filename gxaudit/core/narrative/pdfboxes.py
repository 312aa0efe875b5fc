"""Boxes for sentences on PDF pages the reader took as plain text (pages
without tables are read by pdfium without positions): the sentence is found
in the page's text layer and its characters' rectangles united, on its first
page, in pdfplumber's coordinates ([x0, top, x1, bottom], top from the page's
top edge)."""
from __future__ import annotations

import logging

log = logging.getLogger("gxaudit.narrative.pdfboxes")

SNIPPET = 8          # characters searched at each end of a sentence


def _find(textpage, text: str, start: int = 0):
    searcher = textpage.search(text, index=start, match_case=True)
    try:
        return searcher.get_next()
    finally:
        searcher.close()


def _box(textpage, height: float, first: int, last: int):
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects(first, last - first + 1))]
    if not rects:
        return None
    x0 = min(r[0] for r in rects)
    x1 = max(r[2] for r in rects)
    top = height - max(r[3] for r in rects)
    bottom = height - min(r[1] for r in rects)
    return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


def _sentence_box(textpage, height: float, pieces: list[str]):
    """pieces: the sentence's source lines on this page (searched one by one)."""
    first = _find(textpage, pieces[0].strip()[:SNIPPET].strip())
    if first is None:
        return None
    start = first[0]
    tail = pieces[-1].strip()[-SNIPPET:].strip()
    last = _find(textpage, tail, start)
    end = last[0] + last[1] - 1 if last else first[0] + first[1] - 1
    return _box(textpage, height, start, end)


def fill_boxes(narrative, path: str, texts: dict[int, list[str]]) -> None:
    """Give each sentence that has a page but no box its box.  ``texts``:
    sentence index → the sentence's text as it stands on its first page."""
    if not texts:
        return
    from ..ingest.pdfium_lock import PDFIUM
    with PDFIUM:
        _fill(narrative, path, texts)


def _fill(narrative, path: str, texts: dict[int, list[str]]) -> None:
    try:
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(path)
    except Exception:  # noqa: BLE001 - boxes are a convenience; the page still places the sentence
        log.info("no sentence boxes for %s", path, exc_info=True)
        return
    opened: list = []
    try:
        pages: dict[int, tuple] = {}
        for idx, pieces in texts.items():
            sent = narrative.sentences[idx]
            if sent.page not in pages:
                page = pdf[sent.page - 1]
                tp = page.get_textpage()
                opened += [tp, page]
                pages[sent.page] = (tp, page.get_size()[1])
            tp, height = pages[sent.page]
            sent.bbox = _sentence_box(tp, height, pieces)
    except Exception:  # noqa: BLE001
        log.info("sentence boxes failed for %s", path, exc_info=True)
    finally:
        for obj in opened:               # text pages before their pages, the document last
            obj.close()
        pdf.close()
