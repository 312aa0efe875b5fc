"""Both seed reports, cell by cell, and their exact findings."""
from __future__ import annotations

import pytest

from gxaudit.core import check_file
from tests.conftest import SEED_000, SEED_003, require

T3_COLS = ["natural_person", "commercial", "research", "social_welfare", "legal_service",
           "other_org", "total"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]


def values(report, prefix, cols):
    return [report.cells[f"{prefix}.{c}"].value for c in cols]


def statuses(report, prefix, cols):
    return [report.cells[f"{prefix}.{c}"].status for c in cols]


@pytest.fixture(scope="module")
def seed000():
    return check_file(str(require(SEED_000)))


@pytest.fixture(scope="module")
def seed003():
    return check_file(str(require(SEED_003)))


def test_seed000_metadata(seed000):
    report, _ = seed000
    assert report.agency == "台儿庄区人力资源和社会保障局"
    assert report.year == 2021
    assert report.template == "2021"
    assert report.published == "2022-01-24"
    assert report.layouts.as_dict() == {"t2": "2021", "t3": "2021", "t4": "2021"}


def test_seed000_table2(seed000):
    report, _ = seed000
    expect = {
        "t2.regulations.issued": 0, "t2.regulations.repealed": 0, "t2.regulations.in_force": 0,
        "t2.normative_documents.issued": 0, "t2.normative_documents.repealed": 0,
        "t2.normative_documents.in_force": 0,
        "t2.licensing.decisions": 0, "t2.punishment.decisions": 3, "t2.coercion.decisions": 0,
        "t2.fees.amount": 29.313,
    }
    assert {k: report.cells[k].value for k in expect} == expect
    fee = report.cells["t2.fees.amount"]
    assert (fee.raw, fee.unit, fee.status) == ("29.313万元", "万元", "ok")
    assert all(report.cells[k].status == "ok" for k in expect)
    assert sorted(k for k in report.cells if k.startswith("t2.")) == sorted(expect)


def test_seed000_table3(seed000):
    report, _ = seed000
    lay = report.layouts.of("t3")
    special = {
        "new_received": [3, 0, 0, 0, 0, 0, 3],
        "granted": [2, 0, 0, 0, 0, 0, 2],
        "unavailable_not_held": [1, 0, 0, 0, 0, 0, 1],
        "total_processed": [3, 0, 0, 0, 0, 0, 0],
    }
    assert len(lay.rows) == 25
    for row in lay.rows:
        assert values(report, f"t3.{row.key}", T3_COLS) == special.get(row.key, [0] * 7), row.key
        assert statuses(report, f"t3.{row.key}", T3_COLS) == ["ok"] * 7


def test_seed000_table4(seed000):
    report, _ = seed000
    for g in ("review", "suit_direct", "suit_after_review"):
        assert values(report, f"t4.{g}", T4_COLS) == [0] * 5


def test_seed000_findings(seed000):
    _, findings = seed000
    errors = [f for f in findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["T3-ROW", "T3-BAL", "T3-LEAF"]
    for f in errors:
        assert f.suspect == "t3.total_processed.total"
        assert f.suggested == 3
        assert "t3.total_processed.total" in f.cells
    row, bal, leaf = errors
    assert (row.expected, row.actual) == (3, 0)
    assert row.message == "（七）总计：各类申请人之和为 3，总计栏填 0"
    assert (bal.expected, bal.actual) == (3, 0)
    assert set(bal.cells) == {"t3.new_received.total", "t3.carried_over.total",
                              "t3.total_processed.total", "t3.carried_forward.total"}
    assert (leaf.expected, leaf.actual) == (3, 0)
    assert len(leaf.cells) == 22  # （七）总计 and the 21 leaf rows
    warnings = [f.rule for f in findings if f.severity != "error"]
    assert warnings == ["F-FEE"]


def test_seed003_metadata(seed003):
    report, _ = seed003
    assert report.year == 2021
    assert report.template == "2019"
    assert report.agency == "区人社局"
    assert report.layouts.as_dict() == {"t2": "2019", "t3": "2019", "t4": "2019"}


def test_seed003_table2(seed003):
    report, _ = seed003
    zero_rows = {"regulations": ("new_made", "new_published", "total_published"),
                 "normative_documents": ("new_made", "new_published", "total_published"),
                 "licensing": ("prior_items", "change", "decisions"),
                 "other_services": ("prior_items", "change", "decisions"),
                 "punishment": ("prior_items", "change", "decisions"),
                 "coercion": ("prior_items", "change", "decisions")}
    for row, cols in zero_rows.items():
        assert values(report, f"t2.{row}", cols) == [0, 0, 0], row
    # （八） prints three zeros under two headers; （九） lacks its amount: never guessed.
    for key in ("t2.fees.prior_items", "t2.fees.change", "t2.procurement.items",
                "t2.procurement.amount"):
        cell = report.cells[key]
        assert cell.status == "unreadable" and cell.value is None, key
    assert report.cells["t2.fees.prior_items"].raw == "0 0 0"


def test_seed003_table3(seed003):
    report, _ = seed003
    lay = report.layouts.of("t3")
    assert len(lay.rows) == 23
    assert "other" in [r.key for r in lay.rows]
    legible = {"new_received": [2, 0, 0, 0, 0, 0, 2], "partly_granted": [2, 0, 0, 0, 0, 0, 2],
               "total_processed": [2, 0, 0, 0, 0, 0, 2]}
    for row in lay.rows:
        if row.key in ("carried_over", "carried_forward"):
            assert statuses(report, f"t3.{row.key}", T3_COLS) == ["unreadable"] * 7, row.key
            assert values(report, f"t3.{row.key}", T3_COLS) == [None] * 7
        else:
            assert values(report, f"t3.{row.key}", T3_COLS) == legible.get(row.key, [0] * 7), row.key
    assert report.cells["t3.carried_over.total"].raw == "0 0 0 0 0"
    assert report.cells["t3.carried_forward.total"].raw == "0 0 0 0 0 0"


def test_seed003_table4(seed003):
    report, _ = seed003
    for g in ("review", "suit_direct", "suit_after_review"):
        assert values(report, f"t4.{g}", T4_COLS) == [0] * 5


def test_seed003_findings(seed003):
    _, findings = seed003
    errors = [f for f in findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["F-TEMPLATE"]
    assert "旧版" in errors[0].message
    unreadable = {tuple(f.cells) for f in findings if f.rule == "F-UNREADABLE"}
    assert unreadable == {
        ("t2.fees.prior_items", "t2.fees.change"),
        ("t2.procurement.items", "t2.procurement.amount"),
        tuple(f"t3.carried_over.{c}" for c in T3_COLS),
        tuple(f"t3.carried_forward.{c}" for c in T3_COLS),
    }
    # The unreadable rows do not produce identity errors: nothing is guessed.
    assert not [f for f in findings if f.rule.startswith("T3-")]
    assert {f.severity for f in findings if f.rule == "F-UNREADABLE"} == {"warning"}
