"""Page images: rendering (a colour scan's red seal faded, a grey scan's seal
taken out by its ring), binarising and skew (numpy, OpenCV for the ring).
The ruling lines drawn on them: ``ocr_ruling``."""
from __future__ import annotations

import math


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

