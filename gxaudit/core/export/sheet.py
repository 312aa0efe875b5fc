"""Cell, page and link helpers shared by the workbook sheets (openpyxl,
imported lazily)."""
from __future__ import annotations

import datetime as _dt
import math
import unicodedata

from ... import __version__

from ..review import Review
from ..rules import RULESET_VERSION
from .common import clean_text

HEADER_FILL = "EEF1F5"


def text_width(s: str) -> int:
    """Display width in spreadsheet character units (CJK counts double)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def put(ws, row: int, col: int, value, *, bold=False, fill=None, align=None, wrap=False,
        border=False, number_format=None, size=None, color=None):
    """Write one cell.  Strings are always text: a string starting with ``=``
    would otherwise become a formula."""
    from openpyxl.styles import Alignment, Font, PatternFill
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    elif isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        cell.value = value
    elif value is None:
        cell.value = None
    else:
        cell.value = clean_text(value)
        cell.data_type = "s"
    if bold or size or color:
        cell.font = Font(bold=bold, size=size or 11, color=color)
    if fill:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if align or wrap:
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=wrap)
    if border:
        cell.border = _thin()
    if number_format:
        cell.number_format = number_format
    return cell


def _thin():
    from openpyxl.styles import Border, Side
    s = Side(style="thin", color="808080")
    return Border(left=s, right=s, top=s, bottom=s)


def _number(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else (
        None if v is None else str(v))


def _hf(text: str) -> str:
    """Text for a page header/footer: '&' starts a code there."""
    return clean_text(text, 80).replace("&", "&&")


def _link(cell, sheet: str, coord: str, display: str | None = None) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!{coord}",
                               display=display or cell.value)
    from openpyxl.styles import Font
    cell.font = Font(color="0563C1", underline="single")


def _print_setup(ws, review: Review, title_rows: str | None, stamp: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    # The header and footer sit in the margins, above and below the body:
    # their own margins are smaller than the page's, so they never overlap it.
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    rep = review.report
    head = f"{rep.agency or '（未识别机关名称）'} {rep.year or ''}年度政府信息公开工作年度报告审核 — {ws.title}"
    ws.oddHeader.center.text = _hf(head)
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = _hf(f"审核人：{review.reviewer}")
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.right.text = _hf(f"导出日期：{stamp[:10]}")
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 9


def _fill(rgb: str):
    from openpyxl.styles import PatternFill
    return PatternFill("solid", start_color=rgb, end_color=rgb)


def _properties(wb, review: Review, stamp: str) -> None:
    from openpyxl.packaging.custom import StringProperty
    rep = review.report
    p = wb.properties
    p.title = clean_text(f"{rep.agency or ''} {rep.year or ''}年度政府信息公开工作年度报告审核", 250)
    p.subject = "政府信息公开工作年度报告审核"
    p.creator = clean_text(review.reviewer, 250)
    p.lastModifiedBy = clean_text(review.reviewer, 250)
    p.keywords = "gxaudit; 政府信息公开; 年度报告"
    p.description = clean_text(f"gxaudit {__version__}，规则集 {RULESET_VERSION}；"
                               f"来源 sha256 {rep.source.sha256}", 1000)
    p.identifier = rep.source.sha256 or None
    now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    p.created = now
    p.modified = now
    for name, value in (("gxaudit.version", __version__), ("gxaudit.ruleset", RULESET_VERSION),
                        ("gxaudit.source_sha256", rep.source.sha256 or ""),
                        ("gxaudit.source_format", rep.source.format or ""),
                        ("gxaudit.export_time", stamp),
                        ("gxaudit.reviewer", clean_text(review.reviewer, 250))):
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
