"""Python's cyclic garbage collector runs in whichever thread happens to
allocate when a threshold is crossed.  If that is a worker thread, and the
garbage holds Qt objects (a closed window's widgets tied up in a cycle through
a connected lambda) or pypdfium2 handles, their C++ destructors run off the UI
thread, in parallel with it: Qt may crash there, and so may PDFium, which
is not thread-safe.  CI saw exactly that: a segfault "Garbage-collecting"
inside a PDF read on a worker.

So while the window is up, automatic collection is off and the UI thread
collects on a timer, generation by generation with the interpreter's own
thresholds (the pattern pyqtgraph and others use).  Reference counting still
frees everything not in a cycle at once, on whatever thread drops it."""
from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger("gxaudit.ui")

INTERVAL_MS = 500


class UiThreadCollector(QObject):
    """Collects cyclic garbage on the UI thread only; see the module text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        gc.disable()
        self.timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for gen in (2, 1, 0):
            if counts[gen] > self.threshold[gen]:
                gc.collect(gen)
                return

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()


def install(app) -> UiThreadCollector:
    """Turn automatic collection off and collect on ``app``'s thread (once per app)."""
    guard = getattr(app, "_gx_gc_guard", None)
    if guard is None:
        guard = UiThreadCollector(app)
        app._gx_gc_guard = guard
    return guard
