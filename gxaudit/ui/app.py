"""Start the GUI: application, fonts, logging hooks, the main window."""
from __future__ import annotations

import logging
import os
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


def _file_open_filter_class():
    from PySide6.QtCore import QEvent, QObject, Signal

    class FileOpenFilter(QObject):
        """macOS "open this document" (Finder, Dock, 打开方式) arrives as a
        QFileOpenEvent on the application, not on the command line."""
        fileOpened = Signal(str)

        def __init__(self, parent=None):
            super().__init__(parent)
            self.pending: list[str] = []      # opened before the window listens

        def eventFilter(self, obj, e):
            if e.type() == QEvent.Type.FileOpen:
                path = e.file() or e.url().toLocalFile()
                if path:
                    self.pending.append(path)
                    self.fileOpened.emit(path)
                return True
            return False
    return FileOpenFilter


def file_open_filter(app):
    """The application's FileOpen listener (installed once)."""
    flt = getattr(app, "_gx_file_open", None)
    if flt is None:
        flt = app._gx_file_open = _file_open_filter_class()(app)
        app.installEventFilter(flt)
    return flt


def load_translations(app) -> list:
    """Qt's own strings (file dialog, OK/Cancel, context menus) in Chinese, from the
    translations shipped in the PySide6 wheel (and carried by the bundle)."""
    from PySide6.QtCore import QLibraryInfo, QTranslator
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    if getattr(sys, "frozen", False):
        import os
        base = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
        folders += [os.path.join(base, "PySide6", "Qt", "translations"), os.path.join(base, "translations")]
    loaded = []
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        for folder in folders:
            tr = QTranslator(app)
            if tr.load(name, folder):
                app.installTranslator(tr)
                loaded.append(tr)
                break
    if not loaded:
        log.warning("Qt's Chinese translations not found in %s", folders)
    return loaded


def _add_bundled_fonts() -> None:
    """The CJK font shipped in resources/fonts, for machines without one."""
    from PySide6.QtGui import QFontDatabase

    from ..core.export.charts import bundled_fonts
    for path in bundled_fonts():
        if QFontDatabase.addApplicationFont(path) < 0:
            log.warning("could not load the bundled font %s", path)


def make_app(argv=None):
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from . import style
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    file_open_filter(app)
    if not getattr(app, "_gx_translations", None):
        app._gx_translations = load_translations(app)
    app.setApplicationName("gxaudit")
    app.setApplicationDisplayName("gxaudit 年报审核")
    app.setOrganizationName("gxaudit")
    from . import gc_guard
    gc_guard.install(app)           # cyclic garbage is freed on this thread, never on a worker
    qInstallMessageHandler(_qt_message_handler)
    try:
        from PySide6.QtGui import QIcon

        from ..resources import resource
        app.setWindowIcon(QIcon(str(resource("icons", "gxaudit.svg"))))
        app.setDesktopFileName("org.gxaudit.GxAudit")
    except FileNotFoundError:
        log.warning("application icon not found")
    _add_bundled_fonts()
    fam = style.cjk_family()
    if fam:
        f = QFont(app.font())
        f.setFamilies([fam, *QFont(app.font()).families()])
        app.setFont(f)
    else:
        log.warning("no font with Chinese glyphs found; install fonts-wqy-microhei or fonts-noto-cjk")
    return app


def local_paths(args) -> list[str]:
    """Paths from a command line: desktop ``%F``/``%U`` and Windows ``"%1"`` pass
    plain paths, some file managers ``file://`` URLs."""
    from PySide6.QtCore import QUrl
    out = []
    for a in args or []:
        if a.startswith("file:"):
            a = QUrl(a).toLocalFile() or a
        out.append(os.path.abspath(a))
    return out


def run(paths=None) -> int:
    """The review window with ``paths`` open; when gxaudit already runs for this
    user, hand ``paths`` to that window instead and return 0."""
    if isinstance(paths, str):
        paths = [paths]
    paths = local_paths(paths)
    app = make_app()
    from . import single_instance
    if single_instance.send_to_running(paths):
        log.info("handed %d file(s) to the running gxaudit", len(paths))
        return 0
    from .main_window import MainWindow
    from .reviewer import install as install_reviewer
    win = MainWindow()
    install_excepthook(lambda: win)
    server = single_instance.InstanceServer(parent=win)
    server.listen()

    def take(received: list) -> None:
        win.showNormal() if win.isMinimized() else win.show()
        win.raise_()
        win.activateWindow()
        if received:
            win.open_paths(received)
    server.filesReceived.connect(take)
    opener = file_open_filter(app)
    paths += [p for p in opener.pending if p not in paths]
    opener.fileOpened.connect(lambda p: take([p]))
    win.show()
    install_reviewer(win)
    if paths:
        win.open_paths(paths)
    rc = app.exec()
    server.close()
    return rc
