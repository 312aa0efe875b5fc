"""The workspace panes (issues 12 item 5 and 14 items 6–10, 12, 15) with real
widgets offscreen: one reviewChanged(Change) signal and only what changed
refreshed; the keyboard flow; layout at 1280×800 with frozen headers, zoom
and a remembered splitter; cell markers; unreadable cells; suspect-less
findings explained; the log in words; the Help menu; background operations."""
from __future__ import annotations

import copy
import threading

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication, QLineEdit

from gxaudit.core import load_report
from gxaudit.core.model import Cell
from gxaudit.core.review import ACCEPTED, Review
from gxaudit.core.rules import RULES
from gxaudit.ui import style
from gxaudit.ui.change import Change
from gxaudit.ui.grid_model import MARKS_ROLE, SUGGESTION_ROLE, SUSPECT, UNREADABLE_MARK
from gxaudit.ui.main_window import MainWindow, ReasonDialog
from gxaudit.ui.workers import Operation, Runner
from tests.conftest import CORPUS, SEED_000, SEED_003, require

KEY = "t3.total_processed.total"
BG = Qt.ItemDataRole.BackgroundRole
TIP = Qt.ItemDataRole.ToolTipRole
HONGZE_2023 = CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(store_root=str(tmp_path / "reviews"))
    qtbot.addWidget(w)
    w.show()
    return w


def open_report(qtbot, w, path):
    with qtbot.waitSignal(w.reviewLoaded, timeout=60000) as blocker:
        w.open_path(str(path))
    return blocker.args[0]


def show_review(w, report, tmp_path):
    """Put a Review of ``report`` (a changed copy of a real one) in the window."""
    rv = Review(report, "审核员甲", tmp_path / "r.review.json")
    w.set_review(rv, "")
    return rv


def with_cells(report, **cells):
    rep = copy.copy(report)
    rep.cells = dict(report.cells)
    for key, cell in cells.items():
        key = key.replace("__", ".")
        rep.cells[key] = cell if isinstance(cell, Cell) else Cell(key, cell, str(cell), "ok")
    return rep


# -- one signal, only what changed (issue 12 item 5) --------------------------------------

def test_review_changed_carries_what_changed_and_panes_refresh_only_that(qtbot, window):
    open_report(qtbot, window, require(SEED_000))
    resets = []
    window.findings_model.modelReset.connect(lambda: resets.append(1))
    prior_before = window.prior_table.refreshes
    with qtbot.waitSignal(window.reviewChanged) as blocker:
        window.edit_cell("t4.review.upheld", 1)
    change = blocker.args[0]
    assert isinstance(change, Change) and change.keys == frozenset({"t4.review.upheld"})
    assert change.findings_changed            # T4-SUM breaks
    assert resets == [1]
    assert window.prior_table.refreshes == prior_before          # no prior: nothing to redo

    window.select_cell(KEY)
    with qtbot.waitSignal(window.reviewChanged) as blocker:
        from gxaudit.ui import commands
        commands.set_note(window.review, KEY, "已电话核实", window._after_change)
    change = blocker.args[0]
    assert change.notes_changed and not change.findings_changed and not change.keys
    assert resets == [1]                                         # the findings list was left alone
    m = window.grid_models["t3"]
    assert "已电话核实" in m.data(m.index_of(KEY), TIP)


def test_prior_pane_refreshes_for_its_cells_only(qtbot, window):
    open_report(qtbot, window, require(HONGZE_2023))
    this = window.review.report
    last = copy.copy(this)
    last.cells = dict(this.cells)
    last.year = (this.year or 2023) - 1
    window.set_prior(last, "given")
    n = window.prior_table.refreshes
    window.edit_cell("t4.review.upheld", 9)          # not read by the comparison
    assert window.prior_table.refreshes == n
    window.edit_cell("t3.carried_over.natural_person", 9)
    assert window.prior_table.refreshes == n + 1


def test_every_model_passes_qtmodeltester(qtbot, qtmodeltester, window):
    open_report(qtbot, window, require(SEED_000))
    window.apply_btn.click()
    for m in window.grid_models.values():
        qtmodeltester.check(m)
    for m in (window.findings_model, window.findings_proxy, window.prior_table.model(),
              window.edits_view.model(), window.log_view.model()):
        qtmodeltester.check(m)


def test_library_is_written_off_the_ui_thread(qtbot, window, monkeypatch):
    from gxaudit.ui import main_window
    threads = []
    real = main_window._record

    def spy(report, reviewed):
        threads.append(QThread.currentThread())
        return real(report, reviewed)
    monkeypatch.setattr(main_window, "_record", spy)
    monkeypatch.setattr(main_window, "LIBRARY_DELAY_MS", 0)
    open_report(qtbot, window, require(SEED_000))
    window._library_timer.setInterval(0)
    with qtbot.waitSignal(window.libraryWritten, timeout=30000):
        window.apply_btn.click()
    assert threads and threads[0] is not QApplication.instance().thread()
    from gxaudit.core.history import Library
    lib = Library()
    try:
        entry = lib.entry(window.review.report.source.sha256)
        assert entry is not None and entry.reviewed
    finally:
        lib.close()


# -- the Operation (Anki's CollectionOp shape) -----------------------------------------------

def test_runner_runs_one_at_a_time_with_progress_and_cancel(qtbot):
    runner = Runner()
    active, order, progress = [], [], []
    gate = threading.Event()

    def work(name, progress=None, cancel=None):
        active.append(name)
        assert len(active) == 1, "two operations at once"
        progress(1, 2, f"{name} 一半")
        if name == "a":
            gate.wait(5)
        active.remove(name)
        return name

    ops = [Operation(work, n, with_progress=True, on_done=order.append,
                     on_progress=lambda d, t, msg: progress.append((d, t, msg))) for n in "abc"]
    for op in ops:
        runner.run(op)
    ops[1].cancel()                     # queued, never runs
    gate.set()
    with qtbot.waitSignal(runner.idle, timeout=10000):
        pass
    assert order == ["a", "c"]
    assert (1, 2, "a 一半") in progress and not any("b" in m for _d, _t, m in progress)


def test_printing_prepares_the_summary_off_the_ui_thread(qtbot, window, monkeypatch):
    open_report(qtbot, window, require(SEED_000))
    seen = []
    monkeypatch.setattr(window.exports, "_print_dialog", lambda path: seen.append(path))
    window.print_summary()
    assert seen == []                               # not written on the UI thread
    qtbot.waitUntil(lambda: bool(seen), timeout=60000)
    import os
    assert os.path.getsize(seen[0]) > 1000


# -- keyboard (issue 14 item 6) -------------------------------------------------------------

def test_f8_enter_and_typing_go_to_and_fix_the_cell(qtbot, window):
    open_report(qtbot, window, require(SEED_000))
    window.activateWindow()
    view = window.grid_views["t3"]
    window.findings_view.setFocus()
    window.act_next.trigger()                      # F8
    window.act_prev.trigger()                      # back to the T3-ROW error
    assert window.current_cell_key() == KEY
    assert QApplication.focusWidget() is view
    # Enter in the findings list also sends the keyboard to the cell.
    window.findings_view.setFocus()
    qtbot.keyClick(window.findings_view, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is view and window.current_cell_key() == KEY
    qtbot.keyClick(view, Qt.Key.Key_3)             # typing starts editing
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.text() == "3"
    qtbot.keyClick(editor, Qt.Key.Key_Return)       # Enter commits
    m = window.grid_models["t3"]
    qtbot.waitUntil(lambda: window.review.edits.get(KEY) == 3)
    assert m.data(m.index_of(KEY)) == "3 ✎"
    window.act_next.trigger()                       # F8: the next open finding (F-FEE, no cell)
    assert window.current_finding().status == "open" and window.current_finding().finding.rule == "F-FEE"


def test_double_click_in_the_findings_list_focuses_the_cell(qtbot, window):
    open_report(qtbot, window, require(SEED_000))
    window.findings_view.setFocus()
    idx = window.findings_proxy.index(0, 2)
    window.findings_view.doubleClicked.emit(idx)
    assert QApplication.focusWidget() is window.grid_views["t3"]


def test_reason_dialog_submits_with_ctrl_enter(qtbot):
    dlg = ReasonDialog("确认问题", "理由：")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.edit.setFocus()
    qtbot.keyClick(dlg.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dlg.result() == 0 and dlg.isVisible()       # empty: refused
    dlg.edit.setPlainText("已核实")
    with qtbot.waitSignal(dlg.accepted, timeout=2000):
        qtbot.keyClick(dlg.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dlg.reason() == "已核实"


def test_delete_clears_a_cell_to_blank_logged_and_undoable(qtbot, window):
    review = open_report(qtbot, window, require(SEED_000))
    key = "t3.new_received.natural_person"
    before = review.report.cells[key].value
    window.select_cell(key, focus=True)
    view = window.grid_views["t3"]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    cell = review.report.cells[key]
    assert cell.value is None and not cell.known
    m = window.grid_models["t3"]
    assert m.data(m.index_of(key)) == " ✎"
    assert "已清空" in m.data(m.index_of(key), TIP)
    assert review.log[-1].action == "edit" and review.log[-1].after is None
    assert "清空" in window.log_view.text(0, 0)
    window.act_undo.trigger()
    assert review.report.cells[key].value == before and key not in review.edits


# -- layout (item 7) -----------------------------------------------------------------------

def test_at_1280x800_the_tables_fit_and_headers_stay(qtbot, window):
    window.resize(1280, 800)
    open_report(qtbot, window, require(HONGZE_2023))
    qtbot.wait(50)
    t3, m3 = window.grid_views["t3"], window.grid_models["t3"]
    window.grid.setCurrentWidget(t3)
    qtbot.wait(50)
    total = t3.visualRect(m3.index_of("t3.new_received.total"))
    assert total.right() <= t3.viewport().width()               # 总计 on screen
    window.grid.setCurrentWidget(window.grid_views["t4"])
    qtbot.wait(50)
    t4, m4 = window.grid_views["t4"], window.grid_models["t4"]
    last = t4.visualRect(m4.index_of("t4.litigation_after_review.total"))
    assert last.right() <= t4.viewport().width()                # 表四 not cut
    assert window.source.width() >= 480                         # the PDF page stays readable
    # Header rows and the label columns stay while the values scroll.
    window.grid.setCurrentWidget(t3)
    t3.verticalScrollBar().setValue(t3.verticalScrollBar().maximum())
    t3.horizontalScrollBar().setValue(t3.horizontalScrollBar().maximum())
    top, left = t3.overlays["top"], t3.overlays["left"]
    assert top.isVisible() and left.isVisible()
    assert top.verticalScrollBar().value() == 0 and top.rowViewportPosition(0) == 0
    assert left.horizontalScrollBar().value() == 0 and left.columnViewportPosition(0) == 0
    assert top.height() == sum(t3.rowHeight(r) for r in range(3))
    # Selecting a cell (through the shared selection) must not scroll the frozen parts.
    window.select_cell("t3.carried_forward.total")
    window.select_cell("t3.new_received.natural_person")
    assert top.verticalScrollBar().value() == 0 and left.horizontalScrollBar().value() == 0
    assert t3.overlays["corner"].verticalScrollBar().value() == 0
    assert left.verticalScrollBar().value() == t3.verticalScrollBar().value()
    assert top.horizontalScrollBar().value() == t3.horizontalScrollBar().value()


def test_zoom_and_splitter_are_remembered(qtbot, tmp_path):
    w = MainWindow(store_root=str(tmp_path / "reviews"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    open_report(qtbot, w, require(SEED_000))
    v = w.grid_views["t3"]
    size = v.font().pointSizeF()
    w.act_zoom_in.trigger()
    assert v.font().pointSizeF() > size and v.overlays["top"].font().pointSizeF() == v.font().pointSizeF()
    w.act_zoom_out.trigger()
    w.act_zoom_out.trigger()
    assert v.font().pointSizeF() < size
    assert "Ctrl+=" in [s.toString() for s in w.act_zoom_in.shortcuts()]
    assert w.act_zoom_out.shortcut().toString() == "Ctrl+-"
    w.splitter.setSizes([700, 580])
    w.splitter.splitterMoved.emit(700, 1)            # as a drag does
    sizes = w.splitter.sizes()
    assert sizes[0] > 600
    zoom = w.grid.zoom
    w.close()
    w2 = MainWindow(store_root=str(tmp_path / "reviews"))
    qtbot.addWidget(w2)
    w2.resize(1280, 800)
    w2.show()
    open_report(qtbot, w2, SEED_000)
    qtbot.waitUntil(lambda: sum(w2.splitter.sizes()) > 1200)
    assert w2.splitter.sizes() == sizes and w2.grid.zoom == zoom
    from gxaudit.ui import settings
    assert str(tmp_path) in settings.qsettings().fileName()       # isolated from the user's


# -- markers (items 8, 9) ---------------------------------------------------------------------

def test_suspect_is_marked_strongly_with_its_suggestion(qtbot, window):
    open_report(qtbot, window, require(SEED_000))
    m, v = window.grid_models["t3"], window.grid_views["t3"]
    idx = m.index_of(KEY)
    assert m.data(idx) == "0" and m.data(idx, SUGGESTION_ROLE) == "3"
    assert SUSPECT in m.data(idx, MARKS_ROLE)
    assert m.data(idx, BG) == style.SUSPECT_BG
    window.select_cell("t3.new_received.natural_person")      # not selected: colours as drawn
    v.scrollTo(idx)
    qtbot.wait(20)
    rect = v.visualRect(idx)
    img = v.viewport().grab(rect).toImage()
    edge = img.pixelColor(1, img.height() // 2)
    assert edge.red() < 160 and edge.green() < 60              # the dark frame of the suspect
    fill = img.pixelColor(img.width() // 2, 5)
    assert fill == style.SUSPECT_BG
    # Text "0 → 3" is drawn wider than "0" alone: ink reaches left of the centre-right.
    ink = [x for x in range(6, img.width() - 6) if img.pixelColor(x, img.height() // 2).lightness() > 240]
    assert ink and (max(ink) - min(ink)) > v.fontMetrics().horizontalAdvance("→")


def test_table_wide_finding_marks_the_tab_not_the_cells(qtbot, window):
    open_report(qtbot, window, require(SEED_003))
    assert any(s.finding.rule == "F-TEMPLATE" for s in window.review.finding_states())
    i = list(window.grid_views).index("t2")
    assert not window.grid.tabIcon(i).isNull()
    assert "F-TEMPLATE" in window.grid.tabToolTip(i)
    assert window.grid.tabBar().tabTextColor(i) == style.SEVERITY_FG["error"]
    m = window.grid_models["t2"]
    ok = m.index_of("t2.regulations.new_made")
    assert m.data(ok, BG) is None                       # not painted red
    assert window.grid.tabIcon(list(window.grid_views).index("t4")).isNull()


def test_unreadable_cell_shows_an_icon_and_no_number(qtbot, window):
    open_report(qtbot, window, require(SEED_003))
    m = window.grid_models["t3"]
    key = "t3.carried_over.natural_person"
    cell = window.review.report.cells[key]
    assert cell.status == "unreadable" and cell.raw
    idx = m.index_of(key)
    assert m.data(idx) == ""
    assert UNREADABLE_MARK in m.data(idx, MARKS_ROLE)
    assert cell.raw in m.data(idx, TIP) and "无法识读" in m.data(idx, TIP)
    assert m.data(idx, BG) == style.WARNING_BG


# -- suspect-less findings explained (item 10) -------------------------------------------------

def test_finding_without_suspect_names_the_cells_that_could_explain_it(qtbot, window, tmp_path):
    rep = load_report(str(require(SEED_000)))
    rep = with_cells(rep, t4__review__upheld=0, t4__review__corrected=0, t4__review__other=0,
                     t4__review__pending=12, t4__review__total=10)
    show_review(window, rep, tmp_path)
    fm = window.findings_model
    row = next(r for r in range(fm.rowCount())
               if fm.states[r].finding.rule == "T4-SUM" and "t4.review.total" in fm.states[r].finding.cells)
    text = fm.data(fm.index(row, 3))
    assert text == "尚未审结 或 总计 之一有误，无法判断是哪一个"
    assert text in fm.data(fm.index(row, 2), TIP)
    m = window.grid_models["t4"]
    assert "之一有误" in m.data(m.index_of("t4.review.total"), TIP)


# -- the record in words (item 12) ----------------------------------------------------------------

def test_logs_show_labels_local_time_and_the_suggestion_rule(qtbot, window):
    review = open_report(qtbot, window, require(SEED_000))
    window.apply_btn.click()
    top = window.log_view.text(0, 0)
    assert "表三（七）总计·总计" in top and "t3." not in top
    assert "采用建议值：T3-ROW 表三行合计" in top
    assert review.log[-1].reason == "采用建议值：T3-ROW 表三行合计"
    from gxaudit.core.viewmodels import local_time
    assert top.startswith(local_time(review.log[-1].at))
    e = window.edits_view
    assert e.rowCount() == 1
    assert [e.text(0, c) for c in (0, 1, 2)] == ["表三（七）总计·总计", "0", "3"]
    assert "采用建议值" in e.text(0, 5)
    fee = next(s.finding for s in review.finding_states() if s.finding.rule == "F-FEE")
    window.decide(ACCEPTED, "报告确未说明", fee.id)
    assert window.log_view.text(0, 0).split("　", 2)[2] == "确认问题 F-FEE 信息处理费（报告确未说明）"
    assert window.log_view.rowCount() == len(review.log)



def test_double_clicking_a_record_row_selects_its_cell(qtbot, window):
    open_report(qtbot, window, require(SEED_000))
    window.apply_btn.click()
    [edited] = window.review.edits
    for view in (window.edits_view, window.log_view):
        window.bottom_tabs.setCurrentWidget(view)
        window.select_cell("t3.new_received.natural_person")
        at = view.visualRect(view.model().index(0, 0)).center()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)     # a double-click's first press
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
        assert window.current_cell_key() == edited

# -- Help menu (item 15) ---------------------------------------------------------------------------

def test_help_menu_has_legend_rules_and_shortcuts(qtbot, window):
    names = [a.text() for a in window.help_menu.actions()]
    assert {"颜色说明", "检查规则一览", "快捷键"} <= set(names)
    legend = window.show_legend().browser.toHtml()
    assert style.SUSPECT_BG.name() in legend and "无法识读" in legend
    window.help_dialog.close()
    rules = window.show_rules().browser.toPlainText()
    for rid, info in RULES.items():
        assert rid in rules and info.name in rules
    window.help_dialog.close()
    keys = window.show_shortcuts().browser.toPlainText()
    for k in ("F8", "Ctrl+Z", "Ctrl+K", "Ctrl+=", "Delete", "Ctrl+Enter"):
        assert k in keys
    assert "撤销\n" in keys or keys.count("撤销") == 1 and "Ctrl++ / Ctrl++" not in keys
    window.help_dialog.close()


def test_a_cleared_cell_survives_reopening(qtbot, tmp_path):
    store = str(tmp_path / "reviews")
    w = MainWindow(store_root=store)
    qtbot.addWidget(w)
    open_report(qtbot, w, require(SEED_000))
    key = "t3.new_received.natural_person"
    w.clear_cell(key)
    w.close()
    w2 = MainWindow(store_root=store)
    qtbot.addWidget(w2)
    with qtbot.waitSignal(w2.reviewLoaded, timeout=60000) as blocker:
        w2.open_path(str(SEED_000))
    review = blocker.args[0]
    assert review.edits == {key: None}                 # restored, not set aside as damaged
    assert review.report.cells[key].value is None and review.report.cells[key].status == "edited"
    assert not list((tmp_path / "reviews").glob("*.damaged-*"))
