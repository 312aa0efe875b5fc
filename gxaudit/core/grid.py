"""The printed layout of tables 二, 三 and 四, derived from the format data.

A grid is a list of items placed on rows and columns with spans, exactly as
the national format prints the table (merged headers included).  The review
grid in the GUI and the table sheets of the workbook both draw from it.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import formats
from .formats import TableLayout

HEADER, LABEL, VALUE, NOTE = "header", "label", "value", "note"


@dataclass(frozen=True)
class GridItem:
    row: int
    col: int
    kind: str                  # header · label · value · note
    text: str = ""
    key: str | None = None     # the cell key, for value items
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    table: str
    title: str
    rows: int
    cols: int
    items: tuple[GridItem, ...]
    header_rows: int            # rows at the top that only hold headers

    def at(self) -> dict[tuple[int, int], GridItem]:
        """Every (row, col) covered by an item, mapped to that item."""
        out = {}
        for it in self.items:
            for r in range(it.row, it.row + it.rowspan):
                for c in range(it.col, it.col + it.colspan):
                    out[(r, c)] = it
        return out

    def position(self, key: str) -> tuple[int, int] | None:
        for it in self.items:
            if it.key == key:
                return it.row, it.col
        return None


def _t2(lay: TableLayout) -> Grid:
    width = 1 + max(len(b.columns) for b in lay.blocks)
    items: list[GridItem] = []
    r = 0
    for b in lay.blocks:
        items.append(GridItem(r, 0, HEADER, b.heading, colspan=width))
        r += 1
        items.append(GridItem(r, 0, HEADER, "信息内容"))
        spans = _spread(len(b.columns), width - 1)
        c = 1
        for col, span in zip(b.columns, spans):
            items.append(GridItem(r, c, HEADER, col.label, colspan=span))
            c += span
        r += 1
        for row in b.rows:
            items.append(GridItem(r, 0, LABEL, row.label))
            c = 1
            for col, span in zip(b.columns, spans):
                items.append(GridItem(r, c, VALUE, key=f"t2.{row.key}.{col.key}", colspan=span))
                c += span
            r += 1
    return Grid("t2", lay.title, r, width, tuple(items), header_rows=0)


def _spread(n: int, width: int) -> list[int]:
    """Spans of n columns over width grid columns, the last one taking the rest."""
    if n >= width:
        return [1] * n
    return [1] * (n - 1) + [width - n + 1]


def _t3(lay: TableLayout) -> Grid:
    cols = lay.columns
    nval = len(cols)
    items: list[GridItem] = [
        GridItem(0, 0, NOTE, lay.header_note, rowspan=3, colspan=3),
        GridItem(0, 3, HEADER, "申请人情况", colspan=nval),
        GridItem(1, 3, HEADER, cols[0].label, rowspan=2),
        GridItem(1, 4, HEADER, "法人或其他组织", colspan=nval - 2),
        GridItem(1, 3 + nval - 1, HEADER, cols[-1].label, rowspan=2),
    ]
    for i, c in enumerate(cols[1:-1]):
        items.append(GridItem(2, 4 + i, HEADER, c.label))
    r = 3
    rows = lay.rows
    # Group cells: 三、本年度办理结果 over all result rows, then （三）…（六） over their sub-rows.
    result_rows = [i for i, row in enumerate(rows) if row.group is not None]
    first_result = result_rows[0]
    items.append(GridItem(r + first_result, 0, LABEL, formats.G_RESULT, rowspan=len(result_rows)))
    i = 0
    while i < len(rows):
        row = rows[i]
        rr = r + i
        if row.group is None:
            items.append(GridItem(rr, 0, LABEL, row.label, colspan=3))
        elif row.group == formats.G_RESULT:
            items.append(GridItem(rr, 1, LABEL, row.label, colspan=2))
        else:
            if i == 0 or rows[i - 1].group != row.group:
                n = sum(1 for x in rows if x.group == row.group)
                items.append(GridItem(rr, 1, LABEL, row.group, rowspan=n))
            items.append(GridItem(rr, 2, LABEL, row.label))
        for j, c in enumerate(cols):
            items.append(GridItem(rr, 3 + j, VALUE, key=f"t3.{row.key}.{c.key}"))
        i += 1
    return Grid("t3", lay.title, r + len(rows), 3 + nval, tuple(items), header_rows=3)


def _t4(lay: TableLayout) -> Grid:
    cols = lay.columns
    n = len(cols)
    review, direct, after = lay.rows
    items: list[GridItem] = [
        GridItem(0, 0, HEADER, review.label, colspan=n),
        GridItem(0, n, HEADER, "行政诉讼", colspan=2 * n),
        GridItem(1, n, HEADER, direct.label, colspan=n),
        GridItem(1, 2 * n, HEADER, after.label, colspan=n),
    ]
    for j, c in enumerate(cols):
        items.append(GridItem(1, j, HEADER, c.label, rowspan=2))
        items.append(GridItem(2, n + j, HEADER, c.label))
        items.append(GridItem(2, 2 * n + j, HEADER, c.label))
    for g, group in enumerate(lay.rows):
        for j, c in enumerate(cols):
            items.append(GridItem(3, g * n + j, VALUE, key=f"t4.{group.key}.{c.key}"))
    return Grid("t4", lay.title, 4, 3 * n, tuple(items), header_rows=3)


def grid_for(lay: TableLayout) -> Grid:
    return {"t2": _t2, "t3": _t3, "t4": _t4}[lay.table](lay)
