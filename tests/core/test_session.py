"""core.session: the one way to open and check a file (issue 12)."""
from __future__ import annotations

from gxaudit.core.review import ReviewStore
from gxaudit.core.rules import check
from gxaudit.core.session import check_path, open_for_review, open_report
from tests.conftest import FIXTURES, ROOT, SEED_000, require

WORKBOOK = ROOT / "tests" / "golden" / "inputs" / "reviewed_fx2021.xlsx"


def test_check_path_is_open_report_plus_check():
    """The batch's drop-in: same report and findings as reading then checking."""
    prior = open_report(str(require(FIXTURES / "fx2019.html"))).report
    checked = check_path(str(require(FIXTURES / "fx2021.html")), prior)
    opened = open_report(str(FIXTURES / "fx2021.html"))
    assert [f.to_json() for f in checked.findings] == [f.to_json() for f in check(opened.report, prior)]
    assert checked.prior.report is prior and not checked.is_workbook and checked.review is None


def test_a_workbook_is_a_review_file_in_check_path():
    checked = check_path(str(require(WORKBOOK)))
    assert checked.is_workbook and checked.report.source.format == "xlsx"
    assert checked.review.edits and checked.report.cells[next(iter(checked.review.edits))].status == "edited"


def test_the_gui_opens_an_exported_workbook_as_its_review(tmp_path):
    store = ReviewStore(tmp_path / "reviews")
    first = open_for_review(str(require(WORKBOOK)), store=store)
    rv = first.review
    assert not first.restored and rv.edits and rv.decisions
    assert rv.path == store.path_for(open_report(str(WORKBOOK)).report.source.sha256)
    assert rv.path.exists() and "gxaudit 审核工作簿" in first.text
    rv.set_note("", "继续审核")
    store.save(rv)
    again = open_for_review(str(WORKBOOK), store=store)
    assert again.restored and again.review.notes[""] == "继续审核"


def test_open_for_review_of_a_source_restores_what_was_saved(tmp_path):
    store = ReviewStore(tmp_path / "reviews")
    res = open_for_review(str(require(SEED_000)), store=store)
    assert not res.restored and res.text.startswith(SEED_000.read_text(encoding="utf-8")[:20])
    res.review.set_cell("t3.total_processed.total", 3)
    store.save(res.review)
    again = open_for_review(str(SEED_000), store=store)
    assert again.restored and again.review.edits == {"t3.total_processed.total": 3}


def test_the_review_shows_a_paragraph_copied_from_another_agency_as_check_does(tmp_path):
    """C-OTHER reaches the GUI's review as it reaches ``gxaudit check``, and
    stays through edits (no correction makes another agency's text go away)."""
    from gxaudit.core.history import Library
    from tests.core.test_narrative import SH_OFFICE, variant
    seed = require(SEED_000).read_text(encoding="utf-8").splitlines()
    para = seed[seed.index("五、存在的主要问题及改进情况") + 2]
    copied = variant(tmp_path, require(SH_OFFICE),
                     ("（二）2025 年工作中存在的主要问题", para + "\n\n（二）2025 年工作中存在的主要问题"))
    lib = Library(tmp_path / "library.sqlite")
    try:
        lib.add(open_report(str(copied)).report)
        checked = check_path(str(SEED_000), library=lib)
        res = open_for_review(str(SEED_000), store=ReviewStore(tmp_path / "reviews"), library=lib)
    finally:
        lib.close()
    expected = [f.to_json() for f in checked.findings if f.rule == "C-OTHER"]
    assert len(expected) == 1
    rv = res.review
    assert [f.to_json() for f in rv.findings() if f.rule == "C-OTHER"] == expected
    rv.set_cell("t3.total_processed.total", 3)
    rv.recheck()
    states = {s.finding.rule: s.status for s in rv.finding_states() if s.finding.rule == "C-OTHER"}
    assert states == {"C-OTHER": "open"}
