"""`gxaudit check --xlsx/--summary` and `gxaudit export` as a user runs them."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SEED_000, require

openpyxl = pytest.importorskip("openpyxl")
pdfplumber = pytest.importorskip("pdfplumber")

KEY = "t3.total_processed.total"


def run(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "gxaudit", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=timeout)


def test_check_exports_a_fresh_review(tmp_path):
    xlsx, pdf = tmp_path / "a.xlsx", tmp_path / "a.pdf"
    out = run("check", require(SEED_000), "--json", "--no-library", "--xlsx", xlsx, "--summary", pdf)
    assert out.returncode == 1, out.stderr           # the seed's error is still there
    doc = json.loads(out.stdout)                      # stdout holds the JSON and nothing else
    assert all(f["status"] == "open" for f in doc["findings"])
    assert "review" not in doc
    wb = openpyxl.load_workbook(xlsx)
    assert wb["问题清单"].max_row == len(doc["findings"]) + 1
    assert "修改记录" not in wb.sheetnames            # a fresh review: nothing changed, no log to print
    with pdfplumber.open(pdf) as d:
        text = "".join(p.extract_text() or "" for p in d.pages)
    assert "不通过" in text and "T3-ROW" in text
    # The workbook checks back to the same cells and findings.
    back = run("check", xlsx, "--json", "--no-library")
    assert back.returncode == 1, back.stderr
    again = json.loads(back.stdout)
    assert again["source"]["format"] == "xlsx"
    assert {k: (c["value"], c["status"]) for k, c in again["cells"].items()} == \
        {k: (c["value"], c["status"]) for k, c in doc["cells"].items()}
    assert [f["id"] for f in again["findings"]] == [f["id"] for f in doc["findings"]]


def test_export_a_saved_review(tmp_path):
    from gxaudit.core import load_report
    from gxaudit.core.review import OVERRIDDEN, ReviewStore
    store = ReviewStore(tmp_path / "reviews")
    rv = store.open(load_report(str(require(SEED_000))), reviewer="王审核").review
    rv.set_cell(KEY, 3)
    fee = next(f.id for f in rv.findings() if f.rule == "F-FEE")
    rv.decide(fee, OVERRIDDEN, "收费情况已在单独公告中说明")
    store.save(rv)                      # saving is the store's job
    xlsx, pdf = tmp_path / "out.xlsx", tmp_path / "out.pdf"
    out = run("export", rv.path, "--xlsx", xlsx, "--summary", pdf)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    back = json.loads(run("check", xlsx, "--json", "--no-library").stdout)
    assert back["cells"][KEY] == {**back["cells"][KEY], "value": 3, "status": "edited", "original": 0}
    assert {f["rule"]: f["status"] for f in back["findings"]} == {"F-FEE": "overridden"}
    assert back["review"]["reviewer"] == "王审核"
    with pdfplumber.open(pdf) as d:
        text = "".join(p.extract_text() or "" for p in d.pages).replace("\n", "")
    assert "王审核" in text and "已豁免" in text
    # The exported workbook is itself a review that can be exported again.
    out = run("export", xlsx, "--summary", tmp_path / "again.pdf")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "again.pdf").stat().st_size > 10000


@pytest.mark.parametrize("args, phrase", [
    (("export", "{missing}", "--xlsx", "{tmp}/x.xlsx"), "找不到文件"),
    (("export", "{seed}", "--xlsx", "{tmp}/x.xlsx"), "不是 gxaudit 保存的审核记录"),
    (("export", "{seed}"), "--xlsx 或 --summary"),
    (("check", "{seed}", "--no-library", "--xlsx", "{tmp}/no/such/dir/\0bad.xlsx"), "导出失败"),
])
def test_export_errors_are_one_line_exit_2(tmp_path, args, phrase):
    subst = {"missing": tmp_path / "nope.review.json", "seed": require(SEED_000), "tmp": tmp_path}
    argv = [a.format(**subst) for a in args]
    if "\0" in argv[-1]:
        argv[-1] = str(tmp_path / "file-in-the-way" / "x.xlsx")
        (tmp_path / "file-in-the-way").write_text("a file, not a folder")
    out = run(*argv)
    assert out.returncode == 2, (out.stdout, out.stderr)
    err = out.stderr.strip().splitlines()
    assert any(phrase in line for line in err), err
    assert "Traceback" not in out.stderr
