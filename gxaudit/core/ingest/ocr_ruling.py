"""Ruling lines of a page image: horizontal and vertical segments, whole,
faded to dashes or fainter than the ink (``ruling``), and the ink they
leave once taken out of a table read without lines (``rule_ink``).
Numpy on the binarised page; the grey page only for faint lines."""
from __future__ import annotations

from .gridfind import Seg

# A line faded below the ink threshold is still this many grey levels
# darker than the paper (the page's median) and than the page a line's
# thickness above and below it (a shaded cell is flat, a line thin).
LIGHT_DROP = 25


def faint_masks(gray, dpi: float):
    """Thin marks fainter than ink, (running across the page, running down
    it): pixels LIGHT_DROP darker than the paper and than the pixels a
    ruling line's thickness above and below them (left and right)."""
    import numpy as np
    reach = max(3, int(round(3 * dpi / 72))) + 1
    paper = int(np.median(gray))
    out = []
    for g in (gray.astype(np.int16), gray.T.astype(np.int16)):
        mask = g <= paper - LIGHT_DROP
        mask[:reach] = False
        mask[-reach:] = False
        mask[reach:-reach] &= (g[reach:-reach] + LIGHT_DROP <= g[:-2 * reach]) & \
            (g[reach:-reach] + LIGHT_DROP <= g[2 * reach:])
        out.append(mask)
    return out[0], out[1].T


# A ruling line faded to dashes: this share of a stretch is ink, and gaps
# of up to this many points between its pieces are closed.
DASHED_FILL = 0.5
DASHED_GAP = 4.0


def _line_segments(dark, min_len: int, max_thick: int, margin: int, fill: float = 0.85,
                   gap: int = 3) -> list[Seg]:
    """Horizontal ruling segments of a binary image: runs of at least
    ``min_len`` pixels that are (almost) all ink, grouped over the few pixel
    rows a line is thick.  A run of text strokes is no line: a line is thin
    (at most ``max_thick`` rows) and has white on both sides along most of its
    length (within ``margin`` pixels), where text has other strokes."""
    import numpy as np
    h, w = dark.shape
    if w < min_len:
        return []
    cs = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=cs[:, 1:])
    win = cs[:, min_len:] - cs[:, :-min_len]             # ink in [x, x+min_len)
    full = win >= int(fill * min_len)
    rows = np.nonzero(full.any(axis=1))[0]
    if len(rows) == 0:
        return []
    # Every pixel covered by a full window.
    cov = np.zeros((h, w + 1), dtype=np.int32)
    fr, fc = np.nonzero(full)
    np.add.at(cov, (fr, fc), 1)
    np.add.at(cov, (fr, np.minimum(fc + min_len, w)), -1)
    on = np.cumsum(cov, axis=1)[:, :w] > 0
    segs: list[Seg] = []
    # Bands of consecutive rows that hold line pixels: one line each.
    breaks = np.nonzero(np.diff(rows) > 1)[0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(rows) - 1]))
    for s, e in zip(starts, ends):
        band = rows[s:e + 1]
        sub = on[band]
        union = sub.any(axis=0)
        # Close small gaps.
        idx = np.nonzero(union)[0]
        if len(idx) == 0:
            continue
        cuts = np.nonzero(np.diff(idx) > gap + 1)[0]
        rs = np.concatenate(([0], cuts + 1))
        re_ = np.concatenate((cuts, [len(idx) - 1]))
        for a, b in zip(rs, re_):
            seg = _run_segment(dark, band, sub, int(idx[a]), int(idx[b]) + 1, min_len, max_thick, margin)
            if seg is not None:
                segs.append(seg)
    return segs


def _run_segment(dark, band, sub, lo: int, hi: int, min_len: int, max_thick: int,
                 margin: int) -> Seg | None:
    """One run of line pixels in a band of rows: a ruling segment, or None
    (too short, too thick, or text with ink on both sides)."""
    import numpy as np
    if hi - lo < min_len:
        return None
    # The rows this run stands on: those carrying most of it (a text
    # stroke that touches the line's end is not part of it).
    cover = sub[:, lo:hi].sum(axis=1)
    keep = cover >= 0.5 * cover.max()
    mine = band[keep]
    ext = np.nonzero(sub[keep, lo:hi].any(axis=0))[0]
    lo, hi = lo + int(ext[0]), lo + int(ext[-1]) + 1
    if hi - lo < min_len:
        return None
    r0, r1 = int(mine[0]), int(mine[-1])
    if r1 - r0 + 1 > max_thick:
        return None
    side = np.zeros(hi - lo, dtype=bool)
    above = dark[max(0, r0 - 1 - margin):max(0, r0 - 1), lo:hi]
    below = dark[r1 + 2:r1 + 2 + margin, lo:hi]
    if above.shape[0]:
        side |= above.any(axis=0)
    if below.shape[0]:
        side |= below.any(axis=0)
    return Seg(float(mine.mean()), float(lo), float(hi)) if side.mean() < 0.5 else None


def ruling(dark, dpi: float, dashed: bool = False, gray=None) -> tuple[list[Seg], list[Seg]]:
    """Horizontal and vertical ruling segments of a page image.  ``dashed``:
    horizontal lines faded to dashes count too (DASHED_FILL of a stretch is
    ink, gaps of DASHED_GAP points closed; still thin, with white on both
    sides) where they are solid somewhere or reach two vertical lines (a
    line of text in a cell reaches neither of its walls), and vertical ones
    where they continue a solid piece (``_bridged``); a vertical piece no
    taller than a few characters that a short stroke crosses is a
    character's (``_crossed``).  ``gray`` (the page in grey levels, with
    ``dashed``): lines fainter than the ink count as ink (``faint_masks``)."""
    import numpy as np
    h_min = max(8, int(round(30 * dpi / 72)))   # longer than two em dashes (——)
    v_min = max(6, int(round(15 * dpi / 72)))   # taller than a character
    thick = max(3, int(round(3 * dpi / 72)))
    margin = max(2, int(round(3 * dpi / 72)))
    gap = max(3, int(round(DASHED_GAP * dpi / 72)))
    # With ``gray``, a dashed reading takes lines faded below the ink threshold as ink.
    across, down = faint_masks(gray, dpi) if dashed and gray is not None else (None, None)
    faded = dark if across is None else dark | across
    dark_t = np.ascontiguousarray(dark.T)
    faded_t = dark_t if down is None else np.ascontiguousarray((dark | down).T)
    vs = _line_segments(faded_t, v_min, thick, margin)
    solid = _line_segments(dark, h_min, thick, margin)
    vs = _snapped(vs, solid, thick, int(round(OVERSHOOT_PT * dpi / 72)))
    if not dashed:
        return solid, vs
    # Runs of dashes cut to their ink: a run found by windows that are half
    # ink reaches up to half a window past its last dash, and across a gap
    # twice a dash gap (a large character's stroke and a wall either side).
    runs = _line_segments(faded, h_min, thick, margin, DASHED_FILL, gap)
    dashes = _split(faded, runs, thick, 2 * gap, h_min)

    def lines(walls: list[Seg]) -> list[Seg]:
        return [h for h in dashes if _walls(h, walls, margin) >= 2
                or any(abs(s.pos - h.pos) <= thick and s.a < h.b and s.b > h.a for s in solid)]
    near = [h.pos for h in dashes + solid]
    vs = [v for v in vs if v.b - v.a > CROSS_SPAN * v_min or not _crossed(dark, v, near, thick, h_min)]
    vs = _bridged(faded_t, vs, lines(vs), v_min, thick, gap)
    vs += [v for v in _long_dashes(faded_t, thick, margin, gap) if not any(abs(v.pos - u.pos) <= thick for u in vs)]
    return lines(vs), vs


# A vertical segment at most this many times a character's height that a
# short stroke crosses is a character's (十, 牛), not a line.
CROSS_SPAN = 3


def _crossed(dark, v: Seg, near: list[float], thick: int, reach: int) -> bool:
    """Whether a stroke shorter than ``reach`` on each side crosses the
    vertical segment ``v`` away from the horizontal lines at ``near``."""
    x, side = int(round(v.pos)), thick // 2 + 1
    if x - side - 1 < 0 or x + side + 2 > dark.shape[1]:
        return False
    for y in range(int(v.a), int(v.b)):
        if any(abs(y - h) <= thick for h in near):
            continue
        row = dark[y]
        left, right = row[max(0, x - side - reach + 1):x - side + 1], row[x + side:x + side + reach]
        # Ink just beside the line on both sides, ending within ``reach`` on both.
        if left[-2:].any() and right[:2].any() and not left.all() and not right.all():
            return True
    return False


def _long_dashes(dark_t, thick: int, margin: int, gap: int) -> list[Seg]:
    """Vertical lines faded to dashes all along, with no solid piece left:
    RULE_FILL of every stretch ink over RULE_SHARE of the page's height,
    and at most a quarter of the gaps between its dashes wider than
    ``gap`` (a column of figures, one under another, has every gap wider:
    the white between its rows)."""
    import numpy as np
    length = int(RULE_SHARE * dark_t.shape[1])
    out = []
    for s in _split(dark_t, _line_segments(dark_t, length, thick, margin, RULE_FILL, gap), thick,
                    dark_t.shape[1], length):
        x = int(round(s.pos))
        ink = np.nonzero(dark_t[max(0, x - thick // 2):x + thick // 2 + 1, int(s.a):int(s.b)].any(axis=0))[0]
        gaps = np.diff(ink) - 1
        gaps = gaps[gaps > 0]
        if int((gaps > gap).sum()) <= 0.25 * len(gaps):
            out.append(s)
    return out


# A column line's end past the last row line it crosses by at most this
# much, into no row line, is a character's stroke that touches it (亻 of
# 他 under a column line that ends on the row line above).
OVERSHOOT_PT = 16.0


def _snapped(vs: list[Seg], hs: list[Seg], thick: int, overshoot: int) -> list[Seg]:
    """Vertical segments whose ends overshoot the last horizontal line they
    cross by up to ``overshoot`` pixels, ending on no line, cut back to it."""
    out = []
    for v in vs:
        ys = [h.pos for h in hs if h.a - thick <= v.pos <= h.b + thick]
        b = _cut_back(v.b, [y for y in ys if v.a + thick < y < v.b], ys, thick, overshoot, max)
        a = _cut_back(v.a, [y for y in ys if v.a < y < b - thick], ys, thick, overshoot, min)
        out.append(v if (a, b) == (v.a, v.b) else Seg(v.pos, a, b))
    return out


def _cut_back(end: float, inside: list[float], ys: list[float], thick: int, overshoot: int, pick) -> float:
    """``end`` moved back to the nearest line it crosses (``pick`` of
    ``inside``) when it ends on none of ``ys`` and overshoots that one by
    at most ``overshoot``."""
    if not inside or any(abs(y - end) <= thick for y in ys):
        return end
    near = pick(inside)
    return near if abs(end - near) <= overshoot else end


# A ruling line, whole or faded to dashes: at least RULE_FILL of every
# stretch RULE_SHARE of the page's height (width) long is ink.  Text never
# stacks its strokes that far; a line of text may run that far, but never
# through a column line.
RULE_SHARE = 0.15
RULE_FILL = 0.6


def rule_ink(dark):
    """The ink of a table's long ruling lines, solid or broken into dashes
    (a mask like ``dark``), widened by two pixels to take their pale edges:
    the vertical ones, and the horizontal ones that run on through one of
    them.  Left in, a column of dashes has ink on every row, so it joins all
    of a table's text lines into one band, and a row line touching a line
    of text under it makes that line as wide as the table."""
    import numpy as np
    h, w = dark.shape
    thick, gap = max(3, w // 200), max(3, w // 100)
    dark_t = np.ascontiguousarray(dark.T)
    vs = _split(dark_t, _line_segments(dark_t, int(RULE_SHARE * h), thick, thick, RULE_FILL, gap),
                thick, max(3, w // 60), int(RULE_SHARE * h))
    hs = _split(dark, _line_segments(dark, int(RULE_SHARE * w), thick, thick, RULE_FILL, gap),
                thick, w, int(RULE_SHARE * w))
    out = np.zeros_like(dark, dtype=bool)
    pad = thick // 2 + 2
    for s in vs:
        out[int(s.a):int(s.b), max(0, int(s.pos) - pad):int(s.pos) + pad + 1] = True
    for s in hs:
        if any(_through(dark, s, v, pad, gap) for v in vs):
            out[max(0, int(s.pos) - pad):int(s.pos) + pad + 1, int(s.a):int(s.b)] = True
    return out & dark


def _through(dark, h: Seg, v: Seg, pad: int, gap: int) -> bool:
    """Whether horizontal ``h`` runs on through vertical ``v``: ink along it
    on both sides of ``v`` close by (a line of text in a cell stops short
    of its walls)."""
    if not (v.a - pad <= h.pos <= v.b + pad and h.a < v.pos < h.b):
        return False
    y, x = int(round(h.pos)), int(round(v.pos))
    band = dark[max(0, y - pad):y + pad + 1]
    return bool(band[:, max(0, x - pad - gap):max(0, x - pad)].any()
                and band[:, x + pad + 1:x + pad + 1 + gap].any())


def _split(img, segs: list[Seg], thick: int, gap: int, min_len: int) -> list[Seg]:
    """Runs of dashes cut to their ink and at every gap wider than ``gap``
    (a stroke of the heading above a table, at a column line's x, is not
    part of the line), keeping the pieces ``min_len`` long."""
    import numpy as np
    out = []
    for s in segs:
        y = int(round(s.pos))
        ink = img[max(0, y - thick // 2):y + thick // 2 + 1, int(s.a):int(s.b)].any(axis=0).nonzero()[0]
        if not len(ink):
            continue
        cuts = np.nonzero(np.diff(ink) > gap)[0]
        for lo, hi in zip(np.concatenate(([0], cuts + 1)), np.concatenate((cuts, [len(ink) - 1]))):
            if ink[hi] + 1 - ink[lo] >= min_len:
                out.append(Seg(s.pos, s.a + float(ink[lo]), s.a + float(ink[hi]) + 1))
    return out


def _alone(dark_t, x: int, y0: float, y1: float, ys: list[float], thick: int) -> bool:
    """Whether the ink at ``x`` between ``y0`` and ``y1`` stands alone, as a
    line does: nothing just beside it, away from the horizontal lines it
    meets (a character's stroke has the rest of the character there)."""
    rows = [y for y in range(int(y0), int(y1)) if all(abs(y - h) > thick for h in ys)]
    side = thick // 2 + 1
    cols = [c for c in (x - side - 1, x - side, x + side, x + side + 1) if 0 <= c < dark_t.shape[0]]
    return not rows or not dark_t[cols][:, rows].any()


def _walls(h: Seg, vs: list[Seg], tol: float) -> int:
    """How many vertical lines a horizontal one reaches or crosses."""
    return sum(1 for v in vs if v.a - tol <= h.pos <= v.b + tol and h.a - tol <= v.pos <= h.b + tol)


def _bridged(dark_t, solid: list[Seg], hs: list[Seg], v_min: int, thick: int, gap: int) -> list[Seg]:
    """Vertical lines faded to dashes: along the x of each solid piece of
    line (``solid``), the run of dashes it is part of (DASHED_FILL ink, gaps
    of ``gap`` closed, looked for in a strip a line wide so that no text
    beside it counts).  Beyond its solid pieces a run ends on a horizontal
    line (``hs``), as a line does; a stroke of text in the cell past the
    line's end (计 under a border) is no part of it.  A run of dashes alone
    is never a line: a column of characters' strokes would pass for one."""
    out, used, last = [], set(), None
    for x in sorted({int(round(s.pos)) for s in solid}):
        if last is not None and x - last <= thick:
            continue            # the same line's pieces a pixel or two apart: one strip covers them
        last = x
        lo = max(0, x - thick // 2)
        strip = dark_t[lo:x + thick // 2 + 1]
        ys = sorted(h.pos for h in hs if h.a - thick <= x <= h.b + thick)
        runs = _line_segments(strip, v_min, thick, 0, DASHED_FILL, gap)
        for d in _split(strip, runs, thick, strip.shape[1], v_min):
            mine = [i for i, s in enumerate(solid) if abs(s.pos - lo - d.pos) <= thick and s.a < d.b and s.b > d.a]
            if not mine:
                continue
            used.update(mine)
            out.append(Seg(lo + d.pos, *_ends(dark_t, x, d, [solid[i] for i in mine], ys, thick)))
    return out + [s for i, s in enumerate(solid) if i not in used]


def _ends(dark_t, x: int, run: Seg, pieces: list[Seg], ys: list[float], thick: int) -> tuple[float, float]:
    """Where a run of dashes through solid ``pieces`` begins and ends: past
    the pieces only as far as a horizontal line (at ``ys``) the run reaches,
    through ink that stands alone."""
    top, bottom = min(p.a for p in pieces), max(p.b for p in pieces)
    up = min([y for y in ys if run.a - thick <= y <= top], default=top)
    down = max([y for y in ys if bottom <= y <= run.b + thick], default=bottom)
    return (up if _alone(dark_t, x, up, top, ys, thick) else top,
            down if _alone(dark_t, x, bottom, down, ys, thick) else bottom)
