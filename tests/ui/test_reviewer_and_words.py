"""The reviewer's name in the GUI (first-use dialog, settings, menu), Qt's own
dialogs in Chinese, the last export folder."""
from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from tests.conftest import SEED_000, require


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.delenv("GXAUDIT_REVIEWER", raising=False)
    monkeypatch.delenv("GXAUDIT_CHECKER", raising=False)
    from gxaudit.ui.main_window import MainWindow
    win = MainWindow(store_root=str(tmp_path / "store"))
    qtbot.addWidget(win)
    win.show()
    yield win
    os.environ.pop("GXAUDIT_REVIEWER", None)
    os.environ.pop("GXAUDIT_CHECKER", None)


def test_first_use_asks_for_the_reviewer_and_keeps_it(qtbot, window, tmp_path):
    from gxaudit.ui import reviewer, settings
    reviewer.install(window)
    qtbot.waitUntil(lambda: getattr(window, "reviewer_dialog", None) is not None
                    and window.reviewer_dialog.isVisible(), timeout=3000)
    dlg = window.reviewer_dialog
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()                      # no name, no OK
    dlg.reviewer_edit.insert("张三")     # (QTest.keyClicks cannot type Chinese)
    dlg.checker_edit.insert("李四")
    assert ok.isEnabled()
    ok.click()
    assert reviewer.names() == ("张三", "李四")
    assert settings.get("reviewer") == "张三"
    assert os.environ["GXAUDIT_REVIEWER"] == "张三"
    # The opened review is signed by that name, in its log too.
    with qtbot.waitSignal(window.reviewLoaded, timeout=120000):
        window.open_path(str(require(SEED_000)))
    assert window.review.reviewer == "张三"
    key = next(k for k, c in window.review.report.cells.items() if c.known)
    window.review.set_cell(key, 12345, "测试")
    assert window.review.log[-1].who == "张三"
    # The summary's sign-off box carries both names.
    import pdfplumber

    from gxaudit.core.export.summary import export_summary_pdf
    pdf = tmp_path / "s.pdf"
    export_summary_pdf(window.review, pdf)
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert "审核人：张三" in text and "复核人：李四" in text


def test_menu_action_changes_the_name(qtbot, window):
    from gxaudit.ui import reviewer, settings
    settings.put("reviewer", "张三")
    act = reviewer.install(window)
    qtbot.wait(50)
    assert getattr(window, "reviewer_dialog", None) is None          # a known name: no question
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and a.menu().title().startswith("文件"))
    assert act in file_menu.actions()
    act.trigger()
    dlg = window.reviewer_dialog
    assert dlg.isVisible() and dlg.reviewer_edit.text() == "张三"
    dlg.reviewer_edit.setText("王五")
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert reviewer.names()[0] == "王五" and os.environ["GXAUDIT_REVIEWER"] == "王五"


def test_qt_dialogs_speak_chinese(qapp):
    from PySide6.QtCore import QCoreApplication

    from gxaudit.ui.app import load_translations
    assert load_translations(qapp)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().startswith("取消")
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："


def test_last_export_folder_is_remembered(qtbot, window, tmp_path):
    from gxaudit.ui import reviewer, settings
    settings.put("reviewer", "张三")
    reviewer.install(window)
    with qtbot.waitSignal(window.reviewLoaded, timeout=120000):
        window.open_path(str(require(SEED_000)))
    out = tmp_path / "导出"
    out.mkdir()
    with qtbot.waitSignal(window.exportDone, timeout=120000):
        window.export_to(str(out / "a.xlsx"), "xlsx")
    assert settings.last_export_dir() == str(out)
    assert os.path.dirname(window.exports._default_name(".pdf")) == str(out)
