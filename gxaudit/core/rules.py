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
from .formats import FORMAT_2019, FORMAT_2021, T3_PART_COLUMNS, T4_PART_COLUMNS
from .model import (EDITED, ENCODING_NOTE, ERROR, INFO, PLACEHOLDER, UNREADABLE, WARNING,
                    Finding, Report)
from .blanks import blank_findings
from .text import fmt_number

RULESET_VERSION = "2026.1"

# ---------------------------------------------------------------------------
# The rule catalogue: id → severity and a Chinese name.  Ids follow domain.md §5.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str
    name: str
    description: str


RULES: dict[str, RuleInfo] = {r.id: r for r in (
    RuleInfo("T3-ROW", ERROR, "表三行合计", "每一行：自然人与五类法人或其他组织之和等于总计"),
    RuleInfo("T3-BAL", ERROR, "表三勾稽关系", "每一栏：第一项加第二项之和等于第三项加第四项之和"),
    RuleInfo("T3-LEAF", ERROR, "表三办理结果合计", "每一栏：（七）总计等于各项办理结果之和"),
    RuleInfo("T3-BAL-LEAF", ERROR, "表三勾稽关系（按明细）",
             "每一栏：第一项加第二项之和等于各项办理结果之和加结转下年度"),
    RuleInfo("T3-NN", ERROR, "表三数值", "表三各栏应为非负整数"),
    RuleInfo("T4-SUM", ERROR, "表四合计", "结果维持、结果纠正、其他结果、尚未审结之和等于总计"),
    RuleInfo("T4-NN", ERROR, "表四数值", "表四各栏应为非负整数"),
    RuleInfo("T2-NN", ERROR, "表二数值", "件数为非负整数（2019年版本年增/减可为负），金额为非负数"),
    RuleInfo("T2-VALID", WARNING, "表二现行有效件数", "现行有效件数加本年废止件数不应小于本年制发件数"),
    RuleInfo("T2-PUB", WARNING, "表二公开数量", "本年新公开数量不应大于对外公开总数量"),
    RuleInfo("T2-UNIT", WARNING, "表二金额单位", "行政事业性收费金额以万元为单位"),
    RuleInfo("F-TEMPLATE", ERROR, "格式版本", "2021年及以后的报告应使用2021年版格式"),
    RuleInfo("F-ROWSET", WARNING, "表格行", "表格各行应与格式一致，无缺行、重复行"),
    RuleInfo("F-BLANK", WARNING, "空白单元格", "统计表中不应留空，无数据应填 0"),
    RuleInfo("F-BLANK-SUM", WARNING, "空白影响核对", "空白单元格使勾稽关系无法判断；给出空白按 0 计时的结果"),
    RuleInfo("F-PLACEHOLDER", WARNING, "占位符", "统计表中以“/”“—”等代替数字"),
    RuleInfo("F-UNREADABLE", WARNING, "无法识读", "单元格内容无法识读为数字，需人工核对原文"),
    RuleInfo("F-UNREADABLE-MOST", ERROR, "表格大多无法识读",
             "统计表中有内容的单元格过半无法识读为数字，报告无法核对，不能视为通过"),
    RuleInfo("F-DECODE", WARNING, "字符编码", "文件中有字节无法按其字符编码解码，已替换，相关文字需对照原文核对"),
    RuleInfo("F-OCR", WARNING, "文字识别存疑", "扫描件中识别置信度低或有字迹未能识别的单元格，需对照原文核对"),
    RuleInfo("F-FEE", WARNING, "信息处理费", "2021年版格式要求在“其他需要报告的事项”中说明信息处理费收取情况"),
    RuleInfo("D-YEAR", WARNING, "报告年度", "标题年度与统计期限年度应一致"),
    RuleInfo("D-DEADLINE", WARNING, "发布时限", "部门应于次年1月31日前、本级政府应于3月31日前发布（时限可在 deadlines.json 中按地方规定修改）"),
    RuleInfo("D-SIGN", WARNING, "落款日期", "落款日期应在报告年度的次年"),
    RuleInfo("D-STRAY", WARNING, "往年年份", "正文以往年年份叙述本年工作，可能沿用了上年的文字"),
    RuleInfo("D-MODIFIED", WARNING, "发布后有变动", "PDF 的修改日期晚于发布时限"),
    RuleInfo("N-RECEIVED", WARNING, "正文收到申请数", "正文所称收到申请数应等于表三新收（或新收加上年结转）"),
    RuleInfo("N-PROCESSED", WARNING, "正文办结数", "正文所称办结数应等于表三（七）总计"),
    RuleInfo("N-CARRIED", WARNING, "正文结转数", "正文所称上年结转、结转下年度数应与表三一致"),
    RuleInfo("N-GRANTED", WARNING, "正文予以公开数", "正文所称予以公开及部分公开数应与表三一致"),
    RuleInfo("N-WITHHELD", WARNING, "正文不予公开数", "正文所称不予公开数应等于表三不予公开各项之和"),
    RuleInfo("N-UNAVAILABLE", WARNING, "正文无法提供数", "正文所称无法提供数应等于表三无法提供各项之和"),
    RuleInfo("N-DECLINED", WARNING, "正文不予处理数", "正文所称不予处理数应等于表三不予处理各项之和"),
    RuleInfo("N-OTHER", WARNING, "正文其他处理数", "正文所称其他处理数应等于表三其他处理各项之和"),
    RuleInfo("N-PERCENT", WARNING, "正文百分比", "正文所称占比应等于表三该项除以（七）总计"),
    RuleInfo("N-REVIEW", WARNING, "正文行政复议数", "正文所称行政复议数应等于表四行政复议总计"),
    RuleInfo("N-SUIT", WARNING, "正文行政诉讼数", "正文所称行政诉讼数应等于表四两类行政诉讼总计之和"),
    RuleInfo("N-INFORCE", WARNING, "正文现行有效件数", "正文所称现行有效规章、行政规范性文件件数应与表二一致"),
    RuleInfo("N-ALL", WARNING, "正文“均已”表述", "“均获维持”“均已办结”与表四纠正、尚未审结或表三结转不符"),
    RuleInfo("S-PARTS", WARNING, "六个部分", "报告应包括格式规定的六个部分"),
    RuleInfo("S-ORDER", WARNING, "部分顺序与编号", "六个部分应按顺序排列、各编号一次"),
    RuleInfo("S-PROBLEMS", WARNING, "存在的主要问题", "“存在的主要问题及改进情况”应写明具体问题和改进措施"),
    RuleInfo("S-FEE", WARNING, "信息处理费与表三", "“其他需要报告的事项”中的收费通知、收费金额应与表三一致"),
    RuleInfo("C-PROBLEMS", WARNING, "改进措施与上年相同", "“存在的主要问题及改进情况”与上年报告基本相同"),
    RuleInfo("C-PRIOR", WARNING, "与上年雷同", "某一部分与上年报告的同一部分高度相似"),
    RuleInfo("C-OTHER", WARNING, "与其他机关雷同", "有段落与其他机关的报告完全相同"),
    RuleInfo("Y-CARRY", ERROR, "上年结转衔接", "每一栏：本年“上年结转”等于上年报告“结转下年度继续办理”"),
    RuleInfo("Y-VALID", WARNING, "现行有效件数衔接",
             "现行有效件数等于上年现行有效件数加本年制发件数减本年废止件数（2021年版→2021年版）"),
    RuleInfo("Y-PUBTOT", WARNING, "对外公开总数量衔接",
             "对外公开总数量等于上年对外公开总数量加本年新公开数量（2019年版→2019年版）"),
    RuleInfo("Y-ITEMS", WARNING, "项目数量衔接",
             "上一年项目数量等于上年报告的上一年项目数量加本年增/减（2019年版→2019年版）"),
)}


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


PRIOR = "prior:"   # prefix of the prior year's cell keys in cross-year findings

LEAVES = "<leaves>"   # expands to the leaf rows of the layout
_T2_VALID_ROWS = ("regulations", "normative_documents")
_T2_ITEM_ROWS = ("licensing", "other_services", "punishment", "coercion", "fees")

# Identities as data: (rule, table, along, actual side, expected side).
#   along="row":    for each row, columns on the actual side = columns on the expected side
#   along="column": for each column, rows on the actual side = rows on the expected side
IDENTITIES = (
    ("T3-ROW", "t3", "row", ("total",), T3_PART_COLUMNS),
    ("T3-BAL", "t3", "column", ("total_processed", "carried_forward"), ("new_received", "carried_over")),
    ("T3-LEAF", "t3", "column", ("total_processed",), (LEAVES,)),
    ("T3-BAL-LEAF", "t3", "column", (LEAVES, "carried_forward"), ("new_received", "carried_over")),
    ("T4-SUM", "t4", "row", ("total",), T4_PART_COLUMNS),
)


# Cross-year identities (domain.md §5.4), as data:
#   (rule, table, (this year's layout, last year's layout) or None for any, rows or "column",
#    actual side, expected side) — keys starting with "prior:" are last year's cells.
CROSS_YEAR = (
    ("Y-CARRY", "t3", None, "column", ("carried_over",), (PRIOR + "carried_forward",)),
    ("Y-VALID", "t2", (FORMAT_2021, FORMAT_2021), _T2_VALID_ROWS,
     ("in_force", "repealed"), (PRIOR + "in_force", "issued")),
    ("Y-PUBTOT", "t2", (FORMAT_2019, FORMAT_2019), _T2_VALID_ROWS,
     ("total_published",), (PRIOR + "total_published", "new_published")),
    ("Y-ITEMS", "t2", (FORMAT_2019, FORMAT_2019), _T2_ITEM_ROWS,
     ("prior_items",), (PRIOR + "prior_items", PRIOR + "change")),
)


@dataclass(frozen=True)
class Identity:
    rule: str
    table: str
    scope: str                      # the row or the column it runs along
    actual: tuple[str, ...]         # cell keys
    expected: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return self.expected + self.actual


def identities(layouts: formats.Layouts) -> list[Identity]:
    out: list[Identity] = []
    for rule, table, along, act, exp in IDENTITIES:
        lay = layouts.of(table)

        def expand(keys):
            res = []
            for k in keys:
                res.extend(lay.leaves if k == LEAVES else (k,))
            return tuple(res)

        if along == "row":
            for r in lay.rows:
                out.append(Identity(rule, table, r.key,
                                    tuple(f"{table}.{r.key}.{c}" for c in act),
                                    tuple(f"{table}.{r.key}.{c}" for c in exp)))
        else:
            for c in lay.columns:
                out.append(Identity(rule, table, c.key,
                                    tuple(f"{table}.{r}.{c.key}" for r in expand(act)),
                                    tuple(f"{table}.{r}.{c.key}" for r in expand(exp))))
    return out


def cross_year_identities(layouts: formats.Layouts, prior: formats.Layouts) -> list[Identity]:
    out: list[Identity] = []
    for rule, table, needs, rows, act, exp in CROSS_YEAR:
        cur_l, pri_l = getattr(layouts, table), getattr(prior, table)
        if needs is not None and (cur_l, pri_l) != needs:
            continue

        def key(row, col, k):
            if k.startswith(PRIOR):
                return f"{PRIOR}{table}.{k[len(PRIOR):] if rows == 'column' else row}." \
                       f"{col if rows == 'column' else k[len(PRIOR):]}"
            return f"{table}.{k if rows == 'column' else row}.{col if rows == 'column' else k}"

        if rows == "column":
            for c in layouts.of(table).columns:
                out.append(Identity(rule, table, c.key, tuple(key(None, c.key, k) for k in act),
                                    tuple(key(None, c.key, k) for k in exp)))
        else:
            for r in rows:
                out.append(Identity(rule, table, r, tuple(key(r, None, k) for k in act),
                                    tuple(key(r, None, k) for k in exp)))
    return out


class CellView(dict):
    """This year's cells, and last year's under ``prior:`` keys."""

    @classmethod
    def of(cls, report: Report, prior: Report | None = None) -> "CellView":
        view = cls(report.cells)
        if prior is not None:
            view.update({PRIOR + k: c for k, c in prior.cells.items()})
        return view


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------

HOLDS, FAILS, UNDETERMINED = "holds", "fails", "undetermined"


@dataclass
class Evaluation:
    identity: Identity
    state: str
    expected: float
    actual: float                   # unknown cells counted as 0
    unknown: tuple[str, ...]


def _num(cells: dict, key: str) -> tuple[float, bool]:
    c = cells.get(key)
    if c is None or not c.known:
        return 0, False
    return c.value, True


def evaluate(cells: dict, ident: Identity) -> Evaluation:
    exp = act = 0
    unknown_exp: list[str] = []
    unknown_act: list[str] = []
    for k in ident.expected:
        v, ok = _num(cells, k)
        exp += v
        if not ok:
            unknown_exp.append(k)
    for k in ident.actual:
        v, ok = _num(cells, k)
        act += v
        if not ok:
            unknown_act.append(k)
    unknown = tuple(unknown_exp + unknown_act)
    diff = exp - act
    if _eq(diff, 0):
        state = HOLDS if not unknown else UNDETERMINED
    elif not unknown:
        state = FAILS
    else:
        # Unknown cells are >= 0: they can raise the side they stand on.
        feasible = (diff > 0 and unknown_act) or (diff < 0 and unknown_exp)
        state = UNDETERMINED if feasible else FAILS
    return Evaluation(ident, state, exp, act, unknown)


def _eq(a: float, b: float) -> bool:
    return abs(a - b) < 1e-9


def _clean(v: float) -> int | float:
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _solve(cells: dict, ev: Evaluation, key: str) -> float | None:
    """The value of ``key`` that makes the identity hold, others as they are."""
    ident = ev.identity
    if ev.unknown and ev.unknown != (key,):
        return None
    cur, _ = _num(cells, key)
    if key in ident.actual and key not in ident.expected:
        return cur + (ev.expected - ev.actual)
    if key in ident.expected and key not in ident.actual:
        return cur - (ev.expected - ev.actual)
    return None


def _suspects(cells: dict, evals: list[Evaluation]) -> dict[int, tuple[str, float] | None]:
    """For each failing evaluation (by index), the suspect of its connected set.
    Only hard identities (errors) take part; last year's cells are never suspects."""
    failing = [i for i, e in enumerate(evals)
               if e.state == FAILS and RULES[e.identity.rule].severity == ERROR]
    holding_cells: set[str] = set()
    for e in evals:
        if e.state == HOLDS:
            holding_cells.update(e.identity.cells)
    # Connected sets of failing identities that share cells.
    parent = {i: i for i in failing}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_cell: dict[str, int] = {}
    for i in failing:
        for k in evals[i].identity.cells:
            if k in by_cell:
                parent[find(i)] = find(by_cell[k])
            else:
                by_cell[k] = i
    groups: dict[int, list[int]] = {}
    for i in failing:
        groups.setdefault(find(i), []).append(i)

    result: dict[int, tuple[str, float] | None] = {}
    for members in groups.values():
        common = set(evals[members[0]].identity.cells)
        for i in members[1:]:
            common &= set(evals[i].identity.cells)
        candidates = []
        for key in sorted(common - holding_cells):
            cell = cells.get(key)
            if cell is None or not cell.known or key.startswith(PRIOR):
                continue
            values = {_solve(cells, evals[i], key) for i in members}
            if len(values) != 1:
                continue
            v = values.pop()
            if v is None or v < 0 or (isinstance(cell.value, int) and not float(v).is_integer()):
                continue
            candidates.append((key, _clean(v)))
        if len(candidates) > 1:
            # Several cells could explain the break: an OCR reading in doubt
            # is the likelier culprit, when exactly one of them is.
            weak = [c for c in candidates if doubtful(cells[c[0]].confidence)]
            candidates = weak if len(weak) == 1 else candidates
        pick = candidates[0] if len(candidates) == 1 else None
        for i in members:
            result[i] = pick
    return result


def implied_value(cells: dict, key: str, evals: list[Evaluation]) -> int | float | None:
    """The value an unknown cell must have for the identities it lies on,
    when they agree and every other cell of them is known."""
    values = set()
    for e in evals:
        if key in e.identity.cells and e.unknown == (key,) and RULES[e.identity.rule].severity == ERROR:
            v = _solve(cells, e, key)
            if v is not None:
                values.add(_clean(v))
    if len(values) == 1:
        v = values.pop()
        if v >= 0:
            return v
    return None


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

def _col_label(table: str, col: str) -> str:
    return {c.key: c.label for c in formats.layout(table, FORMAT_2021).columns}[col]


def _row_short(report: Report, table: str, row: str) -> str:
    r = report.layouts.of(table).row(row)
    return r.short or r.label


def _identity_message(report: Report, ev: Evaluation, cells: dict) -> str:
    i = ev.identity
    e, a = fmt_number(_clean(ev.expected)), fmt_number(_clean(ev.actual))
    if i.rule == "T3-ROW":
        return f"{_row_short(report, 't3', i.scope)}：各类申请人之和为 {e}，总计栏填 {a}"
    col = _col_label(i.table, i.scope) if i.table == "t3" else ""
    if i.rule == "T3-BAL":
        return f"{col}栏：第一项加第二项之和为 {e}，第三项加第四项之和为 {a}"
    if i.rule == "T3-LEAF":
        return f"{col}栏：各项办理结果之和为 {e}，（七）总计填 {a}"
    if i.rule == "T3-BAL-LEAF":
        return f"{col}栏：第一项加第二项之和为 {e}，各项办理结果之和加结转下年度为 {a}"
    if i.rule == "Y-CARRY":
        return f"{col}栏：本年“上年结转”为 {a}，上年报告“结转下年度继续办理”为 {e}"
    if i.rule in ("Y-VALID", "Y-PUBTOT", "Y-ITEMS"):
        return _cross_t2_message(report, ev, cells)
    if i.rule == "T4-SUM":
        return f"{_row_short(report, 't4', i.scope)}：结果维持、结果纠正、其他结果、尚未审结之和为 {e}，总计填 {a}"
    return f"{i.rule}：应为 {e}，实为 {a}"  # pragma: no cover


def _cross_t2_message(report: Report, ev: Evaluation, cells: dict) -> str:
    i = ev.identity
    name = _row_short(report, "t2", i.scope)

    def v(k):
        c = cells.get(k)
        return fmt_number(c.value) if c is not None and c.known else "空"

    r = i.scope
    if i.rule == "Y-VALID":
        return (f"{name}：上年现行有效 {v(PRIOR + f't2.{r}.in_force')} + 本年制发 {v(f't2.{r}.issued')} − "
                f"本年废止 {v(f't2.{r}.repealed')} 应为 "
                f"{fmt_number(_clean(ev.expected - _num(cells, f't2.{r}.repealed')[0]))}，"
                f"现行有效件数填 {v(f't2.{r}.in_force')}")
    if i.rule == "Y-PUBTOT":
        return (f"{name}：上年对外公开总数量 {v(PRIOR + f't2.{r}.total_published')} + 本年新公开 "
                f"{v(f't2.{r}.new_published')} = {fmt_number(_clean(ev.expected))}，"
                f"对外公开总数量填 {v(f't2.{r}.total_published')}")
    return (f"{name}：上年报告的上一年项目数量 {v(PRIOR + f't2.{r}.prior_items')} + 增/减 "
            f"{v(PRIOR + f't2.{r}.change')} = {fmt_number(_clean(ev.expected))}，"
            f"上一年项目数量填 {v(f't2.{r}.prior_items')}")



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
    out = []
    cells = report.cells
    if report.layouts.t2 == FORMAT_2021:
        for row in ("regulations", "normative_documents"):
            keys = [f"t2.{row}.{c}" for c in ("issued", "repealed", "in_force")]
            vals = [report.value(k) for k in keys]
            if None in vals:
                continue
            issued, repealed, in_force = vals
            if in_force + repealed < issued:
                name = _row_short(report, "t2", row)
                out.append(Finding("T2-VALID", WARNING, keys,
                                   f"{name}：现行有效件数 {fmt_number(in_force)} 加本年废止件数 "
                                   f"{fmt_number(repealed)} 小于本年制发件数 {fmt_number(issued)}",
                                   expected=_clean(issued), actual=_clean(in_force + repealed)))
    else:
        for row in ("regulations", "normative_documents"):
            k_new, k_tot = f"t2.{row}.new_published", f"t2.{row}.total_published"
            new, tot = report.value(k_new), report.value(k_tot)
            if new is not None and tot is not None and new > tot:
                name = _row_short(report, "t2", row)
                out.append(Finding("T2-PUB", WARNING, [k_new, k_tot],
                                   f"{name}：本年新公开数量 {fmt_number(new)} 大于对外公开总数量 {fmt_number(tot)}",
                                   expected=_clean(tot), actual=_clean(new)))
    fee_key = "t2.fees.amount"
    fee = cells.get(fee_key)
    if fee is not None and fee.known and fee.unit in ("元",) and report.layouts.t2 == FORMAT_2021:
        out.append(Finding("T2-UNIT", WARNING, [fee_key],
                           f"行政事业性收费金额填为“{fee.raw}”，单位应为万元",
                           actual=fee.value, suspect=fee_key, suggested=_clean(fee.value / 10000)))
    return out


@rule("F-TEMPLATE", "F-ROWSET")
def _format_findings(report: Report) -> list[Finding]:
    out = []
    y = report.year
    all_keys = list(report.cells)
    if report.template == FORMAT_2019 and y is not None and y >= 2021:
        out.append(Finding("F-TEMPLATE", ERROR, [k for k in all_keys if k.startswith("t2.")],
                           f"{y}年度报告使用了旧版（2019年版）格式，应使用2021年版格式"
                           f"（国办公开办函〔2021〕30号）",
                           detail={"fingerprints": report.fingerprints.get(FORMAT_2019, [])}))
    elif report.template == FORMAT_2021 and y is not None and y <= 2020:
        out.append(Finding("F-TEMPLATE", WARNING, [k for k in all_keys if k.startswith("t2.")],
                           f"{y}年度报告应使用2019年版格式，却使用了2021年版格式"))
    elif report.template == "unknown":
        out.append(Finding("F-TEMPLATE", WARNING, [], "无法判断报告所用的格式版本"))
    if report.template == FORMAT_2021 and report.layouts.t3 == FORMAT_2019:
        keys = [k for k in all_keys if k.startswith("t3.other.")]
        out.append(Finding("F-ROWSET", WARNING if (y is None or y >= 2021) else INFO, keys,
                           "表三（六）其他处理只有一行，2021年版格式应分列 1. 逾期不补正、"
                           "2. 逾期未缴纳费用、3. 其他 三项"))
    elif report.template == FORMAT_2019 and report.layouts.t3 == FORMAT_2021:
        keys = [k for k in all_keys if k.startswith("t3.other_")]
        out.append(Finding("F-ROWSET", WARNING, keys, "表三（六）其他处理分列三项，与2019年版格式不一致"))
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
    if report.template != FORMAT_2021 or report.year is None or report.year < 2021:
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
