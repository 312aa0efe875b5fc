"""A small grid finder: ruling segments → tables of rows and columns → cells.

Shared by the readers that see lines rather than cells: the OCR path (line
segments found on a page image, in pixels) and any reader that has the
page's ruling lines in PDF points.  Coordinates are top-down; ``dpi`` only
scales the tolerances (72 for PDF points).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Seg:
    pos: float      # y of a horizontal line, x of a vertical one
    a: float        # extent along the line: x0 / y0
    b: float        #                         x1 / y1
    virtual: bool = False


@dataclass
class Table:
    ys: list[float]                  # row boundaries
    xs: list[float]                  # column boundaries
    hs: list[Seg]
    vs: list[Seg]
    tol: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def has_v(self, i: int, j: int) -> bool:
        """Whether the boundary left of column j is drawn in band i."""
        x, top, bottom = self.xs[j], self.ys[i], self.ys[i + 1]
        slack = 2 * self.tol     # a border spans the whole band; a text stroke does not
        return any(abs(v.pos - x) <= self.tol and (v.virtual or (v.a <= top + slack and v.b >= bottom - slack))
                   for v in self.vs)

    def has_h(self, i: int, j: int) -> bool:
        """Whether the boundary above band i is drawn over column j."""
        y, left, right = self.ys[i], self.xs[j], self.xs[j + 1]
        slack = 2 * self.tol
        return any(abs(h.pos - y) <= self.tol and (h.virtual or (h.a <= left + slack and h.b >= right - slack))
                   for h in self.hs)


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _touching(hs: list[Seg], vs: list[Seg], tol: float) -> list[tuple[list[Seg], list[Seg]]]:
    """Groups of horizontal and vertical segments that touch one another."""
    lines = [("h", s) for s in hs] + [("v", s) for s in vs]
    parent = list(range(len(lines)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    nh = len(hs)
    for i, si in enumerate(hs):
        for j, sj in enumerate(vs, start=nh):
            if si.a - tol <= sj.pos <= si.b + tol and sj.a - tol <= si.pos <= sj.b + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(lines)):
        groups.setdefault(find(i), []).append(i)
    return [([lines[i][1] for i in m if lines[i][0] == "h"], [lines[i][1] for i in m if lines[i][0] == "v"])
            for m in groups.values()]


def _close_open_ends(ys: list[float], th: list[Seg], tv: list[Seg], tol: float) -> None:
    """An open top or bottom (no outer border): where at least two column
    lines that cross the first (last) row end together beyond it.  Text
    strokes standing on a row line do not cross the row below it."""
    slack = 2 * tol
    left, right = min(h.a for h in th), max(h.b for h in th)
    for side in ("top", "bottom"):
        ends = [v.a for v in tv if v.a < ys[0] - slack and v.b >= ys[1] - slack] if side == "top" else \
            [v.b for v in tv if v.b > ys[-1] + slack and v.a <= ys[-2] + slack]
        if len(ends) < 2:
            continue
        y = min(ends) if side == "top" else max(ends)
        if sum(1 for e in ends if abs(e - y) <= tol) >= 2:
            ys.insert(0, y) if side == "top" else ys.append(y)
            th.append(Seg(y, left, right, virtual=True))


def _spans(v: Seg, ys: list[float], reach: float) -> int:
    """How many rows the vertical segment ``v`` crosses from line to line,
    its ends within ``reach`` of them."""
    return sum(1 for k in range(len(ys) - 1) if v.a <= ys[k] + reach and v.b >= ys[k + 1] - reach)


def _table(th: list[Seg], tv: list[Seg], tol: float) -> Table | None:
    if len(th) < 2 or len(tv) < 2:
        return None
    ys = _cluster([h.pos for h in th], tol)
    if len(ys) < 2:
        return None
    slack = 2 * tol
    left, right = min(h.a for h in th), max(h.b for h in th)
    _close_open_ends(ys, th, tv, tol)
    # A column line spans a row from line to line (within ``tol``), or two
    # rows within ``slack``; a text stroke that touches a row line does not
    # (件's 亻 joined to the line above it ends short of the line below).
    # A piece of such a line that ends short of a row line (a faded line)
    # stands where it does.
    sure = [v.pos for v in tv if _spans(v, ys, tol) >= 1 or _spans(v, ys, slack) >= 2]
    tv = [v for v in tv if _spans(v, ys, slack) >= 1 and any(abs(v.pos - x) <= tol for x in sure)]
    if len(tv) < 2:
        return None
    xs = _cluster([v.pos for v in tv], tol)
    top, bottom = ys[0], ys[-1]
    # An open side: the row lines' ends bound the table.
    if left < xs[0] - slack:
        xs.insert(0, left)
        tv.append(Seg(left, top, bottom, virtual=True))
    if right > xs[-1] + slack:
        xs.append(right)
        tv.append(Seg(right, top, bottom, virtual=True))
    if len(ys) < 2 or len(xs) < 3:
        return None
    return Table(ys, xs, th, tv, tol)


def find_tables(hs: list[Seg], vs: list[Seg], dpi: float) -> list[Table]:
    """Ruled tables: sets of horizontal and vertical lines that touch."""
    tol = max(3.0, 4 * dpi / 72)
    tables = [t for t in (_table(th, tv, tol) for th, tv in _touching(hs, vs, tol)) if t is not None]
    tables.sort(key=lambda t: t.ys[0])
    return tables


def is_table_page(tables: list[Table]) -> bool:
    return any(len(t.ys) >= 3 and len(t.xs) >= 3 for t in tables)


def _regions(t: Table) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[tuple[int, int], list[float]]]:
    """Elementary cell → the top-left cell of its merged region, and each
    region's box."""
    nb, nc = len(t.ys) - 1, len(t.xs) - 1
    parent = {(i, j): (i, j) for i in range(nb) for j in range(nc)}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            keep, drop = (ra, rb) if ra < rb else (rb, ra)
            parent[drop] = keep

    for i in range(nb):
        for j in range(nc):
            if j > 0 and not t.has_v(i, j):
                union((i, j), (i, j - 1))
            if i > 0 and not t.has_h(i, j):
                union((i, j), (i - 1, j))
    rep = _rectangles({c: find(c) for c in parent})
    boxes: dict[tuple[int, int], list[float]] = {}
    for (i, j), r in rep.items():
        x0, x1, y0, y1 = t.xs[j], t.xs[j + 1], t.ys[i], t.ys[i + 1]
        b = boxes.get(r)
        if b is None:
            boxes[r] = [x0, y0, x1, y1]
        else:
            b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)
    return rep, boxes


def _rectangles(rep: dict[tuple[int, int], tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Merged regions cut into rectangles: a printed cell is one, so a region
    of another shape (an L: a tall label cell and the row below it, the
    line between them too faint or a few pixels off) is a missed line.  Its
    rows are grouped while they cover the same columns; a row whose columns
    are not contiguous is cut into single cells."""
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for c, r in rep.items():
        members.setdefault(r, []).append(c)
    out = dict(rep)
    for cells in members.values():
        rows = sorted({i for i, _ in cells})
        cols = sorted({j for _, j in cells})
        if len(cells) == len(rows) * len(cols):
            continue
        by_row = {i: sorted(j for k, j in cells if k == i) for i in rows}
        top = None
        for n, i in enumerate(rows):
            span = by_row[i]
            if span != list(range(span[0], span[-1] + 1)):
                for j in span:
                    out[(i, j)] = (i, j)
                top = None
                continue
            if top is None or n == 0 or rows[n - 1] != i - 1 or by_row[rows[n - 1]] != span:
                top = (i, span[0])
            for j in span:
                out[(i, j)] = top
    return out


def _locate(values: list[float], v: float) -> int | None:
    for k in range(len(values) - 1):
        if values[k] <= v < values[k + 1]:
            return k
    return None
