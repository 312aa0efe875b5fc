"""Page images: rendering (a colour scan's red seal faded, a grey scan's seal
taken out by its ring), binarising, skew, and the ruling lines drawn on them
(numpy, OpenCV for the ring)."""
from __future__ import annotations

import math

from .gridfind import Seg

def otsu(gray) -> int:
    import numpy as np
    hist = np.bincount(gray.ravel(), minlength=256).astype(float)
    total = hist.sum()
    if total == 0:
        return 128
    w = np.cumsum(hist)
    mu = np.cumsum(hist * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * w / total - mu) ** 2 / (w * (total - w))
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def dark_mask(gray):
    """Ink: darker than Otsu's threshold, and never lighter than 200 (a white
    page with a little text has a meaningless Otsu threshold near white)."""
    t = min(otsu(gray), 200)
    return gray < max(t, 60)


def skew_angle(dark, max_deg: float = 2.0) -> float:
    """The page's skew in degrees (lines going down to the right are
    positive), from the sharpest horizontal projection profile."""
    import numpy as np
    ys, xs = np.nonzero(dark)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 150_000:
        idx = np.random.default_rng(0).choice(len(ys), 150_000, replace=False)
        ys, xs = ys[idx], xs[idx]
    xs = xs.astype(float) - dark.shape[1] / 2
    ys = ys.astype(float)

    def score(a: float) -> float:
        yy = np.round(ys - xs * math.tan(math.radians(a))).astype(np.int64)
        yy -= yy.min()
        h = np.bincount(yy).astype(float)
        return float((h * h).sum())

    best = max(np.arange(-max_deg, max_deg + 1e-9, 0.1), key=score)
    fine = max(np.arange(best - 0.1, best + 0.1 + 1e-9, 0.02), key=score)
    return round(float(fine), 3)


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


def ruling(dark, dpi: float, dashed: bool = False) -> tuple[list[Seg], list[Seg]]:
    """Horizontal and vertical ruling segments of a page image.  ``dashed``:
    horizontal lines faded to dashes count too (DASHED_FILL of a stretch is
    ink, gaps of DASHED_GAP points closed; still thin, with white on both
    sides) where they are solid somewhere or reach two vertical lines (a
    line of text in a cell reaches neither of its walls), and vertical ones
    where they continue a solid piece (``_bridged``)."""
    import numpy as np
    h_min = max(8, int(round(30 * dpi / 72)))   # longer than two em dashes (——)
    v_min = max(6, int(round(15 * dpi / 72)))   # taller than a character
    thick = max(3, int(round(3 * dpi / 72)))
    margin = max(2, int(round(3 * dpi / 72)))
    gap = max(3, int(round(DASHED_GAP * dpi / 72)))
    dark_t = np.ascontiguousarray(dark.T)
    vs = _line_segments(dark_t, v_min, thick, margin)
    solid = _line_segments(dark, h_min, thick, margin)
    vs = _snapped(vs, solid, thick, int(round(OVERSHOOT_PT * dpi / 72)))
    if not dashed:
        return solid, vs
    # Runs of dashes cut to their ink: a run found by windows that are half
    # ink reaches up to half a window past its last dash, and across a gap
    # twice a dash gap (a large character's stroke and a wall either side).
    runs = _line_segments(dark, h_min, thick, margin, DASHED_FILL, gap)
    dashes = _split(dark, runs, thick, 2 * gap, h_min)

    def lines(walls: list[Seg]) -> list[Seg]:
        return [h for h in dashes if _walls(h, walls, margin) >= 2
                or any(abs(s.pos - h.pos) <= thick and s.a < h.b and s.b > h.a for s in solid)]
    vs = _bridged(dark_t, vs, lines(vs), v_min, thick, gap)
    vs += [v for v in _long_dashes(dark_t, thick, margin, gap) if not any(abs(v.pos - u.pos) <= thick for u in vs)]
    return lines(vs), vs


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


# A colour scan's pixel is red ink (a seal) when its red channel stands
# this much above both green and blue.
REDNESS = 60


def render_gray(page, dpi: float):
    """The page as a grey image.  A colour scan's red ink (a seal stamped
    across the table) is taken as light as it shows in the red channel:
    black ink under it stays black, its ring no longer reads as a ruling
    line or a stroke."""
    import numpy as np
    colour = _colour(page)
    bitmap = page.render(scale=dpi / 72, grayscale=not colour)
    try:
        img = bitmap.to_pil()
        img = _without_red(img) if colour else img.convert("L")
    finally:
        bitmap.close()
    gray = np.asarray(img, dtype=np.uint8)
    return gray if colour else without_grey_seal(gray)


def _colour(page) -> bool:
    """Whether the page shows a colour image (a colour scan)."""
    import pypdfium2.raw as pdfium_c
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            meta = obj.get_metadata()
        except Exception:  # noqa: BLE001 - an image PDFium cannot describe: grey as before
            continue
        if meta.colorspace not in (pdfium_c.FPDF_COLORSPACE_DEVICEGRAY, pdfium_c.FPDF_COLORSPACE_UNKNOWN) \
                and meta.bits_per_pixel >= 24:
            return True
    return False


def _without_red(img):
    """Grey of an RGB image with red ink (red above green and blue by
    REDNESS) replaced by its red channel, except on straight lines longer
    than a tenth of the page's width: a grey ruling line under the seal is
    light in the red channel, and the row it closed ran into the next."""
    import numpy as np
    from PIL import Image, ImageChops
    img = img.convert("RGB")
    r, g, b = img.split()
    redness = ImageChops.darker(ImageChops.subtract(r, g), ImageChops.subtract(r, b))
    red = np.asarray(redness) > REDNESS
    lum = img.convert("L")
    if red.any():
        ys, xs = np.nonzero(red)
        box = (int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1)
        y0, y1, x0, x1 = box
        red[y0:y1, x0:x1] &= ~_long_runs(np.asarray(lum), box, max(20, img.width // 10))
    return Image.composite(r, lum, Image.fromarray(red.astype(np.uint8) * 255, "L"))


# A seal on a greyscale scan: a ring this share of the page's width across
# (radius), mid grey (its red turned grey) where it is not crossed by black
# ink, and what is inside it as light as the ring or lighter, less this
# margin, is the seal's.
SEAL_RADIUS = (0.04, 0.2)
SEAL_TONE = (90, 200)
SEAL_MARGIN = 25


def without_grey_seal(gray):
    """The page with a round seal taken out.  Once a red seal is scanned in
    grey it cannot be told from ink by its colour, only by its shape: a ring
    round the page's ink, all of it lighter than black.  Inside each such
    ring, what is no darker than the ring (less SEAL_MARGIN) turns white,
    except straight lines longer than the ring's radius (ruling lines, often
    as grey as the seal in a WPS print); black ink under the seal, darker
    still, stays.  A page without a ring, or with a black one (a printed
    emblem), is returned as it is."""
    import numpy as np
    out = gray
    for cx, cy, r in _rings(gray):
        tone = _ring_tone(gray, cx, cy, r)
        if tone is None:
            continue
        out = out.copy() if out is gray else out
        y0, y1, x0, x1 = _around(gray.shape, cx, cy, r + 8)
        yy, xx = np.ogrid[y0:y1, x0:x1]
        disc = (yy - cy) ** 2 + (xx - cx) ** 2 <= (r + 8) ** 2
        seal = disc & (gray[y0:y1, x0:x1] >= tone - SEAL_MARGIN) & ~_long_runs(gray, (y0, y1, x0, x1), int(r))
        out[y0:y1, x0:x1][seal] = 255
    return out


def _around(shape, cx: float, cy: float, r: float) -> tuple[int, int, int, int]:
    """Rows y0:y1 and columns x0:x1 of the square round a circle, within the page."""
    h, w = shape
    return (max(0, int(cy - r)), min(h, int(cy + r) + 1), max(0, int(cx - r)), min(w, int(cx + r) + 1))


def _long_runs(gray, box: tuple[int, int, int, int], length: int):
    """Within ``box``: pixels on a horizontal or vertical run of ink (not
    white) at least ``length`` long, looked for with that much of the page
    round the box (a ruling line goes on past a seal)."""
    import cv2
    import numpy as np
    y0, y1, x0, x1 = box
    h, w = gray.shape
    Y0, Y1, X0, X1 = max(0, y0 - length), min(h, y1 + length), max(0, x0 - length), min(w, x1 + length)
    ink = (gray[Y0:Y1, X0:X1] < 215).astype(np.uint8)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return (across | down)[y0 - Y0:y1 - Y0, x0 - X0:x1 - X0].astype(bool)


def _rings(gray) -> list[tuple[float, float, float]]:
    """Circles of the size of a seal (centre x, y and radius in pixels),
    found at half the resolution (a seal's ring is several pixels wide)."""
    import cv2
    h, w = gray.shape
    half = cv2.resize(gray, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    hw = half.shape[1]
    found = cv2.HoughCircles(cv2.GaussianBlur(half, (5, 5), 1.0), cv2.HOUGH_GRADIENT_ALT,
                             dp=1.5, minDist=hw // 4, param1=300, param2=0.8,
                             minRadius=int(SEAL_RADIUS[0] * hw), maxRadius=int(SEAL_RADIUS[1] * hw))
    return [] if found is None else [(2 * x, 2 * y, 2 * r) for x, y, r in found[0]]


def _ring_tone(gray, cx: float, cy: float, r: float) -> float | None:
    """The grey of a seal's ring, or None when this circle is no seal.  The
    ring must go all round: within a few pixels of the circle, at least two
    mid-grey pixels at 80% of the angles (ruling lines and figures cross it
    in black).  And it must be grey, not black: at a fifth of the angles at
    least, nothing darker than mid grey (a black ring is an emblem)."""
    import numpy as np
    h, w = gray.shape
    t = np.linspace(0, 2 * np.pi, 360, endpoint=False)
    rr = r + np.arange(-6, 7)[:, None]
    ys = np.clip(np.round(cy + rr * np.sin(t)).astype(int), 0, h - 1)
    xs = np.clip(np.round(cx + rr * np.cos(t)).astype(int), 0, w - 1)
    band = gray[ys, xs]
    mid = (band >= SEAL_TONE[0]) & (band <= SEAL_TONE[1])
    darkest = band.min(axis=0)
    clean = (darkest >= SEAL_TONE[0]) & (darkest <= SEAL_TONE[1])
    if (mid.sum(axis=0) >= 2).mean() < 0.8 or clean.mean() < 0.2:
        return None
    return float(np.median(darkest[clean]))
