"""A review: the report as read, the auditor's edits, decisions, notes and log.

The Review is the one thing the GUI changes.  Every change goes through a
method here, is appended to the log (never rewritten: an undo is logged as a
new entry) and is saved at once to the review file — written to a temporary
file, flushed to disk and renamed over the old one — so a killed process or a
power cut loses nothing.

Review files live under the user data directory, one per source file, named
by the source's sha256; an index maps paths to the last sha256 seen, so that
reopening a changed file can be told apart from opening a new one.
"""
from __future__ import annotations

import copy
import datetime as _dt
import getpass
import json
import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .files import atomic_write_json
from .formats import Layouts
from .model import EDITED, Cell, Finding, Report, SourceInfo
from .text import fmt_number

log = logging.getLogger("gxaudit.review")

REVIEW_SCHEMA = 1

# Finding statuses.
OPEN = "open"
ACCEPTED = "accepted"       # confirmed as a real problem of the report
OVERRIDDEN = "overridden"   # dismissed by the auditor (explained, not an error)
CORRECTED = "corrected"     # no longer fires after the auditor's corrections
FINDING_STATUSES = (OPEN, ACCEPTED, OVERRIDDEN, CORRECTED)
FINDING_STATUS_NAMES = {OPEN: "待处理", ACCEPTED: "已确认", OVERRIDDEN: "已豁免", CORRECTED: "已更正"}


def data_dir() -> Path:
    env = os.environ.get("GXAUDIT_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir
    return Path(user_data_dir("gxaudit", appauthor=False))


def reviews_dir() -> Path:
    return data_dir() / "reviews"


def now_iso() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some systems
        return "审核人"


@dataclass
class Decision:
    status: str                 # accepted · overridden
    reason: str
    who: str
    at: str


@dataclass
class LogEntry:
    at: str
    who: str
    action: str                 # open · edit · revert · accept · override · reopen · note
    target: str                 # a cell key or a finding id
    before: object = None
    after: object = None
    reason: str = ""

    def describe(self) -> str:
        names = {"open": "打开报告", "edit": "修改单元格", "revert": "恢复原值", "accept": "确认问题",
                 "override": "豁免问题", "reopen": "重新打开问题", "note": "批注", "undo": "撤销",
                 "redo": "重做", "prior": "更换上年报告"}
        text = f"{names.get(self.action, self.action)} {self.target}"
        if self.action in ("edit", "revert"):
            text += f"：{fmt_number(self.before)} → {fmt_number(self.after)}"
        elif self.action == "prior":
            text += f"：{self.before} → {self.after}"
        if self.reason:
            text += f"（{self.reason}）"
        return text


@dataclass
class FindingState:
    finding: Finding
    status: str
    decision: Decision | None = None


class Review:
    def __init__(self, report: Report, reviewer: str | None = None, path: Path | None = None):
        self.base = report
        self.reviewer = reviewer or default_reviewer()
        self.path = path
        self.edits: dict[str, int | float] = {}
        self.decisions: dict[str, Decision] = {}
        self.notes: dict[str, str] = {}          # cell key or finding id → note; "" key: general
        self.log: list[LogEntry] = []
        self.created = now_iso()
        self.updated = self.created
        self.prior: Report | None = None            # last year's report of the agency
        self.prior_how: str = "none"                # given · library · none
        self.original_findings: list[Finding] = []
        self._report: Report | None = None
        self._findings: list[Finding] | None = None
        self.original_findings = list(self.findings())

    # -- state ------------------------------------------------------------
    @property
    def report(self) -> Report:
        """The report with the auditor's edits applied."""
        if self._report is None:
            rep = copy.copy(self.base)
            rep.cells = dict(self.base.cells)
            for key, value in self.edits.items():
                src = self.base.cells[key]
                rep.cells[key] = Cell(key=key, value=value, raw=src.raw, status=EDITED,
                                      page=src.page, bbox=src.bbox, confidence=src.confidence,
                                      unit=src.unit, note=src.note, original=src.value, line=src.line,
                                      anchor=src.anchor)
            self._report = rep
        return self._report

    def findings(self) -> list[Finding]:
        if self._findings is None:
            from .rules import check
            self._findings = check(self.report, self.prior)
        return self._findings

    def finding_states(self) -> list[FindingState]:
        """Current findings with their status, then the original findings the
        corrections made disappear (status ``corrected``)."""
        current = self.findings()
        ids = {f.id for f in current}
        out = []
        for f in current:
            d = self.decisions.get(f.id)
            out.append(FindingState(f, d.status if d else OPEN, d))
        for f in self.original_findings:
            if f.id not in ids:
                out.append(FindingState(f, CORRECTED, self.decisions.get(f.id)))
        return out

    def open_count(self) -> int:
        return sum(1 for s in self.finding_states() if s.status == OPEN)

    def _changed(self) -> None:
        self._report = None
        self._findings = None
        self.updated = now_iso()
        self.save()

    def _log(self, action, target, before=None, after=None, reason="") -> None:
        self.log.append(LogEntry(now_iso(), self.reviewer, action, target, before, after, reason))

    # -- changes --------------------------------------------------------------
    def value_of(self, key: str):
        return self.report.cells[key].value

    def set_cell(self, key: str, value: int | float | None, reason: str = "",
                 action: str | None = None) -> None:
        """Set a cell's value; ``None`` (or the value read from the source)
        returns the cell to what the source says."""
        if key not in self.base.cells:
            raise KeyError(key)
        before = self.value_of(key)
        src = self.base.cells[key]
        if value is None or (src.known and value == src.value and type(value) is type(src.value)):
            if key not in self.edits:
                return
            del self.edits[key]
            self._log(action or "revert", key, before, src.value, reason)
        else:
            if key in self.edits and self.edits[key] == value:
                return
            self.edits[key] = value
            self._log(action or "edit", key, before, value, reason)
        self._changed()

    def decide(self, finding_id: str, status: str, reason: str) -> None:
        if status not in (ACCEPTED, OVERRIDDEN):
            raise ValueError(status)
        reason = (reason or "").strip()
        if not reason:
            raise ValueError("a reason is required")
        self.decisions[finding_id] = Decision(status, reason, self.reviewer, now_iso())
        self._log("accept" if status == ACCEPTED else "override", finding_id, reason=reason)
        self._changed()

    def reopen(self, finding_id: str, reason: str = "") -> None:
        if self.decisions.pop(finding_id, None) is not None:
            self._log("reopen", finding_id, reason=reason)
            self._changed()

    def restore_decision(self, finding_id: str, decision: Decision | None) -> None:
        """Put back a decision exactly (for undo)."""
        if decision is None:
            self.decisions.pop(finding_id, None)
        else:
            self.decisions[finding_id] = decision
        self._log("undo", finding_id, reason="撤销对问题的处理")
        self._changed()

    def set_prior(self, prior: Report | None, how: str, reason: str = "") -> None:
        """Use another report (or none) as last year's; the cross-year findings follow."""
        before = _prior_label(self.prior)
        if prior is None and how != "declined":
            how = "none"
        self.prior, self.prior_how = prior, how
        # The source's own cross-year findings against this prior count as original
        # findings, so that corrections which clear them show as 已更正.
        from .rules import check
        self.original_findings = [f for f in self.original_findings if not f.rule.startswith("Y-")]
        if prior is not None:
            self.original_findings += [f for f in check(self.base, prior) if f.rule.startswith("Y-")]
        self._log("prior", "上年报告", before, _prior_label(prior), reason)
        self._changed()

    def set_note(self, target: str, text: str) -> None:
        text = text.strip()
        before = self.notes.get(target, "")
        if text == before:
            return
        if text:
            self.notes[target] = text
        else:
            self.notes.pop(target, None)
        self._log("note", target, before, text)
        self._changed()

    # -- persistence ------------------------------------------------------------
    def to_json(self) -> dict:
        src = self.base.source
        return {
            "schema": REVIEW_SCHEMA,
            "source": {"path": src.path, "format": src.format, "pages": src.pages, "sha256": src.sha256},
            "reviewer": self.reviewer,
            "created": self.created,
            "updated": self.updated,
            "report": _report_json(self.base),
            "edits": self.edits,
            "decisions": {k: asdict(v) for k, v in self.decisions.items()},
            "notes": self.notes,
            "log": [asdict(e) for e in self.log],
            "prior_how": self.prior_how,
            "prior": None if self.prior is None else {
                "how": self.prior_how,
                "source": {"path": self.prior.source.path, "format": self.prior.source.format,
                           "pages": self.prior.source.pages, "sha256": self.prior.source.sha256},
                "report": _report_json(self.prior)},
        }

    @classmethod
    def from_json(cls, data: dict, path: Path | None = None) -> "Review":
        if data.get("schema") != REVIEW_SCHEMA:
            raise ValueError(f"unsupported review schema {data.get('schema')}")
        report = _report_from_json(data["report"], data["source"])
        rv = cls.__new__(cls)
        rv.base = report
        rv.reviewer = data.get("reviewer") or default_reviewer()
        rv.path = path
        rv.edits = {k: v for k, v in data.get("edits", {}).items() if k in report.cells}
        rv.decisions = {k: Decision(**v) for k, v in data.get("decisions", {}).items()}
        rv.notes = dict(data.get("notes", {}))
        rv.log = [LogEntry(**e) for e in data.get("log", [])]
        rv.created = data.get("created", now_iso())
        rv.updated = data.get("updated", rv.created)
        rv._report = None
        rv._findings = None
        rv.prior, rv.prior_how = None, data.get("prior_how", "none")
        pd = data.get("prior")
        if pd:
            rv.prior = _report_from_json(pd["report"], pd["source"])
            rv.prior_how = pd.get("how", "given")
        from .rules import check
        rv.original_findings = check(report, rv.prior)
        return rv

    def save(self) -> None:
        if self.path is None:
            return
        atomic_write_json(self.path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> "Review":
        with open(path, encoding="utf-8") as fh:
            return cls.from_json(json.load(fh), path)


def _prior_label(prior: Report | None) -> str:
    if prior is None:
        return "无"
    return f"{prior.agency or '未识别机关'} {prior.year or '?'}年度（{os.path.basename(prior.source.path)}）"


# -- the report inside a review file ---------------------------------------------

def _report_json(report: Report) -> dict:
    d = {
        "agency": report.agency, "year": report.year, "template": report.template,
        "published": report.published, "layouts": report.layouts.as_dict(),
        "title_year": report.title_year, "period_year": report.period_year,
        "sections": report.sections, "reading_notes": report.reading_notes,
        "duplicates": report.duplicates, "missing_rows": report.missing_rows,
        "fingerprints": report.fingerprints,
        "narrative": report.narrative.to_dict() if report.narrative is not None else None,
        "cells": {k: {f: getattr(c, f) for f in ("value", "raw", "status", "page", "bbox",
                                                 "confidence", "unit", "note", "reason", "line",
                                                 "anchor")}
                  for k, c in report.cells.items()},
    }
    return d


def _report_from_json(d: dict, src: dict) -> Report:
    cells = {}
    for k, c in d["cells"].items():
        bbox = tuple(c["bbox"]) if c.get("bbox") else None
        cells[k] = Cell(key=k, value=c.get("value"), raw=c.get("raw", ""), status=c["status"],
                        page=c.get("page"), bbox=bbox, confidence=c.get("confidence", 1.0),
                        unit=c.get("unit"), note=c.get("note"), reason=c.get("reason"),
                        line=c.get("line"), anchor=c.get("anchor"))
    return Report(
        source=SourceInfo(src["path"], src["format"], src.get("pages"), src.get("sha256", "")),
        agency=d.get("agency"), year=d.get("year"), template=d.get("template", "unknown"),
        published=d.get("published"), layouts=Layouts(**d.get("layouts", {})), cells=cells,
        title_year=d.get("title_year"), period_year=d.get("period_year"),
        sections=d.get("sections", {}), reading_notes=d.get("reading_notes", []),
        duplicates=d.get("duplicates", []), missing_rows=d.get("missing_rows", []),
        fingerprints=d.get("fingerprints", {}), narrative=_narrative_from(d.get("narrative")),
    )


def _narrative_from(data):
    if not data:
        return None
    from .narrative import Narrative
    try:
        return Narrative.from_dict(data)
    except (TypeError, KeyError, ValueError):
        return None


# -- the store ------------------------------------------------------------------

@dataclass
class OpenResult:
    review: Review
    restored: bool                   # an earlier review of this very file was restored
    source_changed: bool = False     # a review of this path exists for other contents
    previous_review: Path | None = None
    notes: list[str] = field(default_factory=list)


class ReviewStore:
    """Review files under the data directory, by source sha256."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else reviews_dir()

    def path_for(self, sha256: str) -> Path:
        return self.root / f"{sha256}.review.json"

    def _index_path(self) -> Path:
        return self.root / "index.json"

    def _index(self) -> dict:
        try:
            with open(self._index_path(), encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return {}

    def _remember(self, source_path: str, sha256: str) -> None:
        idx = self._index()
        idx[os.path.abspath(source_path)] = sha256
        atomic_write_json(self._index_path(), idx)

    def open(self, report: Report, reviewer: str | None = None) -> OpenResult:
        """The review of this report: restored if one was saved for the same
        contents, else a new one (and whether this path had other contents)."""
        sha = report.source.sha256
        path = self.path_for(sha)
        if path.exists():
            try:
                rv = Review.load(path)
                rv.base.source.path = report.source.path
                self._remember(report.source.path, sha)
                return OpenResult(rv, restored=True)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                broken = path.with_suffix(f".damaged-{_dt.datetime.now():%Y%m%d%H%M%S}.json")
                os.replace(path, broken)
                log.warning("review file %s is damaged (%s); set aside as %s", path, exc, broken)
                res = self._new(report, reviewer, path)
                res.notes.append(f"审核记录文件已损坏，已另存为 {broken.name}，重新开始审核。")
                return res
        prev = self._index().get(os.path.abspath(report.source.path))
        res = self._new(report, reviewer, path)
        if prev and prev != sha and self.path_for(prev).exists():
            res.source_changed = True
            res.previous_review = self.path_for(prev)
        return res

    def _new(self, report: Report, reviewer: str | None, path: Path) -> OpenResult:
        rv = Review(report, reviewer, path)
        rv._log("open", report.source.path)
        rv.save()
        self._remember(report.source.path, report.source.sha256)
        return OpenResult(rv, restored=False)
