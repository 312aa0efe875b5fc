"""Table rows broken by a page break, made whole again.

Word, WPS and LibreOffice let a table row break across a page: the first
page keeps, say, "3.危及“三安全" with the row's numbers, the next page
(after the footer, the page header and perhaps the repeated header rows)
holds "一稳定”" with blank value cells.  Read page by page these are two
grid rows: one whose label names no template row, and one with a label
fragment and no numbers, and the row would come back blank.

``join_page_breaks`` finds, for each page, the last grid row and the first
grid row of the next page that is not a repeated header row, and joins them
cell by cell when they are the two halves of one row:

* their columns stand at the same x positions (the same table);
* no column holds a number in both (numbers are never added together, and
  two rows that each carry numbers are never joined);
* the second half's label names no template row of its own (or names the
  same row as the whole), and the joined label names a template row
  (tables 二 and 三 of either format), where the first half alone does not,
  or names the same row.

The reader never decides what a row means; this only tells whether two
pieces of one printed row belong together, by the same label phrases
reconstruction uses.  Both readers (text layer and OCR) use it.
"""
from __future__ import annotations

import logging

from ..document import Row, Span
from ..model import OK, PLACEHOLDER
from ..text import normalize_label, parse_value

log = logging.getLogger("gxaudit.ingest.pagejoin")

# Column edges of the two halves may differ by this much (PDF points).
X_TOL = 3.0
# A line between the halves (a page footer or header) is at most this long.
MAX_SKIP_LINE = 40


def _is_value(text: str) -> bool:
    t = text.strip()
    return bool(t) and parse_value(t).status in (OK, PLACEHOLDER)


def _label(row: Row) -> str:
    return normalize_label("".join(c.text for c in row.cells
                                   if not c.merged and c.text.strip() and not _is_value(c.text)))


def _has_values(row: Row) -> bool:
    return any(_is_value(c.text) for c in row.cells if not c.merged)


_ROWS = None


def _template_rows():
    global _ROWS
    if _ROWS is None:
        from ..formats import LAYOUTS
        _ROWS = [lay.all_rows() for lay in LAYOUTS.values() if lay.table in ("t2", "t3")]
    return _ROWS


def targets(label: str) -> frozenset:
    """The template rows (by key) a normalised label names, in any layout."""
    if not label:
        return frozenset()
    from ..reconstruct import match_row
    out = set()
    for rows in _template_rows():
        r = match_row(label, rows)
        if r is not None:
            out.add(r.key)
    return frozenset(out)


def _same_columns(a: Row, b: Row) -> bool:
    if len(a.cells) != len(b.cells):
        return False
    for ca, cb in zip(a.cells, b.cells):
        if ca.bbox is None or cb.bbox is None:
            return False
        if abs(ca.bbox[0] - cb.bbox[0]) > X_TOL or abs(ca.bbox[2] - cb.bbox[2]) > X_TOL:
            return False
    return True


def halves_of_one_row(a: Row, b: Row) -> bool:
    """Whether grid rows ``a`` (end of a page) and ``b`` (top of the next) are
    the two parts of one table row."""
    if not (a.grid and b.grid) or not _same_columns(a, b):
        return False
    va, vb = _has_values(a), _has_values(b)
    if va == vb:
        return False                      # two rows with numbers, or no numbers at all
    for ca, cb in zip(a.cells, b.cells):
        if (_is_value(ca.text) and cb.text.strip()) or (_is_value(cb.text) and ca.text.strip()):
            return False
    la, lb = _label(a), _label(b)
    whole = targets(la + lb)
    if not whole:
        return False
    own_a, own_b = targets(la), targets(lb)
    if lb and own_b and own_b != whole:
        return False                      # the second part names a row of its own
    return not own_a or own_a == whole


def _join(a: Row, b: Row) -> Row:
    cells: list[Span] = []
    for ca, cb in zip(a.cells, b.cells):
        ta, tb = ca.text.strip(), cb.text.strip()
        if ta and tb:
            cells.append(Span(ta + tb, ca.page, ca.bbox, min(ca.confidence, cb.confidence)))
        elif tb:
            cells.append(cb)
        else:
            cells.append(ca)
    return Row(cells, page=a.page, grid=True, table=a.table)


def _repeated_header(row: Row, seen: set[tuple[str, ...]]) -> bool:
    key = tuple(normalize_label(c.text) for c in row.cells)
    return not _has_values(row) and key in seen


def _skippable_line(row: Row) -> bool:
    """A page footer or header between the halves: a short line that opens no section."""
    if row.grid:
        return False
    from ..reconstruct import section_of
    text = row.text.strip()
    return len(text) <= MAX_SKIP_LINE and section_of(normalize_label(text)) is None


def join_page_breaks(rows: list[Row]) -> list[Row]:
    """The rows with every table row that a page break cut in two joined."""
    out: list[Row] = []
    seen: set[tuple[str, ...]] = set()
    i = 0
    while i < len(rows):
        row = rows[i]
        j = _next_half(rows, i, seen) if row.grid else None
        if j is not None:
            log.debug("row split by a page break joined: %r + %r", row.text[:30], rows[j].text[:30])
            out.append(_join(row, rows[j]))
            out.extend(r for r in rows[i + 1:j] if not r.grid)
            i = j + 1
            continue
        j = _label_tail(rows, i)
        if j is not None:
            log.debug("label cut by a page break joined: %r + %r", row.text[:30], rows[j].text[:30])
            out.append(_with_tail(row, rows[j]))
            out.extend(rows[i + 1:j])
            i = j + 1
            continue
        if row.grid and not _has_values(row):
            seen.add(tuple(normalize_label(c.text) for c in row.cells))
        out.append(row)
        i += 1
    return out


def _next_half(rows: list[Row], i: int, seen: set[tuple[str, ...]]) -> int | None:
    """Index of the row that continues ``rows[i]`` on the next page, if any."""
    a = rows[i]
    page = a.page
    k = i + 1
    while k < len(rows) and rows[k].page == page:
        if rows[k].grid or not _skippable_line(rows[k]):
            return None                   # not the last row of its page
        k += 1
    while k < len(rows) and rows[k].page == (page or 0) + 1:
        r = rows[k]
        if r.grid and not _repeated_header(r, seen):
            return k if halves_of_one_row(a, r) else None
        if not r.grid and not _skippable_line(r):
            return None
        k += 1
    return None


def _label_tail(rows: list[Row], i: int) -> int | None:
    """Index of the text line at the top of the next page that ends the
    label of ``rows[i]``, a row of a table without lines whose label a page
    break cut ("4.无正当理由大量反" / "复申请"): the row is the last with
    figures on its page and its label names no template row; the line is
    the first on the next page whose text completes the label into one
    (and names no other row of its own).  Lines skipped on the way are
    short ones (a page footer or header)."""
    a = rows[i]
    la = _label(a)
    if not _has_values(a) or not la or targets(la):
        return None
    k = i + 1
    while k < len(rows) and rows[k].page == a.page:
        if rows[k].grid or _has_values(rows[k]) or not _skippable_line(rows[k]):
            return None
        k += 1
    while k < len(rows) and rows[k].page == (a.page or 0) + 1:
        r = rows[k]
        if r.grid or _has_values(r):
            return None
        lb = _label(r)
        whole = targets(la + lb)
        if whole and (not targets(lb) or targets(lb) == whole):
            return k
        if not _skippable_line(r):
            return None
        k += 1
    return None


def _with_tail(a: Row, tail: Row) -> Row:
    """Row ``a`` with the label line ``tail`` appended to its label cell."""
    cells = list(a.cells)
    k = next(n for n, c in enumerate(cells) if c.text.strip() and not _is_value(c.text))
    c = cells[k]
    cells[k] = Span(c.text + tail.text.strip(), c.page, c.bbox, min(c.confidence, tail.cells[0].confidence))
    return Row(cells, page=a.page, grid=a.grid, table=a.table)
