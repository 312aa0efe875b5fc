"""The annotated, corrected workbook of a review (openpyxl, imported lazily).

Sheets, in order:

* 概要 — who, what, when, the verdict, counts, a colour legend, a chart and
  links to the other sheets;
* 表二 / 表三 / 表四 — laid out like the national format, merged headers
  and all, from :mod:`gxaudit.core.grid`; corrected values in place with
  the original in the cell's comment; fills by state;
* 问题清单 — one row per finding with its status, a drop-down of statuses,
  an autofilter and a link to the cell;
* 修改记录 — the review's log;
* ``_gxaudit`` (very hidden) — the review itself as JSON, so that
  ``gxaudit check`` can read the workbook back (see
  :mod:`gxaudit.core.ingest.workbook`).

Everything that comes from the report or the auditor is written as text,
never as a formula, whatever character it starts with.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from pathlib import Path

from ... import __version__
from ..formats import TABLES
from ..grid import Grid
from ..model import SEVERITY_NAMES, Report, ReportError
from ..review import CORRECTED, FINDING_STATUS_NAMES, FINDING_STATUSES, FindingState, Review
from ..review_types import now_iso
from ..rules import RULES, RULESET_VERSION
from ..text import fmt_number
from ..files import atomic_path
from . import common, narrative_sheet
from .log_sheet import log_sheet
from .sheet import HEADER_FILL, _fill, _properties, _link, _number, _print_setup, _thin, put, text_width
from .common import S_SUSPECT, STATE_NAMES, cell_label
from .table_sheet import FILL, TABLE_SHEETS, grid_cell, table_sheet

log = logging.getLogger("gxaudit.export")

SHEET_SUMMARY = "概要"
SHEET_FINDINGS = "问题清单"
SHEET_LOG = "修改记录"
SHEET_DATA = "_gxaudit"
DATA_MARKER = "gxaudit-review"
DATA_SCHEMA = 1
CHUNK = 30000                                # characters per cell (Excel's limit is 32,767)
SEVERITY_FILL = {"error": "F8C9C4", "warning": "FBE9A6", "info": "DBE9F6"}
STATUS_FILL = {"open": "FDECEB", "accepted": "FBE9A6", "overridden": "E6E6E6", "corrected": "C9E7CF"}

# Widths that print on landscape A4 at about 90% (long text wraps; the
# link column 定位 and the hidden id are left out of the print area).
FINDING_COLUMNS = (
    ("序号", 4), ("规则", 9), ("规则名称", 10), ("严重程度", 5), ("说明", 30), ("涉及单元格", 18),
    ("应为", 6), ("实为", 6), ("疑似出错单元格", 14), ("建议值", 6), ("状态", 7), ("理由", 14),
    ("处理人", 7), ("处理时间", 11), ("批注", 10), ("定位", 9), ("问题编号", 30),
)
FINDINGS_PRINTED = 15                        # columns 序号 … 批注
# -- the 概要 sheet ---------------------------------------------------------------

def _facts(ws, review: Review, stamp: str) -> int:
    """Who, what and when, from row 3; returns the next free row."""
    from openpyxl.styles import Alignment
    rep = review.report
    src = rep.source
    v = common.verdict(review)
    rows = [
        ("机关名称", rep.agency or "（未识别）"),
        ("报告年度", rep.year if rep.year else "（未识别）"),
        ("报告格式", common.format_name(rep.template)),
        *(("表式说明", n) for n in common.layout_notes(rep)),
        ("落款日期", rep.published or "（未识别）"),
        ("来源文件", src.path),
        ("来源格式", src.format),
        ("来源 SHA-256", src.sha256),
        ("审核人", review.reviewer),
        ("审核开始", review.created),
        ("最后修改", review.updated),
        ("导出时间", stamp),
        ("审核结论", f"{v.short}：{v.text}"),
        ("gxaudit 版本", __version__),
        ("规则集版本", RULESET_VERSION),
    ]
    r = 3
    for label, value in rows:
        put(ws, r, 1, label, bold=True, fill=HEADER_FILL, border=True)
        c = put(ws, r, 2, value, border=True, wrap=True)
        c.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        lines = math.ceil(text_width(str(value)) / 56)
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines + 3
        r += 1
    return r


def _counts(ws, r: int, states: list[FindingState]) -> int:
    put(ws, r, 1, "问题统计", bold=True, size=12)
    r += 1
    for heading, counts in (("按严重程度", common.severity_counts(states)),
                            ("按处理状态", common.status_counts(states))):
        put(ws, r, 1, heading, bold=True, fill=HEADER_FILL, border=True)
        put(ws, r, 2, "个数", bold=True, fill=HEADER_FILL, border=True)
        r += 1
        for name, n in counts.items():
            put(ws, r, 1, name, border=True)
            put(ws, r, 2, n, border=True, align="left")
            r += 1
    return r


def _figure(v) -> str:
    return "—" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))


def _prior_figures(ws, r: int, rep: Report, prior: Report) -> int:
    """Last year's report and the main figures of both years."""
    from .charts import key_figures
    put(ws, r, 1, "上年对照", bold=True, size=12)
    r += 1
    put(ws, r, 1, "上年报告", bold=True, fill=HEADER_FILL, border=True)
    put(ws, r, 2, f"{prior.agency or '（未识别）'} {prior.year or '?'}年度　{os.path.basename(prior.source.path)}"
                  f"（sha256 {prior.source.sha256[:12]}…）", border=True, wrap=True)
    r += 1
    now, before = key_figures(rep), key_figures(prior)
    put(ws, r, 1, "主要数字", bold=True, fill=HEADER_FILL, border=True)
    put(ws, r, 2, f"{rep.year or '本'}年　／　{prior.year or '上'}年", bold=True, fill=HEADER_FILL, border=True)
    r += 1
    for name in now:
        put(ws, r, 1, name, border=True)
        put(ws, r, 2, f"{_figure(now[name])}　／　{_figure(before[name])}", border=True)
        r += 1
    return r


def _legend(ws, r: int) -> int:
    put(ws, r, 1, "颜色说明", bold=True, size=12)
    r += 1
    for state, desc in STATE_NAMES.items():
        put(ws, r, 1, "示例", fill=FILL[state], border=True, align="center",
            color="FFFFFF" if state == S_SUSPECT else None, bold=state == S_SUSPECT)
        put(ws, r, 2, desc, border=True)
        r += 1
    put(ws, r, 1, "批注", border=True, align="center")
    put(ws, r, 2, "表格中带批注的单元格：说明规则、应为与实为、原值", border=True)
    return r


def _general_note(ws, r: int, general: str) -> int:
    from openpyxl.styles import Alignment
    put(ws, r, 1, "审核意见", bold=True, size=12)
    r += 1
    c = put(ws, r, 1, general, wrap=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    c.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.row_dimensions[r].height = 15 * max(1, math.ceil(text_width(general) / 74)) + 3
    return r


def _chart(ws, rep: Report, states: list[FindingState], prior: Report | None) -> None:
    """The chart, to the right of the facts."""
    png = None
    try:
        from .charts import overview_png
        png = overview_png(rep, common.status_counts(states), prior)
    except Exception:  # noqa: BLE001 - a chart must never stop the export
        log.exception("chart for the workbook failed")
    if png:
        import io

        from openpyxl.drawing.image import Image
        img = Image(io.BytesIO(png))
        img.anchor = "D3"
        ws.add_image(img)
    else:
        put(ws, 3, 4, "（未找到中文字体，未生成图表）")


def _summary_sheet(ws, review: Review, states: list[FindingState], stamp: str,
                   prior: Report | None) -> int:
    """Fill the 概要 sheet; returns the row where the sheet links go."""
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 58
    ws.column_dimensions["C"].width = 3
    put(ws, 1, 1, "政府信息公开工作年度报告审核工作簿", bold=True, size=15)
    ws.row_dimensions[1].height = 26
    r = _facts(ws, review, stamp) + 1
    r = _counts(ws, r, states) + 1
    if prior is not None:
        r = _prior_figures(ws, r, review.report, prior) + 1
    r = _legend(ws, r) + 2
    general = review.notes.get("")
    if general:
        r = _general_note(ws, r, general) + 2
    _chart(ws, review.report, states, prior)
    return r


def _links(ws, row: int, sheets: list[str]) -> None:
    put(ws, row, 1, "工作表", bold=True, size=12)
    row += 1
    desc = {"表二": "主动公开政府信息情况", "表三": "收到和处理政府信息公开申请情况",
            "表四": "行政复议、行政诉讼情况", SHEET_FINDINGS: "每个问题一行：规则、应为与实为、处理状态",
            SHEET_LOG: "审核过程中的每一次修改、确认、豁免和批注"}
    for name in sheets:
        c = put(ws, row, 1, name, border=True)
        _link(c, name, "A1")
        put(ws, row, 2, desc.get(name, ""), border=True)
        row += 1


def _cells_text(keys: list[str]) -> str:
    if len(keys) <= 4:
        return "、".join(cell_label(k) for k in keys)
    return f"{cell_label(keys[0])}、{cell_label(keys[1])} …… {cell_label(keys[-1])}，共 {len(keys)} 个单元格"


def _decided_by(review: Review, st: FindingState) -> tuple[str, str, str]:
    """Reason, who and when for a finding's status."""
    from ..viewmodels import local_time
    if st.decision is not None:
        return st.decision.reason, st.decision.who, local_time(st.decision.at)
    if st.status == CORRECTED:
        cells = set(st.finding.cells)
        for e in reversed(review.log):
            if e.action in ("edit", "revert") and e.target in cells:
                return (f"更正 {cell_label(e.target)} 为 {fmt_number(e.after)}" +
                        (f"（{e.reason}）" if e.reason else ""), e.who, local_time(e.at))
        return "更正后不再出现", "", ""
    return "", "", ""


_COL = {name: i for i, (name, _) in enumerate(FINDING_COLUMNS, start=1)}


def _finding_values(review: Review, i: int, st: FindingState) -> dict:
    f = st.finding
    reason, who, at = _decided_by(review, st)
    return {
        "序号": i, "规则": f.rule, "规则名称": RULES[f.rule].name if f.rule in RULES else "",
        "严重程度": SEVERITY_NAMES.get(f.severity, f.severity), "说明": f.message,
        "涉及单元格": _cells_text(f.cells),
        "应为": _number(f.expected), "实为": _number(f.actual),
        "疑似出错单元格": cell_label(f.suspect) if f.suspect else "",
        "建议值": _number(f.suggested), "状态": FINDING_STATUS_NAMES[st.status],
        "理由": reason, "处理人": who, "处理时间": at,
        "批注": review.notes.get(f.id, ""), "问题编号": f.id,
    }


def _finding_link(ws, r: int, f, grids: dict[str, Grid]) -> None:
    """The 定位 cell: a link to the finding's (suspect) cell on its table sheet."""
    target = f.suspect or next((k for k in f.cells if k.split(".", 1)[0] in grids), None)
    link_cell = ws.cell(row=r, column=_COL["定位"])
    link_cell.border = _thin()
    if target and target.split(".", 1)[0] in grids:
        sheet = TABLE_SHEETS[target.split(".", 1)[0]]
        coord = grid_cell(grids[target.split(".", 1)[0]], target)
        if coord:
            put(ws, r, _COL["定位"], f"{sheet}!{coord}", border=True)
            _link(link_cell, sheet, coord)


def _finding_row(ws, r: int, i: int, st: FindingState, review: Review, grids: dict[str, Grid]) -> None:
    from openpyxl.styles import Alignment
    f = st.finding
    lines = 1
    for name, value in _finding_values(review, i, st).items():
        c = put(ws, r, _COL[name], value, border=True)
        # Everything wraps: text running over into the next cells would
        # also widen the printed page.
        c.alignment = Alignment(vertical="top", wrap_text=True)
        if isinstance(value, str) and name != "问题编号":
            width = FINDING_COLUMNS[_COL[name] - 1][1] - 1
            lines = max(lines, math.ceil(text_width(value) / width))
    ws.cell(row=r, column=_COL["严重程度"]).fill = _fill(SEVERITY_FILL.get(f.severity, "FFFFFF"))
    ws.cell(row=r, column=_COL["状态"]).fill = _fill(STATUS_FILL.get(st.status, "FFFFFF"))
    _finding_link(ws, r, f, grids)
    ws.row_dimensions[r].height = min(15 * lines + 3, 200)


def _status_choices(ws, last: int) -> None:
    """A drop-down of the statuses on the 状态 column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    names = ",".join(FINDING_STATUS_NAMES[s] for s in FINDING_STATUSES)
    dv = DataValidation(type="list", formula1=f'"{names}"', allow_blank=False,
                        showDropDown=False)
    dv.promptTitle = "处理状态"
    dv.prompt = "从列表中选择处理状态"
    dv.errorTitle = "处理状态"
    dv.error = "请从列表中选择：" + names.replace(",", "、")
    dv.showErrorMessage = True
    dv.showInputMessage = True
    letter = get_column_letter(_COL["状态"])
    dv.add(f"{letter}2:{letter}{last}")
    ws.add_data_validation(dv)


def _findings_sheet(ws, review: Review, states: list[FindingState], grids: dict[str, Grid],
                    stamp: str) -> None:
    from openpyxl.utils import get_column_letter

    for c, (name, width) in enumerate(FINDING_COLUMNS, start=1):
        put(ws, 1, c, name, bold=True, fill=HEADER_FILL, border=True, align="center", wrap=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.row_dimensions[1].height = 33               # two lines: narrow columns wrap their names
    for i, st in enumerate(states, start=1):
        _finding_row(ws, i + 1, i, st, review, grids)
    last = len(states) + 1
    # The id is for reading the workbook back by machine, not for the eye.
    ws.column_dimensions[get_column_letter(_COL["问题编号"])].hidden = True
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FINDING_COLUMNS))}{last}"
    ws.freeze_panes = "C2"
    ws.print_area = f"A1:{get_column_letter(FINDINGS_PRINTED)}{last}"
    if states:
        _status_choices(ws, last)
    _print_setup(ws, review, "1:1", stamp)


def _data_sheet(wb, review: Review) -> None:
    """The review as JSON, for reading the workbook back.  ASCII-only JSON, so
    no character can trouble the XML; chunks under Excel's cell limit."""
    ws = wb.create_sheet(SHEET_DATA)
    payload = json.dumps(review.to_json(), ensure_ascii=True, separators=(",", ":"))
    chunks = [payload[i: i + CHUNK] for i in range(0, len(payload), CHUNK)] or [""]
    put(ws, 1, 1, DATA_MARKER)
    put(ws, 1, 2, DATA_SCHEMA)
    put(ws, 1, 3, hashlib.sha256(payload.encode("ascii")).hexdigest())
    put(ws, 1, 4, len(chunks))
    put(ws, 1, 5, __version__)
    for i, chunk in enumerate(chunks, start=2):
        put(ws, i, 1, chunk)
    ws.sheet_state = "veryHidden"


# -- the entry point -------------------------------------------------------------

def export_workbook(review: Review, path: str | os.PathLike, prior: Report | None = None) -> Path:
    """Write the annotated, corrected workbook of ``review`` to ``path``
    (atomically: a temporary file renamed over the target)."""
    try:
        from openpyxl import Workbook
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise ReportError("缺少 openpyxl，无法导出 Excel 工作簿。") from exc
    review = review.snapshot()          # frozen: the auditor may keep editing meanwhile
    path = Path(path)
    if prior is None:
        prior = getattr(review, "prior", None)
    stamp = now_iso()
    states = review.finding_states()
    flagged = common.cell_states(review)

    wb = Workbook()
    summary = wb.active
    summary.title = SHEET_SUMMARY
    links_row = _summary_sheet(summary, review, states, stamp, prior)
    grids: dict[str, Grid] = {}
    for table in TABLES:
        grids[table] = table_sheet(wb, review, table, flagged, stamp)
    _findings_sheet(wb.create_sheet(SHEET_FINDINGS), review, states, grids, stamp)
    narrative_sheet.add_narrative_sheet(wb, review, states, stamp)
    sheets = [TABLE_SHEETS[t] for t in TABLES] + [SHEET_FINDINGS]
    if review.log:                  # none for an empty log: LibreOffice prints even a hidden sheet
        log_sheet(wb.create_sheet(SHEET_LOG), review, stamp)
        sheets.append(SHEET_LOG)
    _links(summary, links_row, sheets)
    summary.freeze_panes = "A3"
    _print_setup(summary, review, None, stamp)
    _data_sheet(wb, review)
    _properties(wb, review, stamp)
    wb.active = 0

    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except OSError as exc:
        raise ReportError(f"无法写入工作簿 {path}：{exc.strerror or exc}") from exc
    log.info("workbook written: %s", path)
    return path
