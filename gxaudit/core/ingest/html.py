"""Reader for saved web pages (HTML) of reports.

Government sites publish most reports as HTML tables.  The page is parsed
with the standard library's :mod:`html.parser` into a small tree (tolerant of
the usual unclosed ``<td>``/``<tr>``/``<p>``), then walked in document order:

* a data table becomes grid rows, its ``rowspan``/``colspan`` expanded into a
  grid so that the k-th value cell is the k-th column; the slots a spanned
  cell covers beyond its first are empty spans marked ``merged=True``;
* a *layout* table (one that holds other tables, or has a single column) is
  read as running text, and the tables inside it as tables;
* text outside tables becomes line rows, one per block (``<p>``, ``<div>``,
  ``<br>``, headings, …).

Inline markup inside cells (``<font>``, ``<span>``, ``<b>``, ``<p>``, ``<br>``)
is flattened; ``&nbsp;`` is white space, so a cell holding only ``&nbsp;`` is
blank (never 0).  The encoding comes from a BOM, else ``<meta charset>`` or the
``http-equiv`` content type, else UTF-8, else GB18030 (a superset of GBK and
GB2312).  繁体 pages need nothing here: labels are normalised to 简体 when
they are matched.
"""
from __future__ import annotations

import codecs
import logging
import re
from html.parser import HTMLParser

from ..document import Document, Row, Span
from ..model import ENCODING_NOTE, ReportError
from .encoding import decode_by_evidence, strict

log = logging.getLogger("gxaudit.ingest.html")

MAX_COLSPAN = 100          # the HTML standard allows 1000; no report table needs more
MAX_ROWSPAN = 1000
MAX_DEPTH = 200            # element nesting kept in the tree
MAX_CELLS = 200_000        # grid slots per table

_META_CHARSET = re.compile(rb"""<meta[^>]{1,500}?charset\s{0,20}=\s{0,20}["']?\s{0,20}([A-Za-z0-9_\-:.]{1,60})""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
            "cp936": "gb18030", "hz-gb-2312": "gb18030", "big5": "big5hkscs",
            "x-x-big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252",
            "us-ascii": "utf-8", "ascii": "utf-8"}

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr", "keygen", "basefont", "frame"}
# Never "head": pages that forget </head> would lose their whole body.
_SKIP = {"script", "style", "noscript", "template", "select", "textarea", "svg", "math",
         "iframe", "object", "button"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "section", "article", "header", "footer", "nav", "aside", "main", "blockquote", "pre",
          "address", "center", "form", "fieldset", "figure", "figcaption", "caption", "hr",
          "body", "html", "title", "table", "tr", "td", "th", "thead", "tbody", "tfoot"}
_CELL = {"td", "th"}
_SECTION = {"thead", "tbody", "tfoot"}
# Elements an implied end closes (a simplified form of the HTML rules).
_CLOSES = {
    "td": {"td", "th"}, "th": {"td", "th"},
    "tr": {"tr", "td", "th"},
    "thead": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "tbody": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "tfoot": {"thead", "tbody", "tfoot", "tr", "td", "th"},
    "li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "option": {"option"},
}
_P_CLOSERS = {"p", "div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "article", "blockquote", "pre", "form", "hr", "address", "center"}
_WS = re.compile(r"[ \t\r\n\f\u00a0\u200b\ufeff]+")


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict | None = None, parent: "_Node | None" = None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list = []      # _Node or str
        self.parent = parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]
        self.skip = 0                  # depth inside <script>, <style>, …

    @property
    def cur(self) -> _Node:
        return self.stack[-1]

    def _close_until(self, names: set[str], barrier: set[str], outermost: bool = False) -> None:
        """Pop an open element named in ``names`` (and what is inside it),
        not looking past a ``barrier`` element: the innermost one for an end
        tag, the outermost one for an implied end (a new <tr> closes the open
        row, not just the cell inside it)."""
        found = None
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in names:
                found = i
                if not outermost:
                    break
            elif tag in barrier:
                break
        if found is not None:
            del self.stack[found:]

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag in _SKIP and tag not in _VOID:
                self.skip += 1
            return
        if tag in _SKIP:
            self.skip = 1
            return
        if tag in _CLOSES:
            barrier = {"table"} if tag in _CELL | {"tr"} | _SECTION else {"ul", "ol", "dl", "table"}
            self._close_until(_CLOSES[tag], barrier, outermost=True)
        if tag in _P_CLOSERS:
            self._close_until({"p"}, {"td", "th", "table", "div"} - ({"div"} if tag == "p" else set()))
        if tag in _CELL and not any(n.tag == "tr" for n in self._table_scope()):
            # A cell outside any row: open an implied row.
            if any(n.tag == "table" for n in self.stack):
                self._open("tr", {})
        node = self._open(tag, dict((k.lower(), v or "") for k, v in attrs))
        if tag in _VOID and node is not None:
            self.stack.pop()

    def _table_scope(self):
        out = []
        for n in reversed(self.stack):
            out.append(n)
            if n.tag == "table":
                break
        return out

    def _open(self, tag, attrs):
        if len(self.stack) >= MAX_DEPTH:
            # Pathologically deep markup: what follows joins the deepest
            # element kept, so that walking the tree stays bounded.
            return None
        node = _Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        self.stack.append(node)
        return node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and not self.skip and self.cur.tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if self.skip:
            if tag in _SKIP:
                self.skip -= 1
            return
        if tag in _VOID:
            return
        if tag in _CELL:
            self._close_until({tag, "td", "th"}, {"table"})
        elif tag == "tr":
            self._close_until({"tr"}, {"table"})
        elif tag in _SECTION:
            self._close_until({tag}, {"table"})
        elif tag == "table":
            self._close_until({"table"}, set())
        elif tag == "p":
            self._close_until({"p"}, {"td", "th", "table"})
        else:
            self._close_until({tag}, {"td", "th", "table"} if tag not in _BLOCK else {"table"})

    def handle_data(self, data):
        if self.skip:
            return
        if data:
            self.cur.children.append(data)


# Declarations a browser ignores in a page's <meta>: a page read as bytes is
# never UTF-16/32 once it reached <meta>, and UTF-7 is refused for safety.
_IGNORED = ("utf-16", "utf-32", "utf-7", "ucs-2", "ucs-4")


def decode(data: bytes) -> str:
    return decode_page(data).text


def decode_page(data: bytes):
    """The page's text: a BOM, else the declared charset when the bytes fit
    it, else by evidence (encoding.py).  A declared charset that is unknown
    or does not fit becomes a reading note, never an error."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_by_evidence(data)
    m = _META_CHARSET.search(data[:16384])
    declared = m.group(1).decode("ascii", "ignore").lower() if m else ""
    name = _ALIASES.get(declared, declared)
    try:
        name = codecs.lookup(name).name if name else ""
    except LookupError:
        name = ""
    if name and not name.startswith(_IGNORED):
        got = strict(data, name)
        if got is not None:
            return got
        log.info("declared charset %s does not fit the bytes; deciding by content", name)
    decoded = decode_by_evidence(data)
    if declared and (not name or name.startswith(_IGNORED)):
        decoded.declared_note = (f"{ENCODING_NOTE}：网页声明的字符编码“{declared[:40]}”无法使用，"
                                 f"已按内容判断为 {decoded.encoding.upper()}")
    return decoded


def _clean(text: str) -> str:
    return _WS.sub(" ", text)


def _has_table(node: _Node) -> bool:
    for ch in node.children:
        if isinstance(ch, _Node):
            if ch.tag == "table" or _has_table(ch):
                return True
    return False


def _table_rows(table: _Node) -> list[_Node]:
    """The <tr> of a table, not of tables nested in it."""
    out: list[_Node] = []

    def walk(n: _Node):
        for ch in n.children:
            if not isinstance(ch, _Node):
                continue
            if ch.tag == "tr":
                out.append(ch)
            elif ch.tag in _SECTION or ch.tag in ("form", "div", "span", "font", "center"):
                walk(ch)

    walk(table)
    return out


def _row_cells(tr: _Node) -> list[_Node]:
    out: list[_Node] = []

    def walk(n: _Node):
        for ch in n.children:
            if isinstance(ch, _Node):
                if ch.tag in _CELL:
                    out.append(ch)
                elif ch.tag not in ("tr", "table"):
                    walk(ch)

    walk(tr)
    return out


def _span_attr(node: _Node, name: str, hi: int) -> int:
    raw = node.attrs.get(name, "")
    m = re.match(r"\s*(\d+)", raw or "")
    if not m:
        return 1
    v = int(m.group(1))
    if v == 0 and name == "rowspan":
        return hi          # rowspan="0": to the end of the table
    return max(1, min(hi, v))


class _Walker:
    def __init__(self, doc: Document):
        self.doc = doc
        self.line: list[str] = []
        self.tables = 0
        self.elements = 0             # every <table>, in document order (for anchors)

    # -- running text --------------------------------------------------
    def flush(self) -> None:
        text = _clean("".join(self.line)).strip()
        self.line = []
        if text:
            self.doc.line(text)

    def flow(self, node: _Node) -> None:
        for ch in node.children:
            if isinstance(ch, str):
                self.line.append(ch)
                continue
            tag = ch.tag
            if tag == "br":
                self.flush()
            elif tag == "table":
                self.flush()
                self.table(ch)
            elif tag in _BLOCK:
                self.flush()
                self.flow(ch)
                self.flush()
            else:
                self.flow(ch)

    # -- tables ----------------------------------------------------------
    def cell_text(self, node: _Node) -> str:
        lines: list[str] = []
        cur: list[str] = []

        def brk():
            t = _clean("".join(cur)).strip()
            cur.clear()
            if t:
                lines.append(t)

        def walk(n: _Node):
            for ch in n.children:
                if isinstance(ch, str):
                    cur.append(ch)
                elif ch.tag == "br":
                    brk()
                elif ch.tag == "table":
                    continue
                elif ch.tag in _BLOCK:
                    brk()
                    walk(ch)
                    brk()
                else:
                    walk(ch)

        walk(node)
        brk()
        return "\n".join(lines)

    def table(self, table: _Node) -> None:
        rows = _table_rows(table)
        self.elements += 1
        element = self.elements
        cells = [_row_cells(tr) for tr in rows]
        width = max((sum(_span_attr(c, "colspan", MAX_COLSPAN) for c in rc) for rc in cells),
                    default=0)
        if _has_table(table) or width <= 1:
            # A layout table: its cells are running text; the tables inside
            # it are read as tables, in order.
            for rc in cells:
                for c in rc:
                    self.flow(c)
                    self.flush()
            return
        index = self.tables
        self.tables += 1
        for spans in _grid_spans(self.grid(cells, element)):
            self.doc.rows.append(Row(spans, grid=True, table=index))

    def grid(self, cells: list[list[_Node]], element: int) -> list[dict[int, Span]]:
        """The table's cells placed on a grid by their row and column spans:
        one ``{column: Span}`` a row, merged continuations as empty spans."""
        nrows = len(cells)
        grid: list[dict[int, Span]] = [dict() for _ in range(nrows)]
        slots = 0
        for r, rc in enumerate(cells):
            col = 0
            per_tag: dict[str, int] = {}
            for c in rc:
                per_tag[c.tag] = per_tag.get(c.tag, 0) + 1
                while col in grid[r]:
                    col += 1
                colspan = _span_attr(c, "colspan", MAX_COLSPAN)
                rowspan = _span_attr(c, "rowspan", min(MAX_ROWSPAN, nrows - r))
                slots += colspan * rowspan
                if slots > MAX_CELLS:
                    raise ReportError("网页中的表格过大（合并单元格的跨度异常），无法读取。")
                span = Span(self.cell_text(c), anchor=f"table[{element}]/tr[{r + 1}]/{c.tag}[{per_tag[c.tag]}]")
                _place(grid, r, col, rowspan, colspan, span)
                col += colspan
        return grid


def _place(grid: list[dict[int, Span]], r: int, col: int, rowspan: int, colspan: int,
           span: Span) -> None:
    for dr in range(rowspan):
        for dc in range(colspan):
            if dr == 0 and dc == 0:
                grid[r][col] = span
            elif (col + dc) not in grid[r + dr]:
                grid[r + dr][col + dc] = Span("", merged=True)


def _grid_spans(grid: list[dict[int, Span]]):
    """Each non-empty grid row as a list of spans, gaps filled with empty ones."""
    for row in grid:
        if not row:
            continue
        last = max(row)
        yield [row.get(i) or Span("") for i in range(last + 1)]


def read_html(path: str, data: bytes, sha256: str) -> Document:
    decoded = decode_page(data)
    text = decoded.text
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
    except (AssertionError, ValueError) as exc:  # html.parser on hopeless markup
        raise ReportError("网页文件的结构已损坏，无法解析。") from exc
    doc = Document(kind="html", path=path, sha256=sha256, pages=None)
    doc.notes += [n for n in (getattr(decoded, "declared_note", None), decoded.note) if n]
    walker = _Walker(doc)
    walker.flow(builder.root)
    walker.flush()
    if not any(r.table is not None for r in doc.rows):
        raise ReportError("网页中没有表格，找不到年度报告的统计表（报告可能以图片或附件形式发布，请打开附件或原文件）。")
    log.info("html %s: %d rows, %d tables", path, len(doc.rows), walker.tables)
    return doc
