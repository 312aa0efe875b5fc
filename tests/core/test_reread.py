"""F-READ (issue 13): the cells a table finding rests on are read a second
time, by pdfminer's and PDFium's characters inside each cell's box,
independently of the grid that read the table; a disagreement is a reading
finding, never a suspect."""
from __future__ import annotations

import dataclasses
import glob

import pytest

from gxaudit.core import session
from gxaudit.core.ingest.pdfcells import plumber_texts_in_boxes, texts_in_boxes
from gxaudit.core.review import ReviewStore
from gxaudit.core.session import check_path, open_for_review, open_report
from gxaudit.core.text import parse_value
from tests.conftest import CORPUS, FIXTURES, require

FX = FIXTURES / "fx2021.pdf"
KEY = "t3.total_processed.total"      # the fixture's deliberate break
HONGZE_23 = CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"


def _pdfs():
    return sorted(glob.glob(str(CORPUS / "*.pdf")) + glob.glob(str(FIXTURES / "**" / "*.pdf"), recursive=True))


@pytest.mark.parametrize("reader", [plumber_texts_in_boxes, texts_in_boxes], ids=["pdfminer", "pdfium"])
def test_both_readings_agree_on_every_cell_of_every_text_pdf(reader):
    """Each second reading is a reader in its own right: on every text-layer
    PDF we hold it reads every cell with a box as the table reader does."""
    compared = 0
    for path in _pdfs():
        try:
            rep = open_report(path).report
        except Exception:                  # the comparison printout and damaged fixtures are refused
            continue
        if rep.source.format != "pdf":
            continue
        keys = [k for k, c in rep.cells.items() if c.page and c.bbox and c.status in ("ok", "blank", "placeholder")]
        second = reader(open(path, "rb").read(), {k: (rep.cells[k].page, rep.cells[k].bbox) for k in keys})
        wrong = {k: (rep.cells[k].raw, second.get(k)) for k in keys
                 if (parse_value(second.get(k)).value, parse_value(second.get(k)).status)
                 != (rep.cells[k].value, rep.cells[k].status)}
        assert wrong == {}, path
        compared += len(keys)
    assert compared > 2000


def test_a_real_error_is_confirmed_not_flagged():
    """Hongze 2023's 表四 sums are wrong in the PDF itself (SOURCES.md): both
    readings agree, so the errors stand and no F-READ is added."""
    checked = check_path(str(require(HONGZE_23)))
    assert [f.rule for f in checked.findings if f.rule == "T4-SUM"] == ["T4-SUM", "T4-SUM"]
    assert not any(f.rule == "F-READ" for f in checked.findings)


@pytest.fixture
def misread(monkeypatch):
    """The table finder misreads the cell the break rests on (as a reader bug
    would): printed 45, read as 54."""
    real = session.reconstruct

    def wrong(doc):
        rep = real(doc)
        assert rep.cells[KEY].raw == "45"
        rep.cells[KEY] = dataclasses.replace(rep.cells[KEY], value=54, raw="54")
        return rep
    monkeypatch.setattr(session, "reconstruct", wrong)


def test_a_misread_cell_is_a_reading_finding_not_the_reports_error(misread):
    checked = check_path(str(require(FX)))
    errors = [f for f in checked.findings if f.severity == "error"]
    assert errors and {f.suspect for f in errors} == {KEY}          # the rules blame the cell …
    reads = [f for f in checked.findings if f.rule == "F-READ"]
    assert len(reads) == 1                                          # … the second reading says why
    f = reads[0]
    assert f.cells == [KEY] and f.suspect is None and f.suggested is None and f.severity == "warning"
    assert f.detail == {"first": "54", "second": "45"}
    assert "两种读法不一致" in f.message and "表格识别读作 54，文字层读作 45" in f.message


def test_the_review_shows_it_too_and_keeps_it_through_edits(misread, tmp_path):
    res = open_for_review(str(require(FX)), store=ReviewStore(tmp_path / "reviews"))
    rv = res.review
    assert [f.cells for f in rv.findings() if f.rule == "F-READ"] == [[KEY]]
    suggested = next(f.suggested for f in rv.findings() if f.suspect == KEY)
    rv.set_cell(KEY, suggested)
    assert [f.cells for f in rv.findings() if f.rule == "F-READ"] == [[KEY]]
    assert not [f for f in rv.findings() if f.severity == "error"]


def test_a_changed_file_gets_no_second_opinion(misread, tmp_path):
    """The second reading reads the file that was read, or says nothing."""
    from gxaudit.core.reread import reading_findings
    from gxaudit.core.rules import check
    copy = tmp_path / "fx.pdf"
    copy.write_bytes(FX.read_bytes())
    rep = open_report(str(copy)).report
    findings = check(rep)
    assert reading_findings(rep, findings)
    copy.write_bytes(FX.read_bytes() + b"\n% changed\n")
    assert reading_findings(rep, findings) == []


def test_the_reading_finding_is_read_right_after_the_errors(misread):
    """F-READ qualifies the errors: it comes first among the warnings, in
    gxaudit check as in the review."""
    findings = check_path(str(require(FX))).findings
    sev = [f.severity for f in findings]
    first_warning = sev.index("warning")
    assert all(s == "error" for s in sev[:first_warning])
    assert findings[first_warning].rule == "F-READ"
