"""The readable Chinese findings list printed by ``gxaudit check``."""
from __future__ import annotations

from collections import Counter

from ..formats import FORMAT_NAMES, spec_for
from ..model import SEVERITY_NAMES, STATUS_NAMES, Finding, Report
from ..text import fmt_number


def cell_name(key: str) -> str:
    spec = spec_for(key)
    return spec.label if spec else key


def findings_text(report: Report, findings: list[Finding], prior: str | None = None) -> str:
    lines = []
    agency = report.agency or "（未识别机关名称）"
    year = f"{report.year}年度" if report.year else "（未识别年度）"
    fmt = FORMAT_NAMES.get(report.template, "格式未识别")
    lines.append(f"{agency} {year}政府信息公开工作年度报告")
    lines.append(f"  格式：{fmt}")
    lines.append(f"  来源：{report.source.path}（{report.source.format}，sha256 {report.source.sha256[:12]}…）")
    if report.published:
        lines.append(f"  落款日期：{report.published}")
    if prior:
        lines.append(f"  上年报告：{prior}")
    counts = Counter(c.status for c in report.cells.values())
    parts = "，".join(f"{STATUS_NAMES[s]} {n}" for s, n in counts.items())
    lines.append(f"  单元格：共 {len(report.cells)} 个（{parts}）")
    lines.append("")
    sev = Counter(f.severity for f in findings)
    if not findings:
        lines.append("未发现问题。")
    else:
        summary = "、".join(f"{SEVERITY_NAMES[s]} {sev[s]} 个" for s in ("error", "warning", "info") if sev[s])
        lines.append(f"发现问题：{summary}")
        for f in findings:
            lines.append(f"  [{SEVERITY_NAMES[f.severity]}] {f.rule}  {f.message}")
            if f.suspect:
                lines.append(f"      疑似出错：{cell_name(f.suspect)}（{f.suspect}），建议改为 {fmt_number(f.suggested)}")
    lines.append("")
    if sev["error"]:
        lines.append(f"结论：存在 {sev['error']} 个错误，需要更正。")
    elif findings:
        lines.append("结论：未发现错误，有需要说明的警告。")
    else:
        lines.append("结论：通过。")
    return "\n".join(lines) + "\n"
