"""The review workspace window: assembles the panes (source, grid, findings,
log, prior, chart), the menus, and the window-level flow (open, change,
export, print).  Every change to the review goes through ``commands`` and
comes back through one hook, ``_after_change``, which emits
``reviewChanged(Change)``; each pane refreshes only what the change touched."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QDialog, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QProgressBar, QPushButton, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)

from .. import __version__
from ..core import formats
from ..core.model import ReportError
from ..core.review import ACCEPTED, OVERRIDDEN, Review, ReviewStore
from ..core.text import printable
from ..core.viewmodels import cell_label, fmt_value, prior_candidates, suggestion_reason  # noqa: F401
from . import commands, settings
from .change import Change
from .chart_pane import ChartPane
from .exports import ExportFlow
from .dialogs import ReasonDialog, WelcomePage  # noqa: F401 - ReasonDialog is imported from here
from .findings_pane import FindingsPane
from .grid_model import GridModel
from .grid_pane import GridPane
from .log_pane import EditsPane, LogPane
from .prior_pane import PriorBar, PriorPane
from .narrative_view import NarrativeView
from .source_view import SourcePane
from .workers import Operation, Runner

log = logging.getLogger("gxaudit.ui")

UI_LIBRARY_WAIT = 0.5      # seconds the UI thread may wait for a library locked elsewhere
OPEN_FILTER = "报告文件 (*.pdf *.docx *.html *.htm *.txt *.md);;所有文件 (*)"
LIBRARY_DELAY_MS = 1500          # library writes wait for a pause in the editing


def load_for_review(path: str, store_root: str | None = None, progress=None, cancel=None):
    """Read, reconstruct, check and open the review — runs off the UI thread
    (:func:`gxaudit.core.session.open_for_review`).  ``progress(done, total,
    message)`` hears about each scanned page (OCR); ``cancel`` (an Event)
    stops the OCR between pages."""
    from ..core.session import open_for_review
    store = ReviewStore(Path(store_root) if store_root else None)
    notes: list[str] = []            # why the library could not be used, if so
    result = open_for_review(path, store=store, progress=progress, cancel=cancel,
                             library=lambda: open_library(_library_waiting(progress, cancel), notes))
    result.notes.extend(notes)
    return result, result.text


def _library_waiting(progress=None, cancel=None):
    """While another gxaudit holds the library: say so, and give up on cancel."""
    from ..core.history import BUSY_MESSAGE

    def busy(waited: float) -> bool:
        if progress is not None:
            progress(0, 0, BUSY_MESSAGE)
        return not (cancel is not None and cancel.is_set())
    return busy


def open_library(busy=None, notes: list | None = None, wait: float | None = None):
    """The report library, or None; a lock or damage is told through ``notes``
    (the library file is never replaced for a lock).  ``wait``: seconds to wait
    for another process's lock (short on the UI thread)."""
    from ..core.history import Library, LibraryError
    try:
        return Library(busy=busy, wait=wait)
    except LibraryError as exc:
        log.warning("report library unavailable: %s", exc)
        if notes is not None:
            notes.append(f"{exc}本次未使用报告库。")
        return None
    except Exception:  # noqa: BLE001
        log.warning("report library unavailable", exc_info=True)
        return None


def _record(report, reviewed: bool) -> None:
    """Write one report into the library (on the runner's thread, its own connection)."""
    lib = open_library()
    if lib is None:
        return
    try:
        lib.add(report, reviewed=reviewed)
    finally:
        lib.close()


class MainWindow(QMainWindow):
    reviewLoaded = Signal(object)        # the Review, once a report is open
    loadFailed = Signal(str)             # the message shown to the user
    reviewChanged = Signal(object)       # a Change: what the last change touched
    loadProgress = Signal(object, str)   # (the read's cancel flag, message), from the worker
    exportDone = Signal(str)             # the written file
    libraryWritten = Signal()

    def __init__(self, store_root: str | None = None):
        super().__init__()
        self.store_root = store_root
        self.store = ReviewStore(Path(store_root) if store_root else None)   # saves after every change
        self.review: Review | None = None
        self.operation: Operation | None = None
        self.last_error: QMessageBox | None = None
        self._finding_sig: tuple = ()
        self.undo = QUndoStack(self)
        self.runner = Runner(self)               # library writes and printing, one at a time
        self.exports = ExportFlow(self)
        self._library_timer = QTimer(self, singleShot=True, interval=LIBRARY_DELAY_MS)
        self._library_timer.timeout.connect(self._record_in_library)
        self.setWindowTitle("gxaudit 年报审核")
        self.setAcceptDrops(True)
        self.resize(1400, 900)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and screen.width() > 0:
            self.resize(min(1600, int(screen.width() * 0.95)), min(1000, int(screen.height() * 0.92)))

        self.grid_models = {t: GridModel(t, self) for t in formats.TABLES}
        for m in self.grid_models.values():
            m.editRequested.connect(self.edit_cell)
            m.invalidInput.connect(lambda msg: self.statusBar().showMessage(msg, 6000))
        self.stack = QStackedWidget()
        self.welcome = WelcomePage(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self._build_review_page())
        self.setCentralWidget(self.stack)
        self._build_menus()
        from .batch_page import install as install_batch
        install_batch(self)                      # 批量审核: page, File-menu actions, folder drop
        self._build_status()
        self.loadProgress.connect(self._show_load_progress)
        self.welcome.set_recent(settings.recent_files())
        self._restore_state()
        self._update_actions()

    # -- construction -------------------------------------------------------------
    def _build_review_page(self) -> QWidget:
        self.source = SourcePane()
        self.source.pointClicked.connect(self.select_at_point)
        self.grid = GridPane(self.grid_models)
        self.grid.cellSelected.connect(self._cell_selected)
        self.grid.clearRequested.connect(self.clear_cell)
        self.tabs = self.grid                    # the table tabs (older name)
        self.grid_views = self.grid.views
        self.narrative_view = NarrativeView()
        self.narrative_view.sentenceChosen.connect(self.source.show_sentence)
        self.grid.addTab(self.narrative_view, "正文")

        self.findings = FindingsPane()
        self.findings_model, self.findings_proxy = self.findings.model, self.findings.proxy
        self.findings_view = self.findings.view
        self.findings.findingActivated.connect(lambda st: self.go_to_finding(st, focus=True))
        self.findings.currentChanged.connect(self._update_actions)
        self.apply_btn, self.accept_btn = self.findings.apply_btn, self.findings.accept_btn
        self.override_btn, self.reopen_btn = self.findings.override_btn, self.findings.reopen_btn
        self.apply_btn.clicked.connect(self.apply_suggestion)
        self.accept_btn.clicked.connect(lambda: self.decide_dialog(ACCEPTED))
        self.override_btn.clicked.connect(lambda: self.decide_dialog(OVERRIDDEN))
        self.reopen_btn.clicked.connect(self.reopen_current)

        self.log_view = LogPane()
        self.edits_view = EditsPane()
        self.prior_bar = PriorBar()
        self.prior_label, self.prior_menu = self.prior_bar.label, self.prior_bar.menu
        self.prior_menu.aboutToShow.connect(self._fill_prior_menu)
        self.prior_table = PriorPane(self.prior_bar)
        self.chart_box = ChartPane()
        for pane in (self.log_view, self.edits_view, self.prior_table):
            pane.cellRequested.connect(self.select_cell)
        self.panes = (self.grid, self.findings, self.log_view, self.edits_view, self.prior_table, self.chart_box,
                      self.narrative_view)
        for pane in self.panes:
            self.reviewChanged.connect(pane.on_change)

        bottom = self.bottom_tabs = QTabWidget()
        bottom.addTab(self.findings, "问题清单")
        bottom.addTab(self.log_view, "审核记录")
        bottom.addTab(self.edits_view, "修改记录")
        bottom.addTab(self.prior_table, "上年对照")
        bottom.addTab(self.chart_box, "对比图")

        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(0)
        tl.addWidget(self.prior_bar)
        tl.addWidget(self.grid, 1)
        right = self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("right_splitter")
        right.addWidget(top)
        right.addWidget(bottom)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("splitter")
        split.addWidget(self.source)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([560, 840])
        right.setSizes([520, 340])
        return split

    @property
    def chart_canvas(self):
        return self.chart_box.canvas

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        self.act_open = self._action(m, "打开报告(&O)…", self.open_dialog, QKeySequence.StandardKey.Open)
        self._action(m, "打开样例报告", self.open_sample)
        self.recent_menu = m.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.act_close = self._action(m, "关闭报告", self.close_report, QKeySequence.StandardKey.Close)
        m.addSeparator()
        self.act_export_xlsx = self._action(m, "导出工作簿(&X)…", self.export_workbook_dialog, QKeySequence("Ctrl+E"))
        self.act_export_pdf = self._action(m, "导出审核摘要 PDF…", self.export_summary_dialog)
        self.act_print = self._action(m, "打印审核摘要(&P)…", self.print_summary, QKeySequence.StandardKey.Print)
        self.act_preview = self._action(m, "打印预览…", self.print_preview)
        m.addSeparator()
        self.act_quit = self._action(m, "退出(&Q)", self.close, QKeySequence.StandardKey.Quit)

        m = mb.addMenu("编辑(&E)")
        self.act_undo = self.undo.createUndoAction(self, "撤销")
        self.act_undo.setShortcuts([QKeySequence.StandardKey.Undo])
        self.act_redo = self.undo.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        self.act_undo.setProperty("help_name", "撤销")
        self.act_redo.setProperty("help_name", "重做")
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addSeparator()
        self.act_apply = self._action(m, "采用建议值", self.apply_suggestion, QKeySequence("Ctrl+Return"))
        self.act_accept = self._action(m, "确认问题…", lambda: self.decide_dialog(ACCEPTED), QKeySequence("Ctrl+K"))
        self.act_override = self._action(m, "豁免问题…", lambda: self.decide_dialog(OVERRIDDEN), QKeySequence("Ctrl+Shift+K"))
        self.act_reopen = self._action(m, "重新打开问题", self.reopen_current)
        m.addSeparator()
        self.act_next = self._action(m, "下一个待处理问题", lambda: self.next_open(1), QKeySequence("F8"))
        self.act_prev = self._action(m, "上一个待处理问题", lambda: self.next_open(-1), QKeySequence("Shift+F8"))
        self.act_note = self._action(m, "批注当前单元格…", self.note_dialog, QKeySequence("Ctrl+M"))
        self.act_clear = self._action(m, "清空当前单元格", lambda: self.clear_cell(self.current_cell_key()))
        self.act_clear.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.act_clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)   # the grid handles Delete

        m = mb.addMenu("视图(&V)")
        self.act_zoom_in = self._action(m, "放大表格", lambda: self.grid.zoom_step(1), QKeySequence("Ctrl+="))
        self.act_zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++"), QKeySequence.StandardKey.ZoomIn])
        self.act_zoom_out = self._action(m, "缩小表格", lambda: self.grid.zoom_step(-1), QKeySequence("Ctrl+-"))
        self.act_zoom_reset = self._action(m, "表格原始大小", lambda: self.grid.set_zoom(1.0), QKeySequence("Ctrl+0"))

        m = self.help_menu = mb.addMenu("帮助(&H)")
        self._action(m, "颜色说明", self.show_legend)
        self._action(m, "检查规则一览", self.show_rules)
        self._action(m, "快捷键", self.show_shortcuts, QKeySequence.StandardKey.HelpContents)
        m.addSeparator()
        self._action(m, "打开日志文件夹", self.open_log_dir)
        self._action(m, "关于 gxaudit", self.about)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(shortcut)
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.info_label = QLabel()
        sb.addWidget(self.info_label, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.cancel_btn = QPushButton("取消")
        self.cancel_btn.hide()
        self.cancel_btn.clicked.connect(self.cancel_loading)
        sb.addPermanentWidget(self.progress)
        sb.addPermanentWidget(self.cancel_btn)

    # -- window state -----------------------------------------------------------------
    def _restore_state(self) -> None:
        """The zoom, and the splitter positions as shares of the window (applied
        on every resize until the auditor drags a splitter)."""
        s = settings.qsettings()
        self._split = {"h": 0.42, "v": 0.58}     # source share of the width, tables' share of the height
        for k in self._split:
            try:
                v = float(s.value(f"window/split_{k}", self._split[k]))
                if 0.1 <= v <= 0.9:
                    self._split[k] = v
            except (TypeError, ValueError):
                pass
        self._user_split = False
        for sp in (self.splitter, self.right_splitter):
            sp.splitterMoved.connect(self._splitter_moved)
            sp.installEventFilter(self)
        try:
            zoom = float(s.value("window/zoom", 1.0))
        except (TypeError, ValueError):
            zoom = 1.0
        if zoom != 1.0:
            self.grid.set_zoom(zoom)

    def _splitter_moved(self, *_):
        self._user_split = True

    def save_state(self) -> None:
        s = settings.qsettings()
        for k, sp in (("h", self.splitter), ("v", self.right_splitter)):
            sizes = sp.sizes()
            if sum(sizes) > 0 and self._user_split:
                s.setValue(f"window/split_{k}", round(sizes[0] / sum(sizes), 4))
        s.setValue("window/zoom", self.grid.zoom)
        s.sync()

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Resize and obj in (self.splitter, self.right_splitter) \
                and not self._user_split:
            k, size = ("h", ev.size().width()) if obj is self.splitter else ("v", ev.size().height())
            first = int(size * self._split[k])
            obj.setSizes([first, size - first])
        return super().eventFilter(obj, ev)

    # -- opening -------------------------------------------------------------------
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开年度报告", "", OPEN_FILTER)
        if path:
            self.open_path(path)

    def open_sample(self) -> None:
        from ..resources import sample_report
        self.open_path(str(sample_report()))

    def open_paths(self, paths: list[str]) -> None:
        """Open the first of several files (command line, 打开方式, a second start);
        the others go to the top of 文件 → 最近打开."""
        for p in reversed(paths[1:]):
            settings.add_recent(p)
        self.open_path(paths[0])
        if len(paths) > 1:
            self.statusBar().showMessage(f"另外 {len(paths) - 1} 个文件已列入 文件 → 最近打开。", 10000)

    def open_path(self, path: str) -> None:
        if self.operation is not None and self.operation.running:
            self.operation.cancel()
        self.statusBar().showMessage(f"正在读取 {os.path.basename(path)} …")
        self.progress.show()
        self.cancel_btn.show()
        self._loading_path = path
        if getattr(self, "_load_cancel", None) is not None:
            self._load_cancel.set()
        import threading
        flag = self._load_cancel = threading.Event()

        def progress(done, total, message, flag=flag):
            if not flag.is_set():
                self.loadProgress.emit(flag, message)
        self.operation = Operation(load_for_review, path, self.store_root, progress, flag,
                                   on_done=self._loaded, on_failed=self._load_failed, parent=self).start()

    def _show_load_progress(self, flag, message: str) -> None:
        if flag is getattr(self, "_load_cancel", None) and not flag.is_set():
            self.statusBar().showMessage(message)

    def cancel_loading(self) -> None:
        if getattr(self, "_load_cancel", None) is not None:
            self._load_cancel.set()            # the OCR stops at the next page
        if self.operation is not None:
            self.operation.cancel()
        self._loading_done()
        self.statusBar().showMessage("已取消读取。", 4000)

    def _loading_done(self) -> None:
        self.progress.hide()
        self.cancel_btn.hide()

    def _loaded(self, payload) -> None:
        self._loading_done()
        self.statusBar().clearMessage()
        result, text = payload
        self.set_review(result.review, text)
        settings.add_recent(self._loading_path)
        self.welcome.set_recent(settings.recent_files())
        msgs = list(result.notes)
        if result.restored:
            self.statusBar().showMessage("已恢复上次的审核记录。", 6000)
        if result.source_changed:
            msgs.append("此文件在上次审核之后已被修改，内容与保存的审核记录不一致；已开始新的审核，"
                        f"旧的审核记录保留在 {result.previous_review}。")
        if msgs:
            self.show_message("提示", "\n\n".join(msgs), QMessageBox.Icon.Information)
        self.reviewLoaded.emit(result.review)

    def _load_failed(self, exc) -> None:
        self._loading_done()
        if isinstance(exc, ReportError):
            msg = str(exc)
        else:
            log.error("opening %s failed", getattr(self, "_loading_path", "?"), exc_info=exc)
            msg = f"读取时出现意外错误（{type(exc).__name__}）。详细信息已写入日志。"
        self.statusBar().showMessage("无法打开报告。", 6000)
        self.show_message("无法打开报告", msg, QMessageBox.Icon.Warning)
        self.loadFailed.emit(msg)

    def show_message(self, title: str, text: str, icon=QMessageBox.Icon.Warning) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()                     # not exec(): the event loop keeps running
        self.last_error = box
        return box

    def set_review(self, review: Review | None, text: str = "") -> None:
        self._flush_library()
        self.review = review
        self.undo.clear()
        self._finding_sig = self._signature()
        self.grid.set_review(review)
        self.findings.set_review(review)
        for pane in (self.log_view, self.edits_view, self.prior_table, self.chart_box, self.narrative_view):
            pane.set_review(review)
        if review is None:
            self.stack.setCurrentWidget(self.welcome)
            self.setWindowTitle("gxaudit 年报审核")
            self._refresh_info()
            self._update_actions()
            return
        rep = review.report
        self.source.load(rep.source.path, rep.source.format, text)
        self.source.places = rep.narrative.places if rep.narrative is not None else {}
        self.narrative_view.load(rep.narrative, review.findings())
        name = rep.agency or os.path.basename(rep.source.path)
        self.setWindowTitle(printable(f"{name} {rep.year or ''} — gxaudit 年报审核"))
        self.stack.setCurrentIndex(1)
        self.grid.setCurrentIndex(1)
        self.grid.fit_all()
        self._refresh_info()
        self._update_actions()
        self.next_open(1)

    def close_report(self) -> None:
        self.set_review(None)

    # -- changes: every change comes back through _after_change ----------------------------
    def edit_cell(self, key: str, value, reason: str = "") -> None:
        if self.review is None:
            return
        if value is None and key not in self.review.edits:
            return
        if value is not None and self.review.edits.get(key) == value:
            return
        self.undo.push(commands.EditCellCommand(self.review, key, value, self._after_change, reason))

    def clear_cell(self, key: str | None) -> None:
        """Set a cell to blank (Delete in the grid): logged, undoable."""
        if self.review is None or not key or key not in self.review.report.cells:
            return
        cell = self.review.report.cells[key]
        if cell.value is None and key in self.review.edits:
            return
        self.undo.push(commands.ClearCellCommand(self.review, key, self._after_change))

    def _signature(self) -> tuple:
        if self.review is None:
            return ()
        return tuple((s.finding.id, s.status, s.finding.suggested) for s in self.review.finding_states())

    def _after_change(self, change: Change) -> None:
        """The one hook after any change to the review: tell the panes what changed."""
        from dataclasses import replace
        if self.review is not None:    # saved at once: a killed process loses nothing
            self.store.save(self.review)
        change = Change.of(change)
        sig = self._signature()
        # Findings changed when their ids, states or suggestions did (a prior swap always counts).
        change = replace(change, findings_changed=sig != self._finding_sig or change.prior_changed)
        self._finding_sig = sig
        self.reviewChanged.emit(change)
        self._refresh_info()
        self._update_actions()
        if change.keys or change.prior_changed:
            self._library_timer.start()

    def current_finding(self):
        return self.findings.current()

    def apply_suggestion(self) -> None:
        st = self.current_finding()
        if st is None or st.finding.suspect is None or st.finding.suggested is None:
            self.statusBar().showMessage("当前问题没有建议值。", 4000)
            return
        self.edit_cell(st.finding.suspect, st.finding.suggested, suggestion_reason(st.finding))

    def decide(self, status: str | None, reason: str, finding_id: str | None = None) -> bool:
        if self.review is None:
            return False
        if finding_id is None:
            st = self.current_finding()
            if st is None:
                return False
            finding_id = st.finding.id
        if status is not None and not reason.strip():
            return False
        self.undo.push(commands.DecideCommand(self.review, finding_id, status, reason, self._after_change))
        return True

    def decide_dialog(self, status: str) -> None:
        st = self.current_finding()
        if st is None:
            self.statusBar().showMessage("请先在问题清单中选择一个问题。", 4000)
            return
        title = "确认问题" if status == ACCEPTED else "豁免问题"
        dlg = self.reason_dialog = ReasonDialog(title, f"{st.finding.rule}：{st.finding.message}\n\n请填写理由：", self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.decide(status, dlg.reason(), st.finding.id)

    def reopen_current(self) -> None:
        st = self.current_finding()
        if st is not None and st.decision is not None:
            self.decide(None, "", st.finding.id)

    def note_dialog(self) -> None:
        key = self.current_cell_key()
        if key is None or self.review is None:
            return
        dlg = ReasonDialog("批注", f"{cell_label(key)} 的批注：", self, required=False)
        dlg.edit.setPlainText(self.review.notes.get(key, ""))
        if dlg.exec() == QDialog.DialogCode.Accepted:
            commands.set_note(self.review, key, dlg.edit.toPlainText(), self._after_change)

    def set_prior(self, prior, how: str) -> None:
        """Use ``prior`` (a Report, or None) as last year's report."""
        if self.review is not None:
            commands.set_prior(self.review, prior, how, self._after_change)

    # -- the report library (written off the UI thread, one write at a time) -----------------
    def _record_in_library(self) -> None:
        if self.review is None:
            return
        self.runner.run(Operation(_record, self.review.report, True,
                                  on_done=lambda _r: self.libraryWritten.emit(),
                                  on_failed=lambda exc: log.warning("could not update the report library: %s", exc)))

    def _flush_library(self) -> None:
        if self._library_timer.isActive():
            self._library_timer.stop()
            self._record_in_library()

    def _fill_prior_menu(self) -> None:
        self.prior_menu.clear()
        if self.review is None:
            return
        rep = self.review.report
        lib = open_library(wait=UI_LIBRARY_WAIT)
        if lib is not None and rep.year:
            try:
                entries = prior_candidates(rep, lib.entries())
                for e in entries:
                    a = self.prior_menu.addAction(e.label())
                    a.triggered.connect(lambda _=False, e=e: self._use_library_prior(e))
                if not entries:
                    self.prior_menu.addAction(f"报告库中没有 {rep.year - 1} 年度的报告").setEnabled(False)
            finally:
                lib.close()
        self.prior_menu.addSeparator()
        self.prior_menu.addAction("从文件选择上年报告…", self._choose_prior_file)
        self.prior_menu.addAction("不使用上年报告", lambda: self.set_prior(None, "declined"))

    def _use_library_prior(self, entry) -> None:
        lib = open_library(wait=UI_LIBRARY_WAIT)
        if lib is None:
            return
        try:
            self.set_prior(lib.load(entry), "given")
        finally:
            lib.close()

    def _choose_prior_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择上年报告", "", OPEN_FILTER + ";;审核记录 (*.review.json)")
        if path:
            self.load_prior_file(path)

    def load_prior_file(self, path: str) -> None:
        from ..core.session import load_prior_file
        self.statusBar().showMessage(f"正在读取上年报告 {os.path.basename(path)} …")
        self.prior_operation = Operation(
            load_prior_file, path, parent=self,
            on_done=lambda rep: (self.statusBar().clearMessage(), self.set_prior(rep, "given")),
            on_failed=self._load_failed).start()

    # -- navigation ----------------------------------------------------------------
    def current_cell_key(self) -> str | None:
        return self.grid.current_key()

    def select_cell(self, key: str, focus: bool = False) -> None:
        self.grid.select(key, focus=focus)

    def _cell_selected(self, key: str) -> None:
        if self.review is not None:
            self.source.show_cell(self.review.report.cells.get(key))

    def go_to_finding(self, st, focus: bool = False) -> None:
        """Select the finding's cell (its suspect, else its first cell); with
        ``focus`` the keyboard goes to the grid, so typing edits the cell."""
        if hasattr(st, "isValid"):                 # a proxy index (older callers)
            from .findings_model import STATE_ROLE
            st = self.findings_proxy.data(st, STATE_ROLE)
        if st is None or self.review is None:
            return
        f = st.finding
        if f.evidence and (sent := self.narrative_view.show_evidence(f.evidence)) is not None:
            self.grid.setCurrentWidget(self.narrative_view)
            self.source.show_sentence(sent)
            return
        if f.evidence and not f.cells:
            self.source.show_evidence(f.evidence)     # a heading (S-ORDER) or a date
            return
        target = f.suspect or next((k for k in f.cells if k in self.review.report.cells), None)
        if target:
            self.select_cell(target, focus=focus)

    def next_open(self, step: int = 1) -> None:
        if self.findings_proxy.rowCount() == 0:
            return
        st = self.findings.next_open(step)
        if st is None:
            self.statusBar().showMessage("没有待处理的问题。", 4000)
            return
        self.go_to_finding(st, focus=True)

    def select_at_point(self, page: int, x: float, y: float) -> None:
        if self.review is None:
            return
        for key, c in self.review.report.cells.items():
            if c.page == page and c.bbox and c.bbox[0] - 2 <= x <= c.bbox[2] + 2 and c.bbox[1] - 2 <= y <= c.bbox[3] + 2:
                self.select_cell(key)
                return

    # -- status --------------------------------------------------------------------
    def _refresh_info(self) -> None:
        if self.review is None:
            self.info_label.setText("")
            return
        rep = self.review.report
        states = self.review.finding_states()
        errors = sum(1 for s in states if s.status == "open" and s.finding.severity == "error")
        warnings = sum(1 for s in states if s.status == "open" and s.finding.severity == "warning")
        fmt = formats.FORMAT_NAMES.get(rep.template, "格式未识别")
        self.info_label.setText(printable(
            f"{rep.agency or '未识别机关'}　{rep.year or '未识别'}年度　{fmt}　"
            f"待处理：错误 {errors}，警告 {warnings}　已修改 {len(self.review.edits)} 处　已自动保存"))

    def _update_actions(self) -> None:
        has = self.review is not None
        st = self.current_finding() if has else None
        can_apply = bool(st and st.finding.suspect and st.finding.suggested is not None)
        self.act_apply.setEnabled(can_apply)
        self.apply_btn.setEnabled(can_apply)
        for a, b in ((self.act_accept, self.accept_btn), (self.act_override, self.override_btn)):
            a.setEnabled(st is not None)
            b.setEnabled(st is not None)
        self.act_reopen.setEnabled(bool(st and st.decision))
        self.reopen_btn.setEnabled(bool(st and st.decision))
        for a in (self.act_next, self.act_prev, self.act_note, self.act_close, self.act_export_xlsx,
                  self.act_export_pdf, self.act_print, self.act_preview, self.act_clear):
            a.setEnabled(has)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for p in settings.recent_files():
            a = self.recent_menu.addAction(p)
            a.triggered.connect(lambda _=False, p=p: self.open_path(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("（无）").setEnabled(False)

    # -- exports and printing (ui/exports.py) ------------------------------------------------
    def export_workbook_dialog(self) -> None:
        self.exports.export_workbook_dialog()

    def export_summary_dialog(self) -> None:
        self.exports.export_summary_dialog()

    def export_to(self, path: str, kind: str) -> None:
        """Write the workbook (``xlsx``) or the summary PDF (``pdf``) off the UI thread."""
        self.exports.export_to(path, kind)

    def unsafe_target(self, path: str) -> str | None:
        """Why ``path`` may not be written (it is the report or last year's report), or None."""
        return self.exports.unsafe_target(path)

    def render_summary(self, printer, pdf_path: str | None = None) -> int:
        return self.exports.render_summary(printer, pdf_path)

    def print_summary(self) -> None:
        self.exports.print_summary()

    def print_preview(self) -> None:
        self.exports.print_preview()

    # -- help ------------------------------------------------------------------------
    def _help(self, title: str, html: str):
        from .help import HelpDialog
        dlg = self.help_dialog = HelpDialog(title, html, self)
        dlg.open()
        return dlg

    def show_legend(self):
        from .help import legend_html
        return self._help("颜色说明", legend_html())

    def show_rules(self):
        from .help import rules_html
        return self._help("检查规则一览", rules_html())

    def show_shortcuts(self):
        from .help import shortcuts_html
        return self._help("快捷键", shortcuts_html(self.findChildren(QAction)))

    def open_log_dir(self) -> None:
        from ..logs import log_dir
        QDesktopServices.openUrl(QUrl.fromLocalFile(log_dir()))

    def about(self) -> None:
        from ..core.history import library_path
        from ..core.review import reviews_dir
        from ..core.rules import RULESET_VERSION
        from ..logs import log_dir
        self.show_message("关于 gxaudit",
                          f"gxaudit {__version__}（规则集 {RULESET_VERSION}）\n政府信息公开工作年度报告审核工具\n"
                          "所有处理均在本机完成，不联网。\n\n"
                          f"审核记录：{reviews_dir()}\n报告库：{library_path()}\n日志：{log_dir()}\n\n"
                          "使用的开源组件及许可证：Qt 6 与 PySide6（LGPLv3）、pdfplumber 与 pdfminer.six（MIT）、"
                          "pypdfium2（Apache-2.0 / BSD-3）、PDFium（BSD-3）、openpyxl（MIT）、matplotlib（PSF 兼容）、"
                          "NumPy（BSD-3）、Pillow（MIT-CMU）、python-docx（MIT）、lxml（BSD-3）、"
                          "OpenCC（Apache-2.0）、platformdirs（MIT）、RapidFuzz（MIT）、datasketch（MIT）、SciPy（BSD-3）；"
                          "OCR 组件 RapidOCR（Apache-2.0）、ONNX Runtime（MIT）、OpenCV（Apache-2.0）；"
                          "随附字体 文泉驿微米黑 WenQuanYi Micro Hei（Apache-2.0 或 GPLv3+ 字体例外）。",
                          QMessageBox.Icon.Information)

    # -- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, ev):
        if ev.mimeData().hasUrls():
            ev.acceptProposedAction()

    def dropEvent(self, ev):
        urls = [u for u in ev.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.open_path(urls[0].toLocalFile())
            ev.acceptProposedAction()

    def closeEvent(self, ev):
        if getattr(self, "_load_cancel", None) is not None:
            self._load_cancel.set()
        if self.operation is not None:
            self.operation.cancel()
        self._flush_library()
        self.save_state()
        super().closeEvent(ev)

