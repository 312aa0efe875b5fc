"""批量审核 in the app: the season table (model tested with qtmodeltester),
background reading, open and come back with the review status updated, the
season kept in the library across windows, exports from the page."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gxaudit.core.review import OVERRIDDEN
from gxaudit.core.season import IN_PROGRESS, NOT_STARTED, SIGNED, UNREVIEWABLE, Row, open_season
from gxaudit.ui.batch_model import PATH_ROLE, SeasonFilter, SeasonModel
from gxaudit.ui.main_window import MainWindow
from tests.conftest import FIXTURES
from tests.seasonmaker import AGENCIES, html_report


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "season"
    d.mkdir()
    for i in range(4):
        (d / f"r{i}_2023.html").write_bytes(html_report(AGENCIES[i], 2023))
    (d / "r0_2022.html").write_bytes(html_report(AGENCIES[0], 2022))
    (d / "broken.pdf").write_bytes((FIXTURES / "fx2021.pdf").read_bytes()[:3000])
    return d


def test_season_model_passes_qtmodeltester(qtmodeltester, folder):
    season, rows, _ = open_season("测试", [str(folder)], jobs=1)
    assert len(rows) == 6 and {r.status for r in rows} == {"checked", "unreadable"}
    model = SeasonModel()
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    proxy = SeasonFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)
    proxy.sort(5, Qt.SortOrder.DescendingOrder)               # by score
    scores = [proxy.index(i, 5).data() for i in range(proxy.rowCount())]
    assert scores[0] != "" and scores[-1] == ""               # the unreadable file has no score
    proxy.set_text(AGENCIES[0])
    assert proxy.rowCount() == 2
    proxy.set_text("")
    proxy.set_status(IN_PROGRESS)
    assert proxy.rowCount() == 0
    # The unreadable file is no report to review: it says so, not 未审核.
    broken = next(r for r in rows if r.status == "unreadable")
    assert broken.review_status == UNREVIEWABLE and broken.note
    proxy.set_status(NOT_STARTED)
    assert proxy.rowCount() == 5
    proxy.set_status(UNREVIEWABLE)
    assert [proxy.index(i, 8).data(PATH_ROLE) for i in range(proxy.rowCount())] == [broken.path]


def test_many_rows_model_and_update(qtmodeltester):
    rows = [Row(f"/x/r{i:03d}.pdf", "checked", f"{i:064x}", f"机关{i % 37}", 2020 + i % 5, "通过",
                i % 7, i % 3, 100.0 - i % 11) for i in range(500)]
    model = SeasonModel()
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    assert model.update_status("/x/r250.pdf", SIGNED, "张三")
    assert model.index(250, 6).data() == SIGNED and model.index(250, 7).data() == "张三"


def test_open_from_table_and_back_updates_status_and_season_persists(qtbot, folder, tmp_path):
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    page = w.batch_page
    with qtbot.waitSignal(page.seasonLoaded, timeout=120000):
        page.load([str(folder)])
    assert page.model.rowCount() == 6
    r0 = str(folder / "r0_2023.html")
    i = page.model.row_of(r0)
    assert page.model.rows[i].review_status == NOT_STARTED
    # double-click opens the report in the workspace
    src = page.model.index(i, 0)
    view_index = page.proxy.mapFromSource(src)
    with qtbot.waitSignal(w.reviewLoaded, timeout=60000):
        page.view.doubleClicked.emit(view_index)
    assert w.review.report.source.path == r0
    f = next(f for f in w.review.findings() if f.severity == "error")
    w.decide(OVERRIDDEN, "原文另有说明", f.id)
    w.act_batch_back.trigger()
    assert w.stack.currentWidget() is page
    assert page.model.rows[i].review_status == IN_PROGRESS
    # exports from the page
    page.export_overview(str(tmp_path / "o.xlsx"))
    page.export_pdf(str(tmp_path / "o.pdf"))
    assert (tmp_path / "o.xlsx").stat().st_size > 0 and (tmp_path / "o.pdf").read_bytes()[:4] == b"%PDF"
    from PySide6.QtPrintSupport import QPrinter
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert page.print_to(printer) >= 1
    assert (tmp_path / "printed.pdf").read_bytes()[:4] == b"%PDF"
    page.set_status(str(folder / "r1_2023.html"), SIGNED, "李四")
    w.close()
    # a new window: the season comes back from the library, statuses kept
    w2 = MainWindow()
    qtbot.addWidget(w2)
    with qtbot.waitSignal(w2.batch_page.seasonLoaded, timeout=120000):
        w2.act_batch.trigger()
    p2 = w2.batch_page
    assert p2.model.rowCount() == 6
    assert p2.model.rows[p2.model.row_of(r0)].review_status == IN_PROGRESS
    r1 = p2.model.rows[p2.model.row_of(str(folder / "r1_2023.html"))]
    assert (r1.review_status, r1.reviewer) == (SIGNED, "李四")
    # adding files extends the season
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "r9.html").write_bytes(html_report(AGENCIES[9], 2023))
    with qtbot.waitSignal(p2.seasonLoaded, timeout=120000):
        p2.load([str(tmp_path / "more")])
    assert p2.model.rowCount() == 7
    w2.close()


def test_cancel_keeps_the_window_responsive(qtbot, folder):
    w = MainWindow()
    qtbot.addWidget(w)
    page = w.batch_page
    with qtbot.waitSignal(page.seasonLoaded, timeout=120000):
        page.load([str(folder)])
        page.cancel()
    assert page.season is not None and page.model.rowCount() <= 6
    w.close()
