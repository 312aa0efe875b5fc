"""The findings list as a Qt model, with a filter proxy by severity and status."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

from ..core.export.text import cell_name
from ..core.model import SEVERITY_NAMES
from ..core.review import FINDING_STATUS_NAMES, OPEN, FindingState, Review
from ..core.text import fmt_number
from ..core.viewmodels import local_time
from . import style

STATE_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("级别", "规则", "说明", "疑似单元格", "建议值", "状态")


class FindingsModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.review: Review | None = None
        self.states: list[FindingState] = []
        self._why: dict[str, str | None] = {}

    def why(self, st: FindingState) -> str | None:
        """For an open finding without a suspect: which cells could each explain it."""
        if st.status != OPEN or st.finding.suspect is not None or self.review is None:
            return None
        fid = st.finding.id
        if fid not in self._why:
            from ..core.explain import explain
            self._why[fid] = explain(self.review.report, st.finding, self.review.prior)
        return self._why[fid]

    def set_review(self, review: Review | None) -> None:
        self.beginResetModel()
        self.review = review
        self.states = review.finding_states() if review else []
        self._why: dict[str, str | None] = {}
        self.endResetModel()

    def refresh(self) -> None:
        self.set_review(self.review)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.states)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.states)):
            return None
        st = self.states[index.row()]
        f = st.finding
        col = index.column()
        if role == STATE_ROLE:
            return st
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return SEVERITY_NAMES[f.severity]
            if col == 1:
                return f.rule
            if col == 2:
                return f.message
            if col == 3:
                return cell_name(f.suspect) if f.suspect else (self.why(st) or "")
            if col == 4:
                return fmt_number(f.suggested) if f.suggested is not None else ""
            if col == 5:
                return FINDING_STATUS_NAMES[st.status]
        if role == Qt.ItemDataRole.ForegroundRole:
            if st.status != OPEN:
                return style.UNREAD_FG
            if col in (0, 1):
                return style.SEVERITY_FG.get(f.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = f.message
            why = self.why(st)
            if why:
                text += f"\n{why}"
            if st.decision:
                text += f"\n{FINDING_STATUS_NAMES[st.status]}：{st.decision.reason}（{st.decision.who}，{local_time(st.decision.at)}）"
            return text
        return None


class FindingsFilter(QSortFilterProxyModel):
    """Shows the findings whose severity and status are both enabled."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.severities = {"error", "warning", "info"}
        self.statuses = {"open", "accepted", "overridden", "corrected"}

    def set_filter(self, severities=None, statuses=None) -> None:
        if severities is not None:
            self.severities = set(severities)
        if statuses is not None:
            self.statuses = set(statuses)
        self.invalidateRowsFilter()

    def filterAcceptsRow(self, row, parent):
        idx = self.sourceModel().index(row, 0, parent)
        st = self.sourceModel().data(idx, STATE_ROLE)
        return st is not None and st.finding.severity in self.severities and st.status in self.statuses
