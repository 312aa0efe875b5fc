"""The workbook sheet 正文核对: the parts found, and every finding that rests
on a sentence (N-, S-, D-, C-) with the sentence, the number it states, the
cells and their values, and for copied text the other report's passage."""
from __future__ import annotations

from .common import cell_label

SHEET_NARRATIVE = "正文核对"
# Widths that print at about 80% on a landscape page; long texts wrap instead.
COLUMNS = (("部分", 5), ("规则", 11), ("规则名称", 10), ("严重程度", 6), ("正文原句", 36),
           ("正文数字", 7), ("表格单元格", 18), ("表格数值", 7), ("位置", 8), ("说明", 28),
           ("对照文本（上年或其他报告）", 28), ("相似度", 6))
NARRATIVE_FAMILIES = ("N-", "S-", "D-", "C-")


def _where(ev: dict) -> str:
    if ev.get("page"):
        return f"第 {ev['page']} 页"
    if ev.get("line"):
        return f"第 {ev['line']} 行"
    return ""


def _other(ev: dict) -> str:
    o = ev.get("other")
    if not o:
        return ""
    return f"{o.get('agency') or ''} {o.get('year') or ''}年：{o.get('text') or ''}（{o.get('path') or ''}）"


def _parts(ws, nar, row: int, put) -> int:
    put(ws, row, 1, "识别到的部分", bold=True)
    row += 1
    for c, name in enumerate(("部分", "标题", "位置", "字数"), start=1):
        put(ws, row, c, name, bold=True, border=True)
    for sec in nar.sections:
        row += 1
        where = f"第 {sec.page} 页" if sec.page else (f"第 {sec.line} 行" if sec.line else "")
        for c, v in enumerate((sec.number, sec.title, where, sec.chars), start=1):
            put(ws, row, c, v, border=True)
    return row + 2


def add_narrative_sheet(wb, review, states, stamp: str) -> None:
    """Add 正文核对 to the workbook ``wb`` (nothing when the report has no text)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from ..model import SEVERITY_NAMES
    from ..rules import RULES
    from .sheet import HEADER_FILL, _print_setup, put
    nar = getattr(review.report, "narrative", None)
    if nar is None:
        return
    ws = wb.create_sheet(SHEET_NARRATIVE)
    for c, (name, width) in enumerate(COLUMNS, start=1):
        put(ws, 1, c, name, bold=True, fill=HEADER_FILL, border=True, align="center", wrap=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    row = 1
    for st in states:
        f = st.finding
        if not f.rule.startswith(NARRATIVE_FAMILIES):
            continue
        row += 1
        ev = f.evidence or {}
        values = (ev.get("section") or "", f.rule, RULES[f.rule].name if f.rule in RULES else "",
                  SEVERITY_NAMES.get(f.severity, f.severity), ev.get("text") or "", ev.get("stated"),
                  "、".join(cell_label(k) for k in f.cells), f.expected, _where(ev), f.message,
                  _other(ev), ev.get("similarity"))
        for c, v in enumerate(values, start=1):
            cell = put(ws, row, c, v, border=True)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    if row == 1:
        put(ws, 2, 1, "正文与表格、结构、日期、雷同检查均未发现问题。")
        row = 2
    _parts(ws, nar, row + 2, put)
    ws.freeze_panes = "A2"
    _print_setup(ws, review, "1:1", stamp)
