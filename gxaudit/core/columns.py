"""Table rows by column: the value row a grid or line row gives, the
template row a label names, and the column map read from a table's header
rows (used by reconstruct.py)."""
from __future__ import annotations

from dataclasses import dataclass

from . import formats
from .document import Row, Span
from .formats import TableLayout
from .model import BLANK, OK, UNREADABLE
from .text import normalize_label, parse_value, strip_numbering


@dataclass
class _ValueRow:
    row: Row
    label: str                 # normalised label text of this row
    label_spans: list[Span]
    values: list[Span]         # value cells in source order (grid rows keep blanks)
    tokens_only: bool = False  # values came from splitting a line on white space
    blank_only: bool = False   # a grid row whose value cells are all blank


def match_row(label: str, rows: tuple[formats.Row, ...]) -> formats.Row | None:
    """The template row a normalised label names: the longest phrase found in
    it, or an exact short label; None when nothing or two rows tie, or when
    the label names two rows in separate places (the labels of several rows
    in one cell, a grid's line between them lost: no row of figures is
    theirs to take)."""
    if not label:
        return None
    bare = strip_numbering(label)
    best: list[tuple[int, formats.Row, tuple[int, int] | None]] = []
    for r in rows:
        score, where = 0, None
        for p in r.phrases:
            at = label.find(normalize_label(p))
            if at >= 0 and 100 + len(p) > score:
                score, where = 100 + len(p), (at, at + len(normalize_label(p)))
        for e in r.exact:
            if bare == normalize_label(e) or label == normalize_label(e):
                score, where = max(score, 200 + len(e)), None
        if score:
            best.append((score, r, where))
    if not best:
        return None
    best.sort(key=lambda x: -x[0])
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None
    top = best[0][2]
    if top is not None and any(w is not None and (w[1] <= top[0] or w[0] >= top[1]) for _, _, w in best[1:]):
        return None
    return best[0][1]


class _ColumnMap:
    """Where each column of a table stands in its grid rows, read from the
    header rows' text against the column aliases of formats.py.

    With it, values are taken by POSITION: a blank cell stays blank in its own
    column, a label cell left empty does not shift the values, and an extra
    column the template does not have (a 法人小计) is ignored.  Table 四's
    columns repeat under three group headers (行政复议 / 未经复议直接起诉 /
    复议后起诉); a column header belongs to the group whose header cell (with
    its merged continuation) stands above it.  The map carries over to the
    continuation of the table after a page break (same grid width, or, when
    the widths differ, the same x positions).  When the header does not name
    every column once, there is no map and rows are split as before.
    """

    def __init__(self, lay: TableLayout):
        self.lay = lay
        self.grouped = lay.table == "t4"      # table 四: its rows are column groups
        self.block: list[Row] = []
        self.closed = False
        self.index: list[int] | None = None  # physical cell index per value column
        self.width = 0
        self.xs: list[tuple[float, float]] | None = None
        self._col_names = {normalize_label(a): c.key for c in lay.columns
                           for a in (c.label,) + c.aliases}
        self._group_names = {normalize_label(p): g.key for g in lay.rows
                             for p in (g.label,) + g.phrases} if self.grouped else {}

    def feed_header(self, row: Row) -> bool:
        """Take a header row (names a column or group, holds no number)."""
        texts = [normalize_label(c.text) for c in row.cells]
        if any(t and parse_value(c.text).status == OK for t, c in zip(texts, row.cells)) or \
                not any(t in self._col_names or t in self._group_names for t in texts if t):
            self.closed = bool(self.block)
            return False
        if self.closed:
            self.block, self.closed = [], False
        self.block.append(row)
        self._compute()
        return True

    def _groups(self, width: int) -> dict[int, str]:
        """Table 四: the group each physical column stands under (a group's
        header cell with its merged continuation)."""
        groups: dict[int, str] = {}
        for r in self.block:
            for i, c in enumerate(r.cells):
                g = self._group_names.get(normalize_label(c.text))
                if g is not None and not c.merged:
                    j = i + 1
                    while j < width and r.cells[j].merged:
                        j += 1
                    for k in range(i, j):
                        groups[k] = g
        return groups

    def _positions(self, width: int) -> dict[tuple[str, str], set[int]]:
        """(group, column) → the physical indexes whose header names it."""
        groups = self._groups(width)
        found: dict[tuple[str, str], set[int]] = {}
        for r in self.block:
            for i, c in enumerate(r.cells):
                col = self._col_names.get(normalize_label(c.text)) if not c.merged else None
                if col is not None:
                    g = groups.get(i, "") if self.grouped else ""
                    found.setdefault((g, col), set()).add(i)
        return found

    def _compute(self) -> None:
        width = len(self.block[0].cells)
        if any(len(r.cells) != width for r in self.block):
            return
        found = self._positions(width)
        order = [(g.key, c.key) for g in self.lay.rows for c in self.lay.columns] \
            if self.grouped else [("", c.key) for c in self.lay.columns]
        if any(len(found.get(k, ())) != 1 for k in order):
            return
        index = [next(iter(found[k])) for k in order]
        if len(set(index)) != len(index):
            return
        self.index, self.width = index, width
        boxes = []
        for i in index:
            box = next((r.cells[i].bbox for r in reversed(self.block)
                        if r.cells[i].bbox and not r.cells[i].merged), None)
            boxes.append((box[0], box[2]) if box else None)
        self.xs = boxes if all(boxes) else None

    def _picks(self, row: Row) -> tuple[list[Span], list[Span]] | None:
        """(value cells in column order, label cells): by index in a row as wide
        as the header, else by x position (a continuation after a page break)."""
        cells = row.cells
        if len(cells) == self.width:
            first = min(self.index)
            return [cells[i] for i in self.index], [c for c in cells[:first] if not c.merged and c.text.strip()]
        if not (self.xs and all(c.bbox for c in cells if not c.merged)):
            return None
        live = [c for c in cells if not c.merged]
        picks = []
        for x0, x1 in self.xs:
            inside = [c for c in live if x0 - 1 <= (c.bbox[0] + c.bbox[2]) / 2 <= x1 + 1]
            if len(inside) != 1:
                return None
            picks.append(inside[0])
        # The label: the cells before the first value cell (a scan's page
        # turned straight may stand a few points off the page before).
        first = min(live.index(p) for p in picks)
        return picks, [c for c in live[:first] if c.text.strip()]

    def split(self, row: Row) -> "_ValueRow | None":
        """The row's label and its values by position, or None to split it as before."""
        if self.index is None:
            return None
        got = self._picks(row)
        if got is None:
            return None
        picks, label_spans = got
        if any(p.merged for p in picks) or len({id(p) for p in picks}) != len(picks):
            return None
        statuses = [parse_value(p.text).status for p in picks]
        if UNREADABLE in statuses and OK not in statuses:
            return None                       # words, not values: a header or note row
        label = normalize_label("".join(c.text for c in label_spans))
        if all(s == BLANK for s in statuses) and (
                not label or match_row(label, self.lay.all_rows()) is None):
            return None
        self.closed = bool(self.block)
        return _ValueRow(row, label, label_spans, picks)
