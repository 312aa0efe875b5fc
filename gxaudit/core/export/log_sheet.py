"""The 修改记录 sheet: the review log in words (local times, table and row
labels), the raw target kept in a hidden last column for machines."""
from __future__ import annotations

import math
import os

from ..review import Review
from .sheet import HEADER_FILL, _number, _print_setup, put, text_width

LOG_COLUMNS = (
    ("序号", 6), ("时间", 19), ("审核人", 10), ("操作", 12), ("对象", 30),
    ("原值", 9), ("新值", 9), ("理由", 30), ("说明", 50), ("对象编号", 30),
)
ACTION_NAMES = {"open": "打开报告", "edit": "修改单元格", "revert": "恢复原值", "accept": "确认问题",
                "override": "豁免问题", "reopen": "重新打开问题", "note": "批注", "undo": "撤销",
                "redo": "重做"}


def log_sheet(ws, review: Review, stamp: str) -> None:
    """The review log in words: local times, table and row labels (the raw
    target kept in a hidden last column for machines)."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from ..viewmodels import describe, local_time, target_label
    for c, (name, width) in enumerate(LOG_COLUMNS, start=1):
        put(ws, 1, c, name, bold=True, fill=HEADER_FILL, border=True, align="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    for i, e in enumerate(review.log, start=1):
        r = i + 1
        target = os.path.basename(e.target) if e.action == "open" else target_label(e.target)
        values = (i, local_time(e.at), e.who, ACTION_NAMES.get(e.action, e.action), target,
                  _number(e.before), _number(e.after), e.reason, describe(e), e.target)
        lines = 1
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value, border=True)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, str) and c < len(values):
                lines = max(lines, math.ceil(text_width(value) / (LOG_COLUMNS[c - 1][1] - 1)))
        ws.row_dimensions[r].height = min(15 * lines + 3, 200)
    last_col = get_column_letter(len(LOG_COLUMNS))
    ws.column_dimensions[last_col].hidden = True
    ws.auto_filter.ref = f"A1:{last_col}{max(1, len(review.log) + 1)}"
    ws.freeze_panes = "A2"
    ws.print_area = f"A1:{get_column_letter(len(LOG_COLUMNS) - 1)}{len(review.log) + 1}"
    _print_setup(ws, review, "1:1", stamp)
