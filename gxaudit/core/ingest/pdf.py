"""Reader for PDF files with a text layer.

* **pypdfium2** pulls every page's text quickly.  It decides which pages hold
  the statistical tables (by the labels and headings of formats.py) and
  gives the running text of every other page.  It also tells a scan (no text
  layer), an encrypted file and a damaged file apart before anything slow runs.
  It reads the table pages too (pdfgrid.py): ruling lines from the page's
  path objects, cells by the grid finder the OCR shares, each cell's text
  from the character boxes.  Each table row becomes a grid row with one Span
  per grid cell (page and bbox in PDF points, ``[x0, top, x1, bottom]``); a
  cell covered by a merged (spanned) neighbour becomes a ``merged`` Span
  carrying the covering cell's box.  Text outside the tables becomes
  one-cell line rows.
* **pdfplumber** reads a table page only where PDFium finds rules but no
  table in them, with its own table finder, and is the independent second
  reading of the cells a finding rests on (reread.py).

Rows come in reading order — by page, then by vertical position — so the
section headings (二、三、四…) precede their tables.  The reader never decides
what a row means; reconstruction does (one path for every format).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..document import Document, Row
from ..formats import FINGERPRINTS, LAYOUTS, SECTION_PHRASES
from ..model import ReportError
from ..text import normalize_label
from .layout import is_page_number

log = logging.getLogger("gxaudit.ingest.pdf")

# At most this many pages go through pdfplumber's (slow) table machinery.
MAX_TABLE_PAGES = 12
# A page is a table page when its text holds at least this many distinct
# table markers (row labels, column headers, 第二十条).
MIN_MARKERS = 3
# A page "has text" when it carries at least this many non-blank characters.
MIN_PAGE_CHARS = 10
# Documents of at most this many pages keep every page loaded between the
# pass that pulls the text and the table readers (a page loads in ~2 ms).
KEEP_OPEN = 40
# A page with fewer path objects than this has no ruled table to find.
MIN_PATHS = 4

_WS = re.compile(r"\s+")
_LONE_NUMBER = re.compile(r"(?<!\S)\d[\d.,]{0,20}(?!\S)")
# The title of a side-by-side comparison of two years' reports (a peer tool's
# printout such as "宿迁市 政务公开年报比对 / 年份: 2023 vs 2024"): both years'
# tables interleave on every page, so it is not one report.
_COMPARISON = re.compile(r"(?:年报|报告)(?:比对|对比|差异比较)|(?:19|20)\d{2}年?(?:vs|对比|比对)(?:19|20)\d{2}",
                         re.I)


def _markers() -> tuple[str, ...]:
    """Normalised phrases that appear in tables 二, 三, 四 (and hardly in prose)."""
    out: set[str] = {"第二十条", "信息内容", "申请人情况", "勾稽关系"}
    for lay in LAYOUTS.values():
        for r in lay.all_rows():
            out.update(r.phrases)
            out.update(e for e in r.exact if len(e) >= 4)
        cols = list(lay.columns) + [c for b in lay.blocks for c in b.columns]
        for c in cols:
            out.update(a for a in c.aliases if len(a) >= 4)
    for phrases in FINGERPRINTS.values():
        out.update(phrases)
    for sec in ("t2", "t3", "t4"):
        out.update(SECTION_PHRASES[sec])
    return tuple(sorted({normalize_label(m) for m in out if m}))


_MARKERS: tuple[str, ...] | None = None


def _table_markers() -> tuple[str, ...]:
    global _MARKERS
    if _MARKERS is None:
        _MARKERS = _markers()
    return _MARKERS


def _open_pdfium(data: bytes):
    import pypdfium2 as pdfium
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise ReportError("PDF 文件已加密（需要密码才能打开），请提供未加密的版本。") from exc
        if "format" in msg or "file" in msg:
            raise ReportError("PDF 文件已损坏或不完整（可能下载中断或被截断），无法打开。") from exc
        raise ReportError(f"无法打开 PDF 文件（{exc}）。") from exc


def _pdfium_texts(pdf, kept: dict) -> tuple[list[str], list[bool], list[bool]]:
    """Every page's text, whether the page holds images (for scans) and
    whether it draws enough lines to hold a ruled table.  ``kept``: filled
    with each page that has text and its text page, left open for the table
    readers, when the document has at most KEEP_OPEN pages."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    texts: list[str] = []
    images: list[bool] = []
    ruled: list[bool] = []
    for i in range(len(pdf)):
        try:
            page = pdf[i]
        except pdfium.PdfiumError as exc:
            raise ReportError(f"PDF 文件第 {i + 1} 页已损坏，无法读取。") from exc
        keep = len(pdf) <= KEEP_OPEN
        tp = None
        try:
            tp = page.get_textpage()
            text = tp.get_text_range()
            has_text = len(_WS.sub("", text)) >= MIN_PAGE_CHARS
            has_image = False
            if not has_text:
                has_image = any(True for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,),
                                                                max_depth=2))
            texts.append(text)
            images.append(has_image)
            ruled.append(has_text and _ruled(page))
            if keep and has_text:
                kept[i] = (page, tp)
        finally:
            if not keep or i not in kept:
                if tp is not None:
                    tp.close()
                page.close()
    return texts, images, ruled


def _ruled(page) -> bool:
    """Whether a page draws enough lines or boxes to hold a ruled table
    (a page of prose that quotes the table's words — "结果维持 72 件，结果纠正
    64 件" — has none).  Path objects on the page and one form deep."""
    import pypdfium2.raw as pdfium_c
    path, form = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
    n = 0
    for k in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, k)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == path:
            n += 1
        elif kind == form:
            n += sum(1 for j in range(pdfium_c.FPDFFormObj_CountObjects(obj))
                     if pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFFormObj_GetObject(obj, j)) == path)
        if n >= MIN_PATHS:
            return True
    return False


def _marker_scores(texts: list[str]) -> list[int]:
    """How many distinct table markers each page's text holds."""
    markers = _table_markers()
    return [sum(1 for m in markers if m in normalize_label(t)) for t in texts]


def _table_pages(texts: list[str], scores: list[int], ruled: list[bool]) -> list[int]:
    """0-based indices of the pages that hold ruled tables 二/三/四."""
    scored = [(score, i) for i, score in enumerate(scores) if score >= MIN_MARKERS and ruled[i]]
    if len(scored) > MAX_TABLE_PAGES:
        log.info("%d candidate table pages; keeping the %d best", len(scored), MAX_TABLE_PAGES)
        scored = sorted(scored, reverse=True)[:MAX_TABLE_PAGES]
    pages = {i for _, i in scored}
    # A table continued on the next page: that page may hold only a row or
    # two of numbers (no labels to score), but it draws the table's lines.
    pages |= {i + 1 for i in pages if i + 1 < len(texts) and i + 1 not in pages
              and texts[i + 1].strip() and ruled[i + 1]}
    return sorted(pages)


def _text_lines(doc: Document, page_no: int, text: str) -> None:
    for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        ln = ln.strip()
        if ln and not is_page_number(ln):
            doc.line(ln, page=page_no)


def garbled(text: str) -> bool:
    """Whether a page's text layer is garbage (a broken font's mojibake):
    mostly private-use code points, control characters, Latin-1 letters
    (GBK bytes read as Latin-1: "ÕþÎñ") or ASCII symbols, and (almost) no
    Chinese where a Chinese report has Chinese.  Plain English prose is text."""
    chars = [c for c in text if not c.isspace()]
    if len(chars) < MIN_PAGE_CHARS:
        return False
    cjk = bad = symbols = 0
    for c in chars:
        o = ord(c)
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
            cjk += 1
        elif 0xE000 <= o <= 0xF8FF or o == 0xFFFD or o < 0x20 or 0x7F <= o <= 0x9F \
                or 0xC0 <= o <= 0x24F:
            bad += 1
        elif o < 0x80 and not c.isalnum() and c not in ".,:;()-/%'\"":
            symbols += 1
    n = len(chars)
    if cjk / n > 0.3:
        return False
    return (bad + symbols) / n > 0.3


def _info(pdf) -> dict:
    """The document information dictionary (CreationDate, ModDate, ...)."""
    try:
        return {k: str(v) for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
    except Exception:  # noqa: BLE001 - metadata is optional evidence
        return {}


@dataclass
class _Passes:
    """What the PDFium passes over a document found."""
    pages: int
    info: dict
    texts: list[str]
    table_pages: list[int]
    scanned: dict
    gridded: dict
    loose: dict


def _passes(pdf, path: str, sha256: str, progress, cancel) -> _Passes:
    """Text of every page, then the table pages: OCR'd, read by their ruling
    lines, or read as tables without lines.  Pages stay loaded between the
    passes (``kept``) and are closed at the end."""
    n = len(pdf)
    if n == 0:
        raise ReportError("PDF 文件没有任何页面。")
    info = _info(pdf)
    kept: dict[int, tuple] = {}
    try:
        texts, images, ruled = _pdfium_texts(pdf, kept)
        scan_pages = _scan_pages(path, texts, images)
        _refuse(texts, scan_pages)
        scores = _marker_scores(texts)
        table_pages = _table_pages(texts, scores, ruled)
        scanned = _ocr_pages(pdf, path, scan_pages, table_pages, sha256, progress, cancel)
        gridded = _grid_pages(pdf, [i for i in table_pages if i not in scanned], kept)
        loose = _loose_pages(pdf, [i for i in _unruled_pages(texts, scores, ruled) if i not in scanned], kept)
    finally:
        for page, tp in kept.values():       # text pages before their pages
            tp.close()
            page.close()
    return _Passes(n, info, texts, table_pages, scanned, gridded, loose)


def read_pdf(path: str, data: bytes, sha256: str, progress=None, cancel=None) -> Document:
    from .progress import current
    progress, cancel = current(progress, cancel)
    from .pdfium_lock import PDFIUM
    with PDFIUM:
        pdf = _open_pdfium(data)
        try:
            got = _passes(pdf, path, sha256, progress, cancel)
        finally:
            pdf.close()
    n, info, texts, table_pages = got.pages, got.info, got.texts, got.table_pages
    scanned, gridded, loose = got.scanned, got.gridded, got.loose
    log.info("%s: %d pages, table pages %s, scanned pages %s", path, n, [i + 1 for i in table_pages],
             [i + 1 for i in scanned])
    kind = "pdf-scan" if any(res.table for res in scanned.values()) else "pdf"
    doc = Document(kind=kind, path=path, sha256=sha256, pages=n, info=info)
    from .pdfplumbed import plumb
    plumbed = plumb(path, data, [i for i in table_pages if i not in gridded and i not in scanned],
                     table_base=sum(g[1] for g in gridded.values() if g))
    for i, text in enumerate(texts):
        if gridded.get(i):
            doc.rows.extend(gridded[i][0])
        elif i in plumbed:
            doc.rows.extend(plumbed[i])
        elif i in loose:
            doc.rows.extend(loose[i])
        elif i in scanned:
            doc.rows.extend(scanned[i].rows)
        else:
            _text_lines(doc, i + 1, text)
    from .pagejoin import join_page_breaks
    doc.rows = join_page_breaks(doc.rows)
    return doc


def _scan_pages(path: str, texts: list[str], images: list[bool]) -> list[int]:
    """Pages the OCR reads: images without a text layer, and text layers that
    are garbage (those fall back to the picture of the page; their text is dropped)."""
    bad = [i for i, t in enumerate(texts) if garbled(t)]
    if bad:
        log.info("%s: garbled text layer on pages %s; using OCR there", path, [i + 1 for i in bad])
        for i in bad:
            texts[i] = ""
    return sorted(set(bad) | {i for i, im in enumerate(images) if im})


def _refuse(texts: list[str], scan_pages: list[int]) -> None:
    """No text at all, or a side-by-side comparison of two years: not one report."""
    with_text = sum(1 for t in texts if len(_WS.sub("", t)) >= MIN_PAGE_CHARS)
    if with_text == 0 and not scan_pages:
        raise ReportError("PDF 文件中没有可提取的文字。")
    head = _WS.sub("", texts[0])[:200]
    m = _COMPARISON.search(head)
    if m:
        raise ReportError(f"这是两个年度报告的比对打印件（“{m.group(0)}”），不是单份年度报告，"
                          "请分别打开各年度的报告原件。")


def _ocr_pages(pdf, path: str, scan_pages: list[int], table_pages: list[int], sha256: str,
               progress, cancel) -> dict:
    if not scan_pages:
        return {}
    from . import ocr
    if ocr.available():
        return ocr.read_pages(pdf, scan_pages, sha256, _table_markers(), MIN_MARKERS,
                              progress=progress, cancel=cancel)
    if table_pages:
        log.warning("%s: OCR not installed; pages %s left unread", path, [i + 1 for i in scan_pages])
        return {}
    raise ReportError(ocr.MISSING_MESSAGE)


def _on_page(pdf, i: int, kept: dict, read):
    """``read(page, textpage)`` on page i: the page kept loaded from the text
    pass, else loaded for this read alone (its text page None)."""
    if i in kept:
        return read(*kept[i])
    page = pdf[i]
    try:
        return read(page, None)
    finally:
        page.close()


def _unruled_pages(texts: list[str], scores: list[int], ruled: list[bool]) -> list[int]:
    """0-based indices of the pages that hold table labels but draw no lines
    (a table with its borders turned off), and the page after each."""
    pages = {i for i, score in enumerate(scores) if not ruled[i] and score >= MIN_MARKERS}
    pages |= {i + 1 for i in pages if i + 1 < len(texts) and not ruled[i + 1] and texts[i + 1].strip()}
    # A table's figures stand apart in the text too ("40 3 0 1"); a page whose
    # numbers all sit inside sentences is prose.
    return sorted(i for i in pages if len(_LONE_NUMBER.findall(texts[i])) >= 2)


def _loose_pages(pdf, pages: list[int], kept: dict) -> dict[int, list[Row]]:
    """The unruled table pages' rows, by 0-based page (a page with too few
    figures stays running text)."""
    from .pdfloose import read_unruled
    out: dict[int, list[Row]] = {}
    chars: dict[int, list] = {}
    for i in pages:
        above = chars.get(i - 1, ())
        rows, chars[i] = _on_page(pdf, i, kept, lambda page, tp: read_unruled(page, i + 1, tp, above))
        if rows is not None:
            out[i] = rows
    return out


def _grid_pages(pdf, table_pages: list[int], kept: dict) -> dict[int, tuple[list[Row], int] | None]:
    """The table pages PDFium reads, by 0-based page: the rows and number of
    tables of a page with a ruled table; None for a page that draws no
    table (its text is read as running text)."""
    from .pdfgrid import NO_RULES, read_page
    out: dict[int, tuple[list[Row], int] | None] = {}
    base = 0
    for i in table_pages:
        got = _on_page(pdf, i, kept, lambda page, tp: read_page(page, i + 1, base, tp))
        if got == NO_RULES:
            out[i] = None
        elif got is not None:
            out[i] = got
            base += got[1]
    return out
