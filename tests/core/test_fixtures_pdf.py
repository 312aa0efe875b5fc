"""The PDF fixtures (LibreOffice exports made by tests/fixtures/make_fixtures.py),
read cell-exact through the PDF reader, with provenance that points at the text."""
from __future__ import annotations

import json

import pytest

from gxaudit.core import check_file
from tests.conftest import FIXTURES, assert_matches_expected, require

PDF = ["fx2021.pdf", "fx2019.pdf", "fx2021_split.pdf", "fx2021_tw.pdf",
       # rows of table 三 (and table 四) cut by a page break (make_fixtures.BREAKS)
       "fx2021_brk_a.pdf", "fx2021_brk_b.pdf", "fx2021_brk_c.pdf", "fx2021_brk_d.pdf",
       "fx2021_brk_t4.pdf",
       # WPS-style: every character its own text object (tests/fixtures/wps_pdf.py)
       "fx2021_wps.pdf"]


def expected(name: str) -> dict:
    return json.loads(require(FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PDF)
def test_pdf_fixture_cells_exact(name):
    import pdfplumber
    exp = expected(name)
    path = require(FIXTURES / name)
    report, findings = check_file(str(path))
    assert report.source.format == "pdf" and report.source.pages >= 1
    assert_matches_expected(report, findings, exp)
    # Every cell read has its page and box, and the box holds exactly its text.
    with pdfplumber.open(str(path)) as pdf:
        pages = {}
        for key, c in report.cells.items():
            if not c.raw:
                continue
            assert c.page and c.bbox and c.confidence == 1.0, key
            if c.page not in pages:
                pages[c.page] = pdf.pages[c.page - 1].dedupe_chars().extract_words()
            x0, top, x1, bottom = c.bbox
            words = [w["text"] for w in pages[c.page]
                     if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom]
            assert "".join(words).replace(" ", "") == c.raw.replace(" ", ""), (key, words, c.raw)


def test_split_fixture_table_really_crosses_a_page():
    report, _ = check_file(str(require(FIXTURES / "fx2021_split.pdf")))
    t3_pages = {c.page for k, c in report.cells.items() if k.startswith("t3.") and c.raw}
    assert len(t3_pages) >= 2


def test_table_without_ruling_lines_is_read_cell_exact():
    """fx2021_wps_norule.pdf: the WPS-style report with no ruling line at all
    (pdfloose.py) reads as the ruled file does, all 200 cells: notes split by
    letter spacing ("22（其中修订16" "件）", "12.5" "万元"), the block label
    （六）其他处理 printed in its own column beside its rows' labels, totals
    at the top of five-line cells, 表四's row on the page after its header,
    the blank 行政强制; the deliberate break in （七）总计 is found as on the
    ruled file."""
    exp = expected("fx2021_wps_norule.pdf")["cells"]
    report, findings = check_file(str(require(FIXTURES / "fx2021_wps_norule.pdf")))
    differ = {k: (c.status, c.value, exp[k]["status"], exp[k]["value"]) for k, c in report.cells.items()
              if (c.value, c.status) != (exp[k]["value"], exp[k]["status"])}
    assert differ == {}
    assert report.cells["t2.normative_documents.in_force"].value == 22
    assert report.cells["t2.fees.amount"].value == 12.5
    assert report.cells["t2.coercion.decisions"].status == "blank"
    assert {(f.rule, f.suspect) for f in findings if f.severity == "error"} >= \
        {("T3-ROW", "t3.total_processed.total"), ("T3-BAL", "t3.total_processed.total")}


def _unruled_pdf(tmp_path, rows) -> str:
    """A one-page 表三 without lines: ``rows`` of (label lines, {column: (figure, level)})
    in PDF points from the top; one text object per character as WPS writes."""
    from tests.fixtures.wps_pdf import STSONG
    from tests.pdfwriter import pdf_from_streams
    ops: list[str] = []

    def text(s, x, top, size=10.5):
        for ch in s:
            ops.append(f"BT /F1 {size} Tf 1 0 0 1 {x:.2f} {842 - top - size * 0.8:.2f} Tm <{ord(ch):04X}> Tj ET")
            x += size if ord(ch) > 0x7F else size / 2
    text("三、收到和处理政府信息公开申请情况", 60, 80, 14)
    text("申请人情况", 300, 120)
    text("自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计", 200, 140, 7)
    for labels, figures in rows:
        for k, (line, top) in enumerate(labels):
            text(line, 40, top)
        for col, (fig, top) in figures.items():
            text(fig, 250 + 40 * col, top)
    path = tmp_path / "unruled.pdf"
    path.write_bytes(pdf_from_streams(["\n".join(ops).encode("ascii")], font=STSONG))
    return str(path)


def test_a_lone_total_between_two_rows_is_flagged_not_guessed(tmp_path):
    """Row 一 has its total left blank; row 二 prints its total at the top of
    its cell and the rest centred.  The lone total could belong to either
    line of figures: both rows are flagged, no figure is moved."""
    one = ([("一、本年新收政府信息公开申请数", 200)], {c: ("7", 200) for c in range(6)})
    two = ([("二、上年结转政府信息公开申请数", 230), ("量", 248)],
           {**{c: ("1", 240) for c in range(6)}, 6: ("9", 226)})
    report, _ = check_file(_unruled_pdf(tmp_path, [one, two]))
    for row in ("new_received", "carried_over"):
        cells = [c for k, c in report.cells.items() if k.startswith(f"t3.{row}.")]
        assert cells and all(c.status == "unreadable" for c in cells), row


def test_a_total_at_the_top_of_its_cell_joins_its_row(tmp_path):
    """The same rows with row 一's total printed: each lone total has one
    line of figures it can join, and every cell is read."""
    one = ([("一、本年新收政府信息公开申请数", 200)], {**{c: ("7", 206) for c in range(6)}, 6: ("42", 198)})
    two = ([("二、上年结转政府信息公开申请数", 230), ("量", 248)],
           {**{c: ("1", 240) for c in range(6)}, 6: ("6", 226)})
    report, _ = check_file(_unruled_pdf(tmp_path, [one, two]))
    assert [report.cells[f"t3.new_received.{c}"].value for c in ("natural_person", "total")] == [7, 42]
    assert [report.cells[f"t3.carried_over.{c}"].value for c in ("natural_person", "total")] == [1, 6]
