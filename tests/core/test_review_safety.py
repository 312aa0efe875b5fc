"""Issue 11.2, 11.4, 11.5: a review is only set aside when the review file itself
is damaged; the index is a separate, harmless failure; stale temporaries of a
killed save are cleaned.  Real review files on disk."""
from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time

import pytest

from gxaudit.core import load_report
from gxaudit.core.model import ReportError
from gxaudit.core.review import ReviewDamaged, ReviewStore, ReviewTooNew
from tests.conftest import ROOT, SEED_000, require

KEY = "t3.total_processed.total"


@pytest.fixture
def store(tmp_path):
    return ReviewStore(tmp_path / "reviews")


@pytest.fixture
def report():
    return load_report(str(require(SEED_000)))


@pytest.fixture
def saved(store, report):
    """A healthy review with one edit, saved on disk; its bytes."""
    rv = store.open(report).review
    rv.set_cell(KEY, 3)
    store.save(rv)
    return rv.path, rv.path.read_bytes()


def damaged_files(store):
    return sorted(p.name for p in store.root.glob("*.damaged-*"))


@pytest.mark.parametrize("index", ["dir", "[]", "null", "\"text\"", "{\"a\": 1}", "{broken"])
def test_an_unusable_index_never_touches_the_review(store, report, saved, index):
    path, before = saved
    idx = store.root / "index.json"
    idx.unlink()
    if index == "dir":
        idx.mkdir()
    else:
        idx.write_text(index, encoding="utf-8")
    res = store.open(report)
    assert res.restored and res.review.edits == {KEY: 3}
    assert path.read_bytes() == before and damaged_files(store) == []
    if index == "dir":       # cannot be written: told, not hidden
        assert any("索引" in n for n in res.notes), res.notes
    else:                    # rewritten as a proper index
        assert json.loads(idx.read_text(encoding="utf-8")) == {os.path.abspath(report.source.path):
                                                                 report.source.sha256}


def test_a_full_disk_for_the_index_never_touches_the_review(store, report, saved, monkeypatch):
    import gxaudit.core.review as review_mod
    path, before = saved
    real = review_mod.atomic_write_json

    def full(target, data, *a, **k):
        if os.path.basename(target) == "index.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data, *a, **k)
    monkeypatch.setattr(review_mod, "atomic_write_json", full)
    res = store.open(report)
    assert res.restored and res.review.edits == {KEY: 3}
    assert path.read_bytes() == before and damaged_files(store) == []
    assert any("索引" in n for n in res.notes)


def _edit_json(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    data = change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


WRONG_SHAPES = {
    "null": lambda d: None,
    "list": lambda d: [d],
    "edit-abc": lambda d: {**d, "edits": {KEY: "abc"}},
    "edit-bool": lambda d: {**d, "edits": {KEY: True}},
    "edits-list": lambda d: {**d, "edits": [1, 2]},
    "cell-value": lambda d: {**d, "report": {**d["report"], "cells": {
        **d["report"]["cells"], KEY: {**d["report"]["cells"][KEY], "value": "七"}}}},
    "decision": lambda d: {**d, "decisions": {"F1": {"status": "maybe", "reason": 1}}},
    "log-entry": lambda d: {**d, "log": [42]},
    "no-report": lambda d: {k: v for k, v in d.items() if k != "report"},
    "layouts": lambda d: {**d, "report": {**d["report"], "layouts": {"t2": "1999"}}},
    "schema": lambda d: {**d, "schema": "1"},
}


@pytest.mark.parametrize("shape", sorted(WRONG_SHAPES))
def test_a_review_of_the_wrong_shape_is_set_aside_and_told(store, report, saved, shape):
    path, _ = saved
    _edit_json(path, WRONG_SHAPES[shape])
    with pytest.raises(ReviewDamaged):
        from gxaudit.core.review import Review
        Review.load(path)
    damaged = path.read_bytes()
    res = store.open(report)
    assert not res.restored and res.review.edits == {}
    aside = damaged_files(store)
    assert len(aside) == 1 and (store.root / aside[0]).read_bytes() == damaged
    assert any(str(store.root / aside[0]) in n for n in res.notes), res.notes
    assert store.open(report).restored            # the fresh review is valid


def test_a_review_from_a_newer_version_is_left_alone(store, report, saved):
    path, _ = saved
    _edit_json(path, lambda d: {**d, "schema": 99})
    before = path.read_bytes()
    with pytest.raises(ReviewTooNew) as exc:
        store.open(report)
    assert isinstance(exc.value, ReportError) and "更新版本" in str(exc.value)
    assert path.read_bytes() == before and damaged_files(store) == []


@pytest.mark.parametrize("shape", ["null", "list", "edit-abc", "cell-value"])
def test_export_of_a_wrong_shape_is_one_line_exit_2(store, saved, tmp_path, shape):
    path, _ = saved
    _edit_json(path, WRONG_SHAPES[shape])
    out = subprocess.run([sys.executable, "-m", "gxaudit", "export", str(path), "--xlsx",
                          str(tmp_path / "o.xlsx")], capture_output=True, text=True, encoding="utf-8",
                         cwd=ROOT, timeout=120)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "损坏" in lines[0] and "Traceback" not in out.stderr, out.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_export_of_a_damaged_review_in_the_store_sets_it_aside(tmp_path, report):
    from gxaudit.core.review import reviews_dir
    store = ReviewStore()                 # the data dir (conftest: this test's own)
    assert store.root == reviews_dir() == tmp_path / "data" / "reviews"
    rv = store.open(report).review
    _edit_json(rv.path, WRONG_SHAPES["edit-abc"])
    out = subprocess.run([sys.executable, "-m", "gxaudit", "export", str(rv.path), "--xlsx",
                          str(tmp_path / "o.xlsx")], capture_output=True, text=True, encoding="utf-8",
                         cwd=ROOT, timeout=120)
    assert out.returncode == 2
    aside = damaged_files(store)
    assert len(aside) == 1 and aside[0] in out.stderr and not rv.path.exists()


def test_stale_temporaries_of_the_review_are_cleaned(store, report, saved):
    path, before = saved
    root = store.root
    old = time.time() - 3600
    stale = [root / f"{path.name}.k1lled_x.tmp", root / f"{path.name}.ab12cd34.tmp"]
    fresh = root / f"{path.name}.zz99yy88.tmp"          # a save in progress elsewhere
    others = [root / f"{'0' * 64}.review.json.ab12cd34.tmp",   # another review's
              root / f"{path.name}.notes.tmp", root / "mine.tmp", root / f"{path.name}.ab12cd34.tmp.keep"]
    for p in stale + [fresh] + others:
        p.write_bytes(b"{partial")
        if p is not fresh:
            os.utime(p, (old, old))
    res = store.open(report)
    assert res.restored and path.read_bytes() == before
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and all(p.exists() for p in others)
