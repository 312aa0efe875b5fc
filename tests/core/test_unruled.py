"""Issue 13: tables drawn without ruling lines (pdfloose.py).  Every ruled
text-layer PDF we hold is rewritten without its lines (PDFium removes the
path objects: the characters stay where they were), then checked: no cell
may come out as a different number, a blank or a placeholder where the
ruled file prints a figure; what cannot be placed is flagged.  Measured:
every cell of every one of them reads as on the ruled file."""
from __future__ import annotations

import glob
from pathlib import Path

import pytest

from gxaudit.core import check_file
from tests.conftest import CORPUS, FIXTURES, require

READ = ("ok", "blank", "placeholder")


def _ruled_pdfs() -> list[str]:
    corpus = [p for p in sorted(glob.glob(str(CORPUS / "*.pdf"))) if "peer-output" not in p]
    fixtures = [p for p in sorted(glob.glob(str(FIXTURES / "fx20*.pdf"))) if "norule" not in p]
    return corpus + fixtures


def strip_lines(src: str, dst: Path) -> Path:
    """The PDF without any path object (no ruling line, no box)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    pdf = pdfium.PdfDocument(src)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            for obj in [o for o in page.get_objects(max_depth=1) if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]:
                page.remove_obj(obj)
            page.gen_content()
            page.close()
        pdf.save(str(dst))
    finally:
        pdf.close()
    return dst


@pytest.mark.parametrize("path", _ruled_pdfs(), ids=lambda p: p.rsplit("/", 1)[-1])
def test_without_its_lines_a_table_is_read_right_or_flagged(path, tmp_path):
    ruled, _ = check_file(str(require(Path(path))))
    bare = strip_lines(path, tmp_path / "bare.pdf")
    report, _ = check_file(str(bare))
    assert report.source.format == "pdf"
    wrong = {k: (report.cells[k].status, report.cells[k].value, c.value) for k, c in ruled.cells.items()
             if report.cells[k].status in READ and (report.cells[k].value, report.cells[k].status)
             != (c.value, c.status)}
    assert wrong == {}
    differ = {k: (report.cells[k].status, report.cells[k].value, c.status, c.value)
              for k, c in ruled.cells.items() if (report.cells[k].value, report.cells[k].status) != (c.value, c.status)}
    # Every cell as on the ruled file: labels wrapped over three label
    # columns, rows and headers cut by a page break (the brk fixtures), a
    # blank row, negative figures (fx2019's 本年增/减).
    assert differ == {}


def test_a_lone_row_with_blanks_is_placed_by_its_header(tmp_path):
    """fx2021's 表四 is one row of 15 columns, the last five left blank; no
    other row fills its columns, so they are taken from the evenly spaced
    column labels just above it (结果维持 … 总计), and the blanks stay in
    their own columns."""
    ruled, _ = check_file(str(require(FIXTURES / "fx2021.pdf")))
    report, _ = check_file(str(strip_lines(str(FIXTURES / "fx2021.pdf"), tmp_path / "bare.pdf")))
    t4 = {k: (c.value, c.status) for k, c in ruled.cells.items() if k.startswith("t4.")}
    assert [v for v in t4.values()].count((None, "blank")) == 5
    assert {k: (report.cells[k].value, report.cells[k].status) for k in t4} == t4
    for k, (_, status) in t4.items():         # a blank cell is shown where its column stands
        if status == "blank":
            x0, _, x1, _ = report.cells[k].bbox
            r0, _, r1, _ = ruled.cells[k].bbox
            assert r0 - 1 <= (x0 + x1) / 2 <= r1 + 1, (k, report.cells[k].bbox, ruled.cells[k].bbox)
