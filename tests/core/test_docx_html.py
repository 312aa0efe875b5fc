"""The DOCX and HTML readers: fixtures read cell-exact, merged cells, encodings,
繁体, the blank template, and bad files refused with one clear line."""
from __future__ import annotations

import copy
import importlib.util
import io
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from gxaudit.core import check_file, load_report
from gxaudit.core.ingest import read_document
from gxaudit.core.model import ReportError
from tests.conftest import CORPUS, FIXTURES, ROOT, assert_matches_expected, require

TEMPLATE = CORPUS / "template_2021-format_blank.docx"
DOCX = ["fx2021.docx", "fx2019.docx", "fx2021_tw.docx", "fx2021_split.docx"]
HTML = ["fx2021.html", "fx2019.html", "fx2021_gbk.html", "fx2021_tw.html", "fx2021_markup.html"]


def expected(name: str) -> dict:
    return json.loads(require(FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---------------------------------------------------------------------------
# Every fixture, cell-exact
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", DOCX + HTML)
def test_fixture_cells_exact(name):
    exp = expected(name)
    report, findings = check_file(str(require(FIXTURES / name)))
    assert report.source.format == ("docx" if name.endswith(".docx") else "html")
    assert_matches_expected(report, findings, exp)


@pytest.mark.parametrize("name", [n for n in sorted(p.name for p in FIXTURES.iterdir())
                                  if n.endswith(".expected.json")])
def test_expected_json_matches_the_generator(generator, name):
    """The committed expectations are the generator's figures (not stale)."""
    exp = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    fmt = exp["template"]
    assert exp == generator.expected(fmt, tw=exp["traditional"])
    assert (FIXTURES / name[: -len(".expected.json")]).exists()


def test_fixtures_exercise_what_they_claim():
    """Blank, placeholder, annotated and unit cells, a negative 2019 change,
    the 繁体 and GBK pages: the material really contains them."""
    e21, e19 = expected("fx2021.docx")["cells"], expected("fx2019.docx")["cells"]
    statuses = {v["status"] for v in e21.values()}
    assert {"ok", "blank", "placeholder"} <= statuses
    assert e19["t2.licensing.change"]["value"] == -5
    report = load_report(str(FIXTURES / "fx2021.docx"))
    assert report.cells["t2.normative_documents.in_force"].raw == "22（其中修订16件）"
    assert report.cells["t2.normative_documents.in_force"].note == "其中修订16件"
    assert (report.cells["t2.fees.amount"].raw, report.cells["t2.fees.amount"].unit) == ("12.5万元", "万元")
    assert report.cells["t3.declined_complaint.commercial"].raw == ""
    assert load_report(str(FIXTURES / "fx2019.html")).cells["t2.procurement.amount"].raw == "251000元"
    tw = read_document(str(FIXTURES / "fx2021_tw.docx")).text
    assert "總計" in tw and "收到和處理政府信息公開申請情況" in tw and "总计" not in tw
    assert "萬元" in (FIXTURES / "fx2021_tw.html").read_text(encoding="utf-8")
    raw = (FIXTURES / "fx2021_gbk.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"charset=gb2312" in raw
    markup = (FIXTURES / "fx2021_markup.html").read_text(encoding="utf-8")
    assert "<font" in markup and "<span" in markup and "&nbsp;" in markup and "<br/>" in markup


# ---------------------------------------------------------------------------
# DOCX structure: merged cells keep their place
# ---------------------------------------------------------------------------

def test_docx_merged_cells_keep_positions():
    doc = read_document(str(require(TEMPLATE)))
    rows = {r.cells[0].text or r.cells[1].text or r.cells[2].text: r for r in doc.rows
            if r.table is not None}
    lic = rows["行政许可"]
    assert [c.merged for c in lic.cells] == [False, False, True, True]     # gridSpan 3
    r02 = rows["二、上年结转政府信息公开申请数量"]
    assert len(r02.cells) == 10 and [c.merged for c in r02.cells[:3]] == [False, True, True]
    secret = next(r for r in doc.rows if r.table is not None and len(r.cells) == 10
                  and r.cells[2].text == "2.其他法律行政法规禁止公开")
    assert [c.merged for c in secret.cells[:3]] == [True, True, False]     # vMerge continues
    assert all(len(r.cells) == 15 for r in doc.rows if r.table == 2)
    assert {r.table for r in doc.rows if r.table is not None} == {0, 1, 2}
    assert all(r.grid for r in doc.rows if r.table is not None)
    assert all(c.page is None and c.bbox is None for r in doc.rows for c in r.cells)
    # Paragraphs are line rows, in order around the tables.
    lines = [r.text for r in doc.rows if r.is_line]
    assert lines[:2] == ["政府信息公开工作年度报告格式模板", "一、总体情况"]
    assert doc.kind == "docx"


def _wrap_body_in_table(src: Path, out: Path) -> None:
    """The whole report inside a one-cell layout table (a frame)."""
    d = docx.Document(str(src))
    body = d.element.body
    tbl = copy.deepcopy(d.tables[0]._tbl)
    for tr in tbl.findall(qn("w:tr"))[1:]:
        tbl.remove(tr)
    tr = tbl.find(qn("w:tr"))
    tc = tr.find(qn("w:tc"))
    for ch in list(tc):
        if ch.tag != qn("w:tcPr"):
            tc.remove(ch)
    tc.find(qn("w:tcPr")).remove(tc.find(qn("w:tcPr")).find(qn("w:gridSpan")))
    for ch in list(body):
        if ch.tag != qn("w:sectPr"):
            tc.append(ch)
    tc.append(tc.makeelement(qn("w:p"), {}))
    body.insert(0, tbl)
    d.save(str(out))


def test_docx_report_inside_a_layout_table(tmp_path):
    out = tmp_path / "framed.docx"
    _wrap_body_in_table(FIXTURES / "fx2021.docx", out)
    assert len(docx.Document(str(out)).tables) == 1      # everything is nested now
    report = load_report(str(out))
    exp = expected("fx2021.docx")
    assert (report.agency, report.year) == (exp["agency"], exp["year"])
    assert {k: (c.value, c.status) for k, c in report.cells.items()} == \
        {k: (v["value"], v["status"]) for k, v in exp["cells"].items()}


def test_docx_nested_table_in_a_cell_does_not_crash(tmp_path):
    d = docx.Document(str(FIXTURES / "fx2021.docx"))
    t3 = d.tables[1]
    inner = t3.rows[5].cells[1].add_table(rows=2, cols=2)      # inside the 予以公开 label
    inner.cell(0, 0).text = "嵌套"
    inner.cell(1, 1).text = "99"
    inner.cell(1, 0).add_table(rows=1, cols=3).cell(0, 2).text = "更深一层"
    out = tmp_path / "nested.docx"
    d.save(str(out))
    doc = read_document(str(out))
    assert any(r.text == "嵌套" for r in doc.rows) and any("更深一层" in r.text for r in doc.rows)
    report = load_report(str(out))
    # The row holding the nested table still reads; the nested text is not a value.
    assert report.cells["t3.granted.total"].value == 23
    assert report.cells["t3.total_processed.total"].value == 45


# ---------------------------------------------------------------------------
# HTML structure and encodings
# ---------------------------------------------------------------------------

def test_html_rowspan_colspan_grid():
    doc = read_document(str(FIXTURES / "fx2021.html"))
    t3 = [r for r in doc.rows if r.table == 1]
    assert all(len(r.cells) == 10 for r in t3)
    secret = next(r for r in t3 if r.cells[2].text == "2.其他法律行政法规禁止公开")
    assert [c.merged for c in secret.cells[:3]] == [True, True, False]
    header2 = t3[1]
    assert [c.text for c in header2.cells if not c.merged] == ["自然人", "法人或其他组织", "总计"]
    t4 = [r for r in doc.rows if r.table == 2]
    assert [len(r.cells) for r in t4] == [15, 15, 15, 15]
    assert [c.merged for c in t4[2].cells[:6]] == [True] * 5 + [False]


def test_html_blank_nbsp_cells_stay_blank():
    report = load_report(str(FIXTURES / "fx2021_markup.html"))
    for key in ("t2.coercion.decisions", "t3.declined_complaint.commercial",
                "t4.suit_after_review.total"):
        assert (report.cells[key].status, report.cells[key].value, report.cells[key].raw) == \
            ("blank", None, "")
    assert report.cells["t3.granted.total"].raw == "23"


def test_html_unclosed_cells_and_rows(tmp_path):
    page = (FIXTURES / "fx2021.html").read_text(encoding="utf-8")
    sloppy = re.sub(r"</t[dr]>", "", page).replace("<td", "<TD").replace("<tr>", "<TR >")
    assert "</td>" not in sloppy
    p = tmp_path / "sloppy.html"
    p.write_text(sloppy, encoding="utf-8")
    report = load_report(str(p))
    exp = expected("fx2021.html")["cells"]
    assert {k: (c.value, c.status) for k, c in report.cells.items()} == \
        {k: (v["value"], v["status"]) for k, v in exp.items()}


@pytest.mark.parametrize("variant", ["no-declaration", "wrong-declaration"])
def test_html_gbk_without_a_true_declaration(tmp_path, variant):
    page = (FIXTURES / "fx2021.html").read_text(encoding="utf-8")
    if variant == "no-declaration":
        page = page.replace('<meta charset="utf-8">', "")
    assert ("charset" in page) == (variant == "wrong-declaration")
    p = tmp_path / "page.html"
    p.write_bytes(page.encode("gbk"))
    report = load_report(str(p))
    assert report.agency == "示范县市场监督管理局"
    assert report.cells["t3.new_received.total"].value == 46


def test_html_big5_page(tmp_path):
    """A 繁体 mirror saved in Big5 (OpenCC's 爲 is not in Big5: 為)."""
    page = (FIXTURES / "fx2021_tw.html").read_text(encoding="utf-8").replace("爲", "為")
    p = tmp_path / "big5.html"
    p.write_bytes(page.replace('charset="utf-8"', 'charset="big5"').encode("big5"))
    report = load_report(str(p))
    exp = expected("fx2021_tw.html")
    assert (report.agency, report.year, report.template) == (exp["agency"], exp["year"], "2021")
    assert {k: (c.value, c.status) for k, c in report.cells.items()} == \
        {k: (v["value"], v["status"]) for k, v in exp["cells"].items()}


def test_html_value_spanning_two_rows_is_not_guessed(tmp_path):
    """予以公开·总计 merged down into 部分公开's row: 部分公开 has a hole in its
    grid where its 总计 should be.  Its cells are unreadable, never shifted
    into other columns and never copied from the row above."""
    page = (FIXTURES / "fx2021.html").read_text(encoding="utf-8")
    granted = "<td>0</td><td>1</td><td>23</td></tr>"
    partly = "<td>0</td><td>0</td><td>5</td></tr>"
    i = page.index(granted)
    j = page.index(partly, i)
    page = (page[:i] + granted.replace("<td>23</td>", '<td rowspan="2">23</td>') + page[i + len(granted):j]
            + partly.replace("<td>5</td>", "") + page[j + len(partly):])
    p = tmp_path / "rowspan_value.html"
    p.write_text(page, encoding="utf-8")
    report = load_report(str(p))
    assert report.cells["t3.granted.total"].value == 23
    partly_cells = [report.cells[f"t3.partly_granted.{c}"] for c in
                    ("natural_person", "commercial", "research", "social_welfare", "legal_service",
                     "other_org", "total")]
    # The row cannot be placed cell by cell: the whole row is unreadable (a
    # finer reader could keep the six cells still in their columns).
    assert all(c.value is None and c.status == "unreadable" for c in partly_cells)
    assert any("部分公开" in n for n in report.reading_notes)
    # Nothing else moved.
    exp = expected("fx2021.html")["cells"]
    others = {k: (c.value, c.status) for k, c in report.cells.items() if "partly_granted" not in k}
    assert others == {k: (v["value"], v["status"]) for k, v in exp.items() if "partly_granted" not in k}


def test_html_span_bombs_are_bounded(tmp_path):
    page = (FIXTURES / "fx2021.html").read_text(encoding="utf-8")
    bomb = page.replace("<td>申请人情况</td>", '<td colspan="100000" rowspan="100000">申请人情况</td>', 1)
    bomb = bomb.replace('colspan="7">申请人情况', 'colspan="99999" rowspan="0">申请人情况', 1)
    p = tmp_path / "spans.html"
    p.write_text(bomb + "<table>" * 5000 + "<tr><td>x" * 3000, encoding="utf-8")
    t0 = time.monotonic()
    try:
        load_report(str(p))
    except ReportError:
        pass
    assert time.monotonic() - t0 < 20


# ---------------------------------------------------------------------------
# The blank template of the corpus
# ---------------------------------------------------------------------------

def test_blank_template_is_refused_as_a_template():
    """Not one figure in it: nothing to review.  Exit 2 with a plain reason,
    rather than exit 0 ("checked, no error") over 200 blank cells."""
    with pytest.raises(ReportError, match="空白的报告模板"):
        load_report(str(require(TEMPLATE)))


def test_template_with_one_figure_reads_every_other_cell_blank(tmp_path):
    """The blank cells of the template are blank (not missing, not 0) in all
    three tables: one figure typed in makes it a report full of F-BLANK."""
    d = docx.Document(str(require(TEMPLATE)))
    d.tables[0].rows[2].cells[1].text = "0"
    p = tmp_path / "one.docx"
    d.save(str(p))
    report, findings = check_file(str(p))
    assert report.template == "2021" and report.missing_rows == []
    statuses = [c.status for c in report.cells.values()]
    assert len(statuses) == 200 and statuses.count("blank") == 199
    assert report.cells["t2.regulations.issued"].status == "ok"
    blank_rules = {f.rule for f in findings if f.severity == "warning"}
    assert "F-BLANK" in blank_rules
    assert not [f for f in findings if f.severity == "error"]


# ---------------------------------------------------------------------------
# Bad files: exit 2, one clear Chinese line, no traceback, bounded
# ---------------------------------------------------------------------------

def run_check(path: Path, timeout: float = 60):
    """``python -m gxaudit check`` with 1.5 GB of address space at most."""
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20)); "
            "from gxaudit.cli import main; sys.exit(main(sys.argv[1:]))")
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code, "check", str(path)], capture_output=True,
                         text=True, encoding="utf-8", cwd=ROOT, timeout=timeout)
    return out, time.monotonic() - t0


def one_line(out) -> str:
    assert out.returncode == 2, (out.returncode, out.stdout[:300], out.stderr[:300])
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr and "Error" not in out.stderr
    assert re.search(r"[\u4e00-\u9fff]{4}", lines[0])
    assert "意外错误" not in lines[0]
    return lines[0]


def _docx_shell(zf: zipfile.ZipFile) -> None:
    zf.writestr("[Content_Types].xml",
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                'content-types"><Override PartName="/word/document.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    zf.writestr("_rels/.rels",
                '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                '</Relationships>')


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A .docx whose word/document.xml inflates to 1.1 GB, written streamingly."""
    p = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    chunk = b" " * (8 << 20)
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        _docx_shell(zf)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                     b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            for _ in range(1100 * (1 << 20) // len(chunk)):
                fh.write(chunk)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert p.stat().st_size < 8 << 20
    with zipfile.ZipFile(p) as zf:
        assert zf.getinfo("word/document.xml").file_size > 1 << 30
    return p


def test_zip_bomb_refused_before_inflating(zip_bomb):
    out, took = run_check(zip_bomb)
    line = one_line(out)
    assert "上限" in line and "Word" in line
    assert took < 30


def test_empty_docx(tmp_path):
    p = tmp_path / "empty.docx"
    p.write_bytes(b"")
    assert "空的" in one_line(run_check(p)[0])


def test_truncated_docx(tmp_path):
    data = (FIXTURES / "fx2021.docx").read_bytes()
    p = tmp_path / "half.docx"
    p.write_bytes(data[: len(data) // 2])
    assert "损坏" in one_line(run_check(p)[0])


def test_zip_that_is_not_word(tmp_path):
    p = tmp_path / "archive.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("readme.txt", "这不是 Word 文件")
        zf.writestr("data/figures.csv", "a,b\n1,2\n")
    assert "不是" in one_line(run_check(p)[0])


def test_docx_with_broken_xml(tmp_path):
    p = tmp_path / "broken.docx"
    with zipfile.ZipFile(p, "w") as zf:
        _docx_shell(zf)
        zf.writestr("word/document.xml", "<w:document><w:body><w:p>未闭合")
    assert "损坏" in one_line(run_check(p)[0])


def test_docx_that_is_not_a_report(tmp_path):
    d = docx.Document()
    d.add_heading("关于召开2024年度工作会议的通知", 1)
    d.add_paragraph("各科室：定于1月15日召开全体会议，请准时参加。")
    t = d.add_table(rows=3, cols=3)
    for i, row in enumerate(t.rows):
        for j, cell in enumerate(row.cells):
            cell.text = ["姓名", "科室", "电话"][j] if i == 0 else str(100 + i * 3 + j)
    p = tmp_path / "notice.docx"
    d.save(str(p))
    assert "不像是" in one_line(run_check(p)[0])


def test_html_page_with_no_report_tables(tmp_path):
    p = tmp_path / "news.html"
    p.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>新闻动态</title></head><body>'
                 "<h1>新闻动态</h1><table><tr><td>标题</td><td>日期</td></tr>"
                 "<tr><td>县政府召开常务会议</td><td>2024-01-05</td></tr>"
                 "<tr><td>全县安全生产工作会议</td><td>2024-01-08</td></tr></table></body></html>",
                 encoding="utf-8")
    assert "不像是" in one_line(run_check(p)[0])


def test_html_page_with_no_table_at_all(tmp_path):
    p = tmp_path / "article.htm"
    p.write_text("<html><body><p>政府信息公开工作年度报告</p><p>正文见附件。</p></body></html>",
                 encoding="utf-8")
    assert "没有表格" in one_line(run_check(p)[0])


def test_blank_template_cli():
    line = one_line(run_check(require(TEMPLATE))[0])
    assert "空白的报告模板" in line


def test_docx_fixture_cli_json():
    out = subprocess.run([sys.executable, "-m", "gxaudit", "check", str(FIXTURES / "fx2021_tw.docx"),
                          "--json"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                         timeout=60)
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert doc["source"]["format"] == "docx" and doc["source"]["pages"] is None
    cell = doc["cells"]["t2.fees.amount"]
    assert (cell["value"], cell["raw"], cell["status"], cell["page"], cell["bbox"]) == \
        (12.5, "12.5萬元", "ok", None, None)
