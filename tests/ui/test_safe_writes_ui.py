"""Issue 11 in the window: an export onto the source is refused with a dialog
and asked again; a locked report library is waited for with a message, then
the report opens without it; control characters never reach a label."""
from __future__ import annotations

import shutil
import sqlite3

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gxaudit.core import load_report
from gxaudit.core.history import BUSY_MESSAGE, Library, library_path
from gxaudit.ui.main_window import MainWindow, load_for_review
from tests.conftest import SEED_000, require


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(store_root=str(tmp_path / "reviews"))
    qtbot.addWidget(w)
    w.show()
    return w


def open_report(qtbot, w, path):
    with qtbot.waitSignal(w.reviewLoaded, timeout=60000):
        w.open_path(str(path))


def test_export_dialog_refuses_the_source_and_asks_again(qtbot, window, tmp_path, monkeypatch):
    src = tmp_path / "report.txt"
    shutil.copyfile(require(SEED_000), src)
    before = src.read_bytes()
    open_report(qtbot, window, src)
    good = tmp_path / "审核.xlsx"
    answers = [str(src), str(good)]
    asked, warned = [], []

    def save_name(parent, title, start, filter_):
        asked.append(start)
        return answers.pop(0), filter_
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text: warned.append(text)))
    with qtbot.waitSignal(window.exportDone, timeout=60000) as done:
        window.export_workbook_dialog()
    assert done.args == [str(good)] and len(asked) == 2 and len(warned) == 1
    assert "源文件" in warned[0]
    assert src.read_bytes() == before and good.stat().st_size > 0


def test_export_to_the_source_directly_is_refused(qtbot, window, tmp_path):
    src = tmp_path / "report.txt"
    shutil.copyfile(require(SEED_000), src)
    before = src.read_bytes()
    open_report(qtbot, window, src)
    with qtbot.waitSignal(window.loadFailed, timeout=10000) as failed:
        window.export_to(str(src), "pdf")
    assert "源文件" in failed.args[0]
    assert src.read_bytes() == before


def test_a_locked_library_is_waited_for_then_the_report_opens_without_it(tmp_path, monkeypatch):
    lib = Library()
    lib.add(load_report(str(require(SEED_000))))
    lib.close()
    path = library_path()
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA journal_mode = DELETE")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE reports SET path = path")
    Library._checked.clear()
    monkeypatch.setenv("GXAUDIT_LIBRARY_WAIT", "0.6")
    heard = []
    result, _ = load_for_review(str(SEED_000), str(tmp_path / "reviews"),
                                progress=lambda done, total, msg: heard.append(msg))
    assert BUSY_MESSAGE in heard
    assert result.review.findings() and any("另一个 gxaudit" in n for n in result.notes)
    holder.execute("ROLLBACK")
    holder.close()
    assert not list(path.parent.glob("*.damaged-*"))
    assert len(Library().entries()) == 1


def test_control_characters_never_reach_the_labels(qtbot, window, tmp_path):
    text = require(SEED_000).read_bytes().decode("utf-8")
    src = tmp_path / "ctrl.txt"
    src.write_text(text.replace("台儿庄区人力资源", "台儿庄区\x1b[31m\x07人力资源", 1), encoding="utf-8")
    open_report(qtbot, window, src)
    assert "\x07" in (window.review.report.agency or "")          # the reader keeps it …
    for shown in (window.info_label.text(), window.windowTitle()):
        assert not set(shown) & {"\x07", "\x1b"}, repr(shown)    # … nothing shows it
