"""Who signs: 审核人 and 复核人, asked on first use, kept in the settings,
changed from 文件 → 审核人与复核人….

The names reach the core the way the command line's ``--reviewer`` does: the
review being worked on takes the 审核人 (sign-off box, footer, 修改记录), and
``GXAUDIT_REVIEWER`` / ``GXAUDIT_CHECKER`` are set for this process so every
new review and every summary export use them.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from . import settings

MAX_NAME = 40


def names() -> tuple[str, str]:
    return settings.get("reviewer").strip(), settings.get("checker").strip()


def apply(window=None) -> None:
    """Make the saved names the ones the core uses from now on."""
    reviewer, checker = names()
    for var, value in (("GXAUDIT_REVIEWER", reviewer), ("GXAUDIT_CHECKER", checker)):
        if value:
            os.environ[var] = value
        else:
            os.environ.pop(var, None)
    review = getattr(window, "review", None)
    if review is not None and reviewer and review.reviewer != reviewer:
        review.reviewer = reviewer
        try:
            review.save()
        except OSError:
            pass                     # autosave tries again with the next change


class ReviewerDialog(QDialog):
    """Two names; OK stays disabled until 审核人 is filled in."""

    def __init__(self, parent=None, first_use: bool = False):
        super().__init__(parent)
        self.setWindowTitle("审核人与复核人")
        reviewer, checker = names()
        lay = QVBoxLayout(self)
        intro = ("欢迎使用 gxaudit。请填写审核人姓名，\n它会出现在审核摘要的签字栏、工作簿页脚和修改记录中。"
                 if first_use else "审核人姓名出现在审核摘要的签字栏、工作簿页脚和修改记录中。")
        text = QLabel(intro + "\n复核人可以留空，签字栏中留出手写位置。")
        text.setWordWrap(True)
        lay.addWidget(text)
        form = QFormLayout()
        self.reviewer_edit = QLineEdit(reviewer)
        self.reviewer_edit.setPlaceholderText("例如：张三")
        self.reviewer_edit.setMaxLength(MAX_NAME)
        self.checker_edit = QLineEdit(checker)
        self.checker_edit.setPlaceholderText("可留空")
        self.checker_edit.setMaxLength(MAX_NAME)
        form.addRow("审核人：", self.reviewer_edit)
        form.addRow("复核人：", self.checker_edit)
        lay.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("以后再说" if first_use else "取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.reviewer_edit.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(480)

    def _update(self) -> None:
        ok = bool(self.reviewer_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        reviewer = self.reviewer_edit.text().strip()
        if not reviewer:
            return
        settings.put("reviewer", reviewer)
        settings.put("checker", self.checker_edit.text().strip())
        super().accept()


def ask(window, first_use: bool = False) -> ReviewerDialog:
    """Show the dialog (window-modal, so a report can load behind it)."""
    dlg = ReviewerDialog(window, first_use)
    dlg.accepted.connect(lambda: _changed(window))
    window.reviewer_dialog = dlg
    dlg.open()
    return dlg


def _changed(window) -> None:
    apply(window)
    reviewer, _ = names()
    window.statusBar().showMessage(f"审核人：{reviewer}", 6000)


def install(window, ask_now: bool | None = None) -> QAction:
    """Add the menu action, apply the saved names, and ask on first use."""
    act = QAction("审核人与复核人…", window)
    act.triggered.connect(lambda: ask(window))
    window.act_reviewer = act
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    file_menu = next((m for m in menus if m.title().startswith("文件")), menus[0] if menus else None)
    if file_menu is not None:
        seps = [a for a in file_menu.actions() if a.isSeparator()]
        file_menu.insertAction(seps[-1], act) if seps else file_menu.addAction(act)
    apply(window)
    if hasattr(window, "reviewLoaded"):
        window.reviewLoaded.connect(lambda _review: apply(window))
    if hasattr(window, "exportDone"):
        window.exportDone.connect(lambda path: settings.put("last_export_dir",
                                                            os.path.dirname(os.path.abspath(path))))
    if ask_now if ask_now is not None else not names()[0]:
        QTimer.singleShot(0, lambda: ask(window, first_use=True))
    return act
