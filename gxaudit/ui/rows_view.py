"""A read-only table of text rows (审核记录, 修改记录, 上年对照) as a model and view.

The rows are plain Python data served by ``data()``: no QTableWidgetItem
per cell.  Those items are C++ objects with a Python wrapper each, deleted by
Qt whenever the table is refilled; CI once crashed (SIGSEGV) inside
``QTableWidget.setRowCount(0)`` while they were being deleted.  A model owns
nothing that Qt deletes behind Python's back."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


@dataclass(frozen=True)
class TextRow:
    texts: tuple[str, ...]
    target: str | None = None            # the cell key a double-click selects
    background: QColor | None = None


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.headers = headers
        self.rows: list[TextRow] = []

    def set_rows(self, rows: list[TextRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def prepend(self, rows: list[TextRow]) -> None:
        """Insert ``rows`` above the others (the newest log entries)."""
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
        self.rows[:0] = rows
        self.endInsertRows()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.texts[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return row.background
        if role == Qt.ItemDataRole.UserRole:
            return row.target
        return None


class RowsView(QTableView):
    """The table of a ``RowsModel``; double-click or Enter on a row with a
    target asks the window to select that cell."""

    cellRequested = Signal(str)
    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows_model = RowsModel(self.HEADERS, self)
        self.setModel(self.rows_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.activated.connect(self._activated)     # double-click, or Enter

    def rowCount(self) -> int:
        return self.rows_model.rowCount()

    def text(self, row: int, col: int) -> str:
        return self.rows_model.rows[row].texts[col]

    def _activated(self, index: QModelIndex) -> None:
        target = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        if target:
            self.cellRequested.emit(target)
