"""Run a function on the thread pool and deliver its result on the UI thread
(Anki's CollectionOp shape).  Cancelling drops the result; the window never
waits on the worker."""
from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("gxaudit.ui")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn, args):
        super().__init__()
        self.fn, self.args = fn, args
        self.signals = _Signals()
        self.setAutoDelete(True)

    def run(self):
        try:
            result = self.fn(*self.args)
        except BaseException as exc:  # noqa: BLE001 - delivered to the UI thread
            log.debug("task failed: %s", traceback.format_exc())
            self.signals.failed.emit(exc)
            return
        self.signals.done.emit(result)


class Operation(QObject):
    """One background operation; ``cancel()`` makes its callbacks never fire."""

    def __init__(self, fn, *args, on_done=None, on_failed=None, parent=None):
        super().__init__(parent)
        self.cancelled = False
        self.running = True
        self._on_done, self._on_failed = on_done, on_failed
        self._task = _Task(fn, args)
        self._task.signals.done.connect(self._done)
        self._task.signals.failed.connect(self._failed)

    def start(self, pool: QThreadPool | None = None) -> "Operation":
        (pool or QThreadPool.globalInstance()).start(self._task)
        return self

    def cancel(self):
        self.cancelled = True
        self.running = False

    def _done(self, result):
        self.running = False
        if not self.cancelled and self._on_done:
            self._on_done(result)

    def _failed(self, exc):
        self.running = False
        if not self.cancelled and self._on_failed:
            self._on_failed(exc)
