"""Benchmark: how often a changed cell is located, per reader (issue 13 target).

    .venv/bin/python benchmarks/bench_located.py [--cases 32]

For each fixture (the same filled template as DOCX and as the PDFs LibreOffice
and the WPS-style writer made of it, page breaks inside table 三 included):
read it once, put right the fixture's one deliberate break, then for each of
``--cases`` cells of tables 三 and 四 (spread over the table) add 1 to that
cell alone and run the rules.  A case is *located* when a finding names that
cell as the suspect with its true value as the suggestion.  What differs
between readers is only the reading (blank, unreadable or missing cells stop
the identities that would pin the change down), which is what this measures.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FIX = ROOT / "tests" / "fixtures"
FILES = ["fx2021.docx", "fx2021_split.docx", "fx2021.pdf", "fx2021_split.pdf", "fx2021_brk_a.pdf",
         "fx2021_brk_b.pdf", "fx2021_brk_c.pdf", "fx2021_brk_d.pdf", "fx2021_brk_t4.pdf",
         "fx2021_wps.pdf", "fx2021_wps_norule.pdf"]
# Scans made of these (tests/core/scanmaker.py), read through the OCR.
SCANS = ["fx2021.pdf", "fx2021_brk_b.pdf"]


def cases(exp: dict, n: int) -> list[str]:
    keys = [k for k, v in exp["cells"].items() if k.startswith(("t3.", "t4.")) and v["status"] == "ok"]
    step = max(1, len(keys) // n)
    return keys[::step][:n]


def located(report, key: str) -> bool:
    from gxaudit.core.model import Cell
    from gxaudit.core.rules import check
    r = copy.deepcopy(report)
    c = r.cells[key]
    if c.value is None:
        return False
    true = c.value
    r.cells[key] = Cell(key, true + 1, str(true + 1), "ok", page=c.page, bbox=c.bbox)
    return any(f.suspect == key and f.suggested == true for f in check(r))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=32)
    ap.add_argument("--no-scans", action="store_true", help="skip the scans (they need the OCR)")
    args = ap.parse_args()
    os.environ.setdefault("GXAUDIT_LOG_DIR", "/tmp/gxaudit-bench-logs")
    tmp = Path(tempfile.mkdtemp(prefix="gxaudit-located-"))
    os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")     # the scans are read, not taken from a cache
    from gxaudit.core import load_report
    from gxaudit.core.model import Cell
    inputs = [(name, FIX / name, name) for name in FILES]
    if not args.no_scans:
        from tests.core.scanmaker import make_scan
        for name in SCANS:                 # 170 dpi, turned 0.6°, slightly blurred, greyscale
            inputs.append((f"{name} (scan)", make_scan(FIX / name, tmp / name), name))
    print(f"{'file':26} {'located':>9} {'cells right':>12}")
    for label, path, name in inputs:
        exp = json.loads((FIX / f"{name}.expected.json").read_text(encoding="utf-8"))
        report = load_report(str(path))
        for s in exp["suspects"]:           # put the deliberate break right
            k = s["suspect"]
            c = report.cells[k]
            report.cells[k] = Cell(k, s["suggested"], str(s["suggested"]), "ok", page=c.page, bbox=c.bbox)
            exp["cells"][k] = {"value": s["suggested"], "status": "ok"}
        right = sum((c.value, c.status) == (exp["cells"][k]["value"], exp["cells"][k]["status"])
                    for k, c in report.cells.items())
        ks = cases(exp, args.cases)
        hit = sum(located(report, k) for k in ks)
        print(f"{label:26} {hit:>4}/{len(ks):<4} {right:>6}/{len(report.cells)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
