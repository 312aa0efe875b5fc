"""The identity engine: identities derived from the format data (within a
report and across years), their evaluation over known and unknown cells,
the suspect-cell reasoning and the messages that say what broke.

Blank, placeholder and unreadable cells are *unknown*: an identity with
unknown cells fails only when no non-negative values of them could make it
hold.  Suspect: in each connected set of failing identities, the one cell
that lies on every failing identity, on none that holds, and whose one value
makes them all hold; otherwise none."""
from __future__ import annotations

from dataclasses import dataclass

from . import formats
from .catalogue import RULES
from .confidence import doubtful
from .formats import T3_PART_COLUMNS, T4_PART_COLUMNS
from .model import ERROR, Report
from .text import fmt_number

PRIOR = formats.PRIOR   # prefix of the prior year's cell keys in cross-year findings

LEAVES = "<leaves>"   # expands to the leaf rows of the layout
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
# Y-CARRY holds between any two formats (table 三's carried rows are the same);
# the others belong to a format (formats.Format.cross_year) and link two
# reports in it.
COMMON_CROSS_YEAR = (
    ("Y-CARRY", "t3", None, "column", ("carried_over",), (PRIOR + "carried_forward",)),
)


def cross_year_links() -> list[tuple]:
    return list(COMMON_CROSS_YEAR) + [(c.rule, c.table, (f.id, f.id), c.rows, c.actual, c.expected)
                                      for f in formats.REGISTRY.values() for c in f.cross_year]


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
    for rule, table, needs, rows, act, exp in cross_year_links():
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


def _failing_groups(evals: list[Evaluation]) -> list[list[int]]:
    """The failing hard identities (errors), by index, in connected sets of
    identities that share cells."""
    failing = [i for i, e in enumerate(evals)
               if e.state == FAILS and RULES[e.identity.rule].severity == ERROR]
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
    return list(groups.values())


def _group_suspect(cells: dict, evals: list[Evaluation], members: list[int],
                   holding_cells: set[str]) -> tuple[str, float] | None:
    """The one cell on every identity of the set, on no identity that holds,
    whose corrected value (the same from each identity, non-negative, whole
    where the cell is) makes them all hold; None when not exactly one."""
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
    return candidates[0] if len(candidates) == 1 else None


def _suspects(cells: dict, evals: list[Evaluation]) -> dict[int, tuple[str, float] | None]:
    """For each failing evaluation (by index), the suspect of its connected set.
    Only hard identities (errors) take part; last year's cells are never suspects."""
    holding_cells = {k for e in evals if e.state == HOLDS for k in e.identity.cells}
    result: dict[int, tuple[str, float] | None] = {}
    for members in _failing_groups(evals):
        pick = _group_suspect(cells, evals, members, holding_cells)
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
    return {c.key: c.label for c in formats.layout(table, formats.newest().id).columns}[col]


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
