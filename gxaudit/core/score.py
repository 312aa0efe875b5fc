"""The evaluator's score sheet: a rubric (data, TOML) applied to a report's
findings and the auditor's decisions.

Each criterion has a weight (its full marks) and the rule ids — or id
prefixes ending in ``-`` (``"T3-"``) — whose findings deduct from it, so
much per finding by severity, down to zero.  A finding counts against the
one criterion that names its rule most specifically (full id before prefix,
longer prefix before shorter, then rubric order).  A finding the auditor
overrode (豁免) deducts nothing; its deduction stays listed, waived, with the
reason.  The score is always recomputed from findings + decisions: nothing
is stored that could go stale.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .model import Finding, Report

RUBRIC_NAME = "rubric.toml"
OVERRIDDEN = "overridden"


class RubricError(Exception):
    """A rubric file that cannot be used (one Chinese sentence)."""


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    weight: float
    rules: tuple[str, ...]
    deduct: dict
    note: str = ""

    def match(self, rule: str) -> int:
        """How specifically this criterion names ``rule``: 0 not at all."""
        best = 0
        for r in self.rules:
            if r == rule:
                return 1000
            if r.endswith("-") and rule.startswith(r):
                best = max(best, len(r))
        return best


@dataclass(frozen=True)
class Rubric:
    name: str
    criteria: tuple[Criterion, ...]
    source: str = ""

    @property
    def total(self) -> float:
        return sum(c.weight for c in self.criteria)

    def criterion_of(self, rule: str) -> Criterion | None:
        best, found = 0, None
        for c in self.criteria:
            m = c.match(rule)
            if m > best:
                best, found = m, c
        return found


@dataclass
class Deduction:
    criterion: str              # criterion name
    finding_id: str
    rule: str
    severity: str
    points: float
    message: str
    evidence: str               # where it stands: cell and page, or the sentence
    waived: bool = False
    reason: str = ""            # the auditor's reason for waiving


@dataclass
class Score:
    total: float
    full: float
    criteria: dict[str, float]                     # criterion name → points kept
    deductions: list[Deduction] = field(default_factory=list)

    def reasons(self) -> str:
        return "；".join(f"{d.criterion} −{d.points:g}（{d.rule}：{d.evidence}）"
                        for d in self.deductions if not d.waived and d.points)


def default_rubric_path() -> Path:
    from ..resources import resource
    return resource(RUBRIC_NAME)


def find_rubric(paths: list[str]) -> Path:
    """A ``rubric.toml`` kept beside the season (in one of its folders, or
    beside one of its files), else the default one."""
    for p in paths:
        folder = p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))
        cand = Path(folder) / RUBRIC_NAME
        if cand.is_file():
            return cand
    return default_rubric_path()


def load_rubric(path: str | os.PathLike | None = None) -> Rubric:
    try:
        import tomllib
    except ModuleNotFoundError:        # Python 3.10
        import tomli as tomllib
    path = Path(path) if path else default_rubric_path()
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise RubricError(f"无法读取评分细则 {path}：{exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"评分细则 {path.name} 格式有误：{exc}") from exc
    return rubric_from_dict(data, str(path))


def rubric_from_dict(data: dict, source: str = "") -> Rubric:
    out = []
    try:
        for i, c in enumerate(data.get("criterion", [])):
            deduct = {"error": 0.0, "warning": 0.0, "info": 0.0}
            deduct.update({k: float(v) for k, v in dict(c.get("deduct", {})).items()})
            out.append(Criterion(str(c.get("id") or f"c{i + 1}"), str(c["name"]), float(c["weight"]),
                                 tuple(str(r) for r in c.get("rules", [])), deduct, str(c.get("note", ""))))
    except (KeyError, TypeError, ValueError) as exc:
        raise RubricError(f"评分细则中的评分指标缺少名称、满分或扣分规则（{exc}）。") from exc
    if not out:
        raise RubricError("评分细则中没有评分指标（[[criterion]]）。")
    return Rubric(str(data.get("name", "评分细则")), tuple(out), source)


def evidence_text(f: Finding, report: Report | None) -> str:
    """Where a finding stands: its sentence (narrative rules) or its cell, with the page."""
    ev = getattr(f, "evidence", None)
    if ev is None and isinstance(f.detail, dict):
        ev = f.detail.get("evidence")
    if isinstance(ev, dict) and ev.get("text"):
        where = f"第{ev['page']}页 " if ev.get("page") else (f"第{ev['line']}行 " if ev.get("line") else "")
        return f"{where}“{str(ev['text'])[:60]}”"
    key = f.suspect or (f.cells[0] if f.cells else None)
    if key is None:
        return f.message
    from .export.common import cell_label
    label = cell_label(key.split(":", 1)[-1]) if not key.startswith("prior:") else "上年 " + cell_label(key[6:])
    cell = report.cells.get(key) if report is not None else None
    page = f"，第{cell.page}页" if cell is not None and cell.page else ""
    line = f"，第{cell.line}行" if cell is not None and cell.line and not page else ""
    return f"{label}{page}{line}"


def score_report(rubric: Rubric, findings: list[Finding], report: Report | None = None,
                 decisions: dict | None = None) -> Score:
    """The rubric applied to ``findings``; ``decisions`` (finding id →
    review.Decision) waive the deductions of overridden findings."""
    decisions = decisions or {}
    lost = {c.name: 0.0 for c in rubric.criteria}
    deductions = []
    for f in findings:
        c = rubric.criterion_of(f.rule)
        if c is None:
            continue
        points = c.deduct.get(f.severity, 0.0)
        d = decisions.get(f.id)
        waived = d is not None and getattr(d, "status", None) == OVERRIDDEN
        deductions.append(Deduction(c.name, f.id, f.rule, f.severity, points, f.message,
                                    evidence_text(f, report), waived, getattr(d, "reason", "") if waived else ""))
        if not waived:
            lost[c.name] += points
    kept = {c.name: max(0.0, c.weight - lost[c.name]) for c in rubric.criteria}
    return Score(sum(kept.values()), rubric.total, kept, deductions)


def saved_decisions(sha256: str) -> dict:
    """The decisions of the review saved for this file's contents, if any."""
    from .review import Review, ReviewStore
    path = ReviewStore().path_for(sha256)
    if not path.exists():
        return {}
    try:
        return dict(Review.load(path).decisions)
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def ranks(totals: list[float]) -> list[int]:
    """Competition ranks (1 best; equal scores share a rank)."""
    order = sorted(totals, reverse=True)
    return [order.index(t) + 1 for t in totals]
