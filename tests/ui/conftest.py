"""The Qt tests run as the app does: cyclic garbage collected on the UI thread only."""
from __future__ import annotations

import gc

import pytest


@pytest.fixture(autouse=True)
def _collect_on_ui_thread(qapp):
    from gxaudit.ui import gc_guard
    guard = gc_guard.install(qapp)
    yield
    # A test's closed windows are freed here, on this thread, and never by
    # a later test's worker.
    gc.collect()
    assert not gc.isenabled()
    del guard
