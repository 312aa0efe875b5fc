"""Progress and cancellation for slow reading (OCR), without threading them
through every reader's signature.

A caller that shows progress or can cancel wraps the read::

    with reading(progress=lambda done, total, msg: ..., cancel=event.is_set):
        doc = read_document(path)

``progress(done, total, message)`` is called from the reading thread between
pages; ``cancel`` is a callable (or an object with ``is_set()``) checked between
pages — when it turns true the read stops with :class:`ReadingCancelled`.
Readers may also take ``progress``/``cancel`` arguments directly; those win.
"""
from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager

log = logging.getLogger("gxaudit.ingest")

_CTX: contextvars.ContextVar[tuple] = contextvars.ContextVar("gxaudit_reading", default=(None, None))


class ReadingCancelled(Exception):
    """The user cancelled the read."""


@contextmanager
def reading(progress=None, cancel=None):
    token = _CTX.set((progress, cancel))
    try:
        yield
    finally:
        _CTX.reset(token)


def current(progress=None, cancel=None) -> tuple:
    p, c = _CTX.get()
    return (progress if progress is not None else p, cancel if cancel is not None else c)


def is_cancelled(cancel) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def check_cancelled(cancel) -> None:
    if is_cancelled(cancel):
        raise ReadingCancelled("已取消读取")


def report_progress(progress, done: int, total: int, message: str) -> None:
    if progress is None:
        return
    try:
        progress(done, total, message)
    except Exception:  # noqa: BLE001 - a broken progress display never stops the read
        log.debug("progress callback failed", exc_info=True)
