"""argparse's own words are Chinese; --reviewer/--checker and GXAUDIT_REVIEWER sign the exports."""
from __future__ import annotations

import os
import subprocess
import sys

import openpyxl
import pdfplumber

from tests.conftest import ROOT, SEED_000, require

ENGLISH = ("usage:", "options:", "positional arguments", "show this help message and exit",
           "show program's version number and exit", "error:", "invalid choice",
           "the following arguments are required", "unrecognized arguments")


def gx(*args, env=None):
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "gxaudit", *args], capture_output=True, text=True,
                          env=e, timeout=180)


def test_help_has_no_english_argparse_words():
    for args in (["--help"], ["check", "--help"], ["export", "--help"], ["library", "add", "--help"]):
        out = gx(*args)
        assert out.returncode == 0, out.stderr
        assert "用法：" in out.stdout and "显示本帮助信息后退出" in out.stdout
        assert not [w for w in ENGLISH if w in out.stdout.lower()], (args, out.stdout)


def test_argparse_errors_are_chinese_and_one_line():
    for args, expect in ((["check"], "缺少以下参数"), (["check", "a.txt", "--bogus"], "无法识别的参数"),
                         (["check", "a.txt", "--prior"], "需要一个值")):
        out = gx(*args)
        assert out.returncode == 2 and expect in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
        assert not [w for w in ENGLISH if w in out.stderr.lower()]


def _footer_and_facts(xlsx):
    wb = openpyxl.load_workbook(xlsx)
    footers = {ws.oddFooter.left.text or "" for ws in wb.worksheets}
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    return footers, cells


def test_reviewer_option_signs_the_workbook_and_summary(tmp_path):
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    out = gx("check", str(require(SEED_000)), "--no-library", "--reviewer", "王审核", "--checker", "赵复核",
             "--xlsx", str(xlsx), "--summary", str(pdf), env={"GXAUDIT_REVIEWER": "环境变量名"})
    assert out.returncode in (0, 1), out.stderr
    footers, cells = _footer_and_facts(xlsx)
    assert any("王审核" in f for f in footers) and "王审核" in cells
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
    assert "审核人：王审核" in text and "复核人：赵复核" in text
    login = os.environ.get("USER") or "root"
    assert f"审核人：{login}" not in text


def test_environment_variable_names_the_reviewer(tmp_path):
    xlsx = tmp_path / "r.xlsx"
    out = gx("check", str(require(SEED_000)), "--no-library", "--xlsx", str(xlsx),
             env={"GXAUDIT_REVIEWER": "钱审核"})
    assert out.returncode in (0, 1), out.stderr
    footers, _ = _footer_and_facts(xlsx)
    assert any("钱审核" in f for f in footers)
