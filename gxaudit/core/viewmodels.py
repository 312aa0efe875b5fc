"""What the workspace panes show, computed without Qt: the prior-year
comparison rows, the ranked prior candidates, the review log and the edits
with readable labels and local times, findings that concern a whole table."""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass

from . import formats
from .formats import spec_for
from .model import Finding, Report
from .text import fmt_number


def fmt_value(cell, value=None) -> str:
    """A cell (or a bare number when ``cell`` is None) as the auditor reads it."""
    if cell is None:
        return fmt_number(value)
    if cell.known:
        return fmt_number(cell.value)
    return {"blank": "空白", "placeholder": cell.raw or "占位符"}.get(cell.status, "无法识读")


def cell_label(key: str) -> str:
    """表三（七）总计·总计 for t3.total_processed.total; 上年 prefix for prior keys."""
    prior = key.startswith("prior:")
    spec = spec_for(key.removeprefix("prior:"))
    name = spec.label if spec else key
    return f"上年{name}" if prior else name


def target_label(target: str) -> str:
    """A log target (a cell key, a finding id, a path) in words."""
    if spec_for(target) is not None:
        return cell_label(target)
    rule, colon, cells = target.partition(":")
    if colon:
        from .rules import RULES
        info = RULES.get(rule)
        if info is not None:
            first = cells.split(",")[0] if cells else ""
            where = f"（{cell_label(first)}等）" if first and "," in cells else (
                f"（{cell_label(first)}）" if first else "")
            return f"{rule} {info.name}{where}"
    return target


def local_time(iso: str) -> str:
    """An ISO time (any offset) as local wall-clock time, to the minute."""
    try:
        t = _dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.timezone.utc)
    return t.astimezone().strftime("%Y-%m-%d %H:%M:%S")


# -- the review log -----------------------------------------------------------

ACTION_NAMES = {"open": "打开报告", "edit": "修改", "revert": "恢复原值", "accept": "确认问题",
                "override": "豁免问题", "reopen": "重新打开问题", "note": "批注", "undo": "撤销",
                "redo": "重做", "prior": "更换上年报告"}


@dataclass(frozen=True)
class LogRow:
    when: str             # local time
    who: str
    text: str             # what happened, in words
    target: str           # the raw target (a cell key to jump to, or a finding id)


def describe(entry) -> str:
    """One log entry in words, with table and row labels instead of keys."""
    name = ACTION_NAMES.get(entry.action, entry.action)
    if entry.action == "open":
        text = f"{name} {os.path.basename(entry.target)}"
    else:
        text = f"{name} {target_label(entry.target)}"
    if entry.action in ("edit", "revert") or (entry.action in ("undo", "redo") and spec_for(entry.target)):
        text += f"：{fmt_number(entry.before)} → {fmt_number(entry.after)}"
    elif entry.action == "prior":
        text += f"：{entry.before} → {entry.after}"
    elif entry.action == "note" and entry.after:
        text += f"：{entry.after}"
    if entry.reason:
        text += f"（{entry.reason}）"
    return text


def log_rows(log) -> list[LogRow]:
    """The review log, newest first."""
    return [LogRow(local_time(e.at), e.who, describe(e), e.target) for e in reversed(log)]


@dataclass(frozen=True)
class EditRow:
    key: str
    label: str
    original: str
    value: str
    who: str
    when: str
    reason: str


def edit_rows(review) -> list[EditRow]:
    """The auditor's edits in force: 原值 → 新值, by whom, when, why (the last log entry)."""
    last = {}
    for e in review.log:
        if e.action in ("edit", "redo", "undo", "revert") and e.target in review.edits:
            last[e.target] = e
    out = []
    for key, value in review.edits.items():
        e = last.get(key)
        base = review.base.cells.get(key)
        out.append(EditRow(key, cell_label(key), fmt_value(base), fmt_number(value),
                           e.who if e else review.reviewer, local_time(e.at) if e else "",
                           e.reason if e else ""))
    return out


SUGGESTION_REASON = "采用建议值"


def suggestion_reason(finding: Finding) -> str:
    """The log reason of an edit that takes a finding's suggested value."""
    from .rules import RULES
    info = RULES.get(finding.rule)
    return f"{SUGGESTION_REASON}：{finding.rule}{' ' + info.name if info else ''}"


# -- findings that concern a whole table -----------------------------------------

def table_wide(finding: Finding, report: Report) -> str | None:
    """The table a finding concerns as a whole (e.g. F-TEMPLATE over every
    表二 cell), or None for findings about particular cells."""
    if len(finding.cells) < 2:
        return None
    tables = {k.split(".", 1)[0] for k in finding.cells}
    if len(tables) != 1:
        return None
    table = tables.pop()
    if table not in formats.TABLES:
        return None
    keys = {k for k in report.cells if k.startswith(table + ".")}
    rows = {k.rsplit(".", 1)[0] for k in keys}
    return table if len(rows) > 1 and keys <= set(finding.cells) else None


# -- last year's report -------------------------------------------------------------

@dataclass(frozen=True)
class PriorRow:
    label: str            # rule name and the cells checked
    this_year: str
    last_year: str
    values: str           # 应为 / 实为
    result: str           # 一致 · 不一致 · 无法判断
    failing: bool
    severity: str
    target: str           # this year's cell to select


def _side(cells: dict, keys: list[str]) -> str:
    if len(keys) == 1:
        return fmt_value(cells.get(keys[0]))
    parts = []
    for k in keys:
        spec = spec_for(k.removeprefix("prior:"))
        parts.append(f"{spec.column.label if spec else k} {fmt_value(cells.get(k))}")
    return "，".join(parts)


def prior_rows(report: Report, prior: Report | None) -> list[PriorRow]:
    """One row per cross-year identity between this year's report and last year's."""
    if prior is None:
        return []
    from .rules import FAILS, HOLDS, RULES, CellView, cross_year_identities, evaluate
    cells = CellView.of(report, prior)
    out = []
    for ident in cross_year_identities(report.layouts, prior.layouts):
        ev = evaluate(cells, ident)
        rule = RULES[ident.rule]
        names = "、".join(cell_label(k) for k in ident.actual if not k.startswith("prior:"))
        out.append(PriorRow(
            f"{rule.name}：{names}",
            _side(cells, [k for k in ident.cells if not k.startswith("prior:")]),
            _side(cells, [k for k in ident.cells if k.startswith("prior:")]),
            f"{fmt_value(None, ev.expected)} / {fmt_value(None, ev.actual)}",
            {FAILS: "不一致", HOLDS: "一致"}.get(ev.state, "无法判断"),
            ev.state == FAILS, rule.severity, ident.actual[0]))
    return out


def prior_keys(report: Report, prior: Report | None) -> frozenset[str]:
    """This year's cells the comparison reads (an edit elsewhere leaves it as it is)."""
    if prior is None:
        return frozenset()
    from .rules import cross_year_identities
    return frozenset(k for i in cross_year_identities(report.layouts, prior.layouts)
                     for k in i.cells if not k.startswith("prior:"))


def prior_summary(report_prior: Report | None, how: str) -> str:
    """The one line above the tables saying which report is last year's."""
    if report_prior is None:
        return "上年报告：无（" + ("已选择不使用" if how == "declined" else "报告库中没有匹配的上年报告") + "）"
    p = report_prior
    how_text = {"library": "报告库自动匹配", "given": "审核人指定"}.get(how, how)
    return (f"上年报告：{p.agency or '未识别机关'} {p.year or '?'}年度　"
            f"{os.path.basename(p.source.path)}（{how_text}）")


def prior_candidates(report: Report, entries, limit: int = 8) -> list:
    """Library entries of the year before, the closest agency name first."""
    from .history import normalize_agency, similarity
    if not report.year:
        return []
    name = normalize_agency(report.agency)
    found = [e for e in entries if e.year == report.year - 1 and e.sha256 != report.source.sha256]
    found.sort(key=lambda e: -similarity(e.agency_norm, name))
    return found[:limit]
