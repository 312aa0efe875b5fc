"""The review workspace: source beside the tables, findings below, undo,
autosave (through the core Review), background reading."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QMenu, QMessageBox, QPlainTextEdit, QProgressBar,
                               QPushButton, QSplitter, QStackedWidget, QTableView, QTableWidget,
                               QTableWidgetItem, QTabWidget, QToolButton, QVBoxLayout, QWidget)

from .. import __version__
from ..core import formats
from ..core.model import ReportError
from ..core.review import ACCEPTED, OPEN, OVERRIDDEN, Review, ReviewStore
from . import settings
from .commands import DecideCommand, EditCellCommand
from .findings_model import STATE_ROLE, FindingsFilter, FindingsModel
from .grid_model import KEY_ROLE, GridModel
from .narrative_view import NarrativeView
from .source_view import SourcePane
from .workers import Operation

log = logging.getLogger("gxaudit.ui")

OPEN_FILTER = "报告文件 (*.pdf *.docx *.html *.htm *.txt *.md);;所有文件 (*)"


def load_for_review(path: str, store_root: str | None = None, progress=None, cancel=None):
    """Read, reconstruct, check and open the review — runs off the UI thread.
    ``progress(done, total, message)`` hears about each scanned page (OCR);
    ``cancel`` (an Event) stops the OCR between pages."""
    from ..core.ingest import read_document
    from ..core.ingest.progress import reading
    from ..core.ingest.text import decode
    from ..core.reconstruct import reconstruct
    with reading(progress, cancel):
        doc = read_document(path)
    report = reconstruct(doc)
    if doc.kind == "text":
        with open(path, "rb") as fh:
            text = decode(fh.read()).replace("\r\n", "\n")
    else:
        text = doc.text
    store = ReviewStore(Path(store_root) if store_root else None)
    result = store.open(report)
    library = open_library()
    if library is not None:
        review = result.review
        if review.prior is None and review.prior_how in ("none", "library"):
            from ..core.prior import resolve_prior
            choice = resolve_prior(report, None, library)
            if choice.report is not None:
                review.set_prior(choice.report, "library", "报告库自动匹配")
            elif choice.note and choice.candidates:
                result.notes.append(choice.note)
        try:
            library.add(review.report, reviewed=bool(review.edits))
        except Exception:  # noqa: BLE001 - the review works without the library
            log.warning("could not record %s in the report library", path, exc_info=True)
        if library.notice:
            result.notes.append(library.notice)
    result.review.findings()          # run the rules here, not on the UI thread
    return result, text


def open_library():
    from ..core.history import Library
    try:
        return Library()
    except Exception:  # noqa: BLE001
        log.warning("report library unavailable", exc_info=True)
        return None


def fmt_value(cell, value=None) -> str:
    from ..core.text import fmt_number
    if cell is None:
        return fmt_number(value)
    if cell.known:
        return fmt_number(cell.value)
    return {"blank": "空白", "placeholder": cell.raw or "占位符"}.get(cell.status, "无法识读")


class ReasonDialog(QDialog):
    """Asks for the reason of an accept/override; OK stays disabled while empty."""

    def __init__(self, title: str, prompt: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(prompt))
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText("必须填写理由")
        lay.addWidget(self.edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update)
        self._update()

    def _update(self):
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason()))

    def reason(self) -> str:
        return self.edit.toPlainText().strip()


class WelcomePage(QWidget):
    def __init__(self, window: "MainWindow"):
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(48, 40, 48, 40)
        title = QLabel("<h1>gxaudit 政府信息公开工作年度报告审核</h1>")
        lay.addWidget(title)
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


class MainWindow(QMainWindow):
    reviewLoaded = Signal(object)        # the Review, once a report is open
    loadFailed = Signal(str)             # the message shown to the user
    reviewChanged = Signal()
    loadProgress = Signal(object, str)   # (the read's cancel flag, message), from the worker

    def __init__(self, store_root: str | None = None):
        super().__init__()
        self.store_root = store_root
        self.review: Review | None = None
        self.operation: Operation | None = None
        self.last_error: QMessageBox | None = None
        self.undo = QUndoStack(self)
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
        self.findings_model = FindingsModel(self)
        self.findings_proxy = FindingsFilter(self)
        self.findings_proxy.setSourceModel(self.findings_model)

        self.stack = QStackedWidget()
        self.welcome = WelcomePage(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self._build_review_page())
        self.setCentralWidget(self.stack)
        self._build_menus()
        self._build_status()
        self.welcome.set_recent(settings.recent_files())
        self._update_actions()

    # -- construction -------------------------------------------------------------
    def _build_review_page(self) -> QWidget:
        self.source = SourcePane()
        self.source.pointClicked.connect(self.select_at_point)
        self.tabs = QTabWidget()
        self.grid_views: dict[str, QTableView] = {}
        for t in formats.TABLES:
            v = QTableView()
            v.setModel(self.grid_models[t])
            v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            v.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
            v.horizontalHeader().setVisible(False)
            v.verticalHeader().setVisible(False)
            v.setWordWrap(True)
            v.selectionModel().currentChanged.connect(self._grid_current_changed)
            self.grid_views[t] = v
            self.tabs.addTab(v, formats.TABLE_NAMES[t])
        self.narrative_view = NarrativeView()
        self.narrative_view.sentenceChosen.connect(self.source.show_sentence)
        self.tabs.addTab(self.narrative_view, "正文")

        findings_box = QWidget()
        fl = QVBoxLayout(findings_box)
        fl.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("显示："))
        self.sev_checks = {}
        for sev, name in (("error", "错误"), ("warning", "警告"), ("info", "提示")):
            cb = QCheckBox(name)
            cb.setChecked(True)
            cb.toggled.connect(self._apply_filter)
            self.sev_checks[sev] = cb
            filters.addWidget(cb)
        filters.addSpacing(16)
        self.status_checks = {}
        for st, name in (("open", "待处理"), ("accepted", "已确认"), ("overridden", "已豁免"), ("corrected", "已更正")):
            cb = QCheckBox(name)
            cb.setChecked(True)
            cb.toggled.connect(self._apply_filter)
            self.status_checks[st] = cb
            filters.addWidget(cb)
        filters.addStretch(1)
        self.apply_btn = QPushButton("采用建议值")
        self.apply_btn.clicked.connect(self.apply_suggestion)
        self.accept_btn = QPushButton("确认问题…")
        self.accept_btn.clicked.connect(lambda: self.decide_dialog(ACCEPTED))
        self.override_btn = QPushButton("豁免…")
        self.override_btn.clicked.connect(lambda: self.decide_dialog(OVERRIDDEN))
        self.reopen_btn = QPushButton("重新打开")
        self.reopen_btn.clicked.connect(self.reopen_current)
        for b in (self.apply_btn, self.accept_btn, self.override_btn, self.reopen_btn):
            filters.addWidget(b)
        fl.addLayout(filters)
        self.findings_view = QTableView()
        self.findings_view.setModel(self.findings_proxy)
        self.findings_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.findings_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings_view.verticalHeader().setVisible(False)
        hh = self.findings_view.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.findings_view.setWordWrap(True)
        self.findings_view.activated.connect(self.go_to_finding)
        self.findings_view.doubleClicked.connect(self.go_to_finding)
        self.findings_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        fl.addWidget(self.findings_view, 1)

        self.log_view = QListWidget()
        bottom = QTabWidget()
        bottom.addTab(findings_box, "问题清单")
        bottom.addTab(self.log_view, "审核记录")
        self.bottom_tabs = bottom

        self.prior_table = QTableWidget(0, 5)
        self.prior_table.setHorizontalHeaderLabels(["项目", "本年", "上年报告", "应为 / 实为", "结果"])
        self.prior_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.prior_table.verticalHeader().setVisible(False)
        self.prior_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.prior_table.cellDoubleClicked.connect(self._prior_row_activated)
        bottom.addTab(self.prior_table, "上年对照")
        self.chart_box = QWidget()
        QVBoxLayout(self.chart_box).setContentsMargins(0, 0, 0, 0)
        self.chart_canvas = None
        bottom.addTab(self.chart_box, "对比图")
        bottom.currentChanged.connect(lambda _i: self._refresh_chart())

        prior_bar = QHBoxLayout()
        prior_bar.setContentsMargins(4, 2, 4, 2)
        self.prior_label = QLabel("上年报告：无")
        self.prior_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prior_btn = QToolButton()
        self.prior_btn.setText("更换上年报告")
        self.prior_btn.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.prior_menu = QMenu(self.prior_btn)
        self.prior_menu.aboutToShow.connect(self._fill_prior_menu)
        self.prior_btn.setMenu(self.prior_menu)
        prior_bar.addWidget(self.prior_label, 1)
        prior_bar.addWidget(self.prior_btn)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(0)
        tl.addLayout(prior_bar)
        tl.addWidget(self.tabs, 1)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(top)
        right.addWidget(bottom)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.source)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([560, 840])
        right.setSizes([520, 340])
        self.splitter = split
        return split

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
        self._action(m, "退出(&Q)", self.close, QKeySequence.StandardKey.Quit)

        m = mb.addMenu("编辑(&E)")
        self.act_undo = self.undo.createUndoAction(self, "撤销")
        self.act_undo.setShortcuts([QKeySequence.StandardKey.Undo])
        self.act_redo = self.undo.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
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

        m = mb.addMenu("帮助(&H)")
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

    # -- opening -------------------------------------------------------------------
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开年度报告", "", OPEN_FILTER)
        if path:
            self.open_path(path)

    def open_sample(self) -> None:
        from ..resources import sample_report
        self.open_path(str(sample_report()))

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
        if not getattr(self, "_progress_wired", False):
            self.loadProgress.connect(self._show_load_progress)
            self._progress_wired = True

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
        self.review = review
        self.undo.clear()
        for m in self.grid_models.values():
            m.set_review(review)
        self.findings_model.set_review(review)
        self.findings_view.resizeRowsToContents()
        if review is None:
            self.stack.setCurrentWidget(self.welcome)
            self.setWindowTitle("gxaudit 年报审核")
            self._update_actions()
            return
        for t, v in self.grid_views.items():
            v.clearSpans()
            g = self.grid_models[t].grid
            for it in g.items:
                if it.rowspan > 1 or it.colspan > 1:
                    v.setSpan(it.row, it.col, it.rowspan, it.colspan)
            self._size_columns(t, v, g)
            v.resizeRowsToContents()
        rep = review.report
        self.source.load(rep.source.path, rep.source.format, text)
        self.source.places = rep.narrative.places if rep.narrative is not None else {}
        self.narrative_view.load(rep.narrative, review.findings())
        name = rep.agency or os.path.basename(rep.source.path)
        self.setWindowTitle(f"{name} {rep.year or ''} — gxaudit 年报审核")
        self.stack.setCurrentIndex(1)
        self.tabs.setCurrentIndex(1)
        self._refresh_info()
        self._refresh_log()
        self._refresh_prior()
        self._update_actions()
        self.next_open(1)

    def _size_columns(self, table: str, view: QTableView, grid) -> None:
        """Column widths from the font, not from spanned labels (which would
        make the first column as wide as the longest merged label)."""
        fm = view.fontMetrics()

        def w(text: str) -> int:
            return fm.horizontalAdvance(text) + 18

        value_w = max(w("00000 ✎"), w("法律服务"))
        if table == "t3":
            widths = [w("三、本年度"), w("（三）不予公开"), w("5.要求行政机关确认或重新出具")]
            widths += [value_w] * (grid.cols - 3)
        elif table == "t2":
            widths = [w("其他对外管理服务事项")] + [w("本年新制作数量")] * (grid.cols - 1)
        else:
            widths = [max(value_w, w("尚未审结"))] * grid.cols
        for c, width in enumerate(widths):
            view.setColumnWidth(c, width)

    def close_report(self) -> None:
        self.set_review(None)

    # -- changes -------------------------------------------------------------------
    def edit_cell(self, key: str, value) -> None:
        if self.review is None:
            return
        if value is None and key not in self.review.edits:
            return
        if value is not None and self.review.edits.get(key) == value:
            return
        self.undo.push(EditCellCommand(self.review, key, value, self._changed))

    def _changed(self, keys) -> None:
        for m in self.grid_models.values():
            m.refresh()
        current = self.current_finding()
        self.findings_model.refresh()
        self.findings_view.resizeRowsToContents()
        if current is not None:
            self._select_finding(current.finding.id)
        self._refresh_info()
        self._refresh_log()
        self._refresh_prior()
        self._refresh_chart()
        self._update_actions()
        self._record_in_library()
        self.reviewChanged.emit()

    def current_finding(self):
        idx = self.findings_view.currentIndex()
        if not idx.isValid():
            return None
        return self.findings_proxy.data(idx, STATE_ROLE)

    def apply_suggestion(self) -> None:
        st = self.current_finding()
        if st is None or st.finding.suspect is None or st.finding.suggested is None:
            self.statusBar().showMessage("当前问题没有建议值。", 4000)
            return
        self.edit_cell(st.finding.suspect, st.finding.suggested)

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
        self.undo.push(DecideCommand(self.review, finding_id, status, reason, self._changed))
        return True

    def decide_dialog(self, status: str) -> None:
        st = self.current_finding()
        if st is None:
            self.statusBar().showMessage("请先在问题清单中选择一个问题。", 4000)
            return
        title = "确认问题" if status == ACCEPTED else "豁免问题"
        dlg = ReasonDialog(title, f"{st.finding.rule}：{st.finding.message}\n\n请填写理由：", self)
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
        dlg = ReasonDialog("批注", f"{key} 的批注：", self)
        dlg.edit.setPlainText(self.review.notes.get(key, ""))
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        dlg.edit.textChanged.disconnect()
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.review.set_note(key, dlg.edit.toPlainText())
            self._changed([key])

    # -- exports and printing ------------------------------------------------------------
    exportDone = Signal(str)             # the written file

    def _default_name(self, suffix: str) -> str:
        rep = self.review.report
        base = f"{rep.agency or '年报'}{rep.year or ''}审核{suffix}"
        folder = os.path.dirname(os.path.abspath(rep.source.path))
        return os.path.join(folder if os.access(folder, os.W_OK) else os.path.expanduser("~"), base)

    def export_workbook_dialog(self) -> None:
        if self.review is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "导出工作簿", self._default_name(".xlsx"), "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_to(path, "xlsx")

    def export_summary_dialog(self) -> None:
        if self.review is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "导出审核摘要", self._default_name(".pdf"), "PDF 文件 (*.pdf)")
        if path:
            self.export_to(path, "pdf")

    def export_to(self, path: str, kind: str) -> None:
        """Write the workbook or the summary PDF off the UI thread."""
        from ..core.export.summary import export_summary_pdf
        from ..core.export.xlsx import export_workbook
        fn = export_workbook if kind == "xlsx" else export_summary_pdf
        self.statusBar().showMessage(f"正在导出 {os.path.basename(path)} …")

        def done(_):
            self.statusBar().showMessage(f"已导出：{path}", 8000)
            self.exportDone.emit(path)

        def failed(exc):
            log.error("export to %s failed", path, exc_info=exc)
            self.statusBar().clearMessage()
            msg = str(exc) if isinstance(exc, (ReportError, OSError)) else f"导出时出现意外错误（{type(exc).__name__}），详情见日志。"
            self.show_message("导出失败", msg)
            self.loadFailed.emit(msg)

        self.export_operation = Operation(fn, self.review, path, on_done=done, on_failed=failed, parent=self).start()

    def _summary_pdf(self) -> str:
        import tempfile
        from ..core.export.summary import export_summary_pdf
        path = os.path.join(tempfile.mkdtemp(prefix="gxaudit-print-"), "summary.pdf")
        export_summary_pdf(self.review, path)
        return path

    def render_summary(self, printer) -> int:
        """Paint the summary (the same pages as the exported PDF) on a printer; returns pages."""
        from PySide6.QtCore import QRectF, QSize
        from PySide6.QtGui import QImage, QPainter
        from PySide6.QtPdf import QPdfDocument
        doc = QPdfDocument()
        doc.load(self._summary_pdf())
        painter = QPainter(printer)
        pages = doc.pageCount()
        for i in range(pages):
            if i:
                printer.newPage()
            area = QRectF(painter.viewport())
            size = doc.pagePointSize(i)
            scale = min(area.width() / size.width(), area.height() / size.height())
            w, h = int(size.width() * scale), int(size.height() * scale)
            img = QImage(QSize(w, h), QImage.Format.Format_ARGB32_Premultiplied)
            img.fill(Qt.GlobalColor.white)
            p2 = QPainter(img)
            p2.drawImage(0, 0, doc.render(i, QSize(w, h)))
            p2.end()
            painter.drawImage(QRectF(area.x(), area.y(), w, h), img)
        painter.end()
        return pages

    def print_summary(self) -> None:
        if self.review is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle("打印审核摘要")
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.render_summary(printer)

    def print_preview(self) -> None:
        if self.review is None:
            return
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintPreviewDialog(printer, self)
        dlg.setWindowTitle("打印预览 — 审核摘要")
        dlg.paintRequested.connect(self.render_summary)
        dlg.exec()

    # -- last year's report ------------------------------------------------------------
    def set_prior(self, prior, how: str) -> None:
        """Use ``prior`` (a Report, or None) as last year's report."""
        if self.review is None:
            return
        self.review.set_prior(prior, how, "审核人选择" if how != "library" else "报告库匹配")
        self._changed([])

    def library(self):
        """The report library, one connection for the UI thread (None when unavailable)."""
        if getattr(self, "_library", None) is None:
            self._library = open_library()
        return self._library

    def _fill_prior_menu(self) -> None:
        self.prior_menu.clear()
        if self.review is None:
            return
        from ..core.history import normalize_agency, similarity
        lib = self.library()
        rep = self.review.report
        if lib is not None and rep.year:
            name = normalize_agency(rep.agency)
            entries = [e for e in lib.entries() if e.year == rep.year - 1 and e.sha256 != rep.source.sha256]
            entries.sort(key=lambda e: -similarity(e.agency_norm, name))
            for e in entries[:8]:
                a = self.prior_menu.addAction(e.label())
                a.triggered.connect(lambda _=False, e=e, lib=lib: self.set_prior(lib.load(e), "given"))
            if not entries:
                self.prior_menu.addAction(f"报告库中没有 {rep.year - 1} 年度的报告").setEnabled(False)
        self.prior_menu.addSeparator()
        self.prior_menu.addAction("从文件选择上年报告…", self._choose_prior_file)
        self.prior_menu.addAction("不使用上年报告", lambda: self.set_prior(None, "declined"))

    def _choose_prior_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择上年报告", "", OPEN_FILTER + ";;审核记录 (*.review.json)")
        if path:
            self.load_prior_file(path)

    def load_prior_file(self, path: str) -> None:
        from ..core.prior import load_prior_file
        self.statusBar().showMessage(f"正在读取上年报告 {os.path.basename(path)} …")
        self.prior_operation = Operation(
            load_prior_file, path, parent=self,
            on_done=lambda rep: (self.statusBar().clearMessage(), self.set_prior(rep, "given")),
            on_failed=self._load_failed).start()

    def _refresh_prior(self) -> None:
        from ..core.rules import CellView, cross_year_identities, evaluate, RULES, FAILS, HOLDS
        self.prior_table.setRowCount(0)
        rv = self.review
        if rv is None:
            return
        prior = rv.prior
        if prior is None:
            self.prior_label.setText("上年报告：无（" + ("已选择不使用" if rv.prior_how == "declined"
                                                       else "报告库中没有匹配的上年报告") + "）")
            return
        how = {"library": "报告库自动匹配", "given": "审核人指定"}.get(rv.prior_how, rv.prior_how)
        self.prior_label.setText(f"上年报告：{prior.agency or '未识别机关'} {prior.year or '?'}年度　"
                                 f"{os.path.basename(prior.source.path)}（{how}）")
        cells = CellView.of(rv.report, prior)
        idents = cross_year_identities(rv.report.layouts, prior.layouts)
        self.prior_table.setRowCount(len(idents))
        from ..core.export.text import cell_name

        from ..core.formats import spec_for

        def side(keys):
            if len(keys) == 1:
                return fmt_value(cells.get(keys[0]))
            parts = []
            for k in keys:
                spec = spec_for(k.removeprefix("prior:"))
                parts.append(f"{spec.column.label if spec else k} {fmt_value(cells.get(k))}")
            return "，".join(parts)

        for r, ident in enumerate(idents):
            ev = evaluate(cells, ident)
            name = "、".join(cell_name(k.removeprefix("prior:")) for k in ident.actual if not k.startswith("prior:"))
            this_keys = [k for k in ident.cells if not k.startswith("prior:")]
            prior_keys = [k for k in ident.cells if k.startswith("prior:")]
            result = {FAILS: "不一致", HOLDS: "一致"}.get(ev.state, "无法判断")
            items = [QTableWidgetItem(f"{RULES[ident.rule].name}：{name}"),
                     QTableWidgetItem(side(this_keys)), QTableWidgetItem(side(prior_keys)),
                     QTableWidgetItem(f"{fmt_value(None, ev.expected)} / {fmt_value(None, ev.actual)}"),
                     QTableWidgetItem(result)]
            for c, it in enumerate(items):
                it.setData(Qt.ItemDataRole.UserRole, ident.actual[0])
                if ev.state == FAILS:
                    from . import style
                    it.setBackground(style.ERROR_BG if RULES[ident.rule].severity == "error" else style.WARNING_BG)
                self.prior_table.setItem(r, c, it)
        self.prior_table.resizeColumnsToContents()
        self.prior_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _refresh_chart(self) -> None:
        """Draw this year against last year (only while the tab is shown:
        matplotlib is imported on first use, off the start-up path)."""
        if self.review is None or self.bottom_tabs.currentWidget() is not self.chart_box:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        from ..core.export import charts
        font = charts.find_cjk_font()
        import matplotlib
        with matplotlib.rc_context(charts.rc(font) if font else {}):
            fig = Figure(figsize=(9, 3.2), layout="constrained")
            ax1, ax2 = fig.subplots(1, 2)
            charts.draw_key_figures(ax1, self.review.report, self.review.prior)
            charts.draw_results(ax2, self.review.report, self.review.prior)
        canvas = FigureCanvasQTAgg(fig)
        lay = self.chart_box.layout()
        if self.chart_canvas is not None:
            lay.removeWidget(self.chart_canvas)
            self.chart_canvas.deleteLater()
        lay.addWidget(canvas)
        self.chart_canvas = canvas
        canvas.draw()

    def _prior_row_activated(self, row: int, _col: int) -> None:
        it = self.prior_table.item(row, 0)
        if it is not None and it.data(Qt.ItemDataRole.UserRole):
            self.select_cell(it.data(Qt.ItemDataRole.UserRole))

    def _record_in_library(self) -> None:
        if self.review is None:
            return
        lib = self.library()
        if lib is None:
            return
        try:
            lib.add(self.review.report, reviewed=True)
        except Exception:  # noqa: BLE001 - the review itself is already saved
            log.warning("could not update the report library", exc_info=True)

    # -- navigation ----------------------------------------------------------------
    def current_cell_key(self) -> str | None:
        v = self.tabs.currentWidget()
        if isinstance(v, QTableView):
            return v.model().data(v.currentIndex(), KEY_ROLE)
        return None

    def select_cell(self, key: str) -> None:
        table = key.split(".")[0]
        if table not in self.grid_views:
            return
        v = self.grid_views[table]
        self.tabs.setCurrentWidget(v)
        idx = self.grid_models[table].index_of(key)
        if idx.isValid():
            v.setCurrentIndex(idx)
            v.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _grid_current_changed(self, current: QModelIndex, _prev) -> None:
        key = current.model().data(current, KEY_ROLE) if current.isValid() else None
        if key and self.review is not None:
            self.source.show_cell(self.review.report.cells.get(key))

    def go_to_finding(self, index: QModelIndex) -> None:
        st = self.findings_proxy.data(index, STATE_ROLE)
        if st is None:
            return
        f = st.finding
        if f.evidence and (sent := self.narrative_view.show_evidence(f.evidence)) is not None:
            self.tabs.setCurrentWidget(self.narrative_view)
            self.source.show_sentence(sent)
            return
        if f.evidence and not f.cells:
            self.source.show_evidence(f.evidence)     # a heading (S-ORDER) or a date
            return
        target = f.suspect or next((k for k in f.cells if k in (self.review.report.cells if self.review else {})), None)
        if target:
            self.select_cell(target)

    def _select_finding(self, finding_id: str) -> None:
        for r in range(self.findings_proxy.rowCount()):
            idx = self.findings_proxy.index(r, 0)
            st = self.findings_proxy.data(idx, STATE_ROLE)
            if st is not None and st.finding.id == finding_id:
                self.findings_view.selectionModel().setCurrentIndex(
                    idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                return

    def next_open(self, step: int = 1) -> None:
        n = self.findings_proxy.rowCount()
        if n == 0:
            return
        cur = self.findings_view.currentIndex().row() if self.findings_view.currentIndex().isValid() else -1
        for i in range(1, n + 1):
            r = (cur + step * i) % n
            idx = self.findings_proxy.index(r, 0)
            st = self.findings_proxy.data(idx, STATE_ROLE)
            if st is not None and st.status == OPEN:
                self.findings_view.selectionModel().setCurrentIndex(
                    idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.findings_view.scrollTo(idx)
                self.go_to_finding(idx)
                return
        self.statusBar().showMessage("没有待处理的问题。", 4000)

    def select_at_point(self, page: int, x: float, y: float) -> None:
        if self.review is None:
            return
        for key, c in self.review.report.cells.items():
            if c.page == page and c.bbox and c.bbox[0] - 2 <= x <= c.bbox[2] + 2 and c.bbox[1] - 2 <= y <= c.bbox[3] + 2:
                self.select_cell(key)
                return

    # -- status --------------------------------------------------------------------
    def _apply_filter(self) -> None:
        self.findings_proxy.set_filter(
            severities=[s for s, cb in self.sev_checks.items() if cb.isChecked()],
            statuses=[s for s, cb in self.status_checks.items() if cb.isChecked()])

    def _refresh_info(self) -> None:
        if self.review is None:
            self.info_label.setText("")
            return
        rep = self.review.report
        states = self.review.finding_states()
        errors = sum(1 for s in states if s.status == OPEN and s.finding.severity == "error")
        warnings = sum(1 for s in states if s.status == OPEN and s.finding.severity == "warning")
        fmt = formats.FORMAT_NAMES.get(rep.template, "格式未识别")
        self.info_label.setText(
            f"{rep.agency or '未识别机关'}　{rep.year or '未识别'}年度　{fmt}　"
            f"待处理：错误 {errors}，警告 {warnings}　已修改 {len(self.review.edits)} 处　已自动保存")

    def _refresh_log(self) -> None:
        self.log_view.clear()
        if self.review is None:
            return
        for e in reversed(self.review.log):
            self.log_view.addItem(f"{e.at}　{e.who}　{e.describe()}")

    def _update_actions(self) -> None:
        has = self.review is not None
        st = self.current_finding() if has else None
        can_apply = bool(st and st.finding.suspect and st.finding.suggested is not None)
        for a, b in ((self.act_apply, self.apply_btn),):
            a.setEnabled(can_apply)
            b.setEnabled(can_apply)
        for a, b in ((self.act_accept, self.accept_btn), (self.act_override, self.override_btn)):
            a.setEnabled(st is not None)
            b.setEnabled(st is not None)
        self.act_reopen.setEnabled(bool(st and st.decision))
        self.reopen_btn.setEnabled(bool(st and st.decision))
        for a in (self.act_next, self.act_prev, self.act_note, self.act_close, self.act_export_xlsx,
                  self.act_export_pdf, self.act_print, self.act_preview):
            a.setEnabled(has)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for p in settings.recent_files():
            a = self.recent_menu.addAction(p)
            a.triggered.connect(lambda _=False, p=p: self.open_path(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("（无）").setEnabled(False)

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
                          "OpenCC（Apache-2.0）、platformdirs（MIT）；"
                          "OCR 组件 RapidOCR（Apache-2.0）、ONNX Runtime（MIT）、OpenCV（Apache-2.0）。",
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
        if getattr(self, "_library", None) is not None:
            self._library.close()
            self._library = None
        super().closeEvent(ev)

