"""A review: the report as read, the auditor's edits, decisions, notes and log.

The Review is plain state, the one thing the GUI changes.  Every change goes
through a mutator here, is appended to the log (never rewritten: an undo is
logged as a new entry) and returns what it touched (:class:`Change`).  The
findings are recomputed by the mutators that change what the rules read (a
cell, last year's report), nowhere else.

Saving is the store's job: :meth:`ReviewStore.save` writes the review file at
once — to a temporary file, flushed to disk and renamed over the old one — so
a killed process or a power cut loses nothing.  Front ends save after every
change (the GUI's one after-change hook).

Review files live under the user data directory, one per source file, named
by the source's sha256; an index maps paths to the last sha256 seen, so that
reopening a changed file can be told apart from opening a new one.
"""
from __future__ import annotations

import copy
import datetime as _dt
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .files import atomic_write_json
from .model import EDITED, Cell, Finding, Report, ReportError, with_outside
from .paths import data_dir, reviews_dir  # noqa: F401 - data_dir kept for callers
from .review_schema import REVIEW_SCHEMA, ReviewDamaged, ReviewTooNew, validate
from .review_types import (ACCEPTED, CORRECTED, FINDING_STATUS_NAMES, FINDING_STATUSES,  # noqa: F401
                           NO_CHANGE, OPEN, OVERRIDDEN, Change, Decision, FindingState, LogEntry,
                           ReviewSnapshot, default_reviewer, finding_states, now_iso, review_dict)
from .rules import check

log = logging.getLogger("gxaudit.review")

# A killed save leaves ``NAME.XXXXXXXX.tmp`` (files.atomic_path); one older
# than this is stale: no live save takes that long.
STALE_TEMP_SECONDS = 600

__all__ = ["REVIEW_SCHEMA", "ReviewDamaged", "ReviewTooNew", "Review", "ReviewStore", "OpenResult",
           "Change", "ReviewSnapshot"]

class Review:
    """Plain state: the report as read (``base``), edits, decisions, notes,
    the log, last year's report, and the findings of the current state."""

    def __init__(self, report: Report, reviewer: str | None = None, path: Path | None = None, *,
                 edits: dict | None = None, decisions: dict | None = None, notes: dict | None = None,
                 log_entries: list | None = None, created: str | None = None,
                 updated: str | None = None, prior: Report | None = None, prior_how: str = "none"):
        self.base = report
        self.reviewer = reviewer or default_reviewer()
        self.path = path                             # where the store keeps it (None: nowhere)
        self.edits: dict[str, int | float] = {k: v for k, v in (edits or {}).items() if k in report.cells}
        self.decisions: dict[str, Decision] = dict(decisions or {})
        self.notes: dict[str, str] = dict(notes or {})   # cell key or finding id → note; "": general
        self.log: list[LogEntry] = list(log_entries or [])
        self.created = created or now_iso()
        self.updated = updated or self.created
        self.prior: Report | None = prior            # last year's report of the agency
        self.prior_how: str = prior_how              # given · library · none · declined
        # Findings against other reports (C-OTHER: a paragraph of another agency's
        # report in the library), set when the review is opened; no edit changes them.
        self.outside: list[Finding] = []
        # The findings of the source as read (with this prior): what corrections clear.
        self.original_findings: list[Finding] = check(report, prior)
        self.report: Report = self._apply_edits()
        self._findings: list[Finding] = (list(self.original_findings) if not self.edits
                                         else check(self.report, self.prior))

    # -- reading the state ------------------------------------------------------
    def _apply_edits(self) -> Report:
        """The report with the auditor's edits applied."""
        rep = copy.copy(self.base)
        rep.cells = dict(self.base.cells)
        for key, value in self.edits.items():
            src = self.base.cells[key]
            rep.cells[key] = Cell(key=key, value=value, raw=src.raw, status=EDITED,
                                  page=src.page, bbox=src.bbox, confidence=src.confidence,
                                  unit=src.unit, note=src.note, original=src.value, line=src.line,
                                  anchor=src.anchor)
        return rep

    def recheck(self) -> None:
        """Apply the edits and run the rules again (the one place they run)."""
        self.report = self._apply_edits()
        self._findings = with_outside(check(self.report, self.prior), self.outside)

    def findings(self) -> list[Finding]:
        return self._findings

    def finding_states(self) -> list[FindingState]:
        """Current findings with their status, then the original findings the
        corrections made disappear (status ``corrected``)."""
        return finding_states(self._findings, self.original_findings, self.decisions)

    def open_count(self) -> int:
        return sum(1 for s in self.finding_states() if s.status == OPEN)

    def value_of(self, key: str):
        return self.report.cells[key].value

    def snapshot(self) -> ReviewSnapshot:
        """A frozen copy for exporters, its finding states computed once."""
        return ReviewSnapshot(
            base=self.base, report=self.report, reviewer=self.reviewer, created=self.created,
            updated=self.updated, edits=dict(self.edits), decisions=dict(self.decisions),
            notes=dict(self.notes), log=tuple(self.log), prior=self.prior, prior_how=self.prior_how,
            original_findings=tuple(self.original_findings), current=tuple(self._findings),
            states=tuple(self.finding_states()), path=self.path)

    def _log(self, action, target, before=None, after=None, reason="") -> None:
        self.log.append(LogEntry(now_iso(), self.reviewer, action, target, before, after, reason))
        self.updated = now_iso()

    # -- changes ----------------------------------------------------------------
    def set_cell(self, key: str, value: int | float | None, reason: str = "",
                 action: str | None = None) -> Change:
        """Set a cell's value; ``None`` (or the value read from the source)
        returns the cell to what the source says."""
        if key not in self.base.cells:
            raise KeyError(key)
        before = self.value_of(key)
        src = self.base.cells[key]
        if value is None or (src.known and value == src.value and type(value) is type(src.value)):
            if key not in self.edits:
                return NO_CHANGE
            del self.edits[key]
            self._log(action or "revert", key, before, src.value, reason)
        else:
            if key in self.edits and self.edits[key] == value:
                return NO_CHANGE
            self.edits[key] = value
            self._log(action or "edit", key, before, value, reason)
        self.recheck()
        return Change(keys=frozenset({key}), findings_changed=True)

    def clear_cell(self, key: str, reason: str = "清空单元格", action: str | None = None) -> Change:
        """Make a cell blank (no number): an edit whose value is None, so the
        cell is unknown to the rules like a blank one and the source value stays."""
        if key not in self.base.cells:
            raise KeyError(key)
        if key in self.edits and self.edits[key] is None:
            return NO_CHANGE
        before = self.value_of(key)
        self.edits[key] = None
        self._log(action or "edit", key, before, None, reason)
        self.recheck()
        return Change(keys=frozenset({key}), findings_changed=True)

    def decide(self, finding_id: str, status: str, reason: str) -> Change:
        if status not in (ACCEPTED, OVERRIDDEN):
            raise ValueError(status)
        reason = (reason or "").strip()
        if not reason:
            raise ValueError("a reason is required")
        self.decisions[finding_id] = Decision(status, reason, self.reviewer, now_iso())
        self._log("accept" if status == ACCEPTED else "override", finding_id, reason=reason)
        return Change(decisions=frozenset({finding_id}))

    def reopen(self, finding_id: str, reason: str = "") -> Change:
        if self.decisions.pop(finding_id, None) is None:
            return NO_CHANGE
        self._log("reopen", finding_id, reason=reason)
        return Change(decisions=frozenset({finding_id}))

    def restore_decision(self, finding_id: str, decision: Decision | None) -> Change:
        """Put back a decision exactly (for undo)."""
        if decision is None:
            self.decisions.pop(finding_id, None)
        else:
            self.decisions[finding_id] = decision
        self._log("undo", finding_id, reason="撤销对问题的处理")
        return Change(decisions=frozenset({finding_id}))

    def set_prior(self, prior: Report | None, how: str, reason: str = "") -> Change:
        """Use another report (or none) as last year's; the cross-year findings follow."""
        before = _prior_label(self.prior)
        if prior is None and how != "declined":
            how = "none"
        self.prior, self.prior_how = prior, how
        # The source's own cross-year findings against this prior count as original
        # findings, so that corrections which clear them show as 已更正.
        self.original_findings = [f for f in self.original_findings if not f.rule.startswith("Y-")]
        if prior is not None:
            self.original_findings += [f for f in check(self.base, prior) if f.rule.startswith("Y-")]
        self._log("prior", "上年报告", before, _prior_label(prior), reason)
        self.recheck()
        return Change(findings_changed=True, prior=True)

    def set_outside(self, findings: list[Finding]) -> Change:
        """The findings against other reports (computed by the session)."""
        old = {f.id for f in self.outside}
        self.outside = list(findings)
        if {f.id for f in self.outside} == old:
            return NO_CHANGE
        self.original_findings = with_outside([f for f in self.original_findings if f.id not in old], self.outside)
        self._findings = with_outside([f for f in self._findings if f.id not in old], self.outside)
        return Change(findings_changed=True)

    def set_note(self, target: str, text: str) -> Change:
        text = text.strip()
        before = self.notes.get(target, "")
        if text == before:
            return NO_CHANGE
        if text:
            self.notes[target] = text
        else:
            self.notes.pop(target, None)
        self._log("note", target, before, text)
        return Change(notes=frozenset({target}))

    # -- the review file's JSON -------------------------------------------------
    def to_json(self) -> dict:
        return review_dict(self)

    @classmethod
    def from_json(cls, data: dict, path: Path | None = None) -> "Review":
        validate(data)
        report = Report.from_dict(data["report"], data["source"])
        prior, prior_how = None, data.get("prior_how", "none")
        pd = data.get("prior")
        if pd:
            prior = Report.from_dict(pd["report"], pd["source"])
            prior_how = pd.get("how", "given")
        return cls(report, data.get("reviewer"), path, edits=data.get("edits", {}),
                   decisions={k: Decision(**v) for k, v in data.get("decisions", {}).items()},
                   notes=data.get("notes", {}), log_entries=[LogEntry(**e) for e in data.get("log", [])],
                   created=data.get("created"), updated=data.get("updated"),
                   prior=prior, prior_how=prior_how)

    @classmethod
    def load(cls, path: Path | str) -> "Review":
        """The review saved in ``path``.  OSError: the file cannot be read (it
        is not damaged for that); ReviewDamaged: it cannot be parsed or has the
        wrong shape; ReviewTooNew: saved by a newer gxaudit."""
        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:   # JSONDecodeError is a ValueError
            raise ReviewDamaged("审核记录不是有效的 JSON 文件") from exc
        except RecursionError as exc:
            raise ReviewDamaged("审核记录嵌套过深") from exc
        validate(data)
        try:
            return cls.from_json(data, Path(path))
        except (KeyError, TypeError, ValueError) as exc:
            raise ReviewDamaged(f"审核记录的内容不一致（{type(exc).__name__}）") from exc


def _prior_label(prior: Report | None) -> str:
    if prior is None:
        return "无"
    return f"{prior.agency or '未识别机关'} {prior.year or '?'}年度（{os.path.basename(prior.source.path)}）"


# -- the report inside a review file (model.py's one dict form; batch uses these) ----

def _report_json(report: Report) -> dict:
    return report.to_dict()


def _report_from_json(d: dict, src: dict) -> Report:
    return Report.from_dict(d, src)


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
        """path → sha256 of the last contents seen; anything unreadable is an empty index."""
        try:
            with open(self._index_path(), encoding="utf-8") as fh:
                idx = json.load(fh)
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(idx, dict):
            return {}
        return {k: v for k, v in idx.items() if isinstance(v, str)}

    def _remember(self, source_path: str, sha256: str) -> str | None:
        """Update the index; a failure (disk full, index.json a directory) is
        only logged and told — it never touches a review."""
        idx = self._index()
        idx[os.path.abspath(source_path)] = sha256
        try:
            atomic_write_json(self._index_path(), idx)
        except (OSError, ReportError) as exc:
            log.warning("review index %s not updated: %s", self._index_path(), exc)
            return f"审核记录索引 {self._index_path()} 无法更新（{_reason(exc)}）；审核记录本身不受影响。"
        return None

    def _clean_temps(self, path: Path) -> None:
        """Remove stale temporaries of this review left by a killed save
        (only our own ``NAME.XXXXXXXX.tmp`` names, only old ones)."""
        pattern = re.compile(re.escape(path.name) + r"\.[A-Za-z0-9_]{8}\.tmp")
        try:
            names = os.listdir(self.root)
        except OSError:
            return
        now = time.time()
        for name in names:
            tmp = self.root / name
            try:
                if (pattern.fullmatch(name) and tmp.is_file() and not tmp.is_symlink()
                        and now - tmp.stat().st_mtime > STALE_TEMP_SECONDS):
                    tmp.unlink()
                    log.info("removed stale temporary %s", tmp)
            except OSError:
                pass

    def set_aside(self, path: Path, exc: Exception) -> Path:
        """Move a damaged review out of the way (``NAME.review.damaged-TIME.json``)."""
        broken = path.with_name(path.name.replace(
            ".review.json", f".review.damaged-{_dt.datetime.now():%Y%m%d%H%M%S}.json"))
        os.replace(path, broken)
        log.warning("review file %s is damaged (%s); set aside as %s", path, exc, broken)
        return broken

    def open(self, report: Report, reviewer: str | None = None) -> OpenResult:
        """The review of this report: restored if one was saved for the same
        contents, else a new one (and whether this path had other contents).
        Only a review file that cannot be parsed or validated is set aside;
        one that cannot be read, or a newer version's, raises ReportError."""
        sha = report.source.sha256
        path = self.path_for(sha)
        self._clean_temps(path)
        notes = []
        if path.exists():
            try:
                rv = Review.load(path)
            except ReviewDamaged as exc:
                broken = self.set_aside(path, exc)
                notes.append(f"审核记录文件已损坏（{exc}），已另存为 {broken}，重新开始审核。")
            except OSError as exc:
                raise ReportError(f"无法读取审核记录 {path}（{_reason(exc)}），文件未作改动。") from exc
            else:
                rv.base.source.path = report.source.path
                res = OpenResult(rv, restored=True)
                note = self._remember(report.source.path, sha)
                res.notes += [note] if note else []
                return res
        prev = self._index().get(os.path.abspath(report.source.path))
        res = self._new(report, reviewer, path)
        res.notes[:0] = notes
        if prev and prev != sha and self.path_for(prev).exists():
            res.source_changed = True
            res.previous_review = self.path_for(prev)
        return res

    def save(self, review) -> None:
        """Write the review file now, atomically and durably (a killed process
        loses nothing).  A review without a path is kept nowhere."""
        if review.path is not None:
            atomic_write_json(review.path, review.to_json())

    def _new(self, report: Report, reviewer: str | None, path: Path) -> OpenResult:
        rv = Review(report, reviewer, path)
        rv._log("open", report.source.path)
        try:
            self.save(rv)
        except OSError as exc:
            raise ReportError(f"无法保存审核记录 {path}（{_reason(exc)}）。") from exc
        res = OpenResult(rv, restored=False)
        note = self._remember(report.source.path, report.source.sha256)
        res.notes += [note] if note else []
        return res


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
