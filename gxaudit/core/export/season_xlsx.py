"""The season's overview workbook ``汇总.xlsx`` and the files beside it.

Sheets: 汇总 (one row per file: agency, year, format, source kind, errors
and warnings, counts by rule, verdict, prior used, score, link to the
report's own workbook), 问题清单 (every finding of the season, autofilter),
统计 (counts per rule and per agency, with a chart), 评分 (score per
criterion and in total, rank, reasons) and 扣分明细 (every deduction with its
finding and evidence; waived ones with the auditor's reason).

Every string from a report is written as text (``xlsx.put``), never as a formula.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ..batch import CHECKED, DUPLICATE, OVERVIEW_NAME, UNREADABLE, CheckedReport, Season
from ..history import by_agency
from ..model import SEVERITY_NAMES, ReportError
from ..rules import RULES
from ..score import Rubric, Score, ranks, saved_decisions, score_report
from .sheet import HEADER_FILL, put, text_width
from .xlsx import SEVERITY_FILL

log = logging.getLogger("gxaudit.export")

SHEET_OVERVIEW, SHEET_FINDINGS, SHEET_COUNTS, SHEET_SCORE, SHEET_DEDUCTIONS = \
    "汇总", "问题清单", "统计", "评分", "扣分明细"
SOURCE_KINDS = {"pdf": "PDF（文字层）", "pdf-scan": "扫描件（OCR）", "docx": "Word", "html": "网页",
                "text": "文本", "xlsx": "导出的工作簿"}
STATUS_NAMES = {CHECKED: "已检查", UNREADABLE: "无法读取", DUPLICATE: "重复"}


def verdict_short(entry: CheckedReport, decisions: dict) -> str:
    """不通过 · 通过（有说明） · 通过（有警告） · 通过 — from findings and decisions."""
    errors = [f for f in entry.findings if f.severity == "error"]
    waived = [f for f in errors if getattr(decisions.get(f.id), "status", None) == "overridden"]
    if len(waived) < len(errors):
        return "不通过"
    if waived:
        return "通过（有说明）"
    if entry.count("warning"):
        return "通过（有警告）"
    return "通过"


class SeasonSheet:
    """The season with what the exports need: decisions, scores, ranks, verdicts."""

    def __init__(self, season: Season, rubric: Rubric):
        self.season, self.rubric = season, rubric
        self.checked = season.checked()
        self.decisions = {e.sha256: saved_decisions(e.sha256) for e in self.checked}
        self.scores: dict[str, Score] = {
            e.path: score_report(rubric, e.findings, e.report, self.decisions[e.sha256]) for e in self.checked}
        totals = [self.scores[e.path].total for e in self.checked]
        self.rank = dict(zip((e.path for e in self.checked), ranks(totals)))
        self.verdicts = {e.path: verdict_short(e, self.decisions[e.sha256]) for e in self.checked}
        seen = []
        for e in self.checked:
            for r in e.rules():
                if r not in seen:
                    seen.append(r)
        order = list(RULES)
        self.rule_ids = sorted(seen, key=lambda r: (order.index(r) if r in order else len(order), r))


def _header(ws, row: int, titles: list[str], widths: dict[int, float] | None = None) -> None:
    for i, t in enumerate(titles, 1):
        put(ws, row, i, t, bold=True, fill=HEADER_FILL, border=True, wrap=True, align="center")
        ws.column_dimensions[_col(i)].width = (widths or {}).get(i, max(8, text_width(t) + 2))
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def _col(i: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(i)


def _overview(ws, sheet: SeasonSheet, links: dict[str, str]) -> None:
    fixed = ["序号", "文件", "机关", "年度", "格式", "来源类型", "状态", "错误", "警告"]
    tail = ["结论", "上年报告", "得分", "排名", "说明", "审核工作簿"]
    titles = fixed + [f"{r}" for r in sheet.rule_ids] + tail
    _header(ws, 1, titles, {2: 40, 3: 30, 11 + len(sheet.rule_ids): 30, 13 + len(sheet.rule_ids): 50})
    for n, e in enumerate(sheet.season.entries, 1):
        row = n + 1
        put(ws, row, 1, n)
        put(ws, row, 2, e.path)
        put(ws, row, 7, STATUS_NAMES[e.status])
        t0 = len(fixed) + len(sheet.rule_ids)
        if e.status != CHECKED:
            put(ws, row, t0 + 5, e.reason if e.status == UNREADABLE else f"与 {e.same_as} 重复")
            continue
        r = e.report
        for col, v in ((3, r.agency or "未识别机关"), (4, r.year), (5, r.template),
                       (6, SOURCE_KINDS.get(r.source.format, r.source.format)),
                       (8, e.count("error")), (9, e.count("warning"))):
            put(ws, row, col, v)
        counts = e.rules()
        for i, rid in enumerate(sheet.rule_ids):
            if counts.get(rid):
                put(ws, row, len(fixed) + 1 + i, counts[rid])
        v = sheet.verdicts[e.path]
        put(ws, row, t0 + 1, v, fill=SEVERITY_FILL["error"] if v == "不通过" else None)
        put(ws, row, t0 + 2, e.prior_path or "")
        put(ws, row, t0 + 3, round(sheet.scores[e.path].total, 2))
        put(ws, row, t0 + 4, sheet.rank[e.path])
        if e.path in links:
            c = put(ws, row, t0 + 6, os.path.basename(links[e.path]))
            c.hyperlink = os.path.basename(links[e.path])
    ws.auto_filter.ref = f"A1:{_col(len(titles))}{len(sheet.season.entries) + 1}"


def _findings(ws, sheet: SeasonSheet) -> None:
    titles = ["文件", "机关", "年度", "规则", "规则名称", "级别", "问题", "依据（单元格或原文）", "应为", "实为",
              "疑似单元格", "建议值", "处理状态", "理由"]
    _header(ws, 1, titles, {1: 36, 2: 26, 7: 60, 8: 30, 14: 30})
    from ..score import evidence_text
    row = 1
    for e in sheet.checked:
        dec = sheet.decisions[e.sha256]
        for f in e.findings:
            row += 1
            d = dec.get(f.id)
            info = RULES.get(f.rule)
            vals = [e.path, e.agency or "未识别机关", e.year, f.rule, info.name if info else "",
                    SEVERITY_NAMES.get(f.severity, f.severity), f.message, evidence_text(f, e.report),
                    f.expected, f.actual, f.suspect or "", f.suggested,
                    {"overridden": "已豁免", "accepted": "已确认"}.get(getattr(d, "status", ""), "待处理"),
                    getattr(d, "reason", "") or ""]
            for i, v in enumerate(vals, 1):
                put(ws, row, i, v, fill=SEVERITY_FILL.get(f.severity) if i == 6 else None)
    ws.auto_filter.ref = f"A1:{_col(len(titles))}{row}"


def _counts(ws, sheet: SeasonSheet) -> None:
    from openpyxl.chart import BarChart, Reference
    _header(ws, 1, ["规则", "规则名称", "错误", "警告", "提示", "涉及报告数"], {2: 24})
    row = 1
    for rid in sheet.rule_ids:
        row += 1
        info = RULES.get(rid)
        sev = {s: sum(1 for e in sheet.checked for f in e.findings if f.rule == rid and f.severity == s)
               for s in ("error", "warning", "info")}
        vals = [rid, info.name if info else "", sev["error"], sev["warning"], sev["info"],
                sum(1 for e in sheet.checked if rid in e.rules())]
        for i, v in enumerate(vals, 1):
            put(ws, row, i, v)
    last_rule = row
    row += 2
    put(ws, row, 1, "机关", bold=True, fill=HEADER_FILL)
    for i, t in enumerate(["报告数", "错误", "警告"], 2):
        put(ws, row, i, t, bold=True, fill=HEADER_FILL)
    agencies: dict[str, list[CheckedReport]] = by_agency(sheet.checked, lambda e: e.agency)
    for name, es in sorted(agencies.items(), key=lambda kv: -sum(e.count("error") for e in kv[1])):
        row += 1
        for i, v in enumerate([name, len(es), sum(e.count("error") for e in es),
                               sum(e.count("warning") for e in es)], 1):
            put(ws, row, i, v)
    if last_rule > 1:
        chart = BarChart()
        chart.type, chart.title, chart.y_axis.title = "bar", "各规则发现的问题数", "问题数"
        chart.grouping, chart.overlap = "stacked", 100
        chart.add_data(Reference(ws, min_col=3, max_col=4, min_row=1, max_row=last_rule), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last_rule))
        chart.height, chart.width = max(7.5, 0.6 * (last_rule - 1) + 3), 16
        ws.add_chart(chart, "H2")


def _scores(ws, sheet: SeasonSheet) -> None:
    crits = [c.name for c in sheet.rubric.criteria]
    titles = ["排名", "机关", "年度", "文件"] + [f"{c.name}（{c.weight:g}）" for c in sheet.rubric.criteria] + \
        [f"总分（{sheet.rubric.total:g}）", "扣分理由"]
    _header(ws, 1, titles, {2: 28, 4: 36, len(titles): 80})
    order = sorted(sheet.checked, key=lambda e: (sheet.rank[e.path], e.path))
    for row, e in enumerate(order, 2):
        s = sheet.scores[e.path]
        vals = [sheet.rank[e.path], e.agency or "未识别机关", e.year, e.path] + \
            [round(s.criteria[c], 2) for c in crits] + [round(s.total, 2), s.reasons()]
        for i, v in enumerate(vals, 1):
            put(ws, row, i, v, wrap=i == len(titles))
    put(ws, len(order) + 3, 1, f"评分细则：{sheet.rubric.name}（{sheet.rubric.source}）")
    ws.auto_filter.ref = f"A1:{_col(len(titles))}{len(order) + 1}"


def _deductions(ws, sheet: SeasonSheet) -> None:
    titles = ["文件", "机关", "年度", "评分指标", "规则", "级别", "扣分", "问题", "依据", "是否豁免", "豁免理由"]
    _header(ws, 1, titles, {1: 36, 2: 26, 8: 60, 9: 30, 11: 30})
    row = 1
    for e in sheet.checked:
        for d in sheet.scores[e.path].deductions:
            row += 1
            vals = [e.path, e.agency or "未识别机关", e.year, d.criterion, d.rule,
                    SEVERITY_NAMES.get(d.severity, d.severity), 0 if d.waived else d.points, d.message,
                    d.evidence, "已豁免" if d.waived else "", d.reason]
            for i, v in enumerate(vals, 1):
                put(ws, row, i, v)
    ws.auto_filter.ref = f"A1:{_col(len(titles))}{row}"


def overview_workbook(sheet: SeasonSheet, path: str | os.PathLike, links: dict[str, str] | None = None) -> Path:
    from openpyxl import Workbook

    from ..files import atomic_path
    wb = Workbook()
    _overview(wb.active, sheet, links or {})
    wb.active.title = SHEET_OVERVIEW
    _findings(wb.create_sheet(SHEET_FINDINGS), sheet)
    _counts(wb.create_sheet(SHEET_COUNTS), sheet)
    _scores(wb.create_sheet(SHEET_SCORE), sheet)
    _deductions(wb.create_sheet(SHEET_DEDUCTIONS), sheet)
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            wb.save(tmp)
    except OSError as exc:
        raise ReportError(f"无法写入 {path}：{exc.strerror or exc}") from exc
    return path


def _own_names(entries: list[CheckedReport]) -> dict[str, str]:
    """A distinct file stem per checked report (same stems in different folders numbered)."""
    out, used = {}, set()
    for e in entries:
        stem = Path(e.path).stem
        name, i = stem, 2
        while name in used:
            name, i = f"{stem}-{i}", i + 1
        used.add(name)
        out[e.path] = name
    return out


def _review_of(e: CheckedReport):
    from ..review import Review
    rv = Review(e.report)
    if e.prior is not None:
        rv.set_prior(e.prior, "library", "批量审核：同一机关上一年度")
    dec = saved_decisions(e.sha256)
    rv.decisions.update({k: v for k, v in dec.items()})
    return rv


def _guard(path: Path, protect: set[str]) -> Path:
    if os.path.realpath(path) in protect:
        raise ReportError(f"输出文件 {path} 与一份源报告同名，不会覆盖源文件；请换一个输出文件夹。")
    return path


def export_season(season: Season, out: str | os.PathLike, rubric: Rubric, *, workbooks: bool = False,
                  summaries: bool = False, protect: list[str] = ()) -> list[Path]:
    """Write ``汇总.xlsx`` into ``out`` (and each report's workbook / summary,
    and the season summary PDF, when asked).  Returns the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    guard = {os.path.realpath(p) for p in protect}
    sheet = SeasonSheet(season, rubric)
    names = _own_names(sheet.checked)
    written, links = [], {}
    if workbooks or summaries:
        from .summary import export_summary_pdf
        from .xlsx import export_workbook
        for e in sheet.checked:
            rv = _review_of(e)
            if workbooks:
                links[e.path] = str(export_workbook(rv, _guard(out / f"{names[e.path]}.审核.xlsx", guard)))
                written.append(Path(links[e.path]))
            if summaries:
                written.append(export_summary_pdf(rv, _guard(out / f"{names[e.path]}.审核摘要.pdf", guard)))
    if summaries:
        from .season_pdf import export_season_pdf
        written.append(export_season_pdf(sheet, _guard(out / "批量审核摘要.pdf", guard)))
    written.append(overview_workbook(sheet, _guard(out / OVERVIEW_NAME, guard), links))
    log.info("season exported to %s (%d files)", out, len(written))
    return written
