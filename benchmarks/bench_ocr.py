"""Benchmark: OCR of scanned reports built from the corpus PDFs.

    .venv/bin/python benchmarks/bench_ocr.py [PDF ...] [--dpi 170] [--angle 0.6] [--blur 0.7]
        [--colour] [--jpeg Q] [--seal] [--faint F]

Each text-layer PDF of shared/corpus/real is turned into an image-only scan
(tests/core/scanmaker.py: rendered at --dpi, turned --angle degrees, blurred),
then read with an empty OCR cache.  Printed per report: the time to find the
table pages (ruling lines on a low-resolution render, no OCR), the OCR time
of each page (table pages at full resolution, the others at low resolution),
the whole read, a second read (cache hit), and the cells against the
text-layer twin: equal, flagged unreadable, wrong (must be 0).

Side by side, in the same run: rapidocr's own default pipeline (detector,
angle classifier, recogniser; the same models from the wheel) on the same
page images, rendered at the scan's dpi.  The ratio printed is gxaudit's
whole read (table pages found, cells and lines recognised, rows built)
over that pipeline's time on the pages alone.

Targets: under 10 s for a 5-page scanned report on 2 cores (issue 7); at
most 0.5× rapidocr's default pipeline on the same pages, with the same
accuracy or better (issue 13).  The one-off engine start (model load) is
printed apart.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = Path(os.environ.get("GXAUDIT_SHARED", ROOT.parent / "shared")) / "corpus" / "real"
DEFAULT = [
    "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf",
    "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf",
    "jiangsu_huaian-city-gov_2024_annual-report.pdf",
]


def default_pipeline_seconds(scan: Path, dpi: int) -> float:
    """rapidocr's default pipeline (with its angle classifier) on every page
    image of ``scan``, models loaded beforehand; the seconds of OCR alone."""
    import numpy as np
    import pypdfium2 as pdfium
    from rapidocr import RapidOCR

    from gxaudit.core.ingest.ocr_engine import bundled_models
    import rapidocr
    models = bundled_models()
    cls = sorted((Path(rapidocr.__file__).parent / "models").glob("*_cls_*.onnx"))
    eng = RapidOCR(params={"Global.log_level": "error", "Det.model_path": models["det"],
                           "Rec.model_path": models["rec"], "Cls.model_path": str(cls[0])})
    pdf = pdfium.PdfDocument(str(scan))
    images = []
    for i in range(len(pdf)):
        page = pdf[i]
        images.append(np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")))
        page.close()
    pdf.close()
    eng(images[0][:64, :64])                       # load the models outside the timing
    t0 = time.perf_counter()
    for im in images:
        eng(im)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*")
    ap.add_argument("--dpi", type=int, default=170)
    ap.add_argument("--angle", type=float, default=0.6)
    ap.add_argument("--blur", type=float, default=0.7)
    ap.add_argument("--colour", action="store_true", help="RGB scan (default greyscale)")
    ap.add_argument("--jpeg", type=int, default=None, help="JPEG quality (default lossless)")
    ap.add_argument("--seal", action="store_true", help="a red seal across the table")
    ap.add_argument("--faint", type=float, default=0.0, help="faint/broken ruling lines, 0..1")
    ap.add_argument("--no-baseline", action="store_true", help="skip rapidocr's default pipeline")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gxaudit-bench-ocr-"))
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")

    from gxaudit.core.ingest import ocr, read_document
    from gxaudit.core.ingest.progress import reading
    from gxaudit.core.reconstruct import reconstruct
    from tests.core.scanmaker import make_scan

    from bench_scan_matrix import compare

    t0 = time.perf_counter()
    ocr.engine()
    print(f"engine start (models from the wheel): {time.perf_counter() - t0:.2f} s; "
          f"cores: {os.cpu_count()}")
    paths = [Path(p) for p in args.pdfs] or [CORPUS / n for n in DEFAULT]
    totals = [0, 0, 0]
    ratios = []
    for src in paths:
        scan = make_scan(src, tmp / f"{src.stem}.scan.pdf", dpi=args.dpi, angle=args.angle, blur=args.blur,
                         colour=args.colour, jpeg=args.jpeg, seal=args.seal, faint=args.faint)
        marks: list[tuple[float, str]] = []
        t0 = time.perf_counter()
        with reading(progress=lambda d, t, m: marks.append((time.perf_counter(), m))):
            doc = read_document(str(scan))
        read_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        read_document(str(scan))
        cached_s = time.perf_counter() - t1
        report, twin = reconstruct(doc), reconstruct(read_document(str(src)))
        equal, flagged, wrongs = compare(report, twin)
        for w in wrongs:
            print(f"  WRONG {w}")
        wrong = len(wrongs)
        for i, n in enumerate((equal, flagged, wrong)):
            totals[i] += n
        print(f"\n{src.name}: {doc.pages} pages, {args.dpi} dpi, {args.angle}°, format {doc.kind}")
        find = [b[0] - a[0] for a, b in zip(marks, marks[1:]) if a[1].startswith("正在查找表格页")]
        print(f"  finding table pages: {sum(find):.2f} s ({len(find)} pages, no OCR)")
        for a, b in zip(marks, marks[1:]):
            if a[1].startswith("正在识别"):
                print(f"  {a[1].rstrip('…')}: {b[0] - a[0]:.2f} s")
        print(f"  whole read: {read_s:.2f} s; reopened (cache): {cached_s * 1000:.0f} ms")
        if not args.no_baseline:
            base = default_pipeline_seconds(scan, args.dpi)
            ratios.append(read_s / base)
            print(f"  rapidocr default pipeline on the same pages: {base:.2f} s; "
                  f"gxaudit / default: {read_s / base:.2f}x")
        print(f"  cells: {equal} equal to the text layer, {flagged} flagged unreadable, {wrong} wrong")
    print(f"\nall: {totals[0]} equal, {totals[1]} flagged unreadable, {totals[2]} wrong")
    if ratios:
        print(f"gxaudit / rapidocr default pipeline: {min(ratios):.2f}x to {max(ratios):.2f}x")
    return 1 if totals[2] else 0


if __name__ == "__main__":
    sys.exit(main())
