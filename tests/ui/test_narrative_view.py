"""The 正文 view and the source pane's places for DOCX/HTML cells and for
sentences (pytest-qt, offscreen, real widgets)."""
from __future__ import annotations

import pytest

from gxaudit.ui.findings_model import STATE_ROLE
from gxaudit.ui.main_window import MainWindow
from tests.conftest import CORPUS, FIXTURES, require

STCSM = CORPUS / "shanghai_stcsm-science-tech-commission_2024_annual-report_pdf-text-markdown.md"
HONGZE_24 = CORPUS / "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf"


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(store_root=str(tmp_path / "reviews"))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


def open_report(qtbot, w, path):
    with qtbot.waitSignal(w.reviewLoaded, timeout=60000) as blocker:
        w.open_path(str(path))
    return blocker.args[0]


def current_line(w) -> int:
    return w.source.text.textCursor().blockNumber() + 1


@pytest.mark.parametrize("name, key", [("fx2021.docx", "t3.granted.total"), ("fx2021.html", "t3.granted.total")])
def test_docx_html_cell_scrolls_and_marks(qtbot, window, name, key):
    review = open_report(qtbot, window, require(FIXTURES / name))
    cell = review.report.cells[key]
    assert cell.anchor
    window.select_cell(key)
    line = current_line(window)
    assert line == review.report.narrative.places[cell.anchor] and line > 1
    block = window.source.text.document().findBlockByNumber(line - 1).text()
    assert cell.raw in block.split("\t")                 # the marked line is the cell's row
    assert window.source.text.extraSelections()


def test_finding_shows_its_sentence_in_text(qtbot, window):
    review = open_report(qtbot, window, require(STCSM))
    view = window.narrative_view
    assert view.tree.topLevelItemCount() == 5
    f = next(f for f in review.findings() if f.rule == "N-ALL")
    for r in range(window.findings_proxy.rowCount()):
        idx = window.findings_proxy.index(r, 0)
        if window.findings_proxy.data(idx, STATE_ROLE).finding.id == f.id:
            window.go_to_finding(idx)
            break
    assert window.tabs.currentWidget() is view
    assert view.tree.currentItem().text(0) == f.evidence["text"]
    assert current_line(window) == 42


def test_sentence_box_on_a_pdf(qtbot, window):
    review = open_report(qtbot, window, require(HONGZE_24))
    sent = next(s for s in review.report.narrative.sentences if s.section == "五" and s.bbox)
    window.narrative_view.show_evidence(sent.evidence())
    window.source.show_sentence(sent)
    pdf = window.source.pdf
    assert pdf.page == sent.page and pdf.box_item.isVisible()


def test_heading_finding_shows_its_line(qtbot, window):
    review = open_report(qtbot, window, require(STCSM))
    f = next(f for f in review.findings() if f.rule == "S-ORDER")
    for r in range(window.findings_proxy.rowCount()):
        idx = window.findings_proxy.index(r, 0)
        if window.findings_proxy.data(idx, STATE_ROLE).finding.id == f.id:
            window.go_to_finding(idx)
            break
    assert current_line(window) == f.evidence["line"] == 73


def test_marks_follow_the_findings_after_an_edit(qtbot, window):
    """Correcting the cell a narrative finding rests on clears the sentence's
    mark at once; undo brings it back (no reopening needed)."""
    review = open_report(qtbot, window, require(STCSM))
    view = window.narrative_view
    f = next(f for f in review.findings() if f.rule == "N-ALL")
    assert f.evidence["text"] in view.marked_texts()
    key = f.cells[0]
    window.edit_cell(key, 0)
    assert not any(x.rule == "N-ALL" for x in window.review.findings())
    assert f.evidence["text"] not in view.marked_texts()
    window.undo.undo()
    assert f.evidence["text"] in view.marked_texts()
