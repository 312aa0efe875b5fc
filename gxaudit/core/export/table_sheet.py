"""The 表二 / 表三 / 表四 sheets of the review workbook (openpyxl, imported
lazily): laid out like the national format, merged headers and all, from
:mod:`gxaudit.core.grid`; corrected values in place with the original in the
cell's comment; fills by state."""
from __future__ import annotations

import math

from ..formats import TABLE_NAMES
from ..grid import HEADER, LABEL, NOTE, VALUE, Grid, grid_for
from ..model import BLANK, EDITED, PLACEHOLDER, UNREADABLE, Cell
from ..review import FindingState, Review
from ..rules import RULES
from ..text import fmt_number
from . import common
from .common import (S_CORRECTED, S_ERROR, S_PARTICIPANT, S_RESOLVED, S_SUSPECT, S_WARNING,
                     cell_label, clean_text)
from .sheet import HEADER_FILL, _fill, _print_setup, _thin, put, text_width

TABLE_SHEETS = dict(TABLE_NAMES)            # t2 → 表二 …
TITLE_ROW = 1                                # the table title; the grid starts below it
GRID_TOP = 2

# Fills, the same colours as the review grid of the GUI.
FILL = {
    S_SUSPECT: "E0584A", S_ERROR: "F8C9C4", S_PARTICIPANT: "FDECEB", S_WARNING: "FBE9A6",
    S_CORRECTED: "C9E7CF", S_RESOLVED: "E6E6E6",
}
_MARKED = (EDITED, UNREADABLE, PLACEHOLDER)  # statuses that always get a comment


def grid_cell(grid: Grid, key: str) -> str | None:
    """The A1 coordinate of a cell key on its table sheet."""
    from openpyxl.utils import get_column_letter
    pos = grid.position(key)
    if pos is None:
        return None
    return f"{get_column_letter(pos[1] + 1)}{pos[0] + GRID_TOP}"


def _column_widths(grid: Grid) -> list[float]:
    widths = [9.0] * grid.cols
    for it in grid.items:
        if it.colspan != 1 or it.kind == VALUE:
            continue
        w = text_width(it.text) + 2
        if it.rowspan >= 3:            # a tall group cell: wrap it narrow
            w = min(w, 8)
        widths[it.col] = max(widths[it.col], min(w, 44))
    return widths


def _row_heights(grid: Grid, widths: list[float]) -> dict[int, float]:
    heights: dict[int, float] = {}
    for it in grid.items:
        if it.rowspan != 1 or not it.text:
            continue
        avail = max(4.0, sum(widths[it.col: it.col + it.colspan]) - 1)
        lines = max(1, math.ceil(text_width(it.text) / avail))
        heights[it.row] = max(heights.get(it.row, 16.0), 15.0 * lines + 3)
    return heights


def _cell_comment(review: Review, key: str, states: list[FindingState]) -> str:
    cell = review.report.cells[key]
    lines = [f"{cell_label(key)}（{key}）"]
    if cell.status == EDITED:
        lines.append(f"已更正：原值 {fmt_number(cell.original)}（原文“{cell.raw}”），"
                     f"改为 {fmt_number(cell.value)}")
    elif cell.status == UNREADABLE:
        lines.append(f"原文“{cell.raw}”无法识读为数字" + (f"：{cell.reason}" if cell.reason else ""))
    elif cell.status == PLACEHOLDER:
        lines.append(f"原文为占位符“{cell.raw}”")
    elif cell.status == BLANK:
        lines.append("原文此栏空白")
    for st in states:
        f = st.finding
        lines.append(f"{f.rule}（{RULES[f.rule].name if f.rule in RULES else f.rule}）：" +
                     common.finding_line(st, key).split("：", 1)[1])
    if cell.page:
        lines.append(f"原文第 {cell.page} 页")
    elif cell.line:
        lines.append(f"原文第 {cell.line} 行")
    note = review.notes.get(key)
    if note:
        lines.append(f"批注：{note}")
    return "\n".join(lines)


def _comment(text: str):
    from openpyxl.comments import Comment
    cm = Comment(clean_text(text, 30000), "gxaudit")
    cm.width = 360
    cm.height = min(400, 40 + 18 * (text.count("\n") + 1 + text_width(text) // 48))
    return cm


def _shown(cell: Cell):
    """What a value cell shows: the number, nothing when blank, else the text read."""
    if cell.known:
        return cell.value
    if cell.status == BLANK:
        return None
    return cell.raw or None


def _status_font(cell: Cell, state):
    """The font of an edited or unreadable cell, or None to keep the state's."""
    from openpyxl.styles import Font
    if cell.status == EDITED:
        return Font(bold=True, italic=True,
                    color="FFFFFF" if state and state[0] == S_SUSPECT else "1E5E2E")
    if cell.status in (UNREADABLE, PLACEHOLDER):
        return Font(color="8A8A8A", italic=True)
    return None


def _value_cell(ws, review: Review, key: str, r: int, c: int, state) -> None:
    """One number of the table: ``state`` is ``(state name, finding states)``
    from :func:`common.cell_states`, or None."""
    from openpyxl.styles import Font
    cell = review.report.cells[key]
    xc = put(ws, r, c, _shown(cell), align="right")
    if state is not None:
        name = state[0]
        xc.fill = _fill(FILL[name])
        if name == S_SUSPECT:
            xc.font = Font(bold=True, color="FFFFFF")
    font = _status_font(cell, state)
    if font is not None:
        xc.font = font
    if state is not None or cell.status in _MARKED or review.notes.get(key):
        xc.comment = _comment(_cell_comment(review, key, state[1] if state else []))
    xc.number_format = "General"


def _text_cell(ws, it, r: int, c: int) -> None:
    from openpyxl.styles import Alignment, Font
    xc = put(ws, r, c, it.text)
    xc.alignment = Alignment(horizontal="left" if it.kind == LABEL else "center",
                             vertical="center", wrap_text=True)
    if it.kind in (HEADER, NOTE):
        xc.fill = _fill(HEADER_FILL)
        xc.font = Font(bold=it.kind == HEADER)


def _frame(ws, it, r: int, c: int, border) -> None:
    """Borders on every cell an item covers; merged when it spans several."""
    for rr in range(r, r + it.rowspan):
        for cc in range(c, c + it.colspan):
            ws.cell(row=rr, column=cc).border = border
    if it.rowspan > 1 or it.colspan > 1:
        ws.merge_cells(start_row=r, start_column=c, end_row=r + it.rowspan - 1,
                       end_column=c + it.colspan - 1)


def _title(ws, review: Review, table: str, grid: Grid, widths: list[float]) -> None:
    rep = review.report
    title = f"{rep.table_layout(table).title}（{common.format_name(rep.template)}）"
    note = common.layout_note(rep, table)
    if note:
        title += f"　{note}"
    put(ws, TITLE_ROW, 1, title, bold=True, size=13, align="left", wrap=True)
    if grid.cols > 1:
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=grid.cols)
    avail = max(20.0, sum(widths) - 2) / 1.3          # size 13 is wider than the default
    ws.row_dimensions[TITLE_ROW].height = max(24, 20 * math.ceil(text_width(title) / avail) + 4)


def table_sheet(wb, review: Review, table: str, flagged: dict, stamp: str) -> Grid:
    """Add the sheet of ``table``; ``flagged``: :func:`common.cell_states`."""
    from openpyxl.utils import get_column_letter

    grid = grid_for(review.report.table_layout(table))
    ws = wb.create_sheet(TABLE_SHEETS[table])
    widths = _column_widths(grid)
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    _title(ws, review, table, grid, widths)
    border = _thin()
    for it in grid.items:
        r, c = it.row + GRID_TOP, it.col + 1
        if it.kind == VALUE:
            _value_cell(ws, review, it.key, r, c, flagged.get(it.key))
        else:
            _text_cell(ws, it, r, c)
        _frame(ws, it, r, c, border)
    for row, h in _row_heights(grid, widths).items():
        ws.row_dimensions[row + GRID_TOP].height = h
    last_header = TITLE_ROW + grid.header_rows
    # Freeze the headers, and on table 三 the label columns too.
    first_value_col = min((it.col for it in grid.items if it.kind == VALUE), default=0) + 1
    freeze_col = first_value_col if table == "t3" else 1
    ws.freeze_panes = f"{get_column_letter(freeze_col)}{last_header + 1}"
    _print_setup(ws, review, f"{TITLE_ROW}:{last_header}", stamp)
    return grid
