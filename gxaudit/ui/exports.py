"""Exports and printing of the open review, off the UI thread: the workbook
and the summary PDF on a worker, the printed summary from the same PDF
written on the window's runner first."""
from __future__ import annotations

import logging
import os

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from ..core.model import ReportError
from . import settings
from .workers import Operation

log = logging.getLogger("gxaudit.ui")


class ExportFlow(QObject):
    """The window's exports; ``w`` is the MainWindow (review, status bar, runner, signals)."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window

    def _default_name(self, suffix: str) -> str:
        rep = self.w.review.report
        base = f"{rep.agency or '年报'}{rep.year or ''}审核{suffix}"
        folder = settings.last_export_dir() or os.path.dirname(os.path.abspath(rep.source.path))
        return os.path.join(folder if os.access(folder, os.W_OK) else os.path.expanduser("~"), base)

    def export_workbook_dialog(self) -> None:
        self._export_dialog("导出工作簿", ".xlsx", "Excel 工作簿 (*.xlsx)", "xlsx")

    def export_summary_dialog(self) -> None:
        self._export_dialog("导出审核摘要", ".pdf", "PDF 文件 (*.pdf)", "pdf")

    def _export_dialog(self, title: str, suffix: str, filter_: str, kind: str) -> None:
        """Ask for a file; a source of this review is refused with a dialog and asked again."""
        if self.w.review is None:
            return
        start = self._default_name(suffix)
        while True:
            path, _ = QFileDialog.getSaveFileName(self.w, title, start, filter_)
            if not path:
                return
            problem = self.unsafe_target(path)
            if problem is None:
                self.export_to(path, kind)
                return
            QMessageBox.warning(self.w, "不能覆盖源文件", problem)
            start = path

    def unsafe_target(self, path: str) -> str | None:
        """Why ``path`` may not be written (it is the report or last year's report), or None."""
        from ..core.files import UnsafeTarget, check_targets
        rv = self.w.review
        sources = [rv.base.source.path, rv.prior.source.path if rv.prior is not None else None,
                   str(rv.path) if rv.path else None]
        try:
            check_targets({"所选的导出文件": path}, sources)
        except UnsafeTarget as exc:
            return str(exc)
        return None

    def export_to(self, path: str, kind: str) -> None:
        """Write the workbook or the summary PDF off the UI thread."""
        from ..core.export.summary import export_summary_pdf
        from ..core.export.xlsx import export_workbook
        fn = export_workbook if kind == "xlsx" else export_summary_pdf
        problem = self.unsafe_target(path)
        if problem is not None:
            self.w.show_message("导出失败", problem)
            self.w.loadFailed.emit(problem)
            return
        self.w.statusBar().showMessage(f"正在导出 {os.path.basename(path)} …")

        def done(_):
            self.w.statusBar().showMessage(f"已导出：{path}", 8000)
            self.w.exportDone.emit(path)

        def failed(exc):
            log.error("export to %s failed", path, exc_info=exc)
            self.w.statusBar().clearMessage()
            msg = str(exc) if isinstance(exc, (ReportError, OSError)) else f"导出时出现意外错误（{type(exc).__name__}），详情见日志。"
            self.w.show_message("导出失败", msg)
            self.w.loadFailed.emit(msg)

        self.w.export_operation = Operation(fn, self.w.review.snapshot(), path, on_done=done, on_failed=failed, parent=self).start()

    def _summary_pdf(self) -> str:
        import tempfile
        from ..core.export.summary import export_summary_pdf
        path = os.path.join(tempfile.mkdtemp(prefix="gxaudit-print-"), "summary.pdf")
        export_summary_pdf(self.w.review, path)
        return path

    def render_summary(self, printer, pdf_path: str | None = None) -> int:
        """Paint the summary (the same pages as the exported PDF, written
        beforehand off the UI thread when ``pdf_path`` is given) on a printer; returns pages."""
        from .batch_print import paint_pdf
        return paint_pdf(pdf_path or self._summary_pdf(), printer)

    def _with_summary_pdf(self, then) -> None:
        """Write the summary PDF on the runner (not the UI thread), then call ``then(path)``."""
        import tempfile

        from ..core.export.summary import export_summary_pdf
        path = os.path.join(tempfile.mkdtemp(prefix="gxaudit-print-"), "summary.pdf")
        self.w.statusBar().showMessage("正在准备打印的审核摘要 …")

        def done(_):
            self.w.statusBar().clearMessage()
            then(path)

        def failed(exc):
            log.error("preparing the printout failed", exc_info=exc)
            self.w.statusBar().clearMessage()
            self.w.show_message("无法打印", f"准备审核摘要时出错（{type(exc).__name__}），详情见日志。")
        self.w.runner.run(Operation(export_summary_pdf, self.w.review.snapshot(), path, on_done=done, on_failed=failed))

    def print_summary(self) -> None:
        if self.w.review is not None:
            self._with_summary_pdf(self._print_dialog)

    def _print_dialog(self, pdf_path: str) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self.w)
        dlg.setWindowTitle("打印审核摘要")
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.render_summary(printer, pdf_path)

    def print_preview(self) -> None:
        if self.w.review is not None:
            self._with_summary_pdf(self._preview_dialog)

    def _preview_dialog(self, pdf_path: str) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintPreviewDialog(printer, self.w)
        dlg.setWindowTitle("打印预览 — 审核摘要")
        dlg.paintRequested.connect(lambda p: self.render_summary(p, pdf_path))
        dlg.exec()

