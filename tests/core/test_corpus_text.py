"""The text and Markdown extractions in shared/corpus/real: figures of SOURCES.md."""
from __future__ import annotations

import pytest

from gxaudit.core import check_file
from tests.conftest import CORPUS, require

T3 = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org",
      "total"]
T4 = ["upheld", "corrected", "other", "pending", "total"]


def row(report, prefix, cols):
    return [report.cells[f"{prefix}.{c}"].value for c in cols]


@pytest.fixture(scope="module")
def shuyang():
    return check_file(str(require(CORPUS / "jiangsu_suqian_shuyang-county-gov_2025_annual-report_ocr-markdown.txt")))


@pytest.fixture(scope="module")
def shanghai():
    return check_file(str(require(CORPUS / "shanghai_municipal-govt-general-office_2025_annual-report_pdf-text-markdown.md")))


@pytest.fixture(scope="module")
def stcsm():
    return check_file(str(require(CORPUS / "shanghai_stcsm-science-tech-commission_2024_annual-report_pdf-text-markdown.md")))


def test_shuyang(shuyang):
    report, findings = shuyang
    assert (report.year, report.template, report.published) == (2025, "2021", "2026-01-23")
    assert report.agency == "沐阳县人民政府"   # the OCR's spelling, kept as read
    assert row(report, "t3.new_received", T3) == [705, 3, 0, 0, 5, 0, 713]
    assert row(report, "t3.carried_over", T3)[-1] == 36
    assert row(report, "t3.total_processed", T3) == [710, 3, 0, 0, 5, 0, 718]
    assert row(report, "t3.carried_forward", T3) == [31, 0, 0, 0, 0, 0, 31]
    assert row(report, "t4.review", T4) == [27, 10, 9, 15, 61]
    assert row(report, "t4.suit_direct", T4) == [3, 0, 0, 0, 3]
    assert row(report, "t4.suit_after_review", T4) == [8, 0, 1, 1, 10]
    assert report.cells["t2.fees.amount"].value == 4068.208
    assert row(report, "t2.normative_documents", ["issued", "repealed", "in_force"]) == [6, 1, 32]
    assert all(c.status == "ok" for c in report.cells.values())
    # Table 三 drops 7 requests for non-payment of a 收费通知, but part 六 only
    # reports the fee collected (380元), not the notices sent (domain.md §5.5).
    assert [(f.rule, f.evidence["section"], f.evidence["line"]) for f in findings] == [("S-FEE", "六", 186)]
    assert "收取信息处理费共计380元" in findings[0].evidence["text"]


def test_shanghai_office(shanghai):
    report, findings = shanghai
    assert (report.agency, report.year, report.template) == ("上海市人民政府办公厅", 2025, "2021")
    assert row(report, "t3.new_received", T3)[-1] == 1295
    assert row(report, "t3.carried_over", T3)[-1] == 189
    assert row(report, "t3.total_processed", T3)[-1] == 1191
    assert row(report, "t3.carried_forward", T3)[-1] == 293
    assert row(report, "t4.review", T4) == [40, 0, 10, 5, 55]
    assert row(report, "t4.suit_direct", T4) == [2, 0, 4, 6, 12]
    assert row(report, "t4.suit_after_review", T4) == [6, 0, 9, 7, 22]
    # The converter broke rows apart: those cells are unreadable, never guessed.
    for key in ("t3.declined_reconfirm.total", "t3.other_no_correction.total",
                "t2.regulations.issued"):
        assert report.cells[key].status == "unreadable" and report.cells[key].value is None
    assert not [f for f in findings if f.severity == "error"]


def test_stcsm(stcsm):
    report, findings = stcsm
    assert (report.year, report.template) == (2024, "2021")
    assert row(report, "t3.new_received", T3) == [32, 2, 0, 0, 0, 0, 34]
    assert row(report, "t3.carried_over", T3) == [2, 0, 0, 0, 0, 0, 2]
    assert row(report, "t3.total_processed", T3) == [33, 2, 0, 0, 0, 0, 35]
    # The 结转 total is empty in the extraction: blank, flagged, with the value the identities imply.
    cf_total = report.cells["t3.carried_forward.total"]
    assert cf_total.status == "blank" and cf_total.value is None
    blank = [f for f in findings if f.rule == "F-BLANK"]
    assert [(f.cells, f.suggested) for f in blank] == [(["t3.carried_forward.total"], 1)]
    assert row(report, "t4.review", T4) == [1, 0, 0, 0, 1]
    assert not [f for f in findings if f.severity == "error"]


def test_huaian_text_layer_excerpt():
    """An excerpt cut from a report: no 二 heading, table 三 cut off mid-way."""
    report, findings = check_file(str(require(CORPUS / "jiangsu_huaian-city-gov_2024_section3_text-layer-excerpt.txt")))
    assert report.template == "2021"                      # from table 二's column headers
    assert report.cells["t2.punishment.decisions"].value == 3985758
    assert report.cells["t2.coercion.decisions"].value == 88283
    assert report.cells["t2.fees.amount"].value == 96171.6
    assert row(report, "t3.new_received", T3) == [3001, 53, 0, 0, 61, 4, 3119]
    assert row(report, "t3.carried_over", T3) == [34, 0, 0, 0, 0, 0, 34]
    assert row(report, "t3.partly_granted", T3) == [447, 7, 0, 0, 0, 0, 454]   # label broken over lines
    assert row(report, "t3.unavailable_not_held", T3) == [746, 12, 0, 0, 10, 1, 769]
    # The rows the excerpt does not hold are unreadable and reported, never 0.
    assert report.cells["t3.total_processed.total"].status == "unreadable"
    assert "t3.total_processed" in report.missing_rows
    assert not [f for f in findings if f.severity == "error"]
    assert {f.rule for f in findings} == {"F-ROWSET", "D-YEAR"}
