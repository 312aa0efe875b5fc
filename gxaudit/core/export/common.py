"""What the workbook and the printed summary both say about a review:
counts, the verdict, the colour of a cell, readable names."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .. import formats
from ..formats import FORMAT_NAMES, TABLE_NAMES, spec_for
from ..model import EDITED, ERROR, SEVERITIES, SEVERITY_NAMES, WARNING
from ..review import (ACCEPTED, CORRECTED, FINDING_STATUS_NAMES, FINDING_STATUSES, OPEN,
                      OVERRIDDEN, FindingState, Review)
from ..text import fmt_number, printable

# Cell states in the table sheets (the same reading as the review grid).
S_SUSPECT = "suspect"          # named by an open finding as the cell to correct
S_ERROR = "error"              # read by an open error finding that names no suspect
S_WARNING = "warning"          # read by an open warning finding that names no suspect
S_PARTICIPANT = "participant"  # read by an open finding that names another cell
S_CORRECTED = "corrected"      # changed by the auditor
S_RESOLVED = "resolved"        # every finding on it accepted or overridden

STATE_NAMES = {
    S_SUSPECT: "疑似出错（建议更正的单元格）",
    S_ERROR: "错误（涉及的单元格）",
    S_WARNING: "警告（需要说明）",
    S_PARTICIPANT: "参与出错的勾稽关系",
    S_CORRECTED: "已更正（批注中保留原值）",
    S_RESOLVED: "已确认或已豁免",
}


def cell_label(key: str) -> str:
    spec = spec_for(key)
    return spec.label if spec else key


def table_name(key: str) -> str:
    return TABLE_NAMES.get(key.split(".", 1)[0], "")


def format_name(template: str) -> str:
    return FORMAT_NAMES.get(template, "格式未识别")


def _short(fmt_id: str) -> str | None:
    fmt = formats.by_id(fmt_id)
    return fmt.short if fmt else None


def layout_note(report, table: str) -> str:
    """A note when a table was read with another format's layout than the
    report's own (e.g. a 2021 report whose 表三 has one （六） row): the report
    keeps one format everywhere, the difference is said, not renamed."""
    lay = report.table_layout(table)
    if _short(report.template) is None or lay.layout == report.template:
        return ""
    return (f"注意：本报告为{_short(report.template)}格式，但{TABLE_NAMES.get(table, table)}"
            f"的行列与{_short(lay.layout) or lay.layout}表式一致，按该表式读取，请核对原表。")


def layout_notes(report) -> list[str]:
    from ..formats import TABLES
    return [n for n in (layout_note(report, t) for t in TABLES) if n]


def severity_counts(states: list[FindingState]) -> dict[str, int]:
    c = Counter(s.finding.severity for s in states if s.status != CORRECTED)
    return {SEVERITY_NAMES[s]: c[s] for s in SEVERITIES}


def status_counts(states: list[FindingState]) -> dict[str, int]:
    c = Counter(s.status for s in states)
    return {FINDING_STATUS_NAMES[s]: c[s] for s in FINDING_STATUSES}


@dataclass(frozen=True)
class Verdict:
    short: str       # 不通过 · 需更正 · 通过（有警告） · 通过
    text: str        # one sentence


def verdict(review: Review) -> Verdict:
    states = review.finding_states()
    err = Counter(s.status for s in states if s.finding.severity == ERROR)
    warn_open = sum(1 for s in states if s.finding.severity == WARNING and s.status == OPEN)
    tail = f"另有 {warn_open} 个警告待说明。" if warn_open else ""
    if err[OPEN] or err[ACCEPTED]:
        parts = [f"{name} {err[status]} 个" for status, name in ((OPEN, "待处理"), (ACCEPTED, "已确认"))
                 if err[status]]
        return Verdict("不通过", f"报告存在错误（{'，'.join(parts)}），需要发布机关更正。{tail}")
    if err[CORRECTED]:
        return Verdict("需更正", f"原报告有 {err[CORRECTED]} 个错误，审核中已确定更正值（见修改记录），"
                                f"需要发布机关据此更正。{tail}")
    if err[OVERRIDDEN]:
        return Verdict("通过（有说明）", f"{err[OVERRIDDEN]} 个错误经审核人说明予以豁免。{tail}")
    if warn_open:
        return Verdict("通过（有警告）", f"未发现错误。{tail}")
    return Verdict("通过", "未发现错误，勾稽关系全部成立。")


def cell_states(review: Review) -> dict[str, tuple[str, list[FindingState]]]:
    """Each flagged or corrected cell: its state and the findings that read it
    (corrected findings included, so the comment can say what was fixed)."""
    per_cell: dict[str, list[FindingState]] = {}
    for st in review.finding_states():
        for k in st.finding.cells:
            per_cell.setdefault(k, []).append(st)
    out: dict[str, tuple[str, list[FindingState]]] = {}
    cells = review.report.cells
    for key in set(per_cell) | {k for k, c in cells.items() if c.status == EDITED}:
        states = per_cell.get(key, [])
        live = [s for s in states if s.status != CORRECTED]
        open_ = [s for s in live if s.status == OPEN]
        direct = {s.finding.severity for s in open_ if s.finding.suspect is None}
        if any(s.finding.suspect == key for s in open_):
            state = S_SUSPECT
        elif ERROR in direct:
            state = S_ERROR
        elif WARNING in direct:
            state = S_WARNING
        elif open_:
            state = S_PARTICIPANT
        elif key in cells and cells[key].status == EDITED:
            state = S_CORRECTED
        elif live:
            state = S_RESOLVED
        else:
            continue
        out[key] = (state, states)
    return out


def finding_line(st: FindingState, key: str | None = None) -> str:
    f = st.finding
    text = f"[{SEVERITY_NAMES[f.severity]}] {f.rule}：{f.message}"
    if f.expected is not None or f.actual is not None:
        text += f"（应为 {fmt_number(f.expected)}，实为 {fmt_number(f.actual)}）"
    if key is not None and f.suspect == key:
        text += f"；疑似出错，建议改为 {fmt_number(f.suggested)}"
    text += f"　— {FINDING_STATUS_NAMES[st.status]}"
    if st.decision is not None:
        text += f"：{st.decision.reason}"
    return text


def clean_text(text: object, limit: int = 32000) -> str:
    """Text safe for a spreadsheet cell or a comment: no control characters
    (XML cannot carry them), at most ``limit`` characters."""
    s = printable(text)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return s
