"""gxaudit's core: reading, reconstruction, rules and exports.  No Qt here.

Whole tasks live in :mod:`gxaudit.core.session`; the helpers below are thin
names kept for callers and tests, each one line over the session layer."""
from __future__ import annotations

from .model import Finding, Report, ReportError

__all__ = ["Finding", "Report", "ReportError", "load_report", "open_report", "check_file"]


def load_report(path: str) -> Report:
    """Read a report file of any supported format into a Report."""
    from .session import load_report as _load
    return _load(path)


def open_report(path: str):
    """``(report, review)``; ``review`` is None except for a workbook gxaudit
    exported (see :func:`gxaudit.core.session.open_report`)."""
    from .session import open_report as _open
    opened = _open(path)
    return opened.report, opened.review


def check_file(path: str) -> tuple[Report, list[Finding]]:
    from .session import check_path
    checked = check_path(path)
    return checked.report, checked.findings
