"""Small dialogs and the welcome page of the workspace."""
from __future__ import annotations

import os

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)


class ReasonDialog(QDialog):
    """Asks for the reason of an accept/override; OK stays disabled while
    empty; Ctrl+Enter submits (Enter makes a new line)."""

    def __init__(self, title: str, prompt: str, parent=None, required: bool = True):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.required = required
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(prompt))
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText("必须填写理由（Ctrl+Enter 提交）" if required else "Ctrl+Enter 提交")
        lay.addWidget(self.edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.edit.installEventFilter(self)
        self.edit.textChanged.connect(self._update)
        self._update()

    def _update(self):
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.reason()) or not self.required)

    def eventFilter(self, obj, ev):
        if obj is self.edit and ev.type() == QEvent.Type.KeyPress \
                and ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.submit()
            return True
        return super().eventFilter(obj, ev)

    def submit(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def reason(self) -> str:
        return self.edit.toPlainText().strip()


class WelcomePage(QWidget):
    def __init__(self, window):
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(48, 40, 48, 40)
        lay.addWidget(QLabel("<h1>gxaudit 政府信息公开工作年度报告审核</h1>"))
        lay.addWidget(QLabel("打开一份年度报告（PDF、Word、网页或文本），检查表二、表三、表四的勾稽关系，"
                             "逐项更正、确认或豁免，审核记录自动保存。"))
        row = QHBoxLayout()
        self.open_btn = QPushButton("打开报告…")
        self.open_btn.clicked.connect(window.open_dialog)
        self.sample_btn = QPushButton("打开样例报告（台儿庄区人社局 2021）")
        self.sample_btn.clicked.connect(window.open_sample)
        row.addWidget(self.open_btn)
        row.addWidget(self.sample_btn)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(QLabel("<b>最近打开</b>"))
        self.recent = QListWidget()
        self.recent.itemActivated.connect(lambda it: window.open_path(it.data(Qt.ItemDataRole.UserRole)))
        lay.addWidget(self.recent, 1)
        lay.addWidget(QLabel("也可以把报告文件拖到本窗口中打开。"))

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for p in paths:
            it = QListWidgetItem(f"{os.path.basename(p)}　—　{os.path.dirname(p)}")
            it.setData(Qt.ItemDataRole.UserRole, p)
            self.recent.addItem(it)
