"""``gxaudit batch`` on a season built from the corpus and the fixtures: the
batch JSON and 汇总.xlsx agree with ``gxaudit check`` of each file alone,
finding for finding; a second run hits the cache; SIGINT leaves a
consistent library."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, FIXTURES, ROOT, require
from tests.seasonmaker import AGENCIES, html_report

HONGZE = ["jiangsu_huaian_hongze-district-gov_2023_annual-report.pdf",
          "jiangsu_huaian_hongze-district-gov_2024_annual-report.pdf"]
TEXTS = ["shanghai_municipal-govt-general-office_2025_annual-report_pdf-text-markdown.md",
         "shanghai_stcsm-science-tech-commission_2024_annual-report_pdf-text-markdown.md",
         "jiangsu_suqian_shuyang-county-gov_2025_annual-report_ocr-markdown.txt"]


def _env(base: Path) -> dict:
    env = dict(os.environ)
    env.update(GXAUDIT_DATA_DIR=str(base / "data"), GXAUDIT_LOG_DIR=str(base / "logs"),
               XDG_CACHE_HOME=str(base / "cache"), XDG_CONFIG_HOME=str(base / "config"),
               PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return env


def _batch(args: list[str], env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gxaudit", "batch", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, **kw)


def build_season(folder: Path) -> None:
    """33 files: 24 HTML reports of 16 agencies (8 with two years), a one-page scan,
    a DOCX, Hongze 2023/2024, three text reports, a damaged PDF and a copy."""
    from tests.core.scanmaker import make_scan
    folder.mkdir(parents=True)
    for i, agency in enumerate(AGENCIES[:16]):
        (folder / f"a{i:02d}_2023.html").write_bytes(html_report(agency, 2023))
        if i < 8:
            (folder / "上年" / f"a{i:02d}_2022.html").parent.mkdir(exist_ok=True)
            (folder / "上年" / f"a{i:02d}_2022.html").write_bytes(html_report(agency, 2022))
    make_scan(require(CORPUS / HONGZE[0]), folder / "scan_hongze_p3.pdf", pages=[2])   # one page: OCR is slow
    shutil.copy(require(FIXTURES / "fx2019.docx"), folder / "fx2019.docx")
    for name in HONGZE + TEXTS:
        shutil.copy(require(CORPUS / name), folder / name)
    (folder / "damaged.pdf").write_bytes((FIXTURES / "fx2021.pdf").read_bytes()[:4000])
    (folder / "上年" / "副本").mkdir()
    shutil.copy(folder / "a03_2023.html", folder / "上年" / "副本" / "a03_2023 copy.html")


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    base = tmp_path_factory.mktemp("season")
    build_season(base / "in")
    env = _env(base)
    proc = _batch([str(base / "in"), "--json", "--out", str(base / "out"), "--jobs", "2"], env)
    assert proc.returncode == 1, proc.stderr          # errors in the season (the fixtures' breaks)
    return base, env, json.loads(proc.stdout)


def _check_alone(path: str, prior: str | None, capsys) -> tuple[int, dict | None, str]:
    from gxaudit.cli import main
    args = ["check", path, "--json", "--no-library"] + (["--prior", prior] if prior else [])
    code = main(args)
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_batch_json_and_overview_agree_with_check_alone(season, capsys, monkeypatch):
    import openpyxl
    base, env, doc = season
    monkeypatch.setenv("XDG_CACHE_HOME", env["XDG_CACHE_HOME"])       # the scan's OCR cache
    reports = doc["reports"]
    assert [r["path"] for r in reports] == sorted(r["path"] for r in reports)
    assert doc["totals"] == {"files": 33, "checked": 31, "unreadable": 1, "duplicate": 1,
                             "with_errors": doc["totals"]["with_errors"]}
    wb = openpyxl.load_workbook(base / "out" / "汇总.xlsx")
    rows = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert wb["问题清单"].auto_filter.ref
    by_path = {r["path"]: r for r in reports}
    for r in reports:
        if r["status"] == "duplicate":
            assert r["path"].endswith("a03_2023 copy.html") and r["same_as"].endswith("/a03_2023.html")
            continue
        prior = r.get("prior") and r["prior"]["path"]
        code, alone, err = _check_alone(r["path"], prior, capsys)
        if r["status"] == "unreadable":
            assert code == 2 and r["path"].endswith("damaged.pdf")
            assert err.strip().splitlines()[-1] == r["reason"]
            continue
        findings = alone["findings"]
        assert r["errors"] == sum(f["severity"] == "error" for f in findings)
        assert r["warnings"] == sum(f["severity"] == "warning" for f in findings)
        counts = {}
        for f in findings:
            counts[f["rule"]] = counts.get(f["rule"], 0) + 1
        assert r["rules"] == counts
        assert (r["agency"], r["year"], r["format"]) == \
            (alone["report"]["agency"], alone["report"]["year"], alone["source"]["format"])
        mine = sorted((x[3], x[6]) for x in rows if x[0] == r["path"])
        assert mine == sorted((f["rule"], f["message"]) for f in findings)
    # Priors found within the season: Hongze 2024 → 2023, every 2023 variant with a 2022 one.
    hz = next(r for r in reports if r["path"].endswith(HONGZE[1]))
    assert hz["prior"]["path"].endswith(HONGZE[0]) and hz["prior"]["year"] == 2023
    a0 = next(r for r in reports if r["path"].endswith("a00_2023.html"))
    assert a0["prior"]["path"].endswith("a00_2022.html") and a0["rules"].get("Y-CARRY")
    assert next(r for r in reports if r["path"].endswith("a12_2023.html"))["prior"] is None
    assert next(r for r in reports if r["path"].endswith("scan_hongze_p3.pdf"))["format"] == "pdf-scan"
    assert all(r["cached"] is False for r in reports if r["status"] == "checked")
    overview = list(wb["汇总"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in overview] == [r["path"] for r in reports]
    score_rows = list(wb["评分"].iter_rows(min_row=2, max_row=32, values_only=True))
    assert [row[0] for row in score_rows] == sorted(row[0] for row in score_rows)
    assert len(score_rows) == 31 and score_rows[0][0] == 1
    assert wb["统计"]._charts


def test_second_run_hits_the_cache(season):
    base, env, first = season
    proc = _batch([str(base / "in"), "--json"], env)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1
    checked = [r for r in doc["reports"] if r["status"] == "checked"]
    assert checked and all(r["cached"] for r in checked)
    strip = [{k: v for k, v in r.items() if k != "cached"} for r in doc["reports"]]
    assert strip == [{k: v for k, v in r.items() if k != "cached"} for r in first["reports"]]


def test_rerun_reads_again_and_edit_invalidates(tmp_path):
    env = _env(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(2):
        (folder / f"r{i}.html").write_bytes(html_report(AGENCIES[i], 2023))
    assert _batch([str(folder), "--json"], env).returncode == 1
    again = json.loads(_batch([str(folder), "--json", "--rerun"], env).stdout)
    assert [r["cached"] for r in again["reports"]] == [False, False]
    (folder / "r1.html").write_bytes(html_report(AGENCIES[5], 2023))     # changed contents
    third = json.loads(_batch([str(folder), "--json"], env).stdout)
    assert [r["cached"] for r in third["reports"]] == [True, False]
    assert third["reports"][1]["agency"] == AGENCIES[5]


def test_bad_arguments_and_nothing_readable(tmp_path):
    env = _env(tmp_path)
    assert _batch([str(tmp_path / "missing")], env).returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = _batch([str(empty)], env)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    (empty / "x.pdf").write_bytes(b"%PDF-1.4 broken")
    proc = _batch([str(empty), "--json"], env)
    assert proc.returncode == 2 and json.loads(proc.stdout)["totals"]["unreadable"] == 1


def test_sigint_leaves_a_consistent_library(tmp_path):
    env = _env(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    data = require(CORPUS / HONGZE[0]).read_bytes()
    for i in range(8):            # distinct bytes after %%EOF: eight files to read
        (folder / f"hz{i}.pdf").write_bytes(data + b"\n%% copy %d\n" % i)
    db = tmp_path / "data" / "library.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "gxaudit", "batch", str(folder), "--json", "--jobs", "1"],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=5) as c:
                    if c.execute("SELECT count(*) FROM check_cache").fetchone()[0] >= 1:
                        break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "已中断" in err and "Traceback" not in err
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = c.execute("SELECT sha256, report, findings FROM check_cache").fetchall()
        assert 1 <= len(rows) < 8
        for sha, report, findings in rows:
            assert json.loads(report)["source"]["sha256"] == sha
            json.loads(findings)
            n = c.execute("SELECT count(*) FROM cells JOIN reports ON reports.id = cells.report_id "
                          "WHERE reports.sha256 = ?", (sha,)).fetchone()[0]
            assert n > 100
    finished = _batch([str(folder), "--json", "--jobs", "2"], env)
    doc = json.loads(finished.stdout)
    assert doc["totals"]["checked"] == 1 and doc["totals"]["duplicate"] == 7
    assert doc["reports"][0]["cached"] is True          # read before the interrupt, kept
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM check_cache").fetchone()[0] == 8
