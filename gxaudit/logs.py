"""Logging: named loggers (gxaudit.ingest, .rules, .ui …) into a rotating file
under the platform's log directory.  Nothing is printed to the console."""
from __future__ import annotations

import logging
import os

_DONE = False
MAX_BYTES = 2_000_000
BACKUPS = 3


def log_dir() -> str:
    from .core.paths import log_dir as _log_dir
    return str(_log_dir())


def _file_handler(path: str, long_running: bool) -> logging.Handler:
    """A rotating file (MAX_BYTES, BACKUPS old files) for a process that may
    log for long (the window, batch) or when the file is already full; a plain
    appending file for a one-report command, which writes a few lines:
    importing logging.handlers (socket, pickle, queue) costs a command more
    than its rules take to run."""
    try:
        full = os.path.getsize(path) >= MAX_BYTES
    except OSError:
        full = False
    if long_running or full:
        from logging.handlers import RotatingFileHandler
        return RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    return logging.FileHandler(path, encoding="utf-8")


def setup_logging(level: int = logging.INFO, long_running: bool = True) -> str | None:
    """Send gxaudit's log records to gxaudit.log; returns its path (None if
    the directory cannot be written, in which case logging stays silent).
    ``long_running``: False for a command that reads one report and exits."""
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
        handler = _file_handler(path, long_running)
    except OSError:
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root._gxaudit_log_path = path  # type: ignore[attr-defined]
    return path
