"""The findings pane: filters by severity and status, the decision buttons,
the list.  F8 / Enter / double-click take the auditor to the cell."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from ..core.review import OPEN
from .change import Change
from .findings_model import STATE_ROLE, FindingsFilter, FindingsModel


class FindingsPane(QWidget):
    findingActivated = Signal(object)       # a FindingState: go to its cell
    currentChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("显示："))
        self.sev_checks = self._checks(bar, (("error", "错误"), ("warning", "警告"), ("info", "提示")))
        bar.addSpacing(16)
        self.status_checks = self._checks(bar, (("open", "待处理"), ("accepted", "已确认"),
                                                ("overridden", "已豁免"), ("corrected", "已更正")))
        bar.addStretch(1)
        lay.addLayout(bar)
        bar = QHBoxLayout()                 # two rows: the pane stays narrow enough for 1280 px
        bar.addStretch(1)
        self.apply_btn = QPushButton("采用建议值")
        self.accept_btn = QPushButton("确认问题…")
        self.override_btn = QPushButton("豁免…")
        self.reopen_btn = QPushButton("重新打开")
        for b in (self.apply_btn, self.accept_btn, self.override_btn, self.reopen_btn):
            bar.addWidget(b)
        lay.addLayout(bar)
        v = self.view = QTableView()
        v.setModel(self.proxy)
        v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        v.verticalHeader().setVisible(False)
        hh = v.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        v.setWordWrap(True)
        v.activated.connect(self._activated)
        v.doubleClicked.connect(self._activated)
        v.selectionModel().currentRowChanged.connect(lambda *_: self.currentChanged.emit())
        lay.addWidget(v, 1)

    def _checks(self, bar, items) -> dict:
        out = {}
        for key, name in items:
            cb = QCheckBox(name)
            cb.setChecked(True)
            cb.toggled.connect(self._apply_filter)
            out[key] = cb
            bar.addWidget(cb)
        return out

    def _apply_filter(self) -> None:
        self.proxy.set_filter(severities=[s for s, cb in self.sev_checks.items() if cb.isChecked()],
                              statuses=[s for s, cb in self.status_checks.items() if cb.isChecked()])

    def _activated(self, index: QModelIndex) -> None:
        st = self.proxy.data(index, STATE_ROLE)
        if st is not None:
            self.findingActivated.emit(st)

    # -- contents ------------------------------------------------------------------
    def set_review(self, review) -> None:
        self.model.set_review(review)
        self._fit_columns()

    def on_change(self, change: Change) -> None:
        if not (change.findings_changed or change.keys):
            return
        current = self.current()
        self.model.refresh()
        self._fit_columns()
        if current is not None:
            self.select(current.finding.id)

    def _fit_columns(self) -> None:
        self.view.setColumnWidth(3, max(120, min(320, self.view.sizeHintForColumn(3))))
        self.view.resizeRowsToContents()

    # -- current finding -----------------------------------------------------------
    def current(self):
        idx = self.view.currentIndex()
        return self.proxy.data(idx, STATE_ROLE) if idx.isValid() else None

    def _set_current(self, idx) -> None:
        self.view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def select(self, finding_id: str) -> bool:
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            st = self.proxy.data(idx, STATE_ROLE)
            if st is not None and st.finding.id == finding_id:
                self._set_current(idx)
                return True
        return False

    def next_open(self, step: int = 1):
        """Select the next (or previous) open finding; returns its state or None."""
        n = self.proxy.rowCount()
        cur = self.view.currentIndex().row() if self.view.currentIndex().isValid() else -1
        for i in range(1, n + 1):
            r = (cur + step * i) % n
            idx = self.proxy.index(r, 0)
            st = self.proxy.data(idx, STATE_ROLE)
            if st is not None and st.status == OPEN:
                self._set_current(idx)
                self.view.scrollTo(idx)
                return st
        return None
