"""Whole tasks without Qt: open a file, check a path, open a file for review.

The one way every front end opens and checks a file: the GUI
(``ui.main_window.load_for_review`` → :func:`open_for_review`), ``gxaudit
check`` (:func:`check_path`), ``gxaudit export`` (:func:`open_review_file`)
and ``gxaudit batch`` (:func:`check_path` with ``prior`` a Report and no
library: a drop-in for ``open_report`` + ``rules.check``).

A workbook gxaudit exported is a review file, not a source: it is routed to
the review it carries (:func:`open_report` gives that review's corrected
report with the workbook as its source, and the review itself).
"""
from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from .files import protect
from .history import LibraryError
from .ingest import parse_document, read_source
from .ingest.progress import reading
from .ingest.text import decode
from .ingest.workbook import read_review_data
from .model import Finding, Report, ReportError, SourceInfo, with_outside
from .prior import LIBRARY, PriorChoice, resolve_prior
from .reconstruct import reconstruct
from .reread import reading_findings
from .review import Review, ReviewStore
from .rules import check

log = logging.getLogger("gxaudit.session")

PriorArg = Union[str, Report, None]


@dataclass
class Opened:
    """A file as read: its report, the review it carries (an exported
    workbook), and its text for the source view."""
    report: Report
    review: Review | None = None
    text: str = ""

    @property
    def is_workbook(self) -> bool:
        return self.review is not None


@dataclass
class Checked:
    """A file read and checked (``gxaudit check``, one row of a batch)."""
    report: Report
    findings: list[Finding]
    review: Review | None = None
    prior: PriorChoice = field(default_factory=lambda: PriorChoice(None, "none"))
    notes: list[str] = field(default_factory=list)   # what to tell the user (one line each)

    @property
    def is_workbook(self) -> bool:
        return self.review is not None


@dataclass
class OpenedReview:
    """A file opened for review (the GUI): the review restored or begun."""
    review: Review
    restored: bool                   # an earlier review of this very file was restored
    text: str = ""
    source_changed: bool = False     # a review of this path exists for other contents
    previous_review: Path | None = None
    notes: list[str] = field(default_factory=list)


# -- reading ------------------------------------------------------------------------

def _workbook_review(data: bytes) -> Review:
    d = read_review_data(data)
    try:
        return Review.from_json(d)
    except (KeyError, TypeError, ValueError) as exc:
        log.info("stored review unusable: %r", exc)
        raise ReportError("工作簿中的审核数据不完整或版本不符，无法读取。") from exc


def _workbook_text(review: Review) -> str:
    rep = review.base
    return "\n".join([
        f"gxaudit 审核工作簿：{rep.agency or '（未识别机关名称）'} {rep.year or ''}年度政府信息公开工作年度报告",
        f"原始来源：{rep.source.path}（{rep.source.format}，sha256 {rep.source.sha256}）",
        f"审核人：{review.reviewer}；最后修改：{review.updated}",
    ])


def open_report(path: str, progress=None, cancel=None) -> Opened:
    """Read a file of any supported kind.  For a workbook gxaudit exported the
    report is the stored review's corrected report (edited cells keep their
    original values) with the workbook as its source."""
    protect(path)               # nothing this process writes may replace it
    data, sha, kind = read_source(path)
    if kind == "xlsx":
        review = _workbook_review(data)
        report = copy.copy(review.report)
        report.source = SourceInfo(path, "xlsx", None, sha)
        return Opened(report, review, _workbook_text(review))
    with reading(progress, cancel):
        doc = parse_document(path, data, sha, kind)
    report = reconstruct(doc)
    text = decode(data).replace("\r\n", "\n") if doc.kind == "text" else doc.text
    return Opened(report, None, text)


def load_report(path: str) -> Report:
    return open_report(path).report


def load_prior_file(path: str) -> Report:
    """Last year's report from any supported file, or from a saved review
    (whose corrected values are used)."""
    if path.endswith(".review.json"):
        try:
            return Review.load(path).report
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ReportError(f"无法读取上年审核记录：{path}") from exc
    return load_report(path)


def open_review_file(path: str) -> Review:
    """A saved review (``.review.json``) or the review inside an exported
    workbook (``gxaudit export``).  OSError, JSON and ReportError pass through."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK"):
        review = open_report(path).review
        if review is None:
            raise ReportError("这不是审核记录文件，也不是 gxaudit 导出的工作簿。")
        return review
    protect(path)
    return Review.load(path)


# -- checking -----------------------------------------------------------------------

def _library(library):
    """``library`` may be given as a function, called only once the file is read."""
    return library() if callable(library) else library


def check_path(path: str, prior: PriorArg = None, library=None) -> Checked:
    """Read and check one file as ``gxaudit check`` does.  ``prior``: last
    year's report, or its path (any supported file or a ``.review.json``), or
    None to look it up in ``library``.  With a library the report (not an
    exported workbook) is recorded in it.  ReportError when unreadable."""
    opened = open_report(path)
    library = _library(library)
    given = load_prior_file(prior) if isinstance(prior, str) else prior
    choice = resolve_prior(opened.report, given, library)
    notes = []
    if library is not None and opened.review is None:   # an exported workbook is no source
        try:
            library.add(opened.report)
        except LibraryError as exc:                     # a lock taken meanwhile only skips that
            notes.append(f"{exc}本报告未记入报告库。")
    findings = check(opened.report, choice.report)
    outside = reading_findings(opened.report, findings)   # F-READ: a second reading of a PDF's cells
    if library is not None and opened.review is None:   # C-OTHER: paragraphs of other agencies' reports
        from .narrative.index import library_findings
        outside += library_findings(opened.report, library)
    findings = with_outside(findings, outside)
    return Checked(opened.report, findings, opened.review, choice, notes)


def fresh_review(checked: Checked, why: str = "命令行") -> Review:
    """The review to export for a checked file: the one an exported workbook
    carries, else a new one of what was read (no edits, no decisions)."""
    if checked.review is not None:
        return checked.review
    review = Review(checked.report)
    if checked.prior.report is not None:
        review.set_prior(checked.prior.report, checked.prior.how, why)
    return review


# -- the review workspace ------------------------------------------------------------

def _open_workbook_review(opened: Opened, store: ReviewStore) -> OpenedReview:
    """An exported workbook's review, continued in the store under the
    workbook's own sha256 (never over the review of the original source)."""
    path = store.path_for(opened.report.source.sha256)
    if path.exists():
        try:
            return OpenedReview(Review.load(path), True, opened.text)
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("review file %s unusable; starting again from the workbook", path)
    review = opened.review
    review.path = path
    store.save(review)
    return OpenedReview(review, False, opened.text)


def _find_prior(review: Review, report: Report, library, notes: list[str]) -> None:
    if review.prior is not None or review.prior_how not in ("none", "library"):
        return
    choice = resolve_prior(report, None, library)
    if choice.report is not None:
        review.set_prior(choice.report, LIBRARY, "报告库自动匹配")
    elif choice.note and choice.candidates:
        notes.append(choice.note)


def _outside_findings(review: Review, library) -> None:
    """What ``gxaudit check`` adds to the rules, in the review too: F-READ
    (a second reading of a PDF's cells) and C-OTHER (paragraphs of other
    agencies' reports in the library)."""
    from .narrative.index import library_findings
    found = reading_findings(review.base, review.original_findings)
    if library is not None:
        try:
            found += library_findings(review.base, library)
        except Exception:  # noqa: BLE001 - the review works without the library
            log.warning("no library comparison for %s", review.base.source.path, exc_info=True)
    review.set_outside(found)


def open_for_review(path: str, *, store: ReviewStore, library=None, progress=None,
                    cancel=None) -> OpenedReview:
    """Read a file and open its review (restored when one was saved for the
    same contents); find last year's report in the library; record the report
    there; run the rules once (so a front end need not)."""
    opened = open_report(path, progress, cancel)
    if opened.review is not None:
        result = _open_workbook_review(opened, store)
    else:
        res = store.open(opened.report)
        result = OpenedReview(res.review, res.restored, opened.text, res.source_changed,
                              res.previous_review, list(res.notes))
    owned = callable(library)              # opened here for this file: closed here
    library = _library(library)
    try:
        if library is not None and opened.review is None:
            _find_prior(result.review, opened.report, library, result.notes)
            try:
                library.add(result.review.report, reviewed=bool(result.review.edits))
            except Exception:  # noqa: BLE001 - the review works without the library
                log.warning("could not record %s in the report library", path, exc_info=True)
            if library.notice:
                result.notes.append(library.notice)
        if opened.review is None:
            _outside_findings(result.review, library)
    finally:
        if owned and library is not None:
            library.close()
    result.review.findings()
    return result

