"""Blank cells grouped by column or row, and identities blanks leave open (issue 13, item 4)."""
from __future__ import annotations

from gxaudit.core import check_file
from gxaudit.core.model import Cell
from gxaudit.core.rules import check
from tests.conftest import FIXTURES, require

LEAVES = ["granted", "partly_granted", "withheld_third_party", "withheld_process_info",
          "unavailable_not_held", "unavailable_needs_creation", "declined_duplicate", "other_misc"]


def _blank(report, key):
    report.cells[key] = Cell(key, None, "", "blank")


def test_fixture_blanks_stay_one_finding_per_row():
    report, findings = check_file(str(require(FIXTURES / "fx2021.docx")))
    blank = [f for f in findings if f.rule == "F-BLANK"]
    assert sorted(tuple(f.cells) for f in blank) == sorted([
        tuple(f"t3.declined_complaint.{c}" for c in
              ("commercial", "research", "social_welfare", "legal_service", "other_org")),
        tuple(f"t3.declined_publication.{c}" for c in
              ("commercial", "research", "social_welfare", "legal_service", "other_org")),
        tuple(f"t4.suit_after_review.{c}" for c in ("upheld", "corrected", "other", "pending", "total")),
        ("t2.coercion.decisions",)])
    # Table 四's blank row adds up with blanks as 0 (0 = 0): nothing to say.
    assert not [f for f in findings if f.rule == "F-BLANK-SUM"]


def test_a_blank_column_is_one_finding_and_its_total_is_shown_with_blanks_as_zero():
    report, _ = check_file(str(require(FIXTURES / "fx2021.docx")))
    # The natural-person results left blank, while the column's （七）总计 is filled.
    for row in LEAVES:
        _blank(report, f"t3.{row}.natural_person")
    findings = check(report)
    col = [f for f in findings if f.rule == "F-BLANK" and "t3.granted.natural_person" in f.cells]
    assert len(col) == 1
    assert sorted(col[0].cells) == sorted(f"t3.{r}.natural_person" for r in LEAVES)
    assert "“自然人”栏：8 行空白" in col[0].message
    # No blank is filled in, no error is made of the blanks ...
    assert all(report.cells[f"t3.{r}.natural_person"].value is None for r in LEAVES)
    assert not [f for f in findings if f.severity == "error" and
                any(k in f.cells for k in col[0].cells)]
    # ... but the identity they leave open says what it gives with blanks as 0.
    leaf = [f for f in findings if f.rule == "F-BLANK-SUM" and f.detail["rule"] == "T3-LEAF"
            and "t3.total_processed.natural_person" in f.cells]
    assert len(leaf) == 1 and leaf[0].severity == "warning" and leaf[0].suspect is None
    # The leaves left are all 0; （七）总计 typed 38.
    assert (leaf[0].expected, leaf[0].actual) == (0, 38)
    assert leaf[0].message.startswith("如空白按 0 计：自然人栏：各项办理结果之和为 0，（七）总计填 38")


def test_a_single_blank_keeps_its_suggested_value():
    report, _ = check_file(str(require(FIXTURES / "fx2021.docx")))
    report.cells["t3.total_processed.total"] = Cell("t3.total_processed.total", 44, "44", "ok")  # no break
    _blank(report, "t3.granted.commercial")
    findings = check(report)
    blank = [f for f in findings if f.rule == "F-BLANK" and f.cells == ["t3.granted.commercial"]]
    assert len(blank) == 1 and blank[0].suggested == 2
    # Its row's identity has that one blank only: pinned down, no F-BLANK-SUM for it;
    # its column's has two more (the fixture's blank 不予处理 rows): shown with blanks as 0.
    sums = {(f.detail["rule"], f.expected, f.actual) for f in findings if f.rule == "F-BLANK-SUM"}
    assert ("T3-ROW", 21, 23) not in sums and ("T3-LEAF", 1, 3) in sums
    # A column with a third blank beside two fully blank rows: those stay row findings.
    _blank(report, "t3.unavailable_not_held.commercial")
    _blank(report, "t3.withheld_third_party.commercial")
    findings = check(report)
    col = [f for f in findings if f.rule == "F-BLANK" and "“商业企业”栏" in f.message]
    assert len(col) == 1 and sorted(col[0].cells) == sorted(
        f"t3.{r}.commercial" for r in ("granted", "unavailable_not_held", "withheld_third_party"))
    rows = [f for f in findings if f.rule == "F-BLANK" and "declined_complaint" in f.cells[0]]
    assert len(rows) == 1 and len(rows[0].cells) == 5
