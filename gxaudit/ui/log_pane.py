"""审核记录 (every logged action) and 修改记录 (the edits in force), with
table and row labels instead of cell keys and local times."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListWidget, QTableWidget, QTableWidgetItem

from ..core.viewmodels import edit_rows, log_rows
from .change import Change


class LogPane(QListWidget):
    """The review log, newest first; a row naming a cell selects it."""

    cellRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.review = None
        self._shown = 0               # log entries already listed
        self.itemActivated.connect(self._activated)

    def set_review(self, review) -> None:
        self.review = review
        self.clear()
        self._shown = 0
        self._add_new()

    def on_change(self, _change: Change) -> None:
        self._add_new()

    def _add_new(self) -> None:
        """Insert only the entries logged since the last refresh."""
        if self.review is None:
            return
        log = self.review.log
        if len(log) < self._shown:          # the log was replaced: list it again
            self.clear()
            self._shown = 0
        for row in reversed(log_rows(log[self._shown:])):
            self.insertItem(0, f"{row.when}　{row.who}　{row.text}")
            self.item(0).setData(Qt.ItemDataRole.UserRole, row.target)
        self._shown = len(log)

    def _activated(self, item) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target and target.count(".") == 2 and ":" not in target:
            self.cellRequested.emit(target)


class EditsPane(QTableWidget):
    """The auditor's edits in force: cell, 原值 → 新值, who, when, why."""

    cellRequested = Signal(str)
    HEADERS = ("单元格", "原值", "新值", "修改人", "时间", "理由")

    def __init__(self, parent=None):
        super().__init__(0, len(self.HEADERS), parent)
        self.review = None
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.cellDoubleClicked.connect(lambda r, _c: self.cellRequested.emit(self.item(r, 0).data(
            Qt.ItemDataRole.UserRole)))

    def set_review(self, review) -> None:
        self.review = review
        self._fill()

    def on_change(self, change: Change) -> None:
        if change.keys or change.reset:
            self._fill()

    def _fill(self) -> None:
        rows = edit_rows(self.review) if self.review is not None else []
        self.setRowCount(len(rows))
        for r, e in enumerate(rows):
            for c, text in enumerate((e.label, e.original, e.value, e.who, e.when, e.reason)):
                it = QTableWidgetItem(text)
                it.setData(Qt.ItemDataRole.UserRole, e.key)
                self.setItem(r, c, it)
