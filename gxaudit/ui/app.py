"""Start the GUI: application, fonts, logging hooks, the main window."""
from __future__ import annotations

import logging
import sys
import traceback

log = logging.getLogger("gxaudit.ui")


def _qt_message_handler(mode, context, message):
    from PySide6.QtCore import QtMsgType
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}.get(mode, logging.WARNING)
    logging.getLogger("gxaudit.qt").log(level, "%s", message)


def install_excepthook(window_getter) -> None:
    """An unexpected error shows a dialog with the last lines, instead of dying."""
    def hook(exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unhandled exception:\n%s", text)
        win = window_getter()
        if win is not None:
            from PySide6.QtWidgets import QMessageBox
            win.show_message("出现意外错误",
                             "程序出现意外错误，当前审核记录已自动保存。\n\n" + "\n".join(text.strip().splitlines()[-3:]),
                             QMessageBox.Icon.Critical)
    sys.excepthook = hook


def make_app(argv=None):
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from . import style
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("gxaudit")
    app.setApplicationDisplayName("gxaudit 年报审核")
    app.setOrganizationName("gxaudit")
    qInstallMessageHandler(_qt_message_handler)
    try:
        from PySide6.QtGui import QIcon

        from ..resources import resource
        app.setWindowIcon(QIcon(str(resource("icons", "gxaudit.svg"))))
        app.setDesktopFileName("org.gxaudit.GxAudit")
    except FileNotFoundError:
        log.warning("application icon not found")
    fam = style.cjk_family()
    if fam:
        f = QFont(app.font())
        f.setFamilies([fam, *QFont(app.font()).families()])
        app.setFont(f)
    else:
        log.warning("no font with Chinese glyphs found; install fonts-wqy-microhei or fonts-noto-cjk")
    return app


def run(path: str | None = None) -> int:
    from .main_window import MainWindow
    app = make_app()
    win = MainWindow()
    install_excepthook(lambda: win)
    win.show()
    if path:
        win.open_path(path)
    return app.exec()
