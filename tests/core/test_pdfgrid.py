"""Issue 13: the table pages of a text-layer PDF are read by PDFium (ruling
lines from the page's path objects, cells by the grid finder the OCR uses,
text from the character boxes); pdfplumber reads only a page PDFium finds
rules but no table on, and is the second reading of the cells a finding
rests on."""
from __future__ import annotations

import glob
from pathlib import Path

import pytest

from gxaudit.core.ingest import pdfgrid, read_document
from gxaudit.core.session import check_path, open_report
from tests.conftest import CORPUS, FIXTURES, require

HONGZE_23 = CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"
HUAIAN_24 = CORPUS / "jiangsu_huaian-city-gov_2024_annual-report.pdf"


def _text_pdfs() -> list[str]:
    names = ["fx2021.pdf", "fx2019.pdf", "fx2021_split.pdf", "fx2021_tw.pdf", "fx2021_brk_a.pdf",
             "fx2021_brk_b.pdf", "fx2021_brk_c.pdf", "fx2021_brk_d.pdf", "fx2021_brk_t4.pdf", "fx2021_wps.pdf"]
    corpus = [p for p in sorted(glob.glob(str(CORPUS / "*.pdf"))) if "peer-output" not in p]
    return corpus + [str(FIXTURES / n) for n in names]


@pytest.fixture
def no_pdfplumber(monkeypatch):
    import pdfplumber

    def refuse(*_a, **_k):
        raise AssertionError("pdfplumber opened while reading the tables")
    monkeypatch.setattr(pdfplumber, "open", refuse)


@pytest.mark.parametrize("path", _text_pdfs(), ids=lambda p: p.rsplit("/", 1)[-1])
def test_every_table_is_read_without_pdfplumber(path, no_pdfplumber):
    """Every ruled table of the text-layer PDFs we hold is found by PDFium's
    lines: reading never needs pdfplumber, and every figure has its box."""
    rep = open_report(str(require(Path(path)))).report
    cells = [c for k, c in rep.cells.items() if k.startswith("t3.")]
    assert cells and all(c.page and c.bbox for c in cells if c.raw)
    assert sum(1 for c in cells if c.status == "ok") >= 0.9 * len(cells)


def test_merged_cells_follow_the_lines_that_are_drawn():
    """Hongze 2023: 行政诉讼 spans all ten columns of 表四 (pdfplumber's grid
    split it at a line drawn only lower down); （六）其他处理 runs into the
    column before the figures; the header 信息内容 under an open top is read."""
    doc = read_document(str(require(HONGZE_23)))
    grid = [r for r in doc.rows if r.grid]

    def row_with(text):
        return next(r for r in grid if any(c.text.replace("\n", "") == text for c in r.cells))

    t4 = row_with("行政复议")
    labels = [("~" if c.merged else c.text) for c in t4.cells]
    assert labels == ["行政复议", "~", "~", "~", "~", "行政诉讼"] + ["~"] * 9
    other = row_with("（六）其他处理")
    assert [c.merged for c in other.cells][:4] == [True, False, True, False]
    heads = [[c.text for c in r.cells] for r in grid if r.page == 3 and "本年处理决定数量" in r.text]
    assert heads[0] == ["信息内容", "本年处理决定数量"]


def test_a_page_without_a_table_pdfium_can_find_goes_to_pdfplumber(monkeypatch):
    """Rules drawn in a way this reader does not see as a table: pdfplumber's
    finder reads the page, and the figures are the same."""
    path = str(require(HUAIAN_24))
    ours = open_report(path).report
    monkeypatch.setattr(pdfgrid, "find_tables", lambda *a, **k: [])
    theirs = open_report(path).report
    values = {k: (c.value, c.status) for k, c in ours.cells.items()}
    assert values == {k: (c.value, c.status) for k, c in theirs.cells.items()}
    assert sum(1 for c in ours.cells.values() if c.status == "ok") > 150


def test_a_finding_is_read_again_by_pdfminer(monkeypatch):
    """The cells of Hongze 2023's wrong 表四 sums are read a second time by
    pdfplumber (pdfminer's characters in each box): both agree, so the
    errors stand as the report's own."""
    from gxaudit.core.ingest import pdfcells
    seen: list[dict] = []
    real = pdfcells.plumber_texts_in_boxes

    def spy(data, boxes):
        got = real(data, boxes)
        seen.append(got)
        return got
    monkeypatch.setattr(pdfcells, "plumber_texts_in_boxes", spy)
    checked = check_path(str(require(HONGZE_23)))
    assert [f.rule for f in checked.findings if f.rule == "T4-SUM"] == ["T4-SUM", "T4-SUM"]
    assert not any(f.rule == "F-READ" for f in checked.findings)
    assert seen and any(k.startswith("t4.") for k in seen[0])


def test_a_merged_region_that_is_not_a_rectangle_is_cut_into_rectangles():
    """A tall label cell and the full-width row below it, the line between
    them missed (a scan's faint stroke a few pixels off): the L-shaped
    region is two printed cells, not one whose text lands in its top row."""
    from gxaudit.core.ingest.gridfind import _rectangles
    # 3 rows x 3 columns; column 0 of rows 0-1 and all of row 2 in one region.
    rep = {(i, j): (i, j) for i in range(3) for j in range(3)}
    for c in [(1, 0), (2, 0), (2, 1), (2, 2)]:
        rep[c] = (0, 0)
    out = _rectangles(rep)
    assert [out[(i, 0)] for i in range(3)] == [(0, 0), (0, 0), (2, 0)]
    assert [out[(2, j)] for j in range(3)] == [(2, 0), (2, 0), (2, 0)]
    assert out[(1, 1)] == (1, 1)
    square = {(i, j): (0, 0) for i in range(2) for j in range(2)}     # a rectangle stays whole
    assert _rectangles(square) == square
