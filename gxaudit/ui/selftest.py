"""`gxaudit --self-test REPORT OUTDIR`: the app checks itself end to end, as
the packaged binary's smoke test — start (offscreen where there is no
display), open a report through the window's own loading path, run the
checks, export the workbook, the summary PDF and the JSON, quit.

Exit 0 when everything was written; 1 when an export failed; 2 when the
report could not be read; 3 on a time-out.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path


def run_self_test(report: str, outdir: str, timeout_s: int = 180) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer

    from .app import make_app
    from .main_window import MainWindow

    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    app = make_app()
    win = MainWindow(store_root=tempfile.mkdtemp(prefix="gxaudit-selftest-"))
    win.show()
    state = {"rc": 3}

    def say(text: str) -> None:
        print(f"self-test: {text}", flush=True)

    def loaded(review) -> None:
        try:
            from ..core.export.json import report_document
            from ..core.export.summary import export_summary_pdf
            from ..core.export.xlsx import export_workbook
            rep = review.report
            say(f"opened {rep.source.path} ({rep.source.format}, {rep.agency} {rep.year}, "
                f"{len(review.findings())} findings)")
            doc = report_document(rep, review.findings())
            (out / "self-test.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
            export_workbook(review, out / "self-test.xlsx")
            say(f"workbook {out / 'self-test.xlsx'}")
            export_summary_pdf(review, out / "self-test.pdf")
            say(f"summary {out / 'self-test.pdf'}")
            state["rc"] = 0
        except Exception as exc:  # noqa: BLE001 - reported, exit code 1
            say(f"FAILED: {type(exc).__name__}: {exc}")
            state["rc"] = 1
        app.quit()

    def failed(message: str) -> None:
        say(f"could not open the report: {message}")
        state["rc"] = 2
        app.quit()

    win.reviewLoaded.connect(loaded)
    win.loadFailed.connect(failed)
    QTimer.singleShot(timeout_s * 1000, app.quit)
    QTimer.singleShot(0, lambda: win.open_path(report))
    app.exec()
    if state["rc"] == 3:
        say("timed out")
    return state["rc"]
