"""Logging: named loggers (gxaudit.ingest, .rules, .ui …) into a rotating file
under the platform's log directory.  Nothing is printed to the console."""
from __future__ import annotations

import logging
import logging.handlers
import os

_DONE = False


def log_dir() -> str:
    from .core.paths import log_dir as _log_dir
    return str(_log_dir())


def setup_logging(level: int = logging.INFO) -> str | None:
    """Send gxaudit's log records to gxaudit.log; returns its path (None if
    the directory cannot be written, in which case logging stays silent)."""
    global _DONE
    root = logging.getLogger("gxaudit")
    if _DONE:
        return getattr(root, "_gxaudit_log_path", None)
    _DONE = True
    root.setLevel(level)
    root.propagate = False
    try:
        d = log_dir()
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, "gxaudit.log")
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
    except OSError:
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root._gxaudit_log_path = path  # type: ignore[attr-defined]
    return path
