"""Blank cells: grouped warnings, and what blank-stopped identities give with blanks as 0.

Blank is not zero (domain.md): a blank cell is never filled in.  But a report
with a whole column left blank used to get one F-BLANK warning per row (26 on
one real report) and no word on the identities those blanks leave open.  Here

* **F-BLANK** is grouped: a column blank in ``COLUMN_MIN`` rows or more of a
  table is one finding for that column; the blanks left over are one finding
  per row, as before (a single blank cell keeps the value the identities
  imply as its suggestion);
* **F-BLANK-SUM**: an identity that two or more blanks leave undecidable (it
  could still hold, whatever the blanks hide; one blank alone is pinned down
  and F-BLANK suggests its value) but that would fail with every blank as 0
  gets a finding of its own, saying what it gives then
  ("如空白按 0 计：各项办理结果之和为 0，（七）总计填 805").  It is a
  warning, never an error, and names no suspect: the blanks may well be
  numbers nobody typed in.
"""
from __future__ import annotations

from . import formats
from .model import BLANK, WARNING, Finding, Report

# A column blank in at least this many rows of one table is one finding.
COLUMN_MIN = 3
# Rows named in a column finding's message, at most.
MAX_NAMED = 4


def blank_findings(report: Report, evals: list, cells: dict) -> list[Finding]:
    return _grouped(report, evals) + _as_zero(report, evals, cells)


def _blank_rows(report: Report, t: str) -> dict[str, list[str]]:
    """Row key -> its blank cell keys, in template order (rows found only)."""
    lay = report.layouts.of(t)
    missing = set(report.missing_rows)
    out: dict[str, list[str]] = {}
    for row in lay.all_rows():
        rid = f"{t}.{row.key}"
        if rid in missing:
            continue
        keys = [f"{rid}.{c.key}" for c in lay.row_columns(row.key)
                if report.cells[f"{rid}.{c.key}"].status == BLANK]
        if keys:
            out[row.key] = keys
    return out


def _grouped(report: Report, evals: list) -> list[Finding]:
    out: list[Finding] = []
    for t in formats.TABLES:
        lay = report.layouts.of(t)
        rows = _blank_rows(report, t)
        cols = _column_groups(rows)
        taken = {k for keys in cols.values() for k in keys}
        labels = {c.key: c.label for c in lay.columns}
        for col, keys in cols.items():
            names = [_row_name(lay, k) for k in keys]
            more = "等" if len(names) > MAX_NAMED else ""
            out.append(Finding("F-BLANK", WARNING, keys,
                               f"{formats.TABLE_NAMES[t]}“{labels.get(col, col)}”栏：{len(keys)} 行空白"
                               f"（{'、'.join(names[:MAX_NAMED])}{more}）"))
        for row_key, keys in rows.items():
            keys = [k for k in keys if k not in taken]
            if keys:
                out.append(_row_finding(report, lay, row_key, keys, evals))
    return out


def _column_groups(rows: dict[str, list[str]]) -> dict[str, list[str]]:
    """Columns whose blanks are one finding: the longest line of blanks first,
    row or column (a row on a tie), until no column holds ``COLUMN_MIN`` blanks left over."""
    left = {k for keys in rows.values() for k in keys}
    groups: dict[str, list[str]] = {}
    while True:
        by_col: dict[str, list[str]] = {}
        by_row: dict[str, list[str]] = {}
        for keys in rows.values():
            for k in keys:
                if k in left:
                    by_col.setdefault(k.rsplit(".", 1)[1], []).append(k)
                    by_row.setdefault(k.rsplit(".", 1)[0], []).append(k)
        col, ckeys = max(by_col.items(), key=lambda kv: len(kv[1]), default=("", []))
        rkeys = max(by_row.values(), key=len, default=[])
        if len(ckeys) < COLUMN_MIN:
            return groups
        if len(rkeys) >= len(ckeys):
            left -= set(rkeys)          # a row's blanks: reported by row
            continue
        groups[col] = ckeys
        left -= set(ckeys)


def _row_name(lay: formats.TableLayout, key: str) -> str:
    r = lay.row(key.split(".")[1])
    return r.short or r.label


def _row_finding(report: Report, lay: formats.TableLayout, row_key: str, keys: list[str],
                 evals: list) -> Finding:
    from .engine import CellView, implied_value
    from .text import fmt_number
    row = lay.row(row_key)
    labels = {c.key: c.label for c in lay.row_columns(row_key)}
    cols = "、".join(labels.get(k.rsplit(".", 1)[1], k) for k in keys)
    msg = f"{formats.TABLE_NAMES[lay.table]}{row.short or row.label}：{cols}空白"
    suspect = suggested = None
    if len(keys) == 1:
        v = implied_value(CellView.of(report), keys[0], evals)
        if v is not None:
            suspect, suggested = keys[0], v
            msg += f"；按勾稽关系应为 {fmt_number(v)}"
    return Finding("F-BLANK", WARNING, keys, msg, suspect=suspect, suggested=suggested)


def _as_zero(report: Report, evals: list, cells: dict) -> list[Finding]:
    """Identities left undecidable only by blank cells, that fail with blanks as 0."""
    from .catalogue import RULES
    from .engine import UNDETERMINED, _clean, _eq, _identity_message
    from .model import ERROR
    out: list[Finding] = []
    for ev in evals:
        if ev.state != UNDETERMINED or RULES[ev.identity.rule].severity != ERROR:
            continue
        if len(ev.unknown) < 2 or any(k not in report.cells or report.cells[k].status != BLANK
                                 for k in ev.unknown):
            continue
        if _eq(ev.expected - ev.actual, 0):
            continue
        msg = "如空白按 0 计：" + _identity_message(report, ev, cells) + \
            f"（{len(ev.unknown)} 格空白，无法判断是否相符）"
        out.append(Finding("F-BLANK-SUM", WARNING, list(ev.identity.cells), msg,
                           expected=_clean(ev.expected), actual=_clean(ev.actual),
                           detail={"rule": ev.identity.rule, "blank": list(ev.unknown)}))
    return out
