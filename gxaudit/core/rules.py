"""The rule engine: identities derived from the format data, the rules that
need code, and the suspect-cell reasoning.

Identities are data (``IDENTITIES``): "the cells on the actual side add up to
the cells on the expected side", expanded per row or per column of a table
layout.  One small evaluator checks them all; blank, placeholder and
unreadable cells are *unknown* — an identity with unknown cells fails only
when no non-negative values of the unknown cells could make it hold, so a
blank never hides a real break and never invents one.

Suspect reasoning: the failing identities are grouped into connected sets
(identities that share cells).  In each set, a cell is the suspect when it
lies on every failing identity, on no identity that holds, and one value of
it makes every failing identity hold.  When exactly one cell qualifies it is
named with that value; otherwise the suspect is ``None``.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass

from . import formats, narrative
from .confidence import doubtful
from .model import (EDITED, ENCODING_NOTE, ERROR, INFO, PLACEHOLDER, UNREADABLE, WARNING,
                    Finding, Report)
from .blanks import blank_findings
from .catalogue import (RULESET_VERSION, RuleInfo, RULES)
from .engine import (PRIOR, LEAVES, IDENTITIES, COMMON_CROSS_YEAR, cross_year_links, Identity, identities, cross_year_identities, CellView, HOLDS, FAILS, UNDETERMINED, Evaluation, _num, evaluate, _eq, _clean, _solve, _suspects, implied_value, _col_label, _row_short, _identity_message, _cross_t2_message)  # noqa: F401 - the engine's names stay importable from rules
from .text import fmt_number

# ---------------------------------------------------------------------------
# Code rules register themselves: ``@rule("F-FEE")`` over a function.  The
# function names what it reads by its parameters: ``ctx`` (a RuleContext),
# or any of ``report``, ``prior``, ``evals`` — so a plain ``(report, prior)``
# function is registered unchanged.  check() runs them in registration order.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleContext:
    report: Report
    prior: Report | None
    evals: list                      # the identities' evaluations
    cells: dict | None = None        # the CellView the identities were evaluated on

    @property
    def evaluations(self) -> list:
        return self.evals


CODE_RULES: list = []                # (rule ids, function, parameter names)


def rule(*ids: str, severity: str | None = None, title: str | None = None, description: str = ""):
    """Register a code rule giving findings of ``ids``; with ``severity`` and
    ``title`` a new rule id enters the catalogue too."""
    def register(fn):
        params = tuple(inspect.signature(fn).parameters)
        unknown = set(params) - {"ctx", "report", "prior", "evals", "evaluations", "cells"}
        if unknown:
            raise TypeError(f"code rule {fn.__name__} takes unknown parameters {sorted(unknown)}")
        for rid in ids:
            if rid not in RULES and severity and title:
                RULES[rid] = RuleInfo(rid, severity, title, description)
        CODE_RULES.append((ids, fn, params))
        return fn
    return register


def _run_code_rules(ctx: RuleContext) -> list[Finding]:
    out: list[Finding] = []
    for _ids, fn, params in CODE_RULES:
        args = [ctx if p == "ctx" else getattr(ctx, p) for p in params]
        out += fn(*args)
    return out


# ---------------------------------------------------------------------------
# Rules that need code
# ---------------------------------------------------------------------------

def _template_cells(report: Report):
    """Every cell of the report's template: (table, row, column, key, cell or None)."""
    for t in formats.TABLES:
        lay = report.layouts.of(t)
        for row in lay.all_rows():
            for col in lay.row_columns(row.key):
                key = f"{t}.{row.key}.{col.key}"
                yield t, row, col, key, report.cells.get(key)


@rule("T3-NN", "T4-NN", "T2-NN")
def _nn_findings(report: Report) -> list[Finding]:
    out = []
    for t, row, col, key, c in _template_cells(report):
        if c is None or not c.known:
            continue
        v = c.value
        bad = None
        if col.kind == "amount":
            if v < 0:
                bad = "金额不应为负数"
        elif col.kind == "signed":
            if not float(v).is_integer():
                bad = "应为整数"
        elif v < 0:
            bad = "件数不应为负数"
        elif not float(v).is_integer():
            bad = "件数应为整数"
        if bad:
            rule = {"t2": "T2-NN", "t3": "T3-NN", "t4": "T4-NN"}[t]
            out.append(Finding(rule, ERROR, [key],
                               f"{formats.TABLE_NAMES[t]}{row.short or row.label}·{col.label}："
                               f"{bad}（填 {fmt_number(v)}）", actual=_clean(v)))
    return out


@rule("T2-VALID", "T2-PUB", "T2-UNIT")
def _t2_findings(report: Report) -> list[Finding]:
    """The format's inequalities inside table 二, and its amount in 万元."""
    fmt = formats.by_id(report.layouts.t2)
    if fmt is None:
        return []
    out = [f for ineq in fmt.inequalities for row in ineq.rows
           if (f := _inequality(report, ineq, row)) is not None]
    fee = report.cells.get(fmt.amount_cell or "")
    if fee is not None and fee.known and fee.unit in ("元",):
        out.append(Finding("T2-UNIT", WARNING, [fee.key],
                           f"行政事业性收费金额填为“{fee.raw}”，单位应为万元",
                           actual=fee.value, suspect=fee.key, suggested=_clean(fee.value / 10000)))
    return out


def _inequality(report: Report, ineq: formats.Inequality, row: str) -> Finding | None:
    cols = dict.fromkeys(ineq.cells + ineq.actual + ineq.expected)
    vals = {c: report.value(f"{ineq.table}.{row}.{c}") for c in cols}
    if None in vals.values():
        return None
    act, exp = sum(vals[c] for c in ineq.actual), sum(vals[c] for c in ineq.expected)
    if (act >= exp) if ineq.op == ">=" else (act <= exp):
        return None
    text = ineq.message.format(row=_row_short(report, ineq.table, row),
                               **{c: fmt_number(v) for c, v in vals.items()})
    return Finding(ineq.rule, WARNING, [f"{ineq.table}.{row}.{c}" for c in ineq.cells], text,
                   expected=_clean(exp), actual=_clean(act))


@rule("F-TEMPLATE", "F-ROWSET")
def _format_findings(report: Report) -> list[Finding]:
    out = _template_findings(report)
    fmt, y = formats.by_id(report.template), report.year
    for note in (fmt.layout_notes if fmt else ()):
        if getattr(report.layouts, note.table) == note.other:
            keys = [k for k in report.cells if k.startswith(note.key_prefix)]
            out.append(Finding("F-ROWSET", WARNING if (y is None or y >= fmt.first_year) else INFO, keys,
                               note.message))
    return out + _rowset_findings(report)


def _template_findings(report: Report) -> list[Finding]:
    """F-TEMPLATE: the format the report's year calls for, against the one it uses."""
    y, fmt = report.year, formats.by_id(report.template)
    if report.template == "unknown":
        return [Finding("F-TEMPLATE", WARNING, [], "无法判断报告所用的格式版本")]
    if fmt is None or y is None or (want := formats.for_year(y)).id == fmt.id:
        return []
    t2_keys = [k for k in report.cells if k.startswith("t2.")]
    last = formats.last_year(fmt)
    if last is not None and y > last:          # a format outdated by the report's year
        return [Finding("F-TEMPLATE", ERROR, t2_keys,
                        f"{y}年度报告使用了旧版（{fmt.short}）格式，应使用{want.short}格式{want.document}",
                        detail={"fingerprints": report.fingerprints.get(fmt.id, [])})]
    return [Finding("F-TEMPLATE", WARNING, t2_keys, f"{y}年度报告应使用{want.short}格式，却使用了{fmt.short}格式")]


def _rowset_findings(report: Report) -> list[Finding]:
    """F-ROWSET: rows missing from a table, and rows read twice."""
    out = []
    all_keys = list(report.cells)
    missing_by_table: dict[str, list[str]] = {}
    for rid in report.missing_rows:
        missing_by_table.setdefault(rid.split(".")[0], []).append(rid)
    for t, rids in missing_by_table.items():
        lay = report.layouts.of(t)
        rows_total = len(lay.all_rows())
        keys = [k for k in all_keys if any(k.startswith(r + ".") for r in rids)]
        names = "、".join(_row_short(report, t, r.split(".")[1]) for r in rids)
        if len(rids) == rows_total:
            msg = f"未能读取{formats.TABLE_NAMES[t]}，原文中没有找到这张表"
        else:
            msg = f"{formats.TABLE_NAMES[t]}缺少以下行（或无法读取）：{names}"
        out.append(Finding("F-ROWSET", WARNING, keys, msg))
    for rid in report.duplicates:
        t, row = rid.split(".")
        keys = [k for k in all_keys if k.startswith(rid + ".")]
        out.append(Finding("F-ROWSET", WARNING, keys,
                           f"{formats.TABLE_NAMES[t]}{_row_short(report, t, row)}出现了两次且数字不同，已采用第一次出现的数字"))
    return out


@rule("F-PLACEHOLDER", "F-UNREADABLE")
def _cell_state_findings(report: Report, evals: list[Evaluation]) -> list[Finding]:
    """Placeholder and unreadable cells, one finding per row."""
    out = []
    missing = set(report.missing_rows)
    for t in formats.TABLES:
        lay = report.layouts.of(t)
        for row in lay.all_rows():
            rid = f"{t}.{row.key}"
            if rid in missing:
                continue
            # Blank cells: grouped by column or row in blanks.py.
            for status, rule, what in ((PLACEHOLDER, "F-PLACEHOLDER", "以占位符填写"),
                                       (UNREADABLE, "F-UNREADABLE", "无法识读")):
                # Cells an OCR reading put in doubt are F-OCR findings of their own.
                keys = [f"{rid}.{c.key}" for c in lay.row_columns(row.key)
                        if report.cells[f"{rid}.{c.key}"].status == status
                        and not (status == UNREADABLE and _ocr_doubt(report.cells[f"{rid}.{c.key}"]))]
                if not keys:
                    continue
                cols = "、".join(_cell_col_label(row.key, k, lay) for k in keys)
                msg = f"{formats.TABLE_NAMES[t]}{row.short or row.label}：{cols}{what}"
                reason = report.cells[keys[0]].reason
                if status == UNREADABLE and reason:
                    msg += f"（{reason}）"
                suspect = suggested = None
                if len(keys) == 1:
                    v = implied_value(CellView.of(report), keys[0], evals)
                    if v is not None:
                        suspect, suggested = keys[0], v
                        msg += f"；按勾稽关系应为 {fmt_number(v)}"
                out.append(Finding(rule, WARNING, keys, msg, suspect=suspect, suggested=suggested))
    return out


def _ocr_doubt(cell) -> bool:
    return cell.status != EDITED and doubtful(cell.confidence)


# Blank cells, grouped by row or column, and what blanks counted as 0 give (blanks.py).
rule("F-BLANK", "F-BLANK-SUM")(blank_findings)


@rule("F-OCR")
def _ocr_findings(report: Report, evals: list[Evaluation]) -> list[Finding]:
    """Cells of a scan whose OCR reading is in doubt, one finding each, with the score."""
    out = []
    for t, row, col, key, c in _template_cells(report):
        if c is None or not _ocr_doubt(c):
            continue
        where = f"{formats.TABLE_NAMES[t]}{row.short or row.label}·{col.label}"
        score = f"{c.confidence:.2f}"
        suspect = suggested = None
        if c.status == UNREADABLE and c.raw:
            msg = f"{where}：文字识别置信度 {score}，读作“{c.raw}”，未采用，请对照原文填写"
        elif c.status == UNREADABLE:
            msg = f"{where}：扫描件中该格有字迹，但文字识别未能读出，请对照原文填写"
        else:
            msg = f"{where}：文字识别置信度 {score}，读作“{c.raw}”，请对照原文核对"
        if c.status == UNREADABLE:
            v = implied_value(CellView.of(report), key, evals)
            if v is not None:
                suspect, suggested = key, v
                msg += f"；按勾稽关系应为 {fmt_number(v)}"
        out.append(Finding("F-OCR", WARNING, [key], msg, actual=c.value, suspect=suspect,
                           suggested=suggested, detail={"confidence": c.confidence}))
    return out


def _cell_col_label(row: str, key: str, lay: formats.TableLayout) -> str:
    col = key.rsplit(".", 1)[1]
    for c in lay.row_columns(row):
        if c.key == col:
            return c.label
    return col


@rule("F-UNREADABLE-MOST", "F-DECODE")
def _reading_findings(report: Report) -> list[Finding]:
    """A report whose tables are mostly unreadable is never "passed" (an error),
    and bytes the reader had to replace while decoding are said (a warning)."""
    out = [Finding("F-DECODE", WARNING, [], n.split("：", 1)[-1])
           for n in report.reading_notes if n.startswith(ENCODING_NOTE + "：")]
    cells = [(k, c) for _, _, _, k, c in _template_cells(report)]
    known = sum(1 for _, c in cells if c is not None and c.known)
    bad = [k for k, c in cells if c is None or c.status == UNREADABLE]
    junk = sum(1 for k, c in cells if c is not None and c.status == UNREADABLE and (c.raw or "").strip())
    # More cells hold text that is no number than hold a number, or hardly any
    # number could be read where numbers belong (blank and placeholder cells are
    # read, and F-BLANK's; an excerpt of one table still has its numbers).
    if (junk >= 5 and junk > known) or known < 0.1 * (known + len(bad)):
        out.append(Finding("F-UNREADABLE-MOST", ERROR, bad,
                           f"统计表的 {len(cells)} 个单元格中只有 {known} 个读出了数字，{junk} 个的内容无法识读为数字，"
                           f"{len(bad) - junk} 个所在行未找到：报告的表格基本无法核对，不能视为通过，请对照原文核对"))
    return out


@rule("F-FEE")
def _fee_findings(report: Report) -> list[Finding]:
    fmt = formats.by_id(report.template)
    if fmt is None or not fmt.fee_statement or report.year is None or report.year < fmt.first_year:
        return []
    s6 = report.sections.get("s6", "")
    if any(w in s6 for w in ("处理费", "收费", "信息处理", "處理費")):
        return []
    where = "“六、其他需要报告的事项”中" if s6 else "报告中没有“六、其他需要报告的事项”，"
    return [Finding("F-FEE", WARNING, [], f"{where}未说明信息处理费的收取情况"
                    "（发出收费通知的件数和总金额以及实际收取的总金额）")]


@rule("D-YEAR")
def _date_findings(report: Report) -> list[Finding]:
    out = []
    if report.year is None:
        out.append(Finding("D-YEAR", WARNING, [], "未能从标题、统计期限或落款中识别报告年度，"
                           "格式版本和上年报告的判断可能不准确"))
    if report.title_year and report.period_year and report.title_year != report.period_year:
        out.append(Finding("D-YEAR", WARNING, [],
                           f"标题年度为 {report.title_year} 年，统计期限却是 {report.period_year} 年",
                           expected=report.title_year, actual=report.period_year))
    return out     # the deadline and the 落款 date: core.narrative.rules_d


# The narrative: parts, sentences against tables, dates, copied text (core.narrative).
rule(*(r for r in RULES if r[:2] in ("N-", "S-", "C-") or r in ("D-DEADLINE", "D-SIGN", "D-STRAY", "D-MODIFIED")))(
    narrative.check)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

_SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


def _basename(path: str) -> str:
    import os
    return os.path.basename(path)


def check(report: Report, prior: Report | None = None) -> list[Finding]:
    """Every finding for one report (and, given last year's report of the same
    agency, the cross-year findings), errors first, in template order."""
    cells = CellView.of(report, prior)
    idents = identities(report.layouts)
    if prior is not None:
        idents += cross_year_identities(report.layouts, prior.layouts)
    evals = [evaluate(cells, i) for i in idents]
    suspects = _suspects(cells, evals)
    findings: list[Finding] = []
    for idx, ev in enumerate(evals):
        if ev.state != FAILS:
            continue
        pick = suspects.get(idx)
        message = _identity_message(report, ev, cells)
        if pick and doubtful(cells[pick[0]].confidence) and cells[pick[0]].raw:
            message += f"（OCR 可能把 {fmt_number(pick[1])} 识别成了 {cells[pick[0]].raw}）"
        detail = {"unknown": list(ev.unknown)}
        if ev.identity.rule.startswith("Y-") and prior is not None:
            detail["prior"] = {"path": prior.source.path, "year": prior.year, "sha256": prior.source.sha256}
            message += f"（上年报告：{prior.year or '?'}年，{_basename(prior.source.path)}）"
        findings.append(Finding(
            ev.identity.rule, RULES[ev.identity.rule].severity, list(ev.identity.cells),
            message, expected=_clean(ev.expected), actual=_clean(ev.actual),
            suspect=pick[0] if pick else None, suggested=pick[1] if pick else None,
            detail=detail))
    findings += _run_code_rules(RuleContext(report, prior, evals, cells))
    order = {k: i for i, k in enumerate(report.cells)}
    rule_order = {r: i for i, r in enumerate(RULES)}
    findings.sort(key=lambda f: (_SEVERITY_RANK[f.severity], rule_order.get(f.rule, 99),
                                 min((order.get(k, 10**6) for k in f.cells), default=-1)))
    return findings
