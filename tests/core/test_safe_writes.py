"""Issue 11.1 and 11.12 in core: the atomic writer refuses a source this process
read (by path and identity), and control characters never reach what is rendered."""
from __future__ import annotations

import os
import shutil
import warnings

import pytest

from gxaudit.core import load_report
from gxaudit.core.model import ReportError
from gxaudit.core.review import Review
from tests.conftest import SEED_000, require


@pytest.fixture
def source(tmp_path):
    (tmp_path / "w").mkdir()
    p = tmp_path / "w" / "report.txt"
    shutil.copyfile(require(SEED_000), p)
    return p


def test_atomic_writer_refuses_a_source_read_by_this_process(source):
    from gxaudit.core.export.summary import export_summary_pdf
    from gxaudit.core.export.xlsx import export_workbook
    from gxaudit.core.files import UnsafeTarget, atomic_write_json
    review = Review(load_report(str(source)))
    tmp_path = source.parent
    link = tmp_path / "hard.xlsx"
    os.link(source, link)
    before = source.read_bytes()
    for target in (source, link, tmp_path / "sub" / ".." / "report.txt"):
        with pytest.raises(UnsafeTarget) as exc:
            export_workbook(review, target)
        assert isinstance(exc.value, ReportError) and "源文件" in str(exc.value)
    with pytest.raises(UnsafeTarget):
        export_summary_pdf(review, source)
    with pytest.raises(UnsafeTarget):
        atomic_write_json(source, {"x": 1})
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.xlsx", "report.txt"]   # no temporaries


def test_check_targets_by_identity(tmp_path):
    from gxaudit.core.files import UnsafeTarget, check_targets
    a = tmp_path / "a.txt"
    a.write_text("x")
    os.symlink(a, tmp_path / "sym")
    with pytest.raises(UnsafeTarget):
        check_targets({"--xlsx": tmp_path / "sym"}, [a])
    with pytest.raises(UnsafeTarget):
        check_targets({"--xlsx": tmp_path / "n.x", "--summary": tmp_path / "n.x"}, [a])
    check_targets({"--xlsx": tmp_path / "b.xlsx", "--summary": tmp_path / "b.pdf"}, [a, None])


CONTROL = "\x1b[31m\x07\x00\x85\x9b\x7f\r"
BAD = set("\x1b\x07\x00\x85\x9b\x7f\r")


def test_printable_removes_control_characters_only():
    from gxaudit.core.text import printable
    assert printable(f"台儿庄{CONTROL}区\t人社局\n2021") == "台儿庄区\t人社局\n2021"
    assert printable(None) == ""


def test_control_characters_never_reach_the_summary_or_the_workbook(source, tmp_path):
    import openpyxl
    import pdfplumber
    from gxaudit.core.export.summary import export_summary_pdf
    from gxaudit.core.export.xlsx import export_workbook
    report = load_report(str(source))
    report.agency = f"台儿庄区{CONTROL}人力资源和社会保障局"
    review = Review(report, reviewer=f"审核{CONTROL}人")
    review.set_note("t3.total_processed.total", f"批注{CONTROL}内容")
    pdf, xlsx = tmp_path / "s.pdf", tmp_path / "s.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # matplotlib's "Glyph … missing" would fail here
        export_summary_pdf(review, pdf)
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
        meta = doc.metadata
    assert "台儿庄区人力资源和社会保障局" in text
    assert "[31m" not in text and not BAD & set(text) and not BAD & set(str(meta.get("Title", "")))
    export_workbook(review, xlsx)
    wb = openpyxl.load_workbook(xlsx)
    strings = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    strings += [c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment]
    assert any("台儿庄区人力资源和社会保障局" in s for s in strings)
    assert not any(BAD & set(s) for s in strings)
    visible = [c.value for ws in wb if ws.sheet_state == "visible" for row in ws.iter_rows() for c in row
               if isinstance(c.value, str)]
    assert visible and not any("[31m" in s for s in visible)
