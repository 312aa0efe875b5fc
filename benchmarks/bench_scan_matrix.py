"""Benchmark: cells of scans in every degraded variant (issue 13's test inputs).

    .venv/bin/python benchmarks/bench_scan_matrix.py [PDF ...] [--variants base,faint,...]

Each text-layer PDF (default: the fixtures fx2021, fx2019, fx2021_brk_b and
fx2021_wps beside the tests) is scanned by tests/core/scanmaker.py in each
variant below (170 dpi, 0.6° and blur 0.7 unless the variant says
otherwise), read with an empty OCR cache, and compared cell by cell with
its text-layer twin: equal, flagged unreadable, wrong (must be 0: a cell is
right or flagged).  Printed one line per scan, then the totals per variant.
Accuracy only; bench_ocr.py measures the time against rapidocr.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"
DEFAULT = ["fx2021.pdf", "fx2019.pdf", "fx2021_brk_b.pdf", "fx2021_wps.pdf"]
VARIANTS = {
    "base": {},
    "150dpi": dict(dpi=150),
    "200dpi": dict(dpi=200),
    "300dpi": dict(dpi=300),
    "skew2": dict(angle=2.0),
    "skew-2": dict(angle=-2.0),
    "jpeg50": dict(jpeg=50),
    "colour": dict(colour=True),
    "seal": dict(seal=True, colour=True),          # a red seal on a colour scan
    "sealgrey": dict(seal=True),                   # the same seal on a greyscale scan
    "blur1.2": dict(blur=1.2),
    "faint": dict(faint=0.5),                      # ruling lines faded and broken
}


def compare(report, twin) -> tuple[int, int, list[str]]:
    equal = flagged = 0
    wrong = []
    for key, cell in twin.cells.items():
        got = report.cells[key]
        if got.status == "unreadable":
            flagged += 1
        elif (got.status, got.value) == (cell.status, cell.value):
            equal += 1
        else:
            wrong.append(f"{key}: read {got.raw!r}, text layer {cell.raw!r}")
    return equal, flagged, wrong


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gxaudit-bench-matrix-"))
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
    from gxaudit.core.ingest import read_document
    from gxaudit.core.reconstruct import reconstruct
    from tests.core.scanmaker import make_scan

    names = args.variants.split(",")
    totals = {v: [0, 0, 0] for v in names}
    for src in [Path(p) for p in args.pdfs] or [FIXTURES / n for n in DEFAULT]:
        twin = reconstruct(read_document(str(src)))
        for v in names:
            kw = {"dpi": 170, "angle": 0.6, "blur": 0.7, **VARIANTS[v]}
            scan = make_scan(src, tmp / f"{src.stem}.{v}.pdf", **kw)
            equal, flagged, wrong = compare(reconstruct(read_document(str(scan))), twin)
            for i, n in enumerate((equal, flagged, len(wrong))):
                totals[v][i] += n
            print(f"{src.name:24} {v:9} {equal:4} equal {flagged:4} flagged {len(wrong):2} wrong", flush=True)
            for w in wrong:
                print(f"    WRONG {w}")
    print()
    for v, (equal, flagged, wrong) in totals.items():
        share = equal / (equal + flagged + wrong) if equal + flagged + wrong else 0.0
        print(f"{v:9} {equal:5} equal {flagged:4} flagged {wrong:2} wrong  ({share:.1%})")
    return 1 if any(t[2] for t in totals.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
