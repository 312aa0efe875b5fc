"""A third national format touches formats.py only (issue 12): registered
here as data, it is detected, read, checked, dated and linked across years by
the same code that serves the 2019 and 2021 formats."""
from __future__ import annotations

import dataclasses

import pytest

from gxaudit.core import formats
from gxaudit.core.format_types import Row
from gxaudit.core.ingest import read_document
from gxaudit.core.reconstruct import reconstruct
from gxaudit.core.rules import check
from tests.conftest import SEED_000, require

TOY = "2031"
NEW_ROW = Row("open_data", "政务数据开放目录", phrases=("政务数据开放目录",), short="政务数据开放目录")


def _toy() -> formats.Format:
    base = formats.by_id(formats.FORMAT_2021)
    item1 = base.layouts["t2"].blocks[0]
    t2 = dataclasses.replace(base.layouts["t2"], layout=TOY,
                             blocks=(dataclasses.replace(item1, rows=item1.rows + (NEW_ROW,)),)
                             + base.layouts["t2"].blocks[1:])
    rows = formats._T2_VALID_ROWS + ("open_data",)
    return dataclasses.replace(
        base, id=TOY, name="2031年版格式（示例）", short="2031年版", document="（示例文件）", first_year=2031,
        layouts={"t2": t2, "t3": dataclasses.replace(base.layouts["t3"], layout=TOY),
                 "t4": dataclasses.replace(base.layouts["t4"], layout=TOY)},
        fingerprints=base.fingerprints + ("政务数据开放目录",),
        inequalities=tuple(dataclasses.replace(i, rows=rows) for i in base.inequalities),
        cross_year=tuple(dataclasses.replace(c, rows=rows) for c in base.cross_year))


@pytest.fixture
def toy_format():
    formats.register(_toy())
    try:
        yield formats.by_id(TOY)
    finally:
        formats.unregister(TOY)
    assert formats.FORMATS == (formats.FORMAT_2021, formats.FORMAT_2019)


def _seed(tmp_path, year: int, new_row: bool):
    text = require(SEED_000).read_text(encoding="utf-8")
    text = text.replace("2022年1月", f"{year + 1}年1月").replace("2021", str(year))
    if new_row:                       # after 行政规范性文件's three figures
        text = text.replace("\t行政规范性文件\n\t0\n\t0\n\t0\n",
                            "\t行政规范性文件\n\t0\n\t0\n\t0\n\n\t政务数据开放目录\n\t5\n\t1\n\t3\n", 1)
        assert "政务数据开放目录" in text
    path = tmp_path / f"seed_{year}_{new_row}.txt"
    path.write_text(text, encoding="utf-8")
    return reconstruct(read_document(str(path)))


def test_a_report_in_the_new_format_is_read_and_checked(toy_format, tmp_path):
    report = _seed(tmp_path, 2031, new_row=True)
    assert report.template == TOY and report.layouts.as_dict() == {"t2": TOY, "t3": TOY, "t4": TOY}
    assert [report.cells[f"t2.open_data.{c}"].value for c in ("issued", "repealed", "in_force")] == [5, 1, 3]
    findings = check(report)
    rules = {f.rule for f in findings}
    assert "F-TEMPLATE" not in rules and "F-ROWSET" not in rules
    # The new row's inequality, from the format's data …
    valid = [f for f in findings if f.rule == "T2-VALID"]
    assert [f.cells for f in valid] == [["t2.open_data.issued", "t2.open_data.repealed", "t2.open_data.in_force"]]
    assert "政务数据开放目录：现行有效件数 3 加本年废止件数 1 小于本年制发件数 5" in valid[0].message
    # … and the seed's own break, located by the identities of the new format's 表三.
    errors = [f for f in findings if f.severity == "error"]
    assert errors and {(f.suspect, f.suggested) for f in errors} == {("t3.total_processed.total", 3)}


def test_the_year_ranges_follow_the_registry(toy_format, tmp_path):
    old = _seed(tmp_path, 2031, new_row=False)          # a 2031 report in the 2021 format
    assert old.template == formats.FORMAT_2021
    tmpl = [f for f in check(old) if f.rule == "F-TEMPLATE"]
    assert [(f.severity, f.message) for f in tmpl] == [
        ("error", "2031年度报告使用了旧版（2021年版）格式，应使用2031年版格式（示例文件）")]
    assert formats.last_year(formats.by_id(formats.FORMAT_2021)) == 2030
    current = _seed(tmp_path, 2021, new_row=False)      # 2021 reports stay 2021, unflagged
    assert current.template == formats.FORMAT_2021 and current.layouts.t3 == formats.FORMAT_2021
    assert not [f for f in check(current) if f.rule in ("F-TEMPLATE", "F-ROWSET")]


def test_last_years_report_in_the_new_format_is_linked(toy_format, tmp_path):
    prior = _seed(tmp_path, 2030, new_row=True)
    assert prior.template == TOY                  # the fingerprint decides, and F-TEMPLATE says so
    report = _seed(tmp_path, 2031, new_row=True)
    links = [f for f in check(report, prior) if f.rule == "Y-VALID"]
    assert any("t2.open_data.in_force" in f.cells for f in links)


def test_without_the_toy_the_registry_is_the_national_two():
    assert formats.FORMATS == ("2021", "2019")
    assert formats.for_year(2020).id == "2019" and formats.for_year(2035).id == "2021"
    assert formats.last_year(formats.by_id("2021")) is None
