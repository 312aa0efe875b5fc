"""Benchmark: ``gxaudit batch`` against a loop of ``gxaudit check``, in one run.

    .venv/bin/python benchmarks/bench_batch.py [--n 100] [--jobs 2] [--dir DIR] [--skip-loop] [--gui]

The season: N distinct text-layer PDFs made by tests/seasonmaker.py — the
fixture generator's DOCX filled in with another agency name and year (N/2
agencies, 2022 and 2023: same figures, distinct text, so distinct files
AND distinct reports, with a cross-year pair per agency), converted to PDF
by one LibreOffice run.  They are kept in DIR (default
/tmp/gxaudit-bench-season/pdf) and reused by later runs.

Measured side by side, each with a fresh data directory:
  loop    ``python -m gxaudit check F --json --no-library`` for each file, one after another;
  batch   ``python -m gxaudit batch DIR --jobs J --json`` (first run, nothing cached);
  again   the same batch command a second time (everything cached).
Targets (issue 15): batch ≤ 0.3 × loop; again ≤ 5 % of batch; peak memory
of all processes of the batch together ≤ 600 MB (sum of PSS over the
process tree, sampled every 50 ms; the RSS sum, which counts shared pages
once per process, is printed too).

``--gui``: the season table with 500 rows in a real QTableView (offscreen):
time to sort by each column and to scroll through it painting every page.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_season(n: int, folder: Path) -> list[Path]:
    have = sorted(folder.glob("*.pdf")) if folder.exists() else []
    if len(have) >= n:
        return have[:n]
    from tests.seasonmaker import AGENCIES, pdf_reports
    specs = []
    for i in range((n + 1) // 2):
        agency = AGENCIES[i % len(AGENCIES)].replace("示范县", f"示范{'甲乙丙丁戊己庚辛'[i // len(AGENCIES)]}县")
        specs += [(agency, 2022), (agency, 2023)]
    return pdf_reports(specs[:n], folder)


def _tree(root: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def _mem(pids: list[int]) -> tuple[float, float]:
    pss = rss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss / 1024, rss / 1024


def run_measured(cmd: list[str], env: dict) -> tuple[float, float, float, str]:
    """Wall time, peak PSS sum and peak RSS sum (MB) of the process tree, stdout."""
    peak = [0.0, 0.0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            pss, rss = _mem(_tree(proc.pid))
            peak[0], peak[1] = max(peak[0], pss), max(peak[1], rss)
            time.sleep(0.05)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    took = time.perf_counter() - t0
    stop.set()
    th.join()
    return took, peak[0], peak[1], out


def fresh_env(tmp: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), GXAUDIT_DATA_DIR=str(tmp / "data"),
               GXAUDIT_LOG_DIR=str(tmp / "logs"), XDG_CACHE_HOME=str(tmp / "cache"))
    return env


def bench_cli(files: list[Path], jobs: int, skip_loop: bool) -> None:
    folder = files[0].parent
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        loop = loop_peak = 0.0
        if not skip_loop:
            env = fresh_env(Path(a))
            t0 = time.perf_counter()
            for f in files:
                _t, pss, _r, _o = run_measured([sys.executable, "-m", "gxaudit", "check", str(f), "--json",
                                                "--no-library"], env)
                loop_peak = max(loop_peak, pss)
            loop = time.perf_counter() - t0
        env = fresh_env(Path(b))
        cmd = [sys.executable, "-m", "gxaudit", "batch", str(folder), "--jobs", str(jobs), "--json"]
        first, pss, rss, out = run_measured(cmd, env)
        doc = json.loads(out)
        again, pss2, _rss2, out2 = run_measured(cmd, env)
        cached = sum(r.get("cached", False) for r in json.loads(out2)["reports"])
    t = doc["totals"]
    pairs = sum(1 for r in doc["reports"] if r.get("prior"))
    print(f"season: {len(files)} text-layer PDFs in {folder} ({t['checked']} checked, {t['duplicate']} duplicate, "
          f"{t['unreadable']} unreadable; {pairs} with a prior found in the season)")
    print(f"cores: {os.cpu_count()}  jobs: {jobs}  load average: {os.getloadavg()[0]:.1f}")
    if not skip_loop:
        print(f"loop of `gxaudit check`: {loop:8.1f} s  ({loop / len(files):.2f} s/file, "
              f"peak of one check {loop_peak:.0f} MB PSS)")
    print(f"batch, first run:        {first:8.1f} s  ({len(files) / first:.2f} files/s)" +
          (f"  ratio to loop {first / loop:.2f} (target ≤ 0.30)" if loop else ""))
    print(f"batch peak memory, all processes: {pss:.0f} MB PSS ({rss:.0f} MB RSS summed)  (target ≤ 600 MB)")
    print(f"batch, second run:       {again:8.2f} s  = {100 * again / first:.1f} % of the first "
          f"(target ≤ 5 %); {cached} cached; peak {pss2:.0f} MB PSS")


def bench_gui(n: int = 500) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from gxaudit.core.season import Row
    from gxaudit.ui.batch_page import BatchPage
    app = QApplication.instance() or QApplication([])
    page = BatchPage()
    page.resize(1280, 800)
    page.show()
    rows = [Row(f"/season/报告{i:04d}.pdf", "checked", f"{i:064x}", f"示范县第{i % 97}局", 2018 + i % 7,
                ("通过", "不通过", "通过（有警告）")[i % 3], i % 9, i % 5, 100.0 - (i * 7) % 23,
                ("未审核", "审核中", "已完成", "已签字")[i % 4], f"审核人{i % 6}") for i in range(n)]
    t0 = time.perf_counter()
    page.model.set_rows(rows)
    app.processEvents()
    load = time.perf_counter() - t0
    worst = 0.0
    for col in range(page.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            t0 = time.perf_counter()
            page.view.sortByColumn(col, order)
            page.view.viewport().grab()
            worst = max(worst, time.perf_counter() - t0)
    ours = _scroll(page.view, app)
    # Anchor, same run: the same texts in Qt's own C++ model (QStandardItemModel).
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView
    std = QStandardItemModel(n, page.model.columnCount())
    for r in range(n):
        for c in range(page.model.columnCount()):
            std.setItem(r, c, QStandardItem(page.model.index(r, c).data()))
    anchor_view = QTableView()
    anchor_view.resize(1280, 800)
    anchor_view.setModel(std)
    anchor_view.show()
    anchor = _scroll(anchor_view, app)
    print(f"GUI table, {n} rows: set {load * 1000:.0f} ms; slowest sort+paint {worst * 1000:.0f} ms; "
          f"scroll+paint {ours * 1000:.1f} ms/page vs {anchor * 1000:.1f} ms/page with QStandardItemModel "
          f"(ratio {ours / anchor:.2f})")
    for w in (page, anchor_view):
        w.close()
        w.deleteLater()
    app.processEvents()


def _scroll(view, app) -> float:
    bar = view.verticalScrollBar()
    view.viewport().grab()
    steps, v = 0, 0
    t0 = time.perf_counter()
    while v <= bar.maximum():
        bar.setValue(v)
        view.viewport().grab()
        v += max(1, bar.pageStep())
        steps += 1
    return (time.perf_counter() - t0) / max(steps, 1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dir", default="/tmp/gxaudit-bench-season/pdf")
    ap.add_argument("--skip-loop", action="store_true")
    ap.add_argument("--gui", action="store_true", help="only the GUI table benchmark")
    args = ap.parse_args()
    if args.gui:
        bench_gui()
        return 0
    files = make_season(args.n, Path(args.dir))
    bench_cli(files, args.jobs, args.skip_loop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
