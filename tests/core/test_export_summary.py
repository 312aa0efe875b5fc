"""The printed summary: its text read back with pdfplumber, its charts,
the prior-year comparison, and the missing-font error."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from gxaudit.core import load_report
from gxaudit.core.model import ReportError
from gxaudit.core.review import ACCEPTED, Review
from tests.conftest import SEED_000, SEED_003, require

pdfplumber = pytest.importorskip("pdfplumber")

KEY = "t3.total_processed.total"
AGENCY = "台儿庄区人力资源和社会保障局"


def _flat(pdf_path) -> tuple[str, list]:
    with pdfplumber.open(pdf_path) as doc:
        pages = [(p.extract_text() or "", len(p.rects), len(p.curves), len(p.lines)) for p in doc.pages]
    return "".join(t for t, *_ in pages).replace("\n", "").replace(" ", ""), pages


@pytest.fixture
def review():
    rv = Review(load_report(str(require(SEED_000))), reviewer="李审核")
    rv.set_cell(KEY, 3, reason="按各类申请人之和更正")
    fee = next(f.id for f in rv.findings() if f.rule == "F-FEE")
    rv.decide(fee, ACCEPTED, "报告未说明信息处理费收取情况")
    rv.set_note("", "表三（七）总计栏填写错误，应为 3。")
    rv.set_note(KEY, "原表总计栏误填为 0")
    return rv


def test_summary_text_charts_and_signoff(review, tmp_path):
    from gxaudit.core.export.summary import export_summary_pdf
    out = export_summary_pdf(review, tmp_path / "摘要.pdf")
    flat, pages = _flat(out)
    assert 1 <= len(pages) <= 2
    assert AGENCY in flat and "2021年度" in flat
    for st in review.finding_states():
        assert st.finding.rule in flat, st.finding.rule
    assert "审核结论：需更正" in flat
    assert "已确认：报告未说明" in flat                    # a decision with its reason
    assert "表三（七）总计栏填写错误，应为3。" in flat      # the general note
    assert "原表总计栏误填为0" in flat                      # a cell note
    for word in ("审核人：李审核", "签字", "日期", "第1页，共"):
        assert word in flat, word
    assert review.base.source.sha256 in flat
    # The charts are vector drawings: their titles and group labels are text, the
    # six result bars (plus the status bars, boxes and table shading) are rectangles.
    assert "本年度申请办理结果" in flat and "问题处理情况" in flat
    for group in ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"):
        assert group in flat
    # The problem in the rule's own words, not as an equation 应为 = 实为.
    assert "实为" not in flat
    # The auditor's own edits, in a section of their own: label, 原值 → 新值, who, when, why.
    assert "审核人修改的数值（1处）" in flat
    for word in ("原值", "新值", "审核人", "理由", "按各类申请人之和更正", "表三（七）总计·总计"):
        assert word in flat, word
    from gxaudit.core.viewmodels import edit_rows
    row = edit_rows(review)[0]
    assert (row.original, row.value) == ("0", "3")
    assert row.when[:16].replace(" ", "") in flat
    first = pages[0]
    assert first[1] >= 6 + 4, f"too few rectangles on page 1: {first[1]}"


def test_summary_draws_the_prior_year_beside(review, tmp_path):
    from gxaudit.core.export.summary import export_summary_pdf
    prior = load_report(str(require(SEED_003)))
    prior.year = 2020
    # Last year: something in every result group, so every prior bar has height.
    for n, row in enumerate(("granted", "partly_granted", "withheld_state_secret",
                             "unavailable_not_held", "declined_complaint", "other"), start=1):
        key = f"t3.{row}.total"
        if key not in prior.cells:
            key = "t3.other_misc.total"
        prior.cells[key].value, prior.cells[key].status = n, "ok"
    with_prior = export_summary_pdf(review, tmp_path / "p.pdf", prior=prior)
    alone = export_summary_pdf(review, tmp_path / "a.pdf")
    flat, pages = _flat(with_prior)
    _, pages_alone = _flat(alone)
    assert "2020年与2021年" in flat and "2020年" in flat
    assert pages[0][1] >= pages_alone[0][1] + 6        # a second bar per group


def test_summary_pages_for_printing(review):
    from gxaudit.core.export.summary import summary_pages
    figs = summary_pages(review)
    assert figs and all(tuple(round(x, 2) for x in f.get_size_inches()) == (8.27, 11.69) for f in figs)
    figs[0].canvas.draw()                     # an Agg canvas the GUI can render
    assert figs[0].canvas.buffer_rgba().shape[2] == 4


def test_no_chinese_font_is_a_clear_error(review, tmp_path, monkeypatch):
    from gxaudit.core.export import charts, summary
    monkeypatch.setattr(charts, "find_cjk_font", lambda: None)
    with pytest.raises(ReportError, match="fonts-wqy-microhei"):
        summary.export_summary_pdf(review, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_many_findings_continue_on_further_pages(tmp_path):
    from gxaudit.core.export.summary import export_summary_pdf
    report = load_report(str(require(SEED_000)))
    for i, k in enumerate(report.cells):         # a badly read report: dozens of findings
        c = report.cells[k]
        if i % 3 == 0:
            c.value, c.raw, c.status = None, "x", "unreadable"
        elif i % 3 == 1:
            c.value += i
    rv = Review(report)
    states = rv.finding_states()
    assert len(states) > 40
    flat, pages = _flat(export_summary_pdf(rv, tmp_path / "long.pdf"))
    assert len(pages) >= 3 and "问题清单（续）" in flat
    for rule in {s.finding.rule for s in states}:
        assert flat.count(rule) >= sum(1 for s in states if s.finding.rule == rule), rule
    assert f"第{len(pages)}页，共{len(pages)}页" in flat and "审核签字" in flat


@pytest.mark.parametrize("note_lines", [0, 12, 30, 48])
def test_signoff_is_never_alone_on_a_page(tmp_path, note_lines):
    """Whatever the length of the notes, the page with the sign-off box also
    holds the last rows of the findings table or of the notes."""
    from gxaudit.core.export.summary import export_summary_pdf
    report = load_report(str(require(SEED_000)))
    for i, k in enumerate(report.cells):
        if i % 4 == 1:
            report.cells[k].value += i
    rv = Review(report, reviewer="李审核")
    rv.set_note("", "\n".join(f"第{i}条意见。" for i in range(note_lines)))
    rules = {s.finding.rule for s in rv.finding_states()}
    assert len(rv.finding_states()) > 20
    with pdfplumber.open(export_summary_pdf(rv, tmp_path / "s.pdf")) as doc:
        texts = [(p.extract_text() or "").replace(" ", "") for p in doc.pages]
    sign = [t for t in texts if "审核签字" in t]
    assert len(sign) == 1
    page = sign[0]
    body = page.split("审核签字")[0]
    has_findings = any(r in body for r in rules)
    has_notes = "第" in body.replace("第1页", "").split("gxaudit")[0] and "条意见" in body
    assert has_findings or has_notes, page[:300]
    if note_lines <= 12:
        assert has_findings, page[:300]          # short notes: findings rows on the page too


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_summary_renders(review, tmp_path):
    from gxaudit.core.export.summary import export_summary_pdf
    pdf = export_summary_pdf(review, tmp_path / "s.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "pg")], check=True,
                   timeout=60)
    pngs = sorted(tmp_path.glob("pg*.png"))
    assert pngs and all(p.stat().st_size > 5000 for p in pngs)
