"""Table rows cut in two by a page break are read as one row (issue 13, item 1)."""
from __future__ import annotations

import pytest

from gxaudit.core.document import Row, Span
from gxaudit.core.ingest import read_document
from gxaudit.core.ingest.pagejoin import halves_of_one_row, join_page_breaks
from tests.conftest import FIXTURES, require

# fixture -> (first part of the cut label, the whole label) as LibreOffice laid it out
CUTS = {
    "fx2021_brk_a.pdf": ("2.申请人逾期未按收费通", "2.申请人逾期未按收费通知要求缴纳费用"),
    "fx2021_brk_b.pdf": ("3.危及“三安全一稳", "3.危及“三安全一稳定”"),
    "fx2021_brk_c.pdf": ("4.无正当理由大量反", "4.无正当理由大量反复申请"),
    "fx2021_brk_d.pdf": ("1.申请人无正当理由逾期", "1.申请人无正当理由逾期不补正"),
}


def _page_texts(path) -> list[str]:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage()
            out.append("".join(tp.get_text_range().split()))
            tp.close()
        return out
    finally:
        pdf.close()


@pytest.mark.parametrize("name", sorted(CUTS))
def test_the_page_break_really_cuts_the_row(name):
    """The fixture is what it claims: the label's first part ends one page,
    and the row comes back whole, with its numbers, from the reader."""
    path = require(FIXTURES / name)
    head, whole = CUTS[name]
    pages = _page_texts(path)
    cut_on = [i for i, t in enumerate(pages) if head in t and whole not in t]
    assert cut_on, f"{name}: no page ends inside the row {whole!r}"
    doc = read_document(str(path))
    rows = [r for r in doc.rows if r.grid and whole in "".join(c.text for c in r.cells).replace("\n", "")]
    assert len(rows) == 1
    assert sum(1 for c in rows[0].cells if c.text.strip().isdigit()) == 7


def _cell(text, x0, page=1):
    return Span(text, page, (x0, 100.0, x0 + 40, 120.0))


def _row(texts, page=1):
    return Row([_cell(t, 40.0 * k, page) for k, t in enumerate(texts)], page=page, grid=True, table=0)


def test_two_whole_rows_are_never_joined():
    a = _row(["", "3.危及“三安全一稳定”", "0", "0", "0"])
    b = _row(["", "4.保护第三方合法权益", "", "", ""], page=2)
    assert not halves_of_one_row(a, b)
    # A row with numbers on both pages is two rows, whatever the labels say.
    c = _row(["", "一稳定”", "1", "", ""], page=2)
    assert not halves_of_one_row(_row(["", "3.危及“三安全", "0", "", "0"]), c)


def test_label_continued_on_the_next_page_is_joined_past_footer_and_repeated_header():
    header = _row(["", "申请人情况", "", "", ""])
    a = _row(["", "3.危及“三安全一稳", "0", "2", "2"])
    footer = Row([Span("第 3 页", 1)], page=1)
    head2 = _row(["", "申请人情况", "", "", ""], page=2)
    b = _row(["", "定”", "", "", ""], page=2)
    nxt = _row(["", "4.保护第三方合法权益", "1", "0", "1"], page=2)
    out = join_page_breaks([header, a, footer, head2, b, nxt])
    grids = [r for r in out if r.grid]
    assert [r.cells[1].text for r in grids] == ["申请人情况", "3.危及“三安全一稳定”", "4.保护第三方合法权益"]
    assert [c.text for c in grids[1].cells[2:]] == ["0", "2", "2"]


def test_numbers_on_the_next_page_under_a_label_left_behind():
    a = _row(["", "2.重复申请", "", "", ""])
    b = _row(["", "", "2", "0", "2"], page=2)
    out = join_page_breaks([a, b])
    assert len(out) == 1 and [c.text for c in out[0].cells[1:]] == ["2.重复申请", "2", "0", "2"]


def test_different_columns_are_not_joined():
    a = _row(["", "3.危及“三安全一稳", "0", "2", "2"])
    b = Row([_cell(t, 55.0 * k, 2) for k, t in enumerate(["", "定”", "", "", ""])], page=2, grid=True)
    assert not halves_of_one_row(a, b)
