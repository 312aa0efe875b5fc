"""Property tests of the identity engine and the suspect reasoning."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxaudit.core import formats
from gxaudit.core.model import Cell, Report, SourceInfo
from gxaudit.core.rules import check

COUNTS = st.integers(min_value=0, max_value=400)


@st.composite
def consistent_report(draw):
    fmt = draw(st.sampled_from(formats.FORMATS))
    lay = formats.layouts_for(fmt)
    t3 = lay.of("t3")
    parts = formats.T3_PART_COLUMNS
    values: dict[str, int] = {}
    leaves = t3.leaves
    for c in parts:
        leaf_vals = {r: draw(COUNTS) for r in leaves}
        carried_forward = draw(COUNTS)
        processed = sum(leaf_vals.values())
        carried_over = draw(st.integers(0, processed + carried_forward))
        new = processed + carried_forward - carried_over
        for r, v in leaf_vals.items():
            values[f"t3.{r}.{c}"] = v
        values[f"t3.total_processed.{c}"] = processed
        values[f"t3.carried_forward.{c}"] = carried_forward
        values[f"t3.carried_over.{c}"] = carried_over
        values[f"t3.new_received.{c}"] = new
    for r in t3.rows:
        values[f"t3.{r.key}.total"] = sum(values[f"t3.{r.key}.{c}"] for c in parts)
    for g in lay.of("t4").rows:
        part_vals = [draw(COUNTS) for _ in formats.T4_PART_COLUMNS]
        for c, v in zip(formats.T4_PART_COLUMNS, part_vals):
            values[f"t4.{g.key}.{c}"] = v
        values[f"t4.{g.key}.total"] = sum(part_vals)
    for k in lay.of("t2").cell_keys():
        values[k] = draw(COUNTS)
    # 2021 table 二: keep T2-VALID satisfied (现行有效 + 废止 >= 制发).
    if fmt == formats.FORMAT_2021:
        for row in ("regulations", "normative_documents"):
            values[f"t2.{row}.in_force"] = values[f"t2.{row}.issued"] + draw(COUNTS)
    else:
        for row in ("regulations", "normative_documents"):
            values[f"t2.{row}.total_published"] = values[f"t2.{row}.new_published"] + draw(COUNTS)
    year = 2022 if fmt == formats.FORMAT_2021 else 2020
    report = Report(source=SourceInfo("synthetic", "text"), agency="测试局", year=year,
                    template=fmt, layouts=lay,
                    cells={k: Cell(k, values[k], str(values[k]), "ok") for k in lay.cell_keys()},
                    sections={"s6": "本年度未收取信息处理费。"})
    return report


def errors_of(report):
    return [f for f in check(report) if f.severity == "error"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_report())
def test_consistent_tables_give_no_error(report):
    assert errors_of(report) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_report(), st.data())
def test_one_changed_cell_is_caught_and_never_misnamed(report, data):
    keys = [k for k in report.cells if k.startswith(("t3.", "t4."))]
    key = data.draw(st.sampled_from(keys))
    original = report.cells[key].value
    new = data.draw(st.integers(0, 1000).filter(lambda v: v != original))
    report.cells[key].value = new
    report.cells[key].raw = str(new)
    errors = errors_of(report)
    assert any(key in f.cells for f in errors), (key, original, new)
    for f in errors:
        if f.suspect is not None:
            assert f.suspect == key
            assert f.suggested == original


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_report(), st.data())
def test_changed_table3_cell_is_named(report, data):
    """In table 三 every cell lies on a unique set of identities, so one wrong
    cell is always pinned down with its original value."""
    keys = [k for k in report.cells if k.startswith("t3.")]
    key = data.draw(st.sampled_from(keys))
    original = report.cells[key].value
    report.cells[key].value = original + data.draw(st.integers(1, 50))
    errors = errors_of(report)
    assert errors and {f.suspect for f in errors} == {key}
    assert {f.suggested for f in errors} == {original}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_report(), st.data())
def test_blank_cell_is_a_warning_not_an_error(report, data):
    key = data.draw(st.sampled_from([k for k in report.cells if k.startswith(("t3.", "t4."))]))
    original = report.cells[key].value
    report.cells[key].value = None
    report.cells[key].raw = ""
    report.cells[key].status = "blank"
    findings = check(report)
    assert not [f for f in findings if f.severity == "error"]
    blank = [f for f in findings if f.rule == "F-BLANK"]
    assert len(blank) == 1 and blank[0].cells == [key]
    # The identities pin a single blank cell down: its value is suggested, not filled in.
    assert blank[0].suggested == original
    assert report.cells[key].value is None


def zero_report(fmt=formats.FORMAT_2021):
    lay = formats.layouts_for(fmt)
    return Report(source=SourceInfo("synthetic", "text"), agency="测试局", year=2022,
                  template=fmt, layouts=lay,
                  cells={k: Cell(k, 0, "0", "ok") for k in lay.cell_keys()},
                  sections={"s6": "本年度未收取信息处理费。"})


def test_zero_report_is_clean():
    assert check(zero_report()) == []


def test_blank_does_not_hide_a_real_break():
    report = zero_report()
    row = "t3.new_received"
    report.cells[f"{row}.natural_person"].value = 5
    report.cells[f"{row}.total"].value = 2
    report.cells[f"{row}.commercial"].value = None
    report.cells[f"{row}.commercial"].status = "blank"
    # The parts already exceed the total; a blank part can only add to them.
    errors = [f for f in check(report) if f.rule == "T3-ROW" and f.severity == "error"]
    assert len(errors) == 1 and f"{row}.total" in errors[0].cells
    assert (errors[0].expected, errors[0].actual) == (5, 2)


def test_two_independent_errors_are_not_blamed_on_one_cell():
    report = zero_report()
    report.cells["t4.review.total"].value = 1
    report.cells["t4.suit_after_review.upheld"].value = 2
    errors = errors_of(report)
    assert [f.rule for f in errors] == ["T4-SUM", "T4-SUM"]
    assert [f.cells[-1] for f in errors] == ["t4.review.total", "t4.suit_after_review.total"]
    # A table-四 row identity alone cannot tell which of its five cells is wrong.
    assert all(f.suspect is None for f in errors)


def test_negative_count_is_an_error():
    report = zero_report()
    report.cells["t4.review.upheld"].value = -1
    report.cells["t4.review.corrected"].value = 1   # the row still adds up to 0
    errors = errors_of(report)
    assert [(f.rule, f.cells) for f in errors] == [("T4-NN", ["t4.review.upheld"])]
