"""The review workspace under pytest-qt (offscreen): open, flag, fix, undo,
redo, decide with a reason, reopen, bad files, model tests."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from gxaudit.core.review import ACCEPTED, CORRECTED, OPEN
from gxaudit.ui import style
from gxaudit.ui.findings_model import STATE_ROLE
from gxaudit.ui.main_window import MainWindow, ReasonDialog
from tests.conftest import ROOT, SEED_000, require

KEY = "t3.total_processed.total"
BG = Qt.ItemDataRole.BackgroundRole


@pytest.fixture
def store(tmp_path):
    return str(tmp_path / "reviews")


@pytest.fixture
def window(qtbot, store):
    w = MainWindow(store_root=store)
    qtbot.addWidget(w)
    w.show()
    return w


def open_report(qtbot, w, path):
    with qtbot.waitSignal(w.reviewLoaded, timeout=60000) as blocker:
        w.open_path(str(path))
    return blocker.args[0]


def open_errors(w):
    return sorted(s.finding.rule for s in w.review.finding_states()
                  if s.status == OPEN and s.finding.severity == "error")


def type_into_cell(qtbot, w, key, text):
    table = key.split(".")[0]
    view, model = w.grid_views[table], w.grid_models[table]
    idx = model.index_of(key)
    w.tabs.setCurrentWidget(view)
    view.setCurrentIndex(idx)
    view.edit(idx)
    editor = view.findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, text)          # ASCII only: keyClicks aborts on Chinese text
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_flag_fix_undo_redo(qtbot, window):
    review = open_report(qtbot, window, require(SEED_000))
    model = window.grid_models["t3"]
    idx = model.index_of(KEY)
    assert model.data(idx) == "0"
    assert model.data(idx, BG) == style.SUSPECT_BG
    assert "建议改为" in model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert open_errors(window) == ["T3-BAL", "T3-LEAF", "T3-ROW"]
    assert window.findings_proxy.rowCount() == 4

    type_into_cell(qtbot, window, KEY, "3")
    qtbot.waitUntil(lambda: model.data(idx) == "3 ✎")
    assert open_errors(window) == []
    assert model.data(idx, BG) == style.EDITED_BG
    corrected = [window.findings_model.data(window.findings_model.index(r, 0), STATE_ROLE)
                 for r in range(window.findings_model.rowCount())]
    assert sorted(s.finding.rule for s in corrected if s.status == CORRECTED) == ["T3-BAL", "T3-LEAF", "T3-ROW"]
    assert review.report.cells[KEY].original == 0

    window.act_undo.trigger()
    assert model.data(idx) == "0"
    assert open_errors(window) == ["T3-BAL", "T3-LEAF", "T3-ROW"]
    assert model.data(idx, BG) == style.SUSPECT_BG

    window.act_redo.trigger()
    assert model.data(idx) == "3 ✎"
    assert open_errors(window) == []
    assert [e.action for e in review.log] == ["open", "edit", "undo", "redo"]


def test_shortcuts_are_the_expected_ones(window):
    assert "Ctrl+Z" in [s.toString() for s in window.act_undo.shortcuts()]
    assert "Ctrl+Shift+Z" in [s.toString() for s in window.act_redo.shortcuts()]
    assert window.act_next.shortcut().toString() == "F8"


def test_apply_suggestion_from_the_findings_list(qtbot, window):
    open_report(qtbot, window, require(SEED_000))
    # The window opens on the first open finding, the T3-ROW error with its suggestion.
    st = window.current_finding()
    assert st.finding.rule == "T3-ROW" and st.finding.suggested == 3
    assert window.apply_btn.isEnabled()
    window.apply_btn.click()
    assert window.review.report.cells[KEY].value == 3
    assert open_errors(window) == []


def test_invalid_input_is_refused(qtbot, window):
    open_report(qtbot, window, require(SEED_000))
    with qtbot.waitSignal(window.grid_models["t3"].invalidInput):
        type_into_cell(qtbot, window, KEY, "abc")
    assert window.review.edits == {}


def test_accept_with_reason_resolves_and_logs(qtbot, window):
    review = open_report(qtbot, window, require(SEED_000))
    fee = next(s.finding for s in review.finding_states() if s.finding.rule == "F-FEE")
    assert window.decide(ACCEPTED, "   ", fee.id) is False        # a reason is required
    assert window.decide(ACCEPTED, "报告确未说明信息处理费", fee.id)
    st = next(s for s in review.finding_states() if s.finding.id == fee.id)
    assert st.status == ACCEPTED and st.decision.reason == "报告确未说明信息处理费"
    assert review.log[-1].action == "accept" and review.log[-1].reason == "报告确未说明信息处理费"
    window.act_undo.trigger()
    assert next(s for s in review.finding_states() if s.finding.id == fee.id).status == OPEN


def test_reason_dialog_requires_text(qtbot):
    dlg = ReasonDialog("确认问题", "理由：")
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dlg.edit.setPlainText("已核实")        # Chinese is set directly, not typed (platform.md)
    assert ok.isEnabled() and dlg.reason() == "已核实"


def test_reopening_restores_the_review(qtbot, store):
    w1 = MainWindow(store_root=store)
    qtbot.addWidget(w1)
    open_report(qtbot, w1, require(SEED_000))
    type_into_cell(qtbot, w1, KEY, "3")
    qtbot.waitUntil(lambda: w1.review.edits == {KEY: 3})
    w1.close()
    w2 = MainWindow(store_root=store)
    qtbot.addWidget(w2)
    review = open_report(qtbot, w2, SEED_000)
    assert review.edits == {KEY: 3}
    assert w2.grid_models["t3"].data(w2.grid_models["t3"].index_of(KEY)) == "3 ✎"
    assert open_errors(w2) == []


def test_models_pass_qtmodeltester(qtbot, qtmodeltester, window):
    open_report(qtbot, window, require(SEED_000))
    for m in window.grid_models.values():
        qtmodeltester.check(m)
    qtmodeltester.check(window.findings_model)
    qtmodeltester.check(window.findings_proxy)


def test_corrupt_file_shows_error_and_window_stays_usable(qtbot, window, tmp_path):
    bad = tmp_path / "损坏的报告.docx"
    bad.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    with qtbot.waitSignal(window.loadFailed, timeout=60000) as blocker:
        window.open_path(str(bad))
    assert blocker.args[0]
    assert window.last_error is not None and window.last_error.isVisible()
    assert "Traceback" not in window.last_error.text()
    window.last_error.close()
    notreport = tmp_path / "notes.txt"
    notreport.write_text("这是一份会议纪要，没有任何统计表。\n", encoding="utf-8")
    with qtbot.waitSignal(window.loadFailed, timeout=60000) as blocker:
        window.open_path(str(notreport))
    assert "统计表" in blocker.args[0]
    window.last_error.close()
    open_report(qtbot, window, require(SEED_000))      # still usable
    assert window.review is not None


def test_welcome_offers_the_sample(qtbot, window):
    assert window.stack.currentWidget() is window.welcome
    with qtbot.waitSignal(window.reviewLoaded, timeout=60000):
        window.welcome.sample_btn.click()
    assert window.review.report.agency == "台儿庄区人力资源和社会保障局"
    assert window.welcome.recent.count() == 0 or True
    from gxaudit.ui import settings
    assert settings.recent_files()[0].endswith("taierzhuang-hrss-2021.txt")


GUI_KILL = r"""
import os, signal, sys
from PySide6.QtWidgets import QApplication
from gxaudit.ui.main_window import MainWindow
app = QApplication([])
w = MainWindow(store_root=sys.argv[2])
def loaded(review):
    w.edit_cell("t3.total_processed.total", 3)
    os.kill(os.getpid(), signal.SIGKILL)
w.reviewLoaded.connect(loaded)
w.open_path(sys.argv[1])
app.exec()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_gui_killed_after_an_edit_loses_nothing(qtbot, store):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", GUI_KILL, str(require(SEED_000)), store], cwd=ROOT,
                          env=env, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode(errors="replace")
    w = MainWindow(store_root=store)
    qtbot.addWidget(w)
    review = open_report(qtbot, w, SEED_000)
    assert review.edits == {KEY: 3}
    assert [e.action for e in review.log] == ["open", "edit"]


HONGZE_2023 = "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"


def test_pdf_source_follows_the_grid_and_back(qtbot, window):
    from tests.conftest import CORPUS
    review = open_report(qtbot, window, require(CORPUS / HONGZE_2023))
    assert window.source.mode == "pdf"
    key = "t4.review.total"
    cell = review.report.cells[key]
    assert cell.page and cell.bbox
    # Selecting the grid cell turns to its page and draws its box.
    window.select_cell(key)
    pdf = window.source.pdf
    assert pdf.page == cell.page
    assert pdf.box_item.isVisible()
    box = pdf.box_item.rect()
    s = pdf._scale_used
    assert abs(box.center().x() / s - (cell.bbox[0] + cell.bbox[2]) / 2) < 1.0
    assert abs(box.center().y() / s - (cell.bbox[1] + cell.bbox[3]) / 2) < 1.0
    # Clicking a number on the page selects its cell.
    other = "t3.new_received.total"
    oc = review.report.cells[other]
    window.select_at_point(oc.page, (oc.bbox[0] + oc.bbox[2]) / 2, (oc.bbox[1] + oc.bbox[3]) / 2)
    assert window.current_cell_key() == other
    assert window.tabs.currentWidget() is window.grid_views["t3"]


def test_cancel_loading_keeps_the_window_usable(qtbot, window):
    from tests.conftest import CORPUS
    window.open_path(str(require(CORPUS / HONGZE_2023)))
    window.cancel_loading()
    assert window.operation.cancelled
    assert not window.progress.isVisible()
    qtbot.wait(200)
    open_report(qtbot, window, require(SEED_000))
    assert window.review.report.agency == "台儿庄区人力资源和社会保障局"


HONGZE_2024 = "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf"


def test_last_year_is_found_shown_and_can_be_changed(qtbot, window):
    from tests.conftest import CORPUS
    open_report(qtbot, window, require(CORPUS / HONGZE_2023))
    review = open_report(qtbot, window, require(CORPUS / HONGZE_2024))
    assert review.prior is not None and review.prior.year == 2023
    assert "2023年度" in window.prior_label.text() and "报告库自动匹配" in window.prior_label.text()
    t = window.prior_table
    assert t.rowCount() == 9                    # 7 carry-over columns + 2 现行有效件数 rows
    assert {t.text(r, 4) for r in range(t.rowCount())} == {"一致"}
    assert not [s for s in review.finding_states() if s.finding.rule.startswith("Y-")]

    # A prior whose 结转下年度 differs in one column: that column breaks, on both sides.
    import copy
    from gxaudit.core.model import Cell
    prior = copy.copy(review.prior)
    prior.cells = dict(prior.cells)
    prior.cells["t3.carried_forward.natural_person"] = Cell("t3.carried_forward.natural_person", 2, "2", "ok")
    window.set_prior(prior, "given")
    ys = [s.finding for s in review.finding_states() if s.finding.rule.startswith("Y-")]
    assert [(f.rule, f.cells) for f in ys] == [
        ("Y-CARRY", ["prior:t3.carried_forward.natural_person", "t3.carried_over.natural_person"])]
    bad = [r for r in range(t.rowCount()) if t.text(r, 4) == "不一致"]
    assert len(bad) == 1 and t.text(bad[0], 2) == "2"
    m = window.grid_models["t3"]
    assert m.data(m.index_of("t3.carried_over.natural_person"), BG) in (style.ERROR_BG, style.SUSPECT_BG)

    window.set_prior(None, "declined")
    assert "已选择不使用" in window.prior_label.text()
    assert not [s for s in review.finding_states() if s.finding.rule.startswith("Y-")]
    assert review.log[-1].action == "prior"


def test_prior_choice_survives_reopening(qtbot, store):
    from tests.conftest import CORPUS
    w = MainWindow(store_root=store)
    qtbot.addWidget(w)
    open_report(qtbot, w, require(CORPUS / HONGZE_2023))
    open_report(qtbot, w, require(CORPUS / HONGZE_2024))
    w.set_prior(None, "declined")
    w2 = MainWindow(store_root=store)
    qtbot.addWidget(w2)
    review = open_report(qtbot, w2, CORPUS / HONGZE_2024)
    assert review.prior is None and review.prior_how == "declined"


def test_large_font_keeps_cells_readable(qtbot, store):
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    old = app.font()
    try:
        big = QFont(old)
        big.setPointSize(22)
        app.setFont(big)
        w = MainWindow(store_root=store)
        qtbot.addWidget(w)
        w.show()
        open_report(qtbot, w, require(SEED_000))
        view, model = w.grid_views["t3"], w.grid_models["t3"]
        fm = view.fontMetrics()
        assert fm.height() > 25
        for key in ("t3.total_processed.total", "t3.new_received.natural_person"):
            rect = view.visualRect(model.index_of(key))
            assert rect.height() >= fm.height()
            assert rect.width() >= fm.horizontalAdvance("00000")
        label = view.visualRect(model.index(3, 0))           # 一、本年新收… spans three columns
        assert label.width() >= fm.horizontalAdvance("一、本年新收")
    finally:
        app.setFont(old)


def test_export_workbook_and_summary_from_the_window(qtbot, window, tmp_path):
    import openpyxl
    import pdfplumber
    open_report(qtbot, window, require(SEED_000))
    window.apply_btn.click()                              # correct （七）总计 to 3
    xlsx, pdf = tmp_path / "审核.xlsx", tmp_path / "审核.pdf"
    with qtbot.waitSignal(window.exportDone, timeout=60000):
        window.export_to(str(xlsx), "xlsx")
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[:4] == ["概要", "表二", "表三", "表四"]
    with qtbot.waitSignal(window.exportDone, timeout=60000):
        window.export_to(str(pdf), "pdf")
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert "台儿庄区人力资源和社会保障局" in text and "T3-ROW" in text


def test_print_uses_the_summary_pages(qtbot, window, tmp_path):
    import pdfplumber
    from PySide6.QtPrintSupport import QPrinter
    open_report(qtbot, window, require(SEED_000))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = window.render_summary(printer)
    assert pages >= 1
    with pdfplumber.open(out) as doc:
        assert len(doc.pages) == pages
        assert doc.pages[0].images                       # the rendered summary page


def test_chart_of_this_year_against_last_year(qtbot, window):
    from tests.conftest import CORPUS
    open_report(qtbot, window, require(CORPUS / HONGZE_2023))
    open_report(qtbot, window, require(CORPUS / HONGZE_2024))
    window.bottom_tabs.setCurrentWidget(window.chart_box)
    canvas = window.chart_canvas
    assert canvas is not None
    ax1, ax2 = canvas.figure.axes
    labels = [t.get_text() for t in ax1.get_legend().get_texts()]
    assert labels == ["2023年", "2024年"]
    heights = [round(b.get_height()) for b in ax1.patches]
    # 新收申请: 21 in 2023 and 95 in 2024 (the first bar of each year's series).
    assert heights[0] == 21 and heights[6] == 95


def test_about_box_says_where_things_live(window):
    window.about()
    text = window.last_error.text()
    assert "library.sqlite3" in text and "reviews" in text and "LGPLv3" in text
    window.last_error.close()
