"""PDFium is not thread-safe, and ctypes lets go of the GIL during each call:
two threads inside pypdfium2 at once (the window opening one report while
another reads last year's) may crash the process.  Every use of pypdfium2
in gxaudit holds this lock and closes what it opened before letting go, so
no PDFium handle outlives it for the garbage collector to free elsewhere."""
from __future__ import annotations

import threading

PDFIUM = threading.RLock()
