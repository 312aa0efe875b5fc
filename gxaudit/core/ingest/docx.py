"""Reader for Word (.docx) reports.

The body is walked in document order: a paragraph becomes a one-cell line
row (headings, title, agency, 落款 date), a Word table becomes grid rows.
Merged cells keep their place: a cell spanning n grid columns (gridSpan)
gives n spans, and a cell continuing a vertical merge (vMerge) gives empty
spans, the continuation parts marked ``merged=True``.

The package is opened with :mod:`zipfile` and the main part parsed with
lxml directly (python-docx's object model repeats merged cells and would
inflate every part).  Sizes are checked in the zip directory *before*
anything is inflated, so a zip bomb is refused without being unpacked, and
the XML parser resolves no entities.
"""
from __future__ import annotations

import io
import logging
import posixpath
import zipfile
import zlib

from ..document import Document, Row, Span
from ..model import ReportError

log = logging.getLogger("gxaudit.ingest.docx")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "{%s}" % W

# Limits on the uncompressed sizes, read from the zip directory.
MAX_PART_BYTES = 64 * 1024 * 1024      # the main document part
MAX_RATIO = 200                         # uncompressed / compressed, for big parts
MAX_NESTING = 8                         # tables inside tables
MAX_GRID_COLS = 200                     # gridSpan is clamped to this

_OFFICE_DOC = "/officeDocument"


def _q(tag: str) -> str:
    return _W + tag


def _read_rels(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The package relationships; a damaged entry (bad CRC, broken deflate
    stream) reads as absent, so the main part is looked for by its usual name."""
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError) as exc:
        log.info("damaged _rels/.rels (%s); looking for word/document.xml", exc)
        raise ReportError("damaged relationships") from exc


def _main_part(zf: zipfile.ZipFile) -> str:
    """The name of the main document part, from the package relationships."""
    names = set(zf.namelist())
    try:
        info = zf.getinfo("_rels/.rels")
    except KeyError:
        info = None
    if info is not None and info.file_size <= 1024 * 1024:
        try:
            rels = _parse_xml(_read_rels(zf, info))
            for rel in rels:
                if str(rel.get("Type", "")).endswith(_OFFICE_DOC):
                    target = rel.get("Target", "").lstrip("/")
                    target = posixpath.normpath(target)
                    if target in names:
                        return target
        except ReportError:
            pass
    if "word/document.xml" in names:
        return "word/document.xml"
    if any(n.startswith("xl/") for n in names):
        raise ReportError("这是 Excel 工作簿（压缩包中没有 Word 文档正文），不是 Word 报告。")
    if any(n.startswith("ppt/") for n in names):
        raise ReportError("这是 PowerPoint 演示文稿，不是 Word 报告。")
    raise ReportError("这是一个 ZIP 压缩包，但其中没有 Word 文档正文，不是 .docx 报告。")


def _parse_xml(data: bytes):
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True, remove_pis=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReportError("Word 文档的正文已损坏，无法解析。") from exc


def _check_sizes(info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_PART_BYTES:
        raise ReportError(
            f"Word 文档正文解压后达 {info.file_size // (1024 * 1024)} MB，超过 "
            f"{MAX_PART_BYTES // (1024 * 1024)} MB 的上限（可能是恶意构造的压缩包），已拒绝打开。")
    if info.file_size > 4 * 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ReportError("Word 文档的压缩比异常（可能是恶意构造的压缩包），已拒绝打开。")


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el) -> str:
    """The visible text under an element: runs, tabs and breaks, no deleted
    text, no fallback copies of alternate content, no nested tables."""
    out: list[str] = []

    def walk(node):
        for ch in node:
            if not isinstance(ch.tag, str):
                continue
            tag = ch.tag
            if tag == _q("t"):
                out.append(ch.text or "")
            elif tag in (_q("tab"), _q("ptab")):
                out.append("\t")
            elif tag in (_q("br"), _q("cr")):
                out.append("\n")
            elif tag == _q("noBreakHyphen"):
                out.append("-")
            elif tag in (_q("tbl"), _q("delText"), _q("instrText"), "{%s}Fallback" % MC):
                continue
            else:
                walk(ch)

    walk(el)
    return "".join(out)


def _val(el, tag: str) -> str | None:
    """The w:val of a child property element, '' when present without a value."""
    if el is None:
        return None
    child = el.find(_q(tag))
    if child is None:
        return None
    return child.get(_q("val"), "")


def _int(s: str | None, default: int, lo: int, hi: int) -> int:
    try:
        v = int(s) if s not in (None, "") else default
    except ValueError:
        v = default
    return max(lo, min(hi, v))


def _children(el, tag: str):
    """The ``tag`` children of ``el``, looking through content controls and custom XML."""
    for ch in el:
        name = _local(ch)
        if name == tag:
            yield ch
        elif name in ("sdt", "customXml", "sdtContent"):
            yield from _children(ch, tag)


def _cells_of(tr):
    return _children(tr, "tc")


def _rows_of(tbl):
    return _children(tbl, "tr")


def _row_width(tr) -> int:
    """Grid columns a row's cells span (w:gridSpan)."""
    return sum(_int(_val(tc.find(_q("tcPr")), "gridSpan"), 1, 1, MAX_GRID_COLS) for tc in _cells_of(tr))


def _continues(tcpr) -> bool:
    """A cell that continues a merge begun above (vMerge) or to the left (hMerge)."""
    vmerge = _val(tcpr, "vMerge")
    hmerge = _val(tcpr, "hMerge")
    return (vmerge is not None and vmerge != "restart") or \
        (hmerge is not None and hmerge != "restart")


def _cell_content(tc) -> tuple[str, list]:
    """A cell's text (its paragraphs, one a line) and the tables nested in it."""
    paras, nested = [], []
    for ch in tc:
        if _local(ch) in ("p", "sdt", "customXml"):
            paras.append(_text(ch).replace("\u00a0", " ").strip())
        elif _local(ch) == "tbl":
            nested.append(ch)
    return "\n".join(p for p in paras if p), nested


def _row_spans(tr, where: str) -> tuple[list[Span], list]:
    """One table row as grid spans (merged continuations as empty spans), and
    the tables nested in its cells.  ``where``: the row's anchor."""
    before = _int(_val(tr.find(_q("trPr")), "gridBefore"), 0, 0, MAX_GRID_COLS)
    spans: list[Span] = [Span("") for _ in range(before)]
    nested: list = []
    for cno, tc in enumerate(_cells_of(tr), 1):
        tcpr = tc.find(_q("tcPr"))
        span = _int(_val(tcpr, "gridSpan"), 1, 1, MAX_GRID_COLS)
        if _continues(tcpr):
            spans.extend(Span("", merged=True) for _ in range(span))
            continue
        text, inner = _cell_content(tc)
        nested.extend(inner)
        spans.append(Span(text, anchor=f"{where} / cell {cno}"))
        spans.extend(Span("", merged=True) for _ in range(span - 1))
    return spans, nested


class _Walker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.tables = 0
        self.word_tables = 0          # every w:tbl, as Word numbers them (for anchors)
        self.paragraphs = 0

    def body(self, parent, depth: int = 0) -> None:
        for ch in parent:
            name = _local(ch)
            if name == "p":
                self.paragraph(ch)
            elif name == "tbl":
                self.table(ch, depth)
            elif name in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):
                self.body(ch, depth)

    def paragraph(self, p) -> None:
        text = _text(p)
        self.paragraphs += 1
        for line in text.split("\n"):
            line = line.replace("\u00a0", " ").strip()
            if line:
                self.doc.line(line, anchor=f"paragraph {self.paragraphs}")

    def table(self, tbl, depth: int) -> None:
        if depth > MAX_NESTING:
            log.warning("tables nested deeper than %d: skipped", MAX_NESTING)
            return
        rows = list(_rows_of(tbl))
        self.word_tables += 1
        word_index = self.word_tables
        # A one-column table (a text box or a frame around the whole report)
        # holds running text, not figures: read its content as the body.
        if rows and max(_row_width(tr) for tr in rows) <= 1:
            for tr in rows:
                for tc in _cells_of(tr):
                    self.body(tc, depth + 1)
            return
        index = self.tables
        self.tables += 1
        for rno, tr in enumerate(rows, 1):
            spans, nested = _row_spans(tr, f"table {word_index} / row {rno}")
            if spans:
                self.doc.rows.append(Row(spans, grid=True, table=index))
            # Tables inside a cell come after the row that holds them.
            for n in nested:
                self.table(n, depth + 1)


def read_docx(path: str, data: bytes, sha256: str) -> Document:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReportError("Word 文件已损坏或不完整（不是有效的 .docx 压缩包）。") from exc
    except (OSError, ValueError) as exc:
        raise ReportError("Word 文件已损坏，无法打开。") from exc
    with zf:
        try:
            infos = zf.infolist()
        except Exception as exc:  # noqa: BLE001 - a broken directory is a broken file
            raise ReportError("Word 文件已损坏，无法打开。") from exc
        if any(i.flag_bits & 0x1 for i in infos):
            raise ReportError("Word 文件已加密，请先取消密码保护后再打开。")
        part = _main_part(zf)
        info = zf.getinfo(part)
        _check_sizes(info)
        try:
            with zf.open(info) as fh:
                xml = fh.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise ReportError("Word 文件已损坏或不完整，无法解压文档正文。") from exc
        except zlib.error as exc:
            raise ReportError("Word 文件已损坏：文档正文的压缩数据无法解开（文件可能被截断或改动）。") from exc
        if len(xml) > MAX_PART_BYTES:
            raise ReportError("Word 文档正文过大，已拒绝打开。")
    root = _parse_xml(xml)
    body = root.find(_q("body"))
    if body is None:
        raise ReportError("Word 文件中没有文档正文，无法读取。")
    doc = Document(kind="docx", path=path, sha256=sha256, pages=None)
    _Walker(doc).body(body)
    log.info("docx %s: %d rows", path, len(doc.rows))
    return doc
