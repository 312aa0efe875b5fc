"""The workspace's Qt-free view models (core/viewmodels.py, core/explain.py)
on real reports: seed 000 and the Hongze 2023/2024 pair."""
from __future__ import annotations

import copy
import datetime as _dt

from gxaudit.core import load_report
from gxaudit.core.explain import candidate_cells, explain
from gxaudit.core.model import Cell
from gxaudit.core.review import LogEntry, Review
from gxaudit.core.rules import check
from gxaudit.core.viewmodels import (describe, edit_rows, local_time, log_rows, prior_candidates, prior_keys,
                                     prior_rows, prior_summary, suggestion_reason, table_wide)
from tests.conftest import CORPUS, SEED_000, require

HONGZE_2023 = CORPUS / "jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf"
HONGZE_2024 = CORPUS / "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf"


def with_values(report, **values):
    rep = copy.copy(report)
    rep.cells = dict(report.cells)
    for key, v in values.items():
        key = key.replace("__", ".")
        rep.cells[key] = Cell(key, v, str(v), "ok")
    return rep


def test_suspect_less_t4_break_names_the_cells_that_could_explain_it():
    rep = load_report(str(require(SEED_000)))
    # 行政复议: 0 + 0 + 0 + 12 parts against a total of 10: only 尚未审结 or 总计
    # can each make the row add up (the other parts would have to go negative).
    rep = with_values(rep, t4__review__upheld=0, t4__review__corrected=0, t4__review__other=0,
                      t4__review__pending=12, t4__review__total=10)
    f = next(f for f in check(rep) if f.rule == "T4-SUM" and f.cells[0].startswith("t4.review"))
    assert f.suspect is None
    assert candidate_cells(rep, f) == ["t4.review.pending", "t4.review.total"]
    assert explain(rep, f) == "尚未审结 或 总计 之一有误，无法判断是哪一个"


def test_explain_is_silent_for_a_finding_with_a_suspect_or_no_identity():
    rep = load_report(str(require(SEED_000)))
    findings = check(rep)
    row = next(f for f in findings if f.rule == "T3-ROW")
    assert row.suspect == "t3.total_processed.total" and explain(rep, row) is None
    fee = next(f for f in findings if f.rule == "F-FEE")
    assert explain(rep, fee) is None and candidate_cells(rep, fee) is None


def test_a_break_no_single_cell_explains_says_so():
    rep = load_report(str(require(SEED_000)))
    # Two cells wrong on one row of table 三 and the columns broken too: every
    # single cell would leave some identity failing.
    rep = with_values(rep, t3__new_received__natural_person=rep.value("t3.new_received.natural_person") + 5,
                      t3__new_received__other=(rep.value("t3.new_received.other") or 0) + 7)
    fs = [f for f in check(rep) if f.rule == "T3-ROW" and "new_received" in f.cells[0]]
    assert fs and fs[0].suspect is None
    assert candidate_cells(rep, fs[0]) == []
    assert "不止一处" in explain(rep, fs[0])


def test_table_wide_findings():
    rep = load_report(str(require(SEED_000)))
    keys = [k for k in rep.cells if k.startswith("t2.")]
    from gxaudit.core.model import Finding
    assert table_wide(Finding("F-TEMPLATE", "error", keys, "旧版"), rep) == "t2"
    assert table_wide(Finding("F-ROWSET", "warning", keys[:3], "缺行"), rep) is None
    row = next(f for f in check(rep) if f.rule == "T3-ROW")
    assert table_wide(row, rep) is None


def test_log_rows_use_labels_and_local_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import time
    time.tzset()
    try:
        e = LogEntry("2026-12-03T07:00:00+00:00", "张三", "edit", "t3.total_processed.total", 0, 3,
                     "采用建议值：T3-ROW 表三行合计")
        assert local_time(e.at) == "2026-12-03 15:00:00"
        assert describe(e) == "修改 表三（七）总计·总计：0 → 3（采用建议值：T3-ROW 表三行合计）"
        rows = log_rows([LogEntry("2026-12-03T07:00:00+00:00", "张三", "accept",
                                  "F-FEE:", reason="已核实"), e])
        assert rows[0].text.startswith("修改 表三（七）总计·总计")      # newest first
        assert rows[1].text == "确认问题 F-FEE 信息处理费（已核实）"
        assert "t3." not in rows[0].text
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_edit_rows_and_suggestion_reason(tmp_path):
    rep = load_report(str(require(SEED_000)))
    rv = Review(rep, "审核员甲", tmp_path / "r.json")
    row = next(f for f in rv.findings() if f.rule == "T3-ROW")
    rv.set_cell(row.suspect, row.suggested, suggestion_reason(row))
    [e] = edit_rows(rv)
    assert (e.label, e.original, e.value, e.who) == ("表三（七）总计·总计", "0", "3", "审核员甲")
    assert e.reason == "采用建议值：T3-ROW 表三行合计"
    assert _dt.datetime.strptime(e.when, "%Y-%m-%d %H:%M:%S")


def test_prior_rows_and_candidates(tmp_path):
    this = load_report(str(require(HONGZE_2024)))
    last = load_report(str(require(HONGZE_2023)))
    rows = prior_rows(this, last)
    assert len(rows) == 9 and {r.result for r in rows} == {"一致"}
    assert rows[0].label.startswith("上年结转衔接：表三")
    assert "t3.carried_over.natural_person" in prior_keys(this, last)
    assert "t4.review.total" not in prior_keys(this, last)
    broken = with_values(last, t3__carried_forward__natural_person=2)
    bad = [r for r in prior_rows(this, broken) if r.failing]
    assert len(bad) == 1 and bad[0].last_year == "2" and bad[0].result == "不一致"
    assert bad[0].target == "t3.carried_over.natural_person"
    assert prior_rows(this, None) == [] and "已选择不使用" in prior_summary(None, "declined")
    assert "2023年度" in prior_summary(last, "library")

    from gxaudit.core.history import Library
    lib = Library(tmp_path / "lib.sqlite3")
    lib.add(last)
    lib.add(this)
    cands = prior_candidates(this, lib.entries())
    assert [e.year for e in cands] == [2023]
    lib.close()
