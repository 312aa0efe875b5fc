"""`gxaudit check` as a user runs it: exit codes, stdout, stderr."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT, SEED_000, SEED_003, require


def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "gxaudit", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=timeout)


def test_seed000_json_contract():
    out = run("check", require(SEED_000), "--json")
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema"] == 1
    assert doc["source"]["format"] == "text" and len(doc["source"]["sha256"]) == 64
    assert doc["report"] == {**doc["report"], "agency": "台儿庄区人力资源和社会保障局",
                             "year": 2021, "template": "2021", "published": "2022-01-24"}
    cell = doc["cells"]["t3.total_processed.total"]
    assert cell == {"value": 0, "raw": "0", "status": "ok", "page": None, "bbox": None,
                    "confidence": 1.0, "line": 337, "anchor": None}
    assert doc["cells"]["t2.fees.amount"]["value"] == 29.313
    assert doc["cells"]["t2.fees.amount"]["raw"] == "29.313万元"
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert sorted(f["rule"] for f in errors) == ["T3-BAL", "T3-LEAF", "T3-ROW"]
    assert {(f["suspect"], f["suggested"]) for f in errors} == {("t3.total_processed.total", 3)}
    for f in doc["findings"]:
        assert set(f) >= {"rule", "severity", "cells", "expected", "actual", "suspect",
                          "suggested", "message"}
    assert len(doc["cells"]) == 200


def test_seed003_json_unreadable_not_zero():
    out = run("check", require(SEED_003), "--json")
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["report"]["template"] == "2019"
    assert doc["cells"]["t3.carried_over.natural_person"]["status"] == "unreadable"
    assert doc["cells"]["t3.carried_over.natural_person"]["value"] is None
    assert "F-TEMPLATE" in {f["rule"] for f in doc["findings"] if f["severity"] == "error"}


def test_readable_output_is_chinese_and_names_the_suspect():
    out = run("check", require(SEED_000))
    assert out.returncode == 1
    assert "台儿庄区人力资源和社会保障局" in out.stdout
    assert "[错误] T3-ROW" in out.stdout
    assert "建议改为 3" in out.stdout
    assert out.stderr == ""


def test_clean_report_exits_zero():
    out = run("check", require(CORPUS / "jiangsu_suqian_shuyang-county-gov_2025_annual-report_ocr-markdown.txt"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "未发现错误" in out.stdout   # one warning: S-FEE (part 六 names no 收费通知)


def _one_clear_line(out):
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    return lines[0]


def test_missing_file(tmp_path):
    line = _one_clear_line(run("check", tmp_path / "nope.txt"))
    assert "找不到文件" in line


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    assert "空的" in _one_clear_line(run("check", p))


def test_binary_junk(tmp_path):
    p = tmp_path / "junk.bin"
    p.write_bytes(bytes(range(256)) * 100)
    _one_clear_line(run("check", p))


def test_text_that_is_not_a_report(tmp_path):
    assert "不像是" in _one_clear_line(run("check", require(CORPUS / "SOURCES.md")))


def test_directory(tmp_path):
    assert "文件夹" in _one_clear_line(run("check", tmp_path))


def test_gbk_text_report(tmp_path):
    p = tmp_path / "gbk.txt"
    p.write_bytes(require(SEED_000).read_text(encoding="utf-8").encode("gb18030"))
    out = run("check", p, "--json")
    assert out.returncode == 1
    assert json.loads(out.stdout)["report"]["agency"] == "台儿庄区人力资源和社会保障局"


def test_bad_arguments():
    _one_clear_line(run("check"))


@pytest.mark.parametrize("args", [["--version"], ["check", "--help"]])
def test_help_and_version(args):
    out = run(*args)
    assert out.returncode == 0
