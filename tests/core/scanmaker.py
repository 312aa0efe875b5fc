"""Image-only PDFs made from text-layer PDFs, as a scanner would: each page
rendered to a picture, turned slightly (≤ 1°), blurred a little, and saved as
a PDF with no text at all.  Used by the OCR tests and benchmarks/bench_ocr.py."""
from __future__ import annotations

from pathlib import Path


def page_images(src: str | Path, dpi: int = 170, angle: float = 0.6, blur: float = 0.7,
                pages: list[int] | None = None):
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    pdf = pdfium.PdfDocument(str(src))
    try:
        out = []
        for i in (range(len(pdf)) if pages is None else pages):
            page = pdf[i]
            try:
                im = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            finally:
                page.close()
            if angle:
                im = im.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            if blur:
                im = im.filter(ImageFilter.GaussianBlur(blur))
            out.append(im)
        return out
    finally:
        pdf.close()


def make_scan(src: str | Path, dest: str | Path, dpi: int = 170, angle: float = 0.6,
              blur: float = 0.7, pages: list[int] | None = None) -> Path:
    """An image-only copy of ``src`` at ``dest``."""
    images = page_images(src, dpi, angle, blur, pages)
    dest = Path(dest)
    images[0].save(dest, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return dest


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
