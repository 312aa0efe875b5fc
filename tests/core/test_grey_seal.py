"""A red seal on a greyscale scan (issue 13): once scanned in grey the seal
is mid grey over the table, told from ink only by its ring.  Taken out, it
leaves the ink under it, the ruling lines through it and every other page
as they were."""
from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import FIXTURES, require
from tests.core.scanmaker import page_images

pytest.importorskip("cv2")
from gxaudit.core.ingest.ocr_image import without_grey_seal  # noqa: E402

WPS = FIXTURES / "fx2021_wps.pdf"   # thin grey ruling lines, as grey as the seal
SCAN = dict(dpi=170, angle=0.0, blur=0.7)


def _page(seal: bool, page: int = 0):
    im = page_images(require(WPS), pages=[page], seal=seal, **SCAN)[0]
    return np.asarray(im.convert("L"), dtype=np.uint8)


def _ring_pixels(shape):
    """Where scanmaker's seal ring lies (radius 0.12 of the width round
    (0.62 w, 0.45 h)), a few pixels wide."""
    h, w = shape
    r, cx, cy = int(min(w, h) * 0.12), int(w * 0.62), int(h * 0.45)
    yy, xx = np.ogrid[:h, :w]
    d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
    return (d > r - 5) & (d < r - 1)


def test_the_seal_is_taken_out_and_the_ink_and_lines_under_it_stay():
    clean, sealed = _page(False), _page(True)
    out = without_grey_seal(sealed)
    ring = _ring_pixels(sealed.shape)
    paper = ring & (clean > 230)                  # ring over white paper
    assert (sealed[paper] < 200).mean() > 0.9     # the seal is there, mid grey
    assert (out[paper] > 230).mean() > 0.97       # and gone
    ink = clean < 100                             # text and lines, seal or no seal
    assert (out[ink] < 130).mean() > 0.99
    # The table's grey ruling lines through the seal: kept wherever the
    # clean page has them (a seal's grey, but straight and long).
    lines = (clean < 215) & ~ring
    h, w = clean.shape
    disc = np.zeros_like(lines)
    disc[int(h * 0.45) - 150:int(h * 0.45) + 150, int(w * 0.62) - 150:int(w * 0.62) + 150] = True
    rows = [y for y in range(h) if (lines[y] & disc[y]).sum() > 250]
    assert rows, "the page has no ruling line through the seal"
    for y in rows:
        assert (out[y][lines[y] & disc[y]] < 215).mean() > 0.9, y


def test_pages_without_a_grey_ring_are_left_as_they_are():
    clean = _page(False)
    assert without_grey_seal(clean) is clean
    # A black ring (a printed emblem) is no seal: nothing of it is whitened.
    emblem = clean.copy()
    h, w = emblem.shape
    yy, xx = np.ogrid[:h, :w]
    d = np.sqrt((yy - h * 0.45) ** 2 + (xx - w * 0.62) ** 2)
    emblem[(d > 160) & (d < 167)] = 20
    assert np.array_equal(without_grey_seal(emblem), emblem)
