"""Last year's report: the line above the tables saying which report it is,
with the menu to change it, and the 上年对照 table of cross-year identities."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QMenu, QToolButton, QWidget

from ..core.text import printable
from ..core.viewmodels import prior_keys, prior_rows, prior_summary
from . import style
from .change import Change
from .rows_view import RowsView, TextRow


class PriorBar(QWidget):
    """上年报告：… and the 更换上年报告 menu (filled by the window on demand)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        self.label = QLabel("上年报告：无")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QToolButton()
        self.button.setText("更换上年报告")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.button.setMenu(self.menu)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)


class PriorPane(RowsView):
    HEADERS = ("项目", "本年", "上年报告", "应为 / 实为", "结果")

    def __init__(self, bar: PriorBar, parent=None):
        super().__init__(parent)
        self.bar = bar
        self.review = None
        self._keys: frozenset[str] = frozenset()
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.refreshes = 0            # how often the table was rebuilt (tests: only when needed)

    def set_review(self, review) -> None:
        self.review = review
        self.refresh()

    def on_change(self, change: Change) -> None:
        if change.prior_changed or change.reset or (change.keys & self._keys):
            self.refresh()

    def refresh(self) -> None:
        self.refreshes += 1
        rv = self.review
        if rv is None:
            self.bar.label.setText("上年报告：无")
            self._keys = frozenset()
            self.rows_model.set_rows([])
            return
        self.bar.label.setText(printable(prior_summary(rv.prior, rv.prior_how)))
        self._keys = prior_keys(rv.report, rv.prior)
        self.rows_model.set_rows([
            TextRow((row.label, row.this_year, row.last_year, row.values, row.result), row.target,
                    (style.ERROR_BG if row.severity == "error" else style.WARNING_BG) if row.failing else None)
            for row in prior_rows(rv.report, rv.prior)])
