"""审核记录 (every logged action) and 修改记录 (the edits in force), with
table and row labels instead of cell keys and local times."""
from __future__ import annotations

from PySide6.QtWidgets import QHeaderView

from ..core.viewmodels import edit_rows, log_rows
from .change import Change
from .rows_view import RowsView, TextRow


def _cell_key(target: str) -> str | None:
    return target if target and target.count(".") == 2 and ":" not in target else None


class LogPane(RowsView):
    """The review log, newest first; a row naming a cell selects it."""

    HEADERS = ("审核记录",)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.review = None
        self._shown = 0               # log entries already listed
        self.horizontalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setShowGrid(False)

    def set_review(self, review) -> None:
        self.review = review
        self.rows_model.set_rows([])
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
            self.rows_model.set_rows([])
            self._shown = 0
        self.rows_model.prepend([TextRow((f"{row.when}　{row.who}　{row.text}",), _cell_key(row.target))
                                 for row in log_rows(log[self._shown:])])
        self._shown = len(log)


class EditsPane(RowsView):
    """The auditor's edits in force: cell, 原值 → 新值, who, when, why."""

    HEADERS = ("单元格", "原值", "新值", "修改人", "时间", "理由")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.review = None

    def set_review(self, review) -> None:
        self.review = review
        self._fill()

    def on_change(self, change: Change) -> None:
        if change.keys or change.reset:
            self._fill()

    def _fill(self) -> None:
        rows = edit_rows(self.review) if self.review is not None else []
        self.rows_model.set_rows([TextRow((e.label, e.original, e.value, e.who, e.when, e.reason), e.key)
                                  for e in rows])
