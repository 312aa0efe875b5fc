"""Image-only PDFs made from text-layer PDFs, as a scanner would: each page
rendered to a picture, turned slightly, blurred a little, and saved as a PDF
with no text at all.  Used by the OCR tests and benchmarks/bench_ocr.py.

The knobs an office scanner turns (issue 13): resolution (``dpi``), skew
(``angle``, degrees), ``blur``, ``colour`` (RGB instead of greyscale),
``jpeg`` quality (None: lossless), a red ``seal`` stamped across part of the
page's table, and ``faint`` ruling lines (0..1: how much of the lines' ink
is taken away, in short breaks along them).
"""
from __future__ import annotations

from pathlib import Path


def _faint_lines(im, faint: float):
    """Lighten long horizontal/vertical runs of ink (ruling lines) and break
    them every few pixels, leaving text strokes as they are."""
    import numpy as np
    from PIL import Image
    a = np.asarray(im.convert("L"), dtype=np.int16).copy()
    dark = a < 128
    h, w = dark.shape
    rows = dark.sum(axis=1) > 0.3 * w
    cols = dark.sum(axis=0) > 0.3 * h
    mask = np.zeros_like(dark)
    mask[rows, :] |= dark[rows, :]
    mask[:, cols] |= dark[:, cols]
    lift = int(200 * faint)
    a[mask] = np.minimum(255, a[mask] + lift)
    gaps = (np.add.outer(np.arange(h), np.arange(w)) // 6) % 5 == 0
    a[mask & gaps] = 255 if faint >= 0.5 else a[mask & gaps]
    return Image.fromarray(a.astype(np.uint8), "L")


def _seal(im):
    """A red round seal (ring and star of ink) over the middle of the page."""
    from PIL import ImageDraw
    im = im.convert("RGB")
    w, h = im.size
    r = int(min(w, h) * 0.12)
    cx, cy = int(w * 0.62), int(h * 0.45)
    d = ImageDraw.Draw(im, "RGBA")
    for k in range(max(3, r // 25)):
        d.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=(220, 30, 30, 170))
    d.regular_polygon((cx, cy, r // 3), 5, fill=(220, 30, 30, 150))
    return im


def page_images(src: str | Path, dpi: int = 170, angle: float = 0.6, blur: float = 0.7,
                pages: list[int] | None = None, *, colour: bool = False, seal: bool = False,
                faint: float = 0.0):
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    pdf = pdfium.PdfDocument(str(src))
    try:
        out = []
        for i in (range(len(pdf)) if pages is None else pages):
            page = pdf[i]
            try:
                im = page.render(scale=dpi / 72, grayscale=not colour).to_pil()
            finally:
                page.close()
            im = im.convert("RGB" if colour else "L")
            if faint:
                im = _faint_lines(im, faint)
                im = im.convert("RGB") if colour else im
            if seal:
                im = _seal(im)
                im = im if colour else im.convert("L")
            if angle:
                fill = (255, 255, 255) if im.mode == "RGB" else 255
                im = im.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=fill)
            if blur:
                im = im.filter(ImageFilter.GaussianBlur(blur))
            out.append(im)
        return out
    finally:
        pdf.close()


def make_scan(src: str | Path, dest: str | Path, dpi: int = 170, angle: float = 0.6,
              blur: float = 0.7, pages: list[int] | None = None, *, colour: bool = False,
              jpeg: int | None = None, seal: bool = False, faint: float = 0.0) -> Path:
    """An image-only copy of ``src`` at ``dest``."""
    images = page_images(src, dpi, angle, blur, pages, colour=colour, seal=seal, faint=faint)
    dest = Path(dest)
    if jpeg is not None:
        import io

        from PIL import Image
        images = [Image.open(io.BytesIO(_jpeg_bytes(im, jpeg))) for im in images]
    images[0].save(dest, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return dest


def _jpeg_bytes(im, quality: int) -> bytes:
    import io
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def make_mixed(src: str | Path, scan: str | Path, dest: str | Path, text_pages: list[int]) -> Path:
    """A PDF whose ``text_pages`` (0-based) come from the text-layer ``src``
    and whose other pages are the scanned images of ``scan``."""
    import pypdfium2 as pdfium
    a = pdfium.PdfDocument(str(src))
    b = pdfium.PdfDocument(str(scan))
    out = pdfium.PdfDocument.new()
    try:
        for i in range(len(a)):
            out.import_pages(a if i in text_pages else b, [i])
        out.save(str(dest))
    finally:
        out.close()
        a.close()
        b.close()
    return Path(dest)
