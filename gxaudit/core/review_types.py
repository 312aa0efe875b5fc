"""The plain values of a review: finding statuses, decisions, log entries,
what a change touched (:class:`Change`) and a frozen copy for exporters
(:class:`ReviewSnapshot`).  No behaviour beyond describing themselves."""
from __future__ import annotations

import datetime as _dt
import getpass
import os
from dataclasses import asdict, dataclass, field

from .model import Finding, Report
from .review_schema import REVIEW_SCHEMA
from .text import fmt_number

# Finding statuses.
OPEN = "open"
ACCEPTED = "accepted"       # confirmed as a real problem of the report
OVERRIDDEN = "overridden"   # dismissed by the auditor (explained, not an error)
CORRECTED = "corrected"     # no longer fires after the auditor's corrections
FINDING_STATUSES = (OPEN, ACCEPTED, OVERRIDDEN, CORRECTED)
FINDING_STATUS_NAMES = {OPEN: "待处理", ACCEPTED: "已确认", OVERRIDDEN: "已豁免", CORRECTED: "已更正"}


def now_iso() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def default_reviewer() -> str:
    """``GXAUDIT_REVIEWER`` (the CLI's --reviewer, the GUI's 审核人), else the login name."""
    name = os.environ.get("GXAUDIT_REVIEWER", "").strip()
    if name:
        return name
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


@dataclass(frozen=True)
class Change:
    """What one mutation of a Review touched, for the views to refresh only that."""
    keys: frozenset[str] = frozenset()          # cells whose value changed
    findings_changed: bool = False              # the rules ran again: findings may differ
    decisions: frozenset[str] = frozenset()     # finding ids decided, reopened or restored
    notes: frozenset[str] = frozenset()         # note targets
    prior: bool = False                         # last year's report changed

    @property
    def empty(self) -> bool:
        return not (self.keys or self.findings_changed or self.decisions or self.notes or self.prior)


NO_CHANGE = Change()


def finding_states(findings, original_findings, decisions) -> list[FindingState]:
    """Current findings with their status, then the original findings the
    corrections made disappear (status ``corrected``)."""
    ids = {f.id for f in findings}
    out = []
    for f in findings:
        d = decisions.get(f.id)
        out.append(FindingState(f, d.status if d else OPEN, d))
    for f in original_findings:
        if f.id not in ids:
            out.append(FindingState(f, CORRECTED, decisions.get(f.id)))
    return out


def review_dict(rv) -> dict:
    """The review file's JSON (schema REVIEW_SCHEMA) of a Review or a snapshot."""
    return {
        "schema": REVIEW_SCHEMA,
        "source": rv.base.source.to_dict(),
        "reviewer": rv.reviewer,
        "created": rv.created,
        "updated": rv.updated,
        "report": rv.base.to_dict(),
        "edits": dict(rv.edits),
        "decisions": {k: asdict(v) for k, v in rv.decisions.items()},
        "notes": dict(rv.notes),
        "log": [asdict(e) for e in rv.log],
        "prior_how": rv.prior_how,
        "prior": None if rv.prior is None else {
            "how": rv.prior_how,
            "source": rv.prior.source.to_dict(),
            "report": rv.prior.to_dict()},
    }


@dataclass(frozen=True)
class ReviewSnapshot:
    """A review frozen at one moment, its finding states computed once:
    what exporters read (on a worker, while the auditor keeps editing).
    It answers the Review's read-only questions under the same names."""
    base: Report
    report: Report
    reviewer: str
    created: str
    updated: str
    edits: dict
    decisions: dict
    notes: dict
    log: tuple
    prior: Report | None
    prior_how: str
    original_findings: tuple
    current: tuple = ()
    states: tuple = ()
    path: object = None

    def findings(self) -> list[Finding]:
        return list(self.current)

    def finding_states(self) -> list[FindingState]:
        return list(self.states)

    def open_count(self) -> int:
        return sum(1 for s in self.states if s.status == OPEN)

    def value_of(self, key: str):
        return self.report.cells[key].value

    def to_json(self) -> dict:
        return review_dict(self)

    def snapshot(self) -> "ReviewSnapshot":
        return self
