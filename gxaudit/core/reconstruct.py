"""Document → Report: rebuild tables 二, 三, 四 from rows of positioned text.

One path for every reader.  The steps:

1. Walk the rows in reading order and follow the section headings (二 / 三 /
   四 / 五 / 六) so that each row is matched only against its own table.
2. Decide the layout of each table from the fingerprints of domain.md §2.
3. For each row that carries values, find its label (the text cells before
   the values, or the lines just above when a label was broken over lines)
   and match it against the format data; then place the values in columns:
   by position when the row keeps blank cells in place, else in order when
   the count is exactly right — otherwise the row's cells are *unreadable*.
   A value is never moved to another column to make the count fit.
4. Every cell of the template is in the Report, read or not.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace

from . import formats, metadata, narrative
from .columns import _ColumnMap, _ValueRow, match_row
from .confidence import too_low
from .document import Document, Row, Span
from .formats import Layouts, TableLayout
from .model import BLANK, UNREADABLE, Cell, Report, ReportError, SourceInfo
from .text import NAME_THEN_FIGURE, looks_like_value, normalize_label, parse_value, split_trailing_values

log = logging.getLogger("gxaudit.reconstruct")

_HEADING = re.compile(r"^(?:#+)?[一二三四五六七八九十]+[、.,]")
# Anchored at the end by the caller (a right strip), never searched: a search
# for trailing digits restarts at every digit of a long run (quadratic).
_GLUED_DIGITS = re.compile(r"\d{2,}")
_LABEL_BUFFER_LINES = 2
# A figure inside a row's name, between two characters ("不再处0理"): no
# template row's name has one.
_SWALLOWED = re.compile(r"[\u4e00-\u9fff](\d{1,12})[\u4e00-\u9fff]")


def section_of(norm: str) -> str | None:
    """The section a heading line opens, or None when it is not a heading."""
    text = norm.lstrip("#")
    for table, phrases in formats.TABLE_TITLE_PHRASES.items():
        if text.startswith(phrases) and len(text) < 30:
            return table
    if not _HEADING.match(text) or len(text) > 40:
        return None
    if "总体情况" in text[:8]:
        return "s1"
    for sec, phrases in formats.SECTION_PHRASES.items():
        if any(p in text for p in phrases):
            return sec
    return None


def _split_row(row: Row) -> _ValueRow | None:
    """Split a row into its label cells and its value cells."""
    cells = [c for c in row.cells if not c.merged] if row.grid else row.cells
    if len(cells) == 1 and not row.grid:
        label, tokens = split_trailing_values(cells[0].text)
        if not tokens:
            return None
        span = cells[0]
        return _ValueRow(row, normalize_label(label), [Span(label, span.page, span.bbox, line=span.line)],
                         [Span(t, span.page, span.bbox, span.confidence, line=span.line) for t in tokens],
                         tokens_only=True)
    last_label = -1
    for i, c in enumerate(cells):
        t = c.text.strip()
        if t and not looks_like_value(t):
            last_label = i
    values = cells[last_label + 1:]
    blank_only = not any(v.text.strip() for v in values)
    if blank_only and not (row.grid and values):
        return None
    label_spans = [c for c in cells[:last_label + 1] if c.text.strip()]
    label = normalize_label("".join(c.text for c in label_spans))
    return _ValueRow(row, label, label_spans, values, blank_only=blank_only)


def _fit_blank(vr: _ValueRow, lay: TableLayout) -> _ValueRow | None:
    """A grid row left blank is a row of blank cells only when its own label
    names a template row and it has exactly that row's number of cells (a
    blank table 四 row: all 15); otherwise it is a label or header line."""
    if lay.table == "t4":
        return vr if len(vr.values) == len(lay.columns) * len(lay.rows) else None
    target = match_row(vr.label, lay.all_rows())
    if target is None or len(vr.values) != len(lay.row_columns(target.key)):
        return None
    return vr


def _detect_layouts(section_text: dict[str, str], year_hint: int | None) -> tuple[Layouts, str, dict]:
    # Without a 二 heading (an excerpt, a page cut out of a report), the text
    # before the first heading is where table 二 would stand.
    t2_text = section_text.get("t2") or section_text.get("s0", "")
    return formats.detect(t2_text, section_text.get("t3", ""), year_hint)


def _assign(vr: _ValueRow, ncols: int) -> tuple[list[Span] | None, str]:
    """The spans of the row's ncols values in column order, or None with why."""
    vals = vr.values
    if vr.row.grid and len(vals) == ncols:
        return vals, ""
    dense = [v for v in vals if v.text.strip()]
    if len(dense) == ncols:
        return dense, ""
    return None, f"读到 {len(dense)} 个数值，该行应有 {ncols} 栏，无法确定各数值所在的栏"


def _put(cells: dict[str, Cell], key: str, span: Span) -> None:
    raw = span.text.strip()
    pv = parse_value(raw)
    status, value = pv.status, pv.value
    reason = (pv.reason or "内容不是数字") if pv.status == UNREADABLE else None
    if too_low(span.confidence) and status != UNREADABLE:
        # An OCR reading too weak to use: never guessed, shown with its score.
        status, value = UNREADABLE, None
        if raw:
            reason = f"文字识别置信度低（{span.confidence:.2f}），读作“{raw}”，需对照原文核对"
        else:
            reason = "扫描件中该格有字迹，但文字识别未能读出，需对照原文核对"
    cells[key] = Cell(key=key, value=value, raw=raw, status=status, page=span.page,
                      bbox=span.bbox, confidence=span.confidence, unit=pv.unit, note=pv.note,
                      reason=reason, line=span.line, anchor=span.anchor)


def _put_unreadable(cells: dict[str, Cell], key: str, raw: str, reason: str,
                    span: Span | None = None) -> None:
    cells[key] = Cell(key=key, value=None, raw=raw, status=UNREADABLE,
                      page=span.page if span else None, bbox=span.bbox if span else None,
                      confidence=span.confidence if span else 1.0, reason=reason,
                      line=span.line if span else None)


class _Builder:
    def __init__(self, report: Report):
        self.report = report
        self.filled: dict[str, list[str]] = {}   # table.row -> raw values, for duplicates

    def place(self, lay: TableLayout, row: formats.Row, vr: _ValueRow) -> None:
        cols = lay.row_columns(row.key)
        rid = f"{lay.table}.{row.key}"
        raws = [v.text.strip() for v in vr.values]
        if rid in self.filled:
            if self.filled[rid] != raws:
                self.report.duplicates.append(rid)
            return
        self.filled[rid] = raws
        spans, why = _assign(vr, len(cols))
        cells = self.report.cells
        if spans is None:
            raw = " ".join(t for t in raws if t)
            anchor = next((v for v in vr.values if v.text.strip()), None)
            for c in cols:
                _put_unreadable(cells, f"{rid}.{c.key}", raw, why, anchor)
            self.report.reading_notes.append(f"{row.short or row.label}：{why}")
            return
        # A figure glued to the name may be the first column's, with every
        # figure after it a column out (a column line's remnant read as 1).
        trailing = NAME_THEN_FIGURE.search(vr.label.strip())
        if trailing:
            why = (f"该行名称末尾粘着数字“{trailing.group(1)}”，可能是首栏的数值被读进了名称，"
                   "各栏数值无法确定，需对照原文核对")
            for c, span in zip(cols, spans):
                _put_unreadable(cells, f"{rid}.{c.key}", span.text.strip(), why, span)
            self.report.reading_notes.append(f"{row.short or row.label}：{why}")
            return
        swallowed = _SWALLOWED.search(vr.label)
        for c, span in zip(cols, spans):
            if swallowed and not span.text.strip():
                # A blank beside a label with a figure inside it: the figure
                # may be this cell's, read into the label (a scan's column line lost).
                _put_unreadable(cells, f"{rid}.{c.key}", "", f"该行名称中夹有数字“{swallowed.group(1)}”，"
                                "可能是本栏的数值被读进了名称，该格不能按空白处理，需对照原文核对", span)
                continue
            _put(cells, f"{rid}.{c.key}", span)

    def place_t4(self, lay: TableLayout, vr: _ValueRow, context: str) -> bool:
        ncols = len(lay.columns)
        dense = [v for v in vr.values if v.text.strip()]
        grid_vals = vr.values if vr.row.grid else dense
        groups = lay.rows
        if len(grid_vals) == ncols * len(groups) or len(dense) == ncols * len(groups):
            vals = grid_vals if len(grid_vals) == ncols * len(groups) else dense
            for gi, g in enumerate(groups):
                part = _ValueRow(vr.row, vr.label, vr.label_spans,
                                 vals[gi * ncols:(gi + 1) * ncols])
                self.place(lay, g, part)
            return True
        g = match_row(vr.label, groups) or match_row(context, groups)
        if g is None:
            return False
        self.place(lay, g, vr)
        return True

    def place_glued(self, lay: TableLayout, row: formats.Row, span: Span, digits: str) -> None:
        rid = f"{lay.table}.{row.key}"
        if rid in self.filled:
            return
        self.filled[rid] = [digits]
        why = "数字粘连在一起，无法分栏"
        for c in lay.row_columns(row.key):
            _put_unreadable(self.report.cells, f"{rid}.{c.key}", digits, why, span)
        self.report.reading_notes.append(f"{row.short or row.label}：{why}（{digits}）")


def _sections(doc: Document, norms: list[str]) -> tuple[list[str | None], dict[str, list[str]], dict[str, list[str]]]:
    """Pass 1: the section of every row, and each section's text (normalised and raw)."""
    sections: list[str | None] = []
    current: str | None = None
    section_text: dict[str, list[str]] = {}
    raw_text: dict[str, list[str]] = {}
    for r, n in zip(doc.rows, norms):
        # A heading is a line of its own; read without lines it may carry a
        # stray mark beside it (a piece of a faded ruling line read as "1").
        sec = section_of(n) if (r.is_line or not r.grid or len([c for c in r.cells if c.text.strip()]) == 1) else None
        if sec is not None:
            current = sec
        sections.append(current)
        key = current or "s0"
        section_text.setdefault(key, []).append(n)
        raw_text.setdefault(key, []).append("".join(c.text for c in r.cells))
    return sections, section_text, raw_text


class _RowReader:
    """Pass 2: each row of a table section placed in its template row; the
    label lines just before a value row (a label wrapped above its numbers)
    kept in a short buffer."""

    def __init__(self, builder: _Builder, lay: Layouts, headless_t2: bool):
        self.builder, self.lay, self.headless_t2 = builder, lay, headless_t2
        self.buffer: list[str] = []
        self.colmaps: dict[str, _ColumnMap] = {}

    def value_row(self, r: Row, table_lay: TableLayout, sec: str) -> _ValueRow | None:
        vr = None
        if r.grid and table_lay.columns:
            cmap = self.colmaps.setdefault(sec, _ColumnMap(table_lay))
            if not cmap.feed_header(r):
                vr = cmap.split(r)
        if vr is None:
            vr = _split_row(r)
            if vr is not None and vr.blank_only:
                vr = _fit_blank(vr, table_lay)
        return vr

    def read(self, r: Row, n: str, sec: str | None) -> None:
        if sec not in formats.TABLES:
            if sec is None and self.headless_t2:
                _place_headless_t2(self.builder, self.lay.of("t2"), r)
            return
        table_lay = self.lay.of(sec)
        vr = self.value_row(r, table_lay, sec)
        if vr is None:
            glued = _glued(n, table_lay) if r.is_line else None
            if glued is not None:
                self.builder.place_glued(table_lay, glued[0], r.cells[0], glued[1])
                self.buffer = []
            elif n:
                self.buffer = (self.buffer + [n])[-_LABEL_BUFFER_LINES:]
            return
        if self.place(r, vr, table_lay, sec):
            self.buffer = []

    def place(self, r: Row, vr: _ValueRow, table_lay: TableLayout, sec: str) -> bool:
        """Place a value row; True when it was placed (the label buffer is spent)."""
        report = self.builder.report
        context = "".join(self.buffer)
        if sec == "t4":
            if self.builder.place_t4(table_lay, vr, context):
                return True
            report.reading_notes.append(f"表四中有一行无法对应：{r.text[:40]}")
            return False
        rows = table_lay.all_rows()
        target = match_row(vr.label, rows)
        if target is None and self.buffer:
            target = match_row(context + vr.label, rows)
            if target is not None:          # the name is the lines above and this row's own
                vr = replace(vr, label=context + vr.label)
        if target is None:
            if vr.label or context:
                report.reading_notes.append(
                    f"{formats.TABLE_NAMES[sec]}中有一行无法对应到格式中的任何一行："
                    f"{(context + vr.label)[:40]}")
            return False
        self.builder.place(table_lay, target, vr)
        return True


def _complete(report: Report, found_rows: set[str], lay: Layouts) -> None:
    """Every cell of the template, read or not, in template order; refuse what
    is no report (no table found, or a blank template)."""
    for t in lay.tables():
        for row in t.all_rows():
            rid = f"{t.table}.{row.key}"
            if rid not in found_rows:
                report.missing_rows.append(rid)
            for c in t.row_columns(row.key):
                key = f"{rid}.{c.key}"
                if key not in report.cells:
                    _put_unreadable(report.cells, key, "", "原文中未找到该行")
    if not found_rows:
        raise ReportError("文件中没有找到年度报告的统计表（表二、表三、表四），不像是一份政府信息公开工作年度报告。")
    if not any(c.raw for c in report.cells.values()):
        # Every cell found is empty: a blank template, not a report; there is
        # nothing to check.
        raise ReportError("统计表中一个数字也没有填写，像是空白的报告模板，无法审核。")
    report.cells = {k: report.cells[k] for k in lay.cell_keys()}


def reconstruct(doc: Document) -> Report:
    norms = [normalize_label(r.text) for r in doc.rows]
    sections, section_text, raw_text = _sections(doc, norms)
    joined = {k: "\n".join(v) for k, v in section_text.items()}
    raw = {k: "\n".join(v) for k, v in raw_text.items()}
    meta = metadata.extract(doc, raw)
    lay, template, fp = _detect_layouts(joined, meta.year)
    report = Report(
        source=SourceInfo(path=doc.path, format=doc.kind, pages=doc.pages, sha256=doc.sha256),
        agency=meta.agency, year=meta.year, template=template, published=meta.published,
        layouts=lay, title_year=meta.title_year, period_year=meta.period_year,
        sections=raw, fingerprints=fp, reading_notes=list(doc.notes),
    )
    builder = _Builder(report)
    reader = _RowReader(builder, lay, headless_t2="t2" not in joined)
    prev_sec: str | None = None
    for r, n, sec in zip(doc.rows, norms, sections):
        if sec != prev_sec:
            reader.buffer, prev_sec = [], sec
        reader.read(r, n, sec)
    _complete(report, set(builder.filled), lay)
    log.debug("reconstructed %s: %d rows found, %d missing", doc.path, len(builder.filled),
              len(report.missing_rows))
    report.narrative = narrative.build(doc)
    return report


def _place_headless_t2(builder: "_Builder", lay: TableLayout, row: Row) -> None:
    """A table-二 row met before any heading, in a document with no 二 heading:
    placed only when its label names a table-二 row and it carries exactly that
    row's number of values."""
    vr = _split_row(row)
    if vr is None or vr.blank_only:
        return
    target = match_row(vr.label, lay.all_rows())
    if target is not None and _assign(vr, len(lay.row_columns(target.key)))[0] is not None:
        builder.place(lay, target, vr)


def _glued(norm: str, lay: TableLayout) -> tuple[formats.Row, str] | None:
    """A label with its digits glued on ("行政规范性文件693665")."""
    label = norm.rstrip("0123456789")
    digits = norm[len(label):]
    if not _GLUED_DIGITS.fullmatch(digits):
        return None
    row = match_row(label, lay.all_rows())
    if row is None:
        return None
    return row, digits


def status_counts(report: Report) -> Counter:
    return Counter(c.status for c in report.cells.values())


__all__ = ["reconstruct", "match_row", "section_of", "BLANK"]
