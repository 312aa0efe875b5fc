"""Opening a scanned PDF in the workspace: a status message per page while the
OCR runs in the background, and 取消 stops the OCR at the next page."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from gxaudit.core.ingest import ocr
from gxaudit.ui.main_window import MainWindow
from tests.conftest import CORPUS, require
from tests.core.scanmaker import make_scan

pytestmark = pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")

HONGZE_2023 = CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(store_root=str(tmp_path / "reviews"))
    qtbot.addWidget(w)
    w.show()
    return w


def test_scan_opens_with_a_progress_message_per_page(qtbot, window, tmp_path):
    scan = make_scan(require(HONGZE_2023), tmp_path / "scan.pdf", pages=[2, 3])
    messages = []
    window.loadProgress.connect(lambda _flag, msg: messages.append(msg))
    shown = []
    window.statusBar().messageChanged.connect(shown.append)
    with qtbot.waitSignal(window.reviewLoaded, timeout=120000) as blocker:
        window.open_path(str(scan))
    review = blocker.args[0]
    assert review.report.source.format == "pdf-scan"
    assert any("第 1 页" in m for m in messages) and any("第 2 页" in m for m in messages)
    assert any("正在识别扫描件" in m for m in shown)
    assert review.report.cells["t3.new_received.total"].value == 21


def test_cancel_stops_the_ocr_between_pages(qtbot, window, tmp_path):
    scan = make_scan(require(HONGZE_2023), tmp_path / "scan.pdf")
    messages = []
    window.loadProgress.connect(lambda _flag, msg: messages.append(msg))
    window.open_path(str(scan))
    qtbot.waitUntil(lambda: bool(messages), timeout=60000)
    window.cancel_loading()
    assert window.operation.cancelled and window._load_cancel.is_set()
    assert QThreadPool.globalInstance().waitForDone(60000)
    # Stopped before the end: nothing was cached, no review was opened.
    assert not list(ocr.cache_dir().glob("*.json"))
    assert window.review is None
