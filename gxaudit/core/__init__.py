"""gxaudit's core: reading, reconstruction, rules and exports.  No Qt here."""
from __future__ import annotations

from .model import Finding, Report, ReportError

__all__ = ["Finding", "Report", "ReportError", "load_report", "check_file"]


def load_report(path: str) -> Report:
    """Read a report file of any supported format into a Report."""
    from .ingest import read_document
    from .reconstruct import reconstruct
    return reconstruct(read_document(path))


def check_file(path: str) -> tuple[Report, list[Finding]]:
    from .rules import check
    report = load_report(path)
    return report, check(report)
