"""The narrative as a document: the six parts, paragraphs and sentences, each
with its place in the source.

Built from the reader's :class:`~gxaudit.core.document.Document` (running text
rows only; table rows are the tables' business).  A part is opened by a
heading line "一、总体情况" … "六、其他需要报告的事项" with the real variants
of domain.md §3.1; the part is known by its words, the numeral is what the
source wrote (so that a misnumbered or repeated part can be reported).

Places: ``page`` + ``bbox`` for PDFs and scans (the union of the sentence's
lines on its first page), ``line`` for text sources, ``anchor`` ("paragraph
12") for DOCX, and for every format ``view_line``: the line of the text the
source pane shows for non-PDF formats (the file itself for text sources, the
reader's rows for DOCX and HTML).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ..document import Document, Row
from ..text import to_simplified

NUMERALS = ("一", "二", "三", "四", "五", "六")
TITLES = {"一": "总体情况", "二": "主动公开政府信息情况", "三": "收到和处理政府信息公开申请情况",
          "四": "政府信息公开行政复议、行政诉讼情况", "五": "存在的主要问题及改进情况",
          "六": "其他需要报告的事项"}

# The words that tell which statutory part a heading opens (domain.md §3.1, with
# the variants seen in real reports).
_PART_WORDS = (
    ("一", ("总体情况", "基本情况", "概述")),
    ("二", ("主动公开",)),
    ("三", ("收到和处理", "依申请公开", "申请情况", "收到和答复")),
    ("四", ("行政复议", "行政诉讼", "行政法复议")),
    ("五", ("存在的主要问题", "存在的问题", "主要问题", "改进情况")),
    ("六", ("其他需要报告", "其他事项", "其它需要报告")),
)
_HEADING = re.compile(r"^[#\s]*(?P<num>[一二三四五六七八九十]{1,2})\s*[、.．,，]\s*(?P<title>.{2,40})$")
_MAYBE_HEADING = re.compile(r"^[#\s]*[一二三四五六七八九十]")
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
_END = "。！？；!?;：:"
_WS = re.compile(r"\s+")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff（），。：；、“”])\s+|\s+(?=[\u3000-\u9fff（），。：；、“”])")


def compact(text: str) -> str:
    """Whitespace removed around Chinese text ("2024 年" → "2024年"), runs of
    spaces made one: what the rules read."""
    return _WS.sub(" ", _CJK_SPACE.sub("", text)).strip()


@dataclass
class Sentence:
    text: str                        # as in the source, whitespace normalised
    section: str | None              # 一..六 (the part it belongs to), None before the first
    paragraph: int                   # index of its paragraph in the narrative
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    line: int | None = None          # 1-based line of a text source
    anchor: str | None = None        # DOCX paragraph ("paragraph 12")
    view_line: int | None = None     # line in the source pane's text (non-PDF)

    @property
    def plain(self) -> str:
        return compact(to_simplified(self.text))

    def evidence(self, stated=None) -> dict:
        """The ``evidence`` object of report-json.md "Narrative rules"."""
        return {"section": self.section, "text": self.text, "stated": stated,
                "page": self.page, "bbox": [round(x, 2) for x in self.bbox] if self.bbox else None,
                "line": self.line}


@dataclass
class Section:
    number: str                      # the part (一..六), known by its words
    written: str                     # the numeral the source wrote
    title: str                       # the heading as written
    page: int | None = None
    line: int | None = None
    view_line: int | None = None
    text: str = ""                   # the part's running text, paragraphs joined by "\n"

    @property
    def chars(self) -> int:
        return len(_WS.sub("", self.text))

    def to_json(self) -> dict:
        """One entry of the document's ``sections`` (report-json.md)."""
        return {"number": self.number, "title": self.title, "page": self.page,
                "line": self.line, "chars": self.chars}


@dataclass
class Narrative:
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)  # (written numeral, part) in order
    head: list[str] = field(default_factory=list)   # lines before the first part (title, preface)
    info: dict = field(default_factory=dict)        # PDF document information
    places: dict[str, int] = field(default_factory=dict)   # anchor → view line

    def section(self, number: str) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)

    def text_of(self, number: str) -> str:
        return "\n".join(s.text for s in self.sections if s.number == number)

    def in_section(self, number: str) -> list[Sentence]:
        return [s for s in self.sentences if s.section == number]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Narrative":
        secs = [Section(**s) for s in d.get("sections", [])]
        sents = []
        for s in d.get("sentences", []):
            s = dict(s)
            s["bbox"] = tuple(s["bbox"]) if s.get("bbox") else None
            sents.append(Sentence(**s))
        return cls(secs, sents, [tuple(h) for h in d.get("headings", [])], d.get("head", []),
                   d.get("info", {}), d.get("places", {}))


def part_of(line: str) -> tuple[str, str, str] | None:
    """(part, numeral written, title) when the line is the heading of one of
    the six parts, else None."""
    if not _MAYBE_HEADING.match(line):
        return None
    text = compact(to_simplified(line))
    m = _HEADING.match(text)
    if not m or len(text) > 45:
        return None
    title = m["title"]
    if title.startswith(("是", "要", "在", "对")) or title[-1] in "。；;":
        return None        # "一是……" lists, sentences
    for part, words in _PART_WORDS:
        if any(w in title for w in words):
            return part, m["num"], text.lstrip("#").strip()
    return None


def view_lines(doc: Document) -> list[int]:
    """For each row, its 1-based line in the text the source pane shows."""
    if doc.kind == "text":
        return [next((c.line for c in r.cells if c.line), 0) for r in doc.rows]
    out, line = [], 1
    for r in doc.rows:
        out.append(line)
        line += 1 + "\t".join(c.text for c in r.cells).count("\n")
    return out


@dataclass
class _Para:
    section: str | None
    index: int                       # index of its Section, -1 before the first
    rows: list[tuple[int, Row]] = field(default_factory=list)


def _paragraphs(doc: Document) -> tuple[list[_Para], list[Section], list[tuple[str, str]], list[str]]:
    lines = view_lines(doc)
    paras: list[_Para] = []
    sections: list[Section] = []
    headings: list[tuple[str, str]] = []
    head: list[str] = []
    current: str | None = None
    wrapping = doc.kind not in ("docx", "html")
    real = _real_headings(doc)
    for i, row in enumerate(doc.rows):
        if not row.is_line:
            if row.table is not None and paras:
                paras.append(_Para(current, len(sections) - 1))   # a table ends the paragraph
            continue
        text = row.cells[0].text.strip()
        if not text:
            continue
        hit = real.get(i)
        if hit:
            part, written, title = hit
            span = row.cells[0]
            headings.append((written, part))
            current = part
            sections.append(Section(part, written, title, span.page, span.line, lines[i]))
            paras.append(_Para(current, len(sections) - 1))
            continue
        if current is None:
            head.append(text)
        joins = wrapping and bool(paras) and bool(paras[-1].rows) and paras[-1].section == current \
            and _continues(paras[-1].rows[-1][1].cells[0], row.cells[0])
        if not joins:
            paras.append(_Para(current, len(sections) - 1))
        paras[-1].rows.append((i, row))
    return [p for p in paras if p.rows], sections, headings, head


def _real_headings(doc: Document) -> dict[int, tuple[str, str, str]]:
    """The rows that open a part.  A part named twice (sub-topics of 总体情况
    numbered like parts, as in 上海市科委 2024) is opened by the heading whose
    numeral is the part's own, else by the last one; the others are text."""
    found: dict[str, list[tuple[int, tuple[str, str, str]]]] = {}
    for i, row in enumerate(doc.rows):
        if row.is_line:
            hit = part_of(row.cells[0].text)
            if hit:
                found.setdefault(hit[0], []).append((i, hit))
    out = {}
    for part, hits in found.items():
        own = [h for h in hits if h[1][1] == part]
        i, hit = own[0] if own else hits[-1]
        out[i] = hit
    return out


_OPENS = re.compile(r"^\s*#*\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、是]|\d+[.、．])")


def _continues(prev, nxt) -> bool:
    """True when the line ``nxt`` goes on with the paragraph of ``prev``: a
    line wrapped in a PDF or in a text extracted from one."""
    p, n = prev.text.strip(), nxt.text.strip()
    if p[-1:] in _END or _OPENS.match(n) or (_MAYBE_HEADING.match(n) and _HEADING.match(compact(n))):
        return False
    if _OPENS.match(p) and len(p) <= 25:
        return False                  # a sub-heading "（一）主要问题" stands alone
    if prev.line and nxt.line and nxt.line != prev.line + 1:
        return False                  # a blank line between them
    if prev.page and nxt.page and prev.page != nxt.page and _OPENS.match(n):
        return False
    return True


def _place(sent: Sentence, pieces: list[tuple[int, int, int, Row]], start: int, end: int,
           lines: list[int]) -> list[str]:
    """Set the sentence's place; returns its text on its first page, line by line."""
    hit = [(i, r) for a, b, i, r in pieces if a < end and b > start]
    if not hit:
        return []
    on_page = [r.cells[0].text.strip()[max(start - a, 0):max(end - a, 0)]
               for a, b, i, r in pieces if a < end and b > start and r.cells[0].page == hit[0][1].cells[0].page]
    first_i, first = hit[0]
    span = first.cells[0]
    sent.page, sent.line, sent.anchor, sent.view_line = span.page, span.line, span.anchor, lines[first_i]
    boxes = [r.cells[0].bbox for _, r in hit if r.cells[0].bbox and r.cells[0].page == span.page]
    if boxes:
        sent.bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                     max(b[2] for b in boxes), max(b[3] for b in boxes))
    return [t for t in on_page if t.strip()]


def build(doc: Document) -> Narrative:
    """The narrative of a document: parts, sentences with their places."""
    paras, sections, headings, head = _paragraphs(doc)
    lines = view_lines(doc)
    nar = Narrative(sections=sections, headings=headings, head=head, info=dict(doc.info))
    if doc.pages:     # pages the reader left unread (a long scan's text pages): parts may be missing
        read = {c.page for r in doc.rows for c in r.cells if c.page}
        if read:
            nar.info["unread_pages"] = doc.pages - len(read)
    texts: dict[int, list[str]] = {}
    unboxed: dict[int, list[str]] = {}
    for pno, para in enumerate(paras):
        pieces, buf, pos = [], [], 0
        for i, row in para.rows:
            t = row.cells[0].text.strip()
            pieces.append((pos, pos + len(t), i, row))
            buf.append(t)
            pos += len(t)
        text = "".join(buf)
        for m in _SENTENCE.finditer(text):
            body = _WS.sub(" ", m.group(0)).strip()
            if not body:
                continue
            sent = Sentence(body, para.section, pno)
            on_page = _place(sent, pieces, m.start(), m.end(), lines)
            if sent.page and sent.bbox is None and on_page:
                unboxed[len(nar.sentences)] = on_page
            nar.sentences.append(sent)
        if para.index >= 0:
            texts.setdefault(para.index, []).append(text)
    for idx, sec in enumerate(sections):
        sec.text = "\n".join(texts.get(idx, []))
    if doc.kind.startswith("pdf") and unboxed:
        from .pdfboxes import fill_boxes
        fill_boxes(nar, doc.path, unboxed)
    for i, row in enumerate(doc.rows):
        before = 0
        for c in row.cells:
            if c.anchor:
                nar.places[c.anchor] = lines[i] + before
            before += c.text.count("\n")
    return nar
