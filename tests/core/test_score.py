"""The score sheet: the rubric (data) applied to real findings and the
auditor's decisions; recomputed when findings change."""
from __future__ import annotations

import pytest

from gxaudit.core import load_report
from gxaudit.core.review import OVERRIDDEN, Review
from gxaudit.core.rules import check
from gxaudit.core.score import (RubricError, find_rubric, load_rubric, ranks, rubric_from_dict,
                                score_report)
from tests.conftest import FIXTURES, require


@pytest.fixture
def fx():
    report = load_report(str(require(FIXTURES / "fx2021.pdf")))
    return report, check(report)


def test_default_rubric_groups_as_evaluators_do():
    r = load_rubric()
    assert [c.name for c in r.criteria] == ["按时发布", "格式规范", "数据准确", "内容完整", "不雷同"]
    assert r.total == 100
    assert r.criterion_of("T3-ROW").name == "数据准确"          # prefix T3-
    assert r.criterion_of("Y-CARRY").name == "数据准确"
    assert r.criterion_of("D-DEADLINE").name == "按时发布"      # full id beats the D- prefix
    assert r.criterion_of("D-YEAR").name == "格式规范"
    assert r.criterion_of("F-FEE").name == "内容完整"
    assert r.criterion_of("S-PARTS").name == "内容完整"
    assert r.criterion_of("C-COPY").name == "不雷同"


def test_every_deduction_names_its_finding_and_evidence(fx):
    report, findings = fx
    rubric = load_rubric()
    s = score_report(rubric, findings, report)
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 3
    acc = [d for d in s.deductions if d.criterion == "数据准确"]
    assert sorted(d.finding_id for d in acc) == sorted(f.id for f in errors)
    # the suspect cell, labelled, with its page in the PDF
    assert all("第" in d.evidence and "页" in d.evidence for d in acc)
    assert s.criteria["数据准确"] == 40 - 3 * 5
    blanks = [f for f in findings if f.rule in ("F-BLANK", "F-PLACEHOLDER")]
    assert s.criteria["格式规范"] == 20 - len(blanks) * 1
    assert s.total == sum(s.criteria.values())
    assert "T3-ROW" in s.reasons()


def test_override_removes_its_deduction_and_keeps_the_reason(fx):
    report, _ = fx
    rubric = load_rubric()
    rv = Review(report)
    before = score_report(rubric, rv.findings(), rv.report, rv.decisions)
    target = next(f for f in rv.findings() if f.rule == "T3-ROW")
    rv.decide(target.id, OVERRIDDEN, "原文附注说明该行含跨年申请")
    after = score_report(rubric, rv.findings(), rv.report, rv.decisions)
    assert after.total == before.total + 5
    d = next(d for d in after.deductions if d.finding_id == target.id)
    assert d.waived and d.reason == "原文附注说明该行含跨年申请"
    assert target.rule not in after.reasons()


def test_score_recomputed_when_findings_change(fx):
    report, findings = fx
    rubric = load_rubric()
    rv = Review(report)
    suspect = next(f for f in findings if f.suspect)
    before = score_report(rubric, rv.findings(), rv.report).criteria["数据准确"]
    rv.set_cell(suspect.suspect, suspect.suggested, "采用建议值")
    after = score_report(rubric, rv.findings(), rv.report).criteria["数据准确"]
    assert before == 25 and after == 40


def test_rubric_kept_beside_the_season_and_bad_rubrics(tmp_path):
    (tmp_path / "rubric.toml").write_text(
        'name = "本市细则"\n[[criterion]]\nname = "数据准确"\nweight = 60\nrules = ["T3-"]\n'
        'deduct = { error = 30 }\n', encoding="utf-8")
    assert find_rubric([str(tmp_path)]) == tmp_path / "rubric.toml"
    r = load_rubric(find_rubric([str(tmp_path)]))
    assert r.name == "本市细则" and r.total == 60
    (tmp_path / "bad.toml").write_text("name = [", encoding="utf-8")
    with pytest.raises(RubricError):
        load_rubric(tmp_path / "bad.toml")
    with pytest.raises(RubricError):
        rubric_from_dict({"criterion": [{"name": "x"}]})


def test_ranks_share_equal_scores():
    assert ranks([90, 95, 90, 70]) == [2, 1, 2, 4]
