"""Background work in Anki's CollectionOp shape: run a function on a thread
pool, deliver ``on_done`` / ``on_failed`` on the UI thread, report progress,
cancel.  A ``Runner`` runs its operations one at a time, in order."""
from __future__ import annotations

import logging
import threading
import traceback
from collections import deque

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("gxaudit.ui")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class _Task(QRunnable):
    def __init__(self, fn, args, kwargs):
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = _Signals()
        self.setAutoDelete(False)        # the Operation keeps it (and its signals) alive

    def run(self):
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - delivered to the UI thread
            log.debug("task failed: %s", traceback.format_exc())
            self.signals.failed.emit(exc)
            return
        self.signals.done.emit(result)


class Operation(QObject):
    """One background operation.  ``cancel()`` sets ``cancel_event`` (which a
    cooperative ``fn`` may watch) and makes the callbacks never fire.

    With ``with_progress=True`` the function is called with two more keyword
    arguments, ``progress(done, total, message)`` and ``cancel`` (an Event);
    ``on_progress`` hears about each call on the UI thread."""

    finished = Signal()

    def __init__(self, fn, *args, on_done=None, on_failed=None, on_progress=None,
                 with_progress=False, parent=None):
        super().__init__(parent)
        self.cancelled = False
        self.running = False
        self.cancel_event = threading.Event()
        self._on_done, self._on_failed, self._on_progress = on_done, on_failed, on_progress
        kwargs = {}
        if with_progress:
            kwargs = {"progress": self._report, "cancel": self.cancel_event}
        self._task = _Task(fn, args, kwargs)
        self._task.signals.done.connect(self._done)
        self._task.signals.failed.connect(self._failed)
        self._task.signals.progress.connect(self._progress)

    def _report(self, done, total, message) -> None:       # worker thread
        if not self.cancel_event.is_set():
            self._task.signals.progress.emit(int(done or 0), int(total or 0), str(message))

    def start(self, pool: QThreadPool | None = None) -> "Operation":
        self.running = True
        (pool or QThreadPool.globalInstance()).start(self._task)
        return self

    def cancel(self):
        self.cancelled = True
        self.cancel_event.set()
        self.running = False

    def _progress(self, done, total, message):
        if not self.cancelled and self._on_progress:
            self._on_progress(done, total, message)

    def _done(self, result):
        self.running = False
        try:
            if not self.cancelled and self._on_done:
                self._on_done(result)
        finally:
            self.finished.emit()

    def _failed(self, exc):
        self.running = False
        try:
            if not self.cancelled and self._on_failed:
                self._on_failed(exc)
        finally:
            self.finished.emit()


class Runner(QObject):
    """Runs operations one at a time, in the order given (library writes,
    printing), so two writers never race.  ``idle`` fires when the queue empties."""

    idle = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._queue: deque[Operation] = deque()
        self.current: Operation | None = None

    def run(self, op: Operation) -> Operation:
        op.setParent(self)
        self._queue.append(op)
        if self.current is None:
            self._next()
        return op

    @property
    def busy(self) -> bool:
        return self.current is not None

    def _next(self) -> None:
        self.current = None
        while self._queue:
            op = self._queue.popleft()
            if op.cancelled:
                continue
            self.current = op
            op.finished.connect(self._finished)
            op.start()
            return
        self.idle.emit()

    def _finished(self) -> None:
        done = self.current
        self._next()
        if done is not None:
            done.deleteLater()

    def cancel_all(self) -> None:
        for op in self._queue:
            op.cancel()
        self._queue.clear()
        if self.current is not None:
            self.current.cancel()
