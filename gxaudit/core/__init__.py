"""gxaudit's core: reading, reconstruction, rules and exports.  No Qt here."""
from __future__ import annotations

from .model import Finding, Report, ReportError

__all__ = ["Finding", "Report", "ReportError", "load_report", "open_report", "check_file"]


def load_report(path: str) -> Report:
    """Read a report file of any supported format into a Report."""
    return open_report(path)[0]


def open_report(path: str):
    """Read a report file: ``(report, review)``.  ``review`` is None except for
    a workbook gxaudit exported: then it is the review stored in the
    workbook, and ``report`` is that review's corrected report (edited cells
    with their original values) with the workbook as its source."""
    import copy

    from .files import protect
    from .ingest import read_document
    from .model import SourceInfo
    protect(path)               # nothing this process writes may replace it
    doc = read_document(path)
    review = getattr(doc, "review", None)
    if review is not None:
        report = copy.copy(review.report)
        report.source = SourceInfo(doc.path, "xlsx", None, doc.sha256)
        return report, review
    from .reconstruct import reconstruct
    return reconstruct(doc), None


def check_file(path: str) -> tuple[Report, list[Finding]]:
    from .rules import check
    report = load_report(path)
    return report, check(report)
