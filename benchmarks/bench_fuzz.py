"""The issue-11 fuzz run at scale: malformed files from tests/fuzz/mutate.py
through ``gxaudit check`` in-process, with figures for the note.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_fuzz.py [--ocr] [--seed 12] [--flips 8]

Prints: files, exit codes, crashes, tracebacks, generic messages, files over
10 s, the slowest file, and the process's peak RSS.  Without --ocr a damaged
PDF that looks scanned is refused with the OCR-missing line (as on a machine
without the ocr extra).  Data, logs and cache go to a temporary directory.
"""
from __future__ import annotations

import argparse
import collections
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ocr", action="store_true")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--flips", type=int, default=8)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gxaudit-fuzz-")
    for k in ("GXAUDIT_DATA_DIR", "GXAUDIT_LOG_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        os.environ[k] = os.path.join(tmp, k)
    from tests.fuzz.mutate import cases
    from tests.fuzz.runner import GENERIC, check_file
    if not args.ocr:
        from gxaudit.core.ingest import ocr
        ocr.available = lambda: False
    stats: collections.Counter = collections.Counter()
    slowest = (0.0, "")
    t0 = time.perf_counter()
    for name, suffix, body in cases(seed=args.seed, flips=args.flips):
        path = os.path.join(tmp, name + suffix)
        with open(path, "wb") as fh:
            fh.write(body)
        o = check_file(path, name, () if args.ocr else ("--no-library",))
        stats["files"] += 1
        stats[f"exit {o.rc}"] += 1
        stats["crashes"] += bool(o.crash)
        stats["tracebacks"] += "Traceback" in o.stderr
        stats["generic messages"] += GENERIC in o.stderr
        stats["sources modified"] += o.source_changed
        stats["over 10 s"] += o.seconds > 10
        for problem in o.problems:
            print(f"{name}: {problem}", flush=True)
        slowest = max(slowest, (o.seconds, name))
        os.remove(path)
    for k in ("files", "exit 0", "exit 1", "exit 2", "crashes", "tracebacks", "generic messages",
              "sources modified", "over 10 s"):
        print(f"{k}: {stats[k]}")
    print(f"slowest: {slowest[0]:.1f} s ({slowest[1]})")
    print(f"total: {time.perf_counter() - t0:.0f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
