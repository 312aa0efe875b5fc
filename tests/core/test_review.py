"""The review model: edits re-run the rules, decisions need reasons, the log is
append-only, and the review file survives a killed process."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gxaudit.core import load_report
from gxaudit.core.review import (ACCEPTED, CORRECTED, OPEN, OVERRIDDEN, Review, ReviewStore)
from tests.conftest import ROOT, SEED_000, require

KEY = "t3.total_processed.total"


@pytest.fixture
def store(tmp_path):
    return ReviewStore(tmp_path / "reviews")


@pytest.fixture
def seed_review(store):
    return store.open(load_report(str(require(SEED_000)))).review


def error_rules(review):
    return sorted(f.rule for f in review.findings() if f.severity == "error")


def test_edit_clears_and_revert_restores(seed_review):
    rv = seed_review
    assert error_rules(rv) == ["T3-BAL", "T3-LEAF", "T3-ROW"]
    rv.set_cell(KEY, 3)
    assert error_rules(rv) == []
    cell = rv.report.cells[KEY]
    assert (cell.status, cell.value, cell.original, cell.raw) == ("edited", 3, 0, "0")
    assert rv.base.cells[KEY].value == 0          # the source reading is kept
    states = {s.finding.rule: s.status for s in rv.finding_states() if s.finding.severity == "error"}
    assert states == {"T3-ROW": CORRECTED, "T3-BAL": CORRECTED, "T3-LEAF": CORRECTED}
    rv.set_cell(KEY, None)
    assert error_rules(rv) == ["T3-BAL", "T3-LEAF", "T3-ROW"]
    assert [e.action for e in rv.log] == ["open", "edit", "revert"]


def test_decisions_need_a_reason(seed_review):
    fid = next(f.id for f in seed_review.findings() if f.rule == "F-FEE")
    with pytest.raises(ValueError):
        seed_review.decide(fid, ACCEPTED, "  ")
    seed_review.decide(fid, OVERRIDDEN, "收费情况在单独公告中说明")
    st = next(s for s in seed_review.finding_states() if s.finding.id == fid)
    assert st.status == OVERRIDDEN and st.decision.reason == "收费情况在单独公告中说明"
    assert seed_review.open_count() == 3
    seed_review.reopen(fid)
    assert seed_review.open_count() == 4
    assert [e.action for e in seed_review.log][-2:] == ["override", "reopen"]


def test_review_is_saved_and_restored(store, seed_review):
    seed_review.set_cell(KEY, 3)
    fid = next(f.id for f in seed_review.findings() if f.rule == "F-FEE")
    seed_review.decide(fid, ACCEPTED, "确未说明")
    seed_review.set_note(KEY, "与原件核对")
    store.save(seed_review)             # saving is the store's job, at once
    again = store.open(load_report(str(SEED_000)))
    assert again.restored
    rv = again.review
    assert rv.edits == {KEY: 3}
    assert rv.decisions[fid].status == ACCEPTED
    assert rv.notes[KEY] == "与原件核对"
    assert [e.action for e in rv.log] == ["open", "edit", "accept", "note"]
    assert error_rules(rv) == []


def test_changed_source_is_told(store, tmp_path):
    src = tmp_path / "report.txt"
    src.write_bytes(require(SEED_000).read_bytes())
    first = store.open(load_report(str(src)))
    first.review.set_cell(KEY, 3)
    src.write_text(SEED_000.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    second = store.open(load_report(str(src)))
    assert not second.restored
    assert second.source_changed and second.previous_review == first.review.path


def test_damaged_review_file_is_set_aside(store):
    report = load_report(str(require(SEED_000)))
    path = store.path_for(report.source.sha256)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    res = store.open(report)
    assert not res.restored and res.notes
    assert list(path.parent.glob("*.damaged-*.json"))


KILL_SCRIPT = r"""
import os, signal, sys
from gxaudit.core import load_report
from gxaudit.core.review import ReviewStore
store = ReviewStore(sys.argv[2])
rv = store.open(load_report(sys.argv[1])).review
rv.set_cell("t3.total_processed.total", 3)
store.save(rv)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_process_loses_nothing(tmp_path):
    root = tmp_path / "reviews"
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(require(SEED_000)), str(root)],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == -9
    res = ReviewStore(root).open(load_report(str(SEED_000)))
    assert res.restored and res.review.edits == {KEY: 3}
    assert not list(root.glob("*.tmp"))
    json.loads(res.review.path.read_text(encoding="utf-8"))
    assert os.path.getsize(res.review.path) > 0


def test_review_without_path_never_writes(tmp_path):
    rv = Review(load_report(str(require(SEED_000))))
    rv.set_cell(KEY, 3)
    assert rv.path is None and error_rules(rv) == []
    assert OPEN in {s.status for s in rv.finding_states()}


def test_mutators_return_what_changed(store, seed_review):
    rv = seed_review
    ch = rv.set_cell(KEY, 3)
    assert ch.keys == frozenset({KEY}) and ch.findings_changed and not ch.decisions
    assert rv.set_cell(KEY, 3).empty                 # the same value again: nothing changed
    fid = next(f.id for f in rv.findings() if f.rule == "F-FEE")
    ch = rv.decide(fid, ACCEPTED, "确未说明")
    assert ch.decisions == frozenset({fid}) and not ch.findings_changed and not ch.keys
    assert rv.reopen(fid).decisions == frozenset({fid})
    assert rv.reopen(fid).empty                      # nothing left to reopen
    assert rv.set_note(KEY, "核对").notes == frozenset({KEY})
    ch = rv.set_prior(None, "declined")
    assert ch.prior and ch.findings_changed


def test_mutators_do_not_save_the_store_does(store, seed_review):
    before = seed_review.path.read_bytes()
    seed_review.set_cell(KEY, 3)
    assert seed_review.path.read_bytes() == before
    store.save(seed_review)
    assert json.loads(seed_review.path.read_text(encoding="utf-8"))["edits"] == {KEY: 3}


def test_snapshot_is_frozen_while_the_review_changes(seed_review):
    snap = seed_review.snapshot()
    open_before = snap.open_count()
    seed_review.set_cell(KEY, 3)
    fid = next(f.id for f in seed_review.findings() if f.rule == "F-FEE")
    seed_review.decide(fid, ACCEPTED, "确未说明")
    assert snap.edits == {} and snap.decisions == {} and snap.open_count() == open_before
    assert snap.report.cells[KEY].value == 0
    assert sorted(f.rule for f in snap.findings() if f.severity == "error") == ["T3-BAL", "T3-LEAF", "T3-ROW"]
    assert seed_review.snapshot().edits == {KEY: 3}
    assert snap.to_json()["edits"] == {} and snap.snapshot() is snap
