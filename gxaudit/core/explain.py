"""Why a broken identity names no suspect: the cells that could each explain it.

When an identity fails and no single cell is picked as the suspect, the
auditor still wants to know where to look.  A cell *could explain* the break
when changing it alone (to a non-negative value of its kind) makes every
failing identity it shares with the finding hold, and it does not sit on an
identity that holds.  This is the suspect reasoning of the rules without the
final "exactly one" choice, kept apart so the rules can be restructured freely.
"""
from __future__ import annotations

from .formats import spec_for
from .model import Finding, Report

# The identity engine, through one import site.
from .rules import FAILS, HOLDS, PRIOR, RULES, CellView, Evaluation, cross_year_identities, evaluate, identities


def _evaluations(report: Report, prior: Report | None) -> tuple[dict, list[Evaluation]]:
    cells = CellView.of(report, prior)
    idents = identities(report.layouts)
    if prior is not None:
        idents += cross_year_identities(report.layouts, prior.layouts)
    return cells, [evaluate(cells, i) for i in idents]


def _solve(cells: dict, ev: Evaluation, key: str) -> float | None:
    """The value of ``key`` that makes ``ev`` hold, the other cells as they are."""
    ident = ev.identity
    if ev.unknown and ev.unknown != (key,):
        return None
    c = cells.get(key)
    cur = c.value if c is not None and c.known else 0
    gap = ev.expected - ev.actual
    if key in ident.actual and key not in ident.expected:
        return cur + gap
    if key in ident.expected and key not in ident.actual:
        return cur - gap
    return None


def _group(evals: list[Evaluation], start: int) -> list[int]:
    """The failing error identities connected to ``start`` through shared cells."""
    failing = {i for i, e in enumerate(evals)
               if e.state == FAILS and RULES[e.identity.rule].severity == "error"}
    failing.add(start)
    group, todo = {start}, [start]
    while todo:
        cur = set(evals[todo.pop()].identity.cells)
        for i in failing - group:
            if cur & set(evals[i].identity.cells):
                group.add(i)
                todo.append(i)
    return sorted(group)


def candidate_cells(report: Report, finding: Finding, prior: Report | None = None) -> list[str] | None:
    """This year's cells that could each, alone, explain a failing identity
    finding (empty when no single cell can; None when it is no identity finding)."""
    cells, evals = _evaluations(report, prior)
    start = next((i for i, e in enumerate(evals)
                  if e.state == FAILS and list(e.identity.cells) == list(finding.cells)
                  and e.identity.rule == finding.rule), None)
    if start is None:
        return None
    members = _group(evals, start)
    common = set(evals[members[0]].identity.cells)
    for i in members[1:]:
        common &= set(evals[i].identity.cells)
    holding = {k for e in evals if e.state == HOLDS for k in e.identity.cells}
    out: list[str] = []
    for key in evals[start].identity.cells:
        if key not in out and key in common and key not in holding and not key.startswith(PRIOR) \
                and _alone_explains(cells, [evals[i] for i in members], key):
            out.append(key)
    return out


def _alone_explains(cells, group, key: str) -> bool:
    """Whether one non-negative value of this known cell makes every identity
    of the group hold (the same value for all of them)."""
    cell = cells.get(key)
    if cell is None or not cell.known:
        return False
    values = {_solve(cells, ev, key) for ev in group}
    if len(values) != 1:
        return False
    v = values.pop()
    return v is not None and v >= 0 and not (isinstance(cell.value, int) and not float(v).is_integer())


def _short_names(keys: list[str]) -> list[str]:
    """Column labels when the cells share a row, row labels when they share a
    column, full cell names otherwise."""
    specs = [spec_for(k) for k in keys]
    if any(s is None for s in specs):
        return keys
    if len({(s.table, s.row.key) for s in specs}) == 1:
        return [s.column.label for s in specs]
    if len({(s.table, s.column.key) for s in specs}) == 1:
        return [s.row.short or s.row.label for s in specs]
    return [s.label for s in specs]


def explain(report: Report, finding: Finding, prior: Report | None = None) -> str | None:
    """One Chinese sentence on where the error of a suspect-less identity
    finding may be; None when the finding has a suspect or is no identity."""
    if finding.suspect is not None or finding.expected is None:
        return None
    keys = candidate_cells(report, finding, prior)
    if keys is None:
        return None
    if not keys:
        return "没有哪一个单元格单独改动就能使等式成立，可能不止一处有误"
    names = _short_names(keys)
    if len(names) == 1:
        return f"{names[0]} 有误（只有这一格能解释差额）"
    return f"{'、'.join(names[:-1])} 或 {names[-1]} 之一有误，无法判断是哪一个"
