"""The table grids (表二/表三/表四) as a Qt model over a core Grid and Review."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from ..core.grid import HEADER, LABEL, NOTE, VALUE, Grid, grid_for
from ..core.model import BLANK, EDITED, PLACEHOLDER, SEVERITY_NAMES, STATUS_NAMES, UNREADABLE
from ..core.review import CORRECTED, OPEN, Review
from ..core.text import fmt_number, parse_value
from ..core.viewmodels import cell_label, table_wide
from . import style

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
MARKS_ROLE = Qt.ItemDataRole.UserRole + 3       # frozenset of marker names, for the delegate
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 4  # "3": the suspect's suggested value

# Markers the delegate draws (the colour legend in the Help menu lists them).
SUSPECT, ERROR_MARK, WARNING_MARK, EDITED_MARK, UNREADABLE_MARK = \
    "suspect", "error", "warning", "edited", "unreadable"


class GridModel(QAbstractTableModel):
    """One table laid out like the national format.  Editing a value cell
    emits ``editRequested``; the window turns it into an undoable command."""

    editRequested = Signal(str, object)      # cell key, new value (None: back to the source)
    clearRequested = Signal(str)             # cell key: set it to blank
    invalidInput = Signal(str)               # a message for the status bar

    def __init__(self, table: str, parent=None):
        super().__init__(parent)
        self.table = table
        self.review: Review | None = None
        self.grid: Grid | None = None
        self._at: dict = {}
        self._cell_findings: dict[str, list] = {}
        self._state: dict[str, tuple] = {}

    # -- data source ------------------------------------------------------------
    def set_review(self, review: Review | None) -> None:
        self.beginResetModel()
        self.review = review
        if review is not None:
            self.grid = grid_for(review.report.layouts.of(self.table))
            self._at = self.grid.at()
        else:
            self.grid, self._at = None, {}
        self._index_findings()
        self._state = self._snapshot()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the review; signal only the cells whose look changed."""
        if self.review is None:
            return
        self._index_findings()
        new = self._snapshot()
        for it in self.grid.items:
            if it.kind == VALUE and new.get(it.key) != self._state.get(it.key):
                idx = self.index(it.row, it.col)
                self.dataChanged.emit(idx, idx)
        self._state = new

    def _index_findings(self) -> None:
        self._cell_findings = {}
        self.table_findings = []
        if self.review is None:
            return
        report = self.review.report
        for st in self.review.finding_states():
            if st.status == CORRECTED:
                continue
            if table_wide(st.finding, report) == self.table:
                self.table_findings.append(st)      # marks the tab, not every cell
                continue
            for k in st.finding.cells:
                if k.startswith(self.table + "."):
                    self._cell_findings.setdefault(k, []).append(st)

    def _snapshot(self) -> dict[str, tuple]:
        if self.review is None:
            return {}
        cells = self.review.report.cells
        out = {}
        for it in self.grid.items:
            if it.kind == VALUE:
                c = cells[it.key]
                fs = tuple((s.finding.id, s.status, s.finding.suspect == it.key)
                           for s in self._cell_findings.get(it.key, []))
                out[it.key] = (c.value, c.status, fs, self.review.notes.get(it.key))
        return out

    # -- Qt model -----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() or self.grid is None else self.grid.rows

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() or self.grid is None else self.grid.cols

    def item(self, index: QModelIndex):
        if not index.isValid():
            return None
        it = self._at.get((index.row(), index.column()))
        if it is None or (it.row, it.col) != (index.row(), index.column()):
            return None
        return it

    def flags(self, index):
        it = self.item(index)
        if it is None:
            return Qt.ItemFlag.NoItemFlags
        if it.kind == VALUE:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        return Qt.ItemFlag.ItemIsEnabled

    def index_of(self, key: str) -> QModelIndex:
        pos = self.grid.position(key) if self.grid else None
        return self.index(*pos) if pos else QModelIndex()

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        it = self.item(index)
        if it is None:
            return None
        if it.kind != VALUE:
            if role == Qt.ItemDataRole.DisplayRole:
                return it.text
            if role == Qt.ItemDataRole.BackgroundRole and it.kind in (HEADER, NOTE):
                return style.HEADER_BG
            if role == Qt.ItemDataRole.FontRole and it.kind == HEADER:
                f = QFont()
                f.setBold(True)
                return f
            if role == Qt.ItemDataRole.TextAlignmentRole:
                if it.kind == LABEL:
                    return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        cell = self.review.report.cells[it.key]
        states = self._cell_findings.get(it.key, [])
        open_states = [s for s in states if s.status == OPEN]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(cell)
        if role == Qt.ItemDataRole.EditRole:
            return "" if cell.value is None else fmt_number(cell.value)
        if role == KEY_ROLE:
            return it.key
        if role == MARKS_ROLE:
            return self._marks(it.key, cell, open_states)
        if role == SUGGESTION_ROLE:
            sug = next((s.finding.suggested for s in open_states
                        if s.finding.suspect == it.key and s.finding.suggested is not None), None)
            return None if sug is None else fmt_number(sug)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if any(s.finding.suspect == it.key for s in open_states):
                return style.SUSPECT_BG
            # Where a finding names its suspect, the other cells it reads are only tinted.
            direct = [s for s in open_states if s.finding.suspect is None]
            sev = {s.finding.severity for s in direct}
            if "error" in sev:
                return style.ERROR_BG
            if "warning" in sev:
                return style.WARNING_BG
            if open_states:
                return style.PARTICIPANT_BG
            if cell.status == EDITED:
                return style.EDITED_BG
            if states:
                return style.RESOLVED_BG
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if any(s.finding.suspect == it.key for s in open_states):
                return style.SUSPECT_FG
            if cell.status in (BLANK, UNREADABLE, PLACEHOLDER):
                return style.UNREAD_FG
            return None
        if role == Qt.ItemDataRole.FontRole:
            if cell.status == EDITED:
                f = QFont()
                f.setItalic(True)
                f.setBold(True)
                return f
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(it.key, cell, states)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{cell_label(it.key)} {self._display(cell) or STATUS_NAMES.get(cell.status, '')}"
        return None

    @staticmethod
    def _marks(key, cell, open_states) -> frozenset[str]:
        marks = set()
        if any(s.finding.suspect == key for s in open_states):
            marks.add(SUSPECT)
        # Cells of a finding that names its suspect are only tinted, not marked.
        sev = {s.finding.severity for s in open_states if s.finding.suspect is None}
        if "error" in sev:
            marks.add(ERROR_MARK)
        elif "warning" in sev:
            marks.add(WARNING_MARK)
        if cell.status == EDITED:
            marks.add(EDITED_MARK)
        if cell.status == UNREADABLE:
            marks.add(UNREADABLE_MARK)
        return frozenset(marks)

    @staticmethod
    def _display(cell) -> str:
        if cell.status == EDITED:
            return f"{fmt_number(cell.value) if cell.value is not None else ''} ✎"
        if cell.value is not None:
            return fmt_number(cell.value)
        if cell.status == PLACEHOLDER:
            return cell.raw
        return ""          # blank, or unreadable: an icon, the raw text only in the tooltip

    def _tooltip(self, key, cell, states) -> str:
        lines = [f"<b>{cell_label(key)}</b>", f"<code>{key}</code>"]
        if cell.status == EDITED:
            now = "已清空" if cell.value is None else "已修改"
            lines.append(f"{now}：原值 {fmt_number(cell.original)}（原文“{cell.raw}”）")
        else:
            lines.append(f"原文：“{cell.raw}”　状态：{STATUS_NAMES.get(cell.status, cell.status)}")
        if cell.reason and cell.status == UNREADABLE:
            lines.append(cell.reason)
        if cell.page:
            lines.append(f"第 {cell.page} 页")
        for s in states:
            f = s.finding
            text = f"[{SEVERITY_NAMES[f.severity]}] {f.rule}：{f.message}"
            if f.expected is not None or f.actual is not None:
                text += f"（应为 {fmt_number(f.expected)}，实为 {fmt_number(f.actual)}）"
            if f.suspect == key:
                text += f"<br>　疑似出错，建议改为 <b>{fmt_number(f.suggested)}</b>"
            elif s.status == OPEN:
                from ..core.explain import explain
                why = explain(self.review.report, f, self.review.prior)
                if why:
                    text += f"<br>　{why}"
            if s.status != OPEN:
                text += f"　— {s.status}"
            lines.append(text)
        note = self.review.notes.get(key)
        if note:
            lines.append(f"批注：{note}")
        return "<br>".join(lines)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole):
        it = self.item(index)
        if it is None or it.kind != VALUE or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).replace("✎", "").strip()
        if not text:
            self.editRequested.emit(it.key, None)
            return True
        pv = parse_value(text)
        if pv.status != "ok":
            self.invalidInput.emit(f"“{text}”不是数字，未修改。留空可恢复原文数值。")
            return False
        self.editRequested.emit(it.key, pv.value)
        return True

