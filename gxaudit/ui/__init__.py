"""gxaudit's Qt interface: a view of a core Review and a sender of edits.
It never parses, sums or writes report files itself."""
from __future__ import annotations

import sys


def _shield_none_refcount() -> None:
    """PySide6 6.12.0 on CPython 3.11 returns ``None`` from every void method
    (``setPen``, ``setColumnWidth``, …) without taking a reference, so each
    call drops None's reference count by one; a few thousand calls later the
    interpreter aborts with "none_dealloc: deallocating None".  From 3.12 on
    None is immortal and nothing happens.  On 3.11 give None a reference
    count no session can use up (it is never freed anyway)."""
    if sys.version_info >= (3, 12):
        return
    import ctypes
    refcnt = ctypes.c_ssize_t.from_address(id(None))
    if refcnt.value < 1 << 40:
        refcnt.value += 1 << 50


_shield_none_refcount()
