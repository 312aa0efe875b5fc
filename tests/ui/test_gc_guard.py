"""Cyclic garbage (closed windows, PDF handles) is freed on the UI thread,
never on a worker: a worker thread collecting it crashed CI once."""
from __future__ import annotations

import gc
import threading

from gxaudit.ui import gc_guard


class _Cycle:
    """Garbage in a reference cycle that notes which thread frees it."""
    freed_on: list[str] = []

    def __init__(self):
        self.me = self

    def __del__(self):
        _Cycle.freed_on.append(threading.current_thread().name)


def test_a_worker_that_allocates_never_collects_the_ui_threads_garbage(qapp, qtbot):
    guard = gc_guard.install(qapp)
    assert not gc.isenabled()
    _Cycle.freed_on.clear()
    for _ in range(1000):             # more than the first generation holds
        _Cycle()                         # unreachable at once, freed only by a collection

    def churn():                         # enough allocations to cross every threshold
        junk = []
        for i in range(200_000):
            junk.append([i])
            if len(junk) > 1000:
                junk.clear()

    worker = threading.Thread(target=churn, name="worker")
    worker.start()
    worker.join()
    assert _Cycle.freed_on == []         # the worker did not collect
    qtbot.waitUntil(lambda: len(_Cycle.freed_on) == 1000, timeout=5000)
    assert set(_Cycle.freed_on) == {threading.main_thread().name}
    assert guard.timer.isActive()
