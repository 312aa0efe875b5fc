"""批量审核: the season page of the main window.

The season (a named batch in the report library) is read and checked in a
background thread that drives core.batch's process pool; the window stays
responsive, progress shows count, rate and time left, and 取消 stops the
pool keeping what is done.  Double-click opens a report in the workspace;
返回批量审核 comes back with its review status updated.

``install(window)`` adds the menu actions, the page and the folder drop.
"""
from __future__ import annotations

import logging
import os
import threading

from PySide6.QtCore import QEvent, QObject, QThread, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QMenu, QProgressBar, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from ..core.season import DEFAULT_SEASON, OTHER_STATUSES, REVIEW_STATUSES, SIGNED, open_season, review_status, set_review_status
from .batch_model import PATH_ROLE, SeasonFilter, SeasonModel

log = logging.getLogger("gxaudit.ui")


class SeasonRun(QThread):
    """``core.season.open_season`` off the UI thread."""
    progressed = Signal(int, int, float, object)      # done, total, rate, eta (s or None)
    finished_ok = Signal(object)                      # (season, rows, rubric)
    failed = Signal(object)

    def __init__(self, name: str, add: list[str], jobs: int | None = None, parent=None):
        super().__init__(parent)
        self.name, self.add, self.jobs = name, list(add), jobs
        self.cancel = threading.Event()

    def run(self):
        try:
            result = open_season(self.name, self.add, jobs=self.jobs, cancel=self.cancel,
                                 progress=lambda p: self.progressed.emit(p.done, p.total, p.rate, p.eta))
        except BaseException as exc:  # noqa: BLE001 - shown in a dialog
            log.exception("season run failed")
            self.failed.emit(exc)
            return
        self.finished_ok.emit(result)


class BatchPage(QWidget):
    openReport = Signal(str)
    seasonLoaded = Signal(object)          # the Season
    message = Signal(str)

    def __init__(self, parent=None, jobs: int | None = None):
        super().__init__(parent)
        self.name = DEFAULT_SEASON
        self.jobs = jobs
        self.season = self.rubric = None
        self.run: SeasonRun | None = None
        self._delivered = True
        self.model = SeasonModel(self)
        self.proxy = SeasonFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()

    def _build(self) -> None:
        top = QHBoxLayout()
        self.title = QLabel(f"<b>批量审核：{self.name}</b>")
        top.addWidget(self.title)
        for text, slot in (("添加文件夹…", self.add_folder_dialog), ("添加文件…", self.add_files_dialog),
                           ("导出汇总工作簿…", self.export_overview_dialog),
                           ("导出汇总摘要 PDF…", self.export_pdf_dialog), ("打印汇总摘要…", self.print_dialog)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            top.addWidget(b)
        top.addStretch(1)
        self.filter_edit = QLineEdit(placeholderText="按机关或文件名筛选")
        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.status_box = QComboBox()
        self.status_box.addItems(["全部审核状态", *REVIEW_STATUSES, *OTHER_STATUSES])
        self.status_box.currentIndexChanged.connect(
            lambda i: self.proxy.set_status("" if i == 0 else REVIEW_STATUSES[i - 1]))
        top.addWidget(self.filter_edit)
        top.addWidget(self.status_box)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        for col, w in enumerate((260, 60, 110, 50, 50, 60, 80, 90)):
            self.view.setColumnWidth(col, w)
        self.view.doubleClicked.connect(self._activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        bottom = QHBoxLayout()
        self.status_label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(260)
        self.cancel_btn = QPushButton("取消")
        self.cancel_btn.clicked.connect(self.cancel)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.bar)
        bottom.addWidget(self.cancel_btn)
        self._busy(False)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)

    # -- running ---------------------------------------------------------------------------
    def _busy(self, on: bool) -> None:
        self.bar.setVisible(on)
        self.cancel_btn.setVisible(on)

    def load(self, add: list[str] = ()) -> None:
        """Read the season (extended by ``add``) in the background."""
        if self.run is not None and self.run.isRunning():
            if not self._delivered:
                self.message.emit("正在读取，请稍候或先取消。")
                return
            self.run.wait()               # its result is in; the thread is only returning
        self._delivered = False
        self.run = SeasonRun(self.name, add, self.jobs, self)
        self.run.progressed.connect(self._progress)
        self.run.finished_ok.connect(self._loaded)
        self.run.failed.connect(self._failed)
        self.bar.setRange(0, 0)
        self.status_label.setText("正在读取本批报告…")
        self._busy(True)
        self.run.start()

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel.set()
            self.status_label.setText("正在停止…（已读取的结果会保留）")

    def _progress(self, done: int, total: int, rate: float, eta) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        left = "" if eta is None else f"，约还需 {eta:.0f} 秒"
        self.status_label.setText(f"已读取 {done}/{total} 份（{rate:.1f} 份/秒{left}）")

    def _loaded(self, result) -> None:
        self._delivered = True
        self._busy(False)
        self.season, rows, self.rubric = result
        self.model.set_rows(rows)
        t = self.season.totals()
        head = "已取消：" if self.season.interrupted else ""
        self.status_label.setText(f"{head}共 {t['files']} 个文件：已检查 {t['checked']}，无法读取 {t['unreadable']}，"
                                  f"重复 {t['duplicate']}，有错误的 {t['with_errors']} 份。")
        self.seasonLoaded.emit(self.season)

    def _failed(self, exc) -> None:
        self._delivered = True
        self._busy(False)
        self.status_label.setText("读取失败。")
        self.message.emit(f"批量审核失败：{exc}")

    def shutdown(self) -> None:
        if self.run is not None and self.run.isRunning():
            self.run.cancel.set()
            self.run.wait(30000)

    # -- actions ------------------------------------------------------------------------------
    def add_folder_dialog(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "添加文件夹到本批")
        if d:
            self.load([d])

    def add_files_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "添加报告到本批", "",
                                                "报告文件 (*.pdf *.docx *.html *.htm *.txt *.md *.xlsx)")
        if files:
            self.load(files)

    def _activated(self, index) -> None:
        path = index.data(PATH_ROLE)
        row = self.model.rows[self.model.row_of(path)]
        if row.status == "checked":
            self.openReport.emit(path)

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        path = index.data(PATH_ROLE)
        if self.model.rows[self.model.row_of(path)].status != "checked":
            return                       # an unreadable file or a duplicate has nothing to open or mark
        menu = QMenu(self)
        menu.addAction("打开", lambda: self._activated(index))
        for st in REVIEW_STATUSES:
            menu.addAction(f"标记为“{st}”", lambda st=st: self.set_status(path, st))
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def set_status(self, path: str, status: str, reviewer: str | None = None) -> None:
        from ..core.review import default_reviewer
        reviewer = reviewer or default_reviewer()
        set_review_status(self.name, path, status, reviewer)
        self.model.update_status(path, status, reviewer)

    def review_returned(self, review) -> None:
        """Back from the workspace: the row of this review's file follows its status."""
        if review is None:
            return
        path = review.report.source.path
        i = self.model.row_of(path)
        if i is None or self.model.rows[i].review_status == SIGNED:
            return
        self.set_status(path, review_status(review), review.reviewer)

    # -- exports and printing -------------------------------------------------------------
    def _sheet(self):
        from ..core.export.season_xlsx import SeasonSheet
        if self.season is None:
            self.message.emit("本批还没有报告。")
            return None
        return SeasonSheet(self.season, self.rubric)

    def export_overview_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出汇总工作簿", "汇总.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.export_overview(path)

    def export_overview(self, path: str) -> None:
        from ..core.export.season_xlsx import overview_workbook
        sheet = self._sheet()
        if sheet is not None:
            self._guarded(lambda: overview_workbook(sheet, path), path)

    def export_pdf_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "导出汇总摘要", "批量审核摘要.pdf", "PDF 文件 (*.pdf)")
        if path:
            self.export_pdf(path)

    def export_pdf(self, path: str) -> None:
        from ..core.export.season_pdf import export_season_pdf
        sheet = self._sheet()
        if sheet is not None:
            self._guarded(lambda: export_season_pdf(sheet, path), path)

    def _guarded(self, fn, path: str) -> None:
        sources = {os.path.realpath(e.path) for e in self.season.entries}
        if os.path.realpath(path) in sources:
            self.message.emit("不能覆盖本批中的源报告，请换一个文件名。")
            return
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - a dialog, never a traceback
            log.exception("season export failed")
            self.message.emit(f"导出失败：{exc}")
            return
        self.status_label.setText(f"已导出：{path}")

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle("打印汇总摘要")
        if dlg.exec():
            self.print_to(printer)

    def print_to(self, printer) -> int:
        """Paint the season summary (the same pages as the exported PDF)."""
        import tempfile

        from ..core.export.season_pdf import export_season_pdf
        from .batch_print import paint_pdf
        sheet = self._sheet()
        if sheet is None:
            return 0
        path = os.path.join(tempfile.mkdtemp(prefix="gxaudit-print-"), "season.pdf")
        export_season_pdf(sheet, path)
        return paint_pdf(path, printer)


class _FolderDrop(QObject):
    """A folder dropped on the window starts (or extends) the season."""

    def __init__(self, window, page: BatchPage):
        super().__init__(window)
        self.window, self.page = window, page

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Drop and ev.mimeData().hasUrls():
            dirs = [u.toLocalFile() for u in ev.mimeData().urls() if u.isLocalFile() and os.path.isdir(u.toLocalFile())]
            if dirs:
                show(self.window)
                self.page.load(dirs)
                ev.acceptProposedAction()
                return True
        return False


def show(window) -> None:
    window.stack.setCurrentWidget(window.batch_page)
    window.setWindowTitle("批量审核 — gxaudit 年报审核")


def install(window) -> BatchPage:
    """Add 批量审核 to the window: the page, the File-menu actions, the folder drop."""
    page = BatchPage(window)
    window.batch_page = page
    window.stack.addWidget(page)
    page.openReport.connect(window.open_path)
    page.message.connect(lambda text: window.show_message("批量审核", text))
    menu = window.menuBar().actions()[0].menu()
    first = menu.actions()[0]

    def open_batch():
        show(window)
        if page.season is None:
            page.load()

    def back():
        page.review_returned(getattr(window, "review", None))
        show(window)

    act = QAction("批量审核…", window)
    act.setShortcut(QKeySequence("Ctrl+B"))
    act.triggered.connect(open_batch)
    back_act = QAction("返回批量审核", window)
    back_act.setShortcut(QKeySequence("Alt+Left"))
    back_act.triggered.connect(back)
    menu.insertAction(first, act)
    menu.insertAction(first, back_act)
    menu.insertSeparator(first)
    window.act_batch, window.act_batch_back = act, back_act
    window.installEventFilter(_FolderDrop(window, page))
    window.destroyed.connect(page.shutdown)
    return page
